"""The incremental cache: what is read again and when, damaged caches, and equal bytes with or without it."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from feedpub.api import BuildReport, run_build
from feedpub.config import load_config
from feedpub.models import Author, Image, Parsed, Post, ReadSettings, Weights
from feedpub.read import dates as dates_module
from feedpub.read import markup
from feedpub.read import post as post_module
from feedpub.read.collect import collect
from feedpub.read.templates import expand
from feedpub.state.cache import Cache, parsed_of, record_of
from feedpub.state.paths import cache_path
from feedpub.state.records import LAST_BUILD as _LAST_BUILD
from tests.conftest import EXAMPLE_NOW, REPO, build_imports, run, write_config, write_example_config

NOW = datetime(2025, 1, 1, tzinfo=UTC)
HEAVY = ("feedgen", "lxml", "nh3", "markdown_it", "frontmatter", "yaml", "requests")


@pytest.fixture
def reading(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """The names of the post files read (parsed) from here on, in this process: to collect them, and again for
    the excerpt of a post a feed shows (Reader.excerpt)."""
    collected: list[str] = []
    for_excerpts: list[str] = []
    real = post_module.read_post

    def counting(site: object, path: str, *args: object) -> object:
        excerpts = args[4] if len(args) > 4 else None  # read_post's `excerpts`: given only to make the excerpt
        (collected if excerpts is None else for_excerpts).append(Path(path).name)
        return real(site, path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(post_module, "read_post", counting)
    return collected, for_excerpts


@pytest.fixture
def reads(reading: tuple[list[str], list[str]]) -> list[str]:
    """The names of the post files read to collect them, from here on, in this process."""
    return reading[0]


def build(site_dir: Path, now: datetime = NOW, **options: object) -> BuildReport:
    return run_build(load_config(site_dir / "config.toml"), now, workers=1, **options)  # type: ignore[arg-type]


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def three_posts(write_post: Callable[..., Path]) -> list[Path]:
    return [write_post(f"2024-01-0{n}-post-{n}.md", f"title: 글 {n}") for n in (1, 2, 3)]


def test_second_run_reads_nothing_and_writes_nothing(site_dir: Path, three_posts: list[Path], reads: list[str]) -> None:
    first = build(site_dir)
    assert sorted(reads) == sorted(p.name for p in three_posts)
    reads.clear()
    second = build(site_dir)
    assert reads == [] and second.unchanged
    assert not any(f.written for f in second.files)
    assert [f.name for f in second.files] == [f.name for f in first.files]
    assert (second.published_posts, second.skipped) == (3, 0)


def test_excerpts_are_made_once_for_the_posts_feeds_show(
    site_dir: Path, write_post: Callable[..., Path], reading: tuple[list[str], list[str]]
) -> None:
    """Reading leaves excerpts out; a build makes those of the posts its feeds show, and the next build takes
    them from the cache: a new post's excerpt alone is made."""
    write_config(site_dir, extra="[feeds]\nlimit = 2\n")
    for n in (1, 2, 3):
        write_post(f"2024-01-0{n}-post-{n}.md", f"title: 글 {n}", f"첫 문단 {n}.")
    collected, for_excerpts = reading

    build(site_dir)
    assert sorted(collected) == [f"2024-01-0{n}-post-{n}.md" for n in (1, 2, 3)]
    assert sorted(for_excerpts) == ["2024-01-02-post-2.md", "2024-01-03-post-3.md"]  # the feed shows two

    collected.clear(), for_excerpts.clear()
    write_post("2024-01-04-post-4.md", "title: 글 4", "첫 문단 4.")
    build(site_dir)
    assert for_excerpts == ["2024-01-04-post-4.md"]
    feed = json.loads((site_dir / "out" / "feed.json").read_text(encoding="utf-8"))
    assert [item["summary"] for item in feed["items"]] == ["첫 문단 4.", "첫 문단 3."]


