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

Nor are they rendered again: each file's `Output.key` digests the keys of its URLs (`SitemapUrl.key`, which the
caller makes from what it already has) and of the URL after it, which decided where the part ends. Given the
last build's keys (`Previous`), a part whose URLs are the same, from the same position on, is `Kept`.
"""

from __future__ import annotations

import io
import itertools
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePosixPath
from typing import NamedTuple
from urllib.parse import quote

from feedpub.dates import rfc3339
from feedpub.errors import OutputError
from feedpub.models import (
    SITEMAP_MAX_URLS,
    Kept,
    Output,
    Previous,
    SitemapSettings,
    digest_of_many,
    sitemap_files_pattern,
)
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


def is_own_sitemap(head: bytes) -> bool:
    """Whether a sitemap file whose first bytes (gzip-compressed or not) are `head` is one feedpub wrote: it opens
    as feedpub's sitemaps, indexes and news sitemaps open, byte for byte. A sitemap carries no generator's mark, and
    no generator's opens so: Hugo's declaration says standalone="yes", jekyll-sitemap's has no line break after it,
    and neither declares Google's image namespace."""
    from feedpub.render.news import NEWS_HEAD  # lxml: only where a sitemap is in question

    if head.startswith(b"\x1f\x8b"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 4096)
        except zlib.error:
            return False
    return head.startswith((*(text.encode() for text in (_URLSET_HEAD, _URLSET_XHTML_HEAD, _INDEX_HEAD)), NEWS_HEAD))


class SitemapUrl(NamedTuple):
    """One <url> (a tuple: a sitemap of 1M URLs makes 1M of them, several times cheaper than a frozen dataclass)."""

    loc: str  # percent-encoded URI
    lastmod: datetime | None = None
    image: str | None = None  # percent-encoded URI
    # Its lastmod changes with every new post (the home page lists the newest ones). A lone sitemap is rewritten
    # anyway and keeps it; in a set of parts it is dropped, else the part holding this URL would change with every
    # new post, and adding one post would rewrite three files instead of two (the last part and the index).
    moving: bool = False
    # (language, URI) of every language's version of the page, itself included: Google asks for all of them.
    alternates: tuple[tuple[str, str], ...] = ()
    # Changes whenever url_element(self) would, a moving URL's lastmod aside; never holds NUL. The caller makes it
    # from what the element shows, unformatted: far cheaper than the element.
    key: str = ""
    # rfc3339(lastmod), when the caller made it already (for the key): formatting a date is a fifth of rendering a
    # URL, and a sitemap of 10k URLs took 170 ms.
    lastmod_text: str = ""


@dataclass(frozen=True)
class SitemapSet:
    """The sitemap files of a site; each iteration renders them afresh, one part at a time."""

    settings: SitemapSettings
    base_url: str  # percent-encoded URI the output folder is served at, ending in "/"
    urls: Callable[[], Iterable[SitemapUrl]]  # called once per iteration: the URLs need not fit in a list
    xhtml: bool = False  # whether URLs carry alternates (the xhtml namespace is declared)

    previous: Previous = field(default_factory=dict)  # what may be kept (see the module's docstring)

    def __iter__(self) -> Iterator[Output | Kept]:
        return render_sitemaps(self.settings, self.base_url, self.urls(), xhtml=self.xhtml, previous=self.previous)


@dataclass
class _Part:
    """A part's URLs as its file and its key need them; not the URLs themselves (a part of 50,000 held its URLs,
    their elements, its text and then its bytes at once: ~50 MB, the peak of a build of 1M posts)."""

    # Each URL's element as UTF-8: the part's bytes are then joined once, with no text of the whole part before them.
    elements: list[bytes]
    size: int  # bytes of the part's file, uncompressed
    lastmod: datetime | None  # the newest of its URLs' lastmods, moving ones aside (they show none in a set)
    # (position in elements, the element without its lastmod) of each moving URL: what a set of parts lists
    moving: list[tuple[int, bytes]]
    keys: list[str]  # each URL's SitemapUrl.key, for the part's key
    moving_lastmods: list[str]  # what a lone sitemap shows of its moving URLs (their lastmods), for its key

    def urlset(self, head: str, alone: bool) -> bytes:
        """The part's file: as a lone sitemap, or as a part of a set, where moving URLs show no lastmod."""
        elements = self.elements
        if not alone and self.moving:
            elements = elements.copy()
            for position, element in self.moving:
                elements[position] = element
        return b"".join((head.encode(), *elements, _URLSET_TAIL.encode()))


