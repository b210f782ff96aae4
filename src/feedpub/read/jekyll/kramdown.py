"""Markdown as Jekyll's kramdown writes it, as far as a feed shows it: markdown-it-py and its plugins.

Its GFM input (Jekyll's) with the site's `kramdown:` options; its own parser (`input: kramdown`) differs from GFM in
what ends a paragraph, its fences, `#` headers, header ids and line breaks, and in having no strikethrough and no
task lists, each followed here.

kramdown's own syntax must never reach a reader as text (issue #15): attribute lists (`{: .notice}`, `{#id}`)
are applied, `{::comment}`, `{::nomarkdown}` and `{::options}` are resolved, `markdown="1"` HTML blocks are
parsed, footnotes, definition lists and abbreviations become elements, and headers get kramdown's GFM ids so a
post's in-page links work. What kramdown writes was observed on kramdown 2.4 + kramdown-parser-gfm 1.1 through
Jekyll 4.3 (/work/notes/jekyll-behaviour.md §9, tests/sites/jekyll/kramdown-liquid); the markup follows it
where readers see a difference (footnote numbers and their links, code blocks' classes), not colours.
"""

from __future__ import annotations

import bisect
import functools
import html
import itertools
import re
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from feedpub.read import markup
from feedpub.read.jekyll.kramdown_tables import table_block
from feedpub.read.jekyll.rouge_languages import ROUGE_LANGUAGES
from feedpub.read.jekyll.site import KramdownOptions
from feedpub.read.jekyll.titles import (
    BLOCK_CONTENT_MODEL,
    BLOCK_ELEMENTS,
    KNOWN_ELEMENTS,
    PARSED_ELEMENTS,
    SPAN_ELEMENTS,
    SYMBOL_NAMES,
    VOID_ELEMENTS,
    curled_quotes,
)
from feedpub.urls import backslashes_as_slashes

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

__all__ = ["KramdownOptions", "inline_tokens", "render"]

# Post text goes through these: each part that may repeat reads its characters once (possessive, or a run's
# start only), as a pattern whose parts both matched a long run of spaces took quadratic time on it when nothing
# closed it (`{:` and 40,000 spaces: over 10 s, where kramdown takes 0.7 s to print it as text).
# An attribute list alone on a line: `{: .class #id key="v"}`, `{:toc}`, or a header's `{#id}`.
_IAL_LINE = re.compile(r"^ {0,3}\{:(?![:/])\s*+([^}\n]*+)\}[ \t]*$")  # `{:/}` ends an extension: text here
_IAL_SPAN = re.compile(r"^\{:(?![:/])\s*+([^}\n]*+)\}")  # a stray `{:/}` is text
_HEADER_ID = re.compile(r"(?<![ \t])[ \t]++\{#([A-Za-z][\w:-]*+)\}[ \t]*$")
_ABBREVIATION = re.compile(r"^\*\[([^\]\n]+)\]:[ \t]*(.*)$")
# kramdown's extensions (EXT_START_STR): `{::name}`, `{::name attributes}`, `{::name /}`, read to a stop tag,
# `{:/name}` or `{:/}`; a block's tags alone on their lines. Any other name is text.
_EXTENSIONS = ("comment", "nomarkdown", "options")
_BLOCK_EXTENSION = re.compile(r"\{::(\w+)(?:\s((?:\\\}|[^}])*?)|)(/)?\}\s*")
_SPAN_EXTENSION_NAME = re.compile(r"\{::(\w++)")
_BRACE = re.compile(r"\}")
_UNESCAPED_BRACE = re.compile(r"(?<!\\)\}")
_NOMARKDOWN_TYPE = re.compile(r"""(?:^|\s)type=(["'])(.*?)\1(?=\s|$)""")
# The attributes before `markdown=` as runs of white space and of other characters, each read once.
_MARKDOWN_HTML = re.compile(
    r"""^<([A-Za-z][A-Za-z0-9]*)\b((?:\s*+[^\s>]++)*?)"""
    r"""\s++markdown\s*=\s*(?:"(?:1|block)"|'(?:1|block)'|1)([^>]*)>[ \t]*$"""
)
_ATTRIBUTE = re.compile(r"""([#.])([\w-]+)|([\w-]+)=(?:"([^"]*)"|'([^']*)'|(\S+))""")
# An element's opening tag alone on its line (its attributes as _MARKDOWN_HTML's groups 2 and 3 give them): with
# parse_block_html, an element of kramdown's block content model has its content parsed as blocks.
_BLOCK_HTML_OPEN = re.compile(r"^<([A-Za-z][A-Za-z0-9]*)\b([^>]*?)()>[ \t]*$")
# A tag's `markdown` attribute, its value ("0", "1", "span", "block"): how kramdown reads the element's content.
_MARKDOWN_MODE = re.compile(r"""\smarkdown\s*=\s*["']?(\w*)""", re.IGNORECASE)
# GFM's header ids: lowercased, anything but letters, digits, "_", "-" and spaces dropped, spaces as "-" (§9).
_NOT_ID = re.compile(r"[^\w\- ]")


def render(text: str, options: KramdownOptions) -> str:
    """kramdown's HTML for a Markdown text; MarkupTooComplex past markup.MAX_MARKUP_CHARACTERS."""
    markup.check_markup_amount(text)
    return str(_parser(options).render(text, {}))


def inline_tokens(text: str, options: KramdownOptions) -> list[Token]:
    """The tokens the inline rules make of a paragraph's stripped lines, as when the body is rendered."""
    return markup.inline_tokens(text, _parser(options))


@functools.cache
def _parser(options: KramdownOptions) -> MarkdownIt:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block.hr import hr
    from mdit_py_plugins.deflist import deflist_plugin
    from mdit_py_plugins.footnote import footnote_plugin

    # kramdown's GFM parser: raw HTML, its own tables (kramdown_tables), strikethrough, task lists; kramdown's
    # typographic symbols, and its smart quotes (its own rule below: markdown-it's pairs quotes, kramdown decides
    # each by its neighbours). kramdown's own parser (`input: kramdown`) has no strikethrough and no task lists.
    md = MarkdownIt("commonmark", {"typographer": True})
    if options.gfm:
        md.enable(["strikethrough"])
    # kramdown writes a link's "\\" as it is, which browsers read as "/" (`![x](\\images\\a.png)` shows /images/a.png);
    # markdown-it's %5C names another file.
    normalize = md.normalizeLink
    md.normalizeLink = lambda url: normalize(backslashes_as_slashes(url) if "\\" in url else url)  # type: ignore[method-assign]
    md.use(footnote_plugin).use(deflist_plugin)
    # The plugin's rule is a closure: found by its name among the ruler's rules to be wrapped (_definitions).
    deflist = md.block.ruler.__rules__[md.block.ruler.__find__("deflist")]
    md.block.ruler.at("deflist", functools.partial(_definitions, read=deflist.fn), {"alt": list(deflist.alt)})
    md.block.ruler.at("footnote_def", _footnote_definition, {"alt": ["reference"]})
    if options.gfm:
        markup.use_task_lists(md)
    md.inline.ruler.before("autolink", "kramdown_guillemets", markup.guillemets(spaced=True))
    md.inline.ruler.before("emphasis", "kramdown_emphasis", _emphasis_delimiters)
    md.inline.ruler.at("backticks", _code_span)
    md.inline.ruler.at("autolink", _autolink)
    md.inline.ruler.before("autolink", "kramdown_raw_spans", _raw_span_html)
    md.inline.ruler.before("html_inline", "kramdown_span_tags", _span_tag)
    md.inline.ruler2.push("kramdown_close_spans", _close_open_spans)
    # kramdown's GFM paragraphs end at a blank line, a list, a header, a quote, a fence or HTML, never at a rule:
    # "---" under two lines of a paragraph is its text (an em dash), where CommonMark ends the paragraph there.
    # Its own parser's end only at a blank line, HTML, an attribute list or a definition (PARAGRAPH_END).
    # A quote's lazy lines likewise: to kramdown's own parser a list's, a header's or a fence's line there is the
    # quote's paragraph's text. (With GFM, kramdown's quote takes them too and reads them as blocks in the quote.)
    ends_paragraphs = ["paragraph", "blockquote"] if options.gfm else []
    fence = functools.partial(_fence, gfm=options.gfm)
    md.block.ruler.at("fence", fence, {"alt": [*ends_paragraphs, "reference", "list"]})
    md.block.ruler.before("fence", "kramdown_extension", _extension_block, {"alt": ["paragraph"]})
    md.inline.ruler.before("escape", "kramdown_extension", _span_extension)
    md.block.ruler.before("paragraph", "kramdown_table", _table, {"alt": ["paragraph"]})
    md.block.ruler.before("kramdown_table", "kramdown_math", _math_block)  # after setext headers, as kramdown's
    md.block.ruler.before(
        "paragraph", "kramdown_item_attributes", _attribute_list_after_an_item, {"alt": ["paragraph"]}
    )
    md.block.ruler.before("lheading", "kramdown_quote_attributes", _quote_attribute_list)
    md.inline.ruler.before("escape", "kramdown_math", _math_span)
    heading = _atx_heading if options.gfm else _kramdown_atx_heading
    md.block.ruler.at("heading", heading, {"alt": [*ends_paragraphs, "reference"]})
    md.block.ruler.at("code", _indented_code)
    md.block.ruler.at("lheading", _setext_heading)
    md.block.ruler.at("hr", hr, {"alt": ["reference", "blockquote", "list"]})
    md.block.ruler.at(
        "list", functools.partial(_list, gfm=options.gfm), {"alt": ["paragraph", "reference", "blockquote"]}
    )
    md.block.ruler.at("blockquote", _blockquote, {"alt": [*ends_paragraphs, "reference", "list"]})
    md.block.ruler.at("html_block", _html_block, {"alt": ["paragraph", "reference", "blockquote"]})
    markdown_html = functools.partial(_markdown_html_block, parse_block_html=options.parse_block_html)
    md.block.ruler.before("html_block", "markdown_html", markdown_html, {"alt": ["paragraph"]})
    if not options.parse_block_html:
        md.block.ruler.before("html_block", "kramdown_raw_html", _raw_html_block, {"alt": ["paragraph"]})
    md.core.ruler.after("block", "kramdown_blocks", _block_attributes)
    md.core.ruler.after("kramdown_blocks", "kramdown_lists", _list_items)
    md.core.ruler.before("inline", "kramdown_spaced_destinations", _spaced_destinations)
    # Span attribute lists before the typographer's rules: `{: width="600"}`'s quotes are not text to curl.
    md.core.ruler.after("inline", "kramdown_span_attributes", _span_attribute_lists)
    md.core.ruler.before("text_join", "kramdown_quotes", functools.partial(_smart_quotes, quotes=options.smart_quotes))
    symbols = functools.partial(_typographic_symbols, written=dict(options.typographic_symbols))
    md.core.ruler.before("text_join", "kramdown_typography", symbols)
    md.core.ruler.push("kramdown_spans", functools.partial(_span_rules, options=options))
    if options.header_offset:
        md.core.ruler.push("kramdown_header_offset", functools.partial(_offset_headers, offset=options.header_offset))
    # kramdown's line breaks: two spaces or two backslashes at a line's end (LINE_BREAK); a backslash there is GFM's
    # (CommonMark's too) but text to its own parser. `hard_wrap` breaks every line instead (no LINE_BREAK).
    if options.gfm and options.hard_wrap:
        md.core.ruler.push("kramdown_hard_wrap", _hard_wrapped)
    else:
        md.inline.ruler.before("escape", "kramdown_line_break", _double_backslash_break)
    if not options.gfm or options.hard_wrap:
        md.inline.ruler.before("escape", "kramdown_backslash", _backslash_at_line_end)
    _kramdown_renderers(md, options)
    return md


# kramdown's math (its default math engine, MathJax): `$$…$$` is TeX, passed on untouched (escaped for HTML) between
# \( \) in text and \[ \] as a block of its own; Markdown read it as emphasis, escapes and quotes. A math block is
# `$$` at a line's start (after a block boundary) to the first `$$` after it, across lines and blank lines, with
# only white space after it on its line and a block boundary after that; anything else is span math, from `$$` to
# the first `$$` after it. Each `$$` looked for is the nearest: a text is read once however its `$$`s fall.
_MATH_DATA_SPACE = " \t\n\v\f\r\0"  # Ruby's strip


