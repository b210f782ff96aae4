"""Stamps of files: strings that change whenever the files they were made of do (added, removed, resized, touched).

Only the standard library's lightest modules: the check that a build's inputs stand (state/standing.py) runs
before the rest of feedpub is imported.
"""

from __future__ import annotations

import os

from feedpub.plain_files import bounded_walk

TYPE_CHECKING = False  # typing's own import is 2 ms of a 40 ms run: annotations only, never evaluated
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
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
    stamps = []
    for parent, folders, names in bounded_walk(folder):
        folders[:] = sorted(f for f in folders if not f.startswith(skip_folders)) if skip_folders else sorted(folders)
        for name in sorted(filter(wanted, names)):
            path = os.path.join(parent, name)
            try:
                info = os.stat(path)
            except OSError:
                continue  # gone since the listing
            stamps.append(f"{os.path.relpath(path, folder)}:{info.st_size}:{info.st_mtime_ns}")
    return ",".join(stamps)


def file_stamp(path: str) -> str:
    """A stamp of one file a post's content includes (Post.dependencies): changes when it is edited, made or
    removed."""
    try:
        info = os.stat(path)
    except OSError:
        return f"file\t{path}\t-"
    return f"file\t{path}\t{info.st_size}\t{info.st_mtime_ns}"


_tree_stamps: dict[str, str] = {}  # made this build, by folder (forget_tree_stamps at its start)


def tree_stamp(folder: str) -> str:
    """A stamp of every file under `folder`, for content that may include any of them (a name known only when
    rendered). Made once a build: 3,000 posts of one folder, each with `{% include_relative {{ page.x }} %}`,
    stamped that folder 3,000 times, and their build took 75 s (1 s with a literal name)."""
    if (made := _tree_stamps.get(folder)) is not None:
        return made
    import hashlib  # here: state/standing.py checks stamps without this module's other users

    stamp = folder_stamp(folder, lambda name: not name.startswith("."), skip_folders=(".",))
    made = _tree_stamps[folder] = f"tree\t{folder}\t{hashlib.blake2b(stamp.encode(), digest_size=16).hexdigest()}"
    return made


def forget_tree_stamps() -> None:
    """Let a new build stamp folders afresh: their files may have changed since the last one in this process."""
    _tree_stamps.clear()


def clock_stamp(now: datetime) -> str:
    """A stamp of the build's time, for a post whose content shows it (Jekyll's `site.time`, "now"): it never holds
    (stamps_hold), so such a post is read and rendered again at every build, with that build's time, as a clean
    build renders it; and its content's key (render/build.py, content_key) holds the time."""
    return f"clock\t{now.isoformat()}"


def stamps_hold(stamps: Iterable[str]) -> bool:
    """Whether the files the stamps (file_stamp, tree_stamp) were made of are still as they were; never for a
    clock_stamp, nor for a stamp of another form (the cache is data from disk: one that is not ours only costs a
    build)."""
    for stamp in stamps:
        kind, _, rest = stamp.partition("\t")
        path = rest.partition("\t")[0]
        if (file_stamp(path) if kind == "file" else tree_stamp(path) if kind == "tree" else None) != stamp:
            return False
    return True
