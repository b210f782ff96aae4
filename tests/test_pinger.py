"""The pinger against real servers on 127.0.0.1: request bytes, only-changed state, failures, deadline."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import xmlrpc.client
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pinger_servers import closed_port, raw_server, replies, silent_server, trickling_server, weblog_server
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import feedpub
from feedpub.errors import ConfigError, OutputError
from feedpub.models import (
    PAGE_FINGERPRINT_SCHEME,
    FeedRef,
    PageRef,
    PingSettings,
    Post,
    PostsSettings,
    Published,
    Site,
)
from feedpub.publish.pinger import PingReport, PingResult, ping
from feedpub.publish.served import check_indexnow_key, indexnow_key_file, robots_txt
from feedpub.state.published import parse_published, patch_published, published_chunks, published_json

SITE = "https://example.kr/"
KEY = "0123456789abcdef-KEY"
NO_CONTENT = Response(status=204)


def make_site(tmp_path: Path, **ping_settings: Any) -> Site:
    """A site whose last build wrote the IndexNow key file, as a build with the key set does."""
    settings = {"timeout": 2.0, "deadline": 10.0, **ping_settings}
    (tmp_path / "out").mkdir(exist_ok=True)
    (tmp_path / "out" / f"{KEY}.txt").write_text(KEY, encoding="utf-8")
    return Site(
        url=SITE,
        title="예제 블로그",
        output_dir=tmp_path / "out",
        static_dir=tmp_path / "static",
        state_dir=tmp_path / ".feedpub",
        posts=PostsSettings(dirs=(tmp_path / "_posts",)),
        ping=PingSettings(**settings),
    )


def build(pages: Mapping[str, str] | None = None, rss: str = "r1", atom: str = "a1") -> Published:
    """Return what one build published: `pages` maps paths (newest first) to fingerprints."""
    return Published(
        site_url=SITE,
        feeds=(FeedRef(f"{SITE}rss.xml", rss), FeedRef(f"{SITE}atom.xml", atom)),
        pages=tuple(PageRef(url if "://" in url else SITE + url, fp) for url, fp in (pages or {}).items()),
        sitemap_url=f"{SITE}sitemap.xml",
    )


def run(site: Site, published: Published, tmp_path: Path, key: str | None = KEY, **options: Any) -> PingReport:
    return ping(site, published, state_path=tmp_path / ".feedpub" / "state.db", key=key, **options)


def only(report: PingReport) -> PingResult:
    (result,) = report.results
    return result


def bodies(server: HTTPServer) -> list[bytes]:
    return [request.get_data() for request, _ in server.log]


def submitted(server: HTTPServer) -> list[list[str]]:
    return [json.loads(body)["urlList"] for body in bodies(server)]


def http_date(timestamp: float) -> str:
    return format_datetime(datetime.fromtimestamp(timestamp, UTC), usegmt=True)


def form(feed: str) -> bytes:
    return f"hub.mode=publish&hub.url={feed.replace(':', '%3A').replace('/', '%2F')}".encode()


# --- WebSub -----------------------------------------------------------------------------------------


def test_websub_posts_one_publish_form_per_feed_with_our_user_agent(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub", method="POST").respond_with_response(NO_CONTENT)
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))

    result = only(run(site, build(), tmp_path))

    assert result == PingResult(
        server.url_for("/hub"), "websub", True, 2, "announced 2 feed(s)", (f"{SITE}rss.xml", f"{SITE}atom.xml")
    )
    assert bodies(server) == [form(f"{SITE}rss.xml"), form(f"{SITE}atom.xml")]
    for request, _ in server.log:
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        assert request.headers["User-Agent"].startswith("feedpub/")
        assert request.headers["User-Agent"].endswith(" (+https://example.kr/)")


def test_the_user_agent_names_an_idn_site_by_its_uri(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub", method="POST").respond_with_response(NO_CONTENT)
    site = replace(make_site(tmp_path, websub_hubs=(server.url_for("/hub"),)), url="https://뉴스.한국/기사/")

    assert only(run(site, build(), tmp_path)).ok  # not an internal error: a header is Latin-1 at most
    for request, _ in server.log:
        assert request.headers["User-Agent"].endswith(" (+https://xn--vg1b002a.xn--3e0b707e/%EA%B8%B0%EC%82%AC/)")


def test_websub_pings_only_feeds_whose_digest_changed(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub").respond_with_response(NO_CONTENT)
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))
    run(site, build(), tmp_path)
    server.clear_log()

    assert only(run(site, build(), tmp_path)).detail == "nothing changed"
    assert server.log == []

    assert only(run(site, build(rss="r2"), tmp_path)).sent == 1
    assert bodies(server) == [form(f"{SITE}rss.xml")]


def test_websub_failure_of_second_feed_leaves_only_it_owed(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub", data=form(f"{SITE}rss.xml")).respond_with_response(NO_CONTENT)
    server.expect_request("/hub", data=form(f"{SITE}atom.xml")).respond_with_data("no such topic", status=400)
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))

    result = only(run(site, build(), tmp_path))
    assert (result.ok, result.sent) == (False, 1)
    assert result.detail == f"{SITE}atom.xml: HTTP 400 BAD REQUEST (1 of 2 delivered)"

    server.clear()
    server.expect_request("/hub").respond_with_response(NO_CONTENT)
    assert only(run(site, build(), tmp_path)).ok
    assert bodies(server) == [form(f"{SITE}atom.xml")]


# --- IndexNow ---------------------------------------------------------------------------------------


def test_indexnow_posts_json_batch_of_on_host_urls(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/indexnow", method="POST").respond_with_data("", status=200)
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"))
    pages = {"b/": "1", "https://cdn.example.com/elsewhere": "1", "a/%ED%95%9C/": "1"}

    result = only(run(site, build(pages), tmp_path))

    assert (result.ok, result.sent, result.detail) == (True, 3, "submitted 3 URL(s)")
    (request, _) = server.log[0]
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(request.get_data()) == {
        "host": "example.kr",
        "key": KEY,
        "keyLocation": f"https://example.kr/{KEY}.txt",
        "urlList": [SITE, f"{SITE}b/", f"{SITE}a/%ED%95%9C/"],
    }


def test_indexnow_first_contact_sends_home_and_newest_20_then_only_changes(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/indexnow").respond_with_data("", status=202)
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"))
    pages = {f"p{n}/": "v1" for n in range(50, 0, -1)}  # p50 is the newest

    first = only(run(site, build(pages), tmp_path))
    assert first.detail == "submitted 21 URL(s) (202: key not verified yet)"
    assert submitted(server) == [[SITE, *(f"{SITE}p{n}/" for n in range(50, 30, -1))]]

    server.clear_log()
    assert only(run(site, build(pages), tmp_path)).sent == 0
    assert server.log == []

    # A new page, an edit of a page only ever known as baseline, and a deletion.
    pages = {"p51/": "v1", **pages, "p3/": "v2"}
    del pages["p7/"]
    assert only(run(site, build(pages), tmp_path)).sent == 3
    assert submitted(server) == [[f"{SITE}p51/", f"{SITE}p3/", f"{SITE}p7/"]]

    server.clear_log()
    assert only(run(site, build(pages), tmp_path)).detail == "nothing changed"
    assert server.log == []


def test_indexnow_carries_known_pages_over_a_new_fingerprint_scheme(server: HTTPServer, tmp_path: Path) -> None:
    """After an upgrade that fingerprints pages differently, only new and deleted pages are submitted."""
    server.expect_request("/indexnow").respond_with_data("", status=200)
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"))
    first = {f"p{n}/": f"{n:032x}" for n in (3, 2, 1)}  # the first fingerprints had no scheme
    run(site, build(first), tmp_path)
    server.clear_log()

    upgraded = {"p4/": "2:aa", "p3/": "2:bb", "p2/": "2:cc"}  # p4 is new, p1 was deleted
    assert only(run(site, build(upgraded), tmp_path)).sent == 2
    assert submitted(server) == [[f"{SITE}p4/", f"{SITE}p1/"]]

    server.clear_log()
    assert only(run(site, build(upgraded), tmp_path)).detail == "nothing changed"
    upgraded["p2/"] = "2:dd"  # an edit under the new scheme is an edit again
    run(site, build(upgraded), tmp_path)
    assert submitted(server) == [[f"{SITE}p2/"]]


def test_page_fingerprints_name_their_scheme() -> None:
    when = datetime(2024, 1, 1, tzinfo=UTC)
    post = Post(source="a.md", url=f"{SITE}a/", title="글", published=when, body="x")
    assert post.fingerprint.startswith(f"{PAGE_FINGERPRINT_SCHEME}:") and len(post.fingerprint) > 30


def test_published_json_is_the_json_of_every_page_however_many() -> None:
    # Written a batch of pages at a time: the batches' seams, escapes and non-ASCII must not show in the bytes.
    pages = {f'글/{n}/"q"\\\u2028/': f"fp{n}" for n in range(25_001)}
    published = build(pages)
    expected = {
        "site_url": published.site_url,
        "feeds": [{"url": f.url, "digest": f.digest} for f in published.feeds],
        "pages": [{"url": p.url, "fingerprint": p.fingerprint} for p in published.pages],
        "sitemap_url": published.sitemap_url,
    }
    assert published_json(published) == json.dumps(expected).encode()
    assert parse_published(published_json(published)) == published
    assert published_json(build()) == json.dumps({**expected, "pages": []}).encode()
    # Made a few pages at a time, for the writer to stream: never the whole file's bytes at once.
    assert max(map(len, published_chunks(published))) < len(published_json(published)) // 2


_FINGERPRINTS = st.text(alphabet="0123456789abcdef:", min_size=1, max_size=6)


@given(
    paths=st.dictionaries(st.text(st.characters(codec="utf-8"), max_size=8), _FINGERPRINTS, max_size=12),
    edits=st.lists(st.tuples(st.integers(0, 11), _FINGERPRINTS), max_size=4),
    rss=st.sampled_from(["r1", "r2"]),
)
def test_published_json_patched_is_published_json_of_the_patched_record(
    paths: dict[str, str], edits: list[tuple[int, str]], rss: str
) -> None:
    """The partial build patches published.json's bytes (feeds' digests, some pages' fingerprints): the bytes must
    be those published_json writes of the record so changed, and a page that has not the fingerprint it should
    have makes the patch refuse."""
    pages = {f"{SITE}{path}": fingerprint for path, fingerprint in paths.items()}
    urls = list(pages)
    changes = {urls[n]: new for n, new in edits if n < len(urls)}
    written = published_json(build(pages))

    patched = patch_published(
        written,
        {f"{SITE}rss.xml": rss, f"{SITE}nowhere.xml": "x"},  # a feed the record has not is not added
        {url: (pages[url], new) for url, new in changes.items()} | {f"{SITE}\u0000absent": ("fp", "x")},
    )

    assert patched == published_json(build(pages | changes, rss=rss))
    for url in changes:
        assert patch_published(written, {}, {url: (pages[url] + "!", "x")}) is None


def test_indexnow_splits_more_than_10000_urls_into_batches(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/indexnow").respond_with_data("", status=200)
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"))
    run(site, build(), tmp_path)  # first contact: the home page alone
    server.clear_log()

    pages = {f"p{n}/": "v1" for n in range(10_005)}
    result = only(run(site, build(pages), tmp_path))

    assert (result.ok, result.sent) == (True, 10_005)
    assert [len(urls) for urls in submitted(server)] == [10_000, 5]
    assert submitted(server)[1][-1] == f"{SITE}p10004/"


@pytest.mark.parametrize(
    ("status", "cause"),
    [
        (400, "bad request format"),
        (403, f"key not valid: https://example.kr/{KEY}.txt is missing"),
        (422, "URLs not on host example.kr"),
    ],
    ids=["bad-format", "key-file-missing", "foreign-urls"],
)
def test_indexnow_refusal_names_cause_is_not_retried_and_stays_owed(
    server: HTTPServer, tmp_path: Path, status: int, cause: str
) -> None:
    server.expect_request("/indexnow").respond_with_data("", status=status)
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"))

    result = only(run(site, build({"a/": "1"}), tmp_path))

    assert not result.ok
    assert result.detail.startswith(f"HTTP {status} ")
    assert cause in result.detail
    assert len(server.log) == 1

    server.clear()
    server.expect_request("/indexnow").respond_with_data("", status=200)
    assert only(run(site, build({"a/": "1"}), tmp_path)).ok
    assert submitted(server) == [[SITE, f"{SITE}a/"]]


@pytest.mark.parametrize("key_file", [None, "another-key-0123"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_indexnow_is_not_told_of_a_key_file_the_site_does_not_serve(
    server: HTTPServer, tmp_path: Path, key_file: str | None, dry_run: bool
) -> None:
    """A build run without the key writes no key file, yet `ping` with the key set sent keyLocation to a 404: the
    endpoint answers 202 before it checks, every URL was taken as delivered and never sent again."""
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"))
    (tmp_path / "out" / f"{KEY}.txt").unlink()
    if key_file is not None:
        (tmp_path / "out" / f"{KEY}.txt").write_text(key_file, encoding="utf-8")
    server.expect_request("/indexnow").respond_with_data("", status=202)

    result = only(run(site, build({"a/": "1"}), tmp_path, dry_run=dry_run))

    assert not result.ok
    assert f"{KEY}.txt is not in" in result.detail and "FEEDPUB_INDEXNOW_KEY" in result.detail
    assert server.log == []
    (tmp_path / "out" / f"{KEY}.txt").write_text(KEY, encoding="utf-8")
    if not dry_run:
        assert only(run(site, build({"a/": "1"}), tmp_path)).ok  # still owed, sent once the file is served
        assert submitted(server) == [[SITE, f"{SITE}a/"]]


def test_indexnow_without_key_fails_naming_the_variable(server: HTTPServer, tmp_path: Path) -> None:
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"), indexnow_key_env="MY_KEY")

    result = only(run(site, build(), tmp_path, key=None))

    assert not result.ok
    assert "MY_KEY" in result.detail
    assert server.log == []


# --- XML-RPC weblogUpdates and URL templates --------------------------------------------------------


def test_xmlrpc_sends_extended_ping_with_site_newest_page_and_feed(server: HTTPServer, tmp_path: Path) -> None:
    calls: list[tuple[tuple[Any, ...], str | None]] = []

    def weblog(request: Request) -> Response:
        calls.append(xmlrpc.client.loads(request.get_data()))
        reply = xmlrpc.client.dumps(({"flerror": False, "message": "Thanks for the ping."},), methodresponse=True)
        return Response(reply, content_type="text/xml")

    server.expect_request("/RPC2", method="POST").respond_with_handler(weblog)
    site = make_site(tmp_path, xmlrpc=(server.url_for("/RPC2"),))

    result = only(run(site, build({"new/": "1", "old/": "1"}), tmp_path))

    assert (result.ok, result.sent, result.detail) == (True, 1, "extendedPing accepted: Thanks for the ping.")
    assert calls == [(("예제 블로그", SITE, f"{SITE}new/", f"{SITE}rss.xml"), "weblogUpdates.extendedPing")]
    (request, _) = server.log[0]
    assert request.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert request.headers["User-Agent"].startswith("feedpub/")

    server.clear_log()
    assert only(run(site, build({"new/": "2"}), tmp_path)).detail == "nothing changed"
    assert server.log == []


def test_xmlrpc_falls_back_to_ping_on_fault(tmp_path: Path) -> None:
    calls: list[tuple[str, ...]] = []

    def extended_ping(*args: str) -> dict[str, Any]:
        raise xmlrpc.client.Fault(-32601, "method not supported")

    def simple_ping(*args: str) -> dict[str, Any]:
        calls.append(args)
        return {"flerror": False, "message": "ok"}

    with weblog_server(extendedPing=extended_ping, ping=simple_ping) as url:
        result = only(run(make_site(tmp_path, xmlrpc=(url,)), build(), tmp_path))

    assert (result.ok, result.detail) == (True, "ping accepted: ok")
    assert calls == [("예제 블로그", SITE)]


def test_xmlrpc_flerror_fails_and_is_resent_once_accepted(tmp_path: Path) -> None:
    answers = iter([{"flerror": True, "message": "Slow down"}, {"flerror": False, "message": "ok"}])

    def extended_ping(*args: str) -> dict[str, Any]:
        return next(answers)

    with weblog_server(extendedPing=extended_ping) as url:
        site = make_site(tmp_path, xmlrpc=(url,))
        failed = only(run(site, build(), tmp_path))
        retried = only(run(site, build(), tmp_path))
        idle = only(run(site, build(), tmp_path))

    assert (failed.ok, failed.detail) == (False, "extendedPing refused: Slow down")
    assert (retried.ok, idle.detail) == (True, "nothing changed")


@pytest.mark.parametrize(
    "body",
    [b"<html><body><h1>502 Bad Gateway</h1></body></html>", b"<<< not xml", b"", b"\xff\xfe garbage"],
    ids=["html-page", "not-xml", "empty", "binary"],
)
def test_xmlrpc_malformed_reply_is_a_one_line_failure(server: HTTPServer, tmp_path: Path, body: bytes) -> None:
    server.expect_request("/RPC2").respond_with_data(body, content_type="text/html")
    site = make_site(tmp_path, xmlrpc=(server.url_for("/RPC2"),))

    result = only(run(site, build(), tmp_path))

    assert not result.ok
    assert result.detail.startswith("malformed XML-RPC reply")
    assert "\n" not in result.detail


def test_url_template_is_filled_with_quoted_urls_and_sent_once_per_change(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/ping", method="GET").respond_with_data("ok")
    template = server.url_for("/ping") + "?feed={feed}&map={sitemap}&site={site}"
    site = make_site(tmp_path, urls=(template,))

    result = only(run(site, build(), tmp_path))
    only(run(site, build(), tmp_path))

    assert (result.ok, result.sent, result.detail) == (True, 1, "HTTP 200 OK")
    ((request, _),) = server.log
    assert request.query_string == (
        b"feed=https%3A%2F%2Fexample.kr%2Frss.xml&map=https%3A%2F%2Fexample.kr%2Fsitemap.xml"
        b"&site=https%3A%2F%2Fexample.kr%2F"
    )
    assert parse_qs(request.query_string.decode())["feed"] == [f"{SITE}rss.xml"]


# --- Failures, retries, deadline ----------------------------------------------------------------------


def test_server_error_is_retried_then_delivered(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub").respond_with_handler(replies(Response(status=500), NO_CONTENT))
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))

    result = only(run(site, build(), tmp_path))

    assert (result.ok, result.sent) == (True, 2)
    assert bodies(server) == [form(f"{SITE}rss.xml"), form(f"{SITE}rss.xml"), form(f"{SITE}atom.xml")]


def test_persistent_server_error_stays_owed_until_fixed(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub").respond_with_data("<html>oops</html>", status=500)
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))

    result = only(run(site, build(), tmp_path))

    assert (result.ok, result.sent) == (False, 0)
    assert result.detail == "HTTP 500 INTERNAL SERVER ERROR after 3 attempts"
    assert len(server.log) == 3

    server.clear()
    server.expect_request("/hub").respond_with_response(NO_CONTENT)
    assert only(run(site, build(), tmp_path)).sent == 2


@pytest.mark.parametrize("kind", ["seconds", "http-date"])
def test_429_waits_for_retry_after(server: HTTPServer, tmp_path: Path, kind: str) -> None:
    # An HTTP-date has whole seconds: two seconds ahead is one to two seconds away.
    headers = {"Retry-After": "1" if kind == "seconds" else http_date(time.time() + 2)}
    server.expect_request("/indexnow").respond_with_handler(
        replies(Response(status=429, headers=headers), Response(status=200))
    )
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"))

    started = time.monotonic()
    result = only(run(site, build(), tmp_path))

    assert result.ok
    assert len(server.log) == 2
    assert 0.9 <= time.monotonic() - started < 4


def test_retry_after_beyond_deadline_gives_up_at_once_and_stays_owed(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/indexnow").respond_with_data("", status=503, headers={"Retry-After": "3600"})
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"), deadline=5.0)

    started = time.monotonic()
    result = only(run(site, build(), tmp_path))

    assert time.monotonic() - started < 2
    assert result.detail == "HTTP 503 SERVICE UNAVAILABLE; retrying in 3.6e+03 s would pass the deadline"
    assert only(run(site, build(), tmp_path, dry_run=True)).planned == (SITE,)


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry-After": "\u00b2"},
        {"Retry-After": "Mon, 01 Jan 99999999999999999999 00:00:00 GMT"},
        {"Retry-After": "Mon, 01 Jan 2024 00:00:00 -99999999999999999999999"},
    ],
    ids=["superscript", "year-overflow", "zone-overflow"],
)
def test_a_retry_after_of_a_superscript_digit_is_no_delay(
    headers: dict[str, str], server: HTTPServer, tmp_path: Path
) -> None:
    """`Retry-After: ²` ("\\xb2" in Latin-1) passed str.isdigit and stopped the whole run in float() (exit 70), the
    other targets' results unprinted, and an HTTP date whose year or zone overflows a C long did the same: each is
    a reply without a usable delay."""
    server.expect_request("/hub").respond_with_data("", status=503, headers=headers)
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))

    result = only(run(site, build(), tmp_path))

    assert (result.ok, result.detail) == (False, "HTTP 503 SERVICE UNAVAILABLE after 3 attempts")


def test_a_servers_date_that_overflows_is_no_date(tmp_path: Path) -> None:
    """The server's own Date, which a Retry-After date is measured against: one whose year overflows a C long
    stopped the run (exit 70); the delay is then measured against this machine's clock."""
    reply = (
        b"HTTP/1.1 503 Busy\r\nRetry-After: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
        b"Date: Mon, 01 Jan 99999999999999999999 00:00:00 GMT\r\nContent-Length: 0\r\n\r\n"
    )
    with raw_server(reply) as hub:
        site = make_site(tmp_path, websub_hubs=(hub,))
        result = only(run(site, build(), tmp_path))

    assert (result.ok, result.detail) == (False, "HTTP 503 Busy after 3 attempts")


