"""Posts as writers write them that once gave invalid or mangled feeds: each checked in every format, by the
conformance helpers (the W3C validator's rules, the schemas) and by what the feeds say."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from feedpub.dates import rfc3339
from feedpub.models import author_from
from feedpub.render.channels import term_slug
from tests.conformance import check_atom, check_jsonfeed, check_rss, validate_sitemap
from tests.conftest import run, write_config

ATOM = "{http://www.w3.org/2005/Atom}"


def _build(site: Path, *, timezone: str = "Asia/Seoul", extra: str = "") -> Path:
    config = write_config(site, extra=extra)
    config.write_text(config.read_text(encoding="utf-8").replace("Asia/Seoul", timezone), encoding="utf-8")
    result = run("build", "--config", config, "--now", "2026-12-01T00:00:00Z", "--quiet")
    assert result.exit_code == 0, result.output
    out = site / "out"
    for name in ("rss.xml", "atom.xml"):
        (check_rss if name == "rss.xml" else check_atom)(out / name, self_url=f"https://example.kr/{name}")
    check_jsonfeed(out / "feed.json", self_url="https://example.kr/feed.json")
    validate_sitemap(out / "sitemap.xml")
    return out


def _post(site: Path, name: str, front_matter: str, body: str = "<p>본문.</p>") -> None:
    folder = site / "_posts"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(f"---\n{front_matter.strip()}\n---\n{body}\n", encoding="utf-8")


def _titles(out: Path) -> tuple[list[str], list[str], list[str]]:
    rss = [i.findtext("title") or "" for i in etree.parse(out / "rss.xml").getroot().iter("item")]
    atom = [e.findtext(f"{ATOM}title") or "" for e in etree.parse(out / "atom.xml").getroot().iter(f"{ATOM}entry")]
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    return rss, atom, [i["title"] for i in items]


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("if a<b then c", "if a<b then c"),  # an HTML parser took `<b then c` for a tag, and the title ended at "a"
        ("1 <2 and 3> 2", "1 <2 and 3> 2"),
        ("<em>Bold</em> move", "Bold move"),  # markup written into a title is reduced to its text
        ("Vec<T> &amp; more", "Vec & more"),
    ],
)
def test_a_less_than_sign_that_opens_no_tag_stays_in_the_title_and_summary(
    tmp_path: Path, title: str, shown: str
) -> None:
    _post(tmp_path, "2024-01-01-t.md", f"title: {json.dumps(title)}\nexcerpt: {json.dumps(title)}")
    out = _build(tmp_path)
    assert _titles(out) == ([shown], [shown], [shown])
    assert json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["summary"] == shown


def test_an_image_url_with_an_ampersand_that_the_body_shows_is_not_led_again(tmp_path: Path) -> None:
    url = "https://cdn.example.net/img.php?id=1&size=large"
    _post(tmp_path, "2024-01-01-amp.md", f'title: 사진\nimage: "{url}"', f'<p><img src="{url}" alt="x"></p>')
    out = _build(tmp_path)
    items = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert items[0]["content_html"].count("<img") == 1


def test_a_zone_whose_offset_had_seconds_gives_dates_in_utc(tmp_path: Path) -> None:
    """Liberia kept local mean time, -00:44:30, until 1972: RFC 3339 and RFC 822 offsets have no seconds."""
    _post(tmp_path, "1970-06-01-lmt.md", "title: LMT\ndate: 1970-06-01 12:00")
    out = _build(tmp_path, timezone="Africa/Monrovia")
    rss = etree.parse(out / "rss.xml").getroot()
    assert rss.findtext("channel/item/pubDate") == "Mon, 01 Jun 1970 12:44:30 +0000"
    atom = etree.parse(out / "atom.xml").getroot()
    assert atom.findtext(f"{ATOM}entry/{ATOM}updated") == "1970-06-01T12:44:30+00:00"
    seoul_1905 = datetime(1905, 5, 1, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))  # +08:27:52
    assert rfc3339(seoul_1905) == "1905-05-01T00:32:08+00:00"
    assert rfc3339(datetime(2024, 1, 1, 9, 0, 0, 5, tzinfo=ZoneInfo("Asia/Seoul"))) == "2024-01-01T09:00:00+09:00"


def test_an_author_email_that_is_no_address_is_left_out(tmp_path: Path) -> None:
    assert author_from({"name": "Kim", "email": "not-an-email"}) == author_from({"name": "Kim"})
    assert author_from({"name": "Kim", "email": "kim@news.example.kr"}).email == "kim@news.example.kr"  # type: ignore[union-attr]
    _post(tmp_path, "2024-01-01-a.md", 'title: A\nauthor: {name: "Kim & Lee", email: "not-an-email"}')
    out = _build(tmp_path)
    assert b"not-an-email" not in (out / "rss.xml").read_bytes() + (out / "atom.xml").read_bytes()


def test_a_config_author_email_that_is_no_address_stops_the_build(tmp_path: Path) -> None:
    config = write_config(tmp_path, extra="")
    text = config.read_text(encoding="utf-8").replace("[posts]", '[site.author]\nname = "K"\nemail = "nope"\n[posts]')
    config.write_text(text, encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    result = run("build", "--config", config)
    assert result.exit_code == 2
    assert "site.author.email" in result.output


@pytest.mark.parametrize("url", ["https://example.com/?lang=ko", "https://example.com/blog/#top"])
def test_a_site_url_with_a_query_or_fragment_stops_the_build(tmp_path: Path, url: str) -> None:
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("https://example.kr/", url), encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    result = run("build", "--config", config)
    assert result.exit_code == 2
    assert "without a query or fragment" in result.output
    assert not (tmp_path / "out").exists()


def test_a_decomposed_term_gets_the_folder_its_url_names(tmp_path: Path) -> None:
    """Hangul typed on macOS arrives decomposed (NFD); URLs are NFC, so the folder must be too."""
    decomposed = unicodedata.normalize("NFD", "한국")
    assert term_slug(decomposed) == term_slug("한국") == "한국"
    _post(tmp_path, "2024-01-01-k.md", f"title: K\ncategories: [{decomposed}]")
    out = _build(tmp_path, extra="[feeds]\ncategories = true\n")
    assert (out / "categories" / "한국" / "rss.xml").is_file()
    assert not (out / "categories" / decomposed).exists()


def test_posts_dated_by_day_alone_get_distinct_atom_updated(tmp_path: Path) -> None:
    """The W3C validator warns of two entries with one atom:updated (DuplicateUpdated): days share midnight."""
    for slug in ("a", "b", "c"):
        _post(tmp_path, f"2024-01-05-{slug}.md", f"title: {slug}\ndate: 2024-01-05")
    _post(tmp_path, "2024-01-04-d.md", "title: d\ndate: 2024-01-05 00:00:01 +0900")  # the second a tie moves to
    out = _build(tmp_path)  # check_atom: no DuplicateUpdated
    entries = etree.parse(out / "atom.xml").getroot().iter(f"{ATOM}entry")
    updated = [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}updated")) for e in entries]
    assert updated == [
        ("d", "2024-01-05T00:00:01+09:00"),
        ("a", "2024-01-05T00:00:00+09:00"),
        ("b", "2024-01-05T00:00:02+09:00"),
        ("c", "2024-01-05T00:00:03+09:00"),
    ]
    published = [e.findtext(f"{ATOM}published") for e in etree.parse(out / "atom.xml").getroot().iter(f"{ATOM}entry")]
    assert published[1:] == ["2024-01-05T00:00:00+09:00"] * 3  # the dates themselves are the posts'


def test_urls_in_content_are_encoded_as_browsers_ask_for_them(tmp_path: Path) -> None:
    body = '<p><img src="/img/100%.png" alt="a"><img src="/img/사진 1.png" alt="b"><a href="/a b/?q=1">c</a></p>'
    _post(tmp_path, "2024-01-01-u.md", "title: U", body)
    out = _build(tmp_path)
    content = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"][0]["content_html"]
    assert 'src="https://example.kr/img/100%25.png"' in content
    assert 'src="https://example.kr/img/%EC%82%AC%EC%A7%84%201.png"' in content
    assert 'href="https://example.kr/a%20b/?q=1"' in content


def test_robots_txt_is_written_only_at_a_hosts_root(tmp_path: Path) -> None:
    """Crawlers read /robots.txt alone: a site served under /blog/ writing blog/robots.txt says nothing."""
    _post(tmp_path, "2024-01-01-r.md", "title: R")
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("https://example.kr/", "https://example.kr/blog/"))
    assert run("build", "--config", config, "--now", "2026-12-01T00:00:00Z", "--quiet").exit_code == 0
    assert not (tmp_path / "out" / "robots.txt").exists()
    assert (tmp_path / "out" / "sitemap.xml").exists()
    root = tmp_path / "root"
    root.mkdir()
    _post(root, "2024-01-01-r.md", "title: R")
    assert "Sitemap: https://example.kr/sitemap.xml" in (_build(root) / "robots.txt").read_text(encoding="utf-8")


def test_two_posts_at_one_instant_in_a_dst_fold_get_distinct_atom_updated(tmp_path: Path) -> None:
    """01:30 on 2024-11-03 happens twice in New York: a post dated so (the first, -04:00) and one at that instant
    written with its offset shared <updated>, as Python found the two unequal (PEP 495)."""
    _post(tmp_path, "2024-11-03-a.md", "title: a\ndate: 2024-11-03 01:30:00")
    _post(tmp_path, "2024-11-03-b.md", "title: b\ndate: 2024-11-03 01:30:00 -0400")
    out = _build(tmp_path, timezone="America/New_York")  # check_atom: no DuplicateUpdated
    updated = [e.findtext(f"{ATOM}updated") for e in etree.parse(out / "atom.xml").getroot().iter(f"{ATOM}entry")]
    assert sorted(updated) == ["2024-11-03T01:30:00-04:00", "2024-11-03T01:30:01-04:00"]


@pytest.mark.parametrize("title", ["&nbsp;", "\u00a0\u3000", "&#8203;"])
def test_a_title_of_invisible_characters_falls_back_as_an_empty_one(tmp_path: Path, title: str) -> None:
    """A title that shows nothing (no-break or ideographic spaces, a zero-width space) gave every feed an empty
    title (the W3C validator: MissingElement); it takes the file name's slug, as a blank title does."""
    _post(tmp_path, "2024-01-01-invisible.md", f"title: {json.dumps(title)}")
    out = _build(tmp_path)
    assert _titles(out) == (["invisible"], ["invisible"], ["invisible"])


