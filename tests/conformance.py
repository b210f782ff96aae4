"""Conformance checks that tests run on real feedpub outputs.

Every check uses a real tool: the sitemaps.org/Google XSDs and the RFC 4287 RELAX NG
schema from ../shared/schemas (lxml), feedparser, the newsboat feed reader, plus the
structural rules of the W3C Feed Validator that no schema expresses. A failing check
raises AssertionError listing every problem, each tagged with the W3C Feed Validator
message code it mirrors (e.g. ``[InvalidRFC2822Date]``; ``Schema``, ``JSONFeed``, ``Limit``
and ``SelfNotRss`` are ours); the ``*_problems`` functions return the same findings as data.

XML_CATALOG_FILES: libxml2 reads it once, lazily, at the process's first catalog lookup
(the first non-local URL it resolves), not at ``import lxml``; later changes are ignored.
This module sets it (setdefault) before importing lxml, so conftest.py should ``import
conformance`` before anything parses XML if other code relies on the catalog. The schema
loaders here do not: they resolve the catalog's URLs with an lxml Resolver, in any order.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import os
import re
import shutil
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, NamedTuple, NoReturn, TypedDict
from urllib.parse import urlsplit

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCHEMAS = SHARED / "schemas"
CATALOG = SCHEMAS / "catalog.xml"

# Must precede the first lxml import in the process (see the module docstring).
os.environ.setdefault("XML_CATALOG_FILES", str(CATALOG))

import feedparser  # noqa: E402 - after XML_CATALOG_FILES
import lxml.html  # noqa: E402
from lxml import etree  # noqa: E402

Source = str | os.PathLike[str] | bytes  # a path, or the document itself as bytes

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
MEDIA_NS = "http://search.yahoo.com/mrss/"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
JSONFEED_VERSION = "https://jsonfeed.org/version/1.1"

# sitemaps.org protocol limits, per sitemap file (uncompressed).
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 52_428_800

# Elements the W3C validator reports as SecurityRisk in feed HTML; readers strip them.
SECURITY_RISK_TAGS = frozenset(
    {"script", "iframe", "object", "embed", "applet", "frame", "frameset", "meta", "link", "style", "base"}
)
# Attributes that hold URLs in content HTML (ContainsRelRef is checked on these).
URL_ATTRIBUTES = ("href", "src", "poster", "cite", "action", "longdesc", "background")

# RSS 2.0 spec: every element of channel and item that has no namespace.
RSS_CHANNEL_ELEMENTS = frozenset(
    {
        *("title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate"),
        *("lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image", "rating", "textInput"),
        *("skipHours", "skipDays", "item"),
    }
)
RSS_ITEM_ELEMENTS = frozenset(
    {"title", "link", "description", "author", "category", "comments", "enclosure", "guid", "pubDate", "source"}
)


def in_ci() -> bool:
    """Tell whether this run is CI (env CI set to a true-ish value), where nothing may skip."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_or_fail(reason: str) -> NoReturn:
    """Skip the test on a developer's machine; fail it in CI, which must run every check."""
    if in_ci():
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)")
    pytest.skip(reason)


def require_shared() -> Path:
    """Return ../shared/schemas, skipping (or failing under CI) when ../shared is absent."""
    if not SHARED.is_dir():
        if in_ci():
            pytest.fail(f"../shared is absent at {SHARED}: CI must have it beside the clone")
        pytest.skip("../shared is absent (a user's clone lacks it): schema checks skipped")
    if not CATALOG.is_file():  # shared/ exists but is broken: never a reason to skip
        pytest.fail(f"{CATALOG} is missing: ../shared/schemas is incomplete")
    return SCHEMAS


# --------------------------------------------------------------------------- problems


class Problem(NamedTuple):
    """One finding: the W3C Feed Validator code it mirrors, where, and what is wrong."""

    code: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"[{self.code}] {self.where}: {self.message}"


def _raise_if(problems: list[Problem], name: str, what: str) -> None:
    if problems:
        lines = "\n".join(f"  {p}" for p in problems)
        raise AssertionError(f"{name}: {len(problems)} {what} problem(s):\n{lines}")


def _read(source: Source) -> tuple[bytes, str]:
    """Return the document's bytes and a name for messages; gunzip .gz sitemaps."""
    if isinstance(source, bytes):
        data, name = source, "<bytes>"
    else:
        data, name = Path(source).read_bytes(), str(source)
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data, name


def _safe_parser() -> etree.XMLParser:
    # Feeds are untrusted input: no DTD, no entity expansion, no network.
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)


def _parse_xml(source: Source) -> tuple[etree._Element, bytes, str]:
    data, name = _read(source)
    try:
        root = etree.fromstring(data, _safe_parser())
    except etree.XMLSyntaxError as exc:
        raise AssertionError(f"{name}: not well-formed XML: {exc}") from exc
    return root, data, name


def _at(el: etree._Element, label: str) -> str:
    """Label a place by its element's line: sub-elements of an item or entry share the item's line."""
    return f"line {el.sourceline} {label}"


# --------------------------------------------------------------------------- value rules

