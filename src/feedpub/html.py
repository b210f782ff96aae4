"""Content HTML: rendering Markdown, cleaning for feeds, absolute URLs, and plain text for excerpts."""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

import lxml.html
import nh3
from lxml import etree

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MORE_MARKER = "<!--more-->"
MAX_NESTING = 512
ELLIPSIS = "…"

# XML 1.0 §2.2: only these characters may appear in a document; anything else makes it ill-formed.
_XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_WHITESPACE = re.compile(r"\s+")
_TAG = re.compile(r"<(/?)([a-zA-Z][^\s/>]*)[^>]*?(/?)>")
_VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SAFE_SCHEMES = {"http", "https", "mailto"}
# Characters RFC 3986 allows unescaped in a URI; "%" stays so that already-encoded URLs are not double-encoded.
_URI_SAFE = "/:?#[]@!$&'()*+,;=%~"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_ALREADY_URI = re.compile(r"(?:[A-Za-z0-9_.~/:?#\[\]@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*")

_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"picture", "source", "video", "audio", "track", "figure", "figcaption"}
_ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "*": {"title", "lang", "dir", "style"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "playsinline"},
    "audio": {"src", "controls", "loop", "muted"},
    "track": {"src", "kind", "srclang", "label"},
}
# Colours and emphasis carry meaning in news posts (the seed highlights sentences); layout properties don't.
_STYLE_PROPERTIES = {"color", "background-color", "font-weight", "font-style", "text-align", "text-decoration"}
# Removed with their content: code and embeds that no feed reader should run.
_REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # ~20 ms to import: only builds with Markdown to render pay it

    # CommonMark keeps raw HTML blocks, which Jekyll posts rely on; tables and strikethrough as GFM users expect.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def render_markdown(text: str) -> str:
    """Render CommonMark to HTML, keeping raw HTML."""
    return str(_markdown().render(text))


def nesting_depth(html: str) -> int:
    """The deepest element nesting in `html`, counting unclosed tags as open (an upper bound)."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, self_closing = match.groups()
        if closing:
            depth = max(depth - 1, 0)
        elif not self_closing and name.lower() not in _VOID_ELEMENTS:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def strip_xml_invalid(text: str) -> str:
    """Remove characters that XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF)."""
    # Every such character is unprintable: isprintable() clears the short values of front matter at C speed.
    return text if text.isprintable() else _XML_INVALID.sub("", text)


def to_uri(iri: str) -> str:
    """Percent-encode an IRI as a URI (RFC 3987 §3.1): NFC, UTF-8, reserved characters kept."""
    if _ALREADY_URI.fullmatch(iri):
        return iri  # nothing to encode: the common case, and a sitemap calls this for every post
    authority_end = iri.find("/", iri.find("//") + 2)  # the host is ASCII in nearly every IRI: no need to split it
    if not iri[: authority_end if authority_end >= 0 else len(iri)].isascii():
        parts = urlsplit(iri)
        host = parts.hostname or ""
        if host and not host.isascii():
            netloc = parts.netloc.replace(host, host.encode("idna").decode("ascii"))
            iri = iri.replace(parts.netloc, netloc, 1)
    iri = _STRAY_PERCENT.sub("%25", unicodedata.normalize("NFC", iri))
    return quote(iri, safe=_URI_SAFE)


def absolute_url(url: str, base: str) -> str | None:
    """Resolve `url` against `base`; None unless the result is http(s) or mailto."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    try:
        resolved = urljoin(base, url)
        scheme = urlsplit(resolved).scheme.lower()
    except ValueError:  # e.g. "http://[::1": not a URL at all
        return None
    return resolved if scheme in _SAFE_SCHEMES else None


def _absolute_srcset(srcset: str, base: str) -> str | None:
    candidates = []
    for candidate in srcset.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        resolved = absolute_url(url, base) if url else None
        if resolved:
            candidates.append(f"{resolved} {descriptor.strip()}".rstrip())
    return ", ".join(candidates) or None


def clean_html(html: str, base: str) -> str:
    """Sanitise content HTML for feeds and make every URL in it absolute against `base`.

    Feed readers resolve relative URLs inconsistently (xml:base is ignored by most), so none are left.
    """

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("srcset",):
            return _absolute_srcset(value, base)
        if attribute.startswith("on"):
            return None
        return value

    cleaned = nh3.clean(
        strip_xml_invalid(html),
        tags=_ALLOWED_TAGS,
        clean_content_tags=_REMOVED_WITH_CONTENT,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        link_rel=None,
        url_schemes=_SAFE_SCHEMES,
        url_relative=lambda url: absolute_url(url, base),
        filter_style_properties=_STYLE_PROPERTIES,
    )
    return str(cleaned)


def _parse_fragment(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    try:
        root = lxml.html.fragment_fromstring(strip_xml_invalid(html), create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    for element in root.iter("script", "style", "template", "noscript"):
        element.drop_tree()
    return root


def _text_of(element: etree._Element) -> str:
    return _WHITESPACE.sub(" ", element.text_content()).strip()


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: entities decoded, whitespace collapsed."""
    if "<" not in html and "&" not in html:
        # No markup and no entities: parsing would give the text back (excerpts in front matter usually are).
        return _WHITESPACE.sub(" ", strip_xml_invalid(html)).strip()
    root = _parse_fragment(html)
    return _text_of(root) if root is not None else ""


def first_paragraph_text(html: str) -> str:
    """Text of the first paragraph that has any; the whole text when there are no paragraphs."""
    root = _parse_fragment(html)
    if root is None:
        return ""
    for paragraph in root.iter("p"):
        text = _text_of(paragraph)
        if text:
            return text
    return _text_of(root)


def first_image(html: str) -> tuple[str, str] | None:
    """The `src` and `alt` of the first <img> with a src."""
    root = _parse_fragment(html)
    if root is None:
        return None
    for image in root.iter("img"):
        src = (image.get("src") or "").strip()
        if src:
            return src, (image.get("alt") or "").strip()
    return None


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` user-perceived characters, on a word boundary where there is one.

    Counting grapheme clusters keeps a Hangul syllable written as conjoining jamo, or an emoji sequence, whole.
    """
    if len(text) <= limit:
        return text  # a cluster is one code point or more, so the text has no more clusters than that
    import regex  # here, not at the top: the common case above needs no grapheme segmentation

    clusters = regex.findall(r"\X", text)
    if len(clusters) <= limit:
        return text
    kept = clusters[: limit - 1]  # room for the ellipsis
    for index in range(len(kept) - 1, len(kept) // 2, -1):
        if kept[index].isspace():
            kept = kept[:index]
            break
    return "".join(kept).rstrip() + ELLIPSIS
