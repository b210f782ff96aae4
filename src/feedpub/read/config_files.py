"""A site generator's configuration file (Jekyll's _config.yml, Hugo's hugo.toml, config/_default/*): one reader."""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedpub.errors import ConfigError, one_line
from feedpub.plain_files import NotAPlainFile, read_plain_file, resolved, write_plain_file
from feedpub.urls import is_broken_http_url, is_not_a_sites_address, same_site_url

MAX_CONFIG_BYTES = 10_000_000  # a generator's configuration or data file: far past any site's


def read_mapping(path: Path, site: Path, memo: Path | None = None, other_as_none: bool = False) -> dict[str, Any]:
    """A TOML, YAML or JSON file of settings in the folder `site`; ConfigError naming the file when it is not one.
    `other_as_none`: a file that holds another value than a mapping (a list, a string) gives none, as Jekyll takes a
    theme's _config.yml (Site#load_theme_configuration returns the site's config unless the theme's is a Hash).

    `memo`: a file that keeps a YAML file's mapping as JSON, by the digest of its text. A run given the same text
    reads the JSON and never imports PyYAML (~40 ms: a tenth of a Jekyll site's run that finds nothing changed).
    Only a mapping JSON gives back as it is is kept (no dates, no keys but strings); losing the file costs time.
    """
    data: Any
    try:
        text = _site_file(path, site).decode("utf-8-sig")
        if path.suffix == ".toml":
            data = tomllib.loads(text)
        elif path.suffix == ".json":
            data = json.loads(text)
        else:
            data = _yaml(path, text) if memo is None else _remembered_yaml(path, text, memo)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ConfigError(f"{path}: cannot read it ({one_line(str(error))}); fix the file") from None
    except RecursionError:
        raise ConfigError(f"{path}: cannot read it (nested too deeply); fix the file") from None
    if nested_deeper(data, MAX_NESTING):
        raise ConfigError(f"{path}: cannot read it (nested too deeply); fix the file")
    if data is None:
        return {}
    if not isinstance(data, dict):
        if other_as_none:
            return {}
        raise ConfigError(f"{path}: expected a mapping of settings, got {type(data).__name__}")
    return data


MAX_CONFIG_VALUES = 100_000  # far past any real site's configuration; YAML aliases can make a small file expand


def _site_file(path: Path, site: Path) -> bytes:
    """The bytes of a regular file inside `site`, links followed only within it; ConfigError for anything else.

    A configuration file is the site's, and anyone who may commit to the site may make one a link: to another
    project's secrets (which `{{ site.x }}` or `{{< param x >}}` would then publish), or to a pipe that no
    writer ever opens (every build would wait on it).
    """
    if not within(site, path):
        raise ConfigError(f"{path}: leads to {path.resolve()}, outside the site's folder {site}; copy the file in")
    try:
        return read_plain_file(path.resolve(), MAX_CONFIG_BYTES, follow_links=True)
    except NotAPlainFile as error:
        raise ConfigError(f"{path}: {error.strerror}; make it a plain file of the site's") from None


def refuse_unreadable(candidates: Iterable[Path], site: Path) -> None:
    """The ConfigError of the first of `candidates` that something is at, naming why it cannot be read: the caller
    found none of them a file. A _config.yml or hugo.toml that is a pipe or a folder is the site's own, refused with
    its reason, not taken for a site without one ("has no _config.yml")."""
    for path in candidates:
        if os.path.lexists(path):
            read_mapping(path, site)  # raises for what is no plain file of the site's


def within(root: Path, path: Path) -> bool:
    """Whether `path` is `root` or under it, symbolic links followed (a loop of them leads nowhere: ConfigError)."""
    try:
        return resolved(path).is_relative_to(root.resolve())
    except OSError as error:
        raise ConfigError(f"{path}: {error.strerror}; make it a file of the site's") from None


@dataclass(frozen=True)
class GeneratorAddress:
    """Where a generator's address comes from, for the guard's message: the settings that give it, and how it is
    given on the command line instead (posts.baseurl)."""

    where: str  # the settings as the message names them: "_config.yml's url + baseurl"
    config_setting: str  # what to set in the generator's own config: "url and baseurl in _config.yml"
    command: str  # the command line that gives the address: "jekyll build --baseurl"
    # posts.baseurl's value that gives site.url ("/repo"; for Hugo, site.url itself); None when none can (a Jekyll
    # url on another host than site.url's).
    baseurl: str | None


