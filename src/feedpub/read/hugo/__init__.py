"""Hugo's rules for posts: which files it publishes, at which URLs, with which ids, read from its own config.

Hugo 0.111.3 (Debian's) is the reference: every rule was checked against its output (tests/test_hugo_reader.py).
Posts are the regular pages of each language's main sections (its `params.mainSections`, else the site's, else
its section with the most pages, as Hugo picks them for each). The RSS guid Hugo writes is the permalink, so posts
keep the default feed id (their URL).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from feedpub.errors import ConfigError, FeedpubError, PostError, one_line
from feedpub.models import Edition, Excerpts, FileDates, ImageMemo, NotAPost, Page, Post, ReadSettings, Site, Weights
from feedpub.plain_files import bounded_walk
from feedpub.read import markup
from feedpub.read.config_files import (
    MAX_NESTING,
    GeneratorAddress,
    check_site_url,
    example_address_warnings,
    nested_deeper,
    within,
)
from feedpub.read.dates import file_date, front_matter_date, head_commit
from feedpub.read.fences import YAML_FENCE
from feedpub.read.files import decode, posts_dir_index, read_file
from feedpub.read.front_matter import NESTED_TOO_DEEPLY, as_terms, as_text, split, visible_title
from feedpub.read.go_yaml import GoFloat
from feedpub.read.hugo import collation, emoji, goldmark, shortcodes
from feedpub.read.hugo.booleans import is_true
from feedpub.read.hugo.config import (
    DATE_KEYS,
    ENVIRONMENT,
    HugoConfig,
    Language,
    go_int,
    go_regexp,
    load_config,
    lower_keys,
    output_formats,
)
from feedpub.read.hugo.dates import hugo_date, in_zone
from feedpub.read.hugo.paths import (
    encode,
    expand,
    hugo_permalink,
    lower,
    merge_slashes,
    pattern_tokens,
    settle,
    url_escaped,
    urlize,
)
from feedpub.state.stamps import Inputs
from feedpub.text import strip_xml_invalid
from feedpub.urls import site_url_of

__all__ = ["HugoConfig", "HugoRules", "PostsDir", "load_config", "load_rules"]

# The content formats Hugo renders without external helpers; other files in content/ are resources (observed:
# Hugo 0.111.3 copies post.mkd, post.mdwn and post.txt as they are).
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mdown")
CONTENT_EXTENSIONS = (*MARKDOWN_EXTENSIONS, ".html", ".htm")
# Hugo's zero date (0001-01-01): a page without a publishDate is published whatever its date says.
ZERO = datetime(1, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class PostsDir:
    """One folder of posts: a main section in one content folder, and the language of its unsuffixed files."""

    path: Path
    content_dir: Path
    language: str
    # The languages it is a main section of: its pages in others are no posts (Hugo picks each language's own).
    languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class HugoRules:
    """Hugo's rules for one site; all it depends on is in its fields (they key the cache)."""

    config: HugoConfig
    dirs: tuple[PostsDir, ...]
    # Folders that are sections (they hold an _index file), each with a language it is one in (its _index file's):
    # they enter :sections; other folders vanish from a pattern's :sections (posts/plain/x.md is /posts/x/ under
    # "/:sections/:slug/").
    sections: frozenset[tuple[str, str]]
    # The _index files whose front matter may reach the pages below them (`cascade`, a draft section), by path
    # and digest of their text: editing one reads the pages again; editing any other _index does not.
    branches: tuple[tuple[str, str], ...] = ()
    # The folders a term's own _index file moves its page and feed to with `url` (content/tags/go/_index.md with
    # `url: /golang/`), as (taxonomy, the term's folder name, language, folder under the language's folder).
    term_urls: tuple[tuple[str, str, str, str], ...] = ()
    # The commit checked out, where pages may be dated by their last commits (`:git`): a new commit moves those
    # dates with no post file changed, so it must read the pages again.
    head: str = ""
    # The languages whose home page Hugo does not write (homes_not_built): no sitemap or feeds page may link it.
    unbuilt_homes: frozenset[str] = frozenset()
    # Of those, the languages whose main section's page Hugo writes, with its URL (home_stand_ins): a feed's link.
    stand_ins: tuple[tuple[str, str], ...] = ()
    # What reading the configuration looked at (state.stamps.Inputs): the no-change record's, out of the cache's key.
    inputs: Inputs = field(default_factory=Inputs, repr=False, compare=False)
    # What the build tells of the configuration (models.ConfigWarnings); it shapes no post.
    config_warnings: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def dates_from_commits(self) -> bool:
        return self.config.dates_from_commits

    @property
    def posts_dirs(self) -> tuple[Path, ...]:
        return tuple(d.path for d in self.dirs)

    @property
    def renders_raw_html(self) -> bool:
        return self.config.goldmark.unsafe

    def expand_templates(self, settings: ReadSettings, text: str, page: Page) -> str:
        """The body with its shortcodes resolved as Hugo's (HTML ones as placeholders: see hugo/shortcodes.py).

        `posts.templates = "none"` keeps them as written.
        """
        # First of all: a placeholder's word written in the page itself is text, as Hugo shows it.
        text = shortcodes.written_placeholders_as_text(text)
        if settings.posts.templates == "none":
            return text
        if self.config.enable_emoji:
            text = emoji.emojify(text)  # in the source, as Hugo's lexer replaces them: before shortcodes and Markdown
        if not shortcodes.holds_shortcodes(text):
            return text  # most bodies: their language and params are not looked for
        language = self._language_of(page.source)

        def reference(target: str, absolute: bool, lang: str) -> str | None:
            return self._reference(target, absolute, lang or language, page.source)

        # The page's params (its front matter, what sections cascade to it) for `param`, read again only for it, and
        # its language's (the site's, with the language's own over them).
        params = (
            (self._params_of(settings, page.source), _site_params(self.config.for_language(language).params_json))
            if "param" in text
            else ()
        )
        return shortcodes.expand(text, params, reference, self._markdownify, self.config.raw_inner_shortcodes)

    def _params_of(self, settings: ReadSettings, path: str) -> Mapping[str, Any]:
        """The params of the page file at `path`, as Hugo's `.Page.Param` finds them: its front matter over what
        the sections above cascade to it (as read_post takes them); none when it cannot be read."""
        where = next((d for d in self.dirs if path.startswith(f"{d.path}/")), None)
        if where is None:
            return {}
        try:
            raw = read_file(path, where.path, settings.posts.max_bytes)
            own = lower_keys(_other_page_front_matter(path, where.path, raw))
        except (OSError, ValueError, FeedpubError):
            return {}
        return {**self._inherited(_PagePath.of(path, where, self.config), path).values, **own}

    def _language_of(self, path: str) -> str:
        """The language key of the page file at `path` ("" when it is in none of the posts folders)."""
        where = next((d for d in self.dirs if path.startswith(f"{d.path}/")), None)
        # By the file's name alone, as _PagePath.of takes it: asked of every post's body, and making the whole
        # _PagePath (its folders, bundle, filename date) again was a fortieth of reading a Hugo site.
        return _file_language(path.rpartition("/")[2], where.language, self.config) if where is not None else ""

    def _markdownify(self, text: str) -> str:
        """Hugo's `markdownify`: the text rendered by the site's Goldmark, a lone paragraph's <p> dropped."""
        rendered = goldmark.render(text, self.config.goldmark).strip()
        inner = rendered.removeprefix("<p>").removesuffix("</p>")
        return inner if rendered.startswith("<p>") and "<p>" not in inner else rendered

    def render_markdown(self, text: str) -> str:
        """Markdown as Goldmark renders it with the site's options, shortcodes' HTML filled in."""
        markup.check_markup_amount(text)
        return self._page_html(goldmark.render(text, self.config.goldmark))

    def rendered_blocks(self, text: str) -> Iterator[str]:
        """The Markdown text's blocks one by one as render_markdown writes them, for their text (heading ids aside:
        goldmark.block_renders), shortcodes' HTML filled in. The caller checks the whole text's markup amount."""
        return map(self._page_html, goldmark.block_renders(text, self.config.goldmark))

    def render_html(self, text: str) -> str:
        """An HTML page's body (Hugo runs no Markdown on it), shortcodes' HTML filled in."""
        return self._page_html(text)

    def _page_html(self, rendered: str) -> str:
        """Rendered content as the page has it: shortcodes' HTML filled in, its root-relative URLs written from
        baseURL where the site's canonifyURLs or relativeURLs does so."""
        filled = shortcodes.fill(rendered)
        if self.config.canonify_urls or self.config.relative_urls:
            return canonified(filled, self.config.base_url)
        return filled

    def _reference(self, target: str, absolute: bool, language: str = "", source: str = "") -> str | None:
        """What `ref` (absolute) or `relref` gives for `target` in `language` (the referring page's, or the
        shortcode's `lang`) from the page file `source`; None when feedpub cannot find the page.

        Looked up as Hugo does (observed): a fragment alone is the referring page's own (`#intro`); a path relative
        to the page's folder first (`./b.md`, `../guides/setup.md`, `b.md`; a leaf bundle's from the folder above
        it, unless the path goes up), not further when it starts with "."; then under a content folder (with or
        without its extension or language, or a bundle's folder); else the one page whose path ends with it. Then
        its translation into `language`, where it has one (an English page's `ref "b.md"` is b.en.md's URL), and a
        list page in that language's folder (`relref "/일기"` from a Korean page is /ko/일기/).
        The referring post's cached reading does not follow a later change of the target's URL.
        """
        wanted, _, fragment = target.partition("#")
        if not wanted.strip():
            return "#" + fragment if fragment else None  # the referring page itself: Hugo writes the fragment alone
        path, where = self._find_page(wanted.strip(), source)
        if path is None or where is None:
            return None
        if language and os.path.isfile(path):
            path, where = self._translation(path, where, language)
        if os.path.isdir(path):  # a section without an _index file, or the home page
            return self._list_reference(target, {}, os.path.relpath(path, where.path), absolute, language)
        try:
            meta: dict[str, Any] = lower_keys(_other_page_front_matter(path, where.path))
        except (OSError, ValueError, FeedpubError):
            return None
        if os.path.basename(path).startswith("_index."):
            folder = os.path.relpath(os.path.dirname(path), where.path)
            return self._list_reference(target, meta, folder, absolute, language)
        page = _PagePath.of(path, where, self.config)
        try:
            dates, named_by_date = self._dates(path, meta, page, _UNREAD_COMMITS)
        except LookupError:
            return None  # its date, and so its URL, is its last commit's, which is not read here
        return self._as_reference(self._encoded(self._url(meta, page, dates["date"], named_by_date)), target, absolute)

    def _translation(self, path: str, where: PostsDir, language: str) -> tuple[str, PostsDir]:
        """The page file of `path`'s translation into `language`: by its name (b.en.md beside b.md), or at the same
        place in the language's own content folder, in any case (Hugo's paths are lower-cased: other.ko.md is the
        Korean of Other.md); `path` itself when it has none."""
        page = _PagePath.of(path, where, self.config)
        if page.language == language:
            return path, where
        folder, name = posixpath.split(os.path.relpath(path, where.content_dir).replace(os.sep, "/"))
        stem, extension = os.path.splitext(name)
        base, _, suffix = stem.rpartition(".")
        if not base or suffix != page.language:
            base = stem  # b.md, not b.ko.md
        candidates = [(where.content_dir, posixpath.join(folder, f"{base}.{language}{extension}"))]
        if where.language == language:  # the language of the folder's unsuffixed files: b.md
            candidates.append((where.content_dir, posixpath.join(folder, base + extension)))
        own = next((lang for lang in self.config.languages if lang.key == language), None)
        if own is not None and own.content_dir != where.content_dir:
            candidates.append((own.content_dir, posixpath.join(folder, base + extension)))
        for content, relative in candidates:
            if (found := self._content[content].page(lower(relative))) is not None:
                return found, PostsDir(content, content, _owner(self.config, content))
        return path, where

    def _list_reference(self, target: str, meta: Mapping[str, Any], folder: str, absolute: bool, language: str) -> str:
        return self._as_reference(self._encoded(self._list_url(meta, folder, language)), target, absolute)

    def _encoded(self, url: str) -> str:
        """A URL on the site as Hugo serves it (see paths.encode)."""
        return encode(url, self.config.base_url)

    def _as_reference(self, url: str, target: str, absolute: bool) -> str:
        """What `ref` (absolute) or `relref` writes for a page at `url`, the target's fragment kept.

        relref is the page's path from the host, except under canonifyURLs: Hugo's RelPermalink then leaves out
        baseURL's path, which canonifying writes back (observed: on https://x.org/blog/ `relref "b.md"` is
        /posts/b/, then https://x.org/blog/posts/b/; it was /blog/posts/b/, written from baseURL as /blog/blog/).
        """
        fragment = "#" + target.split("#", 1)[1] if "#" in target else ""
        if absolute:
            return url + fragment
        base = self._encoded(self.config.base_url)
        if self.config.canonify_urls and url.startswith(base):
            return "/" + url.removeprefix(base) + fragment
        return "/" + url.split("/", 3)[3] + fragment

    def _list_url(self, meta: Mapping[str, Any], folder: str, language: str) -> str:
        """The URL of the home page (folder ".") or a section's list page (its folder below the content folder),
        in `language` ("": the default one): its `url` where its _index gives one, else the folders urlized
        (observed: `ref "/posts"` is /posts/, `ref "/"` the home page, each in the referring page's language)."""
        config = self.config
        base = config.base_url + config.language(language).prefix
        fixed = _front_matter_url(meta)
        if fixed:
            return config.base_url + _url_path(fixed)
        if folder in (".", ""):
            return base
        path = "/".join(self._urlize(name, trim=False) for name in folder.split(os.sep)) + "/"
        return base + (lower(path) if config.lower_paths else path)

    def _find_page(self, target: str, source: str = "") -> tuple[str | None, PostsDir | None]:
        """The page file (or a section's folder) `target` names, seen from the page file `source`."""
        if not target.startswith("/"):
            beside = self._beside(target, source)
            path, where = self._page_at(beside) if beside is not None else (None, None)
            if path is not None or target.startswith("."):
                return path, where  # "./x" and "../x" name a page from the referring one only
        relative = target.lstrip("/")
        path, where = self._page_at(relative)
        if path is not None or target.startswith("/") or not relative:
            return path, where
        found = self._pages_by_ending.get(lower(relative), {})
        if len(found) != 1:
            return None, None  # none, or more than one page (Hugo: "ambiguous")
        path, content = next(iter(found.values()))
        return path, PostsDir(content, content, _owner(self.config, content))

    def _beside(self, target: str, source: str) -> str | None:
        """`target` joined to the folder of the page file `source`, relative to its content folder (a leaf bundle's
        page from the folder above its own, unless the target goes up: Hugo's rule); None when it leaves the
        content folder or `source` is in none of the posts folders."""
        where = next((d for d in self.dirs if source.startswith(f"{d.path}/")), None)
        if where is None:
            return None
        folder = posixpath.dirname(os.path.relpath(source, where.content_dir).replace(os.sep, "/"))
        if _PagePath.of(source, where, self.config).bundle and not target.startswith(".."):
            folder = posixpath.dirname(folder)
        joined = posixpath.normpath(posixpath.join(folder, target))
        return None if joined == ".." or joined.startswith("../") else joined

    def _page_at(self, relative: str) -> tuple[str | None, PostsDir | None]:
        """The page file at `relative` below a content folder, in any case (Hugo lower-cases the reference and the
        pages' paths): as written, with ".md", or a bundle's index; each in any language (`korean-only.ko.md` for
        `korean-only.md`); else that folder (a section without an _index, the home page: ""); (None, None) when
        there is none."""
        if ".." in relative.replace("\\", "/").split("/"):
            return None, None  # a page is under a content folder: nothing outside it is opened, or told apart
        wanted = PurePosixPath(lower(relative))
        with_md = [str(wanted.with_suffix(wanted.suffix or ".md"))] if wanted.name else []
        forms = [str(wanted), *with_md, str(wanted / "index.md"), str(wanted / "_index.md")]
        for content, folder in self._content.items():
            where = PostsDir(content, content, _owner(self.config, content))
            for form in forms:
                if (found := folder.page(form, any_language=True)) is not None:
                    return found, where
            if (found := folder.folder(str(wanted))) is not None:
                return found, where  # a section without an _index file, or the home page ("/")
        return None, None

    @functools.cached_property
    def _dirs_by_path(self) -> dict[Path, PostsDir]:
        """Each posts folder by its path (the first, where two share one): asked for every page read."""
        found: dict[Path, PostsDir] = {}
        for where in self.dirs:
            found.setdefault(where.path, where)
        return found

    @functools.cached_property
    def _site_cascades(self) -> tuple[_Cascade, ...]:
        """The site's `cascade` entries (_cascades), made once: every page asks for them."""
        return _cascades(_site_cascade(self.config.cascade_json))

    @functools.cached_property
    def _kept(self) -> dict[str, str]:
        """The digest of each _index file that may give its pages something (`branches`), by path."""
        return dict(self.branches)

    @functools.cached_property
    def _sections_made(self) -> dict[tuple[Path, tuple[str, ...], str], _Branch]:
        """Each section's _Branch, once made (_branch): every page below it asks for it."""
        return {}

    @functools.cached_property
    def _content(self) -> dict[Path, _ContentFolder]:
        """Each content folder's pages and folders, in the languages' order. Made once in a rules' life, at the first
        reference: a post's unresolved references on a site of 10 languages took (languages + 1) x 4 file tests in
        each content folder each, and a post of 1,000 of them was rejected (past its 10 s)."""
        keys = [lang.key for lang in self.config.languages]
        contents = dict.fromkeys(lang.content_dir for lang in self.config.languages)
        return {content: _ContentFolder.of(content, keys) for content in contents}

    @functools.cached_property
    def _pages_by_ending(self) -> dict[str, dict[str, tuple[str, Path]]]:
        """Each content page under every end of its path a reference may name, in lower case: with or without its
        extension, or a bundle's folder (observed: `ref "first-post"` finds posts/2024/first-post.md, `relref
        "2024/first-post"` too), its language's suffix written or not (`ref "korean-only"` finds
        korean-only.ko.md); by its path without that suffix, so that a page's translations are one page, and one
        of their files. Made once in a rules' life, at the first reference that needs it: a walk of the content
        for each made a site of 2,000 pages with 600 references take 50 s (Hugo: 2 s), and a post of 200 was
        rejected."""
        index: dict[str, dict[str, tuple[str, Path]]] = {}
        keys = {lang.key for lang in self.config.languages}
        for content, folder in self._content.items():
            for lowered, inside in folder.files.items():
                stem, extension = os.path.splitext(lowered)
                base, _, suffix = stem.rpartition(".")
                page = base if base and suffix in keys else stem  # posts/b.ko.md is the page posts/b.md
                ends = _path_ends(lowered) | _path_ends(stem) | _path_ends(page + extension) | _path_ends(page)
                if posixpath.basename(page) == "index":
                    ends |= _path_ends(posixpath.dirname(page))
                for end in ends:
                    index.setdefault(end, {}).setdefault(page + extension, (str(content / inside), content))
        return index

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
        """Read one page as Hugo would publish it; None for what Hugo does not list (drafts, headless, ...), NotAPost
        for a file that is no page of the posts' (a resource, an ignored file, another language's page)."""
        # Imported here: a run that finds nothing changed loads the rules and reads no post; the post reader and
        # the summaries' (lxml, the scanners) are not its to pay for.
        from feedpub.read.hugo import summaries
        from feedpub.read.post import Placed, make_post

        extension = os.path.splitext(path)[1]
        if extension not in CONTENT_EXTENSIONS:
            raise NotAPost  # Hugo copies it as a resource (its extensions are case-sensitive: page.MD is a file)
        if self._ignored(path):
            raise NotAPost
        where = self._dirs_by_path[posts_dir]
        page = _PagePath.of(path, where, self.config)
        if page.language not in where.languages:
            raise NotAPost  # a page of a language whose main sections are others, or one the site has turned off
        raw = read_file(path, posts_dir, settings.posts.max_bytes)
        text = decode(path, raw, functools.partial(_body_start, path), hugo_fences=True)
        metadata, body = split_front_matter(path, text)
        above = self._inherited(page, path)
        if above.draft and not self.config.build_drafts:
            return None  # Hugo publishes nothing below a draft section
        # What the sections above cascade to the page, where its own front matter says nothing.
        meta: dict[str, Any] = {**above.values, **lower_keys(metadata)}
        if (listing := self._listing(meta, page.bundle)) is None:
            return None
        config = self.config.for_language(page.language)  # the site's settings, as its language sets them
        tz = config.timezone
        found, named_by_date = self._dates(path, meta, page, git)
        date = found["date"]
        due, expires = found["publishdate"] or ZERO, found["expirydate"]
        # A section not yet published (or expired) hides what is below it until then (or from then).
        due = max(due, above.due) if above.due else due
        expires = min(expires, above.expires) if expires and above.expires else expires or above.expires
        multilingual = len(self.config.languages) > 1
        # Plain text, as Hugo's templates escape it (observed: `Vec<T> in Rust` is that in its feed, `Rock &amp; Roll`
        # shows "&amp;"): not HTML to reduce, as jekyll-feed's titles are.
        title = visible_title(as_text(meta.get("title")))
        if as_text(meta.get("url")).startswith(("http://", "https://")):
            # Hugo stops its whole build over it (observed: "URLs with protocol (http*) not supported").
            raise PostError(path, "its url starts with http:// or https://, which Hugo refuses; give a path like /x/")
        url = self._url(meta, page, date, named_by_date)
        if url in (self.config.base_url + lang.prefix for lang in self.config.languages):
            # Hugo writes a home page over it (observed: an untitled page under "/:title/"): no page of its own.
            raise PostError(path, "its URL is the home page's, which Hugo writes over it; give it a title, slug or url")
        self._check_aliases(settings, path, meta, self.config.language(page.language).prefix)
        categories, tags = config.term_keys
        return make_post(
            settings,
            path,
            raw,
            text,
            metadata,
            body,
            Placed(
                url=url,
                uri=self._encoded(url),
                # Hugo's own link where "#" or "?" makes it another (see hugo_permalink): the id its readers keep.
                feed_id=hugo_permalink(url, self.config.base_url) if "#" in url or "?" in url else "",
                # Hugo leaves a page without a title untitled; a feed entry needs one, and the file name says most.
                title=title or page.filename,
                # Hugo dates a page without a date 0001-01-01, which feed readers and RFC 822 dates mishandle:
                # such a post takes feedpub's fallback: the date the dates file kept for it, else its last
                # commit's, else the file's time.
                published=date or settings.dates.get(path) or file_date(path, git, tz),
                updated=found["lastmod"],
                categories=_terms(meta.get(categories)) if categories else (),
                tags=_terms(meta.get(tags)) if tags else (),
                bundle=Path(os.path.dirname(path)) if page.bundle else None,
                # A bundle under uglyURLs is the file posts/b1.html, its resources under posts/b1/ (observed; with
                # `url: /x/p.html` they are in /x/, beside it, as for any other page).
                resources_url=url.removesuffix(".html") + "/"
                if page.bundle and url.endswith(".html") and not as_text(meta.get("url"))
                else "",
                resources_served=_resources_published(meta),
                body_format="markdown" if extension in MARKDOWN_EXTENSIONS else "html",
                date_from_file=date is None and settings.dates.get(path) is None,
                summary=functools.partial(
                    summaries.summary,
                    meta,
                    body,
                    length=config.summary_length,
                    cjk=summaries.is_cjk_page(meta, text, config.has_cjk, is_true),
                    # Read off the text only where line breaks are no <br> (with hardWraps, each ends a sentence).
                    inline_tokens=None
                    if self.config.goldmark.hard_wraps
                    else functools.partial(goldmark.inline_tokens, options=self.config.goldmark),
                    footnotes=self.config.goldmark.footnote,
                ),
                # Published from publishDate (a zero one: at once, whatever `date` says) until expiryDate.
                due=ZERO if config.build_future else due,
                expires=None if config.build_expired else expires,
                language=page.language if multilingual else "",
                translation_key=self._translation_key(meta, page) if multilingual else "",
                listed=listing,
                weights=_weights(meta, categories, tags, title),
            ),
            images,
            keep_rendered,
            excerpts,
        )

    def writes_feed(self, name: str, head: bytes) -> bool:
        """Whether `name` is where Hugo writes a language's home RSS (its own template's, whatever it holds)."""
        return any(name == language.prefix + self.config.rss_name for language in self.config.languages)

    def editions(self) -> tuple[Edition, ...]:
        """Each language's feeds and sitemap, where Hugo serves that language's (its URL prefix)."""
        if len(self.config.languages) < 2:
            return ()
        return tuple(
            Edition(
                language=lang.key,
                code=lang.code,
                title=lang.title or self.config.title,
                folder=lang.prefix,
                description=self.config.description if lang.description is None else lang.description,
            )
            for lang in self.config.languages
        )

    @staticmethod
    def _translation_key(meta: Mapping[str, Any], page: _PagePath) -> str:
        """What a page's translations share: `translationKey`, else its path less the language (observed)."""
        if key := as_text(meta.get("translationkey")):
            return "key:" + key
        return "path:" + "/".join([*page.folders, page.filename])

    def _ignored(self, path: str) -> bool:
        """Whether Hugo leaves the file alone: a name starting with "#" (or "."), ending in "~" (editors' backups),
        or a path `ignoreFiles` matches (Hugo matches the whole file name)."""
        name = os.path.basename(path)
        if name.startswith(("#", ".")) or name.endswith("~"):
            return True
        if not self.config.ignore_files:
            return False
        full = os.path.abspath(path)
        return any(go_regexp(p).search(full) for p in self.config.ignore_files)

    def _inherited(self, page: _PagePath, path: str) -> _Inherited:
        """What the sections above the page give it: the front matter `cascade` sets (the site's, then each
        section's down to the page's: the nearer wins) where its `_target` takes the page in, and what keeps a
        section itself unpublished (a draft, a publishDate to come, an expiryDate), which Hugo applies to all below
        it."""
        if not self.branches and not self._site_cascades:
            return _Inherited({})  # most sites: nothing cascades, and no section above can hide a page
        above = self._branch(page.content_dir, page.folders, page.language)
        content = f"{page.content_dir}/"
        relative = path[len(content) :] if path.startswith(content) else os.path.relpath(path, page.content_dir)
        values = _cascaded(above.cascades, "page", "/" + relative, page.language)
        return _Inherited(values, above.draft, above.due, above.expires)

    def inherited_by(self, path: str) -> _Inherited:
        """What the sections above the page file at `path` (below one of the site's content folders) give it."""
        if not self.branches and not self._site_cascades:
            return _Inherited({})
        # The innermost content folder holding it (a language's may be inside another's).
        content = max(
            (lang.content_dir for lang in self.config.languages if path.startswith(f"{lang.content_dir}{os.sep}")),
            key=lambda folder: len(str(folder)),
        )
        first = os.path.relpath(path, content).split(os.sep)[0]
        where = PostsDir(content / first, content, _owner(self.config, content))
        return self._inherited(_PagePath.of(path, where, self.config), path)

    def _branch(self, content_dir: Path, folders: tuple[str, ...], language: str) -> _Branch:
        """What the section at `folders` (the home page at none) passes to the pages below it, in `language`: made
        from the one above it, once a run for each. Hugo builds a section as a page, with the cascades above it and
        its own (observed: a `_target` taking in posts/old/_index.md drafts that section, and Hugo renders nothing
        below it, posts/old/sub/s.md included)."""
        key = (content_dir, folders, language)
        if (made := self._sections_made.get(key)) is not None:
            return made
        above = self._branch(content_dir, folders[:-1], language) if folders else _Branch(self._site_cascades)
        folder = content_dir.joinpath(*folders)
        index = next((str(f) for f in _index_files(folder, language, content_dir, self.config) if f.is_file()), None)
        if len(folders) > 1 and index is None:
            made = above  # a folder without an _index below the first level is no section: Hugo makes none there
        else:
            meta = _branch_meta(index, self._kept[index], str(content_dir)) if index in self._kept else {}
            cascades = above.cascades + _cascades(meta.get("cascade"))
            # The section's own path, as a target's glob sees it: its _index file's, else its folder's (observed:
            # `path: /posts` drafts a posts/ without an _index file).
            where = "/" + (os.path.relpath(index, content_dir).replace(os.sep, "/") if index else "/".join(folders))
            # The home page too: Hugo renders nothing where it is a draft, due later or expired (observed; its
            # `_build: render: never` hides nothing).
            own = {**_cascaded(cascades, "section" if folders else "home", where, language), **meta}
            zone = self.config.for_language(language).timezone
            dates = dict(self.config.dates)
            due = _first_date(str(index or folder), own, dates["publishdate"], zone)
            ends = _first_date(str(index or folder), own, dates["expirydate"], zone)
            made = _Branch(
                cascades,
                above.draft or is_true(own.get("draft")),
                max(filter(None, (above.due, due)), default=None),
                min(filter(None, (above.expires, ends)), default=None),
                _rendered(own),
            )
        self._sections_made[key] = made
        return made

    def same_second_key(self, post: Post) -> tuple[Any, str]:
        """Where Hugo lists a page among those of its weight dated in the same second: by title as Go's collator
        compares them, then by file path (collation.py). Its `linkTitle`, which Hugo compares in place of the title,
        is not read: few pages have one."""
        written = post.weights.title if post.weights else ""
        return collation.sort_key(written or post.title), post.source

    def serves_home(self, language: str = "") -> bool:
        """Whether Hugo writes the home page of `language` ("": the default language)."""
        return self.config.language(language).key not in self.unbuilt_homes

    def home_stand_in(self, language: str = "") -> str:
        """The URL of the page a feed of `language` links where Hugo writes no home page: its main section's list
        page; "" where Hugo writes none of those either."""
        return dict(self.stand_ins).get(self.config.language(language).key, "")

    def home_stand_ins(self, now: datetime | None) -> tuple[tuple[str, str], ...]:
        """The languages whose home page Hugo does not write (unbuilt_homes) but their first main section's list
        page, with its URL, at `now` (observed: under the home's `_build: render: never`, public/posts/index.html is
        written). Only where that URL is plain: a section whose folder Hugo would lower-case or escape, or whose
        _index moves its page (`url`), is passed over, as is one Hugo does not write (a draft, due, expired, `render:
        never` or `disableKinds = ["section"]`)."""
        config = self.config
        if "section" in config.disabled_kinds:
            return ()
        found = {}
        for posts_dir in self.dirs:
            name = os.path.relpath(posts_dir.path, posts_dir.content_dir)
            if not _PLAIN_SECTION.fullmatch(name):
                continue
            for lang in config.languages:
                if lang.key not in self.unbuilt_homes or lang.key in found:
                    continue
                if lang.content_dir != posts_dir.content_dir or lang.key not in posts_dir.languages:
                    continue
                if self._writes_section(lang.key, posts_dir.content_dir, name, now):
                    page = f"{name}.html" if _ugly_in(config, lang, name) else f"{name}/"
                    found[lang.key] = f"{config.base_url}{lang.prefix}{page}"
        return tuple(sorted(found.items()))

    def _writes_section(self, language: str, content_dir: Path, name: str, now: datetime | None) -> bool:
        """Whether Hugo writes the list page of the first-level section `name`, at its plain URL, at `now`."""
        section = self._branch(content_dir, (name,), language)
        if not self._published_at(section, language, now):
            return False
        indexes = _index_files(content_dir / name, language, content_dir, self.config)
        index = next((str(f) for f in indexes if f.is_file()), None)
        meta = _branch_meta(index, self._kept[index], str(content_dir)) if index in self._kept else {}
        return section.rendered and not any(key.lower() == "url" for key in meta)

    def homes_not_built(self, now: datetime | None) -> frozenset[str]:
        """The languages whose home page Hugo 0.111.3 does not write at `now` (observed): every one under
        `disableKinds = ["home"]`; one whose home _index is a draft, due later or expired, by its own front matter or
        a cascade (Hugo then writes no page at all), or says `_build: render: never` (Hugo writes every page but the
        home). `inputs` is told of the dates compared with `now`."""
        config = self.config
        if "home" in config.disabled_kinds:
            return frozenset(lang.key for lang in config.languages)
        unbuilt = set()
        for lang in config.languages:
            home = self._branch(lang.content_dir, (), lang.key)
            if not self._published_at(home, lang.key, now) or not home.rendered:
                unbuilt.add(lang.key)
        return frozenset(unbuilt)

    def _published_at(self, branch: _Branch, language: str, now: datetime | None) -> bool:
        """Whether Hugo builds the section (or home) page `branch` of `language` at `now`, by its draft state and
        dates, its own and cascaded: not a draft, not due later, not expired, as that language's settings allow.
        `inputs` is told of the dates compared with `now`."""
        settings = self.config.for_language(language)
        self.inputs.moment(branch.due)
        self.inputs.moment(branch.expires)
        due = branch.due is not None and now is not None and branch.due > now and not settings.build_future
        expired = branch.expires is not None and now is not None and branch.expires <= now
        return not ((branch.draft and not self.config.build_drafts) or due or (expired and not settings.build_expired))

    def _listing(self, meta: Mapping[str, Any], bundle: bool) -> bool | None:
        """Whether Hugo writes the page (None: not; a draft, a headless bundle, `render: never`, outputs without
        HTML), and then whether it lists it in the site's feed and sitemap (False: `list: never`, `false` or
        `local`, which its terms' feeds show all the same)."""
        if bundle and is_true(meta.get("headless")):
            return None
        if not self.config.build_drafts and is_true(meta.get("draft")):
            return None
        if "html" not in (output_formats(meta.get("outputs")) or self.config.page_outputs):
            return None  # no HTML page: Hugo's feed links a JSON or RSS file, or one it never wrote (observed)
        # render: never leaves the page in feeds with an empty <link> and <guid>, render: link with a link to the
        # page it does not write (observed): no page, no post. `list` other than always keeps it out of the home
        # feed and the sitemap, and in its tags' feeds (observed, `never` too). Values are matched as written
        # ("Never" is nothing). `build` is newer Hugo's name for `_build`, which 0.111.3 ignores (observed): its
        # `render` is taken too, as a page one Hugo does not write must not be linked; its `list` is not, as
        # 0.111.3 lists the page.
        if not _rendered(meta):
            return None
        return _mapping(meta.get("_build")).get("list") not in _NOT_LISTED

    def _dates(
        self, path: str, meta: Mapping[str, Any], page: _PagePath, git: FileDates
    ) -> tuple[dict[str, datetime | None], bool]:
        """Each kind's date (date, publishdate, lastmod, expirydate), and whether `:filename` gave one of them
        (Hugo then takes the rest of the file name as the page's slug)."""
        found, named = {}, False
        # Each front matter key read once: by default `date` answers for three kinds (a third of reading a page).
        read: dict[str, datetime | None] = {}
        for kind, sources in self.config.dates:
            found[kind], source = self._date(path, meta, sources, page, read, git)
            named = named or source == ":filename"
        return found, named

    def _check_aliases(self, settings: ReadSettings, path: str, meta: Mapping[str, Any], prefix: str) -> None:
        """PostError for an alias at one of feedpub's files, or below one: Hugo writes its redirect page there, a
        folder (`aliases: ["/atom.xml/"]` or `["/atom.xml/x/"]` made the site's Atom feed go unwritten, and the build
        said nothing but a warning)."""
        from feedpub.read.post import own_file_taken  # as read_post imports the post reader: here, not at the top

        aliases = meta.get("aliases")
        for alias in aliases if isinstance(aliases, list) else [aliases] if isinstance(aliases, str) else ():
            text = as_text(alias)
            if not text:
                continue
            # An alias is below the site's root, or its language's without a leading "/" (as a url is).
            url = self.config.base_url + ("" if text.startswith("/") else prefix) + text.lstrip("/")
            if own := own_file_taken(url, settings):
                raise PostError(
                    path,
                    f"its alias {text} is where feedpub serves one of its own files ({own}), or below it; remove it, "
                    "or move it",
                    takes=own,
                )

    def _date(
        self,
        path: str,
        meta: Mapping[str, Any],
        sources: tuple[str, ...],
        page: _PagePath,
        read: dict[str, datetime | None],
        git: FileDates,
    ) -> tuple[datetime | None, str]:
        """The first date the [frontmatter] sources give, or None (Hugo's zero date); with the source that gave it.
        `read`: the front matter dates read so far for this page, by key."""
        tz = self.config.for_language(page.language).timezone
        for source in sources:
            if source == ":filename":
                if page.filename_date is not None:
                    return page.filename_date, source
            elif source == ":filemodtime":
                return datetime.fromtimestamp(os.stat(path).st_mtime, tz), source
            elif source == ":git":
                # The file's last commit's author date, at the author's offset, which `:year` and `:month` are
                # taken in (observed: authored 2023-07-31 23:30 -05:00 is /2023/07/ on a site in Asia/Seoul); a
                # file no commit has yet gives none.
                if (moment := git.authored(path)) is not None:
                    return moment, source
            else:
                if source not in read:
                    read[source] = front_matter_date(path, meta, source, tz, hugo_date)
                if (moment := read[source]) is not None:
                    return moment, source
        return None, ""

    def _url(self, meta: Mapping[str, Any], page: _PagePath, date: datetime | None, named_by_date: bool) -> str:
        """The page's permalink (an IRI) as Hugo 0.111.3 makes it, from its front matter (lower-case keys), its file,
        its date (None: Hugo's zero date), and whether `:filename` gave one of its dates (_dates)."""
        config = self.config
        language = self.config.language(page.language)
        # The title as written makes the URL (":title" of "C++ <fast>" is c-fast), not the plain one feeds show.
        title = as_text(meta.get("title"))
        # A name's date prefix leaves its slug only where :filename gave a date (observed: by default
        # 2024-02-03-x.md is /posts/2024-02-03-x/).
        slug = _slug(meta) or (page.filename_slug if named_by_date else "")
        base = config.base_url
        fixed = _front_matter_url(meta)
        if fixed:
            # Without a leading "/" it is under the page's language's folder (observed: `url: en/x.html` on an
            # English page is /en/en/x.html), with one at the site's root.
            folder = "" if fixed.startswith("/") else language.prefix
            return base + folder + _url_path(fixed)
        # The section is named as its folder is written, and Hugo lower-cases config keys: a [permalinks] pattern or
        # uglyURLs key is for an all-lower-case folder alone (observed: content/Posts/ keeps /posts/x/ under
        # `Posts = "/:year/:slug/"`; "my posts" is content/my posts/'s).
        section = page.folders[0] if page.folders else ""
        ugly = _ugly_in(config, language, section)
        pattern = _permalinks(config, language).get(section) if section else None
        if pattern is not None:
            # Only the names the pattern uses are urlized: each is a character-by-character pass.
            used = pattern_tokens(pattern)
            named = {
                "title": title,
                "slug": slug or title,
                "filename": page.index_name or page.filename,
                "slugorfilename": slug or page.index_name or page.filename,
                "section": page.folders[0] if page.folders else "",
            }
            urlized = {token: self._urlize(text) for token, text in named.items() if token in used}
            # The page's own names go through Hugo's URLize, its section's folder name does not.
            urlized = {token: text if token == "section" else url_escaped(text) for token, text in urlized.items()}
            sections = [self._urlize(name) for name in page.section_names(self.sections)] if "sections" in used else []
            # "." and ".." segments resolved before the page's file is named (observed: the slug "z/." is /2024/z/).
            path = _cleaned("/" + expand(pattern, urlized, date or ZERO, sections))
            if path.strip("/"):
                # A file with uglyURLs, else a folder, whatever the last segment looks like (observed: "/:filename"
                # and "/:filename/" alike; "/:filename.html" is the folder x.html/, or with uglyURLs x.html.html).
                path = path.rstrip("/") + (".html" if ugly else "/")
            # Hugo lower-cases the whole path, the pattern's own letters and what its escapes decode to included
            # (observed: "/Blog/:monthname/:title/" with the title "X %C3%84" is /blog/january/x-ä/). Dots its
            # escapes decode to are resolved too (a slug "%2e%2e" under "/:year/:slug/" is the home page).
            path = _cleaned(settle(path))
        else:
            # Every folder the file is in, sections or not: posts/2024/hello.md is /posts/2024/hello/. Taken as
            # written, no escape decoded (observed: c+d.md is /posts/c+d/, slug "p%41q" /posts/p%41q/).
            names = [*page.folders, slug or page.filename]
            path = _cleaned(merge_slashes("/" + "/".join(self._urlize(name, trim=False) for name in names) + "/"))
            if ugly and path != "/":
                path = path.rstrip("/") + ".html"
        return base + language.prefix + (lower(path) if config.lower_paths else path).lstrip("/")

    def same_pages(self, paths: Sequence[str]) -> list[list[str]]:
        """The groups of two or more page files that are one page to Hugo: the same name (less its extension and
        language) in the same folder and language, a leaf bundle's folder counting as its name.

        Hugo publishes one of them (observed: not by a rule of names or suffixes), so the caller publishes none and
        says why. Grouped by a cheap key first (folder and name before the first "."): nearly every site has no
        two files sharing one, and the language-aware key is asked of those alone.
        """
        rough: dict[str, list[str]] = {}
        for path in paths:
            folder, _, name = path.rpartition("/")
            stem = name.split(".", 1)[0]
            rough.setdefault(folder if stem == "index" else f"{folder}/{stem}", []).append(path)
        groups: list[list[str]] = []
        for candidates in rough.values():
            if len(candidates) < 2:
                continue
            exact: dict[tuple[str, tuple[str, ...], str], list[str]] = {}
            for path in candidates:
                if (index := posts_dir_index(path, self.posts_dirs)) is not None:
                    page = _PagePath.of(path, self.dirs[index], self.config)
                    exact.setdefault((page.language, page.folders, page.filename), []).append(path)
            groups.extend(sorted(group) for group in exact.values() if len(group) > 1)
        return groups

    def term_folder(self, kind: str, term: str, language: str = "") -> str:
        """Where Hugo serves a category's or tag's page and feed, under the language's folder ("": the default
        language): where the term's own _index file puts it (_term_urls), else the taxonomy's [permalinks] pattern
        made with the term (`/topic/:slug/` is topic/go-rust for "Go & Rust"), else the taxonomy's folder and the
        urlized term (tags/go-rust).
        """
        name = self._urlize(term)
        language_of_term = self.config.language(language)
        wanted = (kind, name, language_of_term.key)
        if moved := next((folder for *of, folder in self.term_urls if tuple(of) == wanted), None):
            return moved
        return _term_folder(self.config, kind, language_of_term, name)

    def _urlize(self, text: str, trim: bool = True) -> str:
        config = self.config
        return urlize(text, to_lower=config.lower_paths, remove_accents=config.remove_accents, trim=trim)


