"""A Jekyll site's _config.yml as the post rules need it: its `_posts` folders, permalinks, defaults (§1, §5, §6)."""

from __future__ import annotations

import dataclasses
import fnmatch
import functools
import glob
import hashlib
import html
import itertools
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from feedpub.dates import zone_named
from feedpub.errors import ConfigError
from feedpub.plain_files import MAX_DEPTH
from feedpub.read.config_files import inside_site, read_mapping, refuse_unreadable, within
from feedpub.read.jekyll.urls import STYLES, liquid_text
from feedpub.state.stamps import Inputs, fresh_tree_stamp, leads_into
from feedpub.urls import check_permalink_pattern, percent_encoded, site_url_of

# Jekyll adds these to every site's `exclude` (Configuration::DEFAULTS plus its default excludes).
DEFAULT_EXCLUDES = (
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
)
# The configuration Jekyll reads in a site's folder, the first of these there is (its Configuration#config_files).
CONFIG_NAMES = ("_config.yml", "_config.yaml", "_config.toml")
# Jekyll's default `markdown_ext`.
MARKDOWN_EXTENSIONS = (".markdown", ".mkdown", ".mkdn", ".mkd", ".md")
# Singular scope types Jekyll still accepts, and what it reads them as.
_DEPRECATED_TYPES = {"post": "posts", "page": "pages", "draft": "drafts"}
# kramdown's texts that are written again at every place they apply (an id's prefix at each header, a symbol at each
# "..." of a body or a title, the back link at each footnote), held far above any real one: a 100 KB prefix over
# 2,000 headers took 836 MB, a 1 MB ellipsis in three titles held every build 33 s. (smart_quotes are one
# character each already.)
MAX_KRAMDOWN_FRAGMENT = 1_000  # characters of auto_id_prefix and footnote_backlink (an HTML fragment)
MAX_KRAMDOWN_SYMBOL = 100  # characters of each of typographic_symbols's texts


@dataclass(frozen=True)
class KramdownOptions:
    """The `kramdown:` settings of _config.yml that change what a feed shows (read/jekyll/kramdown.py renders with
    them; here, so that a run that renders nothing does not load the renderer)."""

    footnote_backlink: str = "&#8617;"  # kramdown's default: an HTML fragment, written as it is
    auto_ids: bool = True
    auto_id_prefix: str = ""  # before each id kramdown makes (not one a header names), as kramdown writes it
    # `smart_quotes`, as characters: left single, right single, left double, right double (kramdown's order).
    smart_quotes: tuple[str, str, str, str] = ("\u2018", "\u2019", "\u201c", "\u201d")
    parse_block_html: bool = False  # every block HTML element's content is Markdown, as `markdown="1"` asks
    footnote_nr: int = 1  # the number of a post's first footnote
    # `syntax_highlighter_opts: block: line_numbers` (Chirpy's config sets it): every code block in Rouge's table,
    # its lines numbered from `start_line`; None: no gutter.
    block_line_numbers: int | None = None
    gfm: bool = True  # `input: GFM`, Jekyll's; False: `input: kramdown`, kramdown's own parser
    hard_wrap: bool = False  # (GFM only) each line break of a paragraph's text is a <br />
    header_offset: int = 0  # added to each header's level (kept within 1 to 6)
    toc_levels: tuple[int, ...] = (1, 2, 3, 4, 5, 6)  # the headers' levels (as written) a table of contents lists
    # `typographic_symbols`: what some of them are written as instead, by kramdown's names (hellip, mdash, ndash,
    # laquo, raquo, laquo_space, raquo_space).
    typographic_symbols: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_config(cls, data: Mapping[str, Any]) -> KramdownOptions:
        """The options as Jekyll gives them to kramdown: its defaults (Jekyll's, then kramdown's) where _config.yml
        sets none or null, each value read as kramdown's Options.parse reads it; ConfigError where kramdown refuses
        one (and Jekyll's build stops)."""
        settings = data.get("kramdown")
        if not isinstance(settings, Mapping):
            return cls()
        backlink, prefix = settings.get("footnote_backlink"), settings.get("auto_id_prefix")
        quotes = settings.get("smart_quotes")
        return cls(
            footnote_backlink=cls.footnote_backlink if backlink is None else _bounded("footnote_backlink", backlink),
            auto_ids=settings.get("auto_ids") is not False,
            auto_id_prefix="" if prefix is None else _bounded("auto_id_prefix", prefix),
            smart_quotes=cls.smart_quotes if quotes is None else _smart_quotes(quotes),
            parse_block_html=settings.get("parse_block_html") is True,
            footnote_nr=_footnote_nr(settings.get("footnote_nr")),
            block_line_numbers=_block_line_numbers(settings.get("syntax_highlighter_opts")),
            gfm=_gfm_input(settings.get("input", "GFM")),
            hard_wrap=_kramdown_boolean(settings.get("hard_wrap"), default=False),
            header_offset=_header_offset(settings["header_offset"]) if "header_offset" in settings else 0,
            toc_levels=cls.toc_levels if settings.get("toc_levels") is None else _toc_levels(settings["toc_levels"]),
            typographic_symbols=(
                _written_symbols(settings["typographic_symbols"]) if "typographic_symbols" in settings else ()
            ),
        )


def _gfm_input(value: object) -> bool:
    """Whether kramdown's `input` is its GFM parser (Jekyll's default) rather than its own; ConfigError for others."""
    if value is None or value == "GFM":
        return True  # null: Jekyll's default stays
    if value in ("kramdown", "Kramdown"):
        return False
    raise ConfigError(
        f"_config.yml: kramdown.input {value!r}: feedpub reads GFM and kramdown input (Jekyll takes a parser's "
        'name, as kramdown spells it: "GFM", "kramdown")'
    )


