"""A generator's YAML configuration is kept as JSON by its text's digest (read/config_files.py): read again, the same
file gives the same mapping without PyYAML; an edited one is parsed again; what JSON cannot give back is never
kept; a memo that is not one is ignored; a file PyYAML cannot read is a clear error."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from feedpub.errors import ConfigError
from feedpub.read.config_files import read_mapping
from tests.conftest import run

CONFIG = """\
# Site settings
title: "벤치 뉴스"
url: https://news.example.kr
baseurl: ""
permalink: /:categories/:year/:month/:title/
timezone: Asia/Seoul
future: true
paginate: 5
ratio: 1.5
empty:
exclude: [Gemfile, "vendor/", node_modules]
defaults:
  - scope: {path: "", type: posts}
    values: {layout: post, comments: true}
kramdown:
  auto_ids: false
"""


def _types(value: Any) -> Any:
    """The value with its types, to tell 5 from 5.0 or "5" where == does not."""
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return (type(value).__name__, value)


def test_a_kept_mapping_is_the_files(tmp_path: Path) -> None:
    config, memo = tmp_path / "_config.yml", tmp_path / "state" / "memo.json"
    config.write_text(CONFIG, encoding="utf-8")
    first = read_mapping(config, tmp_path, memo)
    assert memo.is_file() and _types(first) == _types(yaml.safe_load(CONFIG))
    assert _types(read_mapping(config, tmp_path, memo)) == _types(first)
    kept = json.loads(memo.read_text(encoding="utf-8"))
    kept["data"]["title"] = "read from the memo"  # proves the second read below takes the memo, not the file
    memo.write_text(json.dumps(kept), encoding="utf-8")
    assert read_mapping(config, tmp_path, memo)["title"] == "read from the memo"


def test_an_edited_file_is_parsed_again_whatever_its_time(tmp_path: Path) -> None:
    config, memo = tmp_path / "_config.yml", tmp_path / "memo.json"
    config.write_text(CONFIG, encoding="utf-8")
    assert read_mapping(config, tmp_path, memo)["permalink"] == "/:categories/:year/:month/:title/"
    stat = config.stat()
    config.write_text(CONFIG.replace(":month/:title/", ":title.html/"), encoding="utf-8")
    os.utime(config, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time: the text, not the stat, decides
    assert read_mapping(config, tmp_path, memo)["permalink"] == "/:categories/:year/:title.html/"


@pytest.mark.parametrize(
    "text", ["date: 2024-01-02\n", "1: one\n", "ratio: .nan\n", "data: !!binary aGVsbG8=\n", "s: !!set {a: null}\n"]
)
def test_what_json_cannot_give_back_is_not_kept(tmp_path: Path, text: str) -> None:
    config, memo = tmp_path / "_config.yml", tmp_path / "memo.json"
    config.write_text(text, encoding="utf-8")
    assert _types(read_mapping(config, tmp_path, memo)) == _types(yaml.safe_load(text))
    assert not memo.exists()


@pytest.mark.parametrize(
    "kept",
    [
        "not json",
        "[]",
        '{"path": "elsewhere/_config.yml", "sha256": "SAME", "data": {"title": "wrong"}}',
        '{"path": "CONFIG", "sha256": "other", "data": {"title": "wrong"}}',
        '{"path": "CONFIG", "sha256": "SAME", "data": "wrong"}',
    ],
)
def test_a_memo_that_is_not_this_files_is_ignored(tmp_path: Path, kept: str) -> None:
    config, memo = tmp_path / "_config.yml", tmp_path / "memo.json"
    config.write_text(CONFIG, encoding="utf-8")
    read_mapping(config, tmp_path, memo)
    digest = json.loads(memo.read_text(encoding="utf-8"))["sha256"]
    memo.write_text(kept.replace("SAME", digest).replace('"CONFIG"', json.dumps(str(config))), encoding="utf-8")
    assert read_mapping(config, tmp_path, memo)["title"] == "벤치 뉴스"


def test_a_config_nested_too_deeply_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "_config.yml"
    config.write_text("a: " + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"_config\.yml: cannot read it"):
        read_mapping(config, tmp_path, tmp_path / "memo.json")


def test_a_jekyll_sites_edited_config_reaches_the_next_build(tmp_path: Path) -> None:
    """Through the memo: a permalink changed in _config.yml moves the posts' URLs at the next build."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\npermalink: /:year/:title/\n")
    (site / "_posts" / "2024-01-02-post.md").write_text("---\ntitle: Post\n---\nBody.\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0

    def urls() -> list[str]:
        assert run("build", "--config", config, "--now", "2025-01-01T00:00:00+00:00", "--quiet").exit_code == 0
        (feed,) = (p for p in tmp_path.rglob("feed.json") if ".feedpub" not in p.parts)
        return [item["url"] for item in json.loads(feed.read_text(encoding="utf-8"))["items"]]

    assert urls() == ["https://example.kr/2024/post/"]
    assert urls() == ["https://example.kr/2024/post/"]  # the memo's mapping
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\npermalink: /blog/:title/\n")
    assert urls() == ["https://example.kr/blog/post/"]
