"""The incremental build writes what a clean build writes, after any sequence of edits, settings and clocks.

A build with the cache keeps the outputs whose inputs did not change (render/build.py, Output.key) and restores
unchanged posts from their cache records. Here random sequences of edits to a real small site, its config and
its output folder, and moves of the clock, are each followed by that build and by a clean one (`use_cache=False`,
a copy of the site with no .feedpub/ and no output): every file of the two must be byte for byte the same.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from feedpub.api import BuildReport, run_build
from feedpub.config import load_config

START = datetime(2025, 1, 10, tzinfo=UTC)
SLUGS = [f"post-{n}" for n in range(12)]
TERMS = ["생활", "교통", "News", "문화"]

titles = st.sampled_from(["서울 소식", "Seoul & <news>", "교통 안내", "주말 행사", "새 글"])
bodies = st.sampled_from(["<p>본문입니다.</p>", "본문 **굵게**와 [링크](/a/)", "<p>둘째 &amp; 셋째</p>", "짧은 글"])
terms = st.lists(st.sampled_from(TERMS), max_size=2, unique=True)
# Days from START: posts a week back to a few days ahead (future posts wait for the clock).
days = st.integers(min_value=-8, max_value=3)


def _config(options: dict[str, Any]) -> str:
    news = '[sitemap.news]\nname = "서울 뉴스"\n' if options["news"] else ""
    return f"""
[site]
url = "https://example.org/"
title = "{options["title"]}"
language = "ko"
timezone = "Asia/Seoul"

[posts]
dirs = ["_posts"]
permalink = "/:year/:month/:day/:title/"

[output]
dir = "out"
page = "{options["page"]}"

[feeds]
limit = {options["limit"]}
categories = {"true" if options["categories"] else "false"}
tags = {"true" if options["tags"] else "false"}

