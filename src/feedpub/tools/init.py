"""`feedpub init`: a commented config.toml for a `_posts` folder, or drawn from a Jekyll or Hugo site's config.

The aim of a migration is that nobody's subscription breaks: the feeds keep the paths the old plugin
served them at (jekyll-feed's /feed.xml, Hugo's /index.xml), and the permalinks produce the same URLs.
What cannot be carried over is said in a comment beside the key, so the user reads it where it matters.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from feedpub.config import DATES_FILE, LANGUAGE_TAG
from feedpub.dates import LOCAL_ZONE
from feedpub.errors import ConfigError, OutputError
from feedpub.models import GEM_PLACES, FeedSettings, author_from
from feedpub.plain_files import NotAPlainFile, read_plain_file
from feedpub.publish.writer import create_file
from feedpub.read import hugo_config as hugo_site_config
from feedpub.read import (
    hugo_content_extensions,
    hugo_output_files,
    is_hugo_site,
    is_jekyll_feed,
    jekyll_config_file,
    jekyll_feed_title,
    jekyll_markdown_extensions,
    jekyll_post_extensions,
    jekyll_settings,
    jekyll_site_url,
    jekyll_source,
    jekyll_theme_folder,
    jekyll_top_level_outputs,
    read_mapping,
)
from feedpub.state.paths import STATE_FOLDER
from feedpub.state.published import recorded_output_names, written_by_feedpub
from feedpub.urls import PLACEHOLDER_URL, is_not_a_sites_address, site_url_of

# feedpub's sitemap beside one the generator makes itself (jekyll-sitemap's, Hugo's): it never replaces theirs.
POSTS_SITEMAP = "sitemap-posts.xml"


@dataclass
class Draft:
    """A config being written: sections of (key, value, comment), in order."""

    origin: str
    # (key, value, comment, whether the key is written commented out: a value the user must fill in first)
    sections: dict[str, list[tuple[str, Any, str, bool]]] = field(default_factory=dict)

    def set(self, section: str, key: str, value: Any, comment: str = "", commented: bool = False) -> None:
        self.sections.setdefault(section, []).append((key, value, comment, commented))

    def render(self) -> str:
        lines = [
            "# feedpub configuration " + self.origin,
            "# Paths are relative to this file. Every key and its default: docs/guide.md.",
        ]
        for section in ("site", "posts", "output", "feeds", "sitemap"):
            if section not in self.sections:
                continue
            lines += ["", f"[{section}]"]
            for key, value, comment, commented in self.sections.get(section, []):
                lines += [f"# {_COMMENT_UNSAFE.sub(chr(0xFFFD), line)}" for line in comment.splitlines()]
                lines.append(f"{'# ' if commented else ''}{key} = {toml_value(value)}")
        return "\n".join(lines) + "\n"


# What TOML allows in no comment: control characters but the tab (a site's workflow or title may hold one, read
# into a CHECK note: the config written was refused by every build).
_COMMENT_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def toml_value(value: Any) -> str:
    """A TOML literal for a string, number, boolean, list or (inline) table."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        # JSON's string escapes are valid TOML basic strings; DEL, which JSON leaves as it is, TOML refuses raw.
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _relative(path: Path, config_dir: Path) -> str:
    return Path(os.path.relpath(path.resolve(), config_dir.resolve())).as_posix()


def _site_url(url: Any, base_path: Any, where: str) -> tuple[str, str]:
    """(site URL ending in "/", comment); a placeholder with a warning when the site names none."""
    text = str(url or "").strip()
    found = site_url_of(text, base_path)
    if found is None and any(character.isspace() for character in text):
        # What is left of white space once the generator's own encoding of a path took its (a Jekyll url's): in the
        # host, where no address can hold it.
        return PLACEHOLDER_URL, (
            f"CHANGE THIS: {where} names no absolute site URL: {text!r} holds white space before its path, where\n"
            "no address can; feeds need one."
        )
    if found is None:
        return PLACEHOLDER_URL, f"CHANGE THIS: {where} names no absolute site URL, and feeds need one."
    if is_not_a_sites_address(found):
        # Hugo's quick start writes baseURL = "https://example.org/", which GitHub's Pages workflow overrides with
        # `hugo --baseURL`: copied here, every link in the feeds would lead to example.org.
        return found, (
            f"CHECK THIS: {where} is an example or local address, not where readers find the site:\n"
            "set it (and this url) to the address the site is served at; every link in the feeds is made from it."
        )
    return found, f"From {where}: every build checks that they still agree."


