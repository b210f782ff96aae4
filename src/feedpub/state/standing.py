"""The record a build leaves (.feedpub/standing.marshal) so that the next `feedpub build` can tell, before importing
the rest of feedpub, that nothing the build depends on has changed: a cron run every few minutes then costs a walk
over the posts' folders, not ~60 ms more of imports, settings and the cache on top of it.

A stricter copy of api.run_build's own no-change check, never a replacement for it. It holds only while every
input is as the last build left it, by what os.stat tells: the config file; every name in the posts' folders
with its lstat (Scan.listing, made by the scan itself, compared name by name); the files the posts include;
feedpub's code; the state files and the outputs (their inode, size and both times: a file written again, even
with the same bytes, sends the run to the whole check); the environment the settings read; and the clock inside
the window the outputs hold for. A Jekyll or Hugo site's record holds what reading its configuration looked at as
well (state.stamps.Inputs: the files read and the places looked for one, the folders whose listings decided, the
times its pages' dates were compared with). What it cannot stat leaves no record at all (a link among the posts or
the generator's files, pages dated by git), and neither do other options than --config,
--output, --quiet, --json and --wait: the whole check decides those runs.

Only the standard library's lightest modules are imported here, and the record is marshalled.
"""

from __future__ import annotations

import marshal
import os
import sys
import time
from array import array

from feedpub.plain_files import plain_file_digest, read_plain_file, write_plain_file
from feedpub.state.paths import LOCK_NAME, STANDING_NAME, STATE_FOLDER
from feedpub.state.stamps import code_stamp, stamps_hold

try:
    from _blake2 import blake2b  # hashlib's own BLAKE2, without hashlib's start of OpenSSL (2 ms of a 40 ms run)
except ImportError:  # another Python than CPython
    from hashlib import blake2b

TYPE_CHECKING = False  # typing's own costs 2 ms of that run: annotations only, never evaluated
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

_FORMAT = 8  # bump when the record's shape changes: a record of another shape is ignored


class Listing:
    """Every name a walk over the posts' folders met (not starting with "."), folder by folder, with its lstat's
    mode, size and modification time."""

    __slots__ = ("folders", "listed", "replayable", "skipped")

    def __init__(self, skipped: frozenset[str] = frozenset()) -> None:
        self.skipped = skipped  # paths not walked (feedpub's own files inside the posts folders), as "folder/name"
        self.folders: list[tuple[str, list[str], list[int]]] = []
        # False once the walk met what a later walk's lstats would not show changing (a link's target).
        self.replayable = True
        self.listed = 0  # names of the folders walked to their end

    def folder(self, path: str) -> tuple[list[str], list[int]]:
        """The lists the names met in `path`, and their numbers, go to (kept only while the listing may be)."""
        names: list[str] = []
        numbers: list[int] = []
        if self.listed <= MAX_LISTED:
            self.folders.append((path, names, numbers))
        return names, numbers

    def walked(self, names: list[str]) -> None:
        """Count the names of a folder walked to its end; past MAX_LISTED, let go of every folder's.

        A site of 1M posts made 1M names and 3M numbers (~200 MB) before finding at the end that it keeps none.
        """
        self.listed += len(names)
        if self.listed > MAX_LISTED:
            self.folders.clear()

    def kept(self) -> RecordedListing | None:
        """The listing as the record keeps it: each folder's names in one text ("\0" between them: one object to
        load, and compared with a listing at once), their numbers as bytes; None when it is not replayable or too
        long to be worth keeping."""
        if not self.replayable or self.listed > MAX_LISTED:
            return None
        try:
            return tuple(
                (path, "\0".join(names), array("q", numbers).tobytes()) for path, names, numbers in self.folders
            )
        except OverflowError:  # a time past 2262: not worth a second encoding
            return None


