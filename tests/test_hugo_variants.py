"""Small Hugo sites built twice, by the real Hugo 0.111.3 and by feedpub, under configurations real sites have.

Each test writes a site of a few pages (hugo.toml, content/posts/, layouts that print the page's title), runs
Debian's hugo on it, then `feedpub init --from-hugo` and `feedpub build`, and compares what each published: the
post URLs (with Hugo's sitemaps), the term feeds, the dates. Every case here was a link to a page Hugo never
wrote, found this way; the fixtures in tests/sites/hugo (test_hugo_reader.py) cover the rest.
"""

from __future__ import annotations

import html
import json
import os
import random
import re
import shutil
import string
import subprocess
import time
import tracemalloc
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from click.testing import Result

from feedpub.config import load_config
from feedpub.namespaces import ATOM_NS, IMAGE_NS, SITEMAP_NS
from feedpub.read.hugo import split_front_matter
from feedpub.read.hugo.dates import TimeOnly, hugo_date
from tests import hugo_oracle
from tests.conformance import skip_or_fail
from tests.conftest import run
from tests.hostile import commit_all, git

SITE = "https://site.example/"


def hugo() -> str:
    """The hugo binary; the test skips (fails under CI) without it."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo reader's oracle needs it")
    return binary


def make_site(root: Path, config: str, pages: Mapping[str, str], single: str = "page {{ .Title }}") -> Path:
    """A Hugo site under `root`: its base URL and title, then `config` (TOML); `pages` under content/posts/; a
    page's layout printing `single` (never empty: Hugo writes no file for an empty page)."""
    site = root / "site"
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text(f'baseURL = "{SITE}"\ntitle = "T"\n{config}\n', encoding="utf-8")
    for name, text in pages.items():
        page = site / "content" / "posts" / name
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(text, encoding="utf-8")
    (site / "layouts" / "_default" / "single.html").write_text(single, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("list {{ .Title }}", encoding="utf-8")
    return site


def hugo_build(site: Path) -> set[str]:
    """Build `site` with the real Hugo into site/public at the oracle's clock; the files written, relative to it."""
    out = site / "public"
    command = ["--source", str(site), "--destination", str(out), "--quiet", "--clock", hugo_oracle.CLOCK]
    hugo_oracle._run(hugo(), command, site)
    return {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}


def hugo_term_feeds(site: Path) -> set[str]:
    """Build `site` with the real Hugo (its term pages printed by a "term" layout); the RSS feeds of its term
    pages, relative to site/public."""
    (site / "layouts" / "_default" / "term.html").write_text("term {{ .Title }}", encoding="utf-8")
    public = site / "public"
    written = hugo_build(site)
    return {name for name in written if name.endswith("/index.xml") and _starts(public / name, "term ", "index.html")}


def feedpub_build(site: Path) -> tuple[Path, Result]:
    """`feedpub init --from-hugo` then `feedpub build` (into site/public, after Hugo's output is removed): the
    config, and the build's result (init's, when init failed)."""
    shutil.rmtree(site / "public", ignore_errors=True)
    config = site.parent / "feedpub.toml"
    init = run("init", "--from-hugo", site, "--config", config)
    if init.exit_code != 0:
        return config, init
    return config, run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)


def feedpub_rebuild(site: Path) -> tuple[Path, Result]:
    """`feedpub build` again with the config feedpub_build wrote (its cache kept), after Hugo built once more."""
    shutil.rmtree(site / "public", ignore_errors=True)
    config = site.parent / "feedpub.toml"
    return config, run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)


def sitemap_locs(out: Path) -> set[str]:
    """Every <loc> of every <urlset> under `out` (Hugo's sitemaps, or feedpub's)."""
    locs = set()
    for path in out.rglob("sitemap*.xml"):
        root = ET.parse(path).getroot()
        if root.tag == f"{{{SITEMAP_NS}}}urlset":
            locs |= {loc.text or "" for loc in root.iter(f"{{{SITEMAP_NS}}}loc")}
    return locs


def is_list_page(url: str) -> bool:
    """A home, section or taxonomy page (a language's too): no post."""
    path = url.removeprefix(SITE).removesuffix(".html").strip("/")
    first, _, rest = path.partition("/")
    if first in ("ko", "en"):
        path = rest
    return path in ("", "index", "posts", "tags", "categories") or path.startswith(("tags/", "categories/"))


def is_term_feed(name: str) -> bool:
    """A feed of one category or tag: below a taxonomy's folder, one folder or more down."""
    return any(part in ("tags", "categories") for part in name.split("/")[:-2]) and name.endswith("index.xml")


def is_hugo_page(out: Path, url: str) -> bool:
    """Whether Hugo wrote `url` (a sitemap's) with the page layout, not a list's: a post."""
    path = unquote(url.removeprefix(SITE))
    written = out / path / "index.html" if path.endswith("/") or not path else out / path
    return written.is_file() and written.read_text(encoding="utf-8").startswith("page ")


def assert_post_urls_are_hugos(root: Path, config: str, pages: Mapping[str, str]) -> None:
    """Build `pages` with the real Hugo and with feedpub: the same post URLs, as each sitemap gives them."""
    assert_site_post_urls_are_hugos(make_site(root, config, pages))


def assert_site_post_urls_are_hugos(site: Path) -> None:
    """Build `site` with the real Hugo and with feedpub: the same post URLs, as each sitemap gives them."""
    hugo_build(site)
    posts = {url for url in sitemap_locs(site / "public") if is_hugo_page(site / "public", url)}
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    published = {url for url in sitemap_locs(load_config(feedpub_config).output_dir) if not is_list_page(url)}
    assert published == posts