_RFC822 = re.compile(
    r"(?:(?P<dow>Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?(?P<day>\d{1,2}) "
    r"(?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (?P<year>\d{2,4}) "
    r"\d{2}:\d{2}(?::\d{2})? (?P<tz>[+-]\d{4}|GMT|UT|Z|[ECMP][SD]T)"
)
_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
_MIME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:\s*;.*)?")
# RFC 3986 characters allowed unescaped in a URL (gen-delims, sub-delims, unreserved, %).
_URL_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def rfc822_problem(value: str) -> str | None:
    """Explain why ``value`` is not an RSS date (RFC 822 with a 4-digit year), or return None."""
    match = _RFC822.fullmatch(value)
    if not match:
        return f"must be an RFC-822 date-time like 'Tue, 02 Jan 2024 09:00:00 +0900' (got {value!r})"
    if len(match["year"]) != 4:  # RSS 2.0 spec: "the year may be expressed with two characters or four
        return f"year must have 4 digits (got {value!r})"  # characters (four preferred)"; profile: four
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError) as exc:
        return f"is not a real date-time ({exc}; got {value!r})"
    if match["dow"] and parsed.strftime("%a") != match["dow"]:
        return f"day of week is wrong: {parsed:%Y-%m-%d} is a {parsed:%a} (got {value!r})"  # IncorrectDOW
    return None


def rfc3339_problem(value: str) -> str | None:
    """Explain why ``value`` is not an RFC 3339 date-time with an offset, or return None."""
    # RFC 4287 §3.3: "T" and "Z" MUST be uppercase, and a time zone is required.
    if not _RFC3339.fullmatch(value):
        return f"must be an RFC-3339 date-time like '2024-01-02T09:00:00+09:00' (got {value!r})"
    try:
        datetime.fromisoformat(value)
    except ValueError as exc:
        return f"is not a real date-time ({exc}; got {value!r})"
    return None


# HTML's "valid global date and time string" (WHATWG HTML §2.3.5.8), for <time datetime>: a fraction of a second
# of one to three digits, an offset of hours and minutes.
_HTML_GLOBAL_DATETIME = re.compile(r"\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})")


def html_datetime_problem(value: str) -> str | None:
    """Explain why ``value`` is not a global date and time an HTML <time datetime> may hold, or return None."""
    if not _HTML_GLOBAL_DATETIME.fullmatch(value):
        return f"must be a global date and time like '2024-01-02T09:00:00+09:00' (got {value!r})"
    return rfc3339_problem(value.replace(" ", "T"))  # a real date


def url_problem(url: str, *, iri: bool = False) -> tuple[str, str] | None:
    """Return (code, reason) when ``url`` is not an absolute, encoded http(s) URL, else None.

    ``iri=True`` (Atom, RFC 4287 uses IRIs) lets raw non-ASCII characters through; RSS,
    JSON Feed and sitemaps need them percent-encoded as UTF-8.
    """
    if not url:
        return "InvalidFullLink", "is empty"
    if any(c.isspace() for c in url):
        return "NotURLEncoded", f"contains whitespace; percent-encode it (got {url!r})"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "InvalidFullLink", f"must be a full http(s) URL, not relative (got {url!r})"
    if not url.isascii():
        if not iri:
            return "NotURLEncoded", f"has raw non-ASCII characters; percent-encode them as UTF-8 (got {url!r})"
    elif not _URL_CHARS.fullmatch(url):
        return "NotURLEncoded", f"has characters that must be percent-encoded (got {url!r})"
    if _BAD_PERCENT.search(url):
        return "NotURLEncoded", f"has a '%' that is not a %XX escape (got {url!r})"
    return None


def _check_url(problems: list[Problem], where: str, url: str | None, *, iri: bool = False) -> None:
    if url is None:
        return
    found = url_problem(url, iri=iri)
    if found:
        problems.append(Problem(found[0], where, found[1]))


def _check_positive_int(problems: list[Problem], where: str, attr: str, value: str | None) -> None:
    if value is None:
        problems.append(Problem("MissingAttribute", where, f"missing attribute {attr!r}"))
    elif not (value.isdigit() and int(value) > 0):
        problems.append(Problem("InvalidIntegerAttribute", where, f"{attr} must be a positive integer (got {value!r})"))


def html_problems(html: str, where: str) -> list[Problem]:
    """Find relative URL references and unsafe markup in an HTML fragment from a feed."""
    problems: list[Problem] = []
    if not html.strip():
        return problems
    try:
        container = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError) as exc:
        return [Problem("NotHtml", where, f"HTML does not parse: {exc}")]
    for el in container.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions
            continue
        if el.tag in SECURITY_RISK_TAGS:
            problems.append(Problem("SecurityRisk", where, f"should not contain a <{el.tag}> tag"))
        for attr, value in el.attrib.items():
            if attr.lower().startswith("on"):
                problems.append(Problem("SecurityRiskAttr", where, f"<{el.tag}> has event handler {attr!r}"))
            urls = [value]
            if attr == "srcset":  # "url 1x, url 2x", where a URL may hold commas
                urls = [url for url, _ in srcset_candidates(value)]
            elif attr not in URL_ATTRIBUTES:
                continue
            for url in urls:
                scheme = urlsplit(url.strip()).scheme.lower()
                if scheme == "javascript":
                    problems.append(Problem("SecurityRisk", where, f"<{el.tag} {attr}> is a javascript: URL"))
                elif not scheme or url.strip().startswith("//"):
                    # Readers resolve these against the feed's URL, not the post's page,
                    # so even "#fn1" footnote links break: make them absolute.
                    problems.append(
                        Problem("ContainsRelRef", where, f"<{el.tag} {attr}={url!r}> is a relative URL reference")
                    )
    return problems