def _kramdown_boolean(value: object, default: bool) -> bool:
    """A kramdown Boolean option's value: any but "false" (in any case) and "" is true, as Options.parse reads it
    (`hard_wrap: 0` is true); null keeps Jekyll's default."""
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value)
    return text.strip().lower() != "false" and text != ""


def _header_offset(value: object) -> int:
    """kramdown's `header_offset`: a whole number, as written or in a string; ConfigError otherwise (kramdown's
    Integer() refuses it, and the build stops)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        return int(value)
    raise ConfigError(f"_config.yml: kramdown.header_offset {value!r} must be a whole number; kramdown refuses it too")


def _toc_levels(value: object) -> tuple[int, ...]:
    """kramdown's `toc_levels`: a range "2..3" (one digit each end), a list "1,2,3", or a YAML list of numbers;
    ConfigError for anything else or a level outside 1 to 6, as kramdown refuses it."""
    levels: list[int] | None = None
    if isinstance(value, str) and (found := re.fullmatch(r"(\d)\.\.(\d)", value)):
        levels = list(range(int(found.group(1)), int(found.group(2)) + 1))
    elif isinstance(value, str) and re.fullmatch(r"\d(?:,\d)*", value):
        levels = [int(level) for level in value.split(",")]
    elif isinstance(value, list) and all(
        isinstance(level, (int, float, str)) and not isinstance(level, bool) for level in value
    ):
        levels = [_ruby_to_i(level) for level in value]  # Ruby's to_i: "2" and 2.0 are 2, "x" is 0
    if levels is None or not all(1 <= level <= 6 for level in levels):
        raise ConfigError(
            f'_config.yml: kramdown.toc_levels {value!r} must be header levels from 1 to 6, as a range ("2..3") or '
            "a list; kramdown refuses it too"
        )
    return tuple(dict.fromkeys(levels))


def _ruby_to_i(value: int | float | str) -> int:
    """Ruby's to_i of a number or a string: its leading whole number (after white space), else 0."""
    if isinstance(value, str):
        found = re.match(r"\s*([+-]?\d+)", value)
        return int(found.group(1)) if found else 0
    return int(value)


def _written_symbols(value: object) -> tuple[tuple[str, str], ...]:
    """kramdown's `typographic_symbols`: a mapping of symbol names to what each is written as (any value, as its
    text); names kramdown does not make are kept but change nothing. ConfigError for anything else: kramdown refuses
    it, and feedpub does not read the mapping given as a YAML string."""
    if not isinstance(value, Mapping):
        raise ConfigError(
            f"_config.yml: kramdown.typographic_symbols {value!r} must be a mapping of symbol names to text, "
            "as {hellip: '...', mdash: '---'}"
        )
    written = {}
    for name, text in value.items():
        key = str(name).strip().removeprefix(":")  # kramdown's str_to_sym
        setting = f"typographic_symbols.{key[:40]}"
        written[key] = "" if text is None else _bounded(setting, _ruby_string(text), MAX_KRAMDOWN_SYMBOL)
    return tuple(sorted(written.items()))


def _bounded(setting: str, value: object, bound: int = MAX_KRAMDOWN_FRAGMENT) -> str:
    """A kramdown text setting's text (its str); ConfigError past `bound` characters (see MAX_KRAMDOWN_FRAGMENT)."""
    text = str(value)
    if len(text) > bound:
        raise ConfigError(
            f"_config.yml: kramdown.{setting} is {len(text):,} characters long, past the {bound:,} feedpub takes "
            "for a text written at every place it applies; shorten it"
        )
    return text


def _ruby_string(value: object) -> str:
    """A YAML scalar as Ruby's to_s writes it (true, 1.5, 2024-01-01)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _block_line_numbers(options: object) -> int | None:
    """The first line number of a code block's gutter when kramdown's Rouge options number block lines."""
    block = options.get("block") if isinstance(options, Mapping) else None
    if not isinstance(block, Mapping) or block.get("line_numbers") is not True:
        return None
    start = block.get("start_line", 1)
    return start if isinstance(start, int) and not isinstance(start, bool) else 1


def _smart_quotes(value: object) -> tuple[str, str, str, str]:
    """kramdown's `smart_quotes`: four HTML entity names or code points ("lsquo,rsquo,ldquo,rdquo", or a list), as
    the characters they name; ConfigError for anything else, as kramdown refuses it."""
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else []
    characters = []
    for item in items:
        text = str(item).strip()
        character = html.unescape(f"&{text};") if not text.isdigit() else chr(int(text)) if int(text) < 0x110000 else ""
        if character == f"&{text};" or len(character) != 1:
            break
        characters.append(character)
    if len(items) != 4 or len(characters) != 4:
        raise ConfigError(
            f"_config.yml: kramdown.smart_quotes {value!r} must name four quotes, as entity names or code points "
            '(default "lsquo,rsquo,ldquo,rdquo"); kramdown refuses it too'
        )
    return (characters[0], characters[1], characters[2], characters[3])


@dataclass(frozen=True)
class Default:
    """One `defaults` set: its scope, and its values as JSON (frozen, so the rules can key the cache)."""

    path: str  # the scope's path as written; "" matches every document
    type: str | None  # posts, pages, drafts or a collection label; None for any
    globbed: tuple[str, ...] | None  # for a path with "*": what it matched on disk (relative to the root)
    values_json: str

    def applies(self, relative: str, kind: str) -> bool:
        if self.type is not None and self.type != kind:
            return False
        if not self.path:
            return True
        # A plain string prefix of the document's path: "life" matches "lifestyle/_posts/…" too (§6).
        prefixes = self.globbed if self.globbed is not None else (self.path,)
        return any(relative.startswith(prefix) for prefix in prefixes)

    def outranks(self, other: Default | None) -> bool:
        """Jekyll's precedence: a longer scope path wins; on equal length, the one with a type (or the later)."""
        if other is None:
            return True
        if len(self.path.lstrip("/")) != len(other.path.lstrip("/")):
            return len(self.path.lstrip("/")) > len(other.path.lstrip("/"))
        return self.type is not None or other.type is None


def deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> None:
    """Jekyll's deep_merge_hashes: mappings merge key by key, a null keeps what `base` has, anything else in
    `over` replaces."""
    for key, value in over.items():
        if value is None and key in base:
            continue
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            deep_merge(base[key], value)
        else:
            base[key] = value


def defaults_for(defaults: tuple[Default, ...], relative: str, kind: str) -> dict[str, Any]:
    """The values the `defaults` give a document, merged in Jekyll's order-dependent way (§6)."""
    merged: dict[str, Any] = {}
    reference: Default | None = None
    for default in defaults:
        if not default.applies(relative, kind):
            continue
        values = json.loads(default.values_json)  # a fresh copy: merging changes it
        if default.outranks(reference):
            deep_merge(merged, values)
            reference = default
        else:
            deep_merge(values, merged)
            merged = values
    return merged


@dataclass(frozen=True)
class PathPatterns:
    """Jekyll's `exclude` or `include`: each a glob (File.fnmatch) or a string a path starts with, a path tested
    against all of them at once. Testing each with fnmatchcase compiled it again past fnmatch's cache of 32,768
    globs: 40,000 of them took 51 s for three posts."""

    patterns: frozenset[str]
    lengths: tuple[int, ...]  # of the patterns, each once, ascending: a path's starts of these lengths are looked up
    # The patterns with wildcards, as one alternation of their fnmatch regexes (one match a path); None: no such.
    globs: re.Pattern[str] | None

    @classmethod
    @functools.lru_cache(maxsize=4)  # a site's config is read again as another SiteConfig (dataclasses.replace)
    def of(cls, patterns: tuple[str, ...]) -> PathPatterns:
        unique = frozenset(patterns)
        # A glob without wildcards matches only itself, a path that starts with it: the lookup finds it.
        wild = [fnmatch.translate(pattern) for pattern in sorted(unique) if _is_glob(pattern)]
        lengths = tuple(sorted({len(pattern) for pattern in unique}))
        return cls(unique, lengths, re.compile("|".join(wild)) if wild else None)

    def match(self, relative: str, is_dir: bool = False) -> bool:
        """Whether a pattern covers `relative`; a folder's also when a pattern is its name with a "/" after it."""
        if self.globs is not None and self.globs.match(relative):
            return True
        if is_dir and relative + "/" in self.patterns:
            return True
        # A few distinct lengths, however many patterns (40,000 patterns of 630 KB have fewer than 1,200).
        return any(relative[:length] in self.patterns for length in self.lengths if length <= len(relative))


# Globs (with wildcards) one of `exclude` and `include` may list: their one regex is compiled at every build that
# reads posts, a second for each 4,000 (90,000 took 14 s a build, Jekyll 6 s), and a site lists tens. Names
# without wildcards cost a set's lookup: they are not counted.
MAX_PATH_GLOBS = 40_000


def _is_glob(pattern: str) -> bool:
    return any(c in pattern for c in "*?[")


def _path_patterns(data: Mapping[str, Any], key: str, where: Path) -> tuple[str, ...]:
    """`exclude` or `include` (`key`) of the config at `where`, each pattern from the source (Jekyll joins it onto
    the source folder, File.join: "/legacy" is the folder legacy); ConfigError past MAX_PATH_GLOBS globs."""
    patterns = tuple(str(p).lstrip("/") for p in _strings(data.get(key)))
    globs = sum(map(_is_glob, patterns))
    if globs > MAX_PATH_GLOBS:
        raise ConfigError(
            f"{where}: {key} lists {globs:,} globs, more than the {MAX_PATH_GLOBS:,} feedpub matches; "
            "give fewer (a folder's name excludes all it holds)"
        )
    return patterns


class IncludeFolder(NamedTuple):
    """A folder `{% include %}` reads from, the folder its files may not lead out of (links resolved), and its
    stamp (a tree_stamp; "" where nothing is read from it)."""

    root: Path
    folder: Path
    stamp: str


