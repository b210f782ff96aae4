"""The URL of a file of a Jekyll site that is not a post, as `{% link path %}` writes it: a page or a static file.

Jekyll 4.3's rules (lib/jekyll/page.rb, static_file.rb, url.rb, utils.rb), checked against Jekyll itself on
tests/sites/jekyll/cross-references:
- A file whose first line is `---` is a page. Its URL is its `permalink` (front matter, else a `defaults` value
  for pages) with `:path`, `:basename` and `:output_ext` filled in; without one, `/:path/:basename:output_ext`
  when its output is not HTML, `/:path/` for an index, else `/:path/:basename` plus the suffix the site's
  `permalink` style gives pages ("/" for `pretty` or a style ending in "/", the output extension for `date`,
  `ordinal`, `none` or a style ending in `:output_ext`, nothing otherwise). Markdown becomes `.html`.
- Any other file is a static file, served at its own path.

Only what is certain is answered; anything else (a file in a folder Jekyll skips, a converter feedpub does not
know such as Sass, an unreadable front matter, a "%" to re-encode) gives None, and the link keeps its text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from feedpub.errors import FeedpubError
from feedpub.plain_files import bounded_walk
from feedpub.read.files import decode, read_file
from feedpub.read.front_matter import split
from feedpub.read.jekyll.site import SiteConfig, defaults_for, is_excluded
from feedpub.read.jekyll.urls import sanitize

_YAML_HEADER = re.compile(rb"---[ \t\f\v]*\r?\n")  # Jekyll's Utils.has_yaml_header?
_HTML_EXTENSIONS = (".html", ".xhtml", ".htm")  # Page::HTML_EXTENSIONS: compared as written
# Extensions Jekyll's identity converter writes as they are (Sass, CoffeeScript and plugins' converters aside).
_AS_WRITTEN = frozenset((".html", ".htm", ".xhtml", ".xml", ".json", ".txt", ".css", ".js", ".rss", ".atom", ".svg"))
_MAX_PAGE_BYTES = 1 << 20


def site_file_url(site: SiteConfig, relative: str) -> str | None:
    """The URL path (no baseurl, not yet percent-encoded) Jekyll gives the file at `relative` in the site."""
    parts = relative.split("/")
    if (
        not relative
        or "\\" in relative
        or "%" in relative
        or any(part in ("", ".", "..") or part.startswith(("_", ".", "#")) or part.endswith("~") for part in parts)
        or any(is_excluded(site, "/".join(parts[: end + 1]), end + 1 < len(parts)) for end in range(len(parts)))
    ):
        return None  # not a file Jekyll reads as a page or copies, or one whose URL would need another encoding
    path = site.source / relative
    try:
        if not path.resolve(strict=True).is_relative_to(site.source):
            return None
        head = read_file(str(path), site.source, _MAX_PAGE_BYTES, head=64)
    except (OSError, FeedpubError):
        return None
    name = parts[-1]
    extension = os.path.splitext(name)[1]
    stem = name[: len(name) - len(extension)].rstrip(".")
    if not _YAML_HEADER.match(head):
        return "/" + "/".join([*parts[:-1], stem]) + extension  # a static file: its path, trailing dots dropped
    return _page_url(site, relative, path, stem, extension, "/".join(["", *parts[:-1]]))  # Page's @dir: "" or "/a/b"


def _page_url(site: SiteConfig, relative: str, path: Path, basename: str, extension: str, folder: str) -> str | None:
    if extension.lower() in site.markdown_extensions:
        output_ext = ".html"
    elif extension.lower() in _AS_WRITTEN:
        output_ext = extension
    else:
        return None
    metadata = _front_matter(site, path)
    if metadata is None:
        return None  # a page's unreadable front matter must not cost the post that links it: the link keeps its text
    published = metadata.get("published", True)  # its own: Jekyll's publish? asks data.fetch, not the defaults
    if (published is False or published is None) and not site.unpublished:
        # Jekyll writes no such page (its build stops at the link: "Could not find document"): a link to it is a
        # 404, and keeps its text, as one to a file that is not there.
        return None
    if "permalink" in metadata:
        permalink = metadata["permalink"]
    elif site.root == site.source:  # defaults' scopes are relative to the root
        permalink = defaults_for(site.defaults, relative, "pages").get("permalink")
    else:
        return None
    if permalink is not None and (not isinstance(permalink, str) or not permalink or "%" in permalink):
        return None
    if permalink is not None:
        template = permalink
    elif output_ext not in _HTML_EXTENSIONS:
        template = "/:path/:basename:output_ext"
    elif basename == "index":
        template = "/:path/"
    else:
        template = "/:path/:basename" + _suffix(site.permalink_style)
    # URL#generate_url_from_hash: each placeholder replaced in turn, as plain text, until no ":" is left.
    url = template
    for placeholder, value in (("path", folder), ("basename", basename), ("output_ext", output_ext)):
        if ":" not in url:
            break
        url = url.replace(":" + placeholder, value)
    return sanitize(url)


def _suffix(style: str) -> str:
    """Utils.add_permalink_suffix: what a page's URL ends with under the site's `permalink` style."""
    if style == "pretty":
        return "/"
    if style in ("date", "ordinal", "none"):
        return ":output_ext"
    return "/" if style.endswith("/") else ":output_ext" if style.endswith(":output_ext") else ""


_NOT_SOURCES = frozenset(("_site", "_posts", "_drafts", "node_modules", "vendor"))
MAX_FILES_LOOKED_AT = 20_000


def top_level_outputs(site: SiteConfig, destination: Path) -> set[str]:
    """The names of the files and folders Jekyll writes at the top of its destination for the site's own files, as
    far as the sources tell (before any build): its pages and static files at their URLs (site_file_url), and the
    documents of "_" folders (a collection's) by their permalinks. Plugins' files are not among them."""
    names: set[str] = set()
    seen = 0
    for folder, folders, files in bounded_walk(site.source):
        folders[:] = sorted(
            name
            for name in folders
            if not name.startswith(".") and name not in _NOT_SOURCES and Path(folder, name) != destination
        )
        for name in sorted(files):
            seen += 1
            if seen > MAX_FILES_LOOKED_AT:
                return names
            relative = os.path.relpath(os.path.join(folder, name), site.source).replace(os.sep, "/")
            if relative.startswith("_") or "/_" in relative:
                url = _permalink(site, relative)
            else:
                url = site_file_url(site, relative)
            if url and (top := url.lstrip("/").split("/")[0]):
                names.add(top)  # a file, or a folder (`permalink: /feed.json/` is feed.json/index.html)
    return names


def _permalink(site: SiteConfig, relative: str) -> str | None:
    """A document's front matter permalink; None for none, or a file that is not a readable page."""
    path = site.source / relative
    try:
        if not _YAML_HEADER.match(read_file(str(path), site.source, _MAX_PAGE_BYTES, head=64)):
            return None
    except (OSError, FeedpubError):
        return None
    permalink = (_front_matter(site, path) or {}).get("permalink")
    return permalink if isinstance(permalink, str) else None


def _front_matter(site: SiteConfig, path: Path) -> Mapping[str, Any] | None:
    """A page's front matter, read as any file of the site is (read_file); None when it cannot be read."""
    try:
        return split(str(path), decode(str(path), read_file(str(path), site.source, _MAX_PAGE_BYTES)), "psych")[0]
    except (OSError, ValueError, RecursionError, FeedpubError):
        return None
