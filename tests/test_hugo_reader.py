"""Hugo sites read as Hugo 0.111.3 publishes them: the oracle fixtures (tests/sites/hugo) through the real CLI.

For each fixture: `feedpub init --from-hugo` on a copy, then `feedpub build`, nothing edited; the posts must be
exactly Hugo's published, listed regular pages of the main sections, at Hugo's permalinks, with Hugo's dates and
languages, and each RSS guid the permalink Hugo gives as that page's guid. Expected data comes from
expected.json (recorded from Debian's hugo) and, when hugo is installed, from a fresh build.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from feedpub.config import load_config
from feedpub.models import Edition, Multilingual, Site
from feedpub.namespaces import SITEMAP_NS
from feedpub.read import settings_for
from feedpub.read.collect import collect
from feedpub.read.hugo import ZERO, split_front_matter
from feedpub.read.hugo.dates import TimeOnly, hugo_date
from feedpub.read.hugo.paths import _sanitized_characters, expand, lower, sanitize, settle, urlize
from tests import hugo_oracle
from tests.conformance import skip_or_fail
from tests.conftest import run

FIXTURES = hugo_oracle.fixtures()
NOW = datetime.fromisoformat(hugo_oracle.CLOCK)
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"
# Hugo's mainSections of each fixture (the section with the most regular pages), as hugo itself prints them:
# test_main_sections_are_hugos checks this table against it.
MAIN_SECTIONS = {
    "bundles-sections": ("posts",),
    "config-dir-multilingual": ("posts",),
    "contentdir-per-language": ("post",),
    "dates-permalinks": ("posts",),
    "plain-folders": ("posts", "notes"),
    "shortcodes-markup": ("posts",),
}
# Their configs limit RSS items, so that a page missing from every feed does not show `_build.list: never`;
# neither has such a page.
LIMITED_FEEDS = {"config-dir-multilingual", "contentdir-per-language"}


def _hugo_result(site: str, source: str, tmp_path: Path) -> dict[str, Any]:
    if source == "expected.json":
        return json.loads(hugo_oracle.expected_path(site).read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    if (version := hugo_oracle.hugo_version(binary)) != hugo_oracle.HUGO_VERSION:
        skip_or_fail(f"hugo {version} is installed; the reader follows {hugo_oracle.HUGO_VERSION}")
    return hugo_oracle.build(site, binary=binary, workdir=tmp_path)


def _posts_hugo_lists(site: str, result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Hugo's published regular pages of the main section that its feeds list, by permalink."""
    in_feeds = {item["link"] for feed in result["feeds"].values() for item in feed["items"]}
    return {
        page["permalink"]: page
        for page in result["pages"]
        if page["section"] in MAIN_SECTIONS[site]
        and page["permalink"]  # _build.render: never: Hugo's feeds carry it with an empty <link>
        and (site in LIMITED_FEEDS or page["permalink"] in in_feeds)  # _build.list: never
    }


def _init_and_build(site: str, tmp_path: Path) -> Path:
    copy = tmp_path / site
    shutil.copytree(hugo_oracle.SITES / site, copy, ignore=shutil.ignore_patterns("expected.json", "public"))
    config = tmp_path / "feedpub.toml"
    result = run("init", "--from-hugo", copy, "--config", config)
    assert result.exit_code == 0, result.output
    result = run("build", "--config", config, "--now", hugo_oracle.CLOCK, "--quiet")
    assert result.exit_code == 0, result.output
    return config


@pytest.mark.parametrize("source", ["expected.json", "hugo"])
@pytest.mark.parametrize("site", FIXTURES)
def test_posts_urls_dates_languages_and_guids_are_hugos(site: str, source: str, tmp_path: Path) -> None:
    hugo = _hugo_result(site, source, tmp_path)
    expected = _posts_hugo_lists(site, hugo)
    config = _init_and_build(site, tmp_path / "feedpub")
    feedpub_site = load_config(config)
    out = feedpub_site.output_dir

    # The sitemap lists every post (the feeds keep Hugo's item limit), and the home pages: through an index of
    # the languages' sitemaps on a multilingual site, as Hugo's.
    sitemaps = _sitemaps(out, feedpub_site.uri)
    locs = {loc for urls in sitemaps.values() for loc in urls}
    homes = {feedpub_site.output_uri(e.folder) for e in _editions(feedpub_site)} or {feedpub_site.uri}
    assert locs - homes == set(expected)

    settings = settings_for(feedpub_site)
    collection = collect(settings, NOW)
    assert not collection.rejected
    for post in collection.posts:
        page = expected[post.uri]
        hugo_date = datetime.fromisoformat(page["date"])
        if hugo_date != ZERO:  # Hugo's 0001-01-01 becomes feedpub's fallback date (see read/hugo)
            assert (post.published, post.published.utcoffset()) == (hugo_date, hugo_date.utcoffset()), post.source
        multilingual = len({p["lang"] for p in hugo["pages"]}) > 1
        assert post.language == (page["lang"] if multilingual else ""), post.source

    # Every RSS item's guid (and link) is the permalink Hugo gives that page as guid in its own feeds; a
    # multilingual site has a home feed per language, at Hugo's path, holding only that language's pages.
    hugo_guids = {item["link"]: item["guid"] for feed in hugo["feeds"].values() for item in feed["items"]}
    editions = _editions(feedpub_site)
    feeds = {e.language: e.folder + feedpub_site.feeds.rss.removeprefix(editions[0].folder) for e in editions}
    assert set(feeds.values()) <= set(hugo["feeds"])
    for language, feed in (feeds or {"": feedpub_site.feeds.rss}).items():
        items = ET.parse(out / feed).getroot().iter("item")
        guids = [(item.findtext("link"), item.findtext("guid")) for item in items]
        assert guids, f"the RSS feed {feed} is empty"
        for link, guid in guids:
            assert link == guid and link in expected
            assert expected[link]["lang"] == language or not language, (feed, link)
            if site not in LIMITED_FEEDS or link in hugo_guids:  # Hugo's limited feeds hold its other pages too
                assert guid == hugo_guids[link]
        if site in LIMITED_FEEDS:  # with Hugo's item limit: the same newest pages of the language as Hugo's
            hugo_items = [i["guid"] for i in hugo["feeds"][feed]["items"] if i["guid"] in expected]
            assert [g for _, g in guids][: len(hugo_items)] == hugo_items, feed


