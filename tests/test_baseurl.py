"""posts.baseurl: the address a generator is given on its command line, as GitHub Pages' starter workflows give it.

Their Jekyll workflow runs `jekyll build --baseurl "${{ steps.pages.outputs.base_path }}"` ("/repo"), their Hugo
one `hugo --baseURL "${{ steps.pages.outputs.base_url }}/"`, over what _config.yml and hugo.toml say. Each site
here is built by the real generator with that flag, and by feedpub with posts.baseurl, and every URL and id is
compared.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import lxml.html
import pytest

from feedpub.config import load_config
from tests import hugo_oracle, jekyll_oracle
from tests.conftest import feedpub_process, run
from tests.test_hugo_variants import hugo, make_site
from tests.test_jekyll_reader import jekyll

__all__ = ["jekyll"]  # a fixture, used by name

PROJECT = "https://user.github.io/repo/"
ATOM = "{http://www.w3.org/2005/Atom}"

# A post that links every way Jekyll makes a link, each of which a baseurl leads.
_LINKING_POST = (
    "---\ntitle: Links\n---\n"
    "See [first]({% post_url 2026-11-20-first %}), [home]({{ '/' | relative_url }}),\n"
    "[abs]({{ '/x/' | absolute_url }}), [base]({{ site.baseurl }}/y/) and "
    "![img]({{ '/assets/a.jpg' | relative_url }}).\n"
)


def _jekyll_site(root: Path, config: str) -> Path:
    return jekyll_oracle.write_files(
        root,
        {
            "_config.yml": f"title: Blog\n{config}plugins: [jekyll-feed]\nexclude: [config.toml, feedpub-dates.txt]\n",
            "_posts/2026-11-20-first.md": "---\ntitle: First\n---\nHello.\n",
            "_posts/2026-12-02-links.md": _LINKING_POST,
            "assets/a.jpg": "not really a JPEG",
        },
    )


def _jekyll_feed(site: Path, *flags: str) -> dict[str, Any]:
    """Build `site` with the real Jekyll into site/_site, given `flags`; jekyll-feed's feed, as it wrote it."""
    jekyll_oracle.run_jekyll(site, site / "_site", *flags)
    return jekyll_oracle.parse_atom(site / "_site" / "feed.xml")


def _init(flag: str, site: Path, config: Path) -> str:
    assert run("init", flag, site, "--config", config).exit_code == 0
    return config.read_text(encoding="utf-8")


def _set(config: Path, section: str, line: str) -> None:
    """`line` added at the top of [section] (a key init wrote is replaced)."""
    key = line.split(" = ")[0]
    text = re.sub(rf"(?m)^{key} = .*\n", "", config.read_text(encoding="utf-8"))
    config.write_text(text.replace(f"[{section}]\n", f"[{section}]\n{line}\n", 1), encoding="utf-8")


