"""simpleyaml reads the common shape of front matter exactly as PyYAML does, and leaves the rest to it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import frontmatter
import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from feedpub.read import front_matter, simpleyaml
from feedpub.read.front_matter import plain_value
from feedpub.read.front_matter_parsers import FrontMatterLoader, YamlHandler
from feedpub.read.front_matter_parsers import plain_value as loader_plain_value

SEED_POSTS = Path(__file__).resolve().parents[2] / "shared" / "seed-posts"


def pyyaml(text: str) -> object:
    return yaml.load(text, Loader=FrontMatterLoader)


def check(text: str) -> dict[str, object] | None:
    """simpleyaml's reading, which must equal PyYAML's whenever there is one."""
    simple = simpleyaml.load(text, plain_value)
    if simple is not None:
        assert same(simple, pyyaml(text)), text
    return simple


def same(simple: object, expected: object) -> bool:
    """Equal values of equal types (True is not 1 here, 1 is not 1.0), in the same order; NaN equals NaN."""
    return repr(simple) == repr(expected)


# Values chosen to sit on every edge the reader decides on: quotes, indicators, colons and hashes, what YAML 1.1
# reads as booleans, numbers, null or dates, spaces, Korean text, brackets.
VALUES = [
    "Hello",
    "반도체 수출 핵심 정리",
    "[속보] 코스피 급락",
    "속보 [단독] 기사",
    "C# and F#",
    "a # comment",
    "a: b",
    "a:b",
    "ends:",
    "'quoted'",
    "'it''s'",
    "'bad'quote'",
    "'unclosed",
    "''",
    '"double"',
    '"with \\" escape"',
    '"tab\\tescape"',
    '""',
    "yes",
    "No",
    "on",
    "OFF",
    "true",
    "y",
    "n",
    "~",
    "null",
    "Null",
    "123",
    "0x1F",
    "0o17",
    "1_000",
    "1.5",
    ".inf",
    "-.5",
    "+1",
    "1:30",
    "190:20:30",
    "2024-01-05",
    "2024-01-05 10:00:00 +0900",
    "2024-1-5",
    "2024년 결산",
    "=",
    "<<",
    "- item",
    "-dash",
    "?",
    "? key",
    "&anchor",
    "*alias",
    "!tag",
    "!!str 5",
    "%percent",
    "@at",
    "`tick`",
    "|",
    ">",
    "{a: 1}",
    "[1, 2]",
    "a, b",
    "text  ",
    "trailing space ",
    "/assets/img/x.jpg",
    "https://example.com/a?b=c#d",
    "mailto:a@b",
    "50%",
    '"a\\\\b"',
    '"a\\b"',
    '"\\u00e9"',
    '"say \\"hi\\" \\\\ now"',
    '"ends with \\\\"',
    '"trailing \\"',
    "[]",
    "[ ]",
    "[a]",
    "[a, b]",
    '[News, "생활정보"]',
    '["k-pop", "영화", \'IT 뉴스\']',
    "['d''e', \"x \\\"y\\\"\"]",
    "[a,b]",
    "[ a , b ]",
    "[a b, c]",
    "[a, b,]",
    "[a, , b]",
    "[a, [b]]",
    "[a, {b: c}]",
    "[a: b]",
    "[a:b]",
    "[C#]",
    "[a #c]",
    "[a] # comment",
    "[a] b",
    "[a",
    "[yes, 1, null, ~]",
    "[2024-01-05]",
    "[-a, - a, ?b]",
    "[a'b, x\"y]",
    "['unclosed, b]",
    "[\"\", '']",
    '["tab\\tescape"]',
    '"\\0\\a\\b\\t\\n\\v\\f\\r\\e\\ \\/\\N\\_\\L\\P"',
    '"\\x41\\xe9 \\u00E9\\u20ac \\U0001F600"',
    '"\\x4"',
    '"\\u12"',
    '"\\ud800"',
    '"\\uDFFF"',
    '"\\U00110000"',
    '"\\U0010FFFF"',
    '"\\\'"',
    '"\\q"',
    '"\\"',
    '"a\\',
    '"\\x85 next"',
    '["\\u00e9", "\\n"]',
    '{a: "\\t", b: "\\/"}',
    "{}",
    "{ }",
    "{a: b}",
    "{a:b}",
    "{a: b,}",
    "{a: b, , c: d}",
    "{a: b, a: c}",
    "{a: [b]}",
    "{a: {b: c}}",
    "{a}",
    "{a: }",
    "{a: b} # comment",
    "{a: b} c",
    "{a: b",
    "{yes: b}",
    "{a-b: 1}",
    "{a: yes, b: null}",
    "{a: 2024-01-05}",
    "{'a': b}",
    '{"a": b}',
    "{? a: b}",
    "{a: b: c}",
    "{a: b c, d: e#f}",
    "{a: 'it''s', b: \"x \\\"y\\\"\"}",
    "{name: '김기자', email: \"reporter@news.example.kr\"}",
    "{ name : Kim }",
    "{name:  Kim  ,email: k@x}",
    "{url: http://x}",
    "{a: &x b}",
    "{a: *x}",
    "{a: !t b}",
    "{a: C# , b: ''}",
]
# Mostly text that the fast path takes, so that its readings (not only its refusals) are compared.
COMMON = ["Hello", "반도체 수출 핵심 정리", "속보 [단독] 기사", "C# and F#", "a:b", "'it''s'", '"double"', "''"]
COMMON += ["2024년 결산", "/assets/img/x.jpg", '"say \\"hi\\""', "[News, \"생활정보\", 'IT 뉴스']", "[a b, 'c''d']"]
COMMON += ["{name: '김기자', email: \"reporter@news.example.kr\"}", "{name: Kim, url: /about/}", "{}"]
COMMON += ['"line\\nbreak \\u00e9"', '"\\/path\\t"']
COMMON += ["false", "true", "10", "1.5", "[a, 2024, on]"]  # Hugo's `draft: false`, a `weight`: loaded as PyYAML does


def value() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(COMMON), st.sampled_from(COMMON), st.sampled_from(VALUES))


KEYS = ["title", "categories", "excerpt", "feature_text", "image", "tags", "date", "a-b", "_x", "yes", "on", "null"]
KEYS = KEYS[:7] * 3 + KEYS
INDENTS = ["", " ", "  ", "    "]


@st.composite
def block(draw: st.DrawFn) -> str:
    header = draw(st.sampled_from([">", ">", ">-", "|", "|-", ">+", "|2", "> # c", ">  "]))
    indent = draw(st.sampled_from(INDENTS[1:]))
    lines = draw(
        st.lists(
            st.one_of(
                value().map(lambda v: indent + v),
                value().map(lambda v: indent + v),
                value().map(lambda v: indent + v),
                st.just(""),
                st.sampled_from(
                    [indent, indent + " more-indented", indent[:-1] + "less-indented", "# not a comment inside"]
                ),
            ),
            min_size=0,
            max_size=5,
        )
    )
    return header + "\n" + "\n".join(lines)


@st.composite
def sequence(draw: st.DrawFn) -> str:
    items = draw(st.lists(value(), min_size=0, max_size=4))
    indent = draw(st.sampled_from(INDENTS))
    odd = draw(st.sampled_from(["", "", "", "", "", " ", "-"]))  # an item at another indentation, or an empty one
    lines = [f"{indent}- {v}" for v in items] + ([f"{indent}{odd}- x" if odd != "-" else f"{indent}-"] if odd else [])
    return "\n" + "\n".join(lines)


@st.composite
def document(draw: st.DrawFn) -> str:
    entries = []
    for _ in range(draw(st.integers(1, 6))):
        key = draw(st.sampled_from(KEYS))
        kind = draw(st.sampled_from(["scalar", "scalar", "block", "block", "sequence", "sequence", "comment", "empty"]))
        if kind == "scalar":
            entries.append(f"{key}: {draw(value())}")
        elif kind == "block":
            entries.append(f"{key}: {draw(block())}")
        elif kind == "sequence":
            entries.append(f"{key}:{draw(sequence())}")
        elif kind == "comment":
            entries.append(draw(st.sampled_from(["# a comment", "# a comment", " # indented comment", "#"])))
        else:
            entries.append(draw(st.sampled_from(["", "", "", "  ", f"{key}:", f"{key}:   "])))
    ending = draw(st.sampled_from(["", "\n", "\n\n"]))
    return draw(st.sampled_from(["", "\n"])) + "\n".join(entries) + ending


@settings(max_examples=int(os.environ.get("SIMPLEYAML_EXAMPLES", "3000")), deadline=None)
@given(document())
@example("title: a\nexcerpt: >\n  one\n  two\n\n  three\n\n\nimage: x\n")
@example("excerpt: |\n  one\n\n  two")
@example('tags: ["k-pop", "영화", \'IT 뉴스\']\ntitle: \'it\'\'s\'\nexcerpt: "a \\"b\\" c"\n')
def test_equals_pyyaml_whenever_it_reads_a_document(text: str) -> None:
    try:
        expected = pyyaml(text)
    except yaml.YAMLError:
        assert simpleyaml.load(text, plain_value) is None, text  # PyYAML refuses it: so must the fast path
        return
    simple = simpleyaml.load(text, plain_value)
    if simple is not None:
        assert same(simple, expected), text


@pytest.mark.parametrize(
    "text",
    [
        "\ttitle: tab",
        "title: a\u2028b",
        "title: \x85",
        "title: a\n  continued",
        "title: &x a\nother: *x",
        "nested:\n  key: value",
        "list:\n  - a\n   - b",
        "key: [a, [b]]",
        "key: [a, b] # comment",
        "author: {name: Kim} # comment",
        "author: {name: {first: Kim}}",
        "author: {name: a,}",
        "author:\n  name: Kim",
        'key: "\\\'"',
        'key: "\\ud800"',
        'key: "\\x4"',
        'key: "\\U00110000"',
        "yes: no",
        "count: ~",
        "count: null",
        "count: =",
        "count: <<",
        "list: [a, ~]",
        "title: 'it''s' # comment",
        "---\ntitle: a",
        "",
    ],
)
def test_leaves_other_shapes_to_pyyaml(text: str) -> None:
    assert simpleyaml.load(text, plain_value) is None


# The characters YAML's reader refuses that simpleyaml took as text (the files' decoding drops them from a post
# before it is read; a caller of the reader alone must get PyYAML's refusal).
REFUSED_CHARACTERS = [chr(code) for code in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF) if chr(code) not in "\t\n\r"]


@pytest.mark.parametrize("character", REFUSED_CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
def test_leaves_characters_yaml_refuses_to_pyyaml_which_refuses_them(character: str) -> None:
    for text in (f"title: a{character}b", f'title: "a{character}b"', f"tags:\n- a{character}b"):
        assert simpleyaml.load(text, plain_value) is None, repr(text)
        with pytest.raises(yaml.YAMLError):
            pyyaml(text)


def test_reads_the_seed_shape_itself() -> None:
    """The fast path must actually serve the common shape, or it only costs time."""
    text = (
        "\ntitle: 반도체 수출 핵심 정리\ncategories:\n  - 생활정보\n  - Travel\n"
        "excerpt: >\n  한국 정부는\n  설명했습니다.\n"
        "feature_text: >-\n  둘째 줄\nimage: '/assets/img/newsdao_breakingnews.jpg'\ndate: 2024-01-05 10:00:00 +0900\n"
    )
    assert check(text) == {
        "title": "반도체 수출 핵심 정리",
        "categories": ["생활정보", "Travel"],
        "excerpt": "한국 정부는 설명했습니다.\n",
        "feature_text": "둘째 줄",
        "image": "/assets/img/newsdao_breakingnews.jpg",
        "date": "2024-01-05 10:00:00 +0900",
    }


def test_reads_booleans_and_numbers_as_the_loader_does() -> None:
    """Hugo's `draft: false`, Jekyll's `published: true` and `comments: yes`, a `weight`: half the posts of a
    Hugo site carry one, and PyYAML's whole machinery is not needed for them."""
    text = 'title: "x"\ndraft: false\ncomments: yes\nweight: 10\nratio: 1.5\nid: 0x1F\ntags: [a, 2024, on]\n'
    assert check(text) == {
        "title": "x",
        "draft": False,
        "comments": True,
        "weight": 10,
        "ratio": 1.5,
        "id": 31,
        "tags": ["a", 2024, True],
    }


