"""config.toml -> a frozen Site: every key checked, every error names its section and key."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from feedpub.dates import LOCAL_ZONE, local_zone_name, zone_named
from feedpub.errors import ConfigError
from feedpub.models import (
    NEWS_LANGUAGE,
    SITEMAP_MAX_BYTES,
    SITEMAP_MAX_URLS,
    Author,
    FeedSettings,
    NewsSettings,
    PingSettings,
    PostsSettings,
    Site,
    SitemapSettings,
    is_email,
)
from feedpub.plain_files import read_plain_file
from feedpub.state.paths import STATE_FOLDER
from feedpub.urls import check_permalink_pattern, is_http_url

MAX_CONFIG_FILE_BYTES = 1_000_000  # config.toml: a few dozen lines

T = TypeVar("T")
_MISSING: Any = object()
_TYPE_NAMES = {str: "a string", bool: "true or false", int: "an integer", float: "a number", list: "a list"}
_TEMPLATES: dict[str, Literal["none", "liquid", "hugo"]] = {"none": "none", "liquid": "liquid", "hugo": "hugo"}
_GENERATORS: dict[str, Literal["none", "jekyll", "hugo"]] = {"none": "none", "jekyll": "jekyll", "hugo": "hugo"}
DATES_FILE = "feedpub-dates.txt"  # beside config.toml, committed with the site (state/first_dates.py)
_FILE_NAME = re.compile(r"^[^/\\\x00]+(/[^/\\\x00]+)*$")


class _Table:
    """One TOML table being read: each key taken once, leftovers reported as unknown."""

    def __init__(self, data: Any, name: str) -> None:
        if not isinstance(data, dict):
            raise ConfigError(f"[{name}] must be a table, got {_describe(data)}")
        self.data = dict(data)
        self.name = name

    def where(self, key: str) -> str:
        """A key as the user writes it: `feeds.limit`, not `config.feeds.limit` (the file's top level is unnamed)."""
        return f"{self.name}.{key}" if self.name else key

    def take(self, key: str, kind: type[T], default: T = _MISSING) -> T:
        where = self.where(key)
        if key not in self.data:
            if default is _MISSING:
                raise ConfigError(f"{where} is required but missing")
            return default
        value = self.data.pop(key)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise ConfigError(f"{where} must be {_TYPE_NAMES.get(kind, kind.__name__)}, got {_describe(value)}")
        return value

    def take_strings(self, key: str, default: tuple[str, ...] | None = None) -> tuple[str, ...]:
        value = self.take(key, list, _MISSING if default is None else list(default))
        for item in value:
            if not isinstance(item, str):
                raise ConfigError(f"{self.where(key)} must be a list of strings, got an item {_describe(item)}")
        return tuple(value)

    def take_table(self, key: str) -> _Table:
        return _Table(self.take(key, dict, {}), self.where(key))

    def check(self, key: str, value: T, ok: Callable[[T], bool], hint: str) -> T:
        if not ok(value):
            raise ConfigError(f"{self.where(key)}: {hint} (got {value!r})")
        return value

    def finish(self) -> None:
        if self.data:
            key = sorted(self.data)[0]
            raise ConfigError(f"{self.where(key)} is not a known setting; check its spelling and section")


def _describe(value: Any) -> str:
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list"}
    return f"{kinds.get(type(value), type(value).__name__)} {value!r}"[:80]


def check_http_url(where: str, url: str) -> str:
    """Return `url` when it is an absolute http(s) URL, else raise a ConfigError naming `where`."""
    if not is_http_url(url):
        raise ConfigError(f"{where} must be an absolute http(s) URL, got {url!r}")
    return url


def load_config(path: Path) -> Site:
    """Read and check config.toml; relative paths resolve against the config file's folder."""
    try:
        text = read_plain_file(path, MAX_CONFIG_FILE_BYTES, follow_links=True).decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file; create one with `feedpub init`") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read config: {error}") from None
    try:
        data = tomllib.loads(text.removeprefix("\ufeff"))  # Windows editors save a byte order mark; TOML has none
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    try:
        return replace(parse_config(data, path.resolve().parent), config_file=path.resolve())
    except ConfigError as error:
        raise ConfigError(f"{path}: {error}") from None


