"""markup.html_blocks_as_written gives what markdown-it renders for a body made of HTML blocks, or declines."""

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
    written = markup.html_blocks_as_written(text)
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
_BLANK = ["", " ", "\t", "  \t "]
_BREAKS = ["\n", "\r\n", "\r"]


@st.composite
def _texts(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        lines = [draw(st.sampled_from(_OPENING)) + draw(st.sampled_from(["", "x", " a | b", "</p>"]))]
        lines += draw(st.lists(st.sampled_from(_OPENING + _OTHER), max_size=3))
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
