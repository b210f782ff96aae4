"""The security/trust issue's output findings, black-box: the real command, files on disk, exit codes, messages.

Each test's docstring names its finding. Settings, flags and messages these tests expect:
`[feeds] max_terms_per_post` (default 50), `[feeds] max_term_feeds` (default 1000), `[posts] max_shrink`
(default 0.5), `build --allow-shrink`, `feedpub config --reference`.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import lxml.html
import pytest
from lxml import etree

from tests.conftest import REPO, run, write_config

SITE = "https://example.kr/"
NOW = "2025-01-01"
TOP_LEVEL = {"rss.xml", "atom.xml", "feed.json", "sitemap.xml", "feeds.html", "robots.txt"}
ATOM = "{http://www.w3.org/2005/Atom}"


def feedpub(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "feedpub", *args], cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def build(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return feedpub("build", "--now", NOW, *args, cwd=site)


def make_site(folder: Path, extra: str = "", posts_dir: str = "_posts", posts: str = "") -> Path:
    """A site in `folder` with an empty _posts: `extra` sections appended to config.toml, `posts` lines in [posts]."""
    (folder / "_posts").mkdir(parents=True, exist_ok=True)
    config = write_config(folder, posts_dir=posts_dir, extra=extra)
    config.write_text(config.read_text(encoding="utf-8").replace("[posts]\n", f"[posts]\n{posts}\n", 1))
    return folder


def post(site: Path, name: str, front_matter: str, body: str = "본문입니다.") -> Path:
    path = site / "_posts" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front_matter.strip()}\n---\n{body}\n", encoding="utf-8")
    return path


def dated_posts(site: Path, count: int) -> list[Path]:
    return [post(site, f"2024-01-{n + 1:02d}-post-{n}.md", f"title: 글 {n}") for n in range(count)]


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def snapshot(site: Path) -> dict[str, tuple[bytes, int]]:
    """Every output file and published.json: bytes and mtime, to show that a build wrote nothing."""
    paths = [p for p in (site / "out").rglob("*") if p.is_file()] + [site / ".feedpub" / "published.json"]
    return {str(p.relative_to(site)): (p.read_bytes(), p.stat().st_mtime_ns) for p in paths if p.exists()}


def rss_items(site: Path, path: str = "rss.xml") -> list[etree._Element]:
    return etree.parse(str(site / "out" / path)).findall("channel/item")


# --- 5: term folders named "..", "." ---------------------------------------------------------------------


@pytest.mark.parametrize("term", ["..", "."], ids=["dotdot", "dot"])
@pytest.mark.parametrize("kind", ["categories", "tags"])
def test_term_named_dot_or_dotdot_never_leaves_its_folder_or_replaces_the_main_feeds(
    tmp_path: Path, kind: str, term: str
) -> None:
    """Finding 5: a category or tag `..` wrote categories/../rss.xml over the site's main feeds (`.`: categories/)."""
    site = make_site(tmp_path, extra=f"[feeds]\n{kind} = true\n")
    for n in range(3):
        post(site, f"2024-01-0{n + 1}-p{n}.md", f"title: 글 {n}\n{kind}: [news]")
    # A permalink of its own: the default one puts the categories in the URL, and a ".." there is rejected.
    post(site, "2024-01-05-evil.md", f"title: evil\npermalink: /evil/\n{kind}: ['{term}', '/', '???', news]")

    result = build(site)

    assert result.returncode == 0, result.stderr
    assert len(rss_items(site)) == 4  # every post, not the evil one alone
    assert etree.parse(str(site / "out" / "rss.xml")).findtext("channel/title") == "테스트 사이트"
    assert len(etree.parse(str(site / "out" / "atom.xml")).findall(f"{ATOM}entry")) == 4
    assert len(json.loads((site / "out" / "feed.json").read_text())["items"]) == 4
    for name in files_under(site / "out"):
        parts = name.split("/")
        if len(parts) == 1:
            assert name in TOP_LEVEL
            continue
        # <kind>/<folder>/<file>: never a file directly in <kind>/, never a folder ".", ".." or "".
        assert parts[0] == kind and len(parts) == 3, name
        assert parts[1] not in ("", ".", ".."), name
    assert (site / "out" / kind / "news" / "rss.xml").exists()


# --- 6: a term too long for a file name -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["categories", "tags"])
def test_term_longer_than_a_file_name_gets_a_short_folder_and_the_build_succeeds(tmp_path: Path, kind: str) -> None:
    """Finding 6: a 90-syllable Hangul term (270 bytes) stopped every build with `File name too long`, exit 2."""
    long_term = "가" * 90
    site = make_site(tmp_path, extra=f"[feeds]\n{kind} = true\n")
    post(site, "2024-01-01-short.md", f"title: short\npermalink: /short/\n{kind}: [짧은]")
    post(site, "2024-01-02-long.md", f"title: long\npermalink: /long/\n{kind}: ['{long_term}', 짧은]")

    started = time.time()
    result = build(site)

    assert result.returncode == 0, result.stderr
    for path in (site / "out").rglob("*"):
        assert len(path.name.encode()) <= 255, path.name
    folders = [p for p in (site / "out" / kind).iterdir() if p.name != "짧은"]
    assert len(folders) == 1  # truncated, with a short hash to keep it unique
    folder = folders[0]
    assert folder.name.startswith("가" * 10) and len(folder.name.encode()) <= 255
    rss = etree.parse(str(folder / "rss.xml"))
    assert long_term in rss.findtext("channel/title")
    assert [item.findtext("title") for item in rss.findall("channel/item")] == ["long"]
    self_link = rss.find("channel/{http://www.w3.org/2005/Atom}link[@rel='self']").get("href")
    assert unquote(urlsplit(self_link).path) == f"/{kind}/{folder.name}/rss.xml"
    # Every other output of the same build knows it: the page links it, the sitemap and published.json are new.
    page = (site / "out" / "feeds.html").read_text(encoding="utf-8")
    assert self_link in page
    for href in re.findall(r'href="(https://example\.kr/(?:categories|tags)/[^"]+)"', page):
        assert (site / "out" / unquote(urlsplit(href).path).lstrip("/")).is_file(), href
    assert "https://example.kr/long/" in (site / "out" / "sitemap.xml").read_text()
    published = site / ".feedpub" / "published.json"
    assert published.stat().st_mtime >= started - 1
    assert self_link in published.read_text(encoding="utf-8")

    again = build(site)
    assert again.returncode == 0, again.stderr
    assert "(0 written," in again.stdout