def parse_config(data: dict[str, Any], base: Path) -> Site:
    """Turn a parsed config.toml into a Site; `base` is the folder relative paths start from."""
    root = _Table(data, "")
    site = _Table(root.take("site", dict), "site")
    posts = root.take_table("posts")
    output = root.take_table("output")
    feeds = root.take_table("feeds")
    sitemap = root.take_table("sitemap")
    ping = root.take_table("ping")
    for key in sorted(root.data):
        raise ConfigError(f"[{key}] is not a known section (known: site, posts, output, feeds, sitemap, ping)")

    url = check_http_url("site.url", site.take("url", str))
    if "?" in url or "#" in url:
        # Every address is the site's URL and a path after it: after a query, that path would be the query's.
        raise ConfigError(f"site.url must be the address the site is served at, without a query or fragment: {url!r}")
    if not url.endswith("/"):
        url += "/"
    tz_name = tz_name_written = site.take("timezone", str, "UTC")
    if tz_name == LOCAL_ZONE:
        # Resolved at every run, not at init: Jekyll dates a site whose _config.yml names no zone in the zone of
        # the process that builds it, and a CI runner's (UTC) is not the author's laptop's.
        local = local_zone_name()
        if local is None:
            raise ConfigError(
                f'site.timezone = "local": the TZ environment variable ({os.environ.get("TZ")!r}) names no IANA time '
                "zone; set TZ to one like 'Asia/Seoul', or name the zone in site.timezone"
            )
        tz_name = local
    timezone = zone_named(tz_name)
    if timezone is None:
        raise ConfigError(
            f"site.timezone: unknown time zone {tz_name!r}; use an IANA name like 'Asia/Seoul', or {LOCAL_ZONE!r}"
        )
    language = (
        site.check(
            "language",
            site.take("language", str, ""),
            lambda tag: not tag or bool(LANGUAGE_TAG.fullmatch(tag)),
            'must be a language tag like "ko" or "ko-KR" (with "-", not "_")',
        )
        or None
    )
    dirs = posts.take_strings("dirs", ("_posts",))
    posts_settings = _posts(posts, base, dirs)
    warnings: list[str] = []
    sitemap_settings = _sitemap(sitemap, base, language, warnings)
    # As for a posts folder: an output folder named inside the site that is a link out of it (`out -> /srv/x`,
    # committed by anyone who may commit to the site) had every output written there; one named outside the site
    # (`../www`, `/srv/www`, or --output) is the operator's own choice.
    output_dir = output.check("dir", output.take("dir", str, "feeds"), lambda d: not _links_out(base, d), _LINKS_OUT)
    result = Site(
        url=url,
        title=site.check("title", site.take("title", str), lambda t: bool(t.strip()), "must not be empty"),
        description=site.take("description", str, ""),
        language=language,
        timezone=timezone,
        timezone_is_local=tz_name_written == LOCAL_ZONE,
        author=_author(site),
        static_dir=_path(base, static_dir := site.take("static_dir", str, ".")),
        output_dir=_path(base, output_dir),
        state_dir=base / STATE_FOLDER,
        posts=posts_settings,
        max_shrink=posts.check(
            "max_shrink", posts.take("max_shrink", float, Site.max_shrink), lambda n: 0 <= n <= 1, "must be from 0 to 1"
        ),
        # Not resolved: a dates file that is a link must be seen as one (state/first_dates.py refuses it).
        dates_file=Path(os.path.abspath(base / Path(name).expanduser()))
        if (name := posts.take("dates_file", str, DATES_FILE))
        else None,
        feeds=_feeds(feeds, posts_settings.generator),
        sitemap=sitemap_settings,
        ping=_ping(ping),
        page=_page(output),
        warnings=tuple(warnings),
    )
    for table in (site, posts, output, feeds, sitemap, ping):
        table.finish()
    if any(
        goes_through_link(os.path.join(base, os.path.expanduser(value)))
        for value in (static_dir, output_dir, name, *dirs)
        if value
    ):
        result = replace(result, through_links=True)
    _check_distinct_names(result)
    return result


def _check_distinct_names(site: Site) -> None:
    """ConfigError when two outputs would share a file (`atom = "rss.xml"`): one would overwrite the other."""
    seen: dict[str, str] = {}
    for key, name in site.own_files():
        if (other := seen.setdefault(name, key)) != key:
            raise ConfigError(f"{key} and {other} both name {name!r}; give each output its own file")


_LINKS_OUT = "a folder inside the site's that is a link out of it; name the folder it leads to itself"


