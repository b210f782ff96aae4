"""The incremental cache, .feedpub/cache.db: what each post file gave when last read, and what the last build wrote.

SQLite because a cron run must answer "did anything change?" by reading a few rows, and a crash in the middle
of a write must leave either the old cache or the new one (a JSON file would be rewritten whole each run).
Records are `marshal`ed tuples of builtins, never pickle: a cache file is data from disk, and loading it must not
run code (marshal builds only builtins, and nothing it loads is ever called).
A file that is not our cache (garbage, another program's database, another version) is discarded with a
warning and rebuilt; the cache only ever saves work, so losing it costs time, not correctness.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from feedpub.errors import one_line
from feedpub.models import Author, Details, Image, LeanPost, Parsed, Post, Rejection, SourceFile, Weights
from feedpub.plain_files import NotAPlainFile
from feedpub.state.sqlite import ForeignDatabase, claim, connect, transaction
from feedpub.state.stamps import code_stamp

SCHEMA_VERSION = 16  # bump when a record's shape changes: caches of other versions are discarded
# files_stats covers `stats`: a build after one edit reads every file's size and time, and through the table
# itself that read the pages of every record too (10k posts: ~18 ms; ~7 ms through the index).
_SCHEMA = """
CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, record BLOB NOT NULL);
CREATE INDEX files_stats ON files (path, size, mtime_ns);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
_BATCH = 5_000  # cached readings decoded at a time
_MARSHAL_VERSION = 4  # marshal's format (Python 3.4+): fixed, so equal readings give equal records

Warn = Callable[[str], None]
# What a damaged record or file raises as it is read (see parsed_of). MemoryError too: marshal takes a list's length
# at its word, and a 5-byte record "[" + 0x7fffffff asked for 2^31 slots; under a memory limit every build then
# stopped (exit 70), the cache never discarded.
_DAMAGED_CACHE_ERRORS = (
    sqlite3.Error,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    EOFError,
    OverflowError,
    MemoryError,
)


def fingerprint(*parts: object) -> str:
    """A digest of the settings a cached result depends on; equal settings give equal fingerprints."""
    return hashlib.blake2b(repr((SCHEMA_VERSION, code_stamp(), parts)).encode(), digest_size=16).hexdigest()


