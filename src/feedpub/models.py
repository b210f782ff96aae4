"""Frozen values that flow between the pipeline's stages; no I/O here."""

from __future__ import annotations

import hashlib
import re
import sys
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from feedpub.urls import is_http_url, name_depth, to_uri

if TYPE_CHECKING:
    from markdown_it.token import Token


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    email: str | None = None
    uri: str | None = None


def _stripped(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


# An address RSS's <author> and Atom's <email> can carry (RFC 2822's addr-spec, as feed validators check it):
# anything else ("not-an-email", "name at host") is left out rather than published as an invalid feed.
_EMAIL = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}"
)


def is_email(text: str) -> bool:
    """Whether `text` is an email address a feed can carry."""
    return _EMAIL.fullmatch(text) is not None


def author_from(value: object, as_text: Callable[[object], str] = _stripped) -> Author | None:
    """An author as front matter and generators' configs write one: a name, or a mapping with a name, an
    email and a uri (or url); None without a name. `as_text` turns each value into text; an email that is not
    an address is dropped."""
    if isinstance(value, Mapping):
        name = as_text(value.get("name"))
        if not name:
            return None
        uri = as_text(value.get("uri")) or as_text(value.get("url"))
        email = as_text(value.get("email"))
        # A page of the author's: http(s) only (a `javascript:` link reached JSON Feed's authors as written).
        return Author(name=name, email=email if is_email(email) else None, uri=uri if is_http_url(uri) else None)
    name = as_text(value)
    return Author(name=name) if name else None


@dataclass(frozen=True)
class PostsSettings:
    dirs: tuple[Path, ...]
    extensions: tuple[str, ...] = (".md", ".markdown", ".html", ".txt")
    permalink: str = "/:categories/:year/:month/:day/:title/"
    max_bytes: int = 10_000_000
    # Template forms in bodies resolved before rendering: Jekyll's Liquid, Hugo's shortcodes, or none (literal).
    templates: Literal["none", "liquid", "hugo"] = "none"
    # Whose rules the posts follow: feedpub's own ("none"), or Jekyll's or Hugo's, read from the generator's
    # configuration in `source` at every run (read/jekyll.py, read/hugo.py).
    generator: Literal["none", "jekyll", "hugo"] = "none"
    source: Path | None = None  # the generator's site folder (its _config.yml, hugo.toml or config/)
    # What the generator is given on its command line (`jekyll build --baseurl`: a path; `hugo --baseURL`: an
    # address), as GitHub Pages' starter workflows give it: it overrides the config's baseurl / baseURL as the flag
    # does. None: the config's own.
    baseurl: str | None = None
    # feedpub's own files and folders inside the posts folders (the output folder, the dates file): never posts.
    own: tuple[Path, ...] = ()
    # Where a post file that is a symbolic link may lead: None, its own posts folder; a Jekyll site's folder, since
    # Jekyll publishes a post linked to a file anywhere in it (in safe mode too). Never beyond it, nor to a "." file
    # or into a "." folder in it (read/files.py).
    links_within: Path | None = None


@dataclass(frozen=True)
class FeedSettings:
    limit: int = 20
    content: Literal["full", "excerpt"] = "full"
    excerpt_length: int = 300
    rss: str = "rss.xml"
    atom: str = "atom.xml"
    json: str = "feed.json"
    # Feeds per category / tag at categories/<slug>/… and tags/<slug>/…: True for every term, or only these.
    categories: bool | tuple[str, ...] = False
    tags: bool | tuple[str, ...] = False
    # Bounds on what one post, or one site, can make feedpub write: a post with 500 tags must not make 1,500 files.
    max_terms_per_post: int = 50  # of a post's categories, and of its tags: the rest are ignored
    max_term_feeds: int = 1000  # category and tag feeds in all: the terms with the most posts get them
    # Entry ids (RSS guid, Atom id, JSON Feed id): each post's URL, or the ids jekyll-feed gave a Jekyll site's
    # posts (`post.id` made absolute), so a migrated site's subscribers do not see every post again.
    ids: Literal["url", "jekyll-feed"] = "url"


# The news sitemap schema's <news:language>: an ISO 639 code, zh-cn and zh-tw the only ones with a region.
NEWS_LANGUAGE = re.compile(r"zh-cn|zh-tw|[a-z]{2,3}")


@dataclass(frozen=True)
class NewsSettings:
    """Google News sitemap: the publication as Google News knows it."""

    name: str
    language: str  # ISO 639 code, or zh-cn / zh-tw (the news schema's pattern)
    path: str = "sitemap-news.xml"


# sitemaps.org's limits for one file: <url>s in a urlset (and <sitemap>s in an index), bytes uncompressed.
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 52_428_800


@dataclass(frozen=True)
class SitemapSettings:
    path: str = "sitemap.xml"
    max_urls: int = SITEMAP_MAX_URLS  # per file: past it, `path` becomes a sitemap index of numbered parts
    max_bytes: int = SITEMAP_MAX_BYTES  # per file, uncompressed
    gzip: bool = False  # every sitemap file gets ".gz" appended
    news: NewsSettings | None = None
    exclude: tuple[str, ...] = ()  # absolute glob patterns of post files left out of sitemaps

    @property
    def entry_name(self) -> str:
        """The name crawlers and robots.txt are given: the lone sitemap, or the index of the parts."""
        return self.path + (".gz" if self.gzip else "")


def is_output_name(name: str) -> bool:
    """Whether `name` is a path below the output folder as feedpub writes one: relative, "/"-separated, with no
    empty, "." or ".." segment (and no NUL, which no file name holds)."""
    return (
        bool(name)
        and "\\" not in name
        and "\0" not in name
        and all(part not in ("", ".", "..") for part in name.split("/"))
    )


def sitemap_files_pattern(path: str) -> re.Pattern[str]:
    """The names of the files of the sitemap set at `path` (the lone sitemap or index, and its numbered parts,
    compressed or not), in the output folder."""
    folder, _, name = path.rpartition("/")
    stem, dot, suffix = name.rpartition(".")
    stem, suffix = (stem, dot + suffix) if dot else (name, "")
    lead = re.escape(folder + "/") if folder else ""
    return re.compile(rf"{lead}{re.escape(stem)}(?:-[1-9][0-9]*)?{re.escape(suffix)}(?:\.gz)?")


@dataclass(frozen=True)
class PingSettings:
    websub_hubs: tuple[str, ...] = ()
    indexnow_endpoint: str | None = None
    indexnow_key_env: str = "FEEDPUB_INDEXNOW_KEY"
    xmlrpc: tuple[str, ...] = ()
    urls: tuple[str, ...] = ()
    timeout: float = 10.0
    deadline: float = 60.0
    robots_txt: bool = True
    previous: str = ""  # published.json served at this name in the output folder, for fresh runners' pings