@dataclass(frozen=True)
class _BaseurlFlag:
    """How a generator is given its address on the command line, and what posts.baseurl then holds."""

    command: str  # as the note names it
    run: re.Pattern[str]  # the command on a line
    flag: re.Pattern[str]  # the flag after it on that line; group "value": the flag's value as written
    replaces: str  # the setting the flag replaces
    example: str  # a value to fill in, shown commented out when the workflow's is an expression
    meaning: str  # what the value is, and site.url with it, for the note


# One reading of the blanks before a value (`=` with optional blanks, or blanks): a workflow line is the site's to
# write, and a pattern that could split a run of blanks two ways took time quadratic in the line's length.
_FLAG_VALUE = r"""(?:[ \t]*=[ \t]*|[ \t]+)(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s;&|]+)"""
_JEKYLL_BASEURL_FLAG = _BaseurlFlag(
    "jekyll build --baseurl",
    re.compile(r"\bjekyll[ \t]+build\b"),
    re.compile(r"[ \t](?:--baseurl|-b)" + _FLAG_VALUE),
    "_config.yml's baseurl",
    "/REPO",
    'the path the site is served under ("/REPO" for a project site at https://USER.github.io/REPO/,\n"" for '
    "https://USER.github.io/), and site.url to the whole address",
)
_HUGO_BASEURL_FLAG = _BaseurlFlag(
    "hugo --baseURL",
    re.compile(r"\bhugo\b"),
    re.compile(r"[ \t](?:--baseURL|-b)" + _FLAG_VALUE),
    "the Hugo config's baseURL",
    "https://USER.github.io/REPO/",
    "the whole address the site is served at (https://USER.github.io/REPO/ for a project site),\nand site.url to "
    "the same",
)
_WORKFLOW_BYTES = 1_000_000


def _baseurl_from_workflow(draft: Draft, site_dir: Path, flag: _BaseurlFlag) -> None:
    """posts.baseurl, commented out with a note, when a GitHub Actions workflow of the site's repository gives the
    generator its address on the command line (GitHub Pages' starter workflows do): the site's config then names
    another, and feeds made from it would lead there. The value is the flag's when it is written out; an expression
    (`${{ steps.pages.outputs.base_path }}`) is the repository's, which is left to the user, never guessed."""
    site = site_dir.resolve()
    for workflow in _workflows(site):
        try:
            text = read_plain_file(workflow, _WORKFLOW_BYTES).decode("utf-8", "replace")
        except (OSError, NotAPlainFile):
            continue
        found = _flag_after_command(text.replace("\\\n", " "), flag)  # a command continued on the next line
        if found is None:
            continue
        written = found.group("value")
        value = written[1:-1] if written[:1] in "\"'" else written
        literal = "$" not in value and "{" not in value
        shown = workflow.relative_to(site) if workflow.is_relative_to(site) else workflow
        draft.set(
            "posts",
            "baseurl",
            value if literal else flag.example,
            f"CHECK THIS: {shown.as_posix()} runs `{flag.command} {written}`,\nwhich replaces {flag.replaces}. "
            f"Uncomment this and set it to what the workflow gives:\n{flag.meaning} (each build checks that they "
            "agree).",
            commented=True,
        )
        return


def _flag_after_command(text: str, flag: _BaseurlFlag) -> re.Match[str] | None:
    """The first flag that follows its command on a line of `text`: each line searched once for the command and
    once, from there, for the flag (a lazy `command.*?flag` over one line of 10,000 commands took 16 s)."""
    for line in text.splitlines():
        if (command := flag.run.search(line)) is not None and (found := flag.flag.search(line, command.end())):
            return found
    return None


def _workflows(site: Path) -> list[Path]:
    """The GitHub Actions workflow files of the repository the site (its resolved folder) is in: in .github/workflows
    of its folder or of a folder above it up to the one that holds the repository (a site in docs/). Outside a
    repository, the site's own folder only: a folder above it is some other project's (found two levels up, its
    workflow's address was written into the site's config)."""
    top = next((folder for folder in (site, *site.parents) if (folder / ".git").exists()), site)
    for folder in (site, *site.parents):
        workflows = folder / ".github" / "workflows"
        if workflows.is_dir():
            return sorted(path for path in workflows.iterdir() if path.suffix in (".yml", ".yaml"))
        if folder == top:
            return []
    return []


