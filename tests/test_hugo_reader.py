"""Hugo sites read as Hugo 0.111.3 publishes them: the oracle fixtures (tests/sites/hugo) through the real CLI.

For each fixture: `feedpub init --from-hugo` on a copy, then `feedpub build`, nothing edited; the posts must be
exactly Hugo's published, listed regular pages of the main sections, at Hugo's permalinks, with Hugo's dates and
languages, and each RSS guid the permalink Hugo gives as that page's guid. Expected data comes from
expected.json (recorded from Debian's hugo) and, when hugo is installed, from a fresh build.
"""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from feedpub.config import load_config
from feedpub.models import Edition, Multilingual, Site
from feedpub.read import settings_for
from feedpub.read.collect import collect
from feedpub.read.hugo import ZERO
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
    sitemaps = _sitemaps(out, feedpub_site.uri, feedpub_site.sitemap.path)
    locs = {loc for urls in sitemaps.values() for loc in urls}
    homes = {feedpub_site.output_uri(e.folder) for e in _editions(feedpub_site)} or {feedpub_site.uri}
    assert locs - homes == set(expected)

    settings = settings_for(feedpub_site)
    collection = collect(settings, NOW)
    assert not collection.rejected
    for post in collection.posts:
        if not post.in_site_feed:
            continue  # `_build: list: never`: in its tags' feeds only, where Hugo's list it (test_hugo_variants.py)
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