# The environment a Jekyll site's gem theme is looked for by: RubyGems' own folders (GEM_HOME, then GEM_PATH's) and
# the home folder (~/.gem, ~/.local/share/gem). A no-change record of a Jekyll site holds their values.
GEM_VARIABLES = ("GEM_HOME", "GEM_PATH", "HOME")
# Where read/jekyll/theme.py looks for an installed gem, as messages name them.
GEM_PLACES = "GEM_HOME, GEM_PATH, the site's vendor/bundle, ~/.gem, /var/lib/gems, /usr/share/rubygems-integration"


@dataclass(frozen=True)
class Site:
    """Everything config.toml says, checked and resolved (paths are absolute)."""

    url: str  # absolute http(s) URL ending in "/"; the site may live under a path
    title: str
    output_dir: Path
    static_dir: Path
    state_dir: Path  # .feedpub/ beside the config file: caches and ping state
    posts: PostsSettings
    description: str = ""
    language: str | None = None
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    timezone_is_local: bool = False  # `timezone = "local"`: the zone of the process (TZ, else the machine's)
    author: Author | None = None
    feeds: FeedSettings = FeedSettings()
    sitemap: SitemapSettings = SitemapSettings()
    ping: PingSettings = PingSettings()
    page: str = "feeds.html"  # the browser page about the feeds, in the output folder; "" for none
    # Not in PostsSettings, though [posts] keys: reading does not depend on them, and changing them must not make
    # every post be read again (ReadSettings, the cache's key, holds all of PostsSettings).
    max_shrink: float = 0.5  # a build publishing fewer than (1 - this) of the last build's posts stops
    dates_file: Path | None = None  # the dates given to undated posts (first_dates.py); None: not kept
    # Built into another folder than [output] dir (`build --output`, a preview): what it publishes is not what
    # `feedpub ping` announces.
    elsewhere: bool = False
    # A folder or file of the config's reached through a link (`posts -> release-2`): it may lead elsewhere with no
    # file of its own changing, which the no-change record (state/standing.py) could not tell.
    through_links: bool = False
    # Jekyll's environment, `jekyll.environment` in a Jekyll site's posts: JEKYLL_ENV as the CLI finds it, as Jekyll
    # reads it, else "production" where Jekyll says "development": the feeds are those of the site readers are
    # served, and deploys build it with JEKYLL_ENV=production (GitHub Pages does); `jekyll build` alone previews.
    jekyll_env: str = "production"
    # RubyGems' variables as the CLI finds them (GEM_VARIABLES), for a Jekyll site: where its gem theme is looked
    # for (read/jekyll/theme.py). Out of the repr: what is found there is the rules'.
    gem_environment: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)
    # The config file read (None: a Site made otherwise): no output may be written over it. Out of the repr, which
    # keys the cache: the same settings in another file read the same.
    config_file: Path | None = field(default=None, repr=False, compare=False)
    # What reading the config found to warn of (a setting to add), told at each build.
    warnings: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @cached_property
    def uri(self) -> str:
        """The site's URL percent-encoded: the one conversion every output's URLs start from."""
        return to_uri(self.url)

    def own_files(self) -> list[tuple[str, str]]:
        """The site's own output files (their names in the output folder), each with the setting naming it."""
        named = [
            ("feeds.rss", self.feeds.rss),
            ("feeds.atom", self.feeds.atom),
            ("feeds.json", self.feeds.json),
            ("sitemap.path", self.sitemap.entry_name),
            ("sitemap.news.path", self.sitemap.news.path if self.sitemap.news else ""),
            ("output.page", self.page),
            ("ping.robots_txt", "robots.txt" if self.ping.robots_txt else ""),
            ("ping.previous", self.ping.previous),
        ]
        return [(key, name) for key, name in named if name]

    def in_edition(self, edition: Edition, default: Edition) -> Site:
        """The site as one language shows it: served from its folder, with its title, description and language.

        Output names are relative to that folder. The configured feed names are the default language's (`init
        --from-hugo` names Hugo's `ko/index.xml` when that language is in a subfolder): its folder is taken off
        them.
        """

        def within(name: str) -> str:
            return name.removeprefix(default.folder)

        feeds = self.feeds
        # Hugo writes each language's sitemap into the language's folder, the default language's too
        # (/ko/sitemap.xml beside a root /sitemap.xml index), whether or not its pages are under that folder.
        sitemap_path = f"{edition.language}/{within(self.sitemap.path)}".removeprefix(edition.folder)
        return replace(
            self,
            url=self.url + edition.folder,
            title=edition.title or self.title,
            description=edition.description or self.description,
            language=edition.code or self.language,
            feeds=replace(feeds, rss=within(feeds.rss), atom=within(feeds.atom), json=within(feeds.json)),
            sitemap=replace(self.sitemap, path=sitemap_path),
        )

    def output_names(self, editions: Sequence[Edition] = ()) -> tuple[str, ...]:
        """The files every build writes (feeds, sitemap or its index, page; not term feeds or sitemap parts), by
        their names in the output folder, sorted: each language's feeds and sitemap in its folder on a multilingual
        site (`editions`), as render.build places them."""
        return tuple(sorted(self.named_outputs(editions)))

    def named_outputs(self, editions: Sequence[Edition] = ()) -> dict[str, str]:
        """The files of output_names, each with the setting naming it."""
        if len(editions) < 2:
            return {name: key for key, name in self.own_files()}
        named = {name: key for key, name in self.own_files() if not key.startswith("feeds.")}
        for edition in editions:
            view = self.in_edition(edition, editions[0])
            for key, name in (
                ("feeds.rss", view.feeds.rss),
                ("feeds.atom", view.feeds.atom),
                ("feeds.json", view.feeds.json),
                ("sitemap.path", view.sitemap.entry_name),
            ):
                if name:
                    named.setdefault(edition.folder + name, key)
        return named

    def sitemap_paths(self, editions: Sequence[Edition] = ()) -> tuple[str, ...]:
        """The `path` of each sitemap set a build writes (each language's in its folder, as output_names names it)."""
        if len(editions) < 2:
            return (self.sitemap.path,)
        return tuple(edition.folder + self.in_edition(edition, editions[0]).sitemap.path for edition in editions)

    def output_uri(self, name: str) -> str:
        """The URI the output file `name` ("/"-separated, relative) is served at: a "#" or "?" in it (a Hugo term
        "C#" has the folder tags/c#/) is a character of the path, escaped."""
        if "#" in name or "?" in name:
            name = name.replace("#", "%23").replace("?", "%3F")
        return to_uri(self.url + name)

    def _posts_without_own_files(self, other_outputs: Sequence[Path] = ()) -> PostsSettings:
        """The posts settings, naming feedpub's own files inside the posts folders, which are never read as posts:
        an output folder inside one (`dirs = ["."]`, output `feeds/`) published feeds.html and robots.txt as posts
        from the second build on; the dates file too, and the folders other builds wrote into (`--output`)."""
        own = tuple(
            path
            for path in dict.fromkeys((self.output_dir, self.dates_file, *other_outputs))
            if path is not None and any(path.is_relative_to(folder) and path != folder for folder in self.posts.dirs)
        )
        return replace(self.posts, own=own) if own else self.posts

    def read_settings(self, dates: KnownDates | None = None, other_outputs: Sequence[Path] = ()) -> ReadSettings:
        """The settings reading a post depends on; `dates`: the dates file's content."""
        return ReadSettings(
            url=self.url,
            # Only Liquid's {{ site.title }} puts the title into what reading makes: other sites keep their
            # cached readings when it changes.
            title=self.title if self.posts.templates == "liquid" else "",
            timezone=self.timezone,
            static_dir=self.static_dir,
            site_dir=self.state_dir.parent,
            posts=self._posts_without_own_files(other_outputs),
            excerpt_length=self.feeds.excerpt_length,
            sitemap_exclude=self.sitemap.exclude,
            dates=dates or KnownDates(),
            output_names=self.output_names(),
            sitemap_paths=self.sitemap_paths(),
        )


