"""What reading may spend: the CPUs it may use, and a time limit for one post that no pass over its text may
exceed, whatever the text holds.

The text steps of feedpub's own are linear, but a post goes through libraries too (markdown-it, the Liquid
and shortcode expansion, the HTML parsers), and a library's worst case can be quadratic in hostile input
(a megabyte of "[" takes markdown-it minutes). One post must not hold the build, and the site's lock, for that
long: past the limit it is rejected by name, and the others are published.
"""

from __future__ import annotations

import os
import signal
import threading
from types import FrameType

from feedpub.errors import PostOverBudget


def usable_cpus() -> int:
    """CPUs this process may run on (a container's limit, not the host's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


SECONDS_PER_POST = 10.0  # a 1 MB Markdown post renders in about 3 s on a slow machine


_armed: list[tuple[str, float]] = []  # the post being read under a limit, and the limit: what the handler reports
_installed_in = 0  # the process the handler was installed in (a forked worker inherits it, and checks)


class _Expired(BaseException):
    """Raised by the timer, where the post's reading happens to be. Not an Exception: libraries that catch every
    Exception (python-liquid's parser does, and carried on reading) cannot swallow it. `time_limit` turns it into
    the post's PostOverBudget as it leaves the block."""

    def __init__(self, path: str, seconds: float) -> None:
        super().__init__(path, seconds)
        self.path, self.seconds = path, seconds


def _expire(signum: int, frame: FrameType | None) -> None:
    if _armed:
        path, seconds = _armed[-1]
        raise _Expired(path, seconds)


class time_limit:  # used as a function: `with time_limit(path):`
    """Raise PostOverBudget for `path` when the block runs longer than SECONDS_PER_POST.

    A SIGALRM timer: it interrupts Python code wherever it is (a library's loop included). Only the main
    thread receives signals, so elsewhere the block runs unlimited (feedpub reads posts in main threads only:
    the command's, or each pool worker's). The handler is installed once and stays, and this is a class, not a
    generator: a post costs two setitimer calls (handler swaps and a generator cost a tenth of a cold build).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.seconds = SECONDS_PER_POST  # looked up here, not bound once: a test of a slow post may lower it
        self.armed = False

    def __enter__(self) -> None:
        global _installed_in
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
            return
        if _installed_in != (pid := os.getpid()):
            signal.signal(signal.SIGALRM, _expire)
            _installed_in = pid
        _armed.append((self.path, self.seconds))
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        self.armed = True

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _armed.pop()
            self.armed = False
        if isinstance(error, _Expired):
            reason = f"took more than {error.seconds:g} s to read and render; simplify or split it"
            raise PostOverBudget(error.path, reason) from None


class outside_limit:  # used as a function: `with outside_limit():`
    """Stop the running post's time limit for the block, and give it back the time it had left after: for the
    build's own work that the first post to need it happens to start (git's dates of every post)."""

    def __init__(self) -> None:
        self.left = 0.0

    def __enter__(self) -> None:
        if _armed and threading.current_thread() is threading.main_thread():
            self.left = signal.setitimer(signal.ITIMER_REAL, 0)[0]

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self.left:
            signal.setitimer(signal.ITIMER_REAL, self.left)
