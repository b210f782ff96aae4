"""A page's summary as Hugo 0.111.3 makes it (its RSS <description>), as plain text for feedpub's excerpt.

Observed (tests/sites/hugo fixtures and throwaway sites, /work/notes/hugo-behaviour.md):
- `summary:` front matter, as written; `description:` is never the summary;
- else the content rendered before `<!--more-->`;
- else the content's plain text (block ends are line breaks, other line breaks spaces): its first
  `summaryLength` words, then on to the end of the sentence (the first `.`, `?`, `!`, `"` or line break after
  them); all of it when it is shorter, or when nothing ends the sentence;
- with `hasCJKLanguage` and CJK in the text: `summaryLength` characters (a CJK word counts each of its
  characters, another word one), cut mid-word, without going on to the sentence's end.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import regex

from feedpub.read import markup, paragraph_scanner, prefix
from feedpub.read.front_matter import as_text
from feedpub.read.templates import BodyHtml
from feedpub.text import strip_xml_invalid

if TYPE_CHECKING:
    from markdown_it.token import Token

_DIVIDER = "HUGOMORE42"  # what Hugo puts where `<!--more-->` is before it renders the content, then cuts at
_BLOCK_END = re.compile(r"</p\s*>|<br\s*/?>", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.?!\"\n]")
_WORD = re.compile(r"\S+")
_CJK = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
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
        # Markdown, as Hugo renders a front matter summary (observed: `*short*` is <em>short</em> in its RSS).
        return markup.html_to_text(html.render(written, "markdown"))
    # Rendering a whole body to keep its first seventy words was nearly all of reading a Hugo post (~7 ms for 5 KB
    # of Markdown). The words are read off the text where it opens with plain headings and paragraphs, else off
    # the render of a start of it, as a rule; the whole is rendered when neither settles them.
    if html.body_format == "markdown" and inline_tokens is not None:
        expanded = html.expanded()
        markup.check_markup_amount(expanded)  # a post is rejected (or not) whether or not its body is rendered
        plain = ""
        for heading, text in paragraph_scanner.leading_blocks(expanded, inline_tokens, footnotes):
            # As the render's text reads (see auto_summary): a paragraph's end a line break, a heading's a space.
            plain += strip_xml_invalid(text) + (" " if heading else "\n ")
            if (found := _summary_of(plain, length, cjk, whole=False)) is not None:
                return found
    for start in prefix.markdown_starts(html, length * _CHARACTERS_PER_WORD):
        if (found := _summary_of_start(start, length, cjk)) is not None:
            return found
    return auto_summary(html.render(), length, cjk)


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


def auto_summary(content: str, length: int, cjk: bool) -> str:
    """Hugo's automatic summary of rendered `content`, as plain text."""
    return _summary_of(markup.html_to_lines(_with_block_ends(content)), length, cjk, whole=True) or ""


def _summary_of(plain: str, length: int, cjk: bool, whole: bool) -> str | None:
    """The summary of a content whose plain text is, or (`whole` False) begins with, `plain`, of a page that is
    CJK (`cjk`, is_cjk_page) or not; None when what may follow could change it."""
    if cjk:
        summary, count = _by_characters(plain, length)
        return summary if whole or count >= length else None
    words = list(_WORD.finditer(plain))
    # Hugo cuts at the first space where its count of words reaches summaryLength: with 0 or less, the first.
    length = max(length, 1)
    if len(words) <= length:
        return _collapse(plain) if whole else None
    end = _SENTENCE_END.search(plain, words[length - 1].end() + 1)
    if end is None:
        return _collapse(plain) if whole else None
    return _collapse(plain[: end.end()])


def _summary_of_start(start: str, length: int, cjk: bool) -> str | None:
    """The automatic summary of every content that begins with `start` (prefix.markdown_starts), or None when
    what may follow could change it."""
    root = markup.parse_fragment(markup.raw_text_closed(_with_block_ends(start)))  # as html_to_text reads it
    if root is None or not len(root):
        return None
    last = root[-1]
    if last.tag not in _CLOSED_BLOCKS or not start.rstrip().endswith(f"</{last.tag}>"):
        # Raw HTML at the cut (a <div> left open, a tag cut in an attribute) may read otherwise once the rest
        # follows; the text before it is the whole render's.
        root.remove(last)
    return _summary_of(strip_xml_invalid(root.text_content()), length, cjk, whole=False)


def _with_block_ends(content: str) -> str:
    # Line breaks are kept through the HTML parse only as the markers Hugo makes of block ends.
    return _BLOCK_END.sub("\n", content.replace("\n", " "))


def _by_characters(plain: str, length: int) -> tuple[str, int]:
    """The first `length` characters' worth of words, and how many they counted (fewer when the text ran out)."""
    kept: list[str] = []
    count = 0
    for word in plain.split():
        if count >= length:
            break
        if _CJK.search(word):
            kept.append(word[: length - count])
            count += len(word)
        else:
            kept.append(word)
            count += 1
    return " ".join(kept), count


def _collapse(text: str) -> str:
    return " ".join(text.split())