CUT_OFF = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nabc"  # then the connection closes


def test_a_2xx_whose_body_breaks_off_is_delivered(tmp_path: Path) -> None:
    """A hub answering "200 OK" and closing mid-body: the ping failed with requests' "('Connection broken:
    IncompleteRead(3 bytes read, 997 more expected)', …)", the other feeds were never sent, and every run sent
    the first again. The status is the hub's answer; its body is not read for anything."""
    with raw_server(CUT_OFF) as hub:
        site = make_site(tmp_path, websub_hubs=(hub,), urls=(hub + "?feed={feed}",))
        report = run(site, build(), tmp_path)
        again = run(site, build(), tmp_path)

    assert [(r.ok, r.sent) for r in report.results] == [(True, 2), (True, 1)]
    assert [r.detail for r in again.results] == ["nothing changed", "nothing changed"]


@pytest.mark.parametrize(
    ("reply", "detail"),
    [
        (CUT_OFF, "HTTP 200 OK, but the reply broke off after 3 of 1,000 bytes (the connection closed)"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot gzip!",
            "HTTP 200 OK, but the reply's body does not decode as its Content-Encoding (gzip) says",
        ),
    ],
    ids=["cut", "undecodable"],
)
def test_an_xmlrpc_answer_not_read_whole_fails_in_one_line(tmp_path: Path, reply: bytes, detail: str) -> None:
    """weblogUpdates answers in the body: one not read whole stays a failure, said in words."""
    with raw_server(reply) as server:
        site = make_site(tmp_path, xmlrpc=(server,))
        result = only(run(site, build(), tmp_path))

    assert (result.ok, result.detail) == (False, detail)


