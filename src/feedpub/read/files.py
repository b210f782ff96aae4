"""One post file's bytes and text: the safe open, the size limit, decoding to XML-safe text."""

from __future__ import annotations

import errno
import functools
import os
from pathlib import Path

from feedpub.errors import PostError
from feedpub.models import ReadSettings
from feedpub.text import strip_xml_invalid

_XML_INVALID_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0D})  # C0 controls but tab and newlines (XML 1.0 §2.2)


def read_file(settings: ReadSettings, path: str, posts_dir: Path) -> bytes:
    """The file's bytes, refused when it is a link out of the posts folder or larger than posts.max_bytes."""
    try:
        # O_NOFOLLOW: a link is refused by the open itself, so regular files (nearly all) cost no extra lstat.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        if error.errno not in (errno.ELOOP, errno.EMLINK):  # what Linux, macOS and the BSDs say for a link
            raise PostError(path, f"cannot read: {error.strerror}") from None
        target = Path(path).resolve()
        if not target.is_relative_to(posts_dir.resolve()):
            raise PostError(
                path, f"symbolic link to {target}, outside the posts folder; copy the file instead"
            ) from None
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError as error:
            raise PostError(path, f"cannot read: {error.strerror}") from None
    try:
        size = os.fstat(descriptor).st_size  # of what is open: no race with a file replaced meanwhile
        if size > settings.posts.max_bytes:
            raise PostError(path, f"file is {size} bytes, over posts.max_bytes ({settings.posts.max_bytes})")
        data = os.read(descriptor, size + 1)  # a regular file gives fewer bytes than asked only at its end
        if len(data) <= size:
            return data
        rest = iter(functools.partial(os.read, descriptor, 1 << 20), b"")  # it grew since the fstat
        return b"".join([data, *rest])
    except OSError as error:
        raise PostError(path, f"cannot read: {error.strerror}") from None
    finally:
        os.close(descriptor)


def decode(path: Path | str, raw: bytes) -> str:
    """A post file's text as every later step sees it: UTF-8 (a BOM allowed), "\\n" newlines, XML-safe."""
    try:
        text = raw.decode()  # the C fast path; "utf-8-sig" goes through a Python-level codec
    except UnicodeDecodeError as error:
        raise PostError(path, f"not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8") from None
    if text[:1] == "\ufeff":
        text = text[1:]  # a byte order mark
    # Characters XML 1.0 forbids (control characters, U+FFFE) would make every feed ill-formed: drop them
    # once here, so every title, name and excerpt taken from the file is safe to serialise. Looked for in the
    # bytes first, at C speed: valid UTF-8 holds no lone surrogates, so the rest are these bytes and sequences.
    controls = len(raw.translate(None, _XML_INVALID_BYTES)) != len(raw)
    if controls and b"\x00" in raw:
        raise PostError(path, "contains NUL bytes; this is not a text file")
    if b"\r" in raw:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if controls or (b"\xef\xbf" in raw and (b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw)):
        text = strip_xml_invalid(text)
    return text
