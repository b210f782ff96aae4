"""feedpub's Jekyll reader publishes what Jekyll publishes: the same posts, at the same URLs, with jekyll-feed's ids.

Each fixture site under tests/sites/jekyll is migrated as a user would (`feedpub init --from-jekyll`, then
`feedpub build`) and compared with what the real Jekyll 4.3 published: the committed expected.json always, and a
fresh `jekyll build` when jekyll is installed (skipped without it, failing under CI=true). The unit tests below
take their cases from observations of Jekyll (/work/notes/jekyll-behaviour.md, section numbers in the ids).
"""

from __future__ import annotations

import fnmatch
import glob
import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

import feedparser
import jekyll_oracle
import pytest
from conformance import newsboat_items, serve_directory, skip_or_fail
from hypothesis import example, given
from hypothesis import strategies as st

from feedpub.config import load_config
from feedpub.read.jekyll import references, urls
from feedpub.read.jekyll.dates import filename_date, jekyll_date
from feedpub.read.jekyll.site import ScopeGlob, SiteConfig, is_excluded, read_site
from feedpub.read.jekyll.urls import Placeholders, fill_permalink, post_id, slugify
from feedpub.urls import to_uri
from tests.conftest import run

SITES = jekyll_oracle.fixture_sites()
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
# Before every fixture's future posts (2099), after all the others; Jekyll builds at the real time.
NOW = datetime(2030, 1, 1, tzinfo=UTC)
ALL_POSTS = 1000  # a feed limit past every fixture's post count, so every post's id and date can be compared


@dataclass(frozen=True)
class Migrated:
    site: Path  # the copy of the fixture that was migrated
    config: Path
    expected: dict[str, Any]  # what Jekyll published (expected.json)

    @property
    def base(self) -> str:
        config = self.expected["config"]
        return str(config["url"]) + (config["baseurl"] or "")

    @property
    def feed_name(self) -> str:
        return next(iter(self.expected["feeds"]))

    def jekyll_posts(self) -> dict[str, dict[str, Any]]:
        """Jekyll's posts by absolute URL."""
        return {self.base + post["url"]: post for post in self.expected["posts"]}

    def feed_posts(self) -> dict[str, dict[str, Any]]:
        """The posts jekyll-feed lists (`where_exp: "post.draft != true"`), by absolute URL."""
        return {url: post for url, post in self.jekyll_posts().items() if post.get("draft") is not True}

    def entries(self) -> dict[str, ET.Element]:
        """feedpub's Atom entries (at jekyll-feed's path) by link."""
        root = ET.parse(self.site / "_site" / self.feed_name).getroot()
        return {_link(entry): entry for entry in root.findall(f"{ATOM}entry")}


def _link(entry: ET.Element) -> str:
    link = entry.find(f"{ATOM}link")
    assert link is not None
    return link.get("href") or ""


def _text(entry: ET.Element, name: str) -> str:
    element = entry.find(f"{ATOM}{name}")
    assert element is not None and element.text is not None, name
    return element.text


def _entries_by_id(
    migrated: Migrated, built: dict[str, Any], *context: object
) -> tuple[dict[str, ET.Element], dict[str, dict[str, Any]]]:
    """feedpub's Atom entries and jekyll-feed's (from a real build), each by its id, asserted to be the same ids."""
    theirs = {entry["id"]: entry for entry in built["feeds"]["feed.xml"]["entries"]}
    ours = {_text(entry, "id"): entry for entry in migrated.entries().values()}
    assert set(ours) == set(theirs), context
    return ours, theirs


def migrate(name: str, tmp_path: Path, limit: int | None = None) -> Migrated:
    """Copy a fixture site, `feedpub init --from-jekyll` it and `feedpub build`, as a user would."""
    site = tmp_path / name
    shutil.copytree(jekyll_oracle.SITES / name, site, ignore=shutil.ignore_patterns("expected.json"))
    config = init_and_build(site, tmp_path / "config.toml", limit)
    expected = json.loads(jekyll_oracle.expected_file(name).read_text(encoding="utf-8"))
    return Migrated(site, config, expected)


def init_and_build(site: Path, config: Path, limit: int | None = None) -> Path:
    """`feedpub init --from-jekyll` the site into `config`, raise the feed's limit, `feedpub build`; the config."""
    result = run("init", "--from-jekyll", site, "--config", config)
    assert result.exit_code == 0, result.output
    if limit is not None:  # the user raising the feed's limit: every post gets an entry
        text = re.sub(r"(?m)^limit = .*\n", "", config.read_text(encoding="utf-8"))
        config.write_text(text.replace("[feeds]\n", f"[feeds]\nlimit = {limit}\n"), encoding="utf-8")
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    return config


Migrate = Callable[[str, int | None], Migrated]


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Migrate:
    """`migrate`, once per site and limit for the module: the tests that share one only read its outputs."""
    done: dict[tuple[str, int | None], Migrated] = {}

    def get(name: str, limit: int | None = None) -> Migrated:
        if (name, limit) not in done:
            done[name, limit] = migrate(name, tmp_path_factory.mktemp(name), limit)
        return done[name, limit]

    return get


def sitemap_urls(result: Migrated) -> set[str]:
    """The post URLs in feedpub's sitemap (its home page left out)."""
    path = result.site / "_site" / load_config(result.config).sitemap.path
    locs = {loc.text or "" for loc in ET.parse(path).getroot().iter(f"{SITEMAP}loc")}
    return locs - {result.base + "/"}


@pytest.mark.parametrize("site", SITES)
def test_the_posts_jekyll_publishes_at_jekylls_urls(site: str, migrated: Migrate) -> None:
    result = migrated(site, None)
    assert sitemap_urls(result) == set(result.jekyll_posts())


@pytest.mark.parametrize("site", SITES)
def test_atom_entries_are_jekyll_feeds_with_its_ids_and_dates(site: str, migrated: Migrate) -> None:
    result = migrated(site, None)
    entries = result.entries()
    jekyll_entries = {entry["link"]: entry for entry in result.expected["feeds"][result.feed_name]["entries"]}
    # The same posts_limit, the same newest posts, in jekyll-feed's order (ties on date: by path).
    assert list(entries) == list(jekyll_entries)
    for link, entry in entries.items():
        assert _text(entry, "id") == jekyll_entries[link]["id"], link
        published = datetime.fromisoformat(_text(entry, "published"))
        assert published == datetime.fromisoformat(jekyll_entries[link]["published"]), link
        # last_modified_at, read as Jekyll's YAML reads it (unquoted: UTC), and no other key of a post's data.
        # Content where jekyll-feed writes it: not for a post whose `feed: excerpt_only` is true.
        has_content = entry.find(f"{ATOM}content") is not None
        assert has_content == (jekyll_entries[link]["content"] is not None), link
        # Entries of one instant are a second apart in feedpub's <updated> (render: distinct_updated).
        updated = datetime.fromisoformat(_text(entry, "updated"))
        nudge = (updated - datetime.fromisoformat(jekyll_entries[link]["updated"])).total_seconds()
        assert 0 <= nudge < 10, link


@pytest.mark.parametrize("site", SITES)
def test_the_feeds_title_is_jekyll_feeds(site: str, migrated: Migrate) -> None:
    """jekyll-feed writes `site.title | smartify`: curly quotes, dashes and ellipses (classic-blog's title has
    each)."""
    result = migrated(site, None)
    root = ET.parse(result.site / "_site" / result.feed_name).getroot()
    expected = html.unescape(result.expected["feeds"][result.feed_name]["title"])
    assert html.unescape(root.findtext(f"{ATOM}title") or "") == expected


@pytest.mark.parametrize("site", SITES)
def test_every_posts_date_and_id_match_jekyll(site: str, migrated: Migrate) -> None:
    result = migrated(site, ALL_POSTS)
    entries = result.entries()
    posts = result.feed_posts()
    assert set(entries) == set(posts)
    for url, post in posts.items():
        entry = entries[url]
        # Dates: the same instant (Jekyll's are in the site's zone, and so are feedpub's).
        assert datetime.fromisoformat(_text(entry, "published")) == datetime.fromisoformat(post["date"]), url
        # jekyll-feed's id is absolute_url(post.id); spaces and non-ASCII percent-encoded, %XX kept.
        # absolute_url strips its input (a slug's trailing space: test_atom_entries_… compares jekyll-feed's ids).
        expected_id = quote((result.base + post["id"]).rstrip(), safe=":/%!?$&'()*+,;=@~#[]").removesuffix("?")
        assert _text(entry, "id") == expected_id, url
    rss = (result.site / "_site" / "rss.xml").read_text(encoding="utf-8")
    feed = json.loads((result.site / "_site" / "feed.json").read_text(encoding="utf-8"))
    atom_ids = {_text(entry, "id") for entry in entries.values()}
    # RSS guids and JSON Feed ids follow the same choice.
    assert {item["id"] for item in feed["items"]} == atom_ids
    assert set(re.findall(r'<guid isPermaLink="false">([^<]*)</guid>', rss)) == atom_ids


@pytest.mark.parametrize("site", SITES)
def test_no_post_jekyll_skips_is_published(site: str, migrated: Migrate) -> None:
    """Drafts, future posts (without `future: true`), unpublished posts and excluded folders stay out."""
    result = migrated(site, ALL_POSTS)
    published = {post["source"] for post in result.expected["posts"]}
    skipped = [
        path.relative_to(result.site).as_posix()
        for path in sorted(result.site.rglob("*"))
        if path.is_file() and {"_posts", "_drafts"} & set(path.parts) and "_site" not in path.parts
    ]
    skipped = [path for path in skipped if path not in published]
    # Entries' URLs, not their content: a post may show a skipped file's text as Jekyll does (include_relative).
    items = json.loads((result.site / "_site" / "feed.json").read_text(encoding="utf-8"))["items"]
    links = " ".join(item["url"] for item in items) + " " + " ".join(_link(e) for e in result.entries().values())
    for path in skipped:
        stem = Path(path).stem
        slug = stem.split("-", 3)[-1] if re.match(r"\d+-\d+-\d+-", stem) else stem
        assert quote(slug) not in links and slug not in links, path
    assert len(items) == len(result.feed_posts())


@pytest.fixture(scope="module")
def jekyll() -> None:
    try:
        jekyll_oracle.check_installation()
    except jekyll_oracle.JekyllMissing as missing:
        skip_or_fail(str(missing))


@pytest.mark.parametrize("site", SITES)
def test_a_fresh_jekyll_build_publishes_the_same_urls(
    site: str, tmp_path: Path, jekyll: None, migrated: Migrate
) -> None:
    built = jekyll_oracle.build(jekyll_oracle.SITES / site, tmp_path)
    base = built["config"]["url"] + (built["config"]["baseurl"] or "")
    assert sitemap_urls(migrated(site, None)) == {base + post["url"] for post in built["posts"]}


def test_init_names_its_sitemap_beside_jekyll_sitemap_and_leaves_a_project_pages_robots_txt(
    migrated: Migrate,
) -> None:
    result = migrated("project-pages", None)  # its own sitemap.xml and robots.txt, and jekyll-sitemap
    site = load_config(result.config)
    assert site.sitemap.path == "sitemap-posts.xml"
    assert site.title == "Widgetry"  # `name:`, as jekyll-feed's title falls back to it
    assert site.feeds.ids == "jekyll-feed"
    assert not (result.site / "_site" / "sitemap.xml").exists()  # Jekyll's stays Jekyll's to write
    # Served under /widgetry/, where no crawler reads a robots.txt: feedpub writes none (api.ping_outputs).
    assert not (result.site / "_site" / "robots.txt").exists()


