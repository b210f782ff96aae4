"""Work given a time limit where Python cannot interrupt it: a request whose reply trickles in, a sanitiser in Rust."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class StillRunning(Exception):
    """The work had not ended when its time was up."""


def within(seconds: float, work: Callable[[], T], name: str) -> T:
    """`work()` in a thread of its own: its result, or the exception it raised; StillRunning when `seconds` pass
    first. The thread left behind is a daemon: it ends with its work (a connection closed, a text sanitised) or
    with the process, and the caller goes on (the work must let go of the GIL, as requests' reads and nh3 do)."""
    outcome: list[T | BaseException] = []

    def run() -> None:
        try:
            outcome.append(work())
        except BaseException as error:  # handed to the caller below
            outcome.append(error)

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    thread.join(seconds)
    if not outcome:
        raise StillRunning
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]
