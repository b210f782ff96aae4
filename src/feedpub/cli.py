"""Command line: parse options, call the library, print, choose the exit code. No logic of its own."""

from __future__ import annotations

import dataclasses
import functools
import gc
import json
import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

import click

# Only light modules at the top: a cron run of `build` that finds nothing new must not import the parsers, the
# feed libraries or requests (api.run_build). The other commands import what they need when they run.
from feedpub import __version__, github_actions
from feedpub.api import run_build
from feedpub.config import goes_through_link, load_config
from feedpub.dates import LOCAL_ZONE_FILES, parse_date
from feedpub.errors import ConfigError, FeedpubError
from feedpub.models import GEM_VARIABLES, BuildReport, Rejection, Site
from feedpub.state import standing
from feedpub.state.lock import site_lock
from feedpub.streams import lose_stream

if TYPE_CHECKING:
    from feedpub.publish.pinger import PingReport

F = TypeVar("F", bound=Callable[..., Any])


def _not_empty(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """The path given, refused when empty: `--output "$OUT"` with OUT unset in a cron line is "", which a Path makes
    ".", and the build wrote every output into the folder cron ran in."""
    if value is None:
        return None
    if not value:
        raise click.BadParameter("is empty (an unset variable?); give a path")
    return Path(value)


config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(),
    callback=_not_empty,
    default=Path("config.toml"),
    show_default=True,
    help="The site's config.toml.",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="Print nothing on success.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object instead of a summary.")
allow_shrink_option = click.option(
    "--allow-shrink",
    is_flag=True,
    help="Publish even when far fewer posts than last time would be published ([posts] max_shrink).",
)


wait_option = click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="How long to wait for another run on this site to finish before giving up (exit 4).",
)


def say(message: str, err: bool = False, nl: bool = True) -> None:
    """Print for the user on stdout, or stderr with `err`. A stream no one can read or write loses what is printed,
    never the run: a build still finishes and records, a publish still pings, and the exit code stays the real one."""
    try:
        click.echo(message, err=err, nl=nl)
    except OSError as error:
        lose_stream(error, sys.stderr if err else sys.stdout)


def _gem_environment() -> dict[str, str]:
    """RubyGems' variables as this process has them (models.GEM_VARIABLES): where a Jekyll site's gem theme is looked
    for, by `init` and by every build alike."""
    return {name: os.environ[name] for name in GEM_VARIABLES if name in os.environ}


def now_option(help_text: str = "Treat this as the current time (posts after it wait).") -> Callable[[F], F]:
    """--now, read by parse_now: the clock stays in the CLI, and tests and cron can fix it."""
    return click.option("--now", "now_text", metavar="ISO8601", help=help_text)


