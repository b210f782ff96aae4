"""Posts -> output files as bytes: feeds in every format and the sitemap. No clock, no reading.

A post's body reaches a feed through the loader the caller hands in (reading's `load_body_html`), called only
for the posts that reach a feed: collected posts do not carry their bodies.

Each feed, sitemap file and the page carries a key (`Output.key`): a digest of what it is rendered from, cheap
to make from the entries and posts. Handed the last build's keys (`Previous`), a build renders only the files
whose keys changed, and yields the others as `Kept`. The keys leave out what every output depends on (the
site's settings, feedpub's code): the caller hands no previous keys when those changed.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from html import escape
from typing import Literal, NamedTuple, overload

from feedpub.dates import rfc3339
from feedpub.errors import PostError, PostOverBudget
from feedpub.models import (
    Author,
    Channel,
    Edition,
    Entry,
    FeedIds,
    FeedMembers,
    FeedRef,
    HomePages,
    Kept,
    Listing,
    Output,
    OutputKind,
    PageRef,
    Post,
    Previous,
    Published,
    Rejection,
    Site,
    TermFolders,
    TermMembers,
    digest_of,
    sitemap_files_pattern,
)
from feedpub.render import html
from feedpub.render.channels import TermFeed, TermFolder, make_channel, post_terms, term_feeds
from feedpub.render.feeds import feed_updated, render_atom, render_rss
from feedpub.render.jsonfeed import render_json_feed
from feedpub.render.news import render_news_sitemap
from feedpub.render.page import render_page
from feedpub.render.sitemap import SitemapSet, SitemapUrl, entry_name, index_element, render_index
from feedpub.text import readable_text
from feedpub.urls import absolute_url, has_scheme, name_depth, site_path_url, taken_names, to_uri, trimmed

BodyHtml = Callable[[Post], str]  # a post's body as HTML, its templates resolved: reading's load_body_html
ExcerptOf = Callable[[Post], str]  # a post's excerpt, plain text: reading's Reader.excerpt
# Told, before a build asks for any, the posts whose texts it will ask for (with whether it wants the excerpt, and
# the content), so that reading may make them ahead, all at once (collect.FeedTexts: in a process pool).
TextsAhead = Callable[[Sequence[tuple[Post, bool, bool]]], None]


@dataclass(frozen=True)
class TermFeeds:
    """The category and tag feeds; each iteration renders them afresh, one term's three files at a time.

    A post's entry is made once (`entry_for` keeps it) and shown in every feed of its terms: a term's feeds cost
    rendering its own entries, not every term's.
    """

    site: Site
    terms: tuple[TermFeed, ...]
    entry_for: Callable[[Post], Entry | None]
    entry_key: Callable[[Entry], str]
    previous: Previous
    feed_ids: FeedIds | None = None  # the generator's rules that keep its feeds' ids
    page_url: str = ""  # Channel.page_url

    def __iter__(self) -> Iterator[Output | Kept]:
        for term in self.terms:
            entries = filter(None, map(self.entry_for, term.posts))
            channel = make_channel(self.site, term.title, entries, term.folder, self.feed_ids, self.page_url)
            key = channel_key(channel, self.entry_key)
            yield from channel_outputs(self.site, channel, term.folder, key, self.previous)


@dataclass(frozen=True)
class Rebuilt:
    """The feeds (and page) `rebuild_feeds` made again, the contents it made them with, and the posts it could
    not render (then the caller must build the whole site: the post leaves every output)."""

    outputs: tuple[Output | Kept, ...]
    contents: Mapping[str, str]
    rejected: tuple[Rejection, ...]
    refused: frozenset[str] = frozenset()  # see Build.refused


@dataclass(frozen=True)
class Placed:
    """Outputs made for one language of the site, renamed into its folder as they are rendered."""

    folder: str
    outputs: Iterable[Output | Kept]

    def __iter__(self) -> Iterator[Output | Kept]:
        for output in self.outputs:
            yield replace(output, name=self.folder + output.name)


@dataclass(frozen=True)
class Build:
    feeds: tuple[Output | Kept, ...]  # the site's own
    term_feeds: Iterable[Output | Kept]  # as many as there are terms: rendered while they are written
    sitemap: Iterable[Output | Kept]  # grows with the site: rendered part by part while it is written
    others: tuple[Output | Kept, ...]  # news sitemap, page
    site_url: str
    pages: Sequence[PageRef]  # newest first
    sitemap_url: str
    # The content HTML of every feed entry by `content_key`, and its excerpt by `excerpt_key`, for the next build:
    # whole once the outputs are.
    contents: Mapping[str, str]
    warnings: tuple[str, ...] = ()
    rejected: tuple[Rejection, ...] = ()  # posts whose content could not be rendered: in no output
    # Those of `rejected` refused for what their texts cost (out of time, too large), by source: `contents` keeps
    # why (refusal_key), and their readings stand (the others' files may have changed since they were read).
    refused: frozenset[str] = frozenset()
    members: FeedMembers | None = None  # a one-language build's: which posts each feed shows (see rebuild_feeds)

    def iter_outputs(self) -> Iterator[Output | Kept]:
        """Every output file; renders the term feeds and the sitemap afresh, holding a few files at a time."""
        return itertools.chain(self.feeds, self.term_feeds, self.sitemap, self.others)

    @property
    def outputs(self) -> tuple[Output, ...]:
        """Every output file at once (the whole sitemap in memory), of a build given no previous keys: for tests."""
        outputs = tuple(self.iter_outputs())
        rendered = tuple(o for o in outputs if isinstance(o, Output))
        if len(rendered) != len(outputs):
            raise ValueError("Build.outputs: some outputs were kept, not rendered; use iter_outputs()")
        return rendered

    def published(self, feeds: Sequence[FeedRef]) -> Published:
        """What the build puts online, given the feeds as written (their digests are known once rendered)."""
        return Published(site_url=self.site_url, feeds=tuple(feeds), pages=self.pages, sitemap_url=self.sitemap_url)


class PageList(Sequence[PageRef]):
    """The pages a build lists, newest first, each PageRef made when asked for: published.json is written a few
    pages at a time, and 1M PageRefs held at once were 56 MB of a build's peak."""

    def __init__(self, uris: Sequence[str], posts: Sequence[Post]) -> None:
        self._uris, self._posts = uris, posts  # side by side: a page's URI and its post

    def __len__(self) -> int:
        return len(self._uris)

    @overload
    def __getitem__(self, index: int) -> PageRef: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[PageRef]: ...
    def __getitem__(self, index: int | slice) -> PageRef | Sequence[PageRef]:
        if isinstance(index, slice):
            pairs = zip(self._uris[index], self._posts[index], strict=True)
            return tuple(PageRef(url=uri, fingerprint=post.fingerprint) for uri, post in pairs)
        return PageRef(url=self._uris[index], fingerprint=self._posts[index].fingerprint)


