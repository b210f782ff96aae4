"""Jekyll's URLs: slugs, permalink placeholders, URL clean-up, and `post.id` as jekyll-feed uses it (notes §4-§7)."""

from __future__ import annotations

import functools
import posixpath
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import quote, unquote

from feedpub.read.jekyll.titles import RUBY_SPACES, ruby_downcase
from feedpub.text import letters_and_digits

# Jekyll's named permalink styles; it expands them only in the site's `permalink:` (§4).
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
_PLACEHOLDER = re.compile(r":([a-z_]+)")
# What "pretty" slugs keep besides letters, marks and decimal digits.
_PRETTY_KEEPS = frozenset("._~!$&'()+,;=@")
# Left as they are by Jekyll's escape_path (Addressable's encode): unreserved, sub-delimiters, ":@/" and "?".
_PATH_SAFE = "-._~!$&'()*+,;=:@/?"
_PLAIN_PATH = re.compile(r"[a-zA-Z0-9./-]+")
_SLASHES = re.compile(r"/{2,}")


def _is_word(character: str) -> bool:
    """Ruby's \\p{L}, \\p{M} and \\p{Nd}: letters and marks of every script, decimal digits."""
    category = unicodedata.category(character)
    return category[0] in "LM" or category == "Nd"


# Runs of the ASCII characters each mode replaces (neither letters, digits nor kept): most titles' only ones.
_ASCII_OTHERS = {
    mode: re.compile(
        "[" + re.escape("".join(c for c in map(chr, range(128)) if not c.isalnum() and c not in keeps)) + "]+"
    )
    for mode, keeps in (("default", frozenset[str]()), ("pretty", _PRETTY_KEEPS))
}
_KEPT_REMOVED = str.maketrans("", "", "".join(_PRETTY_KEEPS))


def slugify(text: str, mode: Literal["default", "pretty"] = "default", cased: bool = False) -> str:
    """Jekyll's Utils.slugify: runs of other characters become one "-", none at either end (§4)."""
    words = _ASCII_OTHERS[mode].split(text)
    rest = "".join(words)
    # Nearly every title splits at ASCII spaces and punctuation into words of letters and digits: then the words
    # are the slug.
    if letters_and_digits(rest.translate(_KEPT_REMOVED) if mode == "pretty" else rest):
        slug = "-".join(word for word in words if word)
    else:
        slug = _slugified_characters(text, _PRETTY_KEEPS if mode == "pretty" else frozenset())
    return slug if cased else ruby_downcase(slug)


def _slugified_characters(text: str, keeps: frozenset[str]) -> str:
    """slugify's pieces, one character at a time (not lower-cased)."""
    pieces: list[str] = []
    for character in text:
        if _is_word(character) or character in keeps:
            pieces.append(character)
        elif not pieces or pieces[-1] != "-":
            pieces.append("-")
    return "".join(pieces).strip("-")


def transliterated(text: str) -> str:
    """`text` as Ruby's I18n.transliterate writes it for slugify's "latin" mode: each Latin letter with a mark its
    ASCII approximation (Ü U, ß ss, Æ AE), and every other character past ASCII "?" (which the slug then drops)."""
    return text.translate(_APPROXIMATIONS) if not text.isascii() else text


class _Approximations(dict[int, str]):
    """I18n's DEFAULT_APPROXIMATIONS (i18n 1.10, as Jekyll 4.3 uses it) for str.translate; "?" for the rest."""

    def __missing__(self, code: int) -> str:
        return chr(code) if code < 0x80 else "?"


# The letters I18n writes as one ASCII letter, each above its own; then those it writes as more than one.
_ONE_LETTER = (
    "ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝàáâãäåçèéêëìíîïðñòóôõöøùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĐđĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥ"
    "ĦħĨĩĪīĬĭĮįİıĴĵĶķĸĹĺĻļĽľĿŀŁłŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŦŧŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽž"
)
_ONE_LETTER_AS = (
    "AAAAAACEEEEIIIIDNOOOOOxOUUUUYaaaaaaceeeeiiiidnoooooouuuuyyAaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHh"
    "HhIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZz"
)
_MORE_LETTERS = {
    "Æ": "AE",
    "Þ": "Th",
    "ß": "ss",
    "æ": "ae",
    "þ": "th",
    "Ĳ": "IJ",
    "ĳ": "ij",
    "ŉ": "'n",
    "Ŋ": "NG",
    "ŋ": "ng",
    "Œ": "OE",
    "œ": "oe",
}
_APPROXIMATIONS = _Approximations(
    {ord(letter): written for letter, written in zip(_ONE_LETTER, _ONE_LETTER_AS, strict=True)}
    | {ord(letter): written for letter, written in _MORE_LETTERS.items()}
)