@dataclass(frozen=True)
class KnownDates:
    """The dates feedpub gave posts without one of their own, as its dates file keeps them.

    Compared and shown by the file's digest alone: ReadSettings' repr is the cache's key, so editing the file
    reads the posts again, and a site with 10,000 such posts does not make a 10,000-line key.
    """

    dates: Mapping[str, datetime] = field(default_factory=dict, compare=False, repr=False)  # by path, as scanned
    digest: str = ""  # of the file's bytes

    def get(self, path: str) -> datetime | None:
        return self.dates.get(path)


@dataclass(frozen=True)
class ReadSettings:
    """Every setting that reading a post file depends on, and nothing else.

    The readers are handed this, never the Site, so a setting they use cannot be missing from it; the cache keys
    its readings on all of it (a fingerprint of its repr), so changing any of them reads every post again.
    """

    url: str  # the site's URL, an IRI ending in "/"
    title: str  # Liquid's {{ site.title }}; "" for sites without Liquid
    timezone: ZoneInfo
    static_dir: Path
    # The site's folder, the config file's (a generator's site: its source folder): the site's git repository is
    # the one holding it.
    site_dir: Path
    posts: PostsSettings
    excerpt_length: int
    sitemap_exclude: tuple[str, ...]  # absolute glob patterns of post files left out of sitemaps
    rules: GeneratorRules | None = None  # Jekyll's or Hugo's rules, as read from its configuration
    dates: KnownDates = field(default_factory=KnownDates)  # what the dates file keeps: the date of an undated post
    # feedpub's own files (feeds, sitemap, page; Site.output_names), sorted: no post may be served as one of them,
    # nor as a file of its sitemap sets (Site.sitemap_paths: a part `sitemap-2.xml` too).
    output_names: tuple[str, ...] = ()
    sitemap_paths: tuple[str, ...] = ()

    # The rules' optional parts, looked up once: reading asks for them for every post, and each isinstance check
    # against a runtime protocol walks the protocol's attributes (Python 3.11: ~40 µs, a seventh of reading a
    # short post).
    @cached_property
    def output_name_set(self) -> frozenset[str]:
        return frozenset(self.output_names)

    @cached_property
    def sitemap_patterns(self) -> tuple[re.Pattern[str], ...]:
        return tuple(map(sitemap_files_pattern, self.sitemap_paths))

    @cached_property
    def own_name_depth(self) -> int:
        # A sitemap set's parts are in its folder: as deep as its path.
        return name_depth((*self.output_names, *self.sitemap_paths))

    @cached_property
    def html_bodies(self) -> HtmlBodies | None:
        return self.rules if isinstance(self.rules, HtmlBodies) else None

    @cached_property
    def typographic_markdown(self) -> TypographicMarkdown | None:
        return self.rules if isinstance(self.rules, TypographicMarkdown) else None

    @cached_property
    def markdown_images(self) -> MarkdownImages | None:
        return self.rules if isinstance(self.rules, MarkdownImages) else None

    @cached_property
    def block_renderer(self) -> BlockRenderer | None:
        return self.rules if isinstance(self.rules, BlockRenderer) else None

    @cached_property
    def dates_from_commits(self) -> bool:
        return isinstance(self.rules, CommitDated) and self.rules.dates_from_commits

    @cached_property
    def post_limit(self) -> int | None:
        return self.rules.post_limit if isinstance(self.rules, LimitedPosts) else None


class Page(NamedTuple):
    """The post a body belongs to, as its templates see it (Jekyll's `page.*`)."""

    title: str
    source: str  # the post file's path
    url: str  # absolute IRI
    published: datetime | None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # The site's posts by the references a body may make to them (CrossReferencing.links); None while posts are
    # read, when they are not all known: a reference then keeps its link's text and loses its target.
    links: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Excerpts:
    """What reading a post again for its excerpt is handed: where the excerpt goes (`made`, by the post's path),
    and the site's posts by reference (`links`, as Page.links) for its cross-references. The excerpt is the page's
    text: jekyll-feed's summary shows the URL `{% post_url %}` writes there, as the content does."""

    made: dict[str, str] = field(default_factory=dict)
    links: Mapping[str, str] | None = None


class FileDates(Protocol):
    """The last commit of post files, when they have one (read.dates.GitDates)."""

    def get(self, path: str) -> int | None:
        """Seconds since the epoch of the last commit that touched `path` (as the scan found it); None when none did."""
        ...

    def authored(self, path: str) -> datetime | None:
        """When the last commit that touched `path` was authored, at its author's offset; None when none did."""
        ...


class GeneratorRules(Protocol):
    """A site generator's rules for its posts, read from its own configuration (read/jekyll.py, read/hugo.py).

    Implementations are frozen dataclasses: they key the cache with the rest of ReadSettings (through their
    repr) and are pickled to pool workers.
    """

    @property
    def posts_dirs(self) -> tuple[Path, ...]:
        """The folders whose post files the generator publishes (they replace `posts.dirs`)."""
        ...

    def read_post(
        self,
        settings: ReadSettings,
        path: str,
        posts_dir: Path,
        git: FileDates,
        images: ImageMemo,
        keep_rendered: Callable[[Post, str], None] | None,
        excerpts: Excerpts | None = None,
    ) -> Post | None:
        """Read one post file as the generator would publish it; None when it would not publish it.

        `excerpts`: when given, the post's excerpt is made too, and put there by its path (see Entry.excerpt).
        """
        ...

    def expand_templates(self, settings: ReadSettings, text: str, page: Page) -> str:
        """A body (or part of it) with the generator's template forms resolved (Liquid, shortcodes)."""
        ...

    def render_markdown(self, text: str) -> str:
        """Markdown (its templates already resolved) as the generator renders it (kramdown, Goldmark)."""
        ...

    @property
    def inputs(self) -> ReadInputs:
        """What reading the generator's configuration looked at besides the posts, for the no-change record."""
        ...


