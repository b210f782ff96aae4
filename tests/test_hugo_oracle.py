"""The committed Hugo oracle data (tests/sites/hugo/*/expected.json) is what the real Hugo gives.

Each fixture is rebuilt with the installed hugo (Debian's 0.111.3; .ci/install-system-deps
installs it) and the result must equal expected.json; regenerate with
tests/sites/hugo/regenerate.py. Skips when hugo is missing or another version is installed,
and fails instead under CI=true.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import hugo_oracle
from tests.conformance import skip_or_fail

FIXTURES = hugo_oracle.fixtures()


@pytest.fixture(scope="module")
def hugo() -> str:
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the Hugo oracle tests need it")
    version = hugo_oracle.hugo_version(binary)
    if version != hugo_oracle.HUGO_VERSION:
        skip_or_fail(f"hugo {version} is installed; tests/sites/hugo/*/expected.json record {hugo_oracle.HUGO_VERSION}")
    return binary


def test_there_are_fixtures() -> None:
    assert len(FIXTURES) >= 4, FIXTURES
    for name in FIXTURES:
        assert hugo_oracle.expected_path(name).is_file(), f"{name}: run tests/sites/hugo/regenerate.py"


@pytest.mark.parametrize("site", FIXTURES)
def test_hugo_gives_the_committed_expected_json(site: str, hugo: str, tmp_path: Path) -> None:
    result = hugo_oracle.build(site, binary=hugo, workdir=tmp_path)
    expected = json.loads(hugo_oracle.expected_path(site).read_text(encoding="utf-8"))
    for key in ("pages", "list", "feeds", "sitemaps", "files"):
        assert result[key] == expected[key], f"{site}: {key} differs from expected.json (regenerate.py, then review)"
    assert result == expected


@pytest.mark.parametrize("site", FIXTURES)
def test_rss_guid_is_the_permalink(site: str) -> None:
    """What the reader must reproduce: each RSS item's guid is its page's permalink."""
    expected: dict[str, Any] = json.loads(hugo_oracle.expected_path(site).read_text(encoding="utf-8"))
    permalinks = {page["permalink"] for page in expected["pages"]}
    for path, feed in expected["feeds"].items():
        for item in feed["items"]:
            assert item["guid"] == item["link"], (site, path, item)
            if not any(part in ("tags", "categories") for part in path.split("/")[:-1]):  # taxonomies list terms
                assert item["link"] in permalinks or item["link"] == "", (site, path, item)


def test_oracle_reads_published_pages_only() -> None:
    """Drafts, future and expired pages are in `hugo list all` but never in pages or feeds."""
    expected = json.loads(hugo_oracle.expected_path("dates-permalinks").read_text(encoding="utf-8"))
    published = {page["path"] for page in expected["pages"]}
    listed = {row["path"].removeprefix("content/") for row in expected["list"]["all"]}
    excluded = {"posts/publish-later.md", "posts/expired.md", "posts/draft-string.md"}
    assert excluded <= listed
    assert not excluded & published
    assert listed - excluded == published
