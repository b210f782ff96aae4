"""Post files -> Posts. Its face is kept light: `api` imports the scan on every run, and the parsers only when
something must be read."""

from __future__ import annotations


def unknown_placeholders(permalink: str) -> list[str]:
    """The `:name` placeholders of a permalink pattern that reading leaves as they are written."""
    from feedpub.read.permalinks import unknown_placeholders as unknown

    return unknown(permalink)
