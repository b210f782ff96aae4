"""Command line: parse options, call the library, print, choose the exit code. No logic of its own."""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import click

from feedpub import __version__
from feedpub.api import BuildReport, run_build
from feedpub.collector import parse_date
from feedpub.config import load_config
from feedpub.errors import ConfigError, FeedpubError
from feedpub.models import Site

F = TypeVar("F", bound=Callable[..., Any])

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default=Path("config.toml"),
    show_default=True,
    help="The site's config.toml.",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a summary.")


def reporting_errors(command: F) -> F:
    """Turn a FeedpubError into one line on stderr and its exit code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except FeedpubError as error:
            click.echo(f"feedpub: error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper  # type: ignore[return-value]


def display_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
    except ValueError:
        return str(path)


def parse_now(value: str | None, site: Site) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        return parse_date(value, site.timezone)
    except ValueError:
        raise ConfigError(
            f"--now: not an ISO 8601 date or time (got {value!r}); use e.g. 2025-01-31T09:00+09:00"
        ) from None


def load_site(config_path: Path, output: Path | None = None) -> Site:
    site = load_config(config_path)
    if output is not None:
        site = dataclasses.replace(site, output_dir=output.resolve())
    return site


def summary_line(report: BuildReport, seconds: float) -> str:
    written = sum(f.written for f in report.files)
    names = " ".join(f.name for f in report.files)
    return (
        f"feedpub: {report.published_posts} posts published, {len(report.rejected)} rejected, "
        f"{report.skipped} skipped (draft/future) -> {names} "
        f"({written} written, {len(report.files) - written} unchanged) in {seconds:.2f} s"
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedpub")
def main() -> None:
    """Publish RSS, Atom, JSON Feed and sitemaps for a site made of post files."""


@main.command()
@config_option
@click.option("--output", type=click.Path(path_type=Path), help="Write into this folder instead of [output] dir.")
@click.option("--now", "now_text", metavar="ISO8601", help="Treat this as the current time (posts after it wait).")
@quiet_option
@json_option
@reporting_errors
def build(config_path: Path, output: Path | None, now_text: str | None, quiet: bool, as_json: bool) -> None:
    """Collect the posts and write every feed and the sitemap (only files whose bytes changed)."""
    started = time.perf_counter()
    site = load_site(config_path, output)
    report = run_build(site, parse_now(now_text, site))
    for rejection in report.rejected:
        click.echo(f"{display_path(rejection.path)}: {rejection.reason}", err=True)
    if as_json:
        click.echo(
            json.dumps({**report.to_json(), "seconds": round(time.perf_counter() - started, 3)}, ensure_ascii=False)
        )
    elif not quiet:
        click.echo(summary_line(report, time.perf_counter() - started))
    sys.exit(1 if report.rejected else 0)