def _sitemaps(out: Path, site_uri: str, path: str) -> dict[str, list[str]]:
    """Each urlset's locs by file; through the index when the sitemap at `path` is one."""
    root = ET.parse(out / path).getroot()
    if root.tag != f"{SITEMAP}sitemapindex":
        return {path: [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]}
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
    # Hugo's layout under feedpub's name (init's sitemap-posts.xml: Hugo's sitemap.xml stays Hugo's).
    path = feedpub_site.sitemap.path
    assert path == "sitemap-posts.xml"
    index = ET.parse(out / path).getroot()
    assert [loc.text for loc in index.iter(f"{SITEMAP}loc")] == [
        s["loc"].replace("/sitemap.xml", "/" + path) for s in hugo["sitemaps"]["sitemap.xml"]["sitemaps"]
    ]
    checked = 0
    for name, urls in _sitemaps(out, feedpub_site.uri, path).items():
        hugo_name = name.replace(path, "sitemap.xml")
        hugo_urls = {u["loc"]: u for u in hugo["sitemaps"][hugo_name]["urls"]}
        root = ET.parse(out / name).getroot()
        for url in root.iter(f"{SITEMAP}url"):
            loc = url.findtext(f"{SITEMAP}loc")
            alternates = [{"hreflang": a.get("hreflang"), "href": a.get("href")} for a in url.iter(f"{XHTML}link")]
            assert loc in hugo_urls, (name, loc)
            assert alternates == hugo_urls[loc]["alternates"], (name, loc)
            checked += bool(alternates)
        assert {loc for loc in urls if loc in expected} == {
            link for link, page in expected.items() if hugo_name == f"{page['lang']}/sitemap.xml"
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
    # English is set in its own file, languages.en.toml: Hugo reads it as [languages.en] (a Blowfish site's
    # layout), and its title is the English feed's.
    english = ET.parse(site.output_dir / "en" / "feed.xml").getroot()
    assert english.findtext("channel/title") == "English Blog"


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


# Sites whose default main section depends on what Hugo publishes, not on how many files each section has: its
# drafts, a draft section (husky's content root against `algorithm/_index.md` with `draft: true`), equals, bundles.
DRAFTY_SECTIONS = {
    "draft-pages": {"posts/p1.md": "", "posts/p2.md": "", **{f"notes/n{i}.md": "draft: true" for i in range(3)}},
    "draft-section": {
        **{f"p{i}.md": "" for i in range(4)},
        "algorithm/_index.md": "draft: true",
        **{f"algorithm/a{i}.md": "" for i in range(5)},
    },
    "some-drafts": {"a/1.md": "", "a/2.md": "draft: true", "a/3.md": "draft: yes", "b/1.md": "", "b/2.md": ""},
    "equals": {"b/1.md": "", "b/2.md": "", "a/1.md": "", "a/2.md": "", "a/3.md": "draft: true"},
    "draft-subsection": {
        "a/1.md": "",
        "a/x/_index.md": "draft: true",
        **{f"a/x/{i}.md": "" for i in range(5)},
        "b/1.md": "",
        "b/2.md": "",
    },
    "bundles": {"a/one/index.md": "", "a/two/index.md": "draft: true", "a/two/extra.md": "", "b/1.md": ""},
    "only-drafts": {"a/1.md": "draft: true", "b/1.md": "draft: true"},
    # Leaf bundles at the content folder's root are the home's pages, in no section.
    "root-bundles": {"a/index.md": "", "b/index.md": "", "posts/1.md": ""},
    # Dated by their names ([frontmatter] :filename, as Jekyll imports are): three of 2030 are not published yet.
    "filename-dates": {
        **{f"events/2030-01-0{i}-e{i}.md": "filename" for i in range(1, 4)},
        "posts/2024-01-01-p1.md": "filename",
        "posts/2024-01-02-p2.md": "filename",
    },
    # Published later, or expired, at the build's time (Hugo's --clock, feedpub's --now).
    "future": {**{f"events/{i}.md": "date: 2030-01-01" for i in range(3)}, "posts/1.md": "", "posts/2.md": ""},
    "publish-later": {**{f"a/{i}.md": "publishDate: 2030-01-01" for i in range(3)}, "b/1.md": "", "b/2.md": ""},
    "expired": {**{f"a/{i}.md": "expiryDate: 2020-01-01" for i in range(3)}, "b/1.md": "", "b/2.md": ""},
    # `published` is a publishDate too, with no `date` beside it (such pages were counted unread).
    "published-later": {**{f"a/{i}.md": "published: 2030-01-01" for i in range(3)}, "b/1.md": ""},
    # A section Hugo does not build at the build's time, by its _index's own dates: none of its pages either.
    "expired-section": {
        "posts/_index.md": "expiryDate: 2024-03-01",
        "posts/p1.md": "",
        "posts/p2.md": "",
        "n/1.md": "",
    },
    "section-published-later": {
        "a/_index.md": "publishDate: 2030-01-01",
        **{f"a/{i}.md": "" for i in range(3)},
        "b/1.md": "",
    },
}


@pytest.mark.parametrize("name", sorted(DRAFTY_SECTIONS))
def test_the_default_main_section_is_hugos_among_published_pages(name: str, tmp_path: Path) -> None:
    """Hugo's default main section is the one with the most pages it publishes: feedpub counted files, took a
    section of drafts, and its empty index.xml replaced the site's (husky's blog: 0 posts published)."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    site = tmp_path / "site"
    (site / "layouts").mkdir(parents=True)
    config = '[frontmatter]\ndate = [":filename", ":default"]\npublishDate = [":filename", ":default"]\n'
    extra = config if any(front == "filename" for front in DRAFTY_SECTIONS[name].values()) else ""
    (site / "hugo.toml").write_text(f'baseURL = "https://x.example/"\ntitle = "T"\n{extra}', encoding="utf-8")
    # "main:" first: with no main section Hugo prints nothing, and writes no file for an empty page.
    (site / "layouts" / "index.html").write_text("main:{{ site.Params.mainSections }}", encoding="utf-8")
    for number, (path, front) in enumerate(DRAFTY_SECTIONS[name].items()):
        page = site / "content" / path
        page.parent.mkdir(parents=True, exist_ok=True)
        dated = "" if front.startswith(("date:", "published:")) or front == "filename" else "date: 2024-01-01\n"
        front = "" if front == "filename" else front
        page.write_text(f"---\ntitle: T{number}\n{dated}{front}\n---\nBody.\n", encoding="utf-8")
    command = [
        "--source",
        str(site),
        "--destination",
        str(tmp_path / "public"),
        "--quiet",
        "--clock",
        hugo_oracle.CLOCK,
    ]
    hugo_oracle._run(binary, command, tmp_path)
    printed = (tmp_path / "public" / "index.html").read_text(encoding="utf-8").strip().removeprefix("main:")
    config = tmp_path / "feedpub.toml"
    assert run("init", "--from-hugo", site, "--config", config).exit_code == 0
    rules = settings_for(load_config(config), now=datetime.fromisoformat(hugo_oracle.CLOCK)).rules
    content = site / "content"
    chosen = [posts_dir.path.relative_to(content).as_posix() for posts_dir in getattr(rules, "dirs", ())]
    assert chosen == (printed.strip("[]").split() or ["."]), printed


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
        ("/:sections[last]/:filename/", ["s"], "/s/c/"),  # s has an _index file
        ("/:sections[last]/:filename/", ["s", ""], "/c/"),  # s has none: Hugo's entries end with an empty one
        ("/:sections[:last]/:filename/", ["s", ""], "/s/c/"),
        ("/:sections[:last]/:filename/", ["s"], "/c/"),
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


def _hugo_site(folder: Path, config: str) -> Path:
    (folder / "content" / "posts").mkdir(parents=True)
    (folder / "hugo.toml").write_text(config, encoding="utf-8")
    (folder / "content" / "posts" / "a.md").write_text("---\ntitle: A\ndate: 2024-01-02\n---\nbody\n", "utf-8")
    return folder


@pytest.mark.parametrize(
    ("config", "reason"),
    [
        ('title = "t"\n', "baseURL is missing; set it to the absolute http(s) address"),
        ('baseURL = "/"\ntitle = "t"\n', "baseURL is '/'; set it to the absolute http(s) address"),
        (
            'baseURL = "https://ex.com/"\n[languages.ko]\nbaseURL = "https://ko.ex.com/"\n[languages.en]\n'
            'baseURL = "https://en.ex.com/"\n',
            "languages.ko.baseURL: a language served at its own address (Hugo's multihost) is not something",
        ),
        (
            '[languages.ko]\nbaseURL = "https://ko.ex.com/"\n[languages.en]\nbaseURL = "https://en.ex.com/"\n',
            "languages.ko.baseURL: a language served at its own address (Hugo's multihost) is not something",
        ),
        (
            'baseURL = "https://ex.com/"\n[[module.mounts]]\nsource = "articles"\ntarget = "content/posts"\n',
            "module.mounts: a folder mounted into content ('articles') is not read by feedpub",
        ),
    ],
    ids=["no-base-url", "relative-base-url", "multihost", "multihost-without-a-site-base-url", "content-mount"],
)
def test_a_hugo_site_whose_urls_feedpub_cannot_make_stops_before_anything_is_written(
    tmp_path: Path, config: str, reason: str
) -> None:
    """Each published every URL wrong (relative, or at the site's host for every language) or left pages out,
    with exit 0."""
    site = _hugo_site(tmp_path / "site", 'baseURL = "https://ex.com/"\ntitle = "t"\n')
    assert run("init", "--from-hugo", site, "--config", tmp_path / "config.toml").exit_code == 0
    (site / "hugo.toml").write_text(config, encoding="utf-8")
    result = run("build", "--config", tmp_path / "config.toml")
    assert result.exit_code == 2
    assert reason in result.stderr
    assert not (site / "public").exists()


def test_init_says_a_multihost_site_is_not_published_when_it_has_no_base_url_of_its_own(tmp_path: Path) -> None:
    """Each language at its own address and none for the site: init said "baseURL is missing", and one written as
    told was then refused as multihost."""
    site = _hugo_site(
        tmp_path / "site",
        'title = "t"\n[languages.ko]\nbaseURL = "https://ko.ex.com/"\n[languages.en]\nbaseURL = "https://en.ex.com/"\n',
    )
    result = run("init", "--from-hugo", site, "--config", tmp_path / "config.toml")
    assert result.exit_code == 2
    assert "(Hugo's multihost) is not something feedpub publishes" in result.stderr
    assert "baseURL is missing" not in result.stderr


def test_feedpubs_own_config_toml_is_not_taken_for_hugos(tmp_path: Path) -> None:
    """init writes config.toml beside hugo.toml; with hugo.toml gone (a half-done checkout), Hugo's legacy name
    found feedpub's file, and every link and id was made relative from it."""
    site = _hugo_site(tmp_path, 'baseURL = "https://ex.com/"\ntitle = "t"\n')
    assert run("init", "--from-hugo", site, "--config", site / "config.toml").exit_code == 0
    (site / "hugo.toml").unlink()
    result = run("build", "--config", site / "config.toml")
    assert result.exit_code == 2
    assert "no Hugo config (hugo.toml" in result.stderr


def test_a_languages_code_with_an_underscore_is_a_language_tag_in_the_feeds(tmp_path: Path) -> None:
    """`languageCode = "ko_KR"` (a locale, as many Hugo sites write it) went into <language> and xml:lang as
    written, which feed validators refuse; the same tag is "ko-KR"."""
    site = _hugo_site(
        tmp_path / "site",
        'baseURL = "https://ex.com/"\ntitle = "t"\ndefaultContentLanguage = "ko"\n[languages.ko]\n'
        'languageCode = "ko_KR"\n[languages.en]\nlanguageCode = "en_US"\n',
    )
    (site / "content" / "posts" / "a.en.md").write_text("---\ntitle: A\ndate: 2024-01-02\n---\nbody\n", "utf-8")
    assert run("init", "--from-hugo", site, "--config", tmp_path / "config.toml").exit_code == 0
    result = run("build", "--config", tmp_path / "config.toml")
    assert result.exit_code == 0, result.output
    out = load_config(tmp_path / "config.toml").output_dir
    assert "<language>ko-KR</language>" in (out / "index.xml").read_text(encoding="utf-8")
    assert "<language>en-US</language>" in (out / "en" / "index.xml").read_text(encoding="utf-8")


def test_two_urls_of_one_file_publish_one_post(tmp_path: Path) -> None:
    """`url: /q/` and `url: /q/index.html` are one file, public/q/index.html: Hugo writes one of them there (which
    one varies from build to build, observed with Hugo 0.111.3). feedpub published both, one linking a page showing
    the other post; it publishes one (the newer), and rejects the other by name."""
    site = _hugo_site(tmp_path / "site", 'baseURL = "https://ex.com/"\ntitle = "t"\n')
    for name, day, url in (("p", 3, "/q/index.html"), ("r", 4, "/q/")):
        (site / "content" / "posts" / f"{name}.md").write_text(
            f"---\ntitle: {name}\ndate: 2024-02-0{day}\nurl: {url}\n---\nbody\n", "utf-8"
        )
    config = tmp_path / "config.toml"
    assert run("init", "--from-hugo", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", "2025-01-01T00:00:00Z")
    assert "p.md: URL https://ex.com/q/index.html is one file on the site with https://ex.com/q/" in result.output
    items = json.loads((load_config(config).output_dir / "feed.json").read_text(encoding="utf-8"))["items"]
    assert sorted(item["title"] for item in items) == ["A", "r"]


@pytest.mark.parametrize(
    ("base_url", "flagged"),
    [
        ("https://example.org/", True),  # Hugo's quick start, which GitHub's Pages workflow overrides
        ("http://localhost:1313/", True),  # `hugo server`'s
        ("https://EXAMPLE.com/blog/", True),
        ("https://blog.example.org/", False),  # a name under it: a test site's, and feedpub's own fixtures'
        ("https://news.example.kr/", False),
    ],
)
def test_init_says_when_hugos_base_url_is_no_address_readers_use(base_url: str, flagged: bool, tmp_path: Path) -> None:
    """The quick start's `baseURL = "https://example.org/"` was copied into site.url without a word: every link in
    the feeds led to example.org while the site was served where `hugo --baseURL` said."""
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text(f'baseURL = "{base_url}"\ntitle = "T"\n', encoding="utf-8")
    config = tmp_path / "config.toml"

    assert run("init", "--from-hugo", site, "--config", config).exit_code == 0

    text = config.read_text(encoding="utf-8")
    assert ("CHECK THIS: the Hugo config's baseURL is an example or local address" in text) is flagged
    assert ("From the Hugo config's baseURL" in text) is not flagged