def _links_out(base: Path, value: str) -> bool:
    """Whether `value`, a path inside `base` as written, leads outside it once its links are followed."""
    written = Path(os.path.normpath(base / Path(value).expanduser()))
    return written.is_relative_to(base) and not _path(base, value).is_relative_to(base.resolve())


def goes_through_link(path: str) -> bool:
    """Whether `path` (relative to the current folder, or absolute) reaches its file or folder through a link."""
    return os.path.realpath(path) != os.path.normpath(os.path.abspath(path))


def _path(base: Path, value: str) -> Path:
    return (base / Path(value).expanduser()).resolve()


# A BCP 47 language tag as feeds carry it (RSS <language>, xml:lang, JSON Feed's language): letters and digits in
# "-"-separated parts, the first 2–8 letters. "ko_KR", a locale, is what validators refuse.
LANGUAGE_TAG = re.compile(r"(?:[A-Za-z]{2,8}|[xXiI])(?:-[A-Za-z0-9]{1,8})*")  # "x-klingon", "i-default" too


def _author(site: _Table) -> Author | None:
    raw = site.take("author", object, None)
    if raw is None:
        return None
    if isinstance(raw, str):
        # An empty name would make feeds without any author, which Atom refuses: none given falls back to the
        # site's title.
        site.check("author", raw, lambda name: bool(name.strip()), "must not be empty (leave it out instead)")
        return Author(name=raw)
    table = _Table(raw, "site.author")
    author = Author(
        name=table.check("name", table.take("name", str), lambda name: bool(name.strip()), "must not be empty"),
        email=table.take("email", str, "") or None,
        uri=table.take("uri", str, "") or None,
    )
    table.finish()
    if author.email and not is_email(author.email):
        raise ConfigError(f"site.author.email: {author.email!r} is not an email address (name@example.org)")
    if author.uri:
        check_http_url("site.author.uri", author.uri)
    return author


def _posts(table: _Table, base: Path, dirs: tuple[str, ...]) -> PostsSettings:
    """[posts] as PostsSettings; `dirs`: its `dirs`, as written (taken already)."""
    default = PostsSettings(dirs=())
    table.check("dirs", dirs, bool, "needs at least one folder")
    extensions = table.take_strings("extensions", default.extensions)
    table.check("extensions", extensions, lambda e: all(x.startswith(".") for x in e), 'each must start with "."')
    permalink = table.take("permalink", str, default.permalink)
    table.check("permalink", permalink, lambda p: p.startswith("/"), 'must start with "/"')
    check_permalink_pattern(table.where("permalink"), permalink)
    max_bytes = table.take("max_bytes", int, default.max_bytes)
    table.check("max_bytes", max_bytes, lambda n: n > 0, "must be positive")
    templates = table.take("templates", str, default.templates)
    table.check("templates", templates, lambda t: t in _TEMPLATES, 'must be "none", "liquid" (Jekyll) or "hugo"')
    generator = table.take("generator", str, default.generator)
    table.check("generator", generator, lambda g: g in _GENERATORS, 'must be "none", "jekyll" or "hugo"')
    source = table.take("source", str, "")
    baseurl = _baseurl(table, generator)
    if generator == "none":
        # A folder named inside the site that is a link out of it (`_posts -> ../other`, committed by anyone who
        # may commit to the site) would publish another folder's files; one named outside it ("../x", "/srv/x")
        # is the operator's own choice. (Jekyll and Hugo read their posts folders by their own rules.)
        table.check("dirs", dirs, lambda ds: all(not _links_out(base, d) for d in ds), _LINKS_OUT)
    return PostsSettings(
        dirs=tuple(_path(base, d) for d in dirs),
        extensions=tuple(e.lower() for e in extensions),
        permalink=permalink,
        max_bytes=max_bytes,
        templates=_TEMPLATES[templates],
        generator=_GENERATORS[generator],
        source=_path(base, source) if source else None,
        baseurl=baseurl,
    )


