"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""

from __future__ import annotations

import json
from typing import Any

from feedpub.dates import rfc3339
from feedpub.models import Author, Channel, Site
from feedpub.namespaces import GENERATOR_URI, JSON_FEED_MARK, JSON_FEED_VERSION
from feedpub.urls import to_uri


def _author(author: Author) -> dict[str, str]:
    data = {"name": author.name}
    if author.uri:
        data["url"] = to_uri(author.uri)
    return data


def render_json_feed(site: Site, channel: Channel) -> bytes:
    """JSON Feed 1.1 bytes of a channel; keys in a fixed order so equal input gives equal bytes."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": channel.title,
        "home_page_url": channel.home_url,
        "feed_url": channel.json_url,
    }
    if channel.page_url:
        del feed["home_page_url"]  # optional (JSON Feed 1.1): where the site has no home page, none is named
    if channel.description:
        feed["description"] = channel.description
    if site.language:
        feed["language"] = site.language
    if site.author:
        feed["authors"] = [_author(site.author)]
    if site.ping.websub_hubs:
        feed["hubs"] = [{"type": "WebSub", "url": hub} for hub in site.ping.websub_hubs]
    feed[JSON_FEED_MARK] = {"about": GENERATOR_URI}  # before the items: in the head written_by_feedpub reads
    items = []
    for entry in channel.entries:
        post = entry.post
        item: dict[str, Any] = {"id": entry.id, "url": entry.url, "title": entry.title}
        # Spec §items: content_html or content_text must be present; excerpt-only feeds carry the text.
        if entry.content_html:
            item["content_html"] = entry.content_html
        else:
            item["content_text"] = entry.excerpt or entry.title
        if entry.excerpt:
            item["summary"] = entry.excerpt
        if entry.image_url:
            item["image"] = entry.image_url
        item["date_published"] = rfc3339(post.published)
        item["date_modified"] = rfc3339(post.modified)
        if entry.terms:
            item["tags"] = list(entry.terms)
        if entry.author:
            item["authors"] = [_author(entry.author)]
        if post.lang or site.language:
            item["language"] = post.lang or site.language
        items.append(item)
    feed["items"] = items
    return (json.dumps(feed, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
