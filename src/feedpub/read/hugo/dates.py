"""Front matter dates as Hugo 0.111.3 reads them: the layouts its date conversion tries, and nothing else.

Hugo hands a date's text to spf13/cast, which tries a fixed list of Go layouts in turn; text none of them takes
is no date, and the page gets Hugo's zero date (0001-01-01), its URL's `:year` "1". feedpub's own parser is
kinder (`2024-01-02 23:30`, `2024/01/02`), and where it read a date Hugo did not, a permalink with date tokens
pointed at a page Hugo never wrote. Every rule here was observed against Debian's hugo 0.111.3
(tests/test_hugo_reader.py runs it on each layout and its near misses):

- a layout matches the whole text (no white space trimmed: `" 2024-01-02"` quoted is no date), month and day
  names in any case, the weekday never checked against the date; seconds may carry a fraction (`.5` or `,5`);
- a layout without a zone, or with a zone's name only (`EST`), gives the wall clock in the site's time zone (cast
  moves it there, as Go's time.Date does: see in_zone); one with a numeric offset keeps that offset;
- a two-digit year is 1969–2068, as Go reads it;
- a number (YAML's unquoted `20240102`) is seconds since 1970, in UTC;
- a time without a date (`3:04PM`, `Jan 2 15:04:05`) is in year 0, which no feed can carry: such a page is
  rejected, naming the value.
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any, Literal

Zone = Literal["site", "offset", "none"]  # the site's time zone; the text's own offset; a time of day only

_Y4, _Y2, _MM, _DD = r"(?P<Y>\d{4})", r"(?P<y>\d{2})", r"(?P<m>\d{2})", r"(?P<d>\d{2})"
_UNDER_DAY = r" ?(?P<d>\d{1,2})"  # Go's "_2": a padding space or none, then one or two digits
_MONTH, _WEEKDAY, _LONG_WEEKDAY = r"(?P<mon>[A-Za-z]{3})", r"(?P<wd>[A-Za-z]{3})", r"(?P<wd>[A-Za-z]+)"
_CLOCK = r"(?P<H>\d{1,2}):(?P<M>\d{2}):(?P<S>\d{2})(?:[.,](?P<f>\d+))?"
_HOUR_MINUTE = r"(?P<H>\d{2}):(?P<M>\d{2})"
# A zone's name where Go's parser takes one: three upper-case letters, four or five ending in T, a few special
# names, or a signed hour up to 23 (+0500 is none: it is a number past 23).
_SIGNED_HOUR = r"[+-](?:[01]?\d|2[0-3])(?!\d)"
_NAME = rf"(?:ChST|MeST|GMT(?:{_SIGNED_HOUR})?|WITA|[A-Z]{{4}}T|[A-Z]{{3}}T|[A-Z]{{3}}|{_SIGNED_HOUR})(?![A-Za-z])"
_HHMM, _HH_MM = r"(?P<o>[+-]\d{4})", r"(?P<o>[+-]\d{2}:\d{2})"
_Z_HHMM, _Z_HH_MM = r"(?P<o>Z|[+-]\d{4})", r"(?P<o>Z|[+-]\d{2}:\d{2})"

# cast's layouts in the order it tries them, each as the text it takes and where its time is.
_LAYOUT_TEXTS: tuple[tuple[str, Zone], ...] = (
    (rf"{_Y4}-{_MM}-{_DD}", "site"),  # 2006-01-02
    (rf"{_Y4}-{_MM}-{_DD}T{_CLOCK}{_Z_HH_MM}", "offset"),  # RFC 3339
    (rf"{_Y4}-{_MM}-{_DD}T{_CLOCK}", "site"),
    (rf"{_WEEKDAY}, {_DD} {_MONTH} {_Y4} {_CLOCK} {_HHMM}", "offset"),  # RFC 1123Z
    (rf"{_WEEKDAY}, {_DD} {_MONTH} {_Y4} {_CLOCK} {_NAME}", "site"),  # RFC 1123
    (rf"{_DD} {_MONTH} {_Y2} {_HOUR_MINUTE} {_HHMM}", "offset"),  # RFC 822Z
    (rf"{_DD} {_MONTH} {_Y2} {_HOUR_MINUTE} {_NAME}", "site"),  # RFC 822
    (rf"{_LONG_WEEKDAY}, {_DD}-{_MONTH}-{_Y2} {_CLOCK} {_NAME}", "site"),  # RFC 850
    (rf"{_Y4}-{_MM}-{_DD} {_CLOCK} {_HHMM} {_NAME}", "offset"),  # Go's Time.String()
    (rf"{_Y4}-{_MM}-{_DD}T{_CLOCK}{_HHMM}", "offset"),
    (rf"{_Y4}-{_MM}-{_DD} {_CLOCK}{_Z_HHMM}", "offset"),
    (rf"{_Y4}-{_MM}-{_DD} {_CLOCK}", "site"),
    (rf"{_WEEKDAY} {_MONTH} {_UNDER_DAY} {_CLOCK} {_Y4}", "site"),  # ANSIC
    (rf"{_WEEKDAY} {_MONTH} {_UNDER_DAY} {_CLOCK} {_NAME} {_Y4}", "site"),  # Unix date
    (rf"{_WEEKDAY} {_MONTH} {_DD} {_CLOCK} {_HHMM} {_Y4}", "offset"),  # Ruby date
    (rf"{_Y4}-{_MM}-{_DD} {_CLOCK}{_Z_HH_MM}", "offset"),
    (rf"{_DD} {_MONTH} {_Y4}", "site"),
    (rf"{_Y4}-{_MM}-{_DD} {_CLOCK} {_HH_MM}", "offset"),
    (rf"{_Y4}-{_MM}-{_DD} {_CLOCK} {_HHMM}", "offset"),
    (r"\d{1,2}:\d{2}[AaPp][Mm]", "none"),  # Go's Kitchen: a time of day
    (rf"{_MONTH} {_UNDER_DAY} {_CLOCK}", "none"),  # Go's Stamp (and its Milli, Micro, Nano)
)
_LAYOUTS = tuple((re.compile(pattern), zone) for pattern, zone in _LAYOUT_TEXTS)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class TimeOnly(ValueError):
    """A time of day without a date: Hugo dates it in year 0."""


def hugo_date(value: Any, tz: tzinfo) -> datetime | None:
    """The date Hugo reads from a front matter value; None where it reads none (the page's date is then zero).

    Raises TimeOnly for a time without a date.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, datetime):  # TOML's own date-times; a local one is in the site's zone
        return value if value.tzinfo else in_zone(value, tz)
    if isinstance(value, date):
        return in_zone(datetime(value.year, value.month, value.day), tz)
    if isinstance(value, int):
        try:
            return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=value)
        except OverflowError:
            return None
    if not isinstance(value, str):
        return None
    for pattern, zone in _LAYOUTS:
        if (match := pattern.fullmatch(value)) is not None:
            if zone == "none":
                raise TimeOnly(value)
            return _moment(match, tz if zone == "site" else None)
    return None