def content_html(post: Post, body: str, site_url: str) -> str:
    """The post's body (`body`, as HTML) cleaned, its URLs absolute, ready for any feed format; PostError when it is
    too large for a feed entry (PostOverBudget). `site_url`: the URL reading resolved the post's front matter paths
    against."""
    sources: list[str] = []
    try:
        # Against the page's URI: URLs made absolute from it are percent-encoded, and a "#" in a Hugo page's
        # path (%23 there) is not taken for a fragment.
        cleaned = html.clean_html(body, post.page_uri(), sources)
    except html.ContentTooLarge as error:
        raise PostOverBudget(post.source, str(error)) from None
    image = post.image
    if image and not image.in_body and not image.site_wide and not _shows(cleaned, sources, image.url, site_url):
        # The front matter image is the post's picture on the site; most readers show only the content,
        # so it leads the content unless the body already shows it (the body's own first image always: its
        # URL as the enclosure names it may be written otherwise in the body, `/x.png` on a site under /blog/).
        lead = f'<p><img src="{escape(image.url)}" alt="{escape(image.alt or post.title)}"></p>\n'
        cleaned = html.clean_html(lead, post.page_uri()) + cleaned
    return cleaned


def _shows(content: str, image_sources: Sequence[str], url: str, site_url: str) -> bool:
    """Whether the content HTML names `url`, as written or encoded, in an attribute (where "&" is "&amp;"), or has
    an <img> whose src as the body wrote it (`image_sources`) is a site path that names it.

    Front matter paths are site paths, the image's URL is made under `site_url` and its path (read.images); the
    body's are HTML's, resolved against the page as a browser resolves them. On a site under /blog/ a post's
    `image: /assets/x.jpg` is /blog/assets/x.jpg, and the same `<img src="/assets/x.jpg">` atop its body is
    /assets/x.jpg: one picture, which led the content a second time (two <img>, one of them likely a 404).
    """
    forms = {url, to_uri(url)}
    if any(form in content or form.replace("&", "&amp;") in content for form in forms):
        return True
    for source in image_sources:
        path = trimmed(source)
        if path and not has_scheme(path):
            # Made as reading made the image's URL from front matter (site_path_url, then absolute_url).
            as_site_path = absolute_url(site_path_url(path, site_url), site_url)
            if as_site_path and (as_site_path in forms or to_uri(as_site_path) in forms):
                return True
    return False


def content_key(post: Post, links: Mapping[str, str] | None = None) -> str:
    """Changes whenever the post's content HTML would, the site's settings and feedpub's code aside.

    The caller keys on those: `api` keeps contents only while `repr(site)` is the same. `links` are those the
    content was rendered with (see `build`): a post another post names moves its URL, and the other's content changes.
    """
    image = post.image
    # Looked up only for the post's own references: `links` may be keyed when first asked (Jekyll's Links), and
    # asking its length would key every post of the site.
    targets = [links.get(reference, "") for reference in post.references] if links is not None else []
    return digest_of(
        post.url,
        post.title,
        post.digest,
        post.body_format,
        image.url if image else "",
        image.alt if image else "",
        "in body" if image and image.in_body else "site-wide" if image and image.site_wide else "",
        *targets,
        *post.dependencies,
    )


