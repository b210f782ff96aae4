"""Post files on disk, found by one walk that only stats: the first step of `collect`, and all a no-change run does.

Kept free of third-party imports, so a cron run that finds nothing new never loads the parsers.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Callable
from pathlib import Path
from stat import S_ISDIR, S_ISLNK
from typing import Literal

from feedpub.models import IncludedEntries, ReadSettings, Scan, SourceFile
from feedpub.plain_files import MAX_DEPTH
from feedpub.state.standing import MAX_LISTED, Listing

# Why a link to a folder is not walked, as a link to a file that leads as far is not read (read/files.py).
_FOLDER_OUT_OF_SITE = "symbolic link to a folder outside the site's folder; copy the folder in instead"
_FOLDER_OUT_OF_POSTS = "symbolic link to a folder outside the posts folder; copy the folder in instead"


def scan(settings: ReadSettings) -> Scan:
    """Stat every post file under the posts folders; read none."""
    files: list[SourceFile] = []
    missing = []
    linked_out: list[tuple[str, str]] = []
    generator = settings.posts.generator
    listing = Listing(frozenset(map(str, settings.posts.own)))
    # A generator's posts folder found in its site (Jekyll's `sub/_posts`) may be a link: never followed out of it.
    # (Those that feedpub's config names are the operator's own, wherever they are.) A link in a posts folder may
    # lead where a linked post file may (PostsSettings.links_within: a Jekyll site's folder, else its posts folder).
    links_within = settings.posts.links_within
    site = os.path.realpath(links_within or settings.site_dir) if generator != "none" else None
    rules = settings.rules if isinstance(settings.rules, IncludedEntries) else None
    for index, top in enumerate(settings.posts.dirs):
        if not top.is_dir():
            missing.append(top)
            continue
        real = os.path.realpath(top)
        if site is not None and not _under(real, site):
            linked_out.append((str(top), _FOLDER_OUT_OF_SITE))
            listing.replayable = False  # where the link leads may change with no name here changing
            continue
        rule = _UNDERSCORE_RULES[generator]
        links: list[str] = []
        # A name the rule leaves out that the site's config lets through (Jekyll's `include`), by its path below top.
        lead = len(str(top)) + 1
        kept = (lambda path, lead=lead: rules.includes_entry(path[lead:])) if rules is not None else None
        _walk(str(top), False, settings.posts.extensions, index, files, listing, links, top=True, rule=rule, kept=kept)
        # Links met that are not posts: those to folders out of where links may lead are refused by name (none is
        # walked, as before).
        within, why = (site, _FOLDER_OUT_OF_SITE) if links_within is not None and site else (real, _FOLDER_OUT_OF_POSTS)
        linked_out += [(link, why) for link in links if _leads_out(link, within)]
    if _nested(settings.posts.dirs):
        files = _once_each(files)
    return Scan(tuple(files), tuple(missing), listing.kept(), tuple(linked_out))


def _under(real: str, folder: str) -> bool:
    return real == folder or real.startswith(folder.rstrip("/") + "/")


def _leads_out(link: str, real_folder: str) -> bool:
    """Whether `link` leads to a folder outside the folder whose real path is `real_folder`."""
    return os.path.isdir(link) and not _under(os.path.realpath(link), real_folder)


def _nested(dirs: tuple[Path, ...]) -> bool:
    """Whether a posts folder is inside another (`dirs = ["posts", "posts/archive"]`), links resolved.

    Sorted by their names' parts, a real path comes right after every path it is inside, or after one inside that
    path too: a nested pair shows as neighbours, one the start of the other. By parts, not by text: as text "a/b-c"
    sorts between "a/b" and "a/b/c" ("-" before "/"), and parted them. Comparing every pair was quadratic: a
    Jekyll site's 6,000 `dN/_posts` folders took 36M comparisons, 17 s at every build."""
    # The root's parts are [""], the start of every other real path's ("/a": ["", "a"]).
    parts = sorted({tuple(os.path.realpath(top).rstrip("/").split("/")) for top in dirs})
    return any(after[: len(before)] == before for before, after in itertools.pairwise(parts))


def _once_each(files: list[SourceFile]) -> list[SourceFile]:
    """Each file once, where nested posts folders walked it twice (each copy was rejected as the other's URL): the
    first walk's, or the first that does not ignore it (a "_" folder listed on its own is meant to be read)."""
    first: dict[str, int] = {}
    kept: list[SourceFile] = []
    for file in files:
        if (at := first.get(file.path)) is None:
            first[file.path] = len(kept)
            kept.append(file)
        elif kept[at].ignored and not file.ignored:
            kept[at] = file
    return kept


# Which "_" names are not posts, by whose rules: feedpub's own ignores "_" folders and files at any depth;
# Jekyll's entry filter looks at the first folder below _posts and at the file's name (_posts/2021/_old/x.md is a
# post); Hugo publishes content/posts/_archive/old.md and _page.md alike, and only _index files are list pages.
_UNDERSCORE_RULES: dict[str, Literal["everywhere", "top", "index"]] = {
    "none": "everywhere",
    "jekyll": "top",
    "hugo": "index",
}


