"""The common shape of front matter, read without PyYAML's machinery: exactly what PyYAML gives, or None.

Nearly every post's front matter is a flat map of `key: text` lines (plain, 'single' or "double" quoted;
plain booleans and numbers too, which the loader itself reads: `draft: false`), lists of texts (block `- a`
lines, or one-line flow lists `[a, "b c", 'd''e']`), one-line flow maps of texts
(`author: {name: Kim, email: "k@example.com"}`) and folded (`>`) or literal (`|`) blocks. PyYAML spends ~30 µs
on such a map (a C scanner, then a Python resolver and constructor called for every value): a fifth of reading
a post. This reads that shape in a few µs and returns None for anything it is not sure of (escapes libyaml and
PyYAML read differently, nested or multi-line flow collections, anchors, tags, nesting, multi-line scalars,
values YAML reads as null, odd indentation...), which PyYAML then reads as before.
tests/test_simpleyaml.py checks the equality against PyYAML on generated documents.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Literal

# A key at the start of a line, then ":" and the end of the line or a space.
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?")
_SEQUENCE_ITEM = re.compile(r"( *)- +(.*)")
# Characters YAML gives a meaning to beyond text (line breaks of YAML 1.1, characters its reader refuses: C0 and
# C1 controls, U+FFFE, U+FFFF; a byte order mark, tabs): documents holding any are left to PyYAML, which refuses
# or reads them.
_UNSURE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\t\r\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
# Characters that start something other than plain text (YAML 1.1 §4.1.2 indicators).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# A double-quoted scalar on one line, with the escapes (YAML 1.1 §5.6) that libyaml and PyYAML's own scanner
# read alike: one character, or a code point in hex. `\'` (libyaml refuses it) and escaped line breaks are not.
_DOUBLE_QUOTED_TEXT = r'"(?:[^"\\]|\\(?:[0abtnvfre "/\\N_LP]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}))*"'
_DOUBLE_QUOTED = re.compile(_DOUBLE_QUOTED_TEXT)
_ESCAPE = re.compile(r"\\(?:x(..)|u(....)|U(........)|(.))")
_ESCAPED_CHARACTERS = {
    **{c: c for c in ' "/\\'},
    **dict(zip("0abtnvfreN_LP", "\0\a\b\t\n\v\f\r\x1b\x85\xa0\u2028\u2029", strict=True)),
}
# What PyYAML refuses to decode from an escape: a surrogate (a code point past Unicode is made one, below).
_SURROGATE = re.compile("[\ud800-\udfff]")
# A flow scalar: quoted, or plain without flow indicators, ":" or "#".
_FLOW_SCALAR = rf"""('(?:[^']|'')*'|{_DOUBLE_QUOTED_TEXT}|[^\s,\[\]{{}}'"#:](?:[^,\[\]{{}}#:]*[^\s,\[\]{{}}#:])?)"""
# One item of a one-line flow list and what follows it.
_FLOW_ITEM = re.compile(rf" *{_FLOW_SCALAR} *([,\]])")
# One `key: value` pair of a one-line flow map (`author: {name: Kim, email: "k@example.com"}`) and what follows it.
_FLOW_PAIR = re.compile(rf" *([A-Za-z_][A-Za-z0-9_-]*): +{_FLOW_SCALAR} *([,}}])")
_BLOCK_HEADERS = {">": (True, True), ">-": (True, False), "|": (False, True), "|-": (False, False)}

# The loader's value for a plain scalar: the text itself where it stays a string under the loader's implicit
# resolvers, else a boolean or a number; None for anything else (null, or a value the loader refuses).
Scalar = str | bool | int | float
Resolve = Callable[[str], Scalar | None]
# Whose rules a YAML front matter's plain values are read by: PyYAML's (plain sites), Hugo's go-yaml
# (read.go_yaml) or Jekyll's Psych (read.psych_yaml).
YamlRules = Literal["pyyaml", "go-yaml", "psych"]


def load(text: str, plain: Resolve) -> dict[str, Any] | None:
    """The mapping PyYAML would load from `text`, when `text` has the simple shape; None otherwise.

    `plain(value)` is what the loader in use makes of a plain value (see Resolve).
    """
    if _UNSURE_CHARACTERS.search(text):
        return None
    lines = text.split("\n")
    result: dict[str, Any] = {}
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        index += 1
        if not line or line[0] == "#":
            continue  # an empty line, or a comment from the first column
        match = _KEY_LINE.fullmatch(line)
        if match is None:
            return None
        key, value = match.group(1), (match.group(2) or "").rstrip(" ")
        if not _key_is_text(key, plain):
            return None  # `yes:`, `null:`: keys PyYAML reads as booleans or null
        if value in _BLOCK_HEADERS:
            folded, keep_last_break = _BLOCK_HEADERS[value]
            index, block = _block_scalar(lines, index, folded, keep_last_break)
            if block is None:
                return None
            result[key] = block
        elif value[:1] == "[":
            flow = _flow_sequence(value, plain)
            if flow is None:
                return None
            result[key] = flow
        elif value[:1] == "{":
            mapping = _flow_mapping(value, plain)
            if mapping is None:
                return None
            result[key] = mapping
        elif value:
            scalar = _scalar(value, plain)
            if scalar is None:
                return None
            result[key] = scalar
        else:
            index, items = _sequence(lines, index, plain)
            if items is None:
                return None
            result[key] = items
    return result if result else None


