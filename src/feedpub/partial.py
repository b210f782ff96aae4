"""A build after a few posts were edited and nothing else changed: only the feeds that show them are made again.

A whole build restores every unchanged post from the cache (10k posts: an object each, the largest part of a
build after one edit) to place each in the feeds, the sitemap and the page list. When the edited posts keep their
places (URL, dates, terms, image, whether they are in feeds and sitemaps), every post keeps its place, so the
last build's placing still holds: the cache keeps it (models.FeedMembers), and this build reads the edited files,
restores only the posts of the feeds that show them, renders those feeds (and the feeds page when the site's own
feed is among them), and gives published.json the edited pages' fingerprints. Anything else (a post added,
removed, moved or rejected, a setting, the clock, a second language, a cross-reference, the news sitemap) makes
`partial_build` decline, and the caller builds the whole site; tests/test_incremental.py checks that both write
the same bytes.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from datetime import datetime

from feedpub.models import (
    BuildReport,
    FeedIds,
    FeedMembers,
    HomePages,
    KnownDates,
    Multilingual,
    Post,
    ReadSettings,
    Scan,
    Site,
    SourceFile,
    Written,
)
from feedpub.plain_files import read_plain_file
from feedpub.publish.writer import FileSet, remove_build_temporaries, write_outputs
from feedpub.state.cache import Cache, Record, fingerprint
from feedpub.state.paths import outputs_path, published_path
from feedpub.state.published import (
    LastBuild,
    LastOutputs,
    feed_refs,
    outputs_json,
    patch_published,
    recorded_digests,
)
from feedpub.state.records import (
    CONTENTS,
    LAST_BUILD,
    OUTPUT_KEYS,
    cached_contents,
    feed_members,
    output_keys,
    put_feed_members,
    put_site_record,
)

PARTIAL_LIMIT = 20  # edited post files past which the whole site is built: more is a site-wide change


def _place(post: Post) -> tuple[object, ...]:
    """What of a post decides which outputs show it, where and in what order, and what the sitemap says of it.

    Dates as written (isoformat): the same instant in another zone prints otherwise in the sitemap. Not where an
    undated post's date came from (git, its file, the dates file): the date is what outputs show, and a first
    date still to be recorded in the dates file is the caller's to refuse.
    """
    return (
        post.url,
        post.uri,
        post.published.isoformat(),
        post.updated.isoformat() if post.updated else None,
        post.due.isoformat() if post.due else None,
        post.expires.isoformat() if post.expires else None,
        post.categories,
        post.tags,
        post.image.url if post.image else None,
        post.in_feeds,
        post.in_site_feed,
        post.excerpt_only,
        post.in_sitemap,
        post.language,
        post.translation_key,
        post.weights,
    )


def partial_build(
    site: Site,
    reading: ReadSettings,
    files: Scan,
    known: KnownDates,
    cache: Cache,
    last: LastBuild,
    keys: dict[str, str],
    now: datetime,
    warnings: list[str],
    outputs: LastOutputs | None = None,
) -> BuildReport | None:
    """The build's report when only a few posts' files changed and each keeps its place (see the module's
    docstring); None, having written nothing, when the whole site must be built. `last` is the last build's
    record, checked to stand (api._standing) under the same settings (`keys["site"]`); `outputs` the record of
    the files in the output folder (outputs.json), given its files' new digests."""
    rules = reading.rules
    if site.sitemap.news or reading.post_limit is not None:
        return None  # the news sitemap moves with the clock and shows titles; limit_posts moves with every post
    if isinstance(rules, Multilingual) and len(rules.editions()) > 1:
        return None
    members = feed_members(cache, keys["site"], last.published_json)
    settings_key = fingerprint(reading)
    stats = cache.stats(settings_key)
    if members is None or stats is None:
        return None
    changed = _changed_files(files, stats)
    # A rejected post stays rejected only by a whole build's say: a file at another post's URL is rejected for
    # the newer one, whose page looks like its own to published.json.
    rejected = {r.path for r in last.rejected}
    if not changed or any(f.path in rejected for f in changed):
        return None
    old = cache.readings_of(settings_key, [f.path for f in changed])
    if old is None or len(old) != len(changed):
        return None  # a file in place of one removed (renamed, replaced): the whole build reads it, once
    from feedpub.read.post import Reader, load_body_html  # the parsers: only once a post must be read
    from feedpub.render.build import content_key, excerpt_key, page_instead_of_home, rebuild_feeds

    reader = Reader(reading, records=True)
    edited: dict[str, tuple[SourceFile, Post, Record]] = {}
    before: dict[str, Post] = {}
    for file in changed:
        parsed, record = reader.reading(file)
        was = old.get(file.path)
        post, old_post = parsed.post, was.post if was is not None else None
        if post is None or old_post is None or record is None or _place(post) != _place(old_post):
            return None  # a post that came, went or moved: its place and others' change
        if post.references or (post.date_from_file and known.get(file.path) is None):
            return None  # its content needs every post's URL; or its first date goes into the dates file
        if post.dependencies or old_post.dependencies:
            return None  # the files it includes are the last build's record to keep (LastBuild.dependencies)
        if post.modified_after(now) or old_post.modified_after(now):
            return None  # the last build's warnings, which this one repeats, lack or still hold its warning
        edited[file.path] = (file, post, record)
        before[file.path] = old_post
    published = _published_with(site, before, {path: post for path, (_, post, _) in edited.items()})
    if published is None:
        return None
    shown = _shown_posts(cache, settings_key, members, edited)
    if shown is None:
        return None

    links: dict[str, str] = {}  # no post rendered here refers to another (checked above and in _shown_posts)
    body_html = functools.partial(load_body_html, reading, rendered=reader.rendered, links=links)
    contents = cached_contents(cache, keys["site"])
    recorded = output_keys(cache, keys["site"])
    digests = dict(last.outputs)
    previous = {name: key for name, (key, _) in recorded.items() if name in digests}
    feed_ids = rules if isinstance(rules, FeedIds) else None
    page_url = page_instead_of_home(site, rules if isinstance(rules, HomePages) else None, "")
    rebuilt = rebuild_feeds(
        site,
        members,
        shown,
        frozenset(edited),
        previous,
        body_html,
        contents,
        reader.excerpt,
        feed_ids=feed_ids,
        page_url=page_url,
    )
    if rebuilt.rejected or any(o.name not in digests for o in rebuilt.outputs):
        if rebuilt.refused:
            # Kept for the whole build, which then refuses that post again without reading it (refusal_key).
            put_site_record(cache, CONTENTS, keys["site"], "html", {**(contents or {}), **rebuilt.contents})
        return None  # an edited post that cannot be rendered leaves every output: a whole build says so

    with FileSet() as staged:
        passed_over: list[str] = []
        made = {w.name: w for w in write_outputs(rebuilt.outputs, site.output_dir, staged, digests, passed_over)}
        if passed_over:
            return None  # a folder where an output was: a whole build writes the others and says why
        written = [made.get(name) or Written(name, site.output_dir / name, False, d) for name, d in last.outputs]
        feed_digests = {feed.url: feed.digest for feed in feed_refs(site, made.values())}
        data = patch_published(published, feed_digests, {})
        if data is None:
            raise AssertionError("published.json's bytes were checked by _published_with")
        staged.prepare(published_path(site), data, state=True)
        if site.ping.previous:
            staged.prepare(site.output_dir / site.ping.previous, data)
        if outputs is not None:
            # The files' new digests: a later build deletes one it no longer writes only while it holds them.
            digests = recorded_digests(written, outputs, outputs.removing)
            record = outputs_json(
                site, outputs.files, outputs.posts, outputs.term_feeds, outputs.removing, outputs, digests
            )
            staged.prepare(outputs_path(site), record, state=True)
        staged.commit()
    remove_build_temporaries(site, made.values())

    with cache.batch():  # the build's bookkeeping, kept whole or not at all
        cache.store(settings_key, [(file, record) for file, _, record in edited.values()], (), replace_all=False)
        if contents is not None or rebuilt.contents:
            stale: set[str] = set()  # the edited posts' old content and excerpt
            for post in before.values():
                key = content_key(post)
                stale.update((key, excerpt_key(key)))
            kept = {key: html for key, html in (contents or {}).items() if key not in stale}
            put_site_record(cache, CONTENTS, keys["site"], "html", {**kept, **rebuilt.contents})
        for output in rebuilt.outputs:
            recorded[output.name] = (output.key, made[output.name].digest)
        put_site_record(cache, OUTPUT_KEYS, keys["site"], "files", {n: list(pair) for n, pair in recorded.items()})
        now_last = dataclasses.replace(
            last,
            keys=keys,
            outputs=tuple((w.name, w.digest) for w in written),
            published_json=hashlib.sha256(data).hexdigest(),
        )
        put_feed_members(cache, members, keys["site"], now_last.published_json)
        cache.put(LAST_BUILD, now_last.to_json())
    return BuildReport(
        published_posts=last.published_posts,
        rejected=last.rejected,
        skipped=last.skipped,
        files=tuple(written),
        unchanged=False,
        warnings=tuple(warnings) + last.warnings,
    )


