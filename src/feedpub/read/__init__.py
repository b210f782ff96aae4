"""Post files -> Posts. Its face is kept light: `api` imports the scan on every run, and the parsers only when
something must be read."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime
    from pathlib import Path

    from feedpub.models import GeneratorRules, KnownDates, ReadSettings, Site
    from feedpub.read.hugo.config import HugoConfig, OutputFiles


def settings_for(
    site: Site, dates: KnownDates | None = None, other_outputs: Sequence[Path] = (), now: datetime | None = None
) -> ReadSettings:
    """The settings the readers get; for a Jekyll or Hugo site, with the rules read from its configuration.
    `other_outputs`: folders other builds wrote into, never posts (Site.read_settings); `now`: the build's time
    (a Hugo site's main section is the one with the most pages published then; a Jekyll post's `site.time`).

    Raises ConfigError when that configuration cannot be read: before anything is written.
    """
    settings = site.read_settings(dates, other_outputs)
    if site.posts.generator == "none":
        return settings
    source = site.posts.source or site.state_dir.parent
    rules: GeneratorRules
    links_within = None
    if site.posts.generator == "jekyll":
        from feedpub.read.jekyll import load_rules

        rules = jekyll_rules = load_rules(source, site, now)
        links_within = jekyll_rules.site.source
    else:
        from feedpub.read.hugo import load_rules as load_hugo_rules

        rules = load_hugo_rules(source, site, now)
    posts = dataclasses.replace(settings.posts, dirs=rules.posts_dirs, links_within=links_within)
    from feedpub.models import Multilingual

    if isinstance(rules, Multilingual) and len(editions := rules.editions()) > 1:
        settings = dataclasses.replace(
            settings, output_names=site.output_names(editions), sitemap_paths=site.sitemap_paths(editions)
        )
    # The generator's folder is the site's: its repository dates posts (Hugo's `:git`), wherever the config is.
    return dataclasses.replace(settings, rules=rules, posts=posts, site_dir=source)


def unknown_placeholders(permalink: str) -> list[str]:
    """The `:name` placeholders of a permalink pattern that reading leaves as they are written."""
    from feedpub.read.permalinks import unknown_placeholders as unknown

    return unknown(permalink)


def jekyll_markdown_extensions(config: Mapping[str, Any]) -> tuple[str, ...]:
    """The extensions a Jekyll site's `markdown_ext` (in its parsed _config.yml) makes Markdown, with their dots."""
    from feedpub.read.jekyll.site import markdown_extensions

    return markdown_extensions(config)


def jekyll_post_extensions(source: Path) -> tuple[str, ...]:
    """The extensions of the dated files in a Jekyll site's _posts folders: Jekyll publishes each, whatever it is
    (a post.mdown outside markdown_ext is copied as it is)."""
    from feedpub.read.jekyll.posts import post_extensions

    return post_extensions(source)


def hugo_content_extensions() -> tuple[str, ...]:
    """The extensions of the content files Hugo renders as pages (`.htm` too)."""
    from feedpub.read.hugo import CONTENT_EXTENSIONS

    return CONTENT_EXTENSIONS


def jekyll_config_file(site: Path) -> Path | None:
    """The configuration file Jekyll reads in the folder `site` (_config.yml, _config.yaml, then _config.toml);
    None when there is none."""
    from feedpub.read.jekyll.site import CONFIG_NAMES

    return next((site / name for name in CONFIG_NAMES if (site / name).is_file()), None)


def jekyll_source(config_file: Path, config: Mapping[str, Any]) -> Path:
    """A Jekyll site's source folder: the one its _config.yml (`config`, read from `config_file`) names by
    `source`, else the site's own; ConfigError when it leads out of the site."""
    from feedpub.read.jekyll.site import source_folder

    return source_folder(config_file, config)


