"""A body's first image read off its text, without rendering or parsing it, where the text leaves no doubt.

`prefix.first_image` renders a body's start and parses it with lxml: most of a cold build's time for posts
whose image is in the body (issue #13). Nearly every such body has a plain shape before its image: HTML
tags of a few harmless kinds (`<p>`, `<h2>`, `<span style>`, `<figure>`, `<picture><source>`…) and text, or
Markdown paragraphs and headings, then `<img src="…">` or `![alt](src)`. For that shape the answer can be read
off the text; anything else (a comment, a script, a code span or fence, a backslash, an entity in the
attribute, a tag this reader does not know, upper-case names, repeated attributes…) gives None, and the caller
renders as before. tests/test_image_scanner.py compares the answers with the render's on generated and real
bodies.

Why the shape is enough, for HTML (libxml2's parser, which lxml.html uses): it reads forward, so nothing after
the image changes it; before it, the only elements are ones that neither hide their content (comments,
`<script>`, `<textarea>`, `<noscript>` and `<template>`, which `markup.parse_fragment` drops…) nor move to the
document's head (`<title>`, `<meta>`…), so the first `<img` tag is the first <img> element, and its attribute
values, free of "&", "<", ">" and line breaks, are what libxml2 gives.

For Markdown (markdown-it's CommonMark when no generator's rules render it, or Hugo's Goldmark, whose extensions
leave an image opening a paragraph as CommonMark has it, and whose raw HTML is dropped unless `unsafe`: an <img>
tag then is no answer; tests/test_image_scanner.py compares both flavours): blocks are separated by blank
lines. One whose first line starts with a block-level tag (CommonMark's HTML blocks 6 and 7) is copied into
the HTML as it is, up to the next blank line, and is read as HTML above. A fenced code block opening at the
margin (CommonMark 4.5; a container's would be indented) is code up to its closing fence, blank lines and all, or
to the body's end: nothing in it is an image, and the first candidate after it is the next to read. Any other
block before the image holds no "<" (so no raw HTML, and no HTML block that runs past a blank line), no line
that may open a fence (code spans are kept inside their paragraph) and no "![": its HTML has no <img> and only
Markdown's own elements. The image itself is either an `<img` tag in an HTML block, or `![alt](src)` opening a
paragraph, whose alt is plain text and whose src is what markdown-it makes of the destination.
"""

from __future__ import annotations

import functools
import re

from feedpub.read import markup
from feedpub.text import XML_INVALID

# libxml2's blanks (IS_BLANK_CH): no form feed, unlike HTML5.
BLANK = "[ \t\n\r]"
# An attribute: a lower-case name, and a value quoted or not, without "&" (entities), "<", ">" or line breaks.
_NAME = "[a-z][a-z0-9-]*"
_VALUE = r"""(?:"[^"<>&\n\r\t]*"|'[^'<>&\n\r\t]*'|[^ \t\n\r"'=<>`&]+)"""
_ATTRIBUTE = re.compile(rf"{BLANK}+({_NAME})(?:{BLANK}*={BLANK}*({_VALUE}))?")
ATTRIBUTES = rf"(?:{BLANK}+{_NAME}(?:{BLANK}*={BLANK}*{_VALUE})?)*"
_TAG = re.compile(rf"<(/?)([a-z][a-z0-9]*)({ATTRIBUTES}){BLANK}*/?>")
# Elements that change nothing about how what follows them is parsed. Left out on purpose: raw text and
# escapable raw text (script, style, textarea, title, xmp…), elements parse_fragment drops (noscript, template),
# head elements (meta, link, base, title), the document's own (html, head, body), tables and forms (libxml2
# moves or closes things around them), pre and iframe, and anything unknown.
_HARMLESS_NAMES = (
    "a abbr address article aside b bdi bdo big blockquote br center cite dd del dfn div dl dt em figcaption figure"
    " font footer h1 h2 h3 h4 h5 h6 header hr i ins kbd li main mark nav ol p picture q s samp section small source"
    " span strike strong sub sup time tt u ul var wbr"
)
HARMLESS = frozenset(_HARMLESS_NAMES.split())