def _changed_files(files: Scan, stats: set[tuple[str, int, int]]) -> list[SourceFile]:
    """The post files whose size or mtime differ from their cached readings'; none when as many files as the
    cache has readings of are not there (one added or removed, ignored since, or unnamable in it), or too many
    changed. A file in place of one removed is among those returned: the caller finds no reading of it."""
    listed = [f for f in files.files if not f.ignored]
    if len(listed) != len(stats):
        return []
    # A SourceFile starts with (path, size, mtime_ns): its slice is the cache's row of an unchanged file.
    changed = [file for file in listed if file[:3] not in stats]
    return changed if len(changed) <= PARTIAL_LIMIT else []


def _published_with(site: Site, before: dict[str, Post], after: dict[str, Post]) -> bytes | None:
    """published.json's bytes with the edited pages' new fingerprints; None when it is unreadable, or when a
    page of an edited post is another post's (the URL's other post is the one published)."""
    pages = {post.page_uri(): (before[path].fingerprint, post.fingerprint) for path, post in after.items()}
    try:
        return patch_published(read_plain_file(published_path(site)), {}, pages)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _shown_posts(
    cache: Cache, settings_key: str, members: FeedMembers, edited: dict[str, tuple[SourceFile, Post, Record]]
) -> dict[str, Post] | None:
    """The posts of every feed that shows an edited one, by file: the edited as read now, the others restored
    from the cache. None when one is missing there, or refers to other posts (its content needs their URLs)."""
    changed = set(edited)
    wanted: set[str] = set()
    if changed.intersection(members.main):
        wanted.update(members.main)
    for term in members.terms:
        if changed.intersection(term.sources):
            wanted.update(term.sources)
    restored = cache.readings_of(settings_key, sorted(wanted - changed))
    if restored is None:
        return None
    shown = {path: post for path, (_, post, _) in edited.items()}
    for path in wanted - changed:
        parsed = restored.get(path)
        if parsed is None or parsed.post is None or parsed.post.references:
            return None
        shown[path] = parsed.post
    return shown