def _math_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """kramdown's block math: `\\[TeX\\]` with no paragraph around it."""
    opening = state.bMarks[start] + state.tShift[start]
    escaped = state.src.startswith("\\$$", opening)  # `\$$`: not a block, and kramdown drops the "\\"
    if state.sCount[start] - state.blkIndent >= 4 or not (escaped or state.src.startswith("$$", opening)):
        return False
    if not _after_block_boundary(state, start):
        return False
    closing = state.src.find("$$", opening + escaped + 2, state.eMarks[end - 1])
    if closing < 0:
        return False
    last = start
    while state.eMarks[last] < closing + 2:
        last += 1
    if state.src[closing + 2 : state.eMarks[last]].strip(" \t\v\f\r"):
        return False  # text after it: span math in a paragraph
    if escaped:
        if silent:
            return False
        # kramdown takes the "\\" away and leaves the rest to a paragraph: its `$$…$$` is span math (observed).
        from markdown_it.rules_block.paragraph import paragraph

        paragraph(state, start, end, silent)
        state.tokens[-2].content = state.tokens[-2].content[1:]
        return True
    # Before a block boundary: a blank line, an attribute list, or the container's end.
    following = last + 1
    if following < end and not state.isEmpty(following) and not _IAL_LINE.match(_line(state, following)):
        return False
    if not silent:
        lines = state.getLines(start, last + 1, state.blkIndent, False)
        begin = lines.index("$$") + 2
        token = state.push("kramdown_math_block", "", 0)
        token.content = lines[begin : lines.index("$$", begin)].strip(_MATH_DATA_SPACE)
        token.map = [start, last + 1]
    state.line = last + 1
    return True


def _after_block_boundary(state: StateBlock, start: int) -> bool:
    """Whether a block at `start` follows a block boundary (kramdown's after_block_boundary?): it is the first block
    of its container (the last token opens it) or a blank line is before it."""
    return start == 0 or state.isEmpty(start - 1) or bool(state.tokens and state.tokens[-1].nesting == 1)


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _math_span(state: StateInline, silent: bool) -> bool:
    """kramdown's span math: `\\(TeX\\)`."""
    if not state.src.startswith("$$", state.pos):
        return False
    closing = state.src.find("$$", state.pos + 2, state.posMax)
    if closing < 0:
        return False
    if not silent:
        token = state.push("kramdown_math", "", 0)
        token.content = state.src[state.pos + 2 : closing].strip(_MATH_DATA_SPACE)
        token.markup = "$$"
    state.pos = closing + 2
    return True


def _emphasis_delimiters(state: StateInline, silent: bool) -> bool:
    """A run of `*` or `_` as kramdown reads it, for markdown-it's emphasis pairing: a `*` run may open before any
    character but white space and close after any but white space; an `_` run not inside a word. CommonMark also
    looks at punctuation, and left `이것은**"강조"**입니다` and `**강조(괄호)**는` as asterisks (observed: kramdown
    makes both strong, as Korean writers mean them)."""
    from markdown_it.rules_inline.state_inline import Delimiter

    source, start = state.src, state.pos
    marker = source[start]
    if silent or marker not in "*_":
        return False
    end = start
    while end < state.posMax and source[end] == marker:
        end += 1
    before = source[start - 1] if start > 0 else " "
    after = source[end] if end < state.posMax else " "
    can_open = not after.isspace()
    can_close = not before.isspace()
    if marker == "_":
        can_open = can_open and not before.isalnum()
        can_close = can_close and not after.isalnum()
    for _ in range(end - start):
        state.push("text", "", 0).content = marker
        state.delimiters.append(Delimiter(ord(marker), end - start, len(state.tokens) - 1, -1, can_open, can_close))
    state.pos = end
    return True


def _code_span(state: StateInline, silent: bool) -> bool:
    """A code span as kramdown reads one (parser/kramdown/codespan.rb): a run of backticks, to the first as many
    backticks after it, alone or in a longer run (CommonMark wants a run exactly as long: ```` `x``` ```` is code
    "x" and two backticks in kramdown), less a space at either end when the run is longer than one. A single
    backtick with white space (or the text's start) before it and white space after it, or a run nothing closes, is
    text. The runs are found once a text; the ones passed on the way to the closing one are inside the span."""
    source, start = state.src, state.pos
    if not source.startswith("`", start):
        return False
    end = start
    while end < state.posMax and source[end] == "`":
        end += 1
    length = end - start
    alone = length == 1 and (start == 0 or source[start - 1].isspace()) and source[end : end + 1].isspace()
    starts, lengths, most = _backtick_runs(state.env, source)
    at = bisect.bisect_left(starts, end)
    if alone or at >= len(most) or most[at] < length:
        closing = None
    else:
        while lengths[at] < length:
            at += 1
        closing = starts[at]
    if closing is None or closing + length > state.posMax:
        if not silent:
            state.append_pending(source[start:end])
        state.pos = end
        return True
    if not silent:
        token = state.push("code_inline", "code", 0)
        token.markup = source[start:end]
        code = source[end:closing]
        token.content = code.removeprefix(" ").removesuffix(" ") if length > 1 else code
    state.pos = closing + length
    return True


def _backtick_runs(env: MutableMapping[str, Any], text: str) -> tuple[list[int], list[int], list[int]]:
    """The runs of backticks in `text`: where each starts, its length, and the longest from each on."""
    memo: dict[str, tuple[list[int], list[int], list[int]]] = env.setdefault("kramdown_backtick_runs", {})
    if text not in memo:
        runs = [(found.start(), len(found.group())) for found in re.finditer("`+", text)]
        lengths = [length for _, length in runs]
        most = list(itertools.accumulate(reversed(lengths), max))[::-1]
        memo[text] = ([start for start, _ in runs], lengths, most)
    return memo[text]


# kramdown's automatic links (observed, kramdown 2.4): `<`, then a link of these schemes only, in lower case, to the
# first `>` on its line, spaces and all; or an address of letters, digits, "-", "_" and "." on both sides of "@".
# `<tel:1>` and `<MAILTO:a@b.c>` are text, where CommonMark links any scheme.
# A link's end is looked up among the text's `>` and line ends, found once (_link_end): a scan from each `<` to the
# line's first `>` read a line of 16,000 `<http:` and no `>` again from each, past the 10 s a post may take.
_AUTOLINK_SCHEME = re.compile(r"<(?:mailto|https?|ftps?):")
_LINK_END = re.compile(r"[>\n]")
_AUTOLINK_ADDRESS = re.compile(r"<([\w.-]+@[\w.-]+)>")


def _autolink(state: StateInline, silent: bool) -> bool:
    """A link kramdown makes of `<…>`: its text the link as written, less "mailto:" (`<mailto:me@x.kr>` shows
    me@x.kr), and neither curled nor read for markup; an entity in it is the character it names."""
    source, position = state.src, state.pos
    if not source.startswith("<", position):
        return False
    if (scheme := _AUTOLINK_SCHEME.match(source, position)) is not None:
        if (end := _link_end(state.env, source, scheme.end())) is None:
            return False
        href = source[position + 1 : end - 1]
        shown = href.removeprefix("mailto:")
    elif (address := _AUTOLINK_ADDRESS.match(source, position)) is not None:
        end, shown = address.end(), address.group(1)
        href = f"mailto:{shown}"
    else:
        return False
    if not silent:
        opening = state.push("link_open", "a", 1)
        opening.attrs = {"href": state.md.normalizeLink(html.unescape(href))}
        opening.markup, opening.info = "autolink", "auto"
        state.push("text_special", "", 0).content = html.unescape(shown)
        closing = state.push("link_close", "a", -1)
        closing.markup, closing.info = "autolink", "auto"
    state.pos = end
    return True


def _link_end(env: MutableMapping[str, Any], text: str, after_scheme: int) -> int | None:
    """Where an automatic link whose scheme ends at `after_scheme` ends (past its `>`): the first `>` on the line,
    one character on at least; None when the line (or the text) ends first."""
    ends = _positions(env, text, _LINK_END)
    at = bisect.bisect_left(ends, after_scheme)
    if at == len(ends) or ends[at] == after_scheme or not text.startswith(">", ends[at]):
        return None
    return ends[at] + 1


def _raw_span_html(state: StateInline, silent: bool) -> bool:
    """An element in a paragraph whose content kramdown keeps raw (any but those it parses: `<code>`, `<kbd>`,
    `<samp>`, `<var>`, `<u>`, `<mark>`…), from its start tag to its end tag as written (observed: `<code>__init__
    </code>` keeps its underscores, where markdown-it made them <strong>)."""
    source, position = state.src, state.pos
    if not source.startswith("<", position):
        return False
    found = _START_TAG.match(source, position)
    if found is None or found.group(2):
        return False
    name = found.group(1).lower()
    # `markdown="0"` keeps any element's content raw, "span" and "block" have it parsed; "1" (or none) leaves it to
    # the element (observed: `<code markdown="1">**a**</code>` is raw, `<span markdown="0">` too).
    asked = _markdown_mode(found.group())
    keeps_raw = asked == "0" or (asked in (None, "1") and name not in PARSED_ELEMENTS)
    if not keeps_raw or name in VOID_ELEMENTS:
        return False
    # No end tag in the paragraph: raw to its end, which closes the element (observed).
    end = _raw_span_ends(state, _element_name(found.group(1))).get(position)
    if not silent:
        raw = source[position:end] if end is not None else f"{source[position : state.posMax]}</{found.group(1)}>"
        state.push("html_inline", "", 0).content = raw
    end = state.posMax if end is None else end
    state.pos = end
    return True


def _span_tag(state: StateInline, silent: bool) -> bool:
    """A tag in a paragraph as kramdown's span HTML parser reads it: a block element's tag is text (`클래스 <div
    class="teaser">과` shows the tag, where CommonMark passed it on and the rest of the post was inside a <div>), and
    so is an end tag that closes no element open in the paragraph (`\\<u> 밑줄</u>` shows `</u>`). Other tags are
    markdown-it's html_inline, an element kept open (on the paragraph's own list) until its end tag."""
    source, position = state.src, state.pos
    if not source.startswith("<", position):
        return False
    opened: list[str] = state.env.setdefault("kramdown_open_spans", {}).setdefault((source, state.posMax), [])
    if (closing := _END_TAG.match(source, position)) is not None:
        name = _element_name(_TAG_NAME.match(closing.group()).group(1))  # type: ignore[union-attr]
        if opened and opened[-1] == name:
            if not silent:
                opened.pop()
            return False  # markdown-it's html_inline writes it
        end = closing.end()
    elif (opening := _START_TAG.match(source, position)) is not None:
        name = _element_name(opening.group(1))
        if name not in BLOCK_ELEMENTS:
            if opening.group(2) and name not in VOID_ELEMENTS:
                # `<i class="fa fa-check"/>` is an empty element to kramdown, which writes it <i …></i>; an HTML
                # parser reads the "/" as nothing, and the rest of the paragraph was in italics.
                if not silent:
                    start_tag = _SELF_CLOSING.sub(">", opening.group())
                    state.push("html_inline", "", 0).content = f"{start_tag}</{opening.group(1)}>"
                state.pos = opening.end()
                return True
            if not silent and not opening.group(2) and name not in VOID_ELEMENTS:
                opened.append(name)
            return False
        end = opening.end()
    else:
        return False
    if not silent:
        # Text as it is: kramdown adds it to the text, past its smart quotes and typographic symbols.
        token = state.push("text_special", "", 0)
        token.content, token.info = source[position:end], "kramdown_tag_text"
    state.pos = end
    return True


_SELF_CLOSING = re.compile(r"\s*/>$")


def _close_open_spans(state: StateInline) -> None:
    """The elements of a paragraph still open at its end, closed there (kramdown auto-closes them, observed: `a
    <b>x` is <b>x</b>, where the HTML parser carried an open <b> on into the next paragraph)."""
    opened = state.env.get("kramdown_open_spans", {}).pop((state.src, state.posMax), None)
    for name in reversed(opened or ()):
        state.push("html_inline", "", 0).content = f"</{name}>"


def _element_name(name: str) -> str:
    """A tag's name as kramdown compares it: an HTML element's lower-cased, any other name as written."""
    return name.lower() if name.lower() in KNOWN_ELEMENTS else name


def _markdown_mode(tag: str) -> str | None:
    """The value of a start tag's `markdown` attribute, lower-cased; None without one."""
    found = _MARKDOWN_MODE.search(tag)
    return found.group(1).lower() if found is not None else None


def _raw_span_ends(state: StateInline, name: str) -> dict[int, int]:
    """Where each `<name>` start tag of the inline text has its end tag's end, by the start's position: made once a
    paragraph and name, so that many start tags with no end cost one pass (each looking for it alone: quadratic)."""
    memo: dict[tuple[str, str], dict[int, int]] = state.env.setdefault("kramdown_raw_spans", {})
    key = (name, state.src)
    if key not in memo:
        ends: dict[int, int] = {}
        opened: list[int] = []
        # Each tag read by the patterns the block rules read tags with (a quoted value may hold "<").
        # kramdown reads an HTML element's end tag in any case, and any other's only as its start tag names it.
        flags = re.IGNORECASE if name in KNOWN_ELEMENTS else 0
        for tag in re.finditer(rf"</?{re.escape(name)}(?=[\s/>])", state.src, flags):
            if tag.group().startswith("</"):
                if (closing := _END_TAG.match(state.src, tag.start())) is not None and opened:
                    ends[opened.pop()] = closing.end()
            elif (opening := _START_TAG.match(state.src, tag.start())) is not None and not opening.group(2):
                opened.append(tag.start())
        memo[key] = ends
    return memo[key]


