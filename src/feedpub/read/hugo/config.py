"""A Hugo site's configuration as Hugo 0.111.3 reads it, reduced to what decides which posts exist and where.

Observed (docs/guide.md, "Hugo sites"): `hugo.*` wins over `config.*` at the root; `config/_default/` is merged
over the root file, then `config/production/` over that (the environment both `hugo` and `hugo list` use);
a split file `params.toml` is the `[params]` table, `params.en.toml` the English one; keys are
case-insensitive.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from feedpub.dates import zone_named
from feedpub.errors import ConfigError
from feedpub.plain_files import bounded_walk, read_plain_head
from feedpub.read.config_files import inside_site, read_mapping, refuse_unreadable, within
from feedpub.read.go_yaml import GoFloat, go_integer
from feedpub.read.hugo.booleans import is_true
from feedpub.read.hugo.goldmark import GoldmarkOptions
from feedpub.read.hugo.paths import check_pattern
from feedpub.state.stamps import Inputs
from feedpub.urls import check_permalink_pattern, is_http_url

ROOT_NAMES = (
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config.toml",
    "config.yaml",
    "config.yml",
    "config.json",
)
_SUFFIXES = (".toml", ".yaml", ".yml", ".json")
ENVIRONMENT = "production"  # Hugo's default for `hugo` and `hugo list`
# Each date of a page and the front matter keys `:default` stands for (gohugo.io's [frontmatter] defaults,
# confirmed by the dates-permalinks fixture: publishDate falls back to the `date` key).
DATE_DEFAULTS = {
    "date": ("date", "publishdate", "pubdate", "published", "lastmod", "modified"),
    "publishdate": ("publishdate", "pubdate", "published", "date"),
    "lastmod": (":git", "lastmod", "modified", "date", "publishdate", "pubdate", "published"),
    "expirydate": ("expirydate", "unpublishdate"),
}
# Every front matter key a date comes from.
DATE_KEYS = frozenset(key for sources in DATE_DEFAULTS.values() for key in sources if not key.startswith(":"))


@dataclass(frozen=True)
class Language:
    key: str  # as [languages] names it: "ko", "en"
    content_dir: Path
    title: str
    code: str  # languageCode ("ko-KR"), or the key
    prefix: str  # "" or "en/": where its pages live under the base URL
    # Its own [permalinks] and uglyURLs ([languages.en.permalinks]): they replace the site's (observed: a
    # language's table without a pattern for a section leaves that section's pages at Hugo's default URL).
    permalinks: tuple[tuple[str, str], ...] | None = None
    ugly_urls: bool | tuple[str, ...] | None = None
    # The site's settings [languages.<key>] sets for its own pages (Hugo 0.111.3 reads them per language,
    # observed: a Korean table's timeZone dates its pages in Seoul): None where the site's apply.
    timezone: ZoneInfo | None = None
    build_future: bool | None = None
    build_expired: bool | None = None
    has_cjk: bool | None = None
    summary_length: int | None = None
    taxonomies: tuple[tuple[str, str], ...] | None = None  # its own [taxonomies], in place of the site's (observed)
    main_sections: tuple[str, ...] | None = None  # its own params' mainSections (HugoConfig.main_sections)
    # Its own services.rss.limit (or rssLimit): Hugo lists that many in its feeds (observed: [languages.ko.services.rss]
    # limit = 3 gives ko/index.xml 3 items); feedpub has one limit for every language, which init says.
    rss_limit: int | None = None
    params_json: str | None = None  # the params its pages see (HugoConfig.params_json), where it has params of its own
    # Whether a languageCode gave `code`: Hugo's feeds have a <language> then alone, the key's own code too (observed:
    # languageCode = "ko" beside defaultContentLanguage = "ko" is <language>ko</language>; unset, none).
    has_language_code: bool = False
    # Its own params' description (`[languages.ko.params] description`, or `[languages.ko] description`): what its
    # pages see as site.Params.description (observed), where feeds take the site's description from; None: the site's.
    description: str | None = None


@dataclass(frozen=True)
class HugoConfig:
    """What feedpub takes from a Hugo configuration; every field is hashable (it keys the cache)."""

    files: tuple[Path, ...]  # the files read, in merge order
    base_url: str  # ends with "/", may carry a path
    title: str
    description: str
    author: object  # params.author (or author): a name, a table as its (key, value) pairs, or None
    timezone: ZoneInfo
    languages: tuple[Language, ...]  # the default language first, then by weight
    permalinks: tuple[tuple[str, str], ...]  # (section, pattern), lower-case sections
    ugly_urls: bool | tuple[str, ...]  # everywhere, or in these sections
    lower_paths: bool
    remove_accents: bool
    rss_name: str  # the RSS file's name in a page's folder: index.xml, or as outputFormats.RSS says (rss/feed.xml)
    rss_limit: int  # -1: all
    build_drafts: bool
    build_future: bool
    build_expired: bool
    dates: tuple[tuple[str, tuple[str, ...]], ...]  # date kind -> front matter keys and :filename etc.
    taxonomies: tuple[tuple[str, str], ...]  # (singular in lower case, plural as written) as [taxonomies] names them
    main_sections: tuple[str, ...]  # params.mainSections; () when Hugo picks them (a language's: for_language)
    has_cjk: bool
    summary_length: int
    publish_dir: Path
    static_dirs: tuple[Path, ...]  # `staticDir`: one folder, or a list of them whose files Hugo serves together
    # What a page's content depends on: Goldmark's options and the site params the `param` shortcode prints
    # (lower-case keys, as JSON: nested tables stay hashable; a value JSON has no form for, a date, is null).
    goldmark: GoldmarkOptions = field(default_factory=GoldmarkOptions)
    params_json: str = "{}"
    ignore_files: tuple[str, ...] = ()  # `ignoreFiles`: regular expressions of file paths Hugo leaves alone
    cascade_json: str = "null"  # the site's `cascade` (a mapping, or a list of them), as JSON: it stays hashable
    disabled_languages: tuple[str, ...] = ()  # `disabled = true` or `disableLanguages`: their files publish nothing
    # `disableKinds` as written: Hugo 0.111.3 matches them case-sensitively ("term" turns off the category and tag
    # pages, "Term" nothing; observed), so they are kept so and compared so.
    disabled_kinds: tuple[str, ...] = ()
    # The output formats of a page that names none (`[outputs] page`, lower case): without "html", no page is
    # written (observed), and feedpub has nothing to link.
    page_outputs: tuple[str, ...] = ("html",)
    canonify_urls: bool = False  # `canonifyURLs`: root-relative URLs in pages are written from baseURL
    # `relativeURLs`: root-relative URLs in pages are written relative to the page, so from baseURL once resolved
    # (observed: /images/x.png on a /blog/ site is ../../images/x.png from /blog/posts/a/, /blog/images/x.png).
    relative_urls: bool = False
    enable_emoji: bool = False  # `enableEmoji`: `:tada:` in a page's text is 🎉
    # The site's own shortcodes whose template prints their inner text as written, not as Markdown (sorted names;
    # _raw_inner_shortcodes): `{{< aside >}}*x*{{< /aside >}}` is `*x*` in them.
    raw_inner_shortcodes: tuple[str, ...] = ()
    _by_language: dict[str, HugoConfig] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def default_language(self) -> Language:
        return self.languages[0]

    @property
    def static_dir(self) -> Path:
        """The first of the static folders: the one config.toml's `site.static_dir` can name."""
        return self.static_dirs[0]

    @functools.cached_property
    def language_keys(self) -> frozenset[str]:
        """The keys a content file's name may end with to be in a language (the site's languages', the disabled
        ones' too): asked of every page file, made once."""
        return frozenset(lang.key for lang in self.languages) | frozenset(self.disabled_languages)

    def language(self, key: str) -> Language:
        """The language of that key ("": the default language)."""
        return next((lang for lang in self.languages if lang.key == key), self.default_language)

    def for_language(self, key: str) -> HugoConfig:
        """The configuration a page of the language `key` is read under: the site's, with what its
        [languages.<key>] table sets of them."""
        if (made := self._by_language.get(key)) is not None:
            return made  # asked several times a page: made once
        language = self.language(key)
        overrides = {
            name: value
            for name in (
                "timezone",
                "build_future",
                "build_expired",
                "has_cjk",
                "summary_length",
                "taxonomies",
                "main_sections",
                "params_json",
            )
            if (value := getattr(language, name)) is not None
        }
        made = dataclasses.replace(self, **overrides) if overrides else self
        self._by_language[key] = made
        return made

    @functools.cached_property
    def term_keys(self) -> tuple[str | None, str | None]:
        """`taxonomy` of "categories" and of "tags", made once: every page asks for both."""
        return self.taxonomy("categories"), self.taxonomy("tags")

    def taxonomy(self, kind: str) -> str | None:
        """The plural name (front matter key and folder) of the taxonomy that is feedpub's `kind`, "categories" or
        "tags", in lower case: the one of that name, else the one whose singular is "category" or "tag"
        (`[taxonomies] category = "분류"`: a page's `분류` are its categories, at /분류/<term>/); None when the site
        has neither."""
        written = self.taxonomy_as_written(kind)
        return written.lower() if written is not None else None

    def taxonomy_as_written(self, kind: str) -> str | None:
        """The plural name of the taxonomy that is feedpub's `kind` (see `taxonomy`) as [taxonomies] writes it."""
        singular = {"categories": "category", "tags": "tag"}[kind]
        named = [plural for _, plural in self.taxonomies if plural.lower() == kind]
        return next(iter(named), None) or next((p for one, p in self.taxonomies if one == singular), None)

    @property
    def dates_from_commits(self) -> bool:
        """Whether a page's date may be its file's last commit's (`:git`, kept only with enableGitInfo)."""
        return any(":git" in sources for _, sources in self.dates)


