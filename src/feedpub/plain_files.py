"""Files and folders feedpub reads besides posts (its state, the config, robots.txt, an output it checks; folders it
walks), read as a hostile site could have made them.

Anyone who may commit to the site or write to its output folder may leave a link there (to another project's
secrets, which the file's use would then publish), a pipe no writer ever opens (every run would wait on it), or a
device (/dev/zero filled the build's memory). Such a file is refused here, never followed, waited on or read whole.
Kept to the standard library's lightest modules: the no-change check (state/standing.py) walks folders too.
"""

from __future__ import annotations

import errno
import os
import stat

TYPE_CHECKING = False  # typing's own import is 2 ms of a 40 ms run: annotations only, never evaluated
if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

_NOT_REGULAR = "not a regular file (a pipe, device or folder)"
MAX_STATE_BYTES = 1 << 30  # a million posts' published.json is ~150 MB: far past it, a sign of another file


class NotAPlainFile(OSError):
    """A link (when links are refused), a pipe, a device, a folder, or a file longer than was to be read."""

    @property
    def why(self) -> str:
        """What the file is, without the errno and path str() adds (for a message that names the file itself)."""
        return self.strerror or str(self)


def _open_plain(path: Path | str, follow_links: bool, flags: int = os.O_RDONLY) -> tuple[int, os.stat_result]:
    """A descriptor of the regular file at `path` (opened with `flags`), and its stat; NotAPlainFile for a link
    (unless followed), a pipe, a device or a folder, and the OSError of a file that is missing or unreadable."""
    # O_NONBLOCK: opening a FIFO would otherwise wait for a writer (or, to write, a reader) forever; on a regular
    # file it does nothing.
    flags |= getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags, 0o644) if follow_links else open_unlinked(path, flags, 0o644)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket; or a pipe opened to write, which no one reads
            raise NotAPlainFile(error.errno, _NOT_REGULAR, str(path)) from None
        raise
    try:
        info = os.fstat(descriptor)  # of what is open: no race with a file replaced meanwhile
        if not stat.S_ISREG(info.st_mode):
            raise NotAPlainFile(errno.EINVAL, _NOT_REGULAR, str(path))
    except OSError:
        os.close(descriptor)
        raise
    return descriptor, info


def read_plain_file(path: Path | str, limit: int = MAX_STATE_BYTES, *, follow_links: bool = False) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; NotAPlainFile for anything else, and
    the OSError of a file that is missing or unreadable."""
    descriptor, info = _open_plain(path, follow_links)
    try:
        if info.st_size > limit:
            raise NotAPlainFile(errno.EFBIG, f"{info.st_size:,} bytes, over the {limit:,} read", str(path))
        chunks, total = [], 0
        while chunk := os.read(descriptor, min(limit + 1 - total, 1 << 24)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew since the fstat (a file written to forever)
                raise NotAPlainFile(errno.EFBIG, f"grew past the {limit:,} bytes read", str(path))
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def read_plain_head(path: Path | str, size: int) -> bytes:
    """The first `size` bytes of the regular file at `path` (all of a shorter one); NotAPlainFile for a link, a pipe,
    a device or a folder, and the OSError of a file that is missing or unreadable."""
    descriptor, _ = _open_plain(path, follow_links=False)
    try:
        return os.read(descriptor, size)
    finally:
        os.close(descriptor)


def check_plain_file(path: Path | str, *, create: bool = False) -> None:
    """Return when `path` is a regular file (made empty first with `create`); NotAPlainFile for a link, a pipe, a
    device or a folder, and the OSError of a file that is missing or unreadable. For a file another library then
    opens by its name (SQLite), which would follow a link and wait on a pipe."""
    descriptor, _ = _open_plain(path, follow_links=False, flags=os.O_RDONLY | (os.O_CREAT if create else 0))
    os.close(descriptor)


def plain_file_digest(path: Path | str) -> str | None:
    """The SHA-256 (hex) of the regular file at `path`; None for a missing or unreadable file, a link, a pipe or a
    device (an output replaced by a pipe hung the check that nothing changed; a link to /dev/zero never ended)."""
    try:
        return digest_plain_file(path)
    except OSError:
        return None


def digest_plain_file(path: Path | str) -> str:
    """The SHA-256 (hex) of the regular file at `path`; NotAPlainFile for a link, a pipe, a device or a folder, and
    the OSError of a file that is missing or unreadable."""
    import hashlib  # here: the no-change replay never hashes

    descriptor, _ = _open_plain(path, follow_links=False)
    with os.fdopen(descriptor, "rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def open_unlinked(path: Path | str, flags: int, mode: int = 0o666) -> int:
    """`os.open(path, flags, mode)` never through a link (O_NOFOLLOW: no window between a check and the open);
    NotAPlainFile when `path` is one. A link committed in .feedpub had feedpub make, lock or overwrite the file it
    names, anywhere."""
    try:
        return os.open(path, flags | getattr(os, "O_NOFOLLOW", 0), mode)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EMLINK):  # Linux's, and the BSDs' for a link
            reading = not flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            why = "a link, which is not read" if reading else "a link, which feedpub never follows"
            raise NotAPlainFile(error.errno, why, str(path)) from None
        raise


def write_plain_file(path: Path | str, data: bytes) -> None:
    """Write `data` to the regular file at `path`, made or truncated, never through a link; NotAPlainFile for a
    link, a pipe, a device or a folder there."""
    descriptor, _ = _open_plain(path, follow_links=False, flags=os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)


MAX_DEPTH = 100  # folders below the top a walk enters: no site nests deeper


def bounded_walk(top: str | os.PathLike[str]) -> Iterator[tuple[str, list[str], list[str]]]:
    """os.walk, top-down, entering no folder MAX_DEPTH levels below `top`: Python's walk recurses a level a folder,
    and a chain of 1,100 folders committed to a site (2 KB of path) stopped every build with a RecursionError.
    The caller may prune or sort the folders it is given, as with os.walk."""
    base = os.fspath(top).rstrip(os.sep).count(os.sep)
    for parent, folders, names in os.walk(top):
        if parent.count(os.sep) - base >= MAX_DEPTH:
            folders[:] = []
        yield parent, folders, names


def resolved(path: Path) -> Path:
    """`path.resolve()`, with a loop of symbolic links an OSError as every other failure to follow a link is (Python
    before 3.13 raises RuntimeError: two links to each other in a site's _includes stopped `init` and every build)."""
    try:
        return path.resolve()
    except RuntimeError:
        raise OSError(errno.ELOOP, "a loop of symbolic links", str(path)) from None