# Names a record keeps at most (~60 bytes each): past them a site's build keeps no record, and its scan's names are
# not held through the build (100k posts: ~6 MB).
MAX_LISTED = 100_000
RecordedListing = tuple[tuple[str, str, bytes], ...]
_NEWEST_FIRST = 32  # names of the last folder whose lstats are compared before anything is listed


def listing_holds(skipped: Sequence[str], listing: RecordedListing) -> bool:
    """Whether a scan of the same folders would make this listing now (read/scan.py), every name counting (not
    only the posts).

    Posts are named by their dates, and an edit is nearly always to one of the newest: the last names of the last
    folder are looked at first. Then each folder's names, from its listing alone (an added, removed or renamed
    file or folder shows there, with nothing stat'ed); then every name's lstat.
    """
    excluded = frozenset(skipped)
    try:
        if listing:
            path, joined, numbers = listing[-1]
            if not _lstats_hold(path, joined.rsplit("\0", _NEWEST_FIRST)[1:], numbers):
                return False
        for path, joined, _ in listing:
            listed = sorted(os.listdir(path))
            if excluded:
                listed = [name for name in listed if f"{path}/{name}" not in excluded]
            if "\0".join(name for name in listed if name[0] != ".") != joined:
                return False
        return all(
            _lstats_hold(path, joined.split("\0") if joined else [], numbers)
            for path, joined, numbers in reversed(listing)
        )
    except OSError:
        return False  # a folder or a name gone since


def _lstats_hold(path: str, names: list[str], numbers: bytes) -> bool:
    """Whether the last `len(names)` names of the folder at `path` (the last of them first) have the last of the
    recorded numbers."""
    recorded = array("q")
    recorded.frombytes(numbers)
    end = len(recorded) // 3
    if not names:
        return True
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        for offset in range(len(names) - 1, -1, -1):
            info = os.stat(names[offset], dir_fd=descriptor, follow_symlinks=False)
            at = 3 * (end - len(names) + offset)
            if at < 0 or (info.st_mode, info.st_size, info.st_mtime_ns) != tuple(recorded[at : at + 3]):
                return False
    finally:
        os.close(descriptor)
    return True


