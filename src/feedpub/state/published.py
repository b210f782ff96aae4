"""What a build leaves for the next run: published.json (for `feedpub ping`) and the record of the last build."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from json.encoder import encode_basestring_ascii as json_str  # what json.dumps makes of one str
from pathlib import Path
from typing import Any

from feedpub.errors import FeedpubError
from feedpub.models import FeedRef, PageRef, Published, Rejection, Site, Written, is_output_name
from feedpub.namespaces import GENERATOR_URI, JSON_FEED_MARK, PAGE_GENERATOR
from feedpub.plain_files import read_plain_file, read_plain_head
from feedpub.state.paths import OUTPUTS_NAME, outputs_path, published_path

_PAGES_AT_ONCE = 10_000  # pages encoded at a time into published.json


FEED_KINDS = ("rss", "atom", "json")


def feed_refs(site: Site, written: Iterable[Written]) -> list[FeedRef]:
    """The feeds among the files a build wrote (or kept), as published.json lists them: URL and digest."""
    return [FeedRef(site.output_uri(w.name), w.digest) for w in written if w.kind in FEED_KINDS]


def published_json(published: Published) -> bytes:
    """published.json's bytes: `json.dumps` of {site_url, feeds, pages, sitemap_url} (see `published_chunks`)."""
    return b"".join(published_chunks(published))


def published_chunks(published: Published) -> Iterator[bytes]:
    """published.json's bytes a few pages at a time, for a writer to stream into its file.

    Not one `json.dumps` of the whole: a site of 1M pages made a dict per page (230 MB) and the text twice over
    (str, then bytes) before writing a byte; and not all the pages' bytes at once either (150 MB at 1M pages, the
    build's peak).
    """
    yield _head(published.site_url, published.feeds)
    pages = published.pages
    for start in range(0, len(pages), _PAGES_AT_ONCE):
        batch = pages[start : start + _PAGES_AT_ONCE]
        text = ", ".join(f"{_page_start(p.url)}{json_str(p.fingerprint)}}}" for p in batch)
        yield (", " + text if start else text).encode()
    yield f'], "sitemap_url": {json_str(published.sitemap_url)}}}'.encode()


def _head(site_url: str, feeds: Iterable[FeedRef]) -> bytes:
    """published.json up to its first page."""
    listed = json.dumps([{"url": f.url, "digest": f.digest} for f in feeds])
    return f'{{"site_url": {json_str(site_url)}, "feeds": {listed}, "pages": ['.encode()


def _page_start(url: str) -> str:
    """A page's entry in published.json up to its fingerprint (unique: a URL is one page, and JSON escapes
    quotes, so no other text of the file holds it)."""
    return f'{{"url": {json_str(url)}, "fingerprint": '


_PAGES_START = b', "pages": ['


def patch_published(data: bytes, feeds: Mapping[str, str], pages: Mapping[str, tuple[str, str]]) -> bytes | None:
    """published.json's bytes with the digests `feeds` gives its feeds (by URL), and each page of `pages` (by URL:
    the fingerprint it has, the one it gets) given its new fingerprint: what published_json writes of the record so
    changed, without parsing its pages (10k of them: ~40 ms parsed and written again).

    A page not listed is left out (not in the sitemap). None when a listed page has another fingerprint than the
    one it should have, or the bytes are not published_json's; ValueError when they are not JSON at all.
    """
    end = data.find(_PAGES_START)
    if end < 0:
        return None
    head = json.loads(data[:end] + b"}")
    site_url, listed = head["site_url"], head["feeds"]
    if not isinstance(site_url, str) or not isinstance(listed, list):
        return None
    refs = [FeedRef(str(f["url"]), str(feeds.get(f["url"], f["digest"]))) for f in listed]
    cuts: list[tuple[int, int, bytes]] = []  # (start, end, new bytes) in `data`, one a page
    for url, (had, gets) in pages.items():
        start = data.find(_page_start(url).encode(), end)
        if start < 0:
            continue
        value = start + len(_page_start(url).encode())
        old = json_str(had).encode()
        if data[value : value + len(old) + 1] != old + b"}":
            return None
        cuts.append((value, value + len(old), json_str(gets).encode()))
    out = [_head(site_url, refs)]
    done = end + len(_PAGES_START)
    for start, stop, new in sorted(cuts):
        out += (data[done:start], new)
        done = stop
    out.append(data[done:])
    return b"".join(out)


