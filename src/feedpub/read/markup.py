"""A body as HTML and what reading takes from it: Markdown rendering, plain text, the first image, truncation."""

from __future__ import annotations

import bisect
import functools
import re
from typing import TYPE_CHECKING

from feedpub.text import strip_xml_invalid

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    import regex
    from lxml import etree
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

MORE_MARKER = "<!--more-->"
# How a generator's rules carry HTML made outside Markdown through it (Hugo's shortcodes: read/hugo/shortcodes.py):
# a word starting so, which may hold anything, an image too.
PLACEHOLDER_START = "HUGOSC1"
ELLIPSIS = "…"

_WHITESPACE = re.compile(r"\s+")


@functools.cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # ~20 ms to import: only builds with Markdown to render pay it

    # CommonMark keeps raw HTML blocks, which Jekyll posts rely on; tables and strikethrough as GFM users expect.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


# Markdown rendering costs time and memory per token (markdown-it keeps every token: 5 MB of "&amp;" is a
# million of them, 400 MB), and these characters are where tokens start. Real posts have a few thousand.
MAX_MARKUP_CHARACTERS = 100_000
# Each line may start a block, and blocks are tokens too: 300,000 one-letter paragraphs (900 KB) took 500 MB, a
# 3 MB post of them 1.5 GB. A real post has a few thousand lines; a pasted log ten thousand or so.
MAX_MARKDOWN_LINES = 100_000
_MARKUP_CHARACTERS = "&[<*_`|"  # "|": a table's cells (5,000 columns by 200 rows were 3 million tokens, 1.5 GB)
# The sanitiser's time grows with the square of a run of character references (nh3: 100k "&amp;" 0.5 s, 200k
# 1.7 s, 1M 42 s), and it runs in Rust, where the per-post time limit cannot stop it: HTML bodies are bounded too.
_HTML_MARKUP_CHARACTERS = "&<"


# markdown-it tries each "[" as a link's label, and each "![" as an image's too, and each try descends through the
# labels after it up to its nesting limit, running every inline rule at each: 30-70 microseconds a "[", 125 an "!["
# (40,000 "![" in 80 KB took 5 s a rendering, under the per-post limit, and six such posts a minute a build). Counted
# before any is rendered, an "![" as three "[": 20,000 take about a second. A real post has a few hundred; a long
# list of links a few thousand (a task list of 16,000 items is rendered).
MAX_LINK_OPENERS = 20_000


class MarkupTooComplex(ValueError):
    """A body with more markup than is ever rendered."""


# What link reference definitions and kramdown's abbreviations may add to a body's HTML: each use repeats the
# definition (`[a]: <100 KB URL>` and 20,000 `[a]`s, 180 KB of text, took 4 GB), and no markup count sees it.
MAX_EXPANSION = 10_000_000
# kramdown's abbreviations are found by one pattern of all their words, tried at every word of the post, and each
# is counted over the whole text for MAX_EXPANSION: 20,000 of them in a 1 MB post passed its 10 s budget. A real
# glossary defines tens; 1,000 keep both under a second on 1 MB.
MAX_ABBREVIATIONS = 1_000
# Where a definition starts: `[label]: …`, kramdown's `*[abbr]: …`, in a blockquote or a list item too (any
# indent, ">" markers, list markers: `* [a]: …` is one).
_DEFINITION = re.compile(r"^[ \t>]*(?:(?:[-+*]|[0-9]{1,9}[.)])[ \t]+)*(\*?)\[([^\]\n]{1,999})\]:", re.MULTILINE)
_BLANK_LINE = re.compile(r"\n[ \t>]*\n")


