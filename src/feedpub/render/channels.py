"""Feeds per category and per tag: which terms get one, and where (categories/<slug>/, tags/<slug>/)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from feedpub.models import Channel, Entry, FeedIds, FeedSettings, Listing, Post, Site
from feedpub.text import slugify, strip_xml_invalid
from feedpub.urls import to_uri

# A term's folder name at most: far under the 255 bytes file systems allow in a name, and short in a URL.
MAX_SLUG_BYTES = 100
# A term's whole folder at most (a file's path must stay under the system's 4096 bytes, output folder included).
MAX_FOLDER_BYTES = 4 * MAX_SLUG_BYTES


@dataclass(frozen=True)
class TermFeed:
    """One category's or tag's feeds, before they are rendered."""

    folder: str  # "categories/생활/": Hangul kept as characters in file names, percent-encoded in URLs
    title: str  # the feeds' title: the site's, then the term
    name: str  # the term, as the first post that has it writes it: what feeds.html lists
    posts: tuple[Post, ...]  # newest first, at most feeds.limit


def make_channel(
    site: Site,
    title: str,
    entries: Iterable[Entry],
    folder: str = "",
    feed_ids: FeedIds | None = None,
    page_url: str = "",
) -> Channel:
    """A channel of `entries` whose feed files are served from `folder` ("" for the site's own feeds); `feed_ids`:
    the generator's rules that keep its feeds' ids; `page_url`: as Channel's (page_instead_of_home)."""
    atom_url = site.output_uri(folder + site.feeds.atom)
    kept_id = feed_ids.feed_id(folder + site.feeds.atom) if feed_ids is not None else ""
    return Channel(
        title=strip_xml_invalid(title),
        description=strip_xml_invalid(site.description),
        home_url=site.uri,
        rss_url=site.output_uri(folder + site.feeds.rss),
        atom_url=atom_url,
        json_url=site.output_uri(folder + site.feeds.json),
        entries=tuple(entries),
        atom_id=to_uri(kept_id) if kept_id else atom_url,
        page_url=page_url,
    )


# A generator's folder for a term of a kind ("categories", "tags") under the site's root: rules.TermFolders.
TermFolder = Callable[[str, str], str]


def term_path(kind: str, term: str, term_folder: TermFolder | None = None) -> str:
    """The folder of a term's feeds under the site's root, without slashes at its ends: the generator's own when
    it is a safe folder (Hugo serves "Go & Rust" at tags/go-rust/, or topic/go-rust/ under a taxonomy permalink),
    else `kind` and the term's slug (term_slug); "" when nothing of the term is left ("???"): no feed.
    """
    if term_folder is not None:
        # NFC, as the folder's URL is (to_uri). Hugo's may be nested ("a/b" is tags/a/b/) or hidden (".net").
        folder = unicodedata.normalize("NFC", term_folder(kind, term))
        segments = folder.split("/")
        fits = len(folder.encode()) <= MAX_FOLDER_BYTES  # a tag "a/a/a/…" nested past what a path can hold
        if fits and all(_safe_segment(s) and len(s.encode()) <= MAX_SLUG_BYTES for s in segments):
            return folder
    slug = term_slug(term)
    return f"{kind}/{slug}" if slug else ""


def term_slug(term: str) -> str:
    """The folder name of a term's feeds below its kind's folder: the slug `:categories` makes in permalinks,
    made safe.

    Never "." or ".." (a category ".." wrote categories/../rss.xml, over the site's own feed), never hidden (no
    leading "."), never longer than MAX_SLUG_BYTES (90 Hangul syllables are 270 bytes: "File name too long"): a
    cut slug ends in a hash of the whole, so that two long terms keep apart. "" when nothing of the term is
    left ("???").
    """
    # NFC (slugify's), as the folder's URL is (to_uri): decomposed Hangul (macOS) named a folder its URL missed.
    slug = slugify(term.lower()).strip(".-")
    if len(slug.encode()) > MAX_SLUG_BYTES:
        digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
        cut = slug.encode()[: MAX_SLUG_BYTES - len(digest) - 1].decode("utf-8", "ignore").rstrip(".-")
        slug = f"{cut}-{digest}"
    return slug


def _safe_segment(segment: str) -> bool:
    """A folder name a feed's URL keeps inside its taxonomy: not "", "." or ".." as written or decoded (a browser
    reads /tags/%2e%2e/ as /), no "\\" (a separator to some), nothing unprintable."""
    decoded = unquote(segment)
    return (
        segment not in ("", ".", "..")
        and decoded not in (".", "..")
        and "/" not in decoded
        and "\\" not in decoded
        and segment.isprintable()
    )


def post_terms(post: Post, kind: str, cap: int) -> tuple[str, ...]:
    """The categories or tags of `post` that count: the first `cap` (feeds.max_terms_per_post)."""
    return (post.categories if kind == "categories" else post.tags)[:cap]


def is_term_feed_name(settings: FeedSettings, name: str) -> bool:
    """Whether `name` could be a file of a category's or tag's feeds (in a language's folder or not): what the
    removal of a term's feeds, once no post has the term, may delete."""
    files = "|".join(re.escape(file) for file in (settings.rss, settings.atom, settings.json))
    return re.fullmatch(rf"(?:[^/]+/)?(?:categories|tags)/(?:[^/]+/)+(?:{files})", name) is not None


def _feeds_of_terms(
    terms: Sequence[str],
    kind: str,
    chosen: set[str] | None,
    folders_of: dict[str, str],
    found: dict[tuple[str, str], tuple[str, list[Post]]],
    term_folder: TermFolder | None = None,
) -> list[tuple[str, list[Post]]]:
    """The feeds a post with these terms belongs to, as `found`'s entries (made when new): terms with one folder
    once."""
    folders: dict[str, str] = {}
    for term in terms:
        if (folder := folders_of.get(term)) is None:
            folder = folders_of[term] = term_path(kind, term, term_folder)
        if folder and (chosen is None or folder in chosen):
            folders.setdefault(folder, term)
    return [found.setdefault((kind, folder), (term, [])) for folder, term in folders.items()]


def term_feeds(
    site: Site, posts: Sequence[Post], term_folder: TermFolder | None = None, listing: Listing | None = None
) -> tuple[list[TermFeed], list[str]]:
    """A feed per configured category and tag, and warnings about the ones left out; `term_folder`: the site
    generator's folders for terms (term_path).

    Terms with the same folder ("Tech", "tech") share one. Past feeds.max_term_feeds, the terms with the most posts
    (then the most recent) keep theirs. `posts` are newest first and already without `feed: false` posts; each
    kind's feeds show them in `listing`'s order for that kind, when given (the same posts).
    """
    found: dict[tuple[str, str], tuple[str, list[Post]]] = {}  # (kind, folder) -> (the name first seen, posts)
    cap = site.feeds.max_terms_per_post
    for kind, wanted in (("categories", site.feeds.categories), ("tags", site.feeds.tags)):
        if wanted is False:
            continue
        folders_of: dict[str, str] = {}  # each term's folder, made once: 10k posts name a few dozen terms 40k times
        chosen = None if wanted is True else {term_path(kind, t, term_folder) for t in wanted}
        # Posts repeat a few combinations of terms: each combination's feeds are worked out once, and a post then
        # costs a lookup and an append a feed (the per-post work took 40 ms for 10k posts on a taxonomy site).
        feeds_of: dict[tuple[str, ...], list[tuple[str, list[Post]]]] = {}
        for post in listing.of(kind) if listing else posts:
            terms = post_terms(post, kind, cap)  # the post's own tuple when it has no more than `cap`
            if (placed_in := feeds_of.get(terms)) is None:
                placed_in = feeds_of[terms] = _feeds_of_terms(terms, kind, chosen, folders_of, found, term_folder)
            for _, posts_of_term in placed_in:
                posts_of_term.append(post)
    keys = sorted(found)
    warnings = []
    limit = site.feeds.max_term_feeds
    if len(keys) > limit:
        ranked = sorted(keys, key=lambda k: (-len(found[k][1]), -_newest(found[k][1]).timestamp(), k))
        kept = set(ranked[:limit])
        keys = [k for k in keys if k in kept]
        warnings.append(
            f"{len(found)} categories and tags would each get feeds; only the {limit} with the most posts do "
            "([feeds] max_term_feeds)"
        )
    feeds = []
    for kind, folder in keys:
        name, members = found[kind, folder]
        # The [feeds] key names the output folder (or the generator does); no segment climbs out of the site's.
        feeds.append(TermFeed(f"{folder}/", f"{site.title} · {name}", name, tuple(members[: site.feeds.limit])))
    return feeds, warnings


def _newest(posts: Sequence[Post]) -> datetime:
    """When the newest of a term's posts was published (in their feed's order, not necessarily the first)."""
    return max(post.published for post in posts)
