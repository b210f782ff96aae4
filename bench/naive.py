"""The baseline: what a plain script does, with no cache and no cleverness.

Reads every post with python-frontmatter; dates each by its front matter `date`, else its file name, else its
mtime (no git); sorts by date; for the newest posts (feeds.limit) renders Markdown bodies with markdown-it-py
and takes the front matter `image`, else the first image of the body, as the enclosure; writes RSS and Atom
with feedgen and a string-built sitemap of every URL.
Usage: python bench/naive.py --config CONFIG.toml --output DIR
"""

from __future__ import annotations

import argparse
import re
import tomllib
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import frontmatter
from feedgen.feed import FeedGenerator
from markdown_it import MarkdownIt

DATED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
EXTENSIONS = {".md", ".markdown", ".html", ".txt"}
MARKDOWN = {".md", ".markdown"}
FIRST_IMAGE = re.compile(r"""<img\b[^>]*?\bsrc=["']([^"']+)|!\[[^\]]*\]\(\s*<?([^)\s>]+)""")
MIME = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp", ".gif": "image/gif"}


def front_date(value: object, tz: ZoneInfo) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    base = args.config.resolve().parent
    config = tomllib.loads(args.config.read_text(encoding="utf-8"))
    site = config["site"]
    url = site["url"].rstrip("/") + "/"
    static = base / site.get("static_dir", ".")
    tz = ZoneInfo(site.get("timezone", "UTC"))
    limit = config.get("feeds", {}).get("limit", 20)

    posts = []
    for folder in config["posts"]["dirs"]:
        for path in sorted((base / folder).iterdir()):
            if path.suffix not in EXTENSIONS:
                continue
            post = frontmatter.load(str(path))
            match = DATED.match(path.stem)
            slug = match.group(4) if match else path.stem
            when = front_date(post.get("date"), tz)
            if when is None and match:
                year, month, day = (int(g) for g in match.groups()[:3])
                when = datetime(year, month, day, tzinfo=tz)
            if when is None:
                when = datetime.fromtimestamp(path.stat().st_mtime, tz=tz)
            parts = [quote(str(c).lower()) for c in post.get("categories", [])]
            link = url + "/".join([*parts, f"{when:%Y/%m/%d}", quote(slug)]) + "/"
            posts.append((when, link, path, post))
    posts.sort(key=lambda p: p[0], reverse=True)

    markdown = MarkdownIt("commonmark").enable("table")
    fg = FeedGenerator()
    fg.id(url)
    fg.title(site["title"])
    fg.link(href=url, rel="alternate")
    fg.description(site["title"])
    fg.language(site.get("language", "en"))
    for when, link, path, post in posts[:limit]:
        entry = fg.add_entry(order="append")
        entry.id(link)
        entry.title(str(post.get("title", "")))
        entry.link(href=link)
        entry.published(when)
        entry.updated(when)
        entry.description(str(post.get("excerpt", "")))
        content = markdown.render(post.content) if path.suffix in MARKDOWN else post.content
        entry.content(content, type="CDATA")
        image = post.get("image")
        if not image and (found := FIRST_IMAGE.search(post.content)):
            image = found.group(1) or found.group(2)
        if isinstance(image, str) and image.startswith("/"):
            file = static / image.lstrip("/")
            if file.is_file():
                mime = MIME.get(file.suffix.lower(), "application/octet-stream")
                entry.enclosure(url + quote(image.lstrip("/")), str(file.stat().st_size), mime)
    args.output.mkdir(parents=True, exist_ok=True)
    fg.rss_file(str(args.output / "rss.xml"), pretty=True)
    fg.atom_file(str(args.output / "atom.xml"), pretty=True)

    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for when, link, _, _ in posts:
        lines.append(f"<url><loc>{escape(link)}</loc><lastmod>{when.date().isoformat()}</lastmod></url>")
    lines.append("</urlset>")
    (args.output / "sitemap.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