_KEYS_SEEN: dict[tuple[str, Resolve], bool] = {}  # posts repeat a few keys: each is resolved once a process


def _key_is_text(key: str, plain: Resolve) -> bool:
    answer = _KEYS_SEEN.get((key, plain))
    if answer is None:
        answer = isinstance(plain(key), str)
        if len(_KEYS_SEEN) < 1_000:  # a bound, whatever keys a site invents
            _KEYS_SEEN[key, plain] = answer
    return answer


def _scalar(value: str, plain: Resolve) -> Scalar | None:
    """A one-line value: single-quoted, double-quoted with the escapes both parsers read alike, or plain (text, a
    boolean or a number)."""
    first = value[0]
    if first == "'":
        inner = value[1:-1]
        if len(value) < 2 or value[-1] != "'" or "'" in inner.replace("''", ""):
            return None
        return inner.replace("''", "'")
    if first == '"':
        inner = value[1:-1]
        if "\\" not in value and len(value) > 1 and value[-1] == '"' and '"' not in inner:
            return inner  # no escapes: the common case, without the regex
        if _DOUBLE_QUOTED.fullmatch(value) is None:
            return None
        text = _ESCAPE.sub(_unescape, inner)
        return None if _SURROGATE.search(text) else text  # PyYAML refuses the document, with its own message
    if first in _INDICATORS or ": " in value or " #" in value or value[-1] == ":":
        return None
    return plain(value)


def _unescape(escape: re.Match[str]) -> str:
    code = escape.group(1) or escape.group(2) or escape.group(3)
    if code is None:
        return _ESCAPED_CHARACTERS[escape.group(4)]
    number = int(code, 16)
    return chr(number) if number <= 0x10FFFF else "\ud800"  # past Unicode: refused, as a surrogate is


def _flow_sequence(value: str, plain: Resolve) -> list[Scalar] | None:
    """A one-line flow list of texts, `[a, "b c", 'd''e']`; None for anything else (nesting, maps, empty items)."""
    if value == "[]":
        return []
    items: list[Scalar] = []
    position = 1
    while True:
        match = _FLOW_ITEM.match(value, position)
        if match is None:
            return None
        item = _scalar(match.group(1), plain)
        if item is None:
            return None
        items.append(item)
        position = match.end()
        if match.group(2) == "]":
            # Only the end of the line may follow (a comment or more text: PyYAML's business).
            return items if position == len(value) else None


def _flow_mapping(value: str, plain: Resolve) -> dict[str, Scalar] | None:
    """A one-line flow map of texts under plain keys, `{name: Kim, email: "k@example.com"}`; None for anything else."""
    if value == "{}":
        return {}
    mapping: dict[str, Scalar] = {}
    position = 1
    while True:
        match = _FLOW_PAIR.match(value, position)
        if match is None:
            return None
        key, item = match.group(1), _scalar(match.group(2), plain)
        if item is None or not _key_is_text(key, plain):
            return None
        mapping[key] = item  # a repeated key: the last value, as PyYAML's constructor keeps it
        position = match.end()
        if match.group(3) == "}":
            return mapping if position == len(value) else None


def _sequence(lines: list[str], index: int, plain: Resolve) -> tuple[int, list[Scalar] | None]:
    """The `- item` lines under a key (at one indentation); None for an empty value or anything else."""
    items: list[Scalar] = []
    indent: str | None = None
    while index < len(lines):
        match = _SEQUENCE_ITEM.fullmatch(lines[index])
        if match is None:
            break
        if indent is None:
            indent = match.group(1)
        elif match.group(1) != indent:
            return index, None
        item = _scalar(match.group(2).rstrip(" "), plain) if match.group(2).strip(" ") else None
        if item is None:
            return index, None
        items.append(item)
        index += 1
    return index, (items or None)  # no items: the value is null (or a nested map), left to PyYAML


def _block_scalar(lines: list[str], index: int, folded: bool, keep_last_break: bool) -> tuple[int, str | None]:
    """A `>` or `|` block (clipped, or stripped with `-`) whose lines share one indentation."""
    if index >= len(lines):
        return index, None
    first = lines[index]
    indent = len(first) - len(first.lstrip(" "))
    if indent == 0 or not first.strip(" "):
        return index, None  # leading empty lines, or no indentation: rules this reader does not follow
    prefix = " " * indent
    content: list[str] = []
    while index < len(lines):
        line = lines[index]
        if line.startswith(prefix):
            text = line[indent:]
            if not text or text[0] == " ":
                return index, None  # a more-indented line, or spaces alone: folding keeps those differently
            content.append(text)
        elif line:
            if line.strip(" ") == "" or line[0] == " ":
                return index, None
            break
        else:
            content.append("")
        index += 1
    ended_by_break = index < len(lines)  # a line follows the block: its last content line ended with a break
    while content and not content[-1]:
        content.pop()
        ended_by_break = True
    if folded:  # a line break between lines becomes a space; n empty lines between them, n breaks
        pieces: list[str] = []
        empty = 0
        for text in content:
            if not text:
                empty += 1
                continue
            if pieces:
                pieces.append("\n" * empty if empty else " ")
            pieces.append(text)
            empty = 0
        body = "".join(pieces)
    else:
        body = "\n".join(content)
    return index, body + ("\n" if keep_last_break and ended_by_break else "")
