"""Stamps of files: strings that change whenever the files they were made of do (added, removed, resized, touched).

Only the standard library's lightest modules: the check that a build's inputs stand (state/standing.py) runs
before the rest of feedpub is imported.
"""

from __future__ import annotations

import os

from feedpub.plain_files import bounded_walk

TYPE_CHECKING = False  # typing's own import is 2 ms of a 40 ms run: annotations only, never evaluated
if TYPE_CHECKING:
    from collections.abc import Callable, Collection, Iterable, Iterator
    from datetime import datetime

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # feedpub/, every subpackage included
_code_stamp: list[str] = []  # made once a process: the api and the collector both ask


def code_stamp() -> str:
    """Changes whenever feedpub's own code does (an upgrade, or an edit in a checkout): cached results go stale."""
    if not _code_stamp:  # not functools.cache: importing functools is a millisecond of that run
        _code_stamp.append(folder_stamp(_PACKAGE, lambda name: name.endswith(".py"), skip_folders=("_", ".")))
    return _code_stamp[0]


def folder_stamp(
    folder: str | os.PathLike[str], wanted: Callable[[str], bool], skip_folders: tuple[str, ...] = ()
) -> str:
    """Changes whenever a wanted file under `folder` is added, removed, resized or touched ("" for none)."""
    return ",".join(f"{name}:{info.st_size}:{info.st_mtime_ns}" for name, info in _files(folder, wanted, skip_folders))


class _TooManyEntries(Exception):
    """A walk went past the names it was allowed to list."""


def _files(
    folder: str | os.PathLike[str],
    wanted: Callable[[str], bool],
    skip_folders: tuple[str, ...] = (),
    limit: int | None = None,
) -> Iterator[tuple[str, os.stat_result]]:
    """Each wanted file under `folder` (its path relative to it), with its stat, in a stable order; _TooManyEntries
    once the folders walked list more than `limit` names."""
    listed = 0
    for parent, folders, names in bounded_walk(folder):
        listed += len(folders) + len(names)
        if limit is not None and listed > limit:
            raise _TooManyEntries
        folders[:] = sorted(f for f in folders if not f.startswith(skip_folders)) if skip_folders else sorted(folders)
        for name in sorted(filter(wanted, names)):
            path = os.path.join(parent, name)
            try:
                info = os.stat(path)
            except OSError:
                continue  # gone since the listing
            yield os.path.relpath(path, folder), info


def file_stamp(path: str) -> str:
    """A stamp of one file a post's content includes (Post.dependencies): changes when it is edited, made or
    removed."""
    try:
        info = os.stat(path)
    except OSError:
        return f"file\t{path}\t-"
    return f"file\t{path}\t{_state(info)}"


def _state(info: os.stat_result) -> str:
    """What a stamp keeps of a file's stat: its size and times, its change time and inode too. An editor or a script
    can write a file again at the same size and put its modification time back (`touch -r`), and the no-change
    record then answered "nothing changed" for an edited _config.yml; nothing can set the change time back."""
    return f"{info.st_size}\t{info.st_mtime_ns}\t{info.st_ctime_ns}\t{info.st_ino}"


_tree_stamps: dict[str, str] = {}  # made this build, by folder (forget_tree_stamps at its start)


def tree_stamp(folder: str) -> str:
    """A stamp of every file under `folder`, for content that may include any of them (a name known only when
    rendered). Made once a build: 3,000 posts of one folder, each with `{% include_relative {{ page.x }} %}`,
    stamped that folder 3,000 times, and their build took 75 s (1 s with a literal name)."""
    if (made := _tree_stamps.get(folder)) is not None:
        return made
    made = _tree_stamps[folder] = fresh_tree_stamp(folder)
    return made


# Names one tree stamp may list: ten times the most files a Jekyll scope may match (MAX_SCOPE_MATCHES). The readers
# stamp no folder leading out of the site (Inputs.tree); past this, the walk is of something no site holds (a disk
# mounted in it), and stops.
MAX_TREE_ENTRIES = 1_000_000


def fresh_tree_stamp(folder: str) -> str:
    """tree_stamp, made now, whatever this build made before; for a folder of more than MAX_TREE_ENTRIES names, a
    stamp that never holds (stamps_hold): what is read from it is read again at every build, and it is walked no
    further than the bound."""
    try:
        files = list(_files(folder, lambda name: not name.startswith("."), skip_folders=(".",), limit=MAX_TREE_ENTRIES))
    except _TooManyEntries:
        return f"unbounded\t{folder}\t{_digest('')}\t-"
    names = ",".join(f"{name}:{info.st_size}:{info.st_mtime_ns}" for name, info in files)
    # The change times and inodes apart (see _state), in a digest of their own: the first, of names, sizes and
    # times, is the same in a copy of the site, and enters the pages' fingerprints (tree_digest).
    changes = ",".join(f"{info.st_ctime_ns}:{info.st_ino}" for _, info in files)
    return f"tree\t{folder}\t{_digest(names)}\t{_digest(changes)}"


def tree_digest(stamp: str) -> str:
    """The digest of a tree_stamp's files by their names, sizes and modification times: the same wherever a copy of
    the files is (their change times and inodes are not)."""
    return stamp.split("\t")[2]


def names_stamp(folder: str) -> str:
    """A stamp of what a folder lists (every name, "." ones too, with whether it is a folder, a link or anything
    else; "-" for no folder), for a folder whose listing decides what a build reads: the folders walked for
    Jekyll's _posts, a Hugo site's config/_default. The files read there are stamped one by one (file_stamp)."""
    try:
        with os.scandir(folder) as entries:
            listed = sorted(f"{entry.name}/{_kind(entry)}" for entry in entries)
    except OSError:
        return f"names\t{folder}\t-"
    return f"names\t{folder}\t{_digest(chr(0).join(listed))}"