def jekyll_top_level_outputs(source: Path, destination: Path) -> set[str]:
    """The names of the files a Jekyll site writes itself at the top of its destination (a feed.xml of its own,
    feeds.md as feeds.html, a page whose permalink is /sitemap.xml), read off its sources without building."""
    from zoneinfo import ZoneInfo

    from feedpub.read.jekyll.pages import top_level_outputs
    from feedpub.read.jekyll.site import read_site

    return top_level_outputs(read_site(source, ZoneInfo("UTC")), destination)


def jekyll_feed_title(config: Mapping[str, Any], title: str) -> str:
    """The site title as jekyll-feed shows it (`site.title | smartify`: curly quotes, dashes, ellipses), with the
    site's `kramdown:` smart_quotes and typographic_symbols; as text, as readers show it (jekyll-feed's title is
    type="html": `Tom &amp; Jerry <em>Notes</em>` shows as "Tom & Jerry Notes", which feedpub's text titles say)."""
    from feedpub.read.front_matter import plain_title
    from feedpub.read.jekyll.site import KramdownOptions
    from feedpub.read.jekyll.titles import smartify

    options = KramdownOptions.from_config(config)
    return plain_title(smartify(title, options.smart_quotes, options.typographic_symbols))


def jekyll_site_url(url: object) -> str:
    """A Jekyll site's `url` as Jekyll writes it into every link (Addressable's normalisation: scheme and host in
    lower case, a default port dropped, white space in the path percent-encoded); "" for none."""
    from feedpub.read.jekyll.site import served_url

    return served_url(url)


def jekyll_theme_folder(site: Path, name: str, environ: Mapping[str, str]) -> Path | None:
    """Where the gem theme `name` of the Jekyll site in `site` is installed (read/jekyll/theme.py), or None;
    `environ`: RubyGems' variables (models.GEM_VARIABLES)."""
    from feedpub.read.jekyll.theme import theme_folder
    from feedpub.state.stamps import Inputs

    return theme_folder(site, name, environ, Inputs())


def jekyll_settings(site: Path, data: dict[str, Any], environ: Mapping[str, str]) -> dict[str, Any]:
    """A Jekyll site's _config.yml settings (`data`, read in the folder `site`) over its gem theme's own, as
    Jekyll merges them (site.with_theme_settings); `environ`: as jekyll_theme_folder's."""
    from feedpub.read.jekyll.site import with_theme_settings
    from feedpub.state.stamps import Inputs

    theme = data.get("theme")
    found = jekyll_theme_folder(site, theme, environ) if isinstance(theme, str) else None
    return with_theme_settings(data, found, Inputs())


def is_jekyll_feed(head: bytes) -> bool:
    """Whether a file whose first bytes are `head` is a feed jekyll-feed wrote."""
    from feedpub.read.jekyll.site import is_jekyll_feed as written_by_jekyll_feed

    return written_by_jekyll_feed(head)


def hugo_config(source: Path) -> HugoConfig:
    """A Hugo site's configuration as Hugo reads it (`feedpub init --from-hugo` writes from it)."""
    from feedpub.read.hugo.config import load_config

    return load_config(source)


def is_hugo_site(folder: Path) -> bool:
    """Whether the folder holds a Hugo site: a root config file (hugo.toml, config.toml, ...) beside a content
    folder, or a config/_default/ folder."""
    from feedpub.read.hugo.config import ROOT_NAMES

    if (folder / "config" / "_default").is_dir():
        return True
    return (folder / "content").is_dir() and any((folder / name).is_file() for name in ROOT_NAMES)


def hugo_output_files(source: Path) -> OutputFiles:
    """The files a Hugo site's output formats write for its home and term pages (`init` keeps feedpub's off them)."""
    from feedpub.read.hugo.config import output_files

    return output_files(source)


def read_mapping(path: Path, site: Path) -> dict[str, Any]:
    """A generator's TOML, YAML or JSON settings file in the folder `site`; ConfigError naming the file when it is
    not one, or not a file of the site's."""
    from feedpub.read.config_files import read_mapping as read

    return read(path, site)