def check_markup_amount(text: str, body_format: str = "markdown") -> None:
    """MarkupTooComplex when `text` holds more than MAX_MARKUP_CHARACTERS markup characters of its format, or
    (Markdown) more than MAX_LINK_OPENERS "[" ("![" counted as three), or definitions that its uses of them would
    repeat past MAX_EXPANSION characters."""
    if body_format == "markdown":
        brackets = text.count("[")
        if "]:" in text:
            _check_expansion(text, brackets)
        if brackets > MAX_LINK_OPENERS // 3 and (openers := brackets + 2 * text.count("![")) > MAX_LINK_OPENERS:
            raise MarkupTooComplex(
                f"{openers:,} link and image openers ('[', an '![' counted as three), over the "
                f"{MAX_LINK_OPENERS:,} rendered; split the post, or save it as .html"
            )
    if len(text) <= MAX_MARKUP_CHARACTERS:
        return  # it cannot hold more markup characters than characters: no need to count them (a pass a character)
    if body_format == "markdown" and (lines := text.count("\n")) > MAX_MARKDOWN_LINES:
        raise MarkupTooComplex(
            f"{lines:,} lines of Markdown, over the {MAX_MARKDOWN_LINES:,} rendered; "
            "split the post, or save it as .html"
        )
    characters = _MARKUP_CHARACTERS if body_format == "markdown" else _HTML_MARKUP_CHARACTERS
    marks = sum(map(text.count, characters))
    if marks > MAX_MARKUP_CHARACTERS:
        shown = " ".join(characters)
        advice = "split the post, or save it as .html" if body_format == "markdown" else "split the post"
        raise MarkupTooComplex(
            f"{marks:,} {'Markdown' if body_format == 'markdown' else 'HTML'} markup characters ({shown}), "
            f"over the {MAX_MARKUP_CHARACTERS:,} rendered; {advice}"
        )


def _check_expansion(text: str, brackets: int) -> None:
    """MarkupTooComplex when the definitions, repeated as often as they could be used, pass MAX_EXPANSION: a
    reference at most once per "[" of the text (`brackets` of them), an abbreviation once per occurrence of its
    word."""
    definitions = list(_DEFINITION.finditer(text))
    if sum(1 for found in definitions if found.group(1)) > MAX_ABBREVIATIONS:
        raise MarkupTooComplex(
            f"more than {MAX_ABBREVIATIONS:,} abbreviation definitions (`*[word]: …`); keep those the post uses"
        )
    added = 0
    # A definition's text runs to the next definition or blank line: a title may go on over any number of lines
    # (counting two lines after each let a title of 20,000 lines repeat unchecked: 2.3 GB for a 105 KB post).
    blanks = [found.start() for found in _BLANK_LINE.finditer(text)]
    for number, match in enumerate(definitions):
        abbreviation, label = match.group(1), match.group(2)
        if label.startswith("^"):
            continue  # a footnote: shown once, however often it is cited
        uses = text.count(label) if abbreviation else brackets
        end = definitions[number + 1].start() if number + 1 < len(definitions) else len(text)
        if (after := bisect.bisect_left(blanks, match.end())) < len(blanks):
            end = min(end, blanks[after])
        added += (end - match.end()) * uses
        if added > MAX_EXPANSION:
            raise MarkupTooComplex(
                f"link or abbreviation definitions that its text would repeat past {MAX_EXPANSION:,} characters; "
                "shorten the definition or its uses"
            )


def use_task_lists(md: MarkdownIt) -> None:
    """mdit-py-plugins' task lists, its rule run on each item with the list holding it: the rule looks back from
    each item over every token before it for its list, and 16,000 `- [ ] a` lines (128 KB) passed a post's 10 s
    budget (Jekyll: 1.6 s, Hugo: 0.08 s)."""
    from markdown_it.rules_core import StateCore
    from mdit_py_plugins.tasklists import tasklists_plugin

    md.use(tasklists_plugin)
    plugins = next(r.fn for r in md.core.ruler.__rules__ if r.name == "github-tasklists")

    def each_item(state: StateCore) -> None:
        tokens = state.tokens
        # The last token met at each level: the one the rule looks back for is the last at the level above an item
        # (its list, in every stream seen; a footnote's tokens close lists whose openings are elsewhere).
        last_at: dict[int, Token] = {}
        for index, token in enumerate(tokens):
            if token.type == "inline" and index >= 2 and tokens[index - 2].type == "list_item_open":
                above = last_at.get(tokens[index - 2].level - 1, tokens[-1])  # the rule's own fallback: the last
                # Its window: that token, the item, its paragraph, the text (and the paragraph's end).
                plugins(StateCore(state.src, state.md, state.env, [above, *tokens[index - 2 : index + 2]]))
            last_at[token.level] = token

    md.core.ruler.at("github-tasklists", each_item)


