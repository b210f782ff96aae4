"""Prove each conformance check passes good documents and fails each bad one precisely."""

from __future__ import annotations

import calendar
import gzip
import os
import shutil
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import conformance
import pytest

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data" / "conformance"

LINK_SPRING = "https://example.kr/2024/01/02/%EC%84%9C%EC%9A%B8%EC%9D%98-%EB%B4%84/"
LINK_PODCAST = "https://example.kr/2024/01/03/%ED%8C%9F%EC%BA%90%EC%8A%A4%ED%8A%B8/"
IMAGE_SPRING = "https://example.kr/img/%EB%B4%84.jpg"
AUDIO_PODCAST = "https://example.kr/media/%EC%9D%8C%EC%84%B1.mp3"
SPRING_UTC = time.struct_time((2024, 1, 2, 0, 0, 0, 1, 2, 0))  # 09:00 +09:00
PODCAST_UTC = time.struct_time((2024, 1, 3, 9, 30, 0, 2, 3, 0))  # 18:30 +09:00


@pytest.fixture
def shared() -> None:
    conformance.require_shared()


# --------------------------------------------------------------------------- good documents


@pytest.mark.usefixtures("shared")
def test_good_documents_pass_every_check() -> None:
    conformance.check_rss(DATA / "rss_good.xml", self_url="https://example.kr/rss.xml")
    conformance.validate_atom(DATA / "atom_good.xml")
    conformance.check_atom(DATA / "atom_good.xml", self_url="https://example.kr/atom.xml")
    assert conformance.check_jsonfeed(DATA / "jsonfeed_good.json")["title"] == "한국어 블로그"
    assert conformance.validate_sitemap(DATA / "sitemap_good.xml").tag.endswith("urlset")
    assert conformance.validate_sitemap(DATA / "sitemapindex_good.xml").tag.endswith("sitemapindex")


@pytest.mark.usefixtures("shared")
def test_check_output_dir_runs_all_checks_on_a_feedpub_folder(tmp_path: Path) -> None:
    for source, name in [
        ("rss_good.xml", "rss.xml"),
        ("atom_good.xml", "atom.xml"),
        ("jsonfeed_good.json", "feed.json"),
    ]:
        shutil.copy(DATA / source, tmp_path / name)
    (tmp_path / "sitemap.xml.gz").write_bytes(gzip.compress((DATA / "sitemap_good.xml").read_bytes()))
    conformance.check_output_dir(tmp_path, base_url="https://example.kr/")
    with pytest.raises(AssertionError, match=r"\[SelfDoesntMatchLocation\]"):
        conformance.check_output_dir(tmp_path, base_url="https://example.kr/blog/")


# --------------------------------------------------------------------------- bad documents

Checker = Callable[[Path], Any]
Finder = Callable[[Path], list[conformance.Problem]]