def _editions(site: Site) -> tuple[Edition, ...]:
    rules = settings_for(site).rules
    return rules.editions() if isinstance(rules, Multilingual) else ()


def _sitemaps(out: Path, site_uri: str) -> dict[str, list[str]]:
    """Each urlset's locs by file; through the index when sitemap.xml is one."""
    root = ET.parse(out / "sitemap.xml").getroot()
    if root.tag != f"{SITEMAP}sitemapindex":
        return {"sitemap.xml": [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]}
    found = {}
    for loc in root.iter(f"{SITEMAP}loc"):
        name = unquote((loc.text or "").removeprefix(site_uri))
        found[name] = [u.text or "" for u in ET.parse(out / name).getroot().iter(f"{SITEMAP}loc")]
    return found


MULTILINGUAL = [site for site in FIXTURES if site in LIMITED_FEEDS]


@pytest.mark.parametrize("site", MULTILINGUAL)
def test_multilingual_sitemaps_are_hugos(site: str, tmp_path: Path) -> None:
    """Hugo's index over per-language sitemaps, each language's posts alone, translations linked by hreflang."""
    hugo = json.loads(hugo_oracle.expected_path(site).read_text(encoding="utf-8"))
    expected = _posts_hugo_lists(site, hugo)
    config = _init_and_build(site, tmp_path)
    feedpub_site = load_config(config)
    out = feedpub_site.output_dir
    index = ET.parse(out / "sitemap.xml").getroot()
    assert [loc.text for loc in index.iter(f"{SITEMAP}loc")] == [
        s["loc"] for s in hugo["sitemaps"]["sitemap.xml"]["sitemaps"]
    ]
    checked = 0
    for name, urls in _sitemaps(out, feedpub_site.uri).items():
        hugo_urls = {u["loc"]: u for u in hugo["sitemaps"][name]["urls"]}
        root = ET.parse(out / name).getroot()
        for url in root.iter(f"{SITEMAP}url"):
            loc = url.findtext(f"{SITEMAP}loc")
            alternates = [{"hreflang": a.get("hreflang"), "href": a.get("href")} for a in url.iter(f"{XHTML}link")]
            assert loc in hugo_urls, (name, loc)
            assert alternates == hugo_urls[loc]["alternates"], (name, loc)
            checked += bool(alternates)
        assert {loc for loc in urls if loc in expected} == {
            link for link, page in expected.items() if name == f"{page['lang']}/sitemap.xml"
        }
    assert checked >= 3  # the home pages and at least one translated post


def test_atom_links_translations_by_hreflang(tmp_path: Path) -> None:
    hugo = json.loads(hugo_oracle.expected_path("config-dir-multilingual").read_text(encoding="utf-8"))
    expected = _posts_hugo_lists("config-dir-multilingual", hugo)
    config = _init_and_build("config-dir-multilingual", tmp_path)
    feedpub_site = load_config(config)
    atom = feedpub_site.output_dir / "en" / feedpub_site.feeds.atom.removeprefix("ko/")
    linked = 0
    for entry in ET.parse(atom).getroot().iter(f"{ATOM}entry"):
        links = entry.findall(f"{ATOM}link[@hreflang]")
        page = expected[entry.find(f"{ATOM}link").get("href")]  # type: ignore[union-attr]
        assert [(a.get("hreflang"), a.get("href")) for a in links] == [
            (t["lang"], t["permalink"]) for t in page["translations"]
        ]
        linked += bool(links)
    assert linked


def test_init_from_hugo_names_the_feed_hugo_served(tmp_path: Path) -> None:
    """config/_default + production: production's baseURL (with a path), the language's title, RSS baseName."""
    config = _init_and_build("config-dir-multilingual", tmp_path)
    text = config.read_text(encoding="utf-8")
    assert 'generator = "hugo"' in text and 'source = "config-dir-multilingual"' in text
    site = load_config(config)
    assert site.url == "https://example.org/blog/"
    assert site.title == "한국어 블로그"
    assert site.feeds.rss == "ko/feed.xml"  # Hugo's home feed of the default language, renamed by baseName
    assert site.feeds.limit == 3
    hugo = json.loads(hugo_oracle.expected_path("config-dir-multilingual").read_text(encoding="utf-8"))
    assert site.feeds.rss in hugo["feeds"]
    assert (site.output_dir / "ko" / "feed.xml").is_file()


