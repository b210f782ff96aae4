"""The texts a build's feeds show (excerpts, bodies as HTML), made ahead in a process pool or one by one as the
build asks: the same feeds either way, and a post that fails there fails the same."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import pytest

from feedpub.api import run_build
from feedpub.config import load_config
from feedpub.models import BuildReport, Post
from feedpub.read import collect
from tests.conftest import NOW, write_config

FEEDS = """
[feeds]
limit = 5
categories = true
tags = true
"""


def _write_site(folder: Path, posts: int = 30) -> Path:
    """Posts in Markdown with their excerpts and images in their bodies, spread over categories and tags: every
    feed shows other posts, each needing its excerpt and its content made."""
    (folder / "_posts").mkdir(parents=True)
    for n in range(1, posts + 1):
        front = f"title: 글 {n}\ncategories: [c{n % 4}]\ntags: [t{n % 7}, 공통]"
        body = (
            f"## 소제목 {n}\n\n첫 문단 {n}: *강조*와 [링크](/l/{n}/).\n\n![사진](/img/{n}.jpg)\n\n"
            + "\n\n".join(f"- 항목 {n}.{i}\n- 다음 {i}" for i in range(3))
            + f"\n\n마지막 문단 {n}.\n"
        )
        day = f"2024-{1 + n // 28:02d}-{1 + n % 28:02d}"
        (folder / "_posts" / f"{day}-post-{n}.md").write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    return write_config(folder, extra=FEEDS)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _made_ahead(monkeypatch: pytest.MonkeyPatch, before: list[Path] | None = None) -> list[int]:
    """How many texts each call of FeedTexts.ahead made (`before`: files appended to first, as an editor saving
    them while the build runs)."""
    counts: list[int] = []
    ahead = collect.FeedTexts.ahead

    def counting(texts: collect.FeedTexts, wanted: Sequence[tuple[Post, bool, bool]]) -> None:
        for path in before or []:
            path.write_text(path.read_text(encoding="utf-8") + "\n덧붙임.\n", encoding="utf-8")
        ahead(texts, wanted)
        counts.append(len(texts.bodies.keys() & texts.excerpts.keys()))

    monkeypatch.setattr(collect.FeedTexts, "ahead", counting)
    return counts


def _builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, changed: str = "") -> tuple[BuildReport, ...]:
    """The site built with its feed texts made one by one, and made in a pool; `changed`: a post edited after it
    was read, before its feed texts are made."""
    reports = []
    made = []
    for name, workers in (("one-by-one", 1), ("pool", 2)):
        folder = tmp_path / name
        config = _write_site(folder)
        edited = [folder / "_posts" / changed] if changed else []
        counts = _made_ahead(monkeypatch, edited)
        reports.append(run_build(load_config(config), NOW, use_cache=False, workers=workers, pool_threshold=0))
        made.append(counts)
        monkeypatch.undo()
    assert made[0] == [0], "one process: nothing is made ahead"
    assert made[1] and made[1][0] > 20, made  # the pool made them: the main feed's and every term feed's posts
    return tuple(reports)


def test_feed_texts_made_in_a_pool_are_those_made_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, pooled = _builds(tmp_path, monkeypatch)
    assert not one.rejected and not pooled.rejected
    serial, parallel = _outputs(tmp_path / "one-by-one" / "out"), _outputs(tmp_path / "pool" / "out")
    assert len(serial) > 20
    assert serial == parallel
    assert "첫 문단 30" in serial["rss.xml"].decode() and "마지막 문단 30" in serial["rss.xml"].decode()


def test_a_post_changed_before_its_feed_texts_are_made_is_rejected_the_same_in_a_pool(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, pooled = _builds(tmp_path, monkeypatch, changed="2024-02-03-post-30.md")
    assert [(Path(r.path).name, r.reason) for r in one.rejected] == [
        (Path(r.path).name, r.reason) for r in pooled.rejected
    ]
    [rejection] = pooled.rejected
    assert rejection.path.endswith("post-30.md") and "changed while it was being published" in rejection.reason
    serial, parallel = _outputs(tmp_path / "one-by-one" / "out"), _outputs(tmp_path / "pool" / "out")
    assert serial == parallel
    assert "post-30" not in serial["rss.xml"].decode()


def test_feed_texts_are_made_one_by_one_below_the_threshold(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counts = _made_ahead(monkeypatch)
    config = _write_site(tmp_path, posts=8)
    assert collect.TEXTS_POOL_THRESHOLD > 8 * 3
    report = run_build(load_config(config), NOW, use_cache=False, workers=2)
    assert not report.rejected
    assert counts and counts == [0] * len(counts)
    shutil.rmtree(tmp_path / "out")
