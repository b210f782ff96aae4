"""Sitemap sets: one file up to the limits, past them an index of parts; gzip; stale parts removed after the index."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from feedpub import api
from feedpub.api import run_build
from feedpub.config import load_config
from feedpub.dates import rfc3339
from feedpub.errors import ConfigError
from feedpub.models import NewsSettings, Post, PostsSettings, Site, SitemapSettings, digest_of, digest_of_many
from feedpub.render import build as rendering
from feedpub.render.sitemap import SitemapUrl, render_sitemaps, url_element
from tests import conformance
from tests.conftest import run, write_config

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NOW = datetime(2025, 1, 1, tzinfo=UTC)
BASE = "https://example.kr/"


def urls(count: int) -> list[SitemapUrl]:
    """URLs whose <url> elements all have the same length, one day apart, newest first."""
    start = datetime(2024, 12, 31, tzinfo=UTC)
    return [SitemapUrl(f"{BASE}p/{n:04d}/", start - timedelta(days=n)) for n in range(count)]


def render(count: int, **settings: int | bool) -> dict[str, bytes]:
    return {o.name: o.data for o in render_sitemaps(SitemapSettings(**settings), BASE, urls(count))}  # type: ignore[arg-type]


def locs(data: bytes, path: str) -> list[str]:
    return [str(e.text) for e in etree.fromstring(data).xpath(path, namespaces=NS)]


@pytest.mark.parametrize(
    ("count", "names"),
    [(5, ["sitemap.xml"]), (6, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"])],
    ids=["at-limit", "one-over"],
)
def test_url_limit_boundary(count: int, names: list[str]) -> None:
    files = render(count, max_urls=5)
    assert list(files) == names  # the index comes last, after the parts it lists
    if count == 5:
        assert len(locs(files["sitemap.xml"], "sm:url/sm:loc")) == 5
    else:
        assert locs(files["sitemap.xml"], "sm:sitemap/sm:loc") == [BASE + "sitemap-1.xml", BASE + "sitemap-2.xml"]
        assert [len(locs(files[n], "sm:url/sm:loc")) for n in names[:2]] == [5, 1]


def test_byte_limit_boundary() -> None:
    element = len(url_element(urls(1)[0]).encode())
    empty = len(next(iter(render_sitemaps(SitemapSettings(), BASE, []))).data)
    exact = empty + 3 * element  # three URLs fill a file to the byte
    assert list(render(3, max_bytes=exact)) == ["sitemap.xml"]
    assert len(render(3, max_bytes=exact)["sitemap.xml"]) == exact
    over = render(3, max_bytes=exact - 1)
    assert list(over) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    assert all(len(over[n]) <= exact - 1 for n in ("sitemap-1.xml", "sitemap-2.xml"))


def test_index_lastmod_is_the_newest_of_each_part() -> None:
    files = render(7, max_urls=3)
    lastmods = locs(files["sitemap.xml"], "sm:sitemap/sm:lastmod")
    newest = [max(locs(files[f"sitemap-{n}.xml"], "sm:url/sm:lastmod")) for n in (1, 2, 3)]
    assert lastmods == newest


def test_max_bytes_is_checked_and_named(tmp_path: Path) -> None:
    write_config(tmp_path, extra="[sitemap]\nmax_bytes = 100\n")
    with pytest.raises(ConfigError, match=r"sitemap\.max_bytes"):
        load_config(tmp_path / "config.toml")


@pytest.fixture
def posts(tmp_path: Path) -> Callable[[int], None]:
    """Write posts 0..n-1 (and remove any beyond n), one day apart."""
    folder = tmp_path / "_posts"
    folder.mkdir()

    def write(count: int) -> None:
        for old in folder.iterdir():
            old.unlink()
        for n in range(count):
            day = datetime(2024, 1, 1) + timedelta(days=n)
            (folder / f"{day:%Y-%m-%d}-post-{n}.md").write_text(f"---\ntitle: 글 {n}\n---\n본문 {n}\n", "utf-8")

    return write


def build(tmp_path: Path, extra: str, posts_dir: str = "_posts") -> api.BuildReport:
    write_config(tmp_path, posts_dir=posts_dir, extra=extra)
    return run_build(load_config(tmp_path / "config.toml"), NOW)


def test_parts_and_index_are_schema_valid(tmp_path: Path, posts: Callable[[int], None]) -> None:
    posts(12)  # with the home page: 13 URLs, three parts of at most 5
    build(tmp_path, "[sitemap]\nmax_urls = 5\n")
    out = tmp_path / "out"
    index = conformance.validate_sitemap(out / "sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    for n in (1, 2, 3):
        conformance.validate_sitemap(out / f"sitemap-{n}.xml")
    assert not (out / "sitemap-4.xml").exists()


def test_gzip_round_trip_and_identical_rebuilds(tmp_path: Path, posts: Callable[[int], None]) -> None:
    posts(7)
    plain = tmp_path / "plain"
    plain.mkdir()
    build(plain, "[sitemap]\nmax_urls = 3\n", posts_dir="../_posts")  # the same posts, uncompressed
    build(tmp_path, "[sitemap]\nmax_urls = 3\ngzip = true\n")
    first = {p.name: p.read_bytes() for p in (tmp_path / "out").glob("sitemap*")}
    assert sorted(first) == ["sitemap-1.xml.gz", "sitemap-2.xml.gz", "sitemap-3.xml.gz", "sitemap.xml.gz"]
    for name, data in first.items():
        assert data[4:8] == b"\0\0\0\0" and not data[3] & 0x08  # mtime 0, no file name: deterministic
        expected = (plain / "out" / name.removesuffix(".gz")).read_bytes()
        unpacked = gzip.decompress(data)
        if name == "sitemap.xml.gz":  # the index names the compressed parts
            expected = expected.replace(b".xml</loc>", b".xml.gz</loc>")
        assert unpacked == expected
        conformance.validate_sitemap(tmp_path / "out" / name)
    shutil.rmtree(tmp_path / "out")
    shutil.rmtree(tmp_path / ".feedpub")
    build(tmp_path, "[sitemap]\nmax_urls = 3\ngzip = true\n")
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").glob("sitemap*")} == first


def test_shrinking_set_removes_stale_parts_after_the_index(
    tmp_path: Path, posts: Callable[[int], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    posts(12)
    build(tmp_path, "[sitemap]\nmax_urls = 5\n")
    out = tmp_path / "out"
    assert (out / "sitemap-3.xml").exists()
    (out / "sitemap-notes.xml").write_text("not ours")  # a look-alike name that is not a part: left alone
    seen: list[list[str]] = []
    real = api.remove_stale

    def checking_remove_stale(*args: object, **kwargs: object) -> list[str]:
        # By now the new index is on disk and lists only the parts that exist.
        seen.append(locs((out / "sitemap.xml").read_bytes(), "sm:sitemap/sm:loc"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "remove_stale", checking_remove_stale)
    posts(6)  # 7 URLs: two parts
    report = build(tmp_path, "[sitemap]\nmax_urls = 5\n")
    assert seen == [["https://example.kr/sitemap-1.xml", "https://example.kr/sitemap-2.xml"]]
    assert report.removed == ("sitemap-3.xml",)
    assert sorted(p.name for p in out.glob("sitemap*")) == [
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap-notes.xml",
        "sitemap.xml",
    ]
    posts(3)  # back to one file: both parts go
    report = build(tmp_path, "[sitemap]\nmax_urls = 5\n")
    assert report.removed == ("sitemap-1.xml", "sitemap-2.xml")
    assert conformance.validate_sitemap(out / "sitemap.xml").tag == f"{{{NS['sm']}}}urlset"


def test_switching_to_gzip_removes_the_uncompressed_set(tmp_path: Path, posts: Callable[[int], None]) -> None:
    posts(6)
    build(tmp_path, "[sitemap]\nmax_urls = 5\n")
    report = build(tmp_path, "[sitemap]\nmax_urls = 5\ngzip = true\n")
    assert report.removed == ("sitemap-1.xml", "sitemap-2.xml", "sitemap.xml")
    published = json.loads((tmp_path / ".feedpub" / "published.json").read_bytes())
    assert not report.unchanged and published["sitemap_url"] == "https://example.kr/sitemap.xml.gz"


def oldest_first(count: int) -> list[SitemapUrl]:
    """The home page (its lastmod moving with the newest post), then `count` posts oldest first, as build() gives."""
    start = datetime(2024, 1, 1, tzinfo=UTC)
    posts = [SitemapUrl(f"{BASE}p/{n:04d}/", start + timedelta(days=n)) for n in range(count)]
    home = SitemapUrl(BASE, posts[-1].lastmod if posts else None, moving=True)
    return [home, *posts]


@pytest.mark.parametrize(
    "limits", [{"max_urls": 3}, {"max_bytes": 500}, {"max_urls": 4, "max_bytes": 600}], ids=["urls", "bytes", "both"]
)
def test_appending_a_url_keeps_every_earlier_part(limits: dict[str, int]) -> None:
    before = {o.name: o.data for o in render_sitemaps(SitemapSettings(**limits), BASE, oldest_first(9))}  # type: ignore[arg-type]
    assert len(before) >= 4  # an index and at least three parts, or the test shows nothing
    for added in (1, 2, 3):
        after = {o.name: o.data for o in render_sitemaps(SitemapSettings(**limits), BASE, oldest_first(9 + added))}  # type: ignore[arg-type]
        changed = sorted(n for n in after if before.get(n) != after[n])
        last = max(n for n in before if n != "sitemap.xml")
        # Only the index, the old last part (when it had room) and a new part (when it had not) may change.
        assert set(changed) <= {"sitemap.xml", last, *(set(after) - set(before))}
        assert "sitemap.xml" in changed and len(changed) <= 2 + (added > 1)


@pytest.mark.parametrize("count", [0, 1, 999, 1_000, 1_001, 2_500])
def test_a_parts_keys_digested_in_slices_as_joined_whole(count: int) -> None:
    """A part's key digests its URLs' keys a slice at a time: the digest must be the whole join's, or every part a
    build kept would be rendered again after an upgrade."""
    keys = [f"{BASE}글/{n}/\t2024-01-{n % 28 + 1:02d}\t" for n in range(count)]
    assert digest_of_many(keys) == digest_of(*keys)


def test_moving_lastmod_only_in_a_lone_sitemap() -> None:
    alone = {o.name: o.data for o in render_sitemaps(SitemapSettings(max_urls=5), BASE, oldest_first(4))}
    root = etree.fromstring(alone["sitemap.xml"])
    assert root.xpath("sm:url[1]/sm:loc/text()", namespaces=NS) == [BASE]
    assert root.xpath("sm:url[1]/sm:lastmod/text()", namespaces=NS) == ["2024-01-04T00:00:00+00:00"]
    split = {o.name: o.data for o in render_sitemaps(SitemapSettings(max_urls=5), BASE, oldest_first(9))}
    part = etree.fromstring(split["sitemap-1.xml"])
    assert part.xpath("sm:url[1]/sm:loc/text()", namespaces=NS) == [BASE]
    assert part.xpath("sm:url[1]/sm:lastmod", namespaces=NS) == []
    # The index gives each part the newest lastmod of the URLs it shows: part 1's oldest posts, not the home page.
    lastmods = locs(split["sitemap.xml"], "sm:sitemap/sm:lastmod")
    assert lastmods == ["2024-01-04T00:00:00+00:00", "2024-01-09T00:00:00+00:00"]


def sitemap_stats(out: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in out.glob("sitemap*")}


def cli_build(site: Path) -> None:
    result = run("build", "--config", site / "config.toml", "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output


def post_file(site: Path, n: int) -> Path:
    day = datetime(2024, 1, 1) + timedelta(days=n)
    return site / "_posts" / f"{day:%Y-%m-%d}-post-{n}.md"


@pytest.mark.parametrize(
    ("count", "rewritten"),
    [
        (300, ["sitemap-4.xml", "sitemap.xml"]),  # home + 300 posts: the 4th part holds one post, then two
        (299, ["sitemap-4.xml", "sitemap.xml"]),  # home + 299: three full parts, the new post starts a 4th
    ],
    ids=["last-part-has-room", "last-part-full"],
)
def test_adding_a_post_rewrites_the_last_part_and_the_index(
    tmp_path: Path, posts: Callable[[int], None], count: int, rewritten: list[str]
) -> None:
    posts(count)
    write_config(tmp_path, extra="[sitemap]\nmax_urls = 100\n")
    cli_build(tmp_path)
    out = tmp_path / "out"
    before = sitemap_stats(out)
    assert len(before) == (5 if count == 300 else 4)
    n = count  # dated the day after every other post
    post_file(tmp_path, n).write_text(f"---\ntitle: 글 {n}\n---\n본문 {n}\n", "utf-8")
    cli_build(tmp_path)
    after = sitemap_stats(out)
    assert sorted(n for n in after if before.get(n, (0, 0, b""))[:2] != after[n][:2]) == rewritten
    assert sorted(n for n in after if before.get(n, (0, 0, b""))[2] != after[n][2]) == rewritten
    assert sorted(after) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap-4.xml", "sitemap.xml"]
    for name in after:
        conformance.validate_sitemap(out / name)
    newest = "https://example.kr/" + quote(f"{datetime(2024, 1, 1) + timedelta(days=n):%Y/%m/%d}/post-{n}/")
    assert locs(after["sitemap-4.xml"][2], "sm:url/sm:loc")[-1] == newest
    part_lastmods = [max(locs(after[f"sitemap-{k}.xml"][2], "sm:url/sm:lastmod")) for k in (1, 2, 3, 4)]
    assert locs(after["sitemap.xml"][2], "sm:sitemap/sm:lastmod") == part_lastmods


def test_deleting_an_old_post_rewrites_its_part_and_the_later_ones(
    tmp_path: Path, posts: Callable[[int], None]
) -> None:
    posts(300)
    write_config(tmp_path, extra="[sitemap]\nmax_urls = 100\n")
    cli_build(tmp_path)
    out = tmp_path / "out"
    before = sitemap_stats(out)
    post_file(tmp_path, 150).unlink()  # in part 2 (part 1: the home page and posts 0-98)
    cli_build(tmp_path)
    after = sitemap_stats(out)
    # The cost of a count fill: every URL after the gap moves up one place; the parts before it are kept.
    assert after["sitemap-1.xml"] == before["sitemap-1.xml"]
    assert sorted(after) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
    assert all(after[n][2] != before[n][2] for n in ("sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"))


def test_a_posts_lastmod_is_shown_to_the_second_in_its_own_offset() -> None:
    """What a build hands the sitemap (its lastmod formatted once, for the key and the element) shows what
    rfc3339 shows of the post's date: seconds, in the zone it was written in, whatever its microseconds."""
    seoul = timezone(timedelta(hours=9))
    site = Site(
        url=BASE,
        title="예제",
        output_dir=Path("/nonexistent/out"),
        static_dir=Path("/nonexistent/static"),
        state_dir=Path("/nonexistent/.feedpub"),
        posts=PostsSettings(dirs=(Path("/nonexistent/_posts"),)),
    )
    published = datetime(2024, 5, 6, 7, 8, 9, 123456, tzinfo=seoul)
    post = Post(source="_posts/a.md", url=f"{BASE}a/", title="가", published=published, body="")
    outputs = {o.name: o.data for o in rendering.build(site, [post], NOW, body_html=lambda p: "<p>본문</p>").outputs}
    shown = locs(outputs["sitemap.xml"], f"sm:url[sm:loc='{BASE}a/']/sm:lastmod")
    assert shown == ["2024-05-06T07:08:09+09:00"]