class Cache:
    """One open cache file. Every failure to read or write it turns into a warning and a rebuilt, empty cache."""

    def __init__(self, path: Path, warn: Warn) -> None:
        self.path = path
        self._warn = warn
        self._db: sqlite3.Connection | None = None
        try:
            self._db = self._connect()
        except (sqlite3.Error, OSError, ForeignDatabase) as error:
            # A link is removed as an unusable file is, which touches nothing it pointed to: the new cache is made
            # in .feedpub.
            self._discard(error.why if isinstance(error, NotAPlainFile) else str(error))

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # SQLite's rollback journal, not WAL: a cold build's bulk insert is then written once, not twice
        # (100k records: 0.28 s against 0.45 s), and only one feedpub process at a time uses the file.
        db = connect(self.path, create=True, isolation_level=None)
        try:
            claim(db, _SCHEMA, SCHEMA_VERSION, {"files", "meta"})
        except BaseException:
            db.close()
            raise
        return db

    def _discard(self, reason: str) -> None:
        """Delete the cache file and start an empty one; say so on one line."""
        self._warn(f"{self.path}: unusable cache ({one_line(reason)}); discarding it and rebuilding")
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                os.unlink(f"{self.path}{suffix}")
        try:
            self._db = self._connect()
        except (sqlite3.Error, OSError, ForeignDatabase) as error:
            self._warn(f"{self.path}: cannot create a cache ({error}); building without one")
            self._db = None

    def close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
            self._db = None

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, key: str) -> str | None:
        """A value stored with `put`; None when absent or unreadable."""
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as error:
            self._discard(str(error))
            return None
        return row[0] if row else None

    def put(self, key: str, value: str) -> None:
        self._write(lambda db: db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value)))

    def drop(self, key: str) -> None:
        """Remove a value stored with `put`."""
        self._write(lambda db: db.execute("DELETE FROM meta WHERE key = ?", (key,)))

    def forget(self, paths: Iterable[str]) -> None:
        """Drop the readings of these files: they are read again next run (a name that is not UTF-8 has none)."""
        keys = [(path,) for path in paths if storable(path)]
        self._write(lambda db: db.executemany("DELETE FROM files WHERE path = ?", keys))

    def readings(self, settings: str) -> dict[str, tuple[int, int, Parsed]]:
        """Every cached reading by path, as (size, mtime_ns, parsed); none when read under other `settings`."""
        if self._db is None:
            return {}
        try:
            if self.get("settings") != settings:
                return {}
            readings = {}
            cursor = self._db.execute("SELECT path, size, mtime_ns, record FROM files")
            # A batch at a time: 100k rows and their records never sit in memory all at once.
            shared: Shared = {}
            while rows := cursor.fetchmany(_BATCH):
                for path, size, mtime, record in rows:
                    readings[path] = (size, mtime, parsed_of(path, record, shared))
            return readings
        except _DAMAGED_CACHE_ERRORS as error:
            self._discard(str(error) or type(error).__name__)
            return {}

    def stats(self, settings: str) -> set[tuple[str, int, int]] | None:
        """(path, size, mtime_ns) of every cached reading, none restored; None when read under other `settings`."""
        if self._db is None or self.get("settings") != settings:
            return None
        try:
            # The rows as SQLite gives them: a build after one edit compares every file's, and a set of the tuples
            # is made without a line of Python a row.
            return set(self._db.execute("SELECT path, size, mtime_ns FROM files"))
        except sqlite3.Error as error:
            self._discard(str(error))
            return None

    def readings_of(self, settings: str, paths: Iterable[str]) -> dict[str, Parsed] | None:
        """The cached readings of these files alone, by path (those it has); None when unusable or under other
        `settings`: a build that needs a few posts restores those, not every post of the site."""
        if self._db is None or self.get("settings") != settings:
            return None
        readings = {}
        shared: Shared = {}
        try:
            for path in paths:
                row = self._db.execute("SELECT record FROM files WHERE path = ?", (path,)).fetchone()
                if row is not None:
                    readings[path] = parsed_of(path, row[0], shared)
        except _DAMAGED_CACHE_ERRORS as error:
            self._discard(str(error) or type(error).__name__)
            return None
        return readings

    def store(
        self, settings: str, records: Iterable[tuple[SourceFile, Record]], removed: Iterable[str], replace_all: bool
    ) -> None:
        """Keep new records (`record_of`), forget removed files; one transaction. `replace_all`: settings changed."""

        def write(db: sqlite3.Connection) -> None:
            if replace_all:
                db.execute("DELETE FROM files")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('settings', ?)", (settings,))
            db.executemany("DELETE FROM files WHERE path = ?", ((path,) for path in removed))
            db.executemany(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                ((f.path, f.size, f.mtime_ns, record) for f, record in records),
            )

        self._write(write)

    def rekey(self, old: str, new: str) -> None:
        """Keep the readings stored under the settings `old` for the settings `new`: the caller knows they agree."""
        if self.get("settings") == old:
            self.put("settings", new)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """The writes made inside are one transaction: a build's bookkeeping (records, contents, outputs, the last
        build) is kept whole or not at all, and synced to disk once, not once a write (~1 ms each on a local disk)."""
        # A connection opened with isolation_level=None is in a transaction only inside a batch (each other write
        # commits its own): one already open is this batch's caller's, which the writes join.
        began = False
        if self._db is not None and not self._db.in_transaction:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                began = True
            except sqlite3.Error as error:
                self._write_failed(error)
        if not began:
            yield
            return
        try:
            yield
        except BaseException:
            self.close()  # closing a connection rolls its open transaction back
            raise
        if self._db is not None:
            try:
                self._db.execute("COMMIT")
            except sqlite3.Error as error:
                self._write_failed(error)

    def _write(self, action: Callable[[sqlite3.Connection], object]) -> None:
        if self._db is None:
            return
        try:
            if self._db.in_transaction:  # a batch's
                action(self._db)
            else:
                with transaction(self._db):
                    action(self._db)
        except sqlite3.Error as error:
            self._write_failed(error)

    def _write_failed(self, error: sqlite3.Error) -> None:
        """Warn, and write no more this run: closing also rolls back a batch's earlier writes."""
        self._warn(f"{self.path}: cannot update the cache ({error}); the next run reads more files")
        self.close()