def lower_keys(value: Any) -> Any:
    """Hugo's config keys are case-insensitive (`SummaryLength = 12` works): compare them in lower case."""
    if isinstance(value, str):
        return value  # most values: asked first, as isinstance(…, Mapping) is an ABC's slower check
    if isinstance(value, Mapping):
        return {str(k).lower(): lower_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lower_keys(v) for v in value]
    return value


def _merge(into: dict[str, Any], data: Mapping[str, Any]) -> None:
    """Tables merge key by key (a production params.toml overrides single params); other values replace."""
    for key, value in data.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = dict(value) if isinstance(value, Mapping) else value


def raw_config(source: Path, inputs: Inputs | None = None) -> tuple[dict[str, Any], tuple[Path, ...]]:
    """The merged settings (lower-case keys) and the files they came from, the themes' included; ConfigError when
    the site has none. `inputs`: told of every file and folder looked at."""
    merged, files, _ = _site_and_themes(source, inputs if inputs is not None else Inputs())
    return merged, files


def _site_and_themes(source: Path, inputs: Inputs) -> tuple[dict[str, Any], tuple[Path, ...], tuple[Path, ...]]:
    """raw_config's settings and files, and the folders of the themes read, first listed first."""
    merged, files = _folder_config(source, source, inputs)
    if not files:
        refuse_unreadable((source / name for name in ROOT_NAMES), source)
        names = ", ".join(ROOT_NAMES)
        raise ConfigError(f"{source}: no Hugo config ({names}, or config/_default/); pass the folder that has it")
    themes = _themes_config(source, merged, inputs)
    for _, theme_data, theme_files in themes:
        for key, levels in _THEME_KEYS.items():
            if key in theme_data:
                _fill(merged, {key: theme_data[key]}, levels)
        files.extend(theme_files)
    return merged, tuple(files), tuple(folder for folder, _, _ in themes)