def reporting_errors(command: F) -> F:
    """Turn a FeedpubError into one line on stderr and its exit code; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except FeedpubError as error:
            say(f"feedpub: error: {error}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException:
            raise  # usage errors: click prints them and exits 2
        except Exception as error:  # a bug: one line for cron's mail, the traceback on request
            if os.environ.get("FEEDPUB_DEBUG"):
                raise
            say(
                f"feedpub: internal error: {type(error).__name__}: {error} (this is a bug: please report "
                "it; set FEEDPUB_DEBUG=1 to see the traceback)",
                err=True,
            )
            sys.exit(70)  # EX_SOFTWARE

    return wrapper  # type: ignore[return-value]


def display_path(path: str | Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    text = os.fspath(path)
    try:
        return os.path.relpath(text) if _inside(os.path.dirname(text), os.getcwd()) else text
    except ValueError:
        return text


@functools.lru_cache(maxsize=64)
def _inside(folder: str, cwd: str) -> bool:
    """Whether a folder is the current one or inside it, links resolved: once a folder, not once a file (a first
    build of an undated site names 10,000 posts, and resolving each took 1.4 s)."""
    return Path(folder or ".").resolve().is_relative_to(cwd)


def parse_now(value: str | None, tz: ZoneInfo) -> datetime:
    """--now, or the clock: the one place the clock is read."""
    if value is None:
        return datetime.now(UTC)
    try:
        return parse_date(value, tz)
    except ValueError:
        raise ConfigError(
            f"--now: not an ISO 8601 date or time (got {value!r}); use e.g. 2025-01-31T09:00+09:00"
        ) from None


JEKYLL_ENV = "JEKYLL_ENV"  # Jekyll's environment (Site.jekyll_env): a Jekyll site's no-change record holds its value


def load_site(config_path: Path, output: Path | None = None) -> Site:
    site = load_config(config_path)
    if output is not None and (folder := output.resolve()) != site.output_dir:
        site = dataclasses.replace(site, output_dir=folder, elsewhere=True)
    if output is not None and goes_through_link(str(output)):
        site = dataclasses.replace(site, through_links=True)  # see Site.through_links
    if site.posts.generator == "jekyll" and (environment := os.environ.get(JEKYLL_ENV)) is not None:
        site = dataclasses.replace(site, jekyll_env=environment)  # as Jekyll reads it (Site.jekyll_env)
    if site.posts.generator == "jekyll":
        site = dataclasses.replace(site, gem_environment=tuple(_gem_environment().items()))  # Site.gem_environment
    return site


def indexnow_key(site: Site) -> str | None:
    """The IndexNow key from the environment variable the config names: it never lives in config.toml."""
    return os.environ.get(site.ping.indexnow_key_env) or None


def count(number: int, thing: str) -> str:
    """`1 post`, `2 posts`: a count with its noun (English plurals in "s" are all feedpub needs)."""
    return f"{number} {thing}" if number == 1 else f"{number} {thing}s"


def rejection_line(rejection: Rejection) -> str:
    return f"{display_path(rejection.path)}: {rejection.reason}"


def exit_code(report: BuildReport) -> int:
    return 1 if report.rejected else 0


def summary_line(report: BuildReport, seconds: float) -> str:
    before, after = summary_around_seconds(report)
    return f"{before}{seconds:.2f}{after}"


def summary_around_seconds(report: BuildReport) -> tuple[str, str]:
    """The summary line's text before and after its seconds (a run answered from state/standing.py's record
    prints it with its own)."""
    written = sum(f.written for f in report.files)
    # Per-category feeds can be hundreds of files: name the top-level ones, count the rest.
    top = [f.name for f in report.files if "/" not in f.name]
    nested = len(report.files) - len(top)
    names = " ".join(top) + (f" + {nested} in subfolders" if nested else "")
    removed = f", {len(report.removed)} stale removed" if report.removed else ""
    nothing_new = " (nothing changed since the last build)" if report.unchanged else ""
    return (
        f"feedpub: {count(report.published_posts, 'post')} published, {len(report.rejected)} rejected, "
        f"{report.skipped} skipped (draft/future) -> {names} "
        f"({written} written, {len(report.files) - written} unchanged{removed}) in ",
        f" s{nothing_new}",
    )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="feedpub")
def main() -> None:
    """Publish RSS, Atom, JSON Feed and sitemaps for a site made of post files."""


def run() -> None:
    """The `feedpub` command (and `python -m feedpub`): `main` in a process of its own."""
    # A short-lived process frees everything at exit: Python's cycle collector would only spend time, scanning the
    # build's objects once more after api.run_build turns it back on (~0.3 s after a build of 100k posts).
    # Not in `main`, which tests call in their own long-lived process.
    gc.disable()
    try:
        main()
    finally:
        # At exit the interpreter still collects once, scanning everything the build left (10k posts: ~30 ms of
        # a build after one post changed); frozen objects are not scanned, and the ending process frees them all.
        gc.freeze()


class ProgressBar:
    """A bar on stderr while many post files are read, and only on a terminal: cron's mail stays clean."""

    def __init__(self, minimum: int = 1_000) -> None:
        self.minimum = minimum
        self.bar: Any = None
        self.done = 0

    def __call__(self, done: int, total: int) -> None:
        if total < self.minimum:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="reading posts", file=sys.stderr)
        self.bar.update(done - self.done)
        self.done = done
        if done == total:
            self.bar.render_finish()


