"""sitemap.xml (sitemaps.org 0.9) with Google's image extension."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

from feedpub.dates import rfc3339
from feedpub.models import Output

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"


@dataclass(frozen=True)
class SitemapUrl:
    loc: str  # percent-encoded URI
    lastmod: datetime | None = None
    image: str | None = None  # percent-encoded URI


def _url_element(url: SitemapUrl) -> str:
    parts = [f"<url><loc>{escape(url.loc)}</loc>"]
    if url.lastmod:
        parts.append(f"<lastmod>{rfc3339(url.lastmod)}</lastmod>")
    if url.image:
        parts.append(f"<image:image><image:loc>{escape(url.image)}</image:loc></image:image>")
    parts.append("</url>\n")
    return "".join(parts)


def render_sitemap(name: str, urls: Iterable[SitemapUrl]) -> Output:
    """One <urlset> file; string-built because it is the one output that grows with the whole site."""
    head = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns={quoteattr(SITEMAP_NS)}'
        f" xmlns:image={quoteattr(IMAGE_NS)}>\n"
    )
    body = "".join(_url_element(url) for url in urls)
    return Output(name=name, data=(head + body + "</urlset>\n").encode("utf-8"), kind="sitemap")
