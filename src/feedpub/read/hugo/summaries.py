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
from collections.abc import Mapping
from typing import Any

from feedpub.read import markup
from feedpub.read.front_matter import as_text, plain_text
from feedpub.read.templates import BodyHtml

_BLOCK_END = re.compile(r"</p\s*>|<br\s*/?>", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.?!\"\n]")
_WORD = re.compile(r"\S+")
_CJK = re.compile(r"[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def summary(metadata: Mapping[str, Any], body: str, html: BodyHtml, length: int, cjk: bool) -> str:
    """The plain text of the page's Hugo summary; `metadata` has lower-case keys."""
    if text := plain_text(as_text(metadata.get("summary"))):
        return text
    if markup.MORE_MARKER in body:
        return markup.html_to_text(html.render(body.split(markup.MORE_MARKER, 1)[0]))
    return auto_summary(html.render(), length, cjk)


def auto_summary(content: str, length: int, cjk: bool) -> str:
    """Hugo's automatic summary of rendered `content`, as plain text."""
    # Line breaks are kept through the HTML parse only as the markers Hugo makes of block ends.
    plain = markup.html_to_lines(_BLOCK_END.sub("\n", content.replace("\n", " ")))
    if cjk and _CJK.search(plain):
        return _by_characters(plain, length)
    words = list(_WORD.finditer(plain))
    if len(words) <= length:
        return _collapse(plain)
    end = _SENTENCE_END.search(plain, words[length - 1].end() + 1)
    return _collapse(plain[: end.end()] if end else plain)


def _by_characters(plain: str, length: int) -> str:
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
    return " ".join(kept)


def _collapse(text: str) -> str:
    return " ".join(text.split())
