"""A post's excerpt: front matter's, else the text before <!--more-->, else the first paragraph."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from feedpub.read import markup
from feedpub.read.front_matter import as_text, plain_text
from feedpub.read.plain import EXCERPT_KEYS
from feedpub.read.templates import BodyHtml
from feedpub.text import strip_xml_invalid


def excerpt_of(
    metadata: Mapping[str, Any],
    body: str,
    lazy_html: BodyHtml,
    length: int | None,
    summary: Callable[[BodyHtml], str] | None = None,
) -> str:
    """The excerpt, cut to `length` (None: whole): the generator's `summary` when it has one, else as feedpub takes
    it."""
    if summary is not None:
        text = summary(lazy_html)
    else:
        # as_text has collapsed white space and dropped invalid characters: only markup or entities need parsing.
        text = next((t for key in EXCERPT_KEYS if (t := plain_text(as_text(metadata.get(key))))), "")
        if not text and markup.MORE_MARKER in body:
            text = markup.html_to_text(lazy_html.render(body.split(markup.MORE_MARKER, 1)[0]))
        if not text:
            from feedpub.read import prefix  # its scanners' patterns: only for a post whose excerpt is its text

            text = prefix.first_paragraph_text(lazy_html)
    text = strip_xml_invalid(text)
    return text if length is None else markup.truncate(text, length)
