"""Bytes -> files: atomically, and only when they changed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from feedpub.errors import OutputError
from feedpub.models import Kept, Output, Site, Written, is_output_name
from feedpub.plain_files import NotAPlainFile, digest_plain_file, read_plain_file

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor


_SYNC_THREADS = 8  # fsyncs at once: more gained nothing on ext4 (98 files: 8 threads 41 ms, 16 36 ms, 98 66 ms)
_SYNCS_OPEN = 64  # files written and not yet synced (each open until it is) at most


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class FileSet:
    """Files replaced as a set: each is first written to a temporary file beside its target, then all are renamed.

    A build's files must agree with each other (the page links the tag feeds, the sitemap index names its parts,
    published.json lists the feeds): a failure while preparing them (disk full, a name the file system refuses, a
    render error) deletes the temporaries and leaves every old file in place. Leaving the block without `commit`
    discards what was prepared.
    """

    def __init__(self) -> None:
        self._pending: list[tuple[str, Path]] = []  # (temporary, target), renamed in this order
        # Each temporary's fsync, started as it is written and waited for before the renames: run side by side, the
        # file system commits them together (72 outputs of a Hugo site with term feeds: ~200 ms one after another,
        # ~40 ms at once), and they overlap the rendering of the outputs still to come.
        self._syncs: list[Future[None]] = []
        self._syncer: ThreadPoolExecutor | None = None

    def __enter__(self) -> FileSet:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def prepare(self, path: Path, data: bytes, *, state: bool = False) -> bool:
        """Stage `data` for `path`; return False (staging nothing) when the file already holds these bytes.

        Unchanged files keep their mtime, so the ETag/Last-Modified that static servers derive from it stay
        valid and feed readers get 304s. `state`: the file is one of feedpub's records in .feedpub, not an output.
        """
        if _already_holds(path, lambda: _holds(path, data), state):
            return False
        descriptor, temporary = self._temporary(path)
        try:
            with os.fdopen(descriptor, "wb", closefd=False) as handle:
                handle.write(data)
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; the web server must read the file
        except OSError as error:
            os.close(descriptor)
            raise OutputError(f"{path}: cannot write: {error.strerror}") from None
        if len(self._syncs) >= _SYNCS_OPEN:
            self._syncs[-_SYNCS_OPEN].result()  # each holds its file open: thousands of term feeds must not run out
        self._syncs.append(self._sync_pool().submit(_fsync_and_close, descriptor, path))
        return True

    def prepare_chunks(self, path: Path, chunks: Iterable[bytes], *, state: bool = False) -> str:
        """Stage the bytes `chunks` make for `path`, written as they come (never all in memory); return their
        SHA-256 (hex). When the file already holds these bytes, nothing is staged, as with `prepare`."""
        descriptor, temporary = self._temporary(path)
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(descriptor, "wb") as handle:
                for chunk in chunks:
                    digest.update(chunk)
                    size += len(chunk)
                    handle.write(chunk)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes 0600; the web server must read the file
        except OSError as error:
            raise OutputError(f"{path}: cannot write: {error.strerror}") from None
        made = digest.hexdigest()
        if _already_holds(path, lambda: _holds_digest(path, size, made), state):  # the old file keeps its mtime
            self._pending.remove((temporary, path))
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return made

    def _temporary(self, path: Path) -> tuple[int, str]:
        """A new temporary file beside `path` (its descriptor and name), staged to be renamed over it."""
        try:
            import tempfile  # a build that writes nothing does not load it

            path.parent.mkdir(parents=True, exist_ok=True)
            # The name `remove_temporaries` recognises: a killed build's leftovers go with the next build.
            descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        except OSError as error:
            raise OutputError(f"{path.parent}: cannot write: {error.strerror}") from None
        self._pending.append((temporary, path))
        return descriptor, temporary

    def _sync_pool(self) -> ThreadPoolExecutor:
        if self._syncer is None:
            from concurrent.futures import ThreadPoolExecutor  # ~12 ms: not for a run that writes nothing

            self._syncer = ThreadPoolExecutor(_SYNC_THREADS, thread_name_prefix="feedpub-fsync")
        return self._syncer

    def _synced(self) -> None:
        """Wait for every prepared file's fsync; the first that failed raises its OutputError."""
        for sync in self._syncs:
            sync.result()
        self._syncs.clear()

    def commit(self) -> None:
        """Rename every prepared file into place, in the order prepared (a sitemap index after its parts), once
        every one of them is on disk: a crash must never leave a renamed file whose bytes were not written."""
        self._synced()
        folders = set()
        while self._pending:
            temporary, path = self._pending[0]
            try:
                os.replace(temporary, path)  # atomic on POSIX: readers see the old file or the new, never a part
            except OSError as error:
                raise OutputError(f"{path}: cannot write: {error.strerror}") from None
            del self._pending[0]
            folders.add(path.parent)
        if len(folders) > 1:
            list(self._sync_pool().map(_fsync_dir, folders))
        else:
            for folder in folders:
                _fsync_dir(folder)
        self._close_pool()

    def _close_pool(self) -> None:
        if self._syncer is not None:
            self._syncer.shutdown()
            self._syncer = None

    def discard(self) -> None:
        """Delete what was prepared and not committed."""
        for sync in self._syncs:
            sync.exception()  # waits: each closes its file, and none may still run on a temporary deleted below
        self._syncs.clear()
        self._close_pool()
        for temporary, _ in self._pending:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        self._pending.clear()


