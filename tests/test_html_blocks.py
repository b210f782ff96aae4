"""markup.written_without_markdown gives what markdown-it renders for a body of HTML blocks and plain paragraphs,
or declines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it.common.html_blocks import block_names

from bench.corpus import SHAPES, render_post
from feedpub.read import markup
from feedpub.read.front_matter import split

ROOT = Path(__file__).parent.parent
SEED_POSTS = ROOT.parent / "shared" / "seed-posts"
EXAMPLES = int(os.environ.get("HTML_BLOCK_EXAMPLES", "1500"))


def _check(text: str) -> str | None:
    written = markup.written_without_markdown(text)
    if written is not None:
        assert written == markup._markdown().render(text), text
    return written


def test_the_block_tag_names_are_markdown_its() -> None:
    assert sorted(markup._BLOCK_TAG_NAMES) == sorted(block_names)


# Lines on every edge the fast path decides on: tag names in any case and their ends, indents of spaces and tabs,
# other HTML (kinds 1-5 and 7), Markdown that a block's first line would make something else, table rows.
_OPENING = ["<p>", "<P class=x>", "</div>", "<div", "<h2 id=a>", "<hr/>", "<hr />", "<tr>", "<search>", "<dl>"]
_OPENING += ["   <p>", "    <p>", "\t<p>", " \t<div>", "<p\u00a0x>", "<p\u3000>", "<pre>", "<script>", "<!-- c -->"]
_OPENING += ["<?php ?>", "<!DOCTYPE html>", "<![CDATA[x]]>", "<img src=a>", "<span>", "<px>", "<ſection>", "<p/"]
_OTHER = ["text", "# h", "- item", "> quote", "```", "    code", "|---|---|", "--|--", ":-:", "a | b", "***"]
_OTHER += ["&amp; &nbsp; &#1;", "*em* _em_", "[a]: /b", "<!--", "-->", "</pre>", "\x00", "\u2028", "x\x0b"]
# Paragraph lines: text and tags, and what makes a line or a paragraph more than that (other markup, an ordered
# list's marker, white space at either end or other than a space, a `<` that opens no tag, or something else).
_PARAGRAPH = ['텍스트 <a href="https://x.kr" rel=dofollow>링크</a>', "2024년 기사", "1. 목록", "12) x", "2024"]
_PARAGRAPH += ["a > b \"q\" 'r'", "a <b>굵게</b> <br/> <br />", "x <a", "href=y>z</a>", "a <x", "a </b >", "a </b c>"]
_PARAGRAPH += ["a <a href='1' title=\"<2>\" data-x=3 hidden :x=a _y>", "a <a b=`c`>", "a\u3000b", "a\u00a0", "\u3000a"]
_PARAGRAPH += ["a  ", "a ", "a\\", "a &amp; b", "a <!-- c --> b", "a <http://x.y> b", "a <a@b.c>", "a:b", "a ` b"]
_PARAGRAPH += [
    "a * b",
    "a_b",
    "a ~~b~~",
    "a [b]",
    "![x](y)",
    "a | b",
    "a\tb",
    "Z",
    "é",
    "a <A-1 B\u3000=c>",
    "a <a\u00a0b>",
]
_PARAGRAPH += ["a <a\x0bb=c>", "a <a b = 'c' / >", "a <x-y/>", "</a>", "ä <?x?>", "a <![CDATA[x]]>", "a <!X y>"]
_BLANK = ["", " ", "\t", "  \t "]
_BREAKS = ["\n", "\r\n", "\r"]


@st.composite
def _texts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            lines = [draw(st.sampled_from(_OPENING)) + draw(st.sampled_from(["", "x", " a | b", "</p>"]))]
        else:
            lines = [draw(st.sampled_from(_PARAGRAPH))]
        lines += draw(st.lists(st.sampled_from(_OPENING + _OTHER + _PARAGRAPH), max_size=3))
        parts.append(draw(st.sampled_from(_BREAKS)).join(lines))
        parts.append(draw(st.sampled_from(_BREAKS)) + draw(st.sampled_from(_BLANK)) + draw(st.sampled_from(_BREAKS)))
    return draw(st.sampled_from([*_BLANK, "\n"])) + "".join(parts)[: -1 if draw(st.booleans()) else None]


@settings(max_examples=EXAMPLES, deadline=None)
@given(_texts())
@example("<p>a</p>\n\n<div>\nb\n</div>\n")
@example("<p>a|b</p>\n|---|---|\n")
@example("<p>a</p>")
def test_the_fast_path_is_markdown_its_rendering_or_declines(text: str) -> None:
    _check(text)


def test_the_fast_path_is_taken_and_right_on_real_bodies() -> None:
    """The seed posts, the bench's shapes and the fixtures: the same HTML as markdown-it's, and the seed's shape (a
    blog's HTML export in .md files) taken without it."""
    bodies = [render_post(index, 100, shape)[1] for shape in SHAPES for index in range(20)]
    folders = [ROOT / "tests", ROOT / "examples"] + ([SEED_POSTS] if SEED_POSTS.is_dir() else [])
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in (".md", ".markdown", ".txt") and path.is_file():
                try:
                    bodies.append(path.read_text(encoding="utf-8"))
                except (UnicodeDecodeError, OSError):
                    continue
    taken = 0
    for text in bodies:
        try:
            body = split("post.md", text)[1]
        except Exception:  # a fixture that is hostile on purpose (broken YAML)
            continue
        taken += _check(body) is not None
    assert taken >= 20, taken  # the seed shape's posts at least


@pytest.mark.skipif(not SEED_POSTS.is_dir(), reason="../shared/seed-posts is absent (CI has it)")
def test_the_seed_posts_body_needs_no_markdown_renderer() -> None:
    for path in sorted(SEED_POSTS.iterdir()):
        body = split(str(path), path.read_text(encoding="utf-8"))[1]
        assert _check(body) is not None, path.name


@pytest.mark.parametrize(
    "text",
    [
        '<p>기사</p>\n\n실시간 뉴스 속보는, <a href="https://news.example.kr" rel="dofollow">https://news.example.kr</a>\n',
        "<p>a</p>\n\n실시간 뉴스\n<p>b</p>\n",  # a block-level tag ends the paragraph
        '2024년 12월 "속보" > 요약 <br/>\n다음 <b>줄</b >',
        "Text <a\nhref='x'>across lines</a>",
    ],
)
def test_plain_paragraphs_are_written_without_markdown_it(text: str) -> None:
    assert _check(text) is not None
