"""Front matter: YAML (the fast path first) or TOML split from the body, and its values made text."""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Mapping
from typing import Any

import frontmatter
import yaml

from feedpub.errors import PostError, one_line
from feedpub.models import Author, author_from
from feedpub.read import markup, simpleyaml
from feedpub.text import strip_xml_invalid

_MARKUP = re.compile(r"<[a-zA-Z/!]")


_MAX_FRONT_MATTER_NODES = 10_000  # far above any real front matter; bounds YAML alias expansion


_TAGS_BEFORE_DEPTH_CHECK = 5_000  # a cheap count first: real posts have a few hundred tags


class _FrontMatterLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML that keeps timestamps as text, so every date goes through one parser that names the field."""

    def get_single_data(self) -> Any:
        # Front matter is a small map of strings and lists of strings. Building those directly skips PyYAML's
        # generic constructor, a fifth of a cold build's time; anything else (other tags, merge keys, aliases
        # of collections) takes the generic way, so the result is the same.
        node = self.get_single_node()
        if node is None:
            return None
        try:
            return self._plain(node, set())
        except _NotPlain:
            return self.construct_document(node)

    def _plain(self, node: yaml.Node, seen: set[int]) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _YAML_STR else self.construct_object(node)
        if id(node) in seen:
            raise _NotPlain  # an alias: the generic constructor shares the object, as YAML means
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode) and node.tag == _YAML_SEQ:
            return [self._plain(item, seen) for item in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == _YAML_MAP:
            mapping = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag not in _YAML_PLAIN_KEYS:
                    raise _NotPlain  # "<<" merge keys, or a collection as a key
                mapping[self._plain(key, seen)] = self._plain(value, seen)
            return mapping
        raise _NotPlain


class _NotPlain(Exception):
    """Front matter the direct construction leaves to PyYAML's constructor."""


_YAML_STR, _YAML_SEQ, _YAML_MAP, _YAML_TIMESTAMP = (
    f"tag:yaml.org,2002:{kind}" for kind in ("str", "seq", "map", "timestamp")
)


_YAML_PLAIN_KEYS = {_YAML_STR, *(f"tag:yaml.org,2002:{kind}" for kind in ("int", "bool", "null", "float"))}


_FrontMatterLoader.add_constructor(_YAML_TIMESTAMP, lambda loader, node: loader.construct_scalar(node))


def _stays_text(value: str) -> bool:
    """Whether _FrontMatterLoader reads this plain value as a string (its implicit resolvers; timestamps stay text)."""
    # As PyYAML's Resolver.resolve does: the resolvers for the first character, then those for any.
    resolvers = _FrontMatterLoader.yaml_implicit_resolvers
    for first in (value[:1], None):
        for tag, pattern in resolvers.get(first, ()):
            if pattern.match(value):
                return bool(tag == _YAML_TIMESTAMP)
    return True


class _YamlHandler(frontmatter.default_handlers.YAMLHandler):
    """PyYAML, for the front matter `simpleyaml` leaves to it (see `split`)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_FrontMatterLoader)  # safe: a SafeLoader subclass


class _TomlHandler(frontmatter.default_handlers.BaseHandler):
    """TOML between +++ lines, read with the standard library (python-frontmatter wants the old `toml`)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


_HANDLERS: list[frontmatter.default_handlers.BaseHandler] = [_YamlHandler(), _TomlHandler()]


def split(path: str, text: str) -> tuple[Mapping[str, Any], str]:
    if text.count("<") > _TAGS_BEFORE_DEPTH_CHECK and markup.nesting_depth(text) > markup.MAX_NESTING:
        # The sanitiser's time grows with the square of the depth: 100,000 nested <div>s take half a minute.
        raise PostError(path, f"HTML nested more than {markup.MAX_NESTING} elements deep; simplify the markup")
    handler = frontmatter.detect_format(text, _HANDLERS)
    if handler is None:
        return {}, text
    try:
        front, body = handler.split(text)
        simple = simpleyaml.load(front, _stays_text) if isinstance(handler, _YamlHandler) else None
        metadata = simple if simple is not None else handler.load(front)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:  # before ValueError: TOMLDecodeError is one
        reason = one_line(str(error).replace('in "<unicode string>", ', ""))
        language = "TOML" if isinstance(handler, _TomlHandler) else "YAML"
        line = _error_line(text, error)
        raise PostError(path, f"front matter is not valid {language}: {reason}", line) from None
    except ValueError:  # python-frontmatter's split found an opening fence and no closing one
        raise PostError(path, "front matter is not closed; end it with a line of '---' (or '+++')") from None
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise PostError(path, f"front matter must be a mapping of keys to values, got {type(metadata).__name__}")
    if simple is None:
        _check_size(path, metadata)  # only PyYAML's aliases can make a small text a large value
    return metadata, body


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


def _check_size(path: str, metadata: Any) -> None:
    """Refuse front matter that expands past a bound: YAML aliases can make a small file a huge value."""
    budget = _MAX_FRONT_MATTER_NODES
    stack = [metadata]
    while stack:
        value = stack.pop()
        budget -= 1
        if budget < 0:
            raise PostError(
                path, f"front matter expands to more than {_MAX_FRONT_MATTER_NODES} values (YAML aliases?); simplify it"
            )
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


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
    return markup.html_to_text(text) if "<" in text or "&" in text else text


def plain_title(title: str) -> str:
    """Titles are text in every feed format; markup written into one is reduced to its text.

    Feed readers disagree on whether an RSS <title> is HTML, so a tag left in would show or run in some.
    """
    if _MARKUP.search(title):
        return markup.html_to_text(title)
    # Entities alone (`Pi&nbsp;Day`, `&ldquo;fun&rdquo;`) are the characters they name, as in Jekyll's feeds;
    # decoded without collapsing white space, so a no-break space stays one.
    return html.unescape(title) if "&" in title else title


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
