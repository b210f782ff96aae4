"""Dates as Jekyll reads them: YAML's timestamps, and Ruby's Time.parse for the rest (notes §2)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

# YAML 1.1's timestamp with a time (yaml.org/type/timestamp): Ruby's YAML makes it a Time, UTC when it has no zone.
# Its offset as Psych reads one (observed, Ruby 3.1): hours of one or two digits, ":" and minutes, or four digits
# (`-5`, `+09`, `-5:30`, `-0530`; `-530` leaves the whole value text, for Time.parse).
_YAML_TIMESTAMP = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?:[Tt]|[ \t]+)(?P<H>\d{1,2}):(?P<M>\d{2}):(?P<S>\d{2})"
    r"(?:\.(?P<f>\d*))?(?:[ \t]*(?P<z>Z|[-+]\d{1,2}(?::\d{2})?|[-+]\d{4}))?"
)
# What may follow a numeric date: an optional time (after a space or "T", or ". ", ", ", " - " as Time.parse skips
# them), an optional zone (a name with "/", as Asia/Seoul, is one Time.parse
# ignores, as it does KST).
_CLOCK_AND_ZONE = (
    r"(?:(?:[Tt]|[.,]?\s+(?:-\s+)?|[.,])(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?(?:\s*(?P<half>[AaPp][Mm]))?)?"
    r"\s*(?P<z>Z|[-+]\d{2}:?\d{2}(?::\d{2})?|[-+]\d{2}|[A-Za-z]{1,5}|[A-Za-z]+(?:/[A-Za-z_]+)+)?"
)
# Characters Time.parse reads as a space: all but letters, digits and these marks.
_NOT_READ = re.compile(r"[^-+',./:@\[\]0-9A-Za-z\s]")
# A time of day written before the date.
_CLOCK_FIRST = re.compile(
    r"(?P<clock>\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?(?: (?:Z|[-+]\d{2}:?\d{2}))?) (?P<date>[\d./ -]+)"
)
# The numeric forms Time.parse reads: year-month-day with "-" or "/" (and "2024. 5. 4.", the dotted form Korean
# sites write), day/month/year and day.month.year with a four-digit year; each with _CLOCK_AND_ZONE after it.
_NUMERIC = re.compile(r"(?P<y>\d{4,5})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})" + _CLOCK_AND_ZONE)
_DOTTED = re.compile(r"(?P<y>\d{4})\.\s*(?P<m>\d{1,2})\.\s*(?P<d>\d{1,2})\.?" + _CLOCK_AND_ZONE)
_DAY_FIRST_NUMERIC = re.compile(r"(?P<d>\d{1,2})(?P<sep>[/.])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})" + _CLOCK_AND_ZONE)
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
# "March 15, 2020" and "15 Mar 2020", each with an optional time.
_MONTH_FIRST = re.compile(r"(?P<mon>[A-Za-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4}),?(?P<rest>.*)")
_DAY_FIRST = re.compile(
    r"(?:[A-Za-z]{3,9},?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon>[A-Za-z]{3,9})\.?,?\s+(?P<y>\d{4}),?(?P<rest>.*)"
)
_TIME = re.compile(
    r"\s*(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\s*(?P<half>[AaPp][Mm]))?"
    r"\s*(?P<z>Z|[-+]\d{2}:?\d{2}|[A-Za-z]{1,5})?\s*"
)
# The zone names Ruby's Time.parse knows among those people write; others (KST, CET…) it ignores (observed).
_NAMED_ZONES = {"utc": 0, "gmt": 0, "ut": 0, "est": -5, "edt": -4, "cst": -6, "cdt": -5, "mst": -7, "mdt": -6}
_NAMED_ZONES |= {"pst": -8, "pdt": -7}


def jekyll_date(value: Any, tz: ZoneInfo, *, quoted: bool) -> datetime | None:
    """A front-matter date as Jekyll reads it; None when Jekyll would stop the build over it.

    `quoted`: the value was written in quotes, so YAML made it text (parsed in the site's zone), not a
    timestamp (UTC when it names no zone): `2020-03-15 23:30:00` is 08:30 the next day in Seoul, and
    `'2020-03-15 23:30:00'` is 23:30 there.
    """
    if isinstance(value, datetime):  # a YAML timestamp read by PyYAML (defaults in _config.yml)
        return _held(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, date):
        return ruby_local(datetime(value.year, value.month, value.day), tz)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # Jekyll parses an integer's digits: 20200315 is a date, 1584315000 is not
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if not quoted and (found := _YAML_TIMESTAMP.fullmatch(text)):
            moment = _yaml_time(found)
        else:
            moment = _time_parse(text, tz)
    except (ValueError, OverflowError):
        return None  # an offset past 23:59 (`+99:99`), "Invalid date" to Jekyll
    # Jekyll keeps a fraction of a second, but every date it writes (feeds, sitemaps, URLs) leaves it out.
    return _held(moment.replace(microsecond=0)) if moment else None


def _yaml_time(found: re.Match[str]) -> datetime | None:
    """The Time Psych makes of a YAML timestamp (_YAML_TIMESTAMP): at its offset, UTC without one."""
    zone: timezone = UTC
    if (offset := found["z"]) is not None and offset != "Z":
        digits = offset[1:]
        hours, _, minutes = digits.partition(":") if ":" in digits or len(digits) < 4 else (digits[:2], "", digits[2:])
        span = timedelta(hours=int(hours), minutes=int(minutes or 0))
        zone = timezone(-span if offset[0] == "-" else span)
    fraction = (found["f"] or "")[:6].ljust(6, "0")
    hour, minute, second = int(found["H"]), int(found["M"]), int(found["S"])
    return _calendar(int(found["y"]), int(found["m"]), int(found["d"]), hour, minute, second, int(fraction), zone)


# The last moment every zone can show: a later one overflowed as it was put in the site's zone.
_LAST_MOMENT = datetime(9999, 12, 30, tzinfo=UTC)


def _held(moment: datetime) -> datetime | None:
    """`moment`, or the last moment feedpub holds for one past it (`9999-12-31T23:59:59-12:00` is in the year 10000
    in UTC: a post Jekyll never publishes, as feedpub never publishes one dated so far ahead); None for one before
    the year 1 in UTC."""
    try:
        return moment if moment.astimezone(UTC) <= _LAST_MOMENT else _LAST_MOMENT
    except OverflowError:
        return _LAST_MOMENT if moment.year > 1 else None


def filename_date(text: str, tz: ZoneInfo) -> datetime | None:
    """The date of a post's file name (`2019-1-2`, `20-5-6`) at midnight in the site's zone."""
    year, month, day = (int(part) for part in text.split("-"))
    return _calendar(_full_year(year, len(text.split("-")[0])), month, day, 0, 0, 0, 0, tz)


def _time_parse(text: str, tz: ZoneInfo) -> datetime | None:
    """Ruby's Time.parse on the forms people write; a missing zone is the site's."""
    # A word of letters Time.parse does not know, Hangul's "오후" (p.m.) among them: it reads on as if it were not
    # there. (Split, not a pattern: one sliding over a long run of spaces took quadratic time.)
    words = " ".join(word for word in text.split() if any(c.isascii() for c in word))
    # Time.parse reads other marks as spaces (`2022-06-29_07:45`, `07:45 (KST)`).
    plain = _as_plain_forms(" ".join(_NOT_READ.sub(" ", words).split()), text)
    if plain is None:
        return None
    text = plain
    if found := _CLOCK_FIRST.fullmatch(text):  # "10:00 2024-05-04": Time.parse finds each part wherever it is
        text = f"{found['date']} {found['clock']}"
    for numeric in (_NUMERIC, _DOTTED, _DAY_FIRST_NUMERIC):
        if match := numeric.fullmatch(text):
            return _numeric(match, tz)
    if match := _COMPACT.fullmatch(text):
        return _calendar(int(match["y"]), int(match["m"]), int(match["d"]), 0, 0, 0, 0, tz)
    for pattern in (_MONTH_FIRST, _DAY_FIRST):
        match = pattern.fullmatch(text)
        month = _MONTHS.get(match["mon"][:3].lower()) if match else None
        if match and month:
            clock = _TIME.fullmatch(match["rest"]) if match["rest"].strip() else None
            if match["rest"].strip() and clock is None:
                break
            hour, minute, second = (int(clock[k] or 0) for k in "HMS") if clock else (0, 0, 0)
            hour = _clock_hour(hour, clock["half"] if clock else None)
            zone = _zone(clock["z"] if clock else None, tz)
            return _calendar(int(match["y"]), month, int(match["d"]), hour, minute, second, 0, zone)
    from email.utils import parsedate_to_datetime  # RFC 2822 dates are rare, and the module costs 10 ms a run

    try:
        moment = parsedate_to_datetime(text)  # RFC 2822: "Sun, 15 Mar 2020 23:30:00 +0000"
    except (TypeError, ValueError, IndexError):
        return None
    return moment if moment.tzinfo else ruby_local(moment, tz)


# What Time.parse reads that the patterns above do not, rewritten to their forms (observed, Ruby 3.1): a weekday's
# name (skipped), "at" before a time, a zone written "GMT+9" or "UTC+09:00" (ignored: the site's zone), "15h30"
# (15:30), "3pm" (15:00), "T" and a zone with no time (dropped with it), a name after an offset ("+09:00 KST": the
# offset), and numbers that make no time after a whole date ("2024-05-04 10시 30분": midnight).
_WEEKDAY = re.compile(r"\b(?:sun|mon|tue|wed|thu|fri|sat)[a-z]*+\.?,?\s*", re.IGNORECASE)
_WORD_AT = re.compile(r"(?:^|\s)(?:[Aa][Tt]|@)(?=\s)")
# date(1)'s order, the year last: "May 4 10:00:00 KST 2024".
_YEAR_LAST = re.compile(
    r"([A-Za-z]{3,9}\.?\s+\d{1,2})\s+(\d{1,2}:\d{2}(?::\d{2})?(?:\s+(?:[A-Za-z]{1,5}|[-+]\d{4}))?)\s+(\d{4})"
)
_NAMED_OFFSET = re.compile(r"\b(?:gmt|utc?)[-+]\d++(?:[:.,]\d++)?", re.IGNORECASE)
# "a.m.", "P.M.", "pm." after a time as "am" and "pm".
_DOTTED_HALF = re.compile(r"(?<=[\d\s])([AaPp])\.?\s?[Mm]\b\.?")
# Minutes only right after the "h": "15h30" is 15:30, "10 h 30" 10:00 (observed).
_H_CLOCK = re.compile(r"(?<![\d:])(\d{1,2})\s*[Hh](?:(\d{1,2})[Mm]?(?:(\d{1,2})[Ss]?)?)?\b")
_HOUR_HALF = re.compile(r"(?<![\d:])(\d{1,2})\s*([AaPp])[Mm]\b")
_T_BEFORE_ZONE = re.compile(r"(?<=\d)[Tt]\s+(?=[-+])")
_SPACED_T = re.compile(r"\s[Tt](?=\d)")
# A date, then a time with its zone: what follows is read by nothing (a zone's long name, "(KST)", "[Asia/Seoul]",
# Go's "m=+0.5"); a zone Time.parse knows by name is kept.
_TIME_AND_ZONE = re.compile(
    r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?[AaPp][Mm])?"
    r"(?:\s*(?:[Zz]\b|[-+]\d{2}(?::?\d{2}(?::\d{2})?)?(?!\d)|(?P<name>[A-Za-z]+)\b))?"
)
_DATE_AND_NUMBERS = re.compile(r"(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\.?)((?:\s+\d+)+)")
_LONE_HOUR = re.compile(r"\d{4}([-/.])\d{1,2}\1\d{1,2} \d{1,2}")
_UNREAD_MARKS = re.compile(r"[!\"#$%&()*;<=>?\\^_`{|}~]")  # ASCII marks Time.parse reads as spaces
_HALF_ALONE = re.compile(r"\b[AaPp][Mm]$")


def _as_plain_forms(text: str, written: str) -> str | None:
    """`text` (the value as `written`, its words of no ASCII dropped and its unread marks made spaces) with
    Time.parse's other forms rewritten as the patterns above read them; None for "2024-05-04 pm" (a half of the
    day and no hour: Time.parse raises)."""
    text = _YEAR_LAST.sub(r"\1 \3 \2", _WEEKDAY.sub("", text).lstrip(" ,"))
    text = _NAMED_OFFSET.sub("", _WORD_AT.sub("", text)).strip()
    text = _DOTTED_HALF.sub(lambda m: f"{m[1]}m", text)
    text = _H_CLOCK.sub(lambda m: f"{m[1]}:{m[2] or '00'}" + (f":{m[3]}" if m[3] else ""), text)
    text = _HOUR_HALF.sub(lambda m: f"{m[1]}:00 {m[2]}m", text)
    if ":" not in text and _HALF_ALONE.search(text):
        return None
    text = _SPACED_T.sub(" ", _T_BEFORE_ZONE.sub(" ", text))
    if (clock := _TIME_AND_ZONE.search(text)) is not None and clock.start() > 0 and text[: clock.start()].strip():
        name = clock["name"]
        end = (
            clock.end() if name is None or name.lower() in _NAMED_ZONES or name in ("am", "pm") else clock.start("name")
        )
        text = text[:end]
    elif found := _DATE_AND_NUMBERS.fullmatch(text):
        # Numbers that make no time after a whole date are nothing ("2024-05-04 10시 30분" is midnight), but one
        # of one or two digits right after the date, the last thing written, is the hour: "2024-05-04 10" and
        # "2024-05-04 (10)" are 10:00; "10시", "10 시", "at 10", "2024-05-04, 10", "2024.05.04. 10" midnight
        # (observed; Time.parse's words take Hangul).
        numbers = found[2].split()
        hour = _LONE_HOUR.fullmatch(" ".join(_UNREAD_MARKS.sub(" ", written).split()))
        text = found[1] + (f" {numbers[0]}:00" if hour else "")
    return " ".join(text.split())


def _numeric(match: re.Match[str] | None, default_zone: ZoneInfo | timezone) -> datetime | None:
    if match is None:
        return None
    fraction = (match["f"] or "")[:6].ljust(6, "0")
    hour, minute, second, zone = int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0), match["z"]
    if match["H"] is None and zone:
        # A zone after a date with no time: Time.parse drops it (`2024-05-04 +0900` is midnight in the site's
        # zone, a URL's day), but reads "+09:00" or "-10:00" as the time 09:00, 10:00 (observed, Ruby 3.1).
        if clock := _ZONE_AS_CLOCK.fullmatch(zone):
            hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
        zone = None
    return _calendar(
        int(match["y"]),
        int(match["m"]),
        int(match["d"]),
        _clock_hour(hour, match["half"]),
        minute,
        second,
        int(fraction),
        _zone(zone, default_zone),
    )


_ZONE_AS_CLOCK = re.compile(r"[-+](\d{2}):(\d{2})(?::(\d{2}))?")


def _clock_hour(hour: int, half: str | None) -> int:
    """The hour of a 12-hour clock's "11:30 PM" (23) or "12:05 AM" (0), as Time.parse reads them."""
    if half is None or not 0 <= hour <= 12:
        return hour
    return hour % 12 + (12 if half.lower() == "pm" else 0)