class ReadInputs(Protocol):
    """What a generator's reading looked at (state.stamps.Inputs): why no record can stand for it ("" when one can),
    the moments its outcome turns at, and the stamps a record must check besides the posts' listing (`beyond`)."""

    @property
    def refused(self) -> str: ...

    @property
    def moments(self) -> list[datetime]: ...

    def beyond(self, listed: AbstractSet[str]) -> list[str] | None: ...


@dataclass(frozen=True)
class Edition:
    """One language of a multilingual site: its posts get feeds and a sitemap of their own, where the generator
    serves that language's (Hugo: `/en/index.xml`, `/en/sitemap.xml`)."""

    language: str  # the generator's key, as in Post.language ("en")
    code: str  # what feeds say in <language> ("en-US")
    title: str  # the site's title in that language
    folder: str  # where its pages and feeds are served, under the site URL: "" or "en/"
    description: str = ""  # the site's description in that language; "": the site's


@runtime_checkable
class Multilingual(Protocol):
    """Generator rules of a site that may have several languages (Hugo's)."""

    def editions(self) -> tuple[Edition, ...]:
        """The site's languages, the default first; () or one when the site has a single language."""
        ...


@runtime_checkable
class HomePages(Protocol):
    """Generator rules under which the site may have no home page, or not in every language (Hugo's)."""

    def serves_home(self, language: str = "") -> bool:
        """Whether the generator writes the home page of `language` ("": the default language)."""
        ...

    def home_stand_in(self, language: str = "") -> str:
        """The URL of a page the generator writes that feeds of `language` may link where it writes no home page;
        "" for none."""
        ...


@runtime_checkable
class LimitedPosts(Protocol):
    """Generator rules that publish only the newest few posts (Jekyll's `limit_posts`)."""

    @property
    def post_limit(self) -> int | None:
        """How many of the newest published posts the generator writes; None: all of them."""
        ...


@runtime_checkable
class CommitDated(Protocol):
    """Generator rules that may date posts by their files' last commits (Hugo's `:git`, with enableGitInfo)."""

    @property
    def dates_from_commits(self) -> bool:
        """Whether any post's date may come from git: the log is then read once, before the pool starts."""
        ...


@runtime_checkable
class FeedIds(Protocol):
    """Generator rules under which a migrated site's Atom feeds keep the ids its own feed plugin gave them."""

    def feed_id(self, path: str) -> str:
        """The Atom id (an IRI) of the feed served at `path` below the site's root ("feed.xml"), as the plugin wrote
        it; "" where the feed's address is its id."""
        ...


@runtime_checkable
class TermFolders(Protocol):
    """Generator rules that serve each category's and tag's pages (and feeds) at a folder of their naming."""

    def term_folder(self, kind: str, term: str, language: str = "") -> str:
        """The folder of `term`'s pages under the root of the site in `language` ("": its default language), without
        slashes at its ends: ("tags", "Go & Rust") -> "tags/go-rust" for Hugo, "topic/go-rust" under a taxonomy
        permalink `/topic/:slug/`."""
        ...


@runtime_checkable
class FeedsOfItsOwn(Protocol):
    """Generator rules of a site that writes a feed of its own at the address feedpub's feed takes over (Hugo's
    home RSS, jekyll-feed's feed.xml): `init` names feedpub's so, that subscribers keep their address."""

    def writes_feed(self, name: str, head: bytes) -> bool:
        """Whether the file `name` of the output folder, whose first bytes are `head`, is such a feed."""
        ...


@runtime_checkable
class PageFiles(Protocol):
    """Generator rules under which two files can be one page, of which the generator publishes only one (Hugo's:
    `a.md` and `a.html`, `a.md` and `a.ko.md` when Korean is the default language, `a.md` and `a/index.md`)."""

    def same_pages(self, paths: Sequence[str]) -> list[list[str]]:
        """The groups of two or more of `paths` that are one page."""
        ...


@runtime_checkable
class SameSecondOrder(Protocol):
    """Generator rules that list the posts dated in one second in an order of their own (Hugo's: by title, then by
    file), where others list them by URL."""

    def same_second_key(self, post: Post) -> Any:
        """What orders `post` among those dated in the same second (a key for `sorted`)."""
        ...


@runtime_checkable
class PostsWarnings(Protocol):
    """Generator rules with something to tell of the posts read, as a whole (Jekyll's includes found nowhere)."""

    def warnings_of(self, posts: Sequence[Post]) -> list[str]:
        """The build's warnings about `posts` (cached readings among them)."""
        ...


@runtime_checkable
class ConfigWarnings(Protocol):
    """Generator rules with something to tell of the generator's configuration (an example address)."""

    @property
    def config_warnings(self) -> tuple[str, ...]:
        """The build's warnings about the configuration, whatever posts it reads."""
        ...


@runtime_checkable
class IncludedEntries(Protocol):
    """Generator rules under which the site's config lets through files their names would leave out (Jekyll's
    `include`: a `_posts/_archive/…` post is published when `include` names `_archive`)."""

    def includes_entry(self, entry: str) -> bool:
        """Whether the config lets through `entry`, a post file's path below its posts folder."""
        ...


@runtime_checkable
class CrossReferencing(Protocol):
    """Generator rules whose templates link other posts by name (Jekyll's `post_url` and `link`)."""

    def links(self, settings: ReadSettings, posts: Sequence[Post]) -> Mapping[str, str]:
        """Each reference a body may make to one of `posts` (Post.references) -> the URL the generator writes."""
        ...


@runtime_checkable
class HtmlBodies(Protocol):
    """Generator rules whose template forms leave HTML bodies to finish (Hugo's shortcode placeholders)."""

    def render_html(self, text: str) -> str:
        """An HTML body (its templates expanded) as the generator writes it."""
        ...


@runtime_checkable
class TypographicMarkdown(Protocol):
    """Generator rules whose Markdown reads a plain paragraph as CommonMark does but for its typography (quotes,
    dashes, ellipses, guillemets) and definition lists: Jekyll's kramdown (read/paragraph_scanner.py)."""

    def inline_tokens(self, text: str) -> list[Token]:
        """The tokens its inline rules make of a paragraph's stripped lines, as when the body is rendered."""
        ...


@runtime_checkable
class BlockRenderer(Protocol):
    """Generator rules that render a Markdown text's blocks one at a time, as its whole render has them (Hugo's):
    a start of the body whose text resolves footnotes and link references defined further on."""

    def rendered_blocks(self, text: str) -> Iterator[str]:
        """The HTML of each top-level block in turn, for its text and images (page-wide parts such as heading ids
        and the footnotes' section left out); the caller checks the text's markup amount."""
        ...