def srcset_candidates(value: str) -> list[tuple[str, list[str]]]:
    """WHATWG HTML "parse a srcset attribute" step by step (§4.8.4.3.10), without its descriptor checks."""
    white_space, position, candidates = "\t\n\f\r ", 0, []
    while True:
        while position < len(value) and value[position] in white_space + ",":  # splitting loop
            position += 1
        if position == len(value):
            return candidates
        start = position
        while position < len(value) and value[position] not in white_space:
            position += 1
        url, descriptors = value[start:position], []
        if url.endswith(","):
            candidates.append((url.rstrip(","), descriptors))
            continue
        while position < len(value) and value[position] in white_space:
            position += 1
        current, state = "", "in descriptor"
        while True:  # the descriptor tokenizer
            c = value[position] if position < len(value) else ""
            if state == "in descriptor":
                if c and c in white_space:
                    descriptors += [current] if current else []
                    current, state = "", "after descriptor"
                elif c in (",", ""):
                    position += 1 if c else 0
                    descriptors += [current] if current else []
                    break
                else:
                    current += c
                    state = "in parens" if c == "(" else state
            elif state == "in parens":
                if not c:
                    descriptors.append(current)
                    break
                current += c
                state = "in descriptor" if c == ")" else state
            elif not c:
                break
            elif c not in white_space:
                state = "in descriptor"
                continue  # reconsumed
            position += 1
        candidates.append((url, descriptors))


# --------------------------------------------------------------------------- schemas


class _CatalogResolver(etree.Resolver):  # type: ignore[misc]  # lxml ships no type hints
    """Resolve the URLs listed in shared/schemas/catalog.xml to the local copies.

    XML_CATALOG_FILES only works if set before libxml2's first catalog lookup in the
    process; this resolver works whatever was imported first, and never touches the network.
    """

    def __init__(self, catalog: Path) -> None:
        super().__init__()
        tree = etree.parse(str(catalog), _safe_parser())
        self.mapping: dict[str, str] = {}
        for entry in tree.getroot():
            key = entry.get("systemId") or entry.get("name")
            if key and entry.get("uri"):
                self.mapping[key] = str((catalog.parent / entry.get("uri")).resolve())

    def resolve(self, system_url: str | None, public_id: str | None, context: object) -> Any:
        local = self.mapping.get(system_url or "")
        return self.resolve_filename(local, context) if local else None


def _schema_parser() -> etree.XMLParser:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_CatalogResolver(require_shared() / "catalog.xml"))
    return parser


@functools.cache
def _xml_schema(name: str) -> etree.XMLSchema:
    path = require_shared() / name
    return etree.XMLSchema(etree.parse(str(path), _schema_parser()))


@functools.cache
def _relaxng(name: str) -> etree.RelaxNG:
    path = require_shared() / name
    return etree.RelaxNG(etree.parse(str(path), _schema_parser()))


def _schema_problems(schema: etree._Validator, root: etree._Element, schema_name: str) -> list[Problem]:
    if schema.validate(root.getroottree()):
        return []
    return [Problem("Schema", f"line {e.line}", f"{e.message} ({schema_name})") for e in schema.error_log]


def sitemap_problems(source: Source) -> list[Problem]:
    """Validate a sitemap (urlset or sitemapindex) against the XSDs and sitemaps.org limits."""
    root, data, _ = _parse_xml(source)
    return _sitemap_problems(root, len(data))


def _sitemap_problems(root: etree._Element, size: int) -> list[Problem]:
    schema_by_root = {
        f"{{{SITEMAP_NS}}}urlset": "sitemap-all.xsd",
        f"{{{SITEMAP_NS}}}sitemapindex": "siteindex-all.xsd",
    }
    schema_name = schema_by_root.get(root.tag)
    if schema_name is None:
        return [Problem("Schema", "line 1", f"root must be urlset or sitemapindex in {SITEMAP_NS} (got {root.tag})")]
    problems = _schema_problems(_xml_schema(schema_name), root, schema_name)
    # anyURI in the XSDs accepts relative and raw non-ASCII values; sitemaps.org does not.
    ns = {"sm": SITEMAP_NS, "image": "http://www.google.com/schemas/sitemap-image/1.1"}
    locs = root.xpath("sm:url/sm:loc | sm:sitemap/sm:loc | sm:url/image:image/image:loc", namespaces=ns)
    for loc in locs:
        _check_url(problems, _at(loc, "loc"), (loc.text or "").strip())
    for link in root.iterfind("{*}url/{http://www.w3.org/1999/xhtml}link"):
        _check_url(problems, _at(link, "xhtml:link href"), link.get("href"))
    entries = len(root)
    if entries > SITEMAP_MAX_URLS:
        problems.append(Problem("Limit", "root", f"{entries} entries; sitemaps.org allows {SITEMAP_MAX_URLS}"))
    if size > SITEMAP_MAX_BYTES:
        problems.append(Problem("Limit", "file", f"{size} bytes; sitemaps.org allows {SITEMAP_MAX_BYTES}"))
    return problems


def validate_sitemap(source: Source) -> etree._Element:
    """Assert a sitemap or sitemap index is schema-valid with absolute, encoded URLs; return its root."""
    root, data, name = _parse_xml(source)
    _raise_if(_sitemap_problems(root, len(data)), name, "sitemap")
    return root


def validate_atom(source: Source) -> etree._Element:
    """Assert an Atom document validates against RFC 4287's RELAX NG schema; return its root."""
    root, _, name = _parse_xml(source)
    _raise_if(_schema_problems(_relaxng("atom.rng"), root, "atom.rng"), name, "Atom schema")
    return root


