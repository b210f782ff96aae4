"""A time limit for reading one post: what no pass over its text may exceed, whatever the text holds.

The text steps of feedpub's own are linear, but a post goes through libraries too (markdown-it, the Liquid
and shortcode expansion, the HTML parsers), and a library's worst case can be quadratic in hostile input
(a megabyte of "[" takes markdown-it minutes). One post must not hold the build, and the site's lock, for that
long: past the limit it is rejected by name, and the others are published.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from feedpub.errors import PostError

SECONDS_PER_POST = 10.0  # a 1 MB Markdown post renders in about 3 s on a slow machine


@contextlib.contextmanager
def time_limit(path: str, seconds: float = SECONDS_PER_POST) -> Iterator[None]:
    """Raise PostError for `path` when the block runs longer than `seconds`.

    A SIGALRM timer: it interrupts Python code wherever it is (a library's loop included). Only the main
    thread receives signals, so elsewhere the block runs unlimited (feedpub reads posts in main threads only:
    the command's, or each pool worker's).
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise PostError(path, f"took more than {seconds:g} s to read and render; simplify or split it")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
