"""The conventions feedpub reads on any site: the front-matter names Jekyll, Hugo and their themes use.

Generator-specific rules (Jekyll's and Hugo's configuration, URL rules, Markdown flavours) get modules of
their own beside this one.
"""

from __future__ import annotations

MARKDOWN_EXTENSIONS = (".md", ".markdown")
# The first of these a post sets is its picture (Hugo's `images` list: its first item).
IMAGE_KEYS = ("image", "feature_image", "featured_image", "images", "cover", "thumbnail", "og_image", "header")
# The first of these a post sets is its excerpt; `feature_text` is the seed site's theme's.
EXCERPT_KEYS = ("excerpt", "description", "summary", "feature_text")
UPDATED_KEYS = ("last_modified_at", "updated", "modified", "lastmod")
