"""Front matter: YAML (the fast path first) or TOML split from the body, and its values made text."""

from __future__ import annotations

import html
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from typing import Any

from feedpub.errors import PostError, one_line
from feedpub.models import Author, author_from
from feedpub.read import markup, psych_yaml, simpleyaml
from feedpub.read.config_files import MAX_FRONT_MATTER_VALUES, MAX_NESTING, holds_more_values, nested_deeper
from feedpub.read.fences import TOML_FENCE, YAML_FENCE, split_yaml
from feedpub.read.go_yaml import plain_value as go_yaml_plain_value
from feedpub.read.simpleyaml import Resolve, YamlRules
from feedpub.text import strip_xml_invalid

_TAG = re.compile(r"<[a-zA-Z/!][^<>]*>")  # a tag as text written by hand has one: `<b>`, `</i>`, `<!-- -->`
# A "<" that opens no tag: `a<b then c` is text, where an HTML parser takes `<b then c` for a tag to the end.
_NOT_A_TAG = re.compile(r"<(?![a-zA-Z/!][^<>]*>)")


def split(path: str, text: str, rules: YamlRules = "pyyaml") -> tuple[Mapping[str, Any], str]:
    """A post's front matter (YAML or TOML between fences; {} without) and its body; `rules`: whose reading of
    YAML's plain values (`published: fAlse`, `1,000`) is taken.

    The common YAML shape is read by simpleyaml without PyYAML or python-frontmatter, which are imported only for
    the rest: a process that never meets it spends nothing on them (~10 ms).
    """
    if YAML_FENCE.match(text):
        try:
            front, body = split_yaml(text)
        except ValueError:
            raise PostError(path, _NOT_CLOSED) from None
        simple = simpleyaml.load(front, _PLAIN_VALUE_READERS[rules])
        if simple is not None:
            return simple, body
    elif not TOML_FENCE.match(text):
        return {}, text
    return _parsed(path, text, rules)


_NOT_CLOSED = "front matter is not closed; end it with a line of '---' (or '+++')"


def _parsed(path: str, text: str, rules: YamlRules) -> tuple[Mapping[str, Any], str]:
    """The front matter simpleyaml leaves, read by PyYAML (its plain values by `rules`) or tomllib through
    python-frontmatter's handlers."""
    from feedpub.read import front_matter_parsers as parsers

    handler = parsers.handler_for(text, rules)
    if handler is None:
        return {}, text
    try:
        front, body = handler.split(text)
    except ValueError:  # python-frontmatter's split found an opening fence and no closing one
        raise PostError(path, _NOT_CLOSED) from None
    try:
        metadata = handler.load(front)
    except (parsers.YAMLError, tomllib.TOMLDecodeError) as error:  # before ValueError: TOMLDecodeError is one
        reason = one_line(str(error).replace('in "<unicode string>", ', ""))
        language = "TOML" if isinstance(handler, parsers.TomlHandler) else "YAML"
        line = _error_line(text, error)
        raise PostError(path, f"front matter is not valid {language}: {reason}", line) from None
    except parsers.TooManyValues:
        raise PostError(path, _TOO_MANY_VALUES) from None
    except parsers.UnorderedSet:
        raise PostError(
            path,
            "front matter holds a YAML set (!!set), whose items have no order, and which Jekyll does not read; "
            "write a list ([a, b])",
        ) from None
    except RecursionError:  # tomllib's parser recurses once a nesting level: `x = [[[[…` 3,000 deep
        raise PostError(path, NESTED_TOO_DEEPLY) from None
    except ValueError as error:  # Python refuses integers of over 4,300 digits
        reason = "a number of over 4,300 digits" if "digits" in str(error) else one_line(str(error))
        raise PostError(path, f"front matter holds a value that cannot be read ({reason})") from None
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise PostError(path, f"front matter must be a mapping of keys to values, got {type(metadata).__name__}")
    check_size(path, metadata)  # only PyYAML's aliases can make a small text a large value
    return metadata, body


# What PyYAML's loader makes of a plain value, without PyYAML where the answer is certain. Its implicit resolvers
# (YAML 1.1's bool, null, int, float, timestamp, merge and value) are filed under the first characters of the
# values they can match: a value starting with any other is text. Under a letter, only the bool and null words;
# under a digit, a sign or a dot, only numbers besides timestamps (kept as text by the loader), and a number is
# written with these characters alone (0x1F, 1_000, 1:30, -1.5e+3, .inf, .NaN). tests/test_simpleyaml.py checks
# the first characters against the loader's own table, and the answers against it on generated values.
_WORDS: dict[str, bool | None] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("null", "Null", "NULL", "~"), None),
}
WORD_FIRST = frozenset("yYnNtTfFoO~")
NUMBER_FIRST = frozenset("0123456789+-.")
# The loader's other first characters: null (""), merge ("<<"), value ("="), and "!", "&", "*" (YAML's own
# indicators, which simpleyaml never passes as plain values).
OTHER_FIRST = frozenset(("", "<", "=", "!", "&", "*"))
_NOT_IN_A_NUMBER = re.compile(r"[^0-9_+\-.:a-fA-FiInNxX]")
# A "-" past the first character and not an exponent's sign ("1e-5"): no number has one there, so the value is a
# timestamp or text, both text to the loader. The common `date: 2024-01-05` is then read without PyYAML.
_MINUS_INSIDE = re.compile(r"[^eE]-")