def entry_name(settings: SitemapSettings) -> str:
    """The name crawlers and robots.txt are given: the lone sitemap, or the index of the parts."""
    return settings.entry_name


def part_name(settings: SitemapSettings, number: int) -> str:
    path = PurePosixPath(settings.path)
    return str(path.with_name(f"{path.stem}-{number}{path.suffix}")) + (".gz" if settings.gzip else "")


def is_sitemap_name(settings: SitemapSettings, name: str) -> bool:
    """Whether `name` could be a file of this sitemap set, compressed or not: what stale-part removal may delete."""
    return sitemap_files_pattern(settings.path).fullmatch(name) is not None


def escape(text: str) -> str:
    """Escape XML text (what xml.sax.saxutils.escape does; importing that module pulls in urllib.request)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def url_element(url: SitemapUrl, lastmod_shown: bool = True) -> str:
    lastmod = ""
    if url.lastmod and lastmod_shown:
        lastmod = f"<lastmod>{url.lastmod_text or rfc3339(url.lastmod)}</lastmod>"
    image = f"<image:image><image:loc>{escape(url.image)}</image:loc></image:image>" if url.image else ""
    alternates = ""
    if url.alternates:  # a multilingual site's; the join of nothing cost every other URL a generator
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{escape(lang)}" href="{escape(href)}"/>'
            for lang, href in url.alternates
        )
    return f"<url><loc>{escape(url.loc)}</loc>{lastmod}{alternates}{image}</url>\n"


_NO_LASTMOD = "-"  # in a part's key, for a part whose URLs have no lastmod (its index entry shows none)


@dataclass
class _Urls:
    """The URLs in order, with a look-ahead: a part's URLs are checked against its key before any is rendered."""

    source: Iterator[SitemapUrl]
    ahead: deque[SitemapUrl] = field(default_factory=deque)

    def peek(self, count: int) -> list[SitemapUrl]:
        """The next `count` URLs (fewer at the end), left to come."""
        while len(self.ahead) < count and (url := next(self.source, None)) is not None:
            self.ahead.append(url)
        return list(self.ahead)[:count]

    def next(self) -> SitemapUrl | None:
        return self.ahead.popleft() if self.ahead else next(self.source, None)

    def skip(self, count: int) -> None:
        for _ in range(count):
            self.ahead.popleft()


def _part_key(keys: list[str], following: SitemapUrl | None, lastmod: str, shown: Iterable[str]) -> str:
    """A part's key: how many URLs, their keys (`keys`) and the next URL's (it decided where the part ends), the
    lastmod the index shows for it, and `shown`: what else its bytes show (a lone sitemap's moving lastmods)."""
    if not all(keys):
        return ""  # a URL without a key: the part is rendered every time
    return f"{len(keys)} {lastmod} {digest_of_many([*keys, following.key if following else '', *shown])}"


def _kept_part(name: str, previous: Previous, urls: _Urls, *, alone: bool = False) -> tuple[str, str] | None:
    """(key, index lastmod) when the next URLs are those the file `name` was last rendered from, having taken them;
    None otherwise, taking none.

    `alone`: the file is the lone sitemap, which must hold every URL left, and shows the moving URLs' lastmods.
    """
    key = previous.get(name)
    fields = key.split(" ") if key else []
    if key is None or len(fields) != 3 or not fields[0].isdigit():
        return None
    count, lastmod = int(fields[0]), fields[1]
    window = urls.peek(count + 1)
    if len(window) < count or (alone and len(window) > count):
        return None
    part, following = window[:count], window[count] if len(window) > count else None
    moving = [rfc3339(u.lastmod) for u in part if u.moving and u.lastmod] if alone else []
    if _part_key([u.key for u in part], following, lastmod, moving) != key:
        return None
    urls.skip(count)
    return key, lastmod


