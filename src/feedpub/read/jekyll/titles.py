"""A post's title as jekyll-feed writes it: `title | smartify | strip_html | normalize_whitespace`, as text.

jekyll-feed passes every title through Jekyll's `smartify`, kramdown's SmartyPants parser: straight quotes become
curly ones, `--` and `---` dashes, `...` an ellipsis, `<<` and `>>` guillemets. A migrated site's readers saw
those characters; a title that lost them would differ from the one they have. This follows kramdown 2.4's span
parsing as Debian's Jekyll 4.3 runs it (tests/test_jekyll_titles.py compares with it): text is scanned for the
first place a span parser may start, and the parsers are tried there in kramdown's order (smart quotes, entities,
typographic symbols, HTML). Its regular expressions are Ruby's: `\\s`, `\\w` and `\\d` are ASCII there, `\\b` is not.
"""

from __future__ import annotations

import html
import re

from feedpub.read.front_matter import plain_title
from feedpub.text import strip_xml_invalid

# kramdown's smart quote rules (parser/kramdown/smart_quotes.rb), tried in order at the span's start; each gives
# its groups' text or a quote: a name of kramdown's four (lsquo, rsquo, ldquo, rdquo, which `smart_quotes` sets), or
# "lquote"/"rquote", whose kind (single or double) is the numbered group's.
_PUNCT = r"""[!"#$%'()*+,\-./:;<=>?@\[\\\]^_`{|}~]"""
RUBY_SPACES = " \t\n\v\f\r"  # Ruby's \s: its split, strip and normalize_whitespace know no other
_SPACE = rf"[{RUBY_SPACES}]"
_WORD = r"[A-Za-z0-9_]"  # Ruby's \w
_CLOSE = r"[^ \\\t\r\n\[{(-]"
_QUOTE_RULES: tuple[tuple[re.Pattern[str], tuple[int | str, ...]], ...] = tuple(
    (re.compile(pattern, re.DOTALL), substitutions)
    for pattern, substitutions in (
        (rf"""("|')(?=[_*]{{1,2}}[^{RUBY_SPACES}])""", ("lquote1",)),
        (rf"""("|')(?={_PUNCT}(?!\.\.)\B)""", ("rquote1",)),
        (rf"""({_SPACE}?)"'(?={_WORD})""", (1, "ldquo", "lsquo")),
        (rf"""({_SPACE}?)'"(?={_WORD})""", (1, "lsquo", "ldquo")),
        (rf"""({_SPACE}?)'(?=[0-9][0-9]s)""", (1, "rsquo")),
        (rf"""({_SPACE})('|")(?={_WORD})""", (1, "lquote2")),
        (rf"""({_CLOSE})('|")""", (1, "rquote2")),
        (rf"""("|')(?={_SPACE}|s\b|\Z)""", ("rquote1",)),  # Ruby's $: a line's end, \n being a space
        (r"(.?)'", (1, "lsquo")),
        (r'(.?)"', (1, "ldquo")),
    )
)
_SMART_QUOTE = re.compile(r"""[^\\]?["']""")
_ENTITY = re.compile(r"&([\w:][\-\w.:]*);|&#(\d+);|&#x([0-9a-fA-F]+);")
# kramdown's typographic symbols, by the text each is made of: their names (`typographic_symbols` may write each
# otherwise) and what they are written as by default.
SYMBOL_NAMES = {"---": "mdash", "--": "ndash", "...": "hellip", "<< ": "laquo_space", " >>": "raquo_space"}
SYMBOL_NAMES |= {"<<": "laquo", ">>": "raquo"}
_SYMBOLS_WRITTEN = {"mdash": "—", "ndash": "–", "hellip": "…", "laquo_space": "«\u00a0", "raquo_space": "\u00a0»"}
_SYMBOLS_WRITTEN |= {"laquo": "«", "raquo": "»"}
_ESCAPED_GUILLEMETS = {"\\<<": "&lt;&lt;", "\\>>": "&gt;&gt;"}
_SYMBOL = re.compile("|".join(re.escape(symbol) for symbol in [*_ESCAPED_GUILLEMETS, *SYMBOL_NAMES]))
_NAME = r"(?:[^\W\d][-\w.]*:)?[^\W\d][-\w.]*"  # REXML's UNAME_STR: letters or "_", then [-\w.]
_HTML_START = re.compile(rf"<(?:{_NAME}|!--|/)")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_CLOSING_TAG = re.compile(rf"</({_NAME})\s*>")
# A quoted value ends at its first closing quote, once and for all (atomic): left free to reach a later quote, a tag
# never closed took time doubling with each attribute (`<p x='' x='' …` of 200 characters: a post's whole budget).
_TAG = re.compile(rf"""<({_NAME})((?:\s+{_NAME}(?:\s*=\s*(?:\w+|("|')(?>.*?\3)))?)*)\s*(/)?>""", re.DOTALL)


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# kramdown's HTML tables (parser/html.rb): the elements whose content it parses as spans (content models "block"
# and "span"; any other element's content is raw: only tags are read in it), the block elements a span takes as
# text, the elements without a body, and every name it knows (those it lower-cases).
BLOCK_CONTENT_MODEL = _names(
    "address applet article aside blockquote body dd details div dl fieldset figure figcaption footer form "
    "header hgroup iframe li main map menu nav noscript object section summary td"
)
PARSED_ELEMENTS = BLOCK_CONTENT_MODEL | _names(
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label legend optgroup p q "
    "rb rbc rp rt rtc ruby select small span strong sub sup th tt"
)
BLOCK_ELEMENTS = _names(
    "address article aside applet body blockquote caption col colgroup dd div dl dt fieldset figcaption "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li main map nav ol optgroup "
    "p pre section summary table tbody td th thead tfoot tr ul"
)
VOID_ELEMENTS = _names("area base br col command embed hr img input keygen link meta param source track wbr")
# HTML_SPAN_ELEMENTS (kramdown 2.4.0's parser/html.rb, as test_jekyll_content compares): a line that opens with
# any other element's tag starts an HTML block (<u> is a span, `<u>중요</u>한 내용은 **굵게**` one paragraph).
SPAN_ELEMENTS = _names(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb rbc rp rt "
    "rtc ruby samp select small span strong sub sup tt u var"
)
KNOWN_ELEMENTS = (
    PARSED_ELEMENTS
    | BLOCK_ELEMENTS
    | VOID_ELEMENTS
    | _names("code kbd mark option samp script style math textarea var u")
)
# The first place a span parser may start (kramdown's span_start: each parser's, in its order); in raw content,
# only HTML's.
_SPAN_START = re.compile(r"""(?=[^\\]?["']|&|--|\.\.\.|(?:\\| )?(?:<<|>>)|<)""")
_HTML_ONLY_START = re.compile("(?=<)")
# Text as kramdown escapes it (escape_html :text): "<", ">" and an "&" that starts no reference.
_TEXT_ESCAPE = re.compile(r"<|>|&(?!(?:[^\W\d][-\w.]*|#\d+|#x[0-9a-fA-F]+);)")
# Liquid's strip_html, then Jekyll's normalize_whitespace (Ruby's \s).
_HTML_BLOCKS = re.compile(r"<script.*?</script>|<!--.*?-->|<style.*?</style>", re.DOTALL)
_HTML_TAGS = re.compile(r"<.*?>", re.DOTALL)
RUBY_WHITESPACE = re.compile(f"{_SPACE}+")