@runtime_checkable
class MarkdownImages(Protocol):
    """Generator rules whose Markdown renders an image opening a paragraph as CommonMark does, and keeps raw HTML
    only when told to: Hugo's Goldmark (read/image_scanner.py reads the first image off the text for them; the
    typographer leaves an image's alt as written, as inline markup inside it stays text)."""

    @property
    def renders_raw_html(self) -> bool:
        """Whether raw HTML is written out (Goldmark's `unsafe`), not dropped."""
        ...


class SourceFile(NamedTuple):
    """One post file as the scan saw it. A tuple, not a dataclass: a scan makes 100k of them in a few ms."""

    path: str
    size: int
    mtime_ns: int
    ignored: bool  # under a "_" folder or named "_…" (Jekyll's rule): no post, never read (as NotAPost)
    posts_dir: int  # index into ReadSettings.posts.dirs


_DIGEST_SLICE = 10_000  # files hashed at a time by Scan.digest


@dataclass(frozen=True)
class Scan:
    files: tuple[SourceFile, ...]  # in a stable order: folders as configured, then by name
    missing_dirs: tuple[Path, ...] = ()
    # Every name the walk met, with its lstat (state/standing.py: Listing.kept); None when a walk over the same
    # folders could not tell a change from the lstats alone (a link among the posts, a bundle's folder).
    listing: tuple[tuple[str, str, bytes], ...] | None = None
    # Links to folders out of the site (a posts folder) or out of their posts folder, by path, each with why: never
    # walked, each rejected by name as a link to a file out of its posts folder is.
    linked_out: tuple[tuple[str, str], ...] = ()

    def digest(self) -> str:
        """Changes whenever a post file is added, removed, renamed, touched or resized."""
        # Paths in one string, numbers in one array: a third of the time of formatting a line per file.
        # A slice of the files at a time, hashed as the whole would be: 1M paths joined at once made ~330 MB (the
        # text, then its UTF-8) at the scan's peak.
        files = self.files
        digest = hashlib.blake2b(repr(self.missing_dirs).encode())
        if self.linked_out:
            digest.update(repr(self.linked_out).encode("utf-8", "surrogateescape"))
        for start in range(0, len(files), _DIGEST_SLICE):
            joined = "\0".join([f.path for f in files[start : start + _DIGEST_SLICE]])
            digest.update((b"\0" if start else b"") + joined.encode("utf-8", "surrogateescape"))
        for start in range(0, len(files), _DIGEST_SLICE):
            numbers = [n for f in files[start : start + _DIGEST_SLICE] for n in (f.size, f.mtime_ns, f.ignored)]
            digest.update(array("q", numbers).tobytes())
        return digest.hexdigest()


class Weights(NamedTuple):
    """A post's weights in the generator's lists, as Hugo orders its pages: the front matter `weight` in every list
    (0 is none: after every weighted page, a negative one before the others), and the `<plural>_weight` of its
    categories' and of its tags' taxonomy in their terms' lists (0 is a weight there: below it first); and its
    title as written, where that is not the post's title (white space feedpub's titles collapse, which Hugo
    compares among the pages of one second: "ab " after "áb")."""

    page: int = 0
    categories: int = 0
    tags: int = 0
    title: str = ""

    @property
    def weighs(self) -> bool:
        """Whether any weight is not 0 (the title orders nothing but pages of one second)."""
        return bool(self.page or self.categories or self.tags)


@dataclass(frozen=True, slots=True)
class Image:
    url: str  # absolute IRI
    mime_type: str | None = None
    length: int | None = None  # bytes, when the file was found under static_dir
    alt: str = ""
    in_body: bool = False  # the body's own first image, which its content shows: never led again
    # The site's default picture (Jekyll's `defaults` give every post jekyllrb.com's logo), not this post's: beside
    # the entry (media, enclosure) as jekyll-feed puts it, never leading its content.
    site_wide: bool = False


# Images resolved once a run, by (src, alt, the bundle folders to look in, in_body, site_wide): posts share a few.
ImageMemo = dict[tuple[str, str, tuple[tuple[Path, str], ...], bool, bool], Image | None]


