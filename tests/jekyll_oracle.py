"""The real Jekyll as a test oracle: build a fixture site and report what Jekyll published.

Each fixture under tests/sites/jekyll/<name>/ is an ordinary Jekyll site plus one page,
``oracle.json``, whose Liquid dumps every collection document as Jekyll sees it (path,
url, id, date, categories, slug, excerpt, content…). :func:`build` copies the site to a
scratch folder, runs ``jekyll build`` there, and returns a JSON-serialisable dict:

``posts``
    ``site.posts`` in Jekyll's order (newest first), one dict per post with ``source``
    (the file, relative to the site), the fields of oracle.json, and ``output`` (the file
    Jekyll wrote for it, relative to the destination).
``documents``
    documents of the other collections, same fields.
``pages``
    ``site.html_pages``: path and url.
``feeds``
    every Atom file jekyll-feed wrote (``feed.xml`` by default): the feed's own title, id,
    self/alternate links, and its entries in document order (id, link, title, published,
    updated, categories, summary, content, author). The feed-level ``<updated>`` is the
    build time and is left out.
``sitemap``
    the ``<loc>``s of ``sitemap.xml`` in document order (``None`` when absent).
``files``
    every file in the destination, sorted.

Jekyll is run as users run it, in the site's folder S: ``jekyll build --disable-disk-cache
--destination D`` (so a ``source:`` in its ``_config.yml`` is taken, which ``--source S`` would
override), with the plugins the site lists in ``_config.yml`` (``plugins:``): with the Debian gems this
works offline, with no Gemfile and no Bundler. ``--safe`` is NOT used: it loads only
whitelisted plugins, so jekyll-feed and jekyll-sitemap would not run (and a layout's
``{% feed_meta %}`` would fail the build).

The environment is fixed: JEKYLL_ENV=production, LANG=C.UTF-8, and TZ as the test process
has it (UTC unless set; the tests pin it). A site's ``timezone:`` overrides TZ inside Jekyll;
TZ only matters for sites without one, which get the machine's local zone.

A document with no date (one in a collection other than posts, say) gets the build time
as its date; the oracle writes ``"<site.time>"`` in its place so results are repeatable.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SITES = HERE / "sites" / "jekyll"
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITE_TIME = "<site.time>"
ENVIRONMENT = {"JEKYLL_ENV": "production", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


class JekyllMissing(RuntimeError):
    """The jekyll program (or a plugin the fixtures need) is not installed."""


def fixture_sites() -> list[str]:
    """Names of the fixture sites: the folders under tests/sites/jekyll with a _config.yml."""
    return sorted(p.parent.name for p in SITES.glob("*/_config.yml"))


def jekyll_executable() -> str:
    """Return the jekyll program's path, or raise JekyllMissing."""
    found = shutil.which("jekyll")
    if found is None:
        raise JekyllMissing(
            "jekyll is not installed (Debian: apt-get install jekyll ruby-jekyll-feed ruby-jekyll-sitemap)"
        )
    return found


def check_installation() -> None:
    """Raise JekyllMissing unless jekyll and the plugins the fixtures list can be loaded."""
    jekyll_executable()
    ruby = shutil.which("ruby")
    script = 'require "jekyll"; require "jekyll-feed"; require "jekyll-sitemap"; require "kramdown-parser-gfm"'
    if ruby is None or subprocess.run([ruby, "-e", script], capture_output=True, env=_environment()).returncode:
        raise JekyllMissing("jekyll is installed but jekyll-feed, jekyll-sitemap or kramdown-parser-gfm is not")


def jekyll_version() -> str:
    """`jekyll --version` without the program name, e.g. ``4.3.1``."""
    run = subprocess.run(
        [jekyll_executable(), "--version"], capture_output=True, text=True, env=_environment(), check=True
    )
    return run.stdout.split()[-1]


def _environment(gem_path: str | None = None) -> dict[str, str]:
    """PATH and HOME from this process, everything else fixed (no GEM_HOME, BUNDLE_GEMFILE…); `gem_path`: a
    GEM_PATH of the test's own (a theme gem's folder first, then the installed gems)."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    if gem_path is not None:
        env["GEM_PATH"] = gem_path
    env.update(ENVIRONMENT)
    env["TZ"] = os.environ.get("TZ", "UTC")  # the tests set it (UTC, unless a test is about the machine's zone)
    return env


def write_files(root: Path, files: dict[str, str]) -> Path:
    """A site's files (path below `root` -> text) written, folders made; returns `root`."""
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def run_jekyll(site: Path, destination: Path, *extra: str, timeout: float = 180, gem_path: str | None = None) -> str:
    """Run ``jekyll build`` in the site's folder into destination; return its log, raise on failure."""
    command = [jekyll_executable(), "build", "--disable-disk-cache", "--destination", str(destination), *extra]
    env = _environment(gem_path)
    run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=timeout, cwd=site)
    log = run.stdout + run.stderr
    if run.returncode != 0 or "Error:" in log or "Liquid Exception" in log:
        raise AssertionError(f"jekyll build failed ({run.returncode}): {' '.join(command)}\n{log}")
    return log