def ruby_downcase(text: str) -> str:
    """Ruby's `downcase`: Unicode's full lower case without its one context rule (a capital sigma ending a word is
    σ, where Python's lower() makes it ς: an all-caps Greek category was served at a path feedpub did not link)."""
    return text.replace("Σ", "σ").lower()


def ruby_split(text: str) -> list[str]:
    """Ruby's `split` with no argument: on runs of ASCII white space, none at either end ([] for a blank text)."""
    stripped = text.strip(RUBY_SPACES)
    return RUBY_WHITESPACE.split(stripped) if stripped else []


# Past any real title: longer ones, or ones with more tags, are reduced to text unsmartified (front_matter's
# plain_title), as the HTML span parsing nests once a tag and looks for each end tag to the title's end.
_MAX_LENGTH = 1_000
_MAX_TAGS = 32


# kramdown's default `smart_quotes`: left single, right single, left double, right double.
DEFAULT_QUOTES = ("\u2018", "\u2019", "\u201c", "\u201d")


def feed_title(
    title: str, quotes: tuple[str, str, str, str] = DEFAULT_QUOTES, symbols: tuple[tuple[str, str], ...] = ()
) -> str:
    """The text of the title jekyll-feed writes for a post titled `title`; `quotes`: the site's `smart_quotes`,
    `symbols` its `typographic_symbols`."""
    if len(title) > _MAX_LENGTH or title.count("<") > _MAX_TAGS:
        return plain_title(title)
    if not any(mark in title for mark in ("'", '"', "&", "--", "...", "<<", ">>", "<")):
        return _normalized_whitespace(title)  # nothing smartify or strip_html changes
    stripped = _HTML_TAGS.sub("", _HTML_BLOCKS.sub("", smartify(title, quotes, symbols)))
    # A character reference may name one XML forbids (&#1;): feeds carry none.
    return strip_xml_invalid(html.unescape(_normalized_whitespace(stripped)))