def _hrefs(html: str, base: str) -> list[str]:
    """Every link's and image's target in a content, absolute."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return [urljoin(base, target) for target in tree.xpath("//a/@href | //img/@src")]


def _atom_entries(path: Path) -> dict[str, tuple[str, list[str]]]:
    """An Atom feed's entries: id -> (alternate link, content's link targets)."""
    entries = {}
    for entry in ET.parse(path).getroot().iter(ATOM + "entry"):
        link = next(e.get("href") or "" for e in entry.iter(ATOM + "link") if e.get("rel", "alternate") == "alternate")
        content = entry.findtext(ATOM + "content") or ""
        entries[entry.findtext(ATOM + "id") or ""] = (link, _hrefs(content, link) if content.strip() else [])
    return entries


@pytest.mark.parametrize(
    "config",
    ['url: "https://user.github.io"\nbaseurl: ""\n', 'url: "https://user.github.io"\nbaseurl: "/old"\n'],
    ids=["baseurl-empty", "baseurl-other"],
)
def test_a_jekyll_project_site_built_with_baseurl_gets_jekylls_ids_and_links(
    config: str, tmp_path: Path, jekyll: None
) -> None:
    """`jekyll build --baseurl /repo` over _config.yml's: every id, link and content link is Jekyll's, /repo and all.
    Before, feedpub read _config.yml only: every link and id lacked /repo, and site.url set to the real address
    stopped the build."""
    site = _jekyll_site(tmp_path / "site", config)
    config_file = tmp_path / "config.toml"
    _init("--from-jekyll", site, config_file)
    _set(config_file, "site", f'url = "{PROJECT}"')
    _set(config_file, "posts", 'baseurl = "/repo"')
    feed = _jekyll_feed(site, "--baseurl", "/repo")
    result = run("build", "--config", config_file, "--quiet")
    assert result.exit_code == 0, result.output

    theirs = {e["id"]: (e["link"], _hrefs(e["content"], e["link"])) for e in feed["entries"]}
    assert all(key.startswith(PROJECT) for key in theirs)
    assert _atom_entries(site / "_site" / load_config(config_file).feeds.atom) == theirs
    assert theirs[PROJECT + "2026/12/02/links"][1] == [
        PROJECT + "2026/11/20/first.html",
        PROJECT,
        PROJECT + "x/",
        PROJECT + "y/",
        PROJECT + "assets/a.jpg",
    ]
    sitemap = (site / "_site" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{PROJECT}2026/12/02/links.html</loc>" in sitemap


def test_a_jekyll_site_with_no_url_gives_liquid_site_urls_baseurl(tmp_path: Path, jekyll: None) -> None:
    """`jekyll new`'s _config.yml (url and baseurl empty), built by `jekyll build --baseurl /repo`, with site.url the
    project site's address: relative_url, absolute_url and site.baseurl lost /repo while post_url and the enclosure
    had it. One answer now, site.url's, which is Jekyll's."""
    site = _jekyll_site(tmp_path / "site", 'url: ""\nbaseurl: ""\n')
    config_file = tmp_path / "config.toml"
    _init("--from-jekyll", site, config_file)
    _set(config_file, "site", f'url = "{PROJECT}"')
    feed = _jekyll_feed(site, "--baseurl", "/repo")
    result = run("build", "--config", config_file, "--quiet")
    assert result.exit_code == 0, result.output

    (theirs,) = (e["content"] for e in feed["entries"] if "links" in e["link"])
    ours = _atom_entries(site / "_site" / load_config(config_file).feeds.atom)
    (link, targets), *_ = (value for value in ours.values() if "links" in value[0])
    assert link == PROJECT + "2026/12/02/links.html"
    assert targets == _hrefs(theirs, link)
    assert targets == [
        PROJECT + "2026/11/20/first.html",
        PROJECT,
        PROJECT + "x/",
        PROJECT + "y/",
        PROJECT + "assets/a.jpg",
    ]


def test_a_jekyll_baseurl_without_url_must_be_site_urls_path(tmp_path: Path) -> None:
    """No url, baseurl /blog: Jekyll's pages are at /blog/…, and a site.url without /blog gave every entry a link
    Jekyll never wrote. The build stops before writing, saying what each gives."""
    site = _jekyll_site(tmp_path / "site", 'baseurl: "/blog"\n')
    config_file = tmp_path / "config.toml"
    _init("--from-jekyll", site, config_file)
    _set(config_file, "site", 'url = "https://x.example/"')
    result = run("build", "--config", config_file, "--quiet")
    assert result.exit_code == 2
    assert "site.url is https://x.example/ but site.url's host + baseurl gives https://x.example/blog/" in result.stderr
    assert not (site / "_site").exists()
    _set(config_file, "site", 'url = "https://x.example/blog/"')
    assert run("build", "--config", config_file, "--quiet").exit_code == 0


def test_a_hugo_site_built_with_base_url_gets_hugos_links(tmp_path: Path) -> None:
    """`hugo --baseURL https://user.github.io/repo/` over hugo.toml's quick-start https://example.org/: the entries
    link the pages Hugo wrote, ids, relref links and the sitemap too. Before, the feeds said example.org, exit 0."""
    pages = {
        "a.md": '---\ntitle: A\ndate: 2024-01-02\n---\nSee [b]({{< relref "b.md" >}}) and [about](/about/).\n',
        "b.md": "---\ntitle: B\ndate: 2024-01-03\n---\nBee.\n",
    }
    site = make_site(tmp_path, "", pages, single="{{ .Content }}")
    hugo_toml = site / "hugo.toml"
    hugo_toml.write_text(hugo_toml.read_text(encoding="utf-8").replace("https://site.example/", "https://example.org/"))
    out = site / "public"
    command = ["--source", str(site), "--destination", str(out), "--quiet", "--clock", hugo_oracle.CLOCK]
    hugo_oracle._run(hugo(), [*command, "--baseURL", PROJECT], site)
    theirs = {item.findtext("link"): item.findtext("guid") for item in ET.parse(out / "index.xml").iter("item")}
    assert set(theirs) == {PROJECT + "posts/a/", PROJECT + "posts/b/"}
    hugos_a = (out / "posts" / "a" / "index.html").read_text(encoding="utf-8")
    shutil.rmtree(out)

    config_file = tmp_path / "feedpub.toml"
    _init("--from-hugo", site, config_file)
    _set(config_file, "site", f'url = "{PROJECT}"')
    _set(config_file, "posts", f'baseurl = "{PROJECT}"')
    result = run("build", "--config", config_file, "--quiet", "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    items = list(ET.parse(out / "index.xml").iter("item"))
    assert {item.findtext("link"): item.findtext("guid") for item in items} == theirs
    items = json.loads((out / "feed.json").read_bytes())["items"]
    assert {item["url"] for item in items} == set(theirs)
    (ours_a,) = (item["content_html"] for item in items if item["url"].endswith("/a/"))
    base = PROJECT + "posts/a/"
    assert _hrefs(ours_a, base) == _hrefs(hugos_a, base) == [PROJECT + "posts/b/", "https://user.github.io/about/"]
    locs = {
        loc.text for loc in ET.parse(out / "sitemap-posts.xml").iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    }
    assert locs == {*theirs, PROJECT}  # the home page too


@pytest.mark.parametrize(
    ("generator", "value", "said"),
    [
        ("jekyll", "https://user.github.io/repo", "a path like"),
        ("jekyll", "repo", "a path like"),
        ("jekyll", "/repo?x=1", "a path like"),
        ("jekyll", "//user.github.io/repo", "a path like"),
        ("hugo", "/repo", "the absolute http(s) address"),
        ("hugo", "ftp://user.github.io/repo/", "the absolute http(s) address"),
        ("none", "/repo", 'needs posts.generator = "jekyll" or "hugo"'),
    ],
)
def test_a_baseurl_that_is_not_what_the_generator_takes_is_refused(
    generator: str, value: str, said: str, tmp_path: Path
) -> None:
    config_file = tmp_path / "config.toml"
    config_file.write_text(
        f'[site]\nurl = "{PROJECT}"\ntitle = "T"\n[posts]\ngenerator = "{generator}"\nbaseurl = "{value}"\n',
        encoding="utf-8",
    )
    result = run("build", "--config", config_file, "--quiet")
    assert result.exit_code == 2
    assert "posts.baseurl" in result.stderr and said in result.stderr
    assert not (tmp_path / "feeds").exists() and not (tmp_path / "_site").exists()


_JEKYLL_WORKFLOW = """\
jobs:
  build:
    steps:
      - name: Build with Jekyll
        run: bundle exec jekyll build --baseurl "${{ steps.pages.outputs.base_path }}"
        env:
          JEKYLL_ENV: production