@dataclass(frozen=True, slots=True)
class Post:
    """One publishable post. `url` is an absolute IRI: Hangul kept, encoded only on output."""

    source: str  # the file's path as the scan found it (a str: making 100k Paths from the cache costs 25 ms)
    url: str
    title: str
    published: datetime  # always timezone-aware
    # As written in the file (HTML or Markdown). None when not loaded: `collect` leaves it in the file, and the
    # builder loads it (collector.load_body) only for the posts that reach a feed, so 100k posts do not hold
    # 100k bodies in memory nor send them between processes.
    body: str | None
    body_format: Literal["html", "markdown"] = "html"
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image: Image | None = None
    author: Author | None = None
    in_feeds: bool = True  # front matter `feed: false` leaves the post out of every feed
    in_sitemap: bool = True  # `sitemap: false` (or [sitemap] exclude) leaves it out of the sitemaps
    # Of the body (computed from it when not given), or of the whole file when the collector read it: either
    # changes whenever the body does. Page fingerprints use it, not the body.
    digest: str = ""
    body_start: int = 0  # where the body starts in the file's text: it is reloaded from there, unparsed
    uri: str = ""  # `url` percent-encoded, when the collector has encoded it (page_uri encodes otherwise)
    fingerprint: str = ""  # page_fingerprint(self); computed when not given (the cache gives it)
    # The entry's id in every feed (RSS guid, Atom id, JSON Feed id), an IRI; the URL when empty. A migrated
    # site keeps the ids its old feed used, so readers do not show its posts again.
    feed_id: str = ""
    # A generator's publication window (Hugo's publishDate and expiryDate): the post is published from `due`
    # (from `published` when None) until `expires`. Kept apart from the dates feeds show, and decided at each
    # build, so that a cached reading stays true as time passes.
    due: datetime | None = None
    expires: datetime | None = None
    language: str = ""  # the generator's language key ("ko", "en") on a multilingual site
    # Equal in the translations of one page (Hugo's translationKey, else its path without the language): they
    # link each other in sitemaps and Atom. "" when the post has no translations to find.
    translation_key: str = ""
    # Dated by git or the file's time: no date in the front matter, the file name or the dates file. The build
    # records that date in the dates file, so that a later `touch` or checkout never moves the post.
    date_from_file: bool = False
    # The cross-references its body makes (Jekyll's `post_url` and `link` tags, as GeneratorRules.links keys
    # them): its content shows their targets' URLs, so it is made again when one of those moves.
    references: tuple[str, ...] = ()
    # Stamps of the files its content includes besides its own (Jekyll's include_relative: state.stamps.file_stamp):
    # its cached reading, content and page fingerprint hold only while they do.
    dependencies: tuple[str, ...] = ()
    # The post's own language tag where its front matter names one (Jekyll's `lang`, which jekyll-feed writes as the
    # entry's xml:lang): its entries say so. Not the edition it belongs to (`language`).
    lang: str = ""
    # False: in its categories' and tags' feeds only, not the site's own feed (Hugo's `_build: list: local`).
    in_site_feed: bool = True
    # Its entries without content, only the excerpt, whatever [feeds] content says (True), or with it (False);
    # None: as [feeds] content says. jekyll-feed's per-post `feed: {excerpt_only: …}`.
    excerpt_only: bool | None = None
    # Where the generator lists it among the others in its feeds (Hugo's weights); None: by date alone, as every
    # post of most sites. One field, not three: a lean post (the many of a large build) keeps its size of memory
    # block with one slot more (272 bytes), not with three.
    weights: Weights | None = None

    def __post_init__(self) -> None:
        self._share_repeated_values()
        if not self.digest and self.body is not None:
            object.__setattr__(self, "digest", body_digest(self.body))
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint", page_fingerprint(self))

    @classmethod
    def restored(cls, values: tuple[Any, ...]) -> Post:
        """The post whose fields, in their order, are `values`: one made and checked before (the cache's records).

        Its digest and fingerprint are taken as given, and its repeated values as shared already: a record is
        marshalled from a post whose values were interned, and marshal keeps the interning. The dataclass's own
        __init__ sets each of the fields through object.__setattr__, several times the cost of this; a build
        after one post changed restores every other post from the cache.
        """
        return _restored(_restore_post, values)

    def _share_repeated_values(self) -> None:
        # Values many posts share, one object each: a cached reading decodes its own copy of "html" and of every
        # category's name, and 100k posts held 100k copies.
        object.__setattr__(self, "body_format", sys.intern(self.body_format))
        if self.categories:
            object.__setattr__(self, "categories", tuple(map(sys.intern, self.categories)))
        if self.tags:
            object.__setattr__(self, "tags", tuple(map(sys.intern, self.tags)))
        if self.language:
            object.__setattr__(self, "language", sys.intern(self.language))
        if self.lang:
            object.__setattr__(self, "lang", sys.intern(self.lang))

    def page_uri(self) -> str:
        """The post's URL percent-encoded, as the collector encoded it (and cached it) or encoded now."""
        return self.uri or to_uri(self.url)

    @property
    def modified(self) -> datetime:
        return self.updated if self.updated and self.updated > self.published else self.published

    def modified_after(self, now: datetime) -> datetime | None:
        """The date the post says it was modified, when that is after `now` (the build's): a mistyped year, mostly."""
        return self.updated if self.updated is not None and self.updated > now else None


def body_digest(body: str) -> str:
    """A short digest of a post's body: equal bodies, equal digests."""
    return data_digest(body.encode("utf-8", "surrogatepass"))


def data_digest(data: bytes) -> str:
    """A short digest of some bytes (SHA-256: hardware-accelerated on current CPUs, faster than BLAKE2 here)."""
    return hashlib.sha256(data).hexdigest()[:32]


# Written before every page fingerprint. Bump it whenever what page_fingerprint hashes, or how, changes: the
# pinger then carries the pages a target acknowledged over to the new fingerprints instead of announcing every
# page again (the first fingerprints, BLAKE2 of other inputs, had no scheme).
PAGE_FINGERPRINT_SCHEME = "2"


_POST_FIELDS = tuple(Post.__dataclass_fields__)  # in their order
# The slots of a post's source, title, digest and fingerprint, as Post keeps them (LeanPost's properties stand in
# front of them).
_SOURCE_SLOT: Any = Post.__dict__["source"]
_TITLE_SLOT: Any = Post.__dict__["title"]
_DIGEST_SLOT: Any = Post.__dict__["digest"]
_FINGERPRINT_SLOT: Any = Post.__dict__["fingerprint"]


def _post_restorer(kind: type[Post] = Post) -> Callable[[tuple[Any, ...]], Post]:
    """A function making a `kind` of Post from its fields' values, in order, with each slot's own setter (what
    frozen's __setattr__ refuses once a post is made) and no __init__.

    Generated, one line a slot, as dataclasses generates __init__: a loop over the slots took twice as long, and
    a build after one change restores every unchanged post.
    """
    names = [f"v{index}" for index in range(len(_POST_FIELDS))]
    lines = ["def restore(values):", f"    {', '.join(names)}, = values", "    post = new(Post)"]
    lines += [f"    set_{name}(post, {name})" for name in names]
    lines.append("    return post")
    scope: dict[str, Any] = {"new": object.__new__, "Post": kind}
    scope.update({f"set_{name}": getattr(Post, field).__set__ for name, field in zip(names, _POST_FIELDS, strict=True)})
    exec("\n".join(lines), scope)  # nothing from outside this module goes into the code
    restore: Callable[[tuple[Any, ...]], Post] = scope["restore"]
    return restore


_restore_post = _post_restorer()


def _restored(restore: Callable[[tuple[Any, ...]], Post], values: tuple[Any, ...]) -> Post:
    """`restore(values)`, once `values` are checked to be a post's fields (see Post.restored)."""
    if len(values) != len(_POST_FIELDS):
        raise TypeError(f"Post.restored() needs the {len(_POST_FIELDS)} fields of a post, got {len(values)}")
    post = restore(values)
    if not _DIGEST_SLOT.__get__(post) or not _FINGERPRINT_SLOT.__get__(post):
        raise TypeError("Post.restored() needs a post's digest and fingerprint")
    return post


Details = Callable[[Post], tuple[str, str]]  # a post's title and digest, as its file gave them (see LeanPost)


