"""One post file's bytes and text: the safe open, the size limit, decoding to XML-safe text."""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable
from pathlib import Path
from stat import S_ISREG

from feedpub.errors import PostError
from feedpub.models import PostsSettings
from feedpub.plain_files import resolved
from feedpub.read.fences import front_matter_span
from feedpub.text import XML_INVALID, strip_xml_invalid

_XML_INVALID_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0D})  # C0 controls but tab and newlines (XML 1.0 §2.2)

_NOT_REGULAR = "not a regular file (a pipe, socket, device or folder); only files are posts"
_LINKED_TO_HIDDEN = 'symbolic link to a "." file, or into a "." folder (as .git/ is); copy the file instead'


def read_file(
    path: str, posts_dir: Path, max_bytes: int, head: int | None = None, links_within: Path | None = None
) -> bytes:
    """The bytes of a post file: a regular file inside `posts_dir` (or, through a link, `links_within`, but for
    the "." files and folders there), at most `max_bytes` long.

    Every read of a post goes through here, the first and any later one: a file replaced since (by a link
    out of the site, a pipe, a device) is refused, never followed, never waited on. `head`: only the first `head`
    bytes are wanted, whatever the file's size.
    """
    # O_NOFOLLOW: a link is refused by the open itself, so regular files (nearly all) cost no extra lstat.
    # O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever; on a regular file it does nothing.
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ENXIO:  # what opening a socket says
            raise PostError(path, _NOT_REGULAR) from None
        if error.errno not in (errno.ELOOP, errno.EMLINK):  # what Linux, macOS and the BSDs say for a link
            raise PostError(path, f"cannot read: {error.strerror}") from None
        try:
            target = resolved(Path(path))
        except OSError as loop:
            raise PostError(path, f"cannot read: {loop.strerror}") from None
        root = (links_within or posts_dir).resolve()
        if not target.is_relative_to(root):
            # Not where it leads: the message goes to cron's mail and CI logs, and the link's target is the
            # server's business (a link to /proc/self/fd/3 named whatever the build had open).
            where = "the site's folder" if links_within else "the posts folder"
            raise PostError(path, f"symbolic link to a file outside {where}; copy the file instead") from None
        if any(part.startswith(".") for part in target.relative_to(root).parts):
            # .git/config holds the token of the CI job that checked the site out (actions/checkout's
            # http.extraheader): a post linked to it was published in every feed. Refused though Jekyll 4.3.1
            # writes its page (--safe too): a feed carries it to every subscriber, and to no-one's review.
            raise PostError(path, _LINKED_TO_HIDDEN) from None
        try:
            descriptor = os.open(target, flags)  # the link resolved: no second lookup through it
        except OSError as error:
            raise PostError(path, f"cannot read: {error.strerror}") from None
    try:
        info = os.fstat(descriptor)  # of what is open: no race with a file replaced meanwhile
        if not S_ISREG(info.st_mode):
            raise PostError(path, _NOT_REGULAR)
        if head is not None:
            return os.read(descriptor, head)
        size = info.st_size
        if size > max_bytes:
            raise PostError(path, f"file is {size} bytes, over posts.max_bytes ({max_bytes})")
        data = os.read(descriptor, size + 1)  # a regular file gives fewer bytes than asked only at its end
        if len(data) <= size:
            return data
        # It grew since the fstat: read on, but never past the limit (a file written to forever).
        rest = iter(functools.partial(os.read, descriptor, 1 << 20), b"")
        chunks = [data]
        total = len(data)
        for chunk in rest:
            total += len(chunk)
            if total > max_bytes:
                raise PostError(path, f"file grew past posts.max_bytes ({max_bytes}) while it was read")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as error:
        raise PostError(path, f"cannot read: {error.strerror}") from None
    finally:
        os.close(descriptor)


def read_again(path: str, posts: PostsSettings) -> bytes | None:
    """The bytes of a post file read before, read again (read_file) from the posts folder it is in, as the scan
    joined it; None when it is in none of them any more."""
    index = posts_dir_index(path, posts.dirs)
    if index is None:
        return None
    return read_file(path, posts.dirs[index], posts.max_bytes, links_within=posts.links_within)


