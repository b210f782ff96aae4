"""URLs: one place for the absolute-URL check, IRI -> URI encoding and resolving against a base.

A leaf: reading, rendering, tools and config all need these, and none of them may import another's internals.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import SplitResult, unquote, urljoin, urlsplit, urlunsplit

from feedpub.errors import ConfigError

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# The site URL `feedpub init` writes when the site it reads names none: a host of its own under the reserved
# .example TLD (RFC 2606), so that `build` refuses exactly it, never a real config that uses example.org.
PLACEHOLDER_URL = "https://CHANGE-ME.example/"
MAX_URL_LENGTH = 2048  # sitemaps.org: a <loc> must be under 2,048 characters
# Characters RFC 3986 allows unescaped in a URI; "%" stays so that already-encoded URLs are not double-encoded.
_URI_SAFE = "/:?#[]@!$&'()*+,;=%~"
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# "[" and "]" are not in it: a URI holds them only around an IPv6 host (RFC 3986 §3.2.2), and to_uri encodes them
# anywhere else (`/notes/[draft]/` is no xs:anyURI: a sitemap with it is invalid).
_ALREADY_URI = re.compile(r"(?:[A-Za-z0-9_.~/:?#@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*")


def taken_names(path: str, depth: int) -> set[str]:
    """The names in the output folder a page at `path` (below the site's URL) is served from or takes, of `depth`
    segments or fewer, which no file of feedpub's may have: the file itself; a folder of its name (`a.xml/` and
    `a.xml/index.html` are the folder a.xml, which a file of that name cannot share); with ".html" when its name has
    no extension (Jekyll writes the permalink /feeds as feeds.html); and every folder above it (a page at /atom.xml/x/
    makes atom.xml a folder: the Atom feed went unwritten).

    The folders stop at `depth` (`name_depth` of the names looked for), as a name is only ever one of its own depth:
    every folder of a URL of n segments is n²/2 characters (a permalink of 49,000 segments held 3 GB)."""
    path = unquote(path) if "%" in path else path
    folder, _, name = path.rstrip("/").rpartition("/")
    taken = {path, path.rstrip("/")}
    if name and "." not in name and not path.endswith("/"):
        taken.add(path + ".html")
    if folder:
        end = -1
        for _ in range(depth):
            end = folder.find("/", end + 1)
            if end < 0:
                taken.add(folder)
                break
            taken.add(folder[:end])
    return taken


def name_depth(names: Iterable[str]) -> int:
    """The segments of the deepest of `names` (files in the output folder): the `depth` for `taken_names`."""
    return max((name.count("/") + 1 for name in names), default=0)


# A permalink pattern of the configuration (feedpub's, Jekyll's, Hugo's [permalinks]) is written into the URL of each
# post it applies to: one past the longest URL a sitemap holds makes no URL fit to publish, and each post's URL was
# made, then refused, at its full length (Hugo's "/:title/" 10,000 times: 18.5 s and 619 MB for 12 posts).
MAX_PERMALINK_PATTERN = MAX_URL_LENGTH


def check_permalink_pattern(where: str, pattern: str) -> None:
    """ConfigError for a permalink pattern past MAX_PERMALINK_PATTERN characters; `where` names its setting."""
    if len(pattern) > MAX_PERMALINK_PATTERN:
        raise ConfigError(
            f"{where}: the permalink pattern is {len(pattern):,} characters long, past the {MAX_PERMALINK_PATTERN:,} "
            "a URL in a sitemap may have; shorten it"
        )


def is_http_url(url: str) -> bool:
    """Whether `url` is an absolute http(s) URL with a host and no white space."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1": not a URL at all
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not any(c.isspace() for c in url)


def is_broken_http_url(url: str) -> bool:
    """Whether `url` starts as an http(s) URL does ("https://") but is no address: no host, white space in its
    host, an unclosed "[", a port that is no number or past 65535."""
    text = url.strip()
    if not _HTTP_START.match(text):
        return False
    try:
        parts = urlsplit(text)
        port = parts.port  # ValueError for a port that is no number or past 65535
    except ValueError:  # "http://[::1"
        return True
    return not parts.hostname or any(c.isspace() for c in parts.netloc) or (port is not None and port < 1)


_HTTP_START = re.compile(r"https?://", re.IGNORECASE)


def site_url_of(url: str, base_path: object = None) -> str | None:
    """The site URL a generator's configuration gives, as `site.url` names it: its absolute URL (Hugo's baseURL,
    Jekyll's url), then its path (Jekyll's baseurl), ending in "/" and percent-encoded as browsers ask for it (a
    baseurl of "/my blog" is served at /my%20blog/); None when `url` is no absolute http(s) URL."""
    text = url.strip()
    if not is_http_url(text):
        return None
    path = str(base_path or "").strip("/")
    return to_uri(text.rstrip("/") + "/" + (path + "/" if path else ""))