def write_file(path: Path, data: bytes) -> bool:
    """Replace `path` with `data` atomically; return False (touching nothing) when it already holds them."""
    with FileSet() as files:
        changed = files.prepare(path, data)
        files.commit()
    return changed


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


def _fsync_and_close(descriptor: int, path: Path) -> None:
    """Put a written temporary's bytes on disk, and close it."""
    try:
        os.fsync(descriptor)
    except OSError as error:
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None
    finally:
        os.close(descriptor)


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (a crash right after it must not bring back the old file)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def write_outputs(
    outputs: Iterable[Output | Kept],
    folder: Path,
    files: FileSet | None = None,
    kept: Mapping[str, str] | None = None,
    passed_over: list[str] | None = None,
) -> list[Written]:
    """Write each output under `folder`, holding one at a time; other files there are left alone.

    With `files`, the outputs are only prepared in it: they appear when it is committed. A `Kept` output is left
    as it is; `kept` gives the digest of its file (the caller checked it holds what the last build wrote). With
    `passed_over`, an output whose name is a folder there (a page the site's generator writes at /atom.xml/) is not
    written, and why is added to it; without it, OutputError.
    """
    results = []
    with contextlib.nullcontext(files) if files is not None else FileSet() as staged:
        for output in outputs:
            _check_output_name(output.name)
            path = folder / output.name
            if not _inside(folder, path):
                raise OutputError(f"{path}: a folder on its way is a link out of {folder}; nothing was written")
            if passed_over is not None and _is_folder(path):
                # A page's folder: a post feedpub rejected for its URL, or a Hugo alias, that the generator still
                # writes there. Every build stopped over it; the other outputs are written.
                passed_over.append(f"{path}: not written, as a folder of the site is there ({_FOLDER_HINT})")
                continue
            if isinstance(output, Kept):
                if kept is None or output.name not in kept:
                    raise ValueError(f"write_outputs: {output.name} kept, but no digest of its file was given")
                results.append(Written(output.name, path, False, kept[output.name], output.kind, output.key))
                continue
            written = staged.prepare(path, output.data)
            digest = hashlib.sha256(output.data).hexdigest()
            results.append(Written(output.name, path, written, digest, output.kind, output.key))
        if files is None:
            staged.commit()
    return results


def _already_holds(path: Path, check: Callable[[], bool], state: bool = False) -> bool:
    """`check()`: whether the file at `path` (one of feedpub's records with `state`) already holds what would be
    written; False when there is none."""
    try:
        return check()
    except FileNotFoundError:
        return False
    except IsADirectoryError:
        if state:  # no page of the site is made in .feedpub: the folder is someone's mistake, or a hostile commit
            raise OutputError(
                f"{path}: is a folder, where feedpub keeps its record {path.name}; remove the folder (feedpub writes "
                "the record again)"
            ) from None
        raise OutputError(f"{path}: is a folder, where feedpub writes this file ({_FOLDER_HINT})") from None
    except OSError as error:
        raise OutputError(f"{path}: cannot read: {error.strerror}") from None


_FOLDER_HINT = (
    "a page of the site given its name, as a permalink /rss.xml/ or a Hugo alias makes? Give that page another URL, "
    "or feedpub's file another name"
)