def _indented_code(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An indented code block as kramdown reads it: a line indented four columns starts it, and it runs as far as
    _indented_run_end reads, its unindented lines each joined to the line before it (observed: `    code` then
    `text` is the block's line "code text", where CommonMark starts a paragraph at `text`)."""
    if state.sCount[start] - state.blkIndent < 4:
        return False
    if silent:
        return True
    last = _indented_run_end(state, start, end)
    lines: list[str] = []
    for line in range(start, last):
        if state.isEmpty(line):
            lines.append("")
        elif state.sCount[line] - state.blkIndent >= 4:
            lines.append(state.getLines(line, line + 1, state.blkIndent + 4, False).rstrip("\n"))
        else:  # a lazy line joins the line before it, after a space (observed: "code text")
            lines[-1] += " " + state.getLines(line, line + 1, state.blkIndent, False).strip()
    token = state.push("code_block", "code", 0)
    token.content = "\n".join(lines) + "\n"
    token.map = [start, last]
    state.line = last
    return True


def _indented_run_end(state: StateBlock, line: int, end: int) -> int:
    """Where the run of indented lines from `line` ends, as kramdown reads an indented code block's lines or a
    footnote's after its first (CODEBLOCK_MATCH): lines indented four columns, after blank lines or none, each
    group with the lines right after it that are not blank, however indented (lazy lines), up to one that ends
    lazy lines (LAZY_END: an attribute list, the end-of-block marker, an HTML block's tag). `line` when no
    indented line follows."""
    run_end = line
    while True:
        following = run_end
        while following < end and state.isEmpty(following):
            following += 1
        if following >= end or state.sCount[following] - state.blkIndent < 4:
            return run_end
        while following < end and not state.isEmpty(following) and state.sCount[following] - state.blkIndent >= 4:
            following += 1
        while following < end and not state.isEmpty(following) and not _ends_lazy_lines(state, following):
            following += 1
        run_end = following


def _ends_lazy_lines(state: StateBlock, line: int) -> bool:
    """Whether `line` is one that ends kramdown's lazy lines: an attribute list or an HTML tag (but a span
    element's or <script>'s, names compared as written) indented three columns at most, or `^` alone."""
    text = markup.block_line(state, line)
    if state.sCount[line] - state.blkIndent >= 4:
        return False
    if state.sCount[line] == state.blkIndent and text.rstrip() == "^":
        return True
    if _IAL_LINE.match(text):
        return True
    found = _TAG_NAME.match(text)
    if found is None or found.group(1) in SPAN_ELEMENTS or found.group(1) == "script":
        return False
    return not found.group().startswith("</") or _END_TAG.match(text) is not None


# A footnote definition's start (FOOTNOTE_DEFINITION_START): its name is a word character, then word characters and
# "-" (`[^1]`, `[^note-a]`; `[^a.b]: …` is text).
_FOOTNOTE_DEFINITION = re.compile(r"\[\^\w[\w-]*\]:")


def _footnote_definition(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A footnote definition as kramdown reads it: its first line and the run of indented lines after it
    (_indented_run_end); the next unindented line is the next block's (observed: `[^2]: Note two.` then
    `[docs]: https://…` on the next line, the link definition is one, where mdit-py-plugins' note took it as a
    lazy line of its text). Never a paragraph's line: kramdown ends no paragraph there."""
    if state.sCount[start] - state.blkIndent >= 4 or not _FOOTNOTE_DEFINITION.match(markup.block_line(state, start)):
        return False
    if silent:
        return True
    from mdit_py_plugins.footnote.index import footnote_def

    last = _indented_run_end(state, start + 1, end)
    old_limit = state.lineMax
    state.lineMax = last
    footnote_def(state, start, last, False)
    state.lineMax = old_limit
    return True


def _atx_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A `#` header as kramdown reads one: its "#" at the line's (or the block's) first column and some text after
    it; ` #### x` and `####` alone are paragraph text there (observed), where CommonMark makes them headings.

    One right after a list item's text, at the first column, is the item's (observed: `- pears` then `## Next` is
    <li>pears <h2>, and the lines after it to a blank line are the item's too): kramdown's list takes an item's lazy
    lines before it reads the item's blocks, and a header ends a paragraph there. feedpub showed "pears ## Next"."""
    text = markup.block_line(state, start)
    if not text.startswith("#") or not text.lstrip("#").strip(" \t#"):
        return False
    from markdown_it.rules_block.heading import heading

    if state.sCount[start] != state.blkIndent:
        if not silent or state.sCount[start] > state.blkIndent:
            return False
        lazy_count, state.sCount[start] = state.sCount[start], state.blkIndent
        header = heading(state, start, end, True)  # `#text` is no header to GFM: the paragraph's text
        state.sCount[start] = lazy_count
        return header and _into_the_item(state, start)
    return bool(heading(state, start, end, silent))


_KRAMDOWN_ATX_HEADING = re.compile(r"(#{1,6})[\t ]*+([^ \t].*)")


def _kramdown_atx_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A `#` header as kramdown's own parser reads one (ATX_HEADER_START): at the line's first column, after a block
    boundary, its text right after the "#"s or after white space (`#Header` is one; GFM wants the space), its
    closing "#"s and a `{#id}` taken off."""
    if state.sCount[start] != state.blkIndent or not _after_block_boundary(state, start):
        return False
    found = _KRAMDOWN_ATX_HEADING.fullmatch(markup.block_line(state, start))
    if found is None:
        return False
    text = found.group(2).rstrip()
    identifier = _HEADER_ID.search(text)
    if identifier is not None:
        text = text[: identifier.start()]
    text = re.sub(r"(?<!\\)#+$", "", text).rstrip()
    if not text:
        return False
    if silent:
        return True
    tag = f"h{len(found.group(1))}"
    opening = state.push("heading_open", tag, 1)
    opening.markup, opening.map = found.group(1), [start, start + 1]
    if identifier is not None:
        opening.attrSet("id", identifier.group(1))
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = text, [start, start + 1], []
    state.push("heading_close", tag, -1).markup = found.group(1)
    state.line = start + 1
    return True


_SETEXT_UNDERLINE = re.compile(r"(?:=+|-+)[ \t]*")


def _setext_heading(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A setext header as kramdown reads one: a single line of text, then its underline at the first column. Under
    two or more lines the underline is the paragraph's text (observed: `a\nb\n---` is <p>a b —</p>)."""
    underline = start + 1
    if underline >= end or state.sCount[underline] != state.blkIndent:
        return False
    if not _SETEXT_UNDERLINE.fullmatch(markup.block_line(state, underline)):
        return False
    from markdown_it.rules_block.lheading import lheading

    return bool(lheading(state, start, end, silent))


_PARENTHESIS_NUMBER = re.compile(r"[0-9]{1,9}\)")


def _list(state: StateBlock, start: int, end: int, silent: bool, gfm: bool) -> bool:
    """A list as kramdown reads one: `1.` numbers an item, `1)` does not (paragraph text, observed).

    kramdown's own parser ends no paragraph at a list's item, but its list rule reads the items' lines before their
    blocks: in an item, the next item of its list (a marker of the same kind, less indented than the item's text)
    ends it, and so does a list indented as the item's text (a nested list); any other marker is the paragraph's
    text, and so is one outside a list (`text` then `- b` is one paragraph)."""
    if _PARENTHESIS_NUMBER.match(state.src, state.bMarks[start] + state.tShift[start]):
        return False
    ordered = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]][:1].isdigit()
    # Each open list's kind (ordered or not; None: a definition list, _definitions) and the indent of the blocks it
    # is in, outermost first.
    lists: list[tuple[bool | None, int]] = state.env.setdefault("kramdown_open_lists", [])
    if not gfm and silent and state.parentType == "blockquote":
        return False  # a quote's lazy line
    if not gfm and silent and state.parentType == "paragraph":
        # A definition's text is a paragraph whatever markers follow (kramdown's own parser's rule, as before).
        lists = [entry for entry in lists if entry[0] is not None]
        nested = state.sCount[start] >= state.blkIndent
        if not lists or not (nested or _next_item_of_an_open_list(lists, ordered, state.sCount[start])):
            return False
    from markdown_it.rules_block.list import list_block

    if silent:
        found = bool(list_block(state, start, end, silent))
        # Right after a definition's text, at the first column: the definition's list (kramdown's), but in a list's
        # item, whose nested lists kramdown parts from the item's text (a definition's among it) first.
        if found and gfm and state.sCount[start] < state.blkIndent and all(kind is None for kind, _ in lists):
            _into_the_item(state, start)
        return found
    state.env["kramdown_open_lists"].append((ordered, state.blkIndent))  # its items' blocks are read in this call
    found = bool(list_block(state, start, end, silent))
    state.env["kramdown_open_lists"].pop()
    return found


def _next_item_of_an_open_list(lists: Sequence[tuple[bool | None, int]], ordered: bool, indent: int) -> bool:
    """Whether a marker indented `indent` columns, less than the innermost item's text, is the next item of an open
    list, as kramdown reads the lines of each list before its items' (a nested list's less indented line is its
    parent list's first): of the innermost list it is indented within, if of that list's kind; else a lazy line of
    the item's text (observed: `1. a` / `   - b` / `2. c` is two items, `- a` / `  1. b` / `  - c` one with b's
    text "b - c")."""
    for kind, outer_indent in reversed(lists):
        if kind is not None and indent >= outer_indent:  # a definition list's entry (None) has no items' markers
            return kind == ordered
    return False


def _ends_the_items_lines(state: StateBlock, line: int) -> bool:
    """Whether `line`, less indented than the text of the list item or definition it follows, ends that text's
    lines as kramdown's list reads them: the next item of an open list (_next_item_of_an_open_list), the next
    definition, or a line that ends lazy lines; any other line is the item's, a lazy line (observed: `- a | b` then
    `- c` is a table of one row in the first item, `- a | b` then `> q | r` a table of two rows)."""
    if state.sCount[line] >= state.blkIndent:
        return False
    text = markup.block_line(state, line)
    lists: list[tuple[bool | None, int]] = state.env.get("kramdown_open_lists", [])
    if _LIST_MARKER.match(text) and not _PARENTHESIS_NUMBER.match(text):
        ordered = text[:1].isdigit()
        return _next_item_of_an_open_list(lists, ordered, state.sCount[line])
    if _DEFINITION_MARKER.match(text) and any(kind is None for kind, _ in lists):
        return True
    return _ends_lazy_lines(state, line)


_DEFINITION_MARKER = re.compile(r":[ \t]")
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*+)")
_END_TAG = re.compile(r"</[A-Za-z][A-Za-z0-9-]*+\s*+>")


def _definitions(
    state: StateBlock, start: int, end: int, silent: bool, read: Callable[[StateBlock, int, int, bool], bool]
) -> bool:
    """A definition list, `read` by mdit-py-plugins, whose definitions take their lazy lines as a list's items do
    (kramdown reads a definition as an item: `: def` then a fence at the first column is a code block in it). An
    attribute list is never a term (its own block to kramdown: `{: .y}` then `:   def` is a paragraph `: def`)."""
    if _IAL_LINE.match(markup.block_line(state, start)):
        return False
    if silent:
        return read(state, start, end, silent)
    lists: list[tuple[bool | None, int]] = state.env.setdefault("kramdown_open_lists", [])
    lists.append((None, state.blkIndent))
    try:
        return read(state, start, end, silent)
    finally:
        lists.pop()