# --- 8: tag amplification ---------------------------------------------------------------------------------


def test_a_post_with_500_tags_is_bounded_by_max_terms_per_post(tmp_path: Path) -> None:
    """Finding 8: one post with 500 tags wrote 1,506 files (55 MB) in 18 s; default cap 50 terms per post."""
    site = make_site(tmp_path, extra="[feeds]\ntags = true\n")
    post(site, "2024-01-01-normal.md", "title: normal\ntags: [일상]")
    tags = ", ".join(f"t{n:03d}" for n in range(500))
    post(site, "2024-01-02-spam.md", f"title: spam\ntags: [{tags}]")

    started = time.monotonic()
    try:
        result = feedpub("build", "--now", NOW, cwd=site, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("the build was still writing tag feeds after 60 s")
    seconds = time.monotonic() - started

    assert result.returncode == 0, result.stderr
    assert seconds < 15
    assert "max_terms_per_post" in result.stderr  # a warning names the setting that cut the list
    assert "spam" in result.stderr
    folders = sorted(p.name for p in (site / "out" / "tags").iterdir())
    assert len(folders) == 51  # the first 50 of the spam post's tags, and 일상
    assert {"일상", "t000", "t049"} <= set(folders) and "t050" not in folders
    assert len(files_under(site / "out")) < 200
    assert len(rss_items(site)) == 2


def test_max_terms_per_post_and_max_term_feeds_can_be_set(tmp_path: Path) -> None:
    """Finding 8: `[feeds] max_terms_per_post` and `[feeds] max_term_feeds` bound the term feeds, with a warning."""
    site = make_site(tmp_path, extra="[feeds]\ntags = true\nmax_terms_per_post = 3\nmax_term_feeds = 10\n")
    for n in range(6):
        post(site, f"2024-01-0{n + 1}-p{n}.md", f"title: p{n}\ntags: [{', '.join(f'p{n}-t{t}' for t in range(5))}]")

    result = build(site)

    assert result.returncode == 0, result.stderr
    assert "max_terms_per_post" in result.stderr and "max_term_feeds" in result.stderr
    folders = [p.name for p in (site / "out" / "tags").iterdir()]
    assert len(folders) == 10  # 18 terms after the per-post cap, 10 feeds
    assert all(re.fullmatch(r"p[0-5]-t[0-2]", name) for name in folders), folders
    assert len(rss_items(site)) == 6


# --- 9: RSS description is HTML to readers ------------------------------------------------------------------

EXCERPTS = {
    "img_entity": ("&lt;img src=x onerror=alert(1)&gt; 사진", "<img src=x onerror=alert(1)> 사진"),
    "script_entity": ("&lt;script&gt;alert(1)&lt;/script&gt; 끝", "<script>alert(1)</script> 끝"),
    "q_and_a": ("Q&A with AT&T and R&D", "Q&A with AT&T and R&D"),
}
# An "&" that does not start a character reference: HTML wants it written "&amp;" (W3C validator: Invalid HTML).
BARE_AMPERSAND = re.compile(r"&(?!(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)")


def assert_html_shows_text(markup: str, text: str) -> None:
    """A reader that decodes `markup` as HTML sees exactly `text`: no element, no bare ampersand."""
    assert BARE_AMPERSAND.search(markup) is None, markup
    fragment = lxml.html.fragment_fromstring(markup, create_parent="div")
    assert [element.tag for element in fragment.iterdescendants()] == [], markup
    assert fragment.text_content() == text


@pytest.mark.parametrize(("written", "text"), EXCERPTS.values(), ids=EXCERPTS.keys())
def test_plain_text_excerpt_is_text_to_an_html_reader(tmp_path: Path, written: str, text: str) -> None:
    """Finding 9: an excerpt `&lt;img onerror&gt;` became a live <img> in RSS <description>; `Q&A` invalid HTML."""
    site = make_site(tmp_path)
    post(site, "2024-01-01-x.md", f"title: x\nexcerpt: {json.dumps(written, ensure_ascii=False)}")

    result = build(site)
    assert result.returncode == 0, result.stderr

    # RSS: <description> is HTML (RSS 2.0 spec: "entity-encoded HTML is allowed"), so its text must be escaped HTML.
    (item,) = rss_items(site)
    assert_html_shows_text(item.findtext("description"), text)
    # Atom: a text construct of type "text" is shown as it is; "html" must be escaped HTML.
    summary = etree.parse(str(site / "out" / "atom.xml")).find(f"{ATOM}entry/{ATOM}summary")
    if summary.get("type", "text") == "text":
        assert summary.text == text
    else:
        assert summary.get("type") == "html"
        assert_html_shows_text(summary.text, text)
    # JSON Feed: summary is plain text (spec: "a plain text sentence or two").
    (entry,) = json.loads((site / "out" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert entry["summary"] == text


# --- 12: sitemap parts and temporary files -----------------------------------------------------------------


def test_hand_made_sitemap_parts_are_kept_and_stale_temp_files_removed(tmp_path: Path) -> None:
    """Finding 12: hand-made sitemap-2.xml / sitemap-7.xml.gz were deleted; .*.tmp of killed builds stayed."""
    site = make_site(tmp_path)
    dated_posts(site, 3)
    out = site / "out"
    out.mkdir()
    hand_made = {"sitemap-2.xml": b"<urlset/>\n", "sitemap-7.xml.gz": gzip.compress(b"<urlset/>\n")}
    for name, data in hand_made.items():
        (out / name).write_bytes(data)
    assert build(site).returncode == 0
    for name in (".sitemap-4.xml.abc123.tmp", ".rss.xml.xyz.tmp"):
        (out / name).write_bytes(b"half a feed")
        hour_ago = time.time() - 3600
        os.utime(out / name, (hour_ago, hour_ago))
    post(site, "2024-02-01-new.md", "title: new")

    result = build(site)

    assert result.returncode == 0, result.stderr
    for name, data in hand_made.items():
        assert (out / name).read_bytes() == data, f"{name} was not written by feedpub and must be kept"
    assert not (out / ".sitemap-4.xml.abc123.tmp").exists()
    assert not (out / ".rss.xml.xyz.tmp").exists()


def test_sitemap_parts_feedpub_wrote_are_still_removed_when_the_site_shrinks(tmp_path: Path) -> None:
    """Finding 12 (what must keep working): parts an earlier build wrote and this one does not are removed."""
    site = make_site(tmp_path, extra="[sitemap]\nmax_urls = 2\n")
    posts = dated_posts(site, 5)  # home + 5 posts: sitemap-1..3.xml
    assert build(site).returncode == 0
    assert (site / "out" / "sitemap-3.xml").exists()
    for path in posts[:3]:
        path.unlink()

    result = build(site)

    assert result.returncode == 0, result.stderr
    assert [n for n in files_under(site / "out") if n.startswith("sitemap")] == [
        "sitemap-1.xml",
        "sitemap-2.xml",
        "sitemap.xml",
    ]


def _categorised_site(folder: Path) -> tuple[Path, list[Path]]:
    """Four posts, each in a category of its own (c1..c4), with category feeds and sitemap parts of two URLs."""
    site = make_site(folder, extra="[feeds]\ncategories = true\n[sitemap]\nmax_urls = 2\n")
    posts = [post(site, f"2024-01-0{n}-p{n}.md", f"title: P{n}\ncategories: [c{n}]") for n in range(1, 5)]
    return site, posts


# Runs `feedpub build` in a process that ends itself (SIGKILL) as it starts deleting the last build's stale files:
# after the new files and the record of them are in place, before any stale file is gone.
_KILLED_BEFORE_REMOVING = (
    "import os, signal, sys; import feedpub.api as api; "
    "api.remove_stale = lambda *_: os.kill(os.getpid(), signal.SIGKILL); "
    "from feedpub.cli import main; main(sys.argv[1:])"
)


def _build_killed(site: Path, program: str) -> None:
    """`feedpub build` in `site`, in a process `program` (Python) makes end itself with SIGKILL on its way."""
    killed = subprocess.run(
        [sys.executable, "-c", program, "build", "--now", NOW], cwd=site, capture_output=True, text=True, timeout=300
    )
    assert killed.returncode == -9, killed.stderr


def test_stale_files_a_killed_build_did_not_delete_are_deleted_by_the_next(tmp_path: Path) -> None:
    """The record of a build names the stale files it is about to delete: killed before it did, the next build
    knew them for feedpub's no more, and the feeds of a category no post has were served forever."""
    site, posts = _categorised_site(tmp_path / "site")
    assert build(site).returncode == 0
    posts[3].unlink()
    _build_killed(site, _KILLED_BEFORE_REMOVING)
    assert (site / "out" / "categories" / "c4" / "rss.xml").exists()  # the kill came before the deletions
    assert build(site).returncode == 0
    assert not (site / "out" / "categories" / "c4").exists()
    assert not (site / "out" / "sitemap-3.xml").exists()


@pytest.mark.parametrize("between", ["build-elsewhere", "site-moved"])
def test_stale_files_are_deleted_after_a_build_elsewhere_or_a_move(tmp_path: Path, between: str) -> None:
    """`build --output OTHER` (a clean check) recorded OTHER's files in place of the output folder's, and a site
    moved whole found its record under its old path: either way the next builds left stale feeds forever."""
    site, posts = _categorised_site(tmp_path / "site")
    assert build(site).returncode == 0
    if between == "build-elsewhere":
        assert build(site, "--no-cache", "--output", str(tmp_path / "check")).returncode == 0
    else:
        site = site.rename(tmp_path / "moved")
    posts = [site / "_posts" / p.name for p in posts]
    posts[3].unlink()
    assert build(site).returncode == 0
    assert not (site / "out" / "categories" / "c4").exists()
    assert not (site / "out" / "sitemap-3.xml").exists()


# --- 14: missing posts folder, shrink guard ---------------------------------------------------------------


def test_missing_posts_folder_stops_the_build_and_writes_nothing(tmp_path: Path) -> None:
    """Finding 14: a mistyped posts folder was one rejected post (exit 1) and emptied rss.xml."""
    site = make_site(tmp_path)
    dated_posts(site, 3)
    assert build(site).returncode == 0
    before = snapshot(site)
    config = site / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('dirs = ["_posts"]', 'dirs = ["_postz"]'))

    result = build(site, "--no-cache")

    assert result.returncode == 2, result.stdout + result.stderr
    assert "posts.dirs" in result.stderr and "_postz" in result.stderr
    assert snapshot(site) == before


def test_missing_posts_folder_on_a_first_build_writes_nothing(tmp_path: Path) -> None:
    """Finding 14: the first build of a site whose posts folder is missing writes no empty feeds."""
    site = make_site(tmp_path, posts_dir="_postz")

    result = build(site)

    assert result.returncode == 2, result.stdout + result.stderr
    assert "posts.dirs" in result.stderr and "_postz" in result.stderr
    assert not (site / "out").exists()


def test_shrink_guard_stops_a_build_that_drops_most_posts(tmp_path: Path) -> None:
    """Finding 14: a build publishing 8 of the 20 posts the last one published stops (exit 2) and writes nothing."""
    site = make_site(tmp_path)
    posts = dated_posts(site, 20)
    assert build(site).returncode == 0
    before = snapshot(site)
    for path in posts[:12]:
        path.unlink()

    stopped = build(site)

    assert stopped.returncode == 2, stopped.stdout + stopped.stderr
    assert "--allow-shrink" in stopped.stderr and "max_shrink" in stopped.stderr
    assert snapshot(site) == before

    allowed = build(site, "--allow-shrink")
    assert allowed.returncode == 0, allowed.stderr
    assert len(rss_items(site)) == 8
    assert build(site).returncode == 0  # 8 is the new normal


def test_shrink_guard_lets_small_changes_and_small_sites_through(tmp_path: Path) -> None:
    """Finding 14: deleting 2 posts of 20 proceeds; a site of fewer than 10 posts is never stopped."""
    site = make_site(tmp_path)
    posts = dated_posts(site, 20)
    assert build(site).returncode == 0
    for path in posts[:2]:
        path.unlink()
    result = build(site)
    assert result.returncode == 0, result.stderr
    assert len(rss_items(site)) == 18

    small = make_site(tmp_path / "small")
    few = dated_posts(small, 6)
    assert build(small).returncode == 0
    for path in few[:5]:
        path.unlink()
    assert build(small).returncode == 0
    assert len(rss_items(small)) == 1


def test_max_shrink_setting_allows_a_larger_drop(tmp_path: Path) -> None:
    """Finding 14: `[posts] max_shrink = 0.7` lets a build drop 60% of the posts."""
    site = make_site(tmp_path, posts="max_shrink = 0.7")
    posts = dated_posts(site, 20)
    assert build(site).returncode == 0
    for path in posts[:12]:
        path.unlink()

    result = build(site)

    assert result.returncode == 0, result.stderr
    assert len(rss_items(site)) == 8


# --- 15: undated posts keep their first date -----------------------------------------------------------------


def published_view(site: Path) -> dict[str, object]:
    """What readers and crawlers see of the one post: its date, URL and id in every format."""
    (item,) = rss_items(site)
    entry = etree.parse(str(site / "out" / "atom.xml")).find(f"{ATOM}entry")
    (json_item,) = json.loads((site / "out" / "feed.json").read_text(encoding="utf-8"))["items"]
    sitemap = etree.parse(str(site / "out" / "sitemap.xml"))
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {
        "rss": (item.findtext("pubDate"), item.findtext("link"), item.findtext("guid")),
        "atom": (
            entry.findtext(f"{ATOM}published"),
            entry.findtext(f"{ATOM}updated"),
            entry.findtext(f"{ATOM}id"),
            entry.find(f"{ATOM}link").get("href"),
        ),
        "json": (json_item["date_published"], json_item["date_modified"], json_item["id"], json_item["url"]),
        "sitemap": [
            (u.findtext("s:loc", namespaces=ns), u.findtext("s:lastmod", namespaces=ns))
            for u in sitemap.findall("s:url", ns)
        ],
    }


def test_undated_post_keeps_its_first_date_when_its_file_time_changes(tmp_path: Path) -> None:
    """Finding 15: an undated post took its date from mtime, so touch/cp/rsync moved its URL, guid and date."""
    site = make_site(tmp_path)
    path = post(site, "hello.md", "title: 안녕")
    first_time = time.mktime((2024, 3, 4, 12, 0, 0, 0, 0, -1))
    os.utime(path, (first_time, first_time))

    first = build(site)

    assert first.returncode == 0, first.stderr
    warnings = [line for line in first.stderr.splitlines() if "hello.md" in line]
    assert len(warnings) == 1 and "date:" in warnings[0], first.stderr
    seen = published_view(site)
    assert "/2024/03/04/" in seen["rss"][1]

    later = time.mktime((2024, 9, 9, 12, 0, 0, 0, 0, -1))
    os.utime(path, (later, later))
    again = build(site)

    assert again.returncode == 0, again.stderr
    assert published_view(site) == seen


# --- 16: messages -------------------------------------------------------------------------------------------


def test_ping_without_targets_says_so(tmp_path: Path) -> None:
    """Finding 16: `feedpub ping` with no targets said "0 targets"; `--dry-run` said nothing at all."""
    site = make_site(tmp_path)
    dated_posts(site, 1)
    assert build(site).returncode == 0

    for args in ((), ("--dry-run",)):
        result = feedpub("ping", *args, cwd=site)
        said = result.stdout + result.stderr
        assert result.returncode == 0, said
        assert "0 targets" not in said
        assert "nothing to ping" in said and "[ping]" in said, args


def test_ping_dry_run_prints_what_it_would_send(tmp_path: Path) -> None:
    """Finding 16: a dry run lists each target and what it would send."""
    site = make_site(tmp_path, extra='[ping]\nwebsub_hubs = ["http://127.0.0.1:9/hub"]\n')
    dated_posts(site, 1)
    assert build(site).returncode == 0

    result = feedpub("ping", "--dry-run", cwd=site)

    assert result.returncode == 0, result.stderr
    assert "http://127.0.0.1:9/hub" in result.stdout and "https://example.kr/rss.xml" in result.stdout


def test_validate_with_nothing_to_check_does_not_say_no_problems(tmp_path: Path) -> None:
    """Finding 16: `feedpub validate` on a folder without outputs said "no problems found" and exited 0."""
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("not a feed")

    result = feedpub("validate", str(tmp_path / "empty"), cwd=tmp_path)

    said = result.stdout + result.stderr
    assert result.returncode in (1, 2), said
    assert "no problems found" not in said
    assert "nothing to check" in said


def test_counts_are_pluralised(tmp_path: Path) -> None:
    """Finding 16: "1 posts published", "1 problems", "1 targets": one of a thing is singular."""
    site = make_site(tmp_path, extra='[ping]\nwebsub_hubs = ["http://127.0.0.1:9/hub"]\ntimeout = 1\ndeadline = 2\n')
    dated_posts(site, 1)

    built = build(site)
    assert built.returncode == 0, built.stderr
    assert "1 post published, 0 rejected" in built.stdout

    pinged = feedpub("ping", cwd=site)  # the port refuses: the one target fails
    assert "1 target," in pinged.stdout, pinged.stdout

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "rss.xml").write_text("<rss><channel>", encoding="utf-8")
    validated = feedpub("validate", str(broken), cwd=tmp_path)
    assert validated.returncode == 1
    assert "feedpub: 1 problem in" in validated.stderr, validated.stderr


FIX_HINT = re.compile(r"\b(owner|chown|chmod|remove|delete|rename|move)\b")


@pytest.mark.skipif(os.geteuid() == 0, reason="root opens a file whatever its mode; the variants below work as root")
def test_unwritable_lock_file_message_says_what_to_do(tmp_path: Path) -> None:
    """Finding 16: a lock file we may not open gave "cannot open the lock file: Permission denied" and no advice."""
    site = make_site(tmp_path)
    dated_posts(site, 1)
    assert build(site).returncode == 0
    (site / ".feedpub" / "lock").chmod(0)

    result = build(site)

    assert result.returncode == 2
    assert ".feedpub/lock" in result.stderr and FIX_HINT.search(result.stderr), result.stderr


@pytest.mark.parametrize("blocker", ["state_folder_is_a_file", "lock_is_a_folder"])
def test_unusable_lock_message_says_what_to_do(tmp_path: Path, blocker: str) -> None:
    """Finding 16, as root too: when the lock cannot be taken the message says how to fix it."""
    site = make_site(tmp_path)
    dated_posts(site, 1)
    if blocker == "state_folder_is_a_file":
        (site / ".feedpub").write_text("oops")
    else:
        (site / ".feedpub" / "lock").mkdir(parents=True)

    result = build(site)

    assert result.returncode == 2
    assert ".feedpub" in result.stderr and "Traceback" not in result.stderr
    assert FIX_HINT.search(result.stderr), result.stderr
    assert not (site / "out").exists()


def test_output_dir_that_is_a_file_names_the_setting(tmp_path: Path) -> None:
    """Finding 16: `[output] dir` naming a regular file failed with "robots.txt: cannot read: Not a directory"."""
    site = make_site(tmp_path)
    dated_posts(site, 1)
    (site / "public").write_text("a file, not a folder")
    config = site / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('dir = "out"', 'dir = "public"'))

    result = build(site)

    assert result.returncode == 2
    assert "output.dir" in result.stderr and "public" in result.stderr, result.stderr
    assert (site / "public").read_text() == "a file, not a folder"


