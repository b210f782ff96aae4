"""`[ping] previous` and `ping --since`: a runner without ping state takes the previous published state as announced."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pinger_servers import raw_server, silent_server
from pytest_httpserver import HTTPServer

from feedpub.config import load_config
from feedpub.errors import ConfigError, PingError
from feedpub.publish import pinger
from feedpub.publish.pinger import fetch_previous
from tests.conftest import run, write_config


def _configure(site_dir: Path, site_url: str, hub: str) -> Path:
    config = site_dir / "config.toml"
    text = config.read_text(encoding="utf-8").replace('url = "https://example.kr/"', f'url = "{site_url}"')
    config.write_text(
        text + f'[ping]\nwebsub_hubs = ["{hub}"]\nprevious = "state/published.json"\ntimeout = 2\ndeadline = 5\n',
        encoding="utf-8",
    )
    return config


def _hub_topics(server: HTTPServer) -> int:
    return sum(request.path == "/hub" for request, _ in server.log)


def test_ping_since_a_file_sends_only_what_changed(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    server.expect_request("/hub", method="POST").respond_with_data("", status=204)
    server.expect_request("/state/published.json").respond_with_data("", status=404)
    config = _configure(site_dir, server.url_for("/"), server.url_for("/hub"))
    assert run("build", "--config", config, "--now", "2025-01-01", "--quiet").exit_code == 0
    served = site_dir / "out" / "state" / "published.json"
    assert served.read_bytes() == (site_dir / ".feedpub" / "published.json").read_bytes()
    previous = site_dir / "previous.json"
    previous.write_bytes(served.read_bytes())

    result = run("ping", "--config", config, "--since", previous)
    assert result.exit_code == 0, result.output
    assert _hub_topics(server) == 0  # everything published was announced already

    (site_dir / ".feedpub" / "state.db").unlink()
    result = run("ping", "--config", config)
    assert result.exit_code == 0, result.output
    assert _hub_topics(server) == 3  # no ping state and no previous state: first contact


@pytest.mark.parametrize(
    ("folder", "encoded"), [("/", "/"), ("/뉴스/", "/%EB%89%B4%EC%8A%A4/")], ids=["root", "hangul"]
)
def test_build_on_a_fresh_runner_keeps_the_live_state_and_ping_uses_it_once(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer, folder: str, encoded: str
) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    server.expect_request("/hub", method="POST").respond_with_data("", status=204)
    config = _configure(site_dir, server.url_for(folder), server.url_for("/hub"))
    assert run("build", "--config", config, "--now", "2025-01-01", "--quiet").exit_code == 0
    live = (site_dir / "out" / "state" / "published.json").read_bytes()
    server.expect_request(f"{folder}state/published.json").respond_with_data(live, content_type="application/json")
    for name in ("state.db", "cache.db", "published.json", "outputs.json"):
        (site_dir / ".feedpub" / name).unlink(missing_ok=True)

    result = run("build", "--config", config, "--now", "2025-01-01")
    assert result.exit_code == 0 and "warning" not in result.stderr, result.output
    assert (site_dir / ".feedpub" / "previous.json").read_bytes() == live
    request, _ = server.log[-1]
    # A header is Latin-1 at most: a site under a Hangul folder is named by its URI, as the feeds name it.
    assert request.headers["User-Agent"].endswith(f" (+{server.url_for(encoded)})")

    assert run("ping", "--config", config).exit_code == 0
    assert _hub_topics(server) == 0
    assert not (site_dir / ".feedpub" / "previous.json").exists()  # the ping state holds it now


def test_ping_since_the_uri_or_iri_of_a_site_under_a_hangul_folder(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    server.expect_request("/hub", method="POST").respond_with_data("", status=204)
    config = _configure(site_dir, server.url_for("/뉴스/"), server.url_for("/hub"))
    assert run("build", "--config", config, "--now", "2025-01-01", "--quiet").exit_code == 0
    live = (site_dir / "out" / "state" / "published.json").read_bytes()
    server.expect_request("/뉴스/state/published.json").respond_with_data(live, content_type="application/json")

    for since in ("/%EB%89%B4%EC%8A%A4/state/published.json", "/뉴스/state/published.json"):
        (site_dir / ".feedpub" / "state.db").unlink(missing_ok=True)
        result = run("ping", "--config", config, "--since", server.url_for(since))
        assert result.exit_code == 0, result.output
        assert _hub_topics(server) == 0  # all of it announced before
    (site_dir / ".feedpub" / "state.db").unlink()
    assert run("ping", "--config", config).exit_code == 0
    hub = [request for request, _ in server.log if request.path == "/hub"]
    assert len(hub) == 3  # first contact: the ping that crashed on the site's own URL in its User-Agent
    assert hub[0].headers["User-Agent"].endswith(f" (+{server.url_for('/%EB%89%B4%EC%8A%A4/')})")


def test_an_unreachable_previous_state_is_a_warning_not_a_failed_build(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    server.expect_request("/state/published.json").respond_with_data("nope", status=500)
    config = _configure(site_dir, server.url_for("/"), server.url_for("/hub"))
    result = run("build", "--config", config, "--now", "2025-01-01", "--quiet")
    assert result.exit_code == 0, result.output
    assert "HTTP 500" in result.stderr and "announces as on first contact" in result.stderr
    assert not (site_dir / ".feedpub" / "previous.json").exists()


def test_previous_state_is_read_only_from_the_site_and_only_so_much(
    site_dir: Path, server: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = load_config(_configure(site_dir, server.url_for("/"), server.url_for("/hub")))
    with pytest.raises(ConfigError, match="not on the site"):
        fetch_previous(site, "http://127.0.0.2:1/published.json")
    # A smaller cap than the real 64 MiB: serving that much in-process would leave this test process large, and
    # the processes later tests fork would start with its peak memory (tests/hostile.py measures theirs).
    monkeypatch.setattr(pinger, "PREVIOUS_BYTES", 1000)
    server.expect_request("/big.json").respond_with_data(b" " * 1001)
    with pytest.raises(PingError, match="larger than 1,000 bytes"):
        fetch_previous(site, server.url_for("/big.json"))
    server.expect_request("/fits.json").respond_with_data(b" " * 1000)
    assert fetch_previous(site, server.url_for("/fits.json")) == b" " * 1000


def test_a_previous_state_that_stalls_or_breaks_off_is_said_in_one_plain_line(site_dir: Path) -> None:
    """A live site that never answered was warned of in urllib3's words: "HTTPConnectionPool(host='…', port=…):
    Read timed out. (read timeout=3.0)"; now what, where, and after how long."""
    with silent_server() as hanging:
        site_url = hanging.removesuffix("hub")
        site = load_config(_configure(site_dir, site_url, hanging))
        with pytest.raises(PingError) as stalled:
            fetch_previous(site, f"{site_url}published.json")
    assert str(stalled.value) == f"{site_url}published.json: no answer within 2 s (ping.timeout)"
    write_config(site_dir)
    with raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n[{") as cut:
        site_url = cut.removesuffix("hub")
        site = load_config(_configure(site_dir, site_url, cut))
        with pytest.raises(PingError) as broken:
            fetch_previous(site, f"{site_url}published.json")
    assert str(broken.value) == (
        f"{site_url}published.json: HTTP 200 OK, but the reply broke off after 2 of 1,000 bytes (the connection closed)"
    )


def test_a_previous_state_nested_past_the_parsers_depth_is_announced_as_on_first_contact(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    """A live site serving 2 KB of `[[[[…` as its published state: a RecursionError stopped every CI build before
    it wrote anything (so the bad file was never replaced), and `ping --since` the same way."""
    write_post("2024-01-02-hello.md", "title: 안녕")
    nested = b"[" * 5000
    server.expect_request("/state/published.json").respond_with_data(nested, content_type="application/json")
    config = _configure(site_dir, server.url_for("/"), server.url_for("/hub"))
    result = run("build", "--config", config, "--now", "2025-01-01", "--quiet")
    assert result.exit_code == 0, result.output
    assert "nested too deep" in result.stderr and "announces as on first contact" in result.stderr
    assert not (site_dir / ".feedpub" / "previous.json").exists()

    since = site_dir / "nest.json"
    since.write_bytes(nested)
    result = run("ping", "--config", config, "--since", since, "--dry-run")
    assert result.exit_code == 2
    assert "not a published state written by feedpub build (nested too deep)" in result.stderr