class LeanPost(Post):
    """A post whose title and digest are fetched when first asked for (then kept), not held from the start; whose
    source is held as its folder, shared with the other posts in it, and its name; and whose fingerprint is held as
    a number.

    Only the posts a feed or the news sitemap shows need a title and digest, a few of a large site; the sitemap and
    the page list need none. At 1M posts they were ~200 bytes a post, ~190 MiB of a cold build's peak. A source
    path was the largest string a post held (~256 bytes: a name in Hangul makes every character of it two bytes),
    most of it the folder; a fingerprint's text is 96 bytes, its number 48. A lean post is equal to the full one,
    and hashes alike; `details` gives the two (the cache's record, or the file read again), and is asked once.
    """

    # Until they are fetched, the title's slot holds None and the digest's holds `details`; the source's slot holds
    # the name, this one the folder (a slot more takes a post into the next size of memory block: 16 bytes, of the
    # ~130 the folder was); the fingerprint's slot holds its digest as an int (_hold_fingerprint).
    __slots__ = ("_folder",)

    @classmethod
    def lean(cls, values: tuple[Any, ...], details: Details) -> Post:
        """The post whose fields, in their order, are `values` (as Post.restored takes them), less its title and
        digest, which `details` gives when asked."""
        lean = _restored(_restore_lean_post, values)
        _TITLE_SLOT.__set__(lean, None)
        _DIGEST_SLOT.__set__(lean, details)
        _hold_source(lean, values[0])
        _hold_fingerprint(lean, _FINGERPRINT_SLOT.__get__(lean))
        return lean

    @property
    def source(self) -> str:
        folder: str = _FOLDER_SLOT.__get__(self)
        name: str = _SOURCE_SLOT.__get__(self)
        return folder + name

    @source.setter
    def source(self, value: str) -> None:  # how Post's __init__ sets it, through dataclasses.replace
        _hold_source(self, value)

    @property
    def fingerprint(self) -> str:
        held: str | int = _FINGERPRINT_SLOT.__get__(self)
        return held if isinstance(held, str) else f"{PAGE_FINGERPRINT_SCHEME}:{held:032x}"

    @fingerprint.setter
    def fingerprint(self, value: str) -> None:
        _hold_fingerprint(self, value)

    def _fetch(self) -> None:
        if _TITLE_SLOT.__get__(self) is None:
            details: Details = _DIGEST_SLOT.__get__(self)
            title, digest = details(self)
            _DIGEST_SLOT.__set__(self, digest)
            _TITLE_SLOT.__set__(self, title)

    @property
    def title(self) -> str:
        self._fetch()
        title: str = _TITLE_SLOT.__get__(self)
        return title

    @title.setter
    def title(self, value: str) -> None:  # how Post's __init__ sets it, through dataclasses.replace
        _TITLE_SLOT.__set__(self, value)

    @property
    def digest(self) -> str:
        self._fetch()
        digest: str = _DIGEST_SLOT.__get__(self)
        return digest

    @digest.setter
    def digest(self, value: str) -> None:
        _DIGEST_SLOT.__set__(self, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Post):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _POST_FIELDS)

    __hash__ = Post.__hash__


_FOLDER_SLOT: Any = LeanPost.__dict__["_folder"]
_restore_lean_post = _post_restorer(LeanPost)


def _hold_source(post: Post, path: str) -> None:
    """Keep a lean post's source as its folder (one string for every post in it) and its name."""
    cut = path.rfind("/") + 1
    _FOLDER_SLOT.__set__(post, sys.intern(path[:cut]))
    _SOURCE_SLOT.__set__(post, path[cut:])


# A fingerprint page_fingerprint makes: the scheme, and 32 lowercase hex digits, which an int gives back as written.
_FINGERPRINT = re.compile(f"{PAGE_FINGERPRINT_SCHEME}:[0-9a-f]{{32}}")


def _hold_fingerprint(post: Post, fingerprint: str) -> None:
    """Keep a lean post's fingerprint as its digest's number when the text is page_fingerprint's, else as it is."""
    held = (
        int(fingerprint[len(PAGE_FINGERPRINT_SCHEME) + 1 :], 16) if _FINGERPRINT.fullmatch(fingerprint) else fingerprint
    )
    _FINGERPRINT_SLOT.__set__(post, held)


def page_fingerprint(post: Post, included: str = "") -> str:
    """Changes whenever what a search engine would index of the page changes.

    The body enters as its digest, computed once when the file is read and cached with the post (the
    fingerprint too): a build of 100k posts hashes neither 100k bodies nor 100k fingerprints. `included`: a
    digest of what the body includes from other files (Post.dependencies), wherever the site is.
    """
    image = post.image.url if post.image else ""
    parts = (post.url, post.title, post.modified.isoformat(), post.digest, image)
    return f"{PAGE_FINGERPRINT_SCHEME}:{digest_of(*parts, included) if included else digest_of(*parts)}"


def digest_of(*parts: str) -> str:
    """A short digest of some texts: equal texts, equal digests (parts never hold NUL, the separator)."""
    return data_digest("\x00".join(parts).encode("utf-8", "surrogatepass"))


_DIGESTED_AT_ONCE = 1_000  # parts joined at a time by digest_of_many


def digest_of_many(parts: Sequence[str]) -> str:
    """`digest_of(*parts)`, the parts joined a thousand at a time: a sitemap part's 50,000 keys joined at once were
    a text, and its bytes, of ~13 MB."""
    hasher = hashlib.sha256()
    for start in range(0, len(parts), _DIGESTED_AT_ONCE):
        joined = "\x00".join(parts[start : start + _DIGESTED_AT_ONCE])
        hasher.update((("\x00" if start else "") + joined).encode("utf-8", "surrogatepass"))
    return hasher.hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Rejection:
    path: str
    reason: str
    # Where in the file, when known (front matter syntax errors): a hint for annotations, not kept by the cache,
    # so a cached rejection equals a fresh one.
    line: int | None = field(default=None, compare=False)
    # A refusal for what the post costs (errors.PostOverBudget), which its bytes would meet again: for a reading made
    # again while the feeds are rendered, which keeps it (render/build.py).
    over_budget: bool = field(default=False, compare=False)
    # The output file of feedpub's (its name in the output folder) the generator writes this post's page or alias
    # at: feedpub's file is written over that page, not stopped by it as by a page of the site's own. Kept by the
    # cache, not by the published state.
    takes: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Parsed:
    """What reading one post file gave: a post, a skip (draft or unpublished), or a rejection; or, with `no_post`,
    that the file is no post at all (NotAPost)."""

    post: Post | None = None
    rejection: Rejection | None = None
    no_post: bool = False


class NotAPost(Exception):
    """Raised by a reader for a file in a posts folder that the generator does not take for a post at all (Jekyll's
    undated name in _posts, Hugo's resource or ignored file), where None says it skips a post (a draft): the build
    counts only those as skipped."""


@dataclass(frozen=True)
class Collection:
    posts: tuple[Post, ...]  # newest first, ties broken by URL; bodies not loaded (see Post.body)
    rejected: tuple[Rejection, ...] = ()
    skipped: int = 0  # posts not published now: drafts, unpublished, not yet due or expired (no file of NotAPost)
    # When the clock next changes which posts are published (a post comes due or expires), and when it last did
    # (at or before the build's `now`): the same files give the same outputs only between the two.
    next_due: datetime | None = None
    last_change: datetime | None = None
    warnings: tuple[str, ...] = ()  # what reading could not do, and did instead (git's dates)
    # The orders the generator lists `posts` in its feeds, where they are not newest first; None where they are.
    listing: Listing | None = None