def documented_keys() -> dict[str, str]:
    """The guide's configuration reference: key -> default as written there."""
    text = (REPO / "docs" / "guide.md").read_text(encoding="utf-8")
    table = text.split("<!-- config-reference", 1)[1].split("\n\n", 1)[0]
    return dict(re.findall(r"^\| `([a-z_.]+)` \| (.+?) \|", table, re.MULTILINE))


def test_config_reference_command_lists_every_key_with_its_default(tmp_path: Path) -> None:
    """Finding 16: the installed tool can print its configuration reference: `feedpub config --reference`."""
    result = feedpub("config", "--reference", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for section in ("site", "posts", "output", "feeds", "sitemap", "ping"):
        assert any(section in line for line in lines), section
    for key, default in documented_keys().items():
        matching = [line for line in lines if re.search(rf"(?<![\w.]){re.escape(key)}(?![\w.])", line)]
        assert matching, f"{key} is missing"
        if default.startswith("`"):  # a value; "(…)" defaults are said in words
            assert any(default.strip("`") in line for line in matching), f"{key}: default {default} not shown"
        elif default == "*required*":
            assert any("required" in line for line in matching), f"{key}: not marked required"


# --- 10: the pinger reads at most a small part of a reply ---------------------------------------------------


@contextmanager
def flooding_hub(megabytes: int = 100) -> Iterator[str]:
    """Yield the URL of a hub that answers 200 with `megabytes` MB of chunked body, as fast as it can be read."""
    chunk = b"x" * (1 << 20)
    framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    stop = threading.Event()

    def answer(conn: socket.socket) -> None:
        with conn:
            try:
                request = b""
                while b"\r\n\r\n" not in request:
                    request += conn.recv(65536)
                head, _, body = request.partition(b"\r\n\r\n")
                length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))
                while len(body) < length:  # the whole request: closing on unread bytes would reset the connection
                    body += conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n")
                for _ in range(megabytes):
                    if stop.is_set():
                        return
                    conn.sendall(framed)
                conn.sendall(b"0\r\n\r\n")
                conn.shutdown(socket.SHUT_WR)
            except OSError:
                return  # the client read enough and closed the connection

    def serve(sock: socket.socket) -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            threading.Thread(target=answer, args=(conn,), daemon=True).start()

    with socket.create_server(("127.0.0.1", 0)) as sock:
        sock.settimeout(0.2)
        thread = threading.Thread(target=serve, args=(sock,), daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}/hub"
        finally:
            stop.set()
            thread.join()