# What Hugo 0.111.3 takes of a theme's config (observed), as defaults the site's own settings win over (the first
# theme listed over the next), with the levels below the key a theme's entries fill (None: every level): its params
# key by key, and the output formats and media types the site does not define, each whole (a site's
# [outputFormats.RSS] leaves the theme's baseName and path aside; its media types are what a theme's Atom and JSON
# Feed formats write: without them Hugo stops, "media type not found"). Not its markup, outputs, permalinks,
# taxonomies, frontmatter, cascade, disableKinds, uglyURLs, enableEmoji, summaryLength, services.rss or languages.
_THEME_KEYS: dict[str, int | None] = {"params": None, "outputformats": 1, "mediatypes": 1}


def _folder_config(folder: Path, source: Path, inputs: Inputs) -> tuple[dict[str, Any], list[Path]]:
    """The settings (lower-case keys) of a site's folder, or a theme's, and the files they came from: its root
    config file, then config/_default/ and config/production/; files read only inside `source`, the site."""
    merged: dict[str, Any] = {}
    files = []
    root = next((folder / n for n in ROOT_NAMES if _looked_for(inputs, folder / n)), None)
    if root is not None:
        merged = lower_keys(read_mapping(root, source))
        if root.name == "config.toml" and {"site", "posts"} <= merged.keys():
            # feedpub's own config.toml (init writes it beside hugo.toml), not Hugo's legacy one: with hugo.toml
            # gone, every link was made from its settings, relative and wrong.
            merged = {}
        else:
            files.append(root)
    for environment in ("_default", ENVIRONMENT):
        settings = folder / "config" / environment
        inputs.folder(settings)
        if not settings.is_dir():
            continue
        for path in sorted(p for p in settings.iterdir() if p.suffix in _SUFFIXES and p.is_file()):
            inputs.file(path)
            data = lower_keys(read_mapping(path, source))
            name = path.stem.lower()
            if name in ("hugo", "config"):
                _merge(merged, data)
            elif "." in name:
                key, language = name.split(".", 1)
                # params.en.toml and menus.en.toml are [languages.en.params] and [languages.en.menus]; any other
                # name so suffixed is [languages.en] itself (observed: languages.en.toml, as a Blowfish site keeps
                # each language, and config.en.toml with [permalinks]; permalinks.en.toml is its "posts" key).
                _merge(merged, {"languages": {language: {key: data} if key in ("params", "menus") else data}})
            else:
                _merge(merged, {name: data})
            files.append(path)
    return merged, files


def _themes_config(
    source: Path, site: Mapping[str, Any], inputs: Inputs
) -> list[tuple[Path, dict[str, Any], list[Path]]]:
    """The folder and config of each theme the site names (`theme`, one or a list; a theme's own `theme` after
    it), first listed first, each folder read once. Passed over: a theme without a folder under themesDir (a Hugo
    module feedpub cannot fetch), and one outside the site (`themesDir = "../.."` of a theme's example site, a
    theme linked in from elsewhere, `../..`): Hugo reads it, feedpub reads only the site, and a theme's settings
    are only defaults (refusing them stopped every build of such sites)."""
    if not site.get("theme"):
        return []
    try:
        inputs.file(source / str(site.get("themesdir") or "themes"))  # a link to another folder: no record
        themes_dir = (source / str(site.get("themesdir") or "themes")).resolve()
        if not themes_dir.is_relative_to(source.resolve()):
            return []
    except (OSError, ValueError):  # a loop of links, a NUL in the name
        return []
    found: list[tuple[Path, dict[str, Any], list[Path]]] = []
    read: set[Path] = set()  # by folder, not name: "a", "./a", "a/" are one theme (each was read again)
    pending = [str(name) for name in reversed(_one_or_list(site.get("theme")))]  # a stack: the next is last
    while pending:
        name = pending.pop()
        try:
            inputs.file(themes_dir / name)  # whether the theme is there at all; a link: no record
            folder = (themes_dir / name).resolve()
            usable = folder.is_relative_to(themes_dir) and folder.is_dir()
        except (OSError, ValueError):
            continue
        if not usable or folder in read:
            continue
        read.add(folder)
        data, files = _folder_config(folder, source, inputs)
        found.append((folder, data, files))
        # Its own themes come after it, before the next one the site lists (Hugo's imports, depth first).
        pending += [str(nested) for nested in reversed(_one_or_list(data.get("theme")))]
    return found