def test_a_servers_control_characters_reach_no_terminal(tmp_path: Path) -> None:
    """A hub's reason holding `ESC ] 0 ;` set the terminal's title from the report (OSC escapes pass click)."""
    reply = b"HTTP/1.1 301 Moved \x1b]0;pwned\x07\r\nLocation: http://x/\r\nContent-Length: 0\r\n\r\n"
    with raw_server(reply) as hub:
        site = make_site(tmp_path, websub_hubs=(hub,))
        result = only(run(site, build(), tmp_path))

    assert "HTTP 301 Moved ]0;pwned (moved to http://x/" in result.detail
    assert result.detail.isprintable()


def test_one_line_keeps_the_characters_words_need() -> None:
    """Only controls and bidirectional overrides go: a joiner in an emoji, a non-joiner in Persian stay."""
    from feedpub.errors import one_line

    assert (
        one_line("a\x1b]0;x\x07 \u202eb\u202c 👨\u200d👩 نمی\u200cخواهم\t한") == "a]0;x b 👨\u200d👩 نمی\u200cخواهم 한"
    )


def test_a_redirects_location_is_cut_to_a_line(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub").respond_with_data("", status=301, headers={"Location": "http://x/" + "a" * 60_000})
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))

    result = only(run(site, build(), tmp_path))

    assert not result.ok
    assert "HTTP 301 MOVED PERMANENTLY (moved to http://x/aaa" in result.detail
    assert len(result.detail) < 1_000  # one line a feed, not 60 KB