def build(site: str | Path, workdir: Path | None = None, *extra: str, gem_path: str | None = None) -> dict[str, Any]:
    """Build one fixture site (a name under tests/sites/jekyll, or a folder) and return the oracle."""
    folder = Path(site) if isinstance(site, Path) or os.sep in str(site) else SITES / str(site)
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="jekyll-oracle-") as scratch:
            return build(folder, Path(scratch), *extra, gem_path=gem_path)
    source = workdir / "site"
    destination = workdir / "_site"
    shutil.copytree(folder, source, ignore=shutil.ignore_patterns("expected.json", "_site", ".jekyll-cache"))
    log = run_jekyll(source, destination, *extra, gem_path=gem_path)
    return collect(destination, log)


def collect(destination: Path, log: str = "") -> dict[str, Any]:
    """Read what Jekyll wrote into destination: oracle.json, the Atom feeds, the sitemap."""
    oracle_file = destination / "oracle.json"
    if not oracle_file.is_file():
        raise AssertionError(f"the site has no oracle.json page (see tests/jekyll_oracle.py)\n{log}")
    oracle = json.loads(oracle_file.read_text(encoding="utf-8"))
    config = oracle["config"]
    site_time = oracle.pop("site_time")
    files = sorted(p.relative_to(destination).as_posix() for p in destination.rglob("*") if p.is_file())
    by_path: dict[str, dict[str, Any]] = {}
    collections_dir = config.get("collections_dir") or ""
    for doc in oracle["documents"]:
        if doc["date"] == site_time:
            doc["date"] = SITE_TIME
        doc["source"] = f"{collections_dir}/{doc['path']}" if collections_dir else doc["path"]
        doc["output"] = output_file(doc["url"], doc["ext"], files)
        by_path[doc["path"]] = doc
    posts = [by_path[path] for path in oracle["posts"]]
    others = [doc for doc in oracle["documents"] if doc["collection"] != "posts"]
    feeds = {
        name: parse_atom(destination / name) for name in files if name.endswith(".xml") and _is_atom(destination / name)
    }
    sitemap = destination / "sitemap.xml"
    return {
        "config": config,
        "posts": posts,
        "documents": others,
        "pages": oracle["pages"],
        "feeds": feeds,
        "sitemap": parse_sitemap(sitemap) if sitemap.is_file() else None,
        "files": [name for name in files if name != "oracle.json"],
    }


def output_file(url: str, ext: str | None, files: list[str]) -> str | None:
    """The destination file Jekyll serves for url, as Jekyll writes it (unescaped)."""
    from urllib.parse import unquote

    path = unquote(url).lstrip("/")
    candidates = [f"{path}index.html"] if path.endswith("/") or not path else [path, f"{path}.html"]
    return next((c for c in candidates if c in files), None)


def _is_atom(path: Path) -> bool:
    try:
        return ET.parse(path).getroot().tag == f"{ATOM}feed"
    except ET.ParseError:
        return False


def _text(element: ET.Element | None) -> str | None:
    return None if element is None else (element.text or "")


def parse_atom(path: Path) -> dict[str, Any]:
    """The fields of an Atom feed that a migration must keep, entries in document order."""
    root = ET.parse(path).getroot()
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        link = entry.find(f"{ATOM}link")
        author = entry.find(f"{ATOM}author")
        entries.append(
            {
                "id": _text(entry.find(f"{ATOM}id")),
                "link": None if link is None else link.get("href"),
                "title": _text(entry.find(f"{ATOM}title")),
                "published": _text(entry.find(f"{ATOM}published")),
                "updated": _text(entry.find(f"{ATOM}updated")),
                "lang": entry.get("{http://www.w3.org/XML/1998/namespace}lang"),
                "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
                "author": None
                if author is None
                else {child.tag.removeprefix(ATOM): child.text for child in author if child.text is not None},
                "summary": _text(entry.find(f"{ATOM}summary")),
                "content": _text(entry.find(f"{ATOM}content")),
                "content_base": None
                if entry.find(f"{ATOM}content") is None
                else entry.find(f"{ATOM}content").get("{http://www.w3.org/XML/1998/namespace}base"),  # type: ignore[union-attr]
            }
        )
    links = {link.get("rel"): link.get("href") for link in root.findall(f"{ATOM}link")}
    return {
        "id": _text(root.find(f"{ATOM}id")),
        "title": _text(root.find(f"{ATOM}title")),
        "subtitle": _text(root.find(f"{ATOM}subtitle")),
        "lang": root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        "links": links,
        "entries": entries,
    }


def parse_sitemap(path: Path) -> list[str] | None:
    """The <loc>s of a sitemap, in document order; None when the file is not a urlset."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError:
        return None
    return [loc.text or "" for loc in root.iter(f"{SITEMAP}loc")]


def expected_file(site: str) -> Path:
    """The committed oracle result of one fixture site."""
    return SITES / site / "expected.json"


def dump(result: dict[str, Any]) -> str:
    """The committed form of a result: stable key order, Unicode kept readable."""
    return json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
