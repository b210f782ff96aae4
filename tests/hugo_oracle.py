"""The real Hugo as test oracle: build a fixture site and report what Hugo published.

``build(site)`` copies a fixture from tests/sites/hugo/ into a temporary folder, runs
``hugo --environment production`` with a fixed clock and a clean environment (TZ unset, every
HUGO_* variable cleared), plus ``hugo list all|drafts|future|expired``, and returns a plain
JSON-able dict:

``pages``     every page Hugo rendered or listed, one dict each (source path relative to its
              content dir, permalink, relPermalink, title, slug, date, lastmod, publishDate,
              expiryDate, lang, section, kind, type, draft, bundleType, translations, summary,
              truncated, wordCount, content: the rendered HTML), read from the JSON that each fixture's
              layouts/_default/baseof.html writes into every regular page and, for all the
              regular pages of its language, into each home page;
``list``      ``hugo list all`` as rows (its CSV header is
              path,slug,title,date,expiryDate,publishDate,draft,permalink: every regular page of
              every language, drafts, future and expired ones included); ``drafts`` (path),
              ``future`` and ``expired`` (path and the date that excludes it) have no header;
``feeds``     each RSS file Hugo wrote (its own embedded template), by output path: channel
              title/link/language/lastBuildDate/self link, and each item's title, link, guid,
              pubDate and description;
``sitemaps``  each sitemap file by output path: an index's ``<loc>``s, or a urlset's ``<loc>``,
              ``<lastmod>`` and ``xhtml:link`` alternates;
``files``     every file written, relative to the destination (sorted).

Hugo 0.111.3 (Debian's) is what tests/sites/hugo/*/expected.json record; ``hugo_version()``
lets a test skip when another version is installed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

SITES = Path(__file__).resolve().parent / "sites" / "hugo"
HUGO_VERSION = "0.111.3"  # the version expected.json files were recorded with
CLOCK = "2024-06-01T00:00:00Z"  # hugo --clock: "now" for future/expired decisions
ENVIRONMENT = "production"
TIMEOUT = 120

_ORACLE_JSON = re.compile(r'<script type="application/json" id="hugo-oracle">(.*?)</script>', re.S)
_NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "atom": "http://www.w3.org/2005/Atom",
}


class HugoError(RuntimeError):
    """Hugo failed, or warned, building a fixture."""


def hugo_binary() -> str | None:
    """The hugo executable on PATH, or None."""
    return shutil.which("hugo")


def hugo_version(binary: str = "hugo") -> str:
    """The installed Hugo's version number, e.g. "0.111.3" (from ``hugo version``)."""
    out = subprocess.run([binary, "version"], capture_output=True, text=True, check=True, env=clean_env()).stdout
    match = re.search(r"v(\d+\.\d+\.\d+)", out)
    if not match:
        raise HugoError(f"cannot read a version from {out!r}")
    return match.group(1)


def clean_env() -> dict[str, str]:
    """The environment Hugo runs in: ours less TZ and every HUGO_* variable (they change the build)."""
    return {k: v for k, v in os.environ.items() if k != "TZ" and not k.upper().startswith("HUGO")}


def fixtures() -> list[str]:
    """The fixture site names under tests/sites/hugo/ (each has a layouts/ folder)."""
    return sorted(p.parent.name for p in SITES.glob("*/layouts"))


def _run(binary: str, args: list[str], cwd: Path) -> str:
    command = [binary, *args]
    done = subprocess.run(command, capture_output=True, text=True, env=clean_env(), cwd=cwd, timeout=TIMEOUT)
    if done.returncode != 0:
        raise HugoError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    # Hugo reports missing layouts ("found no layout file") and other problems as WARN lines.
    problems = [line for line in done.stderr.splitlines() if "WARN" in line or "ERROR" in line]
    if problems:
        raise HugoError(f"{' '.join(command)} warned:\n" + "\n".join(problems))
    return done.stdout


def _csv(text: str, header: bool) -> list[dict[str, str]] | list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    if header:
        return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]] if rows else []
    return rows


def build(site: str | Path, *, binary: str | None = None, workdir: Path | None = None) -> dict[str, Any]:
    """Build one fixture (a name under tests/sites/hugo/ or a folder) with Hugo and report on it."""
    binary = binary or hugo_binary()
    if binary is None:
        raise HugoError("hugo is not installed (Debian: apt-get install hugo)")
    fixture = Path(site) if Path(site).is_dir() else SITES / str(site)
    with tempfile.TemporaryDirectory(prefix="hugo-oracle-", dir=workdir) as tmp:
        source = Path(tmp) / "site"
        shutil.copytree(fixture, source, ignore=shutil.ignore_patterns("expected.json"))
        dest = Path(tmp) / "public"
        common = ["--source", str(source), "--environment", ENVIRONMENT, "--clock", CLOCK]
        cache = ["--cacheDir", str(Path(tmp) / "cache")]
        _run(binary, [*common, *cache, "--destination", str(dest)], Path(tmp))
        listed: dict[str, Any] = {"all": _csv(_run(binary, ["list", "all", *common], Path(tmp)), header=True)}
        for kind in ("drafts", "future", "expired"):
            listed[kind] = _csv(_run(binary, ["list", kind, *common], Path(tmp)), header=False)
        return {
            "hugo": hugo_version(binary),
            "clock": CLOCK,
            "environment": ENVIRONMENT,
            "pages": _pages(dest),
            "list": listed,
            "feeds": _xml_files(dest, "rss", _feed),
            "sitemaps": {**_xml_files(dest, "urlset", _urlset), **_xml_files(dest, "sitemapindex", _sitemapindex)},
            "files": sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()),
        }


