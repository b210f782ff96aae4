"""Feeds per category and per tag: one Channel per term, written under categories/<slug>/ and tags/<slug>/."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from feedpub import html
from feedpub.collector import slugify
from feedpub.models import Channel, Entry, Post, Site

FOLDERS = {"categories": "categories", "tags": "tags"}  # [feeds] key -> output folder


@dataclass(frozen=True)
class TermChannel:
    folder: str  # "categories/생활/": Hangul kept as characters in file names, percent-encoded in URLs
    channel: Channel


def term_slug(term: str) -> str:
    """The folder name of a term's feeds: the same slug as `:categories` in permalinks."""
    return slugify(term.lower())


def term_channels(
    site: Site, posts: Sequence[Post], entry_for: Callable[[Post], Entry], base: Channel
) -> list[TermChannel]:
    """A channel per configured category and tag; terms with the same slug ("Tech", "tech") share one.

    `posts` are newest first and already without `feed: false` posts; `base` is the site's channel.
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
            folder = f"{FOLDERS[kind]}/{slug}/"
            channels.append(
                TermChannel(
                    folder,
                    replace(
                        base,
                        title=html.strip_xml_invalid(f"{site.title} · {name}"),
                        rss_url=html.to_uri(site.url + folder + site.feeds.rss),
                        atom_url=html.to_uri(site.url + folder + site.feeds.atom),
                        json_url=html.to_uri(site.url + folder + site.feeds.json),
                        entries=tuple(entry_for(p) for p in list(members.values())[: site.feeds.limit]),
                    ),
                )
            )
    return channels
