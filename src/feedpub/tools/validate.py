"""Check written outputs offline: well-formed XML and JSON, and the rules of each format that readers rely on.

The checks are our own (lxml and the standard library), so the tool needs no schema files: required
elements, absolute URLs, parseable dates not in the future, unique ids. The test suite adds the
official schemas (sitemaps.org XSDs, RFC 4287's RELAX NG) on top.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from lxml import etree

from feedpub.errors import FeedpubError
from feedpub.models import NEWS_LANGUAGE, SITEMAP_MAX_BYTES, SITEMAP_MAX_URLS, Site
from feedpub.namespaces import ATOM_NS, IMAGE_NS, JSON_FEED_VERSIONS, NEWS_NS, SITEMAP_NS
from feedpub.plain_files import bounded_walk, read_plain_file
from feedpub.state.published import load_last_outputs
from feedpub.urls import MAX_URL_LENGTH, is_http_url

# RFC 3339 §5.6 date-time, as Atom (RFC 4287 §3.3) and JSON Feed require: a time and an offset.
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$", re.IGNORECASE)
# W3C Datetime (sitemaps.org <lastmod>, news publication_date): a date, or a date and time with an offset.
_W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$")
_DATE_EXAMPLES = {
    "rfc822": "Mon, 02 Jan 2006 15:04:05 +0900",
    "rfc3339": "2006-01-02T15:04:05+09:00",
    "w3c": "2006-01-02 or 2006-01-02T15:04:05+09:00",
}


@dataclass(frozen=True)
class Problem:
    file: str  # relative to the checked folder, "/"-separated
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.line}: {self.message}"


@dataclass
class _Checker:
    """Collects the problems of one file."""

    name: str
    now: datetime
    problems: list[Problem] = field(default_factory=list)

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.name, line or 1, message))

    def url(self, line: int | None, what: str, value: object, *, encoded: bool = True) -> None:
        """An absolute http(s) URL; `encoded`: a URI whose non-ASCII characters are percent-encoded."""
        value = str(value or "").strip()
        if not is_http_url("".join(value.split())):  # white space has a message of its own, below
            self.add(line, f"{what} must be an absolute http(s) URL, got {value!r}")
        elif any(c.isspace() for c in value):
            self.add(line, f"{what} contains white space: {value!r}")
        elif encoded and not value.isascii():
            self.add(line, f"{what} must be percent-encoded (non-ASCII characters in {value!r})")

    def date(self, line: int | None, what: str, value: object, form: str) -> None:
        """A date in `form` ("rfc822", "rfc3339" or "w3c") that is not after `now`."""
        text = str(value or "").strip()
        moment: datetime | None = None
        try:
            if form == "rfc822":
                moment = parsedate_to_datetime(text)
            elif (_RFC3339 if form == "rfc3339" else _W3C_DATETIME).match(text):
                moment = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is None:
            example = _DATE_EXAMPLES[form]
            self.add(line, f"{what} is not a valid date (got {text!r}); expected e.g. {example}")
            return
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if moment > self.now:
            self.add(line, f"{what} {text} is in the future (now is {self.now.isoformat(timespec='seconds')})")

    def unique(self, seen: dict[str, int], line: int | None, what: str, value: str) -> None:
        if value in seen:
            self.add(line, f"duplicate {what} {value!r} (first on line {seen[value]})")
        else:
            seen[value] = line or 1


def validate_folder(folder: Path, now: datetime) -> list[Problem]:
    """Check every feed, sitemap and JSON file under `folder` (hidden files and folders are skipped)."""
    if not folder.is_dir():
        raise FeedpubError(f"{folder}: no such folder; run `feedpub build` first, or name the output folder")
    problems: list[Problem] = []
    checked = 0
    for path in _output_files(folder):
        checked += 1
        name = path.relative_to(folder).as_posix()
        try:
            data = read_plain_file(path, follow_links=True)  # a pipe would hang the check, a device fill memory
            if name.endswith(".gz"):
                data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            problems.append(Problem(name, 1, f"cannot read: {error}"))
            continue
        problems += check_output(name.removesuffix(".gz"), data, now, shown_as=name)
    if not checked:  # "no problems" would pass a folder that holds no feed at all
        raise FeedpubError(
            f"{folder}: nothing to check: no .xml, .xml.gz or .json file; run `feedpub build` first, or name the "
            "output folder"
        )
    return problems


def _output_files(folder: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in bounded_walk(folder):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith(".") and name.endswith((".xml", ".xml.gz", ".json")):
                yield Path(dirpath) / name


def check_output(name: str, data: bytes, now: datetime, shown_as: str | None = None) -> list[Problem]:
    """The problems of one output file, judged by its content (JSON by its name)."""
    checker = _Checker(shown_as or name, now)
    if name.endswith(".json"):
        _check_json(checker, data)
        return checker.problems
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        checker.add(error.lineno, f"not well-formed XML: {error.msg}")
        return checker.problems
    if root.tag == "rss":
        _check_rss(checker, root)
    elif root.tag == f"{{{ATOM_NS}}}feed":
        _check_atom(checker, root)
    elif root.tag in (f"{{{SITEMAP_NS}}}urlset", f"{{{SITEMAP_NS}}}sitemapindex"):
        _check_sitemap(checker, root, len(data))
    elif etree.QName(root).localname in ("urlset", "sitemapindex"):
        checker.add(root.sourceline, f"sitemap root must be in the namespace {SITEMAP_NS}")
    return checker.problems


def _text(element: Any, path: str, namespaces: dict[str, str] | None = None) -> tuple[int | None, str | None]:
    """(line, text) of the first match of `path` under `element`; (element's line, None) when absent."""
    found = element.find(path, namespaces)
    if found is None:
        return element.sourceline, None
    return found.sourceline, (found.text or "").strip()


def _check_rss(checker: _Checker, root: Any) -> None:
    # RSS 2.0 spec, "Required channel elements" and "Elements of <item>".
    if root.get("version") != "2.0":
        checker.add(root.sourceline, f'<rss> must have version="2.0", got {root.get("version")!r}')
    channel = root.find("channel")
    if channel is None:
        checker.add(root.sourceline, "<rss> has no <channel>")
        return
    for required in ("title", "link", "description"):
        line, value = _text(channel, required)
        if not value:
            checker.add(line, f"<channel> needs a non-empty <{required}> (RSS 2.0 required element)")
    line, link = _text(channel, "link")
    if link:
        checker.url(line, "<channel><link>", link)
    for self_link in channel.iterfind(f"{{{ATOM_NS}}}link"):
        checker.url(self_link.sourceline, f'<atom:link rel="{self_link.get("rel")}">', self_link.get("href"))
    for element in ("pubDate", "lastBuildDate"):
        line, value = _text(channel, element)
        if value is not None:
            checker.date(line, f"<channel><{element}>", value, "rfc822")
    guids: dict[str, int] = {}
    for item in channel.iterfind("item"):
        if not (_text(item, "title")[1] or _text(item, "description")[1]):
            checker.add(item.sourceline, "<item> needs a <title> or a <description>")
        line, link = _text(item, "link")
        if link is not None:
            checker.url(line, "<item><link>", link)
        guid = item.find("guid")
        if guid is not None:
            value = (guid.text or "").strip()
            checker.unique(guids, guid.sourceline, "<guid>", value)
            if guid.get("isPermaLink", "true") == "true":
                checker.url(guid.sourceline, "<guid> (a permalink)", value)
        line, value = _text(item, "pubDate")
        if value is not None:
            checker.date(line, "<item><pubDate>", value, "rfc822")
        for enclosure in item.iterfind("enclosure"):
            checker.url(enclosure.sourceline, "<enclosure url>", enclosure.get("url"))
            for attribute in ("length", "type"):
                if not enclosure.get(attribute):
                    checker.add(enclosure.sourceline, f"<enclosure> needs a {attribute} attribute")


def _check_atom(checker: _Checker, root: Any) -> None:
    # RFC 4287 §4.1.1 (feed) and §4.1.2 (entry): id, title and updated are required; author on the feed
    # or on every entry; an entry without content needs a rel="alternate" link.
    ns = {"a": ATOM_NS}
    _check_atom_common(checker, root, "<feed>", ns)
    if root.find("a:link[@rel='self']", ns) is None:
        checker.add(root.sourceline, '<feed> should have a <link rel="self"> with the URL it is served at')
    feed_has_author = root.find("a:author", ns) is not None
    ids: dict[str, int] = {}
    updated: dict[str, int] = {}
    for entry in root.iterfind("a:entry", ns):
        _check_atom_common(checker, entry, "<entry>", ns)
        line, value = _text(entry, "a:id", ns)
        if value:
            checker.unique(ids, line, "entry <id>", value)
        line, value = _text(entry, "a:updated", ns)
        if value:  # the W3C validator's DuplicateUpdated warning
            checker.unique(updated, line, "entry <updated>", value)
        if not feed_has_author and entry.find("a:author", ns) is None:
            checker.add(entry.sourceline, "<entry> needs an <author> (the feed has none)")
        alternate = any(link.get("rel", "alternate") == "alternate" for link in entry.iterfind("a:link", ns))
        if entry.find("a:content", ns) is None and not alternate:
            checker.add(entry.sourceline, '<entry> without <content> needs a <link rel="alternate">')
        line, value = _text(entry, "a:published", ns)
        if value is not None:
            checker.date(line, "<entry><published>", value, "rfc3339")


def _check_atom_common(checker: _Checker, element: Any, what: str, ns: dict[str, str]) -> None:
    for required in ("id", "title", "updated"):
        line, value = _text(element, f"a:{required}", ns)
        if value is None:
            checker.add(line, f"{what} needs an <{required}> (RFC 4287)")
    line, value = _text(element, "a:id", ns)
    if value:
        checker.url(line, f"{what}<id>", value, encoded=False)  # IRIs are allowed in Atom
    line, value = _text(element, "a:updated", ns)
    if value is not None:
        checker.date(line, f"{what}<updated>", value, "rfc3339")
    for link in element.iterfind("a:link", ns):
        checker.url(link.sourceline, f'{what}<link rel="{link.get("rel", "alternate")}">', link.get("href"))


def _check_sitemap(checker: _Checker, root: Any, size: int) -> None:
    """A <urlset> or a <sitemapindex>: sitemaps.org's limits hold for both, and each <loc> once."""
    ns = {"s": SITEMAP_NS, "image": IMAGE_NS, "news": NEWS_NS}
    child = "url" if root.tag == f"{{{SITEMAP_NS}}}urlset" else "sitemap"
    children = root.findall(f"s:{child}", ns)
    if len(children) > SITEMAP_MAX_URLS:
        checker.add(root.sourceline, f"{len(children)} <{child}>s, over the sitemaps.org limit of 50,000; split it")
    if size > SITEMAP_MAX_BYTES:
        checker.add(root.sourceline, f"{size} bytes uncompressed, over the sitemaps.org limit of 50 MB")
    locs: dict[str, int] = {}
    for element in children:
        line, loc = _check_loc(checker, element, ns, f"<{child}>")
        if loc:
            checker.unique(locs, line, "<loc>", loc)
        for image in element.iterfind("image:image", ns):
            line, value = _text(image, "image:loc", ns)
            checker.url(line, "<image:loc>", value)
        for news in element.iterfind("news:news", ns):
            _check_news(checker, news, ns)


def _check_loc(checker: _Checker, element: Any, ns: dict[str, str], what: str) -> tuple[int | None, str | None]:
    line, loc = _text(element, "s:loc", ns)
    if loc is None:
        checker.add(line, f"{what} needs a <loc>")
    else:
        checker.url(line, "<loc>", loc)
        if len(loc) >= MAX_URL_LENGTH:
            checker.add(line, f"<loc> is {len(loc)} characters long; sitemaps.org allows fewer than 2,048")
    line_mod, lastmod = _text(element, "s:lastmod", ns)
    if lastmod is not None:
        checker.date(line_mod, "<lastmod>", lastmod, "w3c")
    return line, loc


def _check_news(checker: _Checker, news: Any, ns: dict[str, str]) -> None:
    # Google News sitemap: publication name and language, publication_date and title are required.
    for path, what in (("news:publication/news:name", "<news:name>"), ("news:title", "<news:title>")):
        line, value = _text(news, path, ns)
        if not value:
            checker.add(line, f"<news:news> needs a non-empty {what}")
    line, language = _text(news, "news:publication/news:language", ns)
    if not language or not NEWS_LANGUAGE.fullmatch(language):
        checker.add(line, f'<news:language> must be an ISO 639 code like "ko" (or zh-cn, zh-tw), got {language!r}')
    line, value = _text(news, "news:publication_date", ns)
    checker.date(line, "<news:publication_date>", value, "w3c")


def _check_json(checker: _Checker, data: bytes) -> None:
    try:
        text = data.decode("utf-8")
        feed = json.loads(text)
    except UnicodeDecodeError as error:
        checker.add(1, f"not UTF-8 (invalid byte at offset {error.start})")
        return
    except json.JSONDecodeError as error:
        checker.add(error.lineno, f"not well-formed JSON: {error.msg}")
        return
    if not (isinstance(feed, dict) and str(feed.get("version", "")).startswith(JSON_FEED_VERSIONS)):
        if isinstance(feed, dict) and isinstance(feed.get("items"), list) and ("title" in feed or "feed_url" in feed):
            # A feed by its shape, whose readers look for the version first: without it they take none of it.
            checker.add(
                1, f"a JSON Feed needs its version (https://jsonfeed.org/version/1.1), got {feed.get('version')!r}"
            )
        return  # else some other JSON file: well-formed is all we know to ask

    def line_of(key: str, value: object) -> int:
        """The line of `"key": value`: json.loads keeps no positions, so look for the pair's JSON text."""
        index = text.find(json.dumps({key: value}, ensure_ascii=False)[1:-1])
        return text.count("\n", 0, index) + 1 if index >= 0 else 1

    # JSON Feed 1.1: version, title and items are required; each item needs an id and content_html or
    # content_text; dates are RFC 3339.
    if not feed.get("title"):
        checker.add(1, 'JSON Feed needs a "title"')
    for key in ("home_page_url", "feed_url"):
        if key in feed:
            checker.url(line_of(key, feed[key]), f'"{key}"', feed[key])
    items = feed.get("items")
    if not isinstance(items, list):
        checker.add(1, 'JSON Feed needs an "items" list')
        return
    ids: dict[str, int] = {}
    for item in items:
        if not isinstance(item, dict):
            checker.add(1, 'every item of "items" must be an object')
            continue
        line = line_of("id", item.get("id"))
        if not isinstance(item.get("id"), str) or not item["id"]:
            checker.add(line, 'item needs a non-empty string "id"')
        else:
            checker.unique(ids, line, 'item "id"', item["id"])
        if not item.get("content_html") and not item.get("content_text"):
            checker.add(line, 'item needs "content_html" or "content_text"')
        for key in ("url", "image", "external_url"):
            if key in item:
                checker.url(line_of(key, item[key]), f'item "{key}"', item[key])
        for key in ("date_published", "date_modified"):
            if key in item:
                checker.date(line_of(key, item[key]), f'item "{key}"', item[key], "rfc3339")


def check_served(folder: Path, site_dir: Path, base_url: str) -> list[Problem]:
    """Every post URL in the outputs under `folder` that the built site in `site_dir` does not serve.

    `site_dir` is the generator's output (Jekyll's _site/, Hugo's public/), served at `base_url`. A URL is
    served when a static server would find a file for it: `x/` -> `x/index.html`; `x` -> `x`, `x.html` or
    `x/index.html`. A feed that links to a 404 is the worst thing a publisher can ship.
    """
    if not site_dir.is_dir():
        raise FeedpubError(f"{site_dir}: no such folder; build the site first (jekyll build, hugo), then name it")
    base_path = unquote(urlsplit(base_url).path)
    problems: list[Problem] = []
    for path in _output_files(folder):
        name = path.relative_to(folder).as_posix()
        for line, url in _post_urls(path):
            if not _same_site(url, base_url):
                continue  # another host's URL: not the built site's to serve
            wanted = unquote(urlsplit(url).path)
            if not wanted.startswith(base_path) or wanted == base_path:
                continue  # not under the site, or its home page: the generator's, not a post
            candidates = _served_files(wanted[len(base_path) :])
            if not any((site_dir / c).is_file() for c in candidates):
                tried = ", ".join(candidates)
                problems.append(Problem(name, line, f"{url} is not served by {site_dir} (no {tried})"))
    return problems


def feedpubs_files(site: Site, folder: Path) -> frozenset[str] | None:
    """The files of `folder` feedpub wrote, as its last build into the site's output folder recorded them (names
    relative to it, "/"-separated); None when `folder` is another, or no build recorded any."""
    if folder.resolve() != site.output_dir.resolve():
        return None
    last = load_last_outputs(site)
    return last.files if last is not None else None


def by_writer(problems: Iterable[Problem], feedpubs: frozenset[str] | None) -> tuple[list[Problem], list[Problem]]:
    """The problems of feedpub's files (`feedpubs`; None: every file is taken for feedpub's), and those of the files
    beside them it did not write: a generator's own, in the folder both write to (Hugo's public/, Jekyll's _site/).
    Those are the generator's to mend: Hugo's sitemap.xml lists a term page as `/tags/c#/`, `#` unencoded."""
    ours: list[Problem] = []
    theirs: list[Problem] = []
    for problem in problems:
        (ours if feedpubs is None or problem.file in feedpubs else theirs).append(problem)
    return ours, theirs


def _same_site(url: str, base_url: str) -> bool:
    return urlsplit(url).netloc.lower() == urlsplit(base_url).netloc.lower()


def _served_files(relative: str) -> list[str]:
    """The files a static server (GitHub Pages, nginx's try_files) would serve for a site path."""
    relative = relative.lstrip("/")
    if relative == "" or relative.endswith("/"):
        return [relative + "index.html"]
    return [relative, relative + ".html", relative + "/index.html"]


def _post_urls(path: Path) -> Iterator[tuple[int, str]]:
    """(line, URL) of each page an output file links to as a post: sitemap <loc>s, feed entries' links."""
    try:
        data = read_plain_file(path, follow_links=True)
        if path.name.endswith(".gz"):
            data = gzip.decompress(data)
    except (OSError, EOFError):
        return  # validate_folder reports it
    if path.name.endswith(".json"):
        try:
            feed = json.loads(data)
        except ValueError:
            return
        for item in feed.get("items", []) if isinstance(feed, dict) else []:
            if isinstance(item, dict) and isinstance(item.get("url"), str):
                yield 1, item["url"]
        return
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError:
        return
    if root.tag == f"{{{SITEMAP_NS}}}urlset":
        for loc in root.iterfind(f"{{{SITEMAP_NS}}}url/{{{SITEMAP_NS}}}loc"):
            yield loc.sourceline or 1, (loc.text or "").strip()
    elif root.tag == "rss":
        for link in root.iterfind("channel/item/link"):
            yield link.sourceline or 1, (link.text or "").strip()
    elif root.tag == f"{{{ATOM_NS}}}feed":
        for link in root.iterfind(f"{{{ATOM_NS}}}entry/{{{ATOM_NS}}}link"):
            if link.get("rel", "alternate") == "alternate" and link.get("href"):
                yield link.sourceline or 1, link.get("href", "")