def _normalized_whitespace(text: str) -> str:
    """Jekyll's normalize_whitespace: Ruby's white space runs made one space, then stripped (NUL too)."""
    return RUBY_WHITESPACE.sub(" ", text).strip(RUBY_SPACES + "\0")


def smartify(
    text: str, quotes: tuple[str, str, str, str] = DEFAULT_QUOTES, symbols: tuple[tuple[str, str], ...] = ()
) -> str:
    """Jekyll's `smartify` filter: the HTML kramdown's SmartyPants parser makes of `text`, with the site's
    `smart_quotes` and `typographic_symbols` (a name it does not make changes nothing)."""
    if (tag := _TAG.match(text)) and tag.group(1).lower() in BLOCK_ELEMENTS:
        return text  # an HTML block (kramdown's block_html parser): left as it is
    names = dict(zip(("lsquo", "rsquo", "ldquo", "rdquo"), quotes, strict=True)) | _SYMBOLS_WRITTEN
    names |= {name: written for name, written in symbols if name in _SYMBOLS_WRITTEN}
    return _spans(text, 0, None, names, raw=False)[0]


def _spans(
    text: str, position: int, stop: re.Pattern[str] | None, names: dict[str, str], *, raw: bool
) -> tuple[str, int]:
    """The HTML of the spans from `position` up to `stop` (an element's end tag, consumed) or the text's end.

    `raw`: an element whose content kramdown does not parse: only the tags in it are read.
    """
    out: list[str] = []
    starts = _HTML_ONLY_START if raw else _SPAN_START
    while position < len(text):
        start = starts.search(text, position)
        end = stop.search(text, position) if stop is not None else None
        if end is not None and (start is None or end.start() <= start.start()):
            out.append(_escaped(text[position : end.start()]))
            return "".join(out), end.end()
        if start is None:
            out.append(_escaped(text[position:]))
            return "".join(out), len(text)
        out.append(_escaped(text[position : start.start()]))
        position = start.start()
        if not raw and _SMART_QUOTE.match(text, position):
            position = _smart_quote(text, position, out, names)
        elif not raw and (found := _ENTITY.match(text, position)):
            out.append(_entity(found))
            position = found.end()
        elif not raw and (found := _SYMBOL.match(text, position)):
            symbol = found.group()
            out.append(_ESCAPED_GUILLEMETS.get(symbol) or _escaped(names[SYMBOL_NAMES[symbol]]))
            position = found.end()
        elif _HTML_START.match(text, position):
            position = _html(text, position, out, names, raw)
        else:
            out.append(_escaped(text[position]))
            position += 1
    return "".join(out), position


