"""`enableEmoji`: each `:code:` of a page's text as its emoji, where Hugo 0.111.3 writes one.

Hugo's page lexer replaces them in the source, before Markdown (observed): in code spans and blocks too, and in a
paired shortcode's inner text, but not in a shortcode's arguments, nor in a front matter summary. A code is ASCII
letters, digits, "_", "-" and "+" between colons; a code Hugo does not know is text, and its closing colon opens
no other (`:foo:tada:` stays as written).

emoji.json is Hugo's table (github.com/kyokomi/emoji/v2, MIT licensed), as the real Hugo renders each code:
`tests/sites/hugo/regenerate.py --emoji` writes it. The `emoji` package's aliases were no match: of Hugo's 4,689
codes it knows 2,566, 140 of them with another sequence (a variation selector Hugo does not write), and it
knows 2,692 that Hugo leaves as text.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

from feedpub.read.templates import next_shortcode

_CODE = re.compile(r":([A-Za-z0-9_+-]+):")


@functools.cache
def _table() -> dict[str, str]:
    """Hugo's emoji by code (without its colons), read once, when a site enables them."""
    return json.loads((Path(__file__).parent / "emoji.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def emojify(text: str) -> str:
    """`text` with each code Hugo knows outside shortcode tags replaced by its emoji."""
    if ":" not in text:
        return text
    out: list[str] = []
    pos = 0
    while (tag := next_shortcode(text, pos)) is not None:
        out += [_emojify_text(text[pos : tag.start]), text[tag.start : tag.end]]
        pos = tag.end
    out.append(_emojify_text(text[pos:]))
    return "".join(out)


def _emojify_text(text: str) -> str:
    table = _table()
    # A code Hugo does not know is passed over whole, its closing colon with it, as Hugo's lexer does.
    return _CODE.sub(lambda code: table.get(code.group(1), code.group(0)), text)