@dataclass(frozen=True)
class SiteConfig:
    """What a site's _config.yml says about posts: where they are, which files the entry filter lets through,
    their permalink, defaults, zone, and which of them are published."""

    source: Path  # Jekyll's source: the site's folder, or the folder its _config.yml names by `source`
    root: Path  # source / collections_dir
    exclude: tuple[str, ...]
    include: tuple[str, ...]
    posts_dirs: tuple[Path, ...] = ()
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    permalink: str = STYLES["date"]
    permalink_style: str = "date"  # the site's `permalink` as written: pages take their suffix from it
    defaults: tuple[Default, ...] = ()
    future: bool = False
    unpublished: bool = False
    show_drafts: bool = False
    markdown_extensions: tuple[str, ...] = MARKDOWN_EXTENSIONS  # Jekyll's `markdown_ext`: these become .html
    kramdown: KramdownOptions = field(default_factory=KramdownOptions)
    # What Liquid sees as `site.*`: _config.yml's values, as JSON (plain and frozen: the rules key the cache).
    variables_json: str = "{}"
    includes_dir: str = "_includes"  # _config.yml's, as written: `includes` is the folder it names
    # Every file of the includes folder by name, size and time: an edited include changes what posts render to, so
    # it must change the rules' repr, which keys the cached readings and feed contents.
    includes_stamp: str = ""
    # What jekyll-feed's absolute_url puts before a post's id: _config.yml's url (host normalised as Addressable
    # does) and baseurl, joined as written: "https://x.org/" and "" give ids with "//". "" without a url.
    feed_base: str = ""
    # The address `url` + baseurl serve the site at, as site.url names it (urls.site_url_of); None without a url.
    site_url: str | None = None
    excerpt_separator: str = "\n\n"  # _config.yml's; a post's front matter may name its own
    limit_posts: int = 0  # Jekyll writes only this many of the newest posts; 0: all
    # `site.data.authors` (the data folder's authors.yml), as JSON: jekyll-feed names a post's author by it.
    authors_json: str = "{}"
    theme: str = ""  # _config.yml's `theme` (or `remote_theme`), as written; "" for none
    # The theme gem's folder (its real path) where it is installed (theme.theme_folder); None: none found.
    theme_root: Path | None = None
    theme_includes_stamp: str = ""  # as includes_stamp, of the theme's _includes ("" for none)
    # Chirpy's `cdn` (`img_cdn` before Chirpy 7), before the path of a post's image with a media_subpath (img_path);
    # as Liquid appends it, "" for none.
    cdn: str = ""
    img_cdn: str = ""

    @property
    def includes(self) -> Path:
        """The site's own folder `{% include %}` reads from."""
        return in_source(self.source, self.includes_dir)

    @property
    def include_folders(self) -> tuple[IncludeFolder, ...]:
        """Where `{% include %}` looks for a file, in Jekyll's order (Site#includes_load_paths): the site's includes
        folder, then the theme's _includes."""
        own = IncludeFolder(self.includes, self.includes, self.includes_stamp)
        if self.theme_root is None:
            return (own,)
        return own, IncludeFolder(self.theme_root, self.theme_root / "_includes", self.theme_includes_stamp)

    @functools.cached_property
    def excluded(self) -> PathPatterns:
        """`exclude` less the patterns `include` names: made once, when a path is first tested."""
        included = set(self.include)
        return PathPatterns.of(tuple(pattern for pattern in self.exclude if pattern not in included))

    @functools.cached_property
    def included(self) -> PathPatterns:
        return PathPatterns.of(self.include)


def is_excluded(config: SiteConfig, relative: str, is_dir: bool = False) -> bool:
    """Whether `exclude` (less `include`) covers a path relative to the source: a glob, or a string prefix."""
    return config.excluded.match(relative, is_dir)


def _is_included(config: SiteConfig, relative: str) -> bool:
    return config.included.match(relative)


def includes_post_entry(config: SiteConfig, entry: str) -> bool:
    """Whether `include` lets through a post file whose name the entry filter skips ("_", "#" or "~" first), by
    `entry`, its path below the posts folder.

    Jekyll's EntryFilter#included? joins that path, not the one from the source, onto the source before it matches
    the patterns, and tries the file's name too: `include: ["_under"]` publishes `_posts/_under/2024-01-02-x.md`,
    and `include: ["_posts/_under"]` does not (observed, jekyll-feed listing it or not alike).
    """
    if not config.include:
        return False  # most sites: no patterns to match
    return config.included.match(entry) or config.included.match(entry.rpartition("/")[2])


def read_site(
    site: Path,
    fallback_timezone: ZoneInfo,
    memo: Path | None = None,
    inputs: Inputs | None = None,
    environ: Mapping[str, str] | None = None,
    baseurl: str | None = None,
) -> SiteConfig:
    """Read the _config.yml of the folder `site` (and _data/authors.yml); ConfigError when it is missing or cannot
    be read. `memo`: where its parsed mapping may be kept (config_files.read_mapping); `inputs`: told of every file
    and folder looked at; `environ`: RubyGems' variables (theme.GEM_VARIABLES), where a gem theme is looked for;
    `baseurl`: what `jekyll build --baseurl` gets (posts.baseurl), over _config.yml's as the flag is."""
    inputs = inputs if inputs is not None else Inputs()
    site = site.resolve()
    path = next((site / name for name in CONFIG_NAMES if _looked_for(inputs, site / name)), None)
    if path is None:
        refuse_unreadable((site / name for name in CONFIG_NAMES), site)
        raise ConfigError(f"posts.source: {site} has no _config.yml; point it at the Jekyll site's folder")
    data = read_mapping(path, site, memo)
    theme = _theme(site, data, environ, inputs)
    data = with_theme_settings(data, theme.get("theme_root"), inputs, memo)
    if baseurl is not None:
        data = {**data, "baseurl": baseurl}  # Jekyll merges its command line's options over the file's
    source = source_folder(path, data)
    zone_name = data.get("timezone")
    # Jekyll's `timezone` sets the zone of every date; without it Jekyll uses the machine's, feedpub the site's.
    zone = zone_named(str(zone_name)) if zone_name else fallback_timezone
    if zone is None:
        raise ConfigError(f"{path}: timezone {zone_name!r} is not an IANA time zone name")
    collections_dir = str(data.get("collections_dir") or "").strip("/")
    if collections_dir:
        inside_site(source, source / collections_dir, f"{path}: collections_dir")
    config = SiteConfig(
        source=source,
        root=source / collections_dir if collections_dir else source,
        exclude=_path_patterns(data, "exclude", path) + DEFAULT_EXCLUDES,
        include=_path_patterns(data, "include", path),
        includes_dir=str(data["includes_dir"]) if data.get("includes_dir") is not None else "_includes",
    )
    show_drafts = data.get("show_drafts") is True
    style = str(data.get("permalink") or "date")  # the site's permalink as written: a style's name, or a template
    names = ("_posts", "_drafts") if show_drafts else ("_posts",)
    return dataclasses.replace(
        config,
        posts_dirs=tuple(_special_folders(config, names, inputs)),
        timezone=zone,
        permalink=_posts_permalink(data, style),
        permalink_style=style,
        defaults=tuple(_defaults(data.get("defaults"), config, collections_dir, inputs)),
        future=data.get("future") is True,
        unpublished=data.get("unpublished") is True,
        show_drafts=show_drafts,
        markdown_extensions=markdown_extensions(data),
        kramdown=KramdownOptions.from_config(data),
        variables_json=json.dumps(data, default=str, sort_keys=True),
        includes_stamp=_includes_stamp(source, config.includes, inputs),
        **theme,
        feed_base=feed_base(data.get("url"), data.get("baseurl")),
        site_url=site_url_of(served_url(data.get("url")), data.get("baseurl")),
        limit_posts=_limit_posts(data.get("limit_posts"), path),
        excerpt_separator=str(data["excerpt_separator"]) if data.get("excerpt_separator") is not None else "\n\n",
        authors_json=_data_authors(source, data, memo, inputs),
        cdn=liquid_text(data.get("cdn")),
        img_cdn=liquid_text(data.get("img_cdn")),
    )


