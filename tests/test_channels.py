"""Feeds per category and tag: Hangul folder names, percent-encoded self links, parseable by feedparser."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feedpub.models import FeedSettings, Post, PostsSettings, Site
from feedpub.namespaces import ATOM_NS
from feedpub.render.channels import post_terms, term_feeds, term_slug
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


def _term_feeds_one_post_at_a_time(site: Site, posts: list[Post]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """What term_feeds gives, worked out post by post and term by term (the way it was before its memo)."""
    found: dict[tuple[str, str], tuple[str, list[Post]]] = {}
    for kind, wanted in (("categories", site.feeds.categories), ("tags", site.feeds.tags)):
        if wanted is False:
            continue
        chosen = None if wanted is True else {term_slug(t) for t in wanted}
        for post in posts:
            slugs: dict[str, str] = {}
            for term in post_terms(post, kind, site.feeds.max_terms_per_post):
                slug = term_slug(term)
                if slug and (chosen is None or slug in chosen):
                    slugs.setdefault(slug, term)
            for slug, term in slugs.items():
                found.setdefault((kind, slug), (term, []))[1].append(post)
    keys = sorted(found)
    if len(keys) > site.feeds.max_term_feeds:
        ranked = sorted(keys, key=lambda k: (-len(found[k][1]), -found[k][1][0].published.timestamp(), k))
        keys = [k for k in keys if k in set(ranked[: site.feeds.max_term_feeds])]
    return [
        (
            f"{kind}/{slug}/",
            found[kind, slug][0],
            f"{site.title} · {found[kind, slug][0]}",
            tuple(p.source for p in found[kind, slug][1][: site.feeds.limit]),
        )
        for kind, slug in keys
    ]


_SITE = Site(
    url="https://example.org/news/",
    title="예제 블로그",
    output_dir=Path("/nonexistent/out"),
    static_dir=Path("/nonexistent/static"),
    state_dir=Path("/nonexistent/.feedpub"),
    posts=PostsSettings(dirs=(Path("/nonexistent/_posts"),)),
)


# Spellings that share a slug ("Tech", "tech", " TECH"), Hangul, and terms that have none ("???").
_TERMS = st.sampled_from(["Tech", "tech", " TECH", "생활", "생활 ", "k-pop", "K-Pop", "영화", "???", "a.b", "Python"])


@settings(max_examples=200, deadline=None)
@given(
    terms=st.lists(st.tuples(st.lists(_TERMS, max_size=5), st.lists(_TERMS, max_size=5)), max_size=40),
    categories=st.one_of(st.booleans(), st.lists(_TERMS, max_size=3)),
    tags=st.one_of(st.booleans(), st.lists(_TERMS, max_size=3)),
    cap=st.integers(1, 4),
    most=st.integers(1, 6),
    limit=st.integers(1, 5),
)
def test_term_feeds_are_those_worked_out_post_by_post(
    terms: list[tuple[list[str], list[str]]],
    categories: bool | list[str],
    tags: bool | list[str],
    cap: int,
    most: int,
    limit: int,
) -> None:
    """Posts sharing a combination of terms are placed once for all of them: the feeds, their names, their posts
    and the ones max_term_feeds keeps are those a post-by-post pass gives."""
    feeds = FeedSettings(
        categories=categories if isinstance(categories, bool) else tuple(categories),
        tags=tags if isinstance(tags, bool) else tuple(tags),
        max_terms_per_post=cap,
        max_term_feeds=most,
        limit=limit,
    )
    site = replace(_SITE, feeds=feeds)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    posts = [
        Post(
            source=f"_posts/{index}.md",
            url=f"https://example.org/{index}/",
            title="제목",
            published=start - timedelta(hours=index // 2),  # pairs published together: the rank's ties
            body="",
            categories=tuple(post_categories),
            tags=tuple(post_tags),
        )
        for index, (post_categories, post_tags) in enumerate(terms)
    ]
    made, _ = term_feeds(site, posts)
    assert [(f.folder, f.name, f.title, tuple(p.source for p in f.posts)) for f in made] == (
        _term_feeds_one_post_at_a_time(site, posts)
    )
