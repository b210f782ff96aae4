"""Post files -> Posts: front matter, dates, permalinks, excerpts and images."""

from __future__ import annotations

import errno
import fnmatch
import functools
import gc
import json
import mimetypes
import operator
import os
import re
import subprocess
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from stat import S_ISLNK, S_ISREG
from typing import Any, Literal
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import frontmatter
import yaml

from feedpub import html, simpleyaml
from feedpub.cache import Cache, Record, fingerprint, parsed_from_json, record_of
from feedpub.dates import parse_date
from feedpub.errors import PostError, one_line
from feedpub.models import Author, Collection, Image, Parsed, Post, Rejection, Site, data_digest
from feedpub.sources import Scan, SourceFile, scan
from feedpub.templates import body_html

_FILENAME_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.*)$")
_SLUG_UNSAFE = re.compile(r"[^\w.~!$&'()+,;=@-]+")
_MARKUP = re.compile(r"<[a-zA-Z/!]")
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_SLASHES = re.compile(r"/{2,}")
_MAX_FRONT_MATTER_NODES = 10_000  # far above any real front matter; bounds YAML alias expansion
_TAGS_BEFORE_DEPTH_CHECK = 5_000  # a cheap count first: real posts have a few hundred tags
_MAX_URL_LENGTH = 2048  # sitemaps.org: a <loc> must be under 2,048 characters
_EARLIEST_YEAR = 1900  # RFC 822 dates and feed readers misbehave on years like 0001
_XML_INVALID_BYTES = bytes(set(range(0x20)) - {0x09, 0x0A, 0x0D})  # C0 controls but tab and newlines (XML 1.0 §2.2)
_MARKDOWN_EXTENSIONS = (".md", ".markdown")
_IMAGE_KEYS = ("image", "feature_image", "featured_image", "images", "cover", "thumbnail", "og_image")
_EXCERPT_KEYS = ("excerpt", "description", "summary", "feature_text")
_UPDATED_KEYS = ("last_modified_at", "updated", "modified", "lastmod")
_MIME_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
}
# An image resolved from (src, alt, the bundle folders to look in): posts share a few pictures.
_ImageMemo = dict[tuple[str, str, tuple[tuple[Path, str], ...]], Image | None]


class _FrontMatterLoader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe YAML that keeps timestamps as text, so every date goes through one parser that names the field."""

    def get_single_data(self) -> Any:
        # Front matter is a small map of strings and lists of strings. Building those directly skips PyYAML's
        # generic constructor, a fifth of a cold build's time; anything else (other tags, merge keys, aliases
        # of collections) takes the generic way, so the result is the same.
        node = self.get_single_node()
        if node is None:
            return None
        try:
            return self._plain(node, set())
        except _NotPlain:
            return self.construct_document(node)

    def _plain(self, node: yaml.Node, seen: set[int]) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return node.value if node.tag == _YAML_STR else self.construct_object(node)
        if id(node) in seen:
            raise _NotPlain  # an alias: the generic constructor shares the object, as YAML means
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode) and node.tag == _YAML_SEQ:
            return [self._plain(item, seen) for item in node.value]
        if isinstance(node, yaml.MappingNode) and node.tag == _YAML_MAP:
            mapping = {}
            for key, value in node.value:
                if not isinstance(key, yaml.ScalarNode) or key.tag not in _YAML_PLAIN_KEYS:
                    raise _NotPlain  # "<<" merge keys, or a collection as a key
                mapping[self._plain(key, seen)] = self._plain(value, seen)
            return mapping
        raise _NotPlain


class _NotPlain(Exception):
    """Front matter the direct construction leaves to PyYAML's constructor."""


_YAML_STR, _YAML_SEQ, _YAML_MAP, _YAML_TIMESTAMP = (
    f"tag:yaml.org,2002:{kind}" for kind in ("str", "seq", "map", "timestamp")
)
_YAML_PLAIN_KEYS = {_YAML_STR, *(f"tag:yaml.org,2002:{kind}" for kind in ("int", "bool", "null", "float"))}


_FrontMatterLoader.add_constructor(_YAML_TIMESTAMP, lambda loader, node: loader.construct_scalar(node))