# Hosts no published site is served at: RFC 2606's example domains, and this machine.
_NOT_A_SITES_HOST = frozenset({"example.com", "example.org", "example.net", "localhost", "127.0.0.1", "::1"})


def is_not_a_sites_address(url: str) -> bool:
    """Whether `url` is at an example or local host (https://example.org/, http://localhost:4000/): a generator's
    quick-start address, or its local server's, where no reader finds the site."""
    try:
        return (urlsplit(url).hostname or "") in _NOT_A_SITES_HOST
    except ValueError:
        return False


def same_site_url(one: str, other: str) -> bool:
    """Whether two site URLs (ending in "/") are one address: percent-encoded alike, scheme and host in any case."""
    one, other = to_uri(one), to_uri(other)
    origin_end = one.find("/", one.find("//") + 2)
    return one[:origin_end].lower() == other[:origin_end].lower() and one[origin_end:] == other[origin_end:]


def to_uri(iri: str) -> str:
    """Percent-encode an IRI as a URI (RFC 3987 §3.1): NFC, UTF-8, reserved characters kept."""
    if _ALREADY_URI.fullmatch(iri):
        return iri  # nothing to encode: the common case, and a sitemap calls this for every post
    encoded = percent_encoded(unicodedata.normalize("NFC", with_ascii_host(iri)))
    if "[" in encoded or "]" in encoded:
        host_start = encoded.find("//") + 2 if "//" in encoded else 0
        # The authority ends at the first "/", "?" or "#" after it (`https://cdn.example?img=[1].png` too).
        rest = _AUTHORITY_END.search(encoded, host_start).start() if host_start else 0  # type: ignore[union-attr]
        encoded = encoded[:rest] + encoded[rest:].replace("[", "%5B").replace("]", "%5D")
    return encoded


_AUTHORITY_END = re.compile(r"[/?#]|$")


def with_ascii_host(iri: str) -> str:
    """`iri` with its host in IDNA form (`https://한국.kr/` is https://xn--3e0b707e.kr/), as a browser asks for it."""
    authority_end = iri.find("/", iri.find("//") + 2)  # the host is ASCII in nearly every IRI: no need to split it
    if iri[: authority_end if authority_end >= 0 else len(iri)].isascii():
        return iri
    parts = urlsplit(iri)
    host = parts.hostname or ""
    if not host or host.isascii():
        return iri
    try:
        netloc = parts.netloc.replace(host, host.encode("idna").decode("ascii"))
    except UnicodeError:  # no IDNA name (an empty or overlong label: `//.한/`): percent-encoded as it is
        return iri
    return iri.replace(parts.netloc, netloc, 1)


def percent_encoded(text: str) -> str:
    """`text` with what a URI may not hold percent-encoded as UTF-8 (a "%" not starting an escape too), reserved
    characters and escapes kept, and no normalisation: to_uri's encoding of the very characters given."""
    return _TO_ENCODE.sub(_percent_encoded, _STRAY_PERCENT.sub("%25", text))


# What urllib's quote(…, safe=_URI_SAFE) encodes: runs of it are encoded at once, where quote looks up every
# byte of the whole IRI in Python (a third of the time to read a post with a Hangul slug).
_TO_ENCODE = re.compile(f"[^A-Za-z0-9_.~{re.escape(_URI_SAFE)}-]+")


def _percent_encoded(run: re.Match[str]) -> str:
    return "%" + run.group().encode("utf-8").hex("%").upper()


# URLs whose resolution can be read off them: an http(s) origin with a lower-case scheme and a plain host, and a
# path without parameters, a query or fragment mark, white space, control characters or "."/".." segments.
# urljoin gives such an absolute URL back as it is, and resolves such a path (from "/") against such a base to
# the base's origin and the path. Most images are one or the other, and urljoin cost a cold build 8%.
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?")
_PATH = r"(?:/(?!\.\.?(?:/|$))[^\s;?#/\x00-\x1f\x7f]*)"
_PLAIN_ABSOLUTE = re.compile(rf"{_ORIGIN.pattern}{_PATH}*")
_PLAIN_ROOTED = re.compile(rf"(?!//){_PATH}+")


