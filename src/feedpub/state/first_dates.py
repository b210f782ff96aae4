"""The dates file (`feedpub-dates.txt` beside config.toml): the date each undated post was first published with.

A post with no date in its front matter or file name is dated by git or its file's time, and both move: a
checkout, `touch`, `cp` or rsync would change the post's date, its URL (`:year/:month/:day`) and its guid. The
first date is therefore written down and used from then on. The file lives with the site, not in .feedpub/, and
is meant to be committed: one sorted line per post, so that two branches adding posts merge without conflict.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from feedpub.dates import EARLIEST_YEAR, LAST_YEAR
from feedpub.errors import ConfigError
from feedpub.models import KnownDates
from feedpub.plain_files import NotAPlainFile, read_plain_file

_HEADER = """\
# {name}: the date feedpub first published each post that has no date of its own (none in its front
# matter or file name), so that the post's date, URL and id never move when its file's time changes.
# Commit this file with the site. One line per post: <path relative to this folder><TAB><ISO 8601 date>.
# To date a post yourself, give it `date:` in its front matter (its line here is then ignored).
"""


MAX_DATES_FILE_BYTES = 64_000_000  # a line a post: ~60 bytes, a million posts


def _regular_file_bytes(path: Path) -> bytes:
    """The bytes of a plain file, never through a link (which could show any file's first line in an error) nor
    from a pipe or a device (which would hang the build or fill its memory)."""
    try:
        return read_plain_file(path, MAX_DATES_FILE_BYTES)
    except NotAPlainFile as error:
        raise ConfigError(
            f"{path}: the dates file is {error.strerror}; keep it a plain file of dates in the site, or set "
            "posts.dates_file"
        ) from None


def load_dates(path: Path | None) -> KnownDates:
    """The dates file's content, by the posts' paths as the scan finds them; empty when absent or not kept."""
    if path is None:
        return KnownDates()
    try:
        data = _regular_file_bytes(path)
    except FileNotFoundError:
        return KnownDates()
    except OSError as error:
        raise ConfigError(
            f"{path}: cannot read the dates file: {error.strerror}; make it readable, or set posts.dates_file"
        ) from None
    base = os.path.normpath(path.parent)
    dates: dict[str, datetime] = {}
    # Lines as dates_file writes them: ended by "\n" alone (a "\r" before it is a checkout's CRLF), not by the
    # other breaks str.splitlines knows, which a post's name may hold where unkeepable_reason is older than this.
    for number, line in enumerate(data.decode("utf-8", "replace").split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip() or line.startswith("#"):
            continue
        name, tab, text = line.partition("\t")
        try:
            moment = datetime.fromisoformat(text.strip()) if tab and name else None
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ConfigError(
                f"{path}: line {number}: expected <path><TAB><date with offset> like "
                f"'_posts/hello.md\\t2024-03-04T12:00:00+09:00' (got {line[:80]!r}); fix or delete the line"
            )
        if EARLIEST_YEAR <= moment.year < LAST_YEAR:
            # Not a date a feed can carry (the file is the site's, and a commit can say year 1): as if not kept, the
            # post is dated again and its line written anew, where front matter's would reject it.
            dates[under(base, name)] = moment
    return KnownDates(dates, hashlib.sha256(data).hexdigest())


def under(base: str, name: str) -> str:
    """`os.path.normpath(os.path.join(base, name))` for a normalised `base`, without normpath where joining alone
    gives its answer: a relative name with no empty, "." or ".." part (every line feedpub writes). A dates file of
    10,000 lines took 40 ms in normpath, a tenth of a run after one post changed."""
    framed = f"/{name}/"
    if not base.startswith("/") or "//" in framed or "/./" in framed or "/../" in framed:
        return os.path.normpath(os.path.join(base, name))
    return f"{base}/{name}" if base != "/" else f"/{name}"


def dates_file(path: Path, dates: Mapping[str, datetime]) -> bytes:
    """The dates file's bytes for `dates` (by absolute path): sorted by relative path, "/"-separated."""
    base = str(path.parent)
    lines = sorted(
        f"{os.path.relpath(source, base).replace(os.sep, '/')}\t{moment.isoformat()}\n"
        for source, moment in dates.items()
    )
    return (_HEADER.format(name=path.name) + "".join(lines)).encode("utf-8")


# A tab, and every character str.splitlines breaks a line at: a name with U+2028 in it was written, and an editor or
# tool reading the file by lines (as feedpub once did) took it for two lines, and stopped every build.
_LINE_BREAKS = frozenset("\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


def unkeepable_reason(source: str) -> str:
    """Why a post's path cannot be a line of the dates file ("" when it can): a tab or a line break of any kind in
    it, or bytes that are not UTF-8 (the file is UTF-8 text; writing it failed, and with it every build)."""
    if not _LINE_BREAKS.isdisjoint(source):
        return "its path holds a tab or a line break"
    try:
        source.encode("utf-8")
    except UnicodeEncodeError:
        return "its path is not UTF-8"
    return ""