# --------------------------------------------------------------------------- RSS 2.0


def _text(el: etree._Element | None) -> str | None:
    return None if el is None else (el.text or "").strip()


def rss_problems(source: Source, *, self_url: str | None = None) -> list[Problem]:
    """Check an RSS 2.0 feed for what the W3C Feed Validator and the RSS Profile require."""
    return _rss_problems(_parse_xml(source)[0], self_url)


def _rss_problems(root: etree._Element, self_url: str | None) -> list[Problem]:
    problems: list[Problem] = []
    if root.tag != "rss" or root.get("version") != "2.0":
        return [Problem("InvalidDoctype", "line 1", f'root must be <rss version="2.0"> (got <{root.tag}>)')]
    channels = root.findall("channel")
    if len(channels) != 1:
        return [Problem("MissingElement", "rss", f"must contain exactly one channel (got {len(channels)})")]
    channel = channels[0]

    for child in channel:
        if isinstance(child.tag, str) and "}" not in child.tag and child.tag not in RSS_CHANNEL_ELEMENTS:
            problems.append(Problem("UndefinedElement", _at(child, "channel"), f"undefined element <{child.tag}>"))
    for name in ("title", "link", "description"):
        if not _text(channel.find(name)):
            problems.append(Problem("MissingElement", _at(channel, "channel"), f"missing or empty <{name}>"))
    _check_url(problems, _at(channel, "channel/link"), _text(channel.find("link")))
    for name in ("pubDate", "lastBuildDate"):
        for el in channel.findall(name):
            if reason := rfc822_problem(_text(el) or ""):
                problems.append(Problem("InvalidRFC2822Date", _at(el, f"channel/{name}"), reason))
    for name in ("managingEditor", "webMaster"):
        for el in channel.findall(name):
            if not _EMAIL.match(_text(el) or ""):
                problems.append(Problem("InvalidContact", _at(el, f"channel/{name}"), "must start with an email"))
    for el in channel.findall("language"):
        if not _LANGUAGE.fullmatch(_text(el) or ""):
            problems.append(Problem("InvalidLanguage", _at(el, "channel/language"), f"got {_text(el)!r}"))
    for el in channel.findall("image"):
        _check_url(problems, _at(el, "channel/image/url"), _text(el.find("url")))
        _check_url(problems, _at(el, "channel/image/link"), _text(el.find("link")))

    self_links = [a for a in channel.findall(f"{{{ATOM_NS}}}link") if a.get("rel") == "self"]
    if not self_links:
        problems.append(Problem("MissingAtomSelfLink", _at(channel, "channel"), 'missing <atom:link rel="self">'))
    if len(self_links) > 1:
        problems.append(
            Problem("DuplicateAtomLink", _at(channel, "channel"), f'{len(self_links)} atom:link rel="self"')
        )
    for link in self_links:
        where = _at(link, 'atom:link rel="self"')
        if link.get("type") != "application/rss+xml":
            problems.append(
                Problem("SelfNotRss", where, f"type must be application/rss+xml (got {link.get('type')!r})")
            )
        _check_url(problems, where, link.get("href") or "")
        if self_url is not None and link.get("href") != self_url:
            problems.append(Problem("SelfDoesntMatchLocation", where, f"href {link.get('href')!r} != {self_url!r}"))

    guids: Counter[str] = Counter()
    for index, item in enumerate(channel.findall("item"), start=1):
        label = f"item[{index}]"
        title = _text(item.find("title"))
        if title:
            label += f" {title[:40]!r}"
        where = _at(item, label)
        for child in item:
            if isinstance(child.tag, str) and "}" not in child.tag and child.tag not in RSS_ITEM_ELEMENTS:
                problems.append(Problem("UndefinedElement", where, f"undefined element <{child.tag}>"))
        if not title and not _text(item.find("description")):
            problems.append(Problem("ItemMustContainTitleOrDescription", where, "needs a title or a description"))
        link = _text(item.find("link"))
        if not link:
            problems.append(Problem("MissingElement", where, "missing <link>"))
        _check_url(problems, f"{where} link", link)
        _check_url(problems, f"{where} comments", _text(item.find("comments")))

        guid = item.find("guid")
        if guid is None or not _text(guid):
            problems.append(Problem("MissingGuid", where, "missing <guid>"))
        else:
            guids[_text(guid) or ""] += 1
            # RSS 2.0: isPermaLink defaults to true, and then the guid must be a URL.
            if guid.get("isPermaLink", "true") == "true":
                found = url_problem(_text(guid) or "")
                if found:
                    problems.append(Problem("InvalidPermalink", f"{where} guid", f"isPermaLink guid {found[1]}"))
            elif guid.get("isPermaLink") != "false":
                problems.append(Problem("InvalidBooleanAttribute", f"{where} guid", "isPermaLink must be true/false"))

        pub_date = item.find("pubDate")
        if pub_date is None:
            problems.append(Problem("MissingElement", where, "missing <pubDate>"))
        elif reason := rfc822_problem(_text(pub_date) or ""):
            problems.append(Problem("InvalidRFC2822Date", f"{where} pubDate", reason))

        author = item.find("author")
        if author is not None and not _EMAIL.match(_text(author) or ""):
            problems.append(
                Problem(
                    "InvalidContact", f"{where} author", f"must start with an email address (got {_text(author)!r})"
                )
            )

        enclosures = item.findall("enclosure")
        if len(enclosures) > 1:  # RSS Profile: readers keep only one
            problems.append(Problem("DuplicateEnclosure", where, f"{len(enclosures)} enclosures; use one"))
        for enclosure in enclosures:
            enc_where = f"{where} enclosure"
            if enclosure.get("url") is None:
                problems.append(Problem("MissingAttribute", enc_where, "missing attribute 'url'"))
            _check_url(problems, enc_where, enclosure.get("url"))
            _check_positive_int(problems, enc_where, "length", enclosure.get("length"))
            if not _MIME.fullmatch(enclosure.get("type") or ""):
                problems.append(Problem("InvalidMIMEAttribute", enc_where, f"type {enclosure.get('type')!r}"))
        for media in item.iter(f"{{{MEDIA_NS}}}content", f"{{{MEDIA_NS}}}thumbnail"):
            _check_url(problems, f"{where} media:{etree.QName(media).localname}", media.get("url"))
        source_el = item.find("source")
        if source_el is not None:
            _check_url(problems, f"{where} source", source_el.get("url") or "")

        for name, el in (
            ("description", item.find("description")),
            ("content:encoded", item.find(f"{{{CONTENT_NS}}}encoded")),
        ):
            if el is not None:
                problems.extend(html_problems(el.text or "", f"{where} {name}"))

    for guid_text, count in guids.items():
        if count > 1:
            problems.append(
                Problem("DuplicateValue", _at(channel, "channel"), f"guid {guid_text!r} is used by {count} items")
            )
    return problems