@pytest.mark.parametrize("change", ["edit", "touch", "delete", "rename"])
def test_a_changed_file_is_read_again_and_only_it(
    site_dir: Path, three_posts: list[Path], reads: list[str], change: str
) -> None:
    build(site_dir)
    reads.clear()
    victim = three_posts[1]
    if change == "edit":
        victim.write_text(victim.read_text(encoding="utf-8").replace("글 2", "고친 글"), encoding="utf-8")
    elif change == "touch":
        os.utime(victim, ns=(victim.stat().st_atime_ns, victim.stat().st_mtime_ns + 1_000_000_000))
    elif change == "delete":
        victim.unlink()
    else:
        victim.rename(victim.with_name("2024-01-02-renamed.md"))
    report = build(site_dir)
    assert (
        reads
        == {"edit": [victim.name], "touch": [victim.name], "delete": [], "rename": ["2024-01-02-renamed.md"]}[change]
    )
    rss = (site_dir / "out" / "rss.xml").read_text(encoding="utf-8")
    assert ("고친 글" in rss) == (change == "edit")
    assert ("/renamed/" in rss) == (change == "rename")
    assert report.published_posts == (2 if change == "delete" else 3)
    assert not report.unchanged
    with sqlite3.connect(cache_path(load_config(site_dir / "config.toml"))) as db:
        cached = sorted(Path(row[0]).name for row in db.execute("SELECT path FROM files"))
    assert cached == sorted(p.name for p in (site_dir / "_posts").iterdir())  # deleted and renamed files forgotten


