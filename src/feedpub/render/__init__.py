"""Posts -> bytes: feeds in every format, sitemaps, the subscribe page. Never reads post files."""
