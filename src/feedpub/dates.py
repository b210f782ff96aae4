"""Dates: parsing what front matter and --now say, and the format the output formats require.

Kept free of third-party imports: the CLI parses --now before it knows whether anything needs building.
"""

from __future__ import annotations

import contextlib
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

EARLIEST_YEAR = 1900  # RFC 822 dates and feed readers misbehave on years like 0001
LAST_YEAR = 9998  # in UTC: a build adds days to a post's moments (the news window), and datetime ends with 9999
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S%z", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d")


def zone_named(name: str) -> ZoneInfo | None:
    """The IANA time zone `name`, None when the database has none of that name (a folder of it, "America", is none:
    ZoneInfo raised IsADirectoryError, and a build ended in an internal error)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


LOCAL_ZONE = "local"  # site.timezone's name for the zone of the process that builds (TZ, else the machine's)
# Where the machine's zone is named when TZ is not set, in the order the C library reads them.
LOCAL_ZONE_FILES = ("/etc/localtime", "/etc/timezone")


def local_zone_name() -> str | None:
    """The zone of this process as an IANA name, found where the C library (and so Ruby, and Jekyll) finds it: TZ,
    else /etc/localtime; "UTC" when neither names one, as the C library then takes; None when TZ names a zone the
    database has not (a POSIX rule like "KST-9")."""
    if "TZ" in os.environ:
        # An empty TZ is UTC to the C library; ":Asia/Seoul" and a path into the database name the same zone.
        written = os.environ["TZ"].removeprefix(":")
        name = written.rpartition("/zoneinfo/")[2] if written.startswith("/") else written
        return (name if zone_named(name) is not None else None) if name else "UTC"
    link, named = LOCAL_ZONE_FILES
    candidates = []
    with contextlib.suppress(OSError):
        candidates.append(os.path.realpath(link).partition("/zoneinfo/")[2])
    with contextlib.suppress(OSError):
        candidates.append(Path(named).read_text(encoding="utf-8").strip())
    return next((name for name in candidates if name and zone_named(name) is not None), "UTC")


def rfc3339(moment: datetime) -> str:
    """RFC 3339 / W3C datetime, seconds precision (Atom §3.3, JSON Feed, sitemaps' lastmod)."""
    # The same text without microseconds (nearly every date), and a fifth quicker than asking for seconds: a
    # sitemap formats one for each of its URLs at every build.
    text = moment.isoformat() if not moment.microsecond else moment.isoformat(timespec="seconds")
    # 25 characters unless the offset has seconds ("-00:44:30"), which RFC 3339 has no place for; and one past
    # ±14:00 (`+23:59` is RFC 3339's, not xs:dateTime's: a sitemap with it was invalid) is given in UTC.
    if len(text) == 25 and text[-5:] <= "14:00":
        return text
    return in_whole_minutes(moment).isoformat(timespec="seconds")


def in_whole_minutes(moment: datetime) -> datetime:
    """The moment, in UTC when its offset has seconds (RFC 3339 and RFC 822 offsets are hours and minutes) or is
    past ±14:00.

    Zones began at local mean time: Asia/Seoul was +08:27:52 until 1908, Africa/Monrovia -00:44:30 until 1972.
    """
    offset = moment.utcoffset()
    if offset is None:
        return moment
    outside = offset.seconds % 60 or offset.microseconds or abs(offset) > _FURTHEST_OFFSET
    return moment.astimezone(UTC) if outside else moment


def in_whole_seconds(moment: datetime) -> datetime:
    """The moment as the feeds write it: whole seconds (a CMS writes milliseconds), whole-minute offsets."""
    return in_whole_minutes(moment).replace(microsecond=0)


_FURTHEST_OFFSET = timedelta(hours=14)  # xs:dateTime's (sitemaps): RFC 3339 allows up to 23:59


def parse_date(value: Any, tz: ZoneInfo) -> datetime:
    """A front matter date in any common form; naive times take the site's time zone. Raises ValueError."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise ValueError(f"expected a date, got {type(value).__name__}")
    parsed = _parse_date_text(value.strip())
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _parse_date_text(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    for form in _DATE_FORMATS:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    from email.utils import parsedate_to_datetime  # RFC 2822 dates are rare, and the module costs 8 ms

    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        raise ValueError("not a date") from None