def storable(path: str) -> bool:
    """Whether a file's path can key the cache: not one holding the surrogates that stand for the bytes of a
    name that is not UTF-8 (SQLite takes UTF-8 text only)."""
    if path.isascii():
        return True
    try:
        path.encode("utf-8")  # strict: refuses exactly the surrogates, at C speed (a loop over 10k Hangul paths: 14 ms)
    except UnicodeEncodeError:
        return False
    return True


Record = bytes  # a reading as the cache keeps it: `record_of`, read back by `parsed_of`
Shared = dict[tuple[Any, ...], Image | Author]  # images and authors made so far, by their record (see parsed_of)


def record_of(parsed: Parsed) -> Record:
    """A reading as the cache stores it: a marshalled tuple (a run with one changed file decodes every other
    record, and marshal decodes a third as fast as JSON)."""
    return marshal.dumps(parsed_to_record(parsed), _MARSHAL_VERSION)


def _moment(value: datetime | None) -> tuple[str, str | None] | None:
    # The zone's name is kept beside the offset: a ZoneInfo and a fixed offset print alike but are not equal.
    if value is None:
        return None
    return (value.isoformat(), value.tzinfo.key if isinstance(value.tzinfo, ZoneInfo) else None)


def _from_moment(value: tuple[str, str | None] | None) -> datetime | None:
    if value is None:
        return None
    moment = datetime.fromisoformat(value[0])
    if moment.tzinfo is None:
        raise ValueError("a naive datetime in the cache")
    if not value[1]:
        return moment
    zone = ZoneInfo(value[1])
    # The wall time as written, in its zone: astimezone kept the instant but moved a time of a spring-forward gap
    # (02:30-08:00, which the clocks never show) to 03:30-07:00, another text than a clean build's. `fold` picks
    # which of a skipped or repeated wall time's two offsets it was.
    for fold in (0, 1):
        if (wall := moment.replace(tzinfo=zone, fold=fold)).utcoffset() == moment.utcoffset():
            return wall
    return moment.astimezone(zone)  # an offset the zone no longer gives that time (its rules changed)


def parsed_to_record(parsed: Parsed) -> tuple[Any, ...]:
    """A reading as a tuple of builtins; the body is left out (it is reloaded from the file when a feed needs it).

    Positional, not a dict: a run with one changed file turns every other record back into a Post, and
    positional records are quicker to load and half the size.
    """
    if parsed.rejection is not None:
        reason, takes = parsed.rejection.reason, parsed.rejection.takes
        return ("rejected", reason) if takes is None else ("rejected", reason, takes)
    post = parsed.post
    if post is None:
        return ("no post",) if parsed.no_post else ("skipped",)
    image, author = post.image, post.author
    return (
        "post",
        post.url,
        post.uri,
        post.title,
        _moment(post.published),
        _moment(post.updated),
        post.body_format,
        post.categories,
        post.tags,
        (image.url, image.mime_type, image.length, image.alt, image.in_body, image.site_wide) if image else None,
        (author.name, author.email, author.uri) if author else None,
        post.in_feeds,
        post.in_sitemap,
        post.digest,
        post.body_start,
        post.fingerprint,
        post.feed_id,
        _moment(post.due),
        _moment(post.expires),
        post.language,
        post.date_from_file,
        post.translation_key,
        post.references,
        post.dependencies,
        post.lang,
        post.in_site_feed,
        post.excerpt_only,
        tuple(post.weights) if post.weights else None,
    )


def parsed_of(path: str, record: Record, shared: Shared | None = None, details: Details | None = None) -> Parsed:
    """The reading `record_of` made; raises ValueError, TypeError, EOFError, MemoryError (marshal), IndexError or
    OverflowError (a body_start of inf) on anything else.

    `shared`: posts share a few images and authors: given the same dict across records, each is made once.
    `details`: the post is a LeanPost, whose title and digest it gives when asked.
    """
    return parsed_from_record(path, marshal.loads(record), shared, details)