"""
_HUGO_WORKFLOW = """\
jobs:
  build:
    steps:
      - name: Build with Hugo
        run: |
          hugo \\
            --gc \\
            --minify \\
            --baseURL "${{ steps.pages.outputs.base_url }}/"
"""


@pytest.mark.parametrize(
    ("flag", "files", "workflow", "line"),
    [
        (
            "--from-jekyll",
            {"_config.yml": "title: T\nurl: https://user.github.io\n"},
            _JEKYLL_WORKFLOW,
            '# baseurl = "/REPO"',
        ),
        (
            "--from-jekyll",
            {"_config.yml": "title: T\nurl: https://user.github.io\n"},
            "    - run: jekyll build -d out --baseurl=/blog\n",
            '# baseurl = "/blog"',
        ),
        (
            "--from-hugo",
            {"hugo.toml": 'baseURL = "https://example.org/"\n'},
            _HUGO_WORKFLOW,
            '# baseurl = "https://USER.github.io/REPO/"',
        ),
    ],
    ids=["jekyll-starter", "jekyll-written-out", "hugo-starter"],
)
def test_init_tells_of_a_workflows_baseurl_without_guessing_it(
    flag: str, files: dict[str, str], workflow: str, line: str, tmp_path: Path
) -> None:
    """The site's repository builds with the address on the command line: init writes posts.baseurl commented out,
    with a note saying what to put there; a value written out in the workflow is shown, an expression never
    guessed."""
    site = jekyll_oracle.write_files(tmp_path / "repo", {**files, ".github/workflows/pages.yml": workflow})
    text = _init(flag, site, tmp_path / "config.toml")
    assert line in text.splitlines()
    assert "# CHECK THIS: .github/workflows/pages.yml runs `" in text
    assert load_config(tmp_path / "config.toml").posts.baseurl is None  # commented out: the config's own, still


def test_init_writes_no_baseurl_without_such_a_workflow(tmp_path: Path) -> None:
    site = jekyll_oracle.write_files(
        tmp_path / "repo",
        {"_config.yml": "title: T\nurl: https://user.github.io\n", ".github/workflows/ci.yml": "run: jekyll build\n"},
    )
    assert "baseurl" not in _init("--from-jekyll", site, tmp_path / "config.toml").split("[posts]")[1]


@pytest.mark.parametrize(
    ("flag", "files", "line"),
    [
        ("--from-jekyll", {"_config.yml": "title: T\nurl: https://user.github.io\n"}, "jekyll build "),
        ("--from-hugo", {"hugo.toml": 'baseURL = "https://user.github.io/"\n'}, "hugo "),
    ],
    ids=["jekyll", "hugo"],
)
def test_a_workflow_line_of_many_commands_and_no_flag_does_not_hold_init(
    flag: str, files: dict[str, str], line: str, tmp_path: Path
) -> None:
    """A workflow is the site's to write: one line of 40,000 commands without the flag (520 KB) held init past
    2 minutes (a lazy command-then-flag search over the line, quadratic); each line is now searched twice."""
    workflow = "    - run: " + line * 40_000 + "\n"
    site = jekyll_oracle.write_files(tmp_path / "repo", {**files, ".github/workflows/pages.yml": workflow})
    done = feedpub_process("init", flag, str(site), "--config", str(tmp_path / "config.toml"), cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "baseurl" not in (tmp_path / "config.toml").read_text(encoding="utf-8").split("[posts]")[1]


def test_a_control_character_in_a_workflows_flag_leaves_a_config_every_build_reads(tmp_path: Path) -> None:
    """`--baseurl "/r<U+0001>x"` went raw into init's CHECK note: TOML allows no control character in a comment,
    and every build refused the config init had just written."""
    site = jekyll_oracle.write_files(
        tmp_path / "repo",
        {
            "_config.yml": "title: T\nurl: https://user.github.io\n",
            ".github/workflows/pages.yml": '    - run: bundle exec jekyll build --baseurl "/r\x01x\x7f"\n',
        },
    )
    text = _init("--from-jekyll", site, tmp_path / "config.toml")
    assert "\x01" not in text and "\x7f" not in text
    assert '# baseurl = "/r\\u0001x\\u007f"' in text.splitlines()
    assert load_config(tmp_path / "config.toml").posts.baseurl is None


def test_init_reads_no_workflow_above_a_site_outside_any_repository(tmp_path: Path) -> None:
    """Outside a git repository only the site's own folder is the site's: a .github/workflows two folders above it
    (another project's) gave its address to the site's config."""
    (tmp_path / "elsewhere" / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / "elsewhere" / ".github" / "workflows" / "x.yml").write_text(
        "    - run: jekyll build --baseurl /other\n", encoding="utf-8"
    )
    site = jekyll_oracle.write_files(
        tmp_path / "elsewhere" / "a" / "site", {"_config.yml": "title: T\nurl: https://user.github.io\n"}
    )
    assert "baseurl" not in _init("--from-jekyll", site, tmp_path / "config.toml").split("[posts]")[1]
    (site / ".git").mkdir()  # the site is a repository's top: the folder above is not looked at either
    assert "baseurl" not in _init("--from-jekyll", site, tmp_path / "config2.toml").split("[posts]")[1]


@pytest.mark.parametrize(
    ("files", "flag", "gives", "ways_out"),
    [
        (
            {
                "_config.yml": "title: T\nurl: https://user.github.io\n",
                "_posts/2024-01-02-a.md": "---\ntitle: A\n---\n",
            },
            "--from-jekyll",
            "_config.yml's url + baseurl gives https://user.github.io/:",
            (
                "set url and baseurl in _config.yml to it",
                "`jekyll build --baseurl`",
                'set baseurl = "/repo" in [posts]',
            ),
        ),
        (
            {
                "hugo.toml": 'baseURL = "https://example.org/"\ntitle = "T"\n',
                "content/posts/a.md": "---\ntitle: A\n---\n",
            },
            "--from-hugo",
            "the Hugo config's baseURL gives https://example.org/:",
            ("set baseURL in the Hugo config to it", "`hugo --baseURL`", f'set baseurl = "{PROJECT}" in [posts]'),
        ),
    ],
    ids=["jekyll", "hugo"],
)
def test_the_site_url_guard_says_what_each_source_gives_and_the_ways_out(
    files: dict[str, str], flag: str, gives: str, ways_out: tuple[str, ...], tmp_path: Path
) -> None:
    """site.url set to the project site's real address stopped the build saying the pages were served at the
    generator's config's address, which GitHub Pages' command line had replaced. It says what each gives, and how
    to make them one: the generator's config, or posts.baseurl for an address given on the command line."""
    site = jekyll_oracle.write_files(tmp_path / "site", files)
    config_file = tmp_path / "config.toml"
    _init(flag, site, config_file)
    _set(config_file, "site", f'url = "{PROJECT}"')
    result = run("build", "--config", config_file, "--quiet")
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert f"site.url is {PROJECT} but {gives}" in message
    assert all(way in message for way in ways_out), message
    assert "pages are served at" not in message


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("https://example.org", True),
        ("http://localhost:4000", True),
        ("https://user.github.io", False),
    ],
)
def test_a_jekyll_url_at_an_example_or_local_host_is_warned_of(url: str, warned: bool, tmp_path: Path) -> None:
    site = _jekyll_site(tmp_path / "site", f'url: "{url}"\n')
    config_file = tmp_path / "config.toml"
    _init("--from-jekyll", site, config_file)
    (site / "_site").mkdir()
    result = run("build", "--config", config_file)
    assert result.exit_code == 0, result.output
    said = "_config.yml's url + baseurl gives" in result.stderr and "url and baseurl in _config.yml" in result.stderr
    assert said is warned
    again = run("build", "--config", config_file)  # nothing changed: told again
    assert ("_config.yml's url + baseurl gives" in again.stderr) is warned