def test_reads_the_flow_shape_itself() -> None:
    """Flow lists and quoted titles (the bench's flow-front-matter shape) take the fast path too."""
    text = (
        'title: \'It\'\'s "here"\'\ncategories: [News, "생활정보"]\ntags: ["k-pop", "영화", \'IT 뉴스\']\n'
        'excerpt: "He said \\"yes\\" \\\\ no"\nempty: []\n'
    )
    assert check(text) == {
        "title": 'It\'s "here"',
        "categories": ["News", "생활정보"],
        "tags": ["k-pop", "영화", "IT 뉴스"],
        "excerpt": 'He said "yes" \\ no',
        "empty": [],
    }
    assert check("author: {name: '김기자', email: \"reporter@news.example.kr\"}\nnone: {}\n") == {
        "author": {"name": "김기자", "email": "reporter@news.example.kr"},
        "none": {},
    }


def test_every_front_matter_of_the_test_data_reads_the_same() -> None:
    """Real files, the quirk posts included: whatever the fast path reads equals PyYAML's reading."""
    import frontmatter

    folders = [Path(__file__).parent / "data", Path(__file__).resolve().parents[1] / "examples", SEED_POSTS]
    read = 0
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix not in (".md", ".markdown", ".html", ".txt") or not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
                front = frontmatter.default_handlers.YAMLHandler().split(text)[0]
            except (UnicodeDecodeError, ValueError):
                continue
            read += check(front) is not None
    assert read >= 10