def check_site_url(
    site_url: str, served_at: str | None, given: str, address: GeneratorAddress, config_file: Path | None
) -> None:
    """ConfigError when the generator's configuration gives another address than `site_url` (`served_at`, from the
    settings `address` names, as written `given`; None when it names none), or names one that is no address.

    The generator's own pages, and with them the feed entries' links, follow its configuration at every build;
    site.url is written once by `init`. A site moved after it (a baseURL from /blog/ to /) had its feeds' own
    links, their self links, the sitemaps' index and robots.txt at the old address, and feedpub's guard against a
    post at its files' addresses looking there. Which of the two is where the pages are served, feedpub cannot
    tell: a GitHub Pages workflow gives the generator its address on its command line, which no file says.
    """
    where = address.where
    if is_broken_http_url(given):
        # Not told as another address: site.url would be advised to be set to it (a port of 99999999).
        raise ConfigError(
            f"{where} is {given.strip()}, which is not a valid address (an http or https URL with a host, and a port "
            f"up to 65535); correct it there: each build checks that site.url ({site_url}) is the address it names"
        )
    if served_at is None or same_site_url(site_url, served_at):
        return
    config = config_file.name if config_file is not None else "feedpub's config"
    value = address.baseurl
    baseurl = f"baseurl = {json.dumps(value, ensure_ascii=False)}" if value is not None else "baseurl"
    raise ConfigError(
        f"site.url is {site_url} but {where} gives {served_at}: the generator makes its pages' links from its "
        "address, feedpub the feeds', sitemaps' and robots.txt's from site.url, and the two must be one. If the "
        f'site is served at {served_at}, set url = "{served_at}" in [site] of {config}. If it is served at '
        f"{site_url}, set {address.config_setting} to it, or, where the generator is given its address on its "
        f"command line (`{address.command}`, as GitHub Pages' workflows do), set {baseurl} in [posts] of {config}"
    )


def example_address_warnings(served_at: str | None, address: GeneratorAddress) -> tuple[str, ...]:
    """A warning when the generator's address (`served_at`, from the settings `address` names) is an example or local
    one (urls.is_not_a_sites_address): Hugo's quick start writes https://example.org/, which GitHub Pages' workflow
    replaces on its command line; feeds made from it link nowhere a reader can go. Not refused: a test site may
    well be at example.org."""
    if served_at is None or not is_not_a_sites_address(served_at):
        return ()
    return (
        f"{address.where} gives {served_at}, an example or local address where no reader finds the site, and every "
        f"link in the feeds leads there: set {address.config_setting} to the address the site is served at (and "
        "site.url with it), or, where the generator is given its address on its command line "
        f"(`{address.command}`, as GitHub Pages' workflows do), set posts.baseurl to what it gets",
    )


def inside_site(source: Path, folder: Path, where: str) -> Path:
    """`folder` when it is `source` or under it, symbolic links followed; ConfigError otherwise.

    A generator's configuration names its folders (contentDir, collections_dir, staticDir): none may make feedpub
    read, and publish, files from elsewhere on the machine.
    """
    if not within(source, folder):
        raise ConfigError(f"{where}: {folder} is outside the site's folder {source}; feedpub reads only the site")
    return folder


# Levels of tables and lists a config or front matter may nest: far past any real one. Deeper, the code that walks
# them (lower-casing Hugo's keys, hashing, JSON) ran out of Python's stack at 500: an internal error at every build.
MAX_NESTING = 100


def nested_deeper(data: Any, levels: int) -> bool:
    """Whether the mappings and lists of `data` nest more than `levels` deep (counted without recursion)."""
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth >= levels:
                return True
            stack.extend((child, depth + 1) for child in (value.values() if isinstance(value, dict) else value))
    return False


MAX_FRONT_MATTER_VALUES = 10_000  # far above any real front matter; bounds YAML alias and merge expansion


def holds_more_values(data: Any, budget: int) -> bool:
    """Whether YAML or TOML data holds more than `budget` values, its aliases expanded (counted as walked, so a
    small file whose aliases make it vast stops the count early)."""
    return walk_exceeds(data, budget, _values_in)


