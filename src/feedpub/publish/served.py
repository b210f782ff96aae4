"""Files the notification protocols need served beside the feeds: the IndexNow key file and robots.txt.

Apart from the pinger because every build writes them: a build must not import requests, which only sending needs.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from urllib.parse import urlsplit

from feedpub.errors import ConfigError
from feedpub.models import Output
from feedpub.plain_files import read_plain_file

_KEY = re.compile(r"[A-Za-z0-9-]{8,128}")  # IndexNow key rule


def check_indexnow_key(key: str) -> None:
    """Raise ConfigError unless `key` is 8 to 128 characters of a-z, A-Z, 0-9 and '-'."""
    if not _KEY.fullmatch(key):
        raise ConfigError(
            f"the IndexNow key must be 8 to 128 characters of a-z, A-Z, 0-9 and '-' (got {len(key)} "
            "characters); make one with: python -c 'import uuid; print(uuid.uuid4().hex)'"
        )


def is_key_file_name(name: str) -> bool:
    """Whether `name` is one an IndexNow key file of feedpub's has (in the output folder's top)."""
    return name.endswith(".txt") and _KEY.fullmatch(name.removesuffix(".txt")) is not None


def key_file_bytes(folder: Path, key: str) -> bytes | None:
    """The bytes of the key file of `key` in the output folder `folder`, read as a plain file; None for none."""
    try:
        return read_plain_file(folder / f"{key}.txt", 4096)
    except OSError:
        return None


def indexnow_key_file(key: str) -> Output:
    """Return the key file IndexNow fetches from keyLocation: UTF-8, its whole body the key."""
    check_indexnow_key(key)
    return Output(name=f"{key}.txt", data=key.encode("utf-8"), kind="other")


def robots_txt(existing: str | None, sitemap_url: str, ours: Collection[str] = ()) -> str:
    """Return robots.txt naming `sitemap_url`, keeping every other line of `existing`.

    Sitemap pings are gone (Google and Bing, 2022-2023); this line is how engines find the sitemap.
    A Sitemap line naming, on the same host, one of `ours` (the paths of the files feedpub wrote last time: the
    sitemap was renamed, or the scheme changed) is replaced in place; every other one is kept: jekyll-sitemap's
    or the site's own sitemap stays listed beside feedpub's.
    """
    line = f"Sitemap: {sitemap_url}"
    if existing is None:
        return f"User-agent: *\nAllow: /\n\n{line}\n"
    lines = existing.splitlines(keepends=True)
    values = [_sitemap_value(text) for text in lines]
    if sitemap_url in values:
        return existing
    host = urlsplit(sitemap_url).hostname
    for i, value in enumerate(values):
        if value is not None and urlsplit(value).hostname == host and urlsplit(value).path in ours:
            lines[i] = line + (lines[i][len(lines[i].rstrip("\r\n")) :] or "\n")
            return "".join(lines)
    newline = "\r\n" if "\r\n" in existing else "\n"
    head = existing if not existing or existing.endswith("\n") else existing + newline
    gap = newline if head.strip() and not head.endswith(newline * 2) else ""
    return f"{head}{gap}{line}{newline}"


def _sitemap_value(line: str) -> str | None:
    field, colon, value = line.partition(":")
    if colon and field.strip().lower() == "sitemap":
        return value.split("#", 1)[0].strip()
    return None