def _escaped(text: str) -> str:
    return _TEXT_ESCAPE.sub(lambda found: html.escape(found.group(), quote=False), text)


def _smart_quote(text: str, position: int, out: list[str], names: dict[str, str]) -> int:
    for pattern, substitutions in _QUOTE_RULES:
        if (found := pattern.match(text, position)) is None:
            continue
        for substitution in substitutions:
            if isinstance(substitution, int):
                out.append(_escaped(found.group(substitution)))
            else:
                out.append(_escaped(names[_quote_name(substitution, found)]))
        return found.end()
    raise AssertionError("the last rules match any quote")  # (.?)' and (.?)" take any quote _SMART_QUOTE found


def curled_quotes(text: str, before: str, after: str, quotes: tuple[str, str, str, str] = DEFAULT_QUOTES) -> str:
    """`text` (plain, not HTML) with its straight quotes as kramdown's smart quote parser makes them, `before` and
    `after` being what its source has around it (a character, and the next few): each quote is decided by the
    rules alone, at the place the parser's scan reaches it, never paired with another (`"기대된다"고`: both curl,
    where markdown-it's pairing left them straight)."""
    names = dict(zip(("lsquo", "rsquo", "ldquo", "rdquo"), quotes, strict=True))
    context = before + text + after
    start, end = len(before), len(before) + len(text)
    curled = list(text)
    position = 0
    while (found := _SMART_QUOTE.search(context, position)) is not None and found.start() < end:
        match, substitutions = next(
            (m, subs) for pattern, subs in _QUOTE_RULES if (m := pattern.match(context, found.start()))
        )
        cursor = match.start()
        for substitution in substitutions:
            if isinstance(substitution, int):
                cursor += len(match.group(substitution))
                continue
            if start <= cursor < end:
                curled[cursor - start] = names[_quote_name(substitution, match)]
            cursor += 1
        position = match.end()
    return "".join(curled)


def _quote_name(substitution: str, match: re.Match[str]) -> str:
    """The quote a rule's substitution names (lsquo…), its kind for lquote1, rquote2…: the numbered group's quote."""
    if substitution[1:6] != "quote":
        return substitution
    kind = "d" if match.group(int(substitution[-1])) == '"' else "s"
    return f"{substitution[0]}{kind}quo"


def _entity(found: re.Match[str]) -> str:
    """An entity as kramdown writes it (entity_output: as_char): the character, but the three HTML escapes; an
    unknown name stays as written, its "&" escaped."""
    name, decimal, hexadecimal = found.groups()
    if name is not None:
        character = html.unescape(f"&{name};")
        if character == f"&{name};":
            return "&amp;" + _escaped(found.group()[1:])
    else:
        code = int(decimal) if decimal is not None else int(hexadecimal, 16)
        character = chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    return html.escape(character, quote=False) if character in "<>&" else character


def _html(text: str, position: int, out: list[str], names: dict[str, str], raw: bool) -> int:
    """kramdown's span HTML at `position`: a comment; a closing tag without its element (text); a block element's
    tag (text in a span); else an element, whose content runs to its end tag or the text's end (raw in a raw one)."""
    if found := _COMMENT.match(text, position):
        out.append(found.group())
        return found.end()
    if found := _CLOSING_TAG.match(text, position):
        out.append(_escaped(found.group()))
        return found.end()
    found = _TAG.match(text, position)
    if found is None:
        out.append("&lt;")
        return position + 1
    name = found.group(1).lower() if found.group(1).lower() in KNOWN_ELEMENTS else found.group(1)
    if name in BLOCK_ELEMENTS:
        out.append(_escaped(found.group()))
        return found.end()
    out.append(found.group())
    if found.group(4) or name in VOID_ELEMENTS:
        return found.end()
    end_tag = re.compile(rf"</{re.escape(name)}\s*>", re.IGNORECASE if name in KNOWN_ELEMENTS else 0)
    inner, position = _spans(text, found.end(), end_tag, names, raw=raw or name not in PARSED_ELEMENTS)
    out.append(f"{inner}</{name}>")
    return position
