"""Posts -> output files as bytes: feeds in every format and the sitemap. No I/O, no clock."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from feedpub import html
from feedpub.channels import term_channels
from feedpub.feeds import feed_updated, render_atom, render_rss
from feedpub.jsonfeed import render_json_feed
from feedpub.models import Channel, Entry, FeedRef, Output, PageRef, Post, Published, Site
from feedpub.news import render_news_sitemap
from feedpub.page import render_page
from feedpub.sitemap import SitemapUrl, render_sitemap


@dataclass(frozen=True)
class Build:
    outputs: tuple[Output, ...]
    published: Published


def content_html(post: Post) -> str:
    """The post's body as clean HTML with absolute URLs, ready for any feed format."""
    body = html.render_markdown(post.body) if post.body_format == "markdown" else post.body
    cleaned = html.clean_html(body, post.url)
    image = post.image
    if image and image.url not in cleaned and html.to_uri(image.url) not in cleaned:
        # The front matter image is the post's picture on the site; most readers show only the content,
        # so it leads the content unless the body already shows it.
        lead = f'<p><img src="{escape(image.url)}" alt="{escape(image.alt or post.title)}"></p>\n'
        cleaned = html.clean_html(lead, post.url) + cleaned
    return cleaned


def make_entry(site: Site, post: Post) -> Entry:
    return Entry(
        post=post,
        url=html.to_uri(post.url),
        title=html.strip_xml_invalid(post.title),
        content_html=content_html(post) if site.feeds.content == "full" else "",
        image_url=html.to_uri(post.image.url) if post.image else None,
        terms=tuple(dict.fromkeys(html.strip_xml_invalid(t) for t in post.categories + post.tags)),
    )


def site_channel(site: Site, entries: Sequence[Entry]) -> Channel:
    return Channel(
        title=html.strip_xml_invalid(site.title),
        description=html.strip_xml_invalid(site.description),
        home_url=html.to_uri(site.url),
        rss_url=html.to_uri(site.url + site.feeds.rss),
        atom_url=html.to_uri(site.url + site.feeds.atom),
        json_url=html.to_uri(site.url + site.feeds.json),
        entries=tuple(entries),
    )


def channel_outputs(site: Site, channel: Channel, prefix: str = "") -> list[Output]:
    """The three feed files of a channel."""
    return [
        Output(prefix + site.feeds.rss, render_rss(site, channel), "rss"),
        Output(prefix + site.feeds.atom, render_atom(site, channel), "atom"),
        Output(prefix + site.feeds.json, render_json_feed(site, channel), "json"),
    ]


def page_fingerprint(post: Post) -> str:
    """Changes whenever what a search engine would index of the page changes."""
    digest = hashlib.blake2b(digest_size=16)
    for part in (post.url, post.title, post.modified.isoformat(), post.body, post.image.url if post.image else ""):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def build(site: Site, posts: Sequence[Post], now: datetime | None = None) -> Build:
    """Every output of the site; `posts` must be newest first (as `collect` returns them).

    `now` is the build's time, needed only by the news sitemap (its two-day window); never the clock.
    """
    entries: dict[str, Entry] = {}  # a post in several channels is rendered once

    def entry_for(post: Post) -> Entry:
        return entries.get(post.url) or entries.setdefault(post.url, make_entry(site, post))

    feed_posts = [p for p in posts if p.in_feeds]
    channel = site_channel(site, [entry_for(post) for post in feed_posts[: site.feeds.limit]])
    outputs = channel_outputs(site, channel)
    topics = term_channels(site, feed_posts, entry_for, channel)
    for topic in topics:
        outputs += channel_outputs(site, topic.channel, topic.folder)
    posts = [p for p in posts if p.in_sitemap]  # from here on: what search engines are told about
    home = SitemapUrl(loc=channel.home_url, lastmod=feed_updated(channel) if posts else None)
    urls = [home] + [
        SitemapUrl(loc=html.to_uri(p.url), lastmod=p.modified, image=html.to_uri(p.image.url) if p.image else None)
        for p in posts
    ]
    outputs.append(render_sitemap(site.sitemap.path, urls))
    if site.sitemap.news:
        if now is None:
            raise ValueError("build(): [sitemap] news needs the build's time; pass now=")
        outputs.append(render_news_sitemap(site.sitemap.news, posts, now))
    if site.page:
        outputs.append(render_page(site, channel, [t.channel for t in topics]))
    published = Published(
        site_url=channel.home_url,
        feeds=tuple(
            FeedRef(url=html.to_uri(site.url + o.name), digest=hashlib.sha256(o.data).hexdigest())
            for o in outputs
            if o.kind in ("rss", "atom", "json")
        ),
        pages=tuple(PageRef(url=html.to_uri(p.url), fingerprint=page_fingerprint(p)) for p in posts),
        sitemap_url=html.to_uri(site.url + site.sitemap.path),
    )
    return Build(outputs=tuple(outputs), published=published)