# Each file's prefix names its format, and so the pair of checks it goes through.
CHECKS: dict[str, tuple[Finder, Checker]] = {
    "rss": (conformance.rss_problems, conformance.check_rss),
    "atom": (conformance.atom_problems, conformance.check_atom),
    "jsonfeed": (conformance.jsonfeed_problems, conformance.check_jsonfeed),
}
BAD_FEEDS: list[tuple[str, set[str], str]] = [
    # file, the exact codes found, a fragment of the message
    ("rss_relative_link.xml", {"InvalidFullLink"}, "not relative"),
    ("rss_relative_content.xml", {"ContainsRelRef"}, "/img/a.jpg"),
    ("rss_bad_pubdate.xml", {"InvalidRFC2822Date"}, "2024-01-02T09"),
    ("rss_missing_guid.xml", {"MissingGuid"}, "missing <guid>"),
    ("rss_relative_permalink_guid.xml", {"InvalidPermalink"}, "guid"),
    ("rss_enclosure_without_length.xml", {"MissingAttribute"}, "length"),
    ("rss_unencoded_url.xml", {"NotURLEncoded"}, "my photo.jpg"),
    ("rss_missing_self_link.xml", {"MissingAtomSelfLink"}, "self"),
    ("rss_self_link_wrong_type.xml", {"SelfNotRss"}, "rss+xml"),
    ("rss_author_without_email.xml", {"InvalidContact"}, "김민수"),
    ("rss_script_in_description.xml", {"SecurityRisk", "SecurityRiskAttr"}, "<script>"),
    ("rss_channel_missing_description.xml", {"MissingElement"}, "<description>"),
    ("rss_duplicate_guid.xml", {"DuplicateValue"}, "used by 2 items"),
    ("atom_duplicate_alternate.xml", {"DuplicateAtomLink"}, "type='text/html' hreflang=None"),
    ("atom_duplicate_ids.xml", {"DuplicateEntries"}, "share the id"),
    ("atom_duplicate_updated.xml", {"DuplicateUpdated"}, "share <updated>2024-01-02T09:00:00+09:00"),
    ("atom_date_without_timezone.xml", {"InvalidRFC3339Date"}, "2024-01-02T09:00:00'"),
    ("atom_enclosure_without_length.xml", {"MissingAttribute"}, 'rel="enclosure"'),
    ("atom_missing_author.xml", {"MissingElement"}, "<author>"),
    ("atom_relative_href.xml", {"InvalidFullLink"}, "not relative"),
    ("atom_missing_self_link.xml", {"MissingSelf"}, 'rel="self"'),
    ("atom_relative_content.xml", {"ContainsRelRef"}, "#fn1"),
    ("jsonfeed_version_1_0.json", {"JSONFeed"}, "version/1.1"),
    ("jsonfeed_item_without_content.json", {"JSONFeed"}, "content_html or content_text"),
    ("jsonfeed_item_without_id.json", {"JSONFeed"}, "id is required"),
    ("jsonfeed_bad_date.json", {"InvalidRFC3339Date"}, "date_published"),
    ("jsonfeed_relative_url.json", {"InvalidFullLink", "NotURLEncoded"}, "items[0].url"),
]


@pytest.mark.parametrize(("name", "codes", "fragment"), BAD_FEEDS, ids=[b[0] for b in BAD_FEEDS])
def test_bad_feed_fails_with_its_code(name: str, codes: set[str], fragment: str) -> None:
    find, check = CHECKS[name.split("_")[0]]
    assert {p.code for p in find(DATA / name)} == codes
    with pytest.raises(AssertionError) as raised:
        check(DATA / name)
    message = str(raised.value)
    assert message.startswith(f"{DATA / name}: ")
    assert fragment in message
    for code in codes:
        assert f"[{code}]" in message


def test_rss_bad_pubdate_explains_each_date() -> None:
    messages = [p.message for p in conformance.rss_problems(DATA / "rss_bad_pubdate.xml")]
    assert messages == [
        "must be an RFC-822 date-time like 'Tue, 02 Jan 2024 09:00:00 +0900' (got '2024-01-02T09:00:00+09:00')",
        "year must have 4 digits (got 'Tue, 02 Jan 24 09:00:00 +0900')",
        "day of week is wrong: 2024-01-02 is a Tue (got 'Mon, 02 Jan 2024 09:00:00 +0900')",
    ]


def test_self_url_must_match_where_the_feed_is_served() -> None:
    for finder, name in [
        (conformance.rss_problems, "rss_good.xml"),
        (conformance.atom_problems, "atom_good.xml"),
        (conformance.jsonfeed_problems, "jsonfeed_good.json"),
    ]:
        problems = finder(DATA / name, self_url="https://example.kr/feeds/other")
        assert [p.code for p in problems] == ["SelfDoesntMatchLocation"], name


def test_not_well_formed_xml_fails_before_any_rule() -> None:
    with pytest.raises(AssertionError, match=r"rss_not_well_formed\.xml: not well-formed XML: EntityRef"):
        conformance.check_rss(DATA / "rss_not_well_formed.xml")