def test_a_hugo_base_url_at_example_org_is_warned_of_and_a_plain_sites_is_not(tmp_path: Path) -> None:
    """Hugo's quick-start baseURL gave feeds that link example.org, exit 0 and not a word."""
    site = make_site(tmp_path, "", {"a.md": "---\ntitle: A\ndate: 2024-01-02\n---\nx\n"})
    hugo_toml = site / "hugo.toml"
    hugo_toml.write_text(hugo_toml.read_text(encoding="utf-8").replace("https://site.example/", "https://example.org/"))
    config_file = tmp_path / "feedpub.toml"
    _init("--from-hugo", site, config_file)
    result = run("build", "--config", config_file, "--now", hugo_oracle.CLOCK)
    assert result.exit_code == 0, result.output
    assert "the Hugo config's baseURL gives https://example.org/" in result.stderr
    assert "set baseURL in the Hugo config" in result.stderr and "posts.baseurl" in result.stderr

    plain = tmp_path / "plain"
    (plain / "_posts").mkdir(parents=True)
    (plain / "_posts" / "2024-01-02-a.md").write_text("---\ntitle: A\n---\nx\n", encoding="utf-8")
    (plain / "config.toml").write_text('[site]\nurl = "https://example.org/"\ntitle = "T"\n', encoding="utf-8")
    result = run("build", "--config", plain / "config.toml")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