def _moment(match: re.Match[str], tz: tzinfo | None) -> datetime | None:
    """The match's date and time: in `tz`, else at its own offset; None for a date that does not exist."""
    fields = match.groupdict()
    month = int(fields["m"]) if fields.get("m") else _name_index(_MONTHS, fields["mon"]) + 1
    if fields.get("wd") is not None and not _is_weekday(fields["wd"]):
        return None
    year = int(fields["Y"]) if fields.get("Y") else _two_digit_year(int(fields["y"]))
    fraction = (fields.get("f") or "")[:6].ljust(6, "0")
    if month == 0:
        return None
    try:
        wall = datetime(
            year,
            month,
            int(fields["d"]),
            int(fields.get("H") or 0),
            int(fields.get("M") or 0),
            int(fields.get("S") or 0),
            int(fraction),
        )
    except ValueError:
        return None  # 2024-02-30, 24:00, :60: Go refuses them, and cast gives no date
    return wall.replace(tzinfo=_offset(fields["o"])) if tz is None else in_zone(wall, tz)


def in_zone(wall: datetime, tz: tzinfo) -> datetime:
    """A wall-clock time (naive) in the zone `tz`, as Go's time.Date places it: at the zone's offset at the instant
    the wall time minus the offset the zone has at the wall time read as UTC. Where the zone skips the wall time
    (spring forward) or has it twice (fall back), that is not Python's choice (observed, timeZone
    "America/Los_Angeles": 2024-03-10T02:30 is 01:30 -0800; "Europe/Berlin": 2024-03-31T02:30 is 03:30 +0200 and
    2024-10-27T02:30 the second one, +0100; "America/Havana": the date 2024-03-10 is 2024-03-09 23:00 -0500)."""
    if isinstance(tz, timezone):
        return wall.replace(tzinfo=tz)  # one offset at every instant
    as_utc = wall.replace(tzinfo=UTC)
    try:
        first_guess = as_utc - _offset_at(as_utc, tz)
        return (as_utc - _offset_at(first_guess, tz)).astimezone(tz)
    except OverflowError:  # the first or last day Python can hold: no transitions there
        return wall.replace(tzinfo=tz)


def _offset_at(instant: datetime, tz: tzinfo) -> timedelta:
    return instant.astimezone(tz).utcoffset() or timedelta(0)


def _name_index(names: tuple[str, ...], name: str) -> int:
    """The position of a month's name (Go reads them in any case); -1 when it is none."""
    lowered = name.lower()
    return next((n for n, known in enumerate(names) if known == lowered), -1)


def _is_weekday(name: str) -> bool:
    lowered = name.lower()
    return any(lowered in (day, day[:3]) for day in _WEEKDAYS)


def _two_digit_year(year: int) -> int:
    return 1900 + year if year >= 69 else 2000 + year


@functools.lru_cache(maxsize=64)  # a site's pages share a few offsets: each zone made once, not once a date
def _offset(text: str) -> tzinfo:
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4])))