def _pages(dest: Path) -> list[dict[str, Any]]:
    pages: dict[tuple[str, str], dict[str, Any]] = {}
    for html in sorted(p for p in dest.rglob("*.html") if p.is_file()):
        match = _ORACLE_JSON.search(html.read_text(encoding="utf-8"))
        if match:
            for page in json.loads(match.group(1)):
                pages[(page["lang"], page["path"])] = page
    return [pages[key] for key in sorted(pages)]


def _xml_files(dest: Path, root_tag: str, read: Any) -> dict[str, Any]:
    found = {}
    for path in sorted(p for p in dest.rglob("*.xml") if p.is_file()):
        root = ET.parse(path).getroot()
        if root.tag.rsplit("}", 1)[-1] == root_tag:
            found[path.relative_to(dest).as_posix()] = read(root)
    return found


def _text(element: ET.Element, tag: str) -> str | None:
    child = element.find(tag, _NS)
    return None if child is None else (child.text or "")


def _feed(rss: ET.Element) -> dict[str, Any]:
    channel = rss.find("channel")
    assert channel is not None
    self_link = channel.find("atom:link", _NS)
    return {
        "title": _text(channel, "title"),
        "link": _text(channel, "link"),
        "language": _text(channel, "language"),
        "lastBuildDate": _text(channel, "lastBuildDate"),
        "self": None if self_link is None else self_link.get("href"),
        "items": [
            {tag: _text(item, tag) for tag in ("title", "link", "guid", "pubDate", "description")}
            for item in channel.findall("item")
        ],
    }


def _urlset(root: ET.Element) -> dict[str, Any]:
    urls = []
    for url in root.findall("sm:url", _NS):
        alternates = [
            {"hreflang": link.get("hreflang"), "href": link.get("href")} for link in url.findall("xhtml:link", _NS)
        ]
        urls.append({"loc": _text(url, "sm:loc"), "lastmod": _text(url, "sm:lastmod"), "alternates": alternates})
    return {"kind": "urlset", "urls": urls}


def _sitemapindex(root: ET.Element) -> dict[str, Any]:
    return {
        "kind": "sitemapindex",
        "sitemaps": [
            {"loc": _text(s, "sm:loc"), "lastmod": _text(s, "sm:lastmod")} for s in root.findall("sm:sitemap", _NS)
        ],
    }


# A word Hugo's page lexer may take for an emoji's code between colons (observed: ASCII letters and digits, "_",
# "-" and "+"; `:é:` is text).
_EMOJI_WORD = re.compile(r"[A-Za-z0-9_+-]{1,80}")


def emoji_table(binary: str | None = None) -> dict[str, str]:
    """Every `:code:` Hugo's enableEmoji replaces, without its colons, and what it writes for it: the codes are
    looked for in the binary (its table's keys are strings in it, colons and all: every word between two colons is
    tried), each rendered on a page of its own paragraph."""
    binary = binary or hugo_binary()
    if binary is None:
        raise HugoError("hugo is not installed (Debian: apt-get install hugo)")
    words = Path(binary).read_bytes().decode("utf-8", "replace").split(":")
    codes = sorted({word for word in words if _EMOJI_WORD.fullmatch(word)})
    with tempfile.TemporaryDirectory(prefix="hugo-emoji-") as tmp:
        site = Path(tmp) / "site"
        (site / "layouts" / "_default").mkdir(parents=True)
        (site / "content").mkdir()
        (site / "hugo.toml").write_text(
            'baseURL = "https://emoji.example/"\nenableEmoji = true\n'
            "[markup.goldmark.extensions]\ntypographer = false\nlinkify = false\n",
            encoding="utf-8",
        )
        (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}", encoding="utf-8")
        (site / "layouts" / "_default" / "list.html").write_text("list", encoding="utf-8")
        page = "".join(f"N{n}N :{code}: E\n\n" for n, code in enumerate(codes))
        (site / "content" / "emoji.md").write_text(f"---\ntitle: Emoji\n---\n{page}", encoding="utf-8")
        _run(binary, ["--source", str(site), "--destination", str(Path(tmp) / "public"), "--quiet"], Path(tmp))
        html = (Path(tmp) / "public" / "emoji" / "index.html").read_text(encoding="utf-8")
    written = {codes[int(n)]: text for n, text in re.findall(r"<p>N(\d+)N (.*?) E</p>", html)}
    assert len(written) == len(codes)
    return {code: text for code, text in written.items() if text != f":{code}:"}


def expected_path(site: str) -> Path:
    return SITES / site / "expected.json"


def dumps(result: dict[str, Any]) -> str:
    """expected.json's text: stable key order, UTF-8 kept readable."""
    return json.dumps(result, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
