"""The baseline: what a plain script does, with no cache and no cleverness.

Reads every post with python-frontmatter, sorts by date (from the file name, else the mtime), writes
RSS and Atom of the newest posts with feedgen and a string-built sitemap of every URL.
Usage: python bench/naive.py --config CONFIG.toml --output DIR
"""

from __future__ import annotations

import argparse
import re
import tomllib
from datetime import datetime
from pathlib import Path
from urllib.parse import quote
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import frontmatter
from feedgen.feed import FeedGenerator

DATED = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
EXTENSIONS = {".md", ".markdown", ".html", ".txt"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args()
    base = args.config.resolve().parent
    config = tomllib.loads(args.config.read_text(encoding="utf-8"))
    site = config["site"]
    url = site["url"].rstrip("/") + "/"
    tz = ZoneInfo(site.get("timezone", "UTC"))
    limit = config.get("feeds", {}).get("limit", 20)

    posts = []
    for folder in config["posts"]["dirs"]:
        for path in sorted((base / folder).iterdir()):
            if path.suffix not in EXTENSIONS:
                continue
            post = frontmatter.load(str(path))
            match = DATED.match(path.stem)
            if match:
                year, month, day, slug = match.groups()
                when = datetime(int(year), int(month), int(day), tzinfo=tz)
            else:
                slug = path.stem
                when = datetime.fromtimestamp(path.stat().st_mtime, tz=tz)
            parts = [quote(str(c).lower()) for c in post.get("categories", [])]
            link = url + "/".join([*parts, f"{when:%Y/%m/%d}", quote(slug)]) + "/"
            posts.append((when, link, post))
    posts.sort(key=lambda p: p[0], reverse=True)

    fg = FeedGenerator()
    fg.id(url)
    fg.title(site["title"])
    fg.link(href=url, rel="alternate")
    fg.description(site["title"])
    fg.language(site.get("language", "en"))
    for when, link, post in posts[:limit]:
        entry = fg.add_entry(order="append")
        entry.id(link)
        entry.title(str(post.get("title", "")))
        entry.link(href=link)
        entry.published(when)
        entry.updated(when)
        entry.description(str(post.get("excerpt", "")))
        entry.content(post.content, type="CDATA")
    args.output.mkdir(parents=True, exist_ok=True)
    fg.rss_file(str(args.output / "rss.xml"), pretty=True)
    fg.atom_file(str(args.output / "atom.xml"), pretty=True)

    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append('<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">')
    for when, link, _ in posts:
        lines.append(f"<url><loc>{escape(link)}</loc><lastmod>{when.date().isoformat()}</lastmod></url>")
    lines.append("</urlset>")
    (args.output / "sitemap.xml").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