def walk_exceeds(
    root: Any,
    budget: int,
    children: Callable[[Any], Iterable[Any]],
    characters: float = math.inf,
    length: Callable[[Any], int] = lambda _: 0,
) -> bool:
    """Whether walking from `root` through `children` meets more than `budget` things, or things whose `length`
    adds up past `characters`, each as often as it is reached: the walk stops at the bound, however large the
    expansion."""
    stack = [root]
    while stack:
        value = stack.pop()
        budget -= 1
        characters -= length(value)
        if budget < 0 or characters < 0:
            return True
        stack.extend(children(value))
    return False


def yaml_node_parts(node: Any) -> list[Any]:
    """A PyYAML node's parts: a sequence's items, a mapping's keys and values; none for a scalar (whose value is
    its text). Told apart by their values, so that a run reading no YAML never imports PyYAML for its types."""
    value = node.value
    if isinstance(value, str):
        return []
    return [part for item in value for part in (item if isinstance(item, tuple) else (item,))]


def yaml_length(node: Any) -> int:
    """The characters of a PyYAML scalar node's text; 0 for a sequence or a mapping."""
    return len(node.value) if isinstance(node.value, str) else 0


def _values_in(value: Any) -> Iterable[Any]:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    return value if isinstance(value, list) else ()


def _yaml(path: Path, text: str) -> Any:
    import yaml  # here: a site configured in TOML or JSON (most Hugo sites) does not pay its import (~20 ms)

    loader = (yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        # Counted on the nodes, each alias as often as it is used, before anything is made: merge keys copy as they
        # are constructed (a chain of 4,000 maps, each merging the one before, took 51 s before the count of what
        # they made refused them), and a 500 KB string aliased 2,000 times became 1 GB of JSON in the memo. What is
        # made holds no more values or text than its nodes: it is not walked again.
        if node is not None and walk_exceeds(node, MAX_CONFIG_VALUES, yaml_node_parts, MAX_CONFIG_BYTES, yaml_length):
            raise ConfigError(
                f"{path}: expands to more than {MAX_CONFIG_VALUES:,} values or {MAX_CONFIG_BYTES:,} characters "
                "(YAML aliases?); fix the file"
            )
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: cannot read it ({one_line(str(error))}); fix the file") from None
    except RecursionError:
        raise ConfigError(f"{path}: cannot read it (nested too deeply); fix the file") from None
    finally:
        loader.dispose()
    return data


def _remembered_yaml(path: Path, text: str, memo: Path) -> Any:
    """The YAML text's data: kept in `memo` for this text, else parsed (and kept when JSON gives it back)."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    data = _remembered(memo, path, digest)
    if data is None:
        data = _yaml(path, text)
        if isinstance(data, dict) and _json_keeps(data):
            _remember(memo, path, digest, data)
    return data


def _remembered(memo: Path, path: Path, digest: str) -> dict[str, Any] | None:
    """The mapping `memo` keeps for this text of `path`; None when it keeps another, or cannot be read."""
    try:
        kept = json.loads(read_plain_file(memo, MAX_CONFIG_BYTES * 8))
    except (OSError, ValueError):
        return None
    if not isinstance(kept, dict) or kept.get("path") != str(path) or kept.get("sha256") != digest:
        return None
    data = kept.get("data")
    return data if isinstance(data, dict) else None


def _remember(memo: Path, path: Path, digest: str, data: dict[str, Any]) -> None:
    """Keep `data` in `memo`, replaced whole (a reader never sees half a file); a failure only costs time."""
    # Named as the writer names its temporaries: a build's clean-up deletes one a killed run left.
    temporary = memo.with_name(f".{memo.name}.{os.getpid()}.tmp")
    try:
        memo.parent.mkdir(parents=True, exist_ok=True)
        record = {"path": str(path), "sha256": digest, "data": data}
        write_plain_file(temporary, json.dumps(record, ensure_ascii=False).encode("utf-8"))
        os.replace(temporary, memo)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            temporary.unlink()


def _json_keeps(value: object, depth: int = 0) -> bool:
    """Whether JSON gives `value` back equal and of the same types: strings, whole numbers, finite floats, booleans,
    null, lists, and mappings with string keys (not YAML's dates, sets or binary)."""
    if depth > 100:
        return False  # far past any real configuration
    if isinstance(value, dict):
        return all(isinstance(key, str) and _json_keeps(item, depth + 1) for key, item in value.items())
    if isinstance(value, list):
        return all(_json_keeps(item, depth + 1) for item in value)
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | int)
