"""front_matter finds and splits front matter exactly as python-frontmatter did, without importing it or PyYAML."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from typing import Any

import frontmatter
import pytest
import yaml
from frontmatter.default_handlers import BaseHandler, YAMLHandler
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedpub.errors import PostError
from feedpub.read import front_matter
from feedpub.read.full_yaml import FrontMatterLoader


class _Toml(BaseHandler):
    """The TOML handler front_matter gave python-frontmatter (the library's own wants the old `toml` package)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


class _Yaml(YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=FrontMatterLoader)


def reference(text: str) -> tuple[str, Any, str] | str | None:
    """What python-frontmatter detects and splits, then loads: (language, metadata, body), an error kind, or None."""
    handler = frontmatter.detect_format(text, [_Yaml(), _Toml()])
    if handler is None:
        return None
    try:
        front, body = handler.split(text)
        metadata = handler.load(front)
    except (yaml.YAMLError, tomllib.TOMLDecodeError):
        return "not valid"
    except ValueError:
        return "not closed"
    return ("TOML" if isinstance(handler, _Toml) else "YAML"), metadata, body


def ours(text: str) -> tuple[str, Any, str] | str | None:
    try:
        metadata, body = front_matter.split("post.md", text)
    except PostError as error:
        message = str(error)
        if "not valid" in message:
            return "not valid"
        if "not closed" in message:
            return "not closed"
        return message
    if not metadata and body is text:
        return None
    fence = front_matter._fence_of(text)
    assert fence is not None
    return fence[0], metadata, body


def agree(text: str) -> None:
    expected, actual = reference(text), ours(text)
    if isinstance(expected, tuple) and isinstance(actual, tuple):
        # Only a mapping is front matter; feedpub refuses other values, and reads nothing as {}.
        assert expected[0] == actual[0] and expected[2] == actual[2], text
        assert (expected[1] or {}) == actual[1], text
    elif isinstance(expected, tuple) and expected[1] is None:
        assert actual is None or actual[1] == {}, text  # empty front matter
    elif isinstance(expected, tuple):
        assert isinstance(actual, str) and "mapping" in actual, (text, actual)
    else:
        assert expected == actual, text


CASES = {
    "yaml": "---\ntitle: Hi\n---\nbody\n",
    "yaml-long-fences": "-----\ntitle: Hi\n------   \nbody\n",
    "yaml-crlf": "---\r\ntitle: Hi\r\ntags: [a, b]\r\n---\r\nbody\r\n",
    "yaml-bom": "\ufeff---\ntitle: Hi\n---\nbody\n",
    "yaml-leading-blank-line": "\n---\ntitle: Hi\n---\nbody\n",
    "yaml-fence-then-blank-lines": "---\n\n\ntitle: Hi\n---\nbody",
    "yaml-empty": "---\n---\nbody\n",
    "yaml-not-closed": "---\ntitle: Hi\nbody\n",
    "yaml-third-fence-in-body": "---\na: 1\n---\nbody\n---\nmore\n",
    "yaml-list": "---\n- a\n- b\n---\nbody\n",
    "yaml-invalid": "---\ntitle: [unclosed\n---\nbody\n",
    "yaml-aliases": "---\nbase: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n---\n",
    "yaml-timestamp-text": "---\ndate: 2024-01-02 03:04:05 +09:00\n---\n",
    "yaml-dash-text": "--- not a fence\ntitle: x\n---\n",
    "toml": '+++\ntitle = "Hi"\ndate = 2024-01-02\n+++\nbody\n',
    "toml-crlf": '+++\r\ntitle = "Hi"\r\n+++\r\nbody\r\n',
    "toml-invalid": "+++\ntitle = \n+++\nbody\n",
    "toml-not-closed": '+++\ntitle = "Hi"\n',
    "json": '{\n"title": "Hi"\n}\nbody\n',
    "json-one-line": '{"title": "Hi"}\nbody\n',
    "none": "just a body\n---\nwith a rule\n",
    "none-html": "<p>hi</p>\n",
    "empty": "",
    "two-dashes": "--\ntitle: Hi\n--\n",
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_split_agrees_with_python_frontmatter(text: str) -> None:
    agree(text)


# Fences and what goes around them, including the line breaks and spaces \s and $ treat as such.
_PIECES = ["---", "+++", "----", "-- ", "+ ++", "\n", "\r\n", " ", "\t", "\ufeff", "\v", "\x0c", "\u2028", "\x85"]
_pieces = st.sampled_from([*_PIECES, "{", "}", "title: Hi", 'title = "Hi"', "a: [1, 2]", "x", "- item", ": ", "#", "é"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(_pieces, max_size=14).map("".join))
@example("---\n\x85title: a\n---\n")
@example("---\u2028a: 1\n---\n")
def test_split_agrees_on_generated_texts(text: str) -> None:
    agree(text)


def test_implicit_resolvers_are_pyyamls() -> None:
    """The copy `_stays_text` uses is PyYAML's table: the same tags, patterns and order for every first character."""

    def described(table: dict[Any, list[tuple[str, re.Pattern[str]]]]) -> dict[Any, list[tuple[str, str, int]]]:
        return {first: [(tag, p.pattern, p.flags) for tag, p in entries] for first, entries in table.items()}

    assert described(front_matter._RESOLVERS) == described(FrontMatterLoader.yaml_implicit_resolvers)


@given(st.text(alphabet="-+.0123456789:_eExXbBoOaAnNtTfFyYsSlLuUiI ~<=!&*Z\t", max_size=12))
@example("2024-01-02")
@example("1_000")
@example("")
def test_stays_text_as_pyyaml_resolves(value: str) -> None:
    resolved = FrontMatterLoader.resolve(FrontMatterLoader, yaml.ScalarNode, value, (True, False))
    assert front_matter._stays_text(value) == (resolved in ("tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"))


def test_reading_simple_front_matter_imports_neither_pyyaml_nor_python_frontmatter() -> None:
    """PyYAML (with python-frontmatter) costs ~50 ms to import: a run whose front matter simpleyaml reads skips it."""
    code = (
        "import sys; from feedpub.read.front_matter import split; "
        "print(split('a.md', '---\\ntitle: Hi\\ntags: [a, b]\\n---\\nbody')); "
        "print(sorted(m for m in ('yaml', 'frontmatter') if m in sys.modules)); "
        "split('b.md', '---\\na: &x 1\\nb: *x\\n---\\n'); print('yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["({'title': 'Hi', 'tags': ['a', 'b']}, '\\nbody')", "[]", "True"]