@dataclass(frozen=True)
class _ContentFolder:
    """A content folder's page files and folders, each by its path below the folder in lower case (Hugo matches a
    reference so: `relref "Posts/Bund"` is posts/bund/index.md, `relref "other.md"` posts/Other.md), to its path
    as written."""

    path: Path
    files: dict[str, str]  # the files with a content extension: "posts/other.md" -> "posts/Other.md"
    # A file named for a language, by its path without the language (b.ko.md by "b.md"): the first language's.
    translated: dict[str, str]
    folders: dict[str, str]  # "." the content folder itself

    @classmethod
    def of(cls, content: Path, keys: Sequence[str]) -> _ContentFolder:
        """The folder `content` read at once, `keys` the site's languages, in order."""
        files: dict[str, str] = {}
        ranked: dict[str, tuple[int, str]] = {}
        folders = {".": "."}
        for parent, names_of_folders, names in bounded_walk(content):
            inside = os.path.relpath(parent, content).replace(os.sep, "/")
            prefix = "" if inside == "." else inside + "/"
            for name in names_of_folders:
                folders.setdefault(lower(prefix + name), prefix + name)
            for name in names:
                stem, extension = os.path.splitext(prefix + name)
                if extension.lower() not in CONTENT_EXTENSIONS:
                    continue
                files.setdefault(lower(prefix + name), prefix + name)
                base, _, suffix = stem.rpartition(".")
                if base and suffix in keys:
                    unnamed, rank = lower(base + extension), (keys.index(suffix), prefix + name)
                    ranked[unnamed] = min(ranked.get(unnamed, rank), rank)
        return cls(content, files, {key: written for key, (_, written) in ranked.items()}, folders)

    def page(self, relative: str, *, any_language: bool = False) -> str | None:
        """The page file at `relative` (normalised, in lower case), or where `any_language`, the one of a language
        at it (`posts/b.md`: posts/b.ko.md); None where there is none, or it leads out of the folder."""
        for table in (self.files, self.translated) if any_language else (self.files,):
            if (written := table.get(relative)) is not None and within(self.path, self.path / written):
                return str(self.path / written)
        return None

    def folder(self, relative: str) -> str | None:
        """The folder at `relative` (normalised, in lower case); None where there is none, or it leads out."""
        if (written := self.folders.get(relative)) is not None and within(self.path, self.path / written):
            return str(self.path / written)
        return None