def guillemets(spaced: bool) -> Callable[[StateInline, bool], bool]:
    """An inline rule reading `<<` and `>>` as guillemets before raw HTML can take `<<the plan>>` for a tag (and
    drop its words), as kramdown's typographic symbols and Goldmark's typographer both do. `spaced`: kramdown's
    forms, `<< ` and ` >>` with a no-break space between the mark and the word."""

    def rule(state: StateInline, silent: bool) -> bool:
        pair = state.src[state.pos : state.pos + 2]
        if pair not in ("<<", ">>"):
            return False
        length, text = 2, "\u00ab" if pair == "<<" else "\u00bb"
        if spaced and pair == "<<" and state.src[state.pos + 2 : state.pos + 3] == " ":
            length, text = 3, "\u00ab\u00a0"
        elif spaced and pair == ">>" and state.pending.endswith(" "):
            state.pending, text = state.pending[:-1], "\u00a0\u00bb"
        if not silent:
            # Its own token until text_join, as an entity's is: kramdown reads it as a span (requote).
            token = state.push("text_special", "", 0)
            token.content, token.info = text, GUILLEMET
        state.pos += length
        return True

    return rule


GUILLEMET = "guillemet"  # the `info` of the tokens `guillemets` makes


# The typographic symbols kramdown and Goldmark's typographer both make (guillemets aside: `guillemets`), the
# longest first at each place: "-----" is an em dash and an en dash, "...." an ellipsis and a dot. Not
# markdown-it's `replacements`: kramdown and Goldmark leave (c), (tm), +-, ",," and "??????" as written, and ".."
# (Korean writers' pause, "정상.. 그리고") too.
TYPOGRAPHIC_SYMBOLS = {"---": "\u2014", "--": "\u2013", "...": "\u2026"}
_TYPOGRAPHIC_SYMBOL = re.compile("|".join(map(re.escape, TYPOGRAPHIC_SYMBOLS)))


def typographic_symbols(state: StateCore, symbols: Mapping[str, str] = TYPOGRAPHIC_SYMBOLS) -> None:
    """A core rule: dashes and ellipses in each inline text, but an autolink's (its address), as `symbols` writes
    each of TYPOGRAPHIC_SYMBOLS's (kramdown's `typographic_symbols` may write them otherwise)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        in_autolink = 0
        for token in block.children:
            if token.type == "link_open":
                in_autolink += token.info == "auto"
            elif token.type == "link_close" and in_autolink:
                in_autolink -= 1
            elif token.type == "text" and not in_autolink and _TYPOGRAPHIC_SYMBOL.search(token.content):
                token.content = _TYPOGRAPHIC_SYMBOL.sub(lambda m: symbols[m.group()], token.content)


def block_line(state: StateBlock, line: int) -> str:
    """A block rule's line `line`, from its first character past the block's indent to its end."""
    return str(state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]])


def requote(
    state: StateCore,
    typographer: Callable[[], Callable[[str, str, str], str]],
    lookahead: int,
    skip_autolinks: bool = False,
    spans_start_text: bool = False,
) -> None:
    """Give each inline text token with a straight quote to `curl(text, before, after)`, which returns it with its
    quotes as a typographer writes them: `before` the source's character before the token ("" at the start), `after`
    its next `lookahead` characters (token_source). `typographer()` gives `curl` for each inline block (a paragraph,
    a heading): Goldmark's counts the quotes it left open there. `skip_autolinks`: an autolink's text (its address)
    is left as written. `spans_start_text`: text right after any other span (an emphasis, a link or an HTML tag,
    opening or closing) starts as a paragraph does: kramdown reads each span's text on its own, so `*"Pine"*` is
    *“Pine”* and `*a*"x"` *a*“x” (observed)."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children = block.children
        curl = typographer()
        in_autolink = 0
        for index, token in enumerate(children):
            if skip_autolinks and token.type == "link_open":
                in_autolink += token.info == "auto"
            elif skip_autolinks and token.type == "link_close" and in_autolink:
                in_autolink -= 1
            elif token.type == "text" and not in_autolink and ("'" in token.content or '"' in token.content):
                previous = children[index - 1] if index else None
                opened = spans_start_text and previous is not None and _is_span(previous)
                before = token_source(previous)[-1:] if previous is not None and not opened else ""
                after = "".join(token_source(c) for c in children[index + 1 : index + 1 + lookahead])[:lookahead]
                if spans_start_text and _TYPOGRAPHIC_SYMBOL.search(token.content):
                    token.content = _curled_between_symbols(token.content, before, after, curl, lookahead)
                else:
                    token.content = curl(token.content, before, after)


def _is_span(token: Token) -> bool:
    """Whether kramdown reads `token` as a span of its own: any but text, an escape and line breaks (it sees their
    "\n"); an entity and a guillemet are (`&nbsp;"b"` opens with “, as `<<"b"` does; a literal « does not)."""
    if token.type == "text_special":
        return token.info in ("entity", GUILLEMET)
    return token.type not in ("text", "softbreak", "hardbreak")


