"""Google News sitemap: the two days before the build's `now`, at most 1,000 URLs, valid against the schema."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from feedpub.config import load_config
from feedpub.models import NewsSettings, Post
from feedpub.namespaces import NEWS_NS, SITEMAP_NS
from feedpub.render.build import build
from feedpub.render.news import render_news_sitemap
from tests.conformance import validate_sitemap
from tests.conftest import EXAMPLE_NOW, run, write_example_config

NEWS = '\n[sitemap]\nnews = { name = "서울 생활 뉴스" }\n'


def _post(slug: str, published: datetime, title: str = "제목 & <특수문자>") -> Post:
    return Post(
        source=f"/posts/{slug}.md",
        url=f"https://example.org/뉴스/{slug}/",
        title=title,
        published=published,
        body="",
    )


def _locs(data: bytes) -> list[str]:
    return [e.text for e in etree.fromstring(data).iter(f"{{{SITEMAP_NS}}}loc")]


def test_news_sitemap_keeps_only_the_last_two_days(tmp_path: Path) -> None:
    site = load_config(write_example_config(tmp_path, NEWS))
    posts = [
        _post("hour-ago", EXAMPLE_NOW - timedelta(hours=1)),
        _post("yesterday", EXAMPLE_NOW - timedelta(days=1)),
        _post("three-days-ago", EXAMPLE_NOW - timedelta(days=3)),
    ]
    outputs = {o.name: o.data for o in build(site, posts, now=EXAMPLE_NOW).outputs}
    data = outputs["sitemap-news.xml"]
    assert _locs(data) == [
        "https://example.org/%EB%89%B4%EC%8A%A4/hour-ago/",
        "https://example.org/%EB%89%B4%EC%8A%A4/yesterday/",
    ]
    root = etree.fromstring(data)
    ns = {"n": NEWS_NS}
    assert root.findtext(".//n:publication/n:name", namespaces=ns) == "서울 생활 뉴스"
    assert root.findtext(".//n:publication/n:language", namespaces=ns) == "ko"  # from [site] language
    assert root.findtext(".//n:title", namespaces=ns) == "제목 & <특수문자>"
    assert root.findtext(".//n:publication_date", namespaces=ns) == "2025-11-21T09:00:00+09:00"
    validate_sitemap(data)


def test_news_sitemap_is_deterministic_for_the_same_now(tmp_path: Path) -> None:
    site = load_config(write_example_config(tmp_path, NEWS))
    posts = [_post("a", EXAMPLE_NOW - timedelta(hours=5))]
    assert build(site, posts, now=EXAMPLE_NOW).outputs == build(site, posts, now=EXAMPLE_NOW).outputs


def test_news_sitemap_without_recent_posts_lists_the_newest_without_news_and_stays_valid(tmp_path: Path) -> None:
    """Google allows older URLs without <news:news>; sitemaps.org's schema wants a <url> in every <urlset>."""
    site = load_config(write_example_config(tmp_path, NEWS))
    posts = [_post("newest", EXAMPLE_NOW - timedelta(days=3)), _post("older", EXAMPLE_NOW - timedelta(days=4))]
    data = {o.name: o.data for o in build(site, posts, now=EXAMPLE_NOW).outputs}["sitemap-news.xml"]
    assert _locs(data) == ["https://example.org/%EB%89%B4%EC%8A%A4/newest/"]
    assert not list(etree.fromstring(data).iter(f"{{{NEWS_NS}}}news"))
    validate_sitemap(data)
    empty = {o.name: o.data for o in build(site, [], now=EXAMPLE_NOW).outputs}["sitemap-news.xml"]
    assert _locs(empty) == [site.uri]
    validate_sitemap(empty)


def test_news_sitemap_needs_now(tmp_path: Path) -> None:
    site = load_config(write_example_config(tmp_path, NEWS))
    with pytest.raises(ValueError, match="now="):
        build(site, [])


