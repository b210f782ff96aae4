"""One post file -> a Post (or a skip, or a rejection): the reading steps in order."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

from feedpub.errors import PostError
from feedpub.models import Parsed, Post, ReadSettings, Rejection, SourceFile, data_digest
from feedpub.read.dates import GitDates, file_date, filename_parts, front_matter_date
from feedpub.read.excerpts import excerpt_of
from feedpub.read.files import decode, read_file
from feedpub.read.front_matter import as_author, as_terms, as_text, plain_title, split
from feedpub.read.images import ImageMemo, image_of
from feedpub.read.permalinks import post_url
from feedpub.read.plain import MARKDOWN_EXTENSIONS, UPDATED_KEYS
from feedpub.read.templates import BodyHtml, body_html
from feedpub.state.cache import Record, record_of

Reading = tuple[Parsed, Record | None]  # what a file gave, and the cache's record of it (when there is a cache)
# Characters of bodies rendered while reading that a run keeps for the feeds, so they are not rendered again.
RENDERED_BUDGET = 16_000_000


def path_stem(path: str) -> str:
    """The file name without its extension (what pathlib's .stem gives, without making a Path)."""
    return os.path.splitext(os.path.basename(path))[0]


def bundle_folder(path: str, posts_dir: Path) -> Path | None:
    """The folder of a page bundle (`posts/<name>/index.md`): it names the post and holds its images."""
    folder = os.path.dirname(path)
    return Path(folder) if path_stem(path) == "index" and folder != str(posts_dir) else None


class Reader:
    """Reads the post files of one site; picklable, so each pool worker gets one."""

    def __init__(self, settings: ReadSettings, records: bool) -> None:
        self.settings = settings
        self.records = records  # whether `reading` makes each reading's cache record too (pool workers always do)
        self.git = [GitDates(d) for d in settings.posts.dirs]
        self.images: ImageMemo = {}  # posts share a few pictures: each is resolved (and stat-ed) once a run
        # Bodies rendered to find an excerpt or an image, by `rendered_key`: the feeds need some of them again.
        # Pool workers keep theirs to themselves (sending them back would cost more than rendering a few again).
        self.rendered: dict[str, str] = {}
        self._rendered_size = 0

    def reading(self, file: SourceFile) -> Reading:
        parsed = self.read(file)
        return parsed, record_of(parsed) if self.records else None

    def read(self, file: SourceFile) -> Parsed:
        """What one post file gives; never raises for a bad file."""
        path = file.path
        try:
            posts_dir = self.settings.posts.dirs[file.posts_dir]
            post = read_post(self.settings, path, posts_dir, self.git[file.posts_dir], self.images, self._keep)
        except PostError as error:
            return Parsed(rejection=Rejection(error.path, error.reason))
        except Exception as error:  # a bug must not cost the other posts their publication
            return Parsed(rejection=Rejection(path, f"unexpected error ({type(error).__name__}: {error})"))
        return Parsed(post=post)

    def _keep(self, post: Post, html: str) -> None:
        if self._rendered_size + len(html) <= RENDERED_BUDGET:
            self.rendered[rendered_key(post)] = html
            self._rendered_size += len(html)


def rendered_key(post: Post) -> str:
    """Names a post's rendered body: its file and the digest of the bytes it was rendered from."""
    return f"{post.source}\x00{post.digest}"


def read_post(
    settings: ReadSettings,
    path: str,
    posts_dir: Path,
    git: GitDates,
    images: ImageMemo | None = None,
    keep_rendered: Callable[[Post, str], None] | None = None,
) -> Post | None:
    """Read one post file; None when it is skipped (draft or unpublished).

    `path` is a str, as the scan found it: pathlib's objects and conversions cost a twentieth of a cold build.

    The post comes without its body (see `Post.body`; `load_body` reads it), and whatever its date: whether it
    is due yet is for the caller to decide, so that a cached reading stays true as time passes.
    """
    raw = read_file(settings, path, posts_dir)
    text = decode(path, raw)
    metadata, body = split(path, text)
    if metadata.get("draft") is True or metadata.get("published") is False:
        return None
    tz = settings.timezone
    file_stem, suffix = path_stem(path), os.path.splitext(path)[1]
    bundle = bundle_folder(path, posts_dir)
    stem, filename_date = filename_parts(path, bundle.name if bundle else file_stem, tz)
    # An undated post keeps the date it was first published with (the dates file), else git or mtime gives one.
    published = front_matter_date(path, metadata, "date", tz) or filename_date or settings.dates.get(path)
    date_from_file = published is None
    if published is None:
        published = file_date(path, git, tz)
    updated = next((d for key in UPDATED_KEYS if (d := front_matter_date(path, metadata, key, tz))), None)
    categories = as_terms(metadata.get("categories", metadata.get("category")))
    body_format: Literal["html", "markdown"] = "markdown" if suffix.lower() in MARKDOWN_EXTENSIONS else "html"
    title = plain_title(as_text(metadata.get("title"))) or stem.replace("-", " ").replace("_", " ").strip() or file_stem
    url, uri = post_url(settings, path, metadata, stem, published, categories)
    lazy_html = BodyHtml(settings, body, body_format, title)
    post = Post(
        source=path,
        url=url,
        uri=uri,  # encoding is the costliest step of a build from the cache: done once, kept
        title=title,
        published=published,
        updated=updated,
        excerpt=excerpt_of(metadata, body, lazy_html, settings.excerpt_length),
        body=None,
        body_format=body_format,
        categories=categories,
        tags=as_terms(metadata.get("tags")),
        image=image_of(settings, metadata, lazy_html, url, bundle, {} if images is None else images),
        author=as_author(metadata.get("author")),
        in_feeds=metadata.get("feed") is not False,
        in_sitemap=metadata.get("sitemap") is not False
        and not any(fnmatch.fnmatchcase(path, pattern) for pattern in settings.sitemap_exclude),
        digest=data_digest(raw),  # the whole file's: cheaper than encoding the body again, and as telling
        body_start=len(text) - len(body),  # python-frontmatter's split leaves the body as the text's tail
        date_from_file=date_from_file,
    )
    if keep_rendered is not None and lazy_html.rendered is not None:
        keep_rendered(post, lazy_html.rendered)
    return post


def load_body(post: Post) -> str:
    """The body of a collected post, read again from its file (`collect` does not keep it)."""
    try:
        with open(post.source, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise PostError(post.source, f"cannot read: {error.strerror}; was it removed during the build?") from None
    return decode(post.source, raw)[post.body_start :]


def load_body_html(settings: ReadSettings, post: Post, rendered: Mapping[str, str] | None = None) -> str:
    """A collected post's body as HTML, its templates resolved: kept from reading when it was rendered then."""
    if rendered is not None and (html := rendered.get(rendered_key(post))) is not None:
        return html
    body = post.body if post.body is not None else load_body(post)
    return body_html(settings, body, post.body_format, post.title)
