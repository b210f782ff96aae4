"""Dates: parsing what front matter and --now say, and the format the output formats require.

Kept free of third-party imports: the CLI parses --now before it knows whether anything needs building.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%d %H:%M:%S%z", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d")


def rfc3339(moment: datetime) -> str:
    """RFC 3339 / W3C datetime, seconds precision (Atom §3.3, JSON Feed, sitemaps' lastmod)."""
    # The same text without microseconds (nearly every date), and a fifth quicker than asking for seconds: a
    # sitemap formats one for each of its URLs at every build.
    return moment.isoformat() if not moment.microsecond else moment.isoformat(timespec="seconds")


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