def parse_published(data: bytes) -> Published:
    """published.json's bytes as `published_json` wrote them; ValueError, KeyError or TypeError otherwise."""
    try:
        loaded = json.loads(data)
    except RecursionError:  # `[[[[…` 2 KB deep, served by a live site: a bad fetch, not an internal error
        raise ValueError("nested too deep") from None
    return Published(
        site_url=str(loaded["site_url"]),
        feeds=tuple(FeedRef(str(f["url"]), str(f["digest"])) for f in loaded["feeds"]),
        pages=tuple(PageRef(str(p["url"]), str(p["fingerprint"])) for p in loaded["pages"]),
        sitemap_url=str(loaded["sitemap_url"]),
    )


def load_published(site: Site) -> Published | None:
    """What the last build put online; None before the first build."""
    try:
        return parse_published(read_plain_file(published_path(site)))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise FeedpubError(f"{published_path(site)}: unreadable ({error}); run `feedpub build` to remake it") from None


@dataclass(frozen=True)
class LastOutputs:
    """What the last build left in the output folder (outputs.json)."""

    files: frozenset[str]  # names relative to the output folder, "/"-separated
    posts: int  # posts it published
    # Which of them are feeds of a category or tag: wherever the generator serves a term (a taxonomy's permalink
    # pattern), a term's feeds are deleted once no post has it. Empty in a record written before it was kept.
    term_feeds: frozenset[str] = frozenset()
    # Files that build was about to delete (stale ones) when it recorded this: a build ended before it deleted
    # them leaves them to the next one, which would otherwise know them for feedpub's no more.
    removing: frozenset[str] = frozenset()
    # The other output folders' records (`build --output`), kept as they were: a build into one never makes
    # feedpub forget what it wrote into another.
    others: Mapping[str, Any] = field(default_factory=dict)
    # Each file's SHA-256 as that build left it: one a later build no longer writes (a renamed sitemap or feed, the
    # news sitemap or the page turned off) is deleted while it still holds those bytes, and kept once anything
    # else (a generator's own file of that name) has replaced them.
    digests: Mapping[str, str] = field(default_factory=dict)


_OTHER_FOLDERS_KEPT = 4


def _folder_key(site: Site, folder: Path | None = None) -> str:
    """An output folder (the site's own by default) as outputs.json names it: from the site's folder when inside
    it, so that a site moved elsewhere whole still finds its record; else its absolute path."""
    folder = site.output_dir if folder is None else folder
    site_dir = site.state_dir.parent
    if folder.is_relative_to(site_dir):
        return folder.relative_to(site_dir).as_posix()
    return str(folder)


def outputs_json(
    site: Site,
    files: Iterable[str],
    posts: int,
    term_feeds: Iterable[str] = (),
    removing: Iterable[str] = (),
    last: LastOutputs | None = None,
    digests: Mapping[str, str] | None = None,
) -> bytes:
    """The record of a build into the site's output folder, with the last records of a few other folders."""
    own: dict[str, Any] = {"files": sorted(files), "term_feeds": sorted(term_feeds), "removing": sorted(removing)}
    if digests:
        own["digests"] = dict(sorted(digests.items()))
    if site.elsewhere:
        own["elsewhere"] = True  # `build --output DIR`: a preview
    key = _folder_key(site)
    others = [(k, v) for k, v in (last.others if last else {}).items() if k != key]
    # The folders the config names first: five previews between two cron runs pushed the site's own folder out,
    # and its next build no longer knew the files it had written (a category's feed that lost its last post was
    # served forever).
    others.sort(key=lambda item: isinstance(item[1], dict) and item[1].get("elsewhere") is True)
    data = {"posts": posts, "folders": {key: own, **dict(others[:_OTHER_FOLDERS_KEPT])}}
    return json.dumps(data, ensure_ascii=False, indent=0).encode("utf-8")


def recorded_digests(
    written: Iterable[Written], last: LastOutputs | None = None, removing: Iterable[str] = ()
) -> dict[str, str]:
    """The digests a build's record keeps: the files it wrote or kept, and those of `removing` the last record knew
    (a build killed before it deleted them leaves them to the next, which deletes each while it holds them)."""
    kept = last.digests if last is not None else {}
    return {
        **{name: kept[name] for name in removing if name in kept},
        **{w.name: w.digest for w in written if w.digest},
    }


