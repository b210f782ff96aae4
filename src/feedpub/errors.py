"""The one exception family a user sees; the CLI turns each into a message and an exit code."""

from __future__ import annotations

import re
from pathlib import Path


def one_line(text: str, limit: int | None = None) -> str:
    """`text` with its runs of white space (newlines too) made single spaces, and without control characters: a
    library's or a server's message fit for one line of a terminal (a hub's reason holding `ESC ] 0 ;` set the
    terminal's title; click strips only colour sequences, and none on a terminal)."""
    joined = " ".join(text.split())
    if not joined.isprintable():
        joined = _CONTROLS.sub("", joined)
    return joined[:limit]


# Control characters, and the bidirectional overrides and isolates that reorder what a terminal shows; not the
# format characters words need (a zero-width joiner in an emoji, a zero-width non-joiner in Persian).
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class FeedpubError(Exception):
    """Base of every error feedpub reports to a user."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(FeedpubError):
    """The configuration is invalid; nothing has been written."""

    exit_code = 2


class PostError(FeedpubError):
    """One post file cannot be published; the others still are."""

    exit_code = 1

    def __init__(self, path: Path | str, reason: str, line: int | None = None, takes: str | None = None) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason
        self.line = line  # of the file, from 1, where the problem is known to be (a front matter syntax error)
        self.takes = takes  # the output file of feedpub's the post's page (or its alias) is at: Rejection.takes


class PostOverBudget(PostError):
    """A post that needs more than one may spend (read/budget.py): more time to read and render, more markup than is
    rendered, more content than an entry holds. The same bytes under the same settings and code are refused again,
    so the refusal is kept (render/build.py's refusal_key) and not paid for at every build."""


class OutputError(FeedpubError):
    """An output could not be written (disk full, permissions, ...)."""

    exit_code = 2


class PingError(FeedpubError):
    """A notification failed; it stays owed for the next run."""

    exit_code = 3


class LockError(FeedpubError):
    """Another feedpub run holds the lock for this site."""

    exit_code = 4
