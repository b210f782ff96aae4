"""Jekyll's cross-references, `{% post_url name %}` and `{% link path %}`: which post each one names.

A body's references are found when its file is read (Post.references), and the site's posts are keyed the same way
once all are read (JekyllRules.links): the build then writes the URL Jekyll writes, and a post's cached content is
made again when a post it names moves. Kept apart from the Liquid renderer, which only sites with Liquid load.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

from feedpub.models import Post

# The tags whose targets are other posts, as a body writes them (Liquid's `{%-` and `-%}` trim whitespace).
_REFERENCE_TAG = re.compile(r"\{%-?[ \t\r\n]*(post_url|link)[ \t\r\n]+([^%]*?)[ \t\r\n]*-?%\}")
# Jekyll's PostComparer::MATCHER on a post_url name: folders, a date, a slug.
_POST_URL_NAME = re.compile(r"((?:.+/)*)(\d+-\d+-\d+)-(.*)")
_POSTS_FOLDER = "_posts"


def references(body: str) -> tuple[str, ...]:
    """Every key (`reference_keys`) under which the cross-reference tags in `body` look their targets up."""
    if "{%" not in body:
        return ()
    found = (key for match in _REFERENCE_TAG.finditer(body) for key in reference_keys(match[1], match[2]))
    return tuple(dict.fromkeys(found))


def reference_keys(tag: str, argument: str) -> tuple[str, ...]:
    """The keys of `links` under which a reference is looked up, in Jekyll's order; () for a name Jekyll refuses."""
    argument = argument.strip()
    if tag == "link":
        return (f"link {argument}",)  # a file's path in the site, as Jekyll's `link` compares it
    # Jekyll's PostComparer: the name against the post's path in a _posts folder, then (deprecated, with a
    # warning) the date and slug alone, wherever the post is.
    name = argument.removeprefix("/")
    dated = _POST_URL_NAME.fullmatch(name)
    if dated is None:
        return ()
    return (f"post_url {name}", _dated_key(dated[2], dated[3]))


def links(posts: Sequence[Post], source: Path, origin: str) -> Mapping[str, str]:
    """Each key a reference may look up -> the URL Jekyll writes for it: its path, baseurl included.

    `source` is the site's folder; `origin` the site URL's scheme and host, which Jekyll's tags leave out.
    Where keys collide, the oldest post wins, as Jekyll searches its posts oldest first.
    """
    found: dict[str, str] = {}
    for post in reversed(posts):  # newest first, as collected
        path = post.uri.removeprefix(origin) if post.uri.startswith(origin) else post.uri
        for key in _keys_of(os.path.relpath(post.source, source).replace(os.sep, "/")):
            found.setdefault(key, path)
    return found


def _keys_of(relative: str) -> Iterator[str]:
    """The keys under which references find the post at `relative` (its path in the site)."""
    yield f"link {relative}"
    stem, _ = os.path.splitext(relative)
    folder, found, name = stem.rpartition(f"{_POSTS_FOLDER}/")
    if not found or (folder and not folder.endswith("/")):
        return  # not in a _posts folder (a draft), or in "x_posts/"
    dated = _POST_URL_NAME.fullmatch(name)
    if dated is None:
        return  # a draft: no date in its name
    if not folder:
        yield f"post_url {name}"  # _posts/sub/2024-01-02-slug.md: "sub/2024-01-02-slug"
    elif "/" not in name:
        yield f"post_url {folder}{name}"  # category/_posts/2024-01-02-slug.md: "category/2024-01-02-slug"
    yield _dated_key(dated[2], dated[3])


def _dated_key(date: str, slug: str) -> str:
    year, month, day = (int(part) for part in date.split("-"))
    return f"post_url~ {year}-{month}-{day} {slug}"
