"""A body's first image, first paragraph and starts read from its start: the answers of its whole rendering, for less.

Rendering and parsing a whole body to find its first image cost two thirds of a cold build of Markdown posts
(issue #13). The answer lies near the start, so the start is rendered and parsed, up to a cut after the first
candidate, and its answer is taken only where the whole body's cannot differ; anywhere else, and after a few
cuts, the whole body is rendered as before. tests/test_prefix.py compares both on generated and real bodies.
Before any of that, read/image_scanner.py reads the first image, and read/paragraph_scanner.py the first
paragraph, off the text itself where its shape is plain.

Where a cut may be made:
- HTML bodies: just after a tag. libxml2 reads forward, so the start's tree is the whole body's as far as the
  start goes; a construct still open at the cut (a quote, a comment, CDATA) gives nothing at all rather than a
  guess, so what the start finds is never something the rest would undo. A paragraph counts only once
  something follows it: the last one of a start may go on past the cut.
- Markdown bodies: at a blank line, which ends every block but the ones that may go on past it (CommonMark
  4–5): a list (the next line indented, or an item: a tight list turns loose, and its items get <p>), a term
  (a ": definition" line after it makes a definition list, in kramdown and Goldmark), indented or fenced code
  and HTML blocks 1–5 (their start is the same text, closed or not). A link reference
  definition anywhere after the cut could turn a bracket of the start into a link or an image: no cut before
  the last "]:", and none at all in a body with a footnote.
- Markdown bodies whose rules render block by block (Hugo's: models.BlockRenderer), where a footnote or link
  reference may be defined further on: no cut, but the first blocks of the whole text's parse, which resolve them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import islice
from typing import TypeVar

from lxml import etree

from feedpub.read import image_scanner, markup, paragraph_scanner
from feedpub.read.templates import BodyHtml

T = TypeVar("T")

# Starts parsed before the whole body is: a body whose answer lies further in is rare, and pays for these.
MAX_STARTS = 3

_PARAGRAPH_END = re.compile("</[pP]")  # not re.IGNORECASE: see image_scanner._IMG_TAG
_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n)+")
# The first character of a line after a blank one that may carry the block before it on (a list item, a definition).
_CONTINUES_BLOCK = frozenset(" \t-+*0123456789:")


def first_image(body: BodyHtml) -> tuple[str, str] | None:
    """The `src` and `alt` of the first <img> with a src in the body's HTML (markup.first_image of its render)."""
    text = body.expanded()
    start = image_scanner.image_candidate(text, body.body_format)
    if start < 0:
        return None  # nothing in the body can make an <img>: no need to render it
    goldmark = body.settings.markdown_images if body.body_format == "markdown" else None
    if _renders_plainly(body) or goldmark is not None:
        if body.body_format == "markdown":
            markup.check_markup_amount(text)  # a post is rejected (or not) whether or not its body is rendered
        # The body unchanged by templates is the file's text as read.files.decode gave it: no character XML
        # forbids is left in it.
        found = image_scanner.first_image(
            text,
            body.body_format,
            xml_clean=text is body.body,
            start=start,
            raw_html=goldmark is None or goldmark.renders_raw_html,
        )
        if found is not None:
            return None if found == image_scanner.NO_IMAGE else found
    # In HTML, just after each <img> tag.
    if body.body_format == "markdown":
        starts = _cut_or_block_starts(body, text, start)
    else:
        starts = (body.render_start(end) for end in _html_cuts(text, _image_starts(text), 1))
    found = _from_starts(starts, markup.image_in)
    return found if found is not None else markup.first_image(body.render())


def first_paragraph_text(body: BodyHtml) -> str:
    """Text of the first paragraph of the body's HTML that has any (markup.first_paragraph_text of its render)."""
    text = body.expanded()
    markdown = body.body_format == "markdown"
    kramdown = body.settings.typographic_markdown if markdown else None
    if kramdown is not None or _renders_plainly(body):
        if markdown:
            markup.check_markup_amount(text)  # a post is rejected (or not) whether or not its body is rendered
        found = paragraph_scanner.first_paragraph(text, body.body_format, kramdown)
        if found is not None:
            return found
    # In HTML, after the tag that follows a </p>: the paragraph must be seen to be followed by something.
    if markdown:
        starts = _cut_or_block_starts(body, text, 0)
    else:
        ends = (found.start() for found in _PARAGRAPH_END.finditer(text))
        starts = (body.render_start(end) for end in _html_cuts(text, ends, 2))
    found = _from_starts(starts, lambda root: markup.paragraph_in(root, closed=True))
    return found if found is not None else markup.first_paragraph_text(body.render())


