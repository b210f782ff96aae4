"""A page's summary as Hugo 0.111.3 makes it (its RSS <description>), as plain text for feedpub's excerpt.

Observed (tests/sites/hugo fixtures and throwaway sites, /work/notes/hugo-behaviour.md):
- `summary:` front matter, as written; `description:` is never the summary;
- else the content rendered before `<!--more-->`;
- else the content's plain text as Hugo strips the tags (hugo_plain): cut at its `summaryLength`-th white space
  character, then on to the end of the sentence (the first `.`, `?`, `!`, `"` or line break from that character
  itself); all of it when nothing ends the sentence (Hugo 0.111's TruncateWordsToWholeSentence);
- with `hasCJKLanguage` and CJK in the page: `summaryLength` characters (a word with any character not ASCII
  counts each of its characters, an ASCII word one), cut mid-word, without going on to the sentence's end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from html import unescape
from typing import TYPE_CHECKING, Any

import regex

from feedpub.read import markup, paragraph_scanner, prefix
from feedpub.read.front_matter import as_text
from feedpub.read.templates import BodyHtml
from feedpub.text import strip_xml_invalid

if TYPE_CHECKING:
    from markdown_it.token import Token

_DIVIDER = "HUGOMORE42"  # what Hugo puts where `<!--more-->` is before it renders the content, then cuts at
_SENTENCE_END = re.compile(r"[.?!\"\n]")
# Go's unicode.IsSpace, which Hugo counts words by (not Python's isspace: U+001C-U+001F are no spaces to Go).
_OTHER_SPACES = "\t\v\f\r\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"  # than " " and "\n"
_SPACES = " \n" + _OTHER_SPACES
_SPACE = re.compile(f"[{_SPACES}]")
_SPACE_RUN = re.compile(f"([{_SPACES}])[{_SPACES}]+")
_SPACE_RUN_START = re.compile(f"[{_SPACES}]+")
_OTHER_SPACE = re.compile(f"[{_OTHER_SPACES}]")
# What Hugo's StripHTML replaces before it drops the tags: line breaks are spaces, a paragraph's end and <br>
# line breaks (exactly these spellings: `<br/>` is a tag like any other).
_STRIP_REPLACED = re.compile(r"\n|</p>|<br>|<br />")
_GOLDMARK_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
# What Goldmark's typographer writes as entities (`it's` is `it&rsquo;s`), which feedpub's render has as characters:
# in the text a CJK summary is counted from, a word of them and ASCII is ASCII to Hugo, and counts once.
_TYPOGRAPHER_ENTITIES = {"‘": "&lsquo;", "’": "&rsquo;", "“": "&ldquo;", "”": "&rdquo;", "–": "&ndash;"} | {
    "—": "&mdash;",
    "…": "&hellip;",
    "«": "&laquo;",
    "»": "&raquo;",
}


def _typographers(body: str) -> dict[int, str]:
    """The translation of the typographer's characters to Goldmark's entities, but for those `body` has as typed
    (Hugo keeps a typed “ as it is): a page with both kinds of one character is told wrongly."""
    return str.maketrans({char: entity for char, entity in _TYPOGRAPHER_ENTITIES.items() if char not in body})


# Blocks that end a start as the whole render has them when the renderer closed them (a Markdown cut ends every
# paragraph and heading before it: prefix.py).
_CLOSED_BLOCKS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6"))
# Characters of Markdown a summary's words take at most, as a rule: the first start rendered is this long a word.
_CHARACTERS_PER_WORD = 8


def summary(
    metadata: Mapping[str, Any],
    body: str,
    html: BodyHtml,
    length: int,
    cjk: bool,
    inline_tokens: Callable[[str], list[Token]] | None = None,
    footnotes: bool = True,
) -> str:
    """The plain text of the page's Hugo summary; `metadata` has lower-case keys. `inline_tokens`: the site's
    Markdown inline rules (goldmark.inline_tokens), to read a summary off a body that opens plainly; `footnotes`:
    whether they read footnotes."""
    if markup.MORE_MARKER in body:
        # As Hugo does it: the whole body rendered, the divider a word of its own, and cut there. Rendered alone,
        # the part before the divider lost what comes after it: its footnotes' definitions ("[^1]" was shown).
        # The divider wins over a front matter summary (observed: PaperMod's `summary:` with a <!--more--> body).
        rendered = html.render(body.replace(markup.MORE_MARKER, _DIVIDER, 1))
        return markup.html_to_text(rendered.split(_DIVIDER, 1)[0])
    if (written := as_text(metadata.get("summary"))).strip():
        # Markdown, as Hugo renders a front matter summary (observed: `*short*` is <em>short</em> in its RSS), its
        # shortcodes and emoji codes left as written (observed).
        return markup.html_to_text(html.render(written, "markdown", templates=False))
    # Rendering a whole body to keep its first seventy words was nearly all of reading a Hugo post (~7 ms for 5 KB
    # of Markdown). The words are read off the text where it opens with plain headings and paragraphs, else off
    # the render of a start of it, as a rule; the whole is rendered when neither settles them.
    if html.body_format == "markdown" and inline_tokens is not None:
        expanded = html.expanded()
        markup.check_markup_amount(expanded)  # a post is rejected (or not) whether or not its body is rendered
        plain = _GrowingSummary(length)
        # Not for a CJK page, whose count of characters takes the entities of its render (`&quot;` is six); nor
        # past a space other than " " or a line break, which may be an entity (`&nbsp;` is no space to Hugo).
        blocks = paragraph_scanner.leading_blocks(expanded, inline_tokens, footnotes) if not cjk else iter(())
        for heading, text in blocks:
            if _OTHER_SPACE.search(text):
                break
            # As hugo_plain reads the render: escaped as Goldmark escapes text (a `"` is `&quot;`, which ends no
            # sentence), a paragraph's end a line break, a heading's a space. Characters XML forbids are kept until
            # _decoded, as in the render: one between two spaces keeps them apart (Hugo keeps it).
            escaped = "".join(_GOLDMARK_ESCAPES.get(char, char) for char in text)
            if (found := plain.add(escaped + (" " if heading else "\n"))) is not None:
                return _decoded(found)
    for start in prefix.markdown_starts(html, length * _CHARACTERS_PER_WORD):
        if (found := _summary_of_start(start, length, cjk, body)) is not None:
            return found
    return auto_summary(html.render(), length, cjk, body)


# Hugo's test of a page's source for CJK (`\p{Han}|\p{Hangul}|\p{Hiragana}|\p{Katakana}`, Go's regexp).
_HUGO_CJK = regex.compile(r"\p{Han}|\p{Hangul}|\p{Hiragana}|\p{Katakana}")


def is_cjk_page(metadata: Mapping[str, Any], source: str, has_cjk: bool, as_bool: Callable[[object], bool]) -> bool:
    """Whether Hugo counts the page's summary in characters: its front matter's `isCJKLanguage` (lower-case keys),
    read with `as_bool`; else, under the site's hasCJKLanguage, a CJK character anywhere in its file, front matter
    included (observed: an English page under `categories: [生活]` is cut by characters, and a Chinese one with
    `isCJKLanguage: false` by words)."""
    if "iscjklanguage" in metadata:
        return as_bool(metadata["iscjklanguage"])
    return has_cjk and _HUGO_CJK.search(source) is not None


def auto_summary(content: str, length: int, cjk: bool, body: str = "") -> str:
    """Hugo's automatic summary of rendered `content` (of the page's `body`), as plain text."""
    return _decoded(_summary_of(hugo_plain(content), length, cjk, whole=True, body=body) or "")


def hugo_plain(html: str) -> str:
    """Rendered content as Hugo's StripHTML reads it, the text its summary is cut from: line breaks are spaces,
    `</p>` and `<br>` line breaks, tags dropped, entities kept, and of each run of white space (tags between its
    characters dropped too) only the first character kept (observed: `x</p>\n</li>\n<li>` is "x\\n", and a body
    opening with `<ul>\n<li>` opens with a space)."""
    if "<" not in html and ">" not in html:
        return html
    replaced = _STRIP_REPLACED.sub(lambda found: " " if found.group() == "\n" else "\n", html)
    return _SPACE_RUN.sub(r"\1", _without_tags(replaced))


def _without_tags(html: str) -> str:
    """`html`'s text as an HTML tokenizer (Go's, which Hugo strips with) tells it from tags: a "<" that starts no
    tag (`<3`, `x < y`) and a ">" outside one (`->`) are text; a comment runs to its "-->", a tag past a ">" in a
    quoted attribute value; one never closed runs to the end. (Each "<" taken as a tag dropped `<3 in Berlin…`.)"""
    parts = []
    position = 0
    while (start := html.find("<", position)) >= 0:
        parts.append(html[position:start])
        end = _tag_end(html, start)
        if end is None:
            parts.append("<")
            position = start + 1
        else:
            position = end
    parts.append(html[position:])
    return "".join(parts)


def _tag_end(html: str, start: int) -> int | None:
    """Where the tag, comment or declaration opening at `start` ends (after its ">"; the text's end when it has
    none); None when the "<" there is text."""
    following = html[start + 1 : start + 3]
    if html.startswith("<!--", start):
        for empty in ("<!-->", "<!--->"):
            if html.startswith(empty, start):
                return start + len(empty)
        end = html.find("-->", start + 4)
        return len(html) if end < 0 else end + 3
    if following[:1].isascii() and following[:1].isalpha():
        return _start_tag_end(html, start + 2)
    if following[:1] == "/":
        if following[1:].isascii() and following[1:].isalpha():
            return _start_tag_end(html, start + 3)
        if not following[1:]:
            return None  # "</" at the end is text
    elif following[:1] not in ("!", "?"):
        return None
    end = html.find(">", start + 2)  # a declaration, or a bogus comment ("</>", "</ x>", "<?x>")
    return len(html) if end < 0 else end + 1


def _start_tag_end(html: str, position: int) -> int:
    """After the ">" ending the tag whose name starts before `position`; quoted attribute values may hold one."""
    end = html.find(">", position)
    while True:  # each step past an "=" or a quoted value: one pass over the tag
        equals = html.find("=", position, end if end >= 0 else len(html))
        if equals < 0:
            return len(html) if end < 0 else end + 1
        value = equals + 1
        while value < len(html) and html[value] in " \t\n\f\r":
            value += 1
        if value < len(html) and html[value] in "\"'":
            closing = html.find(html[value], value + 1)
            if closing < 0:
                return len(html)
            position = closing + 1
            if 0 <= end < position:
                end = html.find(">", position)
        else:
            position = value


def _summary_of(plain: str, length: int, cjk: bool, whole: bool, body: str = "") -> str | None:
    """The summary of a content whose plain text (hugo_plain) is, or (`whole` False) begins with, `plain`, of a
    page that is CJK (`cjk`, is_cjk_page) or not, as cut from `plain`; None when what may follow could change it."""
    if cjk:
        summary, count = _by_characters(plain.translate(_typographers(body)), length)
        return summary if whole or count >= length else None
    # Hugo counts white space characters (not runs: hugo_plain leaves a few), and cuts at the one that reaches
    # summaryLength (with 0 or less, the first); with fewer, at the last.
    last = None
    for count, space in enumerate(_SPACE.finditer(plain), start=1):
        last = space
        if count >= length:
            break
    else:
        if not whole:
            return None
    if last is None:
        return plain
    # The sentence's end is looked for from the cut's own character: a line break there ends it.
    end = _SENTENCE_END.search(plain, last.start())
    if end is None:
        return plain if whole else None
    return plain[: end.end()]


class _GrowingSummary:
    """What `_summary_of` (not CJK, `whole` False) gives for a plain text read block by block, each block read
    once: the text before a block never changes, nor the white space the summary is cut at once it is reached, nor
    where no sentence ends. Reading the whole text again at each block was quadratic: a post of 5,000 headings
    without a full stop took 4 s, one of 10,000 its whole budget."""

    def __init__(self, length: int) -> None:
        self._needed = max(length, 1)  # the white space cut at is the first when summaryLength is 0 or less
        self._parts: list[str] = []
        self._size = 0
        self._spaces = 0
        self._cut: int | None = None  # where the white space the summary is cut at is, once read
        self._ends_in_space = False

    def add(self, part: str) -> str | None:
        """Read `part` after the text so far; the summary, once no later part can change it."""
        # A run of white space is its first character, also where it spans two parts (hugo_plain).
        part = _SPACE_RUN.sub(r"\1", part)
        if self._ends_in_space and (leading := _SPACE_RUN_START.match(part)):
            part = part[leading.end() :]
        if not part:
            return None
        start = self._size
        self._parts.append(part)
        self._size += len(part)
        self._ends_in_space = _SPACE.fullmatch(part[-1]) is not None
        if self._cut is None:
            for space in _SPACE.finditer(part):
                self._spaces += 1
                if self._spaces >= self._needed:
                    self._cut = start + space.start()
                    break
            else:
                return None
        # The sentence's end is looked for from the cut's own character (_summary_of), in what is new.
        end = _SENTENCE_END.search(part, max(self._cut - start, 0))
        return None if end is None else "".join(self._parts)[: start + end.end()]


def _summary_of_start(start: str, length: int, cjk: bool, body: str) -> str | None:
    """The automatic summary of every content that begins with `start` (prefix.markdown_starts), or None when
    what may follow could change it."""
    root = markup.parse_fragment(markup.raw_text_closed(start))
    if root is None or not len(root):
        return None
    last = root[-1]
    if last.tag not in _CLOSED_BLOCKS or not start.rstrip().endswith(f"</{last.tag}>"):
        # Raw HTML at the cut (a <div> left open, a tag cut in an attribute) may read otherwise once the rest
        # follows; the text before the line it opens on is the whole render's (each block opens a line).
        start = "".join(start.splitlines(keepends=True)[: (last.sourceline or 1) - 1])
    found = _summary_of(hugo_plain(start), length, cjk, whole=False, body=body)
    return None if found is None else _decoded(found)


def _decoded(summary: str) -> str:
    """A summary cut from hugo_plain's text as feedpub's plain text: entities decoded, white space collapsed."""
    return _collapse(strip_xml_invalid(unescape(summary)))


def _by_characters(plain: str, length: int) -> tuple[str, int]:
    """The first `length` characters' worth of words, and how many they counted (fewer when the text ran out).

    As Hugo 0.111's TruncateWordsByRune: a word all ASCII counts one, any other each of its characters (not only
    a CJK one: `café`, `“Suspense”` and `–` count theirs), cut mid-word at the count.
    """
    kept: list[str] = []
    count = 0
    for word in _SPACE.split(plain):
        if not word:
            continue
        if count >= length:
            break
        if not word.isascii():
            kept.append(word[: length - count])
            count += len(word)
        else:
            kept.append(word)
            count += 1
    return " ".join(kept), count


def _collapse(text: str) -> str:
    return " ".join(text.split())