[sitemap]
max_urls = {options["max_urls"]}
gzip = {"true" if options["gzip"] else "false"}
{news}"""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _outputs_record(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / ".feedpub" / "outputs.json").read_bytes())
    (record,) = data.pop("folders").values()  # each build's own output folder
    return {**data, **record}


class IncrementalEqualsClean(RuleBasedStateMachine):
    """A site edited at random; after each step, the cached build's files equal a clean build's."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.TemporaryDirectory(prefix="feedpub-incremental-")
        self.root = Path(self.folder.name) / "site"
        self.clean_root = Path(self.folder.name) / "clean"
        self.root.mkdir()
        self.posts: dict[str, Path] = {}
        self.now = START
        self.options: dict[str, Any] = {
            "title": "서울 생활",
            "limit": 5,
            "categories": True,
            "tags": False,
            "max_urls": 4,  # several sitemap parts from the start
            "news": False,
            "page": "feeds.html",
            "gzip": False,
        }

    # --- the site -----------------------------------------------------------------------------------------------

    def teardown(self) -> None:
        self.folder.cleanup()

    def _write_post(self, slug: str, day: int, title: str, body: str, categories: list[str], tags: list[str]) -> None:
        date = (START + timedelta(days=day)).date().isoformat()
        old = self.posts.pop(slug, None)
        if old is not None:
            old.unlink()
        path = self.root / "_posts" / f"{date}-{slug}.md"
        front = [f'title: "{title}"', f"date: {date} 09:00:00 +0900"]
        front.append(f"categories: [{', '.join(categories)}]")
        front.append(f"tags: [{', '.join(tags)}]")
        path.write_text("---\n" + "\n".join(front) + f"\n---\n{body}\n", encoding="utf-8")
        self.posts[slug] = path

    def _write_config(self) -> None:
        (self.root / "config.toml").write_text(_config(self.options), encoding="utf-8")

    @initialize(
        posts=st.lists(st.tuples(days, titles, bodies, terms, terms), min_size=3, max_size=8),
    )
    def start(self, posts: list[tuple[int, str, str, list[str], list[str]]]) -> None:
        (self.root / "_posts").mkdir()
        for slug, (day, title, body, categories, tags) in zip(SLUGS, posts, strict=False):
            self._write_post(slug, day, title, body, categories, tags)
        self._write_config()

    @rule(data=st.data(), day=days, title=titles, body=bodies, categories=terms, tags=terms)
    def edit_or_add(
        self, data: st.DataObject, day: int, title: str, body: str, categories: list[str], tags: list[str]
    ) -> None:
        slug = data.draw(st.sampled_from(SLUGS))
        self._write_post(slug, day, title, body, categories, tags)

    @precondition(lambda self: bool(self.posts))
    @rule(data=st.data(), body=bodies, title=st.none() | titles)
    def edit_in_place(self, data: st.DataObject, body: str, title: str | None) -> None:
        """A post's body (and maybe its title) edited, its place kept: what a partial build takes on."""
        path = self.posts[data.draw(st.sampled_from(sorted(self.posts)))]
        front, _ = path.read_text(encoding="utf-8").removeprefix("---\n").split("\n---\n", 1)
        if title is not None:
            front = re.sub(r"^title: .*$", f'title: "{title}"', front, flags=re.MULTILINE)
        mtime = path.stat().st_mtime_ns
        path.write_text(f"---\n{front}\n---\n{body}\n", encoding="utf-8")
        os.utime(path, ns=(mtime + 1_000_000_000, mtime + 1_000_000_000))  # an editor's save, a second later

    @precondition(lambda self: len(self.posts) > 1)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        slug = data.draw(st.sampled_from(sorted(self.posts)))
        self.posts.pop(slug).unlink()

    @precondition(lambda self: len(self.posts) < len(SLUGS))
    @rule(data=st.data())
    def rename(self, data: st.DataObject) -> None:
        """The same file under another slug: its URL changes."""
        slug = data.draw(st.sampled_from(sorted(self.posts)))
        new = data.draw(st.sampled_from([s for s in SLUGS if s not in self.posts]))
        old = self.posts.pop(slug)
        path = old.with_name(old.name.replace(slug, new))
        old.rename(path)
        self.posts[new] = path

    @rule(
        key=st.sampled_from(["title", "limit", "categories", "tags", "max_urls", "news", "page", "gzip"]),
        data=st.data(),
    )
    def change_setting(self, key: str, data: st.DataObject) -> None:
        values = {
            "title": st.sampled_from(["서울 생활", "Seoul & Life"]),
            "limit": st.integers(1, 6),
            "categories": st.booleans(),
            "tags": st.booleans(),
            "max_urls": st.integers(1, 20),
            "news": st.booleans(),
            "page": st.sampled_from(["feeds.html", ""]),
            "gzip": st.booleans(),
        }
        self.options[key] = data.draw(values[key])
        self._write_config()

    @rule(hours=st.integers(min_value=-30, max_value=80))
    def move_clock(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(data=st.data(), delete=st.booleans())
    def tamper_with_an_output(self, data: st.DataObject, delete: bool) -> None:
        """A file of the output folder deleted or edited by hand: the next build must write it again."""
        # Not robots.txt: a hand-made one is merged, not replaced (publish/served.py).
        files = [name for name in _files(self.root / "out") if name != "robots.txt"]
        if not files:
            return
        path = self.root / "out" / data.draw(st.sampled_from(files))
        if delete:
            path.unlink()
        else:
            path.write_bytes(path.read_bytes() + b"<!-- edited -->")

    # --- the check ----------------------------------------------------------------------------------------------

    def _build(self, root: Path, use_cache: bool) -> BuildReport:
        site = load_config(root / "config.toml")
        return run_build(site, self.now, use_cache=use_cache, allow_shrink=True, workers=1)

    @invariant()
    def incremental_equals_clean(self) -> None:
        if not (self.root / "config.toml").exists():
            return  # before `start`
        incremental = self._build(self.root, use_cache=True)
        shutil.rmtree(self.clean_root, ignore_errors=True)
        shutil.copytree(self.root, self.clean_root, ignore=shutil.ignore_patterns("out", ".feedpub"))
        clean = self._build(self.clean_root, use_cache=False)
        # The files this build made: a term feed whose term is gone stays in the folder (feedpub deletes only
        # the sitemap parts it no longer lists), and a clean build never made it.
        made = {f.name: f.path.read_bytes() for f in incremental.files}
        assert made == _files(self.clean_root / "out")
        assert sorted(made) == sorted(f.name for f in clean.files)
        assert incremental.published_posts == clean.published_posts
        assert incremental.rejected == clean.rejected
        assert incremental.skipped == clean.skipped
        published = self.root / ".feedpub" / "published.json"
        assert published.read_bytes() == (self.clean_root / ".feedpub" / "published.json").read_bytes()
        assert _outputs_record(self.root) == _outputs_record(self.clean_root)


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of builds: durability on a crash is not what is checked here, and fsync is most of their time."""
    monkeypatch.setattr(os, "fsync", lambda descriptor: None)


IncrementalEqualsClean.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_incremental_build_equals_clean_build = IncrementalEqualsClean.TestCase