def _looked_for(inputs: Inputs, path: Path) -> bool:
    """Whether `path` is a file, told to `inputs` either way: a _config.yml made where none was changes the site."""
    inputs.file(path)
    return path.is_file()


def source_folder(path: Path, data: Mapping[str, Any]) -> Path:
    """Jekyll's source for the _config.yml at `path` (`data`, as read): the folder its posts, drafts, includes, data
    and pages are read from, resolved.

    Jekyll reads _config.yml from the folder it is run in (the site's), and takes `source` relative to that folder
    (File.expand_path: "~" is the home folder): `source: src` reads src/_posts, src/_includes… A source outside the
    site is refused, as collections_dir is: feedpub reads only the site.
    """
    site = path.parent.resolve()
    value = data.get("source")
    if value is None or value == "":
        return site
    if not isinstance(value, str):
        raise ConfigError(f"{path}: source must be a folder's path, got {value!r} (Jekyll stops over it too)")
    return inside_site(site, site / os.path.expanduser(value), f"{path}: source").resolve()


# The data files Jekyll reads as `site.data.authors`, the one it reads last first (its data reader takes a folder's
# entries in name order, and a later file of the same name replaces an earlier one).
_AUTHORS_FILES = ("authors.yml", "authors.yaml", "authors.json")


def _data_authors(source: Path, data: Mapping[str, Any], memo: Path | None, inputs: Inputs) -> str:
    """`site.data.authors` as JSON ("{}" when the data folder has no authors file or folder).

    jekyll-feed looks a post's author up there: `author: kim` with `kim: {name: 김기자, email: …}` in
    _data/authors.yml (or `name: 김기자` in _data/authors/kim.yml) gives the entry 김기자's name and email. A broken
    file stops the run, as it stops Jekyll.
    """
    folder = source / str(data.get("data_dir") or "_data")
    if not within(source, folder):
        return "{}"  # Jekyll keeps data_dir inside the source as well

    # Jekyll reads a data folder's files, then its folders: an authors/ folder, one file an author, replaces
    # authors.yml (observed).
    by_author = folder / "authors"
    authors: dict[str, Any] = {}
    inputs.folder(by_author)
    if by_author.is_dir() and not by_author.is_symlink() and within(source, by_author):
        for name in sorted(os.listdir(by_author)):
            file = by_author / name
            inputs.file(file)
            if file.suffix in _AUTHOR_FILE_SUFFIXES and file.is_file() and within(source, file):
                tag = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:16]
                authors[_data_key(file.stem)] = read_mapping(file, source, _memo_beside(memo, f"authors-{tag}"))
    elif (path := next((folder / n for n in _AUTHORS_FILES if _looked_for(inputs, folder / n)), None)) and within(
        source, path
    ):
        authors = read_mapping(path, source, _memo_beside(memo, "authors"))
    return json.dumps(authors, default=str, sort_keys=True, ensure_ascii=False)


_AUTHOR_FILE_SUFFIXES = (".yml", ".yaml", ".json")


def _memo_beside(memo: Path | None, name: str) -> Path | None:
    """A memo of its own beside _config.yml's (`memo`) for another file read: each keeps one file's mapping."""
    return memo.with_name(f"{memo.stem}-{name}{memo.suffix}") if memo else None


def _data_key(stem: str) -> str:
    """The key Jekyll files a data file under: its name without what is neither a word character, white space nor
    "-", white space made "_" (its sanitize_filename, for the names people give files)."""
    return re.sub(r"\s+", "_", re.sub(r"[^\w\s-]+", "", stem, flags=re.ASCII).strip())


def _limit_posts(value: object, path: Path) -> int:
    """`limit_posts`: 0 (all) when unset; ConfigError for what Jekyll refuses (a negative or not a number)."""
    if value is None or value is False:
        return 0
    try:
        limit = int(str(value))
    except ValueError:
        raise ConfigError(f"{path}: limit_posts must be a number of posts, got {value!r}") from None
    if limit < 0:
        raise ConfigError(f"{path}: limit_posts must not be negative (Jekyll stops over it too)")
    return limit