def _looked_for(inputs: Inputs, path: Path) -> bool:
    """Whether `path` is a file, told to `inputs` either way: a hugo.toml made where none was changes the site."""
    inputs.file(path)
    return path.is_file()


def _fill(into: dict[str, Any], data: Mapping[str, Any], levels: int | None) -> None:
    """Set what `into` lacks from `data`, table by table down `levels` levels below its own (None: all of them):
    `into`'s own values win (a theme's are defaults)."""
    for key, value in data.items():
        if key not in into:
            into[key] = dict(value) if isinstance(value, Mapping) else value
        elif isinstance(value, Mapping) and isinstance(into[key], dict) and levels != 0:
            _fill(into[key], value, None if levels is None else levels - 1)


def load_config(source: Path, inputs: Inputs | None = None, base_url: str | None = None) -> HugoConfig:
    """Read a Hugo site's configuration; ConfigError naming the file and key when it cannot be used. `inputs`: told
    of every file and folder looked at; `base_url`: what `hugo --baseURL` gets (posts.baseurl), over the config's
    baseURL as the flag is."""
    inputs = inputs if inputs is not None else Inputs()
    data, files, themes = _site_and_themes(source, inputs)
    where = f"{source} (Hugo config)"
    params = _table(data, "params")
    # Before the site's baseURL: a multihost site need not have one, and "baseURL is missing" sent its owner to
    # write one feedpub would then refuse.
    for key, settings in _table(data, "languages").items():
        if isinstance(settings, Mapping) and settings.get("baseurl"):
            raise ConfigError(
                f"{where}: languages.{key}.baseURL: a language served at its own address (Hugo's multihost) is "
                "not something feedpub publishes; its links would all be at the site's baseURL"
            )
    base_url = str((data.get("baseurl") if base_url is None else base_url) or "").strip()
    if not is_http_url(base_url):
        raise ConfigError(
            f"{where}: baseURL is {'missing' if not base_url else repr(base_url)}; set it to the absolute http(s) "
            "address the site is served at: every link and id in the feeds is made from it"
        )
    if not base_url.endswith("/"):
        base_url += "/"
    for mount in _mounts(data):
        if str(mount.get("target") or "").strip("/").split("/")[0] == "content":
            raise ConfigError(
                f"{where}: module.mounts: a folder mounted into content ({mount.get('source')!r}) is not read by "
                "feedpub; its pages would be missing from the feeds and sitemaps"
            )
    timezone = _zone(str(data.get("timezone") or "UTC"), f"{where}: timeZone")
    patterns = _permalinks(_table(data, "permalinks"), where)
    ugly_urls = _ugly_urls(data.get("uglyurls", False))
    rss = _table(_table(data, "outputformats"), "rss")
    front = _table(data, "frontmatter")
    git_info = is_true(data.get("enablegitinfo"))
    dates = tuple((kind, _date_sources(kind, front.get(kind), git_info)) for kind in DATE_DEFAULTS)
    taxonomies = data.get("taxonomies", {"tag": "tags", "category": "categories"})
    content = inside_site(source, source / str(data.get("contentdir") or "content"), f"{where}: contentDir")
    return HugoConfig(
        files=files,
        base_url=base_url,
        title=str(data.get("title") or ""),
        description=str(params.get("description") or data.get("description") or ""),
        author=_author(params.get("author") or data.get("author")),
        timezone=timezone,
        languages=_languages(data, source, content, where),
        permalinks=patterns,
        ugly_urls=ugly_urls,
        lower_paths=not is_true(data.get("disablepathtolower")),
        remove_accents=is_true(data.get("removepathaccents")),
        rss_name=_rss_name(rss, where),
        rss_limit=_rss_limit(data),
        build_drafts=is_true(data.get("builddrafts")),
        build_future=is_true(data.get("buildfuture")),
        build_expired=is_true(data.get("buildexpired")),
        dates=dates,
        taxonomies=_taxonomies(taxonomies),
        canonify_urls=is_true(data.get("canonifyurls")),
        relative_urls=is_true(data.get("relativeurls")),
        enable_emoji=is_true(data.get("enableemoji")),
        main_sections=_main_sections(params.get("mainsections")),
        has_cjk=is_true(data.get("hascjklanguage")),
        summary_length=go_int(data.get("summarylength", 70)),
        publish_dir=source / str(data.get("publishdir") or "public"),
        static_dirs=_static_dirs(source, data.get("staticdir"), where),
        goldmark=GoldmarkOptions.from_config(_table(_table(data, "markup"), "goldmark")),
        params_json=_params_json(params),
        ignore_files=_ignore_files(data.get("ignorefiles")),
        cascade_json=json.dumps(_site_cascade(data.get("cascade")), default=str, sort_keys=True),
        disabled_languages=_disabled_languages(data),
        disabled_kinds=_disabled_kinds(data.get("disablekinds")),
        page_outputs=output_formats(_table(data, "outputs").get("page")) or ("html",),
        raw_inner_shortcodes=_raw_inner_shortcodes(
            source, (source / str(data.get("layoutdir") or "layouts"), *(theme / "layouts" for theme in themes)), inputs
        ),
    )