def _zone(text: str | None, default: ZoneInfo | timezone) -> ZoneInfo | timezone:
    """A numeric offset or Z is honoured, a few names too; other names are ignored, as Ruby does."""
    if not text:
        return default
    if text in ("Z", "z"):
        return UTC
    if text[0] in "+-":
        digits = text[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
        offset = timedelta(hours=hours, minutes=minutes)
        return timezone(-offset if text[0] == "-" else offset)
    hours_east = _NAMED_ZONES.get(text.lower())
    return default if hours_east is None else timezone(timedelta(hours=hours_east))


def _calendar(
    year: int, month: int, day: int, hour: int, minute: int, second: int, micro: int, zone: ZoneInfo | timezone
) -> datetime | None:
    """A local time as Ruby's Time makes it: a day past the month's end rolls over (2020-02-30 is March 1), and so
    do a leap second (23:59:60 is the next day's 00:00:00) and 24:00:00 (the next day's midnight)."""
    if not (1 <= month <= 12 and 1 <= day <= 31 and minute <= 59 and second <= 60):
        return None
    if hour > 23 and not (hour == 24 and minute == second == micro == 0):
        return None
    if year > 9999:
        return _LAST_MOMENT  # `10000-01-01`: a post Jekyll never publishes (see _held)
    try:
        first = datetime(year, month, 1, min(hour, 23), minute, min(second, 59), micro)
    except ValueError:
        return None
    try:
        local = first + timedelta(days=day - 1, hours=hour - min(hour, 23), seconds=second - min(second, 59))
    except OverflowError:
        return _LAST_MOMENT  # `9999-12-31 24:00:00` rolls over into the year 10000 (see _held)
    return ruby_local(local, zone)


class RubyTime(datetime):
    """A moment as Jekyll gives it to Liquid, a Ruby Time, printed (`{{ site.time }}`, `{{ page.date }}`, jsonify) as
    Time#to_s prints it: "2026-12-07 18:50:47 +0900", without the fraction of a second. Jekyll's times are in the
    site's zone, never in Ruby's UTC mode (whose to_s ends in "UTC")."""

    def __str__(self) -> str:
        return self.strftime("%Y-%m-%d %H:%M:%S %z")


def ruby_time(moment: datetime) -> RubyTime:
    """`moment` as a RubyTime."""
    return RubyTime(
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
        moment.second,
        moment.microsecond,
        moment.tzinfo,
        fold=moment.fold,
    )


def ruby_local(local: datetime, zone: tzinfo) -> datetime:
    """The naive wall-clock time `local` in `zone` as Ruby's Time.local (and Time.parse) places it: of the two
    moments a time skipped or repeated by a change of offset may be, the later.

    A time a spring-forward skips (2024-03-10 02:15 in New York) is read with the offset before the change, so it
    is shown an hour on (03:15 -04:00: Jekyll's :hour is 03); a time an autumn change repeats (2024-11-03 01:15)
    is its second, standard-time occurrence (-05:00). Python's fold=0 gave 02:15 -05:00 and 01:15 -04:00. Checked
    against Ruby for every zone's changes from 1971 to 2037 (2,099 of them).
    """
    earlier, later = local.replace(tzinfo=zone), local.replace(tzinfo=zone, fold=1)
    if earlier.utcoffset() == later.utcoffset():
        return earlier  # nearly every time: no change of offset here
    # Through UTC: astimezone to the zone a time already has keeps its wall clock as it is.
    return max(earlier, later, key=datetime.timestamp).astimezone(UTC).astimezone(zone)


def _full_year(year: int, digits: int) -> int:
    """Ruby's two-digit years: 69-99 are 19xx, 00-68 are 20xx (`20-5-6-shortyear.md` is dated 2020)."""
    if digits > 2:
        return year
    return year + (1900 if year >= 69 else 2000)