def harmless_run(names: frozenset[str]) -> re.Pattern[str]:
    """Text and tags of elements `names` only, each tag as _TAG reads it.

    No numeric character reference in the text: one naming a character XML forbids (`&#1;`) makes lxml refuse
    the whole body, and the render then finds nothing in it.
    One match where a loop over the tags took twice as long. Possessive, as the loop was (a tag once read is never
    read another way), so a failing text cannot backtrack.
    """
    tag = rf"</?(?:{'|'.join(sorted(names))})(?![a-z0-9]){ATTRIBUTES}{BLANK}*/?>"
    return re.compile(rf"(?:[^<&]++|&(?!#)|{tag})*+")


_HARMLESS_RUN = harmless_run(HARMLESS)

# "<img" in any case. Looked for apart from the other candidates, not in one case-folded alternation: re skips
# to a pattern's literal first character at C speed, but tries an alternation or a case-folded pattern at every
# character, ~15 times slower on a Hangul body (a post without an image: 95 µs a body against 6).
_IMG_TAG = re.compile("<[iI][mM][gG]")
# A blank line: what ends a Markdown paragraph and HTML blocks 6 and 7 (spaces only: tabs are declined).
_BLANK_LINES = re.compile(r"\n(?: *\n)+")
_LEADING_BLANK_LINES = re.compile(r"(?: *\n)*")
# `![alt](destination)` or `![alt](destination "title")`: plain alt text, a destination without escapes,
# entities, parentheses or angle brackets, which markdown-it reads as they are. No "|" in any of them: were the
# next line a table's delimiter row, the image would be cut into cells.
_MARKDOWN_IMAGE = re.compile(r"""!\[([^\[\]\\`*_~<>&!|\n]*)\]\(([^\s()<>\\&"'|]+)(?: +"[^"\\&|\n]*")? *\)""")
# A code fence at the margin and its line: three or more backticks whose info string holds none, or three or more
# tildes (CommonMark 4.5). A backtick line with a backtick after it is a paragraph's code span instead.
_FENCE_OPENING = re.compile(r"(`{3,})[^`\n]*(?:\n|$)|(~{3,})[^\n]*(?:\n|$)")
# A line that may open a fence, at the margin or indented up to three spaces (in a list item, or interrupting a
# paragraph): a block holding one is left to the render.
_FENCE_LINE = re.compile(r"^ {0,3}(?:```|~~~)", re.MULTILINE)

# The answer for a body that certainly has no image: its only candidates are code.
NO_IMAGE = ("", "")


def first_image(
    text: str,
    body_format: str,
    *,
    xml_clean: bool = False,
    start: int | None = None,
    raw_html: bool = True,
) -> tuple[str, str] | None:
    """The `src` and `alt` of the first <img> with a src in the body's HTML, NO_IMAGE when it has none, or None
    when the text is not plain.

    `text` is the body with its templates resolved; its HTML is the text itself ("html") or markdown-it's
    CommonMark rendering ("markdown"). `xml_clean`: the caller knows the text holds no character XML forbids
    (read.files.decode drops them), which otherwise is looked for up to the image (16 µs in 2 KB of Hangul).
    `start`: image_candidate(text, body_format), when the caller has it already. `raw_html` False: the Markdown
    flavour drops raw HTML (Goldmark's default): an <img> tag is no answer.
    """
    start = image_candidate(text, body_format) if start is None else start
    if start < 0 or text.startswith(markup.PLACEHOLDER_START, start):
        return None
    if body_format == "html":
        return _html_image(text, 0, start, xml_clean)
    if "\t" in text or "\r" in text or "\x00" in text:
        return None  # markdown-it expands tabs and replaces NUL: indentation and text would need its rules
    return _markdown_image(text, start, xml_clean, raw_html)


def image_candidate(text: str, body_format: str, position: int = 0) -> int:
    """Where the first thing from `position` on that may start an <img> element is; -1 when nothing can.

    In either format an `<img` tag (in any case) or a generator's placeholder (which may hold one); in Markdown
    also `![`. Nothing else in a body's text becomes an <img> in its HTML.
    """
    tag = _IMG_TAG.search(text, position)
    first = tag.start() if tag else len(text)
    for mark in ("![", markup.PLACEHOLDER_START) if body_format == "markdown" else (markup.PLACEHOLDER_START,):
        if (at := text.find(mark, position, first)) >= 0:  # only before the first found: the rest is not read
            first = at
    return first if first < len(text) else -1