def excerpt_key(content: str) -> str:
    """Where `contents` keeps a post's excerpt, by its content_key."""
    return f"{content}:excerpt"


def refusal_key(content: str) -> str:
    """Where `contents` keeps why a post's texts were refused for what they cost (PostOverBudget: its excerpt or body
    out of its time, its markup or content HTML too large, the sanitiser too long), by its content_key: the next
    build refuses the same post again without reading it (each may take its 10 s bound each time), and an edit of
    the post, which changes the key, tries it afresh."""
    return f"{content}:refused"


class _PostText(NamedTuple):
    """What a build asks of reading for the posts its feeds show: the body as HTML, and the excerpt."""

    body_html: BodyHtml | None
    excerpt_of: ExcerptOf | None
    ahead: TextsAhead | None = None


def make_entry(
    post: Post,
    image_uri: str | None,
    content: str,
    max_terms: int,
    translations: tuple[tuple[str, str], ...] = (),
    excerpt: str = "",
    site_author: Author | None = None,
) -> Entry:
    terms = post_terms(post, "categories", max_terms) + post_terms(post, "tags", max_terms)
    return Entry(
        translations=translations,
        post=post,
        url=post.page_uri(),
        id=to_uri(post.feed_id) if post.feed_id else post.page_uri(),
        # As every reader shows them (text.readable_text): the URLs made of them are the generator's business.
        title=readable_text(post.title),
        content_html=content,
        image_url=image_uri,
        terms=tuple(dict.fromkeys(readable_text(t) for t in terms)),
        excerpt=excerpt,
        author=post.author or site_author,
    )


def channel_outputs(
    site: Site, channel: Channel, prefix: str = "", key: str = "", previous: Previous | None = None
) -> list[Output | Kept]:
    """The three feed files of a channel; those `previous` gives this `key` are kept, not rendered."""
    formats: tuple[tuple[str, Literal["rss", "atom", "json"], Callable[[Site, Channel], bytes]], ...] = (
        (site.feeds.rss, "rss", render_rss),
        (site.feeds.atom, "atom", render_atom),
        (site.feeds.json, "json", render_json_feed),
    )
    return [
        _kept_or_rendered(prefix + name, kind, key, previous, functools.partial(render, site, channel))
        for name, kind, render in formats
    ]


def _kept_or_rendered(
    name: str, kind: OutputKind, key: str, previous: Previous | None, render: Callable[[], bytes]
) -> Output | Kept:
    """The file `name`, kept when the last build made it from the same inputs (`key`), else rendered."""
    if key and previous and previous.get(name) == key:
        return Kept(name, key, kind)
    return Output(name, render(), kind, key)


def entry_key(entry: Entry) -> str:
    """Changes whenever what any feed shows of the entry would, the site's settings and feedpub's code aside."""
    post, terms, translations = entry.post, entry.terms, entry.translations
    shown = (post, entry.url, entry.id, entry.title, entry.excerpt, entry.image_url, terms, translations)
    return digest_of(repr(shown), entry.content_html)


def channel_key(channel: Channel, key_of: Callable[[Entry], str] = entry_key) -> str:
    """Changes whenever any of the channel's feed files would, the site's settings and feedpub's code aside."""
    urls: tuple[str, ...] = (channel.home_url, channel.rss_url, channel.atom_url, channel.atom_id, channel.json_url)
    urls += (channel.page_url,) if channel.page_url else ()  # the keys of most sites' feeds as they were
    return digest_of(channel.title, channel.description, *urls, *map(key_of, channel.entries))


