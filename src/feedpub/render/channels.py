"""Feeds per category and per tag: one Channel per term, written under categories/<slug>/ and tags/<slug>/."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from feedpub.models import Channel, Entry, Post, Site
from feedpub.text import slugify, strip_xml_invalid


@dataclass(frozen=True)
class TermChannel:
    folder: str  # "categories/생활/": Hangul kept as characters in file names, percent-encoded in URLs
    channel: Channel


def make_channel(site: Site, title: str, entries: Iterable[Entry], folder: str = "") -> Channel:
    """A channel of `entries` whose feed files are served from `folder` ("" for the site's own feeds)."""
    return Channel(
        title=strip_xml_invalid(title),
        description=strip_xml_invalid(site.description),
        home_url=site.uri,
        rss_url=site.output_uri(folder + site.feeds.rss),
        atom_url=site.output_uri(folder + site.feeds.atom),
        json_url=site.output_uri(folder + site.feeds.json),
        entries=tuple(entries),
    )


def term_slug(term: str) -> str:
    """The folder name of a term's feeds: the same slug as `:categories` in permalinks."""
    return slugify(term.lower())


def term_channels(site: Site, posts: Sequence[Post], entry_for: Callable[[Post], Entry | None]) -> list[TermChannel]:
    """A channel per configured category and tag; terms with the same slug ("Tech", "tech") share one.

    `posts` are newest first and already without `feed: false` posts.
    """
    channels = []
    for kind, wanted in (("categories", site.feeds.categories), ("tags", site.feeds.tags)):
        if wanted is False:
            continue
        chosen = None if wanted is True else {term_slug(t) for t in wanted}
        by_slug: dict[str, tuple[str, dict[str, Post]]] = {}
        for post in posts:
            for term in post.categories if kind == "categories" else post.tags:
                slug = term_slug(term)
                if slug and (chosen is None or slug in chosen):
                    by_slug.setdefault(slug, (term, {}))[1].setdefault(post.url, post)
        for slug in sorted(by_slug):
            name, members = by_slug[slug]
            folder = f"{kind}/{slug}/"  # the [feeds] key names the output folder too
            entries = itertools.islice(filter(None, map(entry_for, members.values())), site.feeds.limit)
            channels.append(TermChannel(folder, make_channel(site, f"{site.title} · {name}", entries, folder)))
    return channels