def _is_folder(path: Path) -> bool:
    """Whether `path` is a folder (not a link to one: a link is replaced like any file)."""
    try:
        return stat.S_ISDIR(os.lstat(path).st_mode)
    except OSError:
        return False


def _holds(path: Path, data: bytes) -> bool:
    """Whether `path` is a plain file holding `data`. A link, a pipe or a device is never read (a link to
    /dev/zero, a FIFO left in the output folder): it is replaced, as a file whose bytes differ is."""
    info = os.lstat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
        return False
    try:
        return read_plain_file(path, len(data)) == data
    except NotAPlainFile:
        return False  # replaced since the lstat: by a link, a pipe, or a longer file


def _holds_digest(path: Path, size: int, digest: str) -> bool:
    """Whether `path` is a plain file of `size` bytes whose SHA-256 (hex) is `digest` (as `_holds`, by digest)."""
    info = os.lstat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(path)
    if not stat.S_ISREG(info.st_mode) or info.st_size != size:
        return False
    try:
        return digest_plain_file(path) == digest
    except NotAPlainFile:
        return False  # replaced since the lstat: by a link or a pipe


def _inside(folder: Path, path: Path) -> bool:
    """Whether `path` stays in `folder` once the links among its existing folders are followed: a subfolder of
    the output made a link to elsewhere must not take the files written into it there."""
    try:
        if not folder.exists():
            return True  # nothing made in it yet: no link of it can lead anywhere
        existing = path.parent
        while not existing.exists():  # the folders still to be made are made inside the deepest existing one
            existing = existing.parent
        return existing.resolve().is_relative_to(folder.resolve())
    except OSError as error:  # a name too long for the system, a folder that cannot be read
        raise OutputError(f"{path}: cannot write: {error.strerror}") from None


def _check_output_name(name: str) -> None:
    """Refuse a name that would leave the output folder or name it: the last guard, whatever made the name (a
    generator's language key, a feed's path): nothing of the build is in place yet when it stops."""
    if not is_output_name(name):
        raise OutputError(f"{name!r}: an output name must be a path inside the output folder; nothing was written")


def remove_stale(folder: Path, names: Iterable[str]) -> list[str]:
    """Delete the files `names` under `folder` (an earlier build's, which this one no longer writes); return them.

    Called after the new files are in place (a sitemap index before the parts it stopped listing go), so a
    crawler never follows a link to a removed file.
    """
    removed = []
    root = os.path.realpath(folder)
    for name in sorted(names):
        path = folder / name
        # A file in a subfolder only while that folder still resolves inside the output folder: one that became a
        # link since (out of it, or back to its root) does not hold the file feedpub wrote.
        if path.parent != folder and not os.path.realpath(path.parent).startswith(root + os.sep):
            continue
        try:
            os.unlink(path)
        except FileNotFoundError:
            continue
        except OSError as error:
            raise OutputError(f"{path}: cannot remove a stale file: {error.strerror}") from None
        removed.append(name)
        # The folders it leaves empty go too, up to the output folder (categories/news/ and then categories/, as a
        # clean build has neither); the first holding anything else stays, and the ones above it.
        parent = path.parent
        while parent != folder and parent.is_relative_to(folder):
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent
    return removed


# FileSet's temporaries: mkstemp's prefix and suffix around its random part (letters, digits, "_").
_TEMPORARY = re.compile(r"\.(.+)\.[a-z0-9_]+\.tmp")


def remove_temporaries(folder: Path, name: str | None = None) -> None:
    """Delete the temporaries a killed build left in `folder` (only those for the file `name`, when given).

    Only runs under the site's lock, after its own temporaries are renamed: any left are a dead build's. (Two sites
    cannot share an output folder anyway: both would write its rss.xml.)
    """
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # nothing to clean where nothing can be listed
    for entry in entries:
        match = _TEMPORARY.fullmatch(entry.name)
        if match is not None and (name is None or match.group(1) == name):
            with contextlib.suppress(OSError):
                if entry.is_file(follow_symlinks=False):
                    os.unlink(entry.path)


def remove_build_temporaries(site: Site, written: Iterable[Written]) -> None:
    """Delete what killed builds left beside the files this one wrote, in the state folder and beside the dates
    file (a build's own temporaries are renamed by then)."""
    for folder in {w.path.parent for w in written} | {site.state_dir}:
        remove_temporaries(folder)
    if site.dates_file is not None:
        remove_temporaries(site.dates_file.parent, site.dates_file.name)