def _curled_between_symbols(
    text: str, before: str, after: str, curl: Callable[[str, str, str], str], lookahead: int
) -> str:
    """`text` curled a piece at a time: kramdown's typographic symbols are spans, so the text after one starts as
    a paragraph does (observed: `"좋다---"` closes with ”, where the "-" before it kept a quote open)."""
    pieces = []
    start = 0
    for symbol in _TYPOGRAPHIC_SYMBOL.finditer(text):
        following = (text[symbol.end() : symbol.end() + lookahead] + after)[:lookahead]  # not the whole rest
        pieces.append(curl(text[start : symbol.end()], before if start == 0 else "", following))
        start = symbol.end()
    pieces.append(curl(text[start:], before if start == 0 else "", after))
    return "".join(pieces)


def token_source(token: Token) -> str:
    """What the source has for an inline token, as far as a typographer's quote next to it is concerned: its text,
    or the characters of its markup."""
    if token.type in ("text", "text_special", "html_inline"):
        return str(token.content)
    if token.type in ("softbreak", "hardbreak"):
        return "\n"
    if token.type == "code_inline":
        return "`"
    if token.type in ("link_close", "image"):
        return ")"
    if token.type == "link_open":
        return "["
    return str(token.markup)  # emphasis and strikethrough: their markers


def prepare_markdown() -> None:
    """Import and set up markdown-it now: pool workers forked afterwards share it instead of each doing it."""
    _markdown()


def inline_tokens(text: str, parser: MarkdownIt | None = None) -> list[Token]:
    """The tokens the inline rules of `parser` (feedpub's CommonMark by default) make of `text`, as they do of a
    paragraph's stripped lines."""
    return list((parser or _markdown()).parseInline(text)[0].children or ())


def render_markdown(text: str) -> str:
    """Render CommonMark to HTML, keeping raw HTML; MarkupTooComplex past MAX_MARKUP_CHARACTERS."""
    check_markup_amount(text)
    written = written_without_markdown(text)
    return written if written is not None else str(_markdown().render(text))


# CommonMark's block-level tag names (spec 0.31.2, §4.6, kind 6), as markdown-it-py 4 has them (a test compares).
_BLOCK_TAG_NAMES = [
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
]
# A line that opens an HTML block of kind 6: up to three spaces, then `<name` or `</name` and white space, `>`,
# `/>` or the line's end (markdown-it's own expression, with its indent).
_BLOCK_TAG_LINE = re.compile(r" {0,3}</?(?a:" + "|".join(_BLOCK_TAG_NAMES) + r")(?=\s|/?>|$)", re.IGNORECASE)
_NEWLINES = re.compile(r"\r\n?")
# A table's delimiter row (its second line), or more: markdown-it tries tables before HTML blocks, so a block-level
# tag's line with one under it may open a table, not an HTML block.
TABLE_DELIMITER_ROW = re.compile(r" *[-:|][-:| \t]*(?:\n|$)")


# CommonMark's raw HTML tags (spec 0.31.2, §6.6): what a paragraph's `<` may open that markdown-it writes as is.
_ATTRIBUTE = r"""\s+[a-zA-Z_:][a-zA-Z0-9_.:-]*(?:\s*=\s*(?:[^"'=<>`\x00-\x20]+|'[^']*'|"[^"]*"))?"""
_INLINE_TAG = re.compile(rf"(<[A-Za-z][A-Za-z0-9-]*(?:{_ATTRIBUTE})*\s*/?>|</[A-Za-z][A-Za-z0-9-]*\s*>)")
# Where a paragraph's text may hold more than text for markdown-it: an escape, code, emphasis, a link or image,
# an entity, strikethrough, a table's cell, a tag (one _INLINE_TAG did not take), white space other than a space.
_NOT_PLAIN_TEXT = re.compile(r"[\\`*_\[\]&~|<]|[^\S \n]")
# A line that can only go on, or open, a paragraph: a letter (or any other character past ASCII that is not white
# space) or digits that are not an ordered list's marker. Every other ASCII character may open some block.
_PARAGRAPH_LINE = re.compile(r"(?:[A-Za-z]|[^\x00-\x7f]|[0-9]+(?![.)0-9]))")


