"""The one way feedpub opens its SQLite files (cache, ping state): claimed by an application id, one schema each."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from feedpub.plain_files import NotAPlainFile, check_plain_file

APPLICATION_ID = 0x66647062  # "fdpb" in the SQLite header: tells feedpub's files (cache, ping state) from others


class ForeignDatabase(ValueError):
    """The file is another program's database, or one of another version of feedpub."""


def connect(path: Path, uri: str | None = None, *, create: bool, **options: Any) -> sqlite3.Connection:
    """sqlite3.connect to the file at `path` (or to `uri`, which names it), never through a link: NotAPlainFile for
    a link, a pipe, a device or a folder there.

    SQLite follows a link to the database (a committed .feedpub/cache.db -> a file outside the site became a
    database; a dangling one made one), and Python cannot pass it SQLITE_OPEN_NOFOLLOW (a flag, not a URI parameter).
    So the file is opened (made, with `create`) here first with O_NOFOLLOW, and checked. A link swapped in between
    that open and SQLite's would still be followed: that takes someone writing in .feedpub during the run, who could
    change anything the run reads; a committed link, the case that matters, is refused.

    Its journals too, which SQLite opens by their names: a pipe committed as .feedpub/cache.db-journal hung every
    build that read the cache (SQLite reads a journal it finds, to roll it back). NotAPlainFile for the database
    then, its reason naming the journal.
    """
    check_plain_file(path, create=create)  # read-only: SQLite opens a file it may not write for reading
    for journal in (f"{path}-journal", f"{path}-wal", f"{path}-shm"):
        try:
            check_plain_file(journal)
        except FileNotFoundError:
            continue  # none, as nearly always
        except NotAPlainFile as error:
            raise NotAPlainFile(error.errno, f"{journal}: {error.why}", str(path)) from None
    db: sqlite3.Connection = sqlite3.connect(uri or path, uri=uri is not None, **options)
    return db


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
        # SQLite rolls a transaction back itself on some errors (a full disk, SQLITE_FULL; an I/O error): a ROLLBACK
        # then fails with "no transaction is active", and that error hid the real one.
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
