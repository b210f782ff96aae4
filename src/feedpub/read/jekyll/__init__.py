"""Jekyll's rules for posts: which files it publishes, at which URLs, with which ids, read from its own config.

Every rule here was observed on Jekyll 4.3.1 with jekyll-feed 0.17 (tests/sites/jekyll/*/expected.json, and
/work/notes/jekyll-behaviour.md for the probes); the section numbers in comments refer to those notes.
The package: `site` reads _config.yml and finds the `_posts` folders, `dates` parses dates as Ruby does,
`urls` fills permalinks, `posts` reads one post; this module holds the rules every run loads (kept light: a run
that finds nothing changed loads them, and reads no post).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import unquote, urlsplit

from feedpub.models import GEM_PLACES, Excerpts, FileDates, ImageMemo, Page, Post, ReadSettings, Site
from feedpub.read.config_files import GeneratorAddress, check_site_url, example_address_warnings
from feedpub.read.jekyll.dates import ruby_time
from feedpub.read.jekyll.site import SiteConfig, includes_post_entry, is_jekyll_feed, read_site, served_url
from feedpub.read.jekyll.urls import absolute_id
from feedpub.state.paths import generator_config_memo_path
from feedpub.state.stamps import Inputs
from feedpub.urls import same_site_url, site_url_of

if TYPE_CHECKING:
    from markdown_it.token import Token

    from feedpub.read.jekyll.liquid import LiquidSite

__all__ = ["JekyllRules", "load_rules"]


@dataclass(frozen=True)
class JekyllRules:
    """What Jekyll's configuration says about posts, as plain values: the cache is keyed on its repr."""

    site: SiteConfig
    ids: Literal["jekyll-feed", "url"]  # [feeds] ids: whether entries keep jekyll-feed's ids
    environment: str  # `jekyll.environment` (Site.jekyll_env)
    # The build's time: `site.time`, and "now" in a date filter. Out of the repr: only the posts that show it depend
    # on it, and their readings and contents are keyed on it by a clock stamp (posts.read_post) instead.
    now: datetime | None = field(default=None, repr=False, compare=False)
    # What reading the configuration looked at (state.stamps.Inputs): the no-change record's, out of the cache's key.
    inputs: Inputs = field(default_factory=Inputs, repr=False, compare=False)
    # What the build tells of the configuration (models.ConfigWarnings); it shapes no post.
    config_warnings: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @property
    def posts_dirs(self) -> tuple[Path, ...]:
        return self.site.posts_dirs

    @property
    def post_limit(self) -> int | None:
        return self.site.limit_posts or None

    def feed_id(self, path: str) -> str:
        """jekyll-feed's id of the feed at `path` under `ids = "jekyll-feed"`: absolute_url of its page's URL, after
        url and baseurl as written (observed: `url: "https://x.org/"` gives the id https://x.org//feed.xml, as it
        gives the entries theirs); "" otherwise, and without a url."""
        if self.ids != "jekyll-feed" or not self.site.feed_base:
            return ""
        return absolute_id(self.site.feed_base, "/" + path)

    def includes_entry(self, entry: str) -> bool:
        """Whether `include` lets through a post file its name would leave out (site.includes_post_entry)."""
        return includes_post_entry(self.site, entry)

    def warnings_of(self, posts: Sequence[Post]) -> list[str]:
        """The `{% include %}`s no include folder has (references.unfound_includes, kept as the absent files'
        stamps in Post.dependencies), with the posts naming each and how to fix them: Jekyll stops its build over
        them, and the posts' feed content leaves them out (a theme's figure not installed where feedpub looks was
        lost without a word)."""
        absent = f"file\t{self.site.includes}/"
        naming: dict[str, list[str]] = {}
        for post in posts:
            for stamp in post.dependencies:
                if stamp.startswith(absent) and stamp.endswith("\t-"):
                    naming.setdefault(stamp[len(absent) : -2], []).append(post.source)
        return [_unfound_includes(self.site, naming)] if naming else []

    def writes_feed(self, name: str, head: bytes) -> bool:
        """Whether the file is jekyll-feed's (the plugin still on: `init --from-jekyll` gives feedpub's Atom feed its
        address), by its generator element."""
        return is_jekyll_feed(head)

    def expand_templates(self, settings: ReadSettings, text: str, page: Page) -> str:
        """Liquid as Jekyll renders it in a post, with `site.*` from _config.yml and the post's `page.*`."""
        if settings.posts.templates == "none":
            return text  # the user asked for Liquid to be kept as written
        if "{%" not in text and "{{" not in text:
            return text  # no tag: what Liquid gives back (liquid.render says so too, after python-liquid's import)
        from feedpub.read.jekyll import liquid  # python-liquid costs ~10 MB and ~0.1 s: only bodies with tags pay it

        front = self._front_matter(settings, page.source, self._page_url(settings, page))
        if front.get("render_with_liquid") is False:
            return text  # Jekyll 4's own switch, for code-heavy posts: the Liquid is the post's text
        try:
            variables = self._page_variables(settings, page, front if "page" in text else {})
            return liquid.render(
                _liquid_site(self.site, self.environment, self.now), text, variables, page.source, page.links
            )
        except liquid.Unparsable:
            # Liquid Jekyll would stop the build over: its tags removed, the rest kept as text.
            from feedpub.read.templates import expand

            return expand(text, "liquid", settings, page.title)

    def links(self, settings: ReadSettings, posts: Sequence[Post]) -> Mapping[str, str]:
        """The posts by the references `post_url` and `link` make to them -> the URL Jekyll writes there."""
        from feedpub.read.jekyll import references  # only a build whose feeds show a post with references

        return references.Links(posts, self.site, settings.url)

    def inline_tokens(self, text: str) -> list[Token]:
        """kramdown's inline tokens of a paragraph (read/paragraph_scanner.py reads its text off them)."""
        from feedpub.read.jekyll import kramdown  # here and below: a run that renders nothing does not load it

        return kramdown.inline_tokens(text, self.site.kramdown)

    def render_markdown(self, text: str) -> str:
        """Markdown as kramdown renders it, with the site's `kramdown:` options (its input among them)."""
        from feedpub.read.jekyll import kramdown

        return kramdown.render(text, self.site.kramdown)

    def _page_url(self, settings: ReadSettings, page: Page) -> str:
        """Jekyll's page.url: the post's URL without the site's (nor its baseurl)."""
        base = settings.url.rstrip("/")
        return page.url[len(base) :] if page.url.startswith(base) else page.url

    def _page_variables(self, settings: ReadSettings, page: Page, front: Mapping[str, Any]) -> dict[str, Any]:
        """Jekyll's `page`: the post's front matter over its defaults (`front`: `{{ page.subtitle }}`), then what
        Jekyll makes of it (title, date, url, path, categories, tags)."""
        return {
            **front,
            "title": page.title,
            "date": ruby_time(page.published) if page.published else None,  # printed as Ruby prints a Time
            "url": self._page_url(settings, page),
            "path": os.path.relpath(page.source, self.site.source).replace(os.sep, "/"),
            "categories": list(page.categories),
            "tags": list(page.tags),
        }

    def _front_matter(self, settings: ReadSettings, source: str, url: str) -> dict[str, Any]:
        """The front matter of the post file `source` over its defaults, with what Jekyll names from its file and
        URL (`url`, without the site's: page.slug, page.id…); {} for a file in no posts folder."""
        from feedpub.read.files import decode, posts_dir_index, read_again
        from feedpub.read.front_matter import split
        from feedpub.read.jekyll.posts import liquid_names, page_data

        raw = read_again(source, settings.posts)
        index = posts_dir_index(source, settings.posts.dirs)
        if raw is None or index is None:
            return {}
        front, _ = split(source, decode(source, raw), "psych")
        data = page_data(self.site, source, front)[1]
        return {**data, **liquid_names(url, source, settings.posts.dirs[index], data)}

    def read_post(
        self,
        settings: ReadSettings,
        path: str,
        posts_dir: Path,
        git: FileDates,
        images: ImageMemo,
        keep_rendered: Callable[[Post, str], None] | None,
        excerpts: Excerpts | None = None,
    ) -> Post | None:
        """Read one file of a _posts (or _drafts) folder as Jekyll would; None when Jekyll does not publish it."""
        # Imported here: a run that finds nothing changed reads the rules, never a post, and must not pay for the
        # readers (lxml, python-frontmatter, the scanners).
        from feedpub.read.jekyll import posts

        return posts.read_post(
            self.site, self.ids, settings, path, posts_dir, images, keep_rendered, excerpts, now=self.now
        )


