"""A body's first paragraph read off its text, without rendering or parsing it, where the text leaves no doubt.

A post without an excerpt in its front matter takes its first paragraph's text (excerpts.excerpt_of).
`prefix.first_paragraph_text` renders the body's start and parses it with lxml: for a short post that alone was
most of reading it (~250 µs a post, whatever its length; a site of 100,000 short posts spent half its cold build
there). Most bodies open with a plain paragraph, maybe after a heading, whose text can be read off the body
itself. Anything else gives None, and the caller renders as before. tests/test_paragraph_scanner.py compares the
answers with the render's on generated and real bodies.

What is read, and why it is enough:

- **HTML** (libxml2's parser, which lxml.html uses): before the first `<p` tag, only text and tags of the
  harmless elements image_scanner knows (none hides its content or moves it), so that tag opens the document's
  first <p> element. It is plain: attributes as image_scanner reads them, then up to `</p>` text, tags of
  phrasing elements (<b>, <span style>, <a href>…, which never close a <p>) and the five character references
  whose decoding is certain (`&nbsp;`, `&amp;`, `&lt;`, `&gt;`, `&quot;`): libxml2 gives the text between the
  tags, the references decoded. One whose text is only white space (a `&nbsp;` spacer) has none, and the next
  one is looked at.
- **Markdown** (markdown-it's CommonMark, when no generator's rules render it), block by block from the start:
  - an ATX heading (`#`–`######`, then a space or the line's end) without "<" or "|": an <h1>–<h6> on its own
    line, never a <p>; skipped;
  - an HTML block (a line opening with a block-level tag, CommonMark 4.6 kinds 6 and 7, not a table's header):
    markdown-it copies it as it is up to the next blank line, and it is read as HTML above, within the block;
  - a paragraph: each line, its indent aside, starts with a letter or a digit, or with inline markup that starts
    no block (one or two "*" or "_" before a non-space, one backtick, "[", a quote or a bracket), and none is an
    ordered list's item ("1." or "1)"): so none is a heading, list item, quote, fence, HTML block, table row,
    setext underline, thematic break or link definition, and the first is not indented (no code block). That is
    the answer: its text as is when no line holds a character an inline rule acts on (a backslash, backtick, "*",
    "_", "~", "[", "]", "<", "&") nor "|" (a table's delimiter row); else the text of the tokens markdown-it's
    inline rules make of it (what its paragraph rule hands them), when it holds no "<" (raw HTML, autolinks), no
    "|", no image, and the body no link definition ("]:", which could make a "[…]" a link).
  Anything else, or a tab or control character (markdown-it expands tabs and reads a carriage return as a line's
  end), gives None.
- **kramdown** (a Jekyll site's Markdown, as read/jekyll/kramdown.py renders it: CommonMark's blocks and inline
  rules with typography, attribute lists, extensions and definition lists): the same, but for a paragraph with
  no quote, guillemet, dash, ellipsis or other text its typography replaces, no brace (attribute lists,
  extensions), "$" (math), "<", ">", "&" or "|", and no definition after it (`: …` past blank lines, which makes
  it a term); its text is that of the tokens kramdown's own inline rules make of it. HTML blocks as above, unless
  they hold a brace or a `markdown=` attribute (kramdown then parses their content).

Either way the answer is what `markup.paragraph_in` takes of the element: white space collapsed, characters XML
forbids dropped.

`leading_blocks` reads further, for a Hugo summary's first words: the headings and paragraphs a Markdown body opens
with, each read as above through the site's own inline rules (Goldmark's typographer and autolinks included), up to
the first block that is neither, holds raw HTML, a table, a shortcode's placeholder, a footnote reference (Goldmark
numbers them, and moves the notes to the end) or a definition after it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from feedpub.models import TypographicMarkdown
from feedpub.read import image_scanner, markup

if TYPE_CHECKING:
    from markdown_it.token import Token

_BLANK = image_scanner.BLANK
_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*\n)*")
# A blank line: what ends a Markdown paragraph and HTML blocks 6 and 7. The match starts where the block's last
# line ends.
_BLOCK_END = re.compile(r"\n[ \t]*(?:\n|\Z)")
_BEFORE_PARAGRAPH = image_scanner.harmless_run(image_scanner.HARMLESS - {"p"})
# Phrasing elements only, which never close a <p> in libxml2: the paragraph's text is their text, in order.
_INLINE = "a abbr b bdi bdo big br cite dfn em font i img kbd mark q s samp small span strike strong sub sup time tt u"
_INLINE += " var wbr"
_INLINE_TAG = rf"</?(?:{'|'.join(sorted(_INLINE.split()))})(?![a-z0-9]){image_scanner.ATTRIBUTES}{_BLANK}*/?>"
# The character references libxml2 surely decodes so (named, with their semicolon).
_REFERENCES = {"&nbsp;": "\xa0", "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}
_REFERENCE = re.compile("|".join(_REFERENCES))
_PLAIN_PARAGRAPH = re.compile(
    rf"<[pP]{image_scanner.ATTRIBUTES}{_BLANK}*>((?:[^<&]++|{_REFERENCE.pattern}|{_INLINE_TAG})*+)</[pP]>"
)
_TAG = re.compile(_INLINE_TAG)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_HEADING = re.compile(r"#{1,6}(?:[ ][^<|\t\x00-\x1f\x7f]*)?")
# Where an inline rule of markdown-it's CommonMark (with tables and strikethrough) may act (a block with a tab or a
# control character is declined before: _markdown_paragraph).
_NOT_PLAIN_MARKDOWN = re.compile(r"[\\`*_~\[\]<&|]")
_ORDERED_ITEM = re.compile(r"\d+[.)]")
# kramdown's (as read/jekyll/kramdown.py renders it): what its typography, attribute lists, extensions and math act
# on, raw HTML, entities and tables; markdown-it's replacements (RARE_RE, SCOPED_ABBR_RE) and smart quotes.
_KRAMDOWN_NOT_PLAIN = re.compile(r"[<>&|{}$'\"]")
_TYPOGRAPHY = re.compile(r"\+-|\.\.|\?\?\?\?|!!!!|,,|--|\((?:c|tm|r|p)\)", re.IGNORECASE)
# What kramdown does not copy from an HTML block as it is: braces (attribute lists, extensions), markdown="1".
_KRAMDOWN_HTML_BLOCK = re.compile(r"[{}]|markdown[ \t\n\r]*=", re.IGNORECASE)
# The block elements whose HTML blocks the scanner answers for in kramdown, when the block closes them.
_BLOCK_START = re.compile(r"<(p|div|h[1-6]|blockquote|figure|section|table|ul|ol)(?![A-Za-z0-9-])", re.IGNORECASE)


def _closed_block_element(block: str) -> bool:
    """Whether `block` opens with a block element's start tag, holds as many of its end tags as start tags and ends
    with one: an HTML block that ends where CommonMark's does (kramdown's runs on to the element's end tag, blank
    lines and all, and takes text after it on its line for a paragraph)."""
    found = _BLOCK_START.match(block)
    if found is None:
        return False
    name, lowered = found.group(1).lower(), block.lower()
    opened = len(re.findall(rf"<{name}(?![a-z0-9-])", lowered))
    return opened == lowered.count(f"</{name}") and re.search(rf"</{name}\s*>\s*$", lowered) is not None


# A definition list's definition after the block, past blank lines: the block is its term.
_DEFINITION = re.compile(r"(?:\n[ \t]*)*\n {0,3}[:~]")
# How a paragraph's line may open with inline markup, and never a block: emphasis (one or two "*" or "_" and no
# space: not a list item or a thematic break), a code span (one backtick: not a fence), a link, quotes, brackets.
_INLINE_OPENING = re.compile(r"(?:[*_]{1,2}(?![ *_]|$)|`(?!`)|!?\[|[(\"'“‘「『《〈【])")
# What any inline rule of Goldmark's flavour acts on (emphasis, code, links, raw HTML, entities, escapes,
# strikethrough), its typographer (quotes, dashes, ellipses, guillemets) and its autolinks (www., a scheme, an address).
_ACTED_ON_INLINE = re.compile(r"[\\`*_~\[\]<>&!'\"@]|--|\.\.\.|www\.|://|mailto:|xmpp:", re.IGNORECASE)
_LABEL_END = re.compile(r"\]:")
_FOOTNOTE_DEFINITION = re.compile(r" {0,3}\[\^[^\]\n]*\]:")
# Tokens of markdown-it's inline rules that make tags around text and add none.
_MARKUP_ONLY = frozenset(("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"))
_MARKUP_ONLY |= {"link_open", "link_close"}


def first_paragraph(text: str, body_format: str, kramdown: TypographicMarkdown | None = None) -> str | None:
    """The text `markup.first_paragraph_text` finds in the body's HTML, when the body opens plainly (see the
    module's docstring); None when it does not. `kramdown`: the rules of a site whose Markdown is kramdown's."""
    if body_format != "markdown":
        found, _ = _html_paragraph(text, 0, len(text))
        return found
    for heading, start, end in _markdown_blocks(text):
        if heading and kramdown is not None and not text[start:end].strip("# \t\r\n"):
            return None  # `##` alone: a paragraph's text to kramdown, whose headers need some
        if heading:
            continue
        if text.startswith("<", start):
            block = text[start:end]
            if "\t" in block or not image_scanner.is_html_block(text, start):
                return None
            if kramdown is not None and (_KRAMDOWN_HTML_BLOCK.search(block) or not _closed_block_element(block)):
                # An attribute list or extension, HTML whose content kramdown parses as Markdown, a line that may be
                # a paragraph's to it (one opening with a span element's tag, or an end tag that is text), or an
                # element that may run on past the blank line (kramdown's raw HTML runs to its end tag).
                return None
            found, stop = _html_paragraph(text, start, end)
            if found is not None or stop < end:
                return found
            continue
        if kramdown is not None:
            return _typographic_paragraph(text, text[start:end], end, kramdown)
        return _markdown_paragraph(text, text[start:end], markup.inline_tokens)
    return None


def _markdown_blocks(text: str) -> Iterator[tuple[bool, int, int]]:
    """(is an ATX heading, start, end) of each block of a Markdown text from its start: a heading is its line (an
    <h1>–<h6> of its own, never a paragraph's), any other block runs to the next blank line."""
    position = _past_blank_lines(text, 0)
    while position < len(text):
        line_end = text.find("\n", position)
        if line_end < 0:
            line_end = len(text)
        if _HEADING.fullmatch(text, position, line_end):
            yield True, position, line_end
            position = _past_blank_lines(text, line_end + 1)
            continue
        block_end = _BLOCK_END.search(text, position)
        end = block_end.start() if block_end else len(text)
        yield False, position, end
        position = _past_blank_lines(text, end + 1)


def _past_blank_lines(text: str, position: int) -> int:
    return _LEADING_BLANK_LINES.match(text, position).end()  # type: ignore[union-attr]  # it matches ""


def _html_paragraph(text: str, start: int, end: int) -> tuple[str | None, int]:
    """The text of the first <p> with any in HTML text[start:end], and where reading stopped: (None, end) when
    the whole is read and holds none, (None, before end) when something not plain comes first."""
    position = start
    while True:
        position = _BEFORE_PARAGRAPH.match(text, position, end).end()  # type: ignore[union-attr]
        found = _PLAIN_PARAGRAPH.match(text, position, end)
        if found is None:
            return None, position
        inside = found.group(1)
        if _CONTROL.search(inside):
            return None, position
        if "<" in inside:
            inside = _TAG.sub("", inside)
        if "&" in inside:
            inside = _REFERENCE.sub(lambda reference: _REFERENCES[reference.group()], inside)
        if paragraph := markup.normalized_text(inside):
            return paragraph, position
        position = found.end()


def _markdown_paragraph(text: str, block: str, inline_tokens: Callable[[str], list[Token]]) -> str | None:
    """The text of a Markdown block of `text` that is a paragraph; None for any other block, or one with raw HTML,
    an image or a table in it, or no text."""
    if not _is_paragraph(block):
        return None
    plain = _NOT_PLAIN_MARKDOWN.search(block) is None
    if not plain and ("<" in block or "![" in block or "]:" in text):
        return None  # raw HTML or an autolink, an image, a link definition anywhere
    if plain:
        return markup.normalized_text(block) or None
    # markdown-it's paragraph rule hands its inline rules the lines, stripped: the same tokens as rendering the body.
    parts = []
    for token in inline_tokens(block.strip()):
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append("\n")
        elif token.type not in _MARKUP_ONLY:
            return None
    return markup.normalized_text("".join(parts)) or None


def leading_blocks(
    text: str, inline_tokens: Callable[[str], list[Token]], footnotes: bool
) -> Iterator[tuple[bool, str]]:
    """(is a heading, its text) of each heading and paragraph a Markdown text opens with, as rendered (a line
    break "\n", the other breaks between lines spaces, images nothing), up to the first other block or one that is
    not plain (see the module's docstring). Read as they are asked for: a summary needs the first few.
    `footnotes`: whether the inline rules read footnotes (`[^1]`, defined by a `[^1]: …` line)."""
    references = _defines_links(text, footnotes)  # a "[…]" may then be a link to a definition
    for heading, start, end in _markdown_blocks(text):
        block = text[start:end]
        if heading:
            content = block.lstrip("#").strip()
            if content.endswith("#") or "{" in content:
                return  # a closing sequence, or attributes (Goldmark's `{#id}`)
        elif not _is_paragraph(block) or markup.PLACEHOLDER_START in block or _DEFINITION.match(text, end):
            return
        else:
            content = block.strip()
        found = _inline_text(content, inline_tokens, references)
        if found is None:
            return
        yield heading, found


def _defines_links(text: str, footnotes: bool) -> bool:
    """Whether a "]:" of a Markdown text may end a link definition's label; not one that ends a footnote's at a
    line's start, where `footnotes` are read (a footnote's definition names no link)."""
    for found in _LABEL_END.finditer(text):
        line = text.rfind("\n", 0, found.start()) + 1
        definition = _FOOTNOTE_DEFINITION.match(text, line) if footnotes else None
        if definition is None or definition.end() != found.end():
            return True
    return False


def _is_paragraph(block: str) -> bool:
    """Whether a Markdown block (up to a blank line) is a paragraph: each line opens as only a paragraph's may."""
    if block[:1] == " " or _CONTROL.search(block) or "\t" in block or "|" in block:
        return False  # indented code, a character markdown-it reads otherwise, a table
    for line in block.split("\n"):
        opening = line.lstrip(" ")
        if not (opening[:1].isalnum() or _INLINE_OPENING.match(opening)) or _ORDERED_ITEM.match(opening):
            return False
    return True


def _inline_text(content: str, inline_tokens: Callable[[str], list[Token]], references: bool) -> str | None:
    """The text a heading's or paragraph's content renders to, or None when it holds raw HTML, a footnote (its
    number depends on the others'), or a bracket a link definition may make a link."""
    if "[^" in content or (references and "[" in content):
        return None
    if _ACTED_ON_INLINE.search(content) is None:
        # Nothing an inline rule, the typographer or an autolink acts on: the text is the lines', joined as the
        # newline rule joins them (two spaces or more at a line's end: a line break).
        lines = content.split("\n")
        joined = [line.lstrip(" ") if index else line for index, line in enumerate(lines)]
        return "".join(
            line.rstrip(" ") + ("\n" if line.endswith("  ") else " ") if index < len(joined) - 1 else line
            for index, line in enumerate(joined)
        )
    parts = []
    for token in inline_tokens(content):
        if token.type in ("text", "code_inline"):
            parts.append(token.content)
        elif token.type == "softbreak":
            parts.append(" ")
        elif token.type == "hardbreak":
            parts.append("\n")
        elif token.type != "image" and token.type not in _MARKUP_ONLY:  # an <img>'s alt is no text
            return None
    return "".join(parts)


def _typographic_paragraph(text: str, block: str, end: int, kramdown: TypographicMarkdown) -> str | None:
    """The text of a Markdown block kramdown renders as a paragraph: no typography to apply, nothing of kramdown's
    own syntax, and no definition after it (which would make it a term)."""
    if _KRAMDOWN_NOT_PLAIN.search(block) or _TYPOGRAPHY.search(block) or _DEFINITION.match(text, end):
        return None
    return _markdown_paragraph(text, block, kramdown.inline_tokens)
