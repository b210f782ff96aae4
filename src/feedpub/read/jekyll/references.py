"""Jekyll's cross-references, `{% post_url name %}` and `{% link path %}`: which post each one names (a `link` may
also name a page or a static file: read/jekyll/pages.py).

A body's references are found when its file is read (Post.references), and the site's posts are keyed the same way
once all are read (Links): the build then writes the URL Jekyll writes, and a post's cached content is
made again when a post it names moves. Kept apart from the Liquid renderer, which only sites with Liquid load.
"""

from __future__ import annotations

import errno
import functools
import itertools
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

from feedpub.models import Post, digest_of
from feedpub.plain_files import read_plain_file, resolved
from feedpub.read.jekyll import pages
from feedpub.read.jekyll.site import SiteConfig
from feedpub.urls import to_uri

# The tags whose targets are other posts, as a body writes them (Liquid's `{%-` and `-%}` trim whitespace). The
# argument is every character up to the next "%": one way to match, so a body of a megabyte is one pass.
_REFERENCE_TAG = re.compile(r"\{%-?[ \t\r\n]*(post_url|link)(?=[ \t\r\n])([^%]*)%\}")
# A post_url name's date and the dash after it, as Jekyll's PostComparer::MATCHER (`^(.+/)*(\d+-\d+-\d+)-(.*)$`)
# reads it after its folders. That pattern is not used as written: its nested repetition backtracks through every
# way of splitting the folders, exponentially on a name of many "/" with no date.
_DATE = re.compile(r"(\d+)-(\d+)-(\d+)-")
_MAX_ARGUMENT = 1_000  # characters: Jekyll's names and paths are far shorter; a longer one finds nothing
_POSTS_FOLDER = "_posts"
_LINK = "link "  # a `link` reference's key: this, then the path as written


def references(body: str) -> tuple[str, ...]:
    """Every key (`reference_keys`) under which the cross-reference tags in `body` look their targets up."""
    if "{%" not in body:
        return ()
    found = (key for match in _REFERENCE_TAG.finditer(body) for key in reference_keys(match[1], _trimmed(match[2])))
    return tuple(dict.fromkeys(found))


# include_relative, as a body writes it: its argument's first word names a file beside the post (or, when it holds
# "{{", a name known only once rendered).
_INCLUDE_RELATIVE_TAG = re.compile(r"\{%-?[ \t\r\n]*include_relative(?=[ \t\r\n])([^%]*)%\}")
_MAX_INCLUDED = 100  # files a post's includes are followed through, nested ones too: far above real sites
_MAX_LINKED = 1_000  # files a post's `link` tags are stamped for: far above real sites
MAX_INCLUDE_BYTES = 1 << 20  # of one included file: a larger one includes nothing
# Jekyll's own rule for include names: these characters only, and never "..", "./" or a leading "/" (it stops
# the build over any other). Here a refused name includes nothing.
_INCLUDE_NAME = re.compile(r"[\w/.\-()+~#@]+")


def include_name_allowed(name: str) -> bool:
    """Whether `include` or `include_relative` may name this file (Jekyll's rule, _INCLUDE_NAME)."""
    refused = name.startswith("/") or ".." in name or "./" in name
    return not refused and _INCLUDE_NAME.fullmatch(name) is not None


def included_files(body: str, post_path: str, source: Path) -> tuple[tuple[str, ...], str]:
    """Stamps (state.stamps.file_stamp) of the files `include_relative` in `body` includes, nested ones too, that
    lie inside the site `source` (a stamp of the post's whole folder, tree_stamp, when Liquid makes a name), and a
    digest of what they hold, wherever the site is (for the page's fingerprint); ((), "") for a body without.

    Read statically, as `references` are: the post's cached reading and content then hold only while these
    files do, whether or not this run renders the body.
    """
    if "include_relative" not in body:
        return (), ""
    from feedpub.state.stamps import file_stamp, tree_digest, tree_stamp

    folder = Path(post_path).parent
    root = source.resolve()
    stamps: dict[str, None] = {}
    held: list[str] = []  # what each include names and holds, in the order met
    texts, seen = [body], set[str]()
    tree = ""  # the folder's stamp, made once
    while texts and len(seen) < _MAX_INCLUDED:
        for match in _INCLUDE_RELATIVE_TAG.finditer(texts.pop()):
            if len(seen) >= _MAX_INCLUDED:
                break  # a body of a million tags is followed no further than a real one
            argument = _trimmed(match[1])
            if "{{" in argument:
                if not tree:
                    tree = tree_stamp(str(folder))
                    stamps[tree] = None
                    held.append(tree_digest(tree))  # the folder's digest: its files' names, sizes and times
                continue
            name = argument.split(maxsplit=1)[0] if argument else ""
            target = folder / name
            if not include_name_allowed(name) or str(target) in seen or not _inside(target, root):
                continue  # a name the tag refuses, or one leading out of the site (or nowhere): it includes nothing
            seen.add(str(target))
            stamps[file_stamp(str(target))] = None
            text = read_include(root, folder, name)
            held += [name, text if text is not None else "\0"]
            if text is not None:
                texts.append(text)
    return tuple(stamps), digest_of(*held) if held else ""


