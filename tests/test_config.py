"""config.toml: every key checked, errors name section.key and say how to fix."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from feedpub.config import load_config
from feedpub.errors import ConfigError
from tests.conftest import REPO, write_config


def test_example_config_loads_with_paths_relative_to_the_file() -> None:
    site = load_config(REPO / "config.toml")
    assert site.url == "https://example.org/"
    assert site.timezone == ZoneInfo("Asia/Seoul")
    assert site.output_dir == REPO / "feeds"
    assert site.static_dir == REPO / "examples" / "site"
    assert site.posts.dirs == (REPO / "examples" / "site" / "_posts",)
    assert site.state_dir == REPO / ".feedpub"


def test_defaults(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text('[site]\nurl = "https://example.kr"\ntitle = "t"\n')
    site = load_config(tmp_path / "config.toml")
    assert site.url == "https://example.kr/"
    assert site.output_dir == tmp_path / "feeds"
    assert site.posts.dirs == (tmp_path / "_posts",)
    assert (site.feeds.limit, site.feeds.content, site.feeds.excerpt_length) == (20, "full", 300)


@pytest.mark.parametrize(
    ("replace", "by", "message"),
    [
        ('title = "테스트 사이트"', "", "site.title is required but missing"),
        ('url = "https://example.kr/"', 'url = "ftp://example.kr/"', "site.url must be an absolute http(s) URL"),
        ('url = "https://example.kr/"', 'url = "/relative"', "site.url must be an absolute http(s) URL"),
        ('timezone = "Asia/Seoul"', 'timezone = "Mars/Olympus"', "site.timezone: unknown time zone 'Mars/Olympus'"),
        ('language = "ko"', "language = 3", "site.language must be a string, got an integer 3"),
        ('language = "ko"', 'langauge = "ko"', "site.langauge is not a known setting"),
        ('dirs = ["_posts"]', 'dirs = "_posts"', "posts.dirs must be a list, got a string"),
        ('dirs = ["_posts"]', "dirs = [1]", "posts.dirs must be a list of strings"),
        ('dirs = ["_posts"]', 'dirs = ["_posts"]\nextensions = ["md"]', 'posts.extensions: each must start with "."'),
        ('dir = "out"', 'dir = "out"\n[feeds]\nlimit = 0', "feeds.limit: must be positive (got 0)"),
        ('dir = "out"', 'dir = "out"\n[feeds]\nlimit = true', "feeds.limit must be an integer, got a boolean"),
        ('dir = "out"', 'dir = "out"\n[feeds]\ncontent = "some"', 'feeds.content: must be "full" or "excerpt"'),
        ('dir = "out"', 'dir = "out"\n[feeds]\nrss = "../rss.xml"', "feeds.rss: must be a relative file name"),
        ('dir = "out"', 'dir = "out"\n[sitemap]\nmax_urls = 60000', "sitemap.max_urls: must be between 1 and 50000"),
        ('dir = "out"', 'dir = "out"\n[ping]\nwebsub_hubs = ["nope"]', "ping.websub_hubs must be an absolute"),
        ('dir = "out"', 'dir = "out"\n[ping]\nindexnow_key_env = "1 bad"', "ping.indexnow_key_env: must be an env"),
        ('dir = "out"', 'dir = "out"\n[extras]\nx = 1', "[extras] is not a known section"),
        ("[site]", "[site]\nauthor = { nam = 'x' }", "site.author.name is required but missing"),
        # Each made feeds that validators refuse (an Atom feed with no author; <language>ko_KR</language>).
        ("[site]", '[site]\nauthor = ""', "site.author: must not be empty (leave it out instead)"),
        ("[site]", "[site]\nauthor = { name = ' ' }", "site.author.name: must not be empty"),
        ('language = "ko"', 'language = "ko_KR"', 'site.language: must be a language tag like "ko" or "ko-KR"'),
        # A thread's timeout overflowed: an internal error at every ping.
        ('dir = "out"', 'dir = "out"\n[ping]\ndeadline = inf', "ping.deadline: must be positive, at most 86400"),
        ('dir = "out"', 'dir = "out"\n[ping]\ntimeout = 1e12', "ping.timeout: must be positive, at most 86400"),
        # Written into each post's URL: one past what a sitemap holds made every post's URL too long, at its cost.
        (
            'dirs = ["_posts"]',
            'dirs = ["_posts"]\npermalink = "/' + ":slug/" * 400 + '"',
            "posts.permalink: the permalink pattern is 2,401 characters long, past the 2,048",
        ),
        # Sent as written: https://x.example/ping?u={fed}.
        (
            'dir = "out"',
            'dir = "out"\n[ping]\nurls = ["https://x.example/p?u={fed}"]',
            "ping.urls: 'https://x.example/p?u={fed}' has a placeholder other than {feed}, {sitemap}, {site}",
        ),
    ],
    ids=[
        "missing-title",
        "ftp-url",
        "relative-url",
        "bad-timezone",
        "wrong-type",
        "misspelt-key",
        "string-not-list",
        "list-item-type",
        "extension-dot",
        "limit-zero",
        "bool-not-int",
        "content-enum",
        "escaping-file-name",
        "sitemap-limit",
        "hub-url",
        "env-name",
        "unknown-section",
        "author-table",
        "author-empty",
        "author-name-empty",
        "language-locale",
        "deadline-infinite",
        "timeout-huge",
        "permalink-long",
        "ping-url-placeholder",
    ],
)
def test_bad_config_names_the_key(tmp_path: Path, replace: str, by: str, message: str) -> None:
    config = write_config(tmp_path)
    text = config.read_text(encoding="utf-8")
    assert replace in text
    config.write_text(text.replace(replace, by, 1), encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(config)
    assert f"{config}: {message}" in str(raised.value)  # the key as written: `feeds.limit`, not `config.feeds.limit`


@pytest.mark.parametrize("tag", ["ko", "ko-KR", "zh-Hant-TW", "es-419", "sgn-BE-FR", "x-klingon", "i-default"])
def test_a_language_tag_of_any_bcp_47_form_is_taken(tmp_path: Path, tag: str) -> None:
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace('language = "ko"', f'language = "{tag}"'), "utf-8")
    assert load_config(config).language == tag


def test_missing_file_and_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file; create one with `feedpub init`"):
        load_config(tmp_path / "config.toml")
    (tmp_path / "config.toml").write_text("[site\n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(tmp_path / "config.toml")