def written_without_markdown(text: str) -> str | None:
    """CommonMark's HTML of a text made only of HTML blocks of kind 6 (a run of lines opening with a block-level
    tag, to a blank line: written as it is) and plain paragraphs (text and tags, no other markup); None for any other
    text. A post exported from a blog as HTML in a .md file (the seed's) is this, often with a line of text after
    it, and then needs no Markdown renderer (a build that renders one edited post spent a sixth of its time
    importing markdown-it). A property test compares it with markdown-it on generated texts."""
    lines = _NEWLINES.sub("\n", text).replace("\0", "\ufffd").split("\n")  # markdown-it's normalize
    last = len(lines) - 1
    lines.append("")  # a blank line after the last ends the paragraph it is in
    written: list[str] = []
    paragraph: list[str] = []
    in_html_block = False
    for index, line in enumerate(lines):
        if not line.strip(" \t"):
            in_html_block = False
        elif in_html_block:
            written.append(line + "\n" if index < last else line)
            continue
        elif _BLOCK_TAG_LINE.match(line):  # kind 6 opens a block, and ends a paragraph too
            if index < last and TABLE_DELIMITER_ROW.match(lines[index + 1]):
                return None
            in_html_block = True
        elif _PARAGRAPH_LINE.match(line) and not line[-1].isspace():
            paragraph.append(line)
            continue
        else:
            return None
        if paragraph:
            if (html := _plain_paragraph("\n".join(paragraph))) is None:
                return None
            written.append(html)
            paragraph.clear()
        if in_html_block:
            written.append(line + "\n" if index < last else line)
    return "".join(written)


def _plain_paragraph(source: str) -> str | None:
    """markdown-it's HTML for a paragraph of text and tags (_INLINE_TAG) only; None when it may hold other markup."""
    pieces = _INLINE_TAG.split(source)  # text, tag, text, …, text
    for at in range(0, len(pieces), 2):
        if _NOT_PLAIN_TEXT.search(pieces[at]):
            return None
        pieces[at] = pieces[at].replace(">", "&gt;").replace('"', "&quot;")
    return "<p>" + "".join(pieces) + "</p>\n"


def html_block_kind(line: str) -> int | None:
    """The kind (1–7, CommonMark 4.6) of HTML block that `line`, unindented, opens in markdown-it; None if none."""
    # Block-level tags (kind 6) first, without markdown-it: the commonest, and kinds 1–5 open with other names, "<!"
    # or "<?".
    if line[:1] == "<" and _BLOCK_TAG_LINE.match(line):
        return 6
    return next((kind for kind, opener in enumerate(_html_block_openers(), 1) if opener.search(line)), None)


@functools.cache  # an import statement run at every call took an eighth of the image scanner's time
def _html_block_openers() -> tuple[re.Pattern[str], ...]:
    from markdown_it.rules_block.html_block import HTML_SEQUENCES

    return tuple(opener for opener, _, _ in HTML_SEQUENCES)


# A destination markdown-it's normalizeLink gives back as it is: no scheme, host, "%" or character it encodes.
_PLAIN_DESTINATION = re.compile(r"(?!//)[A-Za-z0-9/._~-]+")


def markdown_link(destination: str) -> str | None:
    """The URL markdown-it makes of a link destination without escapes or entities; None when it refuses it."""
    if _PLAIN_DESTINATION.fullmatch(destination):
        return destination  # most images' paths; normalizeLink parses, formats and encodes them (5% of a cold build)
    href = _markdown().normalizeLink(destination)
    return href if _markdown().validateLink(href) else None


def parse_fragment(html: str) -> etree._Element | None:
    if not html.strip():
        return None
    import lxml.html  # here: a run that reads no post's HTML (Jekyll's rules load this module) does not pay 15 ms
    from lxml import etree

    try:
        root = lxml.html.fragment_fromstring(strip_xml_invalid(html), create_parent="div")
    except (etree.ParserError, ValueError):
        return None
    for element in root.iter("script", "style", "template", "noscript"):
        element.drop_tree()
    return root


# Elements whose content the HTML parser reads as text up to their end tag: one left open took the parser's own
# closing tags into it, and "Setting the <title> of a page" was summed up as "Setting the of a page</body></html>".
# (A script or style left open is dropped with all after it, as browsers hide it: the image scanners of a body's
# start must agree with the whole render's.)
_RAW_TEXT = re.compile(r"<(/?)(title|textarea|xmp|iframe|noembed|noframes)\b[^>]*>?", re.IGNORECASE)