# Liquid that shows the build's time: `site.time` (or site["time"]), or the text "now" or "today", which Liquid's
# date filters read, in any case, as the clock (its to_date).
_CLOCK = re.compile(r"""\bsite\s*(?:\.\s*time\b|\[\s*["']time["']\s*\])|["'](?:now|today)["']""", re.IGNORECASE)
# A tag or output, to its end or the next "{" (none in the `site` values looked for): each character is read once,
# however many "{{" nothing closes.
_LIQUID = re.compile(r"\{\{[^{}]*\}\}|\{%[^{%]*%\}")
# And `site` itself as a value in a tag or an output (`{% assign t = site %}` then `{{ t.time }}`, `{{ site |
# jsonify }}`, `site[key]`), whose time may be read from it: not `site.title`, nor `site["title"]`.
_SITE_AS_A_VALUE = re.compile(r"""\bsite\b(?!\s*\.)(?!\s*\[\s*["'])""")


def _names_time(text: str) -> bool:
    """Whether Liquid in `text` names the build's time, or `site` as a value (_CLOCK, _SITE_AS_A_VALUE)."""
    if _CLOCK.search(text):
        return True
    return "site" in text and any(_SITE_AS_A_VALUE.search(found.group()) for found in _LIQUID.finditer(text))


# `include` and `include_relative` as a body writes them, and the argument up to the next "%".
_INCLUDE_TAG = re.compile(r"\{%-?[ \t\r\n]*include(_relative)?(?=[ \t\r\n])([^%]*)%\}")
_MAX_INCLUDES_BYTES = 10 << 20  # of the includes folder read for the clock: far past any theme's; past it, assumed


def shows_time(body: str, site: SiteConfig, post_path: str) -> bool:
    """Whether the body's Liquid may show the build's time: it names it, or a file it includes does (`include` from
    the includes folder, `include_relative` beside the post, nested ones too); an include whose name Liquid makes
    may be any file of the includes folder. Read statically, as `references` are; the post's reading and content
    are then made again at every build (state.stamps.clock_stamp), as a clean build makes them."""
    if "{" not in body:
        return False
    folder = Path(post_path).parent
    texts, seen = [body], set[tuple[bool, str]]()
    while texts:
        text = texts.pop()
        if _names_time(text):
            return True
        for match in _INCLUDE_TAG.finditer(text):
            relative, argument = bool(match[1]), _trimmed(match[2])
            if "{{" in argument:  # a name Liquid makes: any file of the folder it names from
                if relative:
                    from feedpub.state.stamps import tree_stamp

                    shows = _folder_shows_time(folder, site.source.resolve(), tree_stamp(str(folder)))
                else:
                    shows = any(_folder_shows_time(f.folder, f.root, f.stamp) for f in site.include_folders)
                if shows:
                    return True
                continue
            name = argument.split(maxsplit=1)[0] if argument else ""
            if (relative, name) in seen:
                continue
            if len(seen) >= _MAX_INCLUDED:
                return True  # followed no further than a real site's: assumed to
            seen.add((relative, name))
            included = read_include(site.source.resolve(), folder, name) if relative else include_text(site, name)
            if included is not None:
                texts.append(included)
    return False


def read_include(root: Path, folder: Path, name: str) -> str | None:
    """The text of `name` in `folder`, when it is a file inside `root` (links resolved: one that leads out of it is
    refused) of at most MAX_INCLUDE_BYTES; None for any other name. What `include` and `include_relative` read,
    here and in the Liquid renderer."""
    if not include_name_allowed(name):
        return None
    try:
        target = resolved(folder / name)
        if not target.is_relative_to(root):
            return None
        # Its links resolved above; a pipe there (a name checked, then opened) is refused, never waited on.
        data = read_plain_file(target, MAX_INCLUDE_BYTES, follow_links=True)
    except OSError:  # a larger file too (NotAPlainFile)
        return None
    return data.decode("utf-8", errors="replace")