_FENCE_LINES = st.sampled_from(["---", "----", "--- ", "---\t", "...", "... ", "a: b", "title: 제목", "", " ", "x---"])


@given(st.lists(_FENCE_LINES, min_size=1, max_size=9), st.sampled_from(["\n", "\r\n"]), st.text(max_size=20))
def test_yaml_fences_split_as_python_frontmatter_does_and_dots_close_them_as_jekyll_does(
    lines: list[str], newline: str, tail: str
) -> None:
    """YamlHandler.split is python-frontmatter's, but a "..." line before the closing "---" closes the front matter
    (Jekyll's YAML_FRONT_MATTER_REGEXP)."""
    text = newline.join(lines) + tail
    try:
        theirs: tuple[str, str] | None = frontmatter.default_handlers.YAMLHandler().split(text)
    except ValueError:
        theirs = None
    try:
        ours: tuple[str, str] | None = YamlHandler().split(text)
    except ValueError:
        ours = None
    fence = re.compile(r"^-{3,}\s*$", re.MULTILINE)
    opening = fence.search(text)
    dots = re.compile(r"^\.\.\.[ \t]*\r?$", re.MULTILINE)
    closing = fence.search(text, opening.end()) if opening else None
    end = dots.search(text, opening.end(), closing.start() if closing else len(text)) if opening else None
    if end is None:
        assert ours == theirs
    else:
        assert ours == (text[opening.end() : end.start()], text[end.end() :])  # type: ignore[union-attr]