@pytest.mark.parametrize("site", ["bundles-sections", "dates-permalinks", "shortcodes-markup"])
def test_init_from_hugo_keeps_index_xml(site: str, tmp_path: Path) -> None:
    config = _init_and_build(site, tmp_path)
    assert load_config(config).feeds.rss == "index.xml"


def test_main_sections_are_hugos(tmp_path: Path) -> None:
    """MAIN_SECTIONS is what hugo prints as site.Params.mainSections for each fixture."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    for site in FIXTURES:
        copy = tmp_path / site
        shutil.copytree(hugo_oracle.SITES / site, copy, ignore=shutil.ignore_patterns("expected.json", "public"))
        (copy / "layouts" / "index.html").write_text("{{ site.Params.mainSections }}", encoding="utf-8")
        dest = tmp_path / f"{site}-public"
        hugo_oracle._run(binary, ["--source", str(copy), "--destination", str(dest), "--quiet"], tmp_path)
        homes = [dest / "index.html", *dest.glob("*/index.html")]
        printed = {p.read_text(encoding="utf-8").strip() for p in homes if p.is_file()}
        assert f"[{' '.join(MAIN_SECTIONS[site])}]" in printed, (site, printed)


# Titles and the permalink Hugo 0.111.3 gave each under `/:title/` (a throwaway site, 2024-06; re-checked by
# test_urlize_is_hugos when hugo is installed).
TITLES = {
    "a - b -- c+d #e": "/a-b--c-d-#e/",
    "100% + 50 & more": "/100--50-more/",
    "C++ & Go / 2": "/c-go-/-2/",
    "x — y": "/x-y/",
    "  Leading   and trailing  ": "/leading-and-trailing/",
    "a + b": "/a--b/",
    "1+": "/1-/",
    "a%20b": "/a-b/",
    "a%zzb": "/azzb/",
    "Tab\there": "/tab-here/",
    "a\u00a0b": "/a-b/",
    "ΣΊΣΥΦΟΣ": "/σίσυφοσ/",
    "x²y": "/xy/",
    "a@b~c\\d": "/a@b~c\\d/",
    "q?u=e&r;y": "/query/",
    "-- x --": "/--x--/",
    "a !b": "/a-b/",
    "x.html": "/x.html/",
    "a/b/c": "/a/b/c/",
    "Hello, World! C++ & Go / 2 — “quotes” 'single' _under_ 100% #hash": (
        "/hello-world-c-go-/-2-quotes-single-_under_-100-#hash/"
    ),
    # Every character kept: sanitize's fast path.
    "전기차 보조금 - 핵심 -정리": "/전기차-보조금-핵심-정리/",
    "2024년  지원금- 3단계": "/2024년-지원금-3단계/",
}


@pytest.mark.parametrize("title", list(TITLES))
def test_title_permalinks(title: str) -> None:
    assert settle(expand("/:title/", {"title": urlize(title)}, ZERO, [])) == TITLES[title]


def test_urlize_is_hugos(tmp_path: Path) -> None:
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    (tmp_path / "content" / "t").mkdir(parents=True)
    (tmp_path / "layouts" / "_default").mkdir(parents=True)
    (tmp_path / "hugo.toml").write_text('baseURL = "https://x.example/"\n[permalinks]\nt = "/:title/"\n')
    for number, title in enumerate(TITLES):
        page = f"---\ntitle: {json.dumps(title)}\ndate: 2020-01-01\n---\n"
        (tmp_path / "content" / "t" / f"p{number}.md").write_text(page, encoding="utf-8")
    (tmp_path / "layouts" / "index.html").write_text("{{ range site.RegularPages }}{{ .RelPermalink }}\n{{ end }}")
    for name in ("single", "list"):
        (tmp_path / "layouts" / "_default" / f"{name}.html").write_text(".")
    hugo_oracle._run(
        binary, ["--source", str(tmp_path), "--destination", str(tmp_path / "public"), "--quiet"], tmp_path
    )
    from urllib.parse import unquote

    got = sorted(unquote(line) for line in (tmp_path / "public" / "index.html").read_text().split())
    assert got == sorted(TITLES.values())


@pytest.mark.parametrize(
    ("pattern", "sections", "path"),
    [
        # Observed on 0.111.3 with pages s/b/index.md, s/sub/c.md and s/sub/deep/d.md (sub, deep: _index.md).
        ("/:sections[0]/:filename/", ["s", "sub"], "/s/c/"),
        ("/:sections[1:]/:filename/", ["s", "sub", "deep"], "/sub/deep/c/"),
        ("/:sections[1:]/:filename/", ["s"], "/c/"),
        ("/:sections[last]/:filename/", ["s", "sub", "deep"], "/deep/c/"),
        ("/:sections[last]/:filename/", ["s"], "/c/"),  # not "s": a single section gives nothing
        ("/:sections[:last]/:filename/", ["s", "sub", "deep"], "/s/sub/c/"),
        ("/:sections[1:2]/:filename/", ["s", "sub", "deep"], "/sub/c/"),
    ],
)
def test_sections_slices(pattern: str, sections: list[str], path: str) -> None:
    assert settle(expand(pattern, {"filename": "c"}, ZERO, sections)) == path


def test_date_tokens_use_the_dates_own_offset() -> None:
    date = datetime.fromisoformat("2022-12-31T23:30:00-05:00")
    tokens = "/:year/:month/:monthname/:day/:weekday/:weekdayname/:yearday/"
    assert expand(tokens, {}, date, []) == "/2022/12/December/31/6/Saturday/365/"  # lower-cased with the path


@given(st.text(alphabet=st.sampled_from("aZ9٣²한글 \t\u3000\u00a0-_.#+~@/\\%!,é\u0301ⅫΣ"), max_size=24))
@example("전기차 보조금 - 핵심 -정리")
@example("2024년  지원금- 3단계")
def test_sanitize_words_as_the_character_pass(text: str) -> None:
    """sanitize's fast path (every character kept) gives what the character-by-character pass gives."""
    assert sanitize(text) == _sanitized_characters(text)