def _stays_text(value: str) -> bool:
    """Whether _FrontMatterLoader reads this plain value as a string (its implicit resolvers; timestamps stay text)."""
    # As PyYAML's Resolver.resolve does: the resolvers for the first character, then those for any.
    resolvers = _FrontMatterLoader.yaml_implicit_resolvers
    for first in (value[:1], None):
        for tag, pattern in resolvers.get(first, ()):
            if pattern.match(value):
                return bool(tag == _YAML_TIMESTAMP)
    return True


class _YamlHandler(frontmatter.default_handlers.YAMLHandler):
    """PyYAML, for the front matter `simpleyaml` leaves to it (see `_split`)."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_FrontMatterLoader)  # safe: a SafeLoader subclass


class _TomlHandler(frontmatter.default_handlers.BaseHandler):
    """TOML between +++ lines, read with the standard library (python-frontmatter wants the old `toml`)."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


_HANDLERS: list[frontmatter.default_handlers.BaseHandler] = [_YamlHandler(), _TomlHandler()]


@dataclass
class _GitDates:
    """Last commit time of every file under a folder, from one `git log` call (made only when needed)."""

    root: Path
    _dates: dict[Path, int] | None = field(default=None, init=False)

    def get(self, path: Path) -> int | None:
        return self.load().get(path.resolve())

    def load(self) -> dict[Path, int]:
        if self._dates is None:
            self._dates = _read_git_dates(self.root)
        return self._dates