# The generator element jekyll-feed writes in the head of its feed (feed.xml).
_JEKYLL_FEED_GENERATOR = b'<generator uri="https://jekyllrb.com/"'


def is_jekyll_feed(head: bytes) -> bool:
    """Whether a file whose first bytes are `head` is a feed jekyll-feed wrote."""
    return _JEKYLL_FEED_GENERATOR in head


def feed_base(url: object, baseurl: object) -> str:
    """jekyll-feed's absolute_url before a root-relative path: `url` + baseurl with a leading "/" and one trailing
    "/" chomped, through Addressable's normalisation of the origin (scheme and host lower-cased, default port
    dropped). Nothing else is merged: "https://x.org/" gives ids "https://x.org//2024/...". "" without a url."""
    text = "" if url is None else str(url)
    if not text:
        return ""
    base = "" if baseurl is None else str(baseurl).removesuffix("/")
    if base and not base.startswith("/"):
        base = "/" + base
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return text + base  # not a URL Addressable would normalise either: jekyll-feed writes it as it is
    scheme, host = parts.scheme.lower(), (parts.hostname or "")
    default = {"http": 80, "https": 443}.get(scheme)
    netloc = host if port is None or port == default else f"{host}:{port}"
    if parts.username is not None:
        netloc = parts.netloc.rpartition("@")[0] + "@" + netloc
    origin = f"{scheme}://{netloc}" if parts.netloc else text
    return origin + parts.path + base


def served_url(url: object) -> str:
    """A site's `url` as Jekyll's absolute_url starts every page's address: feed_base's, with white space in its
    path percent-encoded, as Addressable's normalisation encodes it there (`url: "https://ex.com/A B"` serves the
    site at https://ex.com/A%20B/, jekyll-feed's ids start so: observed). White space around it is no part of it
    (urls.site_url_of), and white space before the path (in the host) is left for site_url_of to refuse."""
    text = feed_base(url, None).strip()
    path_start = text.find("/", text.find("//") + 2) if "//" in text else -1
    if path_start < 0:
        return text
    return text[:path_start] + _WHITE_SPACE.sub(lambda space: percent_encoded(space.group()), text[path_start:])


_WHITE_SPACE = re.compile(r"\s+")


def markdown_extensions(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Jekyll's `markdown_ext` ("markdown,mkdown,mkdn,mkd,md") as extensions with their dots, lowercased."""
    names = str(data.get("markdown_ext") or "").split(",")
    found = tuple("." + name.strip().lower().lstrip(".") for name in names if name.strip())
    return found or MARKDOWN_EXTENSIONS


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(item) for item in value] if isinstance(value, list) else []


def _posts_permalink(data: Mapping[str, Any], style: str) -> str:
    """The posts collection's own permalink (taken literally), else the site's (`style`) with its style names
    expanded."""
    collections = data.get("collections")
    posts = collections.get("posts") if isinstance(collections, Mapping) else None
    if isinstance(posts, Mapping) and posts.get("permalink"):
        pattern = str(posts["permalink"])
        check_permalink_pattern("_config.yml: collections.posts.permalink", pattern)
        return pattern
    check_permalink_pattern("_config.yml: permalink", style)
    return STYLES.get(style, style)


def _special_folders(config: SiteConfig, names: tuple[str, ...], inputs: Inputs) -> list[Path]:
    """Every `_posts` (or `_drafts`) folder under the root, in folders Jekyll's entry filter walks into (§1)."""
    found: list[Path] = []
    stack = [config.root]
    while stack:
        folder = stack.pop()
        inputs.folder(folder)  # which of its names are folders: `_posts`, and the folders walked into
        for special in (folder / name for name in names):
            # A link to a folder is read as Jekyll reads it, where it leads inside the site (`_posts ->
            # content/posts`): skipping it published nothing, over jekyll-feed's feed. Out of the site: the site's
            # own (at its root) stops the build, as a posts folder feedpub's config names would; one in a folder
            # of the site (`sub/_posts`) the scan rejects by name, unread, and the other posts are published.
            if special.is_symlink():
                inputs.refuse(f"{special} is a link: where it leads may change with no file of the site changing")
            if special.is_dir() and (
                folder != config.root or not special.is_symlink() or inside_site(config.root, special, "posts folder")
            ):
                found.append(special)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False) or entry.name.endswith("."):
                continue
            relative = os.path.relpath(entry.path, config.source).replace(os.sep, "/")
            included = _is_included(config, relative) or _is_included(config, entry.name)
            if is_excluded(config, relative, is_dir=True) and not included:
                continue
            if not included and (entry.name[0] in "._#~" or entry.name.endswith("~")):
                continue
            stack.append(Path(entry.path))
    return sorted(found)


def _theme(site: Path, data: Mapping[str, Any], environ: Mapping[str, str] | None, inputs: Inputs) -> dict[str, Any]:
    """The SiteConfig fields of the site's gem theme: its name, and where it is installed with the stamp of its
    _includes (the part of it a post's content reads, for its `{% include %}`s; its _config.yml's settings are
    merged into the site's, with_theme_settings). A `remote_theme`
    (jekyll-remote-theme fetches it at each build) is named, and never found."""
    theme = data.get("theme")
    if not isinstance(theme, str) or not theme.strip():
        remote = data.get("remote_theme")
        return {"theme": str(remote)} if isinstance(remote, str) and remote.strip() else {}
    from feedpub.read.jekyll.theme import theme_folder

    root = theme_folder(site, theme, environ or {}, inputs)
    if root is None:
        return {"theme": theme}
    includes = root / "_includes"
    # Its files are the posts' as the site's includes are: an edit reads them again. Jekyll's theme reads no
    # _includes leading out of the theme (Theme#realpath_for): nothing is included from one that does.
    if not inputs.tree(includes, root):
        return {"theme": theme, "theme_root": root}
    return {"theme": theme, "theme_root": root, "theme_includes_stamp": fresh_tree_stamp(str(includes))}


