"""Date formats the output formats require."""

from __future__ import annotations

from datetime import datetime


def rfc3339(moment: datetime) -> str:
    """RFC 3339 / W3C datetime, seconds precision (Atom §3.3, JSON Feed, sitemaps' lastmod)."""
    return moment.replace(microsecond=0).isoformat()