def _read_git_dates(root: Path) -> dict[Path, int]:
    # Run from a git hook (post-commit, post-receive), GIT_DIR and friends would point git at another
    # repository than the one holding the posts.
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
            env=env,
        ).stdout.strip()
        log = subprocess.run(
            [
                "git",
                "-c",
                "core.quotePath=false",
                "-C",
                str(root),
                "log",
                "--format=%x00%ct",
                "--name-only",
                "--no-renames",
                "--",
                ".",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
            env=env,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    dates: dict[Path, int] = {}
    stamp = 0
    for line in log.splitlines():
        if line.startswith("\x00"):
            stamp = int(line[1:])
        elif line:
            dates.setdefault((Path(top) / line).resolve(), stamp)  # the log is newest first
    return dates


Progress = Callable[[int, int], None]  # (files read, files to read)
# Uncached files past which a cold run parses in a process pool: it starts in ~30 ms, and on 2 cores it is
# faster from ~400 files on (250 files: 0.105 s against 0.089 s serial; 500: 0.118 s against 0.142 s).
POOL_THRESHOLD = 400
_CHUNK = 250  # files per pool task at most: big enough to amortise pickling, small enough to balance two cores


def collect(
    site: Site,
    now: datetime,
    *,
    files: Scan | None = None,
    cache: Cache | None = None,
    workers: int | None = None,
    pool_threshold: int = POOL_THRESHOLD,
    progress: Progress | None = None,
    while_pool_reads: Callable[[], object] | None = None,
) -> Collection:
    """Read every post file of the site; bad files become rejections, never exceptions.

    With a cache, a file whose path, size and mtime are unchanged is not read again. Posts come without their
    bodies (see `Post.body`). `files` is a scan already made; `workers` defaults to the usable CPUs, and more
    than `pool_threshold` files to read on two or more of them are read in a process pool. `progress` is told
    (files read, files to read) as reading goes. `while_pool_reads` is called once the pool's workers have
    their files: work this process would otherwise do after them.
    """
    scanned = files if files is not None else scan(site)
    # Every setting read_post reads: change one, and every cached reading is stale.
    settings = fingerprint(
        site.url, site.timezone.key, site.static_dir, site.posts, site.feeds.excerpt_length, site.sitemap.exclude
    )
    cached = cache.readings(settings) if cache else {}
    readings: dict[str, Parsed] = {}
    todo = []
    for file in scanned.files:
        hit = None if file.ignored else cached.get(file.path)
        if hit is not None and hit[0] == file.size and hit[1] == file.mtime_ns:
            readings[file.path] = hit[2]
        elif not file.ignored:
            todo.append(file)
    reader = _Reader(site, records=cache is not None)
    fresh = _read_all(
        reader, todo, workers or usable_cpus(), pool_threshold, progress or _no_progress, while_pool_reads
    )
    records = _recorded(fresh, readings)
    if cache:
        present = {f.path for f in scanned.files}
        removed = [path for path in cached if path not in present]
        stale = cache.get("settings") != settings  # other settings: every old record goes
        # Stored as the readings come in: the inserts overlap the reading of the files still in the pool.
        cache.store(settings, records, removed, replace_all=stale)
    for _ in records:
        pass  # what the cache did not take (no cache, or it failed midway) must still be read

    posts: list[Post] = []
    rejected = [Rejection(str(d), "posts folder does not exist") for d in scanned.missing_dirs]
    skipped = 0
    next_due: datetime | None = None
    for file in scanned.files:
        parsed = None if file.ignored else readings[file.path]
        if parsed is None or parsed.post is None:
            if parsed is not None and parsed.rejection is not None:
                rejected.append(parsed.rejection)
            else:
                skipped += 1  # ignored by name, a draft or unpublished
        elif parsed.post.published > now:  # not cached as skipped: it becomes due by itself
            skipped += 1
            next_due = min(next_due or parsed.post.published, parsed.post.published)
        else:
            posts.append(parsed.post)
    unique, duplicates = _drop_duplicate_urls(posts)
    return Collection(
        posts=tuple(sort_newest_first(unique)),
        rejected=tuple(rejected + duplicates),
        skipped=skipped,
        next_due=next_due,
    )


def usable_cpus() -> int:
    """CPUs this process may run on (a container's limit, not the host's count)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _no_progress(done: int, total: int) -> None:
    pass


Reading = tuple[Parsed, Record | None]  # what a file gave, and the cache's record of it (when there is a cache)


def _recorded(
    fresh: Iterator[tuple[SourceFile, Reading]], readings: dict[str, Parsed]
) -> Iterator[tuple[SourceFile, Record]]:
    """Put each fresh reading into `readings`, and pass its cache record on."""
    for file, (parsed, record) in fresh:
        readings[file.path] = parsed
        if record is not None:
            yield file, record


def _read_all(
    reader: _Reader,
    todo: list[SourceFile],
    workers: int,
    pool_threshold: int,
    progress: Progress,
    while_pool_reads: Callable[[], object] | None = None,
) -> Iterator[tuple[SourceFile, Reading]]:
    """Each file to read with what it gave, as soon as it is read."""
    if workers < 2 or len(todo) <= pool_threshold:
        for done, file in enumerate(todo, 1):
            yield file, reader.reading(file)
            progress(done, len(todo))
        return
    for index, git in enumerate(reader.git):
        # Workers must not each run `git log`: read it once here when a file may need it (no date in its name).
        if any(f.posts_dir == index and not _FILENAME_DATE.match(_stem(f.path)) for f in todo):
            git.load()
    size = min(_CHUNK, -(-len(todo) // (4 * workers)))  # four tasks a worker at least: no core idles at the end
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    import multiprocessing  # here, not at the top: a run that reads a few files does not pay their 8 ms
    from concurrent.futures import ProcessPoolExecutor

    # fork where there is one: workers inherit the parsers already imported instead of importing them again.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    # Workers send back cache records, not Posts: a record is one string to pickle, and this process turns
    # them into Posts exactly as it does a cached reading.
    with ProcessPoolExecutor(min(workers, len(chunks)), context, initializer=_start_worker, initargs=(reader,)) as pool:
        results = pool.map(_read_chunk, chunks)  # every chunk is submitted here
        if while_pool_reads is not None:
            while_pool_reads()
        done = 0
        for chunk, records in zip(chunks, results, strict=True):
            data = json.loads("[" + ",".join(records) + "]")  # one call for the chunk: cheaper than one a record
            for file, record, fields in zip(chunk, records, data, strict=True):
                yield file, (parsed_from_json(file.path, fields), record)
            done += len(chunk)
            progress(done, len(todo))


_worker_reader: _Reader | None = None


def _start_worker(reader: _Reader) -> None:
    global _worker_reader
    _worker_reader = reader
    # A forked worker shares the parent's memory until it writes to it: the cycle collector must leave the
    # inherited objects alone (scanning them would copy every page), and run on the worker's own.
    gc.freeze()
    gc.enable()


def _read_chunk(files: list[SourceFile]) -> list[Record]:
    assert _worker_reader is not None
    return [record_of(_worker_reader.read(f)) for f in files]


def sort_newest_first(posts: list[Post]) -> list[Post]:
    """Newest first; posts published at the same moment in URL order, so output never depends on disk order."""
    by_url = sorted(posts, key=operator.attrgetter("url"))
    return sorted(by_url, key=operator.attrgetter("published"), reverse=True)


def _stem(path: str) -> str:
    """The file name without its extension (what pathlib's .stem gives, without making a Path)."""
    return os.path.splitext(os.path.basename(path))[0]


def bundle_folder(path: str, posts_dir: Path) -> Path | None:
    """The folder of a page bundle (`posts/<name>/index.md`): it names the post and holds its images."""
    folder = os.path.dirname(path)
    return Path(folder) if _stem(path) == "index" and folder != str(posts_dir) else None


def _drop_duplicate_urls(posts: list[Post]) -> tuple[list[Post], list[Rejection]]:
    """One post per URL: the newest (then the last by path); the others are rejected, naming it."""
    winners: dict[str, Post] = {}
    losers = []
    for post in posts:
        first = winners.setdefault(post.url, post)
        if first is not post:
            if (post.published, post.source) > (first.published, first.source):
                winners[post.url], post = post, first
            losers.append(post)
    losers.sort(key=lambda p: (p.published, p.source), reverse=True)
    rejected = [
        Rejection(
            post.source,
            f"same URL {post.url} as {winners[post.url].source}, which is newer "
            "and is published instead; give one of them a distinct permalink",
        )
        for post in losers
    ]
    return list(winners.values()), rejected


class _Reader:
    """Reads the post files of one site; picklable, so each pool worker gets one."""

    def __init__(self, site: Site, records: bool) -> None:
        self.site = site
        self.records = records  # whether `reading` makes each reading's cache record too (pool workers always do)
        self.git = [_GitDates(d) for d in site.posts.dirs]
        self.images: _ImageMemo = {}  # posts share a few pictures: each is resolved (and stat-ed) once a run

    def reading(self, file: SourceFile) -> Reading:
        parsed = self.read(file)
        return parsed, record_of(parsed) if self.records else None

    def read(self, file: SourceFile) -> Parsed:
        """What one post file gives; never raises for a bad file."""
        path = file.path
        try:
            posts_dir = self.site.posts.dirs[file.posts_dir]
            post = read_post(self.site, path, posts_dir, self.git[file.posts_dir], self.images)
        except PostError as error:
            return Parsed(rejection=Rejection(error.path, error.reason))
        except Exception as error:  # a bug must not cost the other posts their publication
            return Parsed(rejection=Rejection(path, f"unexpected error ({type(error).__name__}: {error})"))
        return Parsed(post=post)


def read_post(site: Site, path: str, posts_dir: Path, git: _GitDates, images: _ImageMemo | None = None) -> Post | None:
    """Read one post file; None when it is skipped (draft or unpublished).

    `path` is a str, as the scan found it: pathlib's objects and conversions cost a twentieth of a cold build.

    The post comes without its body (see `Post.body`; `load_body` reads it), and whatever its date: whether it
    is due yet is for the caller to decide, so that a cached reading stays true as time passes.
    """
    raw = _read_file(site, path, posts_dir)
    text = _decode(path, raw)
    metadata, body = _split(path, text)
    if metadata.get("draft") is True or metadata.get("published") is False:
        return None
    tz = site.timezone
    file_stem, suffix = _stem(path), os.path.splitext(path)[1]
    bundle = bundle_folder(path, posts_dir)
    stem, filename_date = _filename_parts(path, bundle.name if bundle else file_stem, tz)
    published = _front_matter_date(path, metadata, "date", tz) or filename_date or _file_date(path, git, tz)
    updated = next((d for key in _UPDATED_KEYS if (d := _front_matter_date(path, metadata, key, tz))), None)
    categories = _terms(metadata.get("categories", metadata.get("category")))
    body_format: Literal["html", "markdown"] = "markdown" if suffix.lower() in _MARKDOWN_EXTENSIONS else "html"
    title = _plain_title(_text(metadata.get("title"))) or stem.replace("-", " ").replace("_", " ").strip() or file_stem
    url, uri = _post_url(site, path, metadata, stem, published, categories)
    lazy_html = _LazyHtml(site, body, body_format, title)
    return Post(
        source=path,
        url=url,
        uri=uri,  # encoding is the costliest step of a build from the cache: done once, kept
        title=title,
        published=published,
        updated=updated,
        excerpt=_excerpt(metadata, body, lazy_html, site.feeds.excerpt_length),
        body=None,
        body_format=body_format,
        categories=categories,
        tags=_terms(metadata.get("tags")),
        image=_image(site, metadata, lazy_html, url, bundle, {} if images is None else images),
        author=_author(metadata.get("author")),
        in_feeds=metadata.get("feed") is not False,
        in_sitemap=metadata.get("sitemap") is not False
        and not any(fnmatch.fnmatchcase(path, pattern) for pattern in site.sitemap.exclude),
        digest=data_digest(raw),  # the whole file's: cheaper than encoding the body again, and as telling
        body_start=len(text) - len(body),  # python-frontmatter's split leaves the body as the text's tail
    )


def load_body(post: Post) -> str:
    """The body of a collected post, read again from its file (`collect` does not keep it)."""
    try:
        with open(post.source, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise PostError(post.source, f"cannot read: {error.strerror}; was it removed during the build?") from None
    return _decode(post.source, raw)[post.body_start :]


def _read_file(site: Site, path: str, posts_dir: Path) -> bytes:
    """The file's bytes, refused when it is a link out of the posts folder or larger than posts.max_bytes."""
    try:
        # O_NOFOLLOW: a link is refused by the open itself, so regular files (nearly all) cost no extra lstat.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        if error.errno not in (errno.ELOOP, errno.EMLINK):  # what Linux, macOS and the BSDs say for a link
            raise PostError(path, f"cannot read: {error.strerror}") from None
        target = Path(path).resolve()
        if not target.is_relative_to(posts_dir.resolve()):
            raise PostError(
                path, f"symbolic link to {target}, outside the posts folder; copy the file instead"
            ) from None
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError as error:
            raise PostError(path, f"cannot read: {error.strerror}") from None
    try:
        size = os.fstat(descriptor).st_size  # of what is open: no race with a file replaced meanwhile
        if size > site.posts.max_bytes:
            raise PostError(path, f"file is {size} bytes, over posts.max_bytes ({site.posts.max_bytes})")
        data = os.read(descriptor, size + 1)  # a regular file gives fewer bytes than asked only at its end
        if len(data) <= size:
            return data
        rest = iter(functools.partial(os.read, descriptor, 1 << 20), b"")  # it grew since the fstat
        return b"".join([data, *rest])
    except OSError as error:
        raise PostError(path, f"cannot read: {error.strerror}") from None
    finally:
        os.close(descriptor)


def _decode(path: Path | str, raw: bytes) -> str:
    """A post file's text as every later step sees it: UTF-8 (a BOM allowed), "\\n" newlines, XML-safe."""
    try:
        text = raw.decode()  # the C fast path; "utf-8-sig" goes through a Python-level codec
    except UnicodeDecodeError as error:
        raise PostError(path, f"not UTF-8 text (invalid byte at offset {error.start}); save it as UTF-8") from None
    if text[:1] == "\ufeff":
        text = text[1:]  # a byte order mark
    # Characters XML 1.0 forbids (control characters, U+FFFE) would make every feed ill-formed: drop them
    # once here, so every title, name and excerpt taken from the file is safe to serialise. Looked for in the
    # bytes first, at C speed: valid UTF-8 holds no lone surrogates, so the rest are these bytes and sequences.
    controls = len(raw.translate(None, _XML_INVALID_BYTES)) != len(raw)
    if controls and b"\x00" in raw:
        raise PostError(path, "contains NUL bytes; this is not a text file")
    if b"\r" in raw:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if controls or (b"\xef\xbf" in raw and (b"\xef\xbf\xbe" in raw or b"\xef\xbf\xbf" in raw)):
        text = html.strip_xml_invalid(text)
    return text


def _split(path: str, text: str) -> tuple[Mapping[str, Any], str]:
    if text.count("<") > _TAGS_BEFORE_DEPTH_CHECK and html.nesting_depth(text) > html.MAX_NESTING:
        # The sanitiser's time grows with the square of the depth: 100,000 nested <div>s take half a minute.
        raise PostError(path, f"HTML nested more than {html.MAX_NESTING} elements deep; simplify the markup")
    handler = frontmatter.detect_format(text, _HANDLERS)
    if handler is None:
        return {}, text
    try:
        front, body = handler.split(text)
        simple = simpleyaml.load(front, _stays_text) if isinstance(handler, _YamlHandler) else None
        metadata = simple if simple is not None else handler.load(front)
    except (yaml.YAMLError, tomllib.TOMLDecodeError) as error:  # before ValueError: TOMLDecodeError is one
        reason = one_line(str(error).replace('in "<unicode string>", ', ""))
        language = "TOML" if isinstance(handler, _TomlHandler) else "YAML"
        raise PostError(path, f"front matter is not valid {language}: {reason}") from None
    except ValueError:  # python-frontmatter's split found an opening fence and no closing one
        raise PostError(path, "front matter is not closed; end it with a line of '---' (or '+++')") from None
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise PostError(path, f"front matter must be a mapping of keys to values, got {type(metadata).__name__}")
    if simple is None:
        _check_size(path, metadata)  # only PyYAML's aliases can make a small text a large value
    return metadata, body


def _check_size(path: str, metadata: Any) -> None:
    """Refuse front matter that expands past a bound: YAML aliases can make a small file a huge value."""
    budget = _MAX_FRONT_MATTER_NODES
    stack = [metadata]
    while stack:
        value = stack.pop()
        budget -= 1
        if budget < 0:
            raise PostError(
                path, f"front matter expands to more than {_MAX_FRONT_MATTER_NODES} values (YAML aliases?); simplify it"
            )
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def _text(value: Any) -> str:
    """Front matter value as text, whatever its YAML/TOML type."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)  # bytes: YAML !!binary
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text  # printable: its only white space is " ", and that is neither doubled nor at either end
    return " ".join(html.strip_xml_invalid(text).split())  # YAML escapes like "\x1b" reach here unfiltered


def _plain_text(text: str) -> str:
    """Text from front matter (`_text`), with any markup or entities in it reduced to plain text."""
    return html.html_to_text(text) if "<" in text or "&" in text else text


def _plain_title(title: str) -> str:
    """Titles are text in every feed format; markup written into one is reduced to its text.

    Feed readers disagree on whether an RSS <title> is HTML, so a tag left in would show or run in some.
    """
    return html.html_to_text(title) if _MARKUP.search(title) else title


def _terms(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = value.split(",") if "," in value else value.split()
    elif isinstance(value, list | tuple):
        items = list(value)
    else:
        items = [value]
    terms = (_text(item) for item in items)
    return tuple(dict.fromkeys(t for t in terms if t))


def _front_matter_date(path: str, metadata: Mapping[str, Any], key: str, tz: ZoneInfo) -> datetime | None:
    value = metadata.get(key)
    if value is None or value == "":
        return None
    try:
        moment = parse_date(value, tz)
        if moment.year < _EARLIEST_YEAR:
            raise ValueError("too early")
        return moment
    except (ValueError, OverflowError):
        raise PostError(
            path,
            f"front matter '{key}' is not a valid date (got {_text(value)!r}); "
            "use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +0900",
        ) from None


def _filename_parts(path: str, stem: str, tz: ZoneInfo) -> tuple[str, datetime | None]:
    """The slug part of a Jekyll file (or bundle folder) name and the date in its YYYY-MM-DD- prefix, if any."""
    match = _FILENAME_DATE.match(stem)
    if not match:
        return stem, None
    year, month, day, slug = match.groups()
    try:
        return slug, datetime(int(year), int(month), int(day), tzinfo=tz)
    except ValueError:
        raise PostError(
            path, f"file name starts with an impossible date {year}-{month}-{day}; fix the YYYY-MM-DD- prefix"
        ) from None


def _file_date(path: str, git: _GitDates, tz: ZoneInfo) -> datetime:
    stamp = git.get(Path(path))
    if stamp is None:
        stamp = int(os.stat(path).st_mtime)
    return datetime.fromtimestamp(stamp, tz)


_Fill = Callable[[datetime, str, tuple[str, ...]], str]  # (date, slug, categories) -> a placeholder's text

# Jekyll's permalink placeholders (jekyllrb.com/docs/permalinks/#placeholders), from the post's date, slug and
# categories; each is made only when the pattern names it.
_PERMALINK_VALUES: dict[str, _Fill] = {
    "year": lambda when, slug, categories: f"{when.year:04d}",
    "month": lambda when, slug, categories: f"{when.month:02d}",
    "day": lambda when, slug, categories: f"{when.day:02d}",
    "i_month": lambda when, slug, categories: str(when.month),
    "i_day": lambda when, slug, categories: str(when.day),
    "short_year": lambda when, slug, categories: f"{when.year % 100:02d}",
    "hour": lambda when, slug, categories: f"{when.hour:02d}",
    "minute": lambda when, slug, categories: f"{when.minute:02d}",
    "second": lambda when, slug, categories: f"{when.second:02d}",
    "y_day": lambda when, slug, categories: f"{when.timetuple().tm_yday:03d}",
    "title": lambda when, slug, categories: slug,
    "slug": lambda when, slug, categories: slug,
    "name": lambda when, slug, categories: slug,
    "categories": lambda when, slug, categories: "/".join(
        dict.fromkeys(slugify(c.lower()) for c in categories if slugify(c))
    ),
    "output_ext": lambda when, slug, categories: ".html",
}


@functools.cache
def _permalink_pieces(permalink: str) -> tuple[tuple[tuple[str, _Fill], ...], str]:
    """The pattern cut once a run (not once a post) into (text before, placeholder's fill) pairs and the rest."""
    pieces: list[tuple[str, _Fill]] = []
    position = 0
    for match in _PLACEHOLDER.finditer(permalink):
        fill = _PERMALINK_VALUES.get(match.group(1))
        if fill is not None:  # unknown placeholders stay as written
            pieces.append((permalink[position : match.start()], fill))
            position = match.end()
    return tuple(pieces), permalink[position:]


def unknown_placeholders(permalink: str) -> list[str]:
    """The `:name` placeholders of a permalink pattern that `_post_url` leaves as they are written."""
    return [name for name in _PLACEHOLDER.findall(permalink) if name not in _PERMALINK_VALUES]


def slugify(text: str) -> str:
    """Jekyll's "pretty" slug: unsafe characters become "-", letters of every script are kept."""
    return _SLUG_UNSAFE.sub("-", text).strip("-")


def _post_url(
    site: Site, path: str, metadata: Mapping[str, Any], stem: str, published: datetime, categories: tuple[str, ...]
) -> tuple[str, str]:
    """The post's URL (an IRI) and its percent-encoded form."""
    permalink = _text(metadata.get("permalink"))
    if not permalink:
        slug = slugify(_text(metadata.get("slug")) or stem) or "post"
        pieces, rest = _permalink_pieces(site.posts.permalink)
        permalink = "".join([text + fill(published, slug, categories) for text, fill in pieces]) + rest
    # Each check behind a cheap test that almost every permalink fails: this runs for every post of a cold build.
    if ":" in permalink and urlsplit(permalink).scheme:
        raise PostError(path, f"permalink must be a path like /2024/hello/, not a full URL (got {permalink!r})")
    clean = "/" + permalink.strip()
    if "//" in clean:
        clean = _SLASHES.sub("/", clean)
    if "/." in clean and any(segment in (".", "..") for segment in clean.split("/")):
        raise PostError(path, f"permalink must not contain '.' or '..' segments (got {permalink!r})")
    url = site.url.rstrip("/") + clean
    if len(uri := html.to_uri(url)) >= _MAX_URL_LENGTH:
        raise PostError(
            path,
            f"URL is {len(uri)} characters once encoded; sitemaps allow under {_MAX_URL_LENGTH}: "
            "shorten its permalink, slug or categories",
        )
    return url, uri


class _LazyHtml:
    """The body as HTML, rendered from Markdown only if an excerpt or image fallback needs it."""

    def __init__(self, site: Site, body: str, body_format: str, title: str) -> None:
        self.site = site
        self.body = body
        self.body_format = body_format
        self.title = title
        self._html: str | None = None

    def render(self, text: str | None = None) -> str:
        if text is not None:
            return body_html(self.site, text, self.body_format, self.title)
        if self._html is None:
            self._html = self.render(self.body)
        return self._html


def _excerpt(metadata: Mapping[str, Any], body: str, lazy_html: _LazyHtml, length: int) -> str:
    # _text has collapsed white space and dropped invalid characters: only markup or entities need parsing.
    text = next((t for key in _EXCERPT_KEYS if (t := _plain_text(_text(metadata.get(key))))), "")
    if not text and html.MORE_MARKER in body:
        text = html.html_to_text(lazy_html.render(body.split(html.MORE_MARKER, 1)[0]))
    if not text:
        text = html.first_paragraph_text(lazy_html.render())
    return html.truncate(html.strip_xml_invalid(text), length)


def _image(
    site: Site, metadata: Mapping[str, Any], lazy_html: _LazyHtml, post_url: str, bundle: Path | None, memo: _ImageMemo
) -> Image | None:
    folders = ((bundle, post_url),) if bundle else ()
    for key in _IMAGE_KEYS:
        value = metadata.get(key)
        if isinstance(value, list):  # Hugo's `images: [a.jpg, b.jpg]`: the first is the post's image
            value = value[0] if value else None
        if isinstance(value, dict):
            src = next((_text(value[k]) for k in ("path", "url", "src") if value.get(k)), "")
            alt = _text(value.get("alt"))
        else:
            src, alt = _text(value), ""
        if src:
            if bundle and not _has_scheme(src) and not src.startswith("/") and _in_bundle(bundle, src):
                # Hugo resolves a bundle's own image (a page resource) against the page's URL.
                return _make_image(site, html.absolute_url(src, post_url) or "", alt, folders, memo)
            # Front matter paths are site paths ("/assets/x.jpg" or "assets/x.jpg"), not relative to the post.
            return _make_image(site, site.url + src.lstrip("/") if not _has_scheme(src) else src, alt, folders, memo)
    found = html.first_image(lazy_html.render())
    if found:
        src, alt = found
        # "/x" in a body is taken as a site path, like front matter's, unless it already starts with the site's
        # path (a resolved {{ site.baseurl }}): then it is a path from the host's root, as HTML means.
        site_path = urlsplit(site.url).path
        as_site_path = src.startswith("/") and not src.startswith(("//", site_path))
        url = html.absolute_url(site.url + src.lstrip("/") if as_site_path else src, post_url)
        return _make_image(site, url, alt, folders, memo) if url else None
    return None


def _in_bundle(bundle: Path, src: str) -> bool:
    """Whether `src` names a file of the bundle (a Hugo page resource); odd names are simply not."""
    try:
        candidate = (bundle / unquote(src.split("#")[0].split("?")[0])).resolve()
        return candidate.is_relative_to(bundle.resolve()) and candidate.is_file()
    except (OSError, ValueError):
        return False


def _has_scheme(src: str) -> bool:
    try:
        return src.startswith("//") or bool(urlsplit(src).scheme)
    except ValueError:  # not a URL at all ("http://[::1"): absolute_url will refuse it
        return True


def _make_image(
    site: Site, src: str, alt: str, folders: tuple[tuple[Path, str], ...], memo: _ImageMemo
) -> Image | None:
    """The image at `src`, resolved once per run (`memo`): its file's size is looked up under the folders."""
    key = (src, alt, folders)
    if key not in memo:
        memo[key] = _resolve_image(site, src, alt, folders)
    return memo[key]


def _resolve_image(site: Site, src: str, alt: str, folders: tuple[tuple[Path, str], ...]) -> Image | None:
    url = html.absolute_url(src, site.url)
    if url is None or not url.startswith(("http://", "https://")):
        return None
    suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
    mime = _MIME_TYPES.get(suffix) or mimetypes.guess_type(f"x{suffix}")[0]
    length = next((n for folder, base in folders if (n := _file_size(folder, base, url))), None)
    length = length or _file_size(site.static_dir, site.url, url)
    return Image(url=url, mime_type=mime, length=length, alt=html.strip_xml_invalid(alt))


def _file_size(folder: Path, base_url: str, url: str) -> int | None:
    """Size of the file under `folder` (served at `base_url`) that serves `url`; never fetched."""
    if not url.startswith(base_url):
        return None
    relative = unquote(urlsplit(url).path[len(urlsplit(base_url).path) :])
    parent, name = os.path.split(os.path.join(folder, relative))
    try:
        # os.path, not pathlib, and the folder's realpath remembered: this runs for every post of a cold build.
        candidate = os.path.join(_real_folder(parent), name)
        info = os.lstat(candidate)
        if S_ISLNK(info.st_mode):
            candidate = os.path.realpath(candidate)
            info = os.stat(candidate)
    except (OSError, ValueError):
        return None
    base = _real_folder(str(folder)).rstrip(os.sep) + os.sep
    if not (candidate.startswith(base) and S_ISREG(info.st_mode)):
        return None
    return info.st_size or None


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    """realpath of a folder, remembered: posts share a few image folders, and realpath stats every component."""
    return os.path.realpath(folder)


def _author(value: Any) -> Author | None:
    if isinstance(value, dict):
        name = _text(value.get("name"))
        return Author(name=name, email=_text(value.get("email")) or None) if name else None
    name = _text(value)
    return Author(name=name) if name else None
