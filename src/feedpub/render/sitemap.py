"""Sitemaps (sitemaps.org 0.9) with Google's image extension: one file, or past the limits an index and its parts.

sitemaps.org: a sitemap holds at most 50,000 URLs and 50 MB uncompressed; past either, `sitemap.xml` becomes a
<sitemapindex> of `sitemap-1.xml`, `sitemap-2.xml`, ..., itself listing at most 50,000 of them. The files are
made lazily, one part at a time, so memory stays flat however many URLs the site has (1M URLs: 20 parts).
No I/O here: the writer writes what this yields, then removes the parts an earlier, larger set left behind.

Stable parts (issue #13): the parts are filled in the order the URLs come, each to the limits, and the caller
hands them oldest first (WordPress core and Yoast do the same). A new post then lands in the last part, or
starts a new one, and every earlier part keeps its bytes: the writer leaves it alone, and crawlers, seeing its
unchanged <lastmod> in the index, need not fetch it again. Adding one post rewrites two files: the last part and
the index. A URL whose lastmod moves with every new post (the home page) would spoil that: see `SitemapUrl.moving`.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import quote

from feedpub.dates import rfc3339
from feedpub.errors import OutputError
from feedpub.models import SITEMAP_MAX_URLS, Output, SitemapSettings
from feedpub.namespaces import IMAGE_NS, SITEMAP_NS, XHTML_NS

_URLSET_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:image="{IMAGE_NS}">\n'
# A multilingual site's sitemaps link each page's translations (Google's hreflang in sitemaps, as Hugo writes
# them): only those sitemaps declare the namespace, so every other sitemap keeps its bytes.
_URLSET_XHTML_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="{SITEMAP_NS}" xmlns:image="{IMAGE_NS}" '
    f'xmlns:xhtml="{XHTML_NS}">\n'
)
_URLSET_TAIL = "</urlset>\n"
_INDEX_HEAD = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n'
_INDEX_TAIL = "</sitemapindex>\n"


@dataclass(frozen=True)
class SitemapUrl:
    loc: str  # percent-encoded URI
    lastmod: datetime | None = None
    image: str | None = None  # percent-encoded URI
    # Its lastmod changes with every new post (the home page lists the newest ones). A lone sitemap is rewritten
    # anyway and keeps it; in a set of parts it is dropped, else the part holding this URL would change with every
    # new post, and adding one post would rewrite three files instead of two (the last part and the index).
    moving: bool = False
    # (language, URI) of every language's version of the page, itself included: Google asks for all of them.
    alternates: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class SitemapSet:
    """The sitemap files of a site; each iteration renders them afresh, one part at a time."""

    settings: SitemapSettings
    base_url: str  # percent-encoded URI the output folder is served at, ending in "/"
    urls: Callable[[], Iterable[SitemapUrl]]  # called once per iteration: the URLs need not fit in a list
    xhtml: bool = False  # whether URLs carry alternates (the xhtml namespace is declared)

    def __iter__(self) -> Iterator[Output]:
        return render_sitemaps(self.settings, self.base_url, self.urls(), xhtml=self.xhtml)


@dataclass
class _Part:
    elements: list[str]
    size: int  # bytes of the part's file, uncompressed
    lastmod: datetime | None  # the newest of its URLs' lastmods, moving ones aside (they show none in a set)
    # (position in elements, the element without its lastmod) of each moving URL: what a set of parts lists
    moving: list[tuple[int, str]]

    def urlset(self, head: str, alone: bool) -> str:
        """The part's file: as a lone sitemap, or as a part of a set, where moving URLs show no lastmod."""
        elements = self.elements
        if not alone and self.moving:
            elements = elements.copy()
            for position, element in self.moving:
                elements[position] = element
        return head + "".join(elements) + _URLSET_TAIL


def entry_name(settings: SitemapSettings) -> str:
    """The name crawlers and robots.txt are given: the lone sitemap, or the index of the parts."""
    return settings.path + (".gz" if settings.gzip else "")


def part_name(settings: SitemapSettings, number: int) -> str:
    path = PurePosixPath(settings.path)
    return str(path.with_name(f"{path.stem}-{number}{path.suffix}")) + (".gz" if settings.gzip else "")


def is_sitemap_name(settings: SitemapSettings, name: str) -> bool:
    """Whether `name` could be a file of this sitemap set, compressed or not: what stale-part removal may delete."""
    path = PurePosixPath(settings.path)
    pattern = rf"{re.escape(path.stem)}(-[1-9][0-9]*)?{re.escape(path.suffix)}(\.gz)?"
    return PurePosixPath(name).parent == path.parent and re.fullmatch(pattern, PurePosixPath(name).name) is not None


