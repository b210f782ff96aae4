"""One post file -> a Post (or a skip, or a rejection): the reading steps in order."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple
from urllib.parse import unquote, urlsplit

from feedpub.dates import LAST_YEAR
from feedpub.errors import PostError, PostOverBudget
from feedpub.models import (
    Excerpts,
    FileDates,
    ImageMemo,
    NotAPost,
    Page,
    Parsed,
    Post,
    ReadSettings,
    Rejection,
    SourceFile,
    Weights,
    data_digest,
)
from feedpub.read import markup
from feedpub.read.budget import time_limit
from feedpub.read.dates import GitDates, file_date, filename_parts, front_matter_date
from feedpub.read.excerpts import excerpt_of
from feedpub.read.files import decode, posts_dir_index, read_again, read_file
from feedpub.read.front_matter import as_author, as_terms, as_text, first_author, plain_title, split
from feedpub.read.images import image_of
from feedpub.read.permalinks import post_url
from feedpub.read.plain import MARKDOWN_EXTENSIONS, UPDATED_KEYS
from feedpub.read.templates import BodyHtml, body_html
from feedpub.state.cache import Record, record_of
from feedpub.urls import MAX_URL_LENGTH, taken_names, to_uri

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
        self.git = [GitDates(d, settings.site_dir) for d in settings.posts.dirs]
        self.images: ImageMemo = {}  # posts share a few pictures: each is resolved (and stat-ed) once a run
        # Bodies rendered to find an excerpt or an image, by `rendered_key`: the feeds need some of them again.
        # Pool workers keep none (`keeps_rendered` off): sending them back would cost more than rendering the few
        # the feeds need again, and kept there they were only memory.
        self.rendered: dict[str, str] = {}
        self.keeps_rendered = True
        self._rendered_size = 0

    def reading(self, file: SourceFile) -> Reading:
        parsed = self.read(file)
        return parsed, record_of(parsed) if self.records else None

    def read(self, file: SourceFile) -> Parsed:
        """What one post file gives; never raises for a bad file."""
        return self._read(file, self.git[file.posts_dir])

    def excerpt(self, post: Post, links: Mapping[str, str] | None = None) -> str:
        """The excerpt of a post this reader or another read before: its file read again, as it was then.

        Reading leaves excerpts out: a feed shows a few dozen posts of thousands, and the others' excerpts (a
        body rendered for its first paragraph, Hugo's summary, Jekyll's) were a third of a cold build's reading.
        `links`: the site's posts by reference (CrossReferencing.links), for the excerpt's cross-references, as
        load_body_html's. Raises PostError when the file changed since, or cannot give one.
        """
        excerpts = Excerpts(links=links)
        parsed = self.again(post, excerpts)
        if (rejection := parsed.rejection) is not None:
            refused = PostOverBudget if rejection.over_budget else PostError
            raise refused(rejection.path, rejection.reason, rejection.line)
        if parsed.post is None or parsed.post.digest != post.digest or post.source not in excerpts.made:
            raise PostError(post.source, "changed while it was being published; it is read again at the next run")
        return excerpts.made[post.source]

    def again(self, post: Post, excerpts: Excerpts | None = None) -> Parsed:
        """What the file of a post this reader or another read before gives now, dated as it was then (`excerpts`:
        as `_read` takes it). Raises PostError when the file is no longer under any posts folder."""
        index = posts_dir_index(post.source, self.settings.posts.dirs)
        if index is None:
            raise PostError(post.source, "not under any of posts.dirs any more")
        # Dated as it was: an undated post's date came from git, which is not asked again for one post.
        return self._read(SourceFile(post.source, 0, 0, False, index), _DatedAs(post, self.git[index]), excerpts)

    def _read(self, file: SourceFile, git: FileDates, excerpts: Excerpts | None = None) -> Parsed:
        path = file.path
        try:
            posts_dir = self.settings.posts.dirs[file.posts_dir]
            rules = self.settings.rules
            with time_limit(path):
                keep = self._keep if self.keeps_rendered else None
                if rules is not None:
                    post = rules.read_post(self.settings, path, posts_dir, git, self.images, keep, excerpts)
                else:
                    post = read_post(self.settings, path, posts_dir, git, self.images, keep, excerpts)
            if post is not None and _never_due(post):
                # Dated past what any output can carry, and waiting for that date: never published, as the
                # generator never publishes it (Minimal Mistakes' own sample post is dated 9999-12-31).
                return Parsed()
            if post is not None:
                check_publishable(post, self.settings)
        except NotAPost:
            return Parsed(no_post=True)
        except PostError as error:
            over_budget = isinstance(error, PostOverBudget)
            return Parsed(
                rejection=Rejection(error.path, error.reason, error.line, over_budget=over_budget, takes=error.takes)
            )
        except markup.MarkupTooComplex as error:
            return Parsed(rejection=Rejection(path, str(error), over_budget=True))
        except Exception as error:  # a bug must not cost the other posts their publication
            return Parsed(rejection=Rejection(path, f"unexpected error ({type(error).__name__}: {error})"))
        return Parsed(post=post)

    def _keep(self, post: Post, html: str) -> None:
        if self._rendered_size + len(html) <= RENDERED_BUDGET:
            self.rendered[rendered_key(post)] = html
            self._rendered_size += len(html)


class _DatedAs:
    """The FileDates of one post read again: the date it was published with, which git or its file gave; the
    rest as git says (a generator's own dates from git: Hugo's `:git`)."""

    def __init__(self, post: Post, git: FileDates) -> None:
        self.post = post
        self.git = git

    def get(self, path: str) -> int | None:
        return int(self.post.published.timestamp()) if path == self.post.source else None

    def authored(self, path: str) -> datetime | None:
        return self.git.authored(path)


def _never_due(post: Post) -> bool:
    """Whether the post waits for a moment past LAST_YEAR (its `due`, else its date) before it is published."""
    comes = post.published if post.due is None else post.due
    return comes.year >= LAST_YEAR and _utc_year(comes) > LAST_YEAR


def _utc_year(moment: datetime) -> int:
    try:
        return moment.astimezone(UTC).year
    except OverflowError:
        return LAST_YEAR + 1


def served_file(url: str) -> str:
    """The file a page at `url` is served from, as a URL: `x/` is `x/index.html`, and `x` (its name without an
    extension) `x.html`, so that the forms of one file compare equal (observed: Jekyll writes the permalinks /x/
    and /x/index.html to one file, /x and /x.html to another, and keeps the last written)."""
    url = unquote(url) if "%" in url else url  # Jekyll writes /caf%C3%A9/ to café/
    if url.endswith("/"):
        return url + "index.html"
    return url if "." in url.rpartition("/")[2] else url + ".html"


def own_file_taken(url: str, settings: ReadSettings) -> str | None:
    """The name of the file of feedpub's under the site's URL (`output_names`, or a file of a sitemap set) a page at
    `url` would be served as, or make a folder, being in it or below it (`taken_names`); None for none."""
    site_url, output_names, sitemaps = settings.url, settings.output_name_set, settings.sitemap_patterns
    if not output_names or not url.startswith(site_url):
        return None
    taken = sorted(taken_names(url[len(site_url) :], settings.own_name_depth))
    return next((name for name in taken if name in output_names or any(p.fullmatch(name) for p in sitemaps)), None)


def check_publishable(post: Post, settings: ReadSettings) -> None:
    """PostError for what every generator's rules may let through but no output can carry: a moment past
    LAST_YEAR (datetime overflowed as the build compared them), or a URL of 2,048 characters or more once encoded
    (a sitemap's <loc> holds fewer: a Hugo `url:` or a Jekyll permalink of 800 Hangul syllables made one), or with
    "." or ".." segments (readers resolve /posts/../ to another page) or control characters, or one served as a file
    of feedpub's own under the site's URL (a permalink /feed.xml: its entry linked to the feed; /feeds, which Jekyll
    writes as feeds.html: feedpub's page replaced it)."""
    moments = (("date", post.published), ("updated", post.updated), ("publish", post.due), ("expiry", post.expires))
    for what, moment in moments:
        if moment is None or moment.year < LAST_YEAR:
            continue  # an offset moves a moment by less than a day: only the last years can overflow
        if _utc_year(moment) > LAST_YEAR:
            raise PostError(post.source, f"{what} {moment.isoformat()} is past the year {LAST_YEAR}")
    url = post.url
    # The length first: what follows walks the URL, which may be as long as a front matter may be.
    if len(uri := post.uri or to_uri(url)) >= MAX_URL_LENGTH:
        raise PostError(
            post.source,
            f"URL is {len(uri)} characters once encoded; sitemaps allow under {MAX_URL_LENGTH}: "
            "shorten its permalink, slug, title or url",
        )
    if own := own_file_taken(url, settings):
        raise PostError(
            post.source,
            f"its URL {url} is where feedpub serves one of its own files ({own}), or below it; give the post another "
            "permalink",
            takes=own,
        )
    # Only a URL with "/." or an escape of "." or of a control character can fail: nearly none are parsed.
    if "/." in url or "%" in url or not url.isprintable():
        path = unquote(urlsplit(url).path)
        if any(segment in (".", "..") for segment in path.split("/")):
            raise PostError(post.source, f"URL {url} has a '.' or '..' segment; readers would open another page")
        if any(ord(character) < 0x20 or character == "\x7f" for character in path):
            raise PostError(post.source, f"URL {url!r} holds a control character")


def rendered_key(post: Post) -> str:
    """Names a post's rendered body: its file and the digest of the bytes it was rendered from."""
    return f"{post.source}\x00{post.digest}"


def read_post(
    settings: ReadSettings,
    path: str,
    posts_dir: Path,
    git: FileDates,
    images: ImageMemo | None = None,
    keep_rendered: Callable[[Post, str], None] | None = None,
    excerpts: Excerpts | None = None,
) -> Post | None:
    """Read one post file; None when it is skipped (draft or unpublished). `excerpts`: see GeneratorRules.

    `path` is a str, as the scan found it: pathlib's objects and conversions cost a twentieth of a cold build.

    The post comes without its body (see `Post.body`; `load_body` reads it), and whatever its date: whether it
    is due yet is for the caller to decide, so that a cached reading stays true as time passes.
    """
    raw = read_file(path, posts_dir, settings.posts.max_bytes)
    text = decode(path, raw)
    metadata, body = split(path, text)
    if metadata.get("draft") is True or metadata.get("published") is False:
        return None
    tz = settings.timezone
    file_stem = path_stem(path)
    bundle = bundle_folder(path, posts_dir)
    stem, filename_date = filename_parts(path, bundle.name if bundle else file_stem, tz)
    # An undated post keeps the date it was first published with (the dates file), else git or mtime gives one.
    published = front_matter_date(path, metadata, "date", tz) or filename_date or settings.dates.get(path)
    date_from_file = published is None
    if published is None:
        published = file_date(path, git, tz)
    updated = next((d for key in UPDATED_KEYS if (d := front_matter_date(path, metadata, key, tz))), None)
    categories = as_terms(metadata.get("categories", metadata.get("category")))
    title = plain_title(as_text(metadata.get("title"))) or stem.replace("-", " ").replace("_", " ").strip() or file_stem
    url, uri = post_url(settings, path, metadata, stem, published, categories)
    return make_post(
        settings,
        path,
        raw,
        text,
        metadata,
        body,
        Placed(url, uri, title, published, updated, categories, as_terms(metadata.get("tags")), bundle, date_from_file),
        images,
        keep_rendered,
        excerpts,
    )


class Placed(NamedTuple):
    """What a generator's rules decide about a post: where it is served, what it is called, when it was made."""

    url: str
    uri: str
    title: str
    published: datetime
    updated: datetime | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    bundle: Path | None  # the page bundle's folder: it holds the post's images
    date_from_file: bool = False  # dated by git or the file's time (see Post.date_from_file)
    # Whether the body is Markdown, when the generator says (Jekyll's `markdown_ext`); else by the extension.
    body_format: Literal["html", "markdown"] | None = None
    # The generator's summary (plain text) from the body as HTML (Hugo's); else feedpub's excerpt rules.
    summary: Callable[[BodyHtml], str] | None = None
    # Whether that summary is written whole, as the generator's feed writes it (jekyll-feed's), not cut to
    # [feeds] excerpt_length (Hugo's: the guide says the cap still applies).
    summary_whole: bool = False
    # The front matter value naming the author, where the rules look further than `author` (jekyll-feed's
    # `authors` and _data/authors); None: `author`.
    author: object = None
    # The Post fields only a generator's rules set (see Post): given here, the post is made once.
    due: datetime | None = None
    expires: datetime | None = None
    language: str = ""
    translation_key: str = ""
    feed_id: str = ""
    references: tuple[str, ...] = ()
    lang: str = ""
    # False: the generator lists the page only in its section and its terms (Hugo's `_build: list: local`), not in
    # the site's feed or sitemap; its category and tag feeds show it.
    listed: bool = True
    # Where the bundle's files are served, when not beside the page (Hugo's uglyURLs: posts/b1.html has its
    # resources under posts/b1/); "": at the page's URL.
    resources_url: str = ""
    resources_served: bool = True  # False: the bundle's files are not published (Hugo's publishResources)
    excerpt_only: bool | None = None  # Post.excerpt_only
    in_feeds: bool = True  # False: the generator leaves it out of its feeds (front matter `feed: false` aside)
    # The metadata's keys the site's defaults give, not the post's own front matter (Jekyll's `defaults`).
    site_wide_keys: frozenset[str] = frozenset()
    weights: Weights | None = None  # Post.weights
    # The site path (or URL) the theme's pages show for an image path the post names without a scheme, in front
    # matter or its body (Chirpy's `media_subpath`); None: front matter's are site paths, the body's the page's.
    media_path: Callable[[str], str] | None = None


def make_post(
    settings: ReadSettings,
    path: str,
    raw: bytes,
    text: str,
    metadata: Mapping[str, Any],
    body: str,
    placed: Placed,
    images: ImageMemo | None,
    keep_rendered: Callable[[Post, str], None] | None,
    excerpts: Excerpts | None = None,
) -> Post:
    """The Post of a file read and split, placed by feedpub's rules or a generator's: image, author, and the
    excerpt when `excerpts` is given (put there by path, its cross-references resolved with its links)."""
    suffix = os.path.splitext(path)[1]
    body_format = placed.body_format or ("markdown" if suffix.lower() in MARKDOWN_EXTENSIONS else "html")
    if body_format == "html":
        markup.check_markup_amount(body, "html")  # Markdown bodies are checked where they are rendered
    lazy_html = BodyHtml(
        settings,
        body,
        body_format,
        Page(
            placed.title,
            path,
            placed.url,
            placed.published,
            placed.categories,
            placed.tags,
            excerpts.links if excerpts is not None else None,
        ),
    )
    post = Post(
        source=path,
        url=placed.url,
        uri=placed.uri,  # encoding is the costliest step of a build from the cache: done once, kept
        title=placed.title,
        published=placed.published,
        updated=placed.updated,
        body=None,
        body_format=body_format,
        categories=placed.categories,
        tags=placed.tags,
        image=image_of(
            settings,
            metadata,
            lazy_html,
            placed.url,
            placed.bundle,
            {} if images is None else images,
            placed.resources_url or placed.url,
            placed.resources_served,
            placed.site_wide_keys,
            placed.media_path,
        ),
        author=first_author(metadata) if placed.author is None else as_author(placed.author),
        in_feeds=placed.in_feeds and metadata.get("feed") is not False,
        in_sitemap=placed.listed
        and metadata.get("sitemap") is not False
        and not any(fnmatch.fnmatchcase(path, pattern) for pattern in settings.sitemap_exclude),
        digest=data_digest(raw),  # the whole file's: cheaper than encoding the body again, and as telling
        body_start=len(text) - len(body),  # python-frontmatter's split leaves the body as the text's tail
        date_from_file=placed.date_from_file,
        due=placed.due,
        expires=placed.expires,
        language=placed.language,
        translation_key=placed.translation_key,
        feed_id=placed.feed_id,
        references=placed.references,
        lang=placed.lang,
        in_site_feed=placed.listed,
        excerpt_only=placed.excerpt_only,
        weights=placed.weights,
    )
    if excerpts is not None:
        length = None if placed.summary_whole else settings.excerpt_length
        excerpts.made[path] = excerpt_of(metadata, body, lazy_html, length, placed.summary)
    if keep_rendered is not None and lazy_html.rendered is not None:
        keep_rendered(post, lazy_html.rendered)
    return post


def load_body(settings: ReadSettings, post: Post) -> str:
    """The body of a collected post, read again from its file (`collect` does not keep it).

    The file must still be what was read (a cached reading may be days old): the same bytes, through the same
    safe open. Anything else rejects the post for this run, and its cached reading is dropped by the caller.
    """
    raw = read_again(post.source, settings.posts)
    if raw is None:
        raise PostError(post.source, "not under any of posts.dirs any more")
    if data_digest(raw) != post.digest:
        raise PostError(post.source, "changed while it was being published; it is read again at the next run")
    # The bytes read before, which the generator's rules took: a body they show with U+FFFD for bytes not UTF-8
    # (Hugo's) is taken again.
    return decode(post.source, raw, lambda _: post.body_start)[post.body_start :]


def load_body_html(
    settings: ReadSettings,
    post: Post,
    rendered: Mapping[str, str] | None = None,
    links: Mapping[str, str] | None = None,
) -> str:
    """A collected post's body as HTML, its templates resolved: kept from reading when it was rendered then.

    `links`: the site's posts by reference (CrossReferencing.links), for the post's cross-references.
    """
    if rendered is not None and (html := rendered.get(rendered_key(post))) is not None:
        return html
    with time_limit(post.source):
        body = post.body if post.body is not None else load_body(settings, post)
        page = Page(post.title, post.source, post.url, post.published, post.categories, post.tags, links)
        try:
            return body_html(settings, body, post.body_format, page)
        except markup.MarkupTooComplex as error:
            # As reading rejects it, in its own words: a post whose excerpt came first had its body counted here.
            raise PostOverBudget(post.source, str(error)) from None
