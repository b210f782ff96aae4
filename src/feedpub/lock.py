"""One run at a time per site: cron may start a build while the last one is still going."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from filelock import FileLock, Timeout

from feedpub.errors import LockError, OutputError
from feedpub.models import Site


@contextmanager
def site_lock(site: Site, wait: float) -> Iterator[None]:
    """Hold .feedpub/lock for the block, waiting at most `wait` seconds for another run to finish.

    filelock uses flock(2) on POSIX: the kernel drops the lock when its process dies, so a crashed run
    never leaves a stale lock behind (the empty lock file itself stays, and means nothing).
    """
    path = site.state_dir / "lock"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{path.parent}: cannot create the state folder: {error.strerror}") from None
    lock = FileLock(path, timeout=max(wait, 0))
    try:
        lock.acquire()
    except Timeout:
        raise LockError(
            f"{path}: another feedpub run is working on this site (waited {wait:g} s); "
            "it finishes on its own: try again later, or wait longer with --wait SECONDS"
        ) from None
    try:
        yield
    finally:
        lock.release()