def _unfound_includes(site: SiteConfig, naming: Mapping[str, Sequence[str]]) -> str:
    """The warning for the includes no include folder has, each with the post files naming it."""
    listed = []
    for name, sources in sorted(naming.items()):
        shown = ", ".join(os.path.relpath(source, site.source) for source in sources[:3])
        more = ", …" if len(sources) > 3 else ""
        listed.append(f"{{% include {name} %}} ({len(sources)} post{'s' if len(sources) > 1 else ''}: {shown}{more})")
    own = f"the site's {site.includes_dir}"
    if site.theme_root is not None or not site.theme:
        where = f"neither {own} nor the theme {site.theme}'s has them" if site.theme else f"{own} does not have them"
        fix = f"add them to {site.includes_dir} (Jekyll stops its build over them too)"
    elif "/" in site.theme:  # jekyll-remote-theme's owner/name: no gem's name holds a "/"
        where = (
            f"{own} does not have them, and the remote_theme {site.theme} is fetched by jekyll-remote-theme as Jekyll "
            "builds, where feedpub cannot read it"
        )
        fix = f"copy the theme's _includes into {site.includes_dir}"
    else:
        where = f"{own} does not have them, and the theme {site.theme} is not installed where feedpub looks"
        where += f" ({GEM_PLACES})"
        fix = (
            "install the theme's gem where feedpub runs (`bundle install`; GEM_PATH may name its folder), or copy the "
            f"theme's _includes into {site.includes_dir}"
        )
    return f"{', '.join(listed)}: {where}; the posts' feed content leaves them out: {fix}"