def high_water_kb(pid: int) -> int:
    """The peak resident memory of the running process `pid` since its exec, in kB (VmHWM); 0 where unknown."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def test_ping_reads_only_a_small_part_of_a_huge_reply(tmp_path: Path) -> None:
    """Finding 10: a hub replying with 100 MB took the pinger to 342 MB of memory (whole replies were kept)."""
    with flooding_hub() as hub:
        site = make_site(tmp_path, extra=f'[ping]\nwebsub_hubs = ["{hub}"]\ntimeout = 20\ndeadline = 60\n')
        dated_posts(site, 1)
        assert build(site).returncode == 0
        with (tmp_path / "stdout").open("wb") as stdout, (tmp_path / "stderr").open("wb") as stderr:
            command = [sys.executable, "-m", "feedpub", "ping"]
            process = subprocess.Popen(command, cwd=site, stdout=stdout, stderr=stderr)
            started = time.monotonic()
            peak_kb = 0
            while (finished := os.wait4(process.pid, os.WNOHANG))[0] == 0:
                peak_kb = max(peak_kb, high_water_kb(process.pid))
                if time.monotonic() - started > 120:
                    process.kill()
                    pytest.fail("feedpub ping did not finish within 120 s")
                time.sleep(0.01)
            process.returncode = os.waitstatus_to_exitcode(finished[1])
    # Not ru_maxrss: a child started by vfork (as subprocess does) inherits the peak of its parent's memory at
    # exec, so after a long test session it reports pytest's size, not feedpub's.
    peak_mb = (peak_kb or finished[2].ru_maxrss) / 1024  # kilobytes on Linux
    said = (tmp_path / "stdout").read_text() + (tmp_path / "stderr").read_text()
    assert process.returncode in (0, 3), said
    assert "Traceback" not in said
    assert peak_mb < 150, f"feedpub ping peaked at {peak_mb:.0f} MB"


@pytest.mark.parametrize("between", ["build-elsewhere", "site-moved"])
def test_a_record_of_the_earlier_shape_is_read_and_rewritten(tmp_path: Path, between: str) -> None:
    """outputs.json as feedpub wrote it before it kept a record per folder ({"folder": …, "files": …}): read as
    that folder's record (its stale files still deleted), and replaced; converting it made the record hold
    itself, and every build after a move or a build elsewhere stopped with an internal error."""
    site, posts = _categorised_site(tmp_path / "site")
    assert build(site).returncode == 0
    record = site / ".feedpub" / "outputs.json"
    current = json.loads(record.read_text(encoding="utf-8"))
    (folder,) = current["folders"].values()
    old = {"folder": str(site / "out"), "posts": current["posts"], "files": folder["files"], "term_feeds": []}
    record.write_text(json.dumps(old), encoding="utf-8")
    if between == "build-elsewhere":
        finished = build(site, "--no-cache", "--output", str(tmp_path / "check"))
        assert finished.returncode == 0, finished.stderr
    else:
        site = site.rename(tmp_path / "moved")
        posts = [site / "_posts" / p.name for p in posts]
    posts[3].unlink()
    finished = build(site)
    assert finished.returncode == 0, finished.stderr
    assert "folders" in json.loads((site / ".feedpub" / "outputs.json").read_text(encoding="utf-8"))
    if between == "build-elsewhere":  # the record was of this very folder: its stale files are known
        assert not (site / "out" / "categories" / "c4").exists()


def test_an_output_folder_inside_the_posts_folder_is_not_read_as_posts(tmp_path: Path) -> None:
    """`dirs = ["."]` with the default output `feeds/`: from the second build on, feeds/feeds.html,
    feeds/robots.txt and feedpub-dates.txt were published as posts dated that day (at URLs that 404)."""
    write_config(tmp_path, posts_dir=".")
    (tmp_path / "config.toml").write_text(
        (tmp_path / "config.toml").read_text(encoding="utf-8").replace('dir = "out"', 'dir = "feeds"'), "utf-8"
    )
    (tmp_path / "2024-01-02-first.md").write_text("---\ntitle: 첫 글\n---\n본문\n", encoding="utf-8")
    (tmp_path / "undated.md").write_text("---\ntitle: 날짜 없는 글\n---\n본문\n", encoding="utf-8")
    for _ in range(3):
        result = run("build", "--config", tmp_path / "config.toml", "--allow-shrink")
        assert result.exit_code == 0, result.output
    assert (tmp_path / "feedpub-dates.txt").is_file() and (tmp_path / "feeds" / "feeds.html").is_file()
    items = json.loads((tmp_path / "feeds" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert sorted(item["title"] for item in items) == ["날짜 없는 글", "첫 글"]


def test_an_output_folder_that_is_a_posts_folder_stops_the_build(tmp_path: Path) -> None:
    write_config(tmp_path, posts_dir="site")
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "2024-01-02-first.md").write_text("---\ntitle: 첫 글\n---\n본문\n", encoding="utf-8")
    result = run("build", "--config", tmp_path / "config.toml", "--output", tmp_path / "site")
    assert result.exit_code == 2
    assert "is a posts folder; feedpub would read the files it writes there as posts" in result.stderr
    assert sorted(os.listdir(tmp_path / "site")) == ["2024-01-02-first.md"]


def test_folders_other_builds_wrote_into_are_not_read_as_posts(tmp_path: Path) -> None:
    """`dirs = ["."]`: after `build --output preview`, the next build published preview/feeds.html and
    preview/robots.txt as posts (and the preview build the main folder's)."""
    write_config(tmp_path, posts_dir=".")
    (tmp_path / "2024-01-02-first.md").write_text("---\ntitle: 첫 글\n---\n본문\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    for extra in ((), ("--output", str(tmp_path / "preview")), ()):
        result = run("build", "--config", config, "--now", "2025-01-01", *extra)
        assert result.exit_code == 0, result.output
    for folder in ("out", "preview"):
        items = json.loads((tmp_path / folder / "feed.json").read_text(encoding="utf-8"))["items"]
        assert [item["title"] for item in items] == ["첫 글"], folder
    assert not (tmp_path / "feedpub-dates.txt").exists()  # no undated "post" was given a date


def test_files_a_renamed_or_turned_off_setting_leaves_are_deleted_while_they_hold_feedpubs_bytes(
    tmp_path: Path,
) -> None:
    """A renamed sitemap or feed, the news sitemap or the page turned off: the old file stayed for good, a sitemap
    still listing deleted posts; and a term feed whose address the feed escapes (`IT & 과학`) was never known for
    feedpub's. Each is deleted while it holds the bytes feedpub last wrote (a partial build's too); one the
    generator (or anyone) has written over since is kept."""
    news = '\n[sitemap]\nnews = { name = "뉴스" }\n'
    site = make_site(tmp_path, extra="[feeds]\ncategories = true\n" + news)
    posts = [post(site, f"2024-01-0{n}-p{n}.md", f"title: P{n}\ncategories: [IT & 과학]") for n in range(1, 4)]
    assert build(site).returncode == 0
    out = site / "out"
    old = ["rss.xml", "sitemap.xml", "sitemap-news.xml", "feeds.html", "categories/it-&-과학/rss.xml"]
    assert all((out / name).exists() for name in old)
    posts[2].write_text(posts[2].read_text(encoding="utf-8") + "\n더 쓴 문단.\n", encoding="utf-8")
    assert build(site).returncode == 0  # one post changed: a partial build rewrites the feeds it shows in
    (out / "feeds.html").write_text("<p>the site's own page now</p>\n", encoding="utf-8")
    config = site / "config.toml"
    text = config.read_text(encoding="utf-8").replace(news, '\n[sitemap]\npath = "sitemap-posts.xml"\n')
    text = text.replace("[feeds]\n", '[feeds]\nrss = "feed.xml"\n')
    config.write_text(text.replace('[output]\ndir = "out"\n', '[output]\ndir = "out"\npage = ""\n'), "utf-8")
    posts[0].unlink()

    result = build(site)

    assert result.returncode == 0, result.stderr
    assert [name for name in old if (out / name).exists()] == ["feeds.html"]
    assert (out / "feeds.html").read_text(encoding="utf-8") == "<p>the site's own page now</p>\n"
    assert (out / "feed.xml").exists() and (out / "sitemap-posts.xml").exists()


# Runs `feedpub build` in a process that ends itself (SIGKILL) as it renames its no-change record into place.
_KILLED_SAVING_THE_RECORD = (
    "import os, signal, sys; real = os.replace\n"
    "def replace(a, b, *rest, **named):\n"
    "    if str(b).endswith('standing.marshal'): os.kill(os.getpid(), signal.SIGKILL)\n"
    "    return real(a, b, *rest, **named)\n"
    "os.replace = replace\n"
    "from feedpub.cli import main; main(sys.argv[1:])"
)


def test_a_build_killed_saving_its_record_leaves_nothing_the_next_keeps(tmp_path: Path) -> None:
    """standing.marshal.<pid>.tmp, left by a build killed as it saved its no-change record, was never removed (one
    more each such kill): it is named as the writer names temporaries, which the next build clears away."""
    site = make_site(tmp_path)
    dated_posts(site, 3)
    assert build(site).returncode == 0
    post(site, "2024-02-01-new.md", "title: new")
    _build_killed(site, _KILLED_SAVING_THE_RECORD)
    assert any(name.endswith(".tmp") for name in os.listdir(site / ".feedpub"))
    post(site, "2024-02-02-newer.md", "title: newer")

    assert build(site).returncode == 0
    assert not [name for name in os.listdir(site / ".feedpub") if name.endswith(".tmp")]


def test_the_sites_robots_txt_stays_when_feedpub_stops_writing_its_sitemap_line(tmp_path: Path) -> None:
    """feedpub merges its Sitemap line into the site's own robots.txt: turning ping.robots_txt off deleted the file,
    the site's Disallow rules with it, as one feedpub wrote and writes no more."""
    site = make_site(tmp_path)
    dated_posts(site, 2)
    (site / "out").mkdir()
    (site / "out" / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", encoding="utf-8")
    assert build(site).returncode == 0
    assert "Sitemap:" in (site / "out" / "robots.txt").read_text(encoding="utf-8")
    config = site / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + "[ping]\nrobots_txt = false\n", encoding="utf-8")

    assert build(site).returncode == 0
    assert "Disallow: /admin/" in (site / "out" / "robots.txt").read_text(encoding="utf-8")


def test_a_renamed_sitemap_a_killed_build_did_not_delete_is_deleted_by_the_next(tmp_path: Path) -> None:
    """The record a build leaves before deleting names the stale files, but kept no digest for them: killed then,
    every later build kept the old sitemap.xml (the posts it lists deleted since: 404s to crawlers)."""
    site = make_site(tmp_path)
    dated_posts(site, 3)
    assert build(site).returncode == 0
    config = site / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + '[sitemap]\npath = "sitemap-posts.xml"\n', "utf-8")
    _build_killed(site, _KILLED_BEFORE_REMOVING)
    assert (site / "out" / "sitemap.xml").exists()  # the kill came before the deletions

    assert build(site).returncode == 0
    assert not (site / "out" / "sitemap.xml").exists()


def test_renamed_outputs_of_any_name_are_deleted(tmp_path: Path) -> None:
    """The config names a feed `feed.rss` or `feed/atom`, the page `feeds.htm`: renamed, the old files stayed,
    as names of no kind feedpub knew for its own."""
    site = make_site(tmp_path, extra='[feeds]\nrss = "feed.rss"\natom = "feed/atom"\n')
    config = site / "config.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace('[output]\ndir = "out"\n', '[output]\ndir = "out"\npage = "feeds.htm"\n'), "utf-8")
    dated_posts(site, 2)
    assert build(site).returncode == 0
    text = config.read_text(encoding="utf-8").replace("feed.rss", "rss.xml").replace("feed/atom", "atom.xml")
    config.write_text(text.replace("feeds.htm", "feeds.html"), "utf-8")

    assert build(site).returncode == 0
    assert not [name for name in ("feed.rss", "feed/atom", "feeds.htm") if (site / "out" / name).exists()]


def test_a_term_feed_replaced_by_another_program_is_not_deleted_when_its_term_goes(tmp_path: Path) -> None:
    """A term feed the record names is deleted when its term goes only while it holds the bytes feedpub wrote: a Hugo
    post's `url: /tags/foo/atom.xml` had Hugo write its page there, and feedpub deleted that page as a stale feed."""
    site = make_site(tmp_path, extra="[feeds]\ntags = true\n")
    dated_posts(site, 3)
    tagged = post(site, "2024-02-01-tagged.md", "title: 태그\ntags: [foo]")
    assert build(site).returncode == 0
    term_feeds = [name for name in files_under(site / "out") if "foo" in name]
    assert term_feeds
    for name in term_feeds:
        (site / "out" / name).write_text("<html><body>another program's page</body></html>", encoding="utf-8")
    post(site, tagged.name, "title: 태그")  # the tag goes
    assert build(site).returncode == 0
    for name in term_feeds:
        assert (site / "out" / name).read_text(encoding="utf-8") == "<html><body>another program's page</body></html>"


@pytest.mark.parametrize(
    "permalink", ["/tags/foo/atom.xml", "/tags/foo/rss.xml/", "/tags/foo/feed.json/x/", "/tags%2Ffoo/atom.xml"]
)
def test_a_term_feed_where_a_posts_page_is_served_is_not_written(tmp_path: Path, permalink: str) -> None:
    """A Hugo post's `url: /tags/foo/atom.xml` had Hugo write its page where feedpub then wrote the tag's feed over
    it: that term's feeds are left out, with a warning naming the post; the other feeds are written."""
    site = make_site(tmp_path, extra="[feeds]\ntags = true\n")
    post(site, "2024-01-01-tagged.md", "title: 태그\ntags: [foo, bar]")
    post(site, "2024-01-02-page.md", f'title: 페이지\npermalink: "{permalink}"')
    result = build(site)
    assert result.returncode == 0, result.stderr
    written = files_under(site / "out")
    assert not [name for name in written if name.startswith("tags/foo/")]
    assert "tags/bar/atom.xml" in written
    assert "2024-01-02-page.md: its page is served at" in result.stderr


@pytest.mark.parametrize("name", ["feed.json", "sitemap.xml", "atom.xml"])
def test_a_folder_where_an_output_goes_is_passed_over_not_a_stop(tmp_path: Path, name: str) -> None:
    """A post at `/feed.json/` is rejected by name, but its generator still writes its page there as a folder (a
    Hugo alias too): every build stopped ("is a folder, where feedpub writes this file") and published nothing. The
    output is passed over with a warning; the others are written, at every build."""
    site = make_site(tmp_path)
    dated_posts(site, 3)
    post(site, "2024-02-01-squat.md", f"title: 자리\npermalink: /{name}/")
    page = site / "out" / name / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text("<html><body>the generator's page</body></html>", encoding="utf-8")
    for attempt in range(2):
        result = build(site)
        assert result.returncode == 1, result.stderr  # the post, rejected by name
        # Told by the build that wrote; the next finds nothing changed, and writes nothing.
        assert (f"{name}: not written, as a folder of the site is there" in result.stderr) is (attempt == 0)
        assert "rss.xml" in files_under(site / "out")
        assert page.read_text(encoding="utf-8") == "<html><body>the generator's page</body></html>"