def test_refused_connection_fails_one_target_and_not_the_others(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub").respond_with_response(NO_CONTENT)
    with closed_port() as refusing:
        site = make_site(tmp_path, websub_hubs=(refusing, server.url_for("/hub")))
        refused, delivered = run(site, build(), tmp_path).results

    assert (refused.ok, refused.detail) == (False, "connection failed: Connection refused after 3 attempts")
    assert (delivered.ok, delivered.sent) == (True, 2)


def test_hanging_server_times_out_after_the_timeout(tmp_path: Path) -> None:
    with silent_server() as hanging:
        site = make_site(tmp_path, websub_hubs=(hanging,), timeout=0.5)
        started = time.monotonic()
        result = only(run(site, build(), tmp_path))

    assert time.monotonic() - started < 0.5 + 3
    assert (result.ok, result.detail) == (False, "no reply within 0.5 s")


def test_deadline_ends_hanging_targets_and_keeps_them_owed(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub").respond_with_response(NO_CONTENT)
    with silent_server() as first, silent_server() as second:
        site = make_site(tmp_path, websub_hubs=(first, second, server.url_for("/hub")), timeout=30.0, deadline=1.0)
        started = time.monotonic()
        report = run(site, build(), tmp_path)
        elapsed = time.monotonic() - started
        owed = run(site, build(), tmp_path, dry_run=True)

    assert elapsed < 1.0 + 3
    assert [r.detail.startswith("deadline exceeded (no reply within ") for r in report.results] == [True, True, False]
    assert report.results[2].detail == "announced 2 feed(s)"
    assert not report.ok
    assert [len(r.planned) for r in owed.results] == [2, 2, 0]


def test_deadline_ends_a_reply_trickling_in_byte_by_byte(server: HTTPServer, tmp_path: Path) -> None:
    """A server sending a byte just before each read would time out must not hold a target past the deadline."""
    server.expect_request("/hub").respond_with_response(NO_CONTENT)
    with trickling_server() as slow:
        site = make_site(tmp_path, websub_hubs=(slow, server.url_for("/hub")), timeout=30.0, deadline=1.0)
        started = time.monotonic()
        report = run(site, build(), tmp_path)
        elapsed = time.monotonic() - started

    assert elapsed < 1.0 + 2
    assert report.results[0].detail.startswith("deadline exceeded"), report.results[0].detail
    assert report.results[1].detail == "announced 2 feed(s)"
    assert [len(r.planned) for r in run(site, build(), tmp_path, dry_run=True).results] == [2, 0]


def test_a_reply_trickling_in_ends_at_the_timeout_of_its_request(tmp_path: Path) -> None:
    """`ping.timeout` is a request's: a reply arriving a byte at a time held the request to the whole deadline."""
    with trickling_server() as slow:
        site = make_site(tmp_path, websub_hubs=(slow,), timeout=0.5, deadline=30.0)
        started = time.monotonic()
        result = only(run(site, build(), tmp_path))
        elapsed = time.monotonic() - started

    assert elapsed < 0.5 + 3
    assert (result.ok, result.detail) == (False, "the reply was still arriving after 0.5 s")


def test_killed_run_resends_only_the_request_in_flight(server: HTTPServer, tmp_path: Path) -> None:
    arrived, release = threading.Event(), threading.Event()

    def hub(request: Request) -> Response:
        if request.get_data() == form(f"{SITE}atom.xml"):
            arrived.set()
            release.wait(10)
        return NO_CONTENT

    server.expect_request("/hub").respond_with_handler(hub)
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))
    arguments = {"site": site, "published": build(), "state_path": tmp_path / "state.db", "key": None}
    child = "import pickle, sys; from feedpub.publish.pinger import ping; ping(**pickle.load(sys.stdin.buffer))"
    env = {**os.environ, "PYTHONPATH": str(Path(feedpub.__file__).parents[1])}
    with subprocess.Popen([sys.executable, "-c", child], stdin=subprocess.PIPE, env=env) as process:
        try:
            assert process.stdin is not None
            process.stdin.write(pickle.dumps(arguments))
            process.stdin.close()
            assert arrived.wait(10), "the child never sent its second request"
            process.kill()  # SIGKILL: no cleanup of any kind runs
            assert process.wait(10) == -signal.SIGKILL
        finally:
            process.kill()
            release.set()
    deadline = time.monotonic() + 5
    while len(server.log) < 2 and time.monotonic() < deadline:  # the released handler still logs
        time.sleep(0.01)

    server.clear_log()
    result = only(ping(site, build(), state_path=tmp_path / "state.db", key=None))

    assert (result.ok, result.sent) == (True, 1)
    assert bodies(server) == [form(f"{SITE}atom.xml")]


