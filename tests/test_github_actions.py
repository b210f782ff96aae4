"""Under GitHub Actions (GITHUB_ACTIONS=true): rejected posts and warnings as workflow commands, a job summary."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from feedpub.cli import main
from feedpub.github_actions import command, escape_data, escape_property
from tests.conftest import NOW


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("%3A", "%253A", "%253A"),  # an escape in the text is escaped itself, not taken for one
    ],
    ids=["plain", "percent", "line-breaks", "colon-comma", "escape-like"],
)
def test_escaping_follows_githubs_rules(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_command_puts_file_and_line_in_properties() -> None:
    assert (
        command("error", "bad: x\ny", file="_posts/a,b.md", line=3) == "::error file=_posts/a%2Cb.md,line=3::bad: x%0Ay"
    )
    assert command("warning", "50%") == "::warning::50%25"


def _build(site: Path, environ: dict[str, str], *args: str) -> Result:
    runner = CliRunner(env=environ)
    config = str(site / "config.toml")
    return runner.invoke(main, ["build", "--config", config, "--now", NOW.isoformat(), *args], catch_exceptions=False)


@pytest.fixture
def bad_site(site_dir: Path, write_post: Callable[..., Path]) -> Path:
    write_post("2024-01-01-good.md", "title: 좋은 글")
    # A YAML error on the file's third line, in a file whose name holds a comma and a colon.
    (site_dir / "_posts" / "2024-01-02-a,b:c.md").write_text("---\ntitle: ok\nbad: x: y\n---\nbody\n", encoding="utf-8")
    undated = write_post("undated.md", "title: 날짜 없는 글")
    os.utime(undated, (NOW.timestamp() - 86400, NOW.timestamp() - 86400))  # dated by its file's time: before NOW
    return site_dir


def test_rejections_and_new_dates_are_annotated_under_github_actions(bad_site: Path) -> None:
    summary = bad_site / "summary.md"
    environ = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(bad_site), "GITHUB_STEP_SUMMARY": str(summary)}
    result = _build(bad_site, environ, "--json")
    assert result.exit_code == 1, result.output
    commands = [line for line in result.stderr.splitlines() if line.startswith("::")]
    assert commands[0].startswith("::error file=_posts/2024-01-02-a%2Cb%3Ac.md,line=3::front matter is not valid YAML")
    assert commands[1].startswith("::warning file=_posts/undated.md::no date; published as ")
    assert commands[2].startswith("::warning file=feedpub-dates.txt::1 new date(s) were recorded")
    assert len(commands) == 3
    report = json.loads(result.stdout)  # the commands went to stderr: stdout is still one JSON object
    assert report["rejected"][0]["line"] == 3
    text = summary.read_text(encoding="utf-8")
    assert "| `_posts/2024-01-02-a,b:c.md` line 3 | front matter is not valid YAML" in text
    assert "#### New dates (commit `feedpub-dates.txt`)" in text


def test_nothing_changes_outside_github_actions(bad_site: Path) -> None:
    summary = bad_site / "summary.md"
    for environ in ({}, {"GITHUB_ACTIONS": "false", "GITHUB_STEP_SUMMARY": str(summary)}, {"CI": "true"}):
        result = _build(bad_site, environ, "--no-cache")
        assert result.exit_code == 1, result.output
        assert not [line for line in result.output.splitlines() if line.startswith("::")], environ
        assert not summary.exists()
    assert "_posts/2024-01-02-a,b:c.md: front matter is not valid YAML" in result.stderr


def test_a_warning_about_a_file_names_it(site_dir: Path, write_post: Callable[..., Path]) -> None:
    (site_dir / "config.toml").write_text(
        (site_dir / "config.toml").read_text(encoding="utf-8") + "[feeds]\ntags = true\nmax_terms_per_post = 1\n",
        encoding="utf-8",
    )
    write_post("2024-01-01-tags.md", "title: 태그\ntags: [a, b]")
    result = _build(site_dir, {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(site_dir)})
    assert result.exit_code == 0, result.output
    assert "::warning file=_posts/2024-01-01-tags.md::2 tags; only the first 1 are used" in result.stderr