def test_every_first_character_the_loader_resolves_is_one_the_plain_value_gate_asks_it_about() -> None:
    """front_matter.plain_value answers "text" without PyYAML for a value whose first character the loader files no
    resolver under: a resolver added under another character would make that answer wrong."""
    filed = {key for key in FrontMatterLoader.yaml_implicit_resolvers if key is not None}
    assert filed <= front_matter.WORD_FIRST | front_matter.NUMBER_FIRST | front_matter.OTHER_FIRST
    assert None not in FrontMatterLoader.yaml_implicit_resolvers  # no resolver tried on every value


_RESOLVED_PREFIXES = ["y", "Y", "n", "N", "t", "T", "f", "F", "o", "O", "~", "0", "1", "2", "9", "+", "-", ".", "<"]


@settings(max_examples=int(os.environ.get("SIMPLEYAML_EXAMPLES", "3000")), deadline=None)
@given(
    st.sampled_from(["", *_RESOLVED_PREFIXES, "a", "제", "x"]),
    st.text(alphabet=st.sampled_from("0123456789_+-.:eExXbo aAfFiInNsSlLuUrRT제/Z\t"), max_size=12),
)
@example("", "2024-01-05 10:00:00 +0900")
@example("", "2024-01-05T10:00:00+09:00")
@example("", "2024-01-05")
@example("", "2024-1-5")
@example("", "1e-5")
@example("", "-1.5e-3")
@example("", "1.0-1")
@example("", "+-1")
@example("", "1_000")
@example("", "-.inf")
@example("", "190:20:30")
@example("", "0b101")
@example("", "True")
@example("", "Truex")
@example("", "null")
@example("", "~x")
@example("", "Off")
def test_plain_values_read_as_the_loader_reads_them(prefix: str, rest: str) -> None:
    value = prefix + rest
    assert same(plain_value(value), loader_plain_value(value)), value


@pytest.mark.parametrize(
    "date", ["2024-01-05 10:00:00 +0900", "2024-01-05", "2024-1-5", "2024-01-05T10:00:00+09:00"], ids=str
)
def test_the_common_shape_is_read_without_pyyaml_or_python_frontmatter(tmp_path: Path, date: str) -> None:
    """A process that reads only common front matter (dates, booleans, Hangul and English titles) never imports
    PyYAML or python-frontmatter: ~10 ms a process, in each pool worker and in a build after one edit."""
    import subprocess
    import sys

    post = tmp_path / "post.md"
    post.write_text(
        f"---\ntitle: The news of the day\ndate: {date}\ndraft: false\n"
        "categories: [뉴스, Tech]\nexcerpt: >\n  한국 정부는\n---\n<p>본문</p>\n",
        encoding="utf-8",
    )
    script = (
        "import sys\nfrom feedpub.read.front_matter import split\n"
        f"meta, body = split('p', open({str(post)!r}, encoding='utf-8').read())\n"
        f"assert meta['draft'] is False and meta['date'] == {date!r}, meta\n"
        "print(sorted(m for m in ('yaml', 'frontmatter') if m in sys.modules))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