@pytest.mark.usefixtures("shared")
def test_atom_schema_rejects_unknown_atom_element() -> None:
    with pytest.raises(
        AssertionError, match=r"\[Schema\] line 13: Element entry has extra content: bogus \(atom.rng\)"
    ):
        conformance.validate_atom(DATA / "atom_schema_invalid.xml")


@pytest.mark.usefixtures("shared")
def test_atom_schema_misses_what_check_atom_catches() -> None:
    # xsd:dateTime makes the zone optional, RFC 3339 does not: the schema alone is not enough.
    conformance.validate_atom(DATA / "atom_date_without_timezone.xml")
    assert [p.code for p in conformance.atom_problems(DATA / "atom_date_without_timezone.xml")] == [
        "InvalidRFC3339Date"
    ]


BAD_SITEMAPS = [
    ("sitemap_bad_lastmod.xml", "'2024년 1월 2일' is not a valid value of the union type"),
    ("sitemap_unknown_extension.xml", "sitemap-image/1.1}bogus': This element is not expected"),
    ("sitemap_unencoded_loc.xml", "[NotURLEncoded] line 4 loc: contains whitespace"),
    ("sitemap_wrong_root.xml", "root must be urlset or sitemapindex"),
]


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize(("name", "fragment"), BAD_SITEMAPS, ids=[b[0] for b in BAD_SITEMAPS])
def test_bad_sitemap_fails(name: str, fragment: str) -> None:
    with pytest.raises(AssertionError) as raised:
        conformance.validate_sitemap(DATA / name)
    assert fragment in str(raised.value)


@pytest.mark.usefixtures("shared")
def test_sitemap_bytes_and_gzip_are_accepted() -> None:
    data = (DATA / "sitemap_good.xml").read_bytes()
    conformance.validate_sitemap(data)
    conformance.validate_sitemap(gzip.compress(data))
    with pytest.raises(AssertionError, match=r"<bytes>: 1 sitemap problem"):
        conformance.validate_sitemap(gzip.compress((DATA / "sitemap_bad_lastmod.xml").read_bytes()))


# --------------------------------------------------------------------------- value rules


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("Tue, 02 Jan 2024 09:00:00 +0900", None),
        ("02 Jan 2024 00:00:00 GMT", None),
        ("Tue, 02 Jan 2024 09:00 +0900", None),
        ("Tue, 2 Jan 2024 09:00:00 -0500", None),
        ("Tue, 02 Jan 2024 09:00:00 UTC", "RFC-822"),
        ("Tue, 02 Jan 2024 09:00:00", "RFC-822"),
        ("Tue, 31 Feb 2024 09:00:00 +0900", "not a real date-time"),
        ("Tue, 02 Jan 24 09:00:00 +0900", "4 digits"),
        ("Wed, 02 Jan 2024 09:00:00 +0900", "day of week is wrong"),
    ],
)
def test_rfc822_problem(value: str, problem: str | None) -> None:
    found = conformance.rfc822_problem(value)
    assert found is None if problem is None else problem in (found or "")


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("2024-01-02T09:00:00+09:00", None),
        ("2024-01-02T00:00:00Z", None),
        ("2024-01-02T00:00:00.123Z", None),
        ("2024-01-02t00:00:00z", "RFC-3339"),
        ("2024-01-02T00:00:00", "RFC-3339"),
        ("2024-01-02", "RFC-3339"),
        ("2024-13-02T00:00:00Z", "not a real date-time"),
    ],
)
def test_rfc3339_problem(value: str, problem: str | None) -> None:
    found = conformance.rfc3339_problem(value)
    assert found is None if problem is None else problem in (found or "")


@pytest.mark.parametrize(
    ("url", "iri", "code"),
    [
        ("https://example.kr/%EA%B8%80/?q=1&x=%20#top", False, None),
        ("https://example.kr/글/", True, None),
        ("https://example.kr/글/", False, "NotURLEncoded"),
        ("https://example.kr/a b", True, "NotURLEncoded"),
        ("https://example.kr/a|b", False, "NotURLEncoded"),
        ("https://example.kr/100%", False, "NotURLEncoded"),
        ("/relative/", False, "InvalidFullLink"),
        ("//example.kr/protocol-relative", False, "InvalidFullLink"),
        ("ftp://example.kr/file", False, "InvalidFullLink"),
        ("", False, "InvalidFullLink"),
    ],
)
def test_url_problem(url: str, iri: bool, code: str | None) -> None:
    found = conformance.url_problem(url, iri=iri)
    assert (found[0] if found else None) == code