def _author(value: Any) -> str | dict[str, str] | None:
    """Jekyll's and Hugo's author as config.toml writes it: a name, or a table with name / email / uri."""
    author = author_from(value)
    if author is None or not isinstance(value, Mapping):
        return author.name if author else None
    return {key: text for key in ("name", "email", "uri") if (text := getattr(author, key))}


def _language(value: Any) -> str | None:
    """A language tag from `lang`, `locale` ("ko_KR") or `languageCode`: the first of a list ("ko-KR, en-US", a
    Hydejack site's `lang`, which site.language refused and no build ran), None when none is a tag."""
    if not isinstance(value, str):
        return None
    return next((tag for tag in value.replace("_", "-").replace(",", " ").split() if LANGUAGE_TAG.fullmatch(tag)), None)


def init_config(
    config_path: Path,
    from_jekyll: Path | None = None,
    from_hugo: Path | None = None,
    environ: Mapping[str, str] | None = None,
    plain: bool = False,
) -> str:
    """Write a new commented config.toml at `config_path` and return its text; never overwrites a file.
    `environ`: RubyGems' variables (models.GEM_VARIABLES), where a Jekyll site's gem theme is looked for. `plain`:
    the config for a _posts folder even where the config's folder is a Jekyll or Hugo site."""
    if config_path.exists():
        if from_hugo is not None and config_path.resolve() == from_hugo.resolve() / "config.toml":
            # `hugo new site` (0.111) writes config.toml, Hugo's legacy name: it is the site's, not a feedpub one.
            raise OutputError(
                f"{config_path}: already exists: it is the Hugo site's own configuration; write feedpub's "
                f"elsewhere: `feedpub init --from-hugo {from_hugo} --config feedpub.toml`, then `feedpub build "
                "--config feedpub.toml`"
            )
        raise OutputError(f"{config_path}: already exists; feedpub init never overwrites it (pass --config NEW.toml)")
    config_dir = config_path.resolve().parent
    if from_jekyll is None and from_hugo is None and not plain:
        _check_no_generator_site(config_path, config_dir)
    if from_jekyll is not None:
        text = jekyll_config(from_jekyll, config_dir, config_path.name, environ or {})
    elif from_hugo is not None:
        text = hugo_config(from_hugo, config_dir)
    else:
        text = minimal_config(config_dir)
    create_file(config_path, text.encode("utf-8"))
    return text


def _check_no_generator_site(config_path: Path, config_dir: Path) -> None:
    """ConfigError when the config's folder is a Jekyll or Hugo site: a plain config there publishes the _posts
    files at URLs of feedpub's, pages Jekyll never writes (404s), or names a _posts folder a Hugo site lacks."""
    folder = os.path.relpath(config_dir)
    config = "" if config_path == Path("config.toml") else f" --config {config_path}"
    if (config_dir / "_posts").is_dir() and jekyll_config_file(config_dir) is not None:
        option, what = "--from-jekyll", "a Jekyll site (_config.yml, _posts)"
        wrong = "gives its posts URLs Jekyll never writes (404s)"
    elif is_hugo_site(config_dir):
        option, what, wrong = "--from-hugo", "a Hugo site (its config, content)", "reads none of its content"
        # Hugo's legacy config.toml may be beside it: feedpub's then goes elsewhere.
        config = config or " --config feedpub.toml"
    else:
        return
    raise ConfigError(
        f"{folder} is {what}: a config for a plain _posts folder {wrong}; run `feedpub init {option} {folder}"
        f"{config}` (or `feedpub init --plain{config}` for a plain config all the same)"
    )


def minimal_config(config_dir: Path) -> str:
    """A config for a folder with a Jekyll-style `_posts` folder beside config.toml."""
    draft = Draft("for a _posts folder, written by `feedpub init`.")
    draft.set("site", "url", PLACEHOLDER_URL, "CHANGE THIS: the address the site is served at (feeds need it).")
    draft.set("site", "title", config_dir.resolve().name or "My site", "Shown as the feeds' title.")
    draft.set("site", "description", "")
    draft.set("site", "timezone", "UTC", 'For post dates without an offset, e.g. "Asia/Seoul".')
    draft.set("posts", "dirs", ["_posts"], "Folders of post files (YYYY-MM-DD-slug.md, or any name with a date).")
    draft.set("posts", "permalink", "/:categories/:year/:month/:day/:title/")
    draft.set("output", "dir", "feeds", "Where the feeds, sitemaps and feeds.html are written.")
    draft.set(
        "feeds",
        "limit",
        20,
        'Posts per feed. Feeds per category or tag: categories = true, tags = ["python"].',
    )
    draft.set(
        "sitemap", "path", "sitemap.xml", 'A Google News sitemap too: news = { name = "My Paper", language = "en" }'
    )
    return draft.render()


