"""Google News sitemap (sitemap-news.xml): the articles of the last two days, at most 1,000."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from lxml import etree

from feedpub.dates import rfc3339
from feedpub.models import NewsSettings, Output, Post
from feedpub.namespaces import NEWS_NS, SITEMAP_NS
from feedpub.text import readable_text, strip_xml_invalid

# Google News sitemap rules: only articles published in the last two days, at most 1,000 <url>s per file.
WINDOW = timedelta(days=2)
MAX_URLS = 1000


# How every news sitemap opens, as lxml writes it (tests/test_sitemap_sets.py checks it): one in the output folder
# that opens so is feedpub's (render.sitemap.is_own_sitemap).
NEWS_HEAD = (
    f"<?xml version='1.0' encoding='UTF-8'?>\n<urlset xmlns=\"{SITEMAP_NS}\" xmlns:news=\"{NEWS_NS}\">\n".encode()
)


def news_posts(posts: Sequence[Post], now: datetime) -> list[Post]:
    """The posts a news sitemap lists at `now`: published in the two days before it, newest first."""
    return [p for p in posts if now - WINDOW <= p.published <= now][:MAX_URLS]


def render_news_sitemap(news: NewsSettings, posts: Sequence[Post], now: datetime, home: str) -> Output:
    """A <urlset> with a <news:news> per recent post; `posts` newest first, `now` from the caller (no clock).

    With no recent post, it lists the newest post (else `home`, the home page's URI) without news metadata, as
    Google's rules allow for articles past two days: a <urlset> needs a <url> (sitemaps.org's schema).
    """
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "news": NEWS_NS})
    recent = news_posts(posts, now)
    if not recent:
        etree.SubElement(etree.SubElement(root, f"{{{SITEMAP_NS}}}url"), f"{{{SITEMAP_NS}}}loc").text = (
            posts[0].page_uri() if posts else home
        )
    for post in recent:
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = post.page_uri()
        item = etree.SubElement(url, f"{{{NEWS_NS}}}news")
        publication = etree.SubElement(item, f"{{{NEWS_NS}}}publication")
        etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = strip_xml_invalid(news.name)
        etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = news.language
        etree.SubElement(item, f"{{{NEWS_NS}}}publication_date").text = rfc3339(post.published)
        etree.SubElement(item, f"{{{NEWS_NS}}}title").text = readable_text(post.title)
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Output(name=news.path, data=data, kind="sitemap")