def escape_path(value: str) -> str:
    """A placeholder's value as Jekyll escapes it: UTF-8 percent-encoded, "/", "?" and sub-delimiters kept."""
    if not value or _PLAIN_PATH.fullmatch(value):
        return value
    return quote(value, safe=_PATH_SAFE)


@dataclass(frozen=True)
class Placeholders:
    """What a post's permalink placeholders are made from."""

    when: datetime  # in the site's zone
    slug: str  # raw: front matter `slug`, else the file name's
    name: str  # the file name without its extension, date included
    categories: tuple[str, ...]
    output_ext: str
    path: str  # relative to the source (or collections_dir), without extension
    collection: str


# English whatever the locale, as Ruby's strftime: not Python's locale-dependent %B and %A.
_MONTH_NAMES = tuple(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
_DAY_NAMES = tuple(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])
# The numbers as Ruby's strftime writes them (%Y, %m, %d, %H, %M, %S, %y, %j: zero-padded), formatted directly:
# Python's strftime on an aware datetime took ~5 µs each here, a twentieth of reading a Jekyll post, and writes
# years before 1000 unpadded, where Ruby pads them.
_VALUES: dict[str, Callable[[Placeholders], str]] = {
    "year": lambda p: f"{p.when.year:04d}",
    "month": lambda p: f"{p.when.month:02d}",
    "day": lambda p: f"{p.when.day:02d}",
    "hour": lambda p: f"{p.when.hour:02d}",
    "minute": lambda p: f"{p.when.minute:02d}",
    "second": lambda p: f"{p.when.second:02d}",
    "i_day": lambda p: str(p.when.day),
    "i_month": lambda p: str(p.when.month),
    "short_year": lambda p: f"{p.when.year % 100:02d}",
    "y_day": lambda p: f"{p.when.timetuple().tm_yday:03d}",
    "week": lambda p: f"{p.when.isocalendar().week:02d}",
    "w_year": lambda p: str(p.when.isocalendar().year),
    "w_day": lambda p: str(p.when.isocalendar().weekday),
    "long_month": lambda p: _MONTH_NAMES[p.when.month - 1],
    "short_month": lambda p: _MONTH_NAMES[p.when.month - 1][:3],
    "long_day": lambda p: _DAY_NAMES[p.when.weekday()],
    "short_day": lambda p: _DAY_NAMES[p.when.weekday()][:3],
    "title": lambda p: slugify(p.slug, "pretty", cased=True),
    "slug": lambda p: slugify(p.slug),
    "name": lambda p: slugify(p.name),
    # Lowercased, then duplicates dropped: "Travel" and "travel" are one folder (§3).
    "categories": lambda p: "/".join(dict.fromkeys(ruby_downcase(c) for c in p.categories)),
    "slugified_categories": lambda p: "/".join(dict.fromkeys(s for c in p.categories if (s := slugify(c)))),
    "output_ext": lambda p: p.output_ext,
    "collection": lambda p: p.collection,
    "path": lambda p: p.path,
}


# Characters a filled template may have before Jekyll's clean-up: far more than any URL feedpub publishes (under
# 2,048 once encoded) can come from. A permalink of 4,000 `:categories/` on a post of 2,000 categories made 176 MB.
MAX_FILLED_PERMALINK = 100_000


class PermalinkTooLong(ValueError):
    """A template filled past MAX_FILLED_PERMALINK characters."""


def fill_permalink(template: str, values: Placeholders) -> str:
    """The URL path (percent-encoded, as Jekyll's `url`) a template gives; KeyError names an unknown placeholder,
    PermalinkTooLong a URL far too long to publish (each placeholder's value is made once, however often used)."""
    text, fillers = _template_parts(template)
    filled = [text]
    length = len(text)
    made: dict[Filler, str] = {}
    for value, after in fillers:
        if (piece := made.get(value)) is None:
            piece = made[value] = escape_path(value(values))
        length += len(piece) + len(after)
        if length > MAX_FILLED_PERMALINK:
            raise PermalinkTooLong(length)
        filled += (piece, after)
    return sanitize("".join(filled))