@given(
    st.datetimes(min_value=datetime(1900, 1, 1), timezones=st.one_of(st.timezones(), st.just(UTC))),
    st.integers(-23 * 60, 23 * 60),
)
def test_rfc3339_is_seconds_precision_in_the_dates_own_offset(moment: datetime, minutes: int) -> None:
    """rfc3339 takes isoformat()'s quicker form when there are no microseconds: the text is the same either way.

    An offset with seconds (a zone's local mean time, Asia/Seoul before 1908) has no RFC 3339 form, and one past
    ±14:00 none in xs:dateTime (a sitemap's lastmod): such a moment is written in UTC."""
    for value in (moment, moment.replace(tzinfo=timezone(timedelta(minutes=minutes)))):
        offset = value.utcoffset()
        outside = offset is not None and (offset.seconds % 60 or abs(offset) > timedelta(hours=14))
        shown = value.astimezone(UTC) if outside else value
        assert rfc3339(value) == shown.isoformat(timespec="seconds")
        assert rfc3339(value.replace(microsecond=0)) == shown.isoformat(timespec="seconds")
        assert len(rfc3339(value)) == 25


@pytest.mark.parametrize("gzip_them", [False, True], ids=["plain", "gzip"])
def test_feedpubs_own_sitemaps_are_known_by_how_they_open(gzip_them: bool) -> None:
    """A sitemap carries no mark of feedpub's: one a build of another config folder left in the output folder
    must still be told from the site's own (Hugo's, jekyll-sitemap's, a page of the site's at /sitemap.xml),
    which the build stops over instead of replacing."""
    from feedpub.render.news import render_news_sitemap
    from feedpub.render.sitemap import is_own_sitemap

    ours = [*render(1, gzip=gzip_them).values(), *render(6, max_urls=5, gzip=gzip_them).values()]
    news = render_news_sitemap(NewsSettings(name="Paper", language="en"), [], NOW, BASE).data
    assert all(is_own_sitemap(data[:65536]) for data in [*ours, news])
    hugos = b'<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<urlset xmlns="http://www.sitemaps.org/'
    jekyll_sitemaps = b'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/'
    for theirs in (hugos, jekyll_sitemaps, b"<urlset>mine</urlset>\n", b"<!DOCTYPE html>", b"", b"\x1f\x8bnot gzip"):
        assert not is_own_sitemap(theirs)