# What renders a shortcode's inner text as Markdown in its template (`{{ .Inner | markdownify }}`, `{{ .Inner |
# .Page.RenderString }}`); without either, `{{ .Inner }}` prints the text as written (observed: `<aside>{{ .Inner
# }}</aside>` around `*x*` is `<aside>*x*</aside>`, as Hugo runs no Markdown on a `{{< >}}` shortcode's inner text).
_MARKDOWN_CALLS = re.compile(rb"markdownify|RenderString")
_TEMPLATE_BYTES = 1 << 20  # a shortcode template is a few KB; what is past this is not read


def _raw_inner_shortcodes(source: Path, layout_dirs: tuple[Path, ...], inputs: Inputs) -> tuple[str, ...]:
    """The names (`aside`, `docs/tip`) of the shortcodes whose template prints their inner text as written: the
    first of `layout_dirs` (the site's, then each theme's) with a template of a name decides, Markdown when any of
    its variants there (`aside.en.html`) renders Markdown. A shortcode whose template feedpub cannot see (a Hugo
    module's) is none of them: its inner text stays Markdown, as most themes' templates render it."""
    decided: dict[str, bool] = {}
    for layouts in layout_dirs:
        folder = layouts / "shortcodes"
        if not within(source, folder) or not inputs.tree(folder, source):
            continue  # feedpub reads only the site, and stamps nothing else (a link to / was walked whole)
        found: dict[str, bool] = {}
        for top, folders, names in bounded_walk(folder):
            folders[:] = sorted(name for name in folders if not name.startswith("."))
            for file_name in sorted(names):
                path = os.path.join(top, file_name)
                if not file_name.endswith(".html") or file_name.startswith(".") or os.path.islink(path):
                    continue  # a link: its target may be anywhere on the machine
                name = Path(os.path.relpath(path, folder)).parent.joinpath(file_name.split(".")[0]).as_posix()
                found[name] = found.get(name, False) or _renders_markdown(path)
        for name, markdown in found.items():
            decided.setdefault(name, markdown)
    return tuple(sorted(name for name, markdown in decided.items() if not markdown))


def _renders_markdown(path: str) -> bool:
    """Whether the template at `path` renders Markdown (_MARKDOWN_CALLS); one that cannot be read is taken to."""
    try:  # a pipe committed as a template made every build (and `init`) wait on it forever, holding the lock
        return _MARKDOWN_CALLS.search(read_plain_head(path, _TEMPLATE_BYTES)) is not None
    except OSError:
        return True


def output_formats(value: object) -> tuple[str, ...]:
    """The output formats `outputs` names (a list, or one as text), in lower case (Hugo's names are not cased);
    () for none: the page takes the site's."""
    return tuple(str(name).lower() for name in _one_or_list(value))


def _rss_name(rss: Mapping[str, Any], where: str) -> str:
    """Where Hugo writes a page's RSS, relative to the page's folder: outputFormats.RSS baseName (index) + ".xml",
    in the folder its `path` names (observed: `path = "rss"` puts the home feed at /rss/feed.xml, a tag's at
    /tags/go/rss/feed.xml); ConfigError for a path that leaves the page's folder."""
    folders = [part for part in str(rss.get("path") or "").split("/") if part]
    if any(part in (".", "..") for part in folders):
        raise ConfigError(f"{where}: outputFormats.RSS.path {rss.get('path')!r} leaves the page's folder")
    return "/".join([*folders, str(rss.get("basename") or "index") + ".xml"])


# Hugo 0.111.3's own output formats: name (lower case) -> (media type, baseName, path); observed, each listed in
# a home page's [outputs].
_OUTPUT_FORMATS = {
    "amp": ("text/html", "index", "amp"),
    "calendar": ("text/calendar", "index", ""),
    "css": ("text/css", "styles", ""),
    "csv": ("text/csv", "index", ""),
    "html": ("text/html", "index", ""),
    "json": ("application/json", "index", ""),
    "markdown": ("text/markdown", "index", ""),
    "robots": ("text/plain", "robots", ""),
    "rss": ("application/rss+xml", "index", ""),
    "sitemap": ("application/xml", "sitemap", ""),
    "webappmanifest": ("application/manifest+json", "manifest", ""),
}
# The file suffix of each media type of Hugo 0.111.3's an output format may use (observed; [mediaTypes] may
# define others). One it does not know stops Hugo ("media type not found").
_MEDIA_SUFFIXES = {
    "application/json": "json",
    "application/manifest+json": "webmanifest",
    "application/rss+xml": "xml",
    "application/toml": "toml",
    "application/xml": "xml",
    "application/yaml": "yaml",
    "image/svg+xml": "svg",
    "text/calendar": "ics",
    "text/css": "css",
    "text/csv": "csv",
    "text/html": "html",
    "text/javascript": "js",
    "text/markdown": "md",
    "text/plain": "txt",
    "text/typescript": "ts",
}


@dataclass(frozen=True)
class OutputFiles:
    """The files Hugo writes for the site's home and term pages, where feedpub writes its feeds."""

    names: frozenset[str]  # relative to the home page's folder (each language's) or a term page's
    home_rss: bool  # whether the home page has an RSS output ([outputs] home and disableKinds may leave it out)