def jekyll_config(
    site_dir: Path, config_dir: Path, config_name: str = "config.toml", environ: Mapping[str, str] | None = None
) -> str:
    """A config drawn from a Jekyll site's _config.yml, with jekyll-feed's and jekyll-sitemap's settings.
    `environ`: as init_config's."""
    path = jekyll_config_file(site_dir)
    if path is None:
        raise ConfigError(
            f"{site_dir}: no _config.yml (nor _config.yaml, _config.toml) here; is this a Jekyll site? Pass the "
            "folder that has it"
        )
    data = jekyll_settings(site_dir, read_mapping(path, site_dir), environ or {})
    source = jekyll_source(path, data)  # where the site's files are: its folder, or the one `source` names
    draft = Draft(f"migrated from Jekyll ({_relative(path, config_dir)}) by `feedpub init --from-jekyll`.")
    where = f"{path.name} url + baseurl"
    url = _site_url(jekyll_site_url(data.get("url")), data.get("baseurl"), where)
    draft.set("site", "url", url[0], url[1])
    # jekyll-feed's title is `title`, else `name` (GitHub Pages sites set only `name`), smartified.
    title = str(data.get("title") or data.get("name") or site_dir.resolve().name)
    draft.set("site", "title", jekyll_feed_title(data, title))
    if data.get("description"):
        draft.set("site", "description", str(data["description"]).strip())
    language = _language(data.get("lang")) or _language(data.get("locale"))
    if language:
        draft.set("site", "language", language)
    if data.get("timezone"):
        draft.set("site", "timezone", str(data["timezone"]), "Jekyll's `timezone`.")
    else:
        # Ruby takes the zone of the process that builds (TZ, else /etc/localtime) where _config.yml names none: a
        # post dated 08:15 +0900 is on the 10th in Seoul and the 9th on a UTC runner, and its :day URL with it.
        draft.set(
            "site",
            "timezone",
            LOCAL_ZONE,
            "_config.yml names none: Jekyll uses the building machine's zone (TZ, else its own), and so does this.",
        )
    author = _author(data.get("author"))
    if author:
        draft.set("site", "author", author)
    draft.set("site", "static_dir", _relative(source, config_dir), "Images under /assets are looked up here.")

    draft.set("posts", "generator", "jekyll", "Jekyll's rules: its _posts folders, permalinks, defaults, dates.")
    draft.set(
        "posts",
        "source",
        _relative(site_dir, config_dir),
        "The Jekyll site: its _config.yml is read at every build, so its URLs follow any change to it.",
    )
    _baseurl_from_workflow(draft, site_dir, _JEKYLL_BASEURL_FLAG)
    draft.set(
        "posts",
        "extensions",
        list(
            dict.fromkeys(
                [*jekyll_markdown_extensions(data), ".html", ".htm", ".txt", *jekyll_post_extensions(site_dir)]
            )
        ),
        "Jekyll's markdown_ext, HTML, text, and every extension of the dated files in _posts now: Jekyll publishes\n"
        "a dated file of any extension. Add the extension of a new kind of post here.",
    )
    draft.set(
        "posts",
        "templates",
        "liquid",
        "Jekyll renders Liquid in posts: includes, filters, post_url and link are resolved as Jekyll does;\n"
        "jekyll.environment is JEKYLL_ENV when set, else production (the deployed site's, as GitHub Pages builds\n"
        'it), and site.time the build\'s. "none" keeps them literal.' + _theme_comment(site_dir, data, environ or {}),
    )
    destination = site_dir / str(data.get("destination") or "_site")
    comment = "Jekyll's destination: run `feedpub build` after `jekyll build` (Jekyll empties it on each build)."
    kept = data.get("keep_files")
    if not isinstance(kept, list) or not {str(name) for name in kept} - {".git", ".svn"}:
        comment += (
            "\nCHECK THIS: list feedpub's files (the [feeds], [sitemap] and [output] names here) in `keep_files:` in"
            '\n_config.yml, and run both commands under one lock (the guide\'s "Running from cron"): otherwise each'
            "\n`jekyll build` deletes them until feedpub runs again (404s meanwhile, and every feed looks changed)."
        )
    excluded = {str(name).strip("/") for name in data.get("exclude") or [] if isinstance(name, str)}
    served = config_dir.is_relative_to(source) and not any(
        part.startswith(("_", ".")) for part in config_dir.relative_to(source).parts
    )
    if served and not {config_name, DATES_FILE} <= excluded:
        # Jekyll copies every file of the site it is not told to leave out: /config.toml would be served.
        comment += (
            f"\nCHECK THIS: {config_name} and {DATES_FILE} are in the Jekyll site: add them to `exclude:`\n"
            "in _config.yml, or Jekyll publishes them."
        )
    draft.set("output", "dir", _relative(destination, config_dir), comment)

    plugins = [str(p) for p in (data.get("plugins") or data.get("gems") or []) if isinstance(p, str)]
    plugins += _plugins_seen_at_work(site_dir, destination, data.get("theme"), config_dir)
    own = jekyll_top_level_outputs(site_dir, destination.resolve())
    feed: Mapping[str, Any] = data["feed"] if isinstance(data.get("feed"), Mapping) else {}
    if "jekyll-feed" in plugins or feed:
        # jekyll-feed's `collections: posts:` settings win over its own for the posts' feed.
        collections = feed.get("collections")
        named = list(collections) if isinstance(collections, (Mapping, list)) else []
        posts = collections.get("posts") if isinstance(collections, Mapping) else None
        posts_feed: Mapping[str, Any] = posts if isinstance(posts, Mapping) else {}
        feed_path = str(posts_feed.get("path") or feed.get("path") or "feed.xml").lstrip("/")
        comment = "jekyll-feed's Atom feed path, so subscribers keep their URL."
        if feed_path in own:
            # jekyll-feed writes nothing where the site has a file of its own (its `feed.xml`, a page with that
            # permalink); feedpub must not replace it either.
            comment = f"CHECK THIS: the site writes its own {feed_path} (jekyll-feed leaves it), so feedpub's is here."
            feed_path = _free_name(("atom.xml", "feed.atom", "atom-feed.xml"), own)
        if others := [str(name) for name in named if name != "posts"]:
            comment += (
                "\nCHECK THIS: jekyll-feed also made feeds of the collections "
                f"{', '.join(others)}; feedpub makes none: keep jekyll-feed for them"
            )
        draft.set("feeds", "atom", feed_path, comment)
        draft.set(
            "feeds",
            "ids",
            "jekyll-feed",
            'The entry ids jekyll-feed gave, so feed readers do not show old posts again; "url" for the URLs.',
        )
        limit = _liquid_limit(feed.get("posts_limit"))
        if limit is not None and limit > 0:
            draft.set("feeds", "limit", limit, "jekyll-feed's posts_limit.")
        else:
            draft.set("feeds", "limit", 10, "jekyll-feed's default posts_limit.")
        if feed.get("excerpt_only") is True:
            draft.set("feeds", "content", "excerpt", "jekyll-feed's excerpt_only.")
        categories = posts_feed.get("categories") or feed.get("categories")
        if isinstance(categories, list) and categories:
            draft.set(
                "feeds",
                "categories",
                [str(c) for c in categories],
                "jekyll-feed's categories. Their feeds move from /feed/<category>.xml to categories/<slug>/.",
            )
        tags = feed.get("tags")
        if tags:
            only = tags.get("only") if isinstance(tags, Mapping) else None
            comment = "jekyll-feed's tags. Their feeds move from /feed/by_tag/<tag>.xml to tags/<slug>/."
            if isinstance(tags, Mapping) and tags.get("except"):
                comment += f"\nCHECK THIS: feedpub has no `except`; these had no feed: {tags['except']}"
            draft.set("feeds", "tags", [str(t) for t in only] if isinstance(only, list) else True, comment)

    _clear_of_the_sites_files(draft, own, ("rss", "json", "page"))
    if "jekyll-sitemap" in plugins or (source / "sitemap.xml").exists() or "sitemap.xml" in own:
        draft.set(
            "sitemap",
            "path",
            POSTS_SITEMAP,
            "The site makes its own sitemap.xml (jekyll-sitemap or a file): feedpub's must not replace it.\n"
            "robots.txt lists this one too. `sitemap: false` in front matter or defaults leaves a post out.",
        )
    return draft.render()


