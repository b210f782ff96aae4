"""Posts -> output files as bytes: feeds in every format and the sitemap. No clock.

The one read it makes is a post's body, through the loader it is given (collector.load_body by default), and
only for the posts that reach a feed: collected posts do not carry their bodies.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from html import escape

from feedpub import html
from feedpub.channels import make_channel, term_channels
from feedpub.feeds import feed_updated, render_atom, render_rss
from feedpub.jsonfeed import render_json_feed
from feedpub.models import Channel, Entry, FeedRef, Output, PageRef, Post, Published, Site, digest_of
from feedpub.news import render_news_sitemap
from feedpub.page import render_page
from feedpub.sitemap import SitemapSet, SitemapUrl, entry_name
from feedpub.templates import body_html


@dataclass(frozen=True)
class Build:
    feeds: tuple[Output, ...]
    sitemap: SitemapSet  # grows with the site: rendered part by part while it is written
    others: tuple[Output, ...]  # news sitemap, page
    published: Published
    contents: Mapping[str, str]  # the content HTML of every feed entry by `content_key`: for the next build

    def iter_outputs(self) -> Iterator[Output]:
        """Every output file; renders the sitemap afresh, holding one part of it at a time."""
        return itertools.chain(self.feeds, self.sitemap, self.others)

    @property
    def outputs(self) -> tuple[Output, ...]:
        """Every output file at once (the whole sitemap in memory): for tests and small sites."""
        return tuple(self.iter_outputs())


def content_html(site: Site, post: Post) -> str:
    """The post's body as clean HTML with absolute URLs, ready for any feed format."""
    if post.body is None:
        raise ValueError(f"{post.source}: body not loaded")
    body = body_html(site, post.body, post.body_format, post.title)
    cleaned = html.clean_html(body, post.url)
    image = post.image
    if image and image.url not in cleaned and html.to_uri(image.url) not in cleaned:
        # The front matter image is the post's picture on the site; most readers show only the content,
        # so it leads the content unless the body already shows it.
        lead = f'<p><img src="{escape(image.url)}" alt="{escape(image.alt or post.title)}"></p>\n'
        cleaned = html.clean_html(lead, post.url) + cleaned
    return cleaned


def content_key(post: Post) -> str:
    """Changes whenever `content_html(site, post)` would, the site's settings and feedpub's code aside.

    The caller keys on those: `api` keeps contents only while `repr(site)` is the same.
    """
    image = post.image
    return digest_of(
        post.url, post.title, post.digest, post.body_format, image.url if image else "", image.alt if image else ""
    )


def make_entry(post: Post, image_uri: str | None, content: str) -> Entry:
    return Entry(
        post=post,
        url=page_uri(post),
        title=html.strip_xml_invalid(post.title),
        content_html=content,
        image_url=image_uri,
        terms=tuple(dict.fromkeys(html.strip_xml_invalid(t) for t in post.categories + post.tags)),
    )


def channel_outputs(site: Site, channel: Channel, prefix: str = "") -> list[Output]:
    """The three feed files of a channel."""
    return [
        Output(prefix + site.feeds.rss, render_rss(site, channel), "rss"),
        Output(prefix + site.feeds.atom, render_atom(site, channel), "atom"),
        Output(prefix + site.feeds.json, render_json_feed(site, channel), "json"),
    ]


def page_uri(post: Post) -> str:
    """The post's URL percent-encoded, as the collector encoded it (and cached it) or encoded now."""
    return post.uri or html.to_uri(post.url)


def build(
    site: Site,
    posts: Sequence[Post],
    now: datetime | None = None,
    load_body: Callable[[Post], str] | None = None,
    contents: Mapping[str, str] | None = None,
) -> Build:
    """Every output of the site; `posts` must be newest first (as `collect` returns them).

    `now` is the build's time, needed only by the news sitemap (its two-day window); never the clock.
    `load_body` reads the body of a post that reaches a feed and has none (collector.load_body by default).
    `contents` is an earlier build's `Build.contents`: an entry found there is not rendered again (its body is not
    even read), so a build after one post changed renders that post alone.
    """
    entries: dict[str, Entry] = {}  # a post in several channels is rendered once
    image_uris: dict[str, str] = {}  # posts share a few pictures: each URL is encoded once

    def image_uri(post: Post) -> str | None:
        if post.image is None:
            return None
        url = post.image.url
        if url not in image_uris:
            image_uris[url] = html.to_uri(url)
        return image_uris[url]

    made: dict[str, str] = {}

    def content(post: Post) -> str:
        if site.feeds.content != "full":
            return ""
        key = content_key(post)
        if key not in made:
            if contents is not None and key in contents:
                made[key] = contents[key]
            else:
                if post.body is None:
                    post = replace(post, body=(load_body or _load_body)(post))
                made[key] = content_html(site, post)
        return made[key]

    def entry_for(post: Post) -> Entry:
        if post.url not in entries:
            entries[post.url] = make_entry(post, image_uri(post), content(post))
        return entries[post.url]

    feed_posts = [p for p in posts if p.in_feeds]
    channel = make_channel(site, site.title, (entry_for(post) for post in feed_posts[: site.feeds.limit]))
    outputs = channel_outputs(site, channel)
    topics = term_channels(site, feed_posts, entry_for)
    for topic in topics:
        outputs += channel_outputs(site, topic.channel, topic.folder)
    posts = [p for p in posts if p.in_sitemap]  # from here on: what search engines are told about
    uris = [page_uri(p) for p in posts]  # the sitemap and the page list both need them

    def sitemap_urls() -> Iterator[SitemapUrl]:
        yield SitemapUrl(loc=channel.home_url, lastmod=feed_updated(channel) if posts else None)
        for uri, post in zip(uris, posts, strict=True):
            yield SitemapUrl(loc=uri, lastmod=post.modified, image=image_uri(post))

    others = []
    if site.sitemap.news:
        if now is None:
            raise ValueError("build(): [sitemap] news needs the build's time; pass now=")
        others.append(render_news_sitemap(site.sitemap.news, posts, now))
    if site.page:
        others.append(render_page(site, channel, [t.channel for t in topics]))
    published = Published(
        site_url=channel.home_url,
        feeds=tuple(
            FeedRef(url=html.to_uri(site.url + o.name), digest=hashlib.sha256(o.data).hexdigest())
            for o in outputs
            if o.kind in ("rss", "atom", "json")
        ),
        pages=tuple(PageRef(url=uri, fingerprint=p.fingerprint) for uri, p in zip(uris, posts, strict=True)),
        sitemap_url=html.to_uri(site.url + entry_name(site.sitemap)),
    )
    return Build(
        feeds=tuple(outputs),
        sitemap=SitemapSet(site.sitemap, channel.home_url, sitemap_urls),
        others=tuple(others),
        published=published,
        contents=made,
    )


def _load_body(post: Post) -> str:
    from feedpub.collector import load_body  # the collector reads post files; imported when first needed

    return load_body(post)