Filler = Callable[[Placeholders], str]


@functools.lru_cache(maxsize=64)
def _template_parts(template: str) -> tuple[str, tuple[tuple[Filler, str], ...]]:
    """A template as its text up to the first placeholder, then each placeholder's value maker with the text after
    it: split once, not searched again for each post. KeyError names an unknown placeholder."""
    pieces = _PLACEHOLDER.split(template)  # text, name, text, name, ..., text
    fillers = []
    for name, after in zip(pieces[1::2], pieces[2::2], strict=True):
        # ":title_" is ":title" before a "_" (Jekyll tries the name with and without the trailing "_").
        winner = name if name in _VALUES else name.rstrip("_")
        if winner not in _VALUES:
            raise KeyError(name)
        fillers.append((_VALUES[winner], name[len(winner) :] + after))
    return pieces[0], tuple(fillers)


def sanitize(url: str) -> str:
    """Jekyll's clean-up of a filled template: a leading "/", ".." made "/", "./" dropped, "/"s squeezed."""
    cleaned = ("/" + url).replace("..", "/").replace("./", "")
    return _SLASHES.sub("/", cleaned)


def post_id(url: str, slug: str) -> str:
    """Jekyll's `post.id`: the URL's folder (as Ruby's File.dirname) joined with the raw slug (§7)."""
    trimmed = url.rstrip("/") or "/"
    folder = posixpath.dirname(trimmed) or "."
    return folder + slug if folder.endswith("/") else f"{folder}/{slug}"


def absolute_id(base: str, post_id: str) -> str:
    """jekyll-feed's entry id: absolute_url(post.id) after `base` (site.feed_base), as an IRI (the feeds encode the
    rest); a trailing "?" dropped.

    Addressable's normalisation encodes "[" and "]" in a path (observed: `slug: "a [b]"` gives `a%20%5Bb%5D`),
    which the IRI-to-URI step keeps as they are, and takes the path's characters to their NFKC forms (a full-width
    "ｆ" is "f", "…" is "..."): the ids keep them so, though the pages are served at the slugs as written.
    """
    # Ruby's strip on the filter's input: a slug's trailing white space is not in the id (observed: `slug:
    # "trailing "` is `…/trailing`), its leading one is (after the id's "/").
    decoded = decode_escaped_utf8(post_id).rstrip(RUBY_SPACES + "\0")
    path = unicodedata.normalize("NFKC", decoded).replace("[", "%5B").replace("]", "%5D")
    # Addressable drops an empty query ("caf?" is …/caf), and keeps any other (`caf??` is …/caf??, observed).
    whole = base + path
    head, mark, query = whole.partition("?")
    return head if mark and not query else whole


_ENCODED_NON_ASCII = re.compile(r"(?:%[89A-Fa-f][0-9A-Fa-f])+")


def decode_escaped_utf8(text: str) -> str:
    """`text` with each run of percent-encoded non-ASCII bytes decoded: their characters where they are UTF-8
    (Addressable normalises them so), kept as written where not; ASCII escapes (%20) are kept."""
    return _ENCODED_NON_ASCII.sub(_decoded_or_kept, text) if "%" in text else text


def _decoded_or_kept(run: re.Match[str]) -> str:
    try:
        return unquote(run.group(), errors="strict")
    except UnicodeDecodeError:
        return run.group()


def chirpy_media_path(src: str, subpath: object, cdn: str) -> str:
    """Where a Chirpy page shows the image `src` of a post whose front matter sets `media_subpath` (Chirpy 7) or
    `img_path` (before): its media-url.html (img-url.html) joins the subpath and the site's `cdn` (`img_cdn`) before
    it, a "/" between each, and makes every "//" one (a path from the root gets the subpath too: Chirpy's pages
    show `/img/sub//a.png` as /img/sub/a.png). A site path, or the CDN's URL; `src` as it is where it has a ":"."""
    if ":" in src:
        return src
    path = f"{liquid_text(subpath)}/{src}"
    if cdn:
        path = f"{cdn}/{path}"
    return path.replace("///", "/").replace("//", "/").replace(":/", "://")


def liquid_text(value: object) -> str:
    """A setting as Liquid's `default: ''` and `append` give it: nil, false and "" are "", a number its digits."""
    if value is None or value is False or value == "":
        return ""
    return "true" if value is True else str(value)
