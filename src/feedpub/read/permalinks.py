"""A post's URL from a permalink pattern (Jekyll's placeholders) or its own `permalink`."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from feedpub.errors import PostError
from feedpub.models import ReadSettings
from feedpub.read.front_matter import as_text
from feedpub.text import slugify
from feedpub.urls import to_uri

_PLACEHOLDER = re.compile(r":([a-z_]+)")


_SLASHES = re.compile(r"/{2,}")


_Fill = Callable[[datetime, str, tuple[str, ...]], str]  # (date, slug, categories) -> a placeholder's text


@functools.lru_cache(maxsize=4096)  # posts share a few sets of categories: each slugified once a run
def _categories_path(categories: tuple[str, ...]) -> str:
    return "/".join(dict.fromkeys(slugify(c.lower()) for c in categories if slugify(c)))


# Jekyll's permalink placeholders (jekyllrb.com/docs/permalinks/#placeholders), from the post's date, slug and
# categories; each is made only when the pattern names it.
_PERMALINK_VALUES: dict[str, _Fill] = {
    "year": lambda when, slug, categories: f"{when.year:04d}",
    "month": lambda when, slug, categories: f"{when.month:02d}",
    "day": lambda when, slug, categories: f"{when.day:02d}",
    "i_month": lambda when, slug, categories: str(when.month),
    "i_day": lambda when, slug, categories: str(when.day),
    "short_year": lambda when, slug, categories: f"{when.year % 100:02d}",
    "hour": lambda when, slug, categories: f"{when.hour:02d}",
    "minute": lambda when, slug, categories: f"{when.minute:02d}",
    "second": lambda when, slug, categories: f"{when.second:02d}",
    "y_day": lambda when, slug, categories: f"{when.timetuple().tm_yday:03d}",
    "title": lambda when, slug, categories: slug,
    "slug": lambda when, slug, categories: slug,
    "name": lambda when, slug, categories: slug,
    "categories": lambda when, slug, categories: _categories_path(categories),
    "output_ext": lambda when, slug, categories: ".html",
}


@functools.cache
def _permalink_pieces(permalink: str) -> tuple[tuple[tuple[str, _Fill], ...], str]:
    """The pattern cut once a run (not once a post) into (text before, placeholder's fill) pairs and the rest."""
    pieces: list[tuple[str, _Fill]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(permalink):
        fill = _PERMALINK_VALUES.get(match.group(1))
        if fill is not None:  # unknown placeholders stay as written
            pieces.append((permalink[position : match.start()], fill))
            position = match.end()
    return tuple(pieces), permalink[position:]


def unknown_placeholders(permalink: str) -> list[str]:
    """The `:name` placeholders of a permalink pattern that `post_url` leaves as they are written."""
    return [name for name in _PLACEHOLDER.findall(permalink) if name not in _PERMALINK_VALUES]


def post_url(
    settings: ReadSettings,
    path: str,
    metadata: Mapping[str, Any],
    stem: str,
    published: datetime,
    categories: tuple[str, ...],
) -> tuple[str, str]:
    """The post's URL (an IRI) and its percent-encoded form."""
    permalink = as_text(metadata.get("permalink"))
    if not permalink:
        slug = slugify(as_text(metadata.get("slug")) or stem) or "post"
        pieces, rest = _permalink_pieces(settings.posts.permalink)
        permalink = "".join([text + fill(published, slug, categories) for text, fill in pieces]) + rest
    # Each check behind a cheap test that almost every permalink fails: this runs for every post of a cold build.
    if ":" in permalink and urlsplit(permalink).scheme:
        raise PostError(path, f"permalink must be a path like /2024/hello/, not a full URL (got {permalink!r})")
    clean = "/" + permalink.strip()
    if "//" in clean:
        clean = _SLASHES.sub("/", clean)
    if "/." in clean and any(segment in (".", "..") for segment in clean.split("/")):
        raise PostError(path, f"permalink must not contain '.' or '..' segments (got {permalink!r})")
    if "#" in clean or "?" in clean:
        # Characters of the path the page is served at, not a fragment or a query (`/c#/x/` linked /c).
        clean = clean.replace("#", "%23").replace("?", "%3F")
    url = settings.url.rstrip("/") + clean
    return url, to_uri(url)  # its length is checked with every generator's (post.check_publishable)
