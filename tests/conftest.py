"""Shared fixtures: small sites written into tmp_path, and the repository's own paths."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
NOW = datetime(2025, 1, 1, tzinfo=UTC)


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