def escape(text: str) -> str:
    """Escape XML text (what xml.sax.saxutils.escape does; importing that module pulls in urllib.request)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def url_element(url: SitemapUrl, lastmod_shown: bool = True) -> str:
    lastmod = f"<lastmod>{rfc3339(url.lastmod)}</lastmod>" if url.lastmod and lastmod_shown else ""
    image = f"<image:image><image:loc>{escape(url.image)}</image:loc></image:image>" if url.image else ""
    alternates = "".join(
        f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" href="{escape(href)}"/>'
        for lang, href in url.alternates
    )
    return f"<url><loc>{escape(url.loc)}</loc>{lastmod}{alternates}{image}</url>\n"


def _utf8_length(text: str) -> int:
    return len(text) if text.isascii() else len(text.encode("utf-8"))


def _parts(urls: Iterable[SitemapUrl], max_urls: int, max_bytes: int, head: int) -> Iterator[tuple[_Part, bool]]:
    """Cut the URLs into parts within both limits, in their order; yield each with whether it is the last.

    `head`: the bytes of the urlset's head (it declares the xhtml namespace on a multilingual site).

    Each part is filled to a limit before the next begins, so where a part ends depends only on the URLs before
    that point: URLs added at the end never move an earlier boundary, under max_bytes as under max_urls.
    """
    empty = head + len(_URLSET_TAIL)
    part = _Part([], empty, None, [])
    for url in urls:
        # A moving URL is measured with its lastmod, as a lone sitemap shows it (in a set its part is then a little
        # smaller than counted); rfc3339 has a fixed width, so the measure, and the boundaries, stay put.
        element = url_element(url)
        size = _utf8_length(element)
        if part.elements and (len(part.elements) >= max_urls or part.size + size > max_bytes):
            yield part, False
            part = _Part([], empty, None, [])
        # A single URL too big for any part still gets one of its own: the crawler, not us, decides on it.
        if url.moving:
            part.moving.append((len(part.elements), url_element(url, lastmod_shown=False)))
        elif url.lastmod and (part.lastmod is None or url.lastmod > part.lastmod):
            part.lastmod = url.lastmod
        part.elements.append(element)
        part.size += size
    yield part, True


def _file(name: str, text: str, compress: bool) -> Output:
    data = text.encode("utf-8")
    if compress:
        # mtime=0 and no file name in the header: the same sitemap gives the same bytes, so it is not rewritten.
        import gzip  # only sites that ask for it

        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as stream:
            stream.write(data)
        data = buffer.getvalue()
    return Output(name, data, "sitemap")


def render_sitemaps(
    settings: SitemapSettings, base_url: str, urls: Iterable[SitemapUrl], *, xhtml: bool = False
) -> Iterator[Output]:
    """The sitemap files: one <urlset>, or the parts then their <sitemapindex> (last: it never names a missing part)."""
    index: list[str] = []
    head = _URLSET_XHTML_HEAD if xhtml else _URLSET_HEAD
    for number, (part, last) in enumerate(_parts(urls, settings.max_urls, settings.max_bytes, len(head)), 1):
        if last and number == 1:
            yield _file(entry_name(settings), part.urlset(head, alone=True), settings.gzip)
            return
        if number > SITEMAP_MAX_URLS:  # an index lists at most as many sitemaps as a urlset lists URLs
            raise OutputError(
                f"{settings.path}: more than {SITEMAP_MAX_URLS} sitemap parts, the most an index may list "
                "(sitemaps.org); raise sitemap.max_urls or sitemap.max_bytes"
            )
        name = part_name(settings, number)
        yield _file(name, part.urlset(head, alone=False), settings.gzip)
        index.append(index_element(base_url + quote(name), part.lastmod))
    yield render_index(entry_name(settings), index, settings.gzip)


def index_element(loc: str, lastmod: datetime | None) -> str:
    """One <sitemap> of a <sitemapindex>."""
    modified = f"<lastmod>{rfc3339(lastmod)}</lastmod>" if lastmod else ""
    return f"<sitemap><loc>{escape(loc)}</loc>{modified}</sitemap>\n"


def render_index(name: str, elements: Iterable[str], compress: bool) -> Output:
    """A <sitemapindex> of `index_element`s."""
    return _file(name, _INDEX_HEAD + "".join(elements) + _INDEX_TAIL, compress)