def file_state(path: str) -> list[Any]:
    """What os.stat tells of a file, as the record keeps it: [path] for none. The change time too: no program can
    set it back, so a file written again with its old modification time still shows."""
    try:
        info = os.stat(path)
    except OSError:
        return [path]
    return [path, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def secret_digest(value: str | None) -> str | None:
    """A digest of an environment variable's value: the record must not hold the IndexNow key itself."""
    return blake2b(value.encode("utf-8", "surrogateescape")).hexdigest() if value else None


class BuildOptions:
    """The options of a `feedpub build` this module can answer for."""

    __slots__ = ("as_json", "config", "output", "quiet")

    def __init__(self, config: str, output: str | None, quiet: bool, as_json: bool) -> None:
        self.config, self.output, self.quiet, self.as_json = config, output, quiet, as_json


def build_options(argv: Sequence[str]) -> BuildOptions | None:
    """`feedpub build`'s options when they are only --config, --output, --quiet/-q, --json and --wait, each at most
    once (click reads them the same way); None for anything else, which the CLI parses."""
    if not argv or argv[0] != "build":
        return None
    values: dict[str, str] = {}
    flags: set[str] = set()
    words = list(argv[1:])
    while words:
        word = words.pop(0)
        name, equals, value = word.partition("=")
        if name in ("--config", "--output", "--wait"):
            if not equals:
                if not words:
                    return None
                value = words.pop(0)
            if name in values or not value or (not equals and value.startswith("-")):
                return None
            values[name] = value
        elif word in ("--quiet", "-q", "--json") and word not in flags:
            flags.add("--quiet" if word == "-q" else word)
        else:
            return None
    if "--wait" in values:
        try:
            if not float(values["--wait"]) >= 0:
                return None
        except ValueError:
            return None
    config, output = values.get("--config", "config.toml"), values.get("--output")
    return BuildOptions(config, output, "--quiet" in flags, "--json" in flags)


def record_key(options: BuildOptions, environ: Mapping[str, str]) -> dict[str, Any]:
    """What the record is valid for besides the files: where the run is (paths in the config and in --output, and
    the names printed, depend on it), feedpub and Python themselves."""
    return {
        "format": _FORMAT,
        "config": os.path.realpath(options.config),
        "output": os.path.abspath(options.output) if options.output is not None else None,
        "cwd": os.getcwd(),
        "home": environ.get("HOME"),
        "python": sys.version,
        "code": code_stamp(),
    }


def state_dir(options: BuildOptions) -> str:
    """.feedpub beside the config file, as config.load_config places it."""
    return os.path.join(os.path.dirname(os.path.realpath(options.config)), STATE_FOLDER)


def replay(argv: Sequence[str], environ: Mapping[str, str]) -> Replay | None:
    """What a build that finds nothing changed prints, and its exit code, when the record shows that nothing has;
    None when it cannot tell, and the CLI runs the build."""
    started = time.perf_counter()
    options = build_options(argv)
    if options is None or environ.get("GITHUB_ACTIONS") == "true":
        return None
    folder = state_dir(options)
    try:
        record = load_record(os.path.join(folder, STANDING_NAME))
        if record is None or record["key"] != record_key(options, environ):
            return None
    except (OSError, ValueError, EOFError, KeyError, TypeError):
        return None
    descriptor = _try_lock(os.path.join(folder, LOCK_NAME))
    if descriptor is None:
        return None  # another run is working on the site: the CLI waits for it
    try:
        if not _holds(record, environ):
            return None
        seconds = time.perf_counter() - started
        if options.as_json:
            # The report as JSON, closed by the seconds as cli.build_and_report writes them (json writes a
            # float as repr does).
            stdout = [f'{record["report"][:-1]}, "seconds": {round(seconds, 3)!r}}}']
        elif options.quiet:
            stdout = []
        else:
            before, after = record["summary"]
            stdout = [f"{before}{seconds:.2f}{after}"]
        exit_code = record["exit"]
        if type(exit_code) is not int or not 0 <= exit_code <= 255:
            return None  # no run exits so (sys.exit takes 2**32 + 1 for 1, and 10**400 for 255)
        return Replay([str(line) for line in record["stderr"]], stdout, exit_code)
    except (KeyError, TypeError, ValueError):
        return None
    finally:
        os.close(descriptor)


class Replay:
    """What the run prints, and its exit code."""

    __slots__ = ("exit_code", "stderr", "stdout")

    def __init__(self, stderr: list[str], stdout: list[str], exit_code: int) -> None:
        self.stderr, self.stdout, self.exit_code = stderr, stdout, exit_code


def _holds(record: dict[str, Any], environ: Mapping[str, str]) -> bool:
    """Whether everything the record names is as it says; cheapest checks first."""
    now = time.time()
    if (since := record["since"]) is not None and now < since:
        return False
    if (until := record["until"]) is not None and now >= until:
        return False
    if any(secret_digest(environ.get(name)) != digest for name, digest in record["environment"]):
        return False
    if any(file_state(state[0]) != state for state in record["files"]):
        return False
    if not stamps_hold(record["dependencies"]):
        return False
    if any(os.path.realpath(path) != path for path in record["paths"]):
        return False  # a configured folder or file is a link now: it may lead anywhere (Site.through_links)
    return listing_holds(record["skipped"], record["listing"])


def _try_lock(path: str) -> int | None:
    """The site's lock (state/lock.py: site_lock) if no other run holds it, as an open descriptor; None when it is
    held, or cannot be had here."""
    try:
        import fcntl
    except ImportError:  # Windows: the CLI's lock
        return None
    if os.path.islink(os.path.dirname(path)):
        return None  # the CLI refuses it, with its reason
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_NOFOLLOW)  # a linked lock: the CLI refuses it, with its reason
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(descriptor)
        return None
    return descriptor