def parsed_from_record(
    path: str, data: tuple[Any, ...], shared: Shared | None = None, details: Details | None = None
) -> Parsed:
    """The reading `parsed_to_record` stored; raises KeyError, TypeError, IndexError, ValueError or OverflowError on
    anything else.

    `shared`: images and authors made so far, by their record; posts share a few of them, made once. `details`:
    the post is a LeanPost, whose title and digest it gives when asked.
    """
    kind = data[0]
    if kind == "rejected":
        return Parsed(rejection=Rejection(path, str(data[1]), takes=str(data[2]) if len(data) > 2 else None))
    if kind == "skipped":
        return Parsed()
    if kind == "no post":
        return Parsed(no_post=True)
    if kind != "post":
        raise ValueError(f"a malformed record for {path}")
    # One unpacking (a record of another length raises ValueError), and moments converted only when present: a
    # build after one post changed restores every other post through here.
    (
        _,
        url,
        uri,
        title,
        published,
        updated,
        body_format,
        categories,
        tags,
        image,
        author,
        in_feeds,
        in_sitemap,
        digest,
        body_start,
        fingerprint,
        feed_id,
        due,
        expires,
        language,
        date_from_file,
        translation_key,
        references,
        dependencies,
        lang,
        in_site_feed,
        excerpt_only,
        weights,
    ) = data
    published = _from_moment(published)
    if published is None or body_format not in ("html", "markdown") or not digest or not fingerprint:
        raise ValueError(f"a malformed record for {path}")
    # The text fields and the tuples of text, each through a join, which raises TypeError on a member that is not
    # a str: a record of builtins of another type (a title of 12345, a url of None) stopped every build's rendering.
    # A join a field is the cheapest check there is: a build after one post changed restores every other post here.
    try:
        "".join((url, uri, title, digest, fingerprint, feed_id, language, translation_key, lang))
        "".join(categories), "".join(tags), "".join(references), "".join(dependencies)
    except TypeError:
        raise TypeError(f"a malformed record for {path}") from None
    if shared is None:
        shared = {}
    if image:
        image = shared.get(image) or shared.setdefault(image, _checked_image(path, image))
    if author:
        author = shared.get(author) or shared.setdefault(author, _checked_author(path, author))
    # In the order of Post's fields.
    values = (
        path,
        url,
        title,
        published,
        None,  # body
        body_format,
        None if updated is None else _from_moment(updated),
        tuple(categories),
        tuple(tags),
        image or None,
        author or None,
        in_feeds is True,
        in_sitemap is True,
        digest,
        int(body_start),
        uri,
        fingerprint,
        feed_id,
        None if due is None else _from_moment(due),
        None if expires is None else _from_moment(expires),
        language,
        translation_key,
        date_from_file is True,
        tuple(references),
        tuple(dependencies),
        lang,
        in_site_feed is True,
        excerpt_only if excerpt_only is None else excerpt_only is True,
        None if weights is None else _checked_weights(path, weights),
    )
    return Parsed(post=Post.restored(values) if details is None else LeanPost.lean(values, details))


def _checked_image(path: str, values: tuple[Any, ...]) -> Image:
    """The image a record holds; TypeError unless its fields are of their types."""
    url, mime_type, length, alt, in_body, site_wide = values
    if not (
        isinstance(url, str)
        and isinstance(mime_type, str | None)
        and (length is None or type(length) is int)
        and isinstance(alt, str)
        and isinstance(in_body, bool)
        and isinstance(site_wide, bool)
    ):
        raise TypeError(f"a malformed image in the record for {path}")
    return Image(url, mime_type, length, alt, in_body, site_wide)


def _checked_weights(path: str, values: tuple[Any, ...]) -> Weights:
    """The weights a record holds; TypeError unless they are three ints and a str."""
    page, categories, tags, title = values
    if not (type(page) is int and type(categories) is int and type(tags) is int and type(title) is str):
        raise TypeError(f"malformed weights in the record for {path}")
    return Weights(page, categories, tags, title)


def _checked_author(path: str, values: tuple[Any, ...]) -> Author:
    """The author a record holds; TypeError unless its fields are of their types."""
    name, email, uri = values
    if not (isinstance(name, str) and isinstance(email, str | None) and isinstance(uri, str | None)):
        raise TypeError(f"a malformed author in the record for {path}")
    return Author(name, email, uri)