# Ruby's Integer() of a text: white space around, a sign, digits with single "_" between them, after a base's
# prefix (0x, 0b, 0d, 0o or a bare 0: octal).
_RUBY_INTEGER = re.compile(
    r"\s*([-+]?)(?:0[xX](?P<x>[0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)|0[bB](?P<b>[01]+(?:_[01]+)*)"
    r"|0[dD](?P<d>[0-9]+(?:_[0-9]+)*)|0[oO_]?(?P<o>[0-7]+(?:_[0-7]+)*)|(?P<n>[1-9](?:_?[0-9])*|0))\s*",
    re.ASCII,
)


def _liquid_limit(value: object) -> int | None:
    """jekyll-feed's posts_limit as its template's `limit:` reads it (Liquid's to_integer: an integer, or a text
    through Ruby's Integer(), so "15" is 15 and " 0x10 " 16); None where Liquid stops the build (15.5, "abc", true)
    or the `default: 10` filter takes over (no value, "")."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    # Past 100 characters no limit is meant (and Python's int() refuses 4,300 decimal digits).
    match = _RUBY_INTEGER.fullmatch(value) if isinstance(value, str) and len(value) <= 100 else None
    if match is None:
        return None
    digits, base = next(
        (match[name], base) for name, base in (("x", 16), ("b", 2), ("d", 10), ("o", 8), ("n", 10)) if match[name]
    )
    number = int(digits.replace("_", ""), base)
    return -number if match[1] == "-" else number


def _theme_comment(site_dir: Path, data: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """What the `templates` comment says of the site's theme, whose _includes posts may use: where it was found,
    or that it was not (a build then names each include no folder has)."""
    theme, remote = data.get("theme"), data.get("remote_theme")
    if isinstance(theme, str) and theme.strip():
        found = jekyll_theme_folder(site_dir, theme, environ)
        if found is not None:
            return f"\nThe theme {theme}'s includes are read from {found}/_includes, after the site's."
        return (
            f"\nCHECK THIS: the theme {theme} is not installed where feedpub looks:\n{GEM_PLACES}.\n"
            "Posts' includes from it are left out (each build names them): install it where feedpub runs\n"
            "(`bundle install`), or copy its _includes into the site's."
        )
    if isinstance(remote, str) and remote.strip():
        return (
            f"\nCHECK THIS: the remote_theme {remote} is fetched as Jekyll builds, where feedpub cannot read it:\n"
            "posts' includes from it are left out (each build names them); copy its _includes into the site's."
        )
    return ""


def _plugins_seen_at_work(site_dir: Path, destination: Path, theme: object, config_dir: Path) -> list[str]:
    """jekyll-feed and jekyll-sitemap where Jekyll loads them without `plugins:` naming them: a gem theme's own
    dependencies (Chirpy's jekyll-sitemap, minima's jekyll-feed), as Gemfile.lock lists them, or seen in the last
    `jekyll build` (its sitemap.xml, unless feedpub wrote it there; a feed.xml Jekyll generated). Unseen,
    feedpub's sitemap replaced the theme's and dropped its pages."""
    seen = []
    if isinstance(theme, str) and (lock := site_dir / "Gemfile.lock").is_file():
        with contextlib.suppress(OSError, UnicodeDecodeError, NotAPlainFile):
            seen += _theme_dependencies(read_plain_file(lock, 1 << 20).decode("utf-8"), theme)
    # init run again must not take feedpub's own sitemap.xml for jekyll-sitemap's (its URL would move).
    ours = recorded_output_names(config_dir / STATE_FOLDER)
    if (destination / "sitemap.xml").is_file() and "sitemap.xml" not in ours:
        seen.append("jekyll-sitemap")
    with contextlib.suppress(OSError, UnicodeDecodeError, NotAPlainFile):
        if is_jekyll_feed(read_plain_file(destination / "feed.xml", 1 << 24)):
            seen.append("jekyll-feed")
    return seen


def _theme_dependencies(lock: str, theme: str) -> list[str]:
    """The gems Gemfile.lock lists under `theme`'s own entry (its runtime dependencies)."""
    found: list[str] = []
    inside = False
    for line in lock.splitlines():
        indent = len(line) - len(line.lstrip(" "))
        name = line.strip().split(" ", 1)[0]
        if indent == 4:
            inside = name == theme
        elif indent == 6 and inside:
            found.append(name)
        elif indent < 4:
            inside = False
    return found