def build_and_report(
    site: Site, now_text: str | None, quiet: bool, as_json: bool, use_cache: bool = True, allow_shrink: bool = False
) -> BuildReport:
    started = time.perf_counter()
    progress = ProgressBar() if sys.stderr.isatty() and not quiet else None
    report = run_build(
        site,
        parse_now(now_text, site.timezone),
        indexnow_key(site),
        use_cache=use_cache,
        allow_shrink=allow_shrink,
        progress=progress,
    )
    for warning in report.warnings:
        say(f"feedpub: warning: {warning}", err=True)
    for rejection in report.rejected:
        say(rejection_line(rejection), err=True)
    # Even with --quiet: the dates file changed and must be committed, or another checkout dates the posts anew.
    if report.dates_file is not None:
        kept = report.dates_file.name
        for path, moment in report.dated:
            say(
                f"{display_path(path)}: no date; published as {moment.isoformat()} from now on (kept in {kept}); "
                "add a date: to its front matter",
                err=True,
            )
        say(
            f"feedpub: {display_path(report.dates_file)} changed ({count(len(report.dated), 'new date')}); "
            "commit it with the site",
            err=True,
        )
    if github_actions.active(os.environ):
        environ = os.environ
        show_in_github(github_actions.build_commands(report, environ), github_actions.build_summary(report, environ))
    if as_json:
        say(json.dumps({**report.to_json(), "seconds": round(time.perf_counter() - started, 3)}, ensure_ascii=False))
    elif not quiet:
        say(summary_line(report, time.perf_counter() - started))
    return report


def show_in_github(commands: list[str], summary: str) -> None:
    """Print workflow commands and add to the job summary: GitHub Actions only (github_actions.active)."""
    # On stderr with the other problems: the runner reads workflow commands from both streams, and stdout stays
    # one JSON object under --json.
    for line in commands:
        say(line, err=True)
    if (problem := github_actions.append_summary(summary, os.environ)) is not None:
        say(f"feedpub: warning: {problem}", err=True)


def ping_and_report(site: Site, dry_run: bool, quiet: bool, as_json: bool, since: str | None = None) -> PingReport:
    from feedpub.api import run_ping

    report = run_ping(site, indexnow_key(site), dry_run=dry_run, since=since)
    if github_actions.active(os.environ) and not dry_run:
        show_in_github(github_actions.ping_commands(report), github_actions.ping_summary(report))
    if as_json:
        say(json.dumps(report.to_json(), ensure_ascii=False))
        return report
    if not report.results:
        if not quiet:
            say(
                "feedpub: ping: nothing to ping: [ping] names no websub_hubs, indexnow_endpoint, xmlrpc or urls "
                "in the config"
            )
        return report
    for result in report.results:
        if dry_run and not result.ok:
            # What the real run would meet (no key, the key file not served): said, not a plan it cannot carry out.
            say(f"{result.kind} {result.target}: would fail: {result.detail}", err=True)
        elif dry_run:
            say(f"{result.kind} {result.target}: would send {len(result.planned)}")
            for item in result.planned:
                say(f"  {item}")
        elif not result.ok:
            say(f"{result.kind} {result.target}: {result.detail} (kept for the next run)", err=True)
        elif not quiet and result.sent:
            say(f"{result.kind} {result.target}: {result.detail}")
    if not quiet and not dry_run:
        failed = sum(not r.ok for r in report.results)
        sent = sum(r.sent for r in report.results)
        say(
            f"feedpub: ping: {count(len(report.results), 'target')}, {count(sent, 'notification')} delivered, "
            f"{failed} failed"
        )
    return report