def check_rss(source: Source, *, self_url: str | None = None) -> etree._Element:
    """Assert an RSS 2.0 feed passes the W3C-validator-style checks; return its root element."""
    root, _, name = _parse_xml(source)
    _raise_if(_rss_problems(root, self_url), name, "RSS")
    return root


# --------------------------------------------------------------------------- Atom 1.0


def _atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _atom_text_html(el: etree._Element) -> str:
    """Return an Atom text construct as HTML (type text, html or xhtml) for html_problems."""
    kind = el.get("type", "text")
    if kind == "xhtml":
        div = el.find("{http://www.w3.org/1999/xhtml}div")
        if div is None:
            return ""
        return "".join(etree.tostring(child, encoding="unicode") for child in div) + (div.text or "")
    if kind == "html":
        return el.text or ""
    return ""


def _check_atom_links(problems: list[Problem], parent: etree._Element, where: str) -> None:
    alternates: Counter[tuple[str | None, str | None]] = Counter()
    for link in parent.findall(_atom("link")):
        rel = link.get("rel", "alternate")  # RFC 4287 §4.2.7.2: no rel means alternate
        link_where = f'{where} link rel="{rel}"'
        href = link.get("href")
        if href is None:
            problems.append(Problem("MissingHref", link_where, "link must have an href attribute"))
        else:
            _check_url(problems, link_where, href, iri=True)
        if rel == "alternate":
            alternates[(link.get("type"), link.get("hreflang"))] += 1
        if rel == "enclosure":
            _check_positive_int(problems, link_where, "length", link.get("length"))
            if not _MIME.fullmatch(link.get("type") or ""):
                problems.append(Problem("InvalidMIMEAttribute", link_where, f"type {link.get('type')!r}"))
    for (kind, hreflang), count in alternates.items():
        if count > 1:  # RFC 4287 §4.1.1: at most one alternate per type and hreflang
            problems.append(
                Problem(
                    "DuplicateAtomLink",
                    where,
                    f'{count} rel="alternate" links with type={kind!r} hreflang={hreflang!r}; at most one allowed',
                )
            )


def _check_atom_person(problems: list[Problem], person: etree._Element, where: str) -> None:
    if not _text(person.find(_atom("name"))):
        problems.append(Problem("MissingElement", where, f"<{etree.QName(person).localname}> needs a <name>"))
    email = person.find(_atom("email"))
    if email is not None and not _EMAIL.fullmatch(_text(email) or ""):
        problems.append(Problem("InvalidAddrSpec", where, f"email must be an address (got {_text(email)!r})"))
    _check_url(problems, f"{where} uri", _text(person.find(_atom("uri"))), iri=True)


def _check_atom_common(problems: list[Problem], el: etree._Element, where: str) -> None:
    """Check what feed and entry share: id, title, updated, dates, people, links."""
    for name in ("id", "title", "updated"):
        found = el.findall(_atom(name))
        if not found or not _text(found[0]):
            problems.append(Problem("MissingElement", where, f"missing or empty <{name}>"))
        if len(found) > 1:
            problems.append(Problem("DuplicateElement", where, f"{len(found)} <{name}> elements; one allowed"))
    ident = _text(el.find(_atom("id")))
    if ident and not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", ident):  # RFC 4287 §4.2.6: an absolute IRI
        problems.append(Problem("InvalidIRI", f"{where} id", f"must be an absolute IRI (got {ident!r})"))
    for name in ("updated", "published"):
        for date in el.findall(_atom(name)):
            if reason := rfc3339_problem(_text(date) or ""):
                problems.append(Problem("InvalidRFC3339Date", f"{where} {name}", reason))
    for person in el.findall(_atom("author")) + el.findall(_atom("contributor")):
        _check_atom_person(problems, person, where)
    _check_atom_links(problems, el, where)
    for name in ("title", "subtitle", "summary", "content", "rights"):
        for text_el in el.findall(_atom(name)):
            if text_el.get("src") is None:
                problems.extend(html_problems(_atom_text_html(text_el), f"{where} {name}"))