def build(
    site: Site,
    posts: Sequence[Post],
    now: datetime | None = None,
    body_html: BodyHtml | None = None,
    contents: Mapping[str, str] | None = None,
    editions: Sequence[Edition] = (),
    previous: Previous | None = None,
    links: Mapping[str, str] | None = None,
    term_folders: TermFolders | None = None,
    excerpt_of: ExcerptOf | None = None,
    texts_ahead: TextsAhead | None = None,
    listing: Listing | None = None,
    feed_ids: FeedIds | None = None,
    home_pages: HomePages | None = None,
) -> Build:
    """Every output of the site; `posts` must be newest first (as `collect` returns them).

    `now` is the build's time, needed only by the news sitemap (its two-day window); never the clock.
    `body_html` gives the body of a post that reaches a feed as HTML; without it, a post's own `body` is taken
    as HTML.
    `contents` is an earlier build's `Build.contents`: an entry found there is not rendered again (its body is not
    even read, nor its excerpt made), so a build after one post changed renders that post alone.
    `editions`: a multilingual site's languages (the default first); each gets its own feeds and sitemap.
    `previous`: the last build's keys of the files that still hold what it wrote (see the module's docstring).
    `links`: the site's posts by the references bodies make to them, which `body_html` renders with.
    `term_folders`: the generator's rules that name the folder of a category or tag, where its feeds go.
    `excerpt_of` gives the excerpt of a post that reaches a feed (kept in `contents` too); without it, entries
    have none. `texts_ahead` is told which posts' texts the build is about to ask those two for.
    `listing`: the orders of `posts` in the feeds, where they are not newest first (Collection.listing); the
    sitemap and the page list keep theirs.
    `feed_ids`: the generator's rules that keep the Atom feeds' ids its own feeds had (a one-language site's).
    `home_pages`: the generator's rules that say which languages' home pages it writes; no output links one it
    does not (the sitemap, the feeds page).
    """
    text = _PostText(body_html, excerpt_of, texts_ahead)
    if len(editions) < 2:
        term_folder = _term_folder(term_folders, "")
        return _build_one(
            site,
            posts,
            now,
            text,
            contents,
            previous=previous or {},
            links=links,
            term_folder=term_folder,
            listing=listing,
            feed_ids=feed_ids,
            page_url=page_instead_of_home(site, home_pages, ""),
        )
    return _build_editions(
        site, posts, now, text, contents, editions, previous or {}, links, term_folders, listing, home_pages
    )


def _in_language(language: str, post: Post) -> bool:
    return post.language == language


def _in_feeds(post: Post) -> bool:
    return post.in_feeds


def _in_site_feed(posts: Iterable[Post]) -> list[Post]:
    return [post for post in posts if post.in_site_feed]


def _serves_home(home_pages: HomePages | None, language: str) -> bool:
    """Whether the generator writes the home page of the site in `language` ("": its default language)."""
    return home_pages is None or home_pages.serves_home(language)


def page_instead_of_home(site: Site, home_pages: HomePages | None, language: str) -> str:
    """The page the feeds of the site in `language` link in place of its home page where the generator writes none
    (Channel.page_url): another page it writes, else the site's URL; "" where it writes the home page."""
    if _serves_home(home_pages, language):
        return ""
    assert home_pages is not None
    stand_in = home_pages.home_stand_in(language)
    return to_uri(stand_in) if stand_in else site.uri


def _term_folder(term_folders: TermFolders | None, language: str) -> TermFolder | None:
    """The generator's folder for a term of the site in `language` ("": its default language)."""
    return None if term_folders is None else functools.partial(term_folders.term_folder, language=language)


def _build_editions(
    site: Site,
    posts: Sequence[Post],
    now: datetime | None,
    text: _PostText,
    contents: Mapping[str, str] | None,
    editions: Sequence[Edition],
    previous: Previous,
    links: Mapping[str, str] | None = None,
    term_folders: TermFolders | None = None,
    listing: Listing | None = None,
    home_pages: HomePages | None = None,
) -> Build:
    """A build per language, each of that language's posts alone; a sitemap index over their sitemaps."""
    versions: dict[str, list[tuple[str, str]]] = {}  # translation key -> (language, URI), in edition order
    order = {e.language: n for n, e in enumerate(editions)}
    for post in sorted(posts, key=lambda p: order.get(p.language, len(order))):
        if post.translation_key and post.in_sitemap:
            versions.setdefault(post.translation_key, []).append((post.language, post.page_uri()))
    served = {e.language: _serves_home(home_pages, e.language) for e in editions}
    homes = [(e.language, site.output_uri(e.folder)) for e in editions if served[e.language]]
    places = _OwnPlaces(site, editions)
    builds, index = [], []
    for edition in editions:
        view = site.in_edition(edition, editions[0])
        own = [p for p in posts if p.language == edition.language]
        # Its outputs' names are relative to its folder (Placed puts them there).
        within = {
            name.removeprefix(edition.folder): key for name, key in previous.items() if name.startswith(edition.folder)
        }
        term_folder = _term_folder(term_folders, edition.language)
        own_listing = listing.only(functools.partial(_in_language, edition.language)) if listing else None
        made = _build_one(
            view,
            own,
            now,
            text,
            contents,
            versions,
            homes,
            within,
            links,
            term_folder,
            (places, edition.folder),
            own_listing,
            site_url=site.url,
            page_url=page_instead_of_home(view, home_pages, edition.language),
        )
        builds.append((edition, made))
        rejected = {r.path for r in made.rejected}
        lastmod = max((p.modified for p in own if p.in_sitemap and p.source not in rejected), default=None)
        index.append(index_element(view.output_uri(entry_name(view.sitemap)), lastmod))
    index_file = render_index(entry_name(site.sitemap), index, site.sitemap.gzip)
    return Build(
        feeds=tuple(_Chained(tuple(Placed(e.folder, b.feeds) for e, b in builds))),
        term_feeds=_Chained(tuple(Placed(e.folder, b.term_feeds) for e, b in builds)),
        sitemap=_Chained((*(Placed(e.folder, b.sitemap) for e, b in builds), (index_file,))),
        # The feeds page and the news sitemap stay where configured; the page shows the default language's feeds.
        others=builds[0][1].others,
        site_url=site.uri,
        pages=tuple(page for _, b in builds for page in b.pages),
        sitemap_url=site.output_uri(entry_name(site.sitemap)),
        contents={k: v for _, b in builds for k, v in b.contents.items()},
        warnings=tuple(w for _, b in builds for w in b.warnings),
        rejected=tuple(r for _, b in builds for r in b.rejected),
        refused=frozenset(source for _, b in builds for source in b.refused),
    )