@main.command()
@config_option
@click.option(
    "--output",
    type=click.Path(),
    callback=_not_empty,
    help="Write into this folder instead of [output] dir (a preview: ping announces only [output] dir's builds).",
)
@now_option()
@click.option("--no-cache", is_flag=True, help="Read every post file again; neither read nor update .feedpub/cache.db.")
@allow_shrink_option
@wait_option
@quiet_option
@json_option
@reporting_errors
def build(
    config_path: Path,
    output: Path | None,
    now_text: str | None,
    no_cache: bool,
    allow_shrink: bool,
    wait: float,
    quiet: bool,
    as_json: bool,
) -> None:
    """Collect the posts and write every feed and the sitemap (only files whose bytes changed).

    A post file whose size and modification time are unchanged since the last build is not read again, and
    when nothing changed at all, nothing is built.
    """
    read = {str(config_path): standing.file_state(str(config_path))}  # as the build reads it: before, not after
    site = load_site(config_path, output)
    with site_lock(site, wait):
        standing.forget(str(site.state_dir))  # stale from here on; a build that fails must leave none
        if site.dates_file is not None:
            read[str(site.dates_file)] = standing.file_state(str(site.dates_file))
        report = build_and_report(site, now_text, quiet, as_json, use_cache=not no_cache, allow_shrink=allow_shrink)
        if report.dates_file is not None:
            del read[str(report.dates_file)]  # this build wrote it: its bytes are checked instead (Standing.written)
        try:
            remember_standing(site, config_path, output, report, read)
        except OSError:  # the working folder deleted meanwhile: the next run makes the whole check
            standing.forget(str(site.state_dir))
    sys.exit(exit_code(report))


def remember_standing(
    site: Site, config_path: Path, output: Path | None, report: BuildReport, read: dict[str, list[Any]]
) -> None:
    """Leave the record by which the next `feedpub build` can answer before importing the rest of feedpub, when
    nothing changed by then (state/standing.py), with what such a build prints. `read`: the states of the files
    the build read, taken before it read them."""
    if report.standing is None or github_actions.active(os.environ):
        return
    found = report.standing
    unchanged = found.report
    options = standing.BuildOptions(str(config_path), str(output) if output is not None else None, False, False)
    variables = [
        site.ping.indexnow_key_env,
        *([JEKYLL_ENV, *GEM_VARIABLES] if site.posts.generator == "jekyll" else []),
    ]
    files = [str(config_path), *map(str, found.state_files)]
    if site.timezone_is_local:  # the zone of the process dates the posts: where it comes from is read again
        variables.append("TZ")
        files += LOCAL_ZONE_FILES
    standing.remember(
        str(site.state_dir),
        standing.record_key(options, os.environ),
        files,
        {variable: os.environ.get(variable) for variable in variables},
        unchanged_since=read,
        written={**{str(file.path): file.digest for file in unchanged.files}, **dict(found.written)},
        skipped=found.skipped,
        paths=found.paths,
        listing=found.listing,
        since=found.since.timestamp() if found.since else None,
        until=found.until.timestamp() if found.until else None,
        dependencies=found.dependencies,
        stderr=[rejection_line(rejection) for rejection in unchanged.rejected],
        summary=summary_around_seconds(unchanged),
        report=json.dumps(unchanged.to_json(), ensure_ascii=False),
        exit_code=exit_code(unchanged),
    )


@main.command(name="ping")
@config_option
@click.option("--dry-run", is_flag=True, help="Send nothing; list what would be sent.")
@click.option(
    "--since",
    metavar="FILE_OR_URL",
    help="Without ping state (a fresh CI runner): take this published.json, a file or a URL on the site, as "
    "already announced.",
)
@wait_option
@quiet_option
@json_option
@reporting_errors
def ping_command(config_path: Path, dry_run: bool, since: str | None, wait: float, quiet: bool, as_json: bool) -> None:
    """Tell WebSub hubs, IndexNow and weblogUpdates services what the last build changed."""
    site = load_site(config_path)
    with site_lock(site, wait):
        report = ping_and_report(site, dry_run, quiet, as_json, since)
    sys.exit(0 if report.ok or dry_run else 3)


@main.command()
@config_option
@now_option()
@allow_shrink_option
@wait_option
@quiet_option
@reporting_errors
def publish(config_path: Path, now_text: str | None, allow_shrink: bool, wait: float, quiet: bool) -> None:
    """Build, then ping what that build changed (exit 3 when a notification failed and is kept)."""
    site = load_site(config_path)
    with site_lock(site, wait):  # one lock for both steps: another run must not slip in between
        built = build_and_report(site, now_text, quiet, as_json=False, allow_shrink=allow_shrink)
        pinged = ping_and_report(site, dry_run=False, quiet=quiet, as_json=False)
    sys.exit(3 if not pinged.ok else 1 if built.rejected else 0)


