"""Hugo 0.111.3's paths: urlize, permalink patterns and their tokens, as observed (docs/guide.md, Hugo section).

Every rule here was checked against Debian's hugo 0.111.3 (tests/test_hugo_reader.py runs it), not read
from Hugo's documentation: where they differ (`+` in a permalink, `:sections[last]`), Hugo's output wins.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import datetime
from urllib.parse import quote, unquote_plus, unquote_to_bytes

from feedpub.errors import ConfigError
from feedpub.text import letters_and_digits

# Kept by Hugo's path sanitising besides letters (L*), decimal digits (Nd) and marks (M*).
_KEPT = frozenset("./\\_#+~-@")
_HEX = frozenset("0123456789abcdefABCDEF")
_TOKEN = re.compile(r":(\w+)(?:\[([^\]]*)\])?")
_DATE_TOKENS = frozenset({"year", "month", "monthname", "day", "weekday", "weekdayname", "yearday"})
# What a permalink may use on 0.111.3 (`:contentbasename` and `:slugorcontentbasename` came later).
TOKENS = _DATE_TOKENS | {"section", "sections", "title", "slug", "filename", "slugorfilename"}
_SLASHES = re.compile(r"/{2,}")
_SLICE = re.compile(r"(-?\d+|last)?(:)?(-?\d+|last)?")
# Characters a base URL keeps unencoded; unlike urls.to_uri no NFC: Hugo keeps decomposed accents.
_PERMALINK_SAFE = "/:@!$&'()*+,;=~%"
# What Go's url package writes back as it was given (url.URL.EscapedPath, EscapedFragment: RFC 3986's pchar, "[" and
# "]" too, and escapes; "?" in a fragment): anything else, and it writes the decoded text escaped anew with these
# kept (besides letters, digits and "-_.~"). See _go_escaped.
_GO_KEPT_PATH = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]/]|%[0-9A-Fa-f]{2})*")
_GO_PATH_SAFE = "$&+,/:;=@"
_GO_KEPT_FRAGMENT = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@\[\]/?]|%[0-9A-Fa-f]{2})*")
_GO_FRAGMENT_SAFE = "$&+,/:;=?@!()*"


_KEPT_REMOVED = str.maketrans("", "", "".join(_KEPT) + "0123456789")  # ASCII digits: decimal, kept


def sanitize(text: str) -> str:
    """Hugo's path sanitising: disallowed characters dropped, white space runs made one `-`, ends trimmed.

    A white space run after a `-` adds none (`a - b` is `a-b`), but a dropped character between two spaces
    does not join them: `100% + 50` keeps `100-+-50` here and becomes `100--50` in a permalink.
    """
    words = text.split()  # str.split's white space is str.isspace's
    # Nearly every title, name and path keeps all its characters (letters, decimal digits, _KEPT): only its white
    # space runs change.
    if letters_and_digits("".join(words).translate(_KEPT_REMOVED)):
        joined = words[0] if words else ""
        for word in words[1:]:
            joined += word if joined.endswith("-") or word.startswith("-") else f"-{word}"
        return joined
    return _sanitized_characters(text)


def _sanitized_characters(text: str) -> str:
    """sanitize, one character at a time."""
    out: list[str] = []
    hyphen_due = after_hyphen = False
    for i, char in enumerate(text):
        category = unicodedata.category(char)
        kept = char in _KEPT or category[0] in "LM" or category == "Nd"
        kept = kept or (char == "%" and text[i + 1 : i + 2] in _HEX and text[i + 2 : i + 3] in _HEX)
        if kept:
            after_hyphen = char == "-"
            if hyphen_due and not after_hyphen:
                out.append("-")
            hyphen_due = False
            out.append(char)
        elif out and not after_hyphen and char.isspace():
            hyphen_due = True
    return "".join(out)


def lower(text: str) -> str:
    """Go's rune-by-rune ToLower: no final sigma (`ΣΟΣ` -> `σοσ`), one character for one."""
    lowered = text.lower()
    # str.lower differs only where a character lowers to two (İ) or by context (a final Σ): otherwise the same.
    if len(lowered) == len(text) and "Σ" not in text:
        return lowered
    return "".join(c.lower()[0] for c in text)