@dataclass(frozen=True)
class _Chained:
    """Several sets of outputs as one; each iteration renders them afresh (as TermFeeds and SitemapSet do)."""

    parts: tuple[Iterable[Output | Kept], ...]

    def __iter__(self) -> Iterator[Output | Kept]:
        return itertools.chain.from_iterable(self.parts)


def _clear_of_pages(site: Site, found: list[TermFeed], posts: Sequence[Post], warnings: list[str]) -> list[TermFeed]:
    """The term feeds none of whose files is where a post's page is served, or a folder above it (a Hugo post's
    `url: /tags/foo/atom.xml`: the tag's feed replaced the page of a published post); a warning for each other."""
    names = {
        f"{term.folder}{name}": term for term in found for name in (site.feeds.rss, site.feeds.atom, site.feeds.json)
    }
    if not names:
        return found
    # Every name a page takes starts with its path's first segment (or is that segment with ".html"): a page under
    # none of the feeds' first folders takes none of their names, told without making its names (10k: ~20 ms).
    heads = {name.partition("/")[0] for name in names}
    depth = name_depth(names)
    taken: dict[str, tuple[TermFeed, Post]] = {}
    for post in posts:
        if not post.url.startswith(site.url):
            continue
        path = post.url[len(site.url) :]
        head = path.partition("/")[0]
        if "%" not in path and head not in heads and head + ".html" not in heads:
            continue  # (an escape may decode to a "/": such a path is looked at in full)
        for name in taken_names(path, depth):
            if (term := names.get(name)) is not None:
                taken.setdefault(term.folder, (term, post))
    for term, post in taken.values():
        warnings.append(
            f"{post.source}: its page is served at {post.url}, where the feeds of {term.name!r} would be written; "
            f"they are not: give the post another URL"
        )
    return [term for term in found if term.folder not in taken]


class _OwnPlaces:
    """The places no term feed of a build may take: feedpub's own files (every language's), its sitemap sets' parts,
    and the folders of the term feeds placed so far (two terms at one folder: a tag and a category `news` under
    Hugo's `/:slug/` were both written into news/)."""

    def __init__(self, site: Site, editions: Sequence[Edition] = ()) -> None:
        self.names = frozenset(site.output_names(editions))
        self.parts = tuple(map(sitemap_files_pattern, site.sitemap_paths(editions)))
        self.depth = name_depth((*self.names, *site.sitemap_paths(editions)))
        self.terms: dict[str, str] = {}  # folder (from the output folder) -> the term whose feeds are there

    def clear(self, site: Site, folder: str, found: list[TermFeed], warnings: list[str]) -> list[TermFeed]:
        """The term feeds of `found` (of the language whose outputs are in `folder`) that take none of the places,
        which they take in turn; a warning for each other. A tag `feed.json` under Hugo's `tags = "/:slug/"` has
        its feeds in the folder feed.json/, where the site's JSON Feed is written: the build stopped ("Is a
        directory"); an English tag `ko` wrote its feeds over the Korean home feeds at ko/."""
        kept = []
        for term in found:
            place = folder + term.folder
            files = (f"{place}{name}" for name in (site.feeds.rss, site.feeds.atom, site.feeds.json) if name)
            taken = sorted({name for file in files for name in taken_names(file, self.depth)})
            own = next((n for n in taken if n in self.names or any(part.fullmatch(n) for part in self.parts)), None)
            if own is not None:
                warnings.append(
                    f"the feeds of {term.name!r} would be written in {place}, which takes the place of feedpub's "
                    f"own {own}; they are not written: rename the term, or give it another folder"
                )
            elif (other := self.terms.get(place)) is not None:
                warnings.append(
                    f"the feeds of {term.name!r} would be written in {place}, where those of {other!r} are; they "
                    "are not written: rename one of the terms, or give it another folder"
                )
            else:
                self.terms[place] = term.name
                kept.append(term)
        return kept