def raw_text_closed(html: str) -> str:
    """`html` without the start tags of the raw text elements it leaves open: the text after one reads as the
    text it is (as Jekyll's strip_html reads it), not as the element's. For text only: an element's markup (an
    <img> after an open <textarea>) stays the element's text, as in the whole render."""
    if _RAW_TEXT.search(html) is None:
        return html
    unclosed: dict[str, list[re.Match[str]]] = {}
    for tag in _RAW_TEXT.finditer(html):
        opened = unclosed.setdefault(tag.group(2).lower(), [])
        if not tag.group(1):
            opened.append(tag)
        elif opened:
            opened.pop()
    for tag in sorted((t for tags in unclosed.values() for t in tags), key=re.Match.start, reverse=True):
        html = html[: tag.start()] + html[tag.end() :]
    return html


def normalized_text(text: str) -> str:
    """Text as an excerpt shows it: characters XML forbids dropped, white space collapsed, none at either end."""
    return _WHITESPACE.sub(" ", strip_xml_invalid(text)).strip()


def _text_of(element: etree._Element) -> str:
    # The parser decodes character references: `&#1;` is a character XML forbids only once it is decoded.
    return normalized_text(element.text_content())


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: entities decoded, whitespace collapsed."""
    if "<" not in html and "&" not in html:
        # No markup and no entities: parsing would give the text back (excerpts in front matter usually are).
        return normalized_text(html)
    root = parse_fragment(raw_text_closed(html))
    return _text_of(root) if root is not None else ""


def first_paragraph_text(html: str) -> str:
    """Text of the first paragraph that has any; the whole text when there are no paragraphs."""
    root = parse_fragment(html)
    if root is None:
        return ""
    found = paragraph_in(root)
    return found if found is not None else _text_of(root)


def paragraph_in(root: etree._Element, closed: bool = False) -> str | None:
    """Text of the first <p> of a parsed fragment that has any (and, when `closed`, is followed by something).

    `closed` serves a parse of a body's start: a paragraph that something follows was closed before the start's
    end, so the whole body's parse gives it the same text; the last one may go on past the cut.
    """
    for paragraph in root.iter("p"):
        text = _text_of(paragraph)
        if text:
            return text if not closed or _is_followed(paragraph) else None
    return None


def _is_followed(element: etree._Element) -> bool:
    """Whether an element or non-blank text comes after `element` (outside it) in its tree."""
    while element is not None:
        if (element.tail or "").strip() or element.getnext() is not None:
            return True
        element = element.getparent()
    return False


def first_image(html: str) -> tuple[str, str] | None:
    """The `src` and `alt` of the first <img> with a src."""
    root = parse_fragment(html)
    return image_in(root) if root is not None else None


def image_in(root: etree._Element) -> tuple[str, str] | None:
    """The `src` and `alt` of the first <img> with a src in a parsed fragment."""
    for image in root.iter("img"):
        src = (image.get("src") or "").strip()
        if src:
            return src, (image.get("alt") or "").strip()
    return None


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` user-perceived characters, on a word boundary where there is one.

    Counting grapheme clusters keeps a Hangul syllable written as conjoining jamo, or an emoji sequence, whole.
    """
    if len(text) <= limit:
        return text  # a cluster is one code point or more, so the text has no more clusters than that
    kept: Sequence[str]
    if _joining().search(text, 0, limit + 1) is None:
        # Up to the cut, no character joins a neighbour into one cluster: the first clusters are the first
        # characters, and there are more than `limit` of them. Segmenting the whole text cost ~0.25 ms.
        kept = text[: limit - 1]
    else:
        import regex

        clusters = regex.findall(r"\X", text)
        if len(clusters) <= limit:
            return text
        kept = clusters[: limit - 1]  # room for the ellipsis
    for index in range(len(kept) - 1, len(kept) // 2, -1):
        if kept[index].isspace():
            kept = kept[:index]
            break
    return "".join(kept).rstrip() + ELLIPSIS


@functools.cache
def _joining() -> regex.Pattern[str]:
    """A character that may join the one before or after it into one grapheme cluster (UAX #29): a combining or
    spacing mark, a joiner, a prepended mark, conjoining Hangul jamo, a regional indicator, a carriage return."""
    import regex  # here, not at the top: most texts are never cut

    # Precomposed Hangul syllables (LV, LVT) join only conjoining jamo (L, V, T): Korean text has none of these.
    breaks = ("Extend", "SpacingMark", "ZWJ", "Prepend", "L", "V", "T", "Regional_Indicator", "CR")
    return regex.compile("[" + "".join(rf"\p{{Grapheme_Cluster_Break={name}}}" for name in breaks) + "]")
