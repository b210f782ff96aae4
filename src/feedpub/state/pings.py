"""The ping state, .feedpub/state.db: what each notification target has acknowledged."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Literal

from feedpub.errors import FeedpubError, OutputError, PingError, one_line
from feedpub.models import FeedRef
from feedpub.plain_files import NotAPlainFile
from feedpub.state.sqlite import ForeignDatabase, claim, connect, transaction

Kind = Literal["websub", "indexnow", "xmlrpc", "url"]
_REASON_LIMIT = 200  # characters of SQLite's message kept in the one-line error
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE target (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, url TEXT NOT NULL, UNIQUE (kind, url));
CREATE TABLE feed_ack (
    target_id INTEGER NOT NULL REFERENCES target, url TEXT NOT NULL, digest TEXT NOT NULL,
    PRIMARY KEY (target_id, url)) WITHOUT ROWID;
CREATE TABLE page_ack (
    target_id INTEGER NOT NULL REFERENCES target, url TEXT NOT NULL, fingerprint TEXT NOT NULL,
    PRIMARY KEY (target_id, url)) WITHOUT ROWID;
"""


class PingState:
    """What each target acknowledged, in SQLite; one lock serializes the worker threads' use."""

    def __init__(self, conn: sqlite3.Connection, *, fresh: bool = False) -> None:
        self._conn = conn
        self._lock = threading.Lock()
        self.fresh = fresh  # no state file existed: a first run here (an ephemeral CI runner, or a first ping)

    @classmethod
    def open(cls, path: Path, *, readonly: bool) -> PingState:
        """Open (or, unless `readonly`, create) the state file; OutputError if it is not ours."""
        # A dry run must not create the file: an empty in-memory state stands in for a missing one.
        # It still opens an existing file read-write ("rw", not "ro"): only a writable connection can
        # roll back the hot journal a run killed mid-commit leaves. It writes nothing else.
        fresh = not path.exists() or path.stat().st_size == 0
        missing = readonly and fresh
        try:
            if not readonly:
                path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: the transactions are cache.transaction's BEGIN IMMEDIATE ... COMMIT in
            # ack(), in the default rollback journal, durable before the next request goes out.
            if missing:
                conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            else:
                uri = f"{path.resolve().as_uri()}?mode={'rw' if readonly else 'rwc'}"
                conn = connect(path, uri, create=not readonly, isolation_level=None, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise unusable(path, exc.why if isinstance(exc, NotAPlainFile) else str(exc)) from exc
        try:
            claim(conn, _SCHEMA, _SCHEMA_VERSION, {"target", "feed_ack", "page_ack"})
        except (sqlite3.Error, ForeignDatabase) as exc:
            conn.close()
            raise unusable(path, str(exc)) from exc
        return cls(conn, fresh=fresh)

    def close(self) -> None:
        self._conn.close()

    def feeds(self, kind: Kind, target: str) -> dict[str, str]:
        """Return the feed digests `target` acknowledged, by feed URL.

        A row SQLite holds as another type than text (a BLOB written by hand) is taken as never acknowledged: it
        is announced again, and replaced by the acknowledgement, rather than compared with a str and crashing.
        """
        with self._lock:
            rows = self._conn.execute(
                "SELECT f.url, f.digest FROM feed_ack f JOIN target t ON t.id = f.target_id"
                " WHERE t.kind = ? AND t.url = ? AND typeof(f.url) = 'text' AND typeof(f.digest) = 'text'",
                (kind, target),
            )
            return dict(rows.fetchall())

    def pages(self, kind: Kind, target: str) -> dict[str, str] | None:
        """Return the page fingerprints `target` acknowledged, or None if it never acknowledged anything."""
        with self._lock:
            row = self._conn.execute("SELECT id FROM target WHERE kind = ? AND url = ?", (kind, target)).fetchone()
            if row is None:
                return None
            rows = self._conn.execute(
                "SELECT url, fingerprint FROM page_ack"
                " WHERE target_id = ? AND typeof(url) = 'text' AND typeof(fingerprint) = 'text'",
                row,
            )
            return dict(rows.fetchall())

    def ack(self, kind: Kind, target: str, feeds: Iterable[FeedRef], pages: Mapping[str, str | None]) -> None:
        """Record in one transaction what `target` just acknowledged; a None fingerprint forgets a page."""
        with self._lock, transaction(self._conn):
            self._conn.execute("INSERT OR IGNORE INTO target (kind, url) VALUES (?, ?)", (kind, target))
            (target_id,) = self._conn.execute(
                "SELECT id FROM target WHERE kind = ? AND url = ?", (kind, target)
            ).fetchone()
            self._conn.executemany(
                "INSERT OR REPLACE INTO feed_ack VALUES (?, ?, ?)", [(target_id, f.url, f.digest) for f in feeds]
            )
            self._conn.executemany(
                "INSERT OR REPLACE INTO page_ack VALUES (?, ?, ?)",
                [(target_id, url, fp) for url, fp in pages.items() if fp is not None],
            )
            self._conn.executemany(
                "DELETE FROM page_ack WHERE target_id = ? AND url = ?",
                [(target_id, url) for url, fp in pages.items() if fp is None],
            )


# SQLite's primary result codes of a file it cannot write now (a full disk, a file or folder made read-only, an I/O
# error), which says nothing of what the file holds.
_CANNOT_WRITE = {sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN}


def state_error(path: Path, error: sqlite3.Error) -> FeedpubError:
    """The error to show for `error` from the state file at `path`. One it cannot write is a ping failure (exit 3):
    what this run delivered and could not record is sent again by the next run, and the file, whole, is kept;
    advice to delete it would have every target told everything again."""
    if (error.sqlite_errorcode & 0xFF) in _CANNOT_WRITE:  # an extended code's low byte is its primary one
        return PingError(
            f"{path}: cannot write: {one_line(str(error), _REASON_LIMIT)}; make room on its disk (or make it "
            "writable): what this run delivered and could not record is sent again by the next run"
        )
    return unusable(path, str(error))


def unusable(path: Path, why: str) -> OutputError:
    """A state file that cannot be used: exit 2, as for other state of .feedpub's (3 says a notification failed and
    stays owed, which is not what happened)."""
    return OutputError(
        f"{path}: unusable ping state ({one_line(why, _REASON_LIMIT)}); delete the file and the next run starts "
        "afresh, announcing the current feeds and newest pages again"
    )