def _free_name(names: tuple[str, ...], taken: Collection[str]) -> str:
    return next(name for name in names if name not in taken)


# feedpub's files a site may write itself: (section, key, feedpub's default name, the names to take instead).
_OWN_FILES = (
    ("feeds", "atom", "atom.xml", ("feed.atom", "atom-feed.xml", "feedpub-atom.xml")),
    ("feeds", "rss", "rss.xml", ("rss2.xml", "feed.rss", "rss-feed.xml", "feedpub-rss.xml")),
    ("feeds", "json", "feed.json", ("feed-json.json", "jsonfeed.json", "feedpub-feed.json")),
    ("output", "page", "feeds.html", ("subscribe.html", "feed-list.html", "feedpub-feeds.html")),
)


def _clear_of_the_sites_files(draft: Draft, taken: Collection[str], keys: tuple[str, ...]) -> None:
    """Name each of feedpub's files `keys` lists (atom, rss, json, page) that the site writes itself (`taken`)
    after a free name instead, with a comment: feedpub's build would replace the site's file."""
    for section, key, name, fallbacks in _OWN_FILES:
        if key in keys and name in taken:
            draft.set(
                section,
                key,
                _free_name(fallbacks, taken),
                f"CHECK THIS: the site writes its own {name}; feedpub's is here, so the site's is not replaced.",
            )