def _path_ends(path: str) -> set[str]:
    """The ends of a path that begin a name: "a/b/c" is "c", "b/c" and "a/b/c" ("" has none)."""
    parts = path.split("/") if path else []
    return {"/".join(parts[i:]) for i in range(len(parts))}


# A section folder whose name is its page's URL as Hugo writes it: nothing lower-cased, escaped or made a slug.
_PLAIN_SECTION = re.compile(r"[a-z0-9_-]+")
_JSON_OPENING = re.compile(r"[\ufeff \t\r\n]*\{")
# Hugo decodes JSON front matter with Go's encoding/json, which makes every number a float64: `"date": 1704238200`
# is no date to it (cast takes whole numbers of Go's int types alone; observed: the page is dated 0001-01-01),
# `"draft": 1` is no draft, and a slug of 3 or 3.0 prints "3" (GoFloat), where YAML and TOML keep integers.
_JSON_FRONT_MATTER = json.JSONDecoder(parse_int=GoFloat, parse_float=GoFloat)


_OTHER_PAGE_BYTES = 1 << 20  # what is read of a page other than the one being read: its front matter is near the start


@functools.lru_cache(maxsize=64)
def _site_params(params_json: str) -> Mapping[str, Any]:
    """A language's params (HugoConfig.params_json), decoded once a site (for each of its languages)."""
    return json.loads(params_json)  # type: ignore[no-any-return]


