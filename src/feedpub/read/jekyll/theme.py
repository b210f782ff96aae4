"""Where a Jekyll site's gem theme (`theme:` in _config.yml) is installed, found as RubyGems and Bundler lay gems
out, without running either: `<gems folder>/<name>-<version>/`.

Jekyll asks RubyGems for the theme's gem (Theme#gemspec: Gem::Specification.find_by_name, the newest version
installed, or the one Gemfile.lock pins under Bundler) and reads its `_includes` after the site's own
(Site#configure_include_paths). A minimal-mistakes post's `{% include figure … %}` is the theme's: without it,
the figure was dropped from every entry without a word.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from feedpub.plain_files import NotAPlainFile, read_plain_file
from feedpub.state.stamps import Inputs

# Where Debian's Ruby and RubyGems install gems besides the variables' folders (`ruby -e 'puts Gem.path'`), each
# a folder of gem folders; "*" is Ruby's ABI version ("3.1.0").
_SYSTEM_GEMS = (
    "/var/lib/gems/*/gems",
    "/usr/local/lib/ruby/gems/*/gems",
    "/usr/lib/ruby/gems/*/gems",
    "/usr/share/rubygems-integration/all/gems",
)
_USER_GEMS = (".gem/ruby/*/gems", ".local/share/gem/ruby/*/gems")
_BUNDLE_PATH = re.compile(r"""^BUNDLE_PATH:\s*["']?([^"'\n]+?)["']?\s*$""", re.MULTILINE)
_MAX_STATE_BYTES = 1 << 20  # of Gemfile.lock and .bundle/config: far past any real one
# A version as RubyGems writes one in a gem's folder name, and a platform after it (nokogiri-1.15.0-x86_64-linux).
_VERSION = re.compile(r"[0-9][0-9A-Za-z.]*(?:-[0-9A-Za-z_.-]+)?")


def gem_folders(site: Path, environ: Mapping[str, str], inputs: Inputs) -> Iterator[Path]:
    """The folders gems are installed in, in the order they are looked in: GEM_HOME's and GEM_PATH's (`environ`:
    the variables models.GEM_VARIABLES names), Bundler's in the site (`vendor/bundle`, or `.bundle/config`'s
    BUNDLE_PATH), the user's and the system's. `inputs` is told of the site's Bundler files read."""
    homes = [environ.get("GEM_HOME", ""), *environ.get("GEM_PATH", "").split(os.pathsep)]
    yield from (Path(home) / "gems" for home in homes if home)
    bundles = [site / "vendor" / "bundle"]
    config = site / ".bundle" / "config"
    inputs.file(config)
    if (path := _bundle_path(config)) is not None:
        bundles.insert(0, site / os.path.expanduser(path))
    for bundle in bundles:
        yield from sorted(bundle.glob("ruby/*/gems"))
    home = environ.get("HOME", "")
    patterns = [*(os.path.join(home, pattern) for pattern in _USER_GEMS if home), *_SYSTEM_GEMS]
    for pattern in patterns:
        yield from sorted(Path("/").glob(pattern.lstrip("/")))


def theme_folder(site: Path, name: str, environ: Mapping[str, str], inputs: Inputs) -> Path | None:
    """The installed gem folder of the theme `name` (its real path, as Jekyll's Theme#root), or None: the version
    Gemfile.lock pins where it lists the gem, else the newest; of two copies of a version, the one looked in first.
    `inputs` is told of every folder listed: a theme installed, removed or upgraded changes the site."""
    name = name.strip().lower()  # Theme.new's downcase.strip
    if not name or "/" in name or name.startswith("."):
        return None
    pinned = _locked_version(site / "Gemfile.lock", name, inputs)
    best: tuple[tuple[bool, tuple[tuple[int, int | str], ...]], Path] | None = None
    for folder in gem_folders(site, environ, inputs):
        inputs.folder(folder)
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for entry in names:
            version = entry[len(name) + 1 :]
            if not entry.startswith(name + "-") or not _VERSION.fullmatch(version):
                continue
            version = version.split("-", 1)[0]  # a platform's gem is its version's
            if (pinned is not None and version != pinned) or not (folder / entry).is_dir():
                continue
            key = _version_key(version)
            if best is None or key > best[0]:
                best = key, folder / entry
    return best[1].resolve() if best is not None else None


def _bundle_path(config: Path) -> str | None:
    """BUNDLE_PATH as a site's `.bundle/config` sets it (`bundle config set --local path vendor/bundle`)."""
    try:
        text = read_plain_file(config, _MAX_STATE_BYTES).decode("utf-8", errors="replace")
    except (OSError, NotAPlainFile):
        return None
    found = _BUNDLE_PATH.search(text)
    return found[1] if found else None


def _locked_version(lock: Path, name: str, inputs: Inputs) -> str | None:
    """The version Gemfile.lock pins for the gem `name` (its `    name (1.2.3)` line), or None."""
    inputs.file(lock)
    try:
        text = read_plain_file(lock, _MAX_STATE_BYTES).decode("utf-8", errors="replace")
    except (OSError, NotAPlainFile):
        return None
    found = re.search(rf"^    {re.escape(name)} \(([^)\s]+)\)$", text, re.MULTILINE)
    return found[1].split("-", 1)[0] if found else None


def _version_key(version: str) -> tuple[bool, tuple[tuple[int, int | str], ...]]:
    """A key that orders versions as RubyGems picks them: a release before any prerelease (a version with a letter:
    Gem::Dependency#to_spec takes one only where no release is installed), then as Gem::Version orders them,
    numbers by value, a letter segment before any number and before the version's end ("1.0.a" < "1.0" <
    "1.0.1"), trailing zeros no part of it."""
    segments: list[int | str] = [int(s) if s.isdigit() else s for s in re.findall(r"[0-9]+|[A-Za-z]+", version)]
    while segments and segments[-1] == 0:
        segments.pop()
    ordered = (*((2, s) if isinstance(s, int) else (0, s) for s in segments), (1, 0))
    return all(isinstance(s, int) for s in segments), ordered