def _fill(urls: _Urls, max_urls: int, max_bytes: int, head: int) -> tuple[_Part, bool]:
    """The next part: URLs taken within both limits; with it, whether they are the last.

    Each part is filled to a limit before the next begins, so where a part ends depends only on the URLs from its
    start on: URLs added at the end never move an earlier boundary, under max_bytes as under max_urls.
    """
    part = _Part([], head + len(_URLSET_TAIL), None, [], [], [])
    while (url := urls.next()) is not None:
        # A moving URL is measured with its lastmod, as a lone sitemap shows it (in a set its part is then a little
        # smaller than counted); rfc3339 has a fixed width, so the measure, and the boundaries, stay put.
        element = url_element(url).encode("utf-8")
        size = len(element)
        if part.elements and (len(part.elements) >= max_urls or part.size + size > max_bytes):
            urls.ahead.appendleft(url)
            return part, False
        # A single URL too big for any part still gets one of its own: the crawler, not us, decides on it.
        if url.moving:
            part.moving.append((len(part.elements), url_element(url, lastmod_shown=False).encode("utf-8")))
            if url.lastmod:
                part.moving_lastmods.append(rfc3339(url.lastmod))
        elif url.lastmod and (part.lastmod is None or url.lastmod > part.lastmod):
            part.lastmod = url.lastmod
        part.elements.append(element)
        part.size += size
        part.keys.append(url.key)
    return part, True


def _file(name: str, data: bytes, compress: bool, key: str = "") -> Output:
    if compress:
        # mtime=0 and no file name in the header: the same sitemap gives the same bytes, so it is not rewritten.
        import gzip  # only sites that ask for it

        buffer = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=6) as stream:
            stream.write(data)
        data = buffer.getvalue()
    return Output(name, data, "sitemap", key)


def render_sitemaps(
    settings: SitemapSettings,
    base_url: str,
    urls: Iterable[SitemapUrl],
    *,
    xhtml: bool = False,
    previous: Previous | None = None,
) -> Iterator[Output | Kept]:
    """The sitemap files: one <urlset>, or the parts then their <sitemapindex> (last: it never names a missing part).

    A file whose URLs are those `previous` says it was rendered from is `Kept`, not rendered.
    """
    previous = previous or {}
    index: list[str] = []
    head = _URLSET_XHTML_HEAD if xhtml else _URLSET_HEAD
    pending = _Urls(iter(urls))
    lone = entry_name(settings)
    if (kept := _kept_part(lone, previous, pending, alone=True)) is not None:
        yield Kept(lone, kept[0], "sitemap")
        return
    for number in itertools.count(1):
        if number > SITEMAP_MAX_URLS:  # an index lists at most as many sitemaps as a urlset lists URLs
            raise OutputError(
                f"{settings.path}: more than {SITEMAP_MAX_URLS} sitemap parts, the most an index may list "
                "(sitemaps.org); raise sitemap.max_urls or sitemap.max_bytes"
            )
        name = part_name(settings, number)
        if number > 1 and not pending.peek(1):
            break
        if (kept := _kept_part(name, previous, pending)) is not None:
            key, lastmod = kept
            yield Kept(name, key, "sitemap")
            last = False  # the next round finds whether URLs are left
        else:
            part, last = _fill(pending, settings.max_urls, settings.max_bytes, len(head))
            following = None if last else pending.peek(1)[0]
            lastmod = rfc3339(part.lastmod) if part.lastmod else _NO_LASTMOD
            alone = last and number == 1
            # The key before the file: the keys go before the part's bytes are joined.
            key = _part_key(part.keys, following, lastmod, part.moving_lastmods if alone else ())
            part.keys.clear()
            yield _file(lone if alone else name, part.urlset(head, alone=alone), settings.gzip, key)
            if alone:
                return
            del part  # before the next part is filled: else two parts' elements are held at once
        index.append(_index_element(base_url + quote(name), None if lastmod == _NO_LASTMOD else lastmod))
        if last:
            break
    yield render_index(lone, index, settings.gzip)


def index_element(loc: str, lastmod: datetime | None) -> str:
    """One <sitemap> of a <sitemapindex>."""
    return _index_element(loc, rfc3339(lastmod) if lastmod else None)


def _index_element(loc: str, lastmod: str | None) -> str:
    modified = f"<lastmod>{lastmod}</lastmod>" if lastmod else ""
    return f"<sitemap><loc>{escape(loc)}</loc>{modified}</sitemap>\n"


def render_index(name: str, elements: Iterable[str], compress: bool) -> Output:
    """A <sitemapindex> of `index_element`s."""
    return _file(name, (_INDEX_HEAD + "".join(elements) + _INDEX_TAIL).encode("utf-8"), compress)
