"""GitHub Actions: rejected posts and warnings as workflow commands, and a Markdown job summary.

Used by the CLI only when `GITHUB_ACTIONS=true` (the runner sets it): elsewhere nothing here is printed or
written. Workflow commands are lines `::error file=<path>,line=<n>::<message>`; the runner shows them on the
pull request next to the file. Their escaping is GitHub's (actions/toolkit, `core/src/command.ts`): in the
message `%`, CR and LF; in a property also `:` and `,`, which would otherwise end the value.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from feedpub.models import BuildReport
    from feedpub.publish.pinger import PingReport

Level = Literal["error", "warning", "notice"]


def active(environ: Mapping[str, str]) -> bool:
    """Whether feedpub runs in a GitHub Actions job (the runner sets GITHUB_ACTIONS=true)."""
    return environ.get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: Level, message: str, *, file: str | None = None, line: int | None = None) -> str:
    """One workflow command line: `::error file=a.md,line=3::message`."""
    properties = [f"file={escape_property(file)}"] if file is not None else []
    if file is not None and line is not None:
        properties.append(f"line={line}")
    head = f"{level} {','.join(properties)}" if properties else level
    return f"::{head}::{escape_data(message)}"


def workspace_path(path: str | Path, environ: Mapping[str, str]) -> str:
    """`path` relative to the checkout (GITHUB_WORKSPACE), "/"-separated, as GitHub matches files in a diff.

    A file outside the checkout keeps its absolute path: GitHub then shows the annotation on the run only.
    """
    root = Path(environ.get("GITHUB_WORKSPACE") or os.getcwd()).resolve()
    absolute = Path(path).resolve()
    return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else str(absolute)


def build_commands(report: BuildReport, environ: Mapping[str, str]) -> list[str]:
    """The workflow commands for a build: an error per rejected post, a warning per warning and new date."""
    lines = [command("error", r.reason, file=workspace_path(r.path, environ), line=r.line) for r in report.rejected]
    for warning in report.warnings:
        # A warning about one file starts with its path (`<path>: <what>`, as every message of feedpub's does).
        head, colon, rest = warning.partition(": ")
        file = workspace_path(head, environ) if colon and Path(head).is_file() else None
        lines.append(command("warning", rest if file else warning, file=file))
    if report.dates_file is not None:
        kept = workspace_path(report.dates_file, environ)
        for path, moment in report.dated:
            message = f"no date; published as {moment.isoformat()} from now on; add a date: to its front matter"
            lines.append(command("warning", message, file=workspace_path(path, environ)))
        lines.append(
            command(
                "warning",
                f"{len(report.dated)} new date(s) were recorded here on this runner only: commit this file with "
                "the site, or the next runner dates these posts anew",
                file=kept,
            )
        )
    return lines


def _cell(text: str) -> str:
    """Text fit for a Markdown table cell: pipes and line breaks would end it."""
    return " ".join(text.replace("|", "\\|").split())


def _table(header: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    return lines + ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]


def build_summary(report: BuildReport, environ: Mapping[str, str]) -> str:
    """The build as Markdown for the job's summary page ($GITHUB_STEP_SUMMARY)."""
    written = sum(f.written for f in report.files)
    lines = [
        "### feedpub build",
        "",
        f"{report.published_posts} published, {len(report.rejected)} rejected, {report.skipped} skipped; "
        f"{len(report.files)} files, {written} written"
        + (" (nothing changed since the last build)" if report.unchanged else ""),
    ]
    if report.rejected:
        rows = [
            (f"`{workspace_path(r.path, environ)}`" + (f" line {r.line}" if r.line else ""), r.reason)
            for r in report.rejected
        ]
        lines += ["", "#### Rejected posts", "", *_table(("file", "reason"), rows)]
    if report.dated and report.dates_file is not None:
        rows = [(f"`{workspace_path(p, environ)}`", m.isoformat()) for p, m in report.dated]
        lines += [
            "",
            f"#### New dates (commit `{workspace_path(report.dates_file, environ)}`)",
            "",
            *_table(("post", "date"), rows),
        ]
    if report.warnings:
        lines += ["", "#### Warnings", "", *(f"- {_cell(w)}" for w in report.warnings)]
    return "\n".join(lines) + "\n\n"


def ping_commands(report: PingReport) -> list[str]:
    """A warning per failed notification (it stays owed: the next run sends it, if the ping state is kept)."""
    return [command("warning", f"ping {r.kind} {r.target}: {r.detail}") for r in report.results if not r.ok]


def ping_summary(report: PingReport) -> str:
    """The notifications as Markdown for the job's summary page."""
    rows = [(r.kind, r.target, "ok" if r.ok else "failed", str(r.sent), r.detail) for r in report.results]
    if not rows:
        return "### feedpub ping\n\nnothing to ping\n\n"
    return "\n".join(["### feedpub ping", "", *_table(("kind", "target", "", "sent", "detail"), rows)]) + "\n\n"


def append_summary(markdown: str, environ: Mapping[str, str]) -> str | None:
    """Add `markdown` to the job summary file the runner names in GITHUB_STEP_SUMMARY, when it names one.

    Returns why it could not, if so: a summary that cannot be written must not fail a build that succeeded.
    """
    path = environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return None
    try:
        with open(path, "a", encoding="utf-8") as summary:
            summary.write(markdown)
    except OSError as error:
        return f"{path}: cannot add to the job summary: {error.strerror}"
    return None