def _other_page_front_matter(path: str, folder: Path, raw: bytes | None = None) -> Mapping[str, Any]:
    """The front matter of a page read for another's sake (a reference's target, a section's or a term's _index),
    through the safe open below `folder`; `raw`: its bytes, when the caller has them. Raises OSError, ValueError
    or FeedpubError as the reading steps do."""
    raw = read_file(path, folder, _OTHER_PAGE_BYTES) if raw is None else raw
    return split_front_matter(path, decode(path, raw, functools.partial(_body_start, path), hugo_fences=True))[0]


def _body_start(path: str, text: str) -> int:
    """Where a page's body begins in its text (decode: Hugo shows a body's invalid bytes of UTF-8 as U+FFFD)."""
    return len(text) - len(split_front_matter(path, text)[1])


def split_front_matter(path: str, text: str) -> tuple[Mapping[str, Any], str]:
    """A page's front matter and body: YAML or TOML between fences, or (Hugo's third form) a JSON object the
    text opens with."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith(("---", "+++")) and stripped is not text:
        # Hugo reads front matter after blank lines too (observed: hugoDocs' release notes open with "\n---"),
        # where a Jekyll post's must open the file; read without them, errors told at the file's own lines.
        try:
            return _split_as_hugo(path, stripped)
        except PostError as error:
            if error.line is None:
                raise
            raise PostError(path, error.reason, error.line + text.count("\n", 0, len(text) - len(stripped))) from None
    if not _JSON_OPENING.match(text):
        return _split_as_hugo(path, text)
    try:
        data, end = _JSON_FRONT_MATTER.raw_decode(stripped)
    except (ValueError, RecursionError) as error:
        raise PostError(path, f"front matter is not valid JSON: {one_line(str(error))}") from None
    if not isinstance(data, dict):
        raise PostError(path, "front matter must be a mapping of keys to values")
    if nested_deeper(data, MAX_NESTING):  # JSON has no aliases: only its depth is bounded (a GPS track has 8,000)
        raise PostError(path, NESTED_TOO_DEEPLY)
    return data, stripped[end:]


def _split_as_hugo(path: str, text: str) -> tuple[Mapping[str, Any], str]:
    """`split`, with YAML front matter ended where Hugo ends it: at a line of "---". feedpub's split ends it at a
    "..." line too (as Jekyll does); Hugo reads on to the next "---" line (its YAML reader takes the first document:
    the same keys), and where none follows it stops its whole build (observed: "EOF looking for end YAML front
    matter delimiter"), so the page is refused."""
    meta, body = split(path, text, "go-yaml")
    if not text[: len(text) - len(body)].rstrip(" \t\r").endswith("..."):
        return meta, body  # most pages: closed by "---" (or "+++"), or without front matter
    if (closing := YAML_FENCE.search(body)) is None:
        raise PostError(
            path,
            "its front matter ends at a '...' line, which Hugo does not read as its end: with no '---' line after "
            "it, Hugo stops its whole build over this file; end the front matter with '---'",
        )
    return meta, body[closing.end() :]


@dataclass(frozen=True)
class _Inherited:
    """What a page takes from the sections above it (HugoRules._inherited)."""

    values: dict[str, Any]
    draft: bool = False
    due: datetime | None = None  # the latest publishDate of a section above
    expires: datetime | None = None  # the earliest expiryDate of a section above


def _first_date(path: str, meta: Mapping[str, Any], sources: tuple[str, ...], tz: Any) -> datetime | None:
    """The first front matter date of `sources` (their ":" tokens are a page's, not a section's); None if none
    can be read (Hugo would stop; a section's bad date hides nothing here)."""
    for source in sources:
        if source.startswith(":"):
            continue
        try:
            if (moment := front_matter_date(path, meta, source, tz, hugo_date)) is not None:
                return moment
        except PostError:
            return None
    return None


@functools.cache
def _site_cascade(text: str) -> object:
    return json.loads(text)


@dataclass(frozen=True)
class _Cascade:
    """One `cascade` entry as Hugo 0.111.3 keeps it (its PageMatcher): the values it gives, and the globs of its
    `_target`, lower-cased (an empty one takes every page in)."""

    values: Mapping[str, Any]
    path: str = ""
    kind: str = ""
    lang: str = ""
    environment: str = ""

    def reaches(self, kind: str, path: str, language: str) -> bool:
        """Whether the entry gives its values to a page of `kind` ("page", "section", "home") whose file is at
        `path` from its content folder ("/posts/a.md", its extension kept: observed, "/posts/a" takes in no page)
        in `language`. Hugo builds with the production environment."""
        asked = ((self.path, path), (self.kind, kind), (self.lang, language), (self.environment, ENVIRONMENT))
        return all(not glob or _glob_matches(glob, text) for glob, text in asked)


@dataclass(frozen=True)
class _Branch:
    """What a section (the home page too) passes to the pages below it (HugoRules._branch)."""

    cascades: tuple[_Cascade, ...]  # the site's first, the section's own last
    draft: bool = False
    due: datetime | None = None  # the latest publishDate of the sections down to it
    expires: datetime | None = None  # the earliest expiryDate of the sections down to it
    rendered: bool = True  # whether Hugo writes the section's own page (`_build: render`): not passed below


def _cascades(value: object) -> tuple[_Cascade, ...]:
    """`cascade` as Hugo 0.111.3 reads it (page.DecodeCascade). A list of entries (TOML's [[cascade]]): each taken
    to the pages its `_target` takes in; entries of the same target are one, the first giving the keys they share
    (observed: `draft: true` then `draft: false` drafts); date keys are read only in lower case (observed: `-
    publishDate: 2030-01-01` is ignored there, `- publishdate:` applies). A mapping: Hugo reads no `_target` in it,
    and it reaches every page (observed: `[cascade] draft = true` with `[cascade._target] path = "/posts/old/**"`
    drafts every page, the section holding it too); it takes date keys in any case."""
    if isinstance(value, Mapping):
        return (_Cascade({key: item for key, item in lower_keys(value).items() if key != "_target"}),)
    if not isinstance(value, list):
        return ()
    merged: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for entry in value:
        if not isinstance(entry, Mapping):
            continue
        written = {k: v for k, v in entry.items() if k == str(k).lower() or str(k).lower() not in DATE_KEYS}
        values = {key: item for key, item in lower_keys(written).items() if key != "_target"}
        target = _target_globs(entry.get("_target"))
        merged[target] = {**values, **merged.get(target, {})}
    return tuple(_Cascade(values, *target) for target, values in merged.items())


def _target_globs(value: object) -> tuple[str, str, str, str]:
    """A `_target`'s path, kind, lang and environment globs, in lower case as Hugo compares them; its keys in any
    case (Hugo decodes it with mapstructure: observed, `Path:` is read)."""
    if not isinstance(value, Mapping):
        return "", "", "", ""
    fields = {str(key).lower(): as_text(item).lower() for key, item in value.items()}
    return fields.get("path", ""), fields.get("kind", ""), fields.get("lang", ""), fields.get("environment", "")


def _cascaded(cascades: Sequence[_Cascade], kind: str, path: str, language: str) -> dict[str, Any]:
    """The values `cascades` give a page (_Cascade.reaches): the nearer section's over the farther's."""
    values: dict[str, Any] = {}
    for cascade in cascades:
        if cascade.reaches(kind, path, language):
            values.update(cascade.values)
    return values


def _glob_matches(glob: str, text: str) -> bool:
    """Whether the gobwas glob `glob` (lower case) matches `text` in any case, as Hugo's `_target` matching; a glob
    gobwas refuses matches everything (Hugo ignores its error: observed, `path: "/posts/[m"` drafts the site)."""
    compiled = _glob(glob)
    return compiled is None or compiled.fullmatch(text.lower()) is not None


@functools.cache
def _glob(pattern: str) -> Any:
    """A `_target` glob as gobwas/glob (Hugo's) reads it with "/" as separator, compiled by RE2 to match in linear
    time (twenty `**` before a letter backtracked in Python's re past each page's 10 s); None where gobwas refuses
    it. `*` and `?` stay within a folder, `**` crosses folders, `[abc]`, `[a-z]` and `[!...]` are one character ("/"
    too: observed), `{a,b}` one of its (nested) alternatives, and "\\" makes the next character itself. As its
    lexer reads them: a class is a single range or a list of characters, "," and "}" outside braces are themselves,
    a "\\" at the end is dropped, braces left open close at the end (observed: `/posts/{m.md` takes in m.md).
    Known difference: gobwas fails to match some alternatives holding a wildcard followed by more pattern
    (`{a*,m}.md` takes in no "ab.md"; observed), which match here."""
    out = ["(?s)"]
    depth = at = 0
    while at < len(pattern):
        char = pattern[at]
        at += 1
        if char == "\\":
            out.append(pattern[at : at + 1].translate(_GO_LITERAL))
            at += 1
        elif char == "*" and pattern.startswith("*", at):
            out.append(".*")
            at += 1
        elif char in "*?":
            out.append("[^/]*" if char == "*" else "[^/]")
        elif char == "[":
            if (klass := _glob_class(pattern, at)) is None:
                return None
            written, at = klass
            out.append(written)
        elif char == "{":
            depth += 1
            out.append("(?:")
        elif char in ",}" and depth:
            depth -= char == "}"
            out.append("|" if char == "," else ")")
        else:
            out.append(char.translate(_GO_LITERAL))
    return go_regexp("".join(out) + ")" * depth)


def _glob_class(pattern: str, at: int) -> tuple[str, int] | None:
    """The RE2 class of the gobwas class whose "[" ends before `at`, and where the glob goes on; None where gobwas
    refuses it (empty, a reversed range, not closed: observed, Hugo then drafts the whole site)."""
    negated = pattern.startswith("!", at)
    at += negated
    if pattern.startswith("-", at + 1):  # one range, "]" right after it
        low, high = pattern[at], pattern[at + 2 : at + 3]
        if not high or low > high or not pattern.startswith("]", at + 3):
            return None
        chars, at = f"{_class_char(low)}-{_class_char(high)}", at + 4
    else:
        listed = []
        while at < len(pattern) and pattern[at] != "]":
            escaped = pattern[at] == "\\"
            listed.append(pattern[at + escaped : at + escaped + 1])
            at += 1 + escaped
        if at >= len(pattern) or not "".join(listed):
            return None
        chars, at = "".join(map(_class_char, "".join(listed))), at + 1
    return ("[^" if negated else "[") + chars + "]", at


def _class_char(char: str) -> str:
    """A character inside an RE2 class, by its code: nothing in it reads as the class's syntax."""
    return f"\\x{{{ord(char):x}}}"


# Every ASCII character but letters and digits escaped, as RE2 reads them: punctuation after "\\", the others
# (control characters, space) by their code.
_GO_LITERAL = str.maketrans(
    {
        chr(c): ("\\" + chr(c)) if chr(c).isprintable() and c != 32 else f"\\x{{{c:02x}}}"
        for c in range(128)
        if not chr(c).isalnum()
    }
)


def _index_files(folder: Path, language: str, content_dir: Path, config: HugoConfig) -> Iterator[Path]:
    """The files that may be `folder`'s _index for `language`, in Hugo's order: `_index.<language>.md`, or
    `_index.md` where the language's own files are unsuffixed in `content_dir` (_owner: in a shared content folder,
    the default language's alone; observed: a Korean page below an English-only draft _index.md is published)."""
    unsuffixed = language == _owner(config, content_dir)
    for extension in CONTENT_EXTENSIONS:
        yield folder / f"_index.{language}{extension}"
        if unsuffixed:
            yield folder / f"_index{extension}"


_BRANCH_META: dict[tuple[str, str], dict[str, Any]] = {}  # an _index file's front matter, by path and digest


def _branch_meta(path: str, digest: str, content: str) -> dict[str, Any]:
    """An _index file's front matter, lower-cased; {} when it cannot be read (Hugo would stop; feedpub ignores it)."""
    key = (path, digest)
    if key not in _BRANCH_META:
        try:
            data = _other_page_front_matter(path, Path(content))
            meta = lower_keys(data)
            # The cascade as written: which of its keys apply depends on their case (_cascades).
            meta["cascade"] = next((v for k, v in data.items() if str(k).lower() == "cascade"), None)
            _BRANCH_META[key] = meta
        except (OSError, ValueError, FeedpubError):
            _BRANCH_META[key] = {}
    return _BRANCH_META[key]


def _weights(meta: Mapping[str, Any], categories: str | None, tags: str | None, title: str) -> Weights | None:
    """Where Hugo lists the page (models.Weights): its `weight`, cascaded to it or its own, and its taxonomies'
    `<plural>_weight` (observed: `tags_weight` orders a tag's feed, the page's `weight` every feed), and its title
    as written where `title` (the post's) is not that; None when all are 0 and the title is the post's, as for
    most pages."""
    written = meta.get("title")
    weights = Weights(
        go_int(meta.get("weight")),
        go_int(meta.get(f"{categories}_weight")) if categories else 0,
        go_int(meta.get(f"{tags}_weight")) if tags else 0,
        written if isinstance(written, str) and written != title else "",
    )
    return weights if any(weights) else None


def _slug(meta: Mapping[str, Any]) -> str:
    """The front matter `slug` as written: its white space makes the URL (observed: "  x" is /posts/-x/ without a
    permalink pattern)."""
    value = meta.get("slug")
    text = value if isinstance(value, str) else as_text(value)
    return text if text.strip() else ""


def _terms(value: Any) -> tuple[str, ...]:
    """A taxonomy's terms as Hugo takes them: a list's items, or any other value as one term (observed: `tags:
    "Go Rust"` is the term "Go Rust", at /tags/go-rust/; Jekyll would split it in two)."""
    return as_terms(value if isinstance(value, list) or value is None else [value])


def _rendered(meta: Mapping[str, Any]) -> bool:
    """Whether Hugo writes the page whose front matter (with what is cascaded to it) is `meta`: not under a `render`
    of never, link or false in `_build`, or in `build` (newer Hugo's name, which 0.111.3 ignores: a page newer ones
    do not write must not be linked either)."""
    build, newer = (_mapping(meta.get(key)) for key in ("_build", "build"))
    return build.get("render", newer.get("render")) not in _NOT_RENDERED


def _mapping(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _resources_published(meta: Mapping[str, Any]) -> bool:
    """Whether Hugo copies a bundle's files beside its page: not under `_build: {publishResources: false}`
    (observed: public/posts/b/ holds index.html alone, and its cover.jpg is a 404). Newer Hugo's `build` too,
    which 0.111.3 ignores: an image left out costs less than a link to a file that may not be there."""
    for key in ("_build", "build"):
        if key not in meta:
            continue  # most pages set neither
        settings = {str(name).lower(): value for name, value in _mapping(meta.get(key)).items()}
        value = settings.get("publishresources")
        if value is False or (isinstance(value, str) and value.lower() == "false"):
            return False
    return True


# `_build` values that leave a page out of Hugo's pages (render), or of its site-wide lists (_listing), as written.
_NOT_RENDERED = (False, "never", "link")
_NOT_LISTED = (False, "never", "local")
# The [permalinks] tokens a taxonomy's pattern fills from the term's name and its taxonomy (observed: :title and
# :slug are the urlized term, :section and :sections the taxonomy's folder).
_TERM_TOKENS = frozenset(("title", "slug", "section", "sections"))


def _cleaned(path: str) -> str:
    """A page's URL path as Hugo writes the page: "." and ".." segments resolved, slashes merged, a trailing "/"
    kept (observed: the slug "../up" under /posts/ is /up/, "x/../y" is /posts/y/, "./dot" /posts/dot/)."""
    if "/." not in path and "//" not in path:
        return path  # nearly every path: nothing to clean
    cleaned = "/" + posixpath.normpath(path).lstrip("/")
    return cleaned + "/" if path.endswith("/") and cleaned != "/" else cleaned


def _front_matter_url(meta: Mapping[str, Any]) -> str:
    """A page's `url` as written: its white space is a character of the path (observed: `/x\u00a0y/` is served at
    /x%C2%A0y/, where as_text made it a space, and nothing was served)."""
    value = meta.get("url")
    # Spaces at its ends too (observed: `"/about/ "` is /about/%20/).
    return strip_xml_invalid(value) if isinstance(value, str) else as_text(value)


def _url_path(fixed: str) -> str:
    """The path a front matter `url` serves its page at, below the site: taken literally (no urlize), cleaned as Hugo
    cleans it (observed: "/a//b/" is /a/b/, "/c/../d/" is /d/, "/../../x/" is /x/); a folder, ending in "/", when
    it is written ending so or has no "." anywhere (observed: `/notes/node.js/` is notes/node.js/index.html,
    `/notes/.` the file notes, `/v1.2/notes` the file notes in v1.2/)."""
    path = posixpath.normpath("/" + fixed).lstrip("/")
    # File or folder as written, before the cleaning: "/notes/." is the file notes (observed).
    folder = fixed.endswith("/") or "." not in fixed
    return path + "/" if folder and path else path


@dataclass(frozen=True)
class _PagePath:
    """Where a page file sits: its folders below the content folder, its name, language and bundle."""

    content_dir: Path
    folders: tuple[str, ...]  # of the page itself (a leaf bundle's folder excluded)
    filename: str  # without extension or language; a leaf bundle's folder name
    language: str
    bundle: bool
    filename_date: datetime | None  # a YYYY-MM-DD- prefix, for the :filename date source
    filename_slug: str  # what follows that prefix: the slug such a page gets
    # A leaf bundle's index named with a suffix that is no language of the site (index.ko.md on a site without
    # Korean): still the bundle's page, in its folder's place, but `:filename` gives "index.ko" (observed).
    index_name: str = ""

    @classmethod
    def of(cls, path: str, where: PostsDir, config: HugoConfig) -> _PagePath:
        # The scan joins names to the posts folder with "/", and that folder is the content folder or below it:
        # cut the prefix off (relpath and Path.parts were a tenth of reading a post).
        content = f"{where.content_dir}/"
        relative = path[len(content) :] if path.startswith(content) else os.path.relpath(path, where.content_dir)
        parts = tuple(part for part in relative.split("/") if part and part != ".")
        stem = os.path.splitext(parts[-1])[0]
        language = where.language
        base = stem.rpartition(".")[0]
        if named := _named_language(stem, config):
            stem, language = base, named
        folders = parts[:-1]
        # Any "index.*" file below the posts folder is a leaf bundle's page (the scan takes it as one too).
        bundle = (stem == "index" or base == "index") and os.path.dirname(path) != str(where.path)
        index_name = stem if bundle and stem != "index" else ""
        if bundle:
            stem, folders = folders[-1], folders[:-1]
        filename_date, filename_slug = _filename_date(stem, config.for_language(language).timezone)
        return cls(where.content_dir, tuple(folders), stem, language, bundle, filename_date, filename_slug, index_name)

    def section_names(self, sections: frozenset[tuple[str, str]]) -> list[str]:
        """The page's sections, outermost first: the first folder always, and every folder down to the deepest
        that holds an _index of the page's language (observed: posts/deep/er/leaf.md, with an _index in er/ only,
        is at /posts/deep/er/leaf/ under "/:sections/:filename/": Hugo makes deep/ a section on the way; with
        er/_index.ko.md alone, it is at /posts/deep/leaf/ in English).

        A page whose own section is a first folder without an _index file has an empty name after it, as Hugo's
        section entries do (observed: `:sections[last]` gives its pages nothing there and the folder's name where
        it has an _index; `:sections[:last]` the other way round).
        """
        depth = next(
            (
                depth
                for depth in range(len(self.folders), 1, -1)
                if (str(self.content_dir.joinpath(*self.folders[:depth])), self.language) in sections
            ),
            1,
        )
        names = list(self.folders[:depth])
        if len(names) == 1 and (str(self.content_dir / names[0]), self.language) not in sections:
            names.append("")
        return names


# Hugo's canonifyURLs (observed with 0.111.3): a src, href or srcset value starting with one "/" is written from
# baseURL, "/about/" on https://x.kr/blog/ as https://x.kr/blog/about/; "//host/x" and relative ones are left.
_ROOT_RELATIVE = re.compile(r"""(\s(?:src|href)=(["']))/(?!/)""")
_SRCSET = re.compile(r"""(\ssrcset=(["']))([^"']*)""")
_SRCSET_ROOT_RELATIVE = re.compile(r"(^|,\s*)/(?!/)")


def canonified(html: str, base_url: str) -> str:
    """`html` with its root-relative URLs written from `base_url` (ending in "/"), as canonifyURLs writes them:
    made absolute against the host instead, each was a link to a page the site does not have."""
    if "/" not in html:
        return html
    html = _ROOT_RELATIVE.sub(lambda found: found.group(1) + base_url, html)
    return _SRCSET.sub(
        lambda found: found.group(1) + _SRCSET_ROOT_RELATIVE.sub(lambda part: part.group(1) + base_url, found.group(3)),
        html,
    )


class _UnreadCommits:
    """The FileDates of a page another one refers to: its file's commits are not read for it."""

    def get(self, path: str) -> int | None:
        raise LookupError(path)

    def authored(self, path: str) -> datetime | None:
        raise LookupError(path)


_UNREAD_COMMITS = _UnreadCommits()


def _named_language(stem: str, config: HugoConfig) -> str:
    """The language a content file's name (less its extension) ends with, as Hugo reads it: a key of one of the
    site's languages (a disabled one's too) after its last "."; "" where it names none, and the file is in the
    language of its content folder's unsuffixed files (_owner)."""
    base, _, suffix = stem.rpartition(".")
    # Only a lower-case suffix names a language (Hugo 0.111.3: hi.EN.md is the default language's "hi.en"; so is
    # posts/_index.fr.md on a site without French, which makes posts/ a section of the default language).
    return suffix if base and suffix in config.language_keys else ""


def _file_language(name: str, owner: str, config: HugoConfig) -> str:
    """The language of a content file by its name (with its extension); `owner`: its content folder's (_owner)."""
    if name.count(".") < 2:
        return owner  # no "." before the extension's: nothing to name a language (every run asks of every page)
    return _named_language(os.path.splitext(name)[0], config) or owner


def _owner(config: HugoConfig, content: Path) -> str:
    """The language of a content folder's unsuffixed files (a shared folder's: the default language, the first)."""
    return next(lang.key for lang in config.languages if lang.content_dir == content)


def load_rules(source: Path, site: Site, now: datetime | None = None) -> HugoRules:
    """Hugo's rules as `source`'s configuration sets them; ConfigError when it cannot be read. `now`: the build's
    time, which decides what Hugo publishes when it picks the main section itself."""
    if not source.is_dir():
        raise ConfigError(f"posts.source: {source} is not a folder; name the Hugo site's folder")
    inputs = Inputs()
    config = load_config(source, inputs, site.posts.baseurl)
    address = GeneratorAddress(
        where="posts.baseurl" if site.posts.baseurl is not None else "the Hugo config's baseURL",
        config_setting="baseURL in the Hugo config",
        command="hugo --baseURL",
        baseurl=site.url,
    )
    check_site_url(site.url, site_url_of(config.base_url), config.base_url, address, site.config_file)
    _check_pages_made(config, site, source)
    content_dirs = list(dict.fromkeys(lang.content_dir for lang in config.languages))
    sections, pages = _walk_content(content_dirs, config, now, inputs)
    folders = {folder for folder, _ in sections}
    # Every section's _index that may give the pages below it something: which pages Hugo builds, and so which
    # section has the most, depends on what they cascade. The posts keep those above or in their folders.
    every_branch = _branches(folders, content_dirs, config, inputs)
    counting = HugoRules(config=config, dirs=(), sections=frozenset(sections), branches=every_branch, inputs=inputs)
    main = _main_sections(config, content_dirs, pages, now, inputs, counting.inherited_by)
    chosen = dict.fromkeys(section for language_main in main.values() for section in language_main)
    if len(chosen) > 1:
        # The whole content folder (".") is a language's whose sections have no page Hugo publishes: beside other
        # languages' sections, it would hold them again, and adds none of its pages but those at its root.
        chosen.pop(".", None)
    dirs = []
    for content in content_dirs:
        # Read where it is a main section of a language whose content folder it is; its pages named for another
        # language whose main section it is too are that language's posts (content/en/blog/x.ko.md is Korean).
        users = {lang.key for lang in config.languages if lang.content_dir == content}
        for section in chosen:
            folder = content / section if section != "." else content
            languages = frozenset(key for key, language_main in main.items() if section in language_main)
            if languages & users and folder.is_dir():  # a section one language has and another has not
                dirs.append(PostsDir(folder, content, _owner(config, content), languages))
    posts_dirs = [d.path for d in dirs]
    if config.dates_from_commits:
        inputs.refuse("pages may be dated by their last commits: a commit moves them with no file changing")
    rules = HugoRules(
        config=config,
        dirs=tuple(dirs),
        sections=frozenset(sections),
        branches=tuple(branch for branch in every_branch if _above_or_in(Path(branch[0]).parent, posts_dirs)),
        term_urls=_term_urls(config, folders, {name for _, name in site.own_files()}, inputs),
        head=head_commit(source) if config.dates_from_commits else "",
        inputs=inputs,
        config_warnings=example_address_warnings(site_url_of(config.base_url), address),
    )
    rules = replace(rules, unbuilt_homes=rules.homes_not_built(now))
    return replace(rules, stand_ins=rules.home_stand_ins(now))


def _main_sections(
    config: HugoConfig,
    content_dirs: list[Path],
    pages: Mapping[str, Mapping[str, list[str]]],
    now: datetime | None,
    inputs: Inputs,
    inherited_by: Callable[[str], _Inherited],
) -> dict[str, tuple[str, ...]]:
    """Each language's main sections, as Hugo 0.111.3 picks them for each (observed): its params' mainSections,
    else the site's, else its own section with the most pages Hugo publishes (`pages`: _walk_content's), with what
    the sections above each page give it (`inherited_by`: a cascaded draft is not counted)."""
    main = {}
    for language in config.languages:
        settings = config.for_language(language.key)
        # The configured main sections that are folders of some content folder; none (a language's contentDir that
        # is itself "content/ko/post", with mainSections = ["post"]: Hugo builds, and feedpub stopped over a missing
        # content/ko/post/post): as if none were configured.
        named = tuple(
            s
            for s in settings.main_sections
            if _names_a_section(s) and any((content / s).is_dir() for content in content_dirs)
        )
        listed = functools.partial(_listed_below, settings, now, inputs, inherited_by)
        main[language.key] = named or _most_pages(pages.get(language.key, {}), listed)
    return main


def _names_a_section(name: str) -> bool:
    """Whether a mainSections entry names a section folder: Hugo matches it against each page's section, the name
    of its first-level folder (observed with 0.111.3), so one with a "/" ("/home/x", "../..", "posts/sub") or
    ".." is no section's, and has no page. Taken as a folder, such a name published files from anywhere on the
    machine ("/" walked the whole disk). "" and "." would be the whole content folder (Hugo's "" is its root pages
    alone): passed over as well."""
    return "/" not in name and name not in ("", ".", "..")


def _ugly_in(config: HugoConfig, language: Language, section: str) -> bool:
    """Whether `uglyURLs` (the language's, else the site's) puts the pages of `section` at x.html, not x/: its own
    list page too (observed: public/posts.html)."""
    ugly_urls = config.ugly_urls if language.ugly_urls is None else language.ugly_urls
    return ugly_urls is True or (isinstance(ugly_urls, tuple) and section in ugly_urls)


def _permalinks(config: HugoConfig, language: Language) -> dict[str, str]:
    """The [permalinks] patterns of a language's pages and terms, by section or taxonomy: its own where it sets
    them (they replace the site's), else the site's."""
    return dict(config.permalinks if language.permalinks is None else language.permalinks)


def _term_pattern(config: HugoConfig, kind: str, language: Language) -> str | None:
    """The [permalinks] pattern of the taxonomy that is `kind` in `language`, where its terms' pages follow one.

    Looked up as [taxonomies] writes it, among lower-cased keys (observed: `Tag = "Tags"` keeps tags/go/ under
    `Tags = "/topic/:slug/"`), as a section's is. A pattern with a token a term fills otherwise than with its
    name is none: a date is the term's newest page's (its feed would move with every post), `:filename` none
    (every term at one address).
    """
    pattern = _permalinks(config, language).get(config.for_language(language.key).taxonomy_as_written(kind) or kind)
    return pattern if pattern is not None and pattern_tokens(pattern) <= _TERM_TOKENS else None


def _term_folder(config: HugoConfig, kind: str, language: Language, name: str, title: str = "", slug: str = "") -> str:
    """A term's folder under the language's folder, without a `url` of its own: the taxonomy's [permalinks]
    pattern made with the term's `title` and `slug` (its _index file's, urlized; else its urlized `name`), else
    the taxonomy's folder and the name."""
    written = config.for_language(language.key).taxonomy_as_written(kind) or kind
    taxonomy = written.lower()
    pattern = _term_pattern(config, kind, language)
    if pattern is None:
        # Lower-cased with the rest of the path (observed: "Tags" is Tags/Go/ under disablePathToLower).
        return f"{taxonomy if config.lower_paths else written}/{name}"
    # Made as a page's path is, a folder (observed: "/Topic/:slug" is topic/…; "C++" is c- through a pattern,
    # and t-c-/ through "t-:slug", where the folder's "/" keeps sanitising from trimming the "-").
    values = {"title": url_escaped(title or name), "slug": url_escaped(slug or title or name), "section": taxonomy}
    path = expand(pattern, values, ZERO, [taxonomy])
    path = settle("/" + path.rstrip("/") + "/")
    return (lower(path) if config.lower_paths else path).strip("/")


def _term_urls(
    config: HugoConfig, sections: set[str], own_files: set[str], inputs: Inputs
) -> tuple[tuple[str, str, str, str], ...]:
    """Where the _index files of categories and tags move their terms (HugoRules.term_urls), by language: by
    `url`, or under a taxonomy's [permalinks] pattern by `title` and `slug`.

    As Hugo 0.111.3 reads them (observed): a term's file for a language is its _index for it (_index_files); the
    URL is lower-cased with the rest of paths, and a folder; one starting with "/" is at the site's root, other
    ones under the language's folder. A URL with an extension (`/go.html`) is a page Hugo writes without a feed,
    and one at the root for a language served in a folder is outside that language's folder: both keep the
    default place. So does one whose folder would be, or be inside, one of feedpub's own files (`url:
    /robots.txt/`): the site's feeds could not be written, and no build would finish.

    A pattern's `:title` is the file's title, `:slug` its slug, else its title (observed: `tags = "/t/:slug/"`
    serves content/tags/go/_index.md titled "Golang Stuff" at /t/golang-stuff/). A file with neither keeps the
    term's name: Hugo titles its term "" and serves it at the taxonomy's own page (/t/), where every such term
    of the taxonomy overwrites the others.
    """
    found = []
    for language in config.languages:
        for kind in ("categories", "tags"):
            taxonomy = language.content_dir / (config.for_language(language.key).taxonomy(kind) or kind)
            pattern = _term_pattern(config, kind, language)
            named = pattern is not None and bool(pattern_tokens(pattern) & {"title", "slug"})
            for folder in sorted(f for f in sections if Path(f).parent == taxonomy):
                # Hugo matches the folder lower-cased with the other paths to the urlized term (observed: tags/Up/ is
                # the term "Up"'s, "Go Lang/" no term's: the term "go lang" is go-lang).
                term = lower(Path(folder).name) if config.lower_paths else Path(folder).name
                meta = _term_front_matter(Path(folder), language, config, inputs, named)
                url = as_text(meta.get("url"))
                if url:
                    if "." in url.rstrip("/").rpartition("/")[2] and not url.endswith("/"):
                        continue
                    if url.startswith("/") and language.prefix:
                        continue
                    moved = url.strip("/")
                    moved = lower(moved) if config.lower_paths else moved
                else:
                    title, slug = as_text(meta.get("title")), _slug(meta)
                    if not title.strip() and not slug:
                        continue
                    urlized = [
                        urlize(text, to_lower=config.lower_paths, remove_accents=config.remove_accents)
                        for text in (title, slug)
                    ]
                    moved = _term_folder(config, kind, language, term, *urlized)
                segments = moved.split("/")
                if any("/".join(segments[:end]) in own_files for end in range(1, len(segments) + 1)):
                    continue
                found.append((kind, term, language.key, moved))
    return tuple(found)


def _term_front_matter(
    folder: Path, language: Language, config: HugoConfig, inputs: Inputs, named: bool
) -> Mapping[str, Any]:
    """The front matter of a term's _index file for `language` where it may give `url` (or `title` and `slug`,
    when `named`: the taxonomy's pattern uses them); {} when it gives none, or cannot be read."""
    words = (b"url", b"title", b"slug") if named else (b"url",)
    for path in _index_files(folder, language.key, language.content_dir, config):
        inputs.file(path)
        if not path.is_file():
            continue
        try:
            # Read at every run (a site may describe thousands of terms): parsed only when it may say.
            return _front_matter_naming(str(path), language.content_dir, *words)
        except (OSError, ValueError, FeedpubError):
            return {}
    return {}


def _check_pages_made(config: HugoConfig, site: Site, source: Path) -> None:
    """ConfigError when the site's `disableKinds` leaves out the pages feedpub's feeds stand for: the posts' ("page":
    every entry would link to a page that does not exist), or the categories' and tags' ("term": the site has no
    term pages or feeds for the term feeds to stand beside and replace; their channels link the home page)."""
    if "page" in config.disabled_kinds:
        raise ConfigError(
            f'{source} (Hugo config): disableKinds has "page": Hugo makes no page for any post, so every feed entry '
            'would link to a page that does not exist; take "page" out of disableKinds'
        )
    term_feeds = [f"feeds.{key}" for key in ("categories", "tags") if getattr(site.feeds, key)]
    if "term" in config.disabled_kinds and term_feeds:
        raise ConfigError(
            f'{" and ".join(term_feeds)}: the Hugo site\'s disableKinds has "term", so it has no category or tag '
            "pages or feeds, and these would be feeds of pages the site does not have; set "
            + " and ".join(f"{key} = false" for key in term_feeds)
            + ', or take "term" out of disableKinds'
        )


def _above_or_in(folder: Path, dirs: Sequence[Path]) -> bool:
    """Whether `folder` is one of `dirs`, or above or below one of them: its _index may reach their pages."""
    return any(d == folder or d.is_relative_to(folder) or folder.is_relative_to(d) for d in dirs)


def _branches(
    sections: set[str], dirs: Sequence[Path], config: HugoConfig, inputs: Inputs
) -> tuple[tuple[str, str], ...]:
    """The _index files above or in `dirs` that may give their pages something (`cascade`, `draft`, a publishDate
    or expiryDate: HugoRules._inherited), with a digest of each one's text: read at every run, so only they are (a
    few small files), not parsed."""
    # The words one must hold: a section's publishDate to come was passed over where its file said neither
    # "cascade" nor "draft", and its pages were published, every one a 404.
    # "build": the home page's `_build: render: never` (HugoRules.homes_not_built).
    words = {b"cascade", b"build", *_unbuilt_words(config)}
    found = []
    for folder in sorted(sections):
        if not _above_or_in(Path(folder), dirs):
            continue  # nothing of theirs reaches a page in `dirs`
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue  # gone since the walk
        for name in names:
            if not name.startswith("_index.") or not name.endswith(CONTENT_EXTENSIONS):
                continue
            path = os.path.join(folder, name)
            inputs.file(path)
            try:  # through the posts' safe open: a link out of the site or a pipe is passed over, never waited on
                head = read_file(path, Path(folder), _OTHER_PAGE_BYTES, head=_OTHER_PAGE_BYTES)
            except (OSError, PostError):
                continue
            lowered = head.lower()
            if any(word in lowered for word in words):
                found.append((path, hashlib.sha256(head).hexdigest()))
    return tuple(found)


def _walk_content(
    content_dirs: list[Path], config: HugoConfig, now: datetime | None, inputs: Inputs
) -> tuple[set[tuple[str, str]], dict[str, dict[str, list[str]]]]:
    """Folders holding an _index file, each with the language of each of them (HugoRules.sections); and by
    language, the regular pages of each first-level section (a bundle's page file for each bundle), but none below
    a section Hugo does not build in their language at `now` (its _index a draft, published later or expired:
    Hugo builds nothing there)."""
    sections: set[tuple[str, str]] = set()
    pages: dict[str, dict[str, list[str]]] = {}
    taxonomies = {plural.lower() for _, plural in config.taxonomies}
    unbuilt: list[tuple[str, str]] = []  # the sections Hugo does not build, each as "folder/", with its language
    for content in content_dirs:
        owner = _owner(config, content)
        for top, folders, files in bounded_walk(content):
            inputs.folder(top)
            # Every run walks the content (10k pages in one folder is common): one pass over the names, no splitext.
            contents = [name for name in files if name.lower().endswith(CONTENT_EXTENSIONS)]
            stems: dict[str, str] = {}
            for name in contents:
                stems.setdefault(name.split(".", 1)[0], name)  # a page's name before its language and extension
            relative = os.path.relpath(top, content)
            first = relative.split(os.sep)[0]
            if "_index" in stems:
                for name in contents:
                    if not name.startswith("_index."):
                        continue
                    language = _file_language(name, owner, config)
                    sections.add((top, language))
                    if (
                        # The home page's _index: where Hugo does not build it, it builds no page at all (read_post
                        # hides each: HugoRules._branch); the main section is still the one its pages would make.
                        relative != "."
                        and first not in taxonomies  # a term's _index (thousands on some sites) hides no post
                        # Its own dates, as a page's (an expired posts/ was counted, and its empty feed replaced
                        # the site's): a section is built under the same rules as a page.
                        and not _listed_page(config.for_language(language), now, inputs, os.path.join(top, name))
                    ):
                        unbuilt.append((top + os.sep, language))
            if relative == ".":
                continue
            if "index" in stems and relative == first:
                folders.clear()  # a leaf bundle at the content folder's root: the home's page, in no section
                continue
            if "index" in stems:
                folders.clear()  # a leaf bundle: one page in each language; what is inside is its resources
                names = [name for name in contents if name.split(".", 1)[0] == "index"]
            else:
                names = [name for name in contents if not name.startswith("_index")]
            hidden = {language for folder, language in unbuilt if (top + os.sep).startswith(folder)}
            prefix = os.path.join(top, "")  # os.path.join(top, name) of each page, joined once a folder
            for name in names:
                if (language := _file_language(name, owner, config)) not in hidden:
                    pages.setdefault(language, {}).setdefault(first, []).append(prefix + name)
    return sections, pages


def _front_matter_naming(path: str, folder: Path, *words: bytes) -> Mapping[str, Any]:
    """The front matter (lower-case keys) of a page read for another's sake, parsed only when its bytes hold one of
    `words` (lower case), else {}: pages a run reads beside the posts (section and term _index files, a section's
    pages) are mostly silent on what it asks. Raises as _other_page_front_matter does."""
    raw = read_file(path, folder, _OTHER_PAGE_BYTES)
    lowered = raw.lower()
    if not any(word in lowered for word in words):
        return {}
    meta: Mapping[str, Any] = lower_keys(_other_page_front_matter(path, folder, raw))
    return meta


def _unbuilt_words(config: HugoConfig) -> set[bytes]:
    """What a page's front matter must hold (in lower case) to keep Hugo from building it: "draft", or a key of its
    publishDate or expiryDate (`published: 2030-01-01` is one: not "date", so such a section was counted)."""
    dates = dict(config.dates)
    keys = (key for kind in ("publishdate", "expirydate") for key in dates.get(kind, ()) if not key.startswith(":"))
    return {b"draft", *(key.lower().encode() for key in keys)}


def _listed_below(
    config: HugoConfig, now: datetime | None, inputs: Inputs, inherited_by: Callable[[str], _Inherited], path: str
) -> bool:
    """_listed_page, with what the sections above the page give it."""
    return _listed_page(config, now, inputs, path, inherited_by(path))


def _listed_page(
    config: HugoConfig, now: datetime | None, inputs: Inputs, path: str, above: _Inherited | None = None
) -> bool:
    """Whether Hugo lists the page at `path` among its section's regular pages at `now` (or builds the section whose
    _index it is), as far as choosing the main section goes: not a draft, nor published later or expired (by its
    front matter's dates: not a file name's or a commit's). One that cannot be read counts (its build reports it).
    `inputs` is told of the file, and of the dates compared with `now`."""
    inputs.file(path)
    try:
        # Parsed only where it may say something (a file name's date needs no parse).
        meta = _front_matter_naming(path, Path(os.path.dirname(path)), *_unbuilt_words(config))
        above = above or _Inherited({})
        meta = {**above.values, **meta} if above.values else meta  # its own front matter over what is cascaded
        if not config.build_drafts and (above.draft or is_true(meta.get("draft"))):
            return False
        if now is None:
            return True
        due, expires = (_front_matter_moment(config, path, meta, kind) for kind in ("publishdate", "expirydate"))
        # A section above not yet published (or expired) hides the page until then (or from then).
        due = max(filter(None, (due, above.due)), default=None)
        expires = min(filter(None, (expires, above.expires)), default=None)
        inputs.moment(due)
        inputs.moment(expires)
        return (config.build_future or due is None or due <= now) and (
            config.build_expired or expires is None or expires > now
        )
    except (OSError, ValueError, FeedpubError):
        return True


def _front_matter_moment(config: HugoConfig, path: str, meta: Mapping[str, Any], kind: str) -> datetime | None:
    """The first date the front matter or the file's name (`:filename`) gives among the [frontmatter] sources of
    `kind`, in the site's zone (not the file's time nor a commit's)."""
    for source in dict(config.dates).get(kind, ()):
        if source == ":filename":
            name = os.path.basename(path)
            stem = os.path.basename(os.path.dirname(path)) if name.startswith("index.") else name.split(".", 1)[0]
            moment = _filename_date(stem, config.timezone)[0]
        elif source.startswith(":"):
            continue
        else:
            moment = front_matter_date(path, meta, source, config.timezone, hugo_date)
        if moment is not None:
            return moment
    return None


def _filename_date(stem: str, tz: ZoneInfo) -> tuple[datetime | None, str]:
    """The date a page's name starts with, at midnight in `tz`, and the slug after it, as Hugo 0.111.3 reads them:
    the first ten characters a date, the rest with " ", "-" and "_" trimmed from its ends (observed:
    `2024-01-02_under` is /posts/under/, `2024-01-06x` /posts/x/, `2024-01-03` dated with no slug); (None, "") for
    a name that starts with no date (Hugo leaves it alone too)."""
    # Hugo takes what follows the name's last "." off again (observed: `2024-01-04.hello` has no slug, and keeps
    # its name in its URL).
    stem = os.path.splitext(stem)[0]
    if _HUGO_FILENAME_DATE.match(stem):
        try:
            year, month, day = int(stem[:4]), int(stem[5:7]), int(stem[8:10])
            return in_zone(datetime(year, month, day), tz), stem[10:].strip(" -_")
        except ValueError:
            pass
    return None, ""


_HUGO_FILENAME_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _most_pages(pages: Mapping[str, list[str]], listed: Callable[[str], bool]) -> tuple[str, ...]:
    """Hugo's default main section: the first-level section with the most regular pages Hugo publishes (drafts
    left out: a section of drafts was taken, and its empty feed replaced the site's), the first by name of equals;
    "." when none has any.

    Pages are read only as far as the choice needs: a section is read until it has one page more than any other
    section has files (a site's posts folder, against an about page, reads a few pages, not all of them)."""
    ranked = sorted(pages, key=lambda section: (-len(pages[section]), section))
    if len(ranked) == 1 or (len(ranked) > 1 and pages[ranked[0]] and not pages[ranked[1]]):
        # One section with pages: it, read or not (most sites; a no-change run then parses no front matter). Were
        # none of its pages published, Hugo would take the whole content folder, where feedpub reads the same
        # pages but for those at its root.
        return (ranked[0],) if pages[ranked[0]] else (".",)
    best, best_count = "", 0
    for section in ranked:
        bound = len(pages[section])
        if bound < best_count or (bound == best_count and best and best < section) or bound == 0:
            continue  # cannot beat the best one found
        # The most files any other section has: the second most for the first ranked, else the most (worked out
        # once: recounting every section for each one took 16 s for 16,000 sections).
        rivals = len(pages[ranked[1]]) if section == ranked[0] else len(pages[ranked[0]])
        count = 0
        for path in pages[section]:
            count += listed(path)
            if count > rivals:
                return (section,)  # more than any other could have
        if count > best_count or (count == best_count and count and section < best):
            best, best_count = section, count
    return (best,) if best_count else (".",)
