"""Feeds per category and tag: Hangul folder names, percent-encoded self links, parseable by feedparser."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feedpub.namespaces import ATOM_NS
from tests.conformance import validate_atom
from tests.conftest import EXAMPLE_NOW, run, write_example_config

CATEGORY_URL = "https://example.org/news/categories/%EC%83%9D%ED%99%9C/"  # categories/생활/


@pytest.fixture
def built(tmp_path: Path) -> Path:
    config = write_example_config(
        tmp_path, '\n[feeds]\ncategories = true\ntags = ["피드", "Python"]\n', site_url="https://example.org/news/"
    )
    result = run("build", "--config", config, "--now", EXAMPLE_NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    return tmp_path / "out"


def test_category_feeds_keep_hangul_in_file_names(built: Path) -> None:
    folder = built / "categories" / "생활"
    assert sorted(p.name for p in folder.iterdir()) == ["atom.xml", "feed.json", "rss.xml"]
    assert (built / "categories" / "r&d-정책" / "rss.xml").is_file()  # "R&D 정책": slugified like permalinks


def test_category_feed_self_links_are_exact_and_percent_encoded(built: Path) -> None:
    folder = built / "categories" / "생활"
    rss = etree.parse(str(folder / "rss.xml"))
    assert rss.find(f"channel/{{{ATOM_NS}}}link[@rel='self']").get("href") == CATEGORY_URL + "rss.xml"
    atom = etree.parse(str(folder / "atom.xml"))
    ns = {"a": ATOM_NS}
    assert atom.find("a:link[@rel='self']", ns).get("href") == CATEGORY_URL + "atom.xml"
    assert atom.findtext("a:id", namespaces=ns) == CATEGORY_URL + "atom.xml"
    feed = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
    assert feed["feed_url"] == CATEGORY_URL + "feed.json"


def test_category_feeds_hold_only_their_posts_and_parse(built: Path) -> None:
    for name in ("rss.xml", "atom.xml"):
        parsed = feedparser.parse((built / "categories" / "생활" / name).read_bytes())
        assert not parsed.bozo, parsed.bozo_exception
        assert parsed.feed.title == "서울 생활 뉴스 · 생활"
        assert parsed.entries, name
        assert all("생활" in {t.term for t in e.tags} for e in parsed.entries)
    validate_atom((built / "categories" / "생활" / "atom.xml").read_bytes())


def test_tag_feeds_only_for_the_listed_tags(built: Path) -> None:
    assert sorted(p.name for p in (built / "tags").iterdir()) == ["python", "피드"]
    parsed = feedparser.parse((built / "tags" / "피드" / "rss.xml").read_bytes())
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["PyCon Korea 2024 후기: 파이썬으로 RSS 피드 만들기"]


def test_term_feeds_are_off_by_default(tmp_path: Path, example_config: Path) -> None:
    run("build", "--config", example_config, "--now", EXAMPLE_NOW.isoformat(), "--quiet")
    assert not (tmp_path / "out" / "categories").exists()
    assert not (tmp_path / "out" / "tags").exists()


def test_term_feeds_setting_must_be_a_boolean_or_a_list(tmp_path: Path) -> None:
    config = write_example_config(tmp_path, '\n[feeds]\ncategories = "all"\n')
    result = run("build", "--config", config)
    assert result.exit_code == 2
    assert "feeds.categories must be true, false or a list" in result.output


def test_feeds_of_a_term_no_longer_published_are_removed(built: Path, tmp_path: Path) -> None:
    """A term feed feedpub wrote and no longer makes is deleted, as the generator's own build drops it; a reader
    would otherwise be served its last entries forever. Files feedpub did not write stay."""
    (built / "tags" / "python" / "notes.txt").write_text("mine", encoding="utf-8")
    (built / "tags" / "mine").mkdir()
    (built / "tags" / "mine" / "rss.xml").write_text("<rss/>", encoding="utf-8")
    config = write_example_config(
        tmp_path, '\n[feeds]\ncategories = true\ntags = ["피드"]\n', site_url="https://example.org/news/"
    )
    result = run("build", "--config", config, "--now", EXAMPLE_NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (built / "tags" / "python").iterdir()) == ["notes.txt"]
    assert (built / "tags" / "mine" / "rss.xml").read_text(encoding="utf-8") == "<rss/>"
    assert sorted(p.name for p in (built / "tags" / "피드").iterdir()) == ["atom.xml", "feed.json", "rss.xml"]
    assert (built / "categories" / "생활" / "rss.xml").is_file()


def test_a_removed_term_feed_leaves_no_empty_folder_and_follows_no_link(built: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "rss.xml").write_text("not feedpub's", encoding="utf-8")
    for name in ("rss.xml", "atom.xml", "feed.json"):
        (built / "tags" / "python" / name).unlink()
    (built / "tags" / "python").rmdir()
    (built / "tags" / "python").symlink_to(outside)  # the folder replaced by a link out of the output folder
    config = write_example_config(
        tmp_path, "\n[feeds]\ncategories = true\ntags = []\n", site_url="https://example.org/news/"
    )
    result = run("build", "--config", config, "--now", EXAMPLE_NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    assert (outside / "rss.xml").read_text(encoding="utf-8") == "not feedpub's"
    assert not (built / "tags" / "피드").exists()
