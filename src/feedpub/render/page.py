"""feeds.html: a static page that tells a person in a browser how to subscribe, and shows the latest posts.

No script and no external fonts or styles: it must work from any static host and on a phone. The feeds'
<link rel="alternate"> tags make it an autodiscovery page too (readers given its URL find the feeds).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import escape

from feedpub.dates import rfc3339
from feedpub.models import Channel, Output, Site
from feedpub.namespaces import PAGE_GENERATOR

# Interface text by the site's primary language; English for any other.
_TEXT = {
    "en": {
        "feeds": "Feeds",
        "subscribe": "Subscribe",
        "how": "Copy one of these addresses into your feed reader (for example Feedly, Inoreader, NetNewsWire "
        "or Thunderbird). Any reader works with RSS; Atom and JSON Feed carry the same posts.",
        "by_term": "Feeds by topic",
        "latest": "Latest posts",
        "none": "No posts yet.",
    },
    "ko": {
        "feeds": "피드",
        "subscribe": "구독하기",
        "how": "아래 주소 중 하나를 복사해 피드 리더(예: Feedly, Inoreader, NetNewsWire, Thunderbird)에 "
        "붙여 넣으세요. 대부분의 리더는 RSS를 지원하며, Atom과 JSON Feed에도 같은 글이 실립니다.",
        "by_term": "주제별 피드",
        "latest": "최근 글",
        "none": "아직 글이 없습니다.",
    },
}

_STYLE = """
body{margin:0 auto;max-width:46rem;padding:1.5rem;line-height:1.6;color:#1f2328;background:#fff;
font-family:system-ui,-apple-system,"Segoe UI","Apple SD Gothic Neo","Malgun Gothic","Noto Sans KR",
"Noto Sans CJK KR","NanumGothic",sans-serif;word-break:keep-all;overflow-wrap:anywhere}
h1{font-size:1.8rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #d0d7de}
a{color:#0b57d0}dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}dt{font-weight:600}
dd{margin:0}code{font-size:.9rem;background:#f3f4f6;padding:.1rem .3rem;border-radius:4px;user-select:all}
ol{list-style:none;padding:0}ol li{margin:0 0 1.5rem;overflow:hidden}ul{padding-left:1.2rem}
li img{float:right;width:8rem;height:auto;margin:0 0 .5rem 1rem;border-radius:4px}
h3{font-size:1.1rem;margin:0}time{color:#59636e;font-size:.9rem}p{margin:.3rem 0}
""".strip()


def _feed_list(channel: Channel) -> str:
    rows = (("RSS", channel.rss_url), ("Atom", channel.atom_url), ("JSON Feed", channel.json_url))
    return "".join(
        f'<dt>{name}</dt><dd><a href="{escape(url)}"><code>{escape(url)}</code></a></dd>' for name, url in rows
    )


def render_page(
    site: Site, channel: Channel, topics: Sequence[tuple[str, Channel]] = (), *, home_linked: bool = True
) -> Output:
    """The page for the site's `channel` (its latest entries) and, when configured, its topic feeds; its title
    links the home page unless `home_linked` is false (the generator writes none).

    `topics` pairs each category's or tag's name with its channel. The list shows the name: the channel's title
    starts with the site's, the same on every line under a heading that already says what they are.
    """
    text = _TEXT.get((site.language or "en").split("-")[0].lower(), _TEXT["en"])
    lang = f' lang="{escape(site.language)}"' if site.language else ""
    title = escape(channel.title)
    links = "\n".join(
        f'<link rel="alternate" type="{kind}" title="{title} ({name})" href="{escape(url)}">'
        for kind, name, url in (
            ("application/rss+xml", "RSS", channel.rss_url),
            ("application/atom+xml", "Atom", channel.atom_url),
            ("application/feed+json", "JSON Feed", channel.json_url),
        )
    )
    items = []
    for entry in channel.entries:
        post = entry.post
        day = post.published.astimezone(site.timezone).date().isoformat()
        image = (
            f'<img src="{escape(entry.image_url)}" alt="{escape(post.image.alt if post.image else "")}" loading="lazy">'
            if entry.image_url
            else ""
        )
        items.append(
            f'<li><article>{image}<h3><a href="{escape(entry.url)}">{_shown(entry.title)}</a></h3>'
            f'<time datetime="{rfc3339(post.published)}">{day}</time>'
            f"<p>{_shown(entry.excerpt)}</p></article></li>"
        )
    latest = f"<ol>\n{chr(10).join(items)}\n</ol>" if items else f"<p>{text['none']}</p>"
    by_term = ""
    if topics:
        rows = "\n".join(
            f'<li><a href="{escape(t.rss_url)}">{_shown(name)}</a> '
            f'(<a href="{escape(t.atom_url)}">Atom</a>, <a href="{escape(t.json_url)}">JSON Feed</a>)</li>'
            for name, t in topics
        )
        by_term = f'<section id="topics"><h2>{text["by_term"]}</h2>\n<ul>\n{rows}\n</ul></section>\n'
    description = f"<p>{_shown(channel.description)}</p>" if channel.description else ""
    heading = f'<a href="{escape(channel.home_url)}">{title}</a>' if home_linked else title
    page = f"""<!DOCTYPE html>
<html{lang}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{PAGE_GENERATOR}
<title>{title} · {text["feeds"]}</title>
{links}
<style>{_STYLE}</style>
</head>
<body>
<header><h1>{heading}</h1>{description}</header>
<section id="subscribe"><h2>{text["subscribe"]}</h2>
<p>{text["how"]}</p>
<dl>{_feed_list(channel)}</dl></section>
{by_term}<section id="latest"><h2>{text["latest"]}</h2>
{latest}</section>
</body>
</html>
"""
    return Output(name=site.page, data=page.encode("utf-8"), kind="page")


# Bidirectional embeddings, overrides and isolates (Unicode's UAX #9): one a post's title or a term's name leaves
# open (U+202E) reverses the text after it on the page, " (Atom, JSON Feed)" and the next title too.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def _shown(text: str) -> str:
    """`text` escaped for the page; isolated (<bdi>) where it holds bidirectional controls, so that they end with it."""
    escaped = escape(text)
    return f"<bdi>{escaped}</bdi>" if _BIDI_CONTROLS.search(text) else escaped
