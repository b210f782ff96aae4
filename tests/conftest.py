"""Shared fixtures: small sites written into tmp_path, and the repository's own paths."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer

from feedpub.cli import main
from feedpub.config import load_config
from feedpub.models import ReadSettings
from feedpub.read import settings_for

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
NOW = datetime(2025, 1, 1, tzinfo=UTC)
EXAMPLE_SITE = REPO / "examples" / "site"
EXAMPLE_NOW = datetime(2025, 11, 21, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))  # the day after the newest example post


def feedpub_process(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own (`python -m feedpub`), as cron runs it."""
    return subprocess.run(
        [sys.executable, "-m", "feedpub", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


def build_imports(cwd: Path, modules: tuple[str, ...]) -> subprocess.CompletedProcess[str]:
    """`feedpub build --now 2025-01-01 --quiet` in a fresh interpreter in `cwd`; its stdout is the build's exit
    code and which of `modules` it imported (`0 []`: it ran and imported none)."""
    probe = (
        "import sys\nfrom feedpub.cli import main\n"
        "try:\n    main(['build', '--now', '2025-01-01', '--quiet'])\nexcept SystemExit as e:\n    code = e.code\n"
        f"print(code, [m for m in {modules!r} if m in sys.modules])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, env=env)


def run(*args: str | Path) -> Result:
    """Run the CLI in-process; exit codes and output as a user would see them."""
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def write_example_config(folder: Path, extra: str = "", site_url: str = "https://example.org/") -> Path:
    """A config.toml for the bundled example site, writing into folder/out; `extra` adds sections."""
    path = folder / "config.toml"
    path.write_text(
        f"""
[site]
url = "{site_url}"
title = "서울 생활 뉴스"
description = "서울의 생활 소식"
language = "ko"
timezone = "Asia/Seoul"
author = {{ name = "편집부", email = "editors@example.org" }}
static_dir = "{EXAMPLE_SITE}"

[posts]
dirs = ["{EXAMPLE_SITE / "_posts"}"]

[output]
dir = "out"
"""
        + extra,
        encoding="utf-8",
    )
    return path


@pytest.fixture
def example_config(tmp_path: Path) -> Path:
    """The example site's posts, built into tmp_path/out."""
    return write_example_config(tmp_path)


def write_config(folder: Path, posts_dir: Path | str = "_posts", extra: str = "", **site: str) -> Path:
    """Write a config.toml for a test site; `extra` is appended verbatim (further sections)."""
    site_lines = "\n".join(f"{key} = {value!r}".replace("'", '"') for key, value in site.items())
    text = textwrap.dedent(f"""\
        [site]
        url = "https://example.kr/"
        title = "테스트 사이트"
        description = "feedpub test site"
        language = "ko"
        timezone = "Asia/Seoul"
        static_dir = "."
        {site_lines}
        [posts]
        dirs = ["{posts_dir}"]
        [output]
        dir = "out"
        """) + textwrap.dedent(extra)
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def jekyll_read_settings(folder: Path) -> ReadSettings:
    """The read settings of an empty Jekyll site written into `folder`: kramdown's Markdown, Liquid, Jekyll's URLs."""
    (folder / "_config.yml").write_text("title: t\nurl: https://example.kr\n", encoding="utf-8")
    (folder / "_posts").mkdir()
    config = write_config(folder)
    text = config.read_text(encoding="utf-8").replace('dirs = ["_posts"]', 'dirs = ["_posts"]\ngenerator = "jekyll"')
    config.write_text(text, encoding="utf-8")
    return settings_for(load_config(config))


def goldmark_read_settings(folder: Path, **goldmark: bool) -> ReadSettings:
    """Read settings whose rules are the Hugo fixture shortcodes-markup's, with `goldmark` options set (unsafe,
    footnote, typographer…): Hugo's Markdown and shortcodes, for the scanners' property tests."""
    from feedpub.read.hugo import load_rules

    config = write_config(folder)
    # At the fixture's baseURL: reading stops where site.url is another address (config_files.check_site_url).
    text = config.read_text(encoding="utf-8").replace("https://example.kr/", "https://markup.example/")
    config.write_text(text, encoding="utf-8")
    site = load_config(config)
    rules = load_rules(REPO / "tests" / "sites" / "hugo" / "shortcodes-markup", site)
    options = dataclasses.replace(rules.config.goldmark, **goldmark)
    rules = dataclasses.replace(rules, config=dataclasses.replace(rules.config, goldmark=options))
    read_settings = site.read_settings()
    return dataclasses.replace(
        read_settings, rules=rules, posts=dataclasses.replace(read_settings.posts, templates="hugo")
    )


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs as outside GitHub Actions, even in a GitHub job: its workflow commands add output lines."""
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def _machine_zone_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's zone is UTC for every test, as for the Jekyll oracle (TZ=UTC): a build takes it for a site whose
    _config.yml names none (`timezone = "local"`). A test of another zone sets TZ itself."""
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture
def site_dir(tmp_path: Path) -> Path:
    """An empty site: config.toml and a _posts folder."""
    (tmp_path / "_posts").mkdir()
    write_config(tmp_path)
    return tmp_path


@pytest.fixture
def write_post(site_dir: Path) -> Callable[..., Path]:
    def write(name: str, front_matter: str, body: str = "<p>본문입니다.</p>") -> Path:
        path = site_dir / "_posts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{textwrap.dedent(front_matter).strip()}\n---\n{body}\n", encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def loopback() -> Iterator[HTTPServer]:
    # Our own instance rather than the plugin's: the plugin listens on "localhost", and it is not threaded.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(loopback: HTTPServer) -> HTTPServer:
    """A real HTTP server on 127.0.0.1, cleared for each test."""
    loopback.clear()
    return loopback
