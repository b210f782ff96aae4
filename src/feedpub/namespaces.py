"""The XML namespaces and version URIs feedpub writes and checks: a leaf, so the validator needs no renderer."""

ATOM_NS = "http://www.w3.org/2005/Atom"
MEDIA_NS = "http://search.yahoo.com/mrss/"
DC_NS = "http://purl.org/dc/elements/1.1/"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
IMAGE_NS = "http://www.google.com/schemas/sitemap-image/1.1"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
JSON_FEED_VERSIONS = "https://jsonfeed.org/version/"  # every version's URI starts so
JSON_FEED_VERSION = JSON_FEED_VERSIONS + "1.1"
XHTML_NS = "http://www.w3.org/1999/xhtml"

GENERATOR_URI = "https://pypi.org/project/feedpub/"
# How feedpub marks the files it writes, so that a file in the output folder tells who wrote it (state/published.py,
# written_by_feedpub): its RSS and Atom name it in <generator>; JSON Feed has no such field, so a custom object says
# it (JSON Feed 1.1, "Extensions": a name starting with "_", which readers ignore, with an "about" URL); feeds.html
# has HTML's <meta name="generator">.
JSON_FEED_MARK = "_feedpub"
PAGE_GENERATOR = '<meta name="generator" content="feedpub">'