def _entries(folder: Path) -> set[str]:
    """The names of the files and folders in `folder`; none when it cannot be listed (it does not exist yet)."""
    try:
        return {entry.name for entry in folder.iterdir()}
    except OSError:
        return set()


# Every name init may give one of feedpub's files that a site may write itself (_OWN_FILES).
_OWN_NAMES = frozenset(each for _, _, name, fallbacks in _OWN_FILES for each in (name, *fallbacks))


def _the_sites_entries(publish_dir: Path, prefix: str, recorded: Collection[str]) -> set[str]:
    """The names in a language's folder of publishDir (`prefix`: "" or "en/") that are the site's, as the last
    `hugo` left them: not what feedpub wrote, as `recorded` (the config folder's record) lists it, or as the file
    itself says (a build of another config folder: `init` run in a new one took feedpub's own atom.xml for the
    site's, and moved the feeds)."""
    folder = publish_dir / prefix
    return {
        name
        for name in _entries(folder)
        if prefix + name not in recorded and not (name in _OWN_NAMES and written_by_feedpub(folder / name))
    }


def hugo_config(site_dir: Path, config_dir: Path) -> str:
    """A config that reads a Hugo site as Hugo does: its posts, URLs and dates follow the site's own config.

    Hugo's configuration (hugo.toml, config.toml, config/_default/ and config/production/ merged) is read again
    at every build (`generator = "hugo"`); what is written here is what feeds say about the site.
    """
    hugo = hugo_site_config(site_dir)
    language = hugo.default_language
    names = ", ".join(_relative(p, config_dir) for p in hugo.files)
    draft = Draft(f"for the Hugo site in {_relative(site_dir, config_dir)} ({names}), by `feedpub init --from-hugo`.")
    url = _site_url(hugo.base_url, "", "the Hugo config's baseURL")
    draft.set("site", "url", url[0], url[1])
    draft.set("site", "title", language.title or site_dir.resolve().name, "Hugo's title (the default language's).")
    description = language.description if language.description is not None else hugo.description
    if description:
        draft.set("site", "description", description.strip())
    if code := _language(language.code if language.has_language_code or hugo.languages[1:] else None):
        draft.set("site", "language", code)
    draft.set("site", "timezone", hugo.for_language("").timezone.key, "Hugo's timeZone (UTC when unset).")
    author = _author(hugo.author if not isinstance(hugo.author, tuple) else dict(hugo.author))
    if author:
        draft.set("site", "author", author)
    comment = "Hugo's staticDir."
    if others := hugo.static_dirs[1:]:
        comment = (
            f"CHECK THIS: Hugo's staticDir lists {len(hugo.static_dirs)} folders; feedpub looks up image sizes in this "
            f"one only:\nimages in {', '.join(_relative(folder, config_dir) for folder in others)} get no size "
            "(RSS enclosures need one, so they get none)."
        )
    draft.set("site", "static_dir", _relative(hugo.static_dir, config_dir), comment)
    draft.set(
        "posts",
        "generator",
        "hugo",
        "Posts are the regular pages of Hugo's main sections, published and placed as Hugo 0.111.3 does\n"
        "(permalinks, url and slug, drafts, publishDate, expiryDate, languages), read from `source` at every build.",
    )
    draft.set("posts", "source", _relative(site_dir, config_dir))
    _baseurl_from_workflow(draft, site_dir, _HUGO_BASEURL_FLAG)
    draft.set("posts", "extensions", list(hugo_content_extensions()), "The content files Hugo renders as pages.")
    draft.set(
        "posts",
        "templates",
        "hugo",
        "Shortcodes as Hugo renders them: figure, youtube, vimeo, gist, highlight, param, ref and relref;\n"
        'the site\'s own and inline shortcodes are removed (their inner text stays). "none" keeps them literal.',
    )
    draft.set(
        "output", "dir", _relative(hugo.publish_dir, config_dir), "Hugo's publishDir: run `feedpub build` after `hugo`."
    )
    rss = language.prefix + hugo.rss_name
    outputs = hugo_output_files(site_dir)
    if outputs.home_rss:
        comment = f"Hugo serves its home RSS at /{rss}: subscribers keep that URL (feedpub's file replaces Hugo's)."
    else:
        comment = (
            f"Hugo serves no home RSS (its [outputs] home, or disableKinds, leave RSS out): feedpub's is at /{rss},\n"
            "where Hugo's would be."
        )
    if hugo.languages[1:]:
        comment += "\nEach other language gets its own feeds and sitemap in its folder (/en/...), as in Hugo."
    draft.set("feeds", "rss", rss, comment)
    if hugo.rss_limit > 0:
        limit, comment = hugo.rss_limit, "Hugo's services.rss.limit (rssLimit)."
    else:
        # feeds.limit has no "all": feedpub's default, said, rather than a number that would outgrow any feed.
        limit, comment = (
            FeedSettings.limit,
            "CHECK THIS: the Hugo config sets no services.rss.limit (rssLimit), so Hugo's feeds list every page;\n"
            "feedpub's list the newest this many. To list every post, set it above their number (each feed grows).",
        )
    # A language's own limit: Hugo lists that many in its feeds (observed), feedpub's one limit serves them all.
    for language in hugo.languages:
        if language.rss_limit is not None and language.rss_limit != hugo.rss_limit:
            count = "every page" if language.rss_limit < 0 else f"the newest {language.rss_limit}"
            comment += (
                f"\nCHECK THIS: [languages.{language.key}] sets its own feed limit: Hugo's {language.key} feeds list "
                f"{count};\nfeedpub has one limit, this one, for every language's feeds."
            )
    draft.set("feeds", "limit", limit, comment)
    # Besides its output formats' files: its static files, and what the last `hugo` left in each language's folder
    # (a page at /feed.json), but not what feedpub wrote there (init run again keeps its names).
    ours = recorded_output_names(config_dir / STATE_FOLDER)
    taken = set(outputs.names)
    for each in hugo.languages:
        for folder in hugo.static_dirs:
            taken |= _entries(folder / each.prefix)
        taken |= _the_sites_entries(hugo.publish_dir, each.prefix, ours)
    _clear_of_the_sites_files(draft, taken, ("atom", "json", "page"))
    terms_made = "term" not in hugo.disabled_kinds
    categories, tags = hugo.term_keys
    folders = " and ".join(f"/{name}/<term>/index.xml" for name in (categories, tags) if name)
    comment = (
        f"Hugo's taxonomies have feeds at {folders}; these land at the same paths."
        if terms_made and folders
        else 'The Hugo config\'s disableKinds has "term": the site has no category or tag pages, nor feeds of them.'
        if not terms_made
        else "The Hugo config's [taxonomies] has neither categories nor tags."
    )
    draft.set("feeds", "categories", terms_made and categories is not None, comment)
    draft.set("feeds", "tags", terms_made and tags is not None)
    if "sitemap" not in hugo.disabled_kinds:
        comment = (
            "Hugo writes its own sitemap.xml (every page: sections, terms, pages outside the posts' sections):\n"
            "feedpub's must not replace it. robots.txt lists this one too."
        )
        if hugo.languages[1:]:
            comment += "\nEach language's is in its folder (/en/sitemap-posts.xml), as Hugo's are."
        draft.set("sitemap", "path", POSTS_SITEMAP, comment)
    return draft.render()