def output_files(source: Path) -> OutputFiles:
    """The files the output formats of the Hugo site in `source` write for its home and term pages (a home that
    lists an Atom format of `baseName = "atom"`, a common recipe, has its own atom.xml)."""
    data, _ = raw_config(source)
    disabled = _disabled_kinds(data.get("disablekinds"))  # as written: "RSS" turns the RSS output off, "rss" not
    outputs = _table(data, "outputs")
    names: set[str] = set()
    home_rss = False
    for kind in ("home", "term"):
        if kind in disabled:
            continue
        formats = output_formats(outputs.get(kind)) or ("html", "rss")  # Hugo's default for either kind
        if "RSS" in disabled:
            formats = tuple(name for name in formats if name != "rss")
        if kind == "home":
            home_rss = "rss" in formats
        names |= {file for name in formats if (file := _output_file(data, name)) is not None}
    return OutputFiles(frozenset(names), home_rss)


def _output_file(data: Mapping[str, Any], name: str) -> str | None:
    """Where the output format `name` writes a page's file, relative to the page's folder; None when Hugo would not
    know its suffix."""
    own = _table(_table(data, "outputformats"), name)
    media_type, base_name, path = _OUTPUT_FORMATS.get(name, ("", "index", ""))
    media_type = str(own.get("mediatype") or media_type).lower()
    suffixes = _one_or_list(_table(_table(data, "mediatypes"), media_type).get("suffixes"))
    suffix = str(suffixes[0]) if suffixes else _MEDIA_SUFFIXES.get(media_type)
    if suffix is None:
        return None
    folders = [part for part in str(own.get("path") or path).split("/") if part]
    return "/".join([*folders, f"{own.get('basename') or base_name}.{suffix}"])


def _disabled_kinds(value: Any) -> tuple[str, ...]:
    """`disableKinds`: a list of page kinds, or one as a string (Hugo takes both)."""
    return tuple(sorted({str(kind) for kind in _one_or_list(value)}))


def _one_or_list(value: object) -> list[Any]:
    """A setting Hugo takes as a list of names or as one name written as text; [] for anything else."""
    return [value] if isinstance(value, str) else value if isinstance(value, list) else []