# --- dry run, state file, key ------------------------------------------------------------------------


def test_dry_run_sends_nothing_writes_nothing_and_lists_the_plan(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/indexnow").respond_with_data("", status=200)
    server.expect_request("/hub").respond_with_response(NO_CONTENT)
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),), indexnow_endpoint=server.url_for("/indexnow"))

    plan = run(site, build({"a/": "1"}), tmp_path, dry_run=True)

    assert server.log == []
    assert not (tmp_path / ".feedpub").exists()
    assert [(r.planned, r.sent, r.detail) for r in plan.results] == [
        ((f"{SITE}rss.xml", f"{SITE}atom.xml"), 0, "dry run: 2 to send"),
        ((SITE, f"{SITE}a/"), 0, "dry run: 2 to send"),
    ]
    assert json.loads(json.dumps(plan.to_json()))["results"][1]["planned"] == [SITE, f"{SITE}a/"]

    done = run(site, build({"a/": "1"}), tmp_path)
    assert [r.planned for r in done.results] == [r.planned for r in plan.results]
    assert [r.sent for r in done.results] == [2, 2]


def test_dry_run_reads_state_left_hot_by_a_kill_mid_commit(server: HTTPServer, tmp_path: Path) -> None:
    server.expect_request("/hub").respond_with_response(NO_CONTENT)
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))
    run(site, build(), tmp_path)
    state, crashed = tmp_path / ".feedpub" / "state.db", tmp_path / "crashed.db"
    conn = sqlite3.connect(state, isolation_level=None)
    conn.execute("PRAGMA cache_size = 1")  # spill to the file mid-transaction, as a large commit does
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("CREATE TABLE scratch (text)")
    conn.executemany("INSERT INTO scratch VALUES (?)", [("x" * 500,)] * 500)
    shutil.copy(state, crashed)  # a snapshot of the files as a SIGKILL would leave them
    shutil.copy(f"{state}-journal", f"{crashed}-journal")
    conn.execute("ROLLBACK")
    conn.close()

    plan = ping(site, build(rss="r2"), state_path=crashed, key=None, dry_run=True)

    assert only(plan).planned == (f"{SITE}rss.xml",)


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all, just text" * 100, None],
    ids=["garbage", "foreign-sqlite"],
)
def test_unusable_state_file_raises_ping_error_saying_what_to_do(
    server: HTTPServer, tmp_path: Path, content: bytes | None
) -> None:
    state = tmp_path / ".feedpub" / "state.db"
    state.parent.mkdir()
    if content is not None:
        state.write_bytes(content)
    else:
        with sqlite3.connect(state) as conn:
            conn.execute("CREATE TABLE notes (text)")
        conn.close()
    site = make_site(tmp_path, websub_hubs=(server.url_for("/hub"),))

    with pytest.raises(OutputError, match="delete the file") as raised:
        run(site, build(), tmp_path)

    assert str(state) in str(raised.value)
    assert "\n" not in str(raised.value)
    assert raised.value.exit_code == 2  # not 3: no notification failed
    assert server.log == []


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry-run", "ping"])
def test_state_rows_of_another_type_than_text_are_announced_again(
    server: HTTPServer, tmp_path: Path, dry_run: bool
) -> None:
    """A BLOB fingerprint or digest in state.db (`UPDATE page_ack SET fingerprint=X'41'`) stopped `ping` and
    `ping --dry-run` with a TypeError on every run; such a row is now one never acknowledged."""
    server.expect_request("/indexnow").respond_with_data("", status=200)
    server.expect_request("/hub", method="POST").respond_with_response(NO_CONTENT)
    site = make_site(tmp_path, indexnow_endpoint=server.url_for("/indexnow"), websub_hubs=(server.url_for("/hub"),))
    pages = {"p2/": "v1", "p1/": "v1"}
    run(site, build(pages), tmp_path)
    with sqlite3.connect(tmp_path / ".feedpub" / "state.db") as conn:
        conn.execute("UPDATE page_ack SET fingerprint = X'41' WHERE url = ?", (f"{SITE}p1/",))
        conn.execute("UPDATE feed_ack SET digest = X'41' WHERE url = ?", (f"{SITE}rss.xml",))
    conn.close()
    server.clear_log()

    report = run(site, build(pages), tmp_path, dry_run=dry_run)

    planned = {result.target: result.planned if dry_run else result.sent for result in report.results}
    indexnow, hub = server.url_for("/indexnow"), server.url_for("/hub")
    if dry_run:
        assert planned == {indexnow: (f"{SITE}p1/",), hub: (f"{SITE}rss.xml",)}
    else:
        assert planned == {indexnow: 1, hub: 1}
        sent = [json.loads(request.get_data())["urlList"] for request, _ in server.log if request.path == "/indexnow"]
        assert sent == [[f"{SITE}p1/"]]
        server.clear_log()
        assert all(result.sent == 0 for result in run(site, build(pages), tmp_path).results)  # the rows replaced