# The keys of Jekyll's Configuration::DEFAULTS: Site#load_theme_configuration drops them from a theme's _config.yml
# (a theme's permalink, timezone, kramdown, defaults or excerpt_separator change nothing: observed with 4.3.1).
_JEKYLL_DEFAULT_KEYS = frozenset(
    {
        *("source", "destination", "collections_dir", "cache_dir", "plugins_dir", "layouts_dir", "data_dir"),
        *("includes_dir", "collections", "safe", "include", "exclude", "keep_files", "encoding", "markdown_ext"),
        *("strict_front_matter", "show_drafts", "limit_posts", "future", "unpublished", "whitelist", "plugins"),
        *("markdown", "highlighter", "lsi", "excerpt_separator", "incremental", "detach", "port", "host", "baseurl"),
        *("show_dir_listing", "permalink", "paginate_path", "timezone", "quiet", "verbose", "defaults", "liquid"),
        "kramdown",
    }
)


def with_theme_settings(
    data: dict[str, Any], theme_root: Path | None, inputs: Inputs, memo: Path | None = None
) -> dict[str, Any]:
    """The site's _config.yml settings `data` over those of its gem theme's own _config.yml (in `theme_root`), as
    Jekyll 4 merges them (Site#load_theme_configuration): the site's win, key by key in mappings, a null keeping
    the theme's; none of the keys Jekyll has defaults for are taken from the theme. What a theme may set this way
    is what jekyll-feed and Liquid read as site.*: title, description, author, lang, url, feed, its own variables.
    `memo`: as read_site's, for the theme's file beside the site's."""
    if theme_root is None or data.get("ignore_theme_config") is True:
        return data
    theme_config = theme_root / "_config.yml"
    inputs.file(theme_config)
    if theme_config.is_symlink() or not theme_config.is_file():
        return data  # Jekyll passes over a link, whatever it leads to
    merged = {
        key: value
        for key, value in read_mapping(
            theme_config, theme_root, _memo_beside(memo, "theme"), other_as_none=True
        ).items()
        if key not in _JEKYLL_DEFAULT_KEYS
    }
    deep_merge(merged, data)
    return merged


def _includes_stamp(source: Path, includes: Path, inputs: Inputs) -> str:
    """The stamp of the includes folder (a tree_stamp: an include written again at the same size and time, `touch -r`,
    changes it too); "" when it leads out of the site, where includes are never read from (a link to / made every
    run walk the whole disk)."""
    if not within(source, includes) or not inputs.tree(includes, source):
        return ""
    return fresh_tree_stamp(str(includes))


def in_source(source: Path, path: str) -> Path:
    """A folder _config.yml names (`includes_dir`) where Jekyll looks for it: in the source, always.

    Jekyll's in_source_dir takes the path from "/" (so ".." climbs nowhere, and "~" is a folder's name) and joins it
    onto the source unless it already names a folder there: "_inc", "../_inc" and "/_inc" are all source/_inc
    (observed). Links are followed by the readers, which refuse what they lead out of the site.
    """
    clean = re.sub("/+", "/", os.path.normpath("/" + path))
    inside = clean == str(source) or clean.startswith(str(source).rstrip("/") + "/")
    return Path(clean) if inside else Path(str(source).rstrip("/") + clean)


MAX_SCOPE_MATCHES = 100_000  # files a `defaults` scope's glob may match: far past any site
# Folders a scope may descend through "**/" at: each walks the whole tree below where the one before led, so
# their cost is the tree's size to that power (eight made every build hang on a folder 30 deep).
MAX_SCOPE_DESCENTS = 3
_RUBY_DOUBLE_STAR = re.compile(r"\*\*(?!/)")
_REPEATED_DESCENTS = re.compile(r"(?:\*\*/)+")  # "**/**/" finds what "**/" finds: any depth of folders


def _defaults(value: Any, config: SiteConfig, collections_dir: str, inputs: Inputs) -> list[Default]:
    sets = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, Mapping) or not isinstance(item.get("values"), Mapping):
            continue
        scope: Mapping[str, Any] = item["scope"] if isinstance(item.get("scope"), Mapping) else {}
        path = scope.get("path")
        path = path if isinstance(path, str) else ""
        kind = scope.get("type")
        kind = _DEPRECATED_TYPES.get(str(kind), str(kind)) if kind is not None else None
        globbed: tuple[str, ...] | None = None
        # Jekyll tests a document's path (relative, no leading "/") for starting with the scope's path as written:
        # one beginning with "/" (or a glob of one, taken from the file system's root) matches nothing, and one
        # climbing out of the source matches nothing feedpub reads.
        if path.startswith("/") or ".." in path.split("/"):
            path, globbed = "\0", ()
        elif "*" in path:
            # Jekyll globs the scope on the file system, from the source, and matches what it found as prefixes.
            # Ruby's "**" descends folders only before a "/"; elsewhere it is "*" ("_posts/2023/**" is what the
            # folder holds, never the folder itself, whose name would be a prefix of "_posts/2023-12-24-x.md").
            pattern = _REPEATED_DESCENTS.sub("**/", _RUBY_DOUBLE_STAR.sub("*", path))
            if pattern.count("**/") > MAX_SCOPE_DESCENTS:
                raise ConfigError(
                    f"defaults: the scope {path!r} descends into folders (**/) at more than {MAX_SCOPE_DESCENTS} "
                    "places; give fewer"
                )
            # What the glob may list, at any depth. Through a link out of the site it lists nothing feedpub reads (the
            # scan refuses posts there), and walking it walked the whole disk at every build for a link to /.
            inside = inputs.tree(config.source / _fixed_part(pattern), config.source)
            globbed = _scope_matches(path, pattern, config.source, collections_dir) if inside else ()
        elif path:
            path = _strip_dir(path, collections_dir)
        values = json.dumps(item["values"], default=str, ensure_ascii=False, sort_keys=False)
        sets.append(Default(path=path, type=kind, globbed=globbed, values_json=values))
    return sets