def _quote_attribute_list(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """The attribute list that ends a quote (_blockquote), alone on its line: a block of its own, as kramdown's
    IAL_BLOCK is, for the quote, so that the line after it starts a block (`> quote`, `{: .epigraph}`, `---` is a
    quote and a rule: the list and the rule were read as a setext header's text and underline). Pushed as a
    paragraph of that one line, which _block_attributes gives to the block before it and removes."""
    if silent or start not in state.env.get("kramdown_quote_attributes", ()):
        return False
    opening = state.push("paragraph_open", "p", 1)
    opening.map = [start, start + 1]
    inline = state.push("inline", "", 0)
    inline.content, inline.map, inline.children = markup.block_line(state, start).strip(), [start, start + 1], []
    state.push("paragraph_close", "p", -1)
    state.line = start + 1
    return True


def _attribute_list_after_an_item(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """Ends a list item's paragraph at an attribute list on a lazy line: kramdown's list ends there (its lazy lines
    end at one), and the list takes the attributes; the text after it is a paragraph after the list (`- item` then
    `{: .l}` then `para`: markdown-it kept `para` in the item). Never a block of its own."""
    return (
        silent
        and state.parentType == "paragraph"
        and state.sCount[start] < state.blkIndent
        and bool(state.env.get("kramdown_open_lists"))
        and _IAL_LINE.match(markup.block_line(state, start)) is not None
    )


def _blockquote(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A quote as kramdown reads one (its parse_blockquote): the line with its `>`, then every line up to one that
    ends lazy lines (a blank line, an attribute list, an HTML block's tag: _ends_lazy_lines), each without its `>`
    and the one space after it where it has them, as written where not; the quote's blocks are then read from those
    lines. CommonMark's quote ends at a line that is no paragraph's text: `> q` then `## H`, a list or a fence put
    them after the quote on the site's feeds, where Jekyll's page has them in it.

    In an indented block (a list item, a definition, a note) it is markdown-it's quote, as before: kramdown has read
    the item's lines first there (its indent taken off, its nested lists parted from the text before them), which
    this rule does not repeat."""
    if state.src[state.bMarks[start] + state.tShift[start]] != ">":  # a block's line is never empty
        return False
    if silent and state.sCount[start] < state.blkIndent:
        _into_the_item(state, start)  # a quote right after an item's text, at the first column: the item's
        return True
    if state.blkIndent:
        from markdown_it.rules_block.blockquote import blockquote

        return bool(blockquote(state, start, end, silent))
    if state.sCount[start] >= 4:
        return False
    if silent:
        return True
    last = start + 1
    while last < end and not state.isEmpty(last) and not _ends_lazy_lines(state, last):
        last += 1
    if last < end and _IAL_LINE.match(markup.block_line(state, last)):
        state.env.setdefault("kramdown_quote_attributes", set()).add(last)  # the quote's: _quote_attribute_list
    lines = range(start, last)
    saved = [(state.bMarks[n], state.tShift[n], state.sCount[n], state.bsCount[n]) for n in lines]
    for line in lines:
        _unquote_line(state, line)
    old_parent, old_indent, old_max = state.parentType, state.blkIndent, state.lineMax
    state.parentType, state.blkIndent, state.lineMax = "blockquote", 0, last
    opening = state.push("blockquote_open", "blockquote", 1)
    opening.markup, opening.map = ">", [start, last]
    state.md.block.tokenize(state, start, last)
    state.push("blockquote_close", "blockquote", -1).markup = ">"
    state.parentType, state.blkIndent, state.lineMax = old_parent, old_indent, old_max
    for line, (begin, shift, count, tab_base) in zip(lines, saved, strict=True):
        state.bMarks[line], state.tShift[line], state.sCount[line], state.bsCount[line] = begin, shift, count, tab_base
    state.line = last
    return True


def _unquote_line(state: StateBlock, line: int) -> None:
    """A line of a quote as the quote's blocks read it: past its `>` and one space (kramdown's BLOCKQUOTE_START), its
    indent counted from there; a lazy line (no `>`) as written."""
    begin = state.bMarks[line] + state.tShift[line]
    if state.sCount[line] >= 4 or state.src[begin] != ">":
        return
    column = state.sCount[line] + 1
    begin += 1
    if state.src[begin : begin + 1] == " ":
        begin, column = begin + 1, column + 1
    text, indent = begin, column
    while text < state.eMarks[line] and state.src[text] in " \t":
        indent += 4 - (indent + state.bsCount[line]) % 4 if state.src[text] == "\t" else 1
        text += 1
    state.bMarks[line], state.tShift[line] = begin, text - begin
    state.sCount[line], state.bsCount[line] = indent - column, column


def _html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """CommonMark's HTML blocks, but not one a span element's tag opens: kramdown reads a line that starts with
    `<br>`, `<img …>`, `<a …>` or `<span>` as a paragraph's, its Markdown rendered (observed); CommonMark's HTML
    block kept the rest of the paragraph raw, `**bold**` and links as written."""
    begin = state.bMarks[start] + state.tShift[start]
    found = _TAG_NAME.match(state.src, begin)
    if found is not None and found.group(1).lower() in SPAN_ELEMENTS:
        return False
    if (
        found is not None
        and (_END_TAG if found.group().startswith("</") else _START_TAG).match(state.src, begin) is None
    ):
        return False  # `<div` with no ">": text to kramdown (observed: <p>&lt;div</p>), a block to CommonMark
    if state.src.startswith("<!--", begin):
        # A comment ends no paragraph in kramdown (observed: `para\n<!-- c --> tail` is one), but one right after
        # an attribute list does: the list ended it, and the comment starts a block. Text after it on its line is
        # a paragraph's (`<!-- TODO --> text **b**`), where CommonMark's block kept the line raw.
        if silent:
            return _follows_an_attribute_list(state, start)
        close = state.src.find("-->", begin + 4)
        last = close if close >= 0 else len(state.src)
        line = start
        while line + 1 < end and state.bMarks[line + 1] < last:
            line += 1
        if close >= 0 and state.src[close + 3 : state.eMarks[line]].strip():
            return _html_then_text(state, start, end, line, begin, close + 3)
    from markdown_it.rules_block.html_block import html_block

    return bool(html_block(state, start, end, silent))


def _table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A kramdown table (table_block); in a paragraph, only right after attribute lists alone that kramdown holds
    for the next block (a paragraph of them ends there, observed: `{: #x}`, `| a | b |` is <table id="x">)."""
    if state.parentType == "paragraph" and not _held_attribute_lists(state, start):
        return False
    return table_block(
        state,
        start,
        end,
        silent,
        attribute_list=_IAL_LINE,
        ends_the_item=_ends_the_items_lines,
        at_a_boundary=_held_attribute_lists,
    )


def _held_attribute_lists(state: StateBlock, start: int) -> bool:
    """Whether attribute lists alone that kramdown holds for the next block it makes (its @block_ial: lists after a
    block boundary) are right before line `start`, but for comments: a block boundary to kramdown too
    (after_block_boundary?; observed: `{: #x}`, `<!-- c -->`, `| a | b |` is <table id="x">, and `p`, `{: #x}`,
    `| a | b |` two paragraphs, the list p's). Lines are read back over a run of lists only from the line after
    it: each run once (asked at each line of a run, it was quadratic)."""
    if _IAL_LINE.match(markup.block_line(state, start)):
        return False
    tokens = state.tokens
    position, line = len(tokens), start
    while position and _is_comment(comment := tokens[position - 1]) and comment.map and comment.map[1] == line:
        position, line = position - 1, comment.map[0]
    if position == len(tokens) and state.parentType == "paragraph":
        first, lists_end = state.line, start  # the lines of the paragraph being read
    elif position >= 3 and tokens[position - 1].type == "paragraph_close" and (lines := tokens[position - 3].map):
        (first, lists_end), position = lines, position - 3
    else:
        return False
    lists_from = lists_end
    while lists_from > first and _IAL_LINE.match(markup.block_line(state, lists_from - 1)):
        lists_from -= 1
    if lists_from != first or first == lists_end:
        return False
    before = tokens[position - 1] if position else None
    after_a_blank = first > 0 and state.isEmpty(first - 1)
    if lists_end < line:
        # Blank lines between the lists and the comments take the lists, unless they join blank lines before the
        # lists (as _block_after reads them).
        return after_a_blank and before is not None and before.nesting != 1
    return first == 0 or after_a_blank or (before is not None and before.nesting == 1)


def _is_comment(token: Token) -> bool:
    """Whether `token` is an HTML comment's block."""
    return token.type == "html_block" and token.content.lstrip().startswith("<!--")


def _follows_an_attribute_list(state: StateBlock, line: int) -> bool:
    """Whether the line before `line` in the block being read is an attribute list alone: kramdown's paragraph ends
    at one (LAZY_END's IAL_BLOCK_START), and the next line starts a block whatever it is (observed: `para`, `{: .n}`,
    `<!-- c -->` is the paragraph, then the comment; read as a paragraph, it was an empty <p> in the feed)."""
    return line > state.line and _IAL_LINE.match(markup.block_line(state, line - 1)) is not None


def _extension_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A block extension: its start tag alone on a line, to its stop tag alone on a later line (kramdown's
    EXT_BLOCK_START and EXT_BLOCK_STOP_STR). With no stop tag, or a name kramdown does not know, the line is a
    paragraph's text, as kramdown reads it (observed: an unclosed `{::comment}` hid the rest of the post)."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    at_extension = state.src.startswith("{::", state.bMarks[start] + state.tShift[start])
    if silent and not (at_extension and _follows_an_attribute_list(state, start)):
        return False  # in a paragraph, a span extension (kramdown's paragraph does not end at one)
    found = _BLOCK_EXTENSION.fullmatch(markup.block_line(state, start))
    if found is None or found.group(1) not in _EXTENSIONS:
        return False
    name, attributes, self_closing = found.groups()
    stop = start
    if not self_closing:
        is_stop = re.compile(rf"\{{:/(?:{name})?\}}\s*")
        found_stop = _next_line(
            state,
            start,
            end,
            f"extension {name}",
            lambda line: (
                state.sCount[line] - state.blkIndent < 4
                and is_stop.fullmatch(markup.block_line(state, line)) is not None
            ),
        )
        if found_stop is None:
            return False
        stop = found_stop
    if silent:
        return True
    body = None if self_closing else state.getLines(start + 1, stop, state.blkIndent, False).removesuffix("\n")
    token = state.push("html_block", "", 0)
    token.map = [start, stop + 1]
    written = _extension_html(name, attributes or "", body)
    token.content = written + "\n" if written else ""
    state.line = stop + 1
    return True


def _span_extension(state: StateInline, silent: bool) -> bool:
    """A span extension (kramdown's EXT_SPAN_START): its start tag, to the first stop tag after it in the
    paragraph. With no stop tag, or a name kramdown does not know, it is text, and so is a stop tag alone."""
    source, position = state.src, state.pos
    found = _SPAN_EXTENSION_NAME.match(source, position)
    if found is None or found.group(1) not in _EXTENSIONS:
        return False
    name = found.group(1)
    tag_end = _span_tag_end(state, found.end())
    if tag_end is None or tag_end > state.posMax:
        return False
    inside = source[found.end() : tag_end - 1]  # "", "/", or white space, attributes and perhaps a "/"
    self_closing, attributes = inside.endswith("/"), inside.removesuffix("/")
    body, end = None, tag_end
    if not self_closing:
        stop = re.compile(rf"\{{:/(?:{name})?\}}")
        stops = _positions(state.env, source, stop)
        at = bisect.bisect_left(stops, tag_end)
        stop_found = stop.match(source, stops[at]) if at < len(stops) else None
        if stop_found is None or stop_found.end() > state.posMax:
            return False
        body, end = source[tag_end : stop_found.start()], stop_found.end()
    if not silent:
        state.push("html_inline", "", 0).content = _extension_html(name, attributes, body)
    state.pos = end
    return True


def _span_tag_end(state: StateInline, after_name: int) -> int | None:
    """Where a span extension's start tag ends (past its "}"), its name ending at `after_name`; None when it has
    no end. After white space, attributes run to the first "}" no backslash escapes, or with none, to the last "}"
    (EXT_START_STR's lazy attributes, backtracking). The braces are looked up among all the text's, found once: a
    search from each of many unclosed tags read the rest of the paragraph again."""
    source = state.src
    if source.startswith("}", after_name):
        return after_name + 1
    if source.startswith("/}", after_name):
        return after_name + 2
    if not source[after_name : after_name + 1].isspace():
        return None
    unescaped = _positions(state.env, source, _UNESCAPED_BRACE)
    first = bisect.bisect_left(unescaped, after_name + 1)
    if first < len(unescaped):
        return unescaped[first] + 1
    braces = _positions(state.env, source, _BRACE)
    return braces[-1] + 1 if braces and braces[-1] > after_name else None


def _positions(env: MutableMapping[str, Any], text: str, pattern: re.Pattern[str]) -> list[int]:
    """Where `pattern` matches in `text`, found once a text and pattern (the start of each match, in order)."""
    memo: dict[tuple[str, str], list[int]] = env.setdefault("kramdown_positions", {})
    key = (pattern.pattern, text)
    if key not in memo:
        memo[key] = [found.start() for found in pattern.finditer(text)]
    return memo[key]


def _extension_html(name: str, attributes: str, body: str | None) -> str:
    """What kramdown writes for an extension: a comment's body in an HTML comment, a nomarkdown body as it is
    (unless its `type` names other formats than HTML), nothing for options (not applied) or an empty tag."""
    if body is None or name == "options":
        return ""
    if name == "comment":
        # Its text is the author's private note: "--" would end the comment early and show the rest.
        return f"<!-- {body.replace('--', '- -')} -->"
    types = _NOMARKDOWN_TYPE.search(attributes)
    return body if types is None or not types.group(2).split() or "html" in types.group(2).split() else ""


def _next_line(state: StateBlock, start: int, end: int, kind: str, is_it: Callable[[int], bool]) -> int | None:
    """The first line after `start` in the block's container of which `is_it` holds; None if none does before the
    container ends (_in_container). Remembered by `kind` and container, so that many openings nothing closes read
    the lines after them once, not once each."""
    memo: dict[tuple[object, ...], tuple[int, int, bool]] = state.env.setdefault("kramdown_next_lines", {})
    container = _container(state, end, kind)
    first = start + 1
    # The last search: from its first line to where it stopped, at the line found or at the container's end.
    searched_from, reached, found = memo.get(container, (end, end, False))
    if not searched_from <= first <= reached:
        reached, found = first, False
        while _in_container(state, reached, end):
            if is_it(reached):
                found = True
                break
            reached += 1
        memo[container] = (first, reached, found)
    return reached if found else None


def _container(state: StateBlock, end: int, kind: str) -> tuple[object, ...]:
    """A key for what a block rule remembers of the lines of the container it reads now: its text, end, indent and
    last line's start (a quote's lines start past their ">") tell it apart from the others."""
    return (kind, state.src, end, state.blkIndent, state.bMarks[end - 1] + state.tShift[end - 1])


def _in_container(state: StateBlock, line: int, end: int) -> bool:
    """Whether `line` is still the container's: before `end`, and blank or indented as far as its blocks."""
    return line < end and (state.isEmpty(line) or state.sCount[line] >= state.blkIndent)


# A fence's run (FENCED_CODEBLOCK_START), by whether the input is GFM: three or more of "~" and "`", mixed or not,
# past up to three spaces; three or more "~" at the first column.
_FENCE_RUNS = {True: re.compile(r"[~`]{3,}"), False: re.compile(r"~{3,}")}
_FENCE_INDENT = {True: 3, False: 0}


def _fence(state: StateBlock, start: int, end: int, silent: bool, gfm: bool) -> bool:
    """A fenced code block as kramdown's GFM parser reads one (FENCED_CODEBLOCK_MATCH): a run of three or more "~"
    or "`", then at most one word (the language, `ruby` or `ruby?x=1`), and a closing run further on alone on its
    line: the opening one, or a part of it whose rest is taken as the start of the word, followed by more of its
    last character (_fence_closing). With none, the line is a paragraph's text, and the rest of the post is read as
    usual (observed: CommonMark's fence ran to the post's end, and a ```` ```ruby title="app.rb" ```` fence or one
    of "~~~" closed by "```" made the rest of the post one code block). kramdown's own parser's fences are of "~"
    only, at the first column (its FENCED_CODEBLOCK_MATCH)."""
    if state.sCount[start] - state.blkIndent > _FENCE_INDENT[gfm]:
        return False
    text = markup.block_line(state, start)
    run = _FENCE_RUNS[gfm].match(text)
    if run is None:
        return False
    closing = _fence_closing(state, start, end, run.group(), text[run.end() :], gfm)
    if closing is None:
        # The run ends a paragraph (GFM's PARAGRAPH_END), but kramdown's paragraph rule then adds the line to it.
        return False
    if silent:
        if state.parentType == "paragraph" and _taken_into_the_item(state, start, closing[1]):
            # markdown-it reads the fence in the item when its line is not less indented than the item's blocks.
            state.sCount[start] = state.blkIndent
        return True
    opening, line = closing
    token = state.push("fence", "code", 0)
    token.info = (run.group()[len(opening) :] + text[run.end() :]).strip()
    token.markup = opening
    # The lines as written: kramdown keeps the indent of the fence's lines, where CommonMark takes the opening's.
    token.content = state.getLines(start + 1, line, state.blkIndent, True)
    token.map = [start, line + 1]
    state.line = line + 1
    return True


_LIST_MARKER = re.compile(r"(?:[*+-]|[0-9]{1,9}[.)])(?:[ \t]|$)")


def _lazy_place(state: StateBlock, line: int) -> tuple[bool | None, int] | None:
    """The innermost open list (its kind; None: a definition list) a lazy line is not less indented than, and the
    line's column from that list's indent, as kramdown's list reads it (a lazy line is kept as written in the item's
    text); None outside a list."""
    lists: list[tuple[bool | None, int]] = state.env.get("kramdown_open_lists", [])
    for kind, indent in reversed(lists):
        if state.sCount[line] >= indent:
            return kind, int(state.sCount[line] - indent)
    return None


def _into_the_item(state: StateBlock, start: int) -> bool:
    """Whether a block starting on a lazy line of a list item's paragraph, at its first column, is the item's (as
    kramdown's list takes an item's lazy lines before it reads its blocks: _taken_into_the_item); if so its lines
    and the lazy lines after it are read as the item's (_take_lazy_lines)."""
    place = _lazy_place(state, start)
    if state.parentType != "paragraph" or place is None or place[1] != 0:
        return False
    if not _taken_into_the_item(state, start, start):
        return False
    _take_lazy_lines(state, start)
    return True


def _take_lazy_lines(state: StateBlock, start: int) -> None:
    """Read the lazy lines of a list item from `start` (to a blank line, a list's marker, or a line that ends lazy
    lines) as lines of the item's blocks, at their column in kramdown's reading (_lazy_place), as kramdown's list
    takes them into the item before it reads the item's blocks."""
    line = start
    while line < state.lineMax and not state.isEmpty(line):
        if state.sCount[line] < state.blkIndent:
            place = _lazy_place(state, line)
            if place is None or (line > start and _ends_lazy_lines(state, line)):
                return
            kind, column = place
            if kind is not None and _LIST_MARKER.match(markup.block_line(state, line)):
                return  # the next item, or another list's (a definition takes a list's lines as its own)
            state.sCount[line] = state.blkIndent + column
        line += 1


def _taken_into_the_item(state: StateBlock, start: int, closer: int) -> bool:
    """Whether a fence at `start`, a lazy line of a list item's paragraph, closed at `closer`, is the item's as
    kramdown reads it: its list takes the lines after an item's (however indented, to a blank line, a marker, or a
    line that ends lazy lines: _ends_lazy_lines) before it reads the item's blocks, so that `1. Run this:` then
    ```` ``` ```` at the first column is a code block in the item (it was one after the list). Only where every
    line of the fence and of the paragraph before it is taken so; the others stay after the list."""
    if not state.env.get("kramdown_open_lists") or state.sCount[start] >= state.blkIndent:
        return False  # not in a list (_list keeps the open lists), or not lazy

    def taken(line: int) -> bool:
        # A marker, however indented, starts an item or a nested list's, which parts the fence's lines.
        if state.isEmpty(line) or _LIST_MARKER.match(markup.block_line(state, line)):
            return False
        return state.sCount[line] >= state.blkIndent or not _ends_lazy_lines(state, line)

    if not all(taken(line) for line in range(start + 1, closer + 1)):
        return False
    return _lazy_lines_before_taken(state, start)


def _lazy_lines_before_taken(state: StateBlock, start: int) -> bool:
    """Whether no lazy line of the run right before `start` ends lazy lines (_ends_lazy_lines). Each line's answer
    is kept for the build of this text: a paragraph asks it at every lazy line that could be a header or a fence,
    and walking back each time was quadratic (20,000 lines of `#x` in an item: 90 s)."""
    known: dict[tuple[int, int], bool] = state.env.setdefault("kramdown_lazy_runs", {})
    walked = []
    line, answer = start - 1, True
    while line >= 0 and not state.isEmpty(line) and state.sCount[line] < state.blkIndent:
        if (line, state.blkIndent) in known:
            answer = known[line, state.blkIndent]
            break
        if _ends_lazy_lines(state, line):
            answer = False
            break
        walked.append(line)
        line -= 1
    for line in walked:
        known[line, state.blkIndent] = answer
    return answer


def _fence_closing(state: StateBlock, start: int, end: int, run: str, after: str, gfm: bool) -> tuple[str, int] | None:
    """The opening run a fence at `start` is read with, and the line that closes it; None when nothing closes it.

    FENCED_CODEBLOCK_MATCH tries the whole run first, then ever shorter ones (backtracking `([~`]){3,}`), the rest of
    the run then starting the word (```` ```` ```` closed by ```` ``` ```` is a block of the language "`"); a closing
    run is the opening one and any number more of its last character. So the opening run is tried in parts, each a
    run less its last character's repeats at its end (its base) and that character: the closing runs of the same
    base and character are looked up (_FenceClosers), and the most repeats one of them has decides the length."""
    if len(after.split()) > 1:
        return None  # two words: no fence, whatever closes it
    # A shorter run leaves the rest of the run as the word's start: one word still, but for white space after it.
    shorter = not after.strip() or not after[0].isspace()
    closers = _fence_closers(state, start, end, gfm)
    length = len(run)
    while length >= 3:
        last = run[length - 1]
        base = length
        while base and run[base - 1] == last:
            base -= 1
        # The base is sliced only when a closing run has one that long (a long run of alternating "~" and "`"
        # would slice each of its prefixes).
        if (base, last) in closers.shapes:
            lines, counts, most = closers.runs.get((run[:base], last), ([], [], []))
            at = bisect.bisect_right(lines, start)
            repeats = min(length - base, most[at] if at < len(most) else 0)
            whole = length == len(run) and repeats == length - base
            if whole or (shorter and repeats and base + repeats >= 3):
                while counts[at] < repeats:  # the lines passed are the block's: each read once
                    at += 1
                return run[: base + repeats], lines[at]
        if not shorter:
            return None
        length = base
    return None


@dataclass(frozen=True)
class _FenceClosers:
    """The lines of a container that may close a fence (a run alone, indented three columns at most), by their run
    less its last character's repeats at its end, and that character: their numbers, their numbers of repeats, and
    the most repeats from each on."""

    runs: dict[tuple[str, str], tuple[list[int], list[int], list[int]]]
    shapes: set[tuple[int, str]]  # each key's base length and character
    read_from: int
    read_to: int  # the container's end, or the first line past it


def _fence_closers(state: StateBlock, start: int, end: int, gfm: bool) -> _FenceClosers:
    """The lines after `start` to the container's end that may close a fence, read once a container: a line less
    indented than the container's text too, as kramdown's lists, quotes and definitions take such (lazy) lines."""
    memo: dict[tuple[object, ...], _FenceClosers] = state.env.setdefault("kramdown_fence_closers", {})
    container = _container(state, end, "fences")
    known = memo.get(container)
    if known is not None and known.read_from <= start + 1 <= known.read_to:
        return known
    runs: dict[tuple[str, str], tuple[list[int], list[int], list[int]]] = {}
    line = start + 1
    while line < end:
        text = markup.block_line(state, line)
        run = _FENCE_RUNS[gfm].match(text)
        indent = state.sCount[line] - state.blkIndent
        if run is not None and indent <= _FENCE_INDENT[gfm] and not text[run.end() :].strip():
            last = run.group()[-1]
            base = run.group().rstrip(last)
            lines, counts, _ = runs.setdefault((base, last), ([], [], []))
            lines.append(line)
            counts.append(len(run.group()) - len(base))
        line += 1
    for _, counts, most in runs.values():
        most.extend(itertools.accumulate(reversed(counts), max))
        most.reverse()
    memo[container] = _FenceClosers(runs, {(len(base), last) for base, last in runs}, start + 1, line)
    return memo[container]


# Elements parsed as Markdown inside each other, at most: each is parsed by a call within its parent's, and each
# reads on to its end tag (600 nested `<div markdown="1">` ran out of Python's stack). Deeper ones are raw HTML.
_MAX_MARKDOWN_HTML_DEPTH = 32


def _markdown_html_block(state: StateBlock, start: int, end: int, silent: bool, parse_block_html: bool) -> bool:
    """An HTML element whose `markdown="1"` asks for its content to be parsed as Markdown (the attribute dropped);
    with `parse_block_html`, any element of kramdown's block content model (<div>, <section>…) but for
    `markdown="0"`."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    line_text = markup.block_line(state, start)
    found = _MARKDOWN_HTML.match(line_text)
    if found is None and parse_block_html:
        found = _BLOCK_HTML_OPEN.match(line_text)
        if found is None or found.group(1).lower() not in BLOCK_CONTENT_MODEL or _markdown_mode(line_text) == "0":
            return False
    if found is None or state.env.get("kramdown_markdown_depth", 0) >= _MAX_MARKDOWN_HTML_DEPTH:
        return False  # deeper: raw HTML
    name = found.group(1).lower()
    opening = re.compile(rf"<{name}\b", re.IGNORECASE)
    closing = re.compile(rf"</{name}\s*>", re.IGNORECASE)
    depth, line = 1, start + 1
    while line < end:
        text = markup.block_line(state, line)
        depth += len(opening.findall(text)) - len(closing.findall(text))
        if depth <= 0:
            break
        line += 1
    if silent:
        return True
    token = state.push("html_block", "", 0)
    token.map = [start, start + 1]
    token.content = f"<{found.group(1)}{found.group(2)}{found.group(3)}>\n"
    old_parent, old_limit = state.parentType, state.lineMax
    state.parentType = "markdown_html"
    state.lineMax = line
    state.env["kramdown_markdown_depth"] = state.env.get("kramdown_markdown_depth", 0) + 1
    state.md.block.tokenize(state, start + 1, line)
    state.env["kramdown_markdown_depth"] -= 1
    state.parentType, state.lineMax = old_parent, old_limit
    if line < end:
        token = state.push("html_block", "", 0)
        token.map = [line, line + 1]
        token.content = markup.block_line(state, line) + "\n"
    state.line = min(line + 1, end)
    return True


# Names and unquoted values take no "<": a try ends before the next tag or at the next quote, so each line's try
# reads its own tag (names that took "<" read every later `<div` line as an attribute, each try to the text's
# end); a quoted value may hold one (`<div x-show="n < 5">`, as kramdown reads it).
_START_TAG = re.compile(
    r"""<([A-Za-z][A-Za-z0-9-]*+)(?:\s+[^\s"'>/=<]+(?:\s*=\s*(?:"[^"]*+"|'[^']*+'|[^\s"'=<>`]+))?)*+\s*(/?)>"""
)


def _raw_html_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """An element that is not a span element, from its start tag to its end tag, blank lines and all, as
    kramdown reads it without parse_block_html (raw: no Markdown inside); CommonMark's HTML block stopped at the
    first blank line, and the rest of a Minimal Mistakes figure became a code block."""
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    begin = state.bMarks[start] + state.tShift[start]
    found = _block_start_tag(state.src, begin)
    if found is None:
        return False
    if silent:
        return True
    name = found.group(1).lower()
    stop = state.eMarks[end - 1]
    close = found.end()
    if not found.group(2) and name not in VOID_ELEMENTS:
        # The matching end tag, elements of the same name counted in between; none: kramdown closes it at the
        # end of the text, which is all raw HTML then.
        # Each tag read by the patterns that read a tag once (`[^>]*` read on to the next ">" from every `<div `
        # with none: 20,000 of them passed the post's 10 s budget).
        depth = 1
        close = stop
        tags = re.compile(rf"</?{re.escape(name)}(?=[\s/>])", re.IGNORECASE)
        for tag in tags.finditer(state.src, found.end(), stop):
            if tag.group().startswith("</"):
                if (closing := _END_TAG.match(state.src, tag.start(), stop)) is None:
                    continue
                depth -= 1
                if depth == 0:
                    close = closing.end()
                    break
            elif (opening := _START_TAG.match(state.src, tag.start(), stop)) is not None and not opening.group(2):
                depth += 1
    line = start
    while line + 1 < end and state.bMarks[line + 1] < close:
        line += 1
    return _html_then_text(state, start, end, line, begin, close)


def _html_then_text(state: StateBlock, start: int, end: int, line: int, begin: int, close: int) -> bool:
    """An HTML block from `begin` on line `start` to `close` on line `line`, and the text after it on that line,
    which kramdown reads as the next block's."""
    rest = close
    while rest < state.eMarks[line] and state.src[rest] in " \t":
        rest += 1
    token = state.push("html_block", "", 0)
    token.map = [start, line + 1]
    if rest >= state.eMarks[line] or _block_start_tag(state.src, rest) is not None:
        # Nothing after the end tag, or another element (minified HTML, `<p>a</p><p>b</p>`): raw HTML to the line's
        # end, as kramdown writes one element after the other.
        token.content = state.getLines(start, line + 1, state.blkIndent, True)
        state.line = line + 1
        return True
    # Text after the end tag on its line starts the next block, as in kramdown (`<div>x</div> tail *em*` is the
    # div, then a paragraph): the line is read again from there.
    first = state.getLines(start, line, state.blkIndent, True) if line > start else ""
    token.content = first + str(state.src[(begin if line == start else state.bMarks[line]) : close]) + "\n"
    state.bMarks[line], state.tShift[line], state.sCount[line], state.bsCount[line] = rest, 0, state.blkIndent, 0
    if line > start:
        state.line = line  # the block parser goes on from there
    else:
        # The same line: a block rule must move past it, so its text is a paragraph here (kramdown's reading of
        # nearly every such tail; after a comment it reads any block, `<!-- c --> - x` a list, which this does not),
        # through markdown-it's own rule. (Read as any block by a nested tokenize, consecutive such lines nested
        # as deep as they were many, and each read the rest of the text again.)
        from markdown_it.rules_block import paragraph

        paragraph(state, line, end, False)
    return True


def _block_start_tag(text: str, position: int) -> re.Match[str] | None:
    """The start tag at `position` when it opens an element that is not a span element (kramdown's HTML block)."""
    found = _START_TAG.match(text, position)
    return found if found is not None and found.group(1).lower() not in SPAN_ELEMENTS else None


def _apply(token: Token, attributes: str) -> None:
    """Set an attribute list's classes, id and key="value" pairs on an opening token."""
    for dot_or_hash, name, key, double, single, bare in _ATTRIBUTE.findall(attributes):
        if dot_or_hash == ".":
            token.attrJoin("class", name)
        elif dot_or_hash == "#":
            token.attrSet("id", name)
        elif key and key != "toc":
            token.attrSet(key, double or single or bare)
    if re.search(r"(?:^|\s)toc(?:\s|$)", attributes):
        token.meta = {**(token.meta or {}), "toc": True}


def _opener_before(tokens: Sequence[Token], index: int) -> Token | None:
    """The opening token of the block that ends just before `index` (a leaf block is its own opener)."""
    if index < 0:
        return None
    token = tokens[index]
    if token.nesting != -1:
        return token
    depth = 0
    for position in range(index, -1, -1):
        depth += tokens[position].nesting
        if depth == 0:
            return tokens[position]
    return None


def _list_around(lists: Sequence[Token], level: int) -> Token | None:
    """The list that holds a paragraph at `level`: the nearest list opened before it at a lower level; None when
    there is none. `lists`: the lists opened so far that may be it, each at a deeper level than the one before."""
    return next((token for token in reversed(lists) if token.level < level), None)


def _list_items(state: StateCore) -> None:
    """Lists as kramdown writes them (observed, Jekyll 4.3.1): an ordered list numbered from 1 whatever its first
    number, and each item's paragraphs decided by the item, not the list: its first paragraph is bare text unless
    a blank line parts it from what follows in the item or from the next item (`1. a` / `2. b` / blank / `para`
    wraps only b; the blank line ending a list wraps nothing), its other paragraphs are always <p>. CommonMark
    (markdown-it) decides for the whole list, and wrapped every item of a list with one loose item in <p>.
    The last item's is wrapped when every item before it is (`- a` / blank / `- b` / blank / text: both). `-`, `*`
    and `+` mark items of one list (CommonMark starts a list at each change of marker).
    A definition's first paragraph likewise, but by what comes before it: bare unless a blank line parts it from
    its term or the definition before (`Term` / blank / `: def` is <dd><p>def</p></dd>)."""
    joined: list[Token] = []  # in one pass: a post alternating markers must not take quadratic time
    for token in state.tokens:
        closed = joined[-1] if joined else None
        if (
            token.type == "bullet_list_open"
            and closed
            and (closed.type, closed.level) == ("bullet_list_close", token.level)
        ):
            joined.pop()
            continue
        joined.append(token)
    state.tokens[:] = joined
    tokens = state.tokens
    source_lines = state.src.split("\n")
    first_paragraphs: dict[int, int | None] = {}  # each list item's first paragraph's position, by the item's
    for index, token in enumerate(tokens):
        if token.type == "ordered_list_open" and token.attrs:
            token.attrs.pop("start", None)
        if token.type not in ("list_item_open", "dd_open"):
            continue
        closer = "list_item_close" if token.type == "list_item_open" else "dd_close"
        inside = token.level + 1
        first = True
        position = index + 1
        while not (tokens[position].type == closer and tokens[position].level == token.level):
            block = tokens[position]
            if block.level == inside and block.nesting >= 0:
                if first and token.type == "list_item_open":
                    first_paragraphs[index] = position if block.type == "paragraph_open" else None
                if block.type == "paragraph_open":
                    if not first:
                        parted = True
                    elif token.type == "list_item_open":
                        parted = _parted_from_what_follows(tokens, position, token.level)
                    else:
                        parted = _after_a_blank_line(source_lines, block)
                    block.hidden = tokens[position + 2].hidden = not parted
                first = False
            position += 1
    _last_items_as_the_others(tokens, first_paragraphs)


def _last_items_as_the_others(tokens: list[Token], first_paragraphs: dict[int, int | None]) -> None:
    """Wrap a list's last item's first paragraph when every other item's first block is a wrapped paragraph
    (`first_paragraphs`: each item's first paragraph's position, None when its first block is another)."""
    items_of: dict[int, list[int]] = {}  # a list's items, by the list's opening position
    lists: list[int] = []
    for index, token in enumerate(tokens):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(index)
            items_of[index] = []
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open" and lists:
            items_of[lists[-1]].append(index)
    for items in items_of.values():
        *others, last = (first_paragraphs.get(item) for item in items)
        if not others or last is None or not tokens[last].hidden:
            continue
        if all(other is not None and not tokens[other].hidden for other in others):
            tokens[last].hidden = tokens[last + 2].hidden = False


def _after_a_blank_line(source_lines: list[str], token: Token) -> bool:
    """Whether the line before the block `token` opens (a definition's paragraph, its ":" line) is blank, but for a
    blockquote's markers."""
    start = token.map[0] if token.map else 0
    return start > 0 and not source_lines[start - 1].strip(" \t>")


def _parted_from_what_follows(tokens: list[Token], paragraph: int, item_level: int) -> bool:
    """Whether a blank line follows the paragraph opened at `paragraph` before the next block of its list item, or
    before the next item of its list; False when neither follows it."""
    lines = tokens[paragraph].map
    end = lines[1] if lines else None
    position = paragraph + 3  # past the paragraph's inline and close
    while position < len(tokens):
        token = tokens[position]
        if token.level == item_level + 1 and token.nesting >= 0 and token.map:
            return end is not None and token.map[0] > end
        if token.type == "list_item_close" and token.level == item_level:
            following = tokens[position + 1] if position + 1 < len(tokens) else None
            if following is not None and following.type == "list_item_open" and following.map:
                return end is not None and following.map[0] > end
            return False
        position += 1
    return False


def _block_attributes(state: StateCore) -> None:
    """Block attribute lists, header ids in `{#id}`, and abbreviation definitions, read before inline parsing."""
    tokens = state.tokens
    abbreviations: dict[str, str] = state.env.setdefault("abbreviations", {})
    # The lists opened so far, less those a later list at their level or above makes never the nearest: walking
    # back from each `{:toc}` to its list was quadratic in a loose list of them.
    lists: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type in ("bullet_list_open", "ordered_list_open"):
            while lists and lists[-1].level >= token.level:
                lists.pop()
            lists.append(token)
        if token.type != "inline":
            index += 1
            continue
        opener = tokens[index - 1]
        if opener.type == "heading_open" and (found := _HEADER_ID.search(token.content)):
            opener.attrSet("id", found.group(1))
            token.content = token.content[: found.start()]
        if opener.type != "paragraph_open":
            index += 1
            continue
        lines = token.content.split("\n")
        defined = 0  # the paragraph's first lines that define abbreviations: blocks of their own to kramdown
        while defined < len(lines) and (found := _ABBREVIATION.match(lines[defined])):
            abbreviations[found.group(1).strip()] = found.group(2).strip()
            defined += 1
        if defined == len(lines):
            del tokens[index - 1 : index + 2]
            index -= 1
            continue
        if defined:
            # Text right after them is a paragraph of its own (observed: `*[HTML]: …` then `An HTML page.` is that
            # paragraph, with its <abbr>; the definition was shown as text).
            lines = lines[defined:]
            token.content = "\n".join(lines)
        first = 0
        # The block before: only a paragraph that opens with an attribute list asks (walking back for every one did
        # that work for none).
        before = _opener_before(tokens, index - 2) if _IAL_LINE.match(lines[0]) else None
        # A paragraph's first lines that are attribute lists belong to the block right before it, with no blank
        # line between (observed: `# Head`, `{: .h}`, `text` is <h1 class="h">, then the paragraph; the list was
        # shown as text); after a blank line, to the paragraph they open (kramdown's IAL before a block).
        adjacent = before is not None and (before.map is None or opener.map is None or before.map[1] == opener.map[0])
        leading: list[str] = []  # the attribute lists of the paragraph's first lines
        while first < len(lines) and (found := _IAL_LINE.match(lines[first])):
            leading.append(found.group(1))
            first += 1
        if first == len(lines):
            # A paragraph of attribute lists alone: the block's right before it, else the next block's
            # (_block_after), all of them in the order written (observed: `{: .a}`, `{: .b}`, ``, `next` is
            # <p class="a b">; the first was given to the paragraph dropped here).
            owner = before if adjacent else None
            if not adjacent and opener.map is not None:
                owner = _block_after(tokens, index + 2, opener.level, opener.map[1], before is not None)
            if owner is not None:
                for attributes in leading:
                    _apply(owner, attributes)
            del tokens[index - 1 : index + 2]
            index -= 1
            continue
        target = opener
        if before is not None and before.map is not None and opener.map is not None and adjacent:
            target = before
        for attributes in leading:
            _apply(target, attributes)
        lines = lines[first:]
        listed = [_IAL_LINE.match(line) if "{:" in line else None for line in lines]
        last_text = max((n for n, found in enumerate(listed) if found is None), default=0)
        if any(listed[1:last_text]):
            # An attribute list line inside a paragraph ends it, and gives it its attributes; the lines after it
            # are a paragraph of their own (observed: `![사진](/a.png)` then `{: .center-image}` then a caption
            # line are <p class="center-image"><img></p><p>caption</p>, where the list was shown as text). All
            # of a paragraph's are split at once (one at a time, each rest joined again: quadratic).
            segments: list[list[str]] = [[]]
            openers = [opener]
            new_tokens: list[Token] = []
            for number, line in enumerate(lines):
                found = listed[number]
                if found is None or number == 0 or number > last_text:
                    segments[-1].append(line)
                    continue
                # To the block before it: a list right after another applies to the same one.
                _apply(openers[-1] if segments[-1] else openers[-2], found.group(1))
                if segments[-1]:
                    segments.append([])
                    new_tokens += _paragraph_like(tokens[index - 1 : index + 2], "")
                    openers.append(new_tokens[-3])
            token.content = "\n".join(segments[0])
            for number, segment in enumerate(segments[1:]):
                new_tokens[3 * number + 1].content = "\n".join(segment)
            tokens[index + 2 : index + 2] = new_tokens
            index += 1
            continue
        end = len(lines)  # the lines kept: a list cut once, not copied at each attribute line (quadratic)
        while end > 1 and _IAL_LINE.match(lines[end - 1]):
            end -= 1
        for line in lines[end:]:  # in the order written: `{: .a}` then `{: .b}` is class="a b" (observed)
            found = _IAL_LINE.match(line)
            assert found is not None
            # `* TOC` then `{:toc}`: the line continues the item's paragraph, but kramdown marks the list.
            around = _list_around(lists, token.level) if "toc" in found.group(1) else None
            _apply(opener if around is None else around, found.group(1))
        token.content = "\n".join(lines[:end])
        index += 1


def _block_after(tokens: Sequence[Token], start: int, level: int, line: int, blank_before: bool) -> Token | None:
    """The opening token of the block an attribute list alone before it gives its attributes to: kramdown gives them
    to the next element it makes, which a comment is not, and a blank line is unless it joins the blank lines
    before the list (`blank_before`: the list is after a blank line, not the first line of its block; observed:
    `para`, ``, `{: .n}`, ``, `next` and `{: .n}`, `<!-- c -->`, `next` mark `next`; `{: .n}`, ``, `- item` and
    `{: .n}`, `<!-- c -->`, ``, `next` mark nothing). Tokens from `start` on, at `level`; `line`: the list's end."""
    commented = False
    for position in range(start, len(tokens)):  # islice(tokens, start) stepped over the tokens before: quadratic
        token = tokens[position]
        if token.level != level or token.nesting == -1 or token.map is None:
            return None
        if token.map[0] > line and (commented or not blank_before):
            return None  # the blank lines before it took the attributes
        if _is_comment(token):
            commented, line = True, token.map[1]
            continue
        if token.nesting == 1 or token.type in ("fence", "code_block", "hr") or _opens_an_element(token):
            return token
        return None
    return None


def _opens_an_element(token: Token) -> bool:
    """Whether `token` is an HTML block that starts with a block element's start tag (kramdown's HTML element)."""
    return token.type == "html_block" and _block_start_tag(token.content, _indent(token.content)) is not None


def _indent(text: str) -> int:
    """The length of the white space `text` starts with."""
    return len(text) - len(text.lstrip())


# An attribute in a start tag (_START_TAG's): its name, and its value double-quoted, single-quoted or bare.
_TAG_ATTRIBUTE = re.compile(r"""([^\s"'>/=<]+)(?:\s*=\s*(?:"([^"]*+)"|'([^']*+)'|([^\s"'=<>`]+)))?""")


def _with_attributes(element: str, attributes: dict[str, str | int | float]) -> str:
    """An HTML block with an attribute list's attributes in its first start tag, as kramdown gives them to an HTML
    element (observed: `{: .n}` then `<div class="m">x</div>` is <div class="m n">): its classes after the
    element's own, its other attributes in place of the element's of that name, new ones after the element's."""
    begin = _indent(element)
    tag = _block_start_tag(element, begin)
    if tag is None:
        return element
    given = {name: html.escape(str(value)) for name, value in attributes.items()}
    written = []
    for found in _TAG_ATTRIBUTE.finditer(element, tag.end(1), tag.start(2)):
        name = found.group(1)
        if name not in given:
            written.append(found.group())
            continue
        value = given.pop(name)
        if name == "class":
            own = next((part for part in found.group(2, 3, 4) if part is not None), "")
            value = (own.replace('"', "&quot;") + " " + value).lstrip()
        written.append(f'{name}="{value}"')
    written += [f'{name}="{value}"' for name, value in given.items()]
    opening = f"<{tag.group(1)} {' '.join(written)}{' /' if tag.group(2) else ''}>"
    return element[: tag.start()] + opening + element[tag.end() :]


def _paragraph_like(paragraph: Sequence[Token], content: str) -> list[Token]:
    """A new paragraph's three tokens, placed as `paragraph`'s (opening, inline, closing) are, holding `content`."""
    from markdown_it.token import Token

    opening, inline, closing = paragraph
    return [
        Token("paragraph_open", "p", 1, level=opening.level, block=True, hidden=opening.hidden, map=opening.map),
        Token("inline", "", 0, level=inline.level, block=True, content=content, children=[], map=inline.map),
        Token("paragraph_close", "p", -1, level=closing.level, block=True, hidden=closing.hidden),
    ]


# A link's or image's destination with a space in it and no title (`![사진](/img/사진 1.png)`): kramdown takes it
# whole, CommonMark only between "<" and ">".
# Read possessively, the space looked for after: a lazy pattern around the space took quadratic time on a long
# line with no ")" (40 KB: 3 s).
_SPACED_DESTINATION = re.compile(r"\]\(([^()<>\"'\s][^()<>\"'\n]*+)\)")


def _spaced_destinations(state: StateCore) -> None:
    """Destinations with spaces written as kramdown reads them, bracketed for markdown-it's link rules; never in
    a text with a code span, whose text a destination's look-alike may be."""
    for token in state.tokens:
        if token.type == "inline" and "](" in token.content and "`" not in token.content:
            token.content = _SPACED_DESTINATION.sub(_bracketed, token.content)


def _bracketed(found: re.Match[str]) -> str:
    destination = found.group(1)
    return f"](<{destination.strip()}>)" if " " in destination.strip() else found.group()


def _span_attribute_lists(state: StateCore) -> None:
    """`{: …}` right after an element in a paragraph gives it those attributes; after text, or at the start, it is
    text (observed: a table cell `| {: .notice} |` shows it, `text {: .x}` too)."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children = token.children
        for index, child in enumerate(children):
            if child.type != "text" or "{:" not in child.content:
                continue
            found = _IAL_SPAN.match(child.content)
            if found and index and (children[index - 1].nesting == -1 or children[index - 1].type in _SPAN_TARGETS):
                target = _opener_before(children, index - 1)
                if target is not None:
                    _apply(target, found.group(1))
                child.content = child.content[found.end() :]


_SPAN_TARGETS = ("code_inline", "image")


def _smart_quotes(state: StateCore, quotes: tuple[str, str, str, str]) -> None:
    """Each straight quote of the text as kramdown's smart quote parser curls it (titles.curled_quotes), with the
    source's characters around the text: an escaped quote (text_special) and code are left as they are."""
    curl = functools.partial(curled_quotes, quotes=quotes)
    markup.requote(state, lambda: curl, lookahead=3, spans_start_text=True)


def _span_rules(state: StateCore, options: KramdownOptions) -> None:
    """Abbreviations, strong emphasis outside emphasis, header ids and the table of contents, once inline parsing
    is done."""
    abbreviations: dict[str, str] = state.env.get("abbreviations", {})
    pattern = (
        re.compile(r"\b(" + "|".join(map(re.escape, sorted(abbreviations, key=len, reverse=True))) + r")\b")
        if abbreviations
        else None
    )
    used: dict[str, int] = {}
    headings: list[tuple[int, str, str]] = []
    for index, token in enumerate(state.tokens):
        if token.type == "inline" and token.children is not None:
            token.children = _abbreviated(token.children, pattern, abbreviations)
            _strong_outside(token.children)
        if token.type == "heading_open" and index + 1 < len(state.tokens):
            text = "".join(
                child.content for child in state.tokens[index + 1].children or () if child.type != "html_inline"
            )
            identifier = token.attrGet("id")
            if identifier is None and options.auto_ids:
                # kramdown's own parser makes it of the header's text as written, its GFM parser of the text.
                written = text if options.gfm else state.tokens[index + 1].content
                identifier = options.auto_id_prefix + (_header_id if options.gfm else _kramdown_header_id)(
                    written, used
                )
                token.attrSet("id", identifier)
            # `.no_toc` keeps a header out of the table of contents (kramdown's own class: Just the Docs' pages), and
            # so does a level `toc_levels` leaves out.
            level = int(token.tag[1])
            listed = level in options.toc_levels and "no_toc" not in str(token.attrGet("class") or "").split()
            if identifier is not None and listed:
                headings.append((level, str(identifier), text))
    _tables_of_contents(state, headings)


def _strong_outside(children: list[Token]) -> None:
    """`***x***` (or `___x___`) is <strong><em>x</em></strong> to kramdown (observed), <em><strong> to CommonMark:
    an emphasis that holds exactly a strong emphasis of its own marker is turned inside out."""
    # The delimiters leave empty text tokens between the tags: not between them as far as this is concerned.
    tags = [index for index, token in enumerate(children) if token.type != "text" or token.content]
    for place, index in enumerate(tags[:-1]):
        opener, inner = children[index], children[tags[place + 1]]
        if opener.type != "em_open" or inner.type != "strong_open" or inner.markup != opener.markup * 2:
            continue
        depth = 0
        for at in range(place + 1, len(tags) - 1):
            depth += {"strong_open": 1, "strong_close": -1}.get(children[tags[at]].type, 0)
            if depth == 0:
                closer = children[tags[at + 1]]
                if closer.type == "em_close" and closer.markup == opener.markup:
                    for outer_token, inner_token in ((opener, inner), (children[tags[at]], closer)):
                        for name in ("type", "tag", "markup"):
                            outer_value = getattr(outer_token, name)
                            setattr(outer_token, name, getattr(inner_token, name))
                            setattr(inner_token, name, outer_value)
                break


def _abbreviated(children: list[Token], pattern: re.Pattern[str] | None, titles: dict[str, str]) -> list[Token]:
    """The text tokens with each abbreviation `pattern` finds marked up as kramdown marks it (<abbr title>)."""
    from markdown_it.token import Token

    out: list[Token] = []
    for child in children:
        if child.type == "text" and pattern is not None and pattern.search(child.content):
            position = 0
            for found in pattern.finditer(child.content):
                before = Token("text", "", 0, content=child.content[position : found.start()])
                name = found.group(1)
                abbr = Token(
                    "html_inline",
                    "",
                    0,
                    content=f'<abbr title="{html.escape(titles[name])}">{html.escape(name)}</abbr>',
                )
                out += [before, abbr]
                position = found.end()
            out.append(Token("text", "", 0, content=child.content[position:]))
            continue
        out.append(child)
    return out


def _header_id(text: str, used: dict[str, int]) -> str:
    """kramdown GFM's id for a header's text, "-1", "-2"… added to repeats."""
    base = _NOT_ID.sub("", text.lower()).replace(" ", "-")
    count = used.get(base, 0)
    used[base] = count + 1
    return base if count == 0 else f"{base}-{count}"


# kramdown's own parser's header ids (Converter::Base#basic_generate_id): ASCII letters, digits, spaces and "-" from
# the first letter on, spaces as "-", lowercased; "section" when nothing is left.
_NOT_LETTERS = re.compile(r"^[^a-zA-Z]+")
_NOT_KRAMDOWN_ID = re.compile(r"[^a-zA-Z0-9 -]")


def _kramdown_header_id(text: str, used: dict[str, int]) -> str:
    """kramdown's own id for a header's text as written, "-1", "-2"… added to repeats."""
    base = _NOT_KRAMDOWN_ID.sub("", _NOT_LETTERS.sub("", text)).replace(" ", "-").lower() or "section"
    count = used.get(base, 0)
    used[base] = count + 1
    return base if count == 0 else f"{base}-{count}"


def _offset_headers(state: StateCore, offset: int) -> None:
    """Each header's level moved by `header_offset`, within 1 to 6 (once its id and the table of contents have
    the level as written)."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(max(int(token.tag[1]) + offset, 1), 6)}"


def _hard_wrapped(state: StateCore) -> None:
    """`hard_wrap`: each line break of a paragraph's text a <br />, as kramdown's GFM parser breaks its text
    elements; not inside a span element written in HTML (`<span>a⏎b</span>`), whose text kramdown leaves whole."""
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        inside_html = 0
        for token in block.children:
            if token.type == "html_inline":
                if _END_TAG.fullmatch(token.content):
                    inside_html = max(inside_html - 1, 0)
                elif (opening := _START_TAG.fullmatch(token.content)) is not None:
                    inside_html += not opening.group(2) and opening.group(1).lower() not in VOID_ELEMENTS
            elif token.type == "softbreak" and not inside_html:
                token.type, token.tag = "hardbreak", "br"


def _double_backslash_break(state: StateInline, silent: bool) -> bool:
    """Two backslashes at a line's end are kramdown's line break, where CommonMark reads an escaped backslash."""
    if not state.src.startswith("\\\\\n", state.pos):
        return False
    if not silent:
        state.push("hardbreak", "br", 0)
    state.pos += 3
    while state.pos < state.posMax and state.src[state.pos] in " \t":  # the next line's indent, as markdown-it's
        state.pos += 1
    return True


def _backslash_at_line_end(state: StateInline, silent: bool) -> bool:
    """A backslash at a line's end is text to kramdown's own parser, and with `hard_wrap` (which breaks the line
    anyway) to its GFM parser, where CommonMark makes it the line break."""
    if not state.src.startswith("\\\n", state.pos):
        return False
    if not silent:
        state.append_pending("\\")
    state.pos += 1
    return True


# kramdown's names of the typographic symbols (`typographic_symbols`), by the text each is made of (markup's
# typographic_symbols) or written as (its guillemets: the spaced ones with a no-break space).
_SYMBOL_NAMES = {made: SYMBOL_NAMES[made] for made in markup.TYPOGRAPHIC_SYMBOLS}
_GUILLEMET_NAMES = {"\u00ab": "laquo", "\u00bb": "raquo", "\u00ab\u00a0": "laquo_space", "\u00a0\u00bb": "raquo_space"}


def _typographic_symbols(state: StateCore, written: dict[str, str]) -> None:
    """Dashes, ellipses and guillemets (markup.typographic_symbols, markup.guillemets), each written as the site's
    `typographic_symbols` says, where it names it."""
    symbols = {made: written.get(name, markup.TYPOGRAPHIC_SYMBOLS[made]) for made, name in _SYMBOL_NAMES.items()}
    markup.typographic_symbols(state, symbols)
    if not written:
        return
    for block in state.tokens:
        for token in block.children or ():
            name = _GUILLEMET_NAMES.get(token.content) if token.info == markup.GUILLEMET else None
            if name in written:
                token.content = written[name]


def _tables_of_contents(state: StateCore, headings: list[tuple[int, str, str]]) -> None:
    """The list an attribute list marks `toc` becomes kramdown's table of contents (`ul#markdown-toc`)."""
    from markdown_it.token import Token

    tokens = state.tokens
    for index, token in enumerate(tokens):
        if not (token.meta or {}).get("toc") or token.type not in ("bullet_list_open", "ordered_list_open"):
            continue
        depth, end = 0, index
        for end in range(index, len(tokens)):
            depth += tokens[end].nesting
            if depth == 0:
                break
        tag = "ul" if token.type == "bullet_list_open" else "ol"
        items = _toc_items(_toc_tree(headings), tag)
        tokens[index : end + 1] = [Token("html_block", "", 0, content=f'<{tag} id="markdown-toc">\n{items}</{tag}>\n')]
        return  # kramdown makes one table of contents


_TocEntry = tuple[str, str, list["_TocEntry"]]  # a heading's id and text, and the entries nested under it


def _toc_tree(headings: list[tuple[int, str, str]]) -> list[_TocEntry]:
    """The headings nested as kramdown nests them: each under the nearest heading before it of a lower level."""
    roots: list[_TocEntry] = []
    stack: list[tuple[int, _TocEntry]] = []
    for level, identifier, text in headings:
        entry: _TocEntry = (identifier, text, [])
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1][2] if stack else roots).append(entry)
        stack.append((level, entry))
    return roots


def _toc_items(entries: list[_TocEntry], tag: str) -> str:
    """Each entry a list item linking its heading, its nested entries a list of the same kind inside it."""
    items = []
    for identifier, text, children in entries:
        link = (
            f'<a href="#{html.escape(identifier)}" id="markdown-toc-{html.escape(identifier)}">{html.escape(text)}</a>'
        )
        nested = f"\n<{tag}>\n{_toc_items(children, tag)}</{tag}>\n" if children else ""
        items.append(f"  <li>{link}{nested}</li>\n")
    return "".join(items)


def _after_tight_text(tokens: Sequence[Token], index: int) -> str:
    """A newline where the block at `index` follows a tight list item's text, else "".

    markdown-it writes that newline only before the tokens it renders itself (renderToken), not before those a rule
    renders; kramdown writes one before every block (`<li>Install:\n<div class=…`), and jekyll-feed's summary, the
    excerpt with its tags stripped, keeps it as a space: "Install: apt install foo", where feedpub's read
    "Install:apt install foo".
    """
    return "\n" if index and tokens[index - 1].hidden else ""


_LANGUAGE_CLASS = re.compile(r"\blanguage-(\S+)")


def _attributes_html(attributes: dict[str, str | int | float]) -> str:
    """Attributes written as markdown-it writes a token's, less those with no value (a class list emptied)."""
    from markdown_it.common.utils import escapeHtml

    return "".join(f' {name}="{escapeHtml(str(value))}"' for name, value in attributes.items() if value != "")


def _kramdown_renderers(md: MarkdownIt, options: KramdownOptions) -> None:
    """Footnotes and code as kramdown marks them up: readers follow `#fn:name` links, and styles use the classes."""

    def label(tokens: Sequence[Token], index: int, env: Any) -> str:
        meta = tokens[index].meta
        found = env.get("footnotes", {}).get("list", {}).get(meta["id"], {})
        return html.escape(str(found.get("label") or meta["id"] + 1))

    def reference(tokens: Sequence[Token], index: int, env: Any) -> str:
        """A citation's id: `fnref:a`, then `fnref:a:1`, `fnref:a:2` for the same note cited again."""
        repeat = tokens[index].meta.get("subId", 0)
        return f"fnref:{label(tokens, index, env)}" + (f":{repeat}" if repeat else "")

    def footnote_ref(self: Any, tokens: Sequence[Token], index: int, _options: Any, env: Any) -> str:
        name = label(tokens, index, env)
        number = tokens[index].meta["id"] + options.footnote_nr
        return (
            f'<sup id="{reference(tokens, index, env)}" role="doc-noteref"><a href="#fn:{name}" class="footnote" '
            f'rel="footnote">{number}</a></sup>'
        )

    def footnote_open(self: Any, tokens: Sequence[Token], index: int, _options: Any, env: Any) -> str:
        return f'    <li id="fn:{label(tokens, index, env)}" role="doc-endnote">\n'

    def footnote_anchor(self: Any, tokens: Sequence[Token], index: int, _options: Any, env: Any) -> str:
        # One back link a citation; the second and later numbered, as kramdown numbers them.
        repeat = tokens[index].meta.get("subId", 0)
        number = f"<sup>{repeat + 1}</sup>" if repeat else ""
        return (
            f' <a href="#{reference(tokens, index, env)}" class="reversefootnote" role="doc-backlink">'
            f"{options.footnote_backlink}{number}</a>"
        )

    def fence(self: Any, tokens: Sequence[Token], index: int, _options: Any, env: Any) -> str:
        return _after_tight_text(tokens, index) + highlighted(tokens[index])

    def highlighted(token: Token) -> str:
        named = token.info.split()[0] if token.info.strip() else None  # `ruby`, or with Rouge's options `ruby?x=1`
        # An attribute list's classes: `.language-ruby` names the language of a block that names none (a fence's
        # word wins), and the others stay on the block (kramdown's extract_code_language!).
        attributes = dict(token.attrs)
        worded = named is not None
        if worded:
            attributes = {"class": "", **attributes}  # first: kramdown's parser set the fence's language class
        classes = str(attributes.get("class", ""))
        if written := _LANGUAGE_CLASS.search(classes):
            named = named or written.group(1)
            classes = (classes[: written.start()] + classes[written.end() :]).strip()
        language = named.partition("?")[0] if named else "plaintext"
        code = html.escape(token.content, quote=False)
        if named is not None and language not in ROUGE_LANGUAGES and language != "guess":
            # A language Rouge does not know (`mermaid`): kramdown writes the block plainly, no numbers (observed).
            code = code.removesuffix("\n")
            listed = _attributes_html({**attributes, "class": classes})
            return f'<pre{listed}><code class="language-{html.escape(language)}">{code}\n</code></pre>\n'
        if (first := options.block_line_numbers) is not None:
            # Rouge's table, as kramdown writes it when its options number block lines (observed).
            numbers = "".join(f"{n}\n" for n in range(first, first + max(token.content.count("\n"), 1)))
            code = (
                f'<table class="rouge-table"><tbody><tr><td class="rouge-gutter gl"><pre class="lineno">{numbers}'
                f'</pre></td><td class="rouge-code"><pre>{code}</pre></td></tr></tbody></table>'
            )
        # The highlighter's classes around the list's (observed: `{: .n}` is "language-plaintext n
        # highlighter-rouge"); a class neither the list nor a fence's word gave comes after the other attributes.
        if not classes and not worded:
            attributes.pop("class", None)
        attributes["class"] = " ".join(filter(None, (f"language-{language}", classes, "highlighter-rouge")))
        return (
            f'<div{_attributes_html(attributes)}><div class="highlight">'
            f'<pre class="highlight"><code>{code}</code></pre></div></div>\n'
        )

    def code_inline(self: Any, tokens: Sequence[Token], index: int, _options: Any, env: Any) -> str:
        content = html.escape(tokens[index].content, quote=False)
        attributes = self.renderAttrs(tokens[index])  # a span attribute list's (`code`{: title="…"})
        return f'<code class="language-plaintext highlighter-rouge"{attributes}>{content}</code>'

    rules = md.add_render_rule
    rules("footnote_ref", footnote_ref)
    start = f' start="{options.footnote_nr}"' if options.footnote_nr != 1 else ""
    rules("footnote_block_open", lambda *_: f'<div class="footnotes" role="doc-endnotes">\n  <ol{start}>\n')
    rules("footnote_block_close", lambda *_: "  </ol>\n</div>\n")
    rules("footnote_open", footnote_open)
    rules("footnote_close", lambda *_: "    </li>\n")
    rules("footnote_anchor", footnote_anchor)
    rules("fence", fence)
    rules("code_block", fence)  # an indented block: kramdown writes it as a fence without a language
    rules("code_inline", code_inline)

    def html_block(self: Any, tokens: Sequence[Token], index: int, _options: Any, env: Any) -> str:
        element = tokens[index].content
        attributes = tokens[index].attrs
        return _after_tight_text(tokens, index) + (_with_attributes(element, attributes) if attributes else element)

    rules("html_block", html_block)
    # MathJax's delimiters around the TeX, as kramdown's math engine writes them (its escape_html: & < > only).
    rules("kramdown_math", lambda self, tokens, index, *_: rf"\({html.escape(tokens[index].content, quote=False)}\)")

    def math_block(self: Any, tokens: Sequence[Token], index: int, _options: Any, env: Any) -> str:
        math = rf"\[{html.escape(tokens[index].content, quote=False)}\]" + "\n"
        # An attribute list puts it in a <div> (kramdown's format_as_block_html).
        return f"<div{self.renderAttrs(tokens[index])}>{math}</div>\n" if tokens[index].attrs else math

    rules("kramdown_math_block", math_block)
    rules("s_open", lambda *_: "<del>")  # kramdown's GFM strikethrough
    rules("s_close", lambda *_: "</del>")