def test_only_the_changed_post_is_rendered_again_for_the_feeds(
    site_dir: Path, three_posts: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    build(site_dir)
    rendered: list[str] = []
    real = markup.render_markdown
    monkeypatch.setattr(markup, "render_markdown", lambda text: rendered.append(text) or real(text))
    victim = three_posts[1]
    victim.write_text(victim.read_text(encoding="utf-8") + "\n덧붙인 문단.\n", encoding="utf-8")
    build(site_dir)
    # The other entries' content HTML comes from the cache. The victim's excerpt is read off its plain first
    # paragraph (read/paragraph_scanner.py), unrendered; its feed entry renders the whole body, once.
    assert len(rendered) == 1
    assert "덧붙인 문단" in rendered[0]
    assert "덧붙인 문단" in (site_dir / "out" / "rss.xml").read_text(encoding="utf-8")


def test_touch_alone_rewrites_nothing(site_dir: Path, three_posts: list[Path]) -> None:
    build(site_dir)
    os.utime(three_posts[0], ns=(0, three_posts[0].stat().st_mtime_ns + 5_000_000_000))
    report = build(site_dir)
    assert not report.unchanged and not any(f.written for f in report.files)


def test_a_setting_that_shapes_posts_invalidates_every_reading(
    site_dir: Path, three_posts: list[Path], reads: list[str]
) -> None:
    build(site_dir)
    reads.clear()
    config = (site_dir / "config.toml").read_text(encoding="utf-8")
    (site_dir / "config.toml").write_text(
        config.replace('dirs = ["_posts"]', 'dirs = ["_posts"]\npermalink = "/:year/:title/"')
    )
    build(site_dir)
    assert sorted(reads) == sorted(p.name for p in three_posts)
    assert "https://example.kr/2024/post-1/" in (site_dir / "out" / "rss.xml").read_text(encoding="utf-8")


def test_a_setting_of_outputs_only_rebuilds_from_the_cache(
    site_dir: Path, three_posts: list[Path], reads: list[str]
) -> None:
    build(site_dir)
    reads.clear()
    config = (site_dir / "config.toml").read_text(encoding="utf-8")
    (site_dir / "config.toml").write_text(config.replace('title = "테스트 사이트"', 'title = "새 이름"'))
    report = build(site_dir)
    assert reads == [] and not report.unchanged
    assert "새 이름" in (site_dir / "out" / "rss.xml").read_text(encoding="utf-8")


def test_an_output_edited_by_hand_is_written_again(site_dir: Path, three_posts: list[Path]) -> None:
    build(site_dir)
    rss = site_dir / "out" / "rss.xml"
    good = rss.read_bytes()
    rss.write_bytes(b"oops")
    report = build(site_dir)
    assert rss.read_bytes() == good and [f.name for f in report.files if f.written] == ["rss.xml"]


def test_a_future_post_comes_due_without_any_file_changing(site_dir: Path, write_post: Callable[..., Path]) -> None:
    write_post("2024-06-01-now.md", "title: now")
    write_post("2025-03-01-later.md", "title: later")
    assert build(site_dir).published_posts == 1
    assert build(site_dir, datetime(2025, 2, 1, tzinfo=UTC)).unchanged  # still not due
    report = build(site_dir, datetime(2025, 3, 2, tzinfo=UTC))
    assert not report.unchanged and report.published_posts == 2
    # An earlier --now than the last build's newest post must not reuse that build either.
    assert build(site_dir, datetime(2024, 7, 1, tzinfo=UTC)).published_posts == 1


def test_an_earlier_now_brings_a_post_back_into_the_news_sitemap(
    site_dir: Path, write_post: Callable[..., Path]
) -> None:
    """Found by tests/test_incremental.py: the clock moved back after the news window had closed on a post."""
    write_config(site_dir, extra='[sitemap]\nnews = { name = "서울 뉴스" }\n')
    write_post("2024-06-01-news.md", "title: 소식")
    news = site_dir / "out" / "sitemap-news.xml"
    build(site_dir, datetime(2024, 6, 1, 12, tzinfo=UTC))
    assert "<news:title>소식</news:title>" in news.read_text(encoding="utf-8")
    build(site_dir, datetime(2024, 6, 10, tzinfo=UTC))
    # Listed still, as the newest post, but no longer as news (render/news.py: a <urlset> is never empty).
    assert "2024/06/01/news" in news.read_text(encoding="utf-8")
    assert "<news:news>" not in news.read_text(encoding="utf-8")
    assert not build(site_dir, datetime(2024, 6, 2, tzinfo=UTC)).unchanged  # after the newest post, in its window
    assert "<news:title>소식</news:title>" in news.read_text(encoding="utf-8")


def test_a_hugo_post_expires_and_comes_back_with_the_clock(tmp_path: Path) -> None:
    """Hugo's expiryDate: published until it, whichever way the clock moves between two builds of the same files."""
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "만료"\n', encoding="utf-8")
    for name, front in (("stays", ""), ("expires", "expiryDate: 2024-06-10T00:00:00Z\n")):
        page = tmp_path / "content" / "posts" / f"{name}.md"
        page.write_text(f"---\ntitle: {name}\ndate: 2024-06-01T00:00:00Z\n{front}---\n본문\n", encoding="utf-8")
    config = tmp_path / "feedpub.toml"
    assert run("init", "--from-hugo", tmp_path, "--config", config).exit_code == 0
    text = config.read_text(encoding="utf-8").replace("https://CHANGE-ME.example/", "https://example.org/")
    config.write_text(text, encoding="utf-8")

    def published(now: datetime) -> int:
        return run_build(load_config(config), now, workers=1, allow_shrink=True).published_posts

    assert published(datetime(2024, 6, 5, tzinfo=UTC)) == 2
    assert published(datetime(2024, 6, 20, tzinfo=UTC)) == 1  # expired, though no file changed
    assert published(datetime(2024, 6, 5, tzinfo=UTC)) == 2  # an earlier --now: not expired yet


def sql(path: Path, script: str) -> None:
    db = sqlite3.connect(path)
    try:
        db.executescript(script)
    finally:
        db.close()


def foreign_database(path: Path) -> None:
    path.unlink()
    sql(path, "CREATE TABLE notes (text); INSERT INTO notes VALUES ('another program''s data');")


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(b"\x00garbage, not a database\xff" * 100),
        foreign_database,
        lambda path: sql(path, "UPDATE files SET record = '{not json'"),
    ],
    ids=["garbage-bytes", "foreign-sqlite", "broken-record"],
)
def test_a_damaged_cache_is_discarded_with_one_warning(
    site_dir: Path, three_posts: list[Path], reads: list[str], damage: Callable[[Path], object]
) -> None:
    build(site_dir)
    expected = outputs(site_dir / "out")
    path = cache_path(load_config(site_dir / "config.toml"))
    damage(path)
    (site_dir / "out" / "rss.xml").unlink()  # the record of the last build may have survived: force a build
    reads.clear()
    report = build(site_dir)
    assert len(report.warnings) == 1 and "cache" in report.warnings[0] and "\n" not in report.warnings[0]
    assert sorted(reads) == sorted(p.name for p in three_posts)  # nothing from the damaged cache was trusted
    assert outputs(site_dir / "out") == expected
    assert build(site_dir).unchanged  # and the rebuilt cache works