def _permalinks(table: Mapping[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    """[permalinks] (the site's or a language's): (section, pattern), sections in lower case as Hugo reads config
    keys (so none is for a folder with an upper-case letter); ConfigError where Hugo
    0.111.3 would refuse a pattern or crash."""
    if isinstance(table.get("page"), Mapping) or isinstance(table.get("section"), Mapping):
        raise ConfigError(
            f"{where}: [permalinks.page] / [permalinks.section] make Hugo 0.111.3 crash; "
            'write [permalinks] section = "pattern"'
        )
    patterns = tuple(sorted((str(k).lower(), str(v)) for k, v in table.items() if isinstance(v, str)))
    for section, pattern in patterns:
        check_permalink_pattern(f"{where}: permalinks.{section}", pattern)
        check_pattern(section, pattern)
    return patterns


def _ugly_urls(value: Any) -> bool | tuple[str, ...]:
    """uglyURLs: everywhere, or in the sections a table sets true."""
    if isinstance(value, Mapping):
        return tuple(sorted(str(k).lower() for k, v in value.items() if is_true(v)))
    return is_true(value)


def _site_cascade(value: Any) -> Any:
    """The site's `cascade` as Hugo 0.111.3 applies it: a list of them ([[cascade]]) gives no dates (observed:
    `expiryDate` there is ignored; the keys are lower-cased here, so the date keys of a list all go)."""
    if not isinstance(value, list):
        return value
    return [{k: v for k, v in entry.items() if k not in DATE_KEYS} for entry in value if isinstance(entry, Mapping)]


def _ignore_files(value: Any) -> tuple[str, ...]:
    """`ignoreFiles` as Hugo 0.111.3 reads it (observed), by cast.ToStringSlice: a list's items as text (a table or
    a list in it is "", which matches every file: Hugo publishes no page), text split at white space, another
    single value as text (`ignoreFiles = 5` is "5"), a table nothing (a YAML set too: a mapping to go-yaml). A
    pattern Go's regexp refuses is passed over: Hugo logs it and builds (feedpub stopped every build over it, and
    over a number with an internal error)."""
    if isinstance(value, str):
        written = value.split()
    elif isinstance(value, list):
        written = [_go_string(item) for item in value]
    else:
        written = [] if value is None or isinstance(value, Mapping | set) else [_go_string(value)]
    return tuple(pattern for pattern in written if _is_go_regexp(pattern))


def _go_string(value: object) -> str:
    """A value as Go's cast.ToString writes it: a boolean "true", a float as Go prints one ("1" for 1.0, "+Inf");
    "" for a list, a table (a YAML set) or nothing; a date as ISO text (Go's own form for one with a time differs,
    and matches no file either way)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(GoFloat(value))
    if value is None or isinstance(value, list | Mapping | set):
        return ""
    return str(value)


def _is_go_regexp(pattern: str) -> bool:
    try:
        go_regexp(pattern)
    except ValueError:
        return False
    return True


@functools.cache
def go_regexp(pattern: str) -> Any:
    """`pattern` compiled as Go's regexp reads it, by RE2 (Google's library, whose syntax Go's follows): matched in
    time linear in the text. Python's `re` backtracks: `^(.+)+\\.x$` in ignoreFiles took every page of a site past
    its 10 s, and every build published nothing. ValueError for a pattern RE2 refuses."""
    import re2  # type: ignore[import-untyped]  # here: only a site with ignoreFiles pays for it

    options = re2.Options()
    options.log_errors = False  # its C++ log would print each refusal on stderr, beside our message
    try:
        return re2.compile(pattern, options)
    except re2.error as error:
        reason = error.args[0].decode("utf-8", "replace") if error.args and isinstance(error.args[0], bytes) else error
        raise ValueError(str(reason)) from None


def _mounts(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    mounts = _table(data, "module").get("mounts")
    if isinstance(mounts, Mapping):
        mounts = [mounts]
    return [mount for mount in mounts if isinstance(mount, Mapping)] if isinstance(mounts, list) else []


def _disabled_languages(data: Mapping[str, Any]) -> tuple[str, ...]:
    listed = data.get("disablelanguages")
    disabled = {str(key).lower() for key in listed} if isinstance(listed, list) else set()
    for key, settings in _table(data, "languages").items():
        if isinstance(settings, Mapping) and is_true(settings.get("disabled")):
            disabled.add(str(key).lower())
    return tuple(sorted(disabled))


def _main_sections(value: object) -> tuple[str, ...]:
    """`mainSections`: a list of sections, or one as text; () for none (Hugo picks one)."""
    return tuple(str(section) for section in _one_or_list(value))


def _language_params(settings: Mapping[str, Any]) -> dict[str, Any]:
    """A language's own params, as Hugo 0.111.3 makes them (observed with `param`): every key of its table
    ([languages.ko] author = "…", weight, title, params itself), then each of its [params] (`params.ko.toml`, a
    Blowfish `languages.en.toml`'s [params]). Where one key is in both, Hugo takes either at random (Go's map
    order): here [params] wins, as the one the documentation gives."""
    return {**settings, **_table(settings, "params")}


def _params_json(params: Mapping[str, Any]) -> str:
    """Params as JSON (HugoConfig.params_json): a value JSON has no form for, a date, is null."""
    return json.dumps(params, default=lambda _: None, sort_keys=True)


def _table(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _static_dirs(source: Path, value: object, where: str) -> tuple[Path, ...]:
    """`staticDir`'s folders, the first (which config.toml's static_dir names) refused outside the site, others
    outside it left out (feedpub reads only the site; it never read them before)."""
    first, *others = [source / str(name) for name in _one_or_list(value) if str(name)] or [source / "static"]
    return (inside_site(source, first, f"{where}: staticDir"), *(folder for folder in others if within(source, folder)))


def _author(value: object) -> object:
    """params.author (or author): a name, or a table as its (key, value) pairs; None for anything else, as a list of
    names (PaperMod's `author = ["A", "B"]`: init took its pairs for a table's, and failed with an internal error;
    Hugo's own RSS template takes a name and email from a table alone)."""
    return _hashable(value) if isinstance(value, str | Mapping) else None


def _hashable(value: Any) -> object:
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), _hashable(v)) for k, v in value.items()))
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def _taxonomies(configured: Any) -> tuple[tuple[str, str], ...]:
    """[taxonomies] as (singular, plural) pairs, the singular (a key) in lower case, the plural as written (its
    [permalinks] key must be written so); none when it is not a table."""
    if not isinstance(configured, Mapping):
        return ()
    return tuple((str(one).lower(), str(plural)) for one, plural in configured.items())


def _date_sources(kind: str, configured: Any, git_info: bool) -> tuple[str, ...]:
    """A [frontmatter] list with `:default` expanded; `:filename`, `:filemodtime` and `:git` stay as tokens,
    `:git` only with enableGitInfo (Hugo passes over it otherwise: observed)."""
    if isinstance(configured, str):
        configured = [configured]
    if not isinstance(configured, list):
        configured = [":default"]
    sources: list[str] = []
    for item in configured:
        name = str(item).lower()
        sources.extend(DATE_DEFAULTS[kind] if name == ":default" else [name])
    return tuple(source for source in sources if source != ":git" or git_info)


def _default_language(data: Mapping[str, Any], where: str) -> str:
    """`defaultContentLanguage`; ConfigError where Hugo 0.111.3 stops on it, or publishes none of its pages.

    Hugo compares it, as written, with the language keys, which it lower-cases (config keys are case-insensitive).
    One that names no language stops Hugo, as does an upper-case one on a site without [languages]; one that
    differs from its key only by case ("KO") builds a site without that language's pages or a home page (observed).
    """
    written = str(data.get("defaultcontentlanguage") or "en")
    default = written.lower()
    keys = list(_table(data, "languages"))
    if keys and default not in keys:
        raise ConfigError(
            f"{where}: defaultContentLanguage {written!r} names none of the languages ({', '.join(keys)}), and Hugo "
            "stops on it; name one of them"
        )
    if written != default:
        raise ConfigError(
            f"{where}: defaultContentLanguage {written!r} is not written as its language key {default!r}: Hugo "
            "compares them case-sensitively, and then stops or publishes none of that language's pages; "
            f"write {default!r}"
        )
    return default


_LANGUAGE_KEY = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def _zone(name: str, where: str) -> ZoneInfo:
    if (zone := zone_named(name)) is None:
        raise ConfigError(f"{where} {name!r} is not an IANA time zone")
    return zone