def _walk(
    folder: str,
    ignored_dir: bool,
    extensions: tuple[str, ...],
    index: int,
    out: list[SourceFile],
    listing: Listing,
    links: list[str],
    top: bool = False,
    rule: Literal["everywhere", "top", "index"] = "everywhere",
    depth: int = 0,
    kept: Callable[[str], bool] | None = None,
) -> None:
    """Append the post files under `folder`; names starting with "." are not posts, "_" ones are ignored as
    `rule` says (_UNDERSCORE_RULES) unless `kept` keeps their path. Every name met goes to `listing`, with its
    lstat; links not named as posts to `links`. A folder MAX_DEPTH levels below the posts folder is not entered.

    listdir and one lstat per name relative to the open folder: the cheapest walk Python has (~2 µs a file).
    """
    if depth > MAX_DEPTH:
        # No site nests posts so deep; a chain of 1,100 folders (2 KB of path) stopped every build with a
        # RecursionError, and each level held a folder open. Past it, as a folder that cannot be read.
        return
    try:
        names = sorted(os.listdir(folder))
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a folder that vanished or cannot be read has no posts to offer
    try:
        seen_names, seen_numbers = listing.folder(folder)
        # Names and functions bound once, and each SourceFile made without NamedTuple's Python-level __new__: the
        # loop runs once a file, and a no-change run is mostly this scan (10k files: 38 -> 34 ms).
        stat, prefix, append = os.stat, f"{folder}/", out.append
        seen, numbers, own = seen_names.append, seen_numbers.extend, listing.skipped
        bundle_time = 0
        pages: frozenset[str] | None = None  # a bundle's: its indexes, the names that are pages
        if not top and (bundle := [n for n in names if _is_bundle_index(n, extensions)]):
            # A Hugo leaf bundle: its index is the page (one a language: index.en.md is its translation); its
            # other files, folders too, are the page's resources.
            pages = frozenset({os.path.splitext(n)[0]: n for n in reversed(bundle)}.values())
            if not listing.replayable or listing.listed > MAX_LISTED:
                # No record will be kept: a bundle's many images are not stat'ed at every build for nothing.
                names = sorted(pages)
            # A resource added, removed or renamed (a featured.jpg, the page's image) changes the folder's time,
            # which the page's time then carries: its reading, keyed on size and time, is made again. Added to the
            # page's own, so that either changing changes it (the later of the two missed a folder changed before
            # an index.md dated ahead).
            bundle_time = os.fstat(descriptor).st_mtime_ns
        for name in names:
            if name[0] == "." or (own and prefix + name in own):  # listdir gives no empty name
                continue
            try:
                info = stat(name, dir_fd=descriptor, follow_symlinks=False)
                seen(name)
                numbers((info.st_mode, info.st_size, info.st_mtime_ns))
                if pages is not None and name not in pages:
                    # A bundle's resource, listed with its lstat so that a later walk shows it added, removed,
                    # renamed or edited (a featured.jpg's size is the feeds' enclosure length); one in a folder of
                    # its own (not entered) or a link (its target may change) is what no lstat here can follow.
                    if S_ISDIR(info.st_mode) or S_ISLNK(info.st_mode):
                        listing.replayable = False
                    continue
                if S_ISDIR(info.st_mode):
                    _walk(
                        prefix + name,
                        _ignored_folder(name, ignored_dir, rule, top),
                        extensions,
                        index,
                        out,
                        listing,
                        links,
                        rule=rule,
                        depth=depth + 1,
                        kept=kept,
                    )
                    continue
                dot = name.rfind(".")
                if dot < 0 or name[dot:].lower() not in extensions:
                    if S_ISLNK(info.st_mode) and not _ignored_folder(name, ignored_dir, rule, top):
                        links.append(prefix + name)  # to a folder, or to anything: scan() tells them apart
                    continue
                if S_ISLNK(info.st_mode):
                    listing.replayable = False  # the target may change with no change here
                    with contextlib.suppress(OSError):  # a link to nothing, or a loop: the link's own (below)
                        info = stat(name, dir_fd=descriptor)  # the target's size and time, as reading sees them
            except OSError:
                continue  # gone since the listing: nothing to read
            # Not a link to a folder (never followed, as os.walk does not). A pipe, a socket or a device named as a
            # post is passed on: reading it refuses it with its reason, as a link out of the site is (it was skipped
            # without a word); so is a link to nothing or a loop of links (a post whose file was moved away
            # vanished from the feeds without a word).
            if not S_ISDIR(info.st_mode):
                underscore = name.startswith("_index.") if rule == "index" else name[0] == "_"
                mtime = info.st_mtime_ns + bundle_time
                if not _LOWEST <= mtime <= _HIGHEST:
                    mtime = (mtime - _LOWEST) % (1 << 64) + _LOWEST  # as SQLite and the scan's digest hold it
                ignored = (ignored_dir or underscore) and (kept is None or not kept(prefix + name))
                file = (prefix + name, info.st_size, mtime, ignored, index)
                append(_new_tuple(SourceFile, file))
        listing.walked(seen_names)
    finally:
        os.close(descriptor)


def _ignored_folder(name: str, ignored_dir: bool, rule: Literal["everywhere", "top", "index"], top: bool) -> bool:
    """Whether a folder (or a link that may lead to one) named `name` holds only ignored files."""
    return ignored_dir or (name[0] == "_" and (rule == "everywhere" or (rule == "top" and top)))


# A file's time is a key that changes whenever the file does, stored as a signed 64-bit integer (the cache's
# SQLite, the scan's digest): a time past 2262 (`touch -d 2300-01-01`) overflowed both, and every build stopped.
_LOWEST, _HIGHEST = -(1 << 63), (1 << 63) - 1
_new_tuple = tuple.__new__  # _new_tuple(SourceFile, fields) is SourceFile(*fields), without a Python-level call


def _is_bundle_index(name: str, extensions: tuple[str, ...]) -> bool:
    stem, suffix = os.path.splitext(name)
    return (stem == "index" or (stem.startswith("index.") and stem.count(".") == 1)) and suffix.lower() in extensions