@pytest.mark.parametrize(
    ("html", "codes"),
    [
        ('<p><a href="https://example.kr/">홈</a> <img src="data:image/png;base64,AA" alt=""></p>', []),
        ('<a href="mailto:editor@example.kr">메일</a>', []),
        ('<img src="img/a.jpg">', ["ContainsRelRef"]),
        ('<a href="#fn1">1</a>', ["ContainsRelRef"]),
        ('<img src="https://example.kr/a.jpg" srcset="https://example.kr/a.jpg 1x, /a@2x.jpg 2x">', ["ContainsRelRef"]),
        ('<img src="https://example.kr/a.jpg" srcset="https://cdn.example/w_400,c_scale/a.jpg 400w">', []),
        ('<a href="javascript:alert(1)">x</a>', ["SecurityRisk"]),
        ('<iframe src="https://www.youtube.com/embed/x"></iframe>', ["SecurityRisk"]),
        ('<img src="https://example.kr/a.jpg" onerror="x()">', ["SecurityRiskAttr"]),
        ("", []),
    ],
)
def test_html_problems(html: str, codes: list[str]) -> None:
    assert [p.code for p in conformance.html_problems(html, "content")] == codes


# --------------------------------------------------------------------------- feedparser


def test_feedparser_fails_on_bozo_with_the_exception() -> None:
    with pytest.raises(AssertionError, match=r"rss_not_well_formed\.xml: feedparser bozo: SAXParseException"):
        conformance.parse_with_feedparser(DATA / "rss_not_well_formed.xml")


def test_feedparser_entries_of_rss() -> None:
    assert conformance.feedparser_entries(DATA / "rss_good.xml") == [
        ("서울의 봄", LINK_SPRING, SPRING_UTC, IMAGE_SPRING, "<p>봄이 왔습니다.</p>"),
        ("팟캐스트 첫 회", LINK_PODCAST, PODCAST_UTC, None, "첫 방송입니다."),
    ]


def test_rss_atom_and_json_feed_tell_readers_the_same_story() -> None:
    def story(entries: list[conformance.EntrySummary]) -> list[tuple[object, ...]]:
        return [(e.title, e.link, e.published_parsed, e.image_url) for e in entries]

    rss = story(conformance.feedparser_entries(DATA / "rss_good.xml"))
    assert story(conformance.feedparser_entries(DATA / "atom_good.xml")) == rss
    assert story(conformance.jsonfeed_entries(DATA / "jsonfeed_good.json")) == rss


# --------------------------------------------------------------------------- environment


def test_require_shared_skips_for_a_user_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(conformance, "SHARED", tmp_path / "shared")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"\.\./shared is absent \(a user's clone lacks it\)"):
        conformance.require_shared()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"\.\./shared is absent"):
        conformance.require_shared()


def test_missing_newsboat_skips_for_a_user_but_fails_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no-such-newsboat is not installed"):
        conformance.newsboat_items(["http://127.0.0.1:9/x"], tmp_path, binary="no-such-newsboat")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="no-such-newsboat is not installed"):
        conformance.newsboat_items(["http://127.0.0.1:9/x"], tmp_path, binary="no-such-newsboat")


# A child process's first lines: lxml makes a catalog lookup, which fixes libxml2's catalog settings for good.
_AFTER_A_CATALOG_LOOKUP = textwrap.dedent(
    """
    import os
    from lxml import etree
    try:
        etree.fromstring(b'<!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>',
                         etree.XMLParser(load_dtd=True, no_network=True))
    except etree.XMLSyntaxError:
        pass
    """
)


