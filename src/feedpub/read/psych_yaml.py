"""Plain YAML scalars as Jekyll 4.3.1 reads front matter (Ruby 3.1's Psych 4, its ScalarScanner), not as PyYAML does.

Both follow YAML 1.1 loosely, differently: Psych takes the words in any case (`published: fAlse` is false, `nuLL`
null), reads `,` in numbers (`1,000` is 1000), keeps `12_` and `1__0` as text (PyYAML: 12, 10), counts `1:30` as
1*3600 + 30*60 (its base 60 takes the last part for minutes), reads `.iNf` and `+.5` as floats, and has no `0o`.
Dates and times stay text, as FrontMatterLoader keeps them, for feedpub's one date parser. What Psych refuses (a
symbol, `:x`, which Jekyll's safe_load does not permit; `0b_`, on which Ruby's Integer() fails) raises Refused:
Jekyll publishes such a post without its front matter, at a URL of its file name.
tests/test_simpleyaml.py checks every answer against Ruby's on a generated table of scalars.
"""

from __future__ import annotations

import math
import re

# The words ScalarScanner reads, in any case (five characters at most: a longer text is never looked up).
_WORDS: dict[str, bool | None] = {
    **dict.fromkeys(("yes", "true", "on"), True),
    **dict.fromkeys(("no", "false", "off"), False),
    **dict.fromkeys(("null", "~"), None),
}
# Every branch past the words wants one of these first: a sign, a dot, a colon or a digit.
_NUMBER_FIRST = frozenset("-+.:0123456789")
# ScalarScanner's expressions, in its order; Ruby's \d and \s are ASCII, and `^`/`$` lines (a plain scalar here has
# one: one with a line break is always taken as text or a word).
_TIME = re.compile(
    r"-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t\n\v\f\r]+)[0-9]{1,2}:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?"
    r"(?:[ \t\n\v\f\r]*(?:Z|[-+][0-9]{1,2}:?(?:[0-9][0-9])?))?"
)
_DATE = re.compile(r"[0-9]{4}-(?:1[012]|0[0-9]|[0-9])-(?:[12][0-9]|3[01]|0[0-9]|[0-9])")
_INFINITY = re.compile(r"\+?\.inf", re.IGNORECASE)
_MINUS_INFINITY = re.compile(r"-\.inf", re.IGNORECASE)
_NAN = re.compile(r"\.nan", re.IGNORECASE)
_SEXAGESIMAL_INTEGER = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}")
_SEXAGESIMAL_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?")
_FLOAT_DROPPED = re.compile(r"[,_]|\.(?=[Ee]|$)")  # what ScalarScanner removes before Ruby's Float()
_INTEGER = re.compile(r"[-+]?(?:0b[0-1_,]+|0[0-7_,]+|(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|0x[0-9a-fA-F_,]+)")
# Ruby's Integer() of what is left once "," and "_" are removed: a prefix's digits, at least one.
_RUBY_INTEGER = re.compile(r"([-+]?)(?:0b([01]+)|0x([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))")
# The number String#to_i and #to_f read from the start of a text ("_" only between digits).
_TO_I = re.compile(r"[-+]?[0-9]+(?:_[0-9]+)*")
_TO_F = re.compile(r"[-+]?[0-9]+(?:_[0-9]+)*(?:\.[0-9]+(?:_[0-9]+)*)?")


class Refused(ValueError):
    """A plain scalar Psych refuses, which makes Jekyll publish the post without its front matter."""


def plain_value(value: str) -> str | bool | int | float | None:
    """What Psych makes of a plain scalar (simpleyaml.Resolve): the text itself (dates and times too), a boolean or
    a number; None for null, and for what it refuses (left to the loader, which raises Refused for it)."""
    try:
        return scalar(value)
    except Refused:
        return None


def scalar(value: str) -> str | bool | int | float | None:
    """What Psych's ScalarScanner.tokenize makes of a plain scalar, dates and times left as text. Raises Refused."""
    if not value:
        return None
    if "\n" in value or value[0] not in _NUMBER_FIRST:
        return _word(value)
    if _TIME.fullmatch(value) or _DATE.fullmatch(value):
        return value
    if _INFINITY.fullmatch(value):
        return math.inf
    if _MINUS_INFINITY.fullmatch(value):
        return -math.inf
    if _NAN.fullmatch(value):
        return math.nan
    if value[0] == ":" and len(value) > 1:
        raise Refused(f"{value}, a Ruby symbol to Jekyll's YAML, which refuses it; quote it")
    if _SEXAGESIMAL_INTEGER.fullmatch(value):
        return sum(_to_i(part) * weight for part, weight in _base_60(value))
    if _SEXAGESIMAL_FLOAT.fullmatch(value):
        return sum(_to_f(part) * weight for part, weight in _base_60(value))
    if _FLOAT.fullmatch(value):
        if value.lstrip("+-") == ".":
            return value
        try:
            return float(_FLOAT_DROPPED.sub("", value))
        except ValueError:  # `-.e+5`: Ruby's Float() fails too
            raise Refused(f"{value}, a number Jekyll's YAML cannot read; quote it") from None
    if _INTEGER.fullmatch(value):
        return _ruby_integer(value)
    return value


def _word(value: str) -> str | bool | None:
    """A text, or (five characters at most, each line of it starting with y, t, o, n, f or ~) a word's boolean or
    null: ScalarScanner's first branch, for what starts with no digit, sign, dot or colon, or holds a line break."""
    if len(value) > 5:
        return value
    if "\n" not in value:
        return _WORDS.get(value.lower(), value)
    # Its expressions searched line by line, as Ruby's `^` and `$` do (an empty line starts with none of the letters).
    if re.search(r"(?im)^[^ytonf~]", value):
        return value
    if value == "~" or re.search(r"(?im)^null$", value):
        return None
    if re.search(r"(?im)^(?:yes|true|on)$", value):
        return True
    if re.search(r"(?im)^(?:no|false|off)$", value):
        return False
    return value


def _base_60(value: str) -> list[tuple[str, int]]:
    """ScalarScanner's base 60: each part with its weight, 60 to the power of its distance from the third part."""
    return [(part, 60 ** abs(index - 2)) for index, part in enumerate(value.split(":"))]


def _to_i(text: str) -> int:
    found = _TO_I.match(text)
    return int(found.group().replace("_", "")) if found else 0


def _to_f(text: str) -> float:
    found = _TO_F.match(text)
    return float(found.group().replace("_", "")) if found else 0.0


def _ruby_integer(value: str) -> int:
    """Ruby's Integer() of the text with "," and "_" removed; Refused where it fails (`0b_`, `0x,`)."""
    found = _RUBY_INTEGER.fullmatch(value.replace(",", "").replace("_", ""))
    if found is None:
        raise Refused(f"{value}, a number Jekyll's YAML cannot read; quote it")
    sign, binary, hexadecimal, octal, decimal = found.groups()
    if binary is not None:
        number = int(binary, 2)
    elif hexadecimal is not None:
        number = int(hexadecimal, 16)
    elif octal is not None:
        number = int(octal, 8) if octal else 0
    else:
        number = int(decimal)
    return -number if sign == "-" else number