def recorded_output_names(state_dir: Path) -> set[str]:
    """Every file the output record in `state_dir` names, in any output folder; none when there is no readable
    record (for `init`, which has no config to place a Site by)."""
    try:
        data = json.loads(read_plain_file(state_dir / OUTPUTS_NAME))
        folders = data["folders"].values() if "folders" in data else [data]  # one folder's: feedpub before 2026-12
        return {str(name) for folder in folders for name in folder["files"]}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return set()


# The marks feedpub writes in the head of its files (namespaces.py): RSS's <generator>feedpub 1.2</generator>,
# Atom's <generator uri="…">, JSON Feed's custom object (a top-level key: inside a text its quotes are escaped), and
# feeds.html's <meta name="generator">.
_MARKS = (
    b"<generator>feedpub ",
    f'<generator uri="{GENERATOR_URI}"'.encode(),
    f'"{JSON_FEED_MARK}": {{'.encode(),
    PAGE_GENERATOR.encode(),
)
HEAD_BYTES = 1 << 16  # far past a channel's own elements, before its entries


def written_by_feedpub(path: Path) -> bool:
    """Whether the file at `path` is one feedpub wrote, by the mark in its head: a build of another config folder
    left it, which that folder's record lists but not this one's (`init` run in a new folder took feedpub's own
    atom.xml for the site's, and moved the feeds; their subscribers kept the old files, never updated again)."""
    try:
        head = read_plain_head(path, HEAD_BYTES)
    except OSError:  # NotAPlainFile too: a folder, a link
        return False
    return has_feedpub_mark(head)


def has_feedpub_mark(head: bytes) -> bool:
    """Whether a file whose first HEAD_BYTES bytes are `head` carries feedpub's mark (written_by_feedpub)."""
    return any(mark in head for mark in _MARKS)


def load_last_outputs(site: Site) -> LastOutputs | None:
    """What the last build left; None before the first build, or when the record is unreadable.

    An unreadable record must not stop the build that rewrites it: this build then deletes no stale file and
    skips the shrink guard, and the next one has a record again.
    """
    try:
        data = json.loads(read_plain_file(outputs_path(site)))
        key = _folder_key(site)
        if "folders" not in data:  # a record of one folder, by its absolute path (feedpub before 2026-12)
            old = {"files": data["files"], "term_feeds": data.get("term_feeds", [])}
            data = {
                "posts": data["posts"],
                "folders": {_folder_key(site, Path(data["folder"])): old},
            }
        folders = data["folders"]
        own = folders.get(key, {})  # files written into another folder (`build --output`) are not this one's
        return LastOutputs(
            frozenset(map(str, own.get("files", []))),
            recorded_count(data["posts"]),
            frozenset(map(str, own.get("term_feeds", []))),
            frozenset(map(str, own.get("removing", []))),
            {str(k): v for k, v in folders.items() if k != key and isinstance(v, dict)},
            {str(k): str(v) for k, v in own.get("digests", {}).items()},
        )
    # RecursionError: `[[[[…` 2,000 deep.
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


# Past any count of posts or files a site has, and within what a float holds exactly (the shrink guard compares in
# floats: `"posts": 10**400` stopped every build with an OverflowError).
MAX_RECORDED_COUNT = 2**53


def recorded_count(value: object) -> int:
    """A count a record holds (of posts, of files), as feedpub wrote it: a whole number from 0 to
    MAX_RECORDED_COUNT; ValueError for anything else (`1e308`, `true`, `"12"`, `-1`), which no build wrote."""
    if type(value) is not int or not 0 <= value <= MAX_RECORDED_COUNT:
        raise ValueError(f"not a count: {value!r:.40}")
    return value


_NAMES_CHECKED = 16  # of an other folder's record, looked for feedpub's mark: its feeds come first, or soon


