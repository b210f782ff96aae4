"""What the command prints outliving whoever reads it: a reader gone (`feedpub publish | head -1`, a closed pipe) or
a full device (`> /dev/full`) on stdout or stderr loses the lines, never the run. Standard library only: the
no-change replay (command.py) prints through it before anything else is imported."""

from __future__ import annotations

import errno
import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import TextIO

_LOST_STREAM_ERRORS = (errno.EPIPE, errno.ENOSPC)


def lose_stream(error: OSError, stream: TextIO) -> None:
    """After `error` writing to `stream`: when it says the stream is lost, point its file at the null device (what it
    still holds in its buffer and all later lines go there, and so does the flush at exit, which would otherwise
    fail once more and exit 120); any other error is raised again."""
    if error.errno not in _LOST_STREAM_ERRORS:
        raise error
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, stream.fileno())
    finally:
        os.close(null)