def absolute_url(url: str, base: str) -> str | None:
    """Resolve `url` against `base`; None unless the result is http(s) or mailto."""
    url = trimmed(url)
    if "\\" in url:
        url = backslashes_as_slashes(url)
    if _PLAIN_ABSOLUTE.fullmatch(url):
        return url
    if _PLAIN_ROOTED.fullmatch(url) and _PLAIN_ABSOLUTE.fullmatch(base) and (origin := _ORIGIN.match(base)):
        return origin.group() + url
    if (scheme := _SCHEME.match(url)) and scheme.group().lower() in ("http", "https"):
        rest = url[scheme.end() + 1 :]
        if not rest.startswith("//"):
            # WHATWG URL ("special relative or authority" state): `https:x.png` on an https page is the relative
            # `x.png`, and `http:/x.example/a` on it is http://x.example/a; urljoin left both as they were.
            same = base.lower().startswith(scheme.group().lower() + ":")
            url = rest if same else f"{scheme.group()}://{rest.lstrip('/')}"
    return _joined(url, base)


# What WHATWG URL parsing drops before it reads a URL: C0 controls and spaces around it, and every tab and newline
# in it. A hand-wrapped `?id=1\n&page=2` is `?id=1&page=2` to a browser; a no-break space is a character of it.
_C0_CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")


def trimmed(url: str) -> str:
    """`url` as a browser reads it: the C0 controls and spaces around it, and the tabs and newlines in it, gone."""
    return _TAB_OR_NEWLINE.sub("", url.strip(_C0_CONTROL_OR_SPACE))


# A URL's scheme, and those whose "\\" is "/" before the query to a browser (WHATWG URL: "special" schemes).
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*(?=:)")
_BACKSLASH_AS_SLASH = frozenset({"http", "https", "ftp", "ws", "wss", "file"})


def backslashes_as_slashes(url: str) -> str:
    """`url` with each "\\" before its query or fragment a "/", as browsers read a link of an http(s) page
    (`![x](\\images\\a.png)`, written on Windows, is /images/a.png to them; urljoin kept "\\" as a character of
    the name: a 404)."""
    scheme = _SCHEME.match(url)
    if scheme is not None and scheme.group().lower() not in _BACKSLASH_AS_SLASH:
        return url  # mailto:, data: and the like keep theirs
    end = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    return url[:end].replace("\\", "/") + url[end:]


def _joined(url: str, base: str) -> str | None:
    """absolute_url without its shortcut: urljoin's answer, but for a page-relative path with "//" (_merged)."""
    if url.startswith("//"):
        url = "https:" + url
    try:
        reference = urlsplit(url)
        path = reference.path
        if not reference.scheme and not reference.netloc and "//" in path and not path.startswith("/"):
            resolved = _merged(urlsplit(base), reference)
        else:
            resolved = urljoin(base, url)
        parts = urlsplit(resolved)
    except ValueError:  # e.g. "http://[::1": not a URL at all
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and not parts.hostname:
        return None  # `http://`, `http:///x`: no host, no page (the feeds and the sitemap were invalid)
    return resolved if scheme in SAFE_SCHEMES else None


def _merged(base: SplitResult, reference: SplitResult) -> str:
    """A page-relative path resolved as RFC 3986 §5.2 resolves it, its empty segments kept: urljoin drops them
    (`files//report.pdf` from /posts/a/ is /posts/a/files//report.pdf to a browser, and where Hugo links)."""
    directory = base.path[: base.path.rfind("/") + 1] if base.path else "/"
    path = _without_dot_segments(directory + reference.path)
    return urlunsplit((base.scheme, base.netloc, path, reference.query, reference.fragment))


def _without_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4's remove_dot_segments on a path from "/"."""
    kept: list[str] = []
    segments = path.split("/")[1:]
    for number, segment in enumerate(segments):
        last = number == len(segments) - 1
        if segment in (".", ".."):
            if segment == ".." and kept:
                kept.pop()
            if last:
                kept.append("")
        else:
            kept.append(segment)
    return "/" + "/".join(kept)


def has_scheme(src: str) -> bool:
    """Whether `src` is a full or protocol-relative URL (or not a URL at all), rather than a path."""
    try:
        return src.startswith("//") or bool(urlsplit(src).scheme)
    except ValueError:  # not a URL at all ("http://[::1"): absolute_url will refuse it
        return True


def site_path_url(path: str, site_url: str) -> str:
    """A site path (`/assets/x.jpg` or `assets/x.jpg`, as front matter names an image) as a URL under `site_url`,
    whose own path it keeps (/blog/assets/x.jpg), its dot segments resolved as jekyll-feed's absolute_url resolves
    them; "" when it resolves to no http(s) URL."""
    if "/." in "/" + path:
        return absolute_url(path.lstrip("/"), site_url) or ""
    # No dot segment: joined as it is (resolving each post's took a tenth of a cold build's CPU).
    return site_url + path.lstrip("/")
