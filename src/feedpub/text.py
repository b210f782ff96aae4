"""Text rules every stage shares: characters XML forbids, the slug of a name, letters and digits. A leaf."""

from __future__ import annotations

import re
import unicodedata

# XML 1.0 §2.2 allows \t, \n, \r, U+0020–U+D7FF, U+E000–U+FFFD and U+10000–U+10FFFF; these are the rest, and any
# of them makes a document ill-formed. Written as what is refused: the allowed set's complement took 10 ms to
# compile, at every start of the command.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SLUG_UNSAFE = re.compile(r"[^\w.~!$&'()+,;=@-]+")


def strip_xml_invalid(text: str) -> str:
    """Remove characters that XML 1.0 forbids (control characters, lone surrogates, U+FFFE/FFFF)."""
    # Every such character is unprintable: isprintable() clears the short values of front matter at C speed.
    return text if text.isprintable() else XML_INVALID.sub("", text)


def _cp1252(code: int) -> str:
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: nothing in Windows-1252 either
        return ""


# C1 control characters (and DEL) in a title are nearly always Windows-1252 text decoded as Latin-1 ("Don\x92t"):
# feedparser shows them as Windows-1252 does (Don’t), newsboat as control codes. Taken as Windows-1252 for all.
_C1_AS_CP1252 = {0x7F: "", **{code: _cp1252(code) for code in range(0x80, 0xA0)}}


def readable_text(text: str) -> str:
    """`text` without what XML forbids, and with its C1 control characters read as Windows-1252 (see above). For
    text shown only: a URL made of a title keeps what its generator makes of it (Hugo drops U+009A)."""
    return strip_xml_invalid(text).translate(_C1_AS_CP1252)


def slugify(text: str) -> str:
    """Jekyll's "pretty" slug: unsafe characters become "-", letters of every script are kept. NFC first: an
    accent typed decomposed (macOS file names and editors) is a mark of its own, which became a "-"."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return _SLUG_UNSAFE.sub("-", text).strip("-")


def letters_and_digits(text: str) -> bool:
    """Whether every character of `text` is a letter (Unicode's L*) or a decimal digit (Nd); True for "".

    str's own tests, at C speed: the generators' path rules keep exactly these, and a loop asking unicodedata for
    each character of each name was a tenth of reading a Hugo post.
    """
    return not text or text.isalpha() or text.isdecimal() or all(c.isalpha() or c.isdecimal() for c in text)