_INT64 = 2**63  # Go's int on amd64: -_INT64 up to _INT64 - 1


def _rss_limit(settings: Mapping[str, Any]) -> int:
    """How many pages Hugo 0.111.3's feeds list (-1: all): services.rss.limit, else (unset or 0) the older rssLimit,
    each a number as Hugo reads one (go_int: observed, `limit = "1"` lists one, `rssLimit = "2"` two, 1.7 one)."""
    limit = go_int(_table(_table(settings, "services"), "rss").get("limit")) or go_int(settings.get("rsslimit"))
    return limit if limit > 0 else -1


def _sets_rss_limit(settings: Mapping[str, Any]) -> bool:
    """Whether a config table names a feed limit (services.rss.limit or rssLimit)."""
    return "limit" in _table(_table(settings, "services"), "rss") or "rsslimit" in settings


def go_int(value: object) -> int:
    """A number as Hugo 0.111.3 reads it, by cast.ToInt (observed with summaryLength and weights): a float cut to its
    whole part, one past an int64 (inf, nan, 1e19) the least int64 (Go's conversion on amd64); text by Go's
    strconv.ParseInt ("0x10", "010" octal, "4.0" without its zero decimals); true 1; anything else 0, where Hugo
    builds on (a list, a table, "x": feedpub stopped every build over them, or failed with an internal error)."""
    if isinstance(value, int):  # true and false too: 1 and 0, as cast reads them
        return int(value)
    if isinstance(value, float):
        return int(value) if -_INT64 <= value < _INT64 else -_INT64  # nan compares false: the least too
    if isinstance(value, str):
        # cast's trimZeroDecimal: "4.0" and "4.00" are "4"; "4.5" and "4." stay, and are no integer.
        trimmed = found.group(1) if (found := re.fullmatch(r"(.*)\.0+\.*", value, re.S)) else value
        number = go_integer(trimmed)
        return number if number is not None and -_INT64 <= number < _INT64 else 0
    return 0


def _languages(data: Mapping[str, Any], source: Path, content: Path, where: str) -> tuple[Language, ...]:
    """The site's languages, the default first; each with its content folder and URL prefix."""
    default = _default_language(data, where)
    in_subdir = is_true(data.get("defaultcontentlanguageinsubdir"))
    table = _table(data, "languages")
    title, code = str(data.get("title") or ""), str(data.get("languagecode") or "")
    if default not in table:
        table = {**table, default: {}}
    found = []
    site_params = _table(data, "params")
    disabled = _disabled_languages(data)
    table = {key: settings for key, settings in table.items() if key not in disabled or key == default}
    for key, settings in table.items():
        settings = settings if isinstance(settings, Mapping) else {}
        if not _LANGUAGE_KEY.fullmatch(key):
            # The key is a folder of the output and of every URL of the language: "../x" would write outside.
            raise ConfigError(
                f"languages.{key}: not a language key (letters, digits, '-' or '_', like 'ko' or 'pt-br')"
            )
        folder = settings.get("contentdir")
        own = _language_params(settings)
        found.append(
            (
                key != default,
                settings.get("weight", 0) if isinstance(settings.get("weight"), int) else 0,
                key,
                Language(
                    key=key,
                    content_dir=inside_site(source, Path(os.path.normpath(source / str(folder))), f"languages.{key}")
                    if folder
                    else content,
                    title=str(settings.get("title") or title),
                    # A language tag in feeds (<language>, xml:lang): Hugo writes "ko_KR" as given, which feed
                    # validators refuse; the "-" form is the same tag.
                    code=str(settings.get("languagecode") or code or key).replace("_", "-"),
                    has_language_code=bool(settings.get("languagecode") or code),
                    prefix=f"{key}/" if len(table) > 1 and (key != default or in_subdir) else "",
                    permalinks=_permalinks(settings["permalinks"], f"{where} [languages.{key}]")
                    if isinstance(settings.get("permalinks"), Mapping)
                    else None,
                    ugly_urls=_ugly_urls(settings["uglyurls"]) if "uglyurls" in settings else None,
                    timezone=_zone(str(zone), f"{where}: languages.{key}.timeZone")
                    if (zone := settings.get("timezone"))
                    else None,
                    build_future=is_true(settings["buildfuture"]) if "buildfuture" in settings else None,
                    build_expired=is_true(settings["buildexpired"]) if "buildexpired" in settings else None,
                    has_cjk=is_true(settings["hascjklanguage"]) if "hascjklanguage" in settings else None,
                    summary_length=go_int(settings["summarylength"]) if "summarylength" in settings else None,
                    taxonomies=_taxonomies(settings["taxonomies"]) if "taxonomies" in settings else None,
                    main_sections=_main_sections(own["mainsections"]) if "mainsections" in own else None,
                    rss_limit=_rss_limit(settings) if _sets_rss_limit(settings) else None,
                    # Over the site's key by key: a language's table replaces the site's of that name whole
                    # (observed: [languages.ko.params.nested] other = "…" leaves nested.deep unset in Korean).
                    params_json=_params_json({**site_params, **own}) if own else None,
                    description=str(own["description"] or "") if "description" in own else None,
                ),
            )
        )
    return tuple(language for *_, language in sorted(found, key=lambda f: (f[0], f[1], f[2])))