def _kind(entry: os.DirEntry[str]) -> str:
    """From the listing itself, with no stat: "l" a link, "d" a folder, "f" anything else."""
    return "l" if entry.is_symlink() else "d" if entry.is_dir(follow_symlinks=False) else "f"


def _digest(text: str) -> str:
    try:  # hashlib's own BLAKE2, without hashlib's start of OpenSSL: state/standing.py checks stamps before it
        from _blake2 import blake2b
    except ImportError:  # another Python than CPython
        from hashlib import blake2b
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def forget_tree_stamps() -> None:
    """Let a new build stamp folders afresh: their files may have changed since the last one in this process."""
    _tree_stamps.clear()


def clock_stamp(now: datetime) -> str:
    """A stamp of the build's time, for a post whose content shows it (Jekyll's `site.time`, "now"): it never holds
    (stamps_hold), so such a post is read and rendered again at every build, with that build's time, as a clean
    build renders it; and its content's key (render/build.py, content_key) holds the time."""
    return f"clock\t{now.isoformat()}"


def stamps_hold(stamps: Iterable[str]) -> bool:
    """Whether the files the stamps (file_stamp, tree_stamp, names_stamp) were made of are still as they were;
    never for a clock_stamp, nor for a stamp of another form (the cache is data from disk: one that is not ours only
    costs a build)."""
    for stamp in stamps:
        kind, _, rest = stamp.partition("\t")
        path = rest.partition("\t")[0]
        if _STAMPERS.get(kind, _never)(path) != stamp:
            return False
    return True


def _never(_: str) -> None:
    return None


_STAMPERS: dict[str, Callable[[str], str | None]] = {"file": file_stamp, "tree": tree_stamp, "names": names_stamp}


class Inputs:
    """What reading a generator's configuration looked at, reported by the readers as they look: a stamp of each
    file read or looked for (one absent counts: _config.yml's candidates), each folder whose listing decided
    something, and each moment the build's time was compared with (a Hugo section published later). The no-change
    record (state/standing.py) holds while they do (`beyond`); a reader that met what stats cannot follow (a link,
    git's history) says so, and no record is left.

    Kept beside the rules they were read for, out of their repr: a file touched with the same bytes must not make
    the cache read every post again.
    """

    __slots__ = ("folders", "moments", "refused", "stamps")

    def __init__(self) -> None:
        self.stamps: dict[str, None] = {}
        # Each folder listed, by the state of the folder itself as it was listed (its time changes with any name
        # added, removed or renamed in it): its names are stamped only at the end, and only where the posts'
        # listing does not hold them already (a names stamp of a 10k posts folder was 20 ms a build).
        self.folders: dict[str, tuple[int, int, int] | None] = {}
        self.moments: list[datetime] = []
        self.refused = ""  # why no record can stand for this reading ("" when one can)

    def file(self, path: str | os.PathLike[str]) -> None:
        """A file read or looked for, stamped before it is read: one edited meanwhile shows at the next run."""
        self._link(path)
        self.stamps[file_stamp(os.fspath(path))] = None

    def folder(self, path: str | os.PathLike[str]) -> None:
        """A folder whose listing (names, and which are folders) a reader went by."""
        self._link(path)
        self.folders.setdefault(os.fspath(path), _folder_state(os.fspath(path)))

    def tree(self, path: str | os.PathLike[str], root: str | os.PathLike[str]) -> bool:
        """A folder any of whose files a reader may have read or matched (an includes folder, a glob's), stamped
        when it lies in `root` (links resolved); False, with nothing walked, when it leads out of it: a theme's
        _includes committed as a link to / had every build walk the whole disk (over 220 s, 3 GB)."""
        self._link(path)
        if not leads_into(root, path):
            return False
        self.stamps[tree_stamp(os.fspath(path))] = None
        return True

    def moment(self, when: datetime | None) -> None:
        """A time the build's time was compared with: past it, the reading may differ."""
        if when is not None:
            self.moments.append(when)

    def refuse(self, reason: str) -> None:
        """What the reading depends on that no stat can tell (git's history)."""
        self.refused = self.refused or reason

    def beyond(self, listed: Collection[str]) -> list[str] | None:
        """The stamps a record must check besides a listing of the folders `listed` (Scan.listing, which compares
        every name in them, but "." ones, with its lstat's size and time); None when what was looked at changed
        since (the listing, made after the reading, would answer for what the reading never saw)."""
        stamps = []
        for path, state in self.folders.items():
            if _folder_state(path) != state:
                return None
            if path not in listed:
                stamps.append(names_stamp(path))
        for stamp in self.stamps:
            kind, path = stamp.split("\t", 2)[:2]
            if kind == "file" and file_stamp(path) != stamp:
                return None
            # Every stamp, those of files in listed folders too: the listing compares sizes and modification times
            # only, and a Hugo _index file the build reads again each time was edited at the same size and time.
            stamps.append(stamp)
        return stamps

    def _link(self, path: str | os.PathLike[str]) -> None:
        if os.path.islink(path):
            self.refuse(f"{os.fspath(path)} is a link: where it leads may change with no file of the site changing")


def leads_into(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> bool:
    """Whether `path` is `root` or under it, the links of both resolved (a loop of links leads nowhere in it)."""
    inside = os.path.realpath(root)
    where = os.path.realpath(path)
    return where == inside or where.startswith(inside.rstrip(os.sep) + os.sep)


def _folder_state(path: str) -> tuple[int, int, int] | None:
    """A folder's inode and times, which change with any name added, removed or renamed in it; None for none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_ino, info.st_mtime_ns, info.st_ctime_ns)