@pytest.mark.parametrize(
    "key", ["short", "has spaces in it", "x" * 129, "é" * 10], ids=["7", "space", "129", "non-ascii"]
)
def test_bad_indexnow_key_is_a_config_error(tmp_path: Path, key: str) -> None:
    with pytest.raises(ConfigError, match="8 to 128 characters"):
        check_indexnow_key(key)
    with pytest.raises(ConfigError):
        run(make_site(tmp_path), build(), tmp_path, key=key)


def test_indexnow_key_file_body_is_exactly_the_key() -> None:
    check_indexnow_key("a" * 128)
    output = indexnow_key_file(KEY)
    assert (output.name, output.data, output.kind) == (f"{KEY}.txt", KEY.encode("utf-8"), "other")


# --- robots.txt ------------------------------------------------------------------------------------


def test_robots_txt_fresh() -> None:
    assert robots_txt(None, f"{SITE}sitemap.xml") == f"User-agent: *\nAllow: /\n\nSitemap: {SITE}sitemap.xml\n"


@pytest.mark.parametrize(
    ("existing", "expected"),
    [
        (
            "User-agent: *\nDisallow: /drafts/\nsitemap: http://example.kr/old-sitemap.xml  # moved\n# end\n",
            "User-agent: *\nDisallow: /drafts/\nSitemap: https://example.kr/sitemap.xml\n# end\n",
        ),
        (
            "User-agent: Yeti\r\nDisallow: /x\r\nSitemap: https://other.example/sitemap.xml\r\n",
            "User-agent: Yeti\r\nDisallow: /x\r\nSitemap: https://other.example/sitemap.xml\r\n"
            "\r\nSitemap: https://example.kr/sitemap.xml\r\n",
        ),
        ("User-agent: *\nDisallow:", "User-agent: *\nDisallow:\n\nSitemap: https://example.kr/sitemap.xml\n"),
        ("", "Sitemap: https://example.kr/sitemap.xml\n"),
        ("Sitemap: https://example.kr/sitemap.xml\nUser-agent: *\n",) * 2,
    ],
    ids=["replaces-our-old-line", "keeps-other-hosts", "no-final-newline", "empty", "already-there"],
)
def test_robots_txt_keeps_other_lines(existing: str, expected: str) -> None:
    assert robots_txt(existing, f"{SITE}sitemap.xml", ours={"/old-sitemap.xml"}) == expected


def test_robots_txt_keeps_the_generators_sitemap_line_beside_ours() -> None:
    """jekyll-sitemap writes robots.txt with its sitemap.xml: feedpub's sitemap-posts.xml joins it, never replaces."""
    existing = f"Sitemap: {SITE}sitemap.xml\n"
    assert robots_txt(existing, f"{SITE}sitemap-posts.xml") == f"{existing}\nSitemap: {SITE}sitemap-posts.xml\n"