def posts_dir_index(path: str, posts_dirs: tuple[Path, ...]) -> int | None:
    """Which of the posts folders a file the scan found is in (the scan joined its path to the folder's); None
    when none."""
    return next((i for i, d in enumerate(posts_dirs) if path.startswith(f"{d}/")), None)


def decode(
    path: Path | str, raw: bytes, body_start: Callable[[str], int] | None = None, hugo_fences: bool = False
) -> str:
    """A post file's text as every later step sees it: UTF-8 (a BOM allowed), "\\n" newlines, XML-safe.

    `body_start` (where a text's body begins) is for Hugo, which publishes a page whose body is not UTF-8 and shows
    each invalid byte of it as U+FFFD (Go's templates: its feeds, observed with 0.111.3); one in the front matter
    stops its whole build, and is refused here as in every other file. `hugo_fences`: front matter may follow blank
    lines, as Hugo reads it (to Jekyll, and feedpub's own reading, such a file has none).
    """
    try:
        text = raw.decode()  # the C fast path; "utf-8-sig" goes through a Python-level codec
    except UnicodeDecodeError as error:
        if body_start is not None:
            # Each invalid byte escaped alone (not each maximal run, as "replace" does): one U+FFFD a byte, as Go.
            shown = raw.decode("utf-8", "surrogateescape").translate(_ESCAPED_BYTE_SHOWN)
            text = _xml_safe(path, raw, shown, hugo_fences)
            valid = raw[: error.start]
            if len(_xml_safe(path, valid, valid.decode(), hugo_fences)) >= body_start(text):
                return text
        raise PostError(path, f"not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8") from None
    return _xml_safe(path, raw, text, hugo_fences)


_ESCAPED_BYTE_SHOWN = dict.fromkeys(range(0xDC80, 0xDD00), "\ufffd")  # surrogateescape's, one per invalid byte


def _xml_safe(path: Path | str, raw: bytes, text: str, hugo_fences: bool = False) -> str:
    """`text`, decoded from `raw`, without its byte order mark, with "\\n" newlines and no character XML forbids."""
    if text[:1] == "\ufeff":
        text = text[1:]  # a byte order mark
    # Characters XML 1.0 forbids (control characters, U+FFFE) would make every feed ill-formed: drop them
    # once here, so every title, name and excerpt taken from the file is safe to serialise. Looked for at C
    # speed: the controls in the bytes, U+FFFE and U+FFFF in the text (a one-character search there is several
    # times quicker than the bytes' two-byte one on Hangul text); valid UTF-8 holds no lone surrogates.
    controls = len(raw.translate(None, _XML_INVALID_BYTES)) != len(raw)
    if controls and b"\x00" in raw:
        raise PostError(path, "contains NUL bytes; this is not a text file")
    if b"\r" in raw:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if controls or "\ufffe" in text or "\uffff" in text:
        _refuse_in_front_matter(path, text, hugo_fences)
        text = strip_xml_invalid(text)
    return text


def _refuse_in_front_matter(path: Path | str, text: str, hugo_fences: bool) -> None:
    """Refuse a control character or U+FFFE/U+FFFF in the front matter, where every generator's parser does: Psych
    (Jekyll publishes the post without its front matter, at a URL of its file name, where its permalink was taken
    before), go-yaml, TOML and JSON (Hugo stops its build). Dropped there, as from a body, the post was published
    at a URL neither served."""
    span = front_matter_span(text, hugo_fences)
    found = XML_INVALID.search(text, *span) if span is not None else None
    if found is not None:
        line = text.count("\n", 0, found.start()) + 1
        raise PostError(
            path,
            f"front matter holds U+{ord(found.group()):04X}, a character YAML and TOML refuse (Jekyll publishes the "
            "post without its front matter, Hugo stops); remove it",
            line,
        )