def test_ids_url_gives_each_entry_its_url(tmp_path: Path) -> None:
    migrated = migrate("classic-blog", tmp_path)
    migrated.config.write_text(
        migrated.config.read_text(encoding="utf-8").replace('ids = "jekyll-feed"', 'ids = "url"'), encoding="utf-8"
    )
    result = run("build", "--config", migrated.config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    entries = migrated.entries()
    assert entries and all(_text(entry, "id") == link for link, entry in entries.items())
    # The one post whose URL is not its id: a literal permalink.
    assert "https://pacific.example.com/blog/old-url.html" in entries


def test_a_title_with_entities_shows_their_characters(migrated: Migrate) -> None:
    entries = migrated("classic-blog", ALL_POSTS).entries()
    titles = {link: _text(entry, "title") for link, entry in entries.items()}
    edge = titles["https://pacific.example.com/edge%20case/caf%C3%A9/upper/2014/01/01/edge-case.html"]
    assert edge == "Edge\u00a0cases & other \u201cfun\u201d"  # &nbsp; is U+00A0, as in jekyll-feed's title


def test_build_refuses_the_placeholder_url_init_writes(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_posts" / "2024-01-02-hi.md").write_text("---\ntitle: Hi\n---\nHi.\n", encoding="utf-8")
    (site / "_config.yml").write_text("title: No URL yet\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 2
    assert "placeholder" in result.output and "site.url" in result.output
    assert not (site / "_site").exists()
    config.write_text(config.read_text(encoding="utf-8").replace("https://CHANGE-ME.example/", "https://example.org/"))
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0


def test_a_future_post_waits_without_future_and_is_published_with_it(tmp_path: Path) -> None:
    migrated = migrate("classic-blog", tmp_path, limit=ALL_POSTS)
    future = "https://pacific.example.com/2099/01/01/from-the-future.html"
    assert future not in migrated.entries()
    config_yml = migrated.site / "_config.yml"
    config_yml.write_text(config_yml.read_text(encoding="utf-8") + "future: true\n", encoding="utf-8")
    assert run("build", "--config", migrated.config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    assert future in migrated.entries()


# Unit cases, each an observation of Jekyll 4.3.1 (notes section in the id).

LA = ZoneInfo("America/Los_Angeles")
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(
    ("value", "quoted", "zone", "expected"),
    [
        ("2020-03-15 23:30:00", False, SEOUL, "2020-03-16T08:30:00+09:00"),  # a YAML timestamp is UTC
        ("2020-03-15 23:30:00", True, SEOUL, "2020-03-15T23:30:00+09:00"),  # quoted: local
        ("2020-03-15 23:30", False, SEOUL, "2020-03-15T23:30:00+09:00"),  # no seconds: text, local
        ("2020-3-5 1:02:03", False, LA, "2020-03-04T17:02:03-08:00"),  # still a YAML timestamp
        ("2020-03-15 23:30:00 KST", False, LA, "2020-03-15T23:30:00-07:00"),  # unknown zone names are ignored
        ("2013-05-06 02:12:52 +0200", False, LA, "2013-05-05T17:12:52-07:00"),
        ("2016-02-29T23:30:00Z", False, LA, "2016-02-29T15:30:00-08:00"),
        ("2020-03-15", False, SEOUL, "2020-03-15T00:00:00+09:00"),
        ("Sun, 15 Mar 2020 23:30:00 +0000", False, SEOUL, "2020-03-16T08:30:00+09:00"),
        ("March 15, 2020", False, SEOUL, "2020-03-15T00:00:00+09:00"),
        ("15 Mar 2020", False, SEOUL, "2020-03-15T00:00:00+09:00"),
        ("2020/03/15 10:00", False, SEOUL, "2020-03-15T10:00:00+09:00"),
        ("20200315", False, SEOUL, "2020-03-15T00:00:00+09:00"),
        ("2020-03-15 23:30:00.25 +0900", True, SEOUL, "2020-03-15T23:30:00+09:00"),  # fractions are not shown
        ("2020-02-30", True, SEOUL, "2020-03-01T00:00:00+09:00"),  # rolls over, as Ruby's Time does
    ],
    ids=lambda v: str(v) if isinstance(v, str) else None,
)
def test_dates_as_jekyll_reads_them(value: str, quoted: bool, zone: ZoneInfo, expected: str) -> None:
    moment = jekyll_date(value, zone, quoted=quoted)
    assert moment is not None
    assert moment.astimezone(zone).isoformat() == expected


# The date forms Korean and European sites write beside ISO's, with the times, zones and words that follow them.
WRITTEN_DATES = [
    # A zone and no time: Time.parse drops the zone, or reads "+09:00" as a time.
    "2024-05-04 +0900",
    "2024-05-04 UTC",
    "2024-05-04 Z",
    "2024-05-04 -0500",
    "2024-05-04 +09:00",
    "2024-05-04 -10:00",
    "2024-05-04-10:00",
    "2024-05-04+10:00",
    "2024.05.04 +0900",
    "10:00 2024-05-04",
    "10:00:30 2024.05.04",
    "3:00 PM 2024-05-04",
    "10:00 +0900 2024-05-04",
    "10:00 04/05/2024",
    "25:00 2024-05-04",
    # Times and words Time.parse reads beside the patterns' forms (a hostile round's, and what blogs write).
    "2024-05-04 3pm",
    "2024-05-04 3 PM",
    "2024-05-04 12am",
    "2024-05-04 12pm",
    "2024-05-04 10:00 am",
    "May 4, 2024 3pm",
    "2024-05-04 15h30",
    "2024-05-04 15h",
    "2024-05-04 at 10:00",
    "Saturday, May 4, 2024",
    "Sat, 04 May 2024 10:00:00 +0900",
    "Saturday, 4 May 2024 10:00 KST",
    "Thu May 4 2024 10:00",
    "2024-05-04 10:00:00 +09:00 KST",
    "2024-05-04 10:00:00 +0900 (KST)",
    "2024-05-04T +0900",
    "2024-05-04 +09:00:00",
    "2024-05-04 pm",
    "2024-05-04 10시 30분",
    "2024년 5월 4일 10:00",
    "2024-05-04 10:00 GMT+9",
    "2024-05-04 10:00 UTC+09:00",
    # A re-run's forms: "a.m."/"p.m.", a day's ordinal, a zone's long name after the time (JavaScript's
    # toString, Java's [zone], Go's m=+0.5), a lone hour after the date (not "10시"), date(1)'s year last.
    "May 4, 2024 10:30 p.m. -0300",
    "2024-05-04 10:30 P.M.",
    "2024-05-04 3:30p.m.",
    "May 4, 2024, 3:30:15 PM",
    "2024-05-04 0 pm",
    "4th May 2024",
    "1st May 2024",
    "4 May, 2024",
    "at 2024-05-04",
    "2024-05-04 @ 10:30",
    "2024-05-04 T10:00",
    "2024-05-04 10:00 +09",
    "2024-05-04 10:00 +0900 (Korea Standard Time)",
    "2024-05-04 10:00:00 GMT+0900 (Korean Standard Time)",
    "2024-05-04 10:00 Pacific Standard Time",
    "2024-05-04 10:30:00 +09:00 [Asia/Seoul]",
    "2024-05-04 15:30:00.123456789 +0900 KST m=+0.000000001",
    "2024-05-04 15:30:00 -07:00 America/Los_Angeles",
    "2024-05-04 10",
    "2024.05.04 10",
    "2024-05-04 10시",
    "2024-05-04 10 시",
    "2024-05-04 (10)",
    "2024-05-04 at 10",
    "2024.05.04. 10",
    "2024-05-04 10 h 30",
    "Sat May 4 10:00:00 KST 2024",
] + [
    f"{day}{clock}"
    for day in (
        "2024.05.04",
        "2024.5.4",
        "2024. 5. 4.",
        "2024. 05. 04",
        "2024.02.30",
        "2024.5.40",
        "04/05/2024",
        "4/5/2024",
        "13/05/2024",
        "4.5.2024",
        "2024-05-04",
        "2024/5/4",
    )
    for clock in (
        "",
        " 10:00",
        "T10:00",
        " 10:00:30",
        " 3:00 PM",
        " 오후 3:00",
        " 10:00 오후",
        " 10:00 KST",
        " 10:00:00 Asia/Seoul",
        " 10:00:00 +09:00",
        " 10:00 -0500",
        " 10:61",
        " 25:00",
        # Between the date and the time, what Korean blogs write (a Chirpy blog's `2022-06-27. 07:45`).
        ". 10:00",
        ", 10:00",
        "_10:00",
        " - 10:00",
        " 10:00 (KST)",
        ". 10:00:30 +09:00",
    )
]


def test_written_dates_as_jekyll_reads_them(jekyll: None) -> None:
    """Jekyll's own Utils.parse_date (Ruby's Time.parse) on each form, in two zones: feedpub reads the same moment,
    or none (the post rejected) where Jekyll stops the build."""
    script = (
        'require "jekyll"; STDIN.each_line { |l| s = l.chomp; '
        'begin; puts Jekyll::Utils.parse_date(s).iso8601; rescue StandardError; puts "none"; end }'
    )
    for zone in ("Asia/Seoul", "America/Los_Angeles"):
        environment = {**jekyll_oracle._environment(), "TZ": zone}
        ruby = subprocess.run(
            ["ruby", "-e", script],
            input="\n".join(WRITTEN_DATES) + "\n",
            capture_output=True,
            text=True,
            env=environment,
            check=True,
            timeout=120,
        )
        for text, expected in zip(WRITTEN_DATES, ruby.stdout.splitlines(), strict=True):
            moment = jekyll_date(text, ZoneInfo(zone), quoted=True)
            got = "none" if moment is None else moment.isoformat()
            if expected != "none" and moment is not None:
                expected = datetime.fromisoformat(expected).isoformat()
                got = moment.astimezone(datetime.fromisoformat(expected).tzinfo).isoformat()
            assert got == expected, (zone, text)


def test_an_integer_date_is_read_as_its_digits() -> None:
    """Unquoted 20200316 is an integer to YAML; Jekyll read it as 2020-03-16 (probe site, Jekyll 4.3.1)."""
    assert jekyll_date(20200316, SEOUL, quoted=False) == datetime(2020, 3, 16, tzinfo=SEOUL)


@pytest.mark.parametrize("value", [1584315000, "2020-13-01", "next tuesday", "2020-03-15 25:00"])
def test_dates_jekyll_stops_the_build_over(value: object) -> None:
    assert jekyll_date(value, SEOUL, quoted=False) is None


def test_date_values_yaml_already_made() -> None:
    assert jekyll_date(date(2020, 3, 15), SEOUL, quoted=False) == datetime(2020, 3, 15, tzinfo=SEOUL)
    assert jekyll_date(datetime(2020, 3, 15, 23, 30), SEOUL, quoted=False) == datetime(2020, 3, 15, 23, 30, tzinfo=UTC)


def test_file_name_dates() -> None:
    assert filename_date("2019-1-2", LA) == datetime(2019, 1, 2, tzinfo=LA)
    assert filename_date("20-5-6", LA) == datetime(2020, 5, 6, tzinfo=LA)  # §1: a two-digit year
    assert filename_date("2019-13-02", LA) is None


@pytest.mark.parametrize(
    ("text", "default", "pretty"),
    [
        ("Hello World!", "hello-world", "Hello-World!"),
        ("서울 생활", "서울-생활", "서울-생활"),
        ("Café Crème", "café-crème", "Café-Crème"),
        ("Press & Media", "press-media", "Press-&-Media"),
        ("v1.0.0", "v1-0-0", "v1.0.0"),
        ("My_File.Name", "my-file-name", "My_File.Name"),
        ("C++ & C#", "c-c", "C++-&-C"),
        ("emoji 🌸 here", "emoji-here", "emoji-here"),
        ("a/b c?d", "a-b-c-d", "a-b-c-d"),
    ],
)
def test_slugify_modes(text: str, default: str, pretty: str) -> None:
    """§4's table: `default` lowercases and keeps letters and digits; `pretty` (cased) keeps some punctuation."""
    assert slugify(text) == default
    assert slugify(text, "pretty", cased=True) == pretty


@given(st.text(alphabet=st.sampled_from("aZ9٣²한글 \t\u3000-_.#+~@/\\%!,é\u0301ⅫΣ'()&“…🌸"), max_size=24))
@example("2024년 전기차 보조금 '핵심' 정리")
@example("Ünïcode News -- café…")
def test_slugify_words_as_the_character_pass(text: str) -> None:
    """slugify's fast path (words split at ASCII punctuation) gives what the character-by-character pass gives."""
    for mode, keeps in (("default", frozenset[str]()), ("pretty", urls._PRETTY_KEEPS)):
        assert slugify(text, mode, cased=True) == urls._slugified_characters(text, keeps), mode


def _values(**changes: Any) -> Placeholders:
    base: dict[str, Any] = {
        "when": datetime(2022, 1, 31, 23, 59, 58, tzinfo=ZoneInfo("Europe/Berlin")),
        "slug": "Press-Release",
        "name": "2022-01-31-Press-Release",
        "categories": ("news", "Press & Media", "Ünïcode News"),
        "output_ext": ".html",
        "path": "news/_posts/2022-01-31-Press-Release",
        "collection": "posts",
    }
    base.update(changes)
    return Placeholders(**base)


@pytest.mark.parametrize(
    ("template", "values", "expected"),
    [
        (  # §4: collections-defaults' news permalink
            "/news/:slugified_categories/:y_day-:week-:hour:minute:second/:slug:output_ext",
            _values(),
            "/news/news/press-media/%C3%BCn%C3%AFcode-news/031-05-235958/press-release.html",
        ),
        (
            "/:categories/:title/",
            _values(categories=("edge case", "Café", "UPPER")),
            "/edge%20case/caf%C3%A9/upper/Press-Release/",
        ),
        ("/:categories/:title:output_ext", _values(categories=()), "/Press-Release.html"),  # no "//"
        ("/:categories/x", _values(categories=("Travel", "travel")), "/travel/x"),  # lowercased, then deduplicated
        ("/:long_month-:short_month/:long_day-:short_day/", _values(), "/January-Jan/Monday-Mon/"),
        ("/:short_year/:i_month/:i_day/:name.html", _values(), "/22/1/31/2022-01-31-press-release.html"),
        ("/:year/:title:output_ext", _values(slug="My Custom Slug!"), "/2022/My-Custom-Slug!.html"),
        ("/:title", _values(slug="percent%20"), "/percent-20"),
        ("/:title/", _values(slug=""), "/"),
        ("/:collection/:path/", _values(path="desserts/crème-brûlée"), "/posts/desserts/cr%C3%A8me-br%C3%BBl%C3%A9e/"),
        ("/:w_year-W:week-:w_day", _values(when=datetime(2021, 1, 3, tzinfo=UTC)), "/2020-W53-7"),
        ("blog/:title", _values(slug="fm-noslash"), "/blog/fm-noslash"),  # §5: a leading "/" is added
        ("/a/../b/./c", _values(), "/a/b/c"),  # ".." becomes "/", "./" goes, "/"s squeezed
    ],
)
def test_permalink_placeholders(template: str, values: Placeholders, expected: str) -> None:
    assert fill_permalink(template, values) == expected


@given(st.datetimes(min_value=datetime(1000, 1, 1), timezones=st.just(ZoneInfo("Asia/Seoul"))))
@example(datetime(2024, 12, 31, 23, 59, 59, tzinfo=UTC))  # day 366
def test_date_placeholders_are_rubys_zero_padded_numbers(when: datetime) -> None:
    """:year … :y_day as Ruby's strftime writes them, which Python's agrees with from the year 1000 on."""
    template = "/:year/:month/:day/:hour/:minute/:second/:short_year/:y_day/"
    assert fill_permalink(template, _values(when=when)) == when.strftime("/%Y/%m/%d/%H/%M/%S/%y/%j/")


def test_a_year_before_1000_is_padded_as_ruby_pads_it() -> None:
    assert fill_permalink("/:year/:short_year/", _values(when=datetime(999, 1, 2, tzinfo=UTC))) == "/0999/99/"


def test_an_unknown_placeholder_is_refused() -> None:
    with pytest.raises(KeyError, match="nope"):
        fill_permalink("/:nope/", _values())


@pytest.mark.parametrize(
    ("url", "slug", "expected"),
    [
        (
            "/jekyll/update/2013/05/05/welcome-to-jekyll.html",
            "welcome-to-jekyll",
            "/jekyll/update/2013/05/05/welcome-to-jekyll",
        ),
        ("/articles/2017/front-matter-permalink/", "front-matter-permalink", "/articles/2017/front-matter-permalink"),
        ("/blog/old-url.html", "literal-permalink", "/blog/literal-permalink"),
        ("/xmas/", "xmas_special", "/xmas_special"),
        (
            "/release%20notes/2015/03/15/My-Custom-Slug!.html",
            "My Custom Slug!",
            "/release%20notes/2015/03/15/My Custom Slug!",
        ),
    ],
)
def test_post_id_is_the_urls_folder_and_the_raw_slug(url: str, slug: str, expected: str) -> None:
    """§7: jekyll-feed's ids come from post.id, not from the URL."""
    assert post_id(url, slug) == expected


# Edge cases the fixture sites do not have, each checked against a fresh `jekyll build` of a small site.
PROBE_CONFIG = """title: Probe
url: "https://probe.example"
timezone: Asia/Seoul
plugins: [jekyll-feed, jekyll-sitemap]
feed: {posts_limit: 100}
show_drafts: true
defaults:
  - {scope: {path: "*/_posts"}, values: {permalink: "/glob/:title/"}}
  - {scope: {path: "", type: posts}, values: {permalink: "/t/:title/"}}
  - {scope: {path: life, type: posts}, values: {permalink: "/life/:title/"}}
  - {scope: {path: "_posts/2023/**"}, values: {permalink: "/archive/:title/"}}
  - {scope: {path: "/vendor", type: posts}, values: {permalink: "/slash/:title/"}}
  - {scope: {path: "/notes/*"}, values: {permalink: "/slash-glob/:title/"}}
  - {scope: {path: "**/**/**/**/**/**/**/lifestyle"}, values: {permalink: "/descents/:title/"}}
"""
# The last two scopes begin with "/": Jekyll compares a document's path (no "/") with the scope as written, so
# they match nothing (only its precedence rule strips the "/").
PROBE_POSTS = {
    "_posts/2020-01-02-published-zero.md": "published: 0",  # only false and null are false to Ruby
    "_posts/2020-01-03-published-null.md": "published:",
    "_posts/2020-01-04-month-name.md": "date: March 15, 2020",
    "_posts/2020-01-05-rfc-2822.md": "date: Sun, 15 Mar 2020 23:30:00 +0000",
    "_posts/2020-01-06-integer.md": "date: 20200316",
    "_posts/2020-01-07-fraction.md": "date: 2020-03-15 23:30:00.5 +0900",
    "_posts/2020-01-08-roll-over.md": "date: 2020-02-30",
    "_posts/2020-01-09-named-zone.md": "date: 2020-03-15 23:30:00 KST",
    "_posts/2020-01-10-us-zone.md": "date: 2020-03-15 23:30:00 EST",
    "_posts/2020-01-11-slashes.md": "date: 2020/03/15 10:00",
    "_posts/_underscore/2020-02-02-under.md": "title: under",
    "_posts/2023/2023-05-01-archived.md": "title: archived",  # in the "_posts/2023/**" scope
    "_posts/2023-12-24-beside.md": "title: beside",  # beside the folder: not in it (Ruby's glob)
    "life/_posts/2020-03-01-life.md": "title: life",  # the longer glob scope beats the later `life` set
    "lifestyle/_posts/2020-03-02-style.md": "title: style",
    "vendor/_posts/2020-03-03-vendor.md": "title: vendor",
    "notes/sub/_posts/2020-03-04-deep.md": "categories: [A, a, 'B c']",
    "_posts/2020-04-01-kramdown-extension.mkd": "title: mkd",
    "_posts/2020-04-02-dates.md": "permalink: /:year/:i_month/:short_month/:week/:w_year:w_day/:slug-:name",
    "_posts/2020-04-03-q?x.md": "title: q",
    "_posts/2020-04-04-hash#x.md": "title: hash",
    "_posts/2020-04-05-brackets.md": 'slug: "a [b] c%20d"',
    "_posts/2020-04-08-fragment.md": 'permalink: "/p/:title/#frag"',  # a "#" in the path Jekyll writes: %23
    "_posts/2020-04-06-text.txt": "title: text",
    "_posts/README.md": "title: not a post",
    "_drafts/a-draft.md": "title: a draft",  # show_drafts: dated by the file's time
    "life/_drafts/draft-in-life.md": "title: another draft",
}


def test_edge_cases_publish_as_a_fresh_jekyll_build_does(tmp_path: Path, jekyll: None) -> None:
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    (site / "_config.yml").write_text(PROBE_CONFIG, encoding="utf-8")
    for name, front_matter in PROBE_POSTS.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(f"---\n{front_matter}\n---\nThe body of {name}.\n", encoding="utf-8")
    built = jekyll_oracle.build(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    probe = Migrated(site, config, built)
    # jekyll-feed links a permalink's literal "#" as written, a link to the page before it; the page is served
    # where "#" is %23 (as jekyll-sitemap writes it), and feedpub links it there. The ids are jekyll-feed's.
    jekyll_entries = {entry["link"].replace("#", "%23"): entry for entry in built["feeds"]["feed.xml"]["entries"]}
    entries = probe.entries()
    # All but published-null, _underscore/ and README.md.
    assert len(jekyll_entries) == len(PROBE_POSTS) - 3
    assert set(entries) == set(jekyll_entries)
    for link, entry in entries.items():
        assert _text(entry, "id") == jekyll_entries[link]["id"], link
        assert _text(entry, "published") == jekyll_entries[link]["published"], link


# A site as `jekyll new` and real users leave it: no `timezone` (Jekyll takes the machine's), a `url` ending in
# "/" (jekyll-feed's ids then hold "//"), category defaults, and the odd file names and permalinks of the audit.
MACHINE_ZONE_CONFIG = """title: Machine zone
url: "https://probe.example/"
plugins: [jekyll-feed, jekyll-sitemap]
feed: {posts_limit: 100}
show_drafts: true
exclude: [/legacy]
defaults:
  - {scope: {path: "", type: posts}, values: {categories: [blog]}}
"""
MACHINE_ZONE_POSTS = {
    "_posts/2024-03-10-welcome-to-jekyll.markdown": "date: 2024-03-10 08:15:00 +0900\ncategories: jekyll update",
    "_posts/2021-01-01-union.md": "categories: [news]",
    "_posts/2021-01-02-empty-list.md": "categories: []",
    "_posts/2021-01-03-null.md": "categories:",
    "_posts/2021-01-04-singular.md": "category: Dev Notes\ncategories: [a]",
    "_posts/#scratch/2020-07-01-hash-folder.md": "title: hash folder",
    "_posts/2021/_old/2020-06-01-nested-underscore.md": "title: nested underscore",
    "legacy/_posts/2019-01-01-legacy.md": "title: legacy",
    "_drafts/2021-03-03-dated-draft.md": "title: dated draft",
    "_posts/2021-05-05-literal.md": 'permalink: "/notes/100%-done/"',
    "_posts/2021-05-06-space.md": 'permalink: "/notes/my post.html"',
    "_posts/2021-05-07-hangul.md": "permalink: /블로그/첫-글/",
    "_posts/2021-05-08-path.md": "permalink: /p/:path/",
    "_posts/2021-05-09-draft-flag.md": "draft: true",  # in Debian's jekyll-feed and jekyll-sitemap both
    "_posts/2021-05-10-compat-ｆｕｌｌ.md": "title: full width",  # jekyll-feed's ids are NFKC
    "_posts/2020-03-15-late.md": 'date: "2020-03-15 11:30 PM"\npermalink: /t/:year/:month/:day/:hour/:minute/:title/',
    "_posts/2020-03-16-late-utc.md": 'date: "2020-03-15 10:00 PM +0000"\npermalink: /t/:year/:month/:day/:hour/:title/',
    "_posts/2020-03-17-midnight.md": 'date: "2020-03-17 12:05 am"\npermalink: /t/:year/:month/:day/:hour/:title/',
}


def test_a_site_without_timezone_publishes_as_jekyll_does_on_this_machine(
    tmp_path: Path, jekyll: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "Asia/Seoul")  # the machine's zone, for Jekyll and for `init`
    posts = {name: f"---\n{front}\n---\nThe body of {name}.\n" for name, front in MACHINE_ZONE_POSTS.items()}
    # YAML's document end closes the front matter too.
    posts["_posts/2021-04-04-dots-close.md"] = "---\ntitle: Closed with dots\ncategories: dots\n...\nBody.\n"
    site, config, built = _probe(tmp_path, MACHINE_ZONE_CONFIG, posts)
    assert 'timezone = "local"' in config.read_text(encoding="utf-8")
    migrated = Migrated(site, config, built)
    # The served URLs (Jekyll's post.url, encoded as a browser asks for them) are the sitemap's.
    served = {to_uri("https://probe.example" + post["url"]) for post in built["posts"]}
    assert sitemap_urls(migrated) - {"https://probe.example/"} == served
    # Each entry keeps jekyll-feed's id and date.
    entries, jekyll_entries = _entries_by_id(migrated, built)
    for entry_id, entry in entries.items():
        assert _text(entry, "published") == jekyll_entries[entry_id]["published"], entry_id


def test_the_feeds_own_id_is_jekyll_feeds_where_url_ends_in_a_slash(tmp_path: Path, jekyll: None) -> None:
    """jekyll-feed's feed id is absolute_url(page.url), as its entries' are: `url: "https://Probe.example/"` with
    `baseurl: /blog/` gives https://probe.example//blog/feed.xml. feedpub kept the entries' ids and gave the feed
    its address: a reader that knows a feed by its id took it for another. Its self link stays the address; under
    `ids = "url"` the id is the address too, in a whole build and in one that renders an edited post alone."""
    config_yml = 'title: P\nurl: "https://Probe.example/"\nbaseurl: /blog/\nplugins: [jekyll-feed]\n'
    config_yml += "feed: {categories: [news]}\n"
    posts = {"_posts/2024-01-01-a.md": "---\ntitle: A\ncategories: [news]\n---\nA.\n"}
    site, config, built = _probe(tmp_path, config_yml, posts)
    theirs = built["feeds"]["feed.xml"]
    assert theirs["id"] == "https://probe.example//blog/feed.xml"

    def feed(name: str) -> tuple[str, str | None, str]:
        root = ET.parse(site / "_site" / name).getroot()
        links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
        return _text(root, "id"), links["self"], _text(root.find(f"{ATOM}entry"), "id")  # type: ignore[arg-type]

    address = "https://probe.example/blog/feed.xml"
    entry_id = theirs["entries"][0]["id"]
    assert feed("feed.xml") == (theirs["id"], address, entry_id)
    assert feed("categories/news/feed.xml")[0] == "https://probe.example//blog/categories/news/feed.xml"
    (site / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: A\ncategories: [news]\n---\nEdited.\n")
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    assert feed("feed.xml") == (theirs["id"], address, entry_id)
    text = config.read_text(encoding="utf-8").replace('ids = "jekyll-feed"', 'ids = "url"')
    config.write_text(text, encoding="utf-8")
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    assert feed("feed.xml") == (address, address, "https://probe.example/blog/news/2024/01/01/a.html")


# Chirpy's posts name their images relative to `media_subpath` (`img_path` before Chirpy 7), which its pages put
# before them, after the site's `cdn` (`img_cdn`), every "//" made one: as its media-url.html (img-url.html) does.
CHIRPY_MEDIA_POSTS = {
    "_posts/2024-01-01-string.md": "media_subpath: /assets/img/p1\nimage: cover.png",
    "_posts/2024-01-02-mapping.md": 'media_subpath: "/assets/img/p2/"\nimage: {path: cover.png, alt: Cover}',
    "_posts/2024-01-03-doubled.md": "media_subpath: /assets/img/p1\nimage: /assets/img/p1/cover.png",
    "_posts/2024-01-04-body.md": "media_subpath: /assets/img/p4",
    "_posts/2024-01-05-old-chirpy.md": "img_path: /assets/img/p1\nimage: cover.png",
    "_posts/2024-01-06-plain.md": "image: /assets/img/p1/cover.png",
}


def test_a_chirpy_posts_images_are_where_its_pages_show_them_or_left_out(tmp_path: Path, jekyll: None) -> None:
    """feedpub took a post's `image: cover.png` for the site path /cover.png, and its body's `inline.png` for one
    beside the post: the sitemap's image and the entry's enclosure 404ed. Now each is where Chirpy's page shows it,
    a file Jekyll published (or the CDN's URL); one whose place is no file (Chirpy puts the subpath before a path
    from the root too) is left out, rather than named at a 404."""
    config_yml = "title: C\nurl: https://chirpy.example\nplugins: [jekyll-feed]\nimg_cdn: https://cdn.example/\n"
    posts = {name: f"---\ntitle: {name[17:-3]}\n{front}\n---\n" for name, front in CHIRPY_MEDIA_POSTS.items()}
    posts["_posts/2024-01-04-body.md"] += "Intro.\n\n![inline](inline.png)\n"
    for folder, name in (("p1", "cover.png"), ("p2", "cover.png"), ("p4", "inline.png")):
        posts[f"assets/img/{folder}/{name}"] = "not really a PNG"
    site, config, built = _probe(tmp_path, config_yml, posts)
    sitemap = ET.parse(site / "_site" / load_config(config).sitemap.path).getroot()
    images = {
        _loc_text(url): [_loc_text(image) for image in url.findall(f"{SITEMAP_IMAGE}image")]
        for url in sitemap.findall(f"{SITEMAP}url")
    }
    enclosures = {
        link: [e.get("href") for e in entry.findall(f"{ATOM}link") if e.get("rel") == "enclosure"]
        for link, entry in Migrated(site, config, built).entries().items()
    }
    base = "https://chirpy.example/2024/01/"
    expected = {
        f"{base}01/string.html": "https://chirpy.example/assets/img/p1/cover.png",
        f"{base}02/mapping.html": "https://chirpy.example/assets/img/p2/cover.png",
        f"{base}03/doubled.html": None,  # its page shows /assets/img/p1/assets/img/p1/cover.png, no file
        f"{base}04/body.html": "https://chirpy.example/assets/img/p4/inline.png",
        f"{base}05/old-chirpy.html": "https://cdn.example/assets/img/p1/cover.png",
        f"{base}06/plain.html": "https://chirpy.example/assets/img/p1/cover.png",
    }
    for page, image in expected.items():
        assert images[page] == ([image] if image else []), page
        # An enclosure only for a file whose size is known: the CDN's is not.
        assert enclosures[page] == ([image] if image and "cdn." not in image else []), page
        if image and "cdn." not in image:
            assert image.removeprefix("https://chirpy.example/") in built["files"], image


SITEMAP_IMAGE = "{http://www.google.com/schemas/sitemap-image/1.1}"


def _loc_text(element: ET.Element) -> str:
    loc = element.find(f"{SITEMAP}loc")
    if loc is None:
        loc = element.find(f"{SITEMAP_IMAGE}loc")
    assert loc is not None and loc.text is not None
    return loc.text


def test_a_site_without_timezone_follows_the_zone_of_the_machine_that_builds_not_the_one_that_ran_init(
    tmp_path: Path, jekyll: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`init` ran on a laptop in Seoul wrote its zone: on a UTC runner, Jekyll served a post dated 08:00 +0900 at
    /2024/01/01/, feedpub linked /2024/01/02/ (a 404), with other ids, and dateless posts nine hours off. Each build,
    into the same site (its cache kept), in the zone TZ gives it, as Jekyll's."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    posts = {
        "_config.yml": 'title: Z\nurl: "https://z.example"\nplugins: [jekyll-feed, jekyll-sitemap]\n',
        "_posts/2024-01-02-morning.md": "---\ntitle: Morning\ndate: 2024-01-02 08:00:00 +0900\n---\nA.\n",
        "_posts/2024-01-05-dateless.md": "---\ntitle: Dateless\n---\nB.\n",
        "_posts/2024-01-06-quoted.md": '---\ntitle: Quoted\ndate: "2024-01-06 23:30"\n---\nC.\n',
    }
    jekyll_oracle.write_files(site, posts)
    config = tmp_path / "config.toml"
    monkeypatch.setenv("TZ", "Asia/Seoul")
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    for zone in ("UTC", "America/Los_Angeles", "Asia/Seoul"):
        monkeypatch.setenv("TZ", zone)
        built = jekyll_oracle.build(site, tmp_path / zone.replace("/", "-"))
        result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
        assert result.exit_code == 0, result.output
        migrated = Migrated(site, config, built)
        served = {to_uri("https://z.example" + post["url"]) for post in built["posts"]}
        assert len(served) == 3
        assert sitemap_urls(migrated) - {"https://z.example/"} == served, zone
        entries, jekyll_entries = _entries_by_id(migrated, built, zone)
        for entry_id, entry in entries.items():
            assert _text(entry, "published") == jekyll_entries[entry_id]["published"], (zone, entry_id)


def test_a_tz_that_names_no_zone_stops_a_local_zone_site_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    jekyll_oracle.write_files(site, {"_config.yml": 'title: Z\nurl: "https://z.example"\n', "_posts/.keep": ""})
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    for written, zone in (("", "UTC"), (":Asia/Seoul", "Asia/Seoul"), ("/usr/share/zoneinfo/Asia/Tokyo", "Asia/Tokyo")):
        monkeypatch.setenv("TZ", written)
        assert load_config(config).timezone == ZoneInfo(zone), written
    monkeypatch.setenv("TZ", "KST-9")  # a POSIX rule, which the zone database cannot read
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 2
    assert "TZ environment variable ('KST-9') names no IANA time zone" in result.output


# Times a change of offset skips or repeats in a zone: written in front matter (unquoted without seconds, or quoted,
# Time.parse reads them in the site's zone), as a date alone, or only in the file's name (None).
DST_DATES = {
    "America/New_York": ["2024-03-10 02:15", "2024-11-03 01:15", "'2024-11-03 01:45:00'"],
    "Europe/Berlin": ["2024-03-31 02:30", "2024-10-27 02:30"],
    "Australia/Sydney": ["2024-10-06 02:30", "2024-04-07 02:30"],
    "America/Santiago": ["2024-09-08", None, "2024-04-06 23:30"],  # Chile's changes are at midnight
}


@pytest.mark.parametrize(("zone", "in_config"), [(zone, True) for zone in DST_DATES] + [("America/Santiago", False)])
def test_times_a_change_of_offset_skips_or_repeats_are_read_as_jekyll_reads_them(
    zone: str, in_config: bool, tmp_path: Path, jekyll: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ruby places a time of a spring-forward gap an hour on (02:15 is 03:15 -04:00 in New York: Jekyll's :hour is
    03) and a time an autumn change repeats at its later, standard-time moment (01:15 -05:00). feedpub kept 02:15
    (a 404 with an :hour permalink) and wrote 01:15 -04:00. The site's zone from `timezone:` or the machine's."""
    monkeypatch.setenv("TZ", "UTC" if in_config else zone)  # the machine's zone, for Jekyll and for `init`
    config_yml = (
        'title: D\nurl: "https://d.example"\nplugins: [jekyll-feed, jekyll-sitemap]\n'
        f"permalink: /:year/:month/:day/:hour:minute/:title/\n{f'timezone: {zone}' if in_config else ''}\n"
    )
    posts = {}
    for number, written in enumerate(DST_DATES[zone]):
        day = (written or "2024-09-08").strip("'")[:10]
        front = f"title: P{number}" + (f"\ndate: {written}" if written else "")
        # Liquid's `date` reads a text as Time.parse does: the same rule.
        body = f'{{{{ "{(written or day).strip(chr(39))}" | date: "%H:%M %z" }}}}'
        posts[f"_posts/{day}-p{number}.md"] = f"---\n{front}\n---\n{body}\n"
    site, config, built = _probe(tmp_path, config_yml, posts)
    served = {to_uri("https://d.example" + post["url"]) for post in built["posts"]}
    assert len(served) == len(posts)
    migrated = Migrated(site, config, built)
    assert sitemap_urls(migrated) == served
    entries, jekyll_entries = _entries_by_id(migrated, built)
    for entry_id, entry in entries.items():
        assert _text(entry, "published") == jekyll_entries[entry_id]["published"], entry_id
        assert _text(entry, "content").strip() == jekyll_entries[entry_id]["content"].strip(), entry_id


# Categories and tags as real sites write them (minimal-mistakes' Korean posts: `tags:\n  - [study, Markdown]`):
# nested lists, a singular `tag` that is one text, a number.
NESTED_TERMS = {
    "_posts/2025-01-01-nested-tags.md": "categories:\n  - Markdown\ntags:\n  - [study, Markdown]",
    "_posts/2025-01-02-nested-categories.md": "categories:\n  - [Blog, Jekyll]\ntags: [a]",
    "_posts/2025-01-03-deeper.md": 'categories: [news, [블로그, 2024, "say \\"hi\\""]]\ntags: [x, [y, [z]]]',
    "_posts/2025-01-04-singular-tag.md": "tag: two words\ncategories: [[a, b], c]\ncategory: solo",
    "_posts/2025-01-05-number-tags.md": "tags: 2024\ncategories: [1.5, true]",
    "folder/_posts/2025-01-06-under-a-folder.md": "categories: [[x, y]]",
    "_posts/2025-01-07-hashed.md": "categories:\n  - {k: v}",  # Ruby's inspect of a mapping
    "_posts/2025-01-08-pairs.md": "categories: !!pairs [{b: 1}, {a: 2}]",  # Psych's list of one-key mappings
}


def test_nested_categories_and_tags_publish_as_jekyll_does(tmp_path: Path, jekyll: None) -> None:
    """A nested list of categories is one category written as Ruby inspects it, and its items are categories too:
    Jekyll serves such a post at /["blog", "jekyll"]/blog/jekyll/x/ (feedpub linked /blog%20jekyll/x/, a 404); tags
    are flattened (jekyll-feed writes `study` and `Markdown`, not one tag `study Markdown`)."""
    config_yml = 'title: Terms\nurl: "https://terms.example"\nplugins: [jekyll-feed]\npermalink: /:categories/:title/\n'
    posts = {name: f"---\ntitle: {name}\n{front}\n---\nBody.\n" for name, front in NESTED_TERMS.items()}
    site, config, built = _probe(tmp_path, config_yml, posts)
    migrated = Migrated(site, config, built)
    served = {to_uri("https://terms.example" + post["url"]) for post in built["posts"]}
    assert len(served) == len(NESTED_TERMS)
    assert sitemap_urls(migrated) - {"https://terms.example/"} == served
    entries, jekyll_entries = _entries_by_id(migrated, built)
    for entry_id, entry in entries.items():
        terms = {category.get("term") for category in entry.iter(f"{ATOM}category")}
        assert terms == set(jekyll_entries[entry_id]["categories"]), entry_id


def test_jekyll_feed_ids_under_an_upper_case_host_with_its_default_port(tmp_path: Path, jekyll: None) -> None:
    config_yml = 'title: Host\nurl: "https://Probe.EXAMPLE:443"\nbaseurl: "blog/"\nplugins: [jekyll-feed]\n'
    posts = {"_posts/2021-01-01-hello.md": "---\ntitle: Hello\n---\nHi.\n"}
    site, config, built = _probe(tmp_path, config_yml, posts)
    entries = Migrated(site, config, built).entries().values()
    assert [_text(e, "id") for e in entries] == [e["id"] for e in built["feeds"]["feed.xml"]["entries"]]


def test_excerpt_separators_give_jekyll_feeds_summaries(tmp_path: Path, jekyll: None) -> None:
    """`excerpt_separator` (the site's, a post's own): the text before it, or the whole post when it has none."""
    config_yml = 'title: X\nurl: "https://x.example"\nplugins: [jekyll-feed]\nexcerpt_separator: "<!--more-->"\n'
    posts = {
        "_posts/2021-01-01-marked.md": "---\ntitle: Marked\n---\nFirst part.\n\nSecond part.\n<!--more-->\nThe rest.\n",
        "_posts/2021-01-02-unmarked.md": "---\ntitle: Unmarked\n---\nOne paragraph.\n\nAnother paragraph.\n",
        "_posts/2021-01-03-own.md": (
            "---\ntitle: Own\nexcerpt_separator: <!-- cut -->\n---\nBefore the cut.\n<!-- cut -->\nAfter.\n"
        ),
        # The reference definitions after the separator that the excerpt uses, and no other (a chat log's lines
        # in a code block below were taken, and one that is no definition showed in the summary).
        "_posts/2021-01-04-references.md": (
            "---\ntitle: References\n---\nSee [the docs][d] and [src].\n<!--more-->\n[d]: https://x.example/d\n"
            "[src]: https://x.example/s\n\n```\n[user]: hello\n[root_agent]: Hello! How can I help today?\n```\n"
        ),
    }
    summaries, expected = _summaries_of_jekyll_and_feedpub(tmp_path, config_yml, posts)
    assert summaries == expected
    assert summaries["Unmarked"] == "One paragraph. Another paragraph."


def test_a_post_with_windows_line_ends_gives_jekyll_feeds_summary(tmp_path: Path, jekyll: None) -> None:
    """Jekyll cuts the excerpt from the post's text as written: saved with Windows line ends, it has no "\\n\\n" and
    the summary is the whole post (feedpub's was its first paragraph); a separator of the post's own still cuts."""
    config_yml = 'title: W\nurl: "https://w.example"\nplugins: [jekyll-feed]\n'
    posts = {
        "_posts/2021-01-01-windows.md": "---\r\ntitle: Windows\r\n---\r\nPara one\r\n\r\nPara two\r\n",
        "_posts/2021-01-02-marked.md": (
            "---\r\ntitle: Marked\r\nexcerpt_separator: <!--more-->\r\n---\r\nOne\r\n\r\nTwo\r\n<!--more-->\r\nRest\r\n"
        ),
        "_posts/2021-01-03-mixed.md": "---\ntitle: Mixed\n---\nOne\r\n\nTwo\n\nThree\n",
        "_posts/2021-01-04-mixed-again.md": "---\ntitle: Mixed again\n---\nOne\r\n\r\nTwo\n\nThree\rFour\n",
    }
    summaries, expected = _summaries_of_jekyll_and_feedpub(tmp_path, config_yml, posts)
    assert summaries == expected
    assert summaries["Windows"] == "Para one Para two"


def test_summaries_are_jekyll_feeds_whole(tmp_path: Path, jekyll: None) -> None:
    """jekyll-feed writes a post's description or excerpt whole (`strip_html | normalize_whitespace`); feedpub cut
    each to excerpt_length, 300 characters, with "…": a long first paragraph, a teaser of two paragraphs, an SEO
    description, a Korean post written without blank lines."""
    long_paragraph = " ".join(f"Sentence {n} of a long first paragraph, as blog posts open." for n in range(12))
    korean = "".join(f"{n}번째 문장은 빈 줄 없이 이어지는 한국어 글입니다. " for n in range(30))
    config_yml = 'title: L\nurl: "https://l.example"\nplugins: [jekyll-feed]\n'
    posts = {
        "_posts/2023-01-01-long.md": f"---\ntitle: Long\n---\n{long_paragraph}\n\nThe rest.\n",
        "_posts/2023-01-02-teaser.md": (
            f"---\ntitle: Teaser\nexcerpt_separator: <!--more-->\n---\n{long_paragraph}\n\nMore of it.\n"
            "<!--more-->\nThe rest.\n"
        ),
        "_posts/2023-01-03-description.md": f"---\ntitle: Description\ndescription: {long_paragraph}\n---\nBody.\n",
        "_posts/2023-01-04-korean.md": f"---\ntitle: Korean\n---\n{korean}\n",
    }
    summaries, expected = _summaries_of_jekyll_and_feedpub(tmp_path, config_yml, posts)
    assert summaries == expected
    assert all(len(summary) > 600 for summary in summaries.values())


def test_a_summary_shows_the_urls_of_post_url_and_link_as_jekyll_feed_does(tmp_path: Path, jekyll: None) -> None:
    """`{% post_url %}` and `{% link %}` write their URL in the excerpt as on the page: feedpub's summary, read
    before the other posts were known, lost them ("See and and /x/." for "See /2026/01/01/a.html and /about/ and
    /x/."); a link around one keeps its text in both."""
    config_yml = 'title: T\nurl: "https://me.example.com"\nplugins: [jekyll-feed]\ntimezone: UTC\n'
    posts = {
        "_posts/2026-01-01-a.md": "---\ntitle: a\n---\nFirst.\n",
        "_posts/2026-01-02-b.md": (
            "---\ntitle: b\n---\n"
            'See {% post_url 2026-01-01-a %} and {% link about.md %} and {{ "/x/" | relative_url }}.\n'
        ),
        "_posts/2026-01-03-c.md": "---\ntitle: c\n---\nRead [the first]({% post_url 2026-01-01-a %}) again.\n",
        "about.md": "---\ntitle: about\npermalink: /about/\n---\nabout\n",
    }
    summaries, expected = _summaries_of_jekyll_and_feedpub(tmp_path, config_yml, posts)
    assert summaries == expected
    assert summaries["b"] == "See /2026/01/01/a.html and /about/ and /x/."
    assert summaries["c"] == "Read the first again."


def _summaries_of_jekyll_and_feedpub(
    tmp_path: Path, config_yml: str, posts: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """Each post's summary by title, white space collapsed: feedpub's, and jekyll-feed's from a real build."""
    site, config, built = _probe(tmp_path, config_yml, posts)
    ours = {
        _text(e, "title"): " ".join(_text(e, "summary").split())
        for e in Migrated(site, config, built).entries().values()
    }
    return ours, {e["title"]: " ".join((e["summary"] or "").split()) for e in built["feeds"]["feed.xml"]["entries"]}


def test_ordered_maps_and_pairs_are_read_as_psych_reads_them(tmp_path: Path, jekyll: None) -> None:
    """Psych reads `!!omap` as a mapping (Psych::Omap is a Hash) and `!!pairs` as a list of one-key mappings, where
    PyYAML made lists of tuples: `{{ page.links.home }}` printed nothing where Jekyll prints the link (and a category
    of pairs made a URL of Python's repr: test_nested_categories_and_tags_publish_as_jekyll_does)."""
    config_yml = 'title: X\nurl: "https://x.example"\nplugins: [jekyll-feed]\n'
    front = "links: !!omap [{home: /h/}, {about: /a/}]\nsteps: !!pairs [{first: one}, {second: two}]"
    body = "{{ page.links.home }} {{ page.links.about }} {{ page.steps[1].second }}"
    posts = {"_posts/2024-01-01-maps.md": f"---\ntitle: Maps\n{front}\n---\n{body}\n"}
    ours, jekylls = _summaries_of_jekyll_and_feedpub(tmp_path, config_yml, posts)
    assert ours == jekylls == {"Maps": "/h/ /a/ two"}


def test_an_excerpt_cut_inside_a_liquid_block_is_closed_as_jekyll_closes_it(tmp_path: Path, jekyll: None) -> None:
    """A blank line (or `<!--more-->`) inside `{% raw %}`, `{% if %}` or `{% capture %}` cuts the excerpt inside the
    block: Jekyll ends each block the excerpt leaves open ("Excerpt modified") and publishes the post. feedpub
    rejected it, "a 'raw' tag never closed", which stopped its feed too."""
    config_yml = 'title: X\nurl: "https://x.example"\nplugins: [jekyll-feed]\n'
    posts = {
        "_posts/2021-02-05-raw.md": (
            "---\ntitle: Raw\n---\n{% raw %}\n{{ page.title }}\n\n{% for p in site.posts %}{% endfor %}\n"
            "{% endraw %}\n\nExplained above.\n"
        ),
        "_posts/2021-02-06-more-in-if.md": (
            "---\ntitle: More in if\nexcerpt_separator: <!--more-->\n---\n{% if page.title %}Shown {{ page.title }}."
            "\n<!--more-->\nThe rest.{% endif %}\n"
        ),
        "_posts/2021-02-07-nested.md": (
            "---\ntitle: Nested\n---\n{%- for i in (1..2) -%}{% if i == 1 %}one {{ i }}\n\n{% endif %}{% endfor %}\n"
        ),
        "_posts/2021-02-08-capture.md": (
            "---\ntitle: Capture\n---\nLead {% capture x %}captured\n\ntext{% endcapture %}{{ x }} after.\n"
        ),
    }
    summaries, expected = _summaries_of_jekyll_and_feedpub(tmp_path, config_yml, posts)
    assert summaries == expected
    assert summaries["Raw"] == "{{ page.title }}"


def _probe(
    tmp_path: Path, config_yml: str, posts: dict[str, str], links: dict[str, str] | None = None
) -> tuple[Path, Path, dict[str, Any]]:
    """A small Jekyll site built by jekyll and migrated to feedpub (feed limit past its posts); `links`: symbolic
    links to make in it (name: target), `_posts` among them."""
    site = tmp_path / "site"
    site.mkdir()
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    (site / "_config.yml").write_text(config_yml, encoding="utf-8")
    for name, text in posts.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    for name, target in (links or {}).items():
        (site / name).symlink_to(target)
    if not (site / "_posts").is_symlink():
        (site / "_posts").mkdir(exist_ok=True)
    built = jekyll_oracle.build(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    text = re.sub(r"(?m)^limit = .*\n", "", config.read_text(encoding="utf-8"))
    config.write_text(text.replace("[feeds]\n", "[feeds]\nlimit = 100\n"), encoding="utf-8")
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    return site, config, built


def test_a_post_whose_category_is_a_feeds_name_is_rejected_by_name(tmp_path: Path, jekyll: None) -> None:
    """`categories: [atom.xml]` puts a post at /atom.xml/2024/01/05/guest.html, which Jekyll writes in a folder
    atom.xml, where feedpub's Atom feed goes: feedpub published the post, and the feed went unwritten with a warning
    and exit 0. The post is rejected by name; the other feeds are written without it."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://example.org\n",
            "_posts/2024-01-01-hello.md": "---\ntitle: Hello\n---\nThe site's own post.\n",
            "_posts/2024-01-05-guest.md": "---\ntitle: Guest\ncategories: [atom.xml]\n---\nA guest post.\n",
        },
    )
    jekyll_oracle.run_jekyll(site, site / "_site")
    assert (site / "_site" / "atom.xml" / "2024" / "01" / "05" / "guest.html").is_file()
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 1, result.output
    assert "2024-01-05-guest.md: its URL https://example.org/atom.xml/2024/01/05/guest.html is where" in result.output
    assert "atom.xml: not written, as a folder of the site is there" in result.output
    feed = (site / "_site" / "rss.xml").read_text(encoding="utf-8")
    assert "/2024/01/01/hello.html" in feed and "guest" not in feed


def _pages_of_posts_named(tmp_path: Path, names: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """A site of one small post for each of `names` in _posts: the pages the real jekyll writes, and the URLs of
    feedpub's feed items (below the site's URL), each sorted."""
    posts = {f"_posts/{name}": "---\ntitle: T\n---\nx\n" for name in names}
    posts["_config.yml"] = "title: T\nurl: https://example.org\n"
    site = jekyll_oracle.write_files(tmp_path / "site", posts)
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    published = sorted(p.relative_to(tmp_path / "jekyll").as_posix() for p in (tmp_path / "jekyll").rglob("*.html"))
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 0, result.output
    items = json.loads((site / "_site" / "feed.json").read_bytes())["items"]
    return published, sorted(item["url"].removeprefix("https://example.org/") for item in items)


def test_a_post_name_holding_a_line_break_is_published_as_jekyll_publishes_it(tmp_path: Path, jekyll: None) -> None:
    """Ruby's ^ and $ are a line's ends, and its [^/] takes a line break: Jekyll 4.3.1 publishes
    "2024-03-01-new\nline.md" at /2024/03/01/new-line.html, and "x\n2024-03-02-second.md" as a post of 2024-03-02.
    feedpub's pattern took neither: both were silently missing from the feeds (not rejected, not skipped)."""
    published, ours = _pages_of_posts_named(
        tmp_path, ("2024-03-01-new\nline.md", "x\n2024-03-02-second.md", "2024-03-04-plain.md")
    )
    assert published == ["2024/03/01/new-line.html", "2024/03/02/second.html", "2024/03/04/plain.html"]
    assert ours == published


def test_a_post_name_dated_in_other_digits_than_ascii_is_no_post_as_jekyll_reads_it(
    tmp_path: Path, jekyll: None
) -> None:
    """Ruby's \\d is 0-9 only: Jekyll 4.3.1 reads "٢٠٢٤-٠١-٠١-x.md" (Arabic-Indic digits) as no post and writes
    no page for it. Python's \\d takes every decimal digit, and int() reads them: feedpub published it at
    /2024/01/01/x.html, a 404."""
    published, ours = _pages_of_posts_named(
        tmp_path,
        ("\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0661-x.md", "２０２４-01-02-wide.md", "2024-03-04-plain.md"),
    )
    assert published == ["2024/03/04/plain.html"]
    assert ours == published


@pytest.mark.parametrize(
    "title", ["Tom &amp; Jerry <em>Notes</em>", 'Kim\'s <b>"Blog"</b> -- notes...', "a < b &lt; c", "<p>Para</p>"]
)
def test_a_site_title_with_markup_is_the_text_jekyll_feeds_readers_show(
    title: str, tmp_path: Path, jekyll: None
) -> None:
    """jekyll-feed's feed title is type="html": readers show `Tom &amp; Jerry <em>Notes</em>` as "Tom & Jerry
    Notes"; init wrote it as written into feedpub's text titles, and readers showed the tags and "&amp;"."""
    import lxml.html

    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": f"title: {json.dumps(title)}\nurl: https://example.org\nplugins: [jekyll-feed]\n",
            "_posts/2024-01-01-hello.md": "---\ntitle: Hello\n---\nHi.\n",
        },
    )
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    feed = ET.parse(tmp_path / "jekyll" / "feed.xml").getroot().find(f"{jekyll_oracle.ATOM}title")
    assert feed is not None and feed.get("type") == "html"
    shown = lxml.html.fragment_fromstring(feed.text or "", create_parent="div").text_content()
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0

    assert load_config(config).title == shown


@pytest.mark.parametrize(
    "front", ["categories: !!set {a: null, b: null}", "title: !!set {Guest}", "tags: [a, !!set {b, c}]"]
)
def test_a_yaml_set_jekyll_cannot_read_rejects_its_post(front: str, tmp_path: Path, jekyll: None) -> None:
    """Psych refuses `!!set` ("Tried to load unspecified class: Psych::Set"); PyYAML made a Python set, and feedpub
    published the post at a URL of its repr, /%7B'a',%20'b'%7D/2024/01/02/guest.html, or of /%7B'b',%20'a'%7D/
    under another hash seed. The post is rejected by name."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://example.org\n",
            "_posts/2024-01-01-hello.md": "---\ntitle: Hello\n---\nThe site's own post.\n",
            "_posts/2024-01-02-guest.md": f"---\n{front}\n---\nA guest post.\n",
        },
    )
    with pytest.raises(AssertionError, match="Tried to load unspecified class: Psych::Set"):
        jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 1, result.output
    assert "2024-01-02-guest.md: front matter holds a YAML set (!!set)" in result.output
    feed = (site / "_site" / "rss.xml").read_text(encoding="utf-8")
    assert "/2024/01/01/hello.html" in feed and "guest" not in feed


@pytest.mark.parametrize("character", ["\x0c", "\x1b", "\ufffe"])
@pytest.mark.parametrize("author", ["", "author:\n  name: Kim\n"])
def test_a_character_psych_refuses_in_front_matter_rejects_its_post(
    character: str, author: str, tmp_path: Path, jekyll: None
) -> None:
    """Psych refuses a control character (or U+FFFE) anywhere in the YAML, and Jekyll publishes the post without its
    front matter, at a URL of its file name and the build's year (/2026/2024-01-02-guest/). feedpub dropped the
    character before reading the YAML, as it drops it from a body, and linked the permalink Jekyll never took: a
    404. The post is rejected by name, at its line; the others are published."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://example.org\n",
            "_posts/2024-01-01-hello.md": "---\ntitle: Hello\n---\nThe site's own post.\n",
            "_posts/2024-01-02-guest.md": f'---\ntitle: "form{character}feed"\npermalink: /guest/\n{author}---\nx\n',
        },
    )
    with pytest.raises(AssertionError, match=r"YAML Exception reading .*control characters are not allowed"):
        jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")  # it logs an error, and goes on
    assert (tmp_path / "jekyll" / "2024" / "01" / "01" / "hello.html").is_file()
    assert not (tmp_path / "jekyll" / "guest").exists()
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 1, result.output
    assert f"2024-01-02-guest.md: front matter holds U+{ord(character):04X}, a character YAML" in result.output
    feed = (site / "_site" / "rss.xml").read_text(encoding="utf-8")
    assert "/2024/01/01/hello.html" in feed and "guest" not in feed


# Plain values Psych reads otherwise than PyYAML: the words in any case, "," in numbers, no "_" at a number's end.
PSYCH_POSTS = {
    "_posts/2024-01-01-unpublished.md": "---\ntitle: Unpublished\npublished: fAlse\n---\nx\n",
    "_posts/2024-01-02-off.md": "---\ntitle: Off\npublished: oFF\n---\nx\n",
    "_posts/2024-01-03-no.md": "---\ntitle: No\npublished: [nO]\n---\nx\n",
    "_posts/2024-01-04-underscore.md": "---\ntitle: Underscore\nslug: 12_\npermalink: /:slug/\n---\nx\n",
    "_posts/2024-01-05-null-title.md": "---\ntitle: nuLL\n---\nx\n",
    "_posts/2024-01-06-thousand.md": "---\ntitle: Cat\npermalink: /:categories/:title/\ncategories:\n  - 1,000\n---\n",
    "_posts/2024-01-07-flow.md": "---\npermalink: /:categories/:title/\ncategories: [0b1_0, 1:30, 0o17]\n---\n",
    "_posts/2024-01-08-nested.md": "---\ntitle: Nested\npublished: fALSE\nauthor:\n  name: Kim\n---\nx\n",
    "_posts/2024-01-09-hidden.md": "---\ntitle: Hidden\nsitemap: oFF\n---\nx\n",
    "_posts/2024-01-10-false-slug.md": "---\ntitle: oFf\nslug: No\npermalink: /:slug/\n---\nx\n",
}


def test_plain_values_are_read_as_jekylls_psych_reads_them(tmp_path: Path, jekyll: None) -> None:
    """Jekyll reads front matter with Psych, whose plain values differ from PyYAML's: `published: fAlse` (false to
    Psych, text to PyYAML: feedpub published a post Jekyll does not write, a 404), `- 1,000` as a category (1000:
    /1000/cat/, where feedpub linked /1,000/cat/), `slug: 12_` (text, 12 to PyYAML), `title: nuLL` (null, and the
    title Jekyll makes of the file's name). feedpub serves the posts Jekyll serves, at its URLs, under its titles."""
    config_yml = 'title: S\nurl: "https://s.example"\nplugins: [jekyll-sitemap]\n'
    site, config, built = _probe(tmp_path, config_yml, PSYCH_POSTS)
    served = {to_uri("https://s.example" + post["url"]): post["title"] for post in built["posts"]}
    assert "https://s.example/1000/thousand/" in served and "https://s.example/2/5400/0o17/flow/" in served, served
    assert sitemap_urls(Migrated(site, config, built)) == set(served) - {"https://s.example/2024/01/09/hidden.html"}
    feed = ET.parse(site / "_site" / "atom.xml").getroot()
    titles = {
        (entry.find(f"{ATOM}link").get("href") or ""): entry.findtext(f"{ATOM}title")
        for entry in feed.iter(f"{ATOM}entry")
    }
    assert titles == served


def test_a_posts_folder_linked_to_another_folder_of_the_site_is_read_as_jekyll_reads_it(
    tmp_path: Path, jekyll: None
) -> None:
    config_yml = 'title: S\nurl: "https://s.example"\nplugins: [jekyll-feed, jekyll-sitemap]\n'
    posts = {"content/posts/2021-05-05-linked.md": "---\ntitle: Linked\n---\nText.\n"}
    site, config, built = _probe(tmp_path, config_yml, posts, links={"_posts": "content/posts"})
    served = {to_uri("https://s.example" + post["url"]) for post in built["posts"]}
    assert served == {"https://s.example/2021/05/05/linked.html"}
    assert sitemap_urls(Migrated(site, config, built)) - {"https://s.example/"} == served


def test_a_post_linked_to_a_file_elsewhere_in_the_site_is_published_as_jekyll_publishes_it(
    tmp_path: Path, jekyll: None
) -> None:
    """`_posts/2020-02-01-linked.md -> ../archive/linked.md`: Jekyll publishes it (in safe mode too); feedpub
    refused it as a link out of the posts folder, so every build exited 1, and under `limit_posts` listed a post
    Jekyll never wrote (a 404)."""
    config_yml = 'title: L\nurl: "https://l.example"\nplugins: [jekyll-feed, jekyll-sitemap]\nlimit_posts: 3\n'
    config_yml += "exclude: [archive]\n"  # where the linked file lives is no page of its own
    posts = {f"_posts/2020-01-0{n}-p{n}.md": f"---\ntitle: P{n}\n---\nP{n}.\n" for n in range(1, 5)}
    posts["archive/linked.md"] = "---\ntitle: Linked\n---\nLinked inside the site.\n"
    links = {"_posts/2020-02-01-linked.md": "../archive/linked.md"}
    site, config, built = _probe(tmp_path, config_yml, posts, links)
    served = {to_uri("https://l.example" + post["url"]) for post in built["posts"]}
    assert "https://l.example/2020/02/01/linked.html" in served and len(served) == 3
    migrated = Migrated(site, config, built)
    assert sitemap_urls(migrated) - {"https://l.example/"} == served
    entries, _ = _entries_by_id(migrated, built)
    assert "Linked inside the site." in (
        entries["https://l.example/2020/02/01/linked"].findtext(f"{ATOM}content") or ""
    )
    # In safe mode (no plugins), in the site's own folder, where the post is a link: Jekyll still writes it.
    jekyll_oracle.run_jekyll(site, tmp_path / "safe", "--safe")
    assert (tmp_path / "safe" / "2020" / "02" / "01" / "linked.html").is_file()


def test_a_post_linked_out_of_the_site_is_refused_by_name(tmp_path: Path) -> None:
    """Jekyll without --safe reads a link to any file (with it, none out of the site): feedpub reads none, whatever
    the mode, and says which post and why, never where it leads."""
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.md").write_text("---\ntitle: Secret\n---\nPRIVATE WORDS\n", encoding="utf-8")
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {"_config.yml": 'title: L\nurl: "https://l.example"\n', "_posts/2020-01-01-p1.md": "---\ntitle: P1\n---\nP1\n"},
    )
    (site / "_posts" / "2020-02-01-out.md").symlink_to(outside / "secret.md")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 1, result.output
    assert (
        "2020-02-01-out.md: symbolic link to a file outside the site's folder; copy the file instead" in result.output
    )
    assert "private" not in result.output
    written = [path.read_bytes() for path in (site / "_site").rglob("*") if path.is_file()]
    assert written and not any(b"PRIVATE WORDS" in data for data in written)


@pytest.mark.parametrize(
    "target", [".git/config", "notes/.private/p.md", "notes/.p.md"], ids=["git-config", "dot-folder", "dot-file"]
)
def test_a_post_linked_to_a_dot_file_or_into_a_dot_folder_of_the_site_is_refused_by_name(
    target: str, tmp_path: Path
) -> None:
    """A post linked to ../.git/config, inside the site, was published in every feed: under the guide's GitHub
    Actions recipe that file holds the job's token (actions/checkout's http.extraheader). A link to a "." file, or
    into a "." folder, anywhere in the site is refused by name; the other posts are published."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": 'title: L\nurl: "https://l.example"\n',
            "_posts/2020-01-01-p1.md": "---\ntitle: P1\n---\nP1\n",
            target: "---\ntitle: Token\n---\nextraheader = AUTHORIZATION: basic SECRET\n",
        },
    )
    (site / "_posts" / "2024-08-01-notes.md").symlink_to(Path("..", target))
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 1, result.output
    assert (
        '_posts/2024-08-01-notes.md: symbolic link to a "." file, or into a "." folder (as .git/ is); copy the file '
        "instead" in result.output
    )
    written = [path.read_bytes() for path in (site / "_site").rglob("*") if path.is_file()]
    assert any(b"<title>P1</title>" in data for data in written)
    assert not any(b"SECRET" in data for data in written)


def test_a_posts_folder_linked_out_of_the_site_stops_the_run_before_anything_is_written(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "2021-05-05-secret.md").write_text("---\ntitle: Secret\n---\nNot the site's.\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text('title: S\nurl: "https://s.example"\n', encoding="utf-8")
    (site / "_posts").mkdir()
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    (site / "_posts").rmdir()
    (site / "_posts").symlink_to(outside)
    result = run("build", "--config", config, "--output", tmp_path / "out", "--now", NOW.isoformat())
    assert result.exit_code == 2, result.output
    assert "outside the site" in result.output
    assert not (tmp_path / "out").exists()
    told = run("init", "--from-jekyll", site, "--config", tmp_path / "again.toml")
    assert told.exit_code == 2 and "outside the site" in told.output


def test_a_site_whose_config_is_config_toml_is_read_as_jekyll_reads_it(tmp_path: Path, jekyll: None) -> None:
    """Jekyll reads _config.toml where there is no _config.yml or _config.yaml; `init --from-jekyll` stopped ("no
    _config.yml here") and a build could not read the site."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.toml": 'title = "Toml"\nurl = "https://toml.example"\npermalink = "/:categories/:title/"\n'
            'plugins = ["jekyll-feed", "jekyll-sitemap"]\ntimezone = "Asia/Seoul"\n\n[feed]\nposts_limit = 50\n\n'
            '[[defaults]]\nscope = { path = "", type = "posts" }\nvalues = { categories = ["notes"] }\n',
            "_posts/2020-01-01-one.md": "---\ntitle: One\ndate: 2020-01-01 23:30:00\n---\nOne.\n",
            "_posts/2020-01-02-two.md": "---\ntitle: Two\ncategories: [extra]\n---\nTwo.\n",
        },
    )
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    built = jekyll_oracle.build(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    result = run("init", "--from-jekyll", site, "--config", config)
    assert result.exit_code == 0, result.output
    assert 'timezone = "Asia/Seoul"' in config.read_text(encoding="utf-8")
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    migrated = Migrated(site, config, built)
    served = {to_uri("https://toml.example" + post["url"]) for post in built["posts"]}
    assert served == {"https://toml.example/notes/one/", "https://toml.example/notes/extra/two/"}
    assert sitemap_urls(migrated) - {"https://toml.example/"} == served
    entries, jekyll_entries = _entries_by_id(migrated, built)
    for entry_id, entry in entries.items():
        assert _text(entry, "published") == jekyll_entries[entry_id]["published"], entry_id


def test_the_source_config_yml_names_is_read_as_jekyll_reads_it(tmp_path: Path, jekyll: None) -> None:
    """`source: src`: Jekyll, run in the site's folder, reads its _config.yml and then src/'s posts, includes, data
    and files. feedpub read the site's folder: src/_posts was a category's, every URL /src/… a 404, every id new."""
    config_yml = 'title: S\nurl: "https://s.example"\nsource: src\nplugins: [jekyll-feed, jekyll-sitemap]\n'
    posts = {
        "src/oracle.json": (jekyll_oracle.SITES / "classic-blog" / "oracle.json").read_text(encoding="utf-8"),
        "src/_posts/2021-05-05-in-src.md": "---\ntitle: In src\nauthor: kim\n---\n{% include note.html %}\n",
        "src/_includes/note.html": "Included from src.",
        "src/_data/authors.yml": "kim: {name: Kim, email: kim@s.example}\n",
        "_posts/2021-05-06-beside.md": "---\ntitle: Beside the source\n---\nNot published.\n",
        "_includes/note.html": "Included from the site folder.",
    }
    site, config, built = _probe(tmp_path, config_yml, posts)
    served = {to_uri("https://s.example" + post["url"]) for post in built["posts"]}
    assert served == {"https://s.example/2021/05/05/in-src.html"}
    migrated = Migrated(site, config, built)
    assert sitemap_urls(migrated) == served
    (theirs,) = built["feeds"]["feed.xml"]["entries"]
    (ours,) = migrated.entries().values()
    assert _text(ours, "id") == theirs["id"] == "https://s.example/2021/05/05/in-src"
    assert _author(ours) == theirs["author"] == {"name": "Kim", "email": "kim@s.example"}
    assert "Included from src." in _text(ours, "content") and "Included from src." in theirs["content"]
    assert 'static_dir = "site/src"' in config.read_text(encoding="utf-8")  # its /assets are src's


@pytest.mark.parametrize("source", ["..", "/etc", "~"])
def test_a_source_outside_the_site_stops_init_and_build(source: str, tmp_path: Path) -> None:
    site = jekyll_oracle.write_files(tmp_path / "site", {"_config.yml": 'title: S\nurl: "https://s.example"\n'})
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    (site / "_config.yml").write_text(f'title: S\nurl: "https://s.example"\nsource: "{source}"\n', encoding="utf-8")
    result = run("build", "--config", config, "--output", tmp_path / "out", "--now", NOW.isoformat())
    assert result.exit_code == 2 and "source" in result.output and "outside the site" in result.output, result.output
    assert not (tmp_path / "out").exists()
    told = run("init", "--from-jekyll", site, "--config", tmp_path / "again.toml")
    assert told.exit_code == 2 and "outside the site" in told.output, told.output


@pytest.mark.parametrize("includes_dir", ["_inc", "../_inc", "/_inc/"])
def test_includes_are_read_from_includes_dir_as_jekyll_reads_them(
    includes_dir: str, tmp_path: Path, jekyll: None
) -> None:
    """`includes_dir: _inc`: Jekyll's `{% include %}` reads _inc/ (and Jekyll puts "../_inc" and "/_inc" in the
    source too). feedpub read _includes/, or wrote nothing where it had no such file; an edit of _inc/ left the
    cached content as it was."""
    config_yml = f'title: I\nurl: "https://i.example"\nincludes_dir: "{includes_dir}"\nplugins: [jekyll-feed]\n'
    posts = {
        "_posts/2023-01-01-inc.md": '---\ntitle: Inc\n---\nBefore. {% include box.html x="hi" %} After.\n',
        "_inc/box.html": "From _inc: {{ include.x }}.",
        "_includes/box.html": "From _includes.",
    }
    site, config, built = _probe(tmp_path, config_yml, posts)
    (theirs,) = built["feeds"]["feed.xml"]["entries"]
    migrated = Migrated(site, config, built)
    (ours,) = migrated.entries().values()
    assert "Before. From _inc: hi. After." in theirs["content"]
    assert "Before. From _inc: hi. After." in _text(ours, "content")
    (site / "_inc" / "box.html").write_text("Edited in _inc: {{ include.x }}.", encoding="utf-8")
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    (ours,) = migrated.entries().values()
    assert "Before. Edited in _inc: hi. After." in _text(ours, "content")


def test_an_includes_dir_linked_out_of_the_site_includes_nothing(tmp_path: Path) -> None:
    outside = jekyll_oracle.write_files(tmp_path / "elsewhere", {"box.html": "SECRET"})
    files = {
        "_config.yml": 'title: I\nurl: "https://i.example"\nincludes_dir: _inc\n',
        "_posts/2023-01-01-inc.md": "---\ntitle: Inc\n---\nBefore. {% include box.html %} After.\n",
    }
    site = jekyll_oracle.write_files(tmp_path / "site", files)
    (site / "_inc").symlink_to(outside)
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    feed = (load_config(config).output_dir / "atom.xml").read_text(encoding="utf-8")
    assert "Before.  After." in feed and "SECRET" not in feed


@pytest.mark.parametrize("posts_limit", ['"15"', '" 12 "', '"0x10"', "14"])
def test_a_posts_limit_as_text_is_the_number_jekyll_feed_reads(posts_limit: str, tmp_path: Path, jekyll: None) -> None:
    """jekyll-feed's `limit: posts_limit` makes a text a number (Liquid's to_integer, Ruby's Integer()): "15" gives 15
    entries. feedpub's init took only a YAML integer, and wrote jekyll-feed's default, 10."""
    config_yml = f'title: L\nurl: "https://l.example"\nplugins: [jekyll-feed]\nfeed:\n  posts_limit: {posts_limit}\n'
    files = {
        "_config.yml": config_yml,
        **{f"_posts/2023-01-{day:02}-p{day}.md": f"---\ntitle: P{day}\n---\nText.\n" for day in range(1, 21)},
    }
    site = jekyll_oracle.write_files(tmp_path / "site", files)
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    theirs = [entry["id"] for entry in jekyll_oracle.parse_atom(tmp_path / "jekyll" / "feed.xml")["entries"]]
    init_and_build(site, tmp_path / "config.toml")
    ours = [
        entry.findtext(f"{ATOM}id") for entry in ET.parse(site / "_site" / "feed.xml").getroot().iter(f"{ATOM}entry")
    ]
    assert ours == theirs and len(theirs) > 10


def test_an_all_caps_greek_category_and_slug_are_lower_cased_as_ruby_does(tmp_path: Path, jekyll: None) -> None:
    """Ruby's downcase makes a word's last Σ a σ; Python's lower() a ς (the URL Jekyll serves is not that one)."""
    config_yml = (
        'title: G\nurl: "https://g.example"\npermalink: /:categories/:year/:month/:slug/\n'
        "plugins: [jekyll-feed, jekyll-sitemap]\n"
    )
    posts = {
        "_posts/2022-03-01-athlitika.md": "---\ntitle: Αθλητικά\ncategories: [ΑΘΛΗΤΙΣΜΟΣ]\n---\nΚείμενο.\n",
        "_posts/2022-03-02-nea.md": "---\ntitle: Νέα\ncategories: [ΝΕΑ ΤΗΣ ΕΒΔΟΜΑΔΑΣ]\nslug: ΟΔΗΓΟΣ ΧΡΗΣΗΣ\n---\nΚ.\n",
    }
    site, config, built = _probe(tmp_path, config_yml, posts)
    served = {to_uri("https://g.example" + post["url"]) for post in built["posts"]}
    assert len(served) == 2
    assert sitemap_urls(Migrated(site, config, built)) - {"https://g.example/"} == served


def test_limit_posts_markdown_ext_and_a_baseurl_with_a_space_publish_what_jekyll_writes(
    tmp_path: Path, jekyll: None
) -> None:
    config_yml = (
        'title: L\nurl: "https://l.example"\nbaseurl: "/my blog"\nplugins: [jekyll-feed, jekyll-sitemap]\n'
        'limit_posts: 3\nmarkdown_ext: "mdown,markdown"\n'
    )
    names = ["2021-01-01-a.md", "2021-01-02-b.mdown", "2021-01-03-c.md", "2021-01-04-d.markdown", "2021-01-05-e.md"]
    site, config, built = _probe(tmp_path, config_yml, {f"_posts/{n}": "---\ntitle: T\n---\nText.\n" for n in names})
    served = {to_uri("https://l.example/my blog" + post["url"]) for post in built["posts"]}
    assert len(served) == 3
    assert sitemap_urls(Migrated(site, config, built)) - {"https://l.example/my%20blog/"} == served


# `jekyll.environment`, `site.time` and Liquid's "now" in a post: "now" only to the year, as Jekyll reads the clock
# again for it while it renders (a later second than site.time's).
TIME_AND_ENVIRONMENT = (
    '{% if jekyll.environment == "production" %}Production.{% else %}Not production.{% endif %} '
    '[{{ jekyll.environment }}] Built {{ site.time | date: "%Y-%m-%d %H:%M:%S %z" }}, '
    '{{ site.time | date_to_xmlschema }}; this year: {{ "now" | date: "%Y" }} {{ "Today" | date: "%Y" }}.\n'
    # Times as Ruby prints them (Time#to_s: "2024-06-01 09:00:00 +0900", no fraction), and in JSON.
    "Printed: {{ site.time }}, {{ site.time | jsonify }}; {{ page.date }}, {{ page.date | jsonify }}.\n"
)


@pytest.mark.parametrize("environment", [None, "development"])
def test_jekyll_environment_and_site_time_are_the_builds(
    environment: str | None, tmp_path: Path, jekyll: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jekyll.environment` is JEKYLL_ENV, and production without it (the deployed site's: the oracle's Jekyll
    builds with JEKYLL_ENV=production, as deploys do); `site.time` and "now" are the build's time (--now). feedpub
    wrote "" for the environment (neither branch of an `if`), nothing for site.time and the machine's clock for
    "now"."""
    if environment is None:
        monkeypatch.delenv("JEKYLL_ENV", raising=False)
    else:
        monkeypatch.setenv("JEKYLL_ENV", environment)  # for feedpub and for Jekyll
        monkeypatch.setitem(jekyll_oracle.ENVIRONMENT, "JEKYLL_ENV", environment)
    files = {
        "_config.yml": 'title: E\nurl: "https://e.example"\nplugins: [jekyll-feed]\ntimezone: Asia/Seoul\n',
        "oracle.json": (jekyll_oracle.SITES / "classic-blog" / "oracle.json").read_text(encoding="utf-8"),
        "_posts/2023-01-01-env.md": f"---\ntitle: Env\n---\n{TIME_AND_ENVIRONMENT}",
    }
    site = jekyll_oracle.write_files(tmp_path / "site", files)
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    site_time = json.loads((tmp_path / "jekyll" / "oracle.json").read_text(encoding="utf-8"))["site_time"]
    (theirs,) = jekyll_oracle.parse_atom(tmp_path / "jekyll" / "feed.xml")["entries"]
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", site_time, "--quiet").exit_code == 0
    (ours,) = ET.parse(site / "_site" / "feed.xml").getroot().iter(f"{ATOM}content")
    assert html.unescape(ours.text or "").strip() == html.unescape(theirs["content"] or "").strip()
    assert ("Not production." in (ours.text or "")) == (environment == "development")


def test_a_post_showing_the_build_time_is_made_again_at_every_build(tmp_path: Path) -> None:
    """Content showing `site.time` or "now" (in the body, or in an include) is the build's, never the cache's: each
    build with the cache writes what a clean build at its time writes, summaries too; other posts stay cached."""
    files = {
        "_config.yml": 'title: T\nurl: "https://t.example"\nplugins: [jekyll-feed]\ntimezone: Asia/Seoul\n',
        "_includes/built.html": 'built {{ site["time"] | date: "%Y-%m-%d %H:%M" }}',
        "_posts/2023-01-01-shown.md": '---\ntitle: Shown\n---\nBuilt {{ site.time | date: "%Y-%m-%d %H:%M" }}.\n',
        "_posts/2023-01-02-included.md": "---\ntitle: Included\n---\nIt was {% include built.html %}.\n",
        "_posts/2023-01-03-now.md": "---\ntitle: Now\n---\nNow {{ 'NOW' | date: '%Y-%m-%d %H:%M' }}.\n",
        "_posts/2023-01-04-plain.md": "---\ntitle: Plain\n---\nNo time {% if true %}here{% endif %}.\n",
        # An include_relative file showing it, and `site` reached through a variable.
        "_posts/notes/when.md": 'when {{ site.time | date: "%Y-%m-%d %H:%M" }}',
        "_posts/2023-01-05-relative.md": "---\ntitle: Relative\n---\nIt was {% include_relative notes/when.md %}.\n",
        "_posts/2023-01-06-assigned.md": "---\ntitle: Assigned\n---\n{% assign s = site %}"
        'Built {{ s.time | date: "%Y-%m-%d %H:%M" }}.\n',
    }
    site = jekyll_oracle.write_files(tmp_path / "site", files)
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    for now, shown in [("2024-06-01T00:00Z", "2024-06-01 09:00"), ("2025-02-03T04:05Z", "2025-02-03 13:05")] * 2:
        assert run("build", "--config", config, "--now", now, "--quiet").exit_code == 0
        clean = tmp_path / "clean"
        result = run("build", "--config", config, "--now", now, "--no-cache", "--output", clean, "--quiet")
        assert result.exit_code == 0, result.output
        feed = (site / "_site" / "feed.xml").read_text(encoding="utf-8")
        assert feed == (clean / "feed.xml").read_text(encoding="utf-8")
        assert feed.count(shown) == 10, feed  # each post's content and summary


def test_a_post_naming_no_include_that_shows_the_time_is_kept_from_the_cache(tmp_path: Path) -> None:
    """A post is made again at every build only when it shows the time, itself or through the files it includes:
    any post with "include" and "{" in its text was (C's `#include <stdio.h>` in a code block) while any file of
    _includes named site.time (Minimal Mistakes' footer does), so that a C blog's posts were all rendered again at
    each build."""
    files = {
        "_config.yml": 'title: T\nurl: "https://t.example"\n',
        "_includes/footer.html": '<footer>&copy; {{ site.time | date: "%Y" }}</footer>',
        "_includes/note.html": "<aside>{{ include.text }}</aside>",
        "_posts/code/snippet.c": "int x;",
        "_posts/timed/when.md": 'when {{ site.time | date: "%Y" }}',
    }
    site = read_site(jekyll_oracle.write_files(tmp_path / "site", files), ZoneInfo("UTC"))
    posts = str(site.source / "_posts")
    c_program = '```c\n#include <stdio.h>\nint main(void) { puts("hi"); }\n```\n'
    for body in [c_program, '{% include note.html text="hi" %}', "{% include_relative code/snippet.c %}"]:
        assert not references.shows_time(body, site, f"{posts}/2024-01-01-a.md"), body
    assert references.shows_time("{% include footer.html %}", site, f"{posts}/2024-01-01-a.md")
    assert references.shows_time("{% include {{ page.kind }}.html %}", site, f"{posts}/2024-01-01-a.md")
    # An include_relative whose name Liquid makes may be any file beside the post: the time only where one shows it.
    made = "{% include_relative {{ page.kind }} %}"
    assert not references.shows_time(made, site, f"{posts}/code/2024-01-01-a.md")
    assert references.shows_time(made, site, f"{posts}/timed/2024-01-01-b.md")


def test_summaries_and_dates_are_jekyll_feeds(tmp_path: Path, jekyll: None) -> None:
    posts = {
        "_posts/2021-02-01-heading.md": "---\ntitle: Heading\n---\n# A heading first\n\nThe paragraph.\n",
        "_posts/2021-02-02-both.md": "---\ntitle: Both\ndescription: The description.\nexcerpt: The excerpt.\n---\nx\n",
        "_posts/2021-02-03-refs.md": "---\ntitle: Refs\n---\nSee [the site][ref].\n\nMore.\n\n[ref]: https://x.example/\n",
        "_posts/2021-02-04-more.md": "---\ntitle: More\n---\nFirst line\nsecond <!--more--> line\n\nRest.\n",
        "_posts/2021-02-05-image.md": "---\ntitle: Image\n---\n![](/a.png)\n\nAfter the image.\n",
        "_posts/2016-12-31-leap.md": "---\ntitle: Leap\ndate: 2016-12-31 23:59:60 +0100\n---\nA leap second.\n",
        "_posts/2021-01-01-midnight.md": "---\ntitle: Midnight\ndate: 2021-01-01 24:00:00\n---\nAt 24:00.\n",
    }
    config_yml = 'title: S\nurl: "https://s.example"\nplugins: [jekyll-feed]\ntimezone: Asia/Seoul\n'
    site, config, built = _probe(tmp_path, config_yml, posts)
    entries, jekyll_entries = _entries_by_id(Migrated(site, config, built), built)
    for entry_id, entry in entries.items():
        summary = entry.find(f"{ATOM}summary")
        ours = " ".join((summary.text or "").split()) if summary is not None else ""
        assert ours == " ".join((jekyll_entries[entry_id]["summary"] or "").split()), entry_id
        assert _text(entry, "published") == jekyll_entries[entry_id]["published"], entry_id


def test_robots_txt_keeps_jekyll_sitemaps_line(tmp_path: Path, jekyll: None) -> None:
    """feedpub builds into the _site jekyll just wrote: jekyll-sitemap's robots.txt keeps its sitemap.xml."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text('title: R\nurl: "https://r.example"\nplugins: [jekyll-sitemap]\n', "utf-8")
    (site / "_posts" / "2021-01-01-a.md").write_text("---\ntitle: A\n---\nText.\n", encoding="utf-8")
    jekyll_oracle.run_jekyll(site, site / "_site")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    robots = (site / "_site" / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://r.example/sitemap.xml" in robots
    assert f"Sitemap: https://r.example/{load_config(config).sitemap.entry_name}" in robots


def _author(entry: ET.Element) -> dict[str, str]:
    """An Atom entry's author as jekyll_oracle records it: name, and email and uri where given."""
    author = entry.find(f"{ATOM}author")
    if author is None:
        return {}
    found = {}
    for name in ("name", "email", "uri"):
        element = author.find(f"{ATOM}{name}")
        if element is not None and element.text:
            found[name] = element.text
    return found


@pytest.mark.parametrize("site", jekyll_oracle.fixture_sites())
def test_entry_authors_are_jekyll_feeds(site: str, migrated: Migrate) -> None:
    """Each entry's author as jekyll-feed wrote it: the post's `author` (else the first of its `authors`), looked up
    in `_data/authors` where it names one; else the site's, which jekyll-feed repeats in each entry, and feedpub too
    (it named it once, on the feed: readers showed such entries without one). Where jekyll-feed names nobody, Atom
    still needs an author: feedpub's feed has the site's title, which this test leaves alone."""
    result = migrated(site, 1000)
    ours = result.entries()
    compared = 0
    for feed in result.expected["feeds"].values():
        for entry in feed["entries"]:
            if entry.get("author"):
                assert _author(ours[entry["link"]]) == entry["author"], entry["link"]
                compared += 1
    assert compared or site in ("cross-references", "project-pages")


def test_each_entry_names_its_author_in_every_format_as_readers_read_it(tmp_path: Path, jekyll: None) -> None:
    """`author: Kim` in _config.yml: jekyll-feed writes `<author><name>Kim</name></author>` in every entry (a post's
    own author where it has one). feedpub named Kim once, on the Atom feed: newsboat kept an empty author for each
    entry, feedparser's entry.author was None, and rss.xml and feed.json's items named nobody. Compared with a fresh
    `jekyll build`, then read by feedparser and by newsboat over HTTP."""
    config_yml = 'title: A\nurl: "https://a.example"\nauthor: Kim\nplugins: [jekyll-feed]\n'
    posts = {
        "_posts/2024-01-01-site.md": "---\ntitle: The site's\n---\nText.\n",
        "_posts/2024-01-02-own.md": "---\ntitle: Own\nauthor: Lee\n---\nText.\n",
        "_posts/2024-01-03-mail.md": "---\ntitle: Mail\nauthor: {name: Park, email: park@example.org}\n---\nText.\n",
    }
    site, config, built = _probe(tmp_path, config_yml, posts)
    theirs = {entry["link"]: entry["author"] for entry in built["feeds"]["feed.xml"]["entries"]}
    names = {link: author["name"] for link, author in theirs.items()}
    assert sorted(names.values()) == ["Kim", "Lee", "Park"]
    assert {link: _author(entry) for link, entry in Migrated(site, config, built).entries().items()} == theirs
    settings = load_config(config)
    output = settings.output_dir
    feeds = [name for name in (settings.feeds.rss, settings.feeds.atom) if name]
    assert len(feeds) == 2
    for name in feeds:
        entries = feedparser.parse((output / name).read_bytes()).entries
        assert {e.link: e.author_detail.name for e in entries if "author_detail" in e} == names, name
    items = json.loads((output / (settings.feeds.json or "")).read_bytes())["items"]
    assert {item["url"]: [a["name"] for a in item["authors"]] for item in items} == {k: [v] for k, v in names.items()}
    with serve_directory(output) as base:
        for name in feeds:
            read = {item["url"]: item["author"] for item in newsboat_items([base + name], tmp_path / name)}
            assert set(read) == set(names) and all(names[link] in read[link] for link in names), (name, read)


def _entry_author(result: Migrated, link_end: str) -> dict[str, str]:
    return next(_author(entry) for link, entry in result.entries().items() if link.endswith(link_end))


def test_an_edited_authors_file_reaches_the_feed(tmp_path: Path) -> None:
    """_data/authors.yml is part of the rules: its edit re-reads the posts that name an author in it."""
    result = migrate("kramdown-liquid", tmp_path, 1000)
    assert _entry_author(result, "liquid-everywhere.html") == {"name": "Jo Kim", "email": "jo@example.org"}
    authors = result.site / "_data" / "authors.yml"
    authors.write_text("jo:\n  name: 조 김\n  uri: https://jo.example.org/\n", encoding="utf-8")
    built = run("build", "--config", result.config, "--now", NOW.isoformat(), "--quiet")
    assert built.exit_code == 0, built.output
    assert _entry_author(result, "liquid-everywhere.html") == {"name": "조 김", "uri": "https://jo.example.org/"}
    assert _entry_author(result, "no-separator.html") == {"name": "조 김", "uri": "https://jo.example.org/"}


def _authors_by_link(feed: Path) -> dict[str, dict[str, str]]:
    """Each Atom entry's author (_author), by the entry's link."""
    entries = ET.parse(feed).getroot().iter(f"{ATOM}entry")
    return {link.get("href", ""): _author(e) for e in entries if (link := e.find(f"{ATOM}link")) is not None}


def test_authors_from_a_data_folder_as_jekyll_feed_names_them(tmp_path: Path, jekyll: None) -> None:
    """_data/authors/kim.yml is `site.data.authors.kim` to Jekyll, and an authors/ folder replaces authors.yml
    (observed): each entry's author is the one jekyll-feed writes. A file linked from outside the site is not read."""
    site = tmp_path / "site"
    files = {
        "_config.yml": 'title: A\nurl: "https://a.example"\nplugins: [jekyll-feed]\n',
        "_data/authors.yml": "kim:\n  name: From the file\n",
        "_data/authors/kim.yml": "name: 김기자\nemail: kim@a.example\n",
        "_data/authors/lee.json": '{"name": "Lee", "uri": "https://lee.example/"}',
        "_posts/2021-01-01-a.md": "---\ntitle: A\nauthor: kim\n---\nText.\n",
        "_posts/2021-01-02-b.md": "---\ntitle: B\nauthor: lee\n---\nText.\n",
        "_posts/2021-01-03-c.md": "---\ntitle: C\nauthor: nobody\n---\nText.\n",
    }
    jekyll_oracle.write_files(site, files)
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    theirs = _authors_by_link(tmp_path / "jekyll" / "feed.xml")
    assert theirs["https://a.example/2021/01/01/a.html"] == {"name": "김기자", "email": "kim@a.example"}
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    built = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert built.exit_code == 0, built.output
    out = load_config(config).output_dir
    assert _authors_by_link(out / "feed.xml") == theirs
    (tmp_path / "secret.yml").write_text("name: SECRET\n", encoding="utf-8")
    (site / "_data" / "authors" / "kim.yml").unlink()
    (site / "_data" / "authors" / "kim.yml").symlink_to(tmp_path / "secret.yml")
    built = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert built.exit_code == 0, built.output
    assert "SECRET" not in (out / "feed.xml").read_text(encoding="utf-8")


def test_an_authors_file_outside_the_site_is_not_read(tmp_path: Path) -> None:
    """A link out of the site, or a data_dir that climbs out of it, names nobody: nothing outside is read."""
    result = migrate("kramdown-liquid", tmp_path, 1000)
    outside = tmp_path / "secret.yml"
    outside.write_text("jo:\n  name: SECRET\n", encoding="utf-8")
    authors = result.site / "_data" / "authors.yml"
    authors.unlink()
    authors.symlink_to(outside)
    built = run("build", "--config", result.config, "--now", NOW.isoformat(), "--quiet")
    assert built.exit_code == 0, built.output
    assert _entry_author(result, "liquid-everywhere.html") == {"name": "jo"}
    config = result.site / "_config.yml"
    config.write_text(config.read_text(encoding="utf-8") + "data_dir: ../\n", encoding="utf-8")
    (tmp_path / "authors.yml").write_text("jo:\n  name: SECRET\n", encoding="utf-8")
    built = run("build", "--config", result.config, "--now", NOW.isoformat(), "--quiet")
    assert built.exit_code == 0, built.output
    assert _entry_author(result, "liquid-everywhere.html") == {"name": "jo"}


def test_a_broken_authors_file_stops_the_run_naming_it(tmp_path: Path) -> None:
    """As it stops Jekyll: before anything is written."""
    result = migrate("kramdown-liquid", tmp_path, 1000)
    feed = result.site / "_site" / result.feed_name
    before = feed.read_bytes()
    (result.site / "_data" / "authors.yml").write_text("jo: [unclosed\n", encoding="utf-8")
    (result.site / "_posts" / "2022-04-01-no-separator.md").write_text("---\ntitle: Edited\n---\nNew.\n")
    built = run("build", "--config", result.config, "--now", NOW.isoformat(), "--quiet")
    assert built.exit_code != 0
    assert "authors.yml" in built.output and "Traceback" not in built.output
    assert feed.read_bytes() == before


@pytest.mark.parametrize("site", jekyll_oracle.fixture_sites())
def test_entry_titles_are_jekyll_feeds(site: str, migrated: Migrate) -> None:
    """Each entry's title reads as jekyll-feed's: smartified (curly quotes, dashes), markup stripped. jekyll-feed's
    title is HTML (type="html"); feedpub's is its text."""
    result = migrated(site, 1000)
    ours = result.entries()
    for feed in result.expected["feeds"].values():
        for entry in feed["entries"]:
            assert _text(ours[entry["link"]], "title") == html.unescape(entry["title"]), entry["link"]


@pytest.mark.parametrize("site", jekyll_oracle.fixture_sites())
def test_entry_languages_are_jekyll_feeds(site: str, migrated: Migrate) -> None:
    """A post's `lang` is its entry's xml:lang, as jekyll-feed writes it; an entry without one has none."""
    result = migrated(site, 1000)
    ours = result.entries()
    for feed in result.expected["feeds"].values():
        for entry in feed["entries"]:
            assert ours[entry["link"]].get(_XML_LANG) == entry["lang"], entry["link"]


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def test_a_locale_or_a_broken_lang_is_written_as_a_tag_or_not_at_all(tmp_path: Path) -> None:
    """`lang: ko_KR` is the tag ko-KR (xml:lang takes BCP 47); `lang: "한국어"` is no tag: the entry has none. The
    JSON Feed item's language is the post's, else the site's."""
    result = migrate("kramdown-liquid", tmp_path, 1000)
    posts = result.site / "_posts"
    for name, lang in (("2022-04-01-no-separator.md", "ko_KR"), ("2022-05-01-image-and-lang.md", '"한국어"')):
        text = (posts / name).read_text(encoding="utf-8")
        text = re.sub(r"(?m)^lang: .*\n", "", text).replace("---\n", f"---\nlang: {lang}\n", 1)
        (posts / name).write_text(text, encoding="utf-8")
    built = run("build", "--config", result.config, "--now", NOW.isoformat(), "--quiet")
    assert built.exit_code == 0, built.output
    languages = {link.rsplit("/", 1)[1]: entry.get(_XML_LANG) for link, entry in result.entries().items()}
    assert languages["no-separator.html"] == "ko-KR"
    assert languages["image-and-lang.html"] is None
    config = load_config(result.config)
    json_feed = json.loads((result.site / "_site" / (config.feeds.json or "feed.json")).read_text(encoding="utf-8"))
    items = {item["url"].rsplit("/", 1)[1]: item.get("language") for item in json_feed["items"]}
    assert items["no-separator.html"] == "ko-KR"
    assert items["image-and-lang.html"] == (config.language or None)


def test_a_site_author_named_in_the_data_file_is_each_entrys(tmp_path: Path, jekyll: None) -> None:
    """`author: jo` in _config.yml: jekyll-feed gives every post without an author of its own Jo's entry of
    _data/authors.yml (its feed's author stays "jo"). Compared with a fresh `jekyll build` of the same site."""
    site = tmp_path / "fixture"
    shutil.copytree(jekyll_oracle.SITES / "kramdown-liquid", site, ignore=shutil.ignore_patterns("expected.json"))
    config = site / "_config.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^author:\n(?:  .*\n)+", "author: jo\n", text), encoding="utf-8")
    built = jekyll_oracle.build(site, tmp_path / "oracle")
    theirs = {entry["link"]: entry["author"] for entry in next(iter(built["feeds"].values()))["entries"]}
    assert {"name": "Jo Kim", "email": "jo@example.org"} in theirs.values()
    init_and_build(site, tmp_path / "config.toml", 1000)
    feed = ET.parse(site / "_site" / next(iter(built["feeds"]))).getroot()
    feed_author = _author(feed)
    for entry in feed.findall(f"{ATOM}entry"):
        assert (_author(entry) or feed_author) == theirs[_link(entry)], _link(entry)


def test_jekyll_feeds_posts_collection_settings_are_the_atom_feeds(tmp_path: Path, jekyll: None) -> None:
    """jekyll-feed's `collections: posts: path:` moves the posts' feed (no feed.xml is made): feedpub's Atom feed
    takes that path and jekyll-feed's ids; the feeds of other collections are named in the config for the user."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_articles").mkdir()
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    (site / "_config.yml").write_text(
        "title: Collections\nurl: https://probe.example\nplugins: [jekyll-feed]\n"
        "collections: {articles: {output: true}}\n"
        'feed: {collections: {posts: {path: "/blog/atom.xml"}, articles: {path: "/articles.xml"}}}\n',
        encoding="utf-8",
    )
    for day in (1, 2):
        (site / "_posts" / f"2024-01-0{day}-post-{day}.md").write_text(f"---\ntitle: 글 {day}\n---\nx\n", "utf-8")
    (site / "_articles" / "a.md").write_text("---\ntitle: Article\ndate: 2024-01-03\n---\nx\n", encoding="utf-8")
    built = jekyll_oracle.build(site, tmp_path / "jekyll")
    assert set(built["feeds"]) == {"blog/atom.xml", "articles.xml"}
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert "CHECK THIS: jekyll-feed also made feeds of the collections articles" in config.read_text(encoding="utf-8")
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    probe = Migrated(site, config, {**built, "feeds": {"blog/atom.xml": built["feeds"]["blog/atom.xml"]}})
    ids = sorted(_text(entry, "id") for entry in probe.entries().values())
    assert ids == sorted(entry["id"] for entry in built["feeds"]["blog/atom.xml"]["entries"])


@pytest.mark.parametrize(
    "url", ["https://Probe.Example.KR", "https://probe.example.kr:443", "HTTPS://probe.example.kr"]
)
def test_a_site_url_is_normalised_as_jekyll_writes_it(url: str, tmp_path: Path, jekyll: None) -> None:
    """Jekyll writes every link from `url` through Addressable: host and scheme in lower case, the default port
    dropped. The entry ids were so already; links, sitemap <loc>s and the feed's own id now are too."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    (site / "_config.yml").write_text(f"title: U\nurl: {url}\nbaseurl: /blog\nplugins: [jekyll-feed]\n", "utf-8")
    (site / "_posts" / "2024-01-01-hello.md").write_text("---\ntitle: Hello\n---\nx\n", encoding="utf-8")
    built = jekyll_oracle.build(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    (entry,) = built["feeds"]["feed.xml"]["entries"]
    ours = Migrated(site, config, built).entries()
    assert list(ours) == [entry["link"]]
    root = ET.parse(site / "_site" / "feed.xml").getroot()
    assert root.findtext(f"{ATOM}id") == "https://probe.example.kr/blog/feed.xml"


def test_a_categories_text_is_split_as_rubys_split() -> None:
    """Jekyll splits `categories: "a b"` with Ruby's String#split: on ASCII white space only. A full-width space
    (U+3000, which Korean input methods type) or a no-break space is part of the name; feedpub split on any
    Unicode space, and published /정치/경제/ where Jekyll wrote /정치　경제/."""
    import subprocess

    from feedpub.read.jekyll.posts import _listed

    ruby = shutil.which("ruby")
    if ruby is None:
        skip_or_fail("ruby is not installed (run .ci/install-system-deps): Jekyll's own split is the oracle")
    samples = ["정치\u3000경제", "a\u00a0b", " a\tb\n c\r\x0bd\x0ce ", "x\u2003y\u2028z", "  ", "", "\u3000"]
    script = 'require "json"; puts JSON.generate(JSON.parse(STDIN.read).map { |s| s.split })'
    result = subprocess.run([ruby, "-e", script], input=json.dumps(samples), capture_output=True, text=True, check=True)
    assert [_listed(sample) for sample in samples] == json.loads(result.stdout)


def test_an_image_written_with_backslashes_links_where_browsers_find_it(tmp_path: Path, jekyll: None) -> None:
    """sun0te's `![github-image](\\images\\2022\\icon.png)`: Jekyll keeps the backslashes, and a browser, reading them
    as "/" (WHATWG URL, ada here), shows /images/2022/icon.png; feedpub linked /2025/01/01/%5Cimages%5C… (a 404), in
    the content and as the entry's image."""
    import ada_url

    config_yml = 'title: X\nurl: "https://x.example"\nplugins: [jekyll-feed]\n'
    posts = {"_posts/2025-01-01-img.md": "---\ntitle: Img\n---\n![github-image](\\images\\2022\\icon.png)\n\nText.\n"}
    _, config, built = _probe(tmp_path, config_yml, posts)
    [entry] = built["feeds"]["feed.xml"]["entries"]
    jekylls = re.search(r'src="([^"]+)"', entry["content"])
    assert jekylls is not None and jekylls.group(1) == "\\images\\2022\\icon.png"
    where = ada_url.join_url(entry["link"], jekylls.group(1))
    assert where == "https://x.example/images/2022/icon.png"
    out = load_config(config).output_dir
    item = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]
    assert f'src="{where}"' in item["content_html"]
    assert item["image"] == where


# Liquid in post bodies that Jekyll's own Liquid cannot tokenize (it stops the whole build), and near forms it reads.
LIQUID_BODIES = {
    "tag-open": "```bash\ndigest('%{%{User-Password}:-%{Chap-Password}}', 'sha512')\n```\n",  # a real bash post
    "output-open": "Go templates write `{{.Name` to print a field.\n",
    "output-one-brace": "x {{ page.title } y\n",
    "tag-no-name": "a {% - %} b\n",
    "raw": "{% raw %}digest('%{%{User-Password}' and {{.Name{% endraw %} done\n",
    "fine": "{{ page.title }} and {% if true %}yes{% endif %} and 100%} and }}\n",
    "inline-comment": "Text.{% # TODO: fix %}More.{%- # and this -%}\n",  # Liquid 5 (Debian's Jekyll)
    "trimmed-endraw": "{% raw %}Go: {{ .Name }}{%- endraw %} done\n",  # Raw's end takes no "-"
    "raw-never-closed": "{% raw %}Go: {{.Name\n",
}
# Front matter Jekyll 4 reads to leave a post's Liquid as its text.
LIQUID_FRONT = {"unrendered": "render_with_liquid: false"}
LIQUID_BODIES["unrendered"] = LIQUID_BODIES["tag-open"] + "and {{ page.title }}\n"


@pytest.mark.parametrize("name", sorted(LIQUID_BODIES))
def test_liquid_jekyll_cannot_read_rejects_its_post(name: str, tmp_path: Path, jekyll: None) -> None:
    """heaths2's bash script in a code block, `%{%{User-Password}`: Jekyll stops its whole build ("Tag '{%' was not
    properly terminated"), and feedpub published the post (a page that was never written). Such a post is rejected
    by name; what Jekyll reads is published."""
    site = tmp_path / "site"
    post = f"---\ntitle: {name}\n{LIQUID_FRONT.get(name, '')}\n---\n{LIQUID_BODIES[name]}"
    jekyll_oracle.write_files(
        site, {"_config.yml": "title: X\nurl: https://x.example\n", "_posts/2024-01-02-p.md": post}
    )
    try:
        jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
        jekyll_reads = True
    except AssertionError as failure:
        assert "Liquid syntax error" in str(failure)
        jekyll_reads = False
    assert jekyll_reads is (name in ("raw", "fine", "inline-comment", "unrendered"))  # what Jekyll 4.3.1 did
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert ("Liquid syntax error" in result.output) is not jekyll_reads, result.output
    assert result.exit_code == (0 if jekyll_reads else 1), result.output


def test_two_permalinks_of_one_file_publish_the_post_jekyll_keeps(tmp_path: Path, jekyll: None) -> None:
    """`/dup/` and `/dup/index.html` are one file to Jekyll, as `/page` and `/page.html` are: it warns "Conflict" and
    the last written (the newer post) is served at both. feedpub published every one of them, two linking a page that
    shows another post; it publishes the one Jekyll serves, and rejects the other by name."""
    site = tmp_path / "site"
    posts = {
        "2024-02-04-y.md": ("Second dup", "/dup/"),
        "2024-02-05-z.md": ("Third dup", "/dup/index.html"),
        "2024-02-06-a.md": ("Plain A", "/page"),
        "2024-02-07-b.md": ("Plain B", "/page.html"),
        "2024-02-08-c.md": ("Own page", "/page.htm"),  # page.htm.html to Jekyll: a file of its own
    }
    files = {
        f"_posts/{name}": f"---\ntitle: {title}\npermalink: {permalink}\n---\nBody of {title}.\n"
        for name, (title, permalink) in posts.items()
    }
    files["_config.yml"] = "title: T\nurl: https://example.org\n"
    jekyll_oracle.write_files(site, files)
    served = tmp_path / "jekyll"
    assert "Conflict" in jekyll_oracle.run_jekyll(site, served)
    written = sorted(path.relative_to(served).as_posix() for path in served.rglob("*") if path.is_file())
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    built = run("build", "--config", config, "--now", NOW.isoformat())
    assert "2024-02-04-y.md: URL https://example.org/dup/ is one file on the site with" in built.output
    assert "2024-02-06-a.md: URL https://example.org/page is one file on the site with" in built.output
    entries = json.loads((load_config(config).output_dir / "feed.json").read_text(encoding="utf-8"))["items"]
    assert sorted(entry["title"] for entry in entries) == ["Own page", "Plain B", "Third dup"]
    for entry in entries:
        file = jekyll_oracle.output_file(entry["url"].removeprefix("https://example.org"), None, written)
        assert file is not None, entry["url"]
        assert f"Body of {entry['title']}." in (served / file).read_text(encoding="utf-8"), entry["url"]


@given(
    exclude=st.lists(st.text("ab*?[]!/", max_size=4), max_size=6),
    include=st.lists(st.text("ab*?[]!/", max_size=4), max_size=3),
    relative=st.text("ab/", max_size=5),
    is_dir=st.booleans(),
)
@example(exclude=["a/"], include=[], relative="a", is_dir=True)
@example(exclude=["a*"], include=["a*"], relative="ab", is_dir=False)
def test_exclude_and_include_cover_what_each_pattern_covers(
    exclude: list[str], include: list[str], relative: str, is_dir: bool
) -> None:
    """Tested all at once (PathPatterns), the patterns cover what each covers: a glob (fnmatch), a string the path
    starts with, or a folder's name and "/"; `include` takes a pattern out of `exclude`."""
    config = SiteConfig(source=Path("/s"), root=Path("/s"), exclude=tuple(exclude), include=tuple(include))
    each = [pattern for pattern in exclude if pattern not in include]
    excluded = any(
        fnmatch.fnmatchcase(relative, p) or relative.startswith(p) or (is_dir and p == relative + "/") for p in each
    )
    assert is_excluded(config, relative, is_dir) is excluded
    assert config.included.match(relative) is any(
        fnmatch.fnmatchcase(relative, p) or relative.startswith(p) for p in include
    )


def test_a_question_mark_in_a_permalink_or_a_slug_links_and_ids_as_jekyll(tmp_path: Path, jekyll: None) -> None:
    """`permalink: "/what?x=1#frag"`: Jekyll writes the file `what?x=1#frag.html`; feedpub linked
    …/what?x=1%23frag, a query on /what (a 404). A slug `caf??`: jekyll-feed's id (absolute_url of post.id) keeps
    its query "?" (…/caf??), and drops only an empty one; feedpub's id was …/caf?, a new id for readers."""
    ids = (
        "---\nlayout: null\npermalink: /ids.txt\n---\n{% for p in site.posts %}{{ p.id | absolute_url }}\n{% endfor %}"
    )
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://example.org\n",
            "ids.txt": ids,
            "_posts/2024-01-10-perm-q.md": '---\ntitle: q\npermalink: "/what?x=1#frag"\n---\nbody\n',
            "_posts/2024-01-15-caf??.md": "---\ntitle: qq\n---\nbody\n",
            "_posts/2024-01-16-one?.md": "---\ntitle: one\n---\nbody\n",
        },
    )
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    theirs = set((tmp_path / "jekyll" / "ids.txt").read_text(encoding="utf-8").split())
    assert theirs == {
        "https://example.org/perm-q",
        "https://example.org/2024/01/15/caf??",
        "https://example.org/2024/01/16/one",
    }
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    feed = ET.parse(site / "_site" / "atom.xml").getroot()
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert {e.findtext("{http://www.w3.org/2005/Atom}id") for e in entries} == theirs
    links = {e.find("{http://www.w3.org/2005/Atom}link").get("href") for e in entries}  # type: ignore[union-attr]
    assert "https://example.org/what%3Fx=1%23frag" in links
    for link in links:
        served = unquote(link.removeprefix("https://example.org/"))
        assert any((tmp_path / "jekyll" / name).is_file() for name in (served, served + ".html")), link


def test_a_permalink_that_fills_to_megabytes_rejects_its_post_by_name(tmp_path: Path) -> None:
    """A 92 KB post: 2,000 categories and a permalink of 4,000 `:categories/` filled to ~176 MB of URL (850 MB
    of memory, 10 s) before the time limit rejected it; Jekyll fails writing the file. It is rejected by name at
    once, and the other post published."""
    categories = ", ".join(f"category-number-{i:04d}" for i in range(2000))
    permalink = "/" + ":categories/" * 4000
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://example.org\n",
            "_posts/2024-01-01-boom.md": f"---\ntitle: b\ncategories: [{categories}]\npermalink: {permalink}\n---\n",
            "_posts/2024-01-02-ok.md": "---\ntitle: ok\n---\nbody\n",
        },
    )
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 1, result.output
    assert "2024-01-01-boom.md: permalink '/:categories/:categories/" in result.output
    assert "gives a URL of over 100,000 characters; shorten it" in result.output
    assert "/2024/01/02/ok.html" in (site / "_site" / "atom.xml").read_text(encoding="utf-8")


def test_a_control_character_after_blank_lines_is_in_the_body_as_jekyll_reads_it(tmp_path: Path, jekyll: None) -> None:
    """A file opening with a blank line has no front matter to Jekyll (nor to feedpub's reading): its `---` lines
    and a form feed between them are body, and Jekyll publishes the post. feedpub looked for front matter after
    blank lines, as Hugo reads it, and rejected the post for the form feed."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://example.org\n",
            "_posts/2024-01-01-bl.md": "\n---\ntitle: x\f\n---\nbody\n",
        },
    )
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    assert (tmp_path / "jekyll" / "2024" / "01" / "01" / "bl.html").is_file()
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 0, result.output
    assert "/2024/01/01/bl.html" in (site / "_site" / "atom.xml").read_text(encoding="utf-8")


def test_dates_with_a_lower_case_z_or_a_one_digit_offset_are_jekylls(tmp_path: Path, jekyll: None) -> None:
    """`date: 2024-01-29t20:00:00z` is no YAML timestamp to Psych (its "Z" is upper case), and Time.parse reads the
    "z" as UTC: feedpub took the site's zone (a day early in Tokyo: a 404). `date: 2024-01-27 22:00:00 -5` is a
    timestamp at -05:00 to Psych: feedpub rejected the post ("Jekyll stops the build"), which Jekyll publishes."""
    dates = {"lower-z": "2024-01-29t20:00:00z", "minus-5": "2024-01-27 22:00:00 -5", "plus-9": "2024-01-25 01:00:00 +9"}
    dates |= {"half": "2024-01-23 22:00:00 -5:30", "quoted": '"2024-01-21 22:00:00 -5"'}
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://example.org\ntimezone: Asia/Tokyo\n",
            **{
                f"_posts/2024-01-0{n}-{name}.md": f"---\ntitle: {name}\ndate: {when}\n---\nx\n"
                for n, (name, when) in enumerate(dates.items(), 1)
            },
        },
    )
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    theirs = {p.relative_to(tmp_path / "jekyll").as_posix() for p in (tmp_path / "jekyll").rglob("*.html")}
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 0, result.output
    feed = ET.parse(site / "_site" / "atom.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    links = [link.get("href", "") for entry in feed.iter(f"{atom}entry") for link in entry.iter(f"{atom}link")]
    assert len(links) == len(dates)
    assert {link.removeprefix("https://example.org/") for link in links} <= theirs
    assert "2024/01/30/lower-z.html" in theirs and "2024/01/28/minus-5.html" in theirs


def test_floats_are_written_as_ruby_writes_them() -> None:
    """Ruby's Float#to_s (a category, a title): "1.0e+15" where Python writes 1000000000000000.0; checked against
    Ruby itself on floats of every magnitude (skipped where Ruby is not installed; CI has it with Jekyll)."""
    from feedpub.read.jekyll.posts import ruby_inspect

    ruby = shutil.which("ruby")
    if ruby is None:
        skip_or_fail("ruby is not installed")
    numbers = [1.0, 1e14, 1e15, 1e16, 0.0001, 0.00001, 1234567890123456.7, -0.0, 5e-324, 1.7976931348623157e308]
    numbers += [
        sign * digits * 10.0**power for sign in (1, -1) for digits in (1, 1.5, 123.456) for power in range(-8, 24)
    ]
    script = "STDIN.each_line { |line| puts Float(line.strip).to_s }"
    done = subprocess.run(
        [ruby, "-e", script], input="".join(f"{n!r}\n" for n in numbers), capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert [ruby_inspect(n) for n in numbers] == done.stdout.splitlines()


def test_categories_kept_apart_and_refused_as_jekyll_does(tmp_path: Path, jekyll: None) -> None:
    """`categories: [1, 1.0, 1000000000000000.0]` is /1/1.0/1.0e+15/… to Jekyll (Ruby's `|` keeps 1 and 1.0 apart,
    and its to_s writes 1.0e+15): feedpub merged 1 and 1.0 and wrote 1000000000000000.0 (404s). `categories: 2024`,
    `1.5`, `false` or a mapping: Jekyll cannot read the post ("no implicit conversion of Integer into Array") and
    publishes it without its front matter; feedpub linked /2024/…, a 404. Such a post is rejected by name."""
    posts = {
        "2024-01-05-listed.md": "categories: [1, 1.0, 1000000000000000.0]",
        "2024-01-04-number.md": "categories: 2024",
        "2024-01-03-float.md": "categories: 1.5",
        "2024-01-02-false.md": "categories: false",
        "2024-01-01-mapping.md": "categories: {a: 1}",
    }
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://example.org\n",
            **{f"_posts/{name}": f"---\ntitle: t\n{front}\n---\nx\n" for name, front in posts.items()},
        },
    )
    with pytest.raises(AssertionError, match="no implicit conversion of Integer into Array"):
        jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")  # it logs the errors, and goes on
    assert (tmp_path / "jekyll" / "1" / "1.0" / "1.0e+15" / "2024" / "01" / "05" / "listed.html").is_file()
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 1, result.output
    for name, kind in [("number", "a number"), ("float", "a number"), ("false", "true or false"), ("mapping", "a map")]:
        assert f"-{name}.md: categories is {kind}" in result.output, name
    feed = (site / "_site" / "atom.xml").read_text(encoding="utf-8")
    assert "https://example.org/1/1.0/1.0e+15/2024/01/05/listed.html" in feed


@pytest.mark.parametrize("slug", ["2024", "1.5", "true", "[a]"])
def test_a_slug_that_is_no_text_rejects_its_post_as_it_stops_jekylls_build(
    slug: str, tmp_path: Path, jekyll: None
) -> None:
    """`slug: 2024` (a number, a boolean, a list) under a permalink with :title stops Jekyll's whole build
    ("undefined method `gsub'"); feedpub published the post at /2024/01/01/2024.html. It is rejected by name, the
    others published."""
    files = {
        "_config.yml": "title: T\nurl: https://example.org\n",
        "_posts/2024-01-01-a.md": f"---\ntitle: a\nslug: {slug}\n---\nx\n",
        "_posts/2024-01-02-b.md": "---\ntitle: b\n---\nx\n",
    }
    site = jekyll_oracle.write_files(tmp_path / "site", files)
    with pytest.raises(AssertionError, match="undefined method `gsub'"):
        jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 1, result.output
    assert "2024-01-01-a.md: slug " in result.output and "is no text, which stops Jekyll's build" in result.output
    assert "/2024/01/02/b.html" in (site / "_site" / "atom.xml").read_text(encoding="utf-8")


def test_a_number_title_is_written_as_ruby_writes_it(tmp_path: Path, jekyll: None) -> None:
    """`title: 1.0e+20` is the float 1e20 to Psych, "1.0e+20" in jekyll-feed's entry; feedpub wrote "1e+20"."""
    files = {
        "_config.yml": "title: T\nurl: https://example.org\nplugins: [jekyll-feed]\n",
        "_posts/2024-01-01-a.md": "---\ntitle: 1.0e+20\n---\nx\n",
    }
    site = jekyll_oracle.write_files(tmp_path / "site", files)
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    assert '<title type="html">1.0e+20</title>' in (tmp_path / "jekyll" / "feed.xml").read_text(encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    assert "<title>1.0e+20</title>" in (site / "_site" / "rss.xml").read_text(encoding="utf-8")


def test_last_modified_at_as_a_number_is_seconds_as_jekyll_feed_shows_it(tmp_path: Path, jekyll: None) -> None:
    """`last_modified_at: 1706000000`: Jekyll keeps it as data, and jekyll-feed's date filter reads a number as
    seconds since 1970 (Liquid's to_date): <updated>2024-01-23T08:53:20+00:00. feedpub rejected the post ("not a
    date") at every build."""
    files = {
        "_config.yml": "title: T\nurl: https://example.org\nplugins: [jekyll-feed]\n",
        "_posts/2024-01-01-a.md": "---\ntitle: a\nlast_modified_at: 1706000000\n---\nx\n",
    }
    site = jekyll_oracle.write_files(tmp_path / "site", files)
    jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    theirs = jekyll_oracle.parse_atom(tmp_path / "jekyll" / "feed.xml")["entries"][0]["updated"]
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    feed = ET.parse(site / "_site" / "feed.xml").getroot()  # named as jekyll-feed names it (init)
    ours = feed.findtext("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}updated")
    assert ours is not None and theirs is not None
    assert (
        datetime.fromisoformat(ours) == datetime.fromisoformat(theirs) == datetime(2024, 1, 23, 8, 53, 20, tzinfo=UTC)
    )


@pytest.mark.parametrize("where", ["front matter", "defaults"])
def test_a_link_to_an_unpublished_page_keeps_its_text(where: str, tmp_path: Path, jekyll: None) -> None:
    """`{% link unpub.md %}` to a page with `published: false` in its front matter: Jekyll writes no such page, and
    its build stops at the link; feedpub linked https://example.com/unpub.html, a 404. The link keeps its text, as
    one to a file that is not there does. From `defaults`, the page is published (Jekyll asks the page's own data,
    observed), and so is the link."""
    config = "title: T\nurl: https://example.com\n"
    if where == "defaults":
        config += "defaults:\n  - scope: {path: unpub.md}\n    values: {published: false}\n"
    files = {
        "_config.yml": config,
        "unpub.md": "---\ntitle: Unpub page\n" + ("published: false\n" if where == "front matter" else "") + "---\nx\n",
        "_posts/2024-01-02-linker.md": "---\ntitle: Linker\n---\nSee [the page]({% link unpub.md %}).\n",
    }
    site = jekyll_oracle.write_files(tmp_path / "site", files)
    if where == "front matter":
        with pytest.raises(AssertionError, match=r"Could not find document 'unpub\.md' in tag 'link'"):
            jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
    else:
        jekyll_oracle.run_jekyll(site, tmp_path / "jekyll")
        assert (tmp_path / "jekyll" / "unpub.html").is_file()
    config_path = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config_path).exit_code == 0
    result = run("build", "--config", config_path, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    feed = (site / "_site" / "atom.xml").read_text(encoding="utf-8")
    assert "the page" in feed and ("unpub.html" in feed) == (where == "defaults")


def test_include_lets_through_the_posts_jekylls_entry_filter_lets_through(tmp_path: Path, jekyll: None) -> None:
    """Jekyll matches `include` against a post's path below _posts (joined onto the source) and its file's name:
    `_under` publishes `_posts/_under/…`, and so does a pattern of the file's name; `_posts/_other` publishes
    nothing. feedpub skipped every one of them, and counted them as drafts."""
    config_yml = (
        'title: Inc\nurl: "https://inc.example"\nplugins: [jekyll-feed]\nfeed: {posts_limit: 100}\n'
        'include: ["_under", "_posts/_other", "#keep-*"]\n'
    )
    posts = {
        "_posts/2024-01-01-root.md": "---\ntitle: Root\n---\nText.\n",
        "_posts/_under/2024-01-02-under.md": "---\ntitle: Under\n---\nText.\n",
        "_posts/_other/2024-01-03-other.md": "---\ntitle: Other\n---\nText.\n",
        "_posts/_named/#keep-2024-01-04-named.md": "---\ntitle: Named\n---\nText.\n",
        "_posts/_skipped/2024-01-05-skipped.md": "---\ntitle: Skipped\n---\nText.\n",
    }
    site, config, built = _probe(tmp_path, config_yml, posts)
    ours, theirs = _entries_by_id(Migrated(site, config, built), built)
    assert sorted(entry["title"] for entry in theirs.values()) == ["Root", "Under"]
    assert sorted(_text(entry, "title") for entry in ours.values()) == ["Root", "Under"]


def test_a_url_and_baseurl_with_spaces_are_served_percent_encoded_with_jekyll_feeds_ids(
    tmp_path: Path, jekyll: None
) -> None:
    """Jekyll serves `url: "https://ex.com:8443/A B"` with `baseurl: "/C D"` at https://ex.com:8443/A%20B/C%20D/
    and jekyll-feed's ids start so; init wrote the CHANGE-ME placeholder, and the build stopped over it."""
    config_yml = 'title: S\nurl: "https://ex.com:8443/A B"\nbaseurl: "/C D"\nplugins: [jekyll-feed]\n'
    posts = {"_posts/2024-01-01-x.md": "---\ntitle: X\n---\nText.\n"}
    site, config, built = _probe(tmp_path, config_yml, posts)
    assert 'url = "https://ex.com:8443/A%20B/C%20D/"' in config.read_text(encoding="utf-8")
    ours, theirs = _entries_by_id(Migrated(site, config, built), built)
    assert list(theirs) == ["https://ex.com:8443/A%20B/C%20D/2024/01/01/x"]
    assert [_link(entry) for entry in ours.values()] == [entry["link"] for entry in theirs.values()]


@pytest.mark.parametrize(
    "pattern",
    ["*", "*/_posts", "**/*.md", "**/*/**/x.md", "a*/**/*", ".*/**", "**/.h/*", "*/**/b/**", "[ab]/?b", "lnk/**/*"],
)
def test_a_scope_glob_matches_what_pythons_glob_matched(tmp_path: Path, pattern: str) -> None:
    """The one-walk matcher of `defaults` scopes finds what Python's glob(recursive=True) found: "**" any run of
    folders, no "." name unless the part begins with one, links inside the site followed."""
    for name in ("a/_posts/x.md", "a/b/ab/x.md", "b/x.md", ".h/a/x.md", "a/.h/b/x.md", "ab/.x.md", "_posts/x.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "lnk").symlink_to("a")
    found = set(ScopeGlob.of(pattern).matches(tmp_path))
    expected = {str(Path(m).relative_to(tmp_path)) for m in glob.glob(str(tmp_path / pattern), recursive=True)}
    assert found == expected