@functools.lru_cache(maxsize=4)
def _liquid_site(site: SiteConfig, environment: str, now: datetime | None) -> LiquidSite:
    """What Liquid sees of a site, made once a build per process (pool workers make their own)."""
    from feedpub.read.jekyll import kramdown, liquid

    variables = json.loads(site.variables_json)
    return liquid.LiquidSite(
        site.source,
        variables,
        functools.partial(kramdown.render, options=site.kramdown),
        site.timezone,
        site.kramdown.smart_quotes,
        site.kramdown.typographic_symbols,
        tuple((folder.root, folder.folder) for folder in site.include_folders),
        environment,
        now,
    )


def load_rules(source: Path, site: Site, now: datetime | None = None) -> JekyllRules:
    """Jekyll's rules as `source`'s configuration sets them (its baseurl posts.baseurl's, when set, as `jekyll build
    --baseurl` sets it), for a build at `now`; ConfigError when it cannot be read."""
    inputs = Inputs()
    memo = generator_config_memo_path(site)
    config = read_site(source, site.timezone, memo, inputs, dict(site.gem_environment), site.posts.baseurl)
    variables = json.loads(config.variables_json)
    baseurl = str(variables.get("baseurl") or "").strip("/")
    parts = urlsplit(site.url)
    origin = f"{parts.scheme}://{parts.netloc}"
    baseurl_from = "posts.baseurl" if site.posts.baseurl is not None else "baseurl"
    address = GeneratorAddress(
        where=f"_config.yml's url + {baseurl_from}",
        config_setting="url and baseurl in _config.yml",
        command="jekyll build --baseurl",
        baseurl=_baseurl_giving(site.url, served_url(variables.get("url")) or origin),
    )
    check_site_url(site.url, config.site_url, config.feed_base, address, site.config_file)
    if config.site_url is None and baseurl:
        # No url: Jekyll's links are paths from the host's root, which only the baseurl leads; site.url must hold
        # it too, or the feeds' links and the pages' part ways (https://x.org/2024/… beside /blog/2024/…).
        own_host = dataclasses.replace(address, where=f"site.url's host + {baseurl_from}")
        check_site_url(site.url, site_url_of(origin, baseurl), config.feed_base, own_host, site.config_file)
    elif config.site_url is None and parts.path.strip("/"):
        # No url nor baseurl: the pages' links are paths from the host's root, and feedpub's are under site.url's
        # path (post_url, the enclosures). Liquid's site.baseurl is that path too, so relative_url and absolute_url
        # give the address the rest of the feed does: one answer, site.url's (GitHub Pages' `jekyll build --baseurl
        # /repo` beside `jekyll new`'s _config.yml).
        variables["baseurl"] = unquote(parts.path.rstrip("/"))
        config = dataclasses.replace(config, variables_json=json.dumps(variables, default=str, sort_keys=True))
    return JekyllRules(
        site=config,
        ids=site.feeds.ids,
        environment=site.jekyll_env,
        now=now,
        inputs=inputs,
        config_warnings=example_address_warnings(config.site_url, address),
    )


def _baseurl_giving(site_url: str, url: str) -> str | None:
    """The baseurl that after `url` (_config.yml's, as served_url gives it) makes `site_url`: "/repo" for
    https://user.github.io/repo/ after https://user.github.io; None when site_url is not under url."""
    start = url.rstrip("/") + "/"
    if not same_site_url(site_url[: len(start)], start):
        return None
    path = unquote(site_url[len(start) :].rstrip("/"))
    return "/" + path if path else ""