def _scope_matches(path: str, pattern: str, source: Path, collections_dir: str) -> tuple[str, ...]:
    """What the scope `path` (as written; `pattern` in Python's glob) finds on disk, relative to the collections."""
    found = set()
    try:
        for match in ScopeGlob.of(pattern).matches(source):
            found.add(_strip_dir(match, collections_dir))
            if len(found) > MAX_SCOPE_MATCHES:
                raise ConfigError(f"defaults: the scope {path!r} matches more than {MAX_SCOPE_MATCHES:,} files")
    except ScopeTooWide:
        raise ConfigError(
            f"defaults: the scope {path!r} looks at more than {MAX_SCOPE_ENTRIES:,} files and folders; give a "
            "narrower one"
        ) from None
    return tuple(sorted(found))


class ScopeTooWide(Exception):
    """A scope's walk went past MAX_SCOPE_ENTRIES names."""


MAX_SCOPE_ENTRIES = 1_000_000  # names one scope's walk may look at: ten times the matches it may have


@dataclass(frozen=True)
class ScopeGlob:
    """A glob as Python's glob(recursive=True) matches it ("**" a run of folders; a wildcard matches no "." name
    unless it begins with "."), matched in one walk of the tree: each folder is entered once, with the places
    of the glob its path has reached. Python's glob walks the tree below each "**" again for each place the one
    before it reached: four scopes "**/*/**/*/**/*Z" over a chain of 100 folders took 33 s at every run."""

    fixed: str  # the folders named before the first wildcard (_fixed_part), where the walk starts
    parts: tuple[re.Pattern[str] | None, ...]  # each name's pattern after them; None for "**"
    dotted: tuple[bool, ...]  # whether the part matches names beginning with "." (a literal, or ".*")

    @classmethod
    def of(cls, pattern: str) -> ScopeGlob:
        fixed = _fixed_part(pattern)
        names = [name for name in pattern[len(fixed) :].split("/") if name]  # as a Path's join: "a//b/" is "a/b"
        parts = tuple(None if name == "**" else re.compile(fnmatch.translate(name)) for name in names)
        dotted = tuple(name.startswith(".") or not glob.has_magic(name) for name in names)
        return cls(fixed, parts, dotted)

    def _reached(self, places: set[int]) -> set[int]:
        """`places`, and each place past a "**" among them (a "**" may match no folder at all)."""
        reached, stack = set(places), list(places)
        while stack:
            place = stack.pop()
            if place < len(self.parts) and self.parts[place] is None and place + 1 not in reached:
                reached.add(place + 1)
                stack.append(place + 1)
        return reached

    def matches(self, source: Path) -> Iterator[str]:
        """The paths under `source` the glob matches, relative to it; folders are entered through a
        link only when it leads inside `source`, at most MAX_DEPTH deep, and ScopeTooWide past MAX_SCOPE_ENTRIES
        names looked at."""
        end, looked = len(self.parts), 0
        top, places = os.path.join(source, self.fixed), self._reached({0})
        if end in places and os.path.isdir(top):
            yield self.fixed or "."  # a glob of "**" alone matches its folder itself, as Python's does
        stack = [(top, self.fixed, places, 0)]
        while stack:
            folder, relative, places, depth = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            looked += len(entries)
            if looked > MAX_SCOPE_ENTRIES:
                raise ScopeTooWide
            for entry in entries:
                is_folder = _is_folder(entry)
                after: set[int] = set()
                ends = False  # a file (or what is no folder) ends the path: only a last part may take it
                for place in places:
                    if place == end or (entry.name.startswith(".") and not self.dotted[place]):
                        continue
                    part = self.parts[place]
                    if part is None or part.match(entry.name):
                        if is_folder:
                            after.add(place if part is None else place + 1)  # "**" goes on into the folder
                        else:
                            ends = ends or place + 1 == end
                after = self._reached(after)
                path = f"{relative}/{entry.name}" if relative else entry.name
                if ends or end in after:
                    yield path
                deeper = {place for place in after if place < end}
                if deeper and is_folder and depth < MAX_DEPTH and (not entry.is_symlink() or leads_into(source, entry)):
                    stack.append((entry.path, path, deeper, depth + 1))


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:
        return False


def _fixed_part(pattern: str) -> str:
    """The folders a glob pattern names before its first wildcard ("" for none): all it can match is below them."""
    parts = pattern.split("/")
    fixed = itertools.takewhile(lambda part: not glob.has_magic(part), parts[:-1])
    return "/".join(fixed)


def _strip_dir(path: str, collections_dir: str) -> str:
    """Scope paths may name the collections_dir; document paths are relative to it."""
    path = path.replace(os.sep, "/")
    prefix = collections_dir + "/"
    return path[len(prefix) :] if collections_dir and path.startswith(prefix) else path


def _footnote_nr(value: object) -> int:
    """kramdown's `footnote_nr`: a positive whole number, else its default, 1."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 1