def include_text(site: SiteConfig, name: str) -> str | None:
    """The text `{% include name %}` includes: the first include folder's (SiteConfig.include_folders) that has
    it; None when none has."""
    found = (_include_text(f.root, f.folder, f.stamp, name) for f in site.include_folders)
    return next((text for text in found if text is not None), None)


@functools.lru_cache(maxsize=256)
def _include_text(root: Path, folder: Path, stamp: str, name: str) -> str | None:
    """The text of `name` in an include folder, read once while the folder is as `stamp` says (its stamp,
    SiteConfig.includes_stamp; "" for none: nothing is included)."""
    return read_include(root, folder, name) if stamp else None


# `{% raw %}…{% endraw %}`: Liquid's text, whose tags are no tags (a post showing how to write an include).
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}.*?\{%-?\s*endraw\s*-?%\}", re.DOTALL)


def unfound_includes(body: str, site: SiteConfig) -> tuple[str, ...]:
    """The files `{% include %}` tags in `body` name (by a name as written, one Jekyll's rule allows) that no
    include folder has: Jekyll stops its build over each ("Could not locate the included file"), and the Liquid
    renderer writes nothing for it. Read statically, as `references` are."""
    if "include" not in body:
        return ()
    names = []
    for match in _INCLUDE_TAG.finditer(_RAW_BLOCK.sub("", body) if "raw" in body else body):
        argument = _trimmed(match[2])
        name = argument.split(maxsplit=1)[0] if argument and not match[1] and "{{" not in argument else ""
        if include_name_allowed(name) and name not in names and include_text(site, name) is None:
            names.append(name)
            if len(names) >= _MAX_INCLUDED:
                break  # a body of a million tags is followed no further than a real one
    return tuple(names)


@functools.lru_cache(maxsize=64)
def _folder_shows_time(top: Path, root: Path, stamp: str) -> bool:
    """Whether a file under `top` names the build's time (`stamp`: the folder's, SiteConfig.includes_stamp or a
    tree_stamp, "" for none: nothing is included), its links followed as an include follows them (inside `root`); a
    folder of more than _MAX_INCLUDES_BYTES is assumed to."""
    if not stamp:
        return False
    from feedpub.plain_files import NotAPlainFile, bounded_walk, read_plain_file

    budget = _MAX_INCLUDES_BYTES
    for folder, _, names in bounded_walk(top):
        for name in names:
            path = Path(folder, name)
            try:
                if not resolved(path).is_relative_to(root):
                    continue  # a link out of the site: never included (read_include)
                text = read_plain_file(path, budget, follow_links=True)
            except NotAPlainFile as error:
                if error.errno == errno.EFBIG:
                    return True
                continue  # a pipe, a device: nothing is included
            except OSError:
                continue
            budget -= len(text)
            if _names_time(text.decode("utf-8", errors="replace")):
                return True
    return False


def linked_files(keys: Sequence[str], source: Path) -> tuple[str, ...]:
    """Stamps (state.stamps.file_stamp) of the files in the site `source` that the `link` references among `keys`
    name. A page's URL is in its own front matter: the post's cached reading and content hold only while these
    files do (a page's new permalink left its old URL in every feed, the run finding nothing changed)."""
    from feedpub.state.stamps import file_stamp

    names = [key[len(_LINK) :] for key in keys if key.startswith(_LINK)]
    if not names:
        return ()  # nearly every post: no `link`, and no resolving of the site's folder (a seventh of reading one)
    root = source.resolve()
    targets = (source / name for name in names)
    inside = (str(target) for target in targets if _inside(target, root))
    return tuple(file_stamp(target) for target in itertools.islice(inside, _MAX_LINKED))


def _inside(target: Path, root: Path) -> bool:
    """Whether `target` leads to `root` or below it, links followed (a loop of them leads nowhere)."""
    try:
        return resolved(target).is_relative_to(root)
    except OSError:
        return False