@dataclass(frozen=True)
class Listing:
    """Posts in the orders the generator lists them in its feeds where some carry weights (Post.weights): its own
    feed's, and its category and tag feeds' (a term's posts by their taxonomy's weight first)."""

    site: tuple[Post, ...]
    categories: tuple[Post, ...]
    tags: tuple[Post, ...]

    def of(self, kind: str) -> tuple[Post, ...]:
        """The order of the feeds of `kind`'s terms ("categories", "tags")."""
        return self.categories if kind == "categories" else self.tags

    def only(self, keep: Callable[[Post], bool]) -> Listing:
        """The orders of the posts `keep` takes (a language's, in its own feeds)."""
        return Listing(*(tuple(filter(keep, order)) for order in (self.site, self.categories, self.tags)))


OutputKind = Literal["rss", "atom", "json", "sitemap", "page", "other"]


@dataclass(frozen=True)
class Output:
    """One file of the output folder, as bytes; `name` is relative, "/"-separated."""

    name: str
    data: bytes
    kind: OutputKind = "other"
    # A digest of everything the bytes were rendered from ("" when not tracked): the next build, finding the same
    # inputs and the file still as written, keeps it instead of rendering it again (see Kept).
    key: str = ""


@dataclass(frozen=True)
class TermMembers:
    """A category's or tag's feeds as a build made them: where, titled what, showing which posts."""

    folder: str
    title: str
    name: str
    sources: tuple[str, ...]  # the posts' files, newest first


@dataclass(frozen=True)
class FeedMembers:
    """Which posts each feed of a one-language build shows, by their files. While no post's place changes (its
    URL, dates, terms, whether it is in feeds and sitemaps), an edited post changes only the feeds that show it,
    and the feeds page when the site's feed is one of them (feedpub.partial)."""

    main: tuple[str, ...]  # the site's feed, newest first
    terms: tuple[TermMembers, ...]  # in the order the build made them


@dataclass(frozen=True)
class Kept:
    """An output file not rendered again: its inputs (`key`) are those the last build rendered it from, and the
    caller said the file still holds what that build wrote."""

    name: str
    key: str
    kind: OutputKind = "other"


# name -> key of the last build's outputs whose files still hold what it wrote: what a build may keep.
Previous = Mapping[str, str]


@dataclass(frozen=True, slots=True)
class FeedRef:
    url: str  # absolute URI the feed is served at (its WebSub topic)
    digest: str  # sha256 hex of its bytes


@dataclass(frozen=True, slots=True)
class PageRef:
    url: str  # absolute, percent-encoded URI
    fingerprint: str  # changes whenever the page's published content changes


@dataclass(frozen=True)
class Published:
    """What a build put online, as the pinger needs it (stored in .feedpub/published.json)."""

    site_url: str
    feeds: tuple[FeedRef, ...]
    pages: Sequence[PageRef]  # newest first
    sitemap_url: str


@dataclass(frozen=True, slots=True)
class Entry:
    """A post as every feed format shows it: URLs encoded, content cleaned and absolute."""

    post: Post
    url: str  # percent-encoded URI of the post: its link
    id: str  # its id in every feed format (guid, Atom id, JSON Feed id): `url` unless the post has a feed_id
    title: str  # XML-safe
    content_html: str  # cleaned, absolute URLs; empty when feeds carry excerpts only
    image_url: str | None  # percent-encoded
    terms: tuple[str, ...]  # categories then tags, without repeats
    # Plain text, "" when the post has none. Made for the posts a feed shows, not while reading: reading every
    # body of a site for the few dozen excerpts its feeds show was a third of a cold build (read.post.Reader.excerpt).
    excerpt: str = ""
    translations: tuple[tuple[str, str], ...] = ()  # (language, URI) of the post's other languages
    # The post's author, else the site's: named in every entry, as jekyll-feed does. Readers keep no feed-level
    # author for an entry (newsboat stores none, feedparser's entry.author is None), and RSS has none at all.
    author: Author | None = None


@dataclass(frozen=True)
class Written:
    name: str
    path: Path
    written: bool  # False when the file already had these bytes and was left untouched
    digest: str = ""  # sha256 hex of the bytes now in the file
    kind: str = "other"  # the Output's kind: "rss", "atom", "json", ...
    key: str = ""  # the Output's key: what it was rendered from ("" when not tracked)


@dataclass(frozen=True)
class BuildReport:
    published_posts: int
    rejected: tuple[Rejection, ...]
    skipped: int
    files: tuple[Written, ...]
    # Nothing changed and nothing was built: published.json still holds what is online.
    unchanged: bool
    removed: tuple[str, ...] = ()  # sitemap parts an earlier, larger build left, now deleted
    warnings: tuple[str, ...] = ()
    dated: tuple[tuple[str, datetime], ...] = ()  # undated posts published for the first time, with their date
    dates_file: Path | None = None  # where `dated` was recorded
    # What the next run may check before importing the rest of feedpub (state/standing.py); None when it cannot.
    standing: Standing | None = field(default=None, compare=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        return {
            "published": self.published_posts,
            "rejected": [{"path": r.path, "line": r.line, "reason": r.reason} for r in self.rejected],
            "skipped": self.skipped,
            "outputs": [{"name": f.name, "path": str(f.path), "written": f.written} for f in self.files],
            "removed": list(self.removed),
            "dated": [{"path": path, "date": moment.isoformat()} for path, moment in self.dated],
            "dates_file": str(self.dates_file) if self.dates_file else None,
            "warnings": list(self.warnings),
            "unchanged": self.unchanged,
        }


@dataclass(frozen=True)
class Standing:
    """What tells, by os.stat alone, that a build's inputs are as this build found them (state/standing.py)."""

    report: BuildReport  # what a build that finds nothing changed reports (api._unchanged)
    skipped: tuple[str, ...]  # PostsSettings.own
    # The configured folders and files, none of them through a link (Site.through_links): one that becomes a link
    # may lead elsewhere with nothing of the record changing.
    paths: tuple[str, ...]
    listing: tuple[tuple[str, str, bytes], ...]  # Scan.listing
    since: datetime | None  # the window the outputs hold for (LastBuild)
    until: datetime | None
    dependencies: tuple[str, ...]  # stamps of the files the posts include (state/stamps.py)
    state_files: tuple[Path, ...]  # published.json, outputs.json, the cache, the dates file
    # Of those, the ones this build wrote whose bytes it knows, by their SHA-256 (the dates file): checked, as the
    # outputs are, before the record stamps them.
    written: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Channel:
    """One feed's worth of entries (the site's, or later a category's), in every format."""

    title: str
    description: str
    home_url: str  # the HTML page the feed belongs to (URI)
    rss_url: str
    atom_url: str
    json_url: str
    entries: tuple[Entry, ...]  # newest first
    atom_id: str  # the Atom feed's own id (URI): its address, unless the site's feed plugin gave it another
    # Where the generator writes no home page: the page RSS's channel <link>, which RSS 2.0 requires, names in its
    # place (another page the generator writes, else the site's URL); Atom's alternate link and JSON Feed's
    # home_page_url, both optional, are then left out. "": the feeds link home_url.
    page_url: str = ""