def _baseurl(table: _Table, generator: str) -> str | None:
    """`posts.baseurl`: what `jekyll build --baseurl` (a path, "" for none) or `hugo --baseURL` (an address) gets on
    the command line; None when unset."""
    value = table.take("baseurl", object, None)  # asked for always: the guide's reference lists what is asked
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(f"{table.where('baseurl')} must be a string, got {_describe(value)}")
    if generator == "jekyll":
        # Jekyll takes the flag as it is written; one that is no path would leave every link broken.
        return table.check(
            "baseurl",
            value,
            lambda path: path == "" or (path.startswith("/") and not _NOT_IN_PATH.search(path)),
            'is what `jekyll build --baseurl` gets: a path like "/repo" ("" for none), without a host, query or '
            "fragment; the host is _config.yml's url",
        )
    if generator == "hugo":
        return table.check(
            "baseurl",
            value,
            lambda url: is_http_url(url) and "?" not in url and "#" not in url,
            "is what `hugo --baseURL` gets: the absolute http(s) address the site is served at, like "
            '"https://user.github.io/repo/"',
        )
    raise ConfigError(
        'posts.baseurl is what `jekyll build --baseurl` or `hugo --baseURL` gets; it needs posts.generator = "jekyll" '
        'or "hugo" (a plain site\'s address is site.url)'
    )


_NOT_IN_PATH = re.compile(r"[?#]|^//|://")


def _file_name(table: _Table, key: str, default: str) -> str:
    name = table.take(key, str, default)
    return table.check(
        key,
        name,
        lambda n: bool(_FILE_NAME.match(n)) and ".." not in n.split("/"),
        "must be a relative file name inside the output folder",
    )


def _feeds(table: _Table, generator: str) -> FeedSettings:
    default = FeedSettings()
    # A Jekyll site keeps jekyll-feed's ids unless told otherwise: its subscribers' readers know them.
    ids = table.take("ids", str, "jekyll-feed" if generator == "jekyll" else default.ids)
    table.check("ids", ids, lambda i: i in ("url", "jekyll-feed"), 'must be "url" or "jekyll-feed"')
    if ids == "jekyll-feed" and generator != "jekyll":
        raise ConfigError('feeds.ids = "jekyll-feed" needs posts.generator = "jekyll" (it reads Jekyll\'s post ids)')
    limit = table.check("limit", table.take("limit", int, default.limit), lambda n: n > 0, "must be positive")
    content = table.take("content", str, default.content)
    table.check("content", content, lambda c: c in ("full", "excerpt"), 'must be "full" or "excerpt"')
    length = table.take("excerpt_length", int, default.excerpt_length)
    table.check("excerpt_length", length, lambda n: n >= 10, "must be at least 10")
    return FeedSettings(
        limit=limit,
        content="full" if content == "full" else "excerpt",
        excerpt_length=length,
        rss=_file_name(table, "rss", default.rss),
        atom=_file_name(table, "atom", default.atom),
        json=_file_name(table, "json", default.json),
        categories=_term_feeds(table, "categories"),
        tags=_term_feeds(table, "tags"),
        max_terms_per_post=_positive(table, "max_terms_per_post", default.max_terms_per_post),
        max_term_feeds=_positive(table, "max_term_feeds", default.max_term_feeds),
        ids="jekyll-feed" if ids == "jekyll-feed" else "url",
    )


def _positive(table: _Table, key: str, default: int) -> int:
    return table.check(key, table.take(key, int, default), lambda n: n > 0, "must be positive")


def _term_feeds(table: _Table, key: str) -> bool | tuple[str, ...]:
    """`true` for a feed per term, `false` for none, or a list naming the terms that get one."""
    value = table.take(key, object, False)
    if isinstance(value, bool):
        return value
    if isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value):
        return tuple(value)
    raise ConfigError(f'{table.name}.{key} must be true, false or a list of names like ["News", "생활"]')


def _page(table: _Table) -> str:
    if table.data.get("page") == "":  # "" turns the page off
        return table.take("page", str)
    return _file_name(table, "page", Site.page)


def _sitemap(table: _Table, base: Path, site_language: str | None, warnings: list[str]) -> SitemapSettings:
    default = SitemapSettings()
    max_urls = table.take("max_urls", int, default.max_urls)
    table.check(
        "max_urls",
        max_urls,
        lambda n: 1 <= n <= SITEMAP_MAX_URLS,
        f"must be between 1 and {SITEMAP_MAX_URLS} (sitemaps.org limit)",
    )
    max_bytes = table.take("max_bytes", int, default.max_bytes)
    table.check(
        "max_bytes",
        max_bytes,
        lambda n: 1024 <= n <= SITEMAP_MAX_BYTES,
        f"must be between 1024 and {SITEMAP_MAX_BYTES} (sitemaps.org limit: 50 MB uncompressed)",
    )
    return SitemapSettings(
        path=_file_name(table, "path", default.path),
        max_urls=max_urls,
        max_bytes=max_bytes,
        gzip=table.take("gzip", bool, default.gzip),
        news=_news(table, site_language, warnings) if "news" in table.data else None,
        # Globs of post files, relative to the config file's folder like every path (jekyll-sitemap's exclusions).
        exclude=tuple(str(base / pattern) for pattern in table.take_strings("exclude", ())),
    )