def reference_keys(tag: str, argument: str) -> tuple[str, ...]:
    """The keys of `links` under which a reference is looked up, in Jekyll's order; () for a name Jekyll refuses."""
    argument = argument.strip()
    if len(argument) > _MAX_ARGUMENT:
        return ()
    if tag == "link":
        return (_LINK + argument,)  # a file's path in the site, as Jekyll's `link` compares it
    # Jekyll's PostComparer: the name against the post's path in a _posts folder, then (deprecated, with a
    # warning) the date and slug alone, wherever the post is.
    name = argument.removeprefix("/")
    dated = _dated(name)
    if dated is None:
        return ()
    return (f"post_url {name}", _dated_key(*dated))


def _trimmed(argument: str) -> str:
    """A tag's argument as written before `%}` or `-%}`, without the whitespace around it."""
    argument = argument.strip()
    return argument[:-1].rstrip() if argument.endswith("-") else argument


def _dated(name: str) -> tuple[int, int, int, str] | None:
    """A post_url name's date and slug, as MATCHER reads them: after the longest run of folders that leaves both."""
    # The folders are "" or any text of two characters or more that ends in "/" (`.+` takes "/" too): never "/".
    starts = [0, *(index + 1 for index, character in enumerate(name) if character == "/" and index > 0)]
    for start in reversed(starts):
        if (date := _DATE.match(name, start)) is not None:
            return int(date[1]), int(date[2]), int(date[3]), name[date.end() :]
    return None


class Links(Mapping[str, str]):
    """Each key a reference may look up -> the URL Jekyll writes for it: its path, baseurl included.

    Keyed when first asked: a build whose feeds show no post with references never keys the site's posts. Where
    keys collide, the oldest post wins, as Jekyll searches its posts oldest first. A `link` to a file that is no
    post, a page or a static file, is looked up when asked (read/jekyll/pages.py); iterating gives the posts' keys.
    """

    def __init__(self, posts: Sequence[Post], site: SiteConfig, url: str) -> None:
        self._posts = posts  # newest first, as collected
        self._site = site
        parts = urlsplit(url)
        self._origin = f"{parts.scheme}://{parts.netloc}"  # which Jekyll's tags leave out
        self._base = parts.path.rstrip("/")  # the baseurl, which they write
        self._files: dict[str, str | None] = {}  # the site's other files asked for, by their path in the site

    @functools.cached_property
    def _found(self) -> dict[str, str]:
        found: dict[str, str] = {}
        source, origin = self._site.source, self._origin
        folder = f"{source}/"
        for post in reversed(self._posts):
            path = post.uri.removeprefix(origin) if post.uri.startswith(origin) else post.uri
            # Post paths are the scan's, the site folder joined with the names below it: relpath, 25 us a post,
            # only when one is not.
            if post.source.startswith(folder):
                relative = post.source[len(folder) :]
            else:
                relative = os.path.relpath(post.source, source)
            for key in _keys_of(relative.replace(os.sep, "/")):
                found.setdefault(key, path)
        return found

    def __getitem__(self, key: str) -> str:
        found = self._found.get(key)
        if found is None and key.startswith(_LINK):
            found = self._site_file(key[len(_LINK) :])
        if found is None:
            raise KeyError(key)
        return found

    def _site_file(self, relative: str) -> str | None:
        if relative not in self._files:
            url = pages.site_file_url(self._site, relative)
            # Jekyll's relative_url: the baseurl, then Addressable's normalisation, which encodes what the IRI holds.
            self._files[relative] = (
                None if url is None else to_uri(self._origin + self._base + url)[len(self._origin) :]
            )
        return self._files[relative]

    def __iter__(self) -> Iterator[str]:
        return iter(self._found)

    def __len__(self) -> int:
        return len(self._found)


def _keys_of(relative: str) -> Iterator[str]:
    """The keys under which references find the post at `relative` (its path in the site)."""
    yield _LINK + relative
    stem, _ = os.path.splitext(relative)
    folder, found, name = stem.rpartition(f"{_POSTS_FOLDER}/")
    if not found or (folder and not folder.endswith("/")):
        return  # not in a _posts folder (a draft), or in "x_posts/"
    dated = _dated(name)
    if dated is None:
        return  # a draft: no date in its name
    if not folder:
        yield f"post_url {name}"  # _posts/sub/2024-01-02-slug.md: "sub/2024-01-02-slug"
    elif "/" not in name:
        yield f"post_url {folder}{name}"  # category/_posts/2024-01-02-slug.md: "category/2024-01-02-slug"
    yield _dated_key(*dated)


def _dated_key(year: int, month: int, day: int, slug: str) -> str:
    return f"post_url~ {year}-{month}-{day} {slug}"  # the date's values: 2024-1-5 is 2024-01-05