def test_a_cache_write_failing_midway_still_publishes_every_post(
    site_dir: Path, write_post: Callable[..., Path], reads: list[str]
) -> None:
    """Records are stored as posts are read; when SQLite fails after taking some, the rest are still read."""
    posts = [write_post(f"2024-01-0{n}-post-{n}.md", f"title: 글 {n}") for n in range(1, 6)]
    expected = build(site_dir, use_cache=False)
    published = (site_dir / ".feedpub" / "published.json").read_bytes()
    path = cache_path(load_config(site_dir / "config.toml"))
    build(site_dir)
    with sqlite3.connect(path) as db:  # a real failure inside the store's transaction, after one row
        db.execute("DELETE FROM files")
        db.execute(
            "CREATE TRIGGER full BEFORE INSERT ON files WHEN (SELECT count(*) FROM files) >= 1 "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    (site_dir / "out" / "rss.xml").unlink()
    reads.clear()
    report = build(site_dir)
    assert sorted(reads) == sorted(p.name for p in posts)
    assert report.published_posts == expected.published_posts == 5
    assert (site_dir / ".feedpub" / "published.json").read_bytes() == published
    assert len(report.warnings) == 1 and "disk is full" in report.warnings[0], report.warnings


@pytest.mark.parametrize("change", ["edit", "add"])
def test_a_builds_bookkeeping_is_kept_whole_or_not_at_all(
    site_dir: Path, three_posts: list[Path], write_post: Callable[..., Path], change: str
) -> None:
    """What a build records after writing (readings, contents, outputs, feed members, the last build) is one
    transaction: when its last write fails, the earlier ones are not kept either. Edit: a build of the feeds
    that show the edited post (partial.py); add: a whole build."""
    build(site_dir)
    path = cache_path(load_config(site_dir / "config.toml"))

    def rows() -> tuple[list[tuple[str, str]], list[tuple[str, int]]]:
        with contextlib.closing(sqlite3.connect(path)) as db:
            return (
                db.execute("SELECT key, value FROM meta ORDER BY key").fetchall(),
                db.execute("SELECT path, size FROM files ORDER BY path").fetchall(),
            )

    with contextlib.closing(sqlite3.connect(path)) as db, db:  # a real failure at the bookkeeping's last write
        db.execute(
            f"CREATE TRIGGER full BEFORE INSERT ON meta WHEN NEW.key = '{_LAST_BUILD}' "
            "BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"
        )
    before = rows()
    if change == "edit":
        three_posts[1].write_text("---\ntitle: 고친 글\n---\n본문이 바뀌었다.\n", encoding="utf-8")
    else:
        write_post("2024-01-04-post-4.md", "title: 새 글")
    report = build(site_dir)
    assert "고친 글" in (site_dir / "out" / "rss.xml").read_text(encoding="utf-8") or change == "add"
    assert len(report.warnings) == 1 and "disk is full" in report.warnings[0], report.warnings
    if change == "edit":
        assert rows() == before  # neither the edited post's reading, nor its content, nor the outputs' keys
    else:
        meta, files = rows()
        assert meta == before[0]  # the readings are stored while posts are read, before the bookkeeping
        assert len(files) == 4


def test_the_cli_prints_the_warning_on_stderr(site_dir: Path, three_posts: list[Path]) -> None:
    (site_dir / ".feedpub").mkdir()
    (site_dir / ".feedpub" / "cache.db").write_bytes(b"garbage" * 200)
    result = feedpub_subprocess(site_dir, "build", "--now", "2025-01-01", "--quiet")
    assert result.returncode == 0 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("feedpub: warning: ") and "cache.db" in lines[0]


def feedpub_subprocess(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run(
        [sys.executable, "-m", "feedpub", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )


def test_no_change_run_imports_no_parser_or_feed_library(site_dir: Path, three_posts: list[Path]) -> None:
    assert feedpub_subprocess(site_dir, "build", "--now", "2025-01-01", "--quiet").returncode == 0
    result = build_imports(site_dir, HEAVY)
    assert result.stdout.strip() == "0 []", result.stderr


def test_a_jekyll_sites_no_change_run_imports_no_reader_nor_yaml(tmp_path: Path) -> None:
    """Jekyll's rules are read at every run, _config.yml through its memo (no PyYAML), and no post is: no reader."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\n", encoding="utf-8")
    (site / "_posts" / "2024-01-02-post.md").write_text("---\ntitle: Post\n---\nBody *text*.\n", encoding="utf-8")
    assert _heavy_modules_of_a_second_run(tmp_path, "--from-jekyll", site) == "0 []"


def test_a_hugo_sites_no_change_run_imports_no_reader(tmp_path: Path) -> None:
    """Hugo's rules (hugo.toml, the content folders) are read at every run, but no post is: no reader's library,
    and no PyYAML for a TOML config."""
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.kr/"\ntitle = "t"\n', encoding="utf-8")
    post = "---\ntitle: Post\ndate: 2024-01-02\n---\nBody *text*, then more.\n"
    (site / "content" / "posts" / "post.md").write_text(post, encoding="utf-8")
    assert _heavy_modules_of_a_second_run(tmp_path, "--from-hugo", site) == "0 []"


def _heavy_modules_of_a_second_run(tmp_path: Path, generator: str, site: Path) -> str:
    """The exit code and the HEAVY modules loaded by a build, in a fresh interpreter, that finds nothing changed."""
    config = tmp_path / "config.toml"
    assert run("init", generator, site, "--config", config).exit_code == 0
    argv = ["build", "--config", str(config), "--now", "2025-01-01", "--quiet"]
    assert run(*argv).exit_code == 0
    probe = (
        "import sys\nfrom feedpub.cli import main\n"
        f"try:\n    main({argv!r})\nexcept SystemExit as e:\n    code = e.code\n"
        f"print(code, [m for m in {HEAVY!r} if m in sys.modules])\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_no_cache_reads_everything_and_leaves_the_cache_alone(
    site_dir: Path, three_posts: list[Path], reads: list[str]
) -> None:
    build(site_dir)
    path = cache_path(load_config(site_dir / "config.toml"))
    before = path.read_bytes()
    reads.clear()
    report = build(site_dir, use_cache=False)
    assert sorted(reads) == sorted(p.name for p in three_posts) and not report.unchanged
    assert path.read_bytes() == before


def test_cached_undated_posts_never_ask_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []
    real = dates_module._dates_from
    monkeypatch.setattr(
        dates_module, "_dates_from", lambda start, posts, log: calls.append(start) or real(start, posts, log)
    )
    config = write_example_config(tmp_path)  # has an undated post, dated by git or its mtime
    run_build(load_config(config), EXAMPLE_NOW, workers=1)
    assert len(calls) == 1
    (tmp_path / "out" / "rss.xml").unlink()  # force a build from the cache
    run_build(load_config(config), EXAMPLE_NOW, workers=1)
    assert len(calls) == 1


@pytest.mark.parametrize(
    "variant",
    [{"use_cache": False}, {"workers": 2, "pool_threshold": 0, "use_cache": False}, {"warm": True}],
    ids=["no-cache", "process-pool", "from-cache"],
)
def test_same_bytes_with_and_without_cache_and_pool(tmp_path: Path, variant: dict[str, object]) -> None:
    extra = '\n[feeds]\ncategories = true\n[sitemap]\nmax_urls = 5\nnews = { name = "서울 생활 뉴스" }\n'
    reference = tmp_path / "reference"
    reference.mkdir()
    run_build(load_config(write_example_config(reference, extra)), EXAMPLE_NOW, workers=1, use_cache=False)
    other = tmp_path / "other"
    other.mkdir()
    site = load_config(write_example_config(other, extra))
    if variant.pop("warm", False):
        run_build(site, EXAMPLE_NOW, workers=1)
        for path in (other / "out").rglob("*.xml"):
            path.unlink()  # every output must be made again, from the cached readings
    run_build(site, EXAMPLE_NOW, **{"workers": 1, **variant})  # type: ignore[arg-type]
    assert outputs(other / "out") == outputs(reference / "out")
    published = json.loads((other / ".feedpub" / "published.json").read_text(encoding="utf-8"))
    assert published == json.loads((reference / ".feedpub" / "published.json").read_text(encoding="utf-8"))


def _changed(value: object) -> object:
    """Another value of the same kind; a kind not known here fails the test, so a new setting is never untested."""
    if isinstance(value, str):
        return value + "x/"
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, ZoneInfo):
        return ZoneInfo("America/Los_Angeles" if value.key != "America/Los_Angeles" else "Asia/Seoul")
    if isinstance(value, Path):
        return value / "elsewhere"
    if isinstance(value, tuple):
        return (*value, Path("/nowhere") if value and isinstance(value[0], Path) else "/nowhere/*.md")
    if value is None:
        return _PlainRules()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):  # the first field of a kind known here
            with contextlib.suppress(AssertionError):
                return dataclasses.replace(value, **{field.name: _changed(getattr(value, field.name))})
    raise AssertionError(f"no changed value for {value!r}: teach _changed this kind of setting")


@dataclasses.dataclass(frozen=True)
class _PlainRules:
    """Generator rules that read posts as feedpub does: only their presence differs."""

    posts_dirs: tuple[Path, ...] = ()

    def read_post(self, settings: ReadSettings, path: str, posts_dir: Path, *args: Any) -> Post | None:
        return post_module.read_post(settings, path, posts_dir, *args)

    def expand_templates(self, settings: ReadSettings, text: str, title: str) -> str:
        return expand(text, settings.posts.templates, settings, title)

    def render_markdown(self, text: str) -> str:
        return markup.render_markdown(text)


@pytest.mark.parametrize("name", [f.name for f in dataclasses.fields(ReadSettings)])
def test_changing_any_reading_setting_reads_every_post_again(
    site_dir: Path, three_posts: list[Path], reads: list[str], name: str
) -> None:
    """The cache keys its readings on every field of ReadSettings, the only settings the readers are handed."""
    settings = load_config(site_dir / "config.toml").read_settings()
    with Cache(site_dir / "cache.db", pytest.fail) as cache:
        collect(settings, NOW, cache=cache, workers=1)
        reads.clear()
        collect(settings, NOW, cache=cache, workers=1)
        assert reads == []  # the same settings: every reading comes from the cache
        changed = dataclasses.replace(settings, **{name: _changed(getattr(settings, name))})
        collect(changed, NOW, cache=cache, workers=1)
    assert sorted(reads) == sorted(p.name for p in three_posts)


def test_a_new_site_title_reaches_liquid_excerpts_through_the_cache(
    site_dir: Path, write_post: Callable[..., Path]
) -> None:
    """A regression: the cache once kept a Liquid excerpt made with the old {{ site.title }}."""
    config = site_dir / "config.toml"
    text = config.read_text(encoding="utf-8").replace('dirs = ["_posts"]', 'dirs = ["_posts"]\ntemplates = "liquid"')
    config.write_text(text, encoding="utf-8")
    write_post("2024-01-01-welcome.md", "title: 환영", "Welcome to {{ site.title }}.")
    build(site_dir)
    config.write_text(config.read_text(encoding="utf-8").replace('title = "테스트 사이트"', 'title = "New Title"'))
    build(site_dir)
    rss = (site_dir / "out" / "rss.xml").read_text(encoding="utf-8")
    assert "Welcome to New Title." in rss and "테스트 사이트." not in rss


def test_cached_readings_share_the_values_many_posts_repeat(tmp_path: Path) -> None:
    # 100k posts held 100k copies of "html" and of each category's name: decoded records share one of each.
    posts = tmp_path / "_posts"
    posts.mkdir()
    for n in range(3):
        (posts / f"2024-01-0{n + 1}-p{n}.md").write_text(
            f"---\ntitle: p{n}\ncategories: [생활정보, News]\ntags: [k-pop]\n---\n<p>body {n}</p>\n", encoding="utf-8"
        )
    settings = load_config(write_config(tmp_path, posts_dir=posts)).read_settings()
    with Cache(tmp_path / "cache.db", print) as cache:
        collect(settings, datetime(2025, 1, 1, tzinfo=UTC), cache=cache)
    with Cache(tmp_path / "cache.db", print) as cache:
        cached = collect(settings, datetime(2025, 1, 1, tzinfo=UTC), cache=cache).posts
    first, *others = cached
    for post in others:
        assert post.categories[0] is first.categories[0] and post.categories[1] is first.categories[1]
        assert post.tags[0] is first.tags[0] and post.body_format is first.body_format


def test_a_record_gives_back_every_field_of_its_post() -> None:
    """Records are positional (state/cache.py): a field read into another's place would go unnoticed elsewhere."""
    seoul = ZoneInfo("Asia/Seoul")
    post = Post(
        source="_posts/a.md",
        url="https://example.org/가/",
        title="제목",
        published=datetime(2024, 1, 2, 3, 4, 5, tzinfo=seoul),
        body=None,
        body_format="markdown",
        updated=datetime(2024, 2, 2, tzinfo=UTC),
        categories=("생활", "IT"),
        tags=("k-pop",),
        image=Image("https://example.org/a.jpg", "image/jpeg", 123, "그림"),
        author=Author("편집부", "e@example.org", "https://example.org/me"),
        in_feeds=False,
        in_sitemap=False,
        digest="d" * 32,
        body_start=42,
        uri="https://example.org/%EA%B0%80/",
        fingerprint="2:" + "f" * 32,
        feed_id="https://example.org/id/1",
        due=datetime(2024, 1, 3, tzinfo=seoul),
        expires=datetime(2025, 1, 3, tzinfo=UTC),
        language="ko",
        translation_key="a",
        date_from_file=True,
        weights=Weights(3, 0, -1),
    )
    restored = parsed_of(post.source, record_of(Parsed(post=post))).post
    assert restored == post
    assert [repr(getattr(restored, f.name)) for f in dataclasses.fields(Post)] == [
        repr(getattr(post, f.name)) for f in dataclasses.fields(Post)
    ]
    # Restored posts share one object for each repeated value, as posts read from their files do.
    assert restored is not None
    assert restored.categories[0] is post.categories[0] and restored.body_format is post.body_format
    assert restored.language is post.language


@pytest.mark.parametrize(
    "moment",
    [
        datetime(2024, 3, 10, 2, 30),  # in the spring-forward gap: 02:30-08:00 as read, never 03:30-07:00
        datetime(2024, 3, 10, 2, 30, fold=1),  # 02:30-07:00
        datetime(2024, 11, 3, 1, 30),  # the hour fall-back repeats: 01:30-07:00
        datetime(2024, 11, 3, 1, 30, fold=1),  # 01:30-08:00
    ],
    ids=["gap", "gap-fold", "repeated", "repeated-fold"],
)
def test_a_records_dates_keep_their_wall_time_and_offset(moment: datetime) -> None:
    """A post dated in a wall time its zone skips or repeats prints the same date from the cache as read."""
    zone = ZoneInfo("America/Los_Angeles")
    published = moment.replace(tzinfo=zone)
    post = Post(
        source="_posts/a.md",
        url="https://example.org/a/",
        title="A",
        published=published,
        body=None,
        digest="d" * 32,
        fingerprint="2:" + "f" * 32,
    )
    restored = parsed_of(post.source, record_of(Parsed(post=post))).post
    assert restored is not None
    assert restored.published.isoformat() == published.isoformat()
    assert (restored.published.fold, restored.published.tzinfo) == (published.fold, zone)


def test_a_last_build_record_from_before_since_existed_is_no_warning(site_dir: Path, three_posts: list[Path]) -> None:
    """Upgrading feedpub must not greet the user with a warning about its own older record."""
    build(site_dir)
    with Cache(cache_path(load_config(site_dir / "config.toml")), print) as cache:
        record = json.loads(cache.get(_LAST_BUILD) or "{}")
        del record["since"]
        cache.put(_LAST_BUILD, json.dumps(record))
    assert build(site_dir).warnings == ()
