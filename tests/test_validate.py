"""feedpub validate: each class of problem on a broken file, and a clean bill for a fresh build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conformance import validate_atom, validate_sitemap
from tests.conftest import DATA, EXAMPLE_NOW, run, write_example_config

BROKEN = DATA / "broken_outputs"
CHECK_TIME = "2025-01-01T00:00:00+00:00"

# file -> the line `file: line: problem` must contain (its line number and the heart of the message)
EXPECTED = {
    "rss_channel_without_description.xml": "3: <channel> needs a non-empty <description>",
    "rss_relative_item_link.xml": "9: <item><link> must be an absolute http(s) URL, got '/2024/one/'",
    "rss_duplicate_guid.xml": "8: duplicate <guid> 'post-1' (first on line 7)",
    "rss_pubdate_in_the_future.xml": "9: <item><pubDate> Sat, 01 Jan 2100 09:00:00 +0900 is in the future",
    "rss_hangul_link_not_percent_encoded.xml": "7: <item><link> must be percent-encoded",
    "atom_entry_without_id.xml": "8: <entry> needs an <id>",
    "atom_duplicate_entry_ids.xml": "13: duplicate entry <id> 'https://example.org/one/' (first on line 9)",
    # The W3C validator's DuplicateUpdated warning: posts dated by day alone share midnight.
    "atom_duplicate_entry_updated.xml": "13: duplicate entry <updated> '2024-01-01T00:00:00Z' (first on line 9)",
    "atom_updated_without_offset.xml": "5: <feed><updated> is not a valid date (got '2024-01-01 09:00')",
    "sitemap_lastmod_not_a_date.xml": "3: <lastmod> is not a valid date (got 'yesterday')",
    "sitemap_relative_loc.xml": "4: <loc> must be an absolute http(s) URL, got '/about/'",
    "sitemap_duplicate_loc.xml": "4: duplicate <loc> 'https://example.org/a/' (first on line 3)",
    "sitemap_news_language_with_region.xml": "4: <news:language> must be an ISO 639 code",
    "sitemapindex_relative_loc.xml": "3: <loc> must be an absolute http(s) URL, got 'sitemap-1.xml'",
    "not_well_formed_unclosed_channel.xml": "5: not well-formed XML: Opening and ending tag mismatch",
    "feed_json_trailing_comma.json": "5: not well-formed JSON",
    "feed_json_item_without_content.json": '7: item needs "content_html" or "content_text"',
    # Passed as "some other JSON": readers take none of a feed without its version.
    "feed_json_without_version.json": "1: a JSON Feed needs its version (https://jsonfeed.org/version/1.1), got None",
}


def test_every_broken_fixture_has_an_expectation() -> None:
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED), ids=lambda n: n.rsplit(".", 1)[0])
def test_validate_reports_the_problem_with_file_and_line(tmp_path: Path, name: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    shutil.copy(BROKEN / name, folder / name)
    result = run("validate", folder, "--now", CHECK_TIME)
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert f"{name}: {EXPECTED[name]}" in "\n".join(lines), lines
    assert len(lines) == 1, lines  # one problem, not a cascade
    assert "1 problem in" in result.stderr


def test_a_fresh_build_validates_clean_and_against_the_schemas(tmp_path: Path) -> None:
    config = write_example_config(
        tmp_path,
        '\n[feeds]\ncategories = true\ntags = true\n[sitemap]\nnews = { name = "서울 생활 뉴스" }\n',
    )
    assert run("build", "--config", config, "--now", EXAMPLE_NOW.isoformat(), "--quiet").exit_code == 0
    result = run("validate", "--config", config, "--now", EXAMPLE_NOW.isoformat())
    assert result.exit_code == 0, result.output
    assert "no problems found" in result.output
    assert run("validate", "--config", config, "--now", EXAMPLE_NOW.isoformat(), "--quiet").output == ""
    out = tmp_path / "out"
    for atom in out.rglob("atom.xml"):
        validate_atom(atom.read_bytes())
    for sitemap in ("sitemap.xml", "sitemap-news.xml"):
        validate_sitemap((out / sitemap).read_bytes())


def test_validate_finds_future_dates_relative_to_now(tmp_path: Path, example_config: Path) -> None:
    run("build", "--config", example_config, "--now", EXAMPLE_NOW.isoformat(), "--quiet")
    result = run("validate", tmp_path / "out", "--now", "2025-11-01T00:00:00+09:00")
    assert result.exit_code == 1
    assert "atom.xml: 5: <feed><updated> 2025-11-20T08:40:00+09:00 is in the future" in result.stdout


def test_validate_skips_files_it_does_not_know(tmp_path: Path) -> None:
    (tmp_path / "browserconfig.xml").write_text("<browserconfig/>", encoding="utf-8")
    (tmp_path / "search.json").write_text('{"pages": []}', encoding="utf-8")
    (tmp_path / ".rss.xml.1234.tmp").write_text("<half", encoding="utf-8")
    assert run("validate", tmp_path).exit_code == 0


def test_validate_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code == 2
    assert "run `feedpub build` first" in result.output