def atom_problems(source: Source, *, self_url: str | None = None) -> list[Problem]:
    """Check an Atom 1.0 feed for RFC 4287 rules the RELAX NG schema cannot express."""
    return _atom_problems(_parse_xml(source)[0], self_url)


def _atom_problems(root: etree._Element, self_url: str | None) -> list[Problem]:
    if root.tag != _atom("feed"):
        return [Problem("InvalidDoctype", "line 1", f"root must be <feed xmlns={ATOM_NS!r}> (got {root.tag})")]
    problems: list[Problem] = []
    _check_atom_common(problems, root, "feed")
    for name in ("icon", "logo"):
        _check_url(problems, f"feed {name}", _text(root.find(_atom(name))), iri=True)

    self_links = [a for a in root.findall(_atom("link")) if a.get("rel") == "self"]
    if not self_links:
        problems.append(Problem("MissingSelf", "feed", 'missing <link rel="self">'))
    for link in self_links:
        if link.get("type") not in (None, "application/atom+xml"):
            problems.append(Problem("SelfNotAtom", _at(link, "feed"), f"self link type is {link.get('type')!r}"))
        if self_url is not None and link.get("href") != self_url:
            problems.append(
                Problem("SelfDoesntMatchLocation", _at(link, "feed"), f"href {link.get('href')!r} != {self_url!r}")
            )

    feed_has_author = root.find(_atom("author")) is not None
    ids: Counter[str] = Counter()
    updated: Counter[str] = Counter()
    for index, entry in enumerate(root.findall(_atom("entry")), start=1):
        title = _text(entry.find(_atom("title")))
        where = _at(entry, f"entry[{index}]" + (f" {title[:40]!r}" if title else ""))
        _check_atom_common(problems, entry, where)
        ids[_text(entry.find(_atom("id"))) or ""] += 1
        updated[_text(entry.find(_atom("updated"))) or ""] += 1
        # RFC 4287 §4.1.1/§4.1.2: an author on the feed, the entry or its source.
        if not feed_has_author and entry.find(_atom("author")) is None and entry.find(_atom("source")) is None:
            problems.append(Problem("MissingElement", where, "no <author> here or on the feed"))
        has_alternate = any(link.get("rel", "alternate") == "alternate" for link in entry.findall(_atom("link")))
        if entry.find(_atom("content")) is None and not has_alternate:
            problems.append(Problem("MissingContentOrAlternate", where, 'needs <content> or a rel="alternate" link'))
    for ident, count in ids.items():
        if count > 1 and ident:
            problems.append(Problem("DuplicateEntries", "feed", f"{count} entries share the id {ident!r}"))
    for moment, count in updated.items():  # the validator's unique('updated', feed, DuplicateUpdated): a warning
        if count > 1 and moment:
            problems.append(Problem("DuplicateUpdated", "feed", f"{count} entries share <updated>{moment}"))
    return problems


def check_atom(source: Source, *, self_url: str | None = None) -> etree._Element:
    """Assert an Atom 1.0 feed passes the W3C-validator-style checks; return its root element."""
    root, _, name = _parse_xml(source)
    _raise_if(_atom_problems(root, self_url), name, "Atom")
    return root


# --------------------------------------------------------------------------- JSON Feed 1.1


