"""The cache's records of the last build, kept as JSON beside the post readings: the content HTML of its feed
entries, what each output was rendered from, and which posts each feed showed. Each is made under one set of
settings and code (`site_key`): under others it is ignored and made again. Losing one costs time, not
correctness: the build then renders what the record would have spared it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from feedpub.models import FeedMembers, TermMembers
from feedpub.state.cache import Cache, storable

LAST_BUILD = "last_build"  # what the last build wrote (state.published.LastBuild)
CONTENTS = "contents"  # the feed entries' content HTML and excerpts by content key (render.build.Build.contents)
OUTPUT_KEYS = "output_keys"  # what each output file was rendered from (Output.key), and its digest
FEED_MEMBERS = "feed_members"  # which posts each feed showed (models.FeedMembers)


def site_record(cache: Cache, name: str, site_key: str, field: str) -> dict[str, Any] | None:
    """The mapping `field` of the cache's JSON record `name`, if it was made under these settings and this code."""
    try:
        data = json.loads(cache.get(name) or "null")
    except ValueError:
        return None  # unreadable: what it held is made again, and stored afresh
    if not isinstance(data, dict) or data.get("site") != site_key or not isinstance(data.get(field), dict):
        return None
    return data[field]  # type: ignore[no-any-return]


def put_site_record(cache: Cache, name: str, site_key: str, field: str, value: Mapping[str, Any]) -> None:
    cache.put(name, json.dumps({"site": site_key, field: dict(value)}, ensure_ascii=False))


def cached_contents(cache: Cache, site_key: str) -> dict[str, str] | None:
    """The content HTML and excerpts the last build made, unless the settings or feedpub's code have changed since."""
    html = site_record(cache, CONTENTS, site_key, "html")
    return html if html is not None and all(isinstance(v, str) for v in html.values()) else None


def output_keys(cache: Cache, site_key: str) -> dict[str, tuple[str, str]]:
    """name -> (key, digest) of the last build's outputs under these settings and code, as it recorded them."""
    files = site_record(cache, OUTPUT_KEYS, site_key, "files") or {}
    try:
        return {name: (str(key), str(digest)) for name, (key, digest) in files.items()}
    except (ValueError, TypeError):
        return {}  # not pairs: every output is rendered, and the record made afresh


def put_feed_members(cache: Cache, members: FeedMembers, site_key: str, build: str) -> None:
    """Keep which posts each feed of the build `build` (its published.json's digest) showed; nothing when one of
    their file names is not UTF-8 (the cache keeps no reading of it either: every build reads it)."""
    sources = [*members.main, *(source for t in members.terms for source in t.sources)]
    if not all(map(storable, sources)):
        cache.drop(FEED_MEMBERS)
        return
    record = {
        "main": list(members.main),
        "terms": [[t.folder, t.title, t.name, list(t.sources)] for t in members.terms],
    }
    put_site_record(cache, FEED_MEMBERS, site_key, build, record)


def feed_members(cache: Cache, site_key: str, build: str) -> FeedMembers | None:
    """What `put_feed_members` kept for the build `build`, under these settings and code; None for anything else."""
    data = site_record(cache, FEED_MEMBERS, site_key, build)
    if data is None:
        return None
    try:
        return FeedMembers(
            tuple(map(str, data["main"])),
            tuple(
                TermMembers(str(folder), str(title), str(name), tuple(map(str, sources)))
                for folder, title, name, sources in data["terms"]
            ),
        )
    except (KeyError, ValueError, TypeError):
        return None