@given(st.text(alphabet=st.sampled_from("aZ9ΣσςİIıß한ǅﬀΩ -ÅẞΐK"), max_size=16))
@example("ΣΟΣ")
@example("İstanbul")
def test_lower_is_the_rune_by_rune_pass(text: str) -> None:
    """paths.lower's str.lower fast path gives Go's one-character-for-one lowering."""
    assert lower(text) == "".join(c.lower()[0] for c in text)


def test_remove_accents_and_case() -> None:
    title = "Ñandú über Straße: Ça va? Ærø & Œuvre"
    assert urlize(title, remove_accents=True) == "nandu-uber-straße-ca-va-ærø-œuvre"
    assert urlize("Ünïcode Slug 번들", to_lower=False) == "Ünïcode-Slug-번들"


def _has_term_feeds(site: str) -> bool:
    files = json.loads(hugo_oracle.expected_path(site).read_text(encoding="utf-8"))["files"]
    return any(_is_term_feed(name) for name in files)


def _is_term_feed(name: str) -> bool:
    """A feed of one category or tag: below a taxonomy's folder, one folder or more down (tags/a/b/index.xml)."""
    return any(part in ("tags", "categories") for part in name.split("/")[:-2])


@pytest.mark.parametrize("site", [site for site in FIXTURES if _has_term_feeds(site)])
def test_term_feeds_are_where_hugo_serves_its_term_feeds(site: str, tmp_path: Path) -> None:
    """Each category's and tag's RSS at Hugo's own path (tags/go-rust/index.xml for "Go & Rust")."""
    hugo = json.loads(hugo_oracle.expected_path(site).read_text(encoding="utf-8"))
    config = _init_and_build(site, tmp_path)
    out = load_config(config).output_dir
    rss = Path(load_config(config).feeds.rss).name  # "ko/feed.xml" on a site with its language in a folder
    written = {str(p.relative_to(out)) for p in out.rglob(rss) if _is_term_feed(str(p.relative_to(out)))}
    hugos = {name for name in hugo["files"] if name.endswith("/" + rss) and _is_term_feed(name)}
    assert written, "no term feeds were written"
    assert written <= hugos, sorted(written - hugos)


def _hugo_files(binary: str, site: Path) -> set[str]:
    """The files Hugo 0.111.3 writes for `site`, relative to its output folder."""
    out = site / "public"
    hugo_oracle._run(binary, ["--source", str(site), "--destination", str(out), "--quiet"], site)
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def _site_with_kinds(root: Path, disable_kinds: str) -> Path:
    """A Hugo site of two tagged, categorised posts whose config sets `disableKinds = <disable_kinds>` (TOML)."""
    site = root / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    config = f'baseURL = "https://kinds.example/"\ntitle = "Kinds"\ndisableKinds = {disable_kinds}\n'
    (site / "hugo.toml").write_text(config, encoding="utf-8")
    for number in (1, 2):
        post = f'---\ntitle: Post {number}\ndate: 2024-01-0{number}T10:00:00+09:00\ntags: ["Go & Rust"]\n'
        post += 'categories: ["뉴스"]\n---\n\nBody.\n'
        (site / "content" / "posts" / f"p{number}.md").write_text(post, encoding="utf-8")
    for name in ("single", "list"):
        (site / "layouts" / "_default" / f"{name}.html").write_text("{{ .Title }}", encoding="utf-8")
    return site