def _build_one(
    site: Site,
    posts: Sequence[Post],
    now: datetime | None,
    text: _PostText,
    contents: Mapping[str, str] | None,
    versions: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    homes: Sequence[tuple[str, str]] = (),
    previous: Previous | None = None,
    links: Mapping[str, str] | None = None,
    term_folder: TermFolder | None = None,
    places: tuple[_OwnPlaces, str] | None = None,
    listing: Listing | None = None,
    site_url: str = "",
    feed_ids: FeedIds | None = None,
    page_url: str = "",
) -> Build:
    """The outputs of a site in one language (`versions`, `homes`: its pages' translations, by translation key;
    `places`: what its term feeds may not take, and the folder its outputs are in; `listing`: its posts' orders in
    the feeds, as build's; `site_url`: the whole site's URL, not its language's folder, when they differ;
    `page_url`: where the generator writes no home page, the page the feeds link instead (page_instead_of_home); ""
    where it writes one, which the sitemap and the feeds page then link too)."""
    home_served = not page_url
    made = _Entries(site, text, contents, links, versions, site_url)
    entry_for, key_of, image_uri, rejected = made.entry_for, made.key_of, made.image_uri, made.rejected
    previous = previous or {}
    feed_posts = [p for p in posts if p.in_feeds]
    listed = listing.only(_in_feeds) if listing else None
    own = _in_site_feed(listed.site if listed else feed_posts)
    found, warnings = term_feeds(site, feed_posts, term_folder, listed)
    taken, folder = places or (_OwnPlaces(site), "")
    found = taken.clear(site, folder, _clear_of_pages(site, found, posts, warnings), warnings)
    made.ahead(itertools.chain(own[: site.feeds.limit], *(t.posts for t in found)))
    channel = make_channel(
        site, site.title, first_entries(own, entry_for, site.feeds.limit), feed_ids=feed_ids, page_url=page_url
    )
    # The sitemap's home page is as new as the newest posts its feed would show by date, whatever order weights
    # list them in: the sitemap is the same with weights or without.
    newest = (
        channel
        if listed is None
        else make_channel(site, site.title, first_entries(_in_site_feed(feed_posts), entry_for, site.feeds.limit))
    )
    # Every term feed's entries are made now, though the feeds are rendered later, as they are written: a post
    # that cannot be rendered must be known, and left out everywhere, before the sitemap and the page list are.
    terms = [replace(t, posts=tuple(p for p in t.posts if entry_for(p) is not None)) for t in found]
    cap = site.feeds.max_terms_per_post
    for post in feed_posts:
        for kind in ("categories", "tags"):
            if (count := len(getattr(post, kind))) > cap:
                warnings.append(
                    f"{post.source}: {count} {kind}; only the first {cap} are used ([feeds] max_terms_per_post)"
                )
    # From here on: what search engines are told about (a post that could not be rendered is in no output). Sources
    # looked up only when a post was rejected: a lean post joins its source when asked (models.LeanPost).
    posts = [p for p in posts if p.in_sitemap and not (rejected and p.source in rejected)]
    uris = [p.page_uri() for p in posts]  # the sitemap and the page list both need them

    def sitemap_urls() -> Iterator[SitemapUrl]:
        # The home page first, then the posts oldest first: the parts fill in this order, so a new post lands in
        # the last part and the earlier parts keep their bytes (render/sitemap.py). The home page's lastmod is the
        # newest post's: it moves with every post, and a set of parts lists it without one (SitemapUrl.moving).
        lastmod = feed_updated(newest) if posts else None
        home = channel.home_url
        # The home pages of a multilingual site are translations of each other (Hugo's sitemaps link them).
        others = tuple(h for h in homes if h[1] != home) + tuple(h for h in homes if h[1] == home)
        if home_served:
            yield SitemapUrl(
                loc=home, lastmod=lastmod, moving=True, alternates=others, key=repr((home, others, lastmod is None))
            )
        translated = bool(versions)  # else no post has alternates: 10k calls of alternates() spared
        new_url = functools.partial(tuple.__new__, SitemapUrl)  # all fields given: NamedTuple's __new__ skipped
        for uri, post in zip(reversed(uris), reversed(posts), strict=True):
            if uri == home:
                continue  # a post at the home page (`permalink: "/"`) is the home page, listed once: above
            # What the element shows (not the page fingerprint: an edited body leaves the sitemap be), the lastmod
            # formatted once for the key and the element. Positional and with no alternates() call when there are
            # none: a part's URLs are all keyed before any is rendered, so a kept sitemap of 10k URLs makes 10k.
            lastmod, image = post.modified, image_uri(post)
            shown = rfc3339(lastmod)
            key = f"{uri}\t{shown}\t{image or ''}"
            if translated and (translations := made.alternates(post)):
                yield new_url((uri, lastmod, image, False, translations, f"{key}\t{translations}", shown))
            else:
                yield new_url((uri, lastmod, image, False, (), key, shown))

    others: list[Output | Kept] = []
    main_key = channel_key(channel, key_of)
    if site.sitemap.news:
        if now is None:
            raise ValueError("build(): [sitemap] news needs the build's time; pass now=")
        others.append(render_news_sitemap(site.sitemap.news, posts, now, channel.home_url))
    if site.page:
        topics = [(t.name, t.title, t.folder) for t in terms]
        others.append(_page_output(site, channel, main_key, topics, previous, home_served))
    return Build(
        feeds=tuple(channel_outputs(site, channel, "", main_key, previous)),
        term_feeds=TermFeeds(site, tuple(terms), entry_for, key_of, previous, feed_ids, page_url),
        sitemap=SitemapSet(site.sitemap, channel.home_url, sitemap_urls, xhtml=bool(homes), previous=previous),
        others=tuple(others),
        site_url=channel.home_url,
        pages=PageList(uris, posts),
        sitemap_url=site.output_uri(entry_name(site.sitemap)),
        contents=made.contents,
        warnings=tuple(warnings),
        rejected=tuple(rejected.values()),
        refused=frozenset(made.refused),
        members=FeedMembers(
            tuple(e.post.source for e in channel.entries),
            tuple(TermMembers(t.folder, t.title, t.name, tuple(p.source for p in t.posts)) for t in terms),
        ),
    )