def strip_accents(text: str) -> str:
    """removePathAccents: combining marks dropped after NFD (`ß`, `æ`, `ø` stay)."""
    return unicodedata.normalize(
        "NFC", "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    )


def urlize(text: str, *, to_lower: bool = True, remove_accents: bool = False, trim: bool = True) -> str:
    """A title, slug, file or folder name as Hugo puts it into a path. `trim=False`: white space at either end
    becomes a `-` too, as in a path made without a permalink pattern (observed: slug "  x" is /posts/-x/ there,
    /x/ through ":slug")."""
    if remove_accents:
        text = strip_accents(text)
    sanitized = sanitize(text)
    if not trim and sanitized:
        lead = "-" if text[:1].isspace() and not sanitized.startswith("-") else ""
        tail = "-" if text[-1:].isspace() and not sanitized.endswith("-") else ""
        sanitized = lead + sanitized + tail
    return lower(sanitized) if to_lower else sanitized


def url_escaped(name: str) -> str:
    """An urlized name as a permalink pattern's `:title`, `:slug` or `:filename` has it: Hugo's URLize ends with Go's
    url.Parse(name).String(), which takes a "#" for the start of a fragment and writes none where it is empty
    (observed: "/p/:slug/" is /p/c/ for "C#" and "x?#", /p/a#b/ for "a#b", /p/c##/ for "c##"; without a pattern
    they keep it, /posts/c#/). The escapes it writes are decoded again when the path is settled."""
    head, hash_mark, fragment = name.partition("#")
    return head if hash_mark and not fragment else name


def merge_slashes(path: str) -> str:
    return _SLASHES.sub("/", path)


def settle(path: str) -> str:
    """A permalink's path as 0.111.3 writes it: escapes decoded (`+` is a space), sanitised again, `//` merged.

    Observed: title `c+d` gives `/c-d/`, `C++ & Go` gives `/c-go/`, a title `a%20b` gives `/a-b/`.
    """
    return merge_slashes(sanitize(unquote_plus(path)))


@functools.lru_cache(maxsize=64)
def pattern_tokens(pattern: str) -> frozenset[str]:
    """The names of the tokens a permalink pattern uses (`:year`, `:slug`…)."""
    return frozenset(match.group(1) for match in _TOKEN.finditer(pattern))


def check_pattern(section: str, pattern: str) -> None:
    """Refuse what 0.111.3 refuses in `[permalinks]`: tokens it does not know."""
    for match in _TOKEN.finditer(pattern):
        if match.group(1) not in TOKENS:
            raise ConfigError(
                f"permalinks.{section}: :{match.group(1)} is not a token Hugo 0.111.3 knows "
                f"(known: {', '.join(':' + t for t in sorted(TOKENS))})"
            )
        if match.group(2) is not None and (match.group(1) != "sections" or not _SLICE.fullmatch(match.group(2))):
            raise ConfigError(f"permalinks.{section}: {match.group(0)} is ill-formed; Hugo would refuse it too")


# Go's names: Hugo writes them so, and lower-cases them with the rest of the path unless disablePathToLower.
_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


def expand(pattern: str, values: Mapping[str, str], date: datetime, sections: Sequence[str]) -> str:
    """A permalink pattern with each token replaced; the date is taken in its own offset, as Hugo does."""

    def token(match: re.Match[str]) -> str:
        name, index = match.group(1), match.group(2)
        if name in _DATE_TOKENS:
            return _date_token(name, date)
        if name == "sections":
            return "/".join(sections if index is None else _slice(sections, index))
        return values[name]

    return _TOKEN.sub(token, pattern)


def _date_token(name: str, date: datetime) -> str:
    """One date token's text (each made alone: a pattern uses two or three of them)."""
    if name == "year":
        return str(date.year)  # Go's strconv.Itoa: the zero date's year is "1", not "0001"
    if name == "month":
        return f"{date.month:02d}"
    if name == "day":
        return f"{date.day:02d}"
    if name == "monthname":
        return _MONTHS[date.month - 1]
    if name == "yearday":
        return str(date.timetuple().tm_yday)
    weekday = (date.weekday() + 1) % 7  # Go counts from Sunday
    return _DAYS[weekday] if name == "weekdayname" else str(weekday)


def _slice(sections: Sequence[str], index: str) -> Sequence[str]:
    """`:sections[…]` as 0.111.3 reads it: Go's index and slice forms, `last` the final index."""
    count = len(sections)
    if index == "last":
        return sections[-1:]
    match = _SLICE.fullmatch(index)
    assert match is not None  # check_pattern let only these through
    start, colon, end = match.groups()

    def number(text: str | None, default: int) -> int:
        return default if text is None else count - 1 if text == "last" else int(text)

    if colon is None:
        position = number(start, 0)
        return sections[position : position + 1] if 0 <= position < count else ()
    low, high = number(start, 0), number(end, count)
    return sections[max(low, 0) : max(min(high, count), 0)]


def _go_escaped(text: str, kept: re.Pattern[str], safe: str) -> str:
    """A path or fragment as Go's url.Parse(…).String() writes it: as given where it is valid (`kept`), else its
    decoded bytes escaped anew (`safe` kept), "!'()*" in a path and all.

    Observed on 0.111.3: "/news/it's-ok!/" stays, "/news/hello world (1)/" is /news/hello%20world%20%281%29/,
    "/한%41/" is /%ED%95%9CA/ (the page is in the folder 한%41/ all the same), "/a[b/" stays. A "%" starting no
    escape makes Hugo stop (it panics); here it is a character, %25.
    """
    if kept.fullmatch(text):
        return text
    return quote(unquote_to_bytes(text), safe=safe)


def encode(url: str, base: str) -> str:
    """A page's URL under the site's `base` URL as it is served: the base percent-encoded (UTF-8 bytes, no Unicode
    normalisation), the path below it as Hugo links it (_go_escaped: Hugo escapes a page's link alone and appends it
    to its baseURL), a "#" as %23: in a page's path ("C# 입문" is public/c#-입문/) it is a character of the folder's
    name, where Hugo's own links cut the path short (see hugo_permalink)."""
    return quote(base, safe=_PERMALINK_SAFE) + _go_escaped(url.removeprefix(base), _GO_KEPT_PATH, _GO_PATH_SAFE)


def hugo_permalink(url: str, base: str) -> str:
    """The permalink as Hugo writes it into its feeds and sitemap, the ids their readers keep: Go's url package
    takes the first "#" for the start of a fragment, and escapes the rest as one, and before it the first "?" for
    the start of a query, written back as it is (observed: "/c#-입문-#1/" is "/c#-%EC%9E%85%EB%AC%B8-%231/", a
    link to /c; `url: /faq?/` is "/faq?/", a link to /faq, where the page is served at /faq%3F/)."""
    before, hash_mark, fragment = url.partition("#")
    path, question_mark, query = before.partition("?")
    fragment = _go_escaped(fragment, _GO_KEPT_FRAGMENT, _GO_FRAGMENT_SAFE)
    return encode(path, base) + question_mark + query + hash_mark + fragment
