"""When a post was published: its front matter, its file name's YYYY-MM-DD- prefix, else git or the file's mtime."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from feedpub.dates import parse_date
from feedpub.errors import PostError
from feedpub.read.front_matter import as_text

FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.*)$")


_EARLIEST_YEAR = 1900  # RFC 822 dates and feed readers misbehave on years like 0001


@dataclass
class GitDates:
    """Last commit time of every file under a folder, from one `git log` call (made only when needed)."""

    root: Path
    _dates: dict[Path, int] | None = field(default=None, init=False)

    def get(self, path: Path) -> int | None:
        return self.load().get(path.resolve())

    def load(self) -> dict[Path, int]:
        if self._dates is None:
            self._dates = _read_git_dates(self.root)
        return self._dates


def _read_git_dates(root: Path) -> dict[Path, int]:
    # Run from a git hook (post-commit, post-receive), GIT_DIR and friends would point git at another
    # repository than the one holding the posts.
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
            env=env,
        ).stdout.strip()
        log = subprocess.run(
            [
                "git",
                "-c",
                "core.quotePath=false",
                "-C",
                str(root),
                "log",
                "--format=%x00%ct",
                "--name-only",
                "--no-renames",
                "--",
                ".",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
            env=env,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[Path, int] = {}
    stamp = 0
    for line in log.splitlines():
        if line.startswith("\x00"):
            stamp = int(line[1:])
        elif line:
            dates.setdefault((Path(top) / line).resolve(), stamp)  # the log is newest first
    return dates


def front_matter_date(path: str, metadata: Mapping[str, Any], key: str, tz: ZoneInfo) -> datetime | None:
    value = metadata.get(key)
    if value is None or value == "":
        return None
    try:
        moment = parse_date(value, tz)
        if moment.year < _EARLIEST_YEAR:
            raise ValueError("too early")
        return moment
    except (ValueError, OverflowError):
        raise PostError(
            path,
            f"front matter '{key}' is not a valid date (got {as_text(value)!r}); "
            "use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +0900",
        ) from None


def filename_parts(path: str, stem: str, tz: ZoneInfo) -> tuple[str, datetime | None]:
    """The slug part of a Jekyll file (or bundle folder) name and the date in its YYYY-MM-DD- prefix, if any."""
    match = FILENAME_DATE.match(stem)
    if not match:
        return stem, None
    year, month, day, slug = match.groups()
    try:
        return slug, datetime(int(year), int(month), int(day), tzinfo=tz)
    except ValueError:
        raise PostError(
            path, f"file name starts with an impossible date {year}-{month}-{day}; fix the YYYY-MM-DD- prefix"
        ) from None


def file_date(path: str, git: GitDates, tz: ZoneInfo) -> datetime:
    stamp = git.get(Path(path))
    if stamp is None:
        stamp = int(os.stat(path).st_mtime)
    return datetime.fromtimestamp(stamp, tz)
