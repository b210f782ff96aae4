"""Plain YAML scalars as Hugo 0.111.3 reads front matter (go-yaml v2 into Go maps), not as PyYAML does.

Both follow YAML 1.1's words (`y`, `no`, `on` are booleans to go-yaml too: observed, `tags: [y]` is the tag
"true"), but go-yaml has no base-60 numbers (`title: 23:59` is the text "23:59", 1439 to PyYAML), reads a float
without a dot (`1e3` is 1000), an octal or hexadecimal number as Go's ParseInt does, and keeps a timestamp as text.
Hugo prints a float as Go does (1000, not 1000.0).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

_WORDS: dict[str, bool | float | None] = {
    **dict.fromkeys(("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL"), None),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
# Go's strconv.ParseInt with base 0: 0x, 0o, 0b prefixes, a leading 0 octal, "_" between digits as Go writes them.
_INTEGER = re.compile(
    r"[+-]?(?:0[xX](?:_?[0-9a-fA-F])+|0[oO](?:_?[0-7])+|0[bB](?:_?[01])+|0(?:_?[0-7])*|[1-9](?:_?[0-9])*)"
)
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")  # go-yaml's yamlStyleFloat


class GoFloat(float):
    """A float that prints as Hugo prints one (Go's FormatFloat 'f', -1: 1000, 0.5, 1e21 in full)."""

    def __str__(self) -> str:
        if math.isnan(self):
            return "NaN"
        if math.isinf(self):
            return "+Inf" if self > 0 else "-Inf"
        text = format(Decimal(repr(float(self))), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text


def plain_value(value: str) -> str | bool | int | float | None:
    """What go-yaml v2 makes of a plain scalar decoded into a Go map: a word's boolean, null or special float, an
    integer or a float; else the text itself (timestamps included)."""
    if value in _WORDS:
        found = _WORDS[value]
        return GoFloat(found) if isinstance(found, float) else found
    if value[:1] not in "+-.0123456789":
        return value
    plain = value.replace("_", "")  # go-yaml's first try: "_" removed, then strconv.ParseInt
    number = go_integer(plain)
    # An int64, or (unsigned, no sign written) a uint64; past them a float, as go-yaml tries next.
    if number is not None and (-(2**63) <= number < 2**63 or (plain[0] not in "+-" and number < 2**64)):
        return number
    if _FLOAT.fullmatch(plain) and not math.isinf(fraction := float(plain)):
        return GoFloat(fraction)  # out of range, ParseFloat fails and the value stays text
    return value


def go_integer(text: str) -> int | None:
    """`text` as Go's strconv.ParseInt reads it with base 0, of any size (the caller checks the range); None where
    it is no integer."""
    if len(text) > 100 or not _INTEGER.fullmatch(text):  # longer: past a uint64 in any base (and Python's int())
        return None
    digits = text.lstrip("+-").replace("_", "")
    base = 0 if digits[1:2] in ("x", "X", "o", "O", "b", "B") else 8 if digits[0] == "0" else 10
    return int(digits, base) * (-1 if text[0] == "-" else 1)