def test_the_bodys_own_image_is_never_led_again(tmp_path: Path) -> None:
    """On a site under /blog/, `/assets/cover.png` in a body is the enclosure's /blog/assets/cover.png (the static
    folder's file) but stays as written in the content, which then seemed not to show it: a second copy led it."""
    _post(tmp_path, "2024-01-01-img.md", "title: 그림", '<p><img src="/assets/cover.png" alt="Cover"> 본문.</p>')
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("https://example.kr/", "https://example.kr/blog/"))
    assert run("build", "--config", config, "--quiet").exit_code == 0
    (item,) = json.loads((tmp_path / "out" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert item["content_html"].count("<img") == 1, item["content_html"]


def test_urls_made_absolute_from_a_pages_url_are_encoded(tmp_path: Path) -> None:
    """A fragment or a relative link is resolved against the page's URL: its Hangul and an IDN host were left raw
    (the W3C validator and strict readers refuse such an IRI in content)."""
    body = '<p><a href="#fn1">1</a> <a href="사진 1.html">b</a> <a href="/소개/">c</a></p>'
    _post(tmp_path, "2024-01-01-지하철-요금.md", "title: 요금", body)
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("https://example.kr/", "https://뉴스.한국/"))
    assert run("build", "--config", config, "--quiet").exit_code == 0
    (item,) = json.loads((tmp_path / "out" / "feed.json").read_text(encoding="utf-8"))["items"]
    hrefs = re.findall(r'href="([^"]*)"', item["content_html"])
    assert hrefs and all(h.isascii() and " " not in h for h in hrefs), hrefs
    assert all(h.startswith("https://xn--") for h in hrefs), hrefs
    assert hrefs[0] == item["url"] + "#fn1"


@pytest.mark.parametrize(
    ("front_matter", "name", "email"),
    [
        ('author: ["김철수 <kim@news.example.kr>", "이영희"]', "김철수", "kim@news.example.kr"),
        ("authors: [이영희, 김철수]", "이영희", None),
        ("author: 박민수 <park@news.example.kr>", "박민수", "park@news.example.kr"),
        ("author: {name: 최, email: choi@news.example.kr}", "최", "choi@news.example.kr"),
    ],
    ids=["list", "authors", "name-and-address", "mapping"],
)
def test_an_authors_list_or_address_is_read_as_one_author(
    tmp_path: Path, front_matter: str, name: str, email: str | None
) -> None:
    """A list of authors was one author named by all of them joined, and "Name <address>" a name with the address
    in it; `authors:` was not read."""
    _post(tmp_path, "2024-01-01-a.md", f"title: A\n{front_matter}")
    out = _build(tmp_path)
    (item,) = json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"]
    assert item["authors"] == [{"name": name}]
    entry = etree.parse(out / "atom.xml").getroot().find(f"{ATOM}entry")
    assert entry is not None
    assert (entry.findtext(f"{ATOM}author/{ATOM}name"), entry.findtext(f"{ATOM}author/{ATOM}email")) == (name, email)


def test_a_decomposed_accent_in_a_slug_or_category_gives_the_composed_url(tmp_path: Path) -> None:
    """`café` typed decomposed (macOS) is "cafe" and a combining accent, which the slug made "cafe-": the post's
    URL was another than the same words composed."""
    for day, form in ((1, "NFC"), (2, "NFD")):
        slug, category = (unicodedata.normalize(form, text) for text in ("café-카페", "Économie"))
        _post(tmp_path, f"2024-01-0{day}-p{day}.md", f"title: P{day}\nslug: {slug}-{day}\ncategories: [{category}]")
    out = _build(tmp_path)
    urls = sorted(item["url"] for item in json.loads((out / "feed.json").read_text(encoding="utf-8"))["items"])
    assert [url.rsplit("-", 1)[0].replace("/02/", "/01/") for url in urls] == [urls[0].rsplit("-", 1)[0]] * 2
    assert "/%C3%A9conomie/" in urls[0]


def test_brackets_and_hashes_in_a_plain_sites_paths_are_encoded(tmp_path: Path) -> None:
    """`[` and `]` are no URI's outside an IPv6 host (the sitemap's xs:anyURI refused `/notes/[draft]/` and an image
    `/img/[1].png`), and a permalink's `#` is a character of the page's path (`/c#/x/` linked /c)."""
    _post(tmp_path, "2024-02-01-brackets.md", "title: 괄호\npermalink: /notes/[draft]/\nimage: /img/[1].png")
    _post(tmp_path, "2024-02-02-hashes.md", 'title: 해시\npermalink: "/c#/x#y?z/"')
    out = _build(tmp_path)  # the feeds' and the sitemap's checks
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.kr/notes/%5Bdraft%5D/" in sitemap
    assert "https://example.kr/img/%5B1%5D.png" in sitemap
    assert "https://example.kr/c%23/x%23y%3Fz/" in sitemap


def test_a_date_whose_offset_is_past_fourteen_hours_is_given_in_utc(tmp_path: Path) -> None:
    """`+23:59` is RFC 3339's (and YAML's, TOML's) but not xs:dateTime's: the sitemap's <lastmod> was invalid."""
    _post(tmp_path, "2024-02-01-far.md", "title: 먼 곳\ndate: 2024-01-01T00:00:00+23:59")
    out = _build(tmp_path)  # the sitemap's XSD among the checks
    assert "<lastmod>2023-12-31T00:01:00+00:00</lastmod>" in (out / "sitemap.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize("image", ["http://", "http:\\\\\\\\", "http:///x.png"])
def test_an_image_url_without_a_host_is_left_out(tmp_path: Path, image: str) -> None:
    """`image: 'http://'` (or `http:\\\\`, slashes to a browser) went into <media:content>, feed.json and the
    sitemap's <image:loc> as it was: no URL, and the feeds and sitemap were invalid."""
    _post(tmp_path, "2024-02-01-hostless.md", f"title: 호스트 없음\nimage: '{image}'")
    out = _build(tmp_path)  # the feeds' and the sitemap's checks
    assert "http://<" not in (out / "sitemap.xml").read_text(encoding="utf-8")
