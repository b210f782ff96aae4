"""The configuration reference: every key with its default and meaning, in one place.

`feedpub config --reference` prints it, and docs/guide.md's table is this table (`--markdown` prints it as the
guide has it; tests/test_docs.py checks that the guide and the parser agree with it). Defaults are written as
TOML values in backticks, `*required*`, `none`, or in words in parentheses.
"""

from __future__ import annotations

REFERENCE: tuple[tuple[str, str, str], ...] = (
    ("site.url", "*required*", "the address the site is served at; may include a path (`https://example.org/blog/`)"),
    ("site.title", "*required*", "the feeds' title"),
    ("site.description", '`""`', "the feeds' description (RSS requires one: the title is used when empty)"),
    ("site.language", '`""`', 'a language tag such as `"ko"` or `"en-US"`; also the `lang` of `feeds.html`'),
    (
        "site.timezone",
        '`"UTC"`',
        'IANA zone for dates written without an offset, e.g. `"Asia/Seoul"`; `"local"`: the zone of the machine that'
        " builds, read at every run (`TZ`, else the system's)",
    ),
    ("site.author", "none", '`"Name"`, or `{ name = "…", email = "…", uri = "…" }`'),
    ("site.author.name", "*required*", "(in the table form)"),
    ("site.author.email", '`""`', "(in the table form)"),
    ("site.author.uri", '`""`', "(in the table form)"),
    (
        "site.static_dir",
        '`"."`',
        "the folder the site's files are served from; image sizes for enclosures are read here",
    ),
    ("posts.dirs", '`["_posts"]`', "folders of post files, searched recursively"),
    ("posts.extensions", '`[".md", ".markdown", ".html", ".txt"]`', "which files are posts"),
    (
        "posts.permalink",
        '`"/:categories/:year/:month/:day/:title/"`',
        "URL pattern (Jekyll's placeholders) when a post has no `permalink`",
    ),
    ("posts.max_bytes", "`10000000`", "larger post files are rejected"),
    (
        "posts.templates",
        '`"none"`',
        '`"liquid"` (Jekyll) or `"hugo"` resolves template tags in bodies (see below); `"none"` keeps them literal',
    ),
    (
        "posts.generator",
        '`"none"`',
        '`"jekyll"` or `"hugo"`: the posts follow that generator\'s rules, read from its configuration in '
        "`posts.source` at every run",
    ),
    (
        "posts.source",
        "(the config file's folder)",
        "the generator's site folder (with `_config.yml`, `hugo.toml` or `config/`)",
    ),
    (
        "posts.baseurl",
        "(the generator's config)",
        'what `jekyll build --baseurl` (a path: `"/repo"`) or `hugo --baseURL` (an address) gets on the command '
        "line, as GitHub Pages' workflows give it: it replaces `_config.yml`'s baseurl or the Hugo config's baseURL",
    ),
    (
        "posts.max_shrink",
        "`0.5`",
        "a build that would drop more than this share of the posts the last build published (once it published 10 "
        'or more) stops and writes nothing; `--allow-shrink` lets one build through (see "The shrink guard")',
    ),
    (
        "posts.dates_file",
        '`"feedpub-dates.txt"`',
        'where the first dates of undated posts are kept, beside the config (see "Undated posts"); `""` keeps none',
    ),
    ("output.dir", '`"feeds"`', "where every output is written"),
    ("output.page", '`"feeds.html"`', 'the subscribe page; `""` writes none'),
    ("feeds.limit", "`20`", "posts per feed"),
    ("feeds.content", '`"full"`', '`"full"` HTML in every entry, or `"excerpt"` only'),
    ("feeds.excerpt_length", "`300`", "characters of an excerpt made from the post's text"),
    ("feeds.rss", '`"rss.xml"`', "RSS file name (also inside each category/tag folder)"),
    ("feeds.atom", '`"atom.xml"`', "Atom file name"),
    ("feeds.json", '`"feed.json"`', "JSON Feed file name"),
    (
        "feeds.categories",
        "`false`",
        "`true` for a feed per category at `categories/<slug>/`, or a list of category names",
    ),
    ("feeds.tags", "`false`", "the same for tags, at `tags/<slug>/`"),
    (
        "feeds.max_terms_per_post",
        "`50`",
        "at most this many of a post's categories, and of its tags, are used (in its entries and for term "
        "feeds); a warning names the post",
    ),
    (
        "feeds.max_term_feeds",
        "`1000`",
        "at most this many category and tag feeds; past it, the terms with the most posts keep theirs, with a warning",
    ),
    (
        "feeds.ids",
        '(`"jekyll-feed"` with `posts.generator = "jekyll"`, else `"url"`)',
        "each entry's id (RSS `guid`, Atom `id`, JSON Feed `id`): the post's URL, or `\"jekyll-feed\"`: the id "
        "jekyll-feed gave it (`post.id` made absolute), so a migrated site's readers do not show every post again",
    ),
    (
        "sitemap.path",
        '`"sitemap.xml"`',
        "the sitemap's file name; past either limit below, an index of `sitemap-1.xml`, `sitemap-2.xml`, …",
    ),
    ("sitemap.max_urls", "`50000`", "at most this many URLs in one file (the sitemaps.org limit is 50,000)"),
    (
        "sitemap.max_bytes",
        "`52428800`",
        "at most this many bytes in one file, uncompressed (the sitemaps.org limit is 50 MB)",
    ),
    ("sitemap.gzip", "`false`", "gzip every sitemap file: `sitemap.xml.gz`, `sitemap-1.xml.gz`, …"),
    ("sitemap.exclude", "`[]`", "globs of post files (relative to the config) left out of the sitemaps"),
    ("sitemap.news", "none", '`{ name = "…", language = "ko" }` writes a Google News sitemap'),
    ("sitemap.news.name", "*required*", "the publication's name exactly as Google News shows it"),
    ("sitemap.news.language", "(the site's language, without region)", "ISO 639 code; `zh-cn` / `zh-tw` for Chinese"),
    ("sitemap.news.path", '`"sitemap-news.xml"`', "its file name"),
    ("ping.websub_hubs", "`[]`", "WebSub hubs advertised in every feed and notified by `feedpub ping`"),
    ("ping.indexnow_endpoint", '`""`', "IndexNow endpoint told about changed pages"),
    ("ping.indexnow_key_env", '`"FEEDPUB_INDEXNOW_KEY"`', "environment variable holding the IndexNow key"),
    ("ping.xmlrpc", "`[]`", "weblogUpdates XML-RPC endpoints"),
    ("ping.urls", "`[]`", "URL templates to GET, with `{feed}`, `{sitemap}` and `{site}`"),
    ("ping.timeout", "`10.0`", "seconds per notification request"),
    ("ping.deadline", "`60.0`", "seconds for all notifications of a run"),
    (
        "ping.robots_txt",
        "`true`",
        "write robots.txt with a `Sitemap:` line (other lines of an existing one are kept); only when `site.url` is "
        "a host's root, where crawlers read it; one that is a link, a pipe or a device is left alone, with a warning",
    ),
    (
        "ping.previous",
        '`""`',
        "for CI runners: serve the published state under this name in the output folder (e.g. "
        '`"feedpub-published.json"`); a runner without ping state fetches the live one first and takes it as '
        'announced (see "Publishing from CI")',
    ),
)

MARKDOWN_HEAD = "| key | default | meaning |\n| --- | --- | --- |\n"


def markdown() -> str:
    """The reference as docs/guide.md's table."""
    return MARKDOWN_HEAD + "".join(f"| `{key}` | {default} | {meaning} |\n" for key, default, meaning in REFERENCE)


def text() -> str:
    """The reference as plain text for a terminal: `section.key  default  meaning`, aligned."""
    width = max(len(key) for key, _, _ in REFERENCE)
    shown = [
        (key, default.replace("`", "").replace("*", ""), meaning.replace("`", ""))
        for key, default, meaning in REFERENCE
    ]
    default_width = min(40, max(len(default) for _, default, _ in shown))
    return "".join(f"{key:<{width}}  {default:<{default_width}}  {meaning}\n" for key, default, meaning in shown)