def remember(
    folder: str,
    key: dict[str, Any],
    files: Sequence[str],
    environment: Mapping[str, str | None],
    *,
    unchanged_since: Mapping[str, list[Any]],
    written: Mapping[str, str],
    skipped: Sequence[str],
    paths: Sequence[str],
    listing: RecordedListing,
    since: float | None,
    until: float | None,
    dependencies: Sequence[str],
    stderr: Sequence[str],
    summary: tuple[str, str],
    report: str,
    exit_code: int,
) -> None:
    """Write the record for the next run (atomically: a reader sees the old one or the new one), with the states of
    `files` now; none when a file changed while the build ran. `unchanged_since`: files' states before the build
    read them (the config), which must still hold; `written`: the files the build wrote or kept, by their SHA-256,
    which they must still hold; `environment`: the variables the settings read, by their values. A record that
    cannot be written costs the next run its time, not its answer."""
    states = {path: file_state(path) for path in dict.fromkeys([*files, *written])}
    if any(states.get(path, file_state(path)) != state for path, state in unchanged_since.items()):
        forget(folder)  # edited while the build read it: the next run must read it again
        return
    if written:
        for path, digest in written.items():
            if plain_file_digest(path) != digest or file_state(path) != states[path]:
                forget(folder)  # replaced or edited since the build wrote it
                return
    record = {
        "key": key,
        "since": since,
        "until": until,
        "environment": [[name, secret_digest(value)] for name, value in environment.items()],
        "files": [states[path] for path in dict.fromkeys([*files, *written])],
        "dependencies": list(dependencies),
        "skipped": list(skipped),
        "paths": list(paths),
        "listing": listing,
        "stderr": list(stderr),
        "summary": list(summary),
        "report": report,
        "exit": exit_code,
    }
    path = os.path.join(folder, STANDING_NAME)
    # Named as the writer names its temporaries: the next build's clean-up of the state folder deletes one a run
    # killed here left (publish.writer.remove_temporaries).
    temporary = os.path.join(folder, f".{STANDING_NAME}.{os.getpid()}.tmp")
    payload = marshal.dumps(record)
    try:
        write_plain_file(
            temporary, _MAGIC + len(payload).to_bytes(8, "big") + blake2b(payload, digest_size=16).digest() + payload
        )
        os.replace(temporary, path)
    except OSError:
        forget(folder)
        _unlink(temporary)


_MAGIC = b"feedpub standing\n"
_MAX_RECORD_BYTES = 64 << 20


def load_record(path: str) -> Any:
    """The record, or None for a file that is not one whole record of this feedpub's: checked by its length and
    digest before marshal reads it (marshal takes a garbled length at its word, and allocated a list of 2^31
    slots for five bytes of one: seconds, or hours, to free). NotAPlainFile for a link, a pipe, a device or a
    folder, or a file longer than any record: read before the lock is taken, a pipe there hung every build."""
    data = read_plain_file(path, _MAX_RECORD_BYTES)
    head = len(_MAGIC) + 8 + 16
    if len(data) < head or not data.startswith(_MAGIC):
        return None
    length = int.from_bytes(data[len(_MAGIC) : len(_MAGIC) + 8], "big")
    payload = data[head:]
    if length != len(payload) or blake2b(payload, digest_size=16).digest() != data[head - 16 : head]:
        return None
    # marshal, not json (whose import is 3 ms of the run): builtins only, nothing in it is ever called, and the
    # file is feedpub's own (the digest says it is whole), in a folder that is never a link (lock.site_lock).
    return marshal.loads(payload)


def forget(folder: str) -> None:
    """Remove the record: a run about to build makes it stale, and one that fails must leave none."""
    _unlink(os.path.join(folder, STANDING_NAME))


def _unlink(path: str) -> None:
    try:  # not contextlib.suppress: its import is a millisecond of the run this module is for
        os.unlink(path)
    except OSError:
        return