class _Entries:
    """Each post's feed entry, made once a build however many feeds show it, and keyed once (`key_of`)."""

    def __init__(
        self,
        site: Site,
        text: _PostText,
        contents: Mapping[str, str] | None,
        links: Mapping[str, str] | None = None,
        versions: Mapping[str, Sequence[tuple[str, str]]] | None = None,
        site_url: str = "",
    ) -> None:
        self.site, self.cached, self.links, self.versions = site, contents, links, versions
        # What reading resolved front matter paths against: the whole site's URL, a language's folder aside.
        self.site_url = site_url or site.url
        self.body_html, self.excerpt_of, self.texts_ahead = text
        self.entries: dict[str, Entry] = {}  # by URL: a post in several channels is rendered once
        self.image_uris: dict[str, str] = {}  # posts share a few pictures: each URL is encoded once
        # By content_key (and excerpt_key): the contents and excerpts this build made or took from `contents`.
        self.contents: dict[str, str] = {}
        self.rejected: dict[str, Rejection] = {}  # by source: posts whose content could not be made
        self.refused: set[str] = set()  # of those, the sources refused for what their texts cost (see refusal_key)
        self.entry_keys: dict[str, str] = {}  # by URL

    def image_uri(self, post: Post) -> str | None:
        if post.image is None:
            return None
        url = post.image.url
        if url not in self.image_uris:
            self.image_uris[url] = to_uri(url)
        return self.image_uris[url]

    def ahead(self, posts: Iterable[Post]) -> None:
        """Tell reading the posts whose texts entry_for is about to ask for, as it will: those neither made nor kept
        yet, once each."""
        if self.texts_ahead is None:
            return
        wanted: list[tuple[Post, bool, bool]] = []
        told: set[str] = set()
        for post in posts:
            if post.url in told or post.url in self.entries or post.source in self.rejected:
                continue
            told.add(post.url)
            key = content_key(post, self.links)
            if self._has(refusal_key(key)):
                continue
            excerpt = self.excerpt_of is not None and not self._has(excerpt_key(key))
            content = self.body_html is not None and self._shows_content(post) and not self._has(key)
            if excerpt or content:
                wanted.append((post, excerpt, content))
        if wanted:
            self.texts_ahead(wanted)

    def _shows_content(self, post: Post) -> bool:
        return not (post.excerpt_only if post.excerpt_only is not None else self.site.feeds.content != "full")

    def content(self, post: Post, key: str) -> str:
        """The post's content HTML; `key` is its content_key."""
        if not self._shows_content(post):
            return ""
        if (kept := self._kept(key)) is None:
            kept = self.contents[key] = content_html(post, self._body_html(post), self.site_url)
        return kept

    def _body_html(self, post: Post) -> str:
        if self.body_html is not None:
            return self.body_html(post)
        if post.body is not None:
            return post.body  # taken as HTML: no loader to render it
        raise ValueError(f"{post.source}: body not loaded, and build() was given no body_html=")

    def excerpt(self, post: Post, key: str) -> str:
        """The post's excerpt; `key` is its content_key (what changes the content changes the excerpt too)."""
        key = excerpt_key(key)
        if (kept := self._kept(key)) is None and self.excerpt_of is not None:
            kept = self.contents[key] = self.excerpt_of(post)
        return kept or ""

    def _has(self, key: str) -> bool:
        """Whether `_kept` has something at `key` (without taking it from the last build's, as `_kept` does)."""
        return key in self.contents or (self.cached is not None and key in self.cached)

    def _kept(self, key: str) -> str | None:
        """What this build made at `key` (a content_key or excerpt_key), else what the last build did."""
        if key not in self.contents and self.cached is not None and key in self.cached:
            self.contents[key] = self.cached[key]
        return self.contents.get(key)

    def alternates(self, post: Post) -> tuple[tuple[str, str], ...]:
        """Every language's version of the post when it has others (as Hugo lists them: the others, then itself)."""
        versions = self.versions
        found = versions.get(post.translation_key, ()) if versions and post.translation_key else ()
        if len(found) < 2:
            return ()
        return (*(v for v in found if v[0] != post.language), *(v for v in found if v[0] == post.language))

    def entry_for(self, post: Post) -> Entry | None:
        """The post's entry; None when its content cannot be made, and then the post is rejected by name."""
        if post.url not in self.entries and post.source not in self.rejected:
            try:
                others = tuple(v for v in self.alternates(post) if v[0] != post.language)
                key = content_key(post, self.links)
                if (refused := self._kept(refusal_key(key))) is not None:
                    self.refused.add(post.source)
                    raise PostError(post.source, refused)
                try:
                    # The excerpt first: reading the post again for it keeps the body it rendered, which the
                    # content takes.
                    excerpt = self.excerpt(post, key)
                    content = self.content(post, key)
                except PostOverBudget as error:
                    self.contents[refusal_key(key)] = error.reason
                    self.refused.add(post.source)
                    raise
                image = self.image_uri(post)
                self.entries[post.url] = make_entry(
                    post, image, content, self.site.feeds.max_terms_per_post, others, excerpt, self.site.author
                )
            except PostError as error:
                self.rejected[post.source] = Rejection(error.path, error.reason, error.line)
            except Exception as error:  # one post's content must not cost the others their feeds
                self.rejected[post.source] = Rejection(post.source, f"cannot render ({type(error).__name__}: {error})")
        return self.entries.get(post.url)

    def key_of(self, entry: Entry) -> str:
        if entry.url not in self.entry_keys:
            self.entry_keys[entry.url] = entry_key(entry)
        return self.entry_keys[entry.url]