def _html_image(text: str, position: int, image: int, xml_clean: bool) -> tuple[str, str] | None:
    """The image of the `<img` tag at `image`, when every tag from `position` on before it is harmless."""
    if not _html_tags_harmless(text, position, image):
        return None  # a "<" that is no harmless tag: a comment, a doctype, a stray "<", a <script>…
    tag = _TAG.match(text, image)
    if tag is None:
        return None
    closing, name, attributes = tag.groups()
    if name != "img" or closing or (not xml_clean and XML_INVALID.search(text, 0, tag.end())):
        return None
    return _src_and_alt(attributes)


def _src_and_alt(attributes: str) -> tuple[str, str] | None:
    values: dict[str, str] = {}
    for attribute in _ATTRIBUTE.finditer(attributes):
        name, value = attribute.group(1), attribute.group(2) or ""
        if name in values:
            return None  # a repeated attribute: which one counts is libxml2's business
        values[name] = value[1:-1] if value[:1] in ("'", '"') else value
    src = values.get("src", "").strip()
    return (src, values.get("alt", "").strip()) if src else None  # no src: the next <img> may have one


def _markdown_image(text: str, image: int, xml_clean: bool, raw_html: bool) -> tuple[str, str] | None:
    """The first image of a Markdown body whose blocks before the one at `image` are plain (module docstring)."""
    block = _after_blank_lines(text, 0)  # python-frontmatter leaves the line break after the fence
    while True:
        if fence := _FENCE_OPENING.match(text, block):
            end = _fence_end(text, fence)
            if markup.PLACEHOLDER_START in text[block:end]:
                return None  # a generator's output is put in after the render, code block or not
            block = _after_blank_lines(text, end)  # the line after the closing fence starts a block
            if image < end:
                image = image_candidate(text, "markdown", end)
                if image < 0:
                    return NO_IMAGE
                if text.startswith(markup.PLACEHOLDER_START, image):
                    return None
            continue
        blank = _BLANK_LINES.search(text, block, image)
        if blank is None:
            break  # the candidate's block starts at `block`
        if not _plain_block(text, block, blank.start()):
            return None
        block = blank.end()
    if text.startswith("<img", image):  # an <img> tag: its block must be HTML, copied as it is
        return _html_image(text, block, image, xml_clean) if raw_html and is_html_block(text, block) else None
    if image != block:
        return None  # "![" after something in its block: its own paragraph's inline rules would decide
    found = _MARKDOWN_IMAGE.match(text, image)
    if found is None:
        return None
    alt, destination = found.groups()
    src = markup.markdown_link(destination)
    return (src.strip(), alt.strip()) if src and src.strip() else None


def _after_blank_lines(text: str, position: int) -> int:
    found = _LEADING_BLANK_LINES.match(text, position)
    return found.end() if found else position


def _fence_end(text: str, opening: re.Match[str]) -> int:
    """Where the fenced code block `opening` starts ends: after its closing fence's line, else at the text's end."""
    marks = opening.group(1) or opening.group(2)
    closing = _closing_fence(marks[0], len(marks)).search(text, opening.end())
    return len(text) if closing is None else min(closing.end() + 1, len(text))


@functools.lru_cache(maxsize=16)
def _closing_fence(mark: str, length: int) -> re.Pattern[str]:
    """The line that closes a fence of `length` marks: as many or more, indented up to three spaces, then only
    spaces (CommonMark 4.5; tabs are declined before)."""
    return re.compile(rf"^ {{0,3}}{re.escape(mark)}{{{length},}} *$", re.MULTILINE)


def _plain_block(text: str, start: int, end: int) -> bool:
    """Whether the block text[start:end] renders without an <img> and leaves what follows it alone."""
    if text.startswith("<", start):
        return is_html_block(text, start) and _html_tags_harmless(text, start, end)
    piece = text[start:end]
    if "<" in piece or "![" in piece:
        return False
    return not (("`" in piece or "~" in piece) and _FENCE_LINE.search(piece))


def is_html_block(text: str, start: int) -> bool:
    """Whether the line at `start` opens an HTML block that ends at a blank line (CommonMark 4.6, kinds 6 and 7)."""
    line_end = text.find("\n", start)
    if line_end < 0:
        line_end = len(text)
    elif markup.TABLE_DELIMITER_ROW.match(text, line_end + 1):
        return False
    return markup.html_block_kind(text[start:line_end]) in (6, 7)


def _html_tags_harmless(text: str, start: int, end: int) -> bool:
    """Whether every "<" in text[start:end] opens a harmless tag (one _TAG reads, of a _HARMLESS element)."""
    return _HARMLESS_RUN.fullmatch(text, start, end) is not None