def without_unwritten_folders(site: Site, last: LastOutputs | None, warn: Callable[[str], None]) -> LastOutputs | None:
    """The record, less the other folders inside a posts folder that hold no file feedpub wrote of those it names.

    Each such folder's files are never read as posts: a made-up `"_posts/sub": {"files": []}` in outputs.json left
    that folder's posts unpublished, silently and for good (half of them, which the shrink guard let through).
    A folder a build wrote into holds its feeds, marked as feedpub's; one that is gone hides nothing either way.
    """
    if last is None or not last.others:
        return last
    site_dir = site.state_dir.parent
    unwritten = []
    for key, record in last.others.items():
        folder = _other_folder(site_dir, key)
        inside = any(folder.is_relative_to(posts) and folder != posts for posts in site.posts.dirs)
        if inside and folder.is_dir() and not _holds_own_file(folder, record.get("files")):
            warn(
                f"{outputs_path(site)}: {key} is named as another build's output folder, but holds none of the files "
                "feedpub wrote there; its files are read as posts"
            )
            unwritten.append(key)
    if not unwritten:
        return last
    return replace(last, others={key: record for key, record in last.others.items() if key not in unwritten})


def _holds_own_file(folder: Path, names: object) -> bool:
    """Whether one of the first of `names` (a record's "files") is a file in `folder` that feedpub wrote."""
    if not isinstance(names, list):
        return False
    inside = [name for name in names if isinstance(name, str) and is_output_name(name)]
    return any(written_by_feedpub(folder / name) for name in inside[:_NAMES_CHECKED])


def _other_folder(site_dir: Path, key: str) -> Path:
    return Path(key) if os.path.isabs(key) else site_dir / key


def other_output_folders(site: Site, last: LastOutputs | None) -> list[Path]:
    """The folders other builds of this site wrote into (`build --output`, an [output] dir since changed), as
    outputs.json names them."""
    if last is None:
        return []
    site_dir = site.state_dir.parent
    return [_other_folder(site_dir, key) for key in last.others]


@dataclass(frozen=True)
class LastBuild:
    """What the last full build wrote, and until when the same inputs give the same bytes."""

    keys: dict[str, str]  # what the outputs depend on besides the clock: settings and code, the scan
    # The outputs hold for `now` in [since, until): from the last moment the clock changed them (the newest post,
    # a post come due, expired or gone from the news sitemap) to the next one.
    since: datetime | None
    until: datetime | None
    outputs: tuple[tuple[str, str], ...]  # (name, sha256 hex) of every file written
    published_json: str  # sha256 hex of published.json
    published_posts: int
    skipped: int
    rejected: tuple[Rejection, ...]
    warnings: tuple[str, ...] = ()  # the build's own (a post's terms past the cap): a partial build repeats them
    dependencies: tuple[str, ...] = ()  # the published posts' (Post.dependencies): the outputs hold while they do

    def to_json(self) -> str:
        return json.dumps(
            {
                **self.keys,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None,
                "outputs": [list(pair) for pair in self.outputs],
                "published_json": self.published_json,
                "published_posts": self.published_posts,
                "skipped": self.skipped,
                "rejected": [[r.path, r.reason] for r in self.rejected],
                "warnings": list(self.warnings),
                "dependencies": list(self.dependencies),
            },
            # ASCII: a rejected post's path may hold a byte that is not UTF-8 (a lone surrogate here), which SQLite
            # refused to store: every build ended in an internal error.
            ensure_ascii=True,
        )

    @classmethod
    def from_json(cls, text: str, key_names: tuple[str, ...]) -> LastBuild:
        """The record `to_json` wrote; raises ValueError, KeyError or TypeError on anything else."""
        try:
            return cls._from_loaded(json.loads(text), key_names)
        except RecursionError:  # `[[[[…` 2,000 deep: a record that is not ours all the same
            raise ValueError("nested too deep") from None

    @classmethod
    def _from_loaded(cls, data: dict[str, Any], key_names: tuple[str, ...]) -> LastBuild:
        return cls(
            keys={name: str(data[name]) for name in key_names},
            # .get: a record from before "since" existed belongs to other code, which the keys tell apart quietly.
            since=datetime.fromisoformat(since) if (since := data.get("since")) else None,
            until=datetime.fromisoformat(data["until"]) if data["until"] else None,
            outputs=tuple((str(name), str(digest)) for name, digest in data["outputs"]),
            published_json=str(data["published_json"]),
            published_posts=recorded_count(data["published_posts"]),
            skipped=recorded_count(data["skipped"]),
            rejected=tuple(Rejection(str(path), str(reason)) for path, reason in data["rejected"]),
            warnings=tuple(str(warning) for warning in data.get("warnings", ())),
            dependencies=tuple(str(stamp) for stamp in data.get("dependencies", ())),
        )
