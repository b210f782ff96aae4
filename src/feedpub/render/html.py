"""Content HTML for feeds: sanitised, every URL absolute."""

from __future__ import annotations

import re

import nh3

from feedpub.text import strip_xml_invalid
from feedpub.urls import SAFE_SCHEMES, absolute_url, percent_encoded

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


def _absolute_srcset(srcset: str, base: str) -> str | None:
    candidates = []
    for candidate in srcset.split(","):
        url, _, descriptor = candidate.strip().partition(" ")
        resolved = absolute_url(url, base) if url else None
        if resolved:
            candidates.append(f"{resolved} {descriptor.strip()}".rstrip())
    return ", ".join(candidates) or None


_URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})


# CSS that runs code or fetches (old IE's expression(), url() and its relatives, escapes that hide them).
_UNSAFE_CSS = re.compile(r"expression|url\s*\(|image-set|javascript:|behavior|\\|@import", re.IGNORECASE)


def _safe_style(style: str) -> str | None:
    """The style's declarations that are plain values (nh3 has kept only the allowed properties)."""
    kept = [part for part in style.split(";") if part.strip() and not _UNSAFE_CSS.search(part)]
    return ";".join(kept) or None


def clean_html(html: str, base: str) -> str:
    """Sanitise content HTML for feeds and make every URL in it absolute against `base`.

    Feed readers resolve relative URLs inconsistently (xml:base is ignored by most), so none are left.
    """

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if attribute in ("srcset",):
            return _absolute_srcset(value, base)
        if attribute == "style":
            return _safe_style(value)
        if attribute.startswith("on"):
            return None
        if attribute in _URL_ATTRIBUTES:
            # As a browser asks for it: "/img/100%.png" and "/img/사진 1.png" were published as written, a stray
            # "%" and a space that readers' URL parsers refuse; nothing is normalised, escapes are kept.
            return percent_encoded(value.strip())
        return value

    cleaned = nh3.clean(
        strip_xml_invalid(html),
        tags=_ALLOWED_TAGS,
        clean_content_tags=_REMOVED_WITH_CONTENT,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        link_rel=None,
        url_schemes=set(SAFE_SCHEMES),
        url_relative=lambda url: absolute_url(url, base),
        filter_style_properties=_STYLE_PROPERTIES,
    )
    # Again after: the sanitiser decodes character references, and `&#1;` or `&#xFFFE;` become characters that
    # XML forbids (and that would make lxml refuse the whole feed).
    return strip_xml_invalid(str(cleaned))
