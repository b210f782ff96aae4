"""Text rules every stage shares: characters XML forbids, and the slug of a name. A leaf."""

from __future__ import annotations

import re

# XML 1.0 §2.2: only these characters may appear in a document; anything else makes it ill-formed.
XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SLUG_UNSAFE = re.compile(r"[^\w.~!$&'()+,;=@-]+")


def strip_xml_invalid(text: str) -> str:
    """Remove characters that XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF)."""
    # Every such character is unprintable: isprintable() clears the short values of front matter at C speed.
    return text if text.isprintable() else XML_INVALID.sub("", text)


def slugify(text: str) -> str:
    """Jekyll's "pretty" slug: unsafe characters become "-", letters of every script are kept."""
    return _SLUG_UNSAFE.sub("-", text).strip("-")