def jsonfeed_problems(source: Source, *, self_url: str | None = None) -> list[Problem]:
    """Check a JSON Feed against version 1.1 (https://jsonfeed.org/version/1.1)."""
    data, name = _read(source)
    try:
        feed = json.loads(data.decode("utf-8"))  # JSON Feed is UTF-8 JSON (RFC 8259)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AssertionError(f"{name}: not UTF-8 JSON: {exc}") from exc
    if not isinstance(feed, dict):
        return [Problem("JSONFeed", "top level", f"must be an object (got {type(feed).__name__})")]
    problems: list[Problem] = []

    def url(where: str, value: object) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            problems.append(Problem("InvalidFullLink", where, f"must be a string URL (got {value!r})"))
        else:
            _check_url(problems, where, value)

    def authors(where: str, value: object) -> None:
        if value is None:
            return
        if not isinstance(value, list) or not value:
            problems.append(Problem("JSONFeed", f"{where}.authors", "must be a non-empty array"))
            return
        for i, author in enumerate(value):
            if not isinstance(author, dict) or not any(author.get(k) for k in ("name", "url", "avatar")):
                problems.append(Problem("JSONFeed", f"{where}.authors[{i}]", "needs a name, url or avatar"))
                continue
            url(f"{where}.authors[{i}].url", author.get("url"))
            url(f"{where}.authors[{i}].avatar", author.get("avatar"))

    if feed.get("version") != JSONFEED_VERSION:
        problems.append(Problem("JSONFeed", "version", f"must be {JSONFEED_VERSION!r} (got {feed.get('version')!r})"))
    if not isinstance(feed.get("title"), str) or not feed["title"].strip():
        problems.append(Problem("JSONFeed", "title", "is required and must be a non-empty string"))
    for key in ("home_page_url", "feed_url", "next_url", "icon", "favicon"):
        url(key, feed.get(key))
    if self_url is not None and feed.get("feed_url") != self_url:
        problems.append(Problem("SelfDoesntMatchLocation", "feed_url", f"{feed.get('feed_url')!r} != {self_url!r}"))
    authors("feed", feed.get("authors"))
    for i, hub in enumerate(feed.get("hubs") or []):
        if not isinstance(hub, dict) or not hub.get("type") or not hub.get("url"):
            problems.append(Problem("JSONFeed", f"hubs[{i}]", "needs type and url"))

    items = feed.get("items")
    if not isinstance(items, list):
        problems.append(Problem("JSONFeed", "items", "is required and must be an array"))
        items = []
    ids: Counter[str] = Counter()
    for i, item in enumerate(items):
        where = f"items[{i}]"
        if not isinstance(item, dict):
            problems.append(Problem("JSONFeed", where, "must be an object"))
            continue
        ident = item.get("id")
        if not isinstance(ident, str) or not ident:
            problems.append(
                Problem("JSONFeed", where, f"id is required and must be a non-empty string (got {ident!r})")
            )
        else:
            ids[ident] += 1
        html, text = item.get("content_html"), item.get("content_text")
        if not (isinstance(html, str) or isinstance(text, str)):
            problems.append(Problem("JSONFeed", where, "needs content_html or content_text"))
        if isinstance(html, str):
            problems.extend(html_problems(html, f"{where}.content_html"))
        for key in ("url", "external_url", "image", "banner_image"):
            url(f"{where}.{key}", item.get(key))
        for key in ("date_published", "date_modified"):
            value = item.get(key)
            if value is not None and (reason := rfc3339_problem(str(value))):
                problems.append(Problem("InvalidRFC3339Date", f"{where}.{key}", reason))
        authors(where, item.get("authors"))
        tags = item.get("tags")
        if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
            problems.append(Problem("JSONFeed", f"{where}.tags", "must be an array of strings"))
        for j, attachment in enumerate(item.get("attachments") or []):
            att_where = f"{where}.attachments[{j}]"
            if not isinstance(attachment, dict) or "url" not in attachment or "mime_type" not in attachment:
                problems.append(Problem("JSONFeed", att_where, "needs url and mime_type"))
                continue
            url(f"{att_where}.url", attachment["url"])
            size = attachment.get("size_in_bytes")
            if size is not None and not (isinstance(size, int) and size > 0):
                problems.append(Problem("InvalidIntegerAttribute", att_where, f"size_in_bytes {size!r}"))
    for ident, count in ids.items():
        if count > 1:
            problems.append(Problem("DuplicateEntries", "items", f"{count} items share the id {ident!r}"))
    return problems


def check_jsonfeed(source: Source, *, self_url: str | None = None) -> dict[str, Any]:
    """Assert a JSON Feed 1.1 document is valid; return it decoded."""
    data, name = _read(source)
    _raise_if(jsonfeed_problems(data, self_url=self_url), name, "JSON Feed")
    result: dict[str, Any] = json.loads(data)
    return result


# --------------------------------------------------------------------------- feedparser


class EntrySummary(NamedTuple):
    """What a reader shows for one entry, as feedparser (or our JSON Feed reading) sees it."""

    title: str | None
    link: str | None
    published_parsed: time.struct_time | None  # UTC; None when the entry has no published date
    image_url: str | None
    summary: str | None


def parse_with_feedparser(source: Source) -> feedparser.FeedParserDict:
    """Parse an RSS or Atom feed with feedparser and assert it found nothing wrong (bozo false)."""
    data, name = _read(source)  # bytes, never a str: feedparser would fetch a str that looks like a URL
    result = feedparser.parse(data)
    assert not result.bozo, f"{name}: feedparser bozo: {result.bozo_exception!r}"
    assert result.version, f"{name}: feedparser did not recognise the feed format"
    return result


def _image_url(entry: feedparser.FeedParserDict) -> str | None:
    for enclosure in entry.get("enclosures", []):
        if enclosure.get("type", "").startswith("image/") and enclosure.get("href"):
            return str(enclosure["href"])
    for key in ("media_content", "media_thumbnail"):
        for media in entry.get(key) or []:
            if media.get("url") and (media.get("medium") == "image" or media.get("type", "").startswith("image/")):
                return str(media["url"])
    return None


def feedparser_entries(source: Source) -> list[EntrySummary]:
    """Return (title, link, published_parsed, image URL, summary) for each entry, via feedparser."""
    return [
        EntrySummary(
            entry.get("title"),
            entry.get("link"),
            entry.get("published_parsed"),
            _image_url(entry),
            entry.get("summary"),
        )
        for entry in parse_with_feedparser(source).entries
    ]


def jsonfeed_entries(source: Source) -> list[EntrySummary]:
    """Return the same EntrySummary tuples for a JSON Feed (feedparser 6.0 cannot read JSON Feed)."""
    feed = check_jsonfeed(source)
    entries = []
    for item in feed["items"]:
        published = item.get("date_published")
        parsed = datetime.fromisoformat(published).utctimetuple() if published else None
        image = item.get("image") or next(
            (a["url"] for a in item.get("attachments", []) if str(a.get("mime_type", "")).startswith("image/")), None
        )
        entries.append(EntrySummary(item.get("title"), item.get("url"), parsed, image, item.get("summary")))
    return entries


# --------------------------------------------------------------------------- newsboat


class NewsboatItem(TypedDict):
    """One row of newsboat's rss_item table, joined with its feed's title."""

    title: str
    url: str
    guid: str
    author: str
    enclosure_url: str | None  # newsboat 2.21 keeps only audio/*, video/*, application/ogg enclosures
    enclosure_type: str | None
    feedurl: str
    feed_title: str | None
    pubDate: int  # Unix time (UTC); newsboat stores *now* when the item has no date
    content: str