def _renders_plainly(body: BodyHtml) -> bool:
    """Whether the body's HTML is its text (HTML) or markdown-it's CommonMark (Markdown): image_scanner's terms."""
    settings = body.settings
    return settings.rules is None or (body.body_format == "html" and settings.html_bodies is None)


def _from_starts(starts: Iterator[str], ask: Callable[[etree._Element], T | None]) -> T | None:
    """The first answer `ask` finds in the HTML `starts` of a body; None when none has one."""
    for start in islice(starts, MAX_STARTS):
        root = markup.parse_fragment(start)
        if root is not None and (found := ask(root)) is not None:
            return found
    return None


def markdown_starts(body: BodyHtml, reach: int) -> Iterator[str]:
    """The HTML of a few starts of a Markdown body, longer each time, for an answer the whole render would give.

    Each start ends at a cut (see the module's docstring) `reach` characters in at least, then twice as far as the
    last. Its blocks are the whole render's but for the last one, which may go on past the cut. None for HTML.
    Where the body defines footnotes or link references, which a cut start cannot resolve, and the rules render a
    body block by block, the starts are its first blocks instead (`reach` characters of HTML, then twice as many).
    """
    if body.body_format != "markdown":
        return
    text = body.expanded()
    if (blocks := _block_starts(body, text, reach)) is not None:
        yield from islice(blocks, MAX_STARTS)
        return
    starts = 0
    for end in _markdown_cuts(text, 0):
        if end >= reach:
            yield body.render_start(end)  # which checks the whole body's markup amount
            starts += 1
            if starts == MAX_STARTS:
                return
            reach = 2 * end


def _cut_or_block_starts(body: BodyHtml, text: str, after: int) -> Iterator[str]:
    """Starts of a Markdown body that end past `after`: its first blocks where it defines footnotes or link
    references and the rules render block by block (see markdown_starts), else cut at each blank line past it."""
    blocks = _block_starts(body, text, after)
    return blocks if blocks is not None else (body.render_start(end) for end in _markdown_cuts(text, after))


def _block_starts(body: BodyHtml, text: str, reach: int) -> Iterator[str] | None:
    """The HTML of the body's first blocks, `reach` characters of it at least, then twice as much as the last each
    time, never all of them (the whole render has more at its end: the footnotes); None where the body defines
    nothing further on, or the rules do not render block by block."""
    renderer = body.settings.block_renderer
    if renderer is None or not ("[^" in text or "]:" in text):
        return None
    markup.check_markup_amount(text)  # a post is rejected (or not) whether or not its body is rendered
    return _growing(renderer.rendered_blocks(text), reach)


def _growing(blocks: Iterator[str], reach: int) -> Iterator[str]:
    start = ""
    for block in blocks:
        if len(start) >= max(reach, 1):
            yield start
            reach = 2 * len(start)
        start += block


# Cuts at the text's end are never given: the whole body is rendered then, and kept for the feeds.


def _markdown_cuts(text: str, start: int) -> Iterator[int]:
    """The blank lines after `start` where a Markdown text may be cut (see the module's docstring)."""
    if "[^" in text:
        return  # Goldmark's footnotes (Hugo sites) move to the end: a start's footnotes come before its rest
    last_definition = text.rfind("]:")
    for blank in _BLANK_LINES.finditer(text, start):
        end, following = blank.start() + 1, text[blank.end() : blank.end() + 1]
        if not following:
            return
        if end > last_definition and following not in _CONTINUES_BLOCK:
            yield end


def _image_starts(text: str) -> Iterator[int]:
    """Where each thing that may start an <img> element in an HTML text is (image_scanner.image_candidate)."""
    position = 0
    while (position := image_scanner.image_candidate(text, "html", position)) >= 0:
        yield position
        position += 1


def _html_cuts(text: str, candidates: Iterator[int], tags: int) -> Iterator[int]:
    """Just after the `tags`-th ">" that follows each of the `candidates` positions in an HTML text."""
    last = 0
    for end in candidates:
        for _ in range(tags):
            end = text.find(">", end) + 1
            if end == 0:
                return
        if end >= len(text):
            return
        if end > last:
            yield end
            last = end
