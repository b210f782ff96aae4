"""The Jekyll fixture sites stay honest: their committed expected.json is what jekyll builds.

tests/sites/jekyll/<name>/expected.json records what the real Jekyll 4.3 (with jekyll-feed
and jekyll-sitemap) publishes for each fixture site; feedpub's Jekyll reader is tested
against those files. These tests rebuild every site with the installed jekyll and compare,
so a fixture edited without running tests/sites/jekyll/regenerate.py fails here. Without
jekyll they skip, except under CI=true, where they fail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jekyll_oracle
import pytest
from conformance import skip_or_fail

SITES = jekyll_oracle.fixture_sites()


def expected(site: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(jekyll_oracle.expected_file(site).read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def jekyll() -> str:
    """The installed jekyll's version; skips (fails under CI) when jekyll or a plugin is missing."""
    try:
        jekyll_oracle.check_installation()
    except jekyll_oracle.JekyllMissing as missing:
        skip_or_fail(str(missing))
    return jekyll_oracle.jekyll_version()


def test_there_are_fixture_sites() -> None:
    assert len(SITES) >= 4, SITES
    for site in SITES:
        assert jekyll_oracle.expected_file(site).is_file(), f"{site}: run tests/sites/jekyll/regenerate.py"


@pytest.mark.parametrize("site", SITES)
def test_expected_json_is_what_jekyll_builds(site: str, jekyll: str, tmp_path: Path) -> None:
    assert jekyll.startswith("4.3."), f"expected.json was recorded with Jekyll 4.3.1, this is {jekyll}"
    built = jekyll_oracle.build(site, tmp_path)
    # Compare the committed text too: key order and formatting are what regenerate.py writes.
    assert built == expected(site), f"{site}: stale expected.json; run tests/sites/jekyll/regenerate.py {site}"
    assert jekyll_oracle.dump(built) == jekyll_oracle.expected_file(site).read_text(encoding="utf-8")


@pytest.mark.parametrize("site", SITES)
def test_expected_json_is_consistent(site: str) -> None:
    """Without jekyll: every post has a source file, an output file, and feed entries match posts."""
    data = expected(site)
    folder = jekyll_oracle.SITES / site
    config = data["config"]
    base = config["url"] + (config["baseurl"] or "")
    assert data["posts"], f"{site} publishes no posts"
    for post in data["posts"]:
        assert (folder / post["source"]).is_file(), post["source"]
        assert post["output"] in data["files"], (post["url"], post["output"])
        assert post["date"] != jekyll_oracle.SITE_TIME, f"{post['source']}: a post's date is never the build time"
    links = {base + post["url"]: post for post in data["posts"]}
    for feed in data["feeds"].values():
        for entry in feed["entries"]:
            assert entry["link"] in links, entry["link"]
            assert entry["id"].startswith(base), entry["id"]


def spot(site: str, source: str) -> dict[str, Any]:
    post: dict[str, Any] = next(p for p in expected(site)["posts"] if p["source"] == source)
    return post


def entry(site: str, link_suffix: str, feed: str = "feed.xml") -> dict[str, Any]:
    found: dict[str, Any] = next(e for e in expected(site)["feeds"][feed]["entries"] if e["link"].endswith(link_suffix))
    return found


def test_spot_checks_of_the_rules_in_the_issue() -> None:
    """A few of the issue's rules, read off the committed results (see /work/notes/jekyll-behaviour.md)."""
    # The date in the URL is in the site's time zone (America/Los_Angeles).
    assert spot("classic-blog", "_posts/2013-05-06-welcome-to-jekyll.markdown")["url"] == (
        "/jekyll/update/2013/05/05/welcome-to-jekyll.html"
    )
    # :categories keeps a category as written, lowercased; only the URL is percent-encoded.
    assert spot("classic-blog", "_posts/2014-01-01-edge-case.md")["url"].startswith("/edge%20case/caf%C3%A9/upper/")
    # Every _posts folder is read; the folders above it become categories, merged with front matter.
    busan = spot("korean-journal", "여행/_posts/2021-05-05-부산-여행.md")
    assert busan["categories"] == ["여행", "Travel", "travel", "바다"]
    assert busan["url"].startswith("/%EC%97%AC%ED%96%89/travel/%EB%B0%94%EB%8B%A4/2021/05/05/")
    # The collection permalink beats the site's permalink; defaults by path beat the collection's.
    assert spot("collections-defaults", "_posts/2021-09-01-hello-world.md")["url"] == "/blog/2021/09/hello-world/"
    assert spot("collections-defaults", "_posts/legacy/2012-04-09-old-post.md")["url"] == (
        "/archive/12/4/9/2012-04-09-old-post.html"
    )
    # jekyll-feed's <id> is post.id: the URL's folder plus the raw slug, made absolute.
    assert spot("classic-blog", "_posts/2017-11-01-literal-permalink.md")["id"] == "/blog/literal-permalink"
    assert entry("classic-blog", "/blog/old-url.html")["id"] == "https://pacific.example.com/blog/literal-permalink"
    # posts_limit, and a feed at feed: path:
    assert len(expected("project-pages")["feeds"]["atom.xml"]["entries"]) == 3
