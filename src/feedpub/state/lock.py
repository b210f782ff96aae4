"""One run at a time per site: cron may start a build while the last one is still going."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from feedpub.errors import LockError, OutputError
from feedpub.models import Site
from feedpub.plain_files import NotAPlainFile, open_unlinked
from feedpub.state.paths import lock_path

_POLL = 0.05  # seconds between attempts while another run holds the lock
# The descriptors of the locks this process holds: a forked worker closes its copies, so that the lock is
# released when this process dies even if a worker lives on for a moment.
held_descriptors: set[int] = set()


@contextmanager
def site_lock(site: Site, wait: float) -> Iterator[None]:
    """Hold .feedpub/lock for the block, waiting at most `wait` seconds for another run to finish.

    flock(2) on POSIX: the kernel drops the lock when its process dies, so a crashed run never leaves a stale
    lock behind (the empty lock file itself stays, and means nothing). fcntl directly, not filelock: importing
    filelock costs 13 ms, a tenth of a no-change cron run; filelock remains for systems without fcntl.
    """
    path = lock_path(site)
    if path.parent.is_symlink():
        # A committed link would put the lock, the cache and published.json wherever it points.
        raise OutputError(f"{path.parent}: is a link; feedpub keeps its state (.feedpub) in a folder of its own")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(
            f"{path.parent}: is a file, where feedpub keeps its state folder (.feedpub); move or remove the file"
        ) from None
    except OSError as error:
        raise OutputError(
            f"{path.parent}: cannot create feedpub's state folder (.feedpub): {error.strerror}; make its folder "
            "writable by this user (chmod or chown)"
        ) from None
    try:
        import fcntl
    except ImportError:  # Windows
        with _filelock(path, wait):
            yield
        return
    try:
        descriptor = open_unlinked(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise _unusable(path, error) from None
    try:
        deadline = time.monotonic() + max(wait, 0)
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise _busy(path, wait) from None
                time.sleep(_POLL)
        held_descriptors.add(descriptor)
        yield  # closing the descriptor below releases the lock
    finally:
        held_descriptors.discard(descriptor)
        os.close(descriptor)


@contextmanager
def _filelock(path: os.PathLike[str], wait: float) -> Iterator[None]:
    from filelock import FileLock, Timeout

    lock = FileLock(path, timeout=max(wait, 0))
    try:
        lock.acquire()
    except Timeout:
        raise _busy(path, wait) from None
    try:
        yield
    finally:
        lock.release()


def _busy(path: os.PathLike[str], wait: float) -> LockError:
    return LockError(
        f"{path}: another feedpub run is working on this site (waited {wait:g} s); "
        "it finishes on its own: try again later, or wait longer with --wait SECONDS"
    )


def _unusable(path: os.PathLike[str], error: OSError) -> OutputError:
    """The lock file cannot be opened: say what to do. It holds no data, so removing it is always safe."""
    if isinstance(error, NotAPlainFile):  # a link
        return OutputError(
            f"{path}: feedpub's lock file (.feedpub/lock) is a link, which feedpub never follows; remove the link "
            "(the lock holds no data; feedpub makes it again)"
        )
    if isinstance(error, IsADirectoryError):
        fix = "it is a folder: remove it (feedpub makes the lock file again)"
    elif isinstance(error, PermissionError):
        fix = "make it writable by the user running feedpub (chown or chmod), or remove it (it holds no data)"
    else:
        fix = "remove it (it holds no data; feedpub makes it again)"
    return OutputError(f"{path}: cannot open feedpub's lock file (.feedpub/lock): {error.strerror}; {fix}")
