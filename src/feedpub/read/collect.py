"""Every post file of a site -> a Collection: the scan, the cache, the process pool, one post per URL."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import re
import signal
import sys
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from feedpub.errors import PostError
from feedpub.models import (
    Collection,
    Details,
    Listing,
    PageFiles,
    Parsed,
    Post,
    PostsWarnings,
    ReadSettings,
    Rejection,
    SameSecondOrder,
    Scan,
    SourceFile,
)
from feedpub.read import markup
from feedpub.read.budget import usable_cpus
from feedpub.read.dates import FILENAME_DATE, RECENT_COMMITS
from feedpub.read.plain import MARKDOWN_EXTENSIONS
from feedpub.read.post import Reader, path_stem, served_file
from feedpub.read.scan import scan
from feedpub.state.cache import Cache, Record, Shared, fingerprint, parsed_of, record_of, storable
from feedpub.state.lock import held_descriptors
from feedpub.state.stamps import stamps_hold

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1  # prctl(2)

Progress = Callable[[int, int], None]  # (files read, files to read)


# Uncached files past which a cold run parses in a process pool: it starts in ~30 ms, and on 2 cores it is
# faster from ~400 files on (250 files: 0.105 s against 0.089 s serial; 500: 0.118 s against 0.142 s).
POOL_THRESHOLD = 400


# How a file name with a date (FILENAME_DATE) starts. One that starts so and has none (a line break in its name)
# only makes each worker read git itself.
_DATE_PREFIX = re.compile(r"\d{4}-\d{2}-\d{2}-")


_CHUNK = 250  # files per pool task at most: big enough to amortise pickling, small enough to balance two cores


def collect(
    settings: ReadSettings,
    now: datetime,
    *,
    files: Scan | None = None,
    cache: Cache | None = None,
    workers: int | None = None,
    pool_threshold: int = POOL_THRESHOLD,
    progress: Progress | None = None,
    while_pool_reads: Callable[[], object] | None = None,
    reader: Reader | None = None,
) -> Collection:
    """Read every post file of the site; bad files become rejections, never exceptions.

    With a cache, a file whose path, size and mtime are unchanged is not read again. Posts come without their
    bodies (see `Post.body`). `files` is a scan already made; `workers` defaults to the usable CPUs, and more
    than `pool_threshold` files to read on two or more of them are read in a process pool. `progress` is told
    (files read, files to read) as reading goes. `while_pool_reads` is called once the pool's workers have
    their files: work this process would otherwise do after them. `reader`: the one to read with, when the caller
    goes on with it (Reader.excerpt, Reader.rendered); it must make cache records when there is a cache.
    """
    scanned = files if files is not None else scan(settings)
    entries, missing_dirs, linked_out = scanned.files, scanned.missing_dirs, scanned.linked_out
    del files, scanned  # the scan's entries go as they are read, unless the caller holds them (see run_build)
    # Every setting reading depends on, and feedpub's code: change either, and every cached reading is stale.
    key = fingerprint(settings)
    cached = cache.readings(key) if cache else {}
    # By the file's position in the scan: its post, or what else its reading gave (a Parsed wrapper a post was 48
    # bytes, 1M posts 48 MB); None for a file that is no post (ignored by name, or NotAPost). A list, not a dict by
    # path (~40 MB at 1M).
    readings: list[Post | Parsed | None] = [None] * len(entries)
    todo = []
    positions = array("q")  # of `todo`'s files in the scan
    for position, file in enumerate(entries):
        if file.ignored:
            continue
        hit = cached.get(file.path)
        if hit is not None and hit[0] == file.size and hit[1] == file.mtime_ns and _includes_hold(hit[2]):
            readings[position] = _unwrapped(hit[2])
        else:
            todo.append(file)
            positions.append(position)
    removed = []
    if cached:
        present = {f.path for f in entries}
        removed = [path for path in cached if path not in present]
        del present
    del entries  # `todo` holds those still to read, each let go of once read
    if reader is None:
        reader = Reader(settings, records=cache is not None)
    # Posts from the pool's records are lean where the cache keeps those records to fetch their details from.
    details = functools.partial(_details, cache, key, reader) if cache else None
    fresh = _read_all(
        reader, todo, workers or usable_cpus(), pool_threshold, progress or _no_progress, while_pool_reads, details
    )
    del todo
    records = _recorded(fresh, readings, positions)
    if cache:
        stale = cache.get("settings") != key  # other settings: every old record goes
        # Stored as the readings come in: the inserts overlap the reading of the files still in the pool.
        cache.store(key, records, removed, replace_all=stale)
    for _ in records:
        pass  # what the cache did not take (no cache, or it failed midway) must still be read

    posts: list[Post] = []
    rejected = [Rejection(str(d), "posts folder does not exist") for d in missing_dirs]
    rejected += [Rejection(path, reason) for path, reason in linked_out]
    skipped = 0
    for got in readings:
        if isinstance(got, Post):
            posts.append(got)
        elif got is None:
            # No post at all, so not one skipped: ignored by name (Hugo's _index.md, a plain site's _notes.md), or
            # by its reader (Jekyll's _posts/README.md, undated).
            continue
        elif got.rejection is not None:
            rejected.append(got.rejection)
        else:
            skipped += 1  # a draft or unpublished
    # Let go of the readings before the posts are sorted: at 1M posts their dict and wrappers are ~100 MB.
    del readings, cached
    if isinstance(settings.rules, PageFiles):
        posts, twins = _drop_same_pages(settings.rules, posts)
        rejected += twins
    # Not cached as skipped: a post comes due and expires by itself, as the clock moves either way.
    clock = due_at(posts, now)
    skipped += len(posts) - len(clock.due)
    del posts
    unique, instants, duplicates = _drop_duplicate_urls(clock.due, clock.instants)
    rules = settings.rules
    if isinstance(rules, SameSecondOrder):
        # Its order within a second: instants cut to whole seconds (floored, as Go's Unix() is) tie there.
        instants = array("q", [instant - instant % _SECOND for instant in instants])
        newest = _newest_first(unique, instants, rules.same_second_key)
    else:
        newest = _newest_first(unique, instants)
    del unique, instants
    # The generator writes only its newest few (Jekyll's limit_posts): the others are pages it never wrote.
    limit = settings.post_limit
    published = newest[:limit] if limit is not None else newest
    return Collection(
        posts=tuple(published),
        rejected=tuple(rejected + duplicates),
        skipped=skipped + len(newest) - len(published),
        next_due=clock.next_change,
        last_change=clock.last_change,
        warnings=(
            *(git.problem for git in reader.git if git.problem),
            *(settings.rules.warnings_of(published) if isinstance(settings.rules, PostsWarnings) else ()),
        ),
        listing=listing(published),
    )


def _drop_same_pages(rules: PageFiles, posts: list[Post]) -> tuple[list[Post], list[Rejection]]:
    """The posts less those whose files are one page to the generator with another's (which of them it publishes
    is its own choice: publishing either here could link a page it never wrote); each rejected, naming the others."""
    groups = rules.same_pages([post.source for post in posts])
    if not groups:
        return posts, []
    others = {path: [other for other in group if other != path] for group in groups for path in group}
    rejected = [
        Rejection(
            path,
            f"one page to the generator with {', '.join(names)} (the same name in the same folder and language); it "
            "publishes only one of them, so neither is published here: remove or rename one",
        )
        for path, names in sorted(others.items())
    ]
    return [post for post in posts if post.source not in others], rejected


def _asking_git(reader: Reader, todo: list[SourceFile]) -> list[list[str]]:
    """For each posts folder, the files to read that may ask git for their dates: no date in their names, none in
    the dates file either, which read_post asks first (a site that commits it never runs git); beyond
    RECENT_COMMITS of them, only the first RECENT_COMMITS + 1 (GitDates.expect: many)."""
    known = reader.settings.dates
    asking: list[list[str]] = [[] for _ in reader.git]
    # Names that start with a date are passed over at C speed (checking 10k of them in full took 40 ms).
    for file in [f for f in todo if not _DATE_PREFIX.match(f.path, f.path.rfind("/") + 1)]:
        paths = asking[file.posts_dir]
        stem = path_stem(file.path)
        if len(paths) <= RECENT_COMMITS and not FILENAME_DATE.match(stem) and known.get(file.path) is None:
            paths.append(file.path)
    return asking


def _no_progress(done: int, total: int) -> None:
    pass


def _includes_hold(parsed: Parsed) -> bool:
    """Whether the files a cached post's content includes are as when it was read (a snippet edited beside the
    post changes its content, not its file)."""
    return parsed.post is None or not parsed.post.dependencies or stamps_hold(parsed.post.dependencies)


Reading = tuple[Parsed, Record | None]  # what a file gave, and the cache's record of it (when there is a cache)


def _unwrapped(parsed: Parsed) -> Post | Parsed | None:
    """The reading's post, or the reading when it gave none; None for a file that is no post (as one ignored by
    name)."""
    if parsed.no_post:
        return None
    return parsed if parsed.post is None else parsed.post


def _recorded(
    fresh: Iterator[tuple[SourceFile, Reading]], readings: list[Post | Parsed | None], positions: Sequence[int]
) -> Iterator[tuple[SourceFile, Record]]:
    """Put each fresh reading into `readings` (`_unwrapped`), at its file's position (`positions`, in the order the
    files come), and pass its cache record on."""
    for position, (file, (parsed, record)) in zip(positions, fresh, strict=True):
        readings[position] = _unwrapped(parsed)
        if record is not None:
            if file.path.isascii():
                yield file, record
            elif not storable(file.path):
                continue  # a file name that is not UTF-8 (kept as surrogates) cannot be a cache key: read each run
            else:
                # SQLite's binding leaves a UTF-8 copy of a non-ASCII str inside it: the cache gets a copy of the
                # path, so the one the post keeps does not carry that copy through the build (1M paths: 100 MB).
                path = file.path.encode("utf-8", "surrogatepass").decode("utf-8", "surrogatepass")
                yield file._replace(path=path), record


def _details(cache: Cache, settings: str, reader: Reader, post: Post) -> tuple[str, str]:
    """The title and digest of a lean post (models.LeanPost): from its cache record, else from its file read again.

    A file changed since it was read gives its new title and no digest: whatever then needs its body or excerpt
    finds it changed, and rejects it as any post changed while being published.
    """
    # A path the cache cannot key (a name that is not UTF-8) has no record: asked for, it reads as a damaged cache,
    # which was discarded at every build.
    readings = cache.readings_of(settings, [post.source]) if storable(post.source) else None
    parsed = readings.get(post.source) if readings else None
    if parsed is None or parsed.post is None or parsed.post.fingerprint != post.fingerprint:
        try:
            parsed = reader.again(post)
        except PostError:
            return "", ""
    if parsed.post is None:
        return "", ""
    return parsed.post.title, parsed.post.digest if parsed.post.fingerprint == post.fingerprint else ""


def _read_all(
    reader: Reader,
    todo: list[SourceFile],
    workers: int,
    pool_threshold: int,
    progress: Progress,
    while_pool_reads: Callable[[], object] | None = None,
    details: Details | None = None,
) -> Iterator[tuple[SourceFile, Reading]]:
    """Each file to read with what it gave, as soon as it is read; `todo` lets go of each file once given (its
    place holds _READ): at 1M files their entries were ~115 MB of the build's peak. A post read in the pool is a
    LeanPost fetching its title and digest from `details`, when given."""
    asking = _asking_git(reader, todo)
    if not reader.settings.dates_from_commits:
        for git, paths in zip(reader.git, asking, strict=True):
            git.expect(paths)
    if workers < 2 or len(todo) <= pool_threshold:
        for done, file in enumerate(todo, 1):
            yield file, reader.reading(file)
            todo[done - 1] = _READ
            progress(done, len(todo))
        return
    # Workers must not each run `git log`: read it once here when a file may need it.
    for git, paths in zip(reader.git, asking, strict=True):
        if reader.settings.dates_from_commits or paths:
            git.load()
    if any(os.path.splitext(f.path)[1].lower() in MARKDOWN_EXTENSIONS for f in todo):
        markup.prepare_markdown()  # its import and set-up cost each worker as much as reading a hundred posts

    size = min(_CHUNK, -(-len(todo) // (4 * workers)))  # four tasks a worker at least: no core idles at the end
    # Tasks name their files by position in `todo`, which the workers inherit (fork) or get once (spawn): pickling
    # 100k SourceFiles into tasks, and unpickling them in the workers, cost ~0.5 s of CPU a cold build.
    tasks = [(start, min(start + size, len(todo))) for start in range(0, len(todo), size)]
    from concurrent.futures.process import BrokenProcessPool

    # Workers send back cache records, not Posts: a record is one string to pickle, and this process turns
    # them into Posts exactly as it does a cached reading.
    done = 0
    shared: Shared = {}
    try:
        with _pool(reader, todo, min(workers, len(tasks))) as pool:
            results = pool.map(_read_chunk, tasks)  # every chunk is submitted here
            if while_pool_reads is not None:
                while_pool_reads()
            for (start, stop), records in zip(tasks, results, strict=True):
                chunk = todo[start:stop]
                for file, record in zip(chunk, records, strict=True):
                    yield file, (parsed_of(file.path, record, shared, details), record)
                todo[start:stop] = [_READ] * len(chunk)  # the workers have their own copy (fork), or none left
                del chunk
                done += stop - start
                progress(done, len(todo))
    except BrokenProcessPool:
        # A worker ended abruptly: the system killed it (out of memory), or a post crashed a parser. The files
        # whose readings did not come back are read again; one that ends its process alone is rejected by name,
        # and every other post is published.
        for file, reading in _read_after_a_crash(reader, todo[done:], workers, shared):
            yield file, reading
            done += 1
            progress(done, len(todo))


_READ = SourceFile("", 0, 0, True, 0)  # in `todo` where a file was, once read


def _pool(reader: Reader, files: list[SourceFile], workers: int) -> ProcessPoolExecutor:
    """A pool of `workers` processes reading `files` (tasks name them by position)."""
    return _processes(workers, None, _start_worker, (reader, files, os.getpid()))


def _processes(
    workers: int, method: str | None, initializer: Callable[..., None], initargs: tuple[object, ...]
) -> ProcessPoolExecutor:
    """A pool of `workers` processes started by `method` (None: fork where there is one)."""
    import multiprocessing  # here, not at the top: a run that reads a few files does not pay their 8 ms
    from concurrent.futures import ProcessPoolExecutor

    # fork where there is one: workers inherit the parsers already imported instead of importing them again.
    if method is None and "fork" in multiprocessing.get_all_start_methods():
        method = "fork"
    return ProcessPoolExecutor(workers, multiprocessing.get_context(method), initializer=initializer, initargs=initargs)


def _read_after_a_crash(
    reader: Reader, files: list[SourceFile], workers: int, shared: Shared
) -> Iterator[tuple[SourceFile, Reading]]:
    """`files` read again after a pool broke, a file a task; where a pool breaks again, the first file it did
    not give back is read alone in a process of its own: if that process ends abruptly too, the file is rejected
    (and not cached: the next run tries it again)."""
    from concurrent.futures.process import BrokenProcessPool

    pending = files
    while pending:
        given = 0
        try:
            with _pool(reader, pending, min(workers, len(pending))) as pool:
                futures = [pool.submit(_read_chunk, (index, index + 1)) for index in range(len(pending))]
                for file, future in zip(pending, futures, strict=True):
                    [record] = future.result()
                    yield file, (parsed_of(file.path, record, shared), record)
                    given += 1
            return
        except BrokenProcessPool:
            pass
        suspect, pending = pending[given], pending[given + 1 :]
        try:
            with _pool(reader, [suspect], 1) as alone:
                [record] = alone.submit(_read_chunk, (0, 1)).result()
            yield suspect, (parsed_of(suspect.path, record, shared), record)
        except BrokenProcessPool:
            reason = (
                "reading it ended the process reading it (a parser crashed on it, or the system killed the "
                "process); it is left out, and read again at the next run"
            )
            yield suspect, (Parsed(rejection=Rejection(suspect.path, reason)), None)


_worker_reader: Reader | None = None
_worker_files: list[SourceFile] = []  # the files to read, as the builder listed them: tasks are slices of it


def _start_worker(reader: Reader, files: list[SourceFile], parent: int) -> None:
    global _worker_reader, _worker_files
    _worker_reader, _worker_files = reader, files
    reader.keeps_rendered = False
    _die_with(parent)
    # A forked worker shares the parent's memory until it writes to it: the cycle collector must leave the
    # inherited objects alone (scanning them would copy every page). It runs once a task, on the worker's own
    # objects, rather than every 700 allocations (4% of the reading time).
    gc.disable()
    gc.freeze()


def _die_with(parent: int) -> None:
    """Make this worker end when the build does, and never hold the build's lock.

    A build killed with SIGKILL cannot stop its workers: they went on reading for minutes holding a copy of the
    lock's descriptor, and every run meanwhile found the site locked. The kernel kills them with their parent
    (Linux's PR_SET_PDEATHSIG), and their copies of the lock are closed.
    """
    for descriptor in list(held_descriptors):
        with contextlib.suppress(OSError):
            os.close(descriptor)
    if sys.platform.startswith("linux"):
        import ctypes  # workers only

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the line above took effect
        os._exit(1)


def _read_chunk(task: tuple[int, int]) -> list[Record]:
    """The records of the files `_worker_files[start:stop]`."""
    assert _worker_reader is not None
    start, stop = task
    records = [record_of(_worker_reader.read(f)) for f in _worker_files[start:stop]]
    gc.collect()
    return records


# Posts whose feed texts are made in a process pool from this many on: each is a body rendered (Markdown, templates)
# and an excerpt, 2-10 ms, and a pool costs ~30 ms to start. A site's feed alone (20 posts) is made here; a Hugo
# site's category and tag feeds showed 150 posts of 10k, a fifth of its cold build in this process alone.
TEXTS_POOL_THRESHOLD = 40

Wanted = tuple[Post, bool, bool]  # a post, and whether its excerpt and its content are wanted (render.build)
Made = tuple[str | None, str | None]  # its excerpt and its body as HTML; None: not wanted, or not made (an error)


class FeedTexts:
    """The excerpts and bodies as HTML of the posts a build's feeds show (render.build's excerpt_of, body_html and
    texts_ahead): made ahead in a process pool where there are many, else when asked, the same either way.

    A text a worker could not make (the post changed, a template failed, it ran out of time) is made again when
    asked, here, where it fails as it would have, with the same message.
    """

    def __init__(
        self,
        reader: Reader,
        body_html: Callable[[Post], str],
        workers: int | None = None,
        pool_threshold: int = TEXTS_POOL_THRESHOLD,
        links: Mapping[str, str] | None = None,
    ) -> None:
        self.reader, self.make_body_html = reader, body_html
        self.links = links  # the site's posts by reference, for the excerpts' cross-references (Reader.excerpt)
        self.workers = workers or usable_cpus()
        self.pool_threshold = pool_threshold
        # The texts made ahead, by the post's source and digest; each let go of when the build takes it (a thousand
        # term feeds show up to 20,000 posts, whose texts the build keeps besides, for the cache).
        self.excerpts: dict[tuple[str, str], str] = {}
        self.bodies: dict[tuple[str, str], str] = {}

    def ahead(self, wanted: Sequence[Wanted]) -> None:
        """Make the texts of `wanted` in a pool when there are enough of them and processes can be forked (a
        spawned worker would have to be sent the reader and the site's links)."""
        import multiprocessing

        if (
            self.workers < 2
            or len(wanted) < self.pool_threshold
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            return
        from concurrent.futures.process import BrokenProcessPool

        size = -(-len(wanted) // (4 * self.workers))  # four tasks a worker: no core idles at the end
        tasks = [(start, min(start + size, len(wanted))) for start in range(0, len(wanted), size)]
        try:
            with _processes(
                min(self.workers, len(tasks)), "fork", _start_text_worker, (self, wanted, os.getpid())
            ) as pool:
                for (start, stop), made in zip(tasks, pool.map(_texts_of, tasks), strict=True):
                    for (post, _, _), (excerpt, body) in zip(wanted[start:stop], made, strict=True):
                        if excerpt is not None:
                            self.excerpts[(post.source, post.digest)] = excerpt
                        if body is not None:
                            self.bodies[(post.source, post.digest)] = body
        except BrokenProcessPool:
            pass  # what no worker gave back is made when asked

    def excerpt(self, post: Post) -> str:
        made = self.excerpts.pop((post.source, post.digest), None)
        return made if made is not None else self.reader.excerpt(post, self.links)

    def body_html(self, post: Post) -> str:
        made = self.bodies.pop((post.source, post.digest), None)
        return made if made is not None else self.make_body_html(post)

    def make(self, wanted: Wanted) -> Made:
        """The texts of one post, as the build would ask for them: the excerpt first (reading the post again for it
        keeps the body it rendered, which the content takes)."""
        post, excerpt, content = wanted
        made_excerpt = made_html = None
        with contextlib.suppress(Exception):
            made_excerpt = self.reader.excerpt(post, self.links) if excerpt else None
        with contextlib.suppress(Exception):
            made_html = self.make_body_html(post) if content else None
        return made_excerpt, made_html


_worker_texts: tuple[FeedTexts, Sequence[Wanted]] | None = None


def _start_text_worker(texts: FeedTexts, wanted: Sequence[Wanted], parent: int) -> None:
    global _worker_texts
    _worker_texts = (texts, wanted)
    _die_with(parent)
    gc.disable()  # as _start_worker: the inherited objects are left alone
    gc.freeze()


def _texts_of(task: tuple[int, int]) -> list[Made]:
    """The texts of `wanted[start:stop]`."""
    assert _worker_texts is not None
    texts, wanted = _worker_texts
    start, stop = task
    made = [texts.make(one) for one in wanted[start:stop]]
    gc.collect()
    return made


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_SECOND = 1_000_000  # an instant's microseconds


def _instant(moment: datetime) -> int:
    """An aware datetime as whole microseconds since the epoch: exact, whatever its zone, and quick to compare."""
    return (moment - _EPOCH) // _MICROSECOND


def _moment(instant: int) -> datetime:
    """The instant `_instant` gave, in UTC."""
    return _EPOCH + instant * _MICROSECOND


@dataclass(frozen=True)
class DueAt:
    """Which posts are published at a moment, and when the clock last and next changes that (see Collection)."""

    due: list[Post]  # the posts published
    # When each of `due` was published (_instant): beside it, not 1M pairs (~90 MB), and 8 bytes each, not an int
    # object (1M: 40 MB against 8).
    instants: array[int]
    last_change: datetime | None
    next_change: datetime | None


def due_at(posts: Iterable[Post], now: datetime) -> DueAt:
    """The posts that are published at `now` (their `due`, else `published`, has come, and they have not expired),
    and the clock's changes around it."""
    # Instants as _instant's integers: comparing aware datetimes asks both for their UTC offset, and this loop
    # took 60 ms for 10k posts, a tenth of a build after one post changed.
    now_instant = _instant(now)
    due: list[Post] = []
    instants = array("q")
    last_change: int | None = None
    next_change: int | None = None
    for post in posts:
        published = _instant(post.published)
        comes = published if post.due is None else _instant(post.due)
        goes = None if post.expires is None else _instant(post.expires)
        for moment in (comes, goes):
            if moment is None:
                continue
            if moment > now_instant:
                if next_change is None or moment < next_change:
                    next_change = moment
            elif last_change is None or moment > last_change:
                last_change = moment
        if comes <= now_instant and (goes is None or goes > now_instant):
            due.append(post)
            instants.append(published)
    return DueAt(
        due,
        instants,
        None if last_change is None else _moment(last_change),
        None if next_change is None else _moment(next_change),
    )


def sort_newest_first(posts: list[Post]) -> list[Post]:
    """Newest first; posts published at the same moment in URL order, so output never depends on disk order."""
    return _newest_first(posts, array("q", [_instant(post.published) for post in posts]))


def _by_url(post: Post) -> str:
    return post.url


def _newest_first(posts: list[Post], instants: Sequence[int], tie_key: Callable[[Post], Any] = _by_url) -> list[Post]:
    """The posts, given with the instants they were published (`_instant`), as `sort_newest_first` orders them;
    those of one instant by `tie_key` (their URLs)."""
    # One int a post holds its instant and its position (instant * count + count - 1 - position), sorted in place:
    # newest first, equal instants in their order (the sort stays stable). Ints (comparing aware datetimes in the
    # sort took 80 ms for 10k posts), one a post: positions sorted by a key were two ints and two lists' places a
    # post (1M posts: ~76 MB at the peak of collect, against ~44). Each run of equal instants is then put in URL
    # order.
    count = len(posts)
    keys = [instant * count + (count - 1 - position) for position, instant in enumerate(instants)]
    keys.sort(reverse=True)
    ordered = [posts[count - 1 - key % count] for key in keys]
    # Where a post was published at the instant of the one before it (keys less than `count` apart, first): few or
    # none, and each run of them goes in URL order.
    tied = [n for n in range(1, count) if keys[n - 1] - keys[n] < count and keys[n - 1] // count == keys[n] // count]
    del keys
    for run in _runs(tied):
        ordered[run] = sorted(ordered[run], key=tie_key)
    return ordered


def listing(posts: Sequence[Post]) -> Listing | None:
    """The orders the generator lists `posts` (newest first) in its feeds, where some carry weights; None where
    none does (most sites: newest first everywhere).

    Hugo's default order (observed, 0.111.3): by `weight`, where 0 is none and comes after every other (a negative
    one before the others), then newest first; a term's pages by their taxonomy's weight first, 0 a weight like any
    (a page with none before a `tags_weight: 1`), then in that order. Sorts are stable: newest first stays within
    a weight.
    """
    if not any(post.weights and post.weights.weighs for post in posts):
        return None
    site = tuple(sorted(posts, key=_by_page_weight))
    return Listing(site, tuple(sorted(site, key=_categories_weight)), tuple(sorted(site, key=_tags_weight)))


def _by_page_weight(post: Post) -> tuple[bool, int]:
    weight = post.weights.page if post.weights else 0
    return weight == 0, weight


def _categories_weight(post: Post) -> int:
    return post.weights.categories if post.weights else 0


def _tags_weight(post: Post) -> int:
    return post.weights.tags if post.weights else 0


def _runs(tied: list[int]) -> Iterator[slice]:
    """The runs of equal instants, given the positions whose instant is the one before them (ascending)."""
    start = 0
    for index, position in enumerate(tied):
        if index + 1 == len(tied) or tied[index + 1] != position + 1:
            yield slice(tied[start] - 1, position + 1)
            start = index + 1


def _may_share_a_file(url: str, urls: set[str]) -> bool:
    """Whether another of `urls` may be served from `url`'s file (`served_file`): its other form is among them, or
    it is escaped (then the slow way tells)."""
    if url.endswith(".html") and (
        url[: -len(".html")] in urls or (url.endswith("/index.html") and url[: -len("index.html")] in urls)
    ):
        return True  # /x.html beside /x, /x/index.html beside /x/ (or /x/index)
    return "%" in url


def _drop_duplicate_urls(posts: list[Post], instants: array[int]) -> tuple[list[Post], array[int], list[Rejection]]:
    """One post per served file (`served_file`: /x/ and /x/index.html are one): the newest (then the last by path),
    as the generator writes them in that order, the last over the others; the others are rejected, naming it.

    Posts come with the instants they were published (`_instant`, a list beside them), and the winners keep theirs.
    """
    urls = {post.url for post in posts}
    if len(urls) == len(posts) and not any(_may_share_a_file(post.url, urls) for post in posts):
        # The usual case, told with a set of the URLs alone: the dict below, and an int a post, were 80 MB at 1M,
        # and each post's served file another string a post.
        return posts, instants, []
    winners: dict[str, int] = {}  # served file -> position of its post
    losers: list[int] = []
    for position, post in enumerate(posts):
        file = served_file(post.url)
        first = winners.setdefault(file, position)
        if first != position:
            if (instants[position], post.source) > (instants[first], posts[first].source):
                winners[file], position = position, first
            losers.append(position)
    if not losers:
        return posts, instants, []
    losers.sort(key=lambda position: (instants[position], posts[position].source), reverse=True)
    rejected = []
    for position in losers:
        loser, winner = posts[position], posts[winners[served_file(posts[position].url)]]
        same = (
            f"same URL {loser.url} as {winner.source}"
            if loser.url == winner.url
            else f"URL {loser.url} is one file on the site with {winner.url} of {winner.source}"
        )
        rejected.append(
            Rejection(
                loser.source,
                f"{same}, which is newer and is published instead; give one of them a distinct permalink",
            )
        )
    kept = list(winners.values())
    return [posts[position] for position in kept], array("q", [instants[position] for position in kept]), rejected