def _without_catalog_setting(script: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "XML_CATALOG_FILES"}
    return subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False)


@pytest.mark.usefixtures("shared")
def test_schemas_load_even_after_libxml2_froze_its_catalog_settings() -> None:
    # A child process: lxml is imported and makes a catalog lookup before conformance
    # is imported, the order in which XML_CATALOG_FILES alone would not help.
    script = _AFTER_A_CATALOG_LOOKUP + textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(TESTS)!r})
        import conformance
        conformance.validate_sitemap({str(DATA / "sitemap_good.xml")!r})
        print(os.environ["XML_CATALOG_FILES"])
        """
    )
    run = _without_catalog_setting(script)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == str(conformance.CATALOG)


@pytest.mark.usefixtures("shared")
def test_libxml2_reads_xml_catalog_files_only_at_its_first_catalog_lookup() -> None:
    # Documents the libxml2 behaviour the module docstring relies on (lxml's bundled libxml2).
    script = _AFTER_A_CATALOG_LOOKUP + textwrap.dedent(
        f"""
        os.environ["XML_CATALOG_FILES"] = {str(conformance.CATALOG)!r}
        etree.XMLSchema(etree.parse({str(conformance.SCHEMAS / "sitemap-all.xsd")!r}, etree.XMLParser(no_network=True)))
        """
    )
    run = _without_catalog_setting(script)
    assert run.returncode != 0
    assert "xml.xsd" in run.stderr or "XML/1998/namespace" in run.stderr


# --------------------------------------------------------------------------- newsboat


def test_newsboat_reads_korean_rss_and_atom_over_http(tmp_path: Path) -> None:
    with conformance.serve_directory(DATA) as base:
        rss_url, atom_url = base + "rss_good.xml", base + "atom_good.xml"
        items = conformance.newsboat_items([rss_url, atom_url], tmp_path)
    seen = [(i["feedurl"], i["feed_title"], i["title"], i["url"], i["pubDate"]) for i in items]
    spring, podcast = calendar.timegm(SPRING_UTC), calendar.timegm(PODCAST_UTC)
    assert seen == [
        (rss_url, "한국어 블로그", "서울의 봄", LINK_SPRING, spring),
        (rss_url, "한국어 블로그", "팟캐스트 첫 회", LINK_PODCAST, podcast),
        (atom_url, "한국어 블로그", "서울의 봄", LINK_SPRING, spring),
        (atom_url, "한국어 블로그", "팟캐스트 첫 회", LINK_PODCAST, podcast),
    ]
    assert [(i["enclosure_url"], i["enclosure_type"]) for i in items if "팟캐스트" in i["title"]] == [
        (AUDIO_PODCAST, "audio/mpeg"),
        (AUDIO_PODCAST, "audio/mpeg"),
    ]
    # newsboat 2.21 keeps only podcast enclosures (audio/*, video/*, application/ogg),
    # so the image enclosure of the first post may be dropped.
    assert {i["enclosure_url"] for i in items if i["title"] == "서울의 봄"} <= {None, IMAGE_SPRING}
    # Everything newsboat wrote is under tmp_path/newsboat (HOME), one folder per feed.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["newsboat"]
    assert sorted(p.name for p in (tmp_path / "newsboat" / "feed-1").iterdir()) == [
        "cache.db",
        "config",
        "error.log",
        "urls",
    ]


def test_newsboat_errors_fail_the_check(tmp_path: Path) -> None:
    with conformance.serve_directory(DATA) as base, pytest.raises(AssertionError) as raised:
        conformance.newsboat_items([base + "missing.xml"], tmp_path)
    header, log = str(raised.value).split("\n", 1)
    assert header == f"newsboat reported errors for {base}missing.xml:"
    assert log.endswith(f"Error while retrieving {base}missing.xml: HTTP response code said error 404")
    with conformance.serve_directory(DATA) as base, pytest.raises(AssertionError, match="XML root node is NULL"):
        conformance.newsboat_items([base + "jsonfeed_good.json"], tmp_path)  # newsboat 2.21 reads no JSON Feed