def plain_value(value: str) -> str | bool | int | float | None:
    """What the front matter loader makes of a plain scalar (simpleyaml.Resolve): the text itself, or a boolean or
    a number; None for null or what it refuses (front_matter_parsers.plain_value, asked only where unsure)."""
    first = value[:1]
    if first in WORD_FIRST:
        return _WORDS.get(value, value)
    if first in NUMBER_FIRST:
        if _NOT_IN_A_NUMBER.search(value) is not None or _MINUS_INSIDE.search(value) is not None:
            return value  # no number: a timestamp or text, both text to the loader
    elif first not in OTHER_FIRST:
        return value
    from feedpub.read import front_matter_parsers

    return front_matter_parsers.plain_value(value)


_PLAIN_VALUE_READERS: dict[YamlRules, Resolve] = {
    "pyyaml": plain_value,
    "go-yaml": go_yaml_plain_value,
    "psych": psych_yaml.plain_value,
}


def _error_line(text: str, error: Exception) -> int | None:
    """The file's line (from 1) a YAML or TOML error points at, for annotations next to it (GitHub Actions).

    The parsers are given the text from the end of the opening fence, so their first line is the fence's line:
    PyYAML's mark counts from 0 and tomllib's message from 1.
    """
    mark = getattr(error, "problem_mark", None)
    if mark is not None:
        inner = int(mark.line)
    elif found := re.search(r"\(at line (\d+), column \d+\)", str(error)):
        inner = int(found.group(1)) - 1
    else:
        return None
    fence = text.lstrip("\ufeff").lstrip("\r\n \t")
    return text.count("\n", 0, len(text) - len(fence)) + 1 + inner


def check_size(path: str, metadata: Any) -> None:
    """Refuse front matter that expands past a bound (YAML aliases can make a small file a huge value), or nests
    deeper than any code that walks it can follow."""
    if holds_more_values(metadata, MAX_FRONT_MATTER_VALUES):
        raise PostError(path, _TOO_MANY_VALUES)
    if nested_deeper(metadata, MAX_NESTING):
        raise PostError(path, NESTED_TOO_DEEPLY)


NESTED_TOO_DEEPLY = "front matter is nested too deeply to read; flatten its lists and tables"


_TOO_MANY_VALUES = (
    f"front matter expands to more than {MAX_FRONT_MATTER_VALUES} values, or to twice its text (YAML aliases?); "
    "simplify it"
)


def as_text(value: Any) -> str:
    """Front matter value as text, whatever its YAML/TOML type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return " ".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return ""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)  # bytes: YAML !!binary
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # printable: its only white space is " ", and that is neither doubled nor at either end
    return " ".join(strip_xml_invalid(text).split())  # YAML escapes like "\x1b" reach here unfiltered


def plain_text(text: str) -> str:
    """Text from front matter (`as_text`), with any markup or entities in it reduced to plain text."""
    if "<" in text:
        text = _NOT_A_TAG.sub("&lt;", text)
    return markup.html_to_text(text) if "<" in text or "&" in text else text


def plain_title(title: str) -> str:
    """Titles are text in every feed format; markup written into one is reduced to its text.

    Feed readers disagree on whether an RSS <title> is HTML, so a tag left in would show or run in some.
    """
    if _TAG.search(title):
        text = markup.html_to_text(_NOT_A_TAG.sub("&lt;", title))
    else:
        # Entities alone (`Pi&nbsp;Day`, `&ldquo;fun&rdquo;`) are the characters they name, as in Jekyll's feeds;
        # decoded without collapsing white space, so a no-break space stays one.
        text = html.unescape(title) if "&" in title else title
    return visible_title(text)


def visible_title(title: str) -> str:
    """A title as text, or "" where it shows nothing (`&nbsp;`, a zero-width space): readers showed an empty one."""
    return "" if all(c.isspace() or unicodedata.category(c) in ("Cf", "Cc") for c in title) else title


# A language tag's shape (BCP 47's subtags: letters, then letters or digits, 1-8 each), as xml:lang takes it.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


def as_language_tag(value: Any) -> str:
    """A front matter language (`lang: ko`, a locale `ko_KR`) as a tag feeds can carry; "" for anything else."""
    tag = as_text(value).replace("_", "-")
    return tag if _LANGUAGE_TAG.fullmatch(tag) else ""


def as_terms(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = value.split(",") if "," in value else value.split()
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        items = [value]
    terms = (as_text(item) for item in items)
    return tuple(dict.fromkeys(t for t in terms if t))


def as_author(value: Any) -> Author | None:
    return author_from(value, as_text)


# The address of "Name <address>", as mail headers and many front matters write an author.
_ADDRESS = re.compile(r"[^<>\s]+@[^<>\s]+")


def first_author(metadata: Mapping[str, Any]) -> Author | None:
    """The post's author as front matter gives it: `author` (a name, "Name <address>", a mapping, or a list of
    them: the first), else the first of `authors`. A list was one author named by all its items joined."""
    value = metadata.get("author")
    if value is None:
        value = metadata.get("authors")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str) and value.rstrip().endswith(">"):
        name, _, address = value.rstrip()[:-1].rpartition("<")
        if name.strip() and _ADDRESS.fullmatch(address):
            return author_from({"name": name.strip(), "email": address}, as_text)
    return as_author(value)
