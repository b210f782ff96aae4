"""The one way feedpub opens its SQLite files (cache, ping state): claimed by an application id, one schema each."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

APPLICATION_ID = 0x66647062  # "fdpb" in the SQLite header: tells feedpub's files (cache, ping state) from others


class ForeignDatabase(ValueError):
    """The file is another program's database, or one of another version of feedpub."""


def claim(db: sqlite3.Connection, schema: str, version: int, tables: set[str]) -> None:
    """Create `schema` in a new, empty database, or check that an existing one is ours and of `version`.

    `schema` is the CREATE statements alone: the application id and version are written with them, in one
    transaction, so a file is either empty or whole.
    """
    application_id, user_version = (
        db.execute(f"PRAGMA {name}").fetchone()[0] for name in ("application_id", "user_version")
    )
    present = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if application_id == 0 and user_version == 0 and not present:  # a new, empty file
        db.executescript(
            f"BEGIN; PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {version}; {schema} COMMIT;"
        )
    elif application_id != APPLICATION_ID:
        raise ForeignDatabase(
            f"another program's database: application_id {application_id}, user_version {user_version}"
        )
    elif user_version != version or present != tables:
        raise ForeignDatabase(f"made by another version of feedpub (schema {user_version})")


@contextlib.contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction on a connection opened with isolation_level=None: committed whole, or rolled back."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