MAX_DEADLINE = 86_400.0  # a day: past it, a thread's timeout overflows (`inf` was an internal error)


def _news(sitemap: _Table, site_language: str | None, warnings: list[str]) -> NewsSettings | None:
    """The news sitemap's settings; None, with a warning in `warnings`, when its language would be taken from a
    site.language that does not say which Chinese script (Google News takes neither "zh" nor a guess; stopping
    every build there would stop the feeds and sitemap of a site that built before)."""
    table = sitemap.take_table("news")
    language = _news_language(site_language or "")
    unsaid = "language" not in table.data and language == "zh"
    news = NewsSettings(
        name=table.check("name", table.take("name", str), lambda n: bool(n.strip()), "must not be empty"),
        language=table.check(
            "language",
            table.take("language", str, language or _MISSING).lower(),  # Google's codes are lower case
            lambda code: bool(NEWS_LANGUAGE.fullmatch(code)),
            'must be an ISO 639 code like "ko" or "en" (or "zh-cn", "zh-tw")',
        ),
        path=_file_name(table, "path", NewsSettings.path),
    )
    table.finish()
    if unsaid:
        warnings.append(
            f'{table.where("language")} is not set and site.language "{site_language}" does not say which Chinese '
            'script; Google News takes "zh-cn" (Simplified) or "zh-tw" (Traditional): no news sitemap is written '
            "until it is set"
        )
        return None
    return news


def _news_language(tag: str) -> str:
    """Google News's code for a BCP 47 language tag: its ISO 639 code ("ko-KR" is "ko"), but "zh-cn" for Simplified
    Chinese and "zh-tw" for Traditional, the only codes it takes for Chinese; "zh" when the tag does not say which."""
    primary, *subtags = tag.lower().split("-")
    if primary != "zh":
        return primary
    for subtag in subtags:  # the script before the region (zh-Hant-CN is Traditional)
        if subtag in ("hans", "cn", "sg", "my"):
            return "zh-cn"
        if subtag in ("hant", "tw", "hk", "mo"):
            return "zh-tw"
    return primary


def _ping(table: _Table) -> PingSettings:
    default = PingSettings()
    hubs = tuple(check_http_url("ping.websub_hubs", u) for u in table.take_strings("websub_hubs", ()))
    endpoint = table.take("indexnow_endpoint", str, "") or None
    if endpoint:
        check_http_url("ping.indexnow_endpoint", endpoint)
    key_env = table.take("indexnow_key_env", str, default.indexnow_key_env)
    table.check(
        "indexnow_key_env",
        key_env,
        lambda k: bool(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k)),
        "must be an environment variable name",
    )
    xmlrpc = tuple(check_http_url("ping.xmlrpc", u) for u in table.take_strings("xmlrpc", ()))
    urls = table.take_strings("urls", ())
    for template in urls:
        filled = template.replace("{feed}", "x").replace("{sitemap}", "x").replace("{site}", "x")
        if "{" in filled or "}" in filled:  # `{fed}` was sent as written
            raise ConfigError(f"ping.urls: {template!r} has a placeholder other than {{feed}}, {{sitemap}}, {{site}}")
        check_http_url("ping.urls", filled)
    timeout = table.check(
        "timeout",
        table.take("timeout", float, default.timeout),
        lambda t: 0 < t <= MAX_DEADLINE,
        f"must be positive, at most {MAX_DEADLINE:g} seconds",
    )
    deadline = table.check(
        "deadline",
        table.take("deadline", float, default.deadline),
        lambda t: 0 < t <= MAX_DEADLINE,
        f"must be positive, at most {MAX_DEADLINE:g} seconds",
    )
    previous = table.take("previous", str, "")
    if previous:  # "" (the default) serves none
        previous = _file_name(table, "previous", previous)
    return PingSettings(
        previous=previous,
        websub_hubs=hubs,
        indexnow_endpoint=endpoint,
        indexnow_key_env=key_env,
        xmlrpc=xmlrpc,
        urls=urls,
        timeout=timeout,
        deadline=deadline,
        robots_txt=table.take("robots_txt", bool, default.robots_txt),
    )
