"""Bytes -> files: atomically, and only when they changed."""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from feedpub.errors import OutputError
from feedpub.models import Output


@dataclass(frozen=True)
class Written:
    name: str
    path: Path
    written: bool  # False when the file already had these bytes and was left untouched
    digest: str = ""  # sha256 hex of the bytes now in the file


def file_digest(path: Path) -> str | None:
    """sha256 hex of a file's bytes; None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_file(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` atomically; return False (touching nothing) when it already holds them.

    Unchanged files keep their mtime, so the ETag/Last-Modified that static servers derive from it stay
    valid and feed readers get 304s.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    except IsADirectoryError:
        raise OutputError(f"{path}: is a folder; remove it or choose another output name") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot read: {error.strerror}") from None
    try:
        import tempfile  # a build that writes nothing does not load it

        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"{path.parent}: cannot write: {error.strerror}") from None
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; the web server must read the file
        os.replace(temporary, path)  # atomic on POSIX: readers see the old file or the new, never a part
    except OSError as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None
    _fsync_dir(path.parent)
    return True


def create_file(path: Path, data: bytes) -> None:
    """Write a new file; never replace one that exists (a config the user may have edited)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:  # O_EXCL: no window between checking and creating
            handle.write(data)
    except FileExistsError:
        raise OutputError(f"{path}: already exists and is never overwritten; choose another name") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (a crash right after it must not bring back the old file)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_outputs(outputs: Iterable[Output], folder: Path) -> list[Written]:
    """Write each output under `folder`, in order, holding one at a time; other files there are left alone."""
    results = []
    for output in outputs:
        path = folder / output.name
        written = write_file(path, output.data)
        results.append(Written(output.name, path, written, hashlib.sha256(output.data).hexdigest()))
    return results


def remove_stale(folder: Path, subfolder: str, belongs: Callable[[str], bool], keep: Iterable[str]) -> list[str]:
    """Delete the files of `folder`/`subfolder` that `belongs` claims and `keep` does not name; return their names.

    Called after the new files are in place (a sitemap index before the parts it stopped listing go), so a
    crawler never follows a link to a removed file.
    """
    kept = set(keep)
    removed = []
    try:
        with os.scandir(folder / subfolder) as entries:
            names = sorted(str(PurePosixPath(subfolder, e.name)) for e in entries if e.is_file(follow_symlinks=False))
    except FileNotFoundError:
        return []
    except OSError as error:
        raise OutputError(f"{folder / subfolder}: cannot list: {error.strerror}") from None
    for name in names:
        if belongs(name) and name not in kept:
            try:
                os.unlink(folder / name)
            except FileNotFoundError:
                continue
            except OSError as error:
                raise OutputError(f"{folder / name}: cannot remove a stale file: {error.strerror}") from None
            removed.append(name)
    return removed