# Pages real sites have whose URLs took more than Hugo's documentation to get right (each was a 404 once): a date
# prefix without `:filename` among the date sources, slugs and names with white space at either end, "+" and "%"
# in names, dots in a name under a pattern without a trailing "/", a title with markup.
TRICKY_PAGES = {
    "2024-02-03-dated-name.md": "---\ntitle: Dated Name\n---\nx\n",
    # A C1 control character (Windows-1252 text read as Latin-1): Hugo drops it from the URL, though feeds show
    # it as Windows-1252 does.
    "c1.md": '---\ntitle: "Ski\\u009Ajump"\ndate: 2024-01-13\n---\nx\n',
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
    assert_post_urls_are_hugos(tmp_path, config, TRICKY_PAGES)


# Pages in sections other than posts/ (make_site's folder): their folders written with upper-case letters and spaces.
CASED_SECTION_PAGES = {
    f"../{path}": f"---\ntitle: {title}\ndate: 2024-01-0{day}\n---\nx\n"
    for day, (path, title) in enumerate(
        [("Posts/hello.md", "Hello"), ("Notes/n.md", "Note"), ("my posts/m.md", "Mine"), ("Your Posts/y.md", "Yours")],
        start=1,
    )
}


@pytest.mark.parametrize(
    "config",
    [
        '[permalinks]\nPosts = "/:year/:month/:slug/"\nnotes = "/n/:slug/"\n"my posts" = "/m/:slug/"\n'
        '"your posts" = "/y/:slug/"',
        '[uglyURLs]\nnotes = true\n"my posts" = true\n"Your Posts" = true',
    ],
    ids=["permalinks", "ugly"],
)
def test_a_sections_settings_are_for_its_folder_as_written(config: str, tmp_path: Path) -> None:
    """Hugo lower-cases config keys but names a section as its folder is written: a [permalinks] pattern or an
    uglyURLs key is for an all-lower-case folder alone (content/Posts/hello.md stays /posts/hello/)."""
    every_section = '[params]\nmainSections = ["Posts", "Notes", "my posts", "Your Posts"]\n'
    assert_post_urls_are_hugos(tmp_path, every_section + config, CASED_SECTION_PAGES)


# Pages whose names the ignoreFiles patterns below match (Hugo matches a file's full path).
IGNORABLE_PAGES = {
    f"{name}.md": f"---\ntitle: {name}\ndate: 2024-01-0{day}\n---\nx\n"
    for day, name in enumerate(["kept", "n424242", "skipme", "draft-one"], start=1)
}


@pytest.mark.parametrize(
    "config",
    [
        "ignoreFiles = 424242",
        'ignoreFiles = [424242, "skipme"]',
        'ignoreFiles = "skipme draft-"',
        'ignoreFiles = ["(", "skipme"]',
        'ignoreFiles = { pattern = "skipme" }',
        "ignoreFiles = [[1]]",
    ],
    ids=["number", "list-with-number", "text-of-two", "one-refused", "table", "list-in-list"],
)
def test_ignore_files_as_hugo_reads_them(config: str, tmp_path: Path) -> None:
    """Hugo reads ignoreFiles with Go's cast.ToStringSlice: a number is its text, text is split at white space, a
    table is nothing, a list in the list is "" (every file: Hugo publishes no page), and a pattern its regexp refuses
    is passed over, with an error logged, the site built. feedpub failed with an internal error over a number and
    stopped every build over a pattern Hugo passes over."""
    assert_post_urls_are_hugos(tmp_path, config, IGNORABLE_PAGES)


@pytest.mark.parametrize(
    "ignore", ["!!set {skipme: null, kept: null}", "[!!set {skipme: null}]"], ids=["set", "in-list"]
)
def test_ignore_files_of_a_yaml_set_as_hugo_reads_them(ignore: str, tmp_path: Path) -> None:
    """A YAML set is a mapping to Hugo's go-yaml: as ignoreFiles, nothing; in its list, "" (every file). feedpub took
    the set's repr for a pattern, in an order that changed with the hash seed."""
    site = make_site(tmp_path, "", IGNORABLE_PAGES)
    (site / "hugo.toml").unlink()
    (site / "hugo.yaml").write_text(f"baseURL: {SITE}\ntitle: T\nignoreFiles: {ignore}\n", encoding="utf-8")
    assert_site_post_urls_are_hugos(site)


# Plain YAML values that go-yaml (Hugo) and PyYAML read apart, as titles and slugs: base 60 (23:59 is text to
# Hugo), a float without a dot, Go's octal and hexadecimal, YAML 1.1's `y` and `n`; the last two pages' front
# matter (a nested mapping, an alias) goes the PyYAML way.
GO_YAML_PAGES = {
    f"{name}.md": f"---\ntitle: {title}\ndate: 2024-01-{day:02}\nslug: {slug}\n{extra}---\nx\n"
    for day, (name, title, slug, extra) in enumerate(
        [
            ("time", "23:59", "1:30", ""),
            ("yes", "y", "n", ""),
            ("science", "1e3", "2.5E+2", ""),
            ("octal", "0755", "0o17", ""),
            ("hex", "0x1F", "08", ""),
            ("digits", "1_500", ".5", ""),
            ("nested", "12:30", "1e3", "params:\n  nested: x\n"),
            ("alias", "&t 7:45", "*t", ""),
        ],
        start=1,
    )
}


@pytest.mark.parametrize("pattern", ["/:year/:title/", "/:year/:slug/"])
def test_yaml_values_are_read_as_hugos_go_yaml_reads_them(pattern: str, tmp_path: Path) -> None:
    """`title: 23:59` is the text "23:59" to Hugo (PyYAML's YAML 1.1 made it 1439: /2024/1439/, a 404 for
    /2024/2359/), `slug: 1e3` is 1000, `slug: n` false: the post URLs as Hugo writes them."""
    assert_post_urls_are_hugos(tmp_path, f'[permalinks]\nposts = "{pattern}"', GO_YAML_PAGES)


TRANSLATED_PAGES = {
    "a.md": "---\ntitle: 가나다 제목\ndate: 2024-01-01\n---\nx\n",
    "a.en.md": "---\ntitle: English Title\ndate: 2024-01-01\n---\nx\n",
    "b.en.md": "---\ntitle: Only English\ndate: 2024-01-02\n---\nx\n",
    "c.md": "---\ntitle: Only Korean\ndate: 2024-01-03\nslug: 한글-슬러그\n---\nx\n",
    "bun/index.md": "---\ntitle: 번들\ndate: 2024-01-04\n---\nx\n",
    "bun/index.en.md": "---\ntitle: Bundle EN\ndate: 2024-01-04\n---\nx\n",
    # `url:` from the site's root, and without a leading "/" from the language's folder
    "d.md": "---\ntitle: 디\ndate: 2024-01-05\nurl: /custom/ko-page/\n---\nx\n",
    "d.en.md": "---\ntitle: Dee\ndate: 2024-01-05\nurl: /custom/en-page/\n---\nx\n",
    "e.md": "---\ntitle: 이\ndate: 2024-01-06\nurl: relative/no-slash\n---\nx\n",
    "e.en.md": "---\ntitle: Ee\ndate: 2024-01-06\nurl: en/relative/page.html\n---\nx\n",
}
# Top-level keys first: in TOML, whatever follows a [table] header is that table's.
KOREAN_FIRST = 'defaultContentLanguage = "ko"\n'
TWO_LANGUAGES = "[languages.ko]\nweight = 1\n[languages.en]\nweight = 2\n"


@pytest.mark.parametrize(
    "config",
    [
        KOREAN_FIRST + TWO_LANGUAGES,
        KOREAN_FIRST + TWO_LANGUAGES + "uglyURLs = true",  # in [languages.en]: English alone
        KOREAN_FIRST + "uglyURLs = true\n" + TWO_LANGUAGES,
        KOREAN_FIRST + "defaultContentLanguageInSubdir = true\n" + TWO_LANGUAGES,
        KOREAN_FIRST + TWO_LANGUAGES + '[languages.en.permalinks]\nposts = "/en-posts/:slug/"',
        KOREAN_FIRST
        + '[permalinks]\nposts = "/site/:slug/"\n'
        + TWO_LANGUAGES
        + '[languages.en.permalinks]\nnotes = "/n/"',
        KOREAN_FIRST
        + '[permalinks]\nposts = "/:year/:title/"\n'
        + TWO_LANGUAGES.replace("weight = 1\n", 'weight = 1\n[languages.ko.permalinks]\nposts = "/글/:title/"\n'),
    ],
    ids=[
        "plain",
        "ugly-english",
        "ugly-site",
        "in-subdir",
        "english-permalinks",
        "replaced-permalinks",
        "korean-permalinks",
    ],
)
def test_translated_post_urls_as_hugo_writes_them(config: str, tmp_path: Path) -> None:
    """A language's own [permalinks] and uglyURLs replace the site's for its pages, as in Hugo."""
    assert_post_urls_are_hugos(tmp_path, config, TRANSLATED_PAGES)


# A front matter flag's value as real YAML front matter writes it: Hugo reads it with Go's cast.ToBool.
FLAG_VALUES = [
    *("yes", "no", "on", "off", "y", "n", "Yes", "TRUE", "True", "true", "1", "0", "'true'", "'yes'", "t", "f"),
    *("-1", "0.5", "'T'", "'tRue'"),
]


@pytest.mark.parametrize("draft", FLAG_VALUES)
def test_drafts_as_hugo_reads_them(draft: str, tmp_path: Path) -> None:
    """`draft:` as written in real front matter: a post is published exactly when Hugo writes its page."""
    pages = {"post.md": f"---\ntitle: Post\ndate: 2024-01-01\ndraft: {draft}\n---\nx\n"}
    assert_post_urls_are_hugos(tmp_path, "", pages)


@pytest.mark.parametrize("headless", FLAG_VALUES)
def test_headless_bundles_as_hugo_reads_them(headless: str, tmp_path: Path) -> None:
    """`headless:` as written in real front matter: Hugo writes no page for a bundle whose value cast.ToBool takes
    as true (`"true"`, `1`, `t`); feedpub took the YAML boolean alone, and linked pages that do not exist."""
    pages = {
        "post.md": "---\ntitle: Post\ndate: 2024-01-01\n---\nx\n",
        "bundle/index.md": f"---\ntitle: Bundle\ndate: 2024-01-02\nheadless: {headless}\n---\nx\n",
    }
    assert_post_urls_are_hugos(tmp_path, "", pages)


# Pages each of Hugo's yes-or-no settings decides on: a name with capitals and an accent, a draft, a page due later,
# an expired one; each unsuffixed (Korean, where the site has it) and English (apart: no one page on a site of one).
FLAGGED_PAGES = {
    f"{name}{suffix}.md": f"---\ntitle: {name}{suffix}\ndate: {date}\n{extra}---\nx\n"
    for name, date, extra in [
        ("Über Uns", "2024-01-01", ""),
        ("draft", "2024-01-02", "draft: true\n"),
        ("later", "2030-01-01", ""),
        ("gone", "2024-01-03", "expiryDate: 2024-02-01\n"),
    ]
    for suffix in ("", " In English.en")
}


@pytest.mark.parametrize(
    "config",
    [
        'uglyURLs = "true"',
        '[uglyURLs]\nposts = "t"',
        'disablePathToLower = "true"',
        'removePathAccents = "1"',
        'buildDrafts = "True"\nbuildFuture = "T"\nbuildExpired = "TRUE"',
        'uglyURLs = "yes"\nbuildFuture = "on"',  # not strconv.ParseBool's words: false to Hugo
        KOREAN_FIRST + 'defaultContentLanguageInSubdir = "true"\n' + TWO_LANGUAGES,
        KOREAN_FIRST + TWO_LANGUAGES + 'disabled = "true"',  # in [languages.en]
        KOREAN_FIRST + TWO_LANGUAGES + 'uglyURLs = "true"\nbuildFuture = "true"\nbuildExpired = "t"',
    ],
    ids=[
        "ugly",
        "ugly-section",
        "cased",
        "accents",
        "drafts-future-expired",
        "yes",
        "in-subdir",
        "disabled",
        "language",
    ],
)
def test_config_flags_written_as_text_are_read_as_hugo_reads_them(config: str, tmp_path: Path) -> None:
    """Hugo reads its yes-or-no settings with cast.ToBool, so `uglyURLs = "true"` (as YAML configs often quote it) is
    true; feedpub took the boolean alone, and linked /posts/x/ where Hugo wrote posts/x.html (404s), published a
    disabled language's feeds, left out posts due later under `buildFuture = "true"`."""
    assert_post_urls_are_hugos(tmp_path, config, FLAGGED_PAGES)


def test_a_sections_own_publish_and_expiry_dates_keep_its_pages_as_hugo_keeps_them(tmp_path: Path) -> None:
    """A section whose _index is to be published later (or has expired) hides every page below it; feedpub saw
    only the _index files that said "draft" or "cascade", and published their pages: every link a 404."""
    page = "---\ntitle: {0}\ndate: 2024-01-0{1}\n---\nx\n"
    pages = {
        "a.md": page.format("A", 1),
        "later/_index.md": "---\ntitle: Later\npublishDate: 2030-01-01\n---\n",
        "later/b.md": page.format("B", 2),
        "gone/_index.md": "---\ntitle: Gone\nexpiryDate: 2020-01-01\n---\n",
        "gone/c.md": page.format("C", 3),
        "fine/_index.md": "---\ntitle: Fine\npublishDate: 2020-01-01\n---\n",
        "fine/d.md": page.format("D", 4),
    }
    assert_post_urls_are_hugos(tmp_path, "", pages)


# Sections whose _index files are one language's: Korean's unsuffixed (the default language's), English's .en.
ONE_LANGUAGES_BRANCH_PAGES = {
    "sub/_index.md": "---\ntitle: Sub\ndraft: true\n---\n",
    "cas/_index.md": "---\ntitle: Cas\ncascade:\n  _build:\n    render: never\n---\n",
    "later/_index.md": "---\ntitle: Later\npublishDate: 2030-01-01\n---\n",
    "gone/_index.en.md": "---\ntitle: Gone\nexpiryDate: 2020-01-01\n---\n",
    **{
        f"{folder}/{folder[0]}{suffix}.md": f"---\ntitle: {folder}{suffix}\ndate: 2024-01-0{day}\n---\nx\n"
        for day, folder in enumerate(["sub", "cas", "later", "gone"], start=1)
        for suffix in ("", ".en")
    },
}


def test_a_sections_index_file_gives_its_own_languages_pages_alone(tmp_path: Path) -> None:
    """A section's _index file drafts, cascades to, and dates the pages of its own language alone, as Hugo does: an
    unsuffixed one those of the language owning the content folder's unsuffixed files. feedpub applied an unsuffixed
    _index.md to every language, and left out English pages Hugo publishes."""
    assert_post_urls_are_hugos(tmp_path, KOREAN_FIRST + TWO_LANGUAGES, ONE_LANGUAGES_BRANCH_PAGES)


# Pages of posts/ whose _index cascades `draft: true` to some of them (cascade_index): new/, old/ (a section), m.md.
CASCADE_PAGES = {
    "new/n.md": "---\ntitle: N\ndate: 2024-01-01\n---\nx\n",
    "old/_index.md": "---\ntitle: Old\n---\n",
    "old/a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nx\n",
    "old/sub/s.md": "---\ntitle: S\ndate: 2024-01-03\n---\nx\n",
    "m.md": "---\ntitle: M\ndate: 2024-01-04\n---\nx\n",
}


def cascade_index(*targets: str) -> str:
    """posts/_index.md cascading `draft` to each `_target` (YAML, its lines indented by four), the first `true`."""
    entries = "".join(
        f"- _target:\n{target}\n  draft: {'true' if n == 0 else 'false'}\n" for n, target in enumerate(targets)
    )
    return f"---\ntitle: Posts\ncascade:\n{entries}---\n"


@pytest.mark.parametrize(
    ("config", "index"),
    [
        ("", '+++\ntitle = "Posts"\n[cascade]\ndraft = true\n[cascade._target]\npath = "/posts/old/**"\n+++\n'),
        ('[cascade]\ndraft = true\n[cascade._target]\npath = "/posts/old/**"', "---\ntitle: Posts\n---\n"),
        ("", cascade_index('    path: "/posts/old/**"')),
        ("", cascade_index('    path: "/posts/old/*"')),
        ("", cascade_index('    kind: section\n    path: "/posts/old/**"')),
        ("", cascade_index('    kind: "{page,section}"\n    path: "/posts/old/**"')),
        ("", cascade_index('    kind: "*"\n    path: "/posts/old/**"')),
        ('[[cascade]]\ndraft = true\n[cascade._target]\nkind = "section"\npath = "/posts"', ""),
        ("", cascade_index('    path: "{/posts/old/**,/posts/m.md}"')),
        ("", cascade_index('    path: "/posts/[o]ld/**"')),
        ("", cascade_index('    path: "/posts/[!n]ld/a.md"')),
        ("", cascade_index('    path: "/posts/[a-n].md"')),
        ("", cascade_index('    path: "/posts[!x]m.md"')),
        ("", cascade_index('    path: "/posts/old/a"')),
        ("", cascade_index('    Path: "/POSTS/M.md"\n    environment: "prod*"')),
        ("", cascade_index('    path: "/posts/{m.md"')),
        ("", cascade_index('    path: "/posts/[m"')),
        ("", cascade_index('    path: "/posts/m.md"', '    path: "/posts/m.md"')),
    ],
    ids=[
        "mapping",
        "site-mapping",
        "list",
        "section-index",
        "kind-section",
        "kind-braces",
        "kind-star",
        "section-without-index",
        "path-braces",
        "path-class",
        "path-negated-class",
        "path-range",
        "class-takes-slash",
        "path-without-extension",
        "upper-case-environment-glob",
        "braces-left-open",
        "refused-glob",
        "same-target-first",
    ],
)
def test_a_cascade_target_takes_the_pages_and_sections_hugo_gives_it_to(
    config: str, index: str, tmp_path: Path
) -> None:
    """A `cascade` entry reaches the pages its `_target` takes in as Hugo 0.111.3 reads it: a mapping's `_target`
    is not read (it drafts everything); sections match by their _index file (or folder) and kind, and a drafted one
    hides all below it; paths are gobwas globs ({a,b}, [..], [!..], [a-z]) of the file with its extension; a glob it
    refuses takes in every page. feedpub read targets as it guessed them, and published pages Hugo never wrote."""
    site = make_site(tmp_path, config, {**CASCADE_PAGES, **({"_index.md": index} if index else {})})
    assert_site_post_urls_are_hugos(site)


@pytest.mark.parametrize(
    ("config", "home"),
    [
        ("", "---\ntitle: Home\ndraft: true\n---\n"),
        ("", "---\ntitle: Home\nexpiryDate: 2024-02-01\n---\n"),
        ("", "---\ntitle: Home\npublishDate: 2030-01-01\n---\n"),
        ("", "---\ntitle: Home\n_build:\n  render: never\n---\n"),
        ("", "---\ntitle: Home\nbuild:\n  render: never\n---\n"),
        ("", "---\ntitle: Home\ncascade:\n- _target:\n    kind: home\n  draft: true\n---\n"),
        ('[[cascade]]\ndraft = true\n[cascade._target]\nkind = "home"', ""),
        ('[cascade]\nexpiryDate = "2024-02-01"', ""),
    ],
    ids=[
        "draft",
        "expired",
        "due-later",
        "render-never",
        "build-render-never",
        "cascade-to-itself",
        "site",
        "site-map",
    ],
)
def test_a_home_page_hugo_does_not_build_hides_every_page(config: str, home: str, tmp_path: Path) -> None:
    """A home page that is a draft, due later or expired (its own front matter's, or cascaded to it) leaves Hugo
    0.111.3 rendering no page at all; `_build: render: never` hides none. feedpub took a draft home to hide
    nothing, and published every post: all 404s."""
    site = make_site(
        tmp_path, config, {"a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n", "sub/b.md": "---\ntitle: B\n---\nx\n"}
    )
    if home:
        (site / "content" / "_index.md").write_text(home, encoding="utf-8")
    assert_site_post_urls_are_hugos(site)


def served_file(url: str) -> str:
    """The file under the output folder a URL of the site is served from (a folder's index.html)."""
    path = unquote(url.removeprefix(SITE))
    return path + "index.html" if path.endswith("/") or not path else path


def linked_urls(out: Path) -> set[str]:
    """Every URL of the site feedpub's sitemaps, feeds page and feeds under `out` link as pages, RSS's channel
    <link> aside (rss_channel_links)."""
    page = lxml.html.parse(str(out / "feeds.html")).getroot()
    feeds = set()
    for name in out.rglob("*"):
        if name.suffix == ".json":
            feeds.add(json.loads(name.read_text(encoding="utf-8")).get("home_page_url", ""))
        elif name.suffix == ".xml" and (root := ET.parse(name).getroot()).tag == f"{{{ATOM_NS}}}feed":
            feeds.update(link.get("href", "") for link in root.findall(f"{{{ATOM_NS}}}link[@rel='alternate']"))
    return {url for url in sitemap_locs(out) | set(page.xpath("//a/@href")) | feeds if url.startswith(SITE)}


def rss_channel_links(out: Path) -> set[str]:
    """The channel <link> of every RSS feed under `out`."""
    roots = (ET.parse(name).getroot() for name in out.rglob("*.xml"))
    return {root.findtext("channel/link", "") for root in roots if root.tag == "rss"}


HOME_LANGUAGES = KOREAN_FIRST + TWO_LANGUAGES


@pytest.mark.parametrize(
    ("config", "homes"),
    [
        ("", {}),
        ("", {"_index.md": "---\ntitle: Home\n_build:\n  render: never\n---\n"}),
        ("", {"_index.md": "---\ntitle: Home\n_build:\n  render: false\n---\n"}),
        ("", {"_index.md": "---\ntitle: Home\ndraft: true\n---\n"}),
        ("", {"_index.md": "---\ntitle: Home\nexpiryDate: 2024-02-01\n---\n"}),
        ("", {"_index.md": "---\ntitle: Home\npublishDate: 2030-01-01\n---\n"}),
        ("", {"_index.md": "---\ntitle: Home\ncascade:\n- _target:\n    kind: home\n  draft: true\n---\n"}),
        ('disableKinds = ["home"]', {}),
        ('[[cascade]]\n[cascade._build]\nrender = "never"\n[cascade._target]\nkind = "home"', {}),
        (HOME_LANGUAGES, {}),
        (HOME_LANGUAGES, {"_index.en.md": "---\ntitle: Home\n_build:\n  render: never\n---\n"}),
        (HOME_LANGUAGES, {"_index.en.md": "---\ntitle: Home\ndraft: true\n---\n"}),
        (HOME_LANGUAGES, {"_index.md": "---\ntitle: 홈\npublishDate: 2030-01-01\n---\n"}),
        ("uglyURLs = true", {"_index.md": "---\ntitle: Home\n_build:\n  render: never\n---\n"}),
        ("[uglyURLs]\nposts = true", {"_index.md": "---\ntitle: Home\n_build:\n  render: never\n---\n"}),
    ],
    ids=[
        "built",
        "render-never",
        "render-false",
        "draft",
        "expired",
        "due-later",
        "cascade-to-itself",
        "disabled-kind",
        "site-cascade-render-never",
        "languages-built",
        "language-render-never",
        "language-draft",
        "default-language-due-later",
        "ugly-render-never",
        "ugly-section-render-never",
    ],
)
def test_every_url_feedpub_links_is_a_page_hugo_wrote(config: str, homes: dict[str, str], tmp_path: Path) -> None:
    """The sitemap and the feeds page link a home page only where Hugo 0.111.3 writes one: not under
    `_build: render: never` (Hugo writes the posts and no home), a draft, expired or future home (Hugo writes no page
    at all), `disableKinds = ["home"]`, nor for a language whose home alone is so. feedpub listed the home page in its
    sitemap and linked it from the feeds page whatever Hugo did: a 404 each. Nor do the feeds: RSS's channel <link>
    (required) names the main section's page Hugo writes instead, and Atom's alternate link and JSON Feed's
    home_page_url (optional) are left out; they linked the missing home page."""
    pages = {
        "a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n",
        "b.en.md": "---\ntitle: B\ndate: 2024-01-02\n---\nx\n",
    }
    site = make_site(tmp_path, config, pages)
    for name, text in homes.items():
        (site / "content" / name).write_text(text, encoding="utf-8")
    written = hugo_build(site)
    homes_written = {
        SITE + name.removesuffix("index.html") for name in written if name in ("index.html", "en/index.html")
    }
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    ours = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    linked = linked_urls(out)
    assert {url for url in linked if served_file(url) not in written | ours} == set()
    assert {url for url in linked if url in (SITE, SITE + "en/")} == homes_written
    # RSS requires a channel <link>: a page Hugo wrote (a main section's, where it wrote no home), else the site's
    # URL where Hugo wrote no page at all.
    links = rss_channel_links(out)
    assert links
    unwritten = {url: served_file(url) for url in links if served_file(url) not in written}
    assert {url for url, name in unwritten.items() if url not in (SITE, SITE + "en/")} == set()
    assert {name.replace("index.html", "posts/index.html") for name in unwritten.values()} & written == set()


def test_feeds_made_again_for_one_post_link_no_missing_home(tmp_path: Path) -> None:
    """A build after one post changed (only the feeds that show it made again) links what a whole build does where
    Hugo writes no home page: its main section's page in RSS, none in Atom and JSON Feed."""
    site = make_site(tmp_path, "", {"a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n"})
    (site / "content" / "_index.md").write_text("---\ntitle: Home\n_build:\n  render: never\n---\n", encoding="utf-8")
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (site / "content" / "posts" / "a.md").write_text("---\ntitle: A2\ndate: 2024-01-01\n---\ny\n", encoding="utf-8")
    result = run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 0, result.output
    out = load_config(config).output_dir
    assert "A2" in (out / "index.xml").read_text(encoding="utf-8")
    assert rss_channel_links(out) == {SITE + "posts/"}
    assert {url for url in linked_urls(out) if url.endswith("/")} == {SITE + "posts/a/"}  # no home page


@pytest.mark.parametrize("to_lower", ["false", "true"])
def test_permalink_case_as_hugo_writes_it(to_lower: str, tmp_path: Path) -> None:
    """The whole path is lower-cased unless disablePathToLower: the pattern's own letters, Go's month and day
    names, and what an escape in a title decodes to."""
    config = f'disablePathToLower = {to_lower}\n[permalinks]\nposts = "/Blog/:monthname/:weekdayname/:title/"'
    titles = ["Hello There", "X %C3%84 Y", "Ünïcode Ω"]
    pages = {
        f"{number}.md": f"---\ntitle: {json.dumps(title)}\ndate: 2024-0{number}-0{number}T10:00:00Z\n---\nx\n"
        for number, title in enumerate(titles, 1)
    }
    assert_post_urls_are_hugos(tmp_path, config, pages)


@pytest.mark.parametrize(
    "languages",
    [
        'defaultContentLanguage = "ko"\n' + TWO_LANGUAGES,
        'defaultContentLanguage = "KO"\n' + TWO_LANGUAGES,
        'defaultContentLanguage = "fr"\n' + TWO_LANGUAGES,
        'defaultContentLanguage = "EN"\n',
        'defaultContentLanguage = "fr"\n',
        'defaultContentLanguage = "En"\n[languages.En]\nweight = 1\n',
        'defaultContentLanguage = "en"\n[languages.En]\nweight = 1\n',
    ],
    ids=["ko-of-two", "KO-of-two", "fr-of-two", "EN-alone", "fr-alone", "En-of-En", "en-of-En"],
)
def test_default_language_as_hugo_takes_it(languages: str, tmp_path: Path) -> None:
    """Where Hugo publishes the default language's pages, feedpub publishes the same URLs; where it stops, or
    publishes none of them (a defaultContentLanguage that differs from its key by case), the build stops with a
    ConfigError rather than publish links to pages that do not exist."""
    pages = {name: f"---\ntitle: {name}\ndate: 2024-01-01T00:00:00Z\n---\nx\n" for name in ("a.md", "b.en.md")}
    site = make_site(tmp_path, languages, pages)
    try:
        hugo_files: set[str] | None = hugo_build(site)
    except hugo_oracle.HugoError:
        hugo_files = None  # Hugo stopped
    if hugo_files is None or not {"posts/a/index.html", "ko/posts/a/index.html"} & hugo_files:
        _, result = feedpub_build(site)
        assert result.exit_code == 2, result.output
        assert "defaultContentLanguage" in result.output
        assert not (site / "public").exists()
        return
    shutil.rmtree(site / "public")
    assert_post_urls_are_hugos(tmp_path / "again", languages, pages)


def kinds_site(root: Path, disable_kinds: str) -> Path:
    """Two tagged, categorised posts under `disableKinds = <disable_kinds>` (TOML)."""
    post = (
        '---\ntitle: Post {n}\ndate: 2024-01-0{n}T10:00:00+09:00\ntags: ["Go & Rust"]\ncategories: ["뉴스"]\n---\nx\n'
    )
    return make_site(root, f"disableKinds = {disable_kinds}", {f"p{n}.md": post.format(n=n) for n in (1, 2)})


@pytest.mark.parametrize(
    "disable_kinds",
    # As written in real configs; Hugo matches kinds case-sensitively ("Term" disables nothing), and
    # "taxonomyTerm", the old name, is its "taxonomy" (the list of terms), not the terms' pages.
    ['["taxonomy", "term"]', '["term"]', '"term"', '["Term"]', '["taxonomyTerm"]', '["RSS", "sitemap"]'],
)
def test_term_feeds_only_where_hugo_makes_term_pages(disable_kinds: str, tmp_path: Path) -> None:
    """`init --from-hugo` turns the category and tag feeds on exactly when Hugo makes the term pages they stand
    for (every link in them is a page Hugo wrote); a config that turns them on anyway stops before anything is
    written."""
    site = kinds_site(tmp_path, disable_kinds)
    hugo_files = hugo_build(site)
    term_pages = {name for name in hugo_files if is_term_feed(name.replace("index.html", "index.xml"))}
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    text = config.read_text(encoding="utf-8")
    assert ("categories = true" in text) == bool(term_pages), text
    out = load_config(config).output_dir
    feeds = [p for p in out.rglob("index.xml") if is_term_feed(p.relative_to(out).as_posix())]
    for feed in feeds:
        link = ET.parse(feed).getroot().findtext("channel/link") or ""
        assert unquote(link.removeprefix(SITE)) + "index.html" in hugo_files, (feed, link)
    if term_pages:
        assert feeds
        return
    shutil.rmtree(out)
    config.write_text(text.replace("categories = false", "categories = true"), encoding="utf-8")
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 2
    assert 'feeds.categories: the Hugo site\'s disableKinds has "term"' in result.output
    assert not out.exists()


def test_a_hugo_site_without_post_pages_stops_the_build(tmp_path: Path) -> None:
    """disableKinds = ["page"]: Hugo makes no post page, so no feed may link one."""
    site = kinds_site(tmp_path, '["page"]')
    assert not any(name.startswith("posts/p1") for name in hugo_build(site))
    _, result = feedpub_build(site)
    assert result.exit_code == 2
    assert 'disableKinds has "page": Hugo makes no page for any post' in result.output
    assert not (site / "public").exists()


def test_terms_as_hugo_takes_them(tmp_path: Path) -> None:
    """A taxonomy given as a string or a number is one term to Hugo ("Go Rust" is /tags/go-rust/), a list one term
    an item: each term feed lands where Hugo serves that term's page and feed."""
    pages = {
        "a.md": '---\ntitle: A\ndate: 2024-01-01\ntags: "Go Rust"\ncategories: "News, Tech"\n---\nx\n',
        "b.md": "+++\ntitle = 'B'\ndate = 2024-01-02\ntags = 'Solo'\ncategories = 42\n+++\nx\n",
        "c.md": '---\ntitle: C\ndate: 2024-01-03\ntags: ["A B", "c, d"]\n---\nx\n',
    }
    assert_term_feeds_are_hugos(tmp_path, pages)


def test_yaml_sets_and_ordered_maps_are_read_as_hugos_go_yaml_reads_them(tmp_path: Path) -> None:
    """go-yaml keeps no type of `!!set`, `!!omap` and `!!pairs`: a set is the mapping it is written as, the others
    lists of one-key mappings, and Hugo takes no term of either. PyYAML made a Python set, and feedpub a category
    "{'a', 'b'}", in an order that changed with the hash seed."""
    pages = {
        "a.md": "---\ntitle: A\ndate: 2024-01-01\ncategories: !!set {News: null, Tech: null}\ntags: [go]\n---\nx\n",
        "b.md": "---\ntitle: B\ndate: 2024-01-02\ntags: !!set {rust, go}\n---\nx\n",
        "c.md": "---\ntitle: C\ndate: 2024-01-03\ncategories: !!omap [{b: 1}, {a: 2}]\ntags: !!pairs [{x: 1}]\n---\n",
    }
    assert_term_feeds_are_hugos(tmp_path, pages)


def assert_term_feeds_are_hugos(tmp_path: Path, pages: Mapping[str, str]) -> None:
    """Build `pages` with the real Hugo and with feedpub: the same term feeds, each where Hugo serves its term's."""
    site = make_site(tmp_path, "", pages)
    hugo_feeds = {name for name in hugo_build(site) if is_term_feed(name)}
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(config).output_dir
    assert {name for name in (p.relative_to(out).as_posix() for p in out.rglob("*.xml")) if is_term_feed(name)} == (
        hugo_feeds
    )


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
    pages = {}
    for number, value in enumerate(HUGO_DATES):
        for style, written in (("quoted", json.dumps(value)), ("plain", value)):
            pages[f"{style}{number}.md"] = f"---\ntitle: {style}{number}\ndate: {written}\n---\nx\n"
    config = 'timeZone = "Asia/Seoul"\nbuildFuture = true'
    site = make_site(tmp_path, config, pages, single='{{ .Date.Format "2006-01-02T15:04:05.999999999Z07:00" }}')
    hugo_build(site)
    seoul = ZoneInfo("Asia/Seoul")
    compared = 0
    for name, text in pages.items():
        page = site / "public" / "posts" / name.removesuffix(".md") / "index.html"
        if not page.exists():
            assert name.startswith("plain"), name  # YAML refuses some unquoted texts; every quoted one is a page
            continue
        compared += 1
        # Python's datetime holds microseconds: Hugo's nanoseconds are cut to them.
        printed = html.unescape(page.read_text(encoding="utf-8").strip())
        hugos = re.sub(r"\.(\d{1,6})\d*", lambda m: ("." + m.group(1)).rstrip("0").rstrip("."), printed)
        try:
            moment = hugo_date(split_front_matter(name, text)[0]["date"], seoul)
        except TimeOnly:
            moment = None
        assert (go_format(moment) if moment is not None else "0001-01-01T00:00:00Z") == hugos, name
    assert compared > len(HUGO_DATES)


# Wall times a zone skips (spring forward) or has twice (fall back), as YAML text, a TOML local date-time, a date
# alone and a file name's date: Go's time.Date places them, not Python's fold.
ZONE_CHANGES = ["2024-03-10T02:30:00", "2024-11-03T01:30:00", "2024-03-31T02:30:00", "2024-10-27T02:30:00"]
ZONE_CHANGE_DAYS = ["2024-03-10", "2024-03-31", "2024-11-03"]


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Europe/Berlin", "America/Havana"])
def test_times_a_zone_skips_or_repeats_are_hugos(zone: str, tmp_path: Path) -> None:
    """With timeZone "America/Los_Angeles", Hugo dates 2024-03-10T02:30:00 (skipped by the clocks) 01:30 -0800, as
    Go's time.Date does; feedpub dated it 02:30 -0800, an hour later than Hugo's feed."""
    pages = {}
    for n, value in enumerate(ZONE_CHANGES):
        pages[f"yaml{n}.md"] = f"---\ntitle: yaml{n}\ndate: {value}\n---\nx\n"
        pages[f"toml{n}.md"] = f"+++\ntitle = 'toml{n}'\ndate = {value}\n+++\nx\n"
    for n, day in enumerate(ZONE_CHANGE_DAYS):
        pages[f"day{n}.md"] = f"---\ntitle: day{n}\ndate: {day}\n---\nx\n"
        pages[f"{day}-named{n}.md"] = f"---\ntitle: named{n}\n---\nx\n"
    config = f'timeZone = "{zone}"\nbuildFuture = true\n[frontmatter]\ndate = [":filename", ":default"]'
    site = make_site(tmp_path, config, pages)

    def dates(feed: Path) -> dict[str, str]:
        items = ET.parse(feed).getroot().iter("item")
        return {item.findtext("title") or "": item.findtext("pubDate") or "" for item in items}

    hugo_build(site)
    hugos = dates(site / "public" / "index.xml")
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    assert dates(load_config(feedpub_config).output_dir / "index.xml") == hugos
    assert len(hugos) == len(pages)


def test_json_front_matters_numbers_are_hugos(tmp_path: Path) -> None:
    """Hugo reads JSON front matter's numbers as floats: a number of seconds is no date (its date is zero, its URL
    /1/01/01/...), a 1 no draft, where YAML's and TOML's integers are both (feedpub linked /2024/01/02/json/)."""
    pages = {
        "json.md": '{"title": "json", "date": 1704238200}\nx\n',
        "json-draft.md": '{"title": "json draft", "date": "2024-01-03", "draft": 1}\nx\n',
        "json-slug.md": '{"title": "json slug", "date": "2024-01-04", "slug": 3.0}\nx\n',
        "yaml.md": "---\ntitle: yaml\ndate: 1704238200\n---\nx\n",
        "toml.md": '+++\ntitle = "toml"\ndate = 1704238200\n+++\nx\n',
    }
    assert_post_urls_are_hugos(tmp_path, '[permalinks]\nposts = "/:year/:month/:day/:slug/"', pages)


@pytest.mark.parametrize(
    "page",
    [
        '---\ntitle: "form\x0cfeed"\ndate: 2024-01-01\n---\nx\n',
        '+++\ntitle = "form\x0cfeed"\ndate = 2024-01-01\n+++\nx\n',
    ],
    ids=["yaml", "toml"],
)
def test_a_control_character_in_front_matter_rejects_its_page_by_name(page: str, tmp_path: Path) -> None:
    """Hugo stops its whole build on a control character in front matter; feedpub dropped it before reading, as
    from a body, and published the page. It is rejected by name, at its line; the others are published."""
    pages = {"ctrl.md": page, "ok.md": "---\ntitle: ok\ndate: 2024-01-02\n---\nx\n"}
    site = make_site(tmp_path, "", pages)
    hugos_refusal = r"ctrl\.md:.*(control characters are not allowed|toml: invalid UTF-8)"
    with pytest.raises(hugo_oracle.HugoError, match=hugos_refusal):
        hugo_build(site)
    config, result = feedpub_build(site)
    assert result.exit_code == 1, result.output
    assert "ctrl.md: front matter holds U+000C, a character YAML and TOML refuse" in result.output
    published = {url for url in sitemap_locs(load_config(config).output_dir) if not is_list_page(url)}
    assert published == {f"{SITE}posts/ok/"}


def test_yaml_front_matter_ended_by_dots_is_read_to_hugos_end(tmp_path: Path) -> None:
    """Hugo ends YAML front matter at a "---" line alone, not at YAML's "..." (Jekyll's end too): with no "---" after
    it, Hugo stops its whole build ("EOF looking for end YAML front matter delimiter"), and feedpub published the
    page; with one further down, Hugo's body starts after that line, and feedpub's held what lies between. The first
    is rejected by name, the second has Hugo's body."""
    dots = "---\ntitle: Dots\ndate: 2024-01-03\n...\nbody\n"
    pages = {"later.md": dots + "\n---\n\nmore\n", "ok.md": "---\ntitle: OK\ndate: 2024-01-02\n---\nx\n"}
    site = make_site(tmp_path, "", pages, single="page {{ .Title }} {{ .Content }}")
    hugo_build(site)
    assert (site / "public" / "posts" / "later" / "index.html").read_text(encoding="utf-8") == "page Dots <p>more</p>\n"
    (site / "content" / "posts" / "dots.md").write_text(dots, encoding="utf-8")
    with pytest.raises(hugo_oracle.HugoError, match=r"dots\.md:1:1.*EOF looking for end YAML front matter delimiter"):
        hugo_build(site)
    config, result = feedpub_build(site)
    assert result.exit_code == 1, result.output
    assert "dots.md: its front matter ends at a '...' line, which Hugo does not read as its end" in result.output
    out = load_config(config).output_dir
    assert {url for url in sitemap_locs(out) if not is_list_page(url)} == {SITE + "posts/later/", SITE + "posts/ok/"}
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [item["content_html"] for item in items if item["title"] == "Dots"] == ["<p>more</p>\n"]


def go_format(moment: datetime) -> str:
    """Go's Format("2006-01-02T15:04:05.999999999Z07:00"): no trailing zeros in the fraction, Z for a zero offset."""
    fraction = f".{moment.microsecond:06d}".rstrip("0").rstrip(".")
    offset = moment.utcoffset() or timedelta()
    minutes = int(offset.total_seconds()) // 60
    zone = "Z" if not minutes else f"{'+' if minutes > 0 else '-'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{moment:%Y-%m-%dT%H:%M:%S}{fraction}{zone}"


SECTION_PAGES = {
    "Tech News/_index.md": "---\ntitle: Tech\n---\n",
    "Tech News/a.md": "---\ntitle: A Tech\ndate: 2024-01-01\n---\nx\n",
    "Tech News/Deep Dive/_index.md": "---\ntitle: Deep\n---\n",
    "Tech News/Deep Dive/b.md": "---\ntitle: B Deep\ndate: 2024-01-02\n---\nx\n",
    "plain/c.md": "---\ntitle: C Plain\ndate: 2024-01-03\n---\nx\n",
    "g.md": "---\ntitle: G\ndate: 2024-01-04\n---\nx\n",
    # A folder without an _index between sections: Hugo makes it one on the way to the deeper _index.
    "Tech News/Mid/Deeper/_index.md": "---\ntitle: Deeper\n---\n",
    "Tech News/Mid/Deeper/d.md": "---\ntitle: D Deeper\ndate: 2024-01-05\n---\nx\n",
}


@pytest.mark.parametrize("root_index", [True, False], ids=["root-index", "no-root-index"])
@pytest.mark.parametrize(
    "sections", [":sections", ":sections[0]", ":sections[1:]", ":sections[last]", ":sections[:last]", ":sections[1:2]"]
)
def test_sections_tokens_as_hugo_fills_them(sections: str, root_index: bool, tmp_path: Path) -> None:
    """`:sections` and its slices on pages one, two and three sections deep, with and without an _index file in
    the first folder (which changes what `last` means to Hugo)."""
    pages = {**SECTION_PAGES, **({"_index.md": "---\ntitle: Posts\n---\n"} if root_index else {})}
    assert_post_urls_are_hugos(tmp_path, f'[permalinks]\nposts = "/x/{sections}/:filename/"', pages)


# One content folder for two languages (Korean the default: its files are unsuffixed), each folder a section for
# one of them alone: posts/ and deep/er/ by an English _index, deep/ by a Korean one.
LANGUAGE_SECTION_PAGES = {
    "_index.en.md": "---\ntitle: Posts\n---\n",
    "deep/_index.md": "---\ntitle: 깊이\n---\n",
    "deep/er/_index.en.md": "---\ntitle: Deeper\n---\n",
    **{
        f"{folder}{name}{suffix}.md": f"---\ntitle: {name}{suffix}\ndate: 2024-01-0{day}\n---\nx\n"
        for day, (folder, name) in enumerate([("", "a"), ("deep/", "b"), ("deep/er/", "c")], start=1)
        for suffix in ("", ".en")
    },
}


@pytest.mark.parametrize("sections", [":sections", ":sections[last]"])
def test_a_folder_is_a_section_in_the_languages_of_its_index_files(sections: str, tmp_path: Path) -> None:
    """Hugo makes a folder a section only for the languages that have an _index file there (observed: deep/b.md is
    /x/posts/deep/b/ in Korean, /en/x/posts/b/ in English); feedpub made it one in every language, and linked
    /en/x/posts/deep/b/ (a 404)."""
    config = f'{KOREAN_FIRST}[permalinks]\nposts = "/x/{sections}/:filename/"\n{TWO_LANGUAGES}'
    assert_post_urls_are_hugos(tmp_path, config, LANGUAGE_SECTION_PAGES)


@pytest.mark.parametrize(
    ("config", "pages", "twins"),
    [
        ("", {"y.md": "Y One", "y.markdown": "Y Two", "z.md": "Z"}, {"y.md", "y.markdown"}),
        ("", {"x.md": "X Page", "x/index.md": "X Bundle", "z.md": "Z"}, {"x.md", "x/index.md"}),
        ("", {"h.md": "H Markdown", "h.html": "H HTML", "z.md": "Z"}, {"h.md", "h.html"}),
        (KOREAN_FIRST + TWO_LANGUAGES, {"k.md": "K", "k.ko.md": "K Ko", "k.en.md": "K En"}, {"k.md", "k.ko.md"}),
        (KOREAN_FIRST + TWO_LANGUAGES, {"b/index.md": "B", "b/index.en.md": "B En"}, set()),
    ],
    ids=["extensions", "bundle", "html", "default-suffix", "translation"],
)
def test_two_files_of_one_page_are_rejected(
    config: str, pages: dict[str, str], twins: set[str], tmp_path: Path
) -> None:
    """Files that are one page to Hugo, which publishes one of them (not by a rule of names: observed both ways):
    feedpub publishes neither, naming both, and every URL it publishes is a page Hugo wrote."""
    texts = {
        name: f"---\ntitle: {title}\ndate: 2024-01-0{n}\n---\nx\n" for n, (name, title) in enumerate(pages.items(), 1)
    }
    site = make_site(tmp_path, config + '[permalinks]\nposts = "/:title/"', texts)
    hugo_build(site)
    hugo_posts = {url for url in sitemap_locs(site / "public") if is_hugo_page(site / "public", url)}
    assert len(hugo_posts) == len(pages) - (1 if twins else 0)  # Hugo publishes one of the two
    config_path, result = feedpub_build(site)
    for twin in twins:
        assert f"{site}/content/posts/{twin}: one page to the generator with" in result.output
    assert result.exit_code == (1 if twins else 0), result.output
    published = {url for url in sitemap_locs(load_config(config_path).output_dir) if not is_list_page(url)}
    assert published <= hugo_posts
    assert len(published) == len(hugo_posts) - (1 if twins else 0)


# Pages Hugo writes no HTML for, or leaves out of its home feed and sitemap, beside pages it writes as usual.
OUTPUTS_PAGES = {
    "own.md": "---\ntitle: Own\ndate: 2024-01-01\n---\nx\n",
    "html.md": "---\ntitle: Html\ndate: 2024-01-02\noutputs: [Html]\n---\nx\n",
    "none.md": "---\ntitle: None\ndate: 2024-01-03\noutputs: []\n---\nx\n",
    "text.md": "---\ntitle: Text\ndate: 2024-01-04\noutputs: html\n---\nx\n",
    "json.md": "---\ntitle: Json\ndate: 2024-01-05\noutputs: Json\n---\nx\n",
    "feeds.md": "---\ntitle: Feeds\ndate: 2024-01-06\noutputs: [json, rss]\n---\nx\n",
    "sub/_index.md": "---\ntitle: Sub\ncascade:\n  outputs: [html]\n---\n",
    "sub/cascaded.md": "---\ntitle: Cascaded\ndate: 2024-01-07\n---\nx\n",
    "local.md": "---\ntitle: Local\ndate: 2024-01-08\n_build:\n  list: local\n---\nx\n",
    "unlisted.md": "---\ntitle: Unlisted\ndate: 2024-01-09\n_build:\n  list: false\n---\nx\n",
    "never.md": "---\ntitle: Never\ndate: 2024-01-14\n_Build:\n  List: Never\n---\nx\n",
    "linked.md": "---\ntitle: Linked\ndate: 2024-01-10\n_build:\n  render: link\n---\nx\n",
    "mdown.mdown": "---\ntitle: Mdown\ndate: 2024-01-11\n---\n*x*\n",
    "mkd.mkd": "---\ntitle: Mkd\ndate: 2024-01-12\n---\nx\n",
    "htm.htm": "---\ntitle: Htm\ndate: 2024-01-13\n---\n<p>x</p>\n",
}


@pytest.mark.parametrize(
    "config", ["", '[outputs]\npage = ["JSON"]', "[outputs]\npage = []"], ids=["default", "json-pages", "empty"]
)
def test_pages_hugo_writes_and_lists_are_the_posts(config: str, tmp_path: Path) -> None:
    """`outputs` (front matter, cascade, or the site's `[outputs] page`) without HTML: Hugo writes no page, and its
    feed links a JSON file or one it never wrote; `_build` with `list: local` or `false`: out of the home feed and
    the sitemap, `render: link`: no page (values as written: "Never" is nothing); .mdown is Markdown, .mkd a file
    copied as it is. feedpub publishes exactly the pages Hugo writes and lists."""
    assert_post_urls_are_hugos(tmp_path, config, OUTPUTS_PAGES)


@pytest.mark.parametrize("listing", ["local", "false", "never"])
def test_pages_out_of_hugos_lists_are_in_their_tags_feeds(listing: str, tmp_path: Path) -> None:
    """`_build: list: local` (or `false`, `never`): Hugo writes the page and leaves it out of its home feed and
    sitemap, but its tags' feeds show it (observed): so do feedpub's, and its own feed and sitemap leave it out."""
    pages = {
        "own.md": "---\ntitle: Own\ndate: 2024-01-01\ntags: [shared]\n---\nx\n",
        "apart.md": f"---\ntitle: Apart\ndate: 2024-01-02\ntags: [shared]\n_build:\n  list: {listing}\n---\nx\n",
    }
    site = make_site(tmp_path, "", pages)
    hugo_build(site)

    def links(feed: Path) -> set[str]:
        return {item.findtext("link") or "" for item in ET.parse(feed).getroot().iter("item")}

    public = site / "public"
    hugo_tag, hugo_home = links(public / "tags" / "shared" / "index.xml"), links(public / "index.xml")
    assert SITE + "posts/apart/" in hugo_tag and SITE + "posts/apart/" not in hugo_home
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(config).output_dir
    assert links(out / "tags" / "shared" / "index.xml") == hugo_tag
    assert links(out / "index.xml") == hugo_home
    assert SITE + "posts/apart/" not in sitemap_locs(out)


# `url:` values Hugo cleans as a path before it writes the page (observed), beside one that stays as written.
UNCLEAN_URLS = {
    "slashes.md": "/a//b/",
    "relative-slashes.md": "c//d",
    "dot.md": "/e/./f/",
    "dots.md": "/g/../h/",
    "climbing.md": "/../../i/j/",
    "leading-dot.md": "./k/",
    "upper-scheme.md": "HTTPS://other.example/l/",
    "protocol-relative.md": "//other.example/m/",
    "plain.md": "/n/o.html",
}


def test_urls_cleaned_as_hugo_cleans_them(tmp_path: Path) -> None:
    """`url: /a//b/` is /a/b/ to Hugo, `/g/../h/` is /h/, `HTTPS://x/` a folder named "HTTPS:": the post URLs are
    Hugo's, where feedpub kept the doubled slashes and rejected the dot segments."""
    pages = {
        name: f"---\ntitle: {name}\ndate: 2024-01-0{i + 1}\nurl: {json.dumps(url)}\n---\nx\n"
        for i, (name, url) in enumerate(UNCLEAN_URLS.items())
    }
    assert_post_urls_are_hugos(tmp_path, "", pages)


# Slugs whose "." and ".." segments Hugo resolves in the page's path (observed), and their neighbours.
DOTTED_SLUGS = ["a/b", "../up", "x/../y", "//dbl", "./dot", "...", "a..b", "z/."]


@pytest.mark.parametrize(
    "config", ["", '[permalinks]\nposts = "/:year/:slug/"', "uglyURLs = true"], ids=["default", "pattern", "ugly"]
)
def test_dot_segments_of_a_slug_resolved_as_hugo_resolves_them(config: str, tmp_path: Path) -> None:
    """A slug "../up" puts the page at /up/ and "x/../y" at /posts/y/ (Hugo cleans the path it writes): those
    posts are published at Hugo's URLs, where feedpub rejected them for their dot segments."""
    pages = {
        f"s{i}.md": f"---\ntitle: S{i}\ndate: 2024-01-0{i + 1}\nslug: {json.dumps(slug)}\n---\nx\n"
        for i, slug in enumerate(DOTTED_SLUGS)
    }
    assert_post_urls_are_hugos(tmp_path, config, pages)


def test_a_url_hugo_refuses_rejects_its_post(tmp_path: Path) -> None:
    """`url: https://…` stops Hugo's whole build ("URLs with protocol (http*) not supported"): the post is
    rejected by name, and the others are published."""
    pages = {
        "ok.md": "---\ntitle: OK\ndate: 2024-01-01\n---\nx\n",
        "scheme.md": '---\ntitle: Scheme\ndate: 2024-01-02\nurl: "https://other.example/p/"\n---\nx\n',
    }
    site = make_site(tmp_path, "", pages)
    with pytest.raises(hugo_oracle.HugoError, match="URLs with protocol"):
        hugo_build(site)
    config, result = feedpub_build(site)
    assert result.exit_code == 1, result.output
    assert "scheme.md: its url starts with http:// or https://" in result.output
    assert {url for url in sitemap_locs(load_config(config).output_dir) if not is_list_page(url)} == {
        SITE + "posts/ok/"
    }


def test_a_post_at_the_home_page_is_rejected(tmp_path: Path) -> None:
    """An untitled page under "/:title/" has the home page's URL, and Hugo writes the home page over it: such a
    post is rejected by name, where feedpub published one of them as the home page."""
    pages = {
        "untitled.md": "---\ntitle: ''\ndate: 2024-01-01\n---\nx\n",
        "no-title.md": "---\ndate: 2024-01-02\n---\nx\n",
        "slash.md": "---\ntitle: Slash\ndate: 2024-01-03\nurl: /\n---\nx\n",
        "titled.md": "---\ntitle: 한국어 제목\ndate: 2024-01-04\n---\nx\n",
    }
    site = make_site(tmp_path, "[permalinks]\nposts = '/:title/'", pages)
    hugo_build(site)
    # Hugo writes its pages concurrently: the home page wins the race nearly always, a page now and then (seen on
    # a loaded machine). Either way those pages have no address of their own.
    assert (site / "public" / "index.html").read_text(encoding="utf-8").startswith(("list ", "page "))
    config, result = feedpub_build(site)
    assert result.exit_code == 1, result.output
    for name in ("untitled.md", "no-title.md", "slash.md"):
        assert f"{name}: its URL is the home page's, which Hugo writes over it" in result.output
    published = {url for url in sitemap_locs(load_config(config).output_dir) if not is_list_page(url)}
    assert published == {SITE + "%ED%95%9C%EA%B5%AD%EC%96%B4-%EC%A0%9C%EB%AA%A9/"}


@pytest.mark.parametrize(
    "config",
    [
        '[permalinks]\ntags = "/topic/:slug/"\ncategories = "/Cat/:title"',
        '[permalinks]\ntags = "t-:slug"\ncategories = "/c/:section/:sections[0]/:slug/"',
        'disablePathToLower = true\n[permalinks]\ntags = "/Topic/:title/"',
        '[permalinks]\ntags = "/:year/:slug/"\ncategories = "/c/:filename/"',
        KOREAN_FIRST
        + '[permalinks]\ntags = "/topic/:slug/"\n'
        + TWO_LANGUAGES
        + '[languages.en.permalinks]\ntags = "/en-tags/:title/"',
        # A plural written with an upper-case letter: no [permalinks] key is for it, and it is a folder as written.
        '[taxonomies]\nTag = "Tags"\nCategory = "categories"\n[permalinks]\nTags = "/topic/:slug/"\n'
        'categories = "/c/:slug/"',
        'disablePathToLower = true\n[taxonomies]\ntag = "Tags"\ncategory = "categories"',
    ],
    ids=["folder", "sections", "cased", "dated", "languages", "cased-plural", "cased-plural-folder"],
)
def test_term_feeds_where_hugo_serves_them(config: str, tmp_path: Path) -> None:
    """A taxonomy's [permalinks] pattern moves its terms' pages and feeds (`/topic/:slug/`): each term feed is
    written where Hugo serves that term's, so its subscribers get feedpub's. Where a pattern's address moves with
    the term's newest post (a date) or is one for all terms (:filename), feedpub keeps tags/<term>/."""
    pages = {
        "a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [Go Lang, 영화, C++]\ncategories: [News Today]\n---\nx\n",
        # An English translation where English is a language, else a page of its own
        ("a.en.md" if "[languages" in config else "b.md"): (
            "---\ntitle: A en\ndate: 2024-01-01\ntags: [Rust Lang]\ncategories: [World]\n---\nx\n"
        ),
    }
    site = make_site(tmp_path, config, pages)
    hugo_feeds = hugo_term_feeds(site)
    assert hugo_feeds  # every case makes term pages
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    ours = {p.relative_to(out).as_posix() for p in out.rglob("index.xml")} - {"index.xml", "en/index.xml"}
    moving = "dated" in config or ":year" in config
    if moving:
        assert all(name.startswith(("tags/", "categories/", "en/tags/", "en/categories/")) for name in ours)
    else:
        assert ours == hugo_feeds


@pytest.mark.parametrize(
    "config", ['[permalinks]\ntags = "/topic/:slug/"', '[permalinks]\ntags = "t-:slug"'], ids=["folder", "root"]
)
def test_a_terms_feeds_go_with_its_last_post_where_hugo_serves_them(config: str, tmp_path: Path) -> None:
    """Once no post has a tag, its feeds are deleted from where they were written (its page and feed are gone from
    Hugo's build): under a taxonomy's own pattern too, not only under tags/."""
    pages = {
        "a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [Go Lang, Keep]\n---\nx\n",
        "b.md": "---\ntitle: B\ndate: 2024-01-02\ntags: [Keep]\n---\nx\n",
    }
    site = make_site(tmp_path, config, pages)
    (site / "layouts" / "_default" / "term.html").write_text("term {{ .Title }}", encoding="utf-8")
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    before = {p.relative_to(out).as_posix() for p in out.rglob("index.xml")} - {"index.xml"}
    (site / "content" / "posts" / "a.md").write_text(pages["a.md"].replace("Go Lang, ", ""), encoding="utf-8")
    rebuilt = run("build", "--config", feedpub_config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert rebuilt.exit_code == 0, rebuilt.output
    after = {p.relative_to(out).as_posix() for p in out.rglob("index.xml")} - {"index.xml"}
    shutil.rmtree(site / "public", ignore_errors=True)
    public = site / "public"
    hugo_feeds = {
        n for n in hugo_build(site) if n.endswith("/index.xml") and _starts(public / n, "term ", "index.html")
    }
    assert len(before) == 2
    assert after == hugo_feeds and len(after) == 1, (before, after, hugo_feeds)


# A term's _index file (content/<taxonomy>/<term>/<name>) and the `url` it gives: where Hugo serves the term.
TERM_URLS = {
    "tags/t1/_index.md": "/GoLang/",
    "tags/t2/_index.md": "/no-slash",
    "tags/t3/_index.md": "relative/x/",
    "tags/t5/_index.md": '"/한글/"',
    "tags/t6/_index.md": '""',
    "categories/c1/_index.md": "/cats/one/",
}
TERM_URLS_IN_LANGUAGES = {
    "tags/t1/_index.md": "/golang/",  # the default language's (the content folder is shared)
    "tags/t2/_index.en.md": "rel-en/",  # under /en/
}


@pytest.mark.parametrize(
    ("config", "term_urls"),
    [("", TERM_URLS), (KOREAN_FIRST + TWO_LANGUAGES, TERM_URLS_IN_LANGUAGES)],
    ids=["one-language", "languages"],
)
def test_term_feeds_where_a_terms_own_url_puts_them(config: str, term_urls: dict[str, str], tmp_path: Path) -> None:
    """A term's _index file with `url` moves its page and feed (content/tags/go/_index.md, `url: /golang/`): the
    term's feed is written where Hugo serves it, so the term page's subscribers get feedpub's."""
    tags = "[T1, T2, T3, T5, T6]"
    pages = {"a.md": f"---\ntitle: A\ndate: 2024-01-01\ntags: {tags}\ncategories: [C1]\n---\nx\n"}
    if "[languages" in config:
        pages["a.en.md"] = f"---\ntitle: A en\ndate: 2024-01-01\ntags: {tags}\n---\nx\n"
    site = make_site(tmp_path, config, pages)
    (site / "layouts" / "_default" / "term.html").write_text("term {{ .Title }}", encoding="utf-8")
    for name, url in term_urls.items():
        (site / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / name).write_text(f"---\ntitle: Term\nurl: {url}\n---\n", encoding="utf-8")
    public = site / "public"
    hugo_feeds = {
        n for n in hugo_build(site) if n.endswith("/index.xml") and _starts(public / n, "term ", "index.html")
    }
    assert {"golang/index.xml"} <= hugo_feeds
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    ours = {p.relative_to(out).as_posix() for p in out.rglob("index.xml")} - {"index.xml", "en/index.xml"}
    assert ours == hugo_feeds


# Names with "#", "?" and "%" in several places: through a pattern's :slug or :title, a "#" that ends one is gone.
HASHED_NAMES = ["C#", "#hash", "a#b", "a#b#c", "q?", "100%", "b c#", "e#%41", "c##", "x?#", "k#%23"]


@pytest.mark.parametrize(
    "config",
    [
        "",
        '[permalinks]\ntags = "/tags/:slug/"\nposts = "/p/:slug/"',
        '[permalinks]\ntags = "/t/:title/"\nposts = "/:title/"',
        '[permalinks]\ntags = "t-:slug"\nposts = "/:year/:slugorfilename/"',
    ],
    ids=["no-pattern", "slug", "title", "root"],
)
def test_names_with_hash_marks_as_hugo_serves_them(config: str, tmp_path: Path) -> None:
    """Under a pattern, "C#" is /tags/c/ (Go's URL parsing drops the empty fragment), where feedpub wrote the feed
    at /tags/c#/ and linked the post /p/c%23/: Hugo serves neither."""
    tags = json.dumps(HASHED_NAMES)
    # A post's name with "%" is left out: Hugo links /posts/%41/ to its folder %41/, which no server serves there.
    names = [name for name in HASHED_NAMES if "%" not in name]
    pages = {
        f"p{n}.md": f'---\ntitle: "{name}"\nslug: "{name}"\ndate: 2024-01-{n + 1:02d}\ntags: {tags}\n---\nx\n'
        for n, name in enumerate(names)
    }
    site = make_site(tmp_path, config, pages, single="page")
    hugo_feeds = hugo_term_feeds(site)
    public = site / "public"
    hugo_posts = {
        p.parent.relative_to(public).as_posix() for p in public.rglob("index.html") if _starts(p, "page", p.name)
    }
    assert len(hugo_feeds) == len(HASHED_NAMES) and len(hugo_posts) == len(names)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    assert {p.relative_to(out).as_posix() for p in out.rglob("index.xml")} - {"index.xml"} == hugo_feeds
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert {unquote(item["url"].removeprefix(SITE)).strip("/") for item in items} == hugo_posts


# A term's _index file and its front matter: under a taxonomy's pattern, its title or slug names the term's folder.
TERM_NAMES = {
    "tags/go/_index.md": "title: Golang Stuff",
    "tags/rust/_index.md": "title: Rust Lang\nslug: Rusty",
    "tags/sp/_index.md": 'slug: "  My Slug  "',
    "tags/cp/_index.md": 'title: "C++ & Go: 100%"',
    "tags/Up/_index.md": "title: Upper Case",  # the folder of the term "Up", as Hugo matches it
    "categories/misc/_index.md": "title: Miscellaneous Things",
    "categories/both/_index.md": "title: Both Title\nslug: both-slug",
}
TERM_PATTERNS = '[permalinks]\ntags = "/t/:slug/"\ncategories = "/c/:title/"\n'


@pytest.mark.parametrize(
    "config",
    [TERM_PATTERNS, "disablePathToLower = true\n" + TERM_PATTERNS, "", KOREAN_FIRST + TERM_PATTERNS + TWO_LANGUAGES],
    ids=["patterns", "cased", "no-pattern", "languages"],
)
def test_term_feeds_where_a_terms_title_or_slug_puts_them(config: str, tmp_path: Path) -> None:
    """Under `tags = "/t/:slug/"`, a term's _index file's slug, else its title, names its folder (content/tags/go/
    _index.md titled "Golang Stuff" is /t/golang-stuff/): feedpub wrote /t/go/, beside a page Hugo never wrote."""
    tags = "[go, rust, sp, cp, Up, plain]"
    pages = {"a.md": f"---\ntitle: A\ndate: 2024-01-01\ntags: {tags}\ncategories: [misc, both, other]\n---\nx\n"}
    term_names = dict(TERM_NAMES)
    if "[languages" in config:
        pages["a.en.md"] = f"---\ntitle: A en\ndate: 2024-01-01\ntags: {tags}\n---\nx\n"
        term_names["tags/go/_index.en.md"] = "title: Go in English"
    site = make_site(tmp_path, config, pages)
    for name, front_matter in term_names.items():
        (site / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / name).write_text(f"---\n{front_matter}\n---\n", encoding="utf-8")
    hugo_feeds = hugo_term_feeds(site)
    assert ("t/golang-stuff/index.xml" in {name.lower() for name in hugo_feeds}) == ("/t/" in config)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    ours = {p.relative_to(out).as_posix() for p in out.rglob("index.xml")} - {"index.xml", "en/index.xml"}
    assert ours == hugo_feeds


def _starts(feed: Path, prefix: str, page: str) -> bool:
    """Whether the page beside `feed` (named `page`) starts with `prefix`: which layout Hugo used."""
    beside = feed.parent / page
    return beside.is_file() and beside.read_text(encoding="utf-8").startswith(prefix)


@pytest.mark.parametrize("disabled", [False, True], ids=["hugo-sitemap", "sitemap-disabled"])
def test_hugos_own_sitemap_is_left_alone(disabled: bool, tmp_path: Path) -> None:
    """Hugo's sitemap.xml lists every page (sections, terms, pages outside the posts' sections): feedpub, built
    into the same folder after Hugo, writes its own beside it (sitemap-posts.xml, in robots.txt) and leaves
    Hugo's as Hugo wrote it; with `disableKinds = ["sitemap"]` the site has none, and feedpub's is sitemap.xml."""
    pages = {"a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [x]\n---\nx\n"}
    site = make_site(tmp_path, 'disableKinds = ["sitemap"]' if disabled else "", pages)
    (site / "content" / "about.md").write_text("---\ntitle: About\n---\nx\n", encoding="utf-8")
    written = hugo_build(site)
    assert ("sitemap.xml" in written) is not disabled
    hugos = (site / "public" / "sitemap.xml").read_bytes() if not disabled else b""
    config = site.parent / "feedpub.toml"
    assert run("init", "--from-hugo", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 0, result.output
    ours = "sitemap.xml" if disabled else "sitemap-posts.xml"
    assert sitemap_locs(site / "public") >= {SITE + "posts/a/"}
    assert f"Sitemap: {SITE}{ours}" in (site / "public" / "robots.txt").read_text(encoding="utf-8")
    if not disabled:
        assert (site / "public" / "sitemap.xml").read_bytes() == hugos
        assert ET.parse(site / "public" / ours).getroot().tag == f"{{{SITEMAP_NS}}}urlset"


# Page bundles and the image files beside their index.md (each body shows /body.jpg).
BUNDLES = {
    "featured": ["featured.jpg", "a.jpg"],
    "cover": ["cover.png", "a.jpg"],
    "thumbnail": ["thumbnail.webp"],
    "upper": ["FEATURED.JPG"],
    "feature-first": ["z-cover.jpg", "my-featured.jpg"],
    "cover-or-thumbnail": ["z-cover.jpg", "thumbnail.jpg"],
    "by-bytes": ["a-feature.jpg", "B-feature.jpg"],  # B first
    "below": ["images/feature.jpg"],
    "not-an-image": ["featured.txt", "notes.pdf"],
    "named": ["featured.jpg"],  # and `images: [/named.jpg]`: the named one
}


def test_a_bundles_featured_image_is_the_one_hugos_own_templates_take(tmp_path: Path) -> None:
    """A page bundle with an image named like "featured.jpg" (Hugo Blox's convention) and no `images`: Hugo's own Open
    Graph template takes it for the page's image; it is the post's image in feedpub's sitemap and feeds too, not
    the body's first. Without one (or below the bundle's folder), the body's first image."""
    pages = {}
    for name in BUNDLES:
        images = "images: [/named.jpg]\n" if name == "named" else ""
        pages[f"{name}/index.md"] = f"---\ntitle: {name}\ndate: 2024-01-01\n{images}---\nbody ![x](/body.jpg)\n"
    site = make_site(tmp_path, "", pages, single='{{ template "_internal/opengraph.html" . }}')
    for name, files in BUNDLES.items():
        for file in files:
            (site / "content" / "posts" / name / file).parent.mkdir(parents=True, exist_ok=True)
            (site / "content" / "posts" / name / file).write_bytes(b"image")
    hugo_build(site)
    public = site / "public"
    og = {}
    for name in BUNDLES:
        found = re.search(r'og:image" content="([^"]+)"', (public / "posts" / name / "index.html").read_text("utf-8"))
        og[name] = found.group(1) if found else None
    assert og["featured"] == SITE + "posts/featured/featured.jpg" and og["below"] is None  # what Hugo takes
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    images = {}
    for path in load_config(feedpub_config).output_dir.rglob("sitemap*.xml"):
        for url in ET.parse(path).getroot().iter(f"{{{SITEMAP_NS}}}url"):
            image = url.find(f"{{{IMAGE_NS}}}image/{{{IMAGE_NS}}}loc")
            loc = url.findtext(f"{{{SITEMAP_NS}}}loc") or ""
            images[unquote(loc).removeprefix(SITE + "posts/").strip("/")] = (
                unquote(image.text or "") if image is not None else None
            )
    for name in BUNDLES:
        assert images[name] == (og[name] or SITE + "body.jpg"), name


def test_a_bundles_images_under_ugly_urls_are_where_hugo_writes_them(tmp_path: Path) -> None:
    """uglyURLs make a bundle the page posts/b1.html, with its files under posts/b1/: its front matter image and
    its featured image were published beside the page (posts/pic.png), where Hugo writes nothing."""
    pages = {
        "b1/index.md": "---\ntitle: B1\ndate: 2024-01-01\nimages: [pic.png]\n---\nbody\n",
        "b2/index.md": "---\ntitle: B2\ndate: 2024-01-02\n---\nbody\n",
    }
    site = make_site(tmp_path, "uglyURLs = true", pages)
    (site / "content" / "posts" / "b1" / "pic.png").write_bytes(b"png")
    (site / "content" / "posts" / "b2" / "cover.png").write_bytes(b"png")
    written = hugo_build(site)
    assert {"posts/b1.html", "posts/b1/pic.png", "posts/b2/cover.png"} <= written
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    images = {
        unquote(image.text or "").removeprefix(SITE)
        for path in out.rglob("sitemap*.xml")
        for image in ET.parse(path).getroot().iter(f"{{{IMAGE_NS}}}loc")
    }
    assert images == {"posts/b1/pic.png", "posts/b2/cover.png"}
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert {item["image"].removeprefix(SITE) for item in feed["items"]} == images


def test_refs_to_sections_the_home_page_and_pages_by_name_are_hugos(tmp_path: Path) -> None:
    """`ref "/posts"` (a section with an _index), `relref "/news"` (one without), `ref "/"`, `ref "first"` (a name
    without its extension) and `relref "2024/first"`: each was a 404, or the referring post's own URL."""
    body = (
        '[s]({{< ref "/posts" >}}) [n]({{< relref "/news" >}}) [h]({{< ref "/" >}}) '
        '[f]({{< ref "first" >}}) [p]({{< relref "2024/first" >}})'
    )
    pages = {
        "_index.md": "---\ntitle: All posts\n---\n",
        "a.md": f"---\ntitle: A\ndate: 2024-01-05\n---\n{body}\n",
        "2024/first.md": "---\ntitle: First\ndate: 2024-01-01\n---\nx\n",
    }
    site = make_site(tmp_path, "", pages, single="page {{ .Content }}")
    (site / "content" / "news").mkdir()
    (site / "content" / "news" / "n.md").write_text("---\ntitle: N\ndate: 2024-01-02\n---\nx\n", "utf-8")
    hugo_build(site)
    hugos = re.findall(r'href="([^"]*)"', (site / "public" / "posts" / "a" / "index.html").read_text("utf-8"))
    assert len(hugos) == 5
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    feed = json.loads((load_config(feedpub_config).output_dir / "feed.json").read_text(encoding="utf-8"))
    (content,) = [item["content_html"] for item in feed["items"] if item["title"] == "A"]
    # relref is site-relative on Hugo's page; feedpub's feeds make every link absolute.
    assert re.findall(r'href="([^"]*)"', content) == [
        href if "://" in href else SITE + href.lstrip("/") for href in hugos
    ]


def test_refs_are_to_the_referring_pages_language_or_its_lang(tmp_path: Path) -> None:
    """An English page's `ref "b.md"` is b.en.md's URL to Hugo, and `lang="ko"` the Korean one's; feedpub looked
    up every ref in the default language."""
    config = 'defaultContentLanguage = "ko"\n[languages.ko]\nweight = 1\n[languages.en]\nweight = 2'
    pages = {
        "a.md": '---\ntitle: 에이\ndate: 2024-01-05\n---\n[b]({{< ref "b" >}}) '
        '[en]({{< ref path="b.md" lang="en" >}})\n',
        "a.en.md": '---\ntitle: A\ndate: 2024-01-05\n---\n[b]({{< ref "b.md" >}}) '
        '[ko]({{< ref path="b.md" lang="ko" >}})\n',
        "b.md": "---\ntitle: 비\ndate: 2024-01-04\nslug: bee-ko\n---\nx\n",
        "b.en.md": "---\ntitle: B\ndate: 2024-01-04\nslug: bee-en\n---\nx\n",
    }
    site = make_site(tmp_path, config, pages, single="page {{ .Content }}")
    hugo_build(site)
    public = site / "public"
    hugos = {
        title: re.findall(r'href="([^"]*)"', (public / folder / "posts" / "a" / "index.html").read_text("utf-8"))
        for title, folder in (("에이", ""), ("A", "en"))
    }
    assert hugos["A"] == [SITE + "en/posts/bee-en/", SITE + "posts/bee-ko/"]
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    for feed in (out / "feed.json", out / "en" / "feed.json"):
        for item in json.loads(feed.read_text(encoding="utf-8"))["items"]:
            if item["title"] in hugos:
                assert re.findall(r'href="([^"]*)"', item["content_html"]) == hugos[item["title"]], item["title"]


def _links(refs: list[str]) -> str:
    """A body of numbered links, one to each shortcode of `refs` (`ref "x"`, `relref path="x" lang="en"`)."""
    return " ".join(f"{n} [x]({{{{< {ref} >}}}})" for n, ref in enumerate(refs, 1)) + "\n"


def _hugos_links(site: Path, pages: Iterable[str]) -> dict[str, list[str]]:
    """The links in each of `pages` (paths under the site) of Hugo's build of `site`, made absolute as the feeds'
    are."""
    links = {}
    for page in pages:
        hrefs = re.findall(r'href="([^"]*)"', (site / "public" / page / "index.html").read_text("utf-8"))
        links[SITE + page] = [urljoin(SITE + page, href) for href in hrefs]
    return links


def _feedpubs_links(site: Path) -> dict[str, list[str]]:
    """The links in each entry's content of feedpub's build of `site` (its own and its Korean JSON Feed), by the
    entry's URL."""
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    return {
        item["url"]: re.findall(r'href="([^"]*)"', item["content_html"])
        for feed in (out / "feed.json", out / "ko" / "feed.json")
        for item in json.loads(feed.read_text(encoding="utf-8"))["items"]
    }


def test_relative_fragment_and_translated_refs_are_hugos(tmp_path: Path) -> None:
    """`ref "#intro"` is the page's own anchor, `relref "./b.md"` and `"../guides/setup.md"` are relative to the
    page (a bundle's to the folder above it, unless they go up), a Korean page's `relref "/일기"` is the Korean
    section, and a page that exists only as `x.ko.md` is found by its name or path: feedpub linked the home page,
    the post itself, or the default language's folder (a 404)."""
    config = 'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.ko]\nweight = 2'
    english = [
        'ref "#intro"', 'relref "#intro"', 'relref "./b.md"', 'relref "../guides/setup.md"', 'relref "b"',
        'relref "guides/setup"', 'relref "/posts/b"', 'ref "b.md#sec"', 'relref "./bundle"', 'relref "./d.md"',
        'relref "d"', 'relref "/posts"', 'ref "/"',
    ]  # fmt: skip
    korean = [
        'relref "/일기"', 'ref "/"', 'relref "/posts"', 'ref "korean-only"', 'ref "/guides/korean-only.md"',
        'relref "./d.md"', 'relref "/posts/d"', 'relref "e.md"', 'relref "./e"', 'relref "d.ko.md"',
        'relref "/guides/korean-only"', 'relref "#x"', 'relref path="d.md" lang="en"', 'relref "/일기/하루"',
    ]  # fmt: skip
    in_bundle = ['relref "./b.md"', 'relref "../b.md"', 'relref "b.md"', 'relref "../../guides/setup.md"']
    pages = {
        "a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n## Intro\n\n" + _links(english),
        "b.md": "---\ntitle: B\ndate: 2024-01-02\n---\nB\n",
        "d.md": "---\ntitle: D\ndate: 2024-01-02\nslug: d-en\n---\nD\n",
        "d.ko.md": "---\ntitle: D ko\ndate: 2024-01-02\nslug: d-ko\n---\nD\n",
        "e.ko.md": "---\ntitle: E ko\ndate: 2024-01-02\n---\nE\n",
        "c.ko.md": "---\ntitle: C\ndate: 2024-01-03\n---\n" + _links(korean),
        "bundle/index.md": "---\ntitle: Bundle\ndate: 2024-01-03\n---\n" + _links(in_bundle),
    }
    site = make_site(tmp_path, config, pages, single="page {{ .Content }}")
    for name, text in {
        "guides/setup.md": "---\ntitle: Setup\n---\nx\n",
        "guides/korean-only.ko.md": "---\ntitle: 안내\n---\nx\n",
        "일기/하루.ko.md": "---\ntitle: 하루\ndate: 2024-01-01\n---\nx\n",
    }.items():
        (site / "content" / name).parent.mkdir(exist_ok=True)
        (site / "content" / name).write_text(text, encoding="utf-8")
    hugo_build(site)
    hugos = _hugos_links(site, ("posts/a/", "posts/bundle/", "ko/posts/c/"))
    assert len(hugos[SITE + "posts/a/"]) == len(english) and hugos[SITE + "posts/a/"][0] == SITE + "posts/a/#intro"
    assert hugos[SITE + "ko/posts/c/"][0] == SITE + "ko/%EC%9D%BC%EA%B8%B0/"
    ours = _feedpubs_links(site)
    assert {page: ours[page] for page in hugos} == hugos


def test_refs_match_paths_in_any_case_as_hugo_does(tmp_path: Path) -> None:
    """Hugo lower-cases a reference and the pages' paths: `relref "Posts/Bund"` is posts/bund/, `relref "about"`
    About/index.md, and other.ko.md is the Korean of Other.md. feedpub matched them as written: the post's own URL,
    the Korean page from an English one, the English page from a Korean one."""
    config = 'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.ko]\nweight = 2'
    refs = ['relref "other.md"', 'relref "Other"', 'relref "Posts/Bund"', 'relref path="OTHER.md" lang="en"']
    english = [*refs, 'relref "about"', 'relref "/About"', 'relref "/posts/BUND/index.md"']
    korean = [*refs, 'relref "./Other.md"', 'relref "/Posts/other.KO.md"']
    pages = {
        "a.md": "---\ntitle: A\ndate: 2024-01-01\n---\n" + _links(english),
        "a.ko.md": "---\ntitle: A ko\ndate: 2024-01-01\n---\n" + _links(korean),
        "Other.md": "---\ntitle: Other\ndate: 2024-01-02\n---\nx\n",
        "other.ko.md": "---\ntitle: Other ko\ndate: 2024-01-02\n---\nx\n",
        "bund/index.md": "---\ntitle: Bund\ndate: 2024-01-03\n---\nx\n",
        "bund/index.ko.md": "---\ntitle: Bund ko\ndate: 2024-01-03\n---\nx\n",
        "../About/index.md": "---\ntitle: About\n---\nx\n",
    }
    site = make_site(tmp_path, config, pages, single="page {{ .Content }}")
    hugo_build(site)
    hugos = _hugos_links(site, ("posts/a/", "ko/posts/a/"))
    other, bund, about, other_ko, bund_ko = (
        SITE + path for path in ("posts/other/", "posts/bund/", "about/", "ko/posts/other/", "ko/posts/bund/")
    )
    assert hugos[SITE + "posts/a/"] == [other, other, bund, other, about, about, bund]
    assert hugos[SITE + "ko/posts/a/"] == [other_ko, other_ko, bund_ko, other, other_ko, other_ko]
    ours = _feedpubs_links(site)
    assert {page: ours[page] for page in hugos} == hugos


def test_a_front_matter_summary_is_markdown_as_hugo_renders_it(tmp_path: Path) -> None:
    """`summary: "A *short* summary with [a link](…)"` is rendered by Hugo (<em>, <a> in its RSS); feedpub showed
    the Markdown as written."""
    summary = "A *short* summary with [a link](https://x.org) and `code`"
    site = make_site(tmp_path, "", {"a.md": f'---\ntitle: A\ndate: 2024-01-01\nsummary: "{summary}"\n---\nbody\n'})
    hugo_build(site)
    description = ET.parse(site / "public" / "index.xml").getroot().findtext("channel/item/description") or ""
    assert "<em>short</em>" in description
    hugos = re.sub(r"<[^>]+>", "", description)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    feed = json.loads((load_config(feedpub_config).output_dir / "feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["summary"] == hugos == "A short summary with a link and code"


def test_the_more_divider_wins_over_a_front_matter_summary_as_in_hugo(tmp_path: Path) -> None:
    """PaperMod's front matter has `summary:`; a body with <!--more--> as well is summed up by what precedes the
    divider in Hugo's RSS, where feedpub took the front matter's."""
    body = "Before the divider.\n\n<!--more-->\n\nAfter it.\n"
    pages = {"a.md": f'---\ntitle: A\ndate: 2024-01-01\nsummary: "Front matter summary."\n---\n{body}'}
    site = make_site(tmp_path, "", pages)
    hugo_build(site)
    description = ET.parse(site / "public" / "index.xml").getroot().findtext("channel/item/description") or ""
    hugos = re.sub(r"<[^>]+>", "", description).strip()
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    feed = json.loads((load_config(feedpub_config).output_dir / "feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0]["summary"] == hugos == "Before the divider."


@pytest.mark.parametrize("relative", ["true", '"t"'])
def test_relative_urls_resolve_as_hugos_pages_do(relative: str, tmp_path: Path) -> None:
    """relativeURLs on a site at /blog/: Hugo writes /images/logo.png as ../../images/logo.png, which the page
    resolves to /blog/images/logo.png; feedpub made it absolute against the host, a 404."""
    body = "![logo](/images/logo.png) and [b](/posts/b/).\n"
    pages = {
        "a.md": f"---\ntitle: A\ndate: 2024-01-02\n---\n{body}",
        "b.md": "---\ntitle: B\ndate: 2024-01-01\n---\nb\n",
    }
    site = make_site(tmp_path, f"relativeURLs = {relative}", pages, single="@@{{ .Content }}@@")
    hugo_toml = site / "hugo.toml"
    hugo_toml.write_text(hugo_toml.read_text(encoding="utf-8").replace(SITE, SITE + "blog/"), encoding="utf-8")
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "logo.png").write_bytes(b"png")
    written = hugo_build(site)
    page_url = SITE + "blog/posts/a/"
    hugos = (site / "public" / "posts" / "a" / "index.html").read_text(encoding="utf-8").split("@@")[1]
    urls = re.compile(r'(?:src|href)=["\']([^"\']*)')
    theirs = [urljoin(page_url, url) for url in urls.findall(hugos)]
    assert theirs == [SITE + "blog/images/logo.png", SITE + "blog/posts/b/"]
    assert {"images/logo.png", "posts/b/index.html"} <= written
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    item = next(
        i
        for i in json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
        if i["url"] == page_url
    )
    assert urls.findall(item["content_html"]) == theirs


def test_a_bundles_body_image_under_ugly_urls_is_where_hugo_writes_it(tmp_path: Path) -> None:
    """uglyURLs: `![p](pic.png)` in posts/b/index.md is the page posts/b.html, and pic.png is at posts/b/pic.png;
    the post's image was published at posts/pic.png, where Hugo writes nothing."""
    site = make_site(
        tmp_path, "uglyURLs = true", {"b/index.md": "---\ntitle: B\ndate: 2024-01-01\n---\n![p](pic.png)\n"}
    )
    (site / "content" / "posts" / "b" / "pic.png").write_bytes(b"png")
    written = hugo_build(site)
    assert {"posts/b.html", "posts/b/pic.png"} <= written
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((load_config(feedpub_config).output_dir / "feed.json").read_text(encoding="utf-8"))["items"]
    assert item["image"] == SITE + "posts/b/pic.png"


def test_a_front_matter_image_relative_to_the_page_is_where_its_page_finds_it(tmp_path: Path) -> None:
    """Stack prints `image: "../../images/java.png"` as written, and a browser on /blog/posts/java-enum/ finds it
    at /blog/images/java.png, where Hugo copies static/images/java.png; feedpub published /images/java.png."""
    site = make_site(
        tmp_path,
        "",
        {"java-enum/index.md": '---\ntitle: J\ndate: 2024-01-01\nimage: "../../images/java.png"\n---\nx\n'},
    )
    config = (site / "hugo.toml").read_text(encoding="utf-8").replace(f'baseURL = "{SITE}"', f'baseURL = "{SITE}blog/"')
    (site / "hugo.toml").write_text(config, encoding="utf-8")
    (site / "static" / "images").mkdir(parents=True)
    (site / "static" / "images" / "java.png").write_bytes(b"png")
    assert {"posts/java-enum/index.html", "images/java.png"} <= hugo_build(site)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((load_config(feedpub_config).output_dir / "feed.json").read_text(encoding="utf-8"))["items"]
    assert item["image"] == SITE + "blog/images/java.png"


@pytest.mark.parametrize("key", ["_build", "build"])
def test_a_bundle_whose_resources_hugo_does_not_publish_has_no_image(key: str, tmp_path: Path) -> None:
    """`_build: {publishResources: false}`: Hugo copies none of the bundle's files, and its cover.jpg (featured,
    named in front matter, or in the body) is a 404; feedpub published it as the post's image and enclosure."""
    pages = {
        "b/index.md": f"---\ntitle: B\ndate: 2024-01-01\n{key}:\n  publishResources: false\n---\nbody\n",
        "c/index.md": f"---\ntitle: C\ndate: 2024-01-02\nimages: [pic.png]\n{key}: {{publishResources: no}}\n---\nc\n",
        "d/index.md": f"---\ntitle: D\ndate: 2024-01-03\n{key}: {{publishresources: false}}\n---\n![p](pic.png)\n",
    }
    site = make_site(tmp_path, "", pages)
    (site / "content" / "posts" / "b" / "cover.jpg").write_bytes(b"jpg")
    for name in ("c", "d"):
        (site / "content" / "posts" / name / "pic.png").write_bytes(b"png")
    written = hugo_build(site)
    if key == "_build":
        assert not {"posts/b/cover.jpg", "posts/c/pic.png", "posts/d/pic.png"} & written
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    assert all("image" not in item for item in json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"])
    assert "enclosure" not in (out / "index.xml").read_text(encoding="utf-8")


def test_a_languages_own_settings_are_hugos_for_its_pages(tmp_path: Path) -> None:
    """[languages.ko] timeZone, buildFuture, hasCJKLanguage and summaryLength are read per language by Hugo: a
    Korean page dated 10:00 is 10:00 +0900, one due 08:00 KST on the clock's day is published, an English page of
    2099 is published under the English table's buildFuture, and each language's summary is cut at its own length;
    feedpub read the site's settings alone."""
    config = (
        'defaultContentLanguage = "ko"\n'
        '[languages.ko]\ntimeZone = "Asia/Seoul"\nhasCJKLanguage = true\nsummaryLength = 10\nweight = 1\n'
        "[languages.en]\nbuildFuture = true\nsummaryLength = 5\nweight = 2\n"
    )
    korean = "가나다라마바사아자차카타파하 " * 20
    english = " ".join(f"word{n}." for n in range(40))
    pages = {
        "a.ko.md": f"---\ntitle: A\ndate: 2024-03-01T10:00:00\n---\n{korean}\n",
        "due.ko.md": "---\ntitle: Due\ndate: 2024-05-01\npublishDate: 2024-06-01T08:00:00\n---\n본문\n",
        "f.en.md": f"---\ntitle: F\ndate: 2099-01-01\n---\n{english}\n",
    }
    site = make_site(tmp_path, config, pages)
    hugo_build(site)
    public = site / "public"
    hugo_feeds = {name: ET.parse(public / name).getroot() for name in ("index.xml", "en/index.xml")}
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    for name, hugo_feed in hugo_feeds.items():
        theirs = {
            i.findtext("link"): (i.findtext("pubDate"), i.findtext("description")) for i in hugo_feed.iter("item")
        }
        ours = {
            i.findtext("link"): (i.findtext("pubDate"), i.findtext("description"))
            for i in ET.parse(out / name).iter("item")
        }
        assert set(ours) == set(theirs), name
        for link, (date, description) in theirs.items():
            assert ours[link][0] == date, link
            assert re.sub(r"<[^>]+>", "", html.unescape(description or "")).strip() == (ours[link][1] or "").strip()
    assert any("+0900" in (i.findtext("pubDate") or "") for i in hugo_feeds["index.xml"].iter("item"))


# A theme's config as real themes keep it: Stack's config.yaml, Congo's and Blowfish's config/_default/params.toml,
# a theme that names another; each with settings Hugo 0.111.3 does not take from a theme.
THEME_CONFIGS = {
    "stack-yaml": {
        "themes/stack/config.yaml": "params:\n  mainSections:\n    - post\n  description: Theme's\n",
        "": 'theme = "stack"',
    },
    "congo-config-folder": {
        "themes/congo/config/_default/params.toml": 'mainSections = ["post"]\n',
        "themes/congo/config/_default/hugo.toml": '[permalinks]\npost = "/:year/:slug/"\n',
        "": 'theme = "congo"',
    },
    "list-and-nested": {
        "themes/a/hugo.toml": 'theme = "c"\nsummaryLength = 1\n[params]\nmainSections = ["post"]\n',
        "themes/b/hugo.toml": '[params]\nmainSections = ["page"]\n[outputFormats.RSS]\nbaseName = "rss"\n',
        "themes/c/hugo.toml": '[outputFormats.RSS]\nbaseName = "feed"\n',
        "": 'theme = ["a", "b"]',
    },
    "site-wins": {
        "themes/t/hugo.toml": '[params]\nmainSections = ["post"]\n[outputFormats.RSS]\nbaseName = "feed"\n',
        "": 'theme = "t"\n[params]\nmainSections = ["page"]',
    },
    # A format the site defines is its own whole: the theme's baseName and path are not taken (index.xml).
    "site-format-whole": {
        "themes/t/hugo.toml": '[outputFormats.RSS]\nbaseName = "feed"\npath = "x"\n',
        "": 'theme = "t"\n[outputFormats.RSS]\nmediaType = "application/rss+xml"',
    },
}


def hugo_main_section_pages(site: Path) -> dict[str, set[str]]:
    """Build `site` with the real Hugo, each home page printing the pages of its language's main sections (Hugo's
    own view: its feeds list every page); their permalinks, by the home page's folder ("", "en/")."""
    main_pages = '{{ range where site.RegularPages "Section" "in" site.Params.mainSections }}{{ .Permalink }} {{ end }}'
    (site / "layouts" / "index.html").write_text("main: " + main_pages, encoding="utf-8")
    public = site / "public"
    written = hugo_build(site)
    pages = {name.removesuffix("index.html"): public / name for name in written if name.endswith("index.html")}
    homes = {folder: page.read_text(encoding="utf-8") for folder, page in pages.items()}
    return {folder: set(home.split()[1:]) for folder, home in homes.items() if home.startswith("main: ")}


@pytest.mark.parametrize("theme", list(THEME_CONFIGS))
def test_a_themes_params_and_feed_name_are_taken_as_hugo_takes_them(theme: str, tmp_path: Path) -> None:
    """Hugo takes a theme's params (mainSections) and output formats (the RSS file's name), the site's own and the
    first theme listed winning (a format the site defines, whole), and nothing else of it: feedpub read no theme,
    so a Stack site's feeds had its `page` section (more pages) instead of its posts, and a theme's `feed.xml` was
    written as index.xml."""
    files = dict(THEME_CONFIGS[theme])
    site = make_site(tmp_path, files.pop(""), {})
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    for section, count in (("post", 2), ("page", 3)):
        for number in range(count):
            page = site / "content" / section / f"{section}{number}.md"
            page.parent.mkdir(parents=True, exist_ok=True)
            page.write_text(f"---\ntitle: {section} {number}\ndate: 2024-01-0{number + 1}\n---\nx\n", "utf-8")
    hugos = hugo_main_section_pages(site)[""]
    (feed,) = (p.name for p in (site / "public").glob("*.xml") if ET.parse(p).getroot().tag == "rss")
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    assert {item.findtext("link") for item in ET.parse(out / feed).iter("item")} == hugos


# Two sections in two languages (Korean unsuffixed), notes/ with more pages in both.
MAIN_SECTION_PAGES = {
    f"../{path}": f"---\ntitle: {path}\ndate: 2024-01-0{day}\n---\nx\n"
    for day, path in enumerate(["blog/b.md", "blog/b.en.md", "notes/n1.md", "notes/n1.en.md", "notes/n2.md"], 1)
} | {"../notes/n2.en.md": "---\ntitle: n2 en\ndate: 2024-01-06\n---\nx\n"}


@pytest.mark.parametrize(
    ("config", "files"),
    [
        ('[languages.ko.params]\nmainSections = ["blog"]\n[languages.en.params]\nmainSections = ["blog"]', {}),
        ('[params]\nmainSections = ["notes"]\n[languages.en.params]\nmainSections = ["blog"]', {}),
        ('mainSections = ["blog"]', {}),  # in [languages.en]: its params too
        ("", {"config/_default/params.en.toml": 'mainSections = ["blog"]\n'}),
    ],
    ids=["language-params", "over-the-sites", "language-table", "params-file"],
)
def test_a_languages_own_main_sections_are_hugos(config: str, files: dict[str, str], tmp_path: Path) -> None:
    """A language's own params.mainSections (PaperMod's and Blowfish's [languages.en.params], params.en.toml) are its
    main sections, over the site's: feedpub read the site's alone, so its feeds had the section with the most pages
    (notes/), and replaced Hugo's, in every language."""
    site = make_site(tmp_path, KOREAN_FIRST + TWO_LANGUAGES + config, MAIN_SECTION_PAGES)
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    assert_main_section_pages_are_hugos(site)


def assert_main_section_pages_are_hugos(site: Path) -> None:
    """The posts of each language's feed (feedpub's) are the pages of its main sections (Hugo's)."""
    hugos = hugo_main_section_pages(site)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    ours = {folder: {i.findtext("link") for i in ET.parse(out / folder / "index.xml").iter("item")} for folder in hugos}
    assert ours == hugos
    assert len(hugos) == 2


@pytest.mark.parametrize("content_dirs", [False, True], ids=["shared-content", "content-dir-each"])
def test_each_languages_default_main_section_is_hugos(content_dirs: bool, tmp_path: Path) -> None:
    """Without mainSections, Hugo picks each language's section with the most of its pages: blog/ in English, notes/
    in Korean here; feedpub picked one for all, and the Korean feed had 1 post where Hugo's main section has 3."""
    config = KOREAN_FIRST + TWO_LANGUAGES
    if content_dirs:
        config = config.replace("weight = 1\n", 'weight = 1\ncontentDir = "content/ko"\n')
        config = config.replace("weight = 2\n", 'weight = 2\ncontentDir = "content/en"\n')
    site = make_site(tmp_path, config, {})
    pages = ["blog/b1.en.md", "blog/b2.en.md", "blog/b3.en.md", "notes/n1.en.md"]
    pages += ["blog/b1.md", "notes/n1.md", "notes/n2.md", "notes/n3.md"]
    for day, name in enumerate(pages, 1):
        folder = ("en" if ".en." in name else "ko") if content_dirs else ""
        path = site / "content" / folder / name.replace(".en.", "." if content_dirs else ".en.")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\ntitle: {name}\ndate: 2024-01-0{day}\n---\nx\n", encoding="utf-8")
    assert_main_section_pages_are_hugos(site)


# posts/ has more pages than notes/ in both languages, but is a draft in Korean (the default) and published later in
# English, by its _index file in each.
UNBUILT_SECTION_PAGES = {
    "../posts/_index.md": "---\ntitle: Posts\ndate: 2024-01-01\ndraft: true\n---\nx\n",
    "../posts/_index.en.md": "---\ntitle: Posts\ndate: 2024-01-01\npublishDate: 2030-01-01\n---\nx\n",
    **{
        f"../{path}": f"---\ntitle: {path}\ndate: 2024-01-0{day}\n---\nx\n"
        for day, path in enumerate(["posts/p1.md", "posts/p2.md", "posts/p1.en.md", "posts/p2.en.md", "notes/n1.md"], 1)
    },
    "../notes/n1.en.md": "---\ntitle: n1 en\ndate: 2024-01-06\n---\nx\n",
}


@pytest.mark.parametrize("english", ["", "buildFuture = true"], ids=["future", "english-builds-future"])
def test_each_languages_default_main_section_leaves_out_sections_it_does_not_build(
    english: str, tmp_path: Path
) -> None:
    """Hugo builds no section whose _index is a draft, published later or expired in a language, and picks that
    language's main section among the others: feedpub counted English posts/ (a draft in Korean alone), and the
    English feed had none of the posts of Hugo's English main section, notes/."""
    site = make_site(tmp_path, KOREAN_FIRST + TWO_LANGUAGES + english, UNBUILT_SECTION_PAGES)  # in [languages.en]
    assert_main_section_pages_are_hugos(site)


# posts/ has three pages to notes/' two, but posts/_index.md cascades something to posts/p1.md and posts/p2.md.
CASCADED_SECTION_PAGES = {
    **{f"p{n}.md": f"---\ntitle: p{n}\ndate: 2024-01-0{n}\n---\nx\n" for n in (1, 2, 3)},
    **{f"../notes/n{n}.md": f"---\ntitle: n{n}\ndate: 2024-01-0{n + 3}\n---\nx\n" for n in (1, 2)},
}


@pytest.mark.parametrize(
    ("config", "cascaded"),
    [
        ("", "draft: true"),
        ("", "expirydate: 2024-01-01"),
        ("", "publishdate: 2030-01-01"),
        ("", "publishDate: 2030-01-01"),  # read in lower case alone: no date
        ("", "_build:\n    list: never"),
        ("", "_build:\n    render: never"),
        ('[[cascade]]\ndraft = true\n[cascade._target]\npath = "/posts/p[12].md"', ""),
    ],
    ids=["draft", "expired", "due-later", "date-key-cased", "list-never", "render-never", "site-cascade"],
)
def test_the_default_main_section_counts_the_pages_hugo_builds(config: str, cascaded: str, tmp_path: Path) -> None:
    """Hugo picks the section with the most pages it builds: a page drafted, expired or due later by a `cascade`
    is not counted (one `_build` keeps from lists is). feedpub counted what each page's own front matter left in,
    took posts/, and its feed listed p3 alone where Hugo's main section is notes/."""
    index = (
        f"---\ntitle: Posts\ncascade:\n- _target:\n    path: /posts/p[12].md\n  {cascaded}\n---\n" if cascaded else ""
    )
    site = make_site(tmp_path, config, {**CASCADED_SECTION_PAGES, **({"_index.md": index} if index else {})})
    hugos = hugo_main_section_pages(site)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    assert {i.findtext("link") for i in ET.parse(out / "index.xml").iter("item")} == hugos[""]


def test_rss_files_are_where_the_rss_output_formats_path_puts_them(tmp_path: Path) -> None:
    """outputFormats.RSS `path` puts each page's feed in a folder of that name (/rss/feed.xml, a tag's at
    /tags/go/rss/feed.xml): feedpub wrote /feed.xml, beside Hugo's."""
    pages = {"a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [Go Lang, Rust]\n---\nx\n"}
    site = make_site(tmp_path, '[outputFormats.RSS]\nbaseName = "feed"\npath = "/rss/"', pages)

    def rss_files(out: Path) -> set[str]:
        return {p.relative_to(out).as_posix() for p in out.rglob("*.xml") if ET.parse(p).getroot().tag == "rss"}

    hugo_build(site)
    hugos = rss_files(site / "public")
    assert {"rss/feed.xml", "tags/go-lang/rss/feed.xml"} <= hugos
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    # All but the section's and the taxonomies' own lists, which feedpub does not write.
    assert rss_files(load_config(feedpub_config).output_dir) == hugos - {
        "posts/rss/feed.xml",
        "tags/rss/feed.xml",
        "categories/rss/feed.xml",
    }


# A site's own Atom and JSON Feed outputs, a common recipe: the home's (and the terms' Atom).
OWN_FEED_FORMAT_TYPES = """
[mediaTypes."application/atom+xml"]
suffixes = ["xml"]
[mediaTypes."application/feed+json"]
suffixes = ["json"]
[outputFormats.Atom]
mediaType = "application/atom+xml"
baseName = "atom"
isPlainText = true
[outputFormats.JSONFeed]
mediaType = "application/feed+json"
baseName = "feed"
isPlainText = true
"""
OWN_FEED_OUTPUTS = """
[outputs]
home = ["HTML", "RSS", "Atom", "JSONFeed"]
term = ["HTML", "RSS", "Atom"]
"""


@pytest.mark.parametrize(
    ("config", "own_files", "hugo_first"),
    [
        (OWN_FEED_FORMAT_TYPES + OWN_FEED_OUTPUTS, {}, False),
        # Stack's and others': the theme defines the formats and their media types, the site lists them.
        ('theme = "t"\n' + OWN_FEED_OUTPUTS, {"themes/t/hugo.toml": OWN_FEED_FORMAT_TYPES}, False),
        ("", {"static/feed.json": '{"own": true}', "static/feeds.html": "own page"}, False),
        ("", {"content/atom.md": "---\ntitle: Own\nurl: /atom.xml\n---\nown\n"}, True),
    ],
    ids=["output-formats", "a-themes-output-formats", "static-files", "what-hugo-wrote"],
)
def test_the_sites_own_files_at_feedpubs_names_are_left_as_hugo_wrote_them(
    config: str, own_files: dict[str, str], hugo_first: bool, tmp_path: Path
) -> None:
    """A site writing its own /atom.xml and /feed.json (Atom and JSON Feed output formats of baseName "atom" and
    "feed", static files, a page at that URL): feedpub's build replaced them with its own, of other entry ids (every
    subscriber saw every post again). Init names feedpub's elsewhere, with a CHECK THIS comment, as for Jekyll."""
    pages = {"a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [go]\n---\nx\n"}
    site = make_site(tmp_path, config, pages)
    layouts = site / "layouts" / "_default"
    (layouts / "list.atom.xml").write_text("hugo's atom {{ .Title }}", encoding="utf-8")
    (layouts / "list.jsonfeed.json").write_text('{"hugo": "{{ .Title }}"}', encoding="utf-8")
    for name, text in own_files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    feedpub_config = site.parent / "feedpub.toml"
    if hugo_first:  # init reads what Hugo wrote
        hugo_build(site)
    assert run("init", "--from-hugo", site, "--config", feedpub_config).exit_code == 0
    written = hugo_build(site)
    hugos = {name: (site / "public" / name).read_bytes() for name in written}
    taken = {"atom.xml", "feed.json", "feeds.html", "tags/go/atom.xml"} & written
    assert taken
    result = run("build", "--config", feedpub_config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 0, result.output
    assert {name: (site / "public" / name).read_bytes() for name in taken} == {name: hugos[name] for name in taken}
    feedpub_site = load_config(feedpub_config)
    for name in (feedpub_site.feeds.atom, feedpub_site.feeds.json):
        assert name not in written and b"/posts/a/" in (site / "public" / name).read_bytes()
    text = feedpub_config.read_text(encoding="utf-8")
    assert all(f"CHECK THIS: the site writes its own {name}" in text for name in taken if "/" not in name)


@pytest.mark.parametrize(
    "config", ["", OWN_FEED_FORMAT_TYPES + OWN_FEED_OUTPUTS], ids=["feedpubs-names", "beside-the-sites-feeds"]
)
def test_init_run_again_in_a_new_folder_keeps_the_names_of_feedpubs_files(config: str, tmp_path: Path) -> None:
    """`init` in a new config folder, after a build into publishDir: feedpub's own atom.xml, feed.json and
    feeds.html (or feed.atom beside the site's atom.xml) were taken for the site's, and its feeds moved to new
    names, the old files left there and never updated again. Each file says feedpub wrote it."""
    site = make_site(tmp_path, config, {"a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [go]\n---\nx\n"})
    layouts = site / "layouts" / "_default"
    (layouts / "list.atom.xml").write_text("hugo's atom {{ .Title }}", encoding="utf-8")
    (layouts / "list.jsonfeed.json").write_text('{"hugo": "{{ .Title }}"}', encoding="utf-8")
    names = []
    for folder in ("first", "second"):
        hugo_build(site)  # Hugo leaves what feedpub wrote in public/
        feedpub_config = tmp_path / folder / "config.toml"
        feedpub_config.parent.mkdir()
        assert run("init", "--from-hugo", site, "--config", feedpub_config).exit_code == 0
        result = run("build", "--config", feedpub_config, "--quiet", "--now", hugo_oracle.CLOCK)
        assert result.exit_code == 0, result.output
        feedpub_site = load_config(feedpub_config)
        names.append((feedpub_site.feeds.atom, feedpub_site.feeds.json, feedpub_site.page))
    assert names[1] == names[0]
    assert names[0][0] == ("feed.atom" if config else "atom.xml")


@pytest.mark.parametrize(
    "config",
    ["", '[outputs]\nhome = ["HTML"]', 'disableKinds = ["RSS"]', 'disableKinds = ["rss"]'],
    ids=["default", "home-outputs", "rss-disabled", "rss-in-lower-case"],
)
def test_init_says_whether_hugo_serves_a_home_rss_as_hugo_does(config: str, tmp_path: Path) -> None:
    """With `[outputs] home = ["HTML"]` or `disableKinds = ["RSS"]` Hugo writes no /index.xml; init said it served one
    there (`disableKinds` is matched as written: "rss" disables nothing)."""
    site = make_site(tmp_path, config, {"a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n"})
    serves = "index.xml" in hugo_build(site)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    text = feedpub_config.read_text(encoding="utf-8")
    assert ("Hugo serves its home RSS at /index.xml" in text) is serves
    assert ("Hugo serves no home RSS" in text) is not serves
    assert load_config(feedpub_config).feeds.rss == "index.xml"


@pytest.mark.parametrize("length", ["0", "-5", "1"])
@pytest.mark.parametrize("cjk", ["false", "true", '"true"'])
def test_a_summary_length_of_one_word_or_less_is_hugos(length: str, cjk: str, tmp_path: Path) -> None:
    """Hugo cuts a summary at the first space where its count of words reaches summaryLength, so 0 or less sums a
    page up by its first sentence (or, counting CJK characters, by nothing); feedpub's -5 was an IndexError that
    rejected every page, and its 0 the whole text."""
    assert_summary_is_hugos(tmp_path, f"summaryLength = {length}\nhasCJKLanguage = {cjk}")


@pytest.mark.parametrize(
    "length",
    ["inf", "-inf", "nan", "1e19", "2.7", '"0x4"', '"010"', '"4.0"', '"x"', "[3]", "true", "{ words = 3 }"],
)
@pytest.mark.parametrize("where", ["site", "language"])
def test_summary_lengths_hugo_builds_with_are_read_as_hugo_reads_them(length: str, where: str, tmp_path: Path) -> None:
    """Hugo reads summaryLength with Go's cast.ToInt: inf, nan and 1e19 are a negative number (Go's conversion),
    2.7 is 2, "0x4" 4, "010" 8, "4.0" 4, and what is no number 0; it builds with each. feedpub failed with an
    internal error over inf (every build), and stopped every build over "x", a list or a table."""
    config = f"summaryLength = {length}" if where == "site" else f"[languages.en]\nsummaryLength = {length}"
    assert_summary_is_hugos(tmp_path, config)


def assert_summary_is_hugos(tmp_path: Path, config: str) -> None:
    """A page of several sentences (Korean ones too) summed up by Hugo and by feedpub under `config`: the same."""
    body = "hello world. second sentence here. more text\n\n한국어 문장입니다. 두 번째 문장.\n"
    site = make_site(tmp_path, config, {"p.md": f"---\ntitle: P\ndate: 2024-01-01\n---\n{body}"})
    hugo_build(site)
    description = ET.parse(site / "public" / "index.xml").getroot().findtext("channel/item/description") or ""
    hugos = " ".join(re.sub(r"<[^>]+>", " ", html.unescape(description)).split())
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    feed = json.loads((load_config(feedpub_config).output_dir / "feed.json").read_text(encoding="utf-8"))
    assert feed["items"][0].get("summary", "") == hugos


def rss_items(feed: Path) -> list[tuple[str, str]]:
    """Each <item>'s link and pubDate, in the feed's order."""
    return [(item.findtext("link") or "", item.findtext("pubDate") or "") for item in ET.parse(feed).iter("item")]


def sitemap_lastmods(out: Path) -> dict[str, str]:
    """Each post's <lastmod> in the sitemaps under `out`, by <loc>."""
    lastmods = {}
    for path in out.rglob("sitemap*.xml"):
        for url in ET.parse(path).getroot().iter(f"{{{SITEMAP_NS}}}url"):
            loc = url.findtext(f"{{{SITEMAP_NS}}}loc") or ""
            if not is_list_page(loc):
                lastmods[loc] = url.findtext(f"{{{SITEMAP_NS}}}lastmod") or ""
    return lastmods


@pytest.mark.parametrize(
    "config",
    [
        'enableGitInfo = true\n[frontmatter]\ndate = [":git", "date"]',
        "enableGitInfo = true",  # lastmod's default sources start with :git
        'enableGitInfo = false\n[frontmatter]\ndate = [":git", "date"]',  # :git is passed over
        'enableGitInfo = "true"',  # cast.ToBool's
    ],
    ids=["git-date", "git-lastmod", "git-info-off", "git-info-as-text"],
)
def test_dates_from_each_files_last_commit_as_hugo_takes_them(config: str, tmp_path: Path) -> None:
    """`:git` is the author date of the file's last commit, at the author's offset (the URL's month too), and a
    file no commit has yet takes the next source; a commit that changes no post file still moves the dates."""
    pages = {name: f"---\ntitle: {name}\nslug: {name}\ndate: 2020-01-15\n---\n본문\n" for name in ("a", "b", "c")}
    permalinks = '\n[permalinks]\nposts = "/:year/:month/:slug/"\n'
    site = make_site(tmp_path, 'timeZone = "Asia/Seoul"\n' + config.replace("\n[", permalinks + "[", 1), {})
    if "[permalinks]" not in (site / "hugo.toml").read_text(encoding="utf-8"):
        with (site / "hugo.toml").open("a", encoding="utf-8") as file:
            file.write(permalinks)
    posts = site / "content" / "posts"
    git(site, "init", "-q")
    for name, text in pages.items():
        (posts / f"{name}.md").write_text(text, encoding="utf-8")
    # Author dates unlike the commits' own: a's commit is the older, b's was authored earlier still.
    git(site, "add", "hugo.toml", "layouts", "content/posts/a.md", "content/posts/b.md")
    git(site, "commit", "-q", "-m", "a", "--date=2023-07-31T23:30:00-05:00", when="2024-01-01T00:00:00+00:00")
    (posts / "b.md").write_text(pages["b"] + "고침\n", encoding="utf-8")
    git(site, "commit", "-q", "-am", "b", "--date=2023-03-01T01:00:00+09:00", when="2024-02-01T00:00:00+00:00")

    def both_builds(first: bool) -> None:
        shutil.rmtree(site / "public", ignore_errors=True)  # feedpub's files from the first round
        hugo_build(site)
        hugos = rss_items(site / "public" / "index.xml"), sitemap_lastmods(site / "public")
        feedpub_config, result = feedpub_build(site) if first else feedpub_rebuild(site)
        assert result.exit_code == 0, result.output
        out = load_config(feedpub_config).output_dir
        feedpubs = rss_items(out / "index.xml"), sitemap_lastmods(out)
        assert sorted(feedpubs[0]) == sorted(hugos[0])  # links and dates (same-date order aside)
        assert feedpubs[1] == hugos[1]

    both_builds(first=True)
    # c.md committed as it is: no post file changes, the next build (with its cache) must see the commit.
    git(site, "add", "content/posts/c.md")
    git(site, "commit", "-q", "-m", "c", "--date=2022-12-31T20:00:00-10:00", when="2024-03-01T00:00:00+00:00")
    both_builds(first=False)


@pytest.mark.parametrize(
    "config",
    [
        '[taxonomies]\ncategory = "분류"\ntag = "keywords"\nseries = "series"',
        '[taxonomies]\ncategory = "분류"\ntag = "keywords"\n[permalinks]\nkeywords = "/topic/:slug/"',
    ],
    ids=["renamed", "renamed-with-pattern"],
)
def test_renamed_taxonomies_are_the_categories_and_tags(config: str, tmp_path: Path) -> None:
    """`[taxonomies] category = "분류"`: a page's `분류` are its categories, and their feeds are where Hugo serves
    the terms' (/분류/<term>/); feedpub read only `categories` and `tags`, and wrote no term feed. Other
    taxonomies (series) have no feeds of feedpub's."""
    pages = {
        "a.md": "---\ntitle: A\ndate: 2024-01-01\n분류: [뉴스]\nkeywords: [선거, Seoul Mayor]\nseries: [연재]\n---\nx\n"
    }
    site = make_site(tmp_path, config, pages)
    hugo_feeds = {name for name in hugo_term_feeds(site) if not name.startswith("series/")}
    assert len(hugo_feeds) == 3, hugo_feeds
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    assert {p.relative_to(out).as_posix() for p in out.rglob("index.xml")} - {"index.xml"} == hugo_feeds
    (entry,) = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert set(entry["tags"]) == {"뉴스", "선거", "Seoul Mayor"}


# Titles of programming blogs, and entities written into one: plain text to Hugo, which its templates escape.
TEXT_TITLES = [
    "Vec<T> in Rust",
    "Option<String> vs &str",
    "<script> tags considered harmful",
    "Using the <template> element",
    "List<Map<String, Integer>>",
    "a < b and c > d",
    "Rock &amp; Roll",
    "x &lt; y",
    "*Emphasis* and `code` in title",
]


def test_titles_are_text_as_hugo_shows_them(tmp_path: Path) -> None:
    """A title is the text Hugo's feed shows (`Vec<T> in Rust`, `Rock &amp; Roll` with its "&amp;") in every feed
    and feeds.html, never markup: feedpub read it as HTML, as jekyll-feed does, and showed "Vec in Rust"."""
    pages = {
        f"p{number}.md": f"---\ntitle: {json.dumps(title)}\ndate: 2024-01-{number:02}\n---\nx\n"
        for number, title in enumerate(TEXT_TITLES, start=1)
    }
    site = make_site(tmp_path, "", pages)
    hugo_build(site)
    hugos = {
        (item.findtext("link"), item.findtext("title")) for item in ET.parse(site / "public" / "index.xml").iter("item")
    }
    assert {title for _, title in hugos} == set(TEXT_TITLES)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    assert {
        (item.findtext("link"), item.findtext("title")) for item in ET.parse(out / "index.xml").iter("item")
    } == hugos
    atom = {
        (entry.find(f"{{{ATOM_NS}}}link").get("href"), entry.findtext(f"{{{ATOM_NS}}}title"))  # type: ignore[union-attr]
        for entry in ET.parse(out / "atom.xml").iter(f"{{{ATOM_NS}}}entry")
    }
    assert atom == hugos
    assert {(item["url"], item["title"]) for item in json.loads((out / "feed.json").read_text())["items"]} == hugos
    page = lxml.html.parse(str(out / "feeds.html")).getroot()
    assert {(link.get("href"), link.text_content()) for link in page.iterfind(".//h3/a")} == hugos
    assert not page.findall(".//script") and not page.findall(".//template")


def test_front_matter_after_blank_lines_is_read_as_hugo_reads_it(tmp_path: Path) -> None:
    """hugoDocs' release notes open with a blank line, then `---`: Hugo reads the front matter (title, date, slug,
    draft); feedpub took it for body text, published the draft, and served /posts/e/ for Hugo's /posts/renamed/."""
    pages = {
        "a.md": "\n---\ntitle: Blank line first\ndate: 2021-02-19\n---\nBody one.\n",
        "b.md": '  \n\t\n+++\ntitle = "TOML after spaces"\ndate = 2021-03-01\n+++\nBody two.\n',
        "c.md": "\r\n---\r\ntitle: CRLF blank first\r\ndate: 2021-04-01\r\n---\r\nBody three.\r\n",
        "e.md": "\n---\ntitle: With slug\ndate: 2021-05-01\nslug: renamed\n---\nBody five.\n",
        "f.md": "\n---\ntitle: Secret draft\ndate: 2021-06-01\ndraft: true\n---\nNot for publishing.\n",
    }
    site = make_site(tmp_path, "", pages)
    hugo_build(site)
    hugos = sorted(rss_items(site / "public" / "index.xml"))
    titles = sorted(item.findtext("title") or "" for item in ET.parse(site / "public" / "index.xml").iter("item"))
    assert len(hugos) == 4  # the draft is left out
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    assert sorted(rss_items(out / "index.xml")) == hugos
    assert sorted(item.findtext("title") or "" for item in ET.parse(out / "index.xml").iter("item")) == titles


def test_a_relative_link_with_an_empty_segment_keeps_it(tmp_path: Path) -> None:
    """kubernetes/website's Korean blog writes `[은퇴]((https://github.com/kubernetes-retired/))`: Hugo links the
    page-relative path as written, which a browser resolves keeping its "//"; urljoin dropped the empty segment."""
    body = "[은퇴]((https://github.com/kubernetes-retired/)) and [report](files//report.pdf).\n"
    site = make_site(tmp_path, "", {"a.md": f"---\ntitle: A\ndate: 2024-01-02\n---\n{body}"}, "{{ .Content }}")
    hugo_build(site)
    page = (site / "public" / "posts" / "a" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'href="([^"]+)"', page)
    assert hrefs == ["(https://github.com/kubernetes-retired/)", "files//report.pdf"]
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    (item,) = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    ours = re.findall(r'href="([^"]+)"', item["content_html"])
    assert ours == [SITE + "posts/a/" + href for href in hrefs]


def test_a_front_matter_error_after_blank_lines_is_told_at_the_files_line() -> None:
    from feedpub.errors import PostError
    from feedpub.read.hugo import split_front_matter

    lines = []
    for text in ("---\ntitle: [x\n---\nbody\n", "\n\n---\ntitle: [x\n---\nbody\n"):
        with pytest.raises(PostError) as raised:
            split_front_matter("p.md", text)
        lines.append(raised.value.line)
    assert lines[1] == lines[0] + 2


def test_a_languages_own_taxonomies_name_its_terms(tmp_path: Path) -> None:
    """`[languages.fr.taxonomies]` replaces the site's for French pages (PaperMod's demo: FRtags): Hugo serves
    /fr/frtags/go/ and no /fr/tags/; feedpub read the site's and wrote /fr/tags/rust/ (no such page)."""
    config = (
        "[languages.en]\nweight = 1\n[languages.fr]\nweight = 2\n"
        '[languages.fr.taxonomies]\ncategory = "FRcategories"\ntag = "FRtags"'
    )
    pages = {
        "a.md": "---\ntitle: A\ndate: 2024-01-02\ntags: [go]\n---\nEnglish\n",
        "a.fr.md": "---\ntitle: A fr\ndate: 2024-01-02\nFRtags: [go]\ntags: [rust]\n---\nFrench\n",
    }
    site = make_site(tmp_path, config, pages)
    hugo_feeds = hugo_term_feeds(site)
    assert hugo_feeds == {"tags/go/index.xml", "fr/frtags/go/index.xml"}, hugo_feeds
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    assert {p.relative_to(out).as_posix() for p in out.rglob("*/*/index.xml")} == hugo_feeds


@pytest.mark.parametrize("url", ["/faq?/", "/a?b?c/", "/q?x#y/", "/q#x?y/", "/y?a=1&b=2/"])
def test_a_question_mark_in_a_pages_url_keeps_hugos_id(url: str, tmp_path: Path) -> None:
    """Hugo serves `url: /faq?/` at public/faq?/ and writes its permalink https://…/faq?/ (Go's URL keeps the query
    as written): feedpub links /faq%3F/, where it is served, and ids the entry as Hugo does, not as …/faq%3F/."""
    site = make_site(tmp_path, "", {"a.md": f"---\ntitle: A\ndate: 2024-04-01\nurl: '{url}'\n---\nx\n"})
    hugo_build(site)
    assert (site / "public" / url.strip("/") / "index.html").is_file()  # where the page is served
    (hugo_item,) = ET.parse(site / "public" / "index.xml").getroot().iter("item")
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(config).output_dir
    (item,) = ET.parse(out / "index.xml").getroot().iter("item")
    link = item.findtext("link") or ""
    assert unquote(link.removeprefix(SITE)) == url.lstrip("/")
    assert item.findtext("guid") == hugo_item.findtext("guid")
    atom_id = ET.parse(out / "atom.xml").getroot().find(f"{{{ATOM_NS}}}entry/{{{ATOM_NS}}}id")
    assert atom_id is not None and atom_id.text == hugo_item.findtext("guid")
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["id"] == hugo_item.findtext("guid")


def test_a_hash_in_a_page_or_term_path_is_served_as_percent_23(tmp_path: Path) -> None:
    """Hugo writes "C# 입문 #1" at public/2024/c#-입문-#1/ and its links cut the path at the "#" (a link to /2024/c);
    feedpub links the page where it is served (%23), and keeps Hugo's own string as the id its readers have."""
    page = "---\ntitle: 'C# 입문 #1'\ndate: 2024-04-01\ntags: ['C#']\n---\n본문[^1].\n\n[^1]: 주석.\n"
    site = make_site(tmp_path, '[permalinks]\nposts = "/:year/:title/"', {"a.md": page})
    (site / "layouts" / "_default" / "term.html").write_text("term {{ .Title }}", encoding="utf-8")
    hugo_build(site)
    assert (site / "public" / "2024" / "c#-입문-#1" / "index.html").is_file()  # where the page is served
    (hugo_item,) = ET.parse(site / "public" / "index.xml").getroot().iter("item")
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(config).output_dir
    (item,) = ET.parse(out / "index.xml").getroot().iter("item")
    served = SITE + "2024/c%23-%EC%9E%85%EB%AC%B8-%231/"
    assert item.findtext("link") == served
    assert item.findtext("guid") == hugo_item.findtext("guid")  # Hugo's: readers see no post twice
    assert served in sitemap_locs(out)
    tag_feed = ET.parse(out / "tags" / "c#" / "index.xml").getroot()
    self_link = tag_feed.find(f"channel/{{{ATOM_NS}}}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == SITE + "tags/c%23/index.xml"
    content = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["content_html"]
    assert f'href="{served}#fn:1"' in content
    assert run("validate", str(out), "--config", str(config)).exit_code == 0


# Each ASCII punctuation character in a name, alone and beside what makes Go's url package escape the whole path
# anew ("!'()*" too): a space, Korean text, an escape (which it then writes decoded); for `url`, after a "#" too.
PUNCTUATION_FORMS = {
    "alone": "a{}b",
    "space": "a {}b",
    "korean": "한{}",
    "escape": "%41{}",
    "korean-escape": "한%41{}",
    "fragment": "x#a{}b",
    "fragment-space": "x#a {}b",
}
# Where a page's names go into its path, one section each: `url`, `slug` (without and with a permalink pattern), the
# title and the file's name (without and with one), a folder below a section, the section itself.
PUNCTUATION_PATTERNS = '[permalinks]\nsp = "/sp/:year/:slug/"\ntp = "/tp/:title/"\nfp = "/fp/:filename/"\n'


def punctuation_pages() -> tuple[dict[str, str], list[str]]:
    """The pages (under content/posts/, as make_site takes them) and the sections they make."""
    pages: dict[str, str] = {}
    sections = ["u", "s", "sp", "tp", "f", "fp", "d"]

    def page(path: str, title: str, field: str = "") -> None:
        title_line = f"title: {json.dumps(title, ensure_ascii=False)}"
        pages[f"../{path}"] = f"---\n{title_line}\ndate: 2024-01-01\n{field}---\nx\n"

    for n, (form, char) in enumerate((form, char) for form in PUNCTUATION_FORMS for char in string.punctuation):
        name = PUNCTUATION_FORMS[form].format(char)
        if form.startswith("fragment") and char in "[]":
            continue  # an id is a URI (feeds turn IRIs into URIs): "[" and "]" outside a host are escaped there
        if not re.search(r"%(?![0-9A-Fa-f]{2})", name):  # Hugo stops at a "%" starting no escape (it panics)
            page(f"u/{n}.md", f"u{n}", f"url: {json.dumps(f'/u/{name}/', ensure_ascii=False)}\n")
        if form.startswith("fragment"):
            continue
        unique = f"{name}-{n}"
        page(f"s/{n}.md", f"s{n}", f"slug: {json.dumps(unique, ensure_ascii=False)}\n")
        page(f"sp/{n}.md", f"sp{n}", f"slug: {json.dumps(unique, ensure_ascii=False)}\n")
        page(f"tp/{n}.md", unique)
        if char not in "/\\":  # a file's or folder's name
            page(f"f/{unique}.md", f"f{n}")
            page(f"fp/{unique}.md", f"fp{n}")
            page(f"d/{unique}/x.md", f"d{n}")
            page(f"{unique}/x.md", f"section{n}")
            sections.append(unique)
    return pages, sections


def test_punctuation_in_post_paths_is_linked_and_identified_as_hugo_does(tmp_path: Path) -> None:
    """Hugo links `url: "/news/hello world (1)/"` as /news/hello%20world%20%281%29/ and "/news/it's-ok!/" as written
    (Go's url package keeps a path that is a valid URI, else escapes it all anew, "!'()*" too): feedpub wrote
    /news/hello%20world%20(1)/, a new id for every reader moving from Hugo's feed. Every post's id is Hugo's, and its
    link, sitemap entry and published record are Hugo's link (or, where a "#" or "?" cuts Hugo's short, the folder
    Hugo wrote)."""
    pages, sections = punctuation_pages()
    config = f"[services.rss]\nlimit = 5000\n{PUNCTUATION_PATTERNS}[params]\nmainSections = {json.dumps(sections)}"
    site = make_site(tmp_path, config, pages)
    hugo_build(site)
    public = site / "public"
    folders = {  # each page's title: its folder
        html.unescape(page.read_text(encoding="utf-8")).removeprefix("page "): f"{page.parent.relative_to(public)}/"
        for page in public.rglob("index.html")
    }
    hugos = {item.findtext("title"): item for item in ET.parse(public / "index.xml").getroot().iter("item")}
    assert len(hugos) == len(pages)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    ours = {item.findtext("title"): item for item in ET.parse(out / "index.xml").getroot().iter("item")}
    assert ours.keys() == hugos.keys()
    differ = {}
    for title, hugo_item in hugos.items():
        hugo_link, link = hugo_item.findtext("link") or "", ours[title].findtext("link") or ""
        # The link leads to the folder Hugo wrote, where one can (a server decodes an escape: no link leads to the
        # folder "%41-1/"); it is Hugo's but where a "#" or "?" cuts Hugo's short.
        served = unquote(link.removeprefix(SITE)) == folders[title] or "%" in folders[title]
        cut = "#" in hugo_link or "?" in hugo_link
        if not served or not (cut or link == hugo_link) or ours[title].findtext("guid") != hugo_item.findtext("guid"):
            differ[title] = (hugo_link, hugo_item.findtext("guid"), link, ours[title].findtext("guid"))
    assert not differ
    links = {item.findtext("link") for item in ours.values()}
    assert {url for url in sitemap_locs(out) if url != SITE} == links
    published = json.loads((feedpub_config.parent / ".feedpub" / "published.json").read_text(encoding="utf-8"))
    assert {page["url"] for page in published["pages"]} == links
    ids = {(item.findtext("link"), item.findtext("guid")) for item in ours.values()}
    atom = ET.parse(out / "atom.xml").getroot().iter(f"{{{ATOM_NS}}}entry")
    entries = {(e.find(f"{{{ATOM_NS}}}link").get("href"), e.findtext(f"{{{ATOM_NS}}}id")) for e in atom}  # type: ignore[union-attr]
    assert entries == ids
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert {(item["url"], item["id"]) for item in items} == ids


@pytest.mark.parametrize(
    "config",
    [
        'languageCode = "ko"\ndefaultContentLanguage = "ko"',
        'languageCode = "en"',
        'languageCode = "ko-KR"\ndefaultContentLanguage = "ko"',
        'defaultContentLanguage = "ko"',
        "",
    ],
    ids=["code-is-key", "en-is-key", "code", "key-alone", "neither"],
)
def test_the_site_language_is_the_one_hugos_feed_has(config: str, tmp_path: Path) -> None:
    """Hugo writes <language> whenever languageCode is set, the default language's key or not: init kept the code only
    where it differed from the key, so `languageCode = "ko"` beside `defaultContentLanguage = "ko"` gave feeds with
    no language (feeds.html in English, no JSON Feed `language`, no Atom xml:lang)."""
    site = make_site(tmp_path, config, {"a.md": "---\ntitle: A\ndate: 2024-01-01\n---\nx\n"})
    hugo_build(site)
    hugos = ET.parse(site / "public" / "index.xml").getroot().findtext("channel/language")
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    assert load_config(feedpub_config).language == hugos  # what init wrote
    out = load_config(feedpub_config).output_dir
    assert ET.parse(out / "index.xml").getroot().findtext("channel/language") == hugos
    assert json.loads((out / "feed.json").read_text(encoding="utf-8")).get("language") == hugos
    assert ET.parse(out / "atom.xml").getroot().get("{http://www.w3.org/XML/1998/namespace}lang") == hugos
    page_language = lxml.html.parse(out / "feeds.html").getroot().get("lang")
    assert page_language == hugos


@pytest.mark.parametrize("canonify", ["true", '"true"'])
def test_canonified_urls_in_content_are_hugos(canonify: str, tmp_path: Path) -> None:
    """With canonifyURLs, Hugo writes "/about/" on a site at /blog/ as https://…/blog/about/: made absolute against
    the host, as feedpub made it, every such link and image was a 404."""
    body = (
        "![abs](/img/y.png) and [about](/about/).\n\n"
        '<a href="/raw/">raw</a> <img src="/img/raw.png" alt="r"> <a href=\'/single/\'>s</a> '
        '<a href="//cdn.example/x">cdn</a> <a href="relative/">rel</a> '
        '<img srcset="/img/a.png 1x, /img/b.png 2x" alt="s">\n'
    )
    config = f"canonifyURLs = {canonify}\n[markup.goldmark.renderer]\nunsafe = true"
    site = make_site(
        tmp_path, config, {"c.md": f"---\ntitle: C\ndate: 2024-02-01\n---\n{body}"}, single="@@{{ .Content }}@@"
    )
    hugo_toml = site / "hugo.toml"
    hugo_toml.write_text(hugo_toml.read_text(encoding="utf-8").replace(SITE, SITE + "blog/"), encoding="utf-8")
    hugo_build(site)
    page = (site / "public" / "posts" / "c" / "index.html").read_text(encoding="utf-8")
    hugos = page.split("@@")[1]
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
    urls = re.compile(r'(?:src|href|srcset)=["\']([^"\']*)')
    theirs = [u for u in urls.findall(hugos) if not u.startswith("relative")]
    ours = [u for u in urls.findall(item["content_html"]) if "relative" not in u]
    assert ours == [u.replace("//cdn", "https://cdn", 1) if u.startswith("//") else u for u in theirs]
    assert all(u.startswith(SITE + "blog/") or "cdn.example" in u for u in ours), ours


@pytest.mark.parametrize("base", ["", "blog/"], ids=["root", "base-path"])
@pytest.mark.parametrize(
    "config",
    ["", "canonifyURLs = true", "relativeURLs = true", "canonifyURLs = true\nrelativeURLs = true"],
    ids=["plain", "canonify", "relative", "both"],
)
def test_references_lead_where_hugos_page_links(config: str, base: str, tmp_path: Path) -> None:
    """`relref`, `ref` and root-relative links lead where Hugo's page links, each resolved against the page: under
    canonifyURLs on a site at /blog/, relref's /blog/posts/b/ was written from baseURL as /blog/blog/posts/b/."""
    refs = [
        '{{< relref "b.md" >}}',
        '{{< ref "b.md" >}}',
        "/posts/b/",
        "/blog/posts/b/",
        '{{< relref "/posts" >}}',
        '{{< relref "/" >}}',
        '{{< relref "b.md#x" >}}',
        '{{< ref "/posts" >}}',
    ]
    body = " ".join(f"[r{n}]({ref})" for n, ref in enumerate(refs)) + "\n"
    pages = {
        "b.md": "---\ntitle: B\ndate: 2024-01-02\n---\nb\n",
        "a.md": f"---\ntitle: A\ndate: 2024-01-01\n---\n{body}",
    }
    site = make_site(tmp_path, config, pages, single="@@{{ .Content }}@@")
    hugo_toml = site / "hugo.toml"
    hugo_toml.write_text(hugo_toml.read_text(encoding="utf-8").replace(SITE, SITE + base), encoding="utf-8")
    hugo_build(site)
    page = (site / "public" / "posts" / "a" / "index.html").read_text(encoding="utf-8")
    hrefs = re.compile(r'href="([^"]*)"')
    hugos = [urljoin(f"{SITE}{base}posts/a/", href) for href in hrefs.findall(page.split("@@")[1])]
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    items = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
    (item,) = (item for item in items if item["title"] == "A")
    assert hrefs.findall(item["content_html"]) == hugos
    assert len(hugos) == len(refs)


@pytest.mark.parametrize("unsafe", ["true", "false"])
def test_guillemets_are_hugos_typographers(unsafe: str, tmp_path: Path) -> None:
    """Goldmark's typographer reads `<<the plan>>` as «the plan» before any raw HTML: feedpub took `<the plan>` for
    a tag, and the words were gone."""
    body = "Use <<the plan>> here, and << b >> too.\n"
    config = f"[markup.goldmark.renderer]\nunsafe = {unsafe}"
    site = make_site(
        tmp_path, config, {"g.md": f"---\ntitle: G\ndate: 2024-02-01\n---\n{body}"}, single="@@{{ .Content }}@@"
    )
    hugo_build(site)
    hugos = (site / "public" / "posts" / "g" / "index.html").read_text(encoding="utf-8").split("@@")[1]
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert "«the plan»" in html.unescape(hugos)
    assert (
        re.sub(r"<[^>]+>", "", html.unescape(item["content_html"])).split()
        == re.sub(r"<[^>]+>", "", html.unescape(hugos)).split()
    )


@pytest.mark.parametrize("ahead", [False, True], ids=["index-in-the-past", "index-dated-ahead"])
@pytest.mark.parametrize("change", ["add", "remove", "rename"])
def test_a_bundles_featured_image_coming_or_going_is_seen_by_the_next_build(
    change: str, ahead: bool, tmp_path: Path
) -> None:
    """The featured image is a file beside the bundle's index.md: the cached reading of the untouched index kept
    the old image (or none) until the page itself was edited; also when index.md's time is later than the
    folder's change (a checkout, a clock ahead)."""
    site = make_site(tmp_path, "", {"trip/index.md": "---\ntitle: Trip\ndate: 2024-02-01\n---\nBody.\n"})
    if ahead:
        index = site / "content" / "posts" / "trip" / "index.md"
        later = time.time() + 3600
        os.utime(index, (later, later))
    image = site / "content" / "posts" / "trip" / "featured.jpg"
    if change != "add":
        image.write_bytes(b"\xff\xd8\xff" + b"x" * 1000)
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output

    def image_url() -> str | None:
        (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
        return item.get("image")

    assert (image_url() is None) == (change == "add")
    if change == "add":
        image.write_bytes(b"\xff\xd8\xff" + b"x" * 1000)
    elif change == "remove":
        image.unlink()
    else:
        image.rename(image.with_name("cover.jpg"))
    _, result = feedpub_rebuild(site)
    assert result.exit_code == 0, result.output
    expected = {"add": "featured.jpg", "remove": None, "rename": "cover.jpg"}[change]
    assert image_url() == (SITE + "posts/trip/" + expected if expected else None)


# Quotes as Korean and English copy has them (the typographer's other forms are tested with the content fixtures).
GOLDMARK_QUOTES = [
    '김모 씨는 "기대된다"고 말했다.',
    "시민들은 '좋다'며 웃었다.",
    "\"hello\"world and 'x'y",
    "it's Alice's I'm don't I've you'll we're",
    "'90s and the '80s, rock 'n' roll",
    '"*강조*" and "**bold**"',
    "\"[link](/a/)\" and '`code`'",
    "('quoted') and [\"x\"], 'Hello,' she said",
    '"한국어 "중첩" 인용"',
    "'x' y, 'x'., \"x\".",
    # A closing double quote with none open before it in the paragraph stays straight (a LoveIt site's Chinese
    # posts: `中的"灯塔"，`; `word"quoted" end.`), and inches after a digit.
    '中的"灯塔"，我们 名"应用猎人"，我们',
    'word"quoted" end. y"close".',
    '닫는 따옴표만" 있다',
    '"Monitor 21"" size, a "b," c, "b!" c',
]


def _hugos_and_goldmarks(
    tmp_path: Path, sources: list[str], goldmark_toml: str = "", goldmark_table: Mapping[str, Any] | None = None
) -> list[tuple[str, str, str]]:
    """Each source (a page's Markdown) with what the real Hugo renders of it and what goldmark.render does, under
    the `[markup.goldmark]` settings `goldmark_toml` writes (`goldmark_table`: the same, as the lower-cased table
    GoldmarkOptions.from_config reads)."""
    from feedpub.read.hugo import goldmark

    pages = {f"p{n}.md": f"---\ntitle: P{n}\ndate: 2024-01-01\n---\n{text}\n" for n, text in enumerate(sources)}
    site = make_site(tmp_path, goldmark_toml, pages, single="@@{{ .Content }}@@")
    hugo_build(site)
    options = goldmark.GoldmarkOptions.from_config(goldmark_table or {})
    return [
        (
            source,
            (site / "public" / "posts" / f"p{n}" / "index.html").read_text(encoding="utf-8").split("@@")[1],
            goldmark.render(source, options),
        )
        for n, source in enumerate(sources)
    ]


# A `www.` link (linkifyProtocol) and a lone image (wrapStandAloneImageWithinParagraph), as jonnung's Hugo blog
# sets them.
GOLDMARK_LINKS_AND_IMAGES = [
    "see www.example.com/page and http://www.example.org/x",
    "mailto:a@b.co here and xmpp:a@b.co here, and foo@bar.com",  # Goldmark links the bare address only
    "intro\n\n![pic](https://example.org/a.png)\n\n![a](/a.png) and text\n\n[![b](/b.png)](/c)",
]


@pytest.mark.parametrize(
    ("goldmark_toml", "goldmark_table"),
    [
        ("", {}),
        (
            "[markup.goldmark.parser]\nwrapStandAloneImageWithinParagraph = false\n"
            '[markup.goldmark.extensions]\nlinkifyProtocol = "http"\n',
            {"parser": {"wrapstandaloneimagewithinparagraph": False}, "extensions": {"linkifyprotocol": "http"}},
        ),
    ],
    ids=["defaults", "jonnungs"],
)
def test_www_links_and_lone_images_are_goldmarks(
    tmp_path: Path, goldmark_toml: str, goldmark_table: dict[str, Any]
) -> None:
    """Hugo links `www.example.com` over https:// (its linkifyProtocol; GFM's autolinks take http://), and with
    wrapStandAloneImageWithinParagraph off writes an image alone in its paragraph without the <p>."""

    def markup(rendered: str) -> str:  # markdown-it writes <img … />, which the content's cleaning makes <img …>
        return re.sub(r">\s+<", "><", html.unescape(rendered)).replace(" />", ">").strip()

    for source, hugos, ours in _hugos_and_goldmarks(tmp_path, GOLDMARK_LINKS_AND_IMAGES, goldmark_toml, goldmark_table):
        assert markup(ours) == markup(hugos), source


def test_hard_wraps_are_goldmarks_in_the_content_and_the_summary(tmp_path: Path) -> None:
    """`[markup.goldmark.renderer] hardWraps = true`: each line break in a paragraph is a <br> (poems, and CJK
    writing a sentence a line), which feedpub joined; and a <br> ends the sentence Hugo's summary is cut at."""
    sources = ["첫 줄\n둘째 줄\n셋째 줄", "A line  \nhard, then\nsoft *and\nspanning* text", "> quoted\n> lines"]
    config = "[markup.goldmark.renderer]\nhardWraps = true\n"
    table = {"renderer": {"hardwraps": True}}

    def markup(rendered: str) -> str:  # markdown-it writes <br />, which the content's cleaning makes <br>
        return re.sub(r">\s+<", "><", html.unescape(rendered)).replace(" />", ">").replace("\n", "").strip()

    for source, hugos, ours in _hugos_and_goldmarks(tmp_path / "content", sources, config, table):
        assert markup(ours) == markup(hugos), source
    words = " ".join(["word"] * 5)
    pages = {"poem.md": f"---\ntitle: Poem\ndate: 2024-01-01\n---\n{words}\nsecond line {words}\nthird line\n"}
    site = make_site(tmp_path / "summary", config + "summaryLength = 3\n", pages)
    hugo_build(site)
    item = r"<item>.*?<description>(.*?)</description>"
    hugos = re.search(item, (site / "public" / "index.xml").read_text("utf-8"), re.S)
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    assert hugos is not None
    expected = " ".join(html.unescape(re.sub("<[^>]+>", " ", html.unescape(hugos.group(1)))).split())
    ours = re.search(item, (site / "public" / "index.xml").read_text("utf-8"), re.S)
    assert ours is not None
    assert " ".join(html.unescape(ours.group(1)).split()) == expected


@pytest.mark.parametrize(
    "config",
    [
        'unsafe = "true"\nhardWraps = 1\n[markup.goldmark.extensions]\ntypographer = "false"',
        'unsafe = 0.5\nhardWraps = "f"\n[markup.goldmark.extensions]\ntypographer = ""',
    ],
    ids=["text-and-whole-number", "fraction-and-empty-text"],
)
def test_goldmark_options_written_as_text_or_numbers_are_hugos(config: str, tmp_path: Path) -> None:
    """Hugo decodes [markup.goldmark] weakly (mapstructure): `unsafe = "true"` keeps raw HTML, `hardWraps = 1` makes
    line breaks <br>, `typographer = ""` is off; feedpub took booleans alone, and other values as the defaults."""
    body = 'See <b>raw</b> and "quoted" -- words\nline two\n'
    pages = {"g.md": f"---\ntitle: G\ndate: 2024-02-01\n---\n{body}"}
    site = make_site(tmp_path, "[markup.goldmark.renderer]\n" + config, pages, single="@@{{ .Content }}@@")
    hugo_build(site)
    hugos = (site / "public" / "posts" / "g" / "index.html").read_text(encoding="utf-8").split("@@")[1]
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]

    def markup(rendered: str) -> str:  # the content's cleaning writes <br>, and drops HTML comments
        text = re.sub(r"<!--.*?-->", "", html.unescape(rendered)).replace("<br />", "<br>")
        return re.sub(r">\s+<", "><", text).replace("\n", "").strip()

    assert markup(item["content_html"]) == markup(hugos)


def test_typographer_quotes_are_goldmarks(tmp_path: Path) -> None:
    """Goldmark decides each quote by its neighbours (open, close, or left straight): markdown-it's pairing left
    `"기대된다"고` straight, where Hugo writes “기대된다"고."""

    def text(rendered: str) -> str:
        return re.sub(r"<[^>]+>", "", html.unescape(rendered)).strip()

    for source, hugos, ours in _hugos_and_goldmarks(tmp_path, GOLDMARK_QUOTES):
        assert text(ours) == text(hugos), source


# Definition lists as Goldmark reads them (a Korean anatole-theme site's list items with a ":" line under them).
GOLDMARK_DEFINITIONS = [
    "Term\n: def\n: def2",
    "Term one\n : def",
    "- <span>Trying 주소....</span><br/>\n    : 방화벽 오픈이 안되어 있다.",
    "Term zero\n: def zero\n\n- list after dl\n: def after list item",
    "Term\n: def\n\nTerm2\n: def2\n\n## heading\n: x",
    "Term\n\n: def after blank\n: tight",
    "Term\n~ tilde def",
    "Term\n: para1\n\n    para2\n\nA\n: a\n\nB\n\n: b",
]


def test_definition_lists_are_goldmarks(tmp_path: Path) -> None:
    """Goldmark's ":" stands at its block's indent (` : def`, and one indented under a list item, are text), "~"
    marks nothing, a list item after a blank line ends the list, and each definition's paragraphs are wrapped
    by the blank line before them: the plugin (pandoc's rules) made a <dl> of each and dropped the ":"."""

    def markup(rendered: str) -> str:
        return re.sub(r">\s+<", "><", html.unescape(rendered)).strip()

    for source, hugos, ours in _hugos_and_goldmarks(tmp_path, GOLDMARK_DEFINITIONS):
        assert markup(ours) == markup(hugos), source


@pytest.mark.parametrize(
    "body",
    [
        "요약 문장[^1].\n\n<!--more-->\n\n본문.\n\n[^1]: 주석.\n",
        "[^1]: 참고 문헌.\n\n요약 문장[^1].\n\n<!--more-->\n\n본문.\n",
        "첫 문단 [링크][r].\n\n<!--more-->\n\n[r]: /a/\n",
        "한 문단 안에서 <!--more--> 나뉘는 글.\n",
    ],
    ids=["footnote-after", "footnote-before", "reference-after", "mid-paragraph"],
)
def test_a_summary_before_the_divider_is_hugos(body: str, tmp_path: Path) -> None:
    """Hugo renders the whole body, then cuts it at `<!--more-->`: a footnote defined after the divider is a
    footnote in the summary (feedpub rendered the part alone, and showed "[^1]"), and the footnotes list is not."""
    site = make_site(tmp_path, "", {"s.md": f"---\ntitle: S\ndate: 2024-01-01\n---\n{body}"})
    hugo_build(site)
    hugos = ET.parse(site / "public" / "index.xml").getroot().findtext("channel/item/description") or ""
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert item["summary"].split() == re.sub(r"<[^>]+>", "", html.unescape(hugos)).split()


def one_post_of_hugo_and_feedpub(tmp_path: Path, page: str, config: str = "") -> tuple[str, dict[str, Any]]:
    """A site of one post (`page`: its file's text) built by the real Hugo and by feedpub: Hugo's `.Content` of
    it, cleaned as feedpub's feeds clean HTML, and feedpub's JSON Feed item of it."""
    from feedpub.render.html import clean_html

    site = make_site(tmp_path, config, {"f.md": page}, single="@@{{ .Content }}@@")
    hugo_build(site)
    hugos = (site / "public" / "posts" / "f" / "index.html").read_text(encoding="utf-8").split("@@")[1]
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
    return clean_html(hugos, item["url"]), item


def html_shape(content: str) -> list[tuple[str, str, str]]:
    """Each element of `content`: its tag, its link or image address, its text (white space collapsed)."""
    root = lxml.html.fragment_fromstring(content, create_parent="div")
    return [(e.tag, e.get("href") or e.get("src") or "", " ".join((e.text or "").split())) for e in root.iter()]


def test_task_list_checkboxes_are_hugos(tmp_path: Path) -> None:
    """Hugo writes a task's state as a disabled checkbox, ticked or not; the feeds' sanitiser removed every <input>,
    and a done task read as an open one (`<li> done task</li>`)."""
    page = "---\ntitle: T\ndate: 2024-02-01\n---\n- [x] done task\n- [ ] open task\n  - [X] nested done\n"
    site = make_site(tmp_path, "", {"f.md": page}, single="@@{{ .Content }}@@")
    hugo_build(site)
    hugos = (site / "public" / "posts" / "f" / "index.html").read_text(encoding="utf-8").split("@@")[1]
    assert hugos.count('<input checked="" disabled="" type="checkbox">') == 2
    assert hugos.count('<input disabled="" type="checkbox">') == 1
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert item["content_html"] == hugos
    rss = ET.parse(site / "public" / "index.xml").getroot()
    assert rss.findtext("channel/item/{http://purl.org/rss/1.0/modules/content/}encoded") == hugos


def test_a_figures_caption_and_attribution_are_markdown_as_in_hugo(tmp_path: Path) -> None:
    """Hugo's figure passes its caption and attribution through `markdownify` (and links the attribution to
    `attrlink`): feedpub showed their Markdown as written."""
    body = (
        '{{< figure src="/cover.jpg" title="제목" caption="출처: [연합뉴스](https://yna.co.kr) **사진**" '
        'attr="*Kim*" attrlink="https://example.com/kim" >}}\n\n'
        '{{< figure src="/b.jpg" caption="plain & simple" >}}\n'
    )
    hugos, item = one_post_of_hugo_and_feedpub(tmp_path, f"---\ntitle: F\ndate: 2024-02-01\n---\n{body}")
    assert html_shape(item["content_html"]) == html_shape(hugos)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_shortcode_written_over_lines_is_hugos(newline: str, tmp_path: Path) -> None:
    """`{{< figure` on a line, its arguments on the next ones (or after a tab): Hugo's lexer takes any white space
    after the name; feedpub took the name up to a space only ("figure\\n", unknown), and lost the figure, its
    caption and the post's image."""
    body = (
        'Intro.\n\n{{< figure\n  src="/lines.png"\n  caption="Over lines" >}}\n\n'
        '{{<\tfigure\tsrc="/tab.png"\tcaption="After tabs" >}}\n\n{{% param\n  greeting %}}\n'
    )
    page = f"---\ntitle: Lines\ndate: 2024-02-01\n---\n{body}".replace("\n", newline)
    hugos, item = one_post_of_hugo_and_feedpub(tmp_path, page, '[params]\ngreeting = "Hello"')
    assert "Over lines" in hugos and "After tabs" in hugos and "Hello" in hugos
    assert html_shape(item["content_html"]) == html_shape(hugos)
    assert item["image"] == SITE + "lines.png"


def test_the_param_shortcode_prints_what_hugos_page_param_finds(tmp_path: Path) -> None:
    """`param` is Hugo's `.Page.Param`: the page's front matter (and what is cascaded to it) first, then the site's
    params, a dotted key through nested tables, values as Go prints them. feedpub looked in the site's top-level
    params only: "Site Author" for a page's own author, nothing for `social.twitter`, "1.0" for 1.0."""
    config = (
        '[params]\nauthor = "Site Author"\ncount = 3\nwhole = 1.0\nbig = 1000000.0\ntiny = 0.00001\n'
        'list = ["a", "b"]\namp = \'Tom & "Jerry" 1+1\'\n[params.social]\ntwitter = "janedoe"\n'
        '[cascade]\ncascaded = "from the site"\n'
    )
    front = "title: P\ndate: 2024-02-01\nauthor: Page Author\nMixed: Cased\nratio: 2.25\nsocial:\n  github: pagegh\n"
    keys = "author social.twitter social.github mixed count ratio whole big tiny list social cascaded title"
    body = " | ".join(f'{{{{< param "{key}" >}}}}' for key in keys.split()) + " | {{% param amp %}}\n"
    hugos, item = one_post_of_hugo_and_feedpub(tmp_path, f"---\n{front}---\n{body}", config)
    assert "Page Author | janedoe | pagegh | Cased | 3 | 2.25 | 1 | 1e+06 | 1e-05 | [a b] | map[github:pagegh]" in (
        html.unescape(hugos)
    )
    assert html_shape(item["content_html"]) == html_shape(hugos)


def test_the_param_shortcode_finds_the_pages_languages_own_params(tmp_path: Path) -> None:
    """A page's site params are its language's: the site's, each key replaced by the language's own, from its
    [params] (Blowfish's languages.en.toml, [languages.ko.params], params.ko.toml) or its table (`[languages.ko]
    author`, weight), a table replaced whole. feedpub printed the site's params on every page, even on a site of one
    language: "site description" where Hugo has the English one."""
    config = (
        'defaultContentLanguage = "en"\n[params]\nauthor = "Site Author"\ndescription = "Site"\ncolor = "site-blue"\n'
        '[params.nested]\ndeep = "site-deep"\nother = "site-other"\n'
        '[languages.ko]\nweight = 2\nauthor = "Bare Author"\n'
        '[languages.ko.params]\ncolor = "ko-red"\n[languages.ko.params.nested]\nother = "ko-other"'
    )
    body = " | ".join(f"{{{{< param {key} >}}}}" for key in ("author", "description", "color", "nested", "weight"))
    page = f"---\ntitle: P\ndate: 2024-02-01\n---\n{body}\n"
    site = make_site(tmp_path, config, {"a.md": page, "a.ko.md": page}, single="@@{{ .Content }}@@")
    (site / "config" / "_default").mkdir(parents=True)
    files = {
        "languages.en.toml": 'weight = 1\n[params]\ndescription = "English"\n',
        "params.ko.toml": 'description = "Ko"\n',
    }
    for name, text in files.items():
        (site / "config" / "_default" / name).write_text(text, encoding="utf-8")
    hugo_build(site)
    hugos = {
        folder: (site / "public" / folder / "posts" / "a" / "index.html").read_text(encoding="utf-8").split("@@")[1]
        for folder in ("", "ko")
    }
    assert {folder: html.unescape(content) for folder, content in hugos.items()} == {
        "": "<p>Site Author | English | site-blue | map[deep:site-deep other:site-other] | 1</p>\n",
        "ko": "<p>Bare Author | Ko | ko-red | map[other:ko-other] | 2</p>\n",
    }
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    for folder, content in hugos.items():
        (item,) = json.loads((site / "public" / folder / "feed.json").read_text(encoding="utf-8"))["items"]
        assert item["content_html"] == content


def test_each_languages_feeds_have_its_own_description(tmp_path: Path) -> None:
    """A language's feeds describe the site as its pages see site.Params.description: its own [params] description,
    or its table's `description`, else the site's. Every language's feeds had the site's (Korean feeds said "top
    desc", not "한국어 설명")."""
    config = (
        'defaultContentLanguage = "ko"\n[params]\ndescription = "top desc"\n'
        '[languages.ko]\nweight = 1\n[languages.ko.params]\ndescription = "한국어 설명"\n'
        '[languages.en]\nweight = 2\ndescription = "english desc"\n'
        "[languages.fr]\nweight = 3\n"
    )
    page = "---\ntitle: P\ndate: 2024-02-01\n---\nx\n"
    site = make_site(tmp_path, config, {"a.md": page, "a.en.md": page, "a.fr.md": page})
    (site / "layouts" / "_default" / "list.html").write_text("@@{{ site.Params.description }}@@", encoding="utf-8")
    hugo_build(site)
    hugos = {
        folder: (site / "public" / folder / "index.html").read_text(encoding="utf-8").split("@@")[1]
        for folder in ("", "en", "fr")
    }
    assert hugos == {"": "한국어 설명", "en": "english desc", "fr": "top desc"}
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    for folder, description in hugos.items():
        out = site / "public" / folder
        assert ET.parse(out / "index.xml").getroot().findtext("channel/description") == description
        assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["description"] == description


def test_the_param_shortcode_takes_its_key_by_position_only(tmp_path: Path) -> None:
    """Hugo's `param` template reads `.Get 0`: `{{< param name="x" >}}` is a missing key to it, and a value Go's
    templates take as empty (false, 0) is not found: it prints nothing (and reports each); feedpub printed them."""
    body = '[{{< param name="x" >}}] [{{< param x >}}] [{{< param off >}}] [{{< param zero >}}]\n'
    config = '[params]\nx = "shown"\noff = false\nzero = 0'
    site = make_site(tmp_path, config, {"f.md": f"---\ntitle: F\ndate: 2024-02-01\n---\n{body}"}, "@@{{ .Content }}@@")
    command = [hugo(), "--source", str(site), "--clock", hugo_oracle.CLOCK]
    done = subprocess.run(command, capture_output=True, text=True, env=hugo_oracle.clean_env(), timeout=120)
    reported = done.stdout + done.stderr
    assert "Missing param key" in reported and 'Param "off" not found' in reported  # and it writes the page
    hugos = (site / "public" / "posts" / "f" / "index.html").read_text(encoding="utf-8").split("@@")[1]
    assert hugos == "<p>[] [shown] [] []</p>\n"
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert item["content_html"] == hugos


def test_a_shortcodes_inner_text_is_what_its_template_prints(tmp_path: Path) -> None:
    """The inner text of a `{{< >}}` shortcode whose template prints `{{ .Inner }}` is written as it is, no Markdown
    run on it (a nested shortcode's resolved, a nested `{{% %}}` one's rendered); a template's `markdownify` renders
    it, and a theme's template counts as the site's own. feedpub rendered every one as Markdown: `<em>not
    markdown</em>` where Hugo writes `*not markdown*`, in the content and in the summary."""
    from feedpub.read.markup import html_to_text

    body = (
        "{{< aside >}}*not markdown*{{< /aside >}}\n\n"
        "Before {{< aside >}}**raw** & <b>html</b>{{< /aside >}} after.\n\n"
        "{{< aside >}}\n\n# no heading\n\n{{< md >}}*nested md*{{< /md >}} {{% aside %}}_nested %_{{% /aside %}}"
        "\n{{< /aside >}}\n\n"
        "{{< md >}}*rendered*{{< /md >}} {{< themed >}}*theme raw*{{< /themed >}} {{% aside %}}*percent*{{% /aside %}}"
        "\n"
    )
    site = make_site(
        tmp_path, 'theme = "t"', {"f.md": f"---\ntitle: F\ndate: 2024-02-01\n---\n{body}"}, "@@{{ .Content }}@@"
    )
    templates = {
        "layouts/shortcodes/aside.html": "<aside>{{ .Inner }}</aside>",
        "layouts/shortcodes/md.html": "<div>{{ .Inner | markdownify }}</div>",
        "themes/t/layouts/shortcodes/themed.html": "<span>{{ .Inner }}</span>",
        "themes/t/layouts/shortcodes/aside.html": "<aside>{{ .Inner | markdownify }}</aside>",  # the site's wins
    }
    for name, template in templates.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(template, encoding="utf-8")
    hugo_build(site)
    hugos = (site / "public" / "posts" / "f" / "index.html").read_text(encoding="utf-8").split("@@")[1]
    for shown in ("<aside>*not markdown*</aside>", "**raw** & <b>html</b>", "# no heading", "<em>nested %</em>"):
        assert shown in hugos
    assert "<em>rendered</em>" in hugos and "<span>*theme raw*</span>" in hugos
    hugo_summary = ET.parse(site / "public" / "index.xml").getroot().findtext("channel/item/description") or ""
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert " ".join(html_to_text(item["content_html"]).split()) == " ".join(html_to_text(hugos).split())
    assert item["summary"] == " ".join(html_to_text(hugo_summary).split())


# Hugo's HTML shortcodes inside a site's `{{% note %}}` (its template prints .Inner), inline and as blocks, and the
# built-in ones written `{{% %}}`, with raw HTML around them: all of it Markdown to Goldmark.
MARKDOWN_SHORTCODES = """{{% note %}}{{< figure src="/a.png" title="T" >}}{{% /note %}}

a {{% note %}}x {{< gist u 1 >}} <b>y</b>{{% /note %}} b

{{% note %}}
{{< youtube abc >}}
<div>raw</div>
{{% /note %}}

c {{% note %}}{{< vimeo 123 >}}{{% /note %}} d

{{% figure src="/b.png" title="U" %}}

x {{% figure src="/c.png" %}} y

x {{% gist u 1 %}} y

{{% gist u 1 f.go %}}

x {{% youtube abc %}} y

{{% vimeo 123 %}}

{{< figure src="/d.png" >}}

z {{< gist u 2 >}} w
"""


@pytest.mark.parametrize("unsafe", [False, True], ids=["omitted", "unsafe"])
def test_markdown_shortcodes_output_is_hugos_content(unsafe: bool, tmp_path: Path) -> None:
    """A `{{% %}}` shortcode's output is Markdown to Hugo, HTML shortcodes inside it included: under Hugo's default
    `unsafe = false` Goldmark omits their HTML (`<!-- raw HTML omitted -->`); feedpub kept it, a figure or a video
    player inside a site's `{{% note %}}` shown in the feeds where Hugo shows nothing. The built-ins' own line breaks
    decide what the Markdown around them is (a gist ends its line, a video's <div> starts one): the body as feedpub
    renders it is Hugo's .Content, byte for byte."""
    from feedpub.read import settings_for
    from feedpub.read.collect import collect
    from feedpub.read.post import load_body_html

    config = "[markup.goldmark.renderer]\nunsafe = true" if unsafe else ""
    page = f"---\ntitle: F\ndate: 2024-02-01\n---\n{MARKDOWN_SHORTCODES}"
    site = make_site(tmp_path, config, {"f.md": page}, "@@{{ .Content }}@@")
    (site / "layouts" / "shortcodes").mkdir()
    (site / "layouts" / "shortcodes" / "note.html").write_text("{{ .Inner }}", encoding="utf-8")
    hugo_build(site)
    hugos = (site / "public" / "posts" / "f" / "index.html").read_text(encoding="utf-8").split("@@")[1]
    assert hugos.startswith("<!-- raw HTML omitted -->") is not unsafe
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    settings = settings_for(load_config(feedpub_config), now=datetime.fromisoformat(hugo_oracle.CLOCK))
    (post,) = collect(settings, datetime.fromisoformat(hugo_oracle.CLOCK)).posts
    assert load_body_html(settings, post) == hugos


def test_a_shortcode_templates_edit_is_seen_by_the_next_build(tmp_path: Path) -> None:
    """Whether a shortcode's inner text is Markdown is its template's: editing the template changes the posts that
    use it at the next build (their cached reading is not kept)."""
    from feedpub.read.markup import html_to_text

    body = "{{< note >}}*x*{{< /note >}}\n"
    site = make_site(tmp_path, "", {"f.md": f"---\ntitle: F\ndate: 2024-02-01\n---\n{body}"}, "@@{{ .Content }}@@")
    template = site / "layouts" / "shortcodes" / "note.html"
    template.parent.mkdir()
    contents = []
    for printed in ("{{ .Inner }}", "{{ .Inner | markdownify }}"):
        template.write_text(f"<div>{printed}</div>", encoding="utf-8")
        hugo_build(site)
        hugos = (site / "public" / "posts" / "f" / "index.html").read_text(encoding="utf-8").split("@@")[1]
        _, result = feedpub_build(site) if not contents else feedpub_rebuild(site)
        assert result.exit_code == 0, result.output
        (item,) = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
        assert html_to_text(item["content_html"]) == html_to_text(hugos)
        contents.append(item["content_html"].strip())
    assert contents == ["*x*", "<p><em>x</em></p>"]


def test_the_emoji_table_is_hugos() -> None:
    """feedpub's table of enableEmoji's codes is every code the real Hugo replaces, with what it writes."""
    hugo()
    table = Path(__file__).resolve().parents[1] / "src" / "feedpub" / "read" / "hugo" / "emoji.json"
    assert json.loads(table.read_text(encoding="utf-8")) == hugo_oracle.emoji_table()


def test_emoji_codes_are_replaced_where_hugo_replaces_them(tmp_path: Path) -> None:
    """`enableEmoji = true`: Hugo writes 🎉 for `:tada:` in a page's source, code included, and in a paired
    shortcode's inner text, not in its arguments nor in a front matter summary (whose shortcodes are text too);
    feedpub left every code as written."""
    from feedpub.read.markup import html_to_text

    body = (
        "Shipped :tada: thanks :+1::-1: `:rocket:` :foo:tada: :é:tada: a:heart:b :TADA: :smile_cat: :a:b\n\n"
        '{{< figure src="/a.png" caption=":tada: caption" >}}\n\n{{< highlight go >}}\nx := ":fire:"\n'
        "{{< /highlight >}}\n\n```\n:sparkles: fenced\n```\n"
    )
    pages = {
        "a.md": f"---\ntitle: A\ndate: 2024-01-02\n---\n{body}",
        "b.md": '---\ntitle: B\ndate: 2024-01-01\nsummary: "Front :tada: *summary* {{< param x >}}"\n---\n'
        "body :tada:\n",
    }
    site = make_site(tmp_path, "enableEmoji = true", pages, single="@@{{ .Content }}@@")
    hugo_build(site)
    public = site / "public"

    def text(html_text: str) -> str:
        return " ".join(html_to_text(html_text).split())

    hugos = {
        SITE + f"posts/{name}/": text((public / "posts" / name / "index.html").read_text("utf-8").split("@@")[1])
        for name in ("a", "b")
    }
    summaries = {
        item.findtext("link") or "": text(item.findtext("description") or "")
        for item in ET.parse(public / "index.xml").iter("item")
    }
    assert "Shipped 🎉 thanks 👍👎 🚀 :foo:tada: :é🎉 a❤️b :TADA: 😸 🅰️b" in hugos[SITE + "posts/a/"]
    assert summaries[SITE + "posts/b/"] == "Front :tada: summary {{< param x >}}"
    _, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    items = json.loads((public / "feed.json").read_text(encoding="utf-8"))["items"]
    assert {item["url"]: text(item["content_html"]) for item in items} == hugos
    assert {item["url"]: item["summary"] for item in items} == summaries


# Blocks a post may open with, each a turn for Hugo's count of words: white space between tags (a list's, a
# blockquote's, a figure's) counts, a hard break at the cut ends the sentence there, an <img> swallows the space after
# it, `&nbsp;` is no space.
_SUMMARY_WORDS = ["word", "end.", "why?", "wow!", 'said"', "x", "a-b", "3.2", "co-op", "fin"]
_SUMMARY_BLOCKS = [
    "> {words}",
    "- {words}\n- {words}",
    "1. {words}\n2. {words}",
    "| {words} | b |\n|---|---|\n| c | d |",
    "## {words}",
    '{{< figure src="/i.jpg" caption="{words}" >}}',
    "```\ncode  {words}\n```",
    "![alt text](/i.jpg) {words}",
    "{words}&nbsp;{words}",
    "*{words}* {words}",
]


def _summary_body(draw: random.Random) -> str:
    """A few blocks, paragraphs of words with soft and hard breaks among them, others from _SUMMARY_BLOCKS."""

    def words() -> str:
        separators = [" ", " ", " ", "\n", "\\\n", "  \n"]
        chosen = [draw.choice(_SUMMARY_WORDS) + draw.choice(separators) for _ in range(draw.randint(1, 6))]
        return "".join(chosen).rstrip(" \n\\")

    blocks = []
    for _ in range(draw.randint(1, 5)):
        block = draw.choice([*_SUMMARY_BLOCKS, "{words}", "{words}"])
        if "figure" in block:  # a caption is one line, and no quote of its own
            block = block.replace("{words}", words().replace("\n", " ").replace('"', "").replace("\\", ""))
        blocks.append(block.replace("{words}", words(), 1).replace("{words}", words().replace("\n", " ")))
    return "\n\n".join(blocks) + "\n"


def _summaries_of_hugo_and_feedpub(site: Path, pages: Mapping[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Build `site` with the real Hugo and with feedpub: each page's summary, by link, as Hugo's RSS gives it
    (its text, white space collapsed) and as feedpub's JSON Feed does."""
    hugo_build(site)
    theirs = {
        item.findtext("link") or "": " ".join(html.unescape(item.findtext("description") or "").split())
        for item in ET.parse(site / "public" / "index.xml").iter("item")
    }
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    feed = json.loads((load_config(feedpub_config).output_dir / "feed.json").read_text(encoding="utf-8"))
    assert len(theirs) == len(pages)
    return theirs, {item["url"]: item.get("summary", "") for item in feed["items"] if item["url"] in theirs}


def test_auto_summaries_are_cut_where_hugo_cuts_them(tmp_path: Path) -> None:
    """Hugo cuts a summary at the summaryLength-th white space character of its stripped text (a tag ends a run, so
    a list's `</li>\n</ul>` is two), then looks for the sentence's end from that character itself: feedpub counted
    words, and skipped the character at the cut (a paragraph's end there took the next sentence in). Compared over
    many generated bodies, in one site built by the real Hugo and by feedpub."""
    draw = random.Random(20240601)
    pages = {
        f"p{number:03}.md": f"---\ntitle: P{number}\ndate: 2024-01-01T00:{number // 60:02}:{number % 60:02}Z\n---\n"
        + _summary_body(draw)
        for number in range(120)
    }
    site = make_site(tmp_path, "summaryLength = 6\n[services.rss]\nlimit = 1000", pages)
    theirs, ours = _summaries_of_hugo_and_feedpub(site, pages)
    assert ours == theirs


def test_summaries_of_raw_html_are_cut_from_the_text_hugo_strips(tmp_path: Path) -> None:
    """Hugo strips tags as an HTML tokenizer does: `<3` and `x < y` are text, and a stray `>` (`->`); a comment runs
    to its `-->`, a tag past a `>` in a quoted value. feedpub took every `<` for a tag and dropped every `>`: "Made
    with <3 in Berlin." was "Made with", and "Build -> test" "Build - test"."""
    bodies = [
        '<p class="lead">Made with <3 in Berlin. More of the text follows.</p>',
        "<div>Rust was 2x faster (1.2s < 2.4s). More text.</div>",
        "<p>Build -> test -> deploy, every day of the week.</p>",
        "<p>When x < y and y > z the rule holds.</p>",
        "Use <code>p->next</code> for the next node of the list.",
        "Hello <!-- x > y --> world, and the rest of it.",
        '<div title="a > b">Hello world, said the title.</div>',
    ]
    pages = {
        f"r{number}.md": f"---\ntitle: R{number}\ndate: 2024-01-0{number + 1}\n---\n{body}\n"
        for number, body in enumerate(bodies)
    }
    config = "summaryLength = 4\n[services.rss]\nlimit = 1000\n[markup.goldmark.renderer]\nunsafe = true\n"
    site = make_site(tmp_path, config, pages)
    theirs, ours = _summaries_of_hugo_and_feedpub(site, pages)
    assert ours == theirs


# Korean text with words that are not ASCII but not CJK either, as typed: accents, curly quotes, dashes, an
# ellipsis, and an "&" the render writes as "&amp;" (six characters to Hugo's count in a word that is not ASCII).
_MIXED_WORDS = ["한국어", "café", "“인용”", "–", "…", "naïve", "R&D연구", "plain", "x", "문장입니다.", "Zürich"]


# Goldmark's typographer writes entities (`it&rsquo;s`), so to Hugo's count such a word is all ASCII, one word.
_CURLED_WORDS = ["한국어", "it's", '"fast"', "2020--2024", "wait...", "Rust's", "plain", "문장입니다.", "x"]


@pytest.mark.parametrize(
    ("words", "seed", "length"), [(_MIXED_WORDS, 7, 12), (_CURLED_WORDS, 11, 8)], ids=["not-ascii", "curled"]
)
def test_cjk_summaries_count_each_character_of_a_word_not_ascii_to_hugo(
    tmp_path: Path, words: list[str], seed: int, length: int
) -> None:
    """Under hasCJKLanguage Hugo counts each character of any word that is not all ASCII (TruncateWordsByRune):
    feedpub counted a word like `café` or `“인용”` as one, as it does an ASCII word, and so kept more; and then
    counted each character of a word the typographer curls (`오늘은 it's a good` was "오늘은 it’"), which its
    entities keep ASCII to Hugo."""
    draw = random.Random(seed)
    pages = {
        f"k{number:02}.md": f"---\ntitle: K{number}\ndate: 2024-01-01T00:00:{number:02}Z\n---\n"
        + " ".join(draw.choice(words) for _ in range(draw.randint(3, 25)))
        + "\n"
        for number in range(40)
    }
    config = f"hasCJKLanguage = true\nsummaryLength = {length}\n[services.rss]\nlimit = 1000"
    theirs, ours = _summaries_of_hugo_and_feedpub(make_site(tmp_path, config, pages), pages)
    assert ours == theirs


def test_a_page_is_cjk_to_its_summary_as_hugo_decides(tmp_path: Path) -> None:
    """Under hasCJKLanguage Hugo counts a page's summary in characters when its file has a CJK character anywhere,
    front matter included, unless its `isCJKLanguage` says otherwise (shrektan's blog: English translations under
    `categories: [生활]`); feedpub looked at the summary's own text only."""
    english = "A couple of days ago, I received a file shared in a WeChat group about data issues found in filings."
    chinese = (
        "提问的人最好做一些功课 这样别人给了你答案 你便很快能理解 后续也会自主搜集相关信息 "
        "从而内化为自己的知识。再多的解释也只是浪费。"
    )
    pages = {
        "a.md": f"---\ntitle: A\ndate: 2024-01-01\ncategories: [生活]\n---\n{english}\n",
        "b.md": f"---\ntitle: B\ndate: 2024-01-02\ncategories: [life]\n---\n{english}\n",
        "c.md": f"---\ntitle: C\ndate: 2024-01-03\nisCJKLanguage: false\n---\n{chinese}\n",
        "d.md": f"---\ntitle: D\ndate: 2024-01-04\nisCJKLanguage: true\n---\n{english}\n",
    }
    site = make_site(tmp_path, "hasCJKLanguage = true\nsummaryLength = 5", pages)
    hugo_build(site)
    theirs = {
        i.findtext("title"): i.findtext("description") for i in ET.parse(site / "public" / "index.xml").iter("item")
    }
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    ours = {i.findtext("title"): i.findtext("description") for i in ET.parse(out / "index.xml").iter("item")}
    assert {t: html.unescape(d or "").strip() for t, d in theirs.items()} == {
        t: (d or "").strip() for t, d in ours.items()
    }
    assert theirs["A"] != theirs["B"]


def test_a_url_that_is_a_folder_is_served_as_hugo_serves_it(tmp_path: Path) -> None:
    """`url: /notes/node.js/` is the folder notes/node.js/ (its "/" was dropped, and the dot made it a file: a 404),
    and a no-break or ideographic space in a `url` is a character of it (it became a space: a 404)."""
    pages = {
        "dot.md": '---\ntitle: dotted\ndate: 2024-01-04\nurl: "/notes/node.js/"\n---\ndot\n',
        "nb.md": '---\ntitle: nbsp\ndate: 2024-01-02\nurl: "/x\u00a0y/"\n---\nnb\n',
        "id.md": '---\ntitle: ideographic\ndate: 2024-01-03\nurl: "/x\u3000y/"\n---\nid\n',
        "file.md": '---\ntitle: file\ndate: 2024-01-05\nurl: "/notes/app.js"\n---\nfile\n',
        # Spaces at its ends are kept, and a last segment "." makes a file of what it cleans to.
        "trailing.md": '---\ntitle: trailing\ndate: 2024-01-06\nurl: "/about/ "\n---\nA\n',
        "leading.md": '---\ntitle: leading\ndate: 2024-01-07\nurl: " /lead/"\n---\nB\n',
        "dot-segment.md": '---\ntitle: dot\ndate: 2024-01-08\nurl: "/other/."\n---\nC\n',
        # A "." anywhere in it, not only in its last segment, makes it a file when no "/" ends it (a folder named
        # as a version, a host written after "//").
        "version.md": '---\ntitle: version\ndate: 2024-01-09\nurl: "/v1.2/notes"\n---\nD\n',
        "host.md": '---\ntitle: host\ndate: 2024-01-10\nurl: "//evil.example/y"\n---\nE\n',
    }
    site = make_site(tmp_path, "", pages)
    written = hugo_build(site)
    theirs = {i.findtext("guid") for i in ET.parse(site / "public" / "index.xml").iter("item")}
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    ours = {i.findtext("guid") for i in ET.parse(load_config(feedpub_config).output_dir / "index.xml").iter("item")}
    assert ours == theirs
    assert "notes/node.js/index.html" in written
    assert "v1.2/notes" in written and "evil.example/y" in written


def test_main_sections_the_content_folder_does_not_have_stop_no_build(tmp_path: Path) -> None:
    """sangho0n's blog: `contentDir = "content/ko/post"` and `mainSections = ["post"]`, its bundles straight below:
    Hugo builds, and feedpub stopped ("posts.dirs: the folder …/content/ko/post/post does not exist"). A configured
    section no content folder has is passed over; none left, the main section is Hugo's own choice."""
    site = make_site(tmp_path, "[params]\nmainSections = ['post']", {})
    bundle = site / "content" / "정렬" / "index.md"
    bundle.parent.mkdir(parents=True)
    bundle.write_text("---\ntitle: 정렬\ndate: 2024-01-02\n---\n본문\n", encoding="utf-8")
    hugo_build(site)
    theirs = {i.findtext("guid") for i in ET.parse(site / "public" / "index.xml").iter("item")}
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    ours = {i.findtext("guid") for i in ET.parse(load_config(feedpub_config).output_dir / "index.xml").iter("item")}
    assert ours == theirs == {SITE + "%EC%A0%95%EB%A0%AC/"}


@pytest.mark.parametrize(
    ("config", "files"),
    [
        ('[params]\nmainSections = ["{outside}"]', {}),
        ('theme = "nice"', {"themes/nice/hugo.toml": '[params]\nmainSections = ["../../outside"]\n'}),
        ("", {"config/_default/params.toml": 'mainSections = ["posts/deeper"]\n'}),
    ],
    ids=["absolute", "theme-dots", "below-a-section"],
)
def test_main_sections_are_section_names_never_folders(config: str, files: dict[str, str], tmp_path: Path) -> None:
    """Hugo matches mainSections against each page's section, its first-level folder's name: "/home/x", "../.."
    and "posts/deeper" name none, as if no section were named. feedpub took them as folders: a theme's
    `mainSections = ["../../outside"]` published a file from outside the site, with its text."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "notes.md").write_text("---\ntitle: Notes\ndate: 2024-01-03\n---\nroot password hunter2\n", "utf-8")
    pages = {
        name: f"---\ntitle: {name}\ndate: 2024-01-0{day}\n---\nx\n" for day, name in enumerate(["a.md", "b.md"], 1)
    }
    site = make_site(tmp_path, config.replace("{outside}", str(outside)), pages | {"deeper/c.md": pages["a.md"]})
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    hugo_build(site)
    theirs = {i.findtext("guid") for i in ET.parse(site / "public" / "index.xml").iter("item")}
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    ours = {i.findtext("guid") for i in ET.parse(out / "index.xml").iter("item")}
    assert ours == theirs == {SITE + "posts/a/", SITE + "posts/b/", SITE + "posts/deeper/c/"}
    assert not any("hunter2" in p.read_text(encoding="utf-8") for p in out.rglob("*") if p.is_file())


def test_a_post_below_one_of_feedpubs_files_is_rejected_and_the_feeds_written(tmp_path: Path) -> None:
    """Hugo writes a page at `url: /atom.xml/guest/` and the aliases /feed.json/g/, /sitemap-posts.xml/g/ and
    /feeds.html/g/ as folders of those names: feedpub published the post, and the Atom feed, the JSON Feed, the
    posts sitemap and the subscribe page went unwritten, with warnings and exit 0. The post is rejected by name, and
    feedpub's files are written (into an output folder Hugo has not written yet)."""
    guest = "---\ntitle: Guest\ndate: 2024-01-03\nurl: /atom.xml/guest/\n"
    guest += "aliases: [/feed.json/g/, /sitemap-posts.xml/g/, /feeds.html/g/]\n---\nGuest.\n"
    site = make_site(tmp_path, "", {"hello.md": "---\ntitle: Hello\ndate: 2024-01-01\n---\nx\n", "guest.md": guest})
    written = hugo_build(site)
    assert {"atom.xml/guest/index.html", "feed.json/g/index.html", "feeds.html/g/index.html"} <= written
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 1, result.output
    assert "guest.md: its alias /feed.json/g/ is where feedpub serves one of its own files (feed.json)" in result.output
    out = load_config(feedpub_config).output_dir
    for name in ("index.xml", "atom.xml", "feed.json", "sitemap-posts.xml", "feeds.html"):
        assert (out / name).is_file(), name
        assert "guest" not in (out / name).read_text(encoding="utf-8")
    assert "/posts/hello/" in (out / "atom.xml").read_text(encoding="utf-8")

    (site / "content" / "posts" / "guest.md").write_text(guest.split("aliases:")[0] + "---\nGuest.\n", "utf-8")
    _, result = feedpub_rebuild(site)
    assert result.exit_code == 1, result.output
    assert "guest.md: its URL https://site.example/atom.xml/guest/ is where feedpub serves" in result.output


def test_file_name_dates_and_slugs_are_hugos(tmp_path: Path) -> None:
    """Hugo 0.111.3's `:filename`: a date in the name's first ten characters, the slug what follows with " -_"
    trimmed; feedpub knew `YYYY-MM-DD-slug` only, and linked /posts/2024-01-02_under/ and /posts/2024-01-06x/ (404s)
    and dated the rest "now"."""
    names = ["2024-01-02_under", "2024-01-03", "2024-01-04.hello", "2024-01-05-dash", "2024-01-06x"]
    pages = {f"{name}.md": f"---\ntitle: p{n}\n---\nbody\n" for n, name in enumerate(names)}
    site = make_site(tmp_path, '[frontmatter]\ndate = [":filename", ":default"]', pages)
    hugo_build(site)
    theirs = {(i.findtext("guid"), i.findtext("pubDate")) for i in ET.parse(site / "public" / "index.xml").iter("item")}
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    ours = {(i.findtext("guid"), i.findtext("pubDate")) for i in ET.parse(out / "index.xml").iter("item")}
    assert ours == theirs


def test_a_body_not_utf8_is_published_as_hugo_shows_it(tmp_path: Path) -> None:
    """Hugo publishes a page whose body holds bytes that are not UTF-8 (a file saved as Windows-1252), and its feed
    shows each invalid byte as U+FFFD (Go's): feedpub rejected the page. One in the front matter stops Hugo's whole
    build; feedpub rejects that page, as in plain and Jekyll sites."""
    site = make_site(tmp_path, "", {"fine.md": "---\ntitle: Fine\ndate: 2024-05-04\n---\nok\n"})
    posts = site / "content" / "posts"
    body = b"Body with \x93smart quotes\x94 and caf\xe9; \xe9\x80, \xed\xa0\x80 and \xf4\x90\x80\x80 are one a byte.\n"
    (posts / "cp1252.md").write_bytes(b'---\ntitle: "Smart quotes"\ndate: 2024-05-05\n---\n' + body)
    (posts / "_index.md").write_bytes(b"---\ntitle: Posts\ncascade:\n  tags: [t]\n---\nThe caf\xe9's posts.\n")
    hugo_build(site)

    def descriptions(feed: Path) -> list[tuple[str | None, str | None]]:
        return [(item.findtext("link"), item.findtext("description")) for item in ET.parse(feed).iter("item")]

    hugos = descriptions(site / "public" / "index.xml")
    assert hugos[0] == (
        f"{SITE}posts/cp1252/",
        "Body with \ufffdsmart quotes\ufffd and caf\ufffd; "
        + "\ufffd" * 2
        + ", "
        + "\ufffd" * 3
        + " and "
        + "\ufffd" * 4
        + " are one a byte.",
    )
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(config).output_dir
    assert descriptions(out / "index.xml") == hugos
    assert descriptions(out / "tags" / "t" / "index.xml") == hugos  # the section's front matter, read too

    (posts / "front.md").write_bytes(b'---\ntitle: "Caf\xe9"\ndate: 2024-05-06\n---\nx\n')
    with pytest.raises(hugo_oracle.HugoError, match="invalid trailing UTF-8 octet"):
        hugo_build(site)
    _, result = feedpub_rebuild(site)
    assert result.exit_code == 1
    assert f"{posts / 'front.md'}: not UTF-8 text (invalid byte at offset 15)" in result.output


def test_a_term_whose_feeds_would_take_the_place_of_feedpubs_files_is_left_out(tmp_path: Path) -> None:
    """Under `tags = "/:slug/"` Hugo serves the tag `feed.json` at /feed.json/ (its feed in that folder): feedpub
    wrote the tag's feeds there too, and the site's JSON Feed could not be written ("Is a directory"): the build
    stopped with exit 2, every feed of the site left as it was. The tag's feeds are left out with a warning; the
    site's feeds and the other tags' are written."""
    tagged = "---\ntitle: Tagged\ndate: 2024-01-02\ntags: [feed.json, golang]\n---\nx\n"
    site = make_site(
        tmp_path,
        '[permalinks]\ntags = "/:slug/"',
        {"hello.md": "---\ntitle: Hello\ndate: 2024-01-01\n---\nx\n", "tagged.md": tagged},
    )
    written = hugo_build(site)
    assert {"feed.json/index.xml", "golang/index.xml"} <= written
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    assert "the feeds of 'feed.json' would be written in feed.json/, which takes the place of feedpub's own" in (
        result.output
    )
    out = load_config(feedpub_config).output_dir
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["version"] == "https://jsonfeed.org/version/1.1"
    for name in ("index.xml", "atom.xml", "golang/index.xml"):
        assert "/posts/tagged/" in (out / name).read_text(encoding="utf-8"), name


def test_a_term_never_takes_the_place_of_another_languages_feeds(tmp_path: Path) -> None:
    """An English tag `ko` under `tags = "/:slug/"`: Hugo serves it at /ko/, beside (not over) the Korean home feed
    /ko/index.xml. feedpub wrote the tag's feeds over the Korean language's index.xml, atom.xml and feed.json, which
    then showed no Korean post, with exit 0 and no warning. The tag's feeds are left out, with a warning."""
    config = (
        '[permalinks]\ntags = "/:slug/"\n[languages.en]\nweight = 1\ncontentDir = "content/en"\n'
        '[languages.ko]\nweight = 2\ncontentDir = "content/ko"'
    )
    site = make_site(tmp_path, 'defaultContentLanguage = "en"\n' + config, {})
    for name, text in {
        "en/posts/korea.md": "---\ntitle: About Korea\ndate: 2024-01-02\ntags: [ko]\n---\nbody\n",
        "ko/posts/hello.md": "---\ntitle: 안녕\ndate: 2024-01-03\n---\n본문\n",
    }.items():
        (site / "content" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "content" / name).write_text(text, encoding="utf-8")
    hugo_build(site)
    theirs = ET.parse(site / "public" / "ko" / "index.xml")
    assert [i.findtext("title") for i in theirs.iter("item")] == ["안녕"]
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    assert "the feeds of 'ko' would be written in ko/, which takes the place of feedpub's own ko/" in result.output
    out = load_config(feedpub_config).output_dir
    for name in ("index.xml", "atom.xml", "feed.json"):
        korean = (out / "ko" / name).read_text(encoding="utf-8")
        assert "안녕" in korean and "About Korea" not in korean, name


def test_two_terms_at_one_folder_write_one_terms_feeds(tmp_path: Path) -> None:
    """A category and a tag both named `news`, each served at /news/ (`"/:slug/"` for both taxonomies): feedpub wrote
    both terms' feeds to news/, one over the other, and listed each file several times in its record. The first
    term's feeds are written, the other's left out with a warning."""
    site = make_site(
        tmp_path,
        '[permalinks]\ntags = "/:slug/"\ncategories = "/:slug/"',
        {
            "a.md": "---\ntitle: A\ndate: 2024-01-01\ntags: [news]\n---\nbody\n",
            "b.md": "---\ntitle: B\ndate: 2024-01-02\ncategories: [news]\n---\nbody\n",
        },
    )
    assert "news/index.xml" in hugo_build(site)
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    assert "the feeds of 'news' would be written in news/, where those of 'news' are" in result.output
    built = load_config(feedpub_config)
    out = built.output_dir
    record = json.loads((built.state_dir / "outputs.json").read_text(encoding="utf-8"))
    [folder] = record["folders"].values()
    assert folder["term_feeds"] == ["news/atom.xml", "news/feed.json", "news/index.xml"]
    assert "/posts/b/" in (out / "news" / "index.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("quote_path", ["true", "false", "false in GIT_CONFIG_GLOBAL"])
def test_git_dates_only_where_hugos_own_log_names_the_file(
    tmp_path: Path, quote_path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hugo's GitInfo reads the names `git log` prints without -z: a name git quotes (a quote or a tab always;
    non-ASCII under core.quotePath, git's default) matches no page, which then has no date from git (Hugo dates it
    0001-01-01: /1/01/caf%C3%A9/). feedpub dated those pages by their commits, at URLs Hugo never wrote. The
    setting is read as the user's git reads it, from GIT_CONFIG_GLOBAL too (feedpub's git commands run without
    git's variables: every non-ASCII page was dated 0001 there, where Hugo dated it by its commit)."""
    if quote_path.endswith("GIT_CONFIG_GLOBAL"):
        settings = tmp_path / "user.gitconfig"
        settings.write_text("[core]\n\tquotePath = false\n", encoding="utf-8")
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(settings))
    site = make_site(
        tmp_path,
        'enableGitInfo = true\n[frontmatter]\ndate = [":git"]\n[permalinks]\nposts = "/:year/:month/:filename/"',
        {
            name: f"---\ntitle: {title}\n---\nx\n"
            for name, title in [("café.md", "A"), ("plain.md", "B"), ('q"t.md', "C")]
        },
    )
    git(site, "init", "-q")
    if quote_path in ("true", "false"):
        git(site, "config", "core.quotePath", quote_path)
    commit_all(site, "2023-05-05T10:00:00+00:00")
    hugo_build(site)
    theirs = {i.findtext("link") for i in ET.parse(site / "public" / "index.xml").iter("item")}
    assert SITE + "2023/05/plain/" in theirs
    assert (SITE + "2023/05/caf%C3%A9/" in theirs) == quote_path.startswith("false")
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code in (0, 1), result.output
    out = load_config(feedpub_config).output_dir
    ours = {i.findtext("link") for i in ET.parse(out / "index.xml").iter("item")}
    assert ours <= theirs and SITE + "2023/05/plain/" in ours
    assert (SITE + "2023/05/caf%C3%A9/" in ours) == quote_path.startswith("false")


def _item_links(feed: Path) -> set[str]:
    return {item.findtext("link") or "" for item in ET.parse(feed).iter("item")}


def test_a_base_url_moved_after_init_stops_the_build_until_site_url_follows_it(tmp_path: Path) -> None:
    """The site moved from /blog/ to the host's root after `init`: Hugo's pages, and feedpub's entry links with
    them, followed the new baseURL, while site.url, written once by init, kept the channel's link, the self links,
    the JSON feed_url, robots.txt and the sitemap index at /blog/ (and the guard against a post at /atom.xml looked
    there), with exit 0. The build stops before writing, naming both addresses and what to set; set so, feedpub
    publishes Hugo's address."""
    site = make_site(tmp_path, "", {"a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nx\n"})
    hugo_toml = site / "hugo.toml"
    hugo_toml.write_text(hugo_toml.read_text(encoding="utf-8").replace(SITE, SITE + "blog/"), encoding="utf-8")
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    hugo_toml.write_text(hugo_toml.read_text(encoding="utf-8").replace(SITE + "blog/", SITE), encoding="utf-8")
    shutil.rmtree(site / "public")
    hugo_build(site)
    hugos = _item_links(site / "public" / "index.xml")
    assert hugos == {SITE + "posts/a/"}
    before = {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()}

    result = run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 2
    assert f"site.url is {SITE}blog/ but the Hugo config's baseURL gives {SITE}:" in result.stderr
    assert f'set url = "{SITE}" in [site] of feedpub.toml' in result.stderr
    assert {p: p.read_bytes() for p in (site / "public").rglob("*") if p.is_file()} == before

    config.write_text(config.read_text(encoding="utf-8").replace(f'"{SITE}blog/"', f'"{SITE}"'), encoding="utf-8")
    result = run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 0, result.output
    rss = ET.parse(site / "public" / "index.xml").getroot()
    assert rss.findtext("channel/link") == SITE
    assert _item_links(site / "public" / "index.xml") == hugos
    assert f"Sitemap: {SITE}sitemap-posts.xml" in (site / "public" / "robots.txt").read_text(encoding="utf-8")


def test_a_base_url_that_is_no_address_stops_the_build_without_advising_it_as_site_url(tmp_path: Path) -> None:
    """A baseURL with a port of 99999999 was told as another address, and advised as site.url."""
    site = make_site(tmp_path, "", {"a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nx\n"})
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    (site / "hugo.toml").write_text('baseURL = "https://x.example:99999999/"\ntitle = "T"\n', encoding="utf-8")
    result = run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 2
    assert "the Hugo config's baseURL is https://x.example:99999999/, which is not a valid address" in result.stderr
    assert "set url" not in result.stderr


@pytest.mark.parametrize(
    ("name", "key"),
    [("feeds.html", "output.page"), ("atom.xml", "feeds.atom"), ("sitemap-posts.xml", "sitemap.path")],
)
def test_a_page_the_site_adds_at_one_of_feedpubs_names_stops_the_build(name: str, key: str, tmp_path: Path) -> None:
    """`init` names feedpub's files clear of the site's, but a page added since (`url: /feeds.html`) was replaced
    by feedpub's file at the next build, with exit 0 and no word. Built by the real Hugo, the page stops the build
    before anything is written, naming the file and the setting to change; Hugo's own home RSS, which feedpub's
    takes over by design, is still replaced."""
    site = make_site(tmp_path, "", {"a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nx\n"})
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    hugo_build(site)  # over feedpub's files: its own index.xml among them
    result = run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 0, result.output
    assert b"feedpub" in (site / "public" / "index.xml").read_bytes()

    (site / "content" / "subscribe.md").write_text(f"---\ntitle: Mine\nurl: /{name}\n---\nx\n", encoding="utf-8")
    hugo_build(site)
    page = (site / "public" / name).read_bytes()
    assert page.startswith(b"page Mine")
    result = run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 2
    assert f"public/{name}: the site's own file, served at {SITE}{name}" in result.stderr
    assert f"give {key} another name in feedpub.toml" in result.stderr
    assert (site / "public" / name).read_bytes() == page
    assert b"feedpub" not in (site / "public" / "index.xml").read_bytes()  # nothing written: Hugo's, as it built


@pytest.mark.parametrize(
    ("front", "name"), [("url: /atom.xml", "atom.xml"), ("aliases: [/feeds.html]", "feeds.html")], ids=["url", "alias"]
)
def test_a_post_hugo_writes_at_one_of_feedpubs_names_is_rejected_and_the_file_written_over_its_page(
    front: str, name: str, tmp_path: Path
) -> None:
    """A post is rejected by name at one of feedpub's names; but once Hugo had written its page there (`url:
    /atom.xml`, then `hugo`, then `feedpub build`), the guard for the site's own pages stopped every build with exit
    2: no other post's edit was published, and the site's Atom feed stayed the post's page. With the real Hugo, the
    post (by its url, or an alias, whose redirect page Hugo writes) is rejected, the rest published, and feedpub's
    file written over its page, build after build; a page that is no post still stops the build."""
    site = make_site(tmp_path, "", {"a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nx\n"})
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    evil = site / "content" / "posts" / "evil.md"
    evil.write_text(f"---\ntitle: Evil\ndate: 2024-01-03\n{front}\n---\nx\n", encoding="utf-8")
    atom, taken = site / "public" / "atom.xml", site / "public" / name
    for title in ("A", "A edited"):
        (site / "content" / "posts" / "a.md").write_text(
            f"---\ntitle: {title}\ndate: 2024-01-02\n---\nx\n", encoding="utf-8"
        )
        hugo_build(site)
        assert b"feedpub" not in taken.read_bytes()  # the post's page, or its alias's redirect
        result = run("build", "--config", config, "--now", hugo_oracle.CLOCK)
        assert result.exit_code == 1, result.output
        assert "content/posts/evil.md: its " in result.stderr
        assert f"is where feedpub serves one of its own files ({name})" in result.stderr
        assert b"feedpub" in taken.read_bytes()
        assert f"<title>{title}</title>" in atom.read_text(encoding="utf-8")
        assert "Evil" not in atom.read_text(encoding="utf-8")

    (site / "content" / "mine.md").write_text("---\ntitle: Mine\nurl: /sitemap-posts.xml\n---\nx\n", "utf-8")
    hugo_build(site)
    page = (site / "public" / "sitemap-posts.xml").read_bytes()
    result = run("build", "--config", config, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 2
    assert f"public/sitemap-posts.xml: the site's own file, served at {SITE}sitemap-posts.xml" in result.stderr
    assert (site / "public" / "sitemap-posts.xml").read_bytes() == page
    assert b"feedpub" not in (site / "public" / "index.xml").read_bytes()  # nothing written: Hugo's, as it built


def test_init_says_that_hugos_feeds_without_an_rss_limit_list_every_page(tmp_path: Path) -> None:
    """With no rssLimit (nor services.rss.limit) Hugo 0.111.3 lists every page in its feeds; `init` wrote no
    limit, so feedpub's feeds silently held 20. feeds.limit has no "all": init writes the number it takes, with
    a CHECK THIS saying what Hugo does and how to list every post; a site's own limit is still carried over."""
    pages = {f"p{n:02}.md": f"---\ntitle: P{n}\ndate: 2024-01-{n:02}\n---\nx\n" for n in range(1, 26)}
    site = make_site(tmp_path, "", pages)
    hugo_build(site)
    assert len(_item_links(site / "public" / "index.xml")) == 25
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    text = config.read_text(encoding="utf-8")
    assert "# CHECK THIS: the Hugo config sets no services.rss.limit (rssLimit), so Hugo's feeds list every" in text
    assert load_config(config).feeds.limit == 20
    assert len(_item_links(site / "public" / "index.xml")) == 20

    limited = make_site(tmp_path / "limited", "rssLimit = 30", pages)
    config, result = feedpub_build(limited)
    assert result.exit_code == 0, result.output
    assert "CHECK THIS: the Hugo config sets no" not in config.read_text(encoding="utf-8")
    assert load_config(config).feeds.limit == 30


@pytest.mark.parametrize(
    "config",
    [
        '[services.rss]\nlimit = "1"',
        'rssLimit = "2"',
        "rssLimit = 1.7",
        "rssLimit = 2\n[services.rss]\nlimit = 0",
        "rssLimit = 1\n[services.rss]\nlimit = 3",
    ],
    ids=["limit-text", "rss-limit-text", "rss-limit-float", "limit-zero", "limit-over-rss-limit"],
)
def test_hugos_feed_limit_is_read_as_hugo_reads_it(config: str, tmp_path: Path) -> None:
    """Hugo reads services.rss.limit (else rssLimit) as a number whatever it is written as: `limit = "1"` lists one
    page. init took an integer alone, said the config set no limit, and wrote 20: feedpub's feeds held five."""
    pages = {f"p{n}.md": f"---\ntitle: P{n}\ndate: 2024-01-0{n}\n---\nx\n" for n in range(1, 6)}
    site = make_site(tmp_path, config, pages)
    hugo_build(site)
    hugos = _item_links(site / "public" / "index.xml")
    config_file, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    assert "sets no services.rss.limit" not in config_file.read_text(encoding="utf-8")
    assert _item_links(site / "public" / "index.xml") == hugos
    assert len(hugos) < 5


def test_init_says_that_a_languages_own_feed_limit_is_not_feedpubs(tmp_path: Path) -> None:
    """[languages.ko.services.rss] limit = 3: Hugo's Korean feeds list three pages, its English ones all. feedpub
    has one limit for every language's feeds; init wrote 20 and said nothing of it. It says so now."""
    pages = {
        f"p{n}{suffix}.md": f"---\ntitle: P{n}{suffix}\ndate: 2024-01-0{n}\n---\nx\n"
        for n in range(1, 6)
        for suffix in ("", ".ko")
    }
    site = make_site(tmp_path, TWO_LANGUAGES + "[languages.ko.services.rss]\nlimit = 3", pages)
    hugo_build(site)
    assert len(_item_links(site / "public" / "index.xml")) == 5  # English: the default language
    assert len(_item_links(site / "public" / "ko" / "index.xml")) == 3
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    text = config.read_text(encoding="utf-8")
    assert "# CHECK THIS: [languages.ko] sets its own feed limit: Hugo's ko feeds list the newest 3;" in text
    assert "# feedpub has one limit, this one, for every language's feeds." in text


def test_init_reads_every_folder_of_a_static_dir_list(tmp_path: Path) -> None:
    """`staticDir = ["static1", "static2"]`: Hugo serves both folders' files. init looked at the first alone: a
    feed.json of the second's, which the real Hugo copies to /feed.json, was replaced by feedpub's JSON Feed; and
    images there get no size, which init now says beside static_dir."""
    site = make_site(
        tmp_path, 'staticDir = ["static1", "static2"]', {"a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nx\n"}
    )
    (site / "static1").mkdir()
    (site / "static2").mkdir()
    (site / "static2" / "feed.json").write_text('{"own": true}\n', encoding="utf-8")
    assert "feed.json" in hugo_build(site)
    config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    settings = load_config(config)
    assert settings.feeds.json != "feed.json"
    assert settings.static_dir == (site / "static1").resolve()
    text = config.read_text(encoding="utf-8")
    assert "# CHECK THIS: Hugo's staticDir lists 2 folders; feedpub looks up image sizes in this one only:" in text
    assert "# images in site/static2 get no size" in text


def _dated(day: int, front_matter: str = "", title: str = "") -> str:
    """A page of January `day` 2024 (its title the day's, unless given), with more front matter (YAML)."""
    return f"---\ntitle: {title or f'Day {day}'}\ndate: 2024-01-{day:02}\n{front_matter}---\nx\n"


# Pages with weights as sites write them, and Hugo reads them; every date differs (see _HUGOS_FEEDS).
WEIGHTED_SITES = {
    "weights": {
        "p1.md": _dated(1, "weight: 5\ntags: [x]\n"),
        "p2.md": _dated(2, "weight: 2\ntags: [x]\ncategories: [c]\n"),
        "p3.md": _dated(3, "tags: [x]\n"),
        "p4.md": _dated(4, "weight: -1\ntags: [x]\n"),
        "p5.md": _dated(5, "weight: 0\ncategories: [c]\n"),
        "p6.md": _dated(6, "categories: [c]\n"),
    },
    # cast.ToInt's: text as strconv.ParseInt reads it with base 0 ("010" octal, "1_5"), "4.0" without its zero
    # decimals, a float cut, true 1; what it cannot read is 0, no weight (" 4", "abc", "3.5").
    "weights-as-text": {
        f"p{day}.md": _dated(day, f"weight: {weight}\ntags: [x]\n")
        for day, weight in enumerate(
            ('"3"', '"4.0"', '"010"', '"0x10"', '"abc"', "true", "2.7", '" 4"', '"1_5"', "-2.5", '"3.5"', '"-7"'), 1
        )
    },
    "toml-and-json": {
        "p1.md": "+++\ntitle = 'A'\ndate = 2024-01-01\nweight = 3\ntags = ['x']\n+++\nx\n",
        "p2.md": '{"title": "B", "date": "2024-01-02", "weight": 1.5, "tags": ["x"]}\nx\n',
        "p3.md": _dated(3, "tags: [x]\n"),
    },
    # A section's cascade weighs its pages; a page's own weight wins, 0 too (it has none then).
    "cascade": {
        "p1.md": _dated(1),
        "p2.md": _dated(2, "weight: 9\n"),
        "p3.md": _dated(3, "weight: 10\n"),
        "sub/_index.md": "---\ntitle: Sub\ncascade:\n  weight: 3\n---\n",
        "sub/q1.md": _dated(5, "tags: [x]\n"),
        "sub/q2.md": _dated(6, "weight: 0\ntags: [x]\n"),
        "sub/q3.md": _dated(7, "weight: 20\ntags: [x]\n"),
    },
    # A term's feed lists its pages by their taxonomy's weight first, 0 being a weight like any (a page with none
    # comes before `tags_weight: 1`), then as every list: the page's own weight, then newest first.
    "term-weights": {
        "p1.md": _dated(1, "tags: [x]\ncategories: [c]\ntags_weight: -1\ncategories_weight: 4\n"),
        "p2.md": _dated(2, 'tags: [x]\ncategories: [c]\ntags_weight: "3"\n'),
        "p3.md": _dated(3, "tags: [x]\ncategories: [c]\ntags_weight: 3\nweight: 1\n"),
        "p4.md": _dated(4, "tags: [x, y]\ncategories: [c]\ntags_weight: 3\n"),
        "p5.md": _dated(5, "tags: [x, y]\ncategories: [c]\nTags_Weight: 0\nweight: 7\n"),
        "p6.md": _dated(6, "tags: [y]\ntags_weight: 1\n"),
    },
}


_HUGOS_FEEDS = re.compile(r"(?:ko/)?(?:(?:tags|categories|keywords)/[^/]+/)?index\.xml")  # feedpub's too


def assert_feeds_list_posts_as_hugos(tmp_path: Path, config: str, pages: Mapping[str, str]) -> None:
    """Build `pages` with the real Hugo and with feedpub: the home feeds and the term feeds list the same posts in
    the same order."""
    site = make_site(tmp_path, config, pages)
    names = sorted(name for name in hugo_build(site) if _HUGOS_FEEDS.fullmatch(name))
    assert "index.xml" in names
    hugos = {name: rss_items(site / "public" / name) for name in names}
    feedpub_config, result = feedpub_build(site)
    assert result.exit_code == 0, result.output
    out = load_config(feedpub_config).output_dir
    assert {name: rss_items(out / name) for name in names} == hugos


@pytest.mark.parametrize("limit", ["[services.rss]\nlimit = 3", ""], ids=["limit-3", "no-limit"])
@pytest.mark.parametrize("pages", WEIGHTED_SITES.values(), ids=WEIGHTED_SITES.keys())
def test_feeds_list_weighted_posts_as_hugos_feeds_do(pages: dict[str, str], limit: str, tmp_path: Path) -> None:
    """A Hugo site's pages with a `weight` come first in its feeds, as Hugo lists them: feedpub listed every feed
    newest first, and a limited feed showed other posts than Hugo's (the pinned ones left out)."""
    assert_feeds_list_posts_as_hugos(tmp_path, limit, pages)


def _same_second(title: str, front_matter: str = "", date: str = "2024-01-05T10:00:00Z") -> str:
    """A page dated in the site's busiest second, titled `title` (JSON, as YAML reads it)."""
    return f"---\ntitle: {json.dumps(title)}\ndate: {date}\ntags: [x]\n{front_matter}---\nx\n"


# Pages dated in one second (a bulk import; or one day, without a time): titles of every kind of character, a
# title three files share, a date a fraction of a second later, weights that tie.
SAME_SECOND_PAGES = {
    **{
        f"p{n:02}.md": _same_second(title)
        for n, title in enumerate(
            [
                *("b", "A", "a", "Ä", "10", "9", "B", "_c", "-c", "c", "e", "é", "ﬀ", "ff", "Ab", "aB", "æ", "ae"),
                *("가", "α", "Ø", "ø", "oe", "õ", "ƒ", "ﬁx", "g", "ab ", "áb", "ab", "\u00a0nbsp", "_nb"),
            ]
        )
    },
    "zz.md": _same_second("same"),
    "Same.md": _same_second("same"),
    "sub/aa.md": _same_second("same"),
    "later.md": _same_second("0 later", date="2024-01-05T10:00:00.900Z"),
    "w1.md": _same_second("z", "weight: 2\n"),
    "w2.md": _same_second("Y", "weight: 2\n"),
    "w3.md": _same_second("y", "weight: 1\n"),
    "day-b.md": _same_second("Beta", date="2024-01-03"),
    "day-a.md": _same_second("alpha", date="2024-01-03"),
}


def test_feeds_list_posts_of_one_second_as_hugos_feeds_do(tmp_path: Path) -> None:
    """Hugo lists pages of one weight dated in the same second by title, as Go's collator compares them (punctuation,
    digits, then letters; accents, then case), then by file path: the real order, found with the real program.
    feedpub listed them by URL, and a fraction of a second made a page newer, where Hugo compares whole seconds;
    then compared titles with their white space collapsed ("ab " as "ab"), where Hugo compares them as written."""
    assert_feeds_list_posts_as_hugos(tmp_path, "[services.rss]\nlimit = 60", SAME_SECOND_PAGES)


def test_titles_are_ordered_as_hugos_collator_orders_them() -> None:
    """Orders observed on Hugo 0.111.3 (throwaway sites of pages in one second), as collation.sort_key gives them."""
    from feedpub.read.hugo.collation import ASCII_ORDER, sort_key

    observed = [
        *(f"{char}m" for char in ASCII_ORDER if not char.isalpha()),
        *(f"{case}m" for letter in string.ascii_lowercase for case in (letter, letter.upper())),
    ]
    assert sorted(observed, key=sort_key) == observed
    observed = [
        *[
            "1",
            "①",
            "10",
            "a",
            "A",
            "á",
            "à",
            "ă",
            "â",
            "å",
            "ä",
            "ã",
            "ȧ",
            "ą",
            "ā",
            "ả",
            "a_b",
            "a-b",
            "ab",
            "aB",
            "Ab",
            "áb",
            "Áb",
            "ab-",
            "ac",
            "ác",
            "ae",
            "æ",
            "ɑ",
            "c",
            "ç",
        ]
    ]
    observed += [
        "ff",
        "ﬀ",
        "Ff",
        "ﬁx",
        "ƒ",
        "i",
        "İ",
        "ı",
        "l",
        "ŀ",
        "o",
        "ó",
        "ò",
        "ô",
        "ǒ",
        "ö",
        "ő",
        "õ",
        "ø",
        "Ø",
        "oe",
        "œ",
        "ss",
        "ß",
        "x̌",
        "α",
        "Ω",
        "가",
        "나",
        "字",
        "漢",
    ]
    assert sorted(observed, key=sort_key) == observed


def test_long_titles_are_ordered_without_keys_of_their_length() -> None:
    """Titles of 30,000 characters sort as short ones that differ where they do (a letter, an accent, a case, a
    length), the memory held by their keys bounded: every character's three weights were kept, in a cache of 4096
    keys (60 such titles of one second: 619 MB and 16 s for a build)."""
    from feedpub.read.hugo.collation import sort_key

    long = "x" * 30_000
    titles = {
        f"b{long}": "b",
        f"{long}b": "xb",
        f"{long}a": "xa",
        f"{long}á": "xá",
        f"{long}A": "xA",
        long: "x",
        f"a{long}": "a",
    }
    tracemalloc.start()
    try:
        ordered = sorted(titles, key=sort_key)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [titles[title] for title in ordered] == sorted(titles.values(), key=sort_key)
    assert [titles[title] for title in ordered] == ["a", "b", "x", "xa", "xA", "xá", "xb"]
    assert peak < 200_000  # every weight of every key: 5.8 MB


def test_a_renamed_taxonomys_own_weight_orders_its_term_feeds(tmp_path: Path) -> None:
    """`[taxonomies] tag = "keywords"`: `keywords_weight` orders a keyword's feed, `tags_weight` nothing."""
    pages = {
        "p1.md": _dated(1, "keywords: [x]\nkeywords_weight: -1\n"),
        "p2.md": _dated(2, "keywords: [x]\ntags_weight: -1\n"),
        "p3.md": _dated(3, "keywords: [x]\nkeywords_weight: 1\n"),
    }
    assert_feeds_list_posts_as_hugos(tmp_path, '[taxonomies]\ncategory = "categories"\ntag = "keywords"', pages)


def test_each_languages_feeds_list_its_weighted_posts_as_hugos_do(tmp_path: Path) -> None:
    """Each language's feeds list its own pages by their weights."""
    config = 'defaultContentLanguage = "en"\n[languages.en]\nweight = 1\n[languages.ko]\nweight = 2'
    pages = {
        "a.md": _dated(1, "weight: 2\ntags: [x]\n"),
        "b.md": _dated(2, "tags: [x]\n"),
        "c.md": _dated(3, "weight: 1\ntags: [x]\n"),
        "a.ko.md": _dated(1, "tags: [x]\n"),
        "b.ko.md": _dated(2, "weight: 1\ntags: [x]\ntags_weight: 2\n"),
        "c.ko.md": _dated(3, "tags: [x]\n"),
    }
    assert_feeds_list_posts_as_hugos(tmp_path, config, pages)


def test_sitemaps_are_the_same_with_weights_or_without(tmp_path: Path) -> None:
    """Weights order feeds, not the sitemap: its posts, their order and the home page's lastmod (the newest posts')
    are those of the site without them."""
    pages = WEIGHTED_SITES["weights"]
    unweighted = {name: re.sub(r"(?m)^\w*weight: .*\n", "", text) for name, text in pages.items()}
    assert unweighted != pages
    sitemaps = []
    for folder, site_pages in (("weighted", pages), ("unweighted", unweighted)):
        site = make_site(tmp_path / folder, "[services.rss]\nlimit = 3", site_pages)
        config, result = feedpub_build(site)
        assert result.exit_code == 0, result.output
        out = load_config(config).output_dir
        sitemaps.append({p.name: p.read_bytes() for p in out.glob("sitemap*.xml")})
    assert sitemaps[0]
    assert sitemaps[0] == sitemaps[1]