def newsboat_items(
    feed_urls: list[str], tmp_path: Path, *, timeout: float = 60, binary: str = "newsboat"
) -> list[NewsboatItem]:
    """Fetch feeds with the real newsboat (headless) and return the items it stored.

    For each feed runs ``newsboat -u urls -c cache.db -C config -x reload`` with HOME inside
    ``tmp_path``, then reads the SQLite cache. Items come feed by feed in ``feed_urls`` order,
    each feed in document order. Fails when newsboat logs an error (it exits 0 regardless).
    newsboat parses leniently (libxml2 recovery mode), so this is no well-formedness check.
    """
    executable = shutil.which(binary)
    if executable is None:
        skip_or_fail(f"{binary} is not installed (run .ci/install-system-deps)")
    home = Path(tmp_path) / "newsboat"
    home.mkdir(parents=True, exist_ok=True)
    items: list[NewsboatItem] = []
    # One cache per feed: newsboat keys items by guid across all feeds, so an RSS item and
    # an Atom entry with the same id would be stored once, under the feed reloaded last.
    for index, feed_url in enumerate(feed_urls, start=1):
        work = home / f"feed-{index}"
        work.mkdir(exist_ok=True)
        items += _newsboat_feed(executable, feed_url, home, work, timeout)
    return items


def _newsboat_feed(executable: str, feed_url: str, home: Path, work: Path, timeout: float) -> list[NewsboatItem]:
    urls, config, cache, error_log = (work / n for n in ("urls", "config", "cache.db", "error.log"))
    urls.write_text(f"{feed_url}\n", encoding="utf-8")
    # newsboat reports fetch and parse errors only through error-log.
    settings = [f'error-log "{error_log}"', f"download-timeout {max(1, int(timeout) // 2)}", "download-retries 1"]
    config.write_text("\n".join([*settings, ""]), encoding="utf-8")
    # A minimal environment: HOME and XDG dirs inside tmp_path so newsboat writes nowhere
    # else, a UTF-8 locale, and no http_proxy variables (libcurl would proxy 127.0.0.1).
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TERM": "dumb",
    }
    command = [executable, "-u", str(urls), "-c", str(cache), "-C", str(config), "-x", "reload"]
    try:
        run = subprocess.run(
            command, env=env, cwd=work, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"newsboat did not finish within {timeout}s: {' '.join(command)}") from exc
    output = (run.stdout + run.stderr).decode("utf-8", "replace").strip()
    assert run.returncode == 0, f"newsboat exited {run.returncode} for {feed_url}: {output}"
    errors = error_log.read_text(encoding="utf-8", errors="replace").strip() if error_log.exists() else ""
    assert not errors, f"newsboat reported errors for {feed_url}:\n{errors}"

    with contextlib.closing(sqlite3.connect(f"file:{cache}?mode=ro", uri=True)) as db:
        db.row_factory = sqlite3.Row
        feed = db.execute("SELECT title FROM rss_feed WHERE rssurl = ?", (feed_url,)).fetchone()
        assert feed is not None, f"newsboat stored no feed for {feed_url} (output: {output!r})"
        # newsboat inserts a feed's items last to first, so descending id is document order.
        rows = db.execute(
            "SELECT title, url, guid, author, enclosure_url, enclosure_type, feedurl, pubDate, content"
            " FROM rss_item WHERE feedurl = ? AND deleted = 0 ORDER BY id DESC",
            (feed_url,),
        ).fetchall()
    return [
        NewsboatItem(
            title=r["title"],
            url=r["url"],
            guid=r["guid"],
            author=r["author"],
            enclosure_url=r["enclosure_url"] or None,
            enclosure_type=r["enclosure_type"] or None,
            feedurl=r["feedurl"],
            feed_title=feed["title"],
            pubDate=r["pubDate"],
            content=r["content"],
        )
        for r in rows
    ]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


@contextlib.contextmanager
def serve_directory(path: str | os.PathLike[str]) -> Iterator[str]:
    """Serve a folder over HTTP on 127.0.0.1 (free port) in a thread; yield its base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=os.fspath(path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="serve_directory", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --------------------------------------------------------------------------- everything


def check_output_dir(
    directory: str | os.PathLike[str],
    *,
    rss: str = "rss.xml",
    atom: str = "atom.xml",
    json_feed: str = "feed.json",
    sitemap: str = "sitemap.xml",
    base_url: str | None = None,
) -> None:
    """Run every check on the files of a feedpub output folder that exist.

    With ``base_url`` (the site's URL ending in '/'), each feed's self link must be
    ``base_url + filename``.
    """
    folder = Path(directory)

    def self_url(name: str) -> str | None:
        return None if base_url is None else base_url + name

    if (folder / rss).exists():
        check_rss(folder / rss, self_url=self_url(rss))
        parse_with_feedparser(folder / rss)
    if (folder / atom).exists():
        validate_atom(folder / atom)
        check_atom(folder / atom, self_url=self_url(atom))
        parse_with_feedparser(folder / atom)
    if (folder / json_feed).exists():
        check_jsonfeed(folder / json_feed, self_url=self_url(json_feed))
    for candidate in (folder / sitemap, folder / f"{sitemap}.gz"):
        if candidate.exists():
            validate_sitemap(candidate)
