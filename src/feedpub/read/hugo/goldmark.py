"""Markdown as Hugo 0.111.3 renders it with Goldmark, through markdown-it-py and mdit-py-plugins.

markdown-it-py is CommonMark, as Goldmark is, and mdit-py-plugins carries the GFM extensions Hugo enables
(tables, strikethrough, task lists, autolinks), footnotes and definition lists, so only Goldmark's own choices
are written here. Observed on the shortcodes-markup fixture (docs: /work/notes/hugo-behaviour.md):
- raw HTML is replaced by `<!-- raw HTML omitted -->` unless `markup.goldmark.renderer.unsafe = true`;
- the typographer writes curly quotes, `--` as an en dash, `---` as an em dash, `...` as an ellipsis and `<<`
  `>>` as guillemets, and nothing else (markdown-it's `(c)`, `+-` replacements are not Goldmark's);
- strikethrough is `<del>`; footnotes are `<sup id="fnref:1">` and a `<div class="footnotes">` list;
- a heading ends with optional attributes `{#id .class}`; other headings get GitHub-style ids.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from feedpub.read import markup
from feedpub.read.hugo.booleans import decoded_flag

if TYPE_CHECKING:
    from collections.abc import Callable

    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_core import StateCore
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

    BlockRule = Callable[[StateBlock, int, int, bool], bool]

RAW_HTML_OMITTED = "<!-- raw HTML omitted -->"

# Goldmark's typographer substitutions besides quotes, longest first.
# (`<<` and `>>` are read before raw HTML can take them: markup.guillemets.)
# A heading's trailing attribute list: `## Title {#id .class key=value}`.
# Possessive, as Goldmark's own parser reads each name and value once: backtracking into them split `a=ba=ba=b…`
# in exponentially many ways when no "}" closed the list (90 characters: over 100 s).
# No white space matched before the "{" (it is stripped after): a pattern starting so slid over a long run of it
# in quadratic time (40 KB: 1.2 s).
_HEADING_ATTRIBUTES = re.compile(
    r"\{((?:\s*(?:#[\w-]++|\.[\w-]++|[\w-]++=(?:\"[^\"]*+\"|'[^']*+'|[^\s}]++)))+)\s*\}\s*$"
)
_ATTRIBUTE = re.compile(r"#([\w-]+)|\.([\w-]+)|([\w-]+)=(?:\"([^\"]*)\"|'([^']*)'|([^\s}]+))")


@dataclass(frozen=True)
class GoldmarkOptions:
    """The `[markup.goldmark]` settings that change what a page says (Hugo 0.111.3's defaults)."""

    unsafe: bool = False
    typographer: bool = True
    linkify: bool = True
    table: bool = True
    strikethrough: bool = True
    task_list: bool = True
    footnote: bool = True
    definition_list: bool = True
    heading_attributes: bool = True  # parser.attribute.title
    auto_heading_id: bool = True
    linkify_protocol: str = "https"  # what a `www.` link is given (extensions.linkifyProtocol)
    wrap_standalone_images: bool = True  # parser.wrapStandAloneImageWithinParagraph
    hard_wraps: bool = False  # renderer.hardWraps: each line break in a paragraph is a <br>

    @classmethod
    def from_config(cls, goldmark: Mapping[str, Any]) -> GoldmarkOptions:
        """The options of a lower-cased `[markup.goldmark]` table."""

        def table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
            value = data.get(key)
            return value if isinstance(value, Mapping) else {}

        extensions = table(goldmark, "extensions")
        parser = table(goldmark, "parser")

        def flag(data: Mapping[str, Any], key: str, default: bool) -> bool:
            return decoded_flag(data.get(key), default)

        return cls(
            unsafe=flag(table(goldmark, "renderer"), "unsafe", False),
            typographer=flag(extensions, "typographer", True),
            linkify=flag(extensions, "linkify", True),
            table=flag(extensions, "table", True),
            strikethrough=flag(extensions, "strikethrough", True),
            task_list=flag(extensions, "tasklist", True),
            footnote=flag(extensions, "footnote", True),
            definition_list=flag(extensions, "definitionlist", True),
            heading_attributes=flag(table(parser, "attribute"), "title", True),
            auto_heading_id=flag(parser, "autoheadingid", True),
            linkify_protocol="http" if extensions.get("linkifyprotocol") == "http" else "https",
            wrap_standalone_images=flag(parser, "wrapstandaloneimagewithinparagraph", True),
            hard_wraps=flag(table(goldmark, "renderer"), "hardwraps", False),
        )


def render(text: str, options: GoldmarkOptions) -> str:
    """`text` (Markdown, shortcodes already resolved) as Goldmark renders it with `options`."""
    return str(_parser(options).render(text))


def block_renders(text: str, options: GoldmarkOptions) -> Iterator[str]:
    """The HTML of each top-level block of `text` (Markdown) in turn, for its text: as the whole render writes it
    but for heading ids, rendered only as far as it is asked for.

    The whole text is parsed into blocks first, so every link reference and footnote it defines is known, as it is
    to the whole render; the inline rules and the renderer then run a block at a time (a footnote's number is its
    place among the references met so far, the whole render's too). What only the whole page has is not made:
    the footnotes' section at its end, and heading ids, unique over the page (attributes, not text). Footnote
    definitions go to that section: they give nothing here.
    """
    from markdown_it.rules_core import StateCore

    md = _parser(options)
    whole_text, per_block = _core_steps(options)
    env: dict[str, Any] = {}
    state = StateCore(text, md, env)
    for step in whole_text:
        step(state)
    tokens = state.tokens
    start = 0
    while start < len(tokens):
        end = start + 1
        if tokens[start].nesting == 1:  # up to its close, the next token back at its level
            level = tokens[start].level
            while tokens[end].level != level:
                end += 1
            end += 1
        block = StateCore(text, md, env, tokens[start:end])
        for step in per_block:
            step(block)  # the inline rules number a definition's footnotes where the whole render does
        if block.tokens[0].type != "footnote_reference_open":
            yield md.renderer.render(block.tokens, md.options, env)
        start = end


# Core rules whose work spans the page: the footnotes' section, heading ids unique over the page.
_WHOLE_PAGE_RULES = frozenset(("footnote_tail", "anchor"))


@functools.cache
def _core_steps(
    options: GoldmarkOptions,
) -> tuple[list[Callable[[StateCore], None]], list[Callable[[StateCore], None]]]:
    """The parser's enabled core rules up to its block parse (run on the whole text), and those after it that
    block_renders runs on each block (not the page-wide ones)."""
    rules = [rule for rule in _parser(options).core.ruler.__rules__ if rule.enabled]
    parsed = [rule.name for rule in rules].index("block") + 1
    return [r.fn for r in rules[:parsed]], [r.fn for r in rules[parsed:] if r.name not in _WHOLE_PAGE_RULES]


def inline_tokens(text: str, options: GoldmarkOptions) -> list[Token]:
    """The tokens the inline rules make of a paragraph's stripped lines, typography and autolinks included."""
    return markup.inline_tokens(text, _parser(options))


@functools.cache
def _parser(options: GoldmarkOptions) -> MarkdownIt:
    from markdown_it import MarkdownIt  # ~20 ms to import: only sites with Markdown to render pay it

    md = MarkdownIt("commonmark", {"html": True, "typographer": options.typographer, "breaks": options.hard_wraps})
    md.disable("replacements")  # markdown-it's (c), (tm), +-: not Goldmark's; its own substitutions below
    if options.typographer:
        # Goldmark's quotes are its own (_quotes), not markdown-it's pairs.
        md.core.ruler.before("text_join", "goldmark_quotes", _quotes)
        md.core.ruler.before("text_join", "goldmark_typographer", markup.typographic_symbols)
        md.inline.ruler.before("autolink", "goldmark_guillemets", markup.guillemets(spaced=False))
    if options.table:
        md.enable("table")
    if options.strikethrough:
        md.enable("strikethrough")
        md.add_render_rule("s_open", lambda *_: "<del>")
        md.add_render_rule("s_close", lambda *_: "</del>")
    if options.linkify:
        from mdit_py_plugins.gfm_autolink import gfm_autolink_plugin

        md.use(gfm_autolink_plugin)  # Goldmark's linkify is GFM's autolink extension
        for name, trigger in _AUTOLINK_RULES.items():
            plugins = next(r.fn for r in md.inline.ruler.__rules__ if r.name == name)
            md.inline.ruler.at(name, functools.partial(_bounded_autolink, rule=plugins, trigger=trigger))
        if options.linkify_protocol != "http":
            md.core.ruler.after("inline", "goldmark_linkify_protocol", _www_links_over_https)
    if not options.wrap_standalone_images:
        md.core.ruler.after("inline", "goldmark_standalone_images", _standalone_images_unwrapped)
    if options.task_list:
        markup.use_task_lists(md)
        md.core.ruler.after("github-tasklists", "goldmark_tasks", _task_checkboxes)
        md.add_render_rule("task_checkbox", _task_checkbox)
    if options.definition_list:
        from mdit_py_plugins.deflist import deflist_plugin

        md.use(deflist_plugin)
        pandocs = next(rule.fn for rule in md.block.ruler.__rules__ if rule.name == "deflist")
        md.block.ruler.at(
            "deflist", functools.partial(_definition_list, pandocs=pandocs), {"alt": ["paragraph", "reference"]}
        )
        md.core.ruler.after("block", "goldmark_definitions", _definitions_tight_or_not)
    if options.footnote:
        from mdit_py_plugins.footnote import footnote_plugin

        md.use(footnote_plugin)
        for name, rule in _FOOTNOTE_RULES.items():
            md.add_render_rule(name, rule)
    if options.heading_attributes:
        md.core.ruler.after("inline", "heading_attributes", _heading_attributes)
    if options.auto_heading_id:
        from mdit_py_plugins.anchors import anchors_plugin

        md.use(anchors_plugin, max_level=6)  # keeps ids given as attributes
    if not options.unsafe:
        md.add_render_rule("html_block", lambda *_: RAW_HTML_OMITTED + "\n")
        md.add_render_rule("html_inline", lambda *_: RAW_HTML_OMITTED)
    return md


# The plugin's autolink rules, and how far past its trigger ("www.", ":", "@") a link may run: each rule copies the
# rest of the paragraph at every trigger, and the protocol rule searches all the text before it for a scheme, so a
# pasted log's 16,000 colons on one line took 10 s (quadratic; Hugo takes 0.05 s). Longer links are cut there.
_AUTOLINK_RULES = {"gfm_autolink_www": "w", "gfm_autolink_protocol": ":", "gfm_autolink_email": "@"}
_LONGEST_AUTOLINK = 4096
# The schemes Goldmark links after (the plugin's mailto: and xmpp: too, which Goldmark leaves as text; observed).
_SCHEMES = ("http", "https")
_SCHEME_TAIL = 8  # the text kept pending before a ":" for the rule's back-scan: a scheme and the character before it


def _bounded_autolink(
    state: StateInline, silent: bool, rule: Callable[[StateInline, bool], bool], trigger: str
) -> bool:
    """The plugin's `rule` (which acts at `trigger` only) on a window of the text from its position: what it would
    give there, in time that does not grow with the paragraph."""
    if silent or state.src[state.pos] != trigger:
        return False  # the plugin's rules make autolinks only when they emit tokens, and at their character
    if trigger == ":":
        if not state.pending.endswith(_SCHEMES):
            return False  # no scheme before this colon: the rule would search the pending text for one, and fail
        if len(state.pending) > _SCHEME_TAIL:
            # The text before the scheme goes out as a text token of its own (adjacent texts are joined again).
            pending = state.pending
            state.pending = pending[:-_SCHEME_TAIL]
            state.pushPending()
            state.pending = pending[-_SCHEME_TAIL:]
    end = state.posMax
    state.posMax = min(end, state.pos + _LONGEST_AUTOLINK)
    try:
        return rule(state, silent)
    finally:
        state.posMax = end


def _www_links_over_https(state: StateCore) -> None:
    """A `www.` link goes to https:// (Hugo's linkifyProtocol, "https" by default; GFM's autolinks take http://)."""
    for block in state.tokens:
        children = block.children or [] if block.type == "inline" else []
        for token, text in itertools.pairwise(children):  # an autolink's text follows its opening
            href = token.attrGet("href")
            if (
                token.type == "link_open"
                and token.info == "auto"
                and text.content.startswith("www.")
                and isinstance(href, str)
                and href.startswith("http://")
            ):
                token.attrSet("href", "https://" + href.removeprefix("http://"))


def _standalone_images_unwrapped(state: StateCore) -> None:
    """An image alone in its paragraph without the <p> (wrapStandAloneImageWithinParagraph = false)."""
    tokens = state.tokens
    for index in range(len(tokens) - 2):
        opening, children = tokens[index], tokens[index + 1].children or []
        if opening.type == "paragraph_open" and len(children) == 1 and children[0].type == "image":
            opening.hidden = tokens[index + 2].hidden = True


# What starts another block after a blank line: a list item, a heading, a quote or a fence (a paragraph's text
# before a ":" line is a term to either parser).
_OTHER_BLOCK = re.compile(r"(?:[-*+]|[0-9]{1,9}[.)])(?:[ \t]|$)|#{1,6}(?:[ \t]|$)|>|```|~~~")


def _definition_list(state: StateBlock, start: int, end: int, silent: bool, pandocs: BlockRule) -> bool:
    """A definition list as Goldmark reads one, where the plugin reads pandoc's: the ":" at its block's own indent
    and never "~" (observed: ` : def`, and `    : def` under a list item's `- term`, are text to Hugo), and the
    list ends where a list item, a heading, a quote or a fence starts after a blank line (Goldmark's block; the
    plugin took `- item` for another term)."""
    if silent:
        return bool(pandocs(state, start, end, silent))
    marker = start + 1
    if marker < end and state.isEmpty(marker):
        marker += 1
    if marker >= end or state.sCount[marker] != state.blkIndent:
        return False
    if not state.src.startswith(":", state.bMarks[marker] + state.tShift[marker]):
        return False
    bound = marker + 1
    while bound < end and not (
        state.isEmpty(bound - 1)
        and not state.isEmpty(bound)
        and state.sCount[bound] == state.blkIndent
        and _OTHER_BLOCK.match(markup.block_line(state, bound))
    ):
        bound += 1
    return bool(pandocs(state, start, bound, silent))


def _definitions_tight_or_not(state: StateCore) -> None:
    """A definition's paragraphs in <p> or not as Goldmark decides, each by the line before it: wrapped after a
    blank line (observed: `Term\n\n: def` is <dd><p>def</p></dd>, `Term\n: a\n\n    b` <dd>a <p>b</p></dd>),
    where the plugin decided for the whole list."""
    lines = state.src.split("\n")
    levels: list[int] = []  # of the definitions the tokens are in
    wrapped = False
    for token in state.tokens:
        if token.type == "dd_open":
            levels.append(token.level)
        elif token.type == "dd_close":
            levels.pop()
        elif levels and token.level == levels[-1] + 1 and token.type in ("paragraph_open", "paragraph_close"):
            if token.type == "paragraph_open" and token.map:
                wrapped = token.map[0] > 0 and not lines[token.map[0] - 1].strip()
            token.hidden = not wrapped


_LEFT_SINGLE, _RIGHT_SINGLE, _LEFT_DOUBLE, _RIGHT_DOUBLE = "\u2018", "\u2019", "\u201c", "\u201d"


def _quotes(state: StateCore) -> None:
    """Each straight quote of the text as Goldmark's typographer decides it, by its neighbours in the source: a
    quote that may only open a delimiter run curls open, one that may only close curls shut (a double one only while
    one opened in the paragraph is unclosed), and one that may do both or neither stays straight (`"기대된다"고` is
    “기대된다"고 in Hugo); apostrophes as Goldmark finds them. Never inside an autolink's address or code. Known to
    differ from Hugo 0.111.3 (compared in tests/test_hugo_variants.py): a closing single quote whose opener became
    an apostrophe ('look'), and runs of two quotes; markdown-it's pairing differed on every quote that closes before
    a letter."""
    markup.requote(state, lambda: _Typographer().curled, lookahead=4, skip_autolinks=True)


class _Typographer:
    """Goldmark's typographer over one inline block: a double quote closes only while one it opened is unclosed
    there (observed: `中的"灯塔"，` and `word"quoted" end.` keep both straight, the first quote opening nothing)."""

    def __init__(self) -> None:
        self.open_doubles = 0

    def curled(self, text: str, before: str, after: str) -> str:
        """`text` with its quotes as Goldmark's typographer parser makes them, `before` and `after` being the
        source's characters around it (a line's start before it, none)."""
        before = before or "\n"
        source = before + text + after
        out = list(text)
        run_end, run_character = 0, ""
        for index, character in enumerate(text):
            if character not in "'\"":
                continue
            at = index + len(before)
            # The rest of the text as far as the rules look (a copy of all of it at each quote was quadratic:
            # 40,000 quotes took 5 s); its run of this quote found once for the whole run.
            line = source[at : at + 5]
            if at >= run_end or character != run_character:
                run_end, run_character = _QUOTE_RUN[character].match(source, at).end(), character  # type: ignore[union-attr]
            preceding = source[at - 1]
            following = source[run_end] if run_end < len(source) else " "
            opens, closes = _flanking(preceding, following)
            if character == "'":
                out[index] = _single_quote(line, preceding, opens, closes) or character
            else:
                out[index] = self._double_quote(line, preceding, opens, closes) or character
        return "".join(out)

    def _double_quote(self, line: str, before: str, opens: bool, closes: bool) -> str | None:
        if opens and not closes:
            self.open_doubles += 1
            return _LEFT_DOUBLE
        if not self.open_doubles or not closes:
            return None
        # Both flanking, it closes before punctuation that ends a phrase: `"b,"` (ASCII at the byte after it)
        if opens and not (line[1:2].isascii() and _is_punctuation(line[1:2]) and _phrase_end(line[2:3])):
            return None
        if line[1:2] == '"' and before.isdigit():
            return None  # `"Monitor 21""`: inches
        self.open_doubles -= 1
        return _RIGHT_DOUBLE


_QUOTE_RUN = {quote: re.compile(f"{quote}+") for quote in "'\""}


def _flanking(before: str, after: str) -> tuple[bool, bool]:
    """Whether a delimiter run between `before` and `after` may open and may close (CommonMark's left- and
    right-flanking runs, as Goldmark's ScanDelimiter tells them, Unicode symbols counted as punctuation)."""
    before_space, after_space = before.isspace(), after.isspace()
    before_punct = unicodedata.category(before)[0] in "PS"
    after_punct = unicodedata.category(after)[0] in "PS"
    left = not after_space and (not after_punct or before_space or before_punct)
    right = not before_space and (not before_punct or after_space or after_punct)
    return left, right


def _is_punctuation(character: str) -> bool:
    return bool(character) and unicodedata.category(character)[0] == "P"


def _phrase_end(character: str) -> bool:
    """Nothing, or an ASCII mark or space (Go's util.IsPunct and IsSpace on the byte after a `"b,` comma)."""
    return not character or (character.isascii() and (not character.isalnum()))


def _single_quote(line: str, before: str, opens: bool, closes: bool) -> str | None:
    """What Goldmark writes for the single quote opening `line`; None for the quote as it is."""
    decade = opens and not closes and line[1:3].isdigit() and line[3:4] == "s"  # '90s
    if decade and (len(line) == 4 or line[4].isspace() or unicodedata.category(line[4])[0] in "PS"):
        return _RIGHT_SINGLE
    # 'twas, 'em, 'net, 'll
    if line[1:2] in ("t", "e", "n", "l") and (before.isspace() or unicodedata.category(before)[0] == "P"):
        return _RIGHT_SINGLE
    if (before.isdigit() or before.isalpha()) and line[1:2].isalpha():
        return _RIGHT_SINGLE  # an apostrophe: don't, 한국's
    if opens and not closes:
        ends = line[2:3]
        # Alice's, I'm, Don't, You'd; I've, I'll, You're
        if line[1:2] in ("s", "m", "t", "d") and (not ends or ends.isspace() or unicodedata.category(ends)[0] == "P"):
            return _RIGHT_SINGLE
        ends = line[3:4]
        if line[1:3] in ("ve", "ll", "re") and (not ends or ends.isspace() or unicodedata.category(ends)[0] == "P"):
            return _RIGHT_SINGLE
        return _LEFT_SINGLE
    return _RIGHT_SINGLE if closes and not opens else None


def _task_checkboxes(state: StateCore) -> None:
    """The plugin's checkboxes as Goldmark writes them: no classes, and never taken for raw HTML."""
    for token in state.tokens:
        if token.type in ("bullet_list_open", "ordered_list_open", "list_item_open"):
            if token.attrGet("class") in ("contains-task-list", "task-list-item"):
                del token.attrs["class"]
        elif token.type == "inline" and token.children:
            for child in token.children:
                if child.type == "html_inline" and child.content.startswith('<input class="task-list-item-checkbox"'):
                    child.type = "task_checkbox"
                    child.meta["checked"] = 'checked="checked"' in child.content


def _task_checkbox(self: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    checked = 'checked="" ' if tokens[index].meta["checked"] else ""
    return f'<input {checked}disabled="" type="checkbox">'


def _heading_attributes(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        found = _HEADING_ATTRIBUTES.search(inline.content)
        if found is None or not inline.children:
            continue
        last = inline.children[-1]
        if last.type != "text" or not last.content.endswith(found.group(0).strip()):
            continue  # the braces are not all plain text (code, a link): not an attribute list
        last.content = _HEADING_ATTRIBUTES.sub("", last.content).rstrip()
        inline.content = inline.content[: found.start()].rstrip()
        classes = []
        for identifier, name, key, *values in _ATTRIBUTE.findall(found.group(1)):
            if identifier:
                token.attrSet("id", identifier)
            elif name:
                classes.append(name)
            else:
                token.attrSet(key, next((v for v in values if v), ""))
        if classes:
            token.attrSet("class", " ".join(classes))


# Goldmark's footnote markup (observed): `<sup id="fnref:1"><a href="#fn:1" class="footnote-ref"
# role="doc-noteref">1</a></sup>`, and the notes in `<div class="footnotes" role="doc-endnotes"><hr><ol>`,
# each `<li id="fn:1">` ending in a back link "↩︎".
def _number(tokens: Sequence[Token], index: int) -> str:
    return str(tokens[index].meta["id"] + 1)


def _footnote_ref(self: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    n = _number(tokens, index)
    return f'<sup id="fnref:{n}"><a href="#fn:{n}" class="footnote-ref" role="doc-noteref">{n}</a></sup>'


def _footnote_anchor(self: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    n = _number(tokens, index)
    return f'&#160;<a href="#fnref:{n}" class="footnote-backref" role="doc-backlink">&#x21a9;&#xfe0e;</a>'


_FOOTNOTE_RULES = {
    "footnote_ref": _footnote_ref,
    "footnote_block_open": lambda *_: '<div class="footnotes" role="doc-endnotes">\n<hr>\n<ol>\n',
    "footnote_block_close": lambda *_: "</ol>\n</div>\n",
    "footnote_open": lambda self, tokens, index, options, env: f'<li id="fn:{_number(tokens, index)}">\n',
    "footnote_close": lambda *_: "</li>\n",
    "footnote_anchor": _footnote_anchor,
}