@main.command()
@click.option(
    "--from-jekyll",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Read a Jekyll site's _config.yml (jekyll-feed and jekyll-sitemap settings too).",
)
@click.option(
    "--from-hugo",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Read a Hugo site's hugo.toml, config.toml or hugo.yaml and its content folder.",
)
@click.option(
    "--plain",
    is_flag=True,
    help="The config for a _posts folder even where the folder is a Jekyll or Hugo site (refused otherwise).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("config.toml"),
    show_default=True,
    help="Where to write the new config (never overwritten).",
)
@quiet_option
@reporting_errors
def init(from_jekyll: Path | None, from_hugo: Path | None, plain: bool, config_path: Path, quiet: bool) -> None:
    """Write a commented config.toml: for a _posts folder, or migrated from a Jekyll or Hugo site."""
    from feedpub.tools.init import init_config

    if from_jekyll and from_hugo:
        raise ConfigError("--from-jekyll and --from-hugo: give one of them, not both")
    if plain and (from_jekyll or from_hugo):
        raise ConfigError("--plain and --from-jekyll or --from-hugo: give one of them, not both")
    init_config(config_path, from_jekyll=from_jekyll, from_hugo=from_hugo, environ=_gem_environment(), plain=plain)
    if not quiet:
        shown = display_path(config_path)
        say(f"feedpub: wrote {shown}; read its CHANGE/CHECK comments, then run `feedpub build --config {shown}`")


# Who wrote the files of an output folder that feedpub did not, by the site's generator (validate's warnings).
_OTHER_WRITERS = {"jekyll": "a file of Jekyll's", "hugo": "a file of Hugo's", "none": "a file of another tool's"}


@main.command()
@click.argument("folder", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--site",
    "site_dir",
    type=click.Path(path_type=Path, file_okay=False),
    help="The built site (Jekyll's _site/, Hugo's public/): every post URL in the outputs must be a file it serves.",
)
@config_option
@now_option("Dates after this are in the future (default: now).")
@quiet_option
@reporting_errors
def validate(folder: Path | None, site_dir: Path | None, config_path: Path, now_text: str | None, quiet: bool) -> None:
    """Check the written feeds and sitemaps offline (default FOLDER: the config's output folder).

    With --site, also check that the built site serves every post URL they link to (needs the config, for the
    site's URL). Prints each problem as `file: line: problem` and exits 1 when there is any. The problems of a file
    the last build did not write there (the generator's own, in Hugo's public/) are warnings, never counted.
    """
    from feedpub.tools.validate import by_writer, check_served, feedpubs_files, validate_folder

    site = load_site(config_path) if folder is None or site_dir is not None else None
    tz = site.timezone if site else ZoneInfo("UTC")
    folder = folder or (site.output_dir if site else None)
    assert folder is not None
    problems = validate_folder(folder, parse_now(now_text, tz))
    if site_dir is not None and site is not None:
        problems += check_served(folder, site_dir, site.uri)
    problems, others = by_writer(problems, feedpubs_files(site, folder) if site is not None else None)
    whose = _OTHER_WRITERS[site.posts.generator if site is not None else "none"]
    for problem in others:
        say(f"feedpub: warning: {problem.file} ({whose}, not feedpub's): {problem.line}: {problem.message}", err=True)
    for problem in problems:
        say(str(problem))
    if problems:
        say(f"feedpub: {count(len(problems), 'problem')} in {display_path(folder)}", err=True)
        sys.exit(1)
    if not quiet:
        beside = f"; {count(len(others), 'warning')} on files feedpub did not write, above" if others else ""
        say(f"feedpub: {display_path(folder)}: no problems found{beside}")


@main.command(name="config")
@click.option("--reference", is_flag=True, help="Print every setting (section.key) with its default and meaning.")
@click.option("--markdown", is_flag=True, help="With --reference: as the table in the user guide.")
@reporting_errors
def config_command(reference: bool, markdown: bool) -> None:
    """Print the configuration reference (`--reference`): every key config.toml may hold, and its default."""
    from feedpub import reference as keys

    if not reference:
        raise click.UsageError("say what to print: feedpub config --reference")
    say(keys.markdown() if markdown else keys.text(), nl=False)
