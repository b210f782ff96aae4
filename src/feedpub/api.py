"""The library API the CLI is a thin layer over: load_config -> collect -> build -> write (-> ping).

A build first stats the post files (sources.scan). When neither they, the settings nor the files the last build
wrote have changed, and no post has come due (or left the news sitemap) since, it stops there: a cron run every
few minutes costs a directory walk, and the parsers, feed libraries and requests are never imported (the
modules that need them are imported where they are used).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from feedpub.dates import rfc3339
from feedpub.errors import ConfigError, FeedpubError
from feedpub.models import (
    BuildReport,
    Collection,
    ConfigWarnings,
    CrossReferencing,
    Edition,
    FeedIds,
    FeedsOfItsOwn,
    HomePages,
    KnownDates,
    Multilingual,
    Output,
    Post,
    ReadSettings,
    Rejection,
    Site,
    Standing,
    TermFolders,
    Written,
    digest_of,
    is_output_name,
)
from feedpub.plain_files import NotAPlainFile, plain_file_digest, read_plain_file, read_plain_head
from feedpub.publish.served import (
    check_indexnow_key,
    indexnow_key_file,
    is_key_file_name,
    key_file_bytes,
    robots_txt,
)
from feedpub.publish.writer import FileSet, remove_build_temporaries, remove_stale, write_outputs
from feedpub.read import settings_for
from feedpub.read.scan import scan
from feedpub.state.cache import Cache, fingerprint
from feedpub.state.first_dates import dates_file, load_dates, unkeepable_reason
from feedpub.state.paths import cache_path, outputs_path, ping_state_path, previous_path, published_path
from feedpub.state.published import (
    FEED_KINDS,
    HEAD_BYTES,
    LastBuild,
    LastOutputs,
    feed_refs,
    has_feedpub_mark,
    load_last_outputs,
    load_published,
    other_output_folders,
    outputs_json,
    parse_published,
    published_chunks,
    recorded_digests,
    without_unwritten_folders,
)
from feedpub.state.records import (
    CONTENTS,
    LAST_BUILD,
    OUTPUT_KEYS,
    cached_contents,
    output_keys,
    put_feed_members,
    put_site_record,
)
from feedpub.state.stamps import forget_tree_stamps, stamps_hold
from feedpub.urls import PLACEHOLDER_URL

if TYPE_CHECKING:
    from feedpub.publish.pinger import PingReport

SHRINK_MINIMUM = 10  # posts the last build published, below which the shrink guard never stops a build


def ping_outputs(
    site: Site, sitemap_url: str, indexnow_key: str | None, previous: Iterable[str], warnings: list[str]
) -> list[Output]:
    """Files the notification protocols need served beside the feeds: the IndexNow key file, robots.txt.

    `previous`: the names of the files the last build wrote (a robots.txt line naming one of them is feedpub's).
    A robots.txt that is not a plain file is left as it is, with a warning in `warnings`.
    """
    outputs = []
    if site.ping.indexnow_endpoint and indexnow_key:
        outputs.append(indexnow_key_file(indexnow_key))
    # Crawlers read robots.txt at the host's root only: a site served under /blog/ has no say in it.
    if site.ping.robots_txt and urlsplit(site.url).path in ("", "/"):
        path = site.output_dir / "robots.txt"
        try:
            # Its text is kept in the new file: read as a plain file only (a link to another file's secrets would
            # be served, a pipe would hang every build), and no longer than crawlers read (Google: 500 KiB).
            existing: str | None = read_plain_file(path, MAX_ROBOTS_TXT_BYTES).decode("utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            existing = None
        except NotAPlainFile as error:
            warnings.append(f"{path}: {error.strerror}; left as it is, without the sitemap's line")
            return outputs
        except OSError as error:
            raise FeedpubError(f"{path}: cannot read: {error.strerror}") from None
        ours = {urlsplit(site.output_uri(name)).path for name in previous}
        outputs.append(Output("robots.txt", robots_txt(existing, sitemap_url, ours).encode("utf-8")))
    return outputs


MAX_ROBOTS_TXT_BYTES = 500 * 1024


def run_build(
    site: Site,
    now: datetime,
    indexnow_key: str | None = None,
    *,
    use_cache: bool = True,
    allow_shrink: bool = False,
    workers: int | None = None,
    pool_threshold: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Collect, build and write every output of the site; posts after `now` wait for a later run.

    Every file of a build appears together, or none does (publish.writer.FileSet): the outputs, published.json,
    outputs.json and the dates file. `use_cache=False` neither reads nor writes .feedpub/cache.db. `allow_shrink`
    turns the shrink guard off for this build. `workers` and `pool_threshold` go to `collect` (tests force the
    process pool with them), and so does `progress`, told (files read, files to read).
    """
    if site.url == PLACEHOLDER_URL:
        raise ConfigError(
            f"site.url is still {PLACEHOLDER_URL}, the placeholder `feedpub init` wrote; "
            "set it to the address the site is served at"
        )
    warnings = list(site.warnings)
    forget_tree_stamps()  # folders stamped by an earlier build in this process may have changed since
    if site.output_dir in site.posts.dirs:
        raise ConfigError(
            f"output.dir: {site.output_dir} is a posts folder; feedpub would read the files it writes there as "
            "posts: give output.dir (or --output) a folder of its own (one inside a posts folder is fine)"
        )
    _check_outputs_are_not_inputs(site)
    if site.output_dir.exists() and not site.output_dir.is_dir():
        raise ConfigError(
            f"output.dir: {site.output_dir} is a file, not a folder; set output.dir (or --output) to a folder, "
            "or move the file away"
        )
    if _fresh_runner(site):
        _record_previous(site, warnings)
    known = load_dates(site.dates_file)
    # Read once: nothing but this build writes it while the lock is held.
    last = without_unwritten_folders(site, load_last_outputs(site), warnings.append)
    # Before anything is written: a generator's configuration may be unreadable.
    reading = settings_for(site, known, other_output_folders(site, last), now)
    if isinstance(reading.rules, ConfigWarnings):
        warnings += reading.rules.config_warnings
    files = scan(reading)
    if files.missing_dirs:
        # Not a rejected post: a mistyped folder would otherwise publish empty feeds over the real ones.
        raise ConfigError(
            f"posts.dirs: the folder {files.missing_dirs[0]} does not exist; create it, or fix posts.dirs in the "
            "config (paths are relative to the config file)"
        )
    # What the outputs depend on besides the post files: the settings, feedpub's code, the IndexNow key.
    key_digest = hashlib.sha256(indexnow_key.encode()).hexdigest() if indexnow_key else None
    # The generator's rules too: an edited _config.yml (a permalink, `future`) must rebuild, not find "no change".
    scan_digest = files.digest()
    listing = files.listing  # kept past `del files` below
    written_state: dict[str, str] = {}  # state files this build wrote, by their SHA-256 (the dates file)

    def settled(report: BuildReport) -> BuildReport:
        """The report, with what the next run needs to tell without building that nothing changed."""
        standing = _standing_of(site, reading, listing, cache, keys, now)
        if standing is not None and written_state:
            standing = dataclasses.replace(standing, written=tuple(written_state.items()))
        return dataclasses.replace(report, standing=standing)

    keys = {
        "site": fingerprint(repr(site), repr(reading.rules), key_digest),
        "scan": _posts_digest(scan_digest, known),
    }
    cache_context = Cache(cache_path(site), warnings.append) if use_cache else contextlib.nullcontext(None)
    # Each output file hashed once a run: the no-change check and the outputs a whole build may keep both ask.
    on_disk = functools.cache(lambda name: plain_file_digest(site.output_dir / name))
    sites_files = _sites_files_at_outputs(site, reading, last, on_disk)
    with cache_context as cache, _cycle_collector_paused():
        # A file of the site's at an output is told once the posts are read (a post's page is written over): never
        # a build that finds nothing changed, nor one of the changed posts alone.
        standing = (
            _standing(site, cache, keys["site"], now, warnings, on_disk)
            if cache is not None and not sites_files
            else None
        )
        if standing is not None and standing.keys == keys:
            unchanged = _unchanged(site, standing, warnings)
            # A build killed before its renames left its temporaries beside the outputs; none will be written.
            remove_build_temporaries(site, unchanged.files)
            return settled(unchanged)
        served_key = indexnow_key  # the key whose file this build serves
        if site.ping.indexnow_endpoint and indexnow_key:
            check_indexnow_key(indexnow_key)  # before anything is written
        elif site.ping.indexnow_endpoint:
            # A cron line without the variable: the key file an earlier build wrote is served on, as the search
            # engines verify the host by it (deleted as stale, it took the site's IndexNow standing down).
            served_key = _own_key_file_key(site, last)
            unset = f"ping.indexnow_endpoint is set, but {site.ping.indexnow_key_env} is not"
            if served_key is not None and not site.elsewhere:
                warnings.append(
                    f"{unset}: the key file an earlier build wrote ({served_key}.txt) is kept, and `feedpub ping` "
                    "announces to IndexNow only with the key; set it for the build too"
                )
            elif not site.elsewhere and not _serves_a_key_file(site):
                warnings.append(
                    f"{unset}: no key file is written, and `feedpub ping` cannot announce to IndexNow; set it for "
                    "the build too"
                )
        if cache is not None and standing is not None:
            from feedpub.partial import partial_build  # not on the no-change path above

            report = partial_build(site, reading, files, known, cache, standing, keys, now, warnings, last)
            if report is not None:
                return settled(report)
        # Imported here: the no-change return above must not pay for lxml, feedgen, YAML, Markdown and requests.
        from feedpub.read.collect import POOL_THRESHOLD, TEXTS_POOL_THRESHOLD, FeedTexts, collect
        from feedpub.read.post import Reader, load_body_html

        threshold = POOL_THRESHOLD if pool_threshold is None else pool_threshold
        reader = Reader(reading, records=cache is not None)  # kept for the excerpts and bodies the feeds need
        # Handed over, not held here: collect lets go of the scan's entries as it reads them (1M files: ~115 MB).
        handed = [files]
        del files
        collection = collect(
            reading,
            now,
            files=handed.pop(),
            cache=cache,
            workers=workers,
            pool_threshold=threshold,
            progress=progress,
            while_pool_reads=_import_build_modules,
            reader=reader,
        )
        from feedpub.render.build import build  # imported already when a pool read the posts

        _check_not_the_sites_files(site, sites_files, collection.rejected)
        warnings += collection.warnings
        modified_later = _modified_later(collection.posts, now)
        # Warnings about posts, told again by a build of a few changed posts (LastBuild.warnings).
        post_warnings = [_modified_later_warning(post, later, now) for post, later in modified_later]

        listed = _listed(collection.posts)  # what the shrink guard compares, and the record keeps for the next
        if not allow_shrink:
            _check_shrink(site, last, listed)
        contents = cached_contents(cache, keys["site"]) if cache is not None else None
        keepable = _keepable(cache, keys["site"], on_disk) if cache is not None else {}
        rules = reading.rules
        links: Mapping[str, str] = rules.links(reading, collection.posts) if isinstance(rules, CrossReferencing) else {}
        body_html = functools.partial(load_body_html, reading, rendered=reader.rendered, links=links)
        texts = FeedTexts(
            reader, body_html, workers, TEXTS_POOL_THRESHOLD if pool_threshold is None else pool_threshold, links
        )
        editions = rules.editions() if isinstance(rules, Multilingual) else ()
        term_folders = rules if isinstance(rules, TermFolders) else None
        previous = {name: key for name, (key, _) in keepable.items()}
        result = build(
            site,
            collection.posts,
            now,
            body_html=texts.body_html,
            contents=contents,
            editions=editions,
            previous=previous,
            links=links,
            term_folders=term_folders,
            excerpt_of=texts.excerpt,
            texts_ahead=texts.ahead,
            listing=collection.listing,
            feed_ids=rules if isinstance(rules, FeedIds) else None,
            home_pages=rules if isinstance(rules, HomePages) else None,
        )
        extra = ping_outputs(site, result.sitemap_url, served_key, last.files if last else (), warnings)
        # First dates of undated posts, kept from now on (see state/first_dates.py); one whose path no line of the
        # dates file can hold is told of at every build, as its date (and URL, and id) moves with its file's.
        undated = [p for p in collection.posts if p.date_from_file and known.get(p.source) is None]
        dated = {p.source: p.published for p in undated if not unkeepable_reason(p.source)}
        if site.dates_file is not None:
            post_warnings += [
                _unkept_date_warning(p, why, site.dates_file) for p in undated if (why := unkeepable_reason(p.source))
            ]
        with FileSet() as staged:
            # Lazily: term feeds and sitemap parts are rendered one by one as they are staged, never all in memory.
            kept = {name: digest for name, (_, digest) in keepable.items()}
            passed_over: list[str] = []  # outputs a folder of the site stands in the place of: told at every run
            written = write_outputs(
                itertools.chain(result.iter_outputs(), extra), site.output_dir, staged, kept, passed_over
            )
            warnings += passed_over
            # What is now live, for `feedpub ping` to compare with what each target has acknowledged.
            feeds = feed_refs(site, written)
            published = result.published(feeds)
            # Streamed into its file: at 1M pages its 150 MB of bytes made at once were the build's peak.
            published_digest = staged.prepare_chunks(published_path(site), published_chunks(published), state=True)
            term_feeds = _term_feed_names(site, editions, written)
            # The parts the new sitemap (or index) no longer lists, and the feeds of a category or tag no post has
            # any more (a reader would otherwise be served its last entries forever, where the generator's own
            # build drops the file), when feedpub wrote them: deleted once the new files are in place, and named
            # in the record until then.
            names = [w.name for w in written]
            stale = _stale(site, last, set(names))
            digests = recorded_digests(written, last, stale)  # the stale files' until they are gone
            record = outputs_json(site, names, listed, term_feeds, stale, last, digests)
            staged.prepare(outputs_path(site), record, state=True)
            if site.ping.previous:
                # Served with the site, for the next fresh runner's `_record_previous`.
                staged.prepare_chunks(site.output_dir / site.ping.previous, published_chunks(published))
            if dated and site.dates_file is not None:
                data = dates_file(site.dates_file, {**known.dates, **dated})
                staged.prepare(site.dates_file, data)
                written_state[str(site.dates_file)] = hashlib.sha256(data).hexdigest()
            staged.commit()
        removed = remove_stale(site.output_dir, stale)
        if stale:  # all deleted: the record as a build with none to delete leaves it
            with FileSet() as staged:
                record = outputs_json(site, names, listed, term_feeds, (), last, recorded_digests(written))
                staged.prepare(outputs_path(site), record, state=True)
                staged.commit()
        remove_build_temporaries(site, written)
        report = BuildReport(
            published_posts=len(collection.posts) - len(result.rejected),
            rejected=collection.rejected + result.rejected,
            skipped=collection.skipped,
            files=tuple(written),
            unchanged=False,
            removed=tuple(removed),
            warnings=(*warnings, *post_warnings, *result.warnings),
            dated=tuple(sorted(dated.items())),
            dates_file=site.dates_file if dated else None,
        )
        if cache is not None:
            with cache.batch():
                if dated:
                    # The readings made now carry exactly the dates just recorded: they stay good under the new file.
                    now_known = load_dates(site.dates_file)
                    cache.rekey(fingerprint(reading), fingerprint(dataclasses.replace(reading, dates=now_known)))
                    keys = {**keys, "scan": _posts_digest(scan_digest, now_known)}
                put_site_record(cache, CONTENTS, keys["site"], "html", result.contents)
                keyed = {w.name: [w.key, w.digest] for w in written if w.key}
                put_site_record(cache, OUTPUT_KEYS, keys["site"], "files", keyed)
                if read_again := [r.path for r in result.rejected if r.path not in result.refused]:
                    # A post whose file was not what its cached reading said: read it afresh next run, which must
                    # then build, not reuse this one. One refused for what its texts cost stands as read: the next build
                    # refuses it again from the cache, and one with no change reuses this one.
                    cache.forget(read_again)
                    cache.drop(LAST_BUILD)
                else:
                    told = (*passed_over, *post_warnings, *result.warnings)
                    last_build = _last_build(
                        site, report, keys, collection, now, published_digest, told, modified_later
                    )
                    if result.members is not None:
                        put_feed_members(cache, result.members, keys["site"], last_build.published_json)
                    cache.put(LAST_BUILD, last_build.to_json())
            # With the cache's own warning, when it could not be updated: made after the report was.
            report = settled(dataclasses.replace(report, warnings=(*warnings, *post_warnings, *result.warnings)))
    return report


def _modified_later(posts: Sequence[Post], now: datetime) -> list[tuple[Post, datetime]]:
    """The posts modified after the build's time, each with that time: warned of, and kept in the last build's
    record (one pass: comparing 10k aware datetimes is ~15 ms)."""
    return [(post, later) for post in posts if (later := post.modified_after(now))]


def _modified_later_warning(post: Post, later: datetime, now: datetime) -> str:
    """The warning for a post modified after the build's time.

    Published as written, as jekyll-feed and Hugo publish it (clamped, it would change at every build until the
    date): `feedpub validate` refuses such a date, and a search engine stops trusting a sitemap's lastmod for it.
    """
    return (
        f"{post.source}: modified {rfc3339(later)}, after the time of this build ({rfc3339(now)}); published as "
        "written, which `feedpub validate` refuses and search engines distrust: check its year"
    )


def _unkept_date_warning(post: Post, why: str, kept_in: Path) -> str:
    """The warning for an undated post whose first date the dates file cannot keep (`why`: unkeepable_reason)."""
    return (
        f"{post.source!r}: no date, and {why}, which {kept_in.name} cannot keep: it is dated by git or its file's "
        f"time at every build (now {post.published.isoformat()}), and its URL and id move when that does; add a "
        "date: to its front matter, or rename it"
    )


def _stale(site: Site, last: LastOutputs | None, names: set[str]) -> list[str]:
    """The files the last build left that this one did not write and feedpub deletes: sitemap parts, term feeds,
    IndexNow key files, and those the last build was deleting when it ended."""
    from feedpub.render.channels import is_term_feed_name
    from feedpub.render.sitemap import is_sitemap_name

    if last is None:
        return []
    # The record is a file on disk, so its names are checked as any input is: "./rss.xml" or "tags/../rss.xml" is
    # not a name feedpub writes, and named the main feed as it was being written (a crafted outputs.json deleted
    # it, and any file of the output folder, at the next build).
    return sorted(
        name
        for name in last.files | last.removing
        if name not in names
        and is_output_name(name)
        and (
            # A sitemap part or term feed by its name alone only in an old record that keeps no digests; where it
            # keeps them, as any other file below (a generator's page served there since, a Hugo post's `url:
            # /tags/foo/atom.xml`, stays).
            ((is_sitemap_name(site.sitemap, name) or is_term_feed_name(site.feeds, name)) and name not in last.digests)
            or (name in last.term_feeds and _is_own_feed(site, name))
            # A key rotated (or IndexNow turned off): the old key file kept proving the host's ownership. Only
            # while it holds what feedpub wrote: a site's own (Hugo's copy of static/<key>.txt) stays.
            or (is_key_file_name(name) and _holds_own_key(site, name))
            # Any other file the last build wrote (a sitemap or feed renamed, the news sitemap or the page turned
            # off, a term feed whose address its text escapes), while it holds those bytes; not robots.txt, into
            # which feedpub merges its Sitemap line (turning ping.robots_txt off deleted a site's Disallow rules),
            # nor a key file, which has its own rule.
            or (name != "robots.txt" and not is_key_file_name(name) and _holds(site, name, last.digests.get(name)))
        )
    )


def _holds(site: Site, name: str, digest: str | None) -> bool:
    """Whether the output file `name` holds exactly the bytes of SHA-256 `digest`."""
    return digest is not None and plain_file_digest(site.output_dir / name) == digest


def _serves_a_key_file(site: Site) -> bool:
    """Whether the output folder holds a file named as an IndexNow key file is (the site's own, or an earlier
    build's): the key may be the site's to serve."""
    try:
        return any(is_key_file_name(name) for name in os.listdir(site.output_dir))
    except OSError:
        return False


def _own_key_file_key(site: Site, last: LastOutputs | None) -> str | None:
    """The key of the IndexNow key file the last build wrote, while it holds what feedpub wrote there."""
    names = sorted(name for name in last.files if is_key_file_name(name)) if last is not None else []
    return next((name.removesuffix(".txt") for name in names if _holds_own_key(site, name)), None)


def _holds_own_key(site: Site, name: str) -> bool:
    """Whether the key file `name` holds exactly what feedpub writes there: the key its name is."""
    key = name.removesuffix(".txt")
    return key_file_bytes(site.output_dir, key) == key.encode("utf-8")


def _is_own_feed(site: Site, name: str) -> bool:
    """Whether the output file `name` is a feed feedpub wrote there: one naming itself at its own address, and
    feedpub as its generator (or a JSON Feed, which names none). A term feed of a pattern no longer configured is
    known by the record alone, which is a file on disk: `data/search.json` in it was deleted as a term feed."""
    if "/" not in name or not name.endswith((".xml", ".json")):
        return False
    try:
        head = read_plain_file(site.output_dir / name)[:4096]
    except OSError:
        return False
    own = site.output_uri(name).encode("utf-8")
    if name.endswith(".json"):
        return b'"version": "https://jsonfeed.org/version/1' in head and b'"feed_url": "' + own + b'"' in head
    return b'href="' + own + b'"' in head and b">feedpub" in head


# Outputs no page of the site stands in the place of: robots.txt, whose own lines feedpub keeps (Hugo's, a site's),
# adding its Sitemap line; and the published state served for fresh runners, which no generator writes.
_MERGED_OR_OWN = frozenset({"ping.robots_txt", "ping.previous"})
_GENERATOR_NAMES = {"jekyll": "Jekyll", "hugo": "Hugo"}


def _sites_files_at_outputs(
    site: Site, reading: ReadSettings, last: LastOutputs | None, on_disk: OutputDigest
) -> dict[str, str]:
    """The outputs (name: setting) whose file in the generator's output folder is one of the site's own pages or
    files (a page added at /feeds.html, a static sitemap.xml), which the build would replace: once the posts are
    read, `_check_not_the_sites_files` stops the build for those that are no post's page.

    A file there is feedpub's while it holds what the last build recorded writing, or carries feedpub's mark, or
    opens as its sitemaps do (a build of another config folder's); the generator's own feed at the address
    feedpub's takes over (Hugo's home RSS, jekyll-feed's feed.xml) is replaced by design. `init` keeps feedpub's
    names off the site's files; this catches the pages added since, which the site lost with exit 0."""
    rules = reading.rules
    if rules is None:
        return {}
    editions = rules.editions() if isinstance(rules, Multilingual) else ()
    found: dict[str, str] = {}
    for name, key in site.named_outputs(editions).items():
        digest = on_disk(name)
        if key in _MERGED_OR_OWN or digest is None:
            continue  # none there (a folder is passed over as it is written, with a warning)
        if last is not None and name in last.files and last.digests.get(name, digest) == digest:
            continue
        path = site.output_dir / name
        try:
            head = read_plain_head(path, HEAD_BYTES)
        except OSError:  # NotAPlainFile too: a folder, a link
            head = b""
        if has_feedpub_mark(head):
            continue
        if key.startswith("feeds.") and isinstance(rules, FeedsOfItsOwn) and rules.writes_feed(name, head):
            continue
        if key.startswith("sitemap."):
            from feedpub.render.sitemap import is_own_sitemap  # as in _stale: only where a sitemap is in question

            if is_own_sitemap(head):
                continue  # a build of another config folder's (a sitemap carries no mark of feedpub's)
        found[name] = key
    return found


def _check_not_the_sites_files(site: Site, found: Mapping[str, str], rejected: Sequence[Rejection]) -> None:
    """ConfigError, before anything is written, for an output whose file `_sites_files_at_outputs` found to be the
    site's own, unless it is the page (or Hugo alias) of a post rejected for being at that name: a post cannot stop
    every build (the site's main feed stayed that post's page), nor take the feed's place. It is rejected by name,
    as when its page is not there yet, and feedpub's file is written over its page."""
    taken = {rejection.takes for rejection in rejected}
    for name, key in found.items():
        if name in taken:
            continue
        generator = _GENERATOR_NAMES.get(site.posts.generator, site.posts.generator)
        raise ConfigError(
            f"{site.output_dir / name}: the site's own file, served at {site.output_uri(name)} (a page or file "
            f"{generator} wrote), is where feedpub writes {key}, and would be replaced by it; give {key} another "
            f"name in {site.config_file.name if site.config_file else 'the config'}, or that page another address"
        )


def _check_outputs_are_not_inputs(site: Site) -> None:
    """ConfigError, before anything is written, for an output file that would be written over one of the site's
    inputs: the config file, the dates file, feedpub's state, a post (`page = "config.toml"` in an output folder
    "." replaced the config with the subscribe page, and the next run could not start)."""
    inputs = {path.resolve() for path in (site.config_file, site.dates_file) if path is not None}
    source = site.posts.source.resolve() if site.posts.source is not None else None
    if source is not None:
        # The generator's own configuration: an output folder that is the site's source (GitHub Pages builds
        # Jekyll there) made `page = "_config.yml"` replace it, and every later run stopped.
        inputs |= {source / name for name in _GENERATOR_CONFIGS.get(site.posts.generator, ())}
    state = site.state_dir.resolve()
    output = site.output_dir.resolve()
    posts_dirs = [folder.resolve() for folder in site.posts.dirs]
    for key, name in site.own_files():
        path = (site.output_dir / name).resolve()
        if (
            path in inputs
            or path.is_relative_to(state)
            or _in_generator_folder(site.posts.generator, source, output, path)
        ):
            what = "feedpub's state" if path.is_relative_to(state) else "an input of the site"
            raise ConfigError(f"{key}: {name} in the output folder is {path}, {what}; name another file")
        readable = path.suffix.lower() in site.posts.extensions  # a name the scan would read as a post
        for folder in posts_dirs:
            # An output folder inside a posts folder is fine: its files are never read as posts; so is a feed or
            # sitemap there (blog/rss.xml beside blog/*.html posts), whose name is no post's.
            if readable and path.is_relative_to(folder) and not output.is_relative_to(folder):
                raise ConfigError(
                    f"{key}: {name} in the output folder is {path}, in the posts folder {folder}, where it would "
                    "be read as a post or written over one; name another file"
                )


# The files a generator reads its configuration from, in its source folder, and the folders it reads as templates,
# data or content (Jekyll: every "_" folder; Hugo: its own), which no output of feedpub's may be written into.
_GENERATOR_CONFIGS = {
    "jekyll": ("_config.yml", "_config.yaml", "_config.toml"),
    "hugo": tuple(f"{stem}.{kind}" for stem in ("hugo", "config") for kind in ("toml", "yaml", "yml", "json")),
}
_HUGO_FOLDERS = ("config", "content", "layouts", "data", "i18n", "archetypes", "assets", "themes")


def _in_generator_folder(generator: str, source: Path | None, output: Path, path: Path) -> bool:
    """Whether `path` is in a folder of the generator's source it reads as input (unless the output folder
    `output` itself is in it: Jekyll's `_site`, or a destination of another "_" name). Paths resolved."""
    if source is None or not path.is_relative_to(source) or path == source:
        return False
    first = path.relative_to(source).parts[0]
    if output.is_relative_to(source / first):
        return False
    if generator == "jekyll":
        return first.startswith("_")
    return generator == "hugo" and first in _HUGO_FOLDERS


def _term_feed_names(site: Site, editions: Sequence[Edition], written: Iterable[Written]) -> list[str]:
    """The category and tag feeds among the files written: every feed but the site's own and its languages'."""
    folders = {"", *(edition.folder for edition in editions)}
    own = {folder + name for folder in folders for name in (site.feeds.rss, site.feeds.atom, site.feeds.json)}
    return [w.name for w in written if w.kind in FEED_KINDS and w.name not in own]


def _fresh_runner(site: Site) -> bool:
    """Whether this build runs where no ping state was ever kept (an ephemeral CI runner), for `[ping] previous`."""
    return _keeps_previous(site) and not ping_state_path(site).exists() and not previous_path(site).exists()


def _keeps_previous(site: Site) -> bool:
    """Whether a fresh runner's build fetches what the live site published (`[ping] previous`, with targets)."""
    ping = site.ping
    return bool(ping.previous and (ping.websub_hubs or ping.indexnow_endpoint or ping.xmlrpc or ping.urls))


def _standing_of(
    site: Site,
    reading: ReadSettings,
    listing: tuple[tuple[str, str, bytes], ...] | None,
    cache: Cache | None,
    keys: Mapping[str, str],
    now: datetime,
) -> Standing | None:
    """What a later run checks before importing the rest of feedpub (state/standing.py), from the record of the
    last build this run left or found; None where files it cannot stat decide (a link among the posts or the
    generator's files, git's history, a fresh runner's fetch), or where the next run must build anyway.

    A Jekyll or Hugo site's record holds, besides the posts, what its rules' reading looked at (Inputs): its
    configuration files and the places they may be, the folders whose listings decided, and the times its pages'
    dates were compared with."""
    inputs = reading.rules.inputs if reading.rules is not None else None
    if (
        cache is None
        or listing is None
        or site.through_links
        or _keeps_previous(site)
        or (inputs is not None and inputs.refused)
    ):
        return None
    text = cache.get(LAST_BUILD)
    if text is None:
        return None  # a build with rejected outputs: the next one builds again
    try:
        last = LastBuild.from_json(text, ("site", "scan"))
    except (ValueError, KeyError, TypeError):
        return None
    if last.keys != keys:
        return None
    state_files = (published_path(site), outputs_path(site), cache.path)
    since, until = last.since, last.until
    dependencies = last.dependencies
    if inputs is not None:
        # The rules' reading depends on the clock too (a Hugo section whose publishDate comes): it holds between the
        # last of those times passed and the next to come.
        since = max(
            (moment for moment in (since, *inputs.moments) if moment is not None and moment <= now), default=None
        )
        until = min(
            (moment for moment in (until, *inputs.moments) if moment is not None and moment > now), default=None
        )
        beyond = inputs.beyond({path for path, _, _ in listing})
        if beyond is None:
            return None  # a file or folder it read changed while the build ran: the next run reads it again
        dependencies += tuple(beyond)
    posts = reading.posts
    # A generator's source folder too: its configuration and listings are read there.
    source = (reading.site_dir,) if inputs is not None else ()
    return Standing(
        report=_unchanged(site, last, []),
        skipped=tuple(map(str, posts.own)),
        paths=tuple(
            str(path)
            for path in (*posts.dirs, site.output_dir, site.static_dir, site.dates_file, *source)
            if path is not None
        ),
        listing=listing,
        since=since,
        until=until,
        dependencies=dependencies,
        state_files=state_files + ((site.dates_file,) if site.dates_file is not None else ()),
    )


def _record_previous(site: Site, warnings: list[str]) -> None:
    """Keep what the live site published before this runner's build, for `feedpub ping` to take as announced.

    Fetched now, while the site still serves the previous build: after the deployment it serves this one.
    """
    from feedpub.publish.pinger import fetch_previous

    url = site.output_uri(site.ping.previous)
    try:
        data = fetch_previous(site, url)
        if data is not None:
            parse_published(data)  # a file that is not ours is reported now, not taken as a baseline
    except FeedpubError as error:
        warnings.append(f"{error}; the next ping from here announces as on first contact")
        return
    except (ValueError, KeyError, TypeError) as error:
        warnings.append(f"{url}: not a published state ({error}); the next ping announces as on first contact")
        return
    if data is not None:
        with FileSet() as staged:
            staged.prepare(previous_path(site), data, state=True)
            staged.commit()


def _posts_digest(scan_digest: str, known: KnownDates) -> str:
    """What the posts are, as far as a build can tell without reading them: their files' stats and the dates file."""
    return digest_of(scan_digest, known.digest)


def _listed(posts: Sequence[Post]) -> int:
    """The posts the site lists (in its sitemap, or its own feed): what the shrink guard counts. A Hugo cascade of
    `_build: {list: never}` left every post published, and the feeds and sitemap empty, past a guard that counted
    posts."""
    return sum(1 for post in posts if post.in_sitemap or (post.in_feeds and post.in_site_feed))


def _check_shrink(site: Site, last: LastOutputs | None, count: int) -> None:
    """Stop a build that would drop more than posts.max_shrink of the posts the last build listed (`_listed`).

    A posts folder emptied by a failed checkout or a half-finished sync must not empty the feeds.
    """
    if last is None or last.posts < SHRINK_MINIMUM or count >= last.posts * (1 - site.max_shrink):
        return
    raise FeedpubError(
        f"this build would publish {count} of the {last.posts} posts the last build published "
        f"({1 - count / last.posts:.0%} fewer; posts.max_shrink allows {site.max_shrink:.0%}); nothing was written. "
        "If the posts were removed on purpose, run `feedpub build --allow-shrink` (or `publish --allow-shrink`) "
        "once, or raise [posts] max_shrink; otherwise check posts.dirs and the post files"
    )


def _import_build_modules() -> None:
    """Import what building needs (~50 ms) while pool workers read the posts, instead of after them."""
    import markdown_it  # noqa: F401  # most sites write Markdown: its first render would import it

    import feedpub.render.build  # noqa: F401


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a build piles up posts and entries.

    They hold no reference cycles, and its repeated scans of them cost ~2 s of a 16 s cold build of 100k posts.
    Cycles made meanwhile are collected once it is back on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _last_build(
    site: Site,
    report: BuildReport,
    keys: dict[str, str],
    collection: Collection,
    now: datetime,
    published_digest: str,
    warnings: tuple[str, ...],
    modified_later: Sequence[tuple[Post, datetime]],
) -> LastBuild:
    """What `_unchanged` needs to tell, next run, that building again would write the same bytes.
    `modified_later`: the posts modified after `now` (_modified_later)."""
    # The same posts give the same outputs only while `now` stays between the clock's last change to them and its
    # next: a post coming due or expiring (either way: `--now` may go back), or entering or leaving the news sitemap.
    changes = [collection.next_due] if collection.next_due else []
    # And its warnings, which a partial build repeats: a post modified after `now` is warned of until then.
    changes += [later for _, later in modified_later]
    past = [collection.last_change] if collection.last_change else []
    # The newest post's date, once the clock has passed it: one published ahead of its date (Jekyll's `future: true`,
    # Hugo's buildFuture) is no time builds had passed, and made every later run warn that the clock went back.
    if shown := next((p.published for p in collection.posts if p.published <= now), None):
        past.append(shown)
    if site.sitemap.news:
        from feedpub.render.news import WINDOW, news_posts

        # A post leaves the news sitemap two days after it was published; an earlier `now` brings it back.
        gone = WINDOW + timedelta(microseconds=1)
        changes += [p.published + gone for p in news_posts(collection.posts, now)]
        past += next(([p.published + gone] for p in collection.posts if p.published + gone <= now), [])
    return LastBuild(
        keys=keys,
        since=max(past) if past else None,
        until=min(changes) if changes else None,
        outputs=tuple((f.name, f.digest) for f in report.files),
        published_json=published_digest,  # SHA-256 (hex) of published.json's bytes
        published_posts=report.published_posts,
        skipped=report.skipped,
        rejected=report.rejected,
        warnings=warnings,
        dependencies=tuple(dict.fromkeys(stamp for post in collection.posts for stamp in post.dependencies)),
    )


OutputDigest = Callable[[str], str | None]  # an output file's digest now, by name (None: it cannot be read)


def _keepable(cache: Cache, site_key: str, on_disk: OutputDigest) -> dict[str, tuple[str, str]]:
    """name -> (key, digest) of the last build's outputs that still hold what it wrote, under the same settings and
    code: what this build may keep instead of rendering (a file deleted or edited by hand is rendered again)."""
    recorded = output_keys(cache, site_key)
    return {name: (key, digest) for name, (key, digest) in recorded.items() if on_disk(name) == digest}


def _standing(
    site: Site, cache: Cache, site_key: str, now: datetime, warnings: list[str], on_disk: OutputDigest
) -> LastBuild | None:
    """The record of the last build while everything it wrote stands: made under these settings and this code,
    for a `now` in the clock's same window, and published.json and every output still as it wrote them."""
    text = cache.get(LAST_BUILD)
    if text is None:
        return None
    try:
        last = LastBuild.from_json(text, ("site", "scan"))
    except (ValueError, KeyError, TypeError) as error:
        warnings.append(f"{cache.path}: unreadable record of the last build ({error}); building again")
        return None
    if last.keys["site"] != site_key:
        return None
    if last.since and now < last.since:
        # An earlier --now, or a clock set back: posts published since come out again, expired or old ones come
        # back. Said, as it takes pages down that readers and IndexNow were told of.
        warnings.append(
            f"the time of this build ({now.isoformat(timespec='minutes')}) is before "
            f"{last.since.astimezone(now.tzinfo).isoformat(timespec='minutes')}, "
            "which the last build had passed: what was published since is taken down again; check the machine's "
            "clock, or --now"
        )
        return None
    if last.until and now >= last.until:
        return None  # a post came due, or left the news sitemap
    if plain_file_digest(published_path(site)) != last.published_json:
        return None
    if any(on_disk(name) != digest for name, digest in last.outputs):
        return None  # deleted or edited by hand: write it again
    if not stamps_hold(last.dependencies):
        return None  # a file a post includes was edited: the post is read again
    return last


def _unchanged(site: Site, last: LastBuild, warnings: list[str]) -> BuildReport:
    """The last build's report, for a build whose posts are as the last one found them (it would write the same
    bytes)."""
    return BuildReport(
        published_posts=last.published_posts,
        rejected=last.rejected,
        skipped=last.skipped,
        files=tuple(Written(name, site.output_dir / name, False, digest) for name, digest in last.outputs),
        unchanged=True,
        warnings=tuple(warnings),
    )


def run_ping(site: Site, indexnow_key: str | None, *, dry_run: bool = False, since: str | None = None) -> PingReport:
    """Send what the last build owes each target; a failed notification stays owed for the next run.

    Where no ping state was kept, the previous published state counts as announced: `since` (a file, or a URL on
    the site), else what the build fetched (`[ping] previous`).
    """
    from feedpub.publish.pinger import fetch_previous, ping

    published = load_published(site)
    if published is None:
        raise FeedpubError(
            f"nothing to announce: {published_path(site)} is missing; run `feedpub build` first (a build with "
            "--output DIR into another folder than [output] dir is not announced)"
        )
    source = since or str(previous_path(site))
    try:
        if since and since.startswith(("http://", "https://")):
            data = fetch_previous(site, since)
        else:
            exists = since or previous_path(site).exists()
            data = read_plain_file(source, follow_links=bool(since)) if exists else None
        previous = parse_published(data) if data is not None else None
    except OSError as error:
        raise FeedpubError(f"{source}: cannot read: {error.strerror}; give --since a published.json") from None
    except (ValueError, KeyError, TypeError) as error:
        raise FeedpubError(f"{source}: not a published state written by feedpub build ({error})") from None
    report = ping(
        site, published, state_path=ping_state_path(site), key=indexnow_key, dry_run=dry_run, previous=previous
    )
    if not dry_run:
        previous_path(site).unlink(missing_ok=True)  # the ping state holds it now
    return report