def _page_output(
    site: Site,
    channel: Channel,
    main_key: str,
    topics: Sequence[tuple[str, str, str]],
    previous: Previous,
    home_linked: bool,
) -> Output | Kept:
    """The feeds page, listing the site's feed and each term's (`topics`: name, title, folder) by name and address;
    its title links the home page when `home_linked`."""
    page_key = digest_of(main_key, str(home_linked), *(part for topic in topics for part in topic))

    def page() -> bytes:
        listed = [(name, make_channel(site, title, (), folder)) for name, title, folder in topics]
        return render_page(site, channel, listed, home_linked=home_linked).data

    return _kept_or_rendered(site.page, "page", page_key, previous, page)


def rebuild_feeds(
    site: Site,
    members: FeedMembers,
    posts: Mapping[str, Post],
    changed: frozenset[str],
    previous: Previous,
    body_html: BodyHtml | None = None,
    contents: Mapping[str, str] | None = None,
    excerpt_of: ExcerptOf | None = None,
    feed_ids: FeedIds | None = None,
    page_url: str = "",
) -> Rebuilt:
    """The feeds that show a `changed` post, made again from the posts `members` names (`posts`, by source), and
    the page when the site's feed is among them (its title linking the home page unless `page_url` stands in for
    it: build's); every other output of the last build stands as it is.

    Only for a one-language site whose posts' places are as the last build found them (FeedMembers), and whose
    posts shown here make no cross-references (their content is keyed without the site's links). `feed_ids`: as
    build's.
    """
    made = _Entries(site, _PostText(body_html, excerpt_of), contents)
    outputs: list[Output | Kept] = []
    if changed.intersection(members.main):
        entries = filter(None, (made.entry_for(posts[s]) for s in members.main))
        channel = make_channel(site, site.title, entries, feed_ids=feed_ids, page_url=page_url)
        main_key = channel_key(channel, made.key_of)
        outputs += channel_outputs(site, channel, "", main_key, previous)
        if site.page:
            topics = [(t.name, t.title, t.folder) for t in members.terms]
            outputs.append(_page_output(site, channel, main_key, topics, previous, not page_url))
    terms = tuple(
        TermFeed(t.folder, t.title, t.name, tuple(posts[s] for s in t.sources))
        for t in members.terms
        if changed.intersection(t.sources)
    )
    outputs += TermFeeds(site, terms, made.entry_for, made.key_of, previous, feed_ids, page_url)
    return Rebuilt(tuple(outputs), made.contents, tuple(made.rejected.values()), frozenset(made.refused))


def first_entries(posts: Iterable[Post], entry_for: Callable[[Post], Entry | None], limit: int) -> list[Entry]:
    """The entries of the first `limit` posts that have one (a post that cannot be rendered is passed over)."""
    return list(itertools.islice(filter(None, map(entry_for, posts)), limit))