def test_news_sitemap_stops_at_1000_newest() -> None:
    posts = [_post(f"p{i:04d}", EXAMPLE_NOW - timedelta(minutes=i)) for i in range(1005)]
    output = render_news_sitemap(NewsSettings(name="Paper", language="en"), posts, EXAMPLE_NOW, "https://example.org/")
    locs = _locs(output.data)
    assert len(locs) == 1000
    assert locs[0].endswith("/p0000/") and locs[-1].endswith("/p0999/")


def test_news_sitemap_from_the_cli_with_the_example_site(tmp_path: Path) -> None:
    config = write_example_config(tmp_path, NEWS)
    result = run("build", "--config", config, "--now", "2025-11-21T10:00:00+09:00", "--quiet")
    assert result.exit_code == 0, result.output
    data = (tmp_path / "out" / "sitemap-news.xml").read_bytes()
    assert len(_locs(data)) == 1  # the first-snow post of 2025-11-20
    validate_sitemap(data)
    validate_sitemap((tmp_path / "out" / "sitemap.xml").read_bytes())


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('news = { name = "" }', "sitemap.news.name: must not be empty"),
        ('news = { name = "P", language = "ko-KR" }', "sitemap.news.language: must be an ISO 639 code"),
        ('news = { name = "P", when = 1 }', "sitemap.news.when is not a known setting"),
    ],
    ids=["empty-name", "region-subtag", "unknown-key"],
)
def test_news_settings_are_checked(tmp_path: Path, setting: str, message: str) -> None:
    result = run("build", "--config", write_example_config(tmp_path, f"\n[sitemap]\n{setting}\n"))
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("site_language", "news_language"),
    [
        ("zh-Hant", "zh-tw"),
        ("zh-TW", "zh-tw"),
        ("zh-HK", "zh-tw"),
        ("zh-Hant-CN", "zh-tw"),
        ("zh-Hans", "zh-cn"),
        ("zh-CN", "zh-cn"),
        ("zh-SG", "zh-cn"),
        ("zh-Hans-HK", "zh-cn"),
    ],
)
def test_news_language_of_a_chinese_site_is_googles_zh_cn_or_zh_tw(
    tmp_path: Path, site_language: str, news_language: str
) -> None:
    """Google News takes only zh-cn (Simplified) and zh-tw (Traditional) for Chinese: zh-Hant and zh-HK gave `zh`."""
    config = write_example_config(tmp_path, NEWS)
    text = config.read_text(encoding="utf-8").replace('language = "ko"', f'language = "{site_language}"')
    config.write_text(text, "utf-8")
    assert load_config(config).sitemap.news == NewsSettings(name="서울 생활 뉴스", language=news_language)


def test_news_language_of_chinese_of_no_script_is_asked_for_at_each_build_that_leaves_the_news_sitemap_out(
    tmp_path: Path,
) -> None:
    """site.language "zh" does not say which of Google News's zh-cn or zh-tw: each build says which setting to add
    and writes no news sitemap, but the feeds and sitemap as ever (refusing the config stopped every build of a site
    that built before). A news.language given is taken."""
    config = write_example_config(tmp_path, NEWS)
    text = config.read_text(encoding="utf-8").replace('language = "ko"', 'language = "zh"')
    config.write_text(text, "utf-8")
    output = tmp_path / "out"
    for _ in range(2):  # the second build finds nothing changed, and says it again
        result = run("build", "--config", config, "--now", EXAMPLE_NOW.isoformat())
        assert result.exit_code == 0, result.output
        assert 'sitemap.news.language is not set and site.language "zh" does not say' in result.output
        assert (output / "sitemap.xml").exists() and (output / "atom.xml").exists()
        assert not (output / "sitemap-news.xml").exists()
    config.write_text(text.replace("news = {", 'news = { language = "zh-TW",'), "utf-8")
    assert load_config(config).sitemap.news == NewsSettings(name="서울 생활 뉴스", language="zh-tw")
    assert load_config(config).warnings == ()


def test_news_language_from_a_region_tagged_site_language(tmp_path: Path) -> None:
    config = write_example_config(tmp_path, NEWS)
    config.write_text(config.read_text(encoding="utf-8").replace('language = "ko"', 'language = "ko-KR"'), "utf-8")
    assert load_config(config).sitemap.news == NewsSettings(name="서울 생활 뉴스", language="ko")