@pytest.mark.parametrize(
    "disable_kinds",
    # As written in real configs; Hugo matches kinds case-sensitively ("Term" disables nothing), and
    # "taxonomyTerm", the old name, is its "taxonomy" (the list of terms), not the terms' pages.
    ['["taxonomy", "term"]', '["term"]', '"term"', '["Term"]', '["taxonomyTerm"]', '["RSS", "sitemap"]'],
)
def test_term_feeds_only_where_hugo_makes_term_pages(disable_kinds: str, tmp_path: Path) -> None:
    """`init --from-hugo` turns the category and tag feeds on exactly when Hugo makes the pages they link to; a
    config that turns them on anyway stops before anything is written."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    site = _site_with_kinds(tmp_path, disable_kinds)
    hugo_files = _hugo_files(binary, site)
    term_pages = {name for name in hugo_files if _is_term_feed(name) and name.endswith("/index.html")}
    config = tmp_path / "feedpub.toml"
    assert run("init", "--from-hugo", site, "--config", config).exit_code == 0
    text = config.read_text(encoding="utf-8")
    on = "categories = true" in text
    assert on == bool(term_pages), text
    if on:
        result = run("build", "--config", config, "--quiet")
        assert result.exit_code == 0, result.output
        out = load_config(config).output_dir
        feeds = [p for p in out.rglob("index.xml") if _is_term_feed(p.relative_to(out).as_posix())]
        assert feeds
        for feed in feeds:
            link = ET.parse(feed).getroot().findtext("channel/link") or ""
            page = unquote(link.removeprefix("https://kinds.example/")) + "index.html"
            assert page in hugo_files, (feed, link)
        return
    shutil.rmtree(site / "public")
    config.write_text(text.replace("categories = false", "categories = true"), encoding="utf-8")
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 2
    assert 'feeds.categories: the Hugo site\'s disableKinds has "term"' in result.output
    assert not (site / "public").exists()


def test_a_hugo_site_without_post_pages_stops_the_build(tmp_path: Path) -> None:
    """disableKinds = ["page"]: Hugo makes no post page, so no feed may link one."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    site = _site_with_kinds(tmp_path, '["page"]')
    assert not any(name.startswith("posts/p1") for name in _hugo_files(binary, site))
    shutil.rmtree(site / "public")
    config = tmp_path / "feedpub.toml"
    assert run("init", "--from-hugo", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 2
    assert 'disableKinds has "page": Hugo makes no page for any post' in result.output
    assert not (site / "public").exists()


@pytest.mark.parametrize(
    "languages",
    [
        'defaultContentLanguage = "ko"\n[languages.ko]\nweight = 1\n[languages.en]\nweight = 2\n',
        'defaultContentLanguage = "KO"\n[languages.ko]\nweight = 1\n[languages.en]\nweight = 2\n',
        'defaultContentLanguage = "fr"\n[languages.ko]\nweight = 1\n[languages.en]\nweight = 2\n',
        'defaultContentLanguage = "EN"\n',
        'defaultContentLanguage = "fr"\n',
        'defaultContentLanguage = "En"\n[languages.En]\nweight = 1\n',
        'defaultContentLanguage = "en"\n[languages.En]\nweight = 1\n',
    ],
    ids=["ko-of-two", "KO-of-two", "fr-of-two", "EN-alone", "fr-alone", "En-of-En", "en-of-En"],
)
def test_default_language_as_hugo_takes_it(languages: str, tmp_path: Path) -> None:
    """Where Hugo 0.111.3 publishes the default language's pages, feedpub publishes them at the same URLs; where
    it stops, or publishes none of them (a defaultContentLanguage that differs from its key by case), the build
    stops with a ConfigError rather than publish links to pages that do not exist."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(f'baseURL = "https://lang.example/"\ntitle = "L"\n{languages}', encoding="utf-8")
    for name in ("a.md", "b.en.md"):
        post = f"---\ntitle: {name}\ndate: 2024-01-01T00:00:00Z\n---\n\nBody.\n"
        (site / "content" / "posts" / name).write_text(post, encoding="utf-8")
    for name in ("single", "list"):
        (site / "layouts" / "_default" / f"{name}.html").write_text("{{ .Title }}", encoding="utf-8")
    try:
        hugo_files = _hugo_files(binary, site)
    except hugo_oracle.HugoError:
        hugo_files = None  # Hugo stopped
    shutil.rmtree(site / "public", ignore_errors=True)
    config = tmp_path / "feedpub.toml"
    init = run("init", "--from-hugo", site, "--config", config)
    built = run("build", "--config", config, "--quiet") if init.exit_code == 0 else init
    default_page = {"posts/a/index.html", "ko/posts/a/index.html"}
    if hugo_files is None or not default_page & hugo_files:
        assert built.exit_code == 2, built.output
        assert "defaultContentLanguage" in built.output
        assert not (site / "public").exists()
        return
    assert built.exit_code == 0, built.output
    out = load_config(config).output_dir
    sitemaps = _sitemaps(out, load_config(config).uri)
    pages = {unquote(loc).removeprefix("https://lang.example/") for urls in sitemaps.values() for loc in urls}
    posts = {page + "index.html" for page in pages if "posts/" in page}
    assert posts == {name for name in hugo_files if name.split("/")[-3:-2] == ["posts"] and name.endswith(".html")}


@pytest.mark.parametrize("to_lower", ["false", "true"])
def test_permalink_case_as_hugo_writes_it(to_lower: str, tmp_path: Path) -> None:
    """The whole path is lower-cased unless disablePathToLower: the pattern's own letters, Go's month and day
    names, and what an escape in a title decodes to."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    config = f'baseURL = "https://case.example/"\ntitle = "C"\ndisablePathToLower = {to_lower}\n'
    config += '[permalinks]\nposts = "/Blog/:monthname/:weekdayname/:title/"\n'
    (site / "hugo.toml").write_text(config, encoding="utf-8")
    titles = {"a.md": "Hello There", "b.md": "X %C3%84 Y", "c.md": "Ünïcode Ω"}
    for number, (name, title) in enumerate(titles.items(), 1):
        post = f"---\ntitle: {json.dumps(title)}\ndate: 2024-0{number}-0{number}T10:00:00Z\n---\n\nBody.\n"
        (site / "content" / "posts" / name).write_text(post, encoding="utf-8")
    for name in ("single", "list"):
        (site / "layouts" / "_default" / f"{name}.html").write_text("{{ .Title }}", encoding="utf-8")
    hugo_posts = {name for name in _hugo_files(binary, site) if name.startswith(("Blog/", "blog/"))}
    shutil.rmtree(site / "public")
    feed_config = tmp_path / "feedpub.toml"
    assert run("init", "--from-hugo", site, "--config", feed_config).exit_code == 0
    result = run("build", "--config", feed_config, "--quiet")
    assert result.exit_code == 0, result.output
    feedpub_site = load_config(feed_config)
    locs = {loc for urls in _sitemaps(feedpub_site.output_dir, feedpub_site.uri).values() for loc in urls}
    pages = {unquote(loc).removeprefix("https://case.example/") + "index.html" for loc in locs}
    assert pages - {"index.html"} == hugo_posts


def test_terms_as_hugo_takes_them(tmp_path: Path) -> None:
    """A taxonomy given as a string or a number is one term to Hugo ("Go Rust" is /tags/go-rust/), a list one term
    an item: each term feed lands where Hugo serves that term's page and feed."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://terms.example/"\ntitle = "T"\n', encoding="utf-8")
    posts = {
        "a.md": '---\ntitle: A\ndate: 2024-01-01\ntags: "Go Rust"\ncategories: "News, Tech"\n---\nx\n',
        "b.md": "+++\ntitle = 'B'\ndate = 2024-01-02\ntags = 'Solo'\ncategories = 42\n+++\nx\n",
        "c.md": '---\ntitle: C\ndate: 2024-01-03\ntags: ["A B", "c, d"]\n---\nx\n',
    }
    for name, text in posts.items():
        (site / "content" / "posts" / name).write_text(text, encoding="utf-8")
    for name in ("single", "list"):
        (site / "layouts" / "_default" / f"{name}.html").write_text("{{ .Title }}", encoding="utf-8")
    hugo_feeds = {name for name in _hugo_files(binary, site) if _is_term_feed(name) and name.endswith("index.xml")}
    shutil.rmtree(site / "public")
    config = tmp_path / "feedpub.toml"
    assert run("init", "--from-hugo", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 0, result.output
    out = load_config(config).output_dir
    written = {p.relative_to(out).as_posix() for p in out.rglob("index.xml") if _is_term_feed(str(p.relative_to(out)))}
    assert written == hugo_feeds


# Pages real sites have whose URLs took feedpub more than Hugo's documentation to get right (each was a 404 once):
# a date prefix without `:filename` among the date sources, slugs and names with white space at either end, "+"
# and "%" in names, dots in a name under a pattern without a trailing "/", a title with markup.
TRICKY_PAGES = {
    "2024-02-03-dated-name.md": "---\ntitle: Dated Name\n---\nx\n",
    "dated/2024-03-04-with-date.md": "---\ntitle: With Date\ndate: 2024-03-10\n---\nx\n",
    "2024-05-05-dated-bundle/index.md": "---\ntitle: Dated Bundle\n---\nx\n",
    "lead.md": '---\ntitle: Lead\ndate: 2024-01-01\nslug: "  lead"\n---\nx\n',
    "trail.md": '---\ntitle: Trail\ndate: 2024-01-02\nslug: "trail  "\n---\nx\n',
    "tab.md": '---\ntitle: Tab\ndate: 2024-01-03\nslug: "\\ttab"\n---\nx\n',
    " lead file.md": "---\ntitle: Lead File\ndate: 2024-01-04\n---\nx\n",
    "c++-tips.md": "---\ntitle: C++ tips\ndate: 2024-01-05\n---\nx\n",
    "100% done.md": "---\ntitle: Done\ndate: 2024-01-06\n---\nx\n",
    "dots.in.name.md": "---\ntitle: Dots\ndate: 2024-01-07\n---\nx\n",
    "Sub Folder/Ünï Page.md": "---\ntitle: Deep\ndate: 2024-01-08\n---\nx\n",
    "markup.md": '---\ntitle: "C++ & Go: 100% <fast>?"\ndate: 2024-01-09\n---\nx\n',
    "entity.md": "---\ntitle: \"A &amp; B <em>x</em> 'q'\"\ndate: 2024-01-10\n---\nx\n",
    "toml.md": '+++\ntitle = "TOML Page"\ndate = 2024-01-11T10:00:00+09:00\nslug = "Toml Slug"\n+++\nx\n',
    "url-file.md": "---\ntitle: URL File\ndate: 2024-01-12\nurl: /files/page.html\n---\nx\n",
}


@pytest.mark.parametrize(
    "config",
    [
        "",
        "uglyURLs = true",
        "disablePathToLower = true",
        '[permalinks]\nposts = "/:year/:month/:slug/"',
        '[permalinks]\nposts = "/:title/"',
        '[permalinks]\nposts = "/:section/:filename"',
        '[permalinks]\nposts = "/:section/:filename.html"',
        'uglyURLs = true\n[permalinks]\nposts = "/:section/:slugorfilename"',
        '[frontmatter]\ndate = ["date", ":filename", ":default"]',
        '[frontmatter]\nlastmod = [":filename", ":default"]',
    ],
    ids=[
        "default",
        "ugly",
        "cased",
        "slug",
        "title",
        "no-slash",
        "dot-html",
        "ugly-pattern",
        "date-name",
        "lastmod-name",
    ],
)
def test_post_urls_as_hugo_writes_them(config: str, tmp_path: Path) -> None:
    """Every post URL feedpub publishes is a page Hugo wrote, and every post page Hugo wrote is published."""
    _assert_post_urls_are_hugos(tmp_path, config, TRICKY_PAGES)


TRANSLATED_PAGES = {
    "a.md": "---\ntitle: 가나다 제목\ndate: 2024-01-01\n---\nx\n",
    "a.en.md": "---\ntitle: English Title\ndate: 2024-01-01\n---\nx\n",
    "b.en.md": "---\ntitle: Only English\ndate: 2024-01-02\n---\nx\n",
    "c.md": "---\ntitle: Only Korean\ndate: 2024-01-03\nslug: 한글-슬러그\n---\nx\n",
    "bun/index.md": "---\ntitle: 번들\ndate: 2024-01-04\n---\nx\n",
    "bun/index.en.md": "---\ntitle: Bundle EN\ndate: 2024-01-04\n---\nx\n",
}
# Top-level keys first: in TOML, whatever follows a [table] header is that table's.
_KOREAN_FIRST = 'defaultContentLanguage = "ko"\n'
_TWO_LANGUAGES = "[languages.ko]\nweight = 1\n[languages.en]\nweight = 2\n"


@pytest.mark.parametrize(
    "config",
    [
        _KOREAN_FIRST + _TWO_LANGUAGES,
        _KOREAN_FIRST + _TWO_LANGUAGES + "uglyURLs = true",  # in [languages.en]: English alone
        _KOREAN_FIRST + "uglyURLs = true\n" + _TWO_LANGUAGES,
        _KOREAN_FIRST + _TWO_LANGUAGES + '[languages.en.permalinks]\nposts = "/en-posts/:slug/"',
        _KOREAN_FIRST
        + '[permalinks]\nposts = "/site/:slug/"\n'
        + _TWO_LANGUAGES
        + '[languages.en.permalinks]\nnotes = "/n/"',
        _KOREAN_FIRST
        + '[permalinks]\nposts = "/:year/:title/"\n'
        + _TWO_LANGUAGES.replace("weight = 1\n", 'weight = 1\n[languages.ko.permalinks]\nposts = "/글/:title/"\n'),
    ],
    ids=["plain", "ugly-english", "ugly-site", "english-permalinks", "replaced-permalinks", "korean-permalinks"],
)
def test_translated_post_urls_as_hugo_writes_them(config: str, tmp_path: Path) -> None:
    """A language's own [permalinks] and uglyURLs replace the site's for its pages, as in Hugo."""
    _assert_post_urls_are_hugos(tmp_path, config, TRANSLATED_PAGES)


def _assert_post_urls_are_hugos(tmp_path: Path, config: str, pages: dict[str, str]) -> None:
    """Build `pages` (under content/posts/) with the real Hugo and with feedpub: the same post URLs."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    site = tmp_path / "site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text(f'baseURL = "https://urls.example/"\ntitle = "U"\n{config}\n', encoding="utf-8")
    for name, text in pages.items():
        page = site / "content" / "posts" / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
    for name in ("single", "list"):
        (site / "layouts" / "_default" / f"{name}.html").write_text(name + " {{ .Title }}", encoding="utf-8")
    out = site / "public"
    command = ["--source", str(site), "--destination", str(out), "--quiet", "--clock", hugo_oracle.CLOCK]
    hugo_oracle._run(binary, command, site)
    posts = {
        loc.text or ""
        for sitemap in out.rglob("sitemap.xml")
        for loc in ET.parse(sitemap).getroot().iter(f"{{{SITEMAP_NS}}}loc")
        if ET.parse(sitemap).getroot().tag == f"{{{SITEMAP_NS}}}urlset"
    }
    posts = {url for url in posts if not _is_list_page(url.removeprefix("https://urls.example/"))}
    shutil.rmtree(out)
    feedpub_config = tmp_path / "feedpub.toml"
    assert run("init", "--from-hugo", site, "--config", feedpub_config).exit_code == 0
    result = run("build", "--config", feedpub_config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 0, result.output
    feedpub_site = load_config(feedpub_config)
    locs = {loc for urls in _sitemaps(feedpub_site.output_dir, feedpub_site.uri).values() for loc in urls}
    homes = {"https://urls.example/", "https://urls.example/en/", "https://urls.example/ko/"}
    assert locs - homes == posts


def _is_list_page(path: str) -> bool:
    """A home, section or taxonomy page of the test site (a language's too): no post."""
    path = path.removesuffix(".html").strip("/")
    first, _, rest = path.partition("/")
    if first in ("ko", "en"):
        path = rest
    return path in ("", "index", "posts", "tags", "categories") or path.startswith(("tags/", "categories/"))


# Front matter dates as people write them, and near misses: Hugo reads some, and dates the others 0001-01-01.
HUGO_DATES = [
    *("2024-01-02", "2024-01-02T23:30:00", "2024-01-02T23:30:00Z", "2024-01-02T23:30:00-05:00"),
    *("2024-01-02T23:30:00.123+09:00", "2024-01-02T23:30:00.5", "2024-01-02T23:30:00,5Z", "2024-01-02T3:04:05Z"),
    *("2024-01-02 23:30:00", "2024-01-02 23:30:00.5", "2024-01-02 3:04:05", "2024-01-02 23:30:00 +0900"),
    *("2024-01-02 23:30:00 -07:00", "2024-01-02 23:30:00Z", "2024-01-02 23:30:00+09:00", "2024-01-02T23:30:00+0900"),
    *("2024-01-02 23:30:00 +0900 KST", "2024-01-02 23:30:00 +0000 UTC", "2024-01-02 23:30:00.123 -0500 EST"),
    *("2024-01-02 23:30:00.123456789123 +0900", "2024-01-02 23:30:00 +0900 XYZ", "Tue, 02 Jan 2024 23:30:00 +0000"),
    *("tue, 02 jan 2024 23:30:00 +0000", "Wed, 02 Jan 2024 23:30:00 +0000", "Tue, 02 Jan 2024 23:30:00 EST"),
    *("Tue, 02 Jan 2024 23:30:00 GMT", "02 Jan 24 23:30 UTC", "02 Jan 24 23:30 -0500", "02 Jan 99 23:30 +0000"),
    *(
        "02 Jan 69 23:30 +0000",
        "Tuesday, 02-Jan-24 23:30:00 UTC",
        "Tue Jan  2 23:30:00 2024",
        "Tue Jan 2 23:30:00 2024",
    ),
    *("Tue Jan  2 23:30:00 KST 2024", "Tue Jan 02 23:30:00 -0500 2024", "02 Jan 2024", "02 jan 2024", "1969-12-31"),
    # Hugo reads none of these: the page is dated 0001-01-01
    *("2024-01-02 23:30", "2024-01-02T23:30", "2024/01/02", "2024-1-2", "Jan 2, 2024", "2 Jan 2024", " 2024-01-02"),
    *("2024-01-02t23:30:00z", "2024-13-02", "2024-02-30", "2024-01-02T24:00:00Z", "2024-01-02T23:30:60Z"),
    *("2024-01-02 23:30:00 UTC", "2024-01-02T23:30:00 +09:00", "2024-01-02T23:30:00+09", "2024-01-02 23:30:00 PST"),
    *("Monday, 02-Jan-24 23:30:00 +0900", "2024-01-02T23:30:00+09:00:00", "2024-01-02T23:30:00Z07:00", "20240102"),
]


def test_dates_as_hugo_reads_them(tmp_path: Path) -> None:
    """hugo_date gives the moment Hugo gives each front matter date, quoted and not, or none where Hugo's is zero."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    config = 'baseURL = "https://dates.example/"\ntimeZone = "Asia/Seoul"\nbuildFuture = true\n'
    (site / "hugo.toml").write_text(config, encoding="utf-8")
    layout = '{{ .Date.Format "2006-01-02T15:04:05.999999999Z07:00" }}'
    (site / "layouts" / "_default" / "single.html").write_text(layout, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("list", encoding="utf-8")
    pages = {}
    for number, value in enumerate(HUGO_DATES):
        for style, written in (("quoted", json.dumps(value)), ("plain", value)):
            name = f"{style}{number}"
            pages[name] = (value, style, f"---\ntitle: {name}\ndate: {written}\n---\nx\n")
            (site / "content" / "posts" / f"{name}.md").write_text(pages[name][2], encoding="utf-8")
    hugo_oracle._run(binary, ["--source", str(site), "--destination", str(site / "public"), "--quiet"], site)
    seoul = ZoneInfo("Asia/Seoul")
    compared = 0
    for name, (value, style, text) in pages.items():
        page = site / "public" / "posts" / name / "index.html"
        if not page.exists():
            assert style == "plain", value  # YAML itself refuses some unquoted texts; every quoted one is a page
            continue
        compared += 1
        # Python's datetime holds microseconds: Hugo's nanoseconds are cut to them.
        hugos = re.sub(
            r"\.(\d{1,6})\d*",
            lambda m: ("." + m.group(1)).rstrip("0").rstrip("."),
            html.unescape(page.read_text(encoding="utf-8").strip()),
        )
        metadata = split_front_matter(name, text)[0]
        try:
            moment = hugo_date(metadata["date"], seoul)
        except TimeOnly:
            moment = None
        ours = _go_format(moment) if moment is not None else "0001-01-01T00:00:00Z"
        assert ours == hugos, (style, value)
    assert compared > len(HUGO_DATES)


def _go_format(moment: datetime) -> str:
    """Go's Format("2006-01-02T15:04:05.999999999Z07:00"): no trailing zeros in the fraction, Z for a zero offset."""
    fraction = f".{moment.microsecond:06d}".rstrip("0").rstrip(".")
    offset = moment.utcoffset() or timedelta()
    minutes = int(offset.total_seconds()) // 60
    zone = "Z" if not minutes else f"{'+' if minutes > 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{moment:%Y-%m-%dT%H:%M:%S}{fraction}{zone}"


@pytest.mark.parametrize(
    "draft", ["yes", "no", "on", "off", "y", "n", "Yes", "TRUE", "True", "true", "1", "0", "'true'", "'yes'", "t", "f"]
)
def test_drafts_as_hugo_reads_them(draft: str, tmp_path: Path) -> None:
    """`draft:` as written in real front matter: a post is published exactly when Hugo writes its page."""
    pages = {"post.md": f"---\ntitle: Post\ndate: 2024-01-01\ndraft: {draft}\n---\nx\n"}
    _assert_post_urls_are_hugos(tmp_path, "", pages)
