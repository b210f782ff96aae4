"""The partial build (feedpub/partial.py): after a few posts were edited in place, only the feeds showing them are
made again, no other post is restored, and every file equals a clean build's. Anything else builds the whole site."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from feedpub.api import BuildReport, run_build
from feedpub.config import load_config
from feedpub.models import Post, Site
from feedpub.read import settings_for
from feedpub.state.cache import Cache
from feedpub.state.first_dates import load_dates
from feedpub.state.paths import published_path
from tests import hugo_oracle, jekyll_oracle
from tests.conftest import build_imports, run, write_config

NOW = datetime(2025, 1, 1, tzinfo=UTC)
FEED_FILES = ("atom.xml", "feed.json", "rss.xml")
OPTIONS = 'page = "feeds.html"\n[feeds]\nlimit = 3\ncategories = true\ntags = true\n'


def build(root: Path, **options: object) -> BuildReport:
    return run_build(load_config(root / "config.toml"), NOW, workers=1, **options)  # type: ignore[arg-type]


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def post(root: Path, day: int, slug: str, *, title: str = "", body: str = "", extra: str = "") -> Path:
    path = root / "_posts" / f"2024-03-{day:02d}-{slug}.md"
    front = f'title: "{title or slug}"\ncategories: [{"생활" if day % 2 else "교통"}]\ntags: [서울]\n{extra}'
    body = body or f"{slug}의 본문입니다. **굵게**"
    path.write_text(f"---\n{front}---\n{body}\n", encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    """Edit the file as an editor saves it: new bytes, a later mtime."""
    mtime = path.stat().st_mtime_ns
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(mtime + 1_000_000_000, mtime + 1_000_000_000))


def configure(root: Path, templates: str = "none") -> None:
    """The feeds page; the site's feeds, each category's and the tag's: 3 entries each."""
    write_config(root, extra=OPTIONS)
    config = root / "config.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[posts]\n", f'[posts]\ntemplates = "{templates}"\n'))


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "_posts").mkdir(parents=True)
    configure(root)
    for day in range(1, 13):
        post(root, day, f"post-{day}")
    build(root)
    return root


@pytest.fixture
def restores(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times a build restored every cached post (Cache.readings): a partial build never does."""
    calls: list[int] = []
    real = Cache.readings

    def counting(self: Cache, settings: str) -> object:
        calls.append(1)
        return real(self, settings)

    monkeypatch.setattr(Cache, "readings", counting)
    return calls


def clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    """The files a build of a copy of the site with no cache and no earlier output writes."""
    copy = tmp_path / "clean"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root, copy, ignore=shutil.ignore_patterns("out", ".feedpub"))
    build(copy, use_cache=False)
    assert (root / ".feedpub" / "published.json").read_bytes() == (copy / ".feedpub" / "published.json").read_bytes()
    return files(copy / "out")


def test_an_edited_body_rebuilds_only_the_feeds_showing_it(site: Path, restores: list[int], tmp_path: Path) -> None:
    edit(site / "_posts" / "2024-03-11-post-11.md", "의 본문입니다.", "의 고친 본문입니다.")
    report = build(site)
    assert restores == []  # no post of the site restored
    written = sorted(f.name for f in report.files if f.written)
    # Post 11 is the second newest: in the site's feed (and so on the feeds page, which shows its newest
    # entries), its category's (생활) and its tag's; the sitemap shows no body: it stands.
    feeds = [f"{folder}{name}" for folder in ("", "categories/생활/", "tags/서울/") for name in FEED_FILES]
    assert written == sorted([*feeds, "feeds.html"])
    assert "고친 본문" in (site / "out" / "rss.xml").read_text(encoding="utf-8")
    assert files(site / "out") == clean_build(site, tmp_path)
    assert build(site).unchanged  # and the next run finds nothing to do


# What a build after one edit of an HTML post with common front matter must not load: the whole-site reader (its
# process pool among it), Markdown, PyYAML and python-frontmatter, requests. A cron job after each save pays
# for every import, and these were ~60 ms of such a run.
NOT_FOR_ONE_EDIT = ("feedpub.read.collect", "multiprocessing", "markdown_it", "yaml", "frontmatter", "requests")


def test_an_edited_html_posts_build_loads_neither_the_whole_build_nor_markdown_nor_yaml(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "_posts").mkdir(parents=True)
    configure(root)
    for day in range(1, 6):
        text = f"---\ntitle: 글 {day}\ndate: 2024-03-{day:02d}\ntags: [서울]\n---\n<p>본문 {day}</p>\n"
        (root / "_posts" / f"post-{day}.html").write_text(text, encoding="utf-8")
    build(root)
    edit(root / "_posts" / "post-5.html", "본문 5", "고친 본문")
    result = build_imports(root, NOT_FOR_ONE_EDIT)
    assert result.stdout.strip() == "0 []", result.stderr
    assert "고친 본문" in (root / "out" / "feed.json").read_text(encoding="utf-8")


def test_a_post_modified_after_the_build_is_warned_of_until_its_date_is_fixed(site: Path, restores: list[int]) -> None:
    """jekyll-feed and Hugo publish such a date as written, and so does feedpub; `feedpub validate` refuses it. An
    edit that makes it, or mends it, builds the whole site: a partial build repeats the last build's warnings."""
    path = site / "_posts" / "2024-03-11-post-11.md"
    said = f"{path}: modified 2030-01-01T00:00:00+09:00, after the time of this build (2025-01-01T00:00:00+00:00)"
    edit(path, "tags: [서울]\n", "tags: [서울]\nlast_modified_at: 2030-01-01\n")
    assert [w for w in build(site).warnings if w.startswith(said)]
    assert "<updated>2030-01-01T00:00:00+09:00</updated>" in (site / "out" / "atom.xml").read_text(encoding="utf-8")
    whole_builds = len(restores)
    edit(site / "_posts" / "2024-03-10-post-10.md", "의 본문입니다.", "의 고친 본문입니다.")
    assert [w for w in build(site).warnings if w.startswith(said)]
    assert len(restores) == whole_builds  # a partial build: it said so again
    edit(path, "last_modified_at: 2030-01-01", "last_modified_at: 2024-03-12")
    assert build(site).warnings == ()


def test_a_partial_build_records_the_digests_of_the_files_it_rewrote(site: Path, restores: list[int]) -> None:
    """outputs.json keeps each file's digest as the last build left it: a later build deletes a file it no longer
    writes (a feed renamed) only while it holds those bytes, so a partial build's rewrites must be recorded."""
    from feedpub.plain_files import plain_file_digest
    from feedpub.state.published import load_last_outputs

    edit(site / "_posts" / "2024-03-11-post-11.md", "의 본문입니다.", "의 고친 본문입니다.")
    build(site)
    assert restores == []  # partial
    recorded = load_last_outputs(load_config(site / "config.toml"))
    assert recorded is not None
    on_disk = {name: plain_file_digest(site / "out" / name) for name in recorded.files}
    assert dict(recorded.digests) == on_disk


def test_an_old_post_edited_changes_no_feed_but_its_page_fingerprint(
    site: Path, restores: list[int], tmp_path: Path
) -> None:
    before = (site / ".feedpub" / "published.json").read_bytes()
    edit(site / "_posts" / "2024-03-01-post-1.md", "의 본문입니다.", "의 고친 본문입니다.")
    report = build(site)
    assert restores == [] and not any(f.written for f in report.files)
    # published.json tells `feedpub ping` the page changed (IndexNow announces it).
    assert not report.unchanged and (site / ".feedpub" / "published.json").read_bytes() != before
    assert files(site / "out") == clean_build(site, tmp_path)


def test_a_title_edit_is_partial_and_reaches_every_feed_showing_the_post(
    site: Path, restores: list[int], tmp_path: Path
) -> None:
    edit(site / "_posts" / "2024-03-12-post-12.md", 'title: "post-12"', 'title: "새 제목 & <b>"')
    build(site)
    assert restores == []
    assert "새 제목" in (site / "out" / "tags" / "서울" / "rss.xml").read_text(encoding="utf-8")
    assert files(site / "out") == clean_build(site, tmp_path)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "[생활]", "[문화]"), "its category"),
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "tags: [서울]", "tags: []"), "its tags"),
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "title", "date: 2024-03-20\ntitle"), "its date"),
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "title", "updated: 2024-04-01\ntitle"), "lastmod"),
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "title", "image: /a.jpg\ntitle"), "its image"),
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "title", "permalink: /moved/\ntitle"), "its URL"),
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "title", "feed: false\ntitle"), "feeds"),
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "title", "sitemap: false\ntitle"), "sitemap"),
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "title", "draft: true\ntitle"), "a draft"),
        (lambda root: edit(root / "_posts" / "2024-03-05-post-5.md", "title:", "title: [\n"), "rejected"),
        (lambda root: post(root, 13, "post-13"), "a post added"),
        (lambda root: (root / "_posts" / "2024-03-05-post-5.md").unlink(), "a post removed"),
        (lambda root: (root / "out" / "rss.xml").write_text("edited by hand"), "an output edited"),
    ],
)
def test_anything_but_edits_in_place_builds_the_whole_site(
    site: Path, restores: list[int], tmp_path: Path, change: Callable[[Path], object], reason: str
) -> None:
    change(site)
    build(site, allow_shrink=True)
    assert restores == [1], reason
    assert files(site / "out") == clean_build(site, tmp_path)


def test_more_edits_than_the_limit_build_the_whole_site(
    site: Path, restores: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from feedpub import partial

    monkeypatch.setattr(partial, "PARTIAL_LIMIT", 5)
    paths = sorted((site / "_posts").iterdir())
    for path in paths[:5]:
        edit(path, "의 본문입니다.", "의 고친 본문입니다.")
    build(site)
    assert restores == []
    for path in paths[5:11]:
        edit(path, "의 본문입니다.", "의 고친 본문입니다.")
    build(site)
    assert restores == [1]


def test_an_edit_that_cannot_be_rendered_is_rejected_by_the_whole_build(
    site: Path, restores: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post whose content cannot be made leaves every output (the sitemap, the page list): only a whole build
    does that, so the partial one declines."""
    from feedpub.render import build as render_build

    real = render_build.content_html

    def failing(post: Post, body: str, site_url: str) -> str:
        if "고친" in body:
            raise ValueError("the renderer failed")
        return real(post, body, site_url)

    monkeypatch.setattr(render_build, "content_html", failing)
    edit(site / "_posts" / "2024-03-12-post-12.md", "의 본문입니다.", "의 고친 본문입니다.")
    report = build(site)
    assert restores == [1]
    assert [Path(r.path).name for r in report.rejected] == ["2024-03-12-post-12.md"]
    assert "post-12" not in (site / "out" / "sitemap.xml").read_text(encoding="utf-8")
    assert files(site / "out") == clean_build(site, tmp_path)


def test_editing_the_older_of_two_posts_at_one_url_builds_the_whole_site(
    site: Path, restores: list[int], tmp_path: Path
) -> None:
    """Two files at one URL (a copy saved beside the original, both with the same permalink): the newer is
    published, the other rejected by name. Their pages look alike to published.json (same URL, same
    fingerprint): editing the rejected copy must not put its fingerprint there."""
    original = post(site, 10, "same", extra="permalink: /same/\n")
    copy = original.with_name("2024-03-10-same-copy.md")
    copy.write_bytes(original.read_bytes())  # the same text and date: the same title, body and page fingerprint
    build(site)
    restores.clear()
    edit(copy, "same의 본문입니다.", "same의 고친 본문입니다.")
    report = build(site)
    assert restores == [1]
    assert [Path(r.path).name for r in report.rejected] == [copy.name]
    assert files(site / "out") == clean_build(site, tmp_path)


def test_an_undated_post_edited_after_the_build_that_dated_it_is_partial(
    site: Path, restores: list[int], tmp_path: Path
) -> None:
    """The first build dates an undated post by its file and records the date in feedpub-dates.txt; read again,
    the post takes the same date from there. Its place is the same: the edit is partial."""
    undated = site / "_posts" / "undated-note.md"
    undated.write_text('---\ntitle: "날짜 없는 글"\ncategories: [생활]\n---\n본문입니다.\n', encoding="utf-8")
    os.utime(undated, (1_735_000_000, 1_735_000_000))  # the newest post: in every feed it has
    report = build(site)
    assert [Path(path).name for path, _ in report.dated] == [undated.name]
    restores.clear()
    edit(undated, "본문입니다.", "고친 본문입니다.")
    build(site)
    assert restores == []
    assert "고친 본문" in (site / "out" / "rss.xml").read_text(encoding="utf-8")
    assert files(site / "out") == clean_build(site, tmp_path)


def _generator_sites() -> list[tuple[str, Path]]:
    return [("jekyll", jekyll_oracle.SITES / site) for site in jekyll_oracle.fixture_sites()] + [
        ("hugo", hugo_oracle.SITES / site) for site in hugo_oracle.fixtures()
    ]


def _set_up(generator: str, fixture: Path, work: Path) -> tuple[Site, datetime]:
    """A copy of an oracle fixture site set up as `init --from-…` does, built once."""
    source = work / fixture.name
    shutil.copytree(fixture, source, ignore=shutil.ignore_patterns("expected.json", "public", "_site"))
    config = work / "feedpub.toml"
    assert run("init", f"--from-{generator}", source, "--config", config).exit_code == 0
    now = datetime.fromisoformat(hugo_oracle.CLOCK) if generator == "hugo" else datetime(2030, 1, 1, tzinfo=UTC)
    site = load_config(config)
    run_build(site, now, workers=1)
    return site, now


def _append_and_compare(site: Site, now: datetime, path: Path, work: Path, clean: Path) -> None:
    """Append a paragraph to `path` (saved a second later), build, and compare with a clean build of a copy."""
    mtime = path.stat().st_mtime_ns
    path.write_bytes(path.read_bytes() + "\n\n덧붙인 문단입니다.\n".encode())
    os.utime(path, ns=(mtime + 1_000_000_000, mtime + 1_000_000_000))
    run_build(site, now, workers=1)
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(work, clean, ignore=shutil.ignore_patterns(".feedpub", "public", "_site"))
    clean_site = load_config(clean / "feedpub.toml")
    run_build(clean_site, now, workers=1, use_cache=False)
    assert files(site.output_dir) == files(clean_site.output_dir), path.name
    assert published_path(site).read_bytes() == published_path(clean_site).read_bytes()


@pytest.mark.parametrize(("generator", "fixture"), _generator_sites(), ids=lambda v: getattr(v, "name", v))
def test_edits_to_a_jekyll_or_hugo_sites_posts_give_a_clean_builds_files(
    generator: str, fixture: Path, tmp_path: Path
) -> None:
    """The oracle fixtures' sites (their Liquid, shortcodes, bundles, sections, languages, jekyll-feed ids), set
    up as `init` does; the first, middle and last of their published posts edited in turn: every file as a clean
    build writes it."""
    site, now = _set_up(generator, fixture, tmp_path / "work")
    published = collect_posts(site, now)
    for path in dict.fromkeys([published[0], published[len(published) // 2], published[-1]]):
        _append_and_compare(site, now, path, tmp_path / "work", tmp_path / "clean")


def test_an_edited_include_relative_snippet_reaches_the_feeds(tmp_path: Path) -> None:
    """A snippet beside the posts (a file of the posts folder that is no post) that a post includes: its edit
    reaches the post's content, though the post's own file did not change."""
    site, now = _set_up("jekyll", jekyll_oracle.SITES / "kramdown-liquid", tmp_path / "work")
    snippet = site.output_dir.parent / "_posts" / "snippet.md"
    _append_and_compare(site, now, snippet, tmp_path / "work", tmp_path / "clean")


def test_a_linked_pages_new_permalink_reaches_the_feeds(tmp_path: Path) -> None:
    """A post links a page with `{% link about.md %}`; the page's permalink changes, no post file nor setting: the
    run found nothing changed, and every feed kept the old URL (a 404 on the site Jekyll builds: its feed links
    /about-us/)."""
    work = tmp_path / "work"
    source = work / "blog"
    (source / "_posts").mkdir(parents=True)
    (source / "_config.yml").write_text("title: Blog\nurl: https://blog.example.kr\ntimezone: UTC\n", "utf-8")
    about = source / "about.md"
    about.write_text("---\ntitle: About\npermalink: /about/\n---\nAbout.\n", encoding="utf-8")
    (source / "_posts" / "2024-05-07-linker.md").write_text(
        "---\ntitle: Linker\n---\nSee [about]({% link about.md %}).\n", encoding="utf-8"
    )
    assert run("init", "--from-jekyll", source, "--config", work / "feedpub.toml").exit_code == 0
    site, now = load_config(work / "feedpub.toml"), datetime(2030, 1, 1, tzinfo=UTC)
    run_build(site, now, workers=1)
    assert "https://blog.example.kr/about/" in (site.output_dir / "rss.xml").read_text(encoding="utf-8")
    edit(about, "permalink: /about/", "permalink: /about-us/")
    assert not run_build(site, now, workers=1).unchanged
    for name in ("rss.xml", "feed.json"):
        written = (site.output_dir / name).read_text(encoding="utf-8")
        assert "https://blog.example.kr/about-us/" in written and "/about/" not in written, name


def collect_posts(site: Site, now: datetime) -> list[Path]:
    """The files of the site's published posts, in path order."""
    from feedpub.read.collect import collect

    reading = settings_for(site, load_dates(site.dates_file))
    return sorted(Path(post.source) for post in collect(reading, now, workers=1).posts)


@pytest.mark.parametrize(
    "tag",
    ["{% include_relative parts/note.inc %}", '{% assign n = "parts/note.inc" %}{% include_relative {{ n }} %}'],
)
def test_a_snippet_no_scan_finds_still_reaches_the_feeds(tmp_path: Path, tag: str) -> None:
    """A file a post includes that is no post file at all (parts/note.inc: not an extension posts have), named
    as written or by Liquid: its edit is seen by the run that would otherwise find nothing changed."""
    work = tmp_path / "work"
    source = work / "blog"
    (source / "_posts" / "parts").mkdir(parents=True)
    (source / "_config.yml").write_text("title: Blog\nurl: https://blog.example.kr\ntimezone: UTC\n", "utf-8")
    note = source / "_posts" / "parts" / "note.inc"
    note.write_text("첫 메모.\n", encoding="utf-8")
    for day in (1, 2):
        (source / "_posts" / f"2024-01-0{day}-post-{day}.md").write_text(
            f"---\ntitle: 글 {day}\n---\n본문 {day}.\n\n{tag if day == 2 else ''}\n", "utf-8"
        )
    assert run("init", "--from-jekyll", source, "--config", work / "feedpub.toml").exit_code == 0
    site, now = load_config(work / "feedpub.toml"), datetime(2030, 1, 1, tzinfo=UTC)
    run_build(site, now, workers=1)
    assert "첫 메모" in (site.output_dir / "rss.xml").read_text(encoding="utf-8")
    assert run_build(site, now, workers=1).unchanged
    _append_and_compare(site, now, note, work, tmp_path / "clean")
    assert "덧붙인 문단" in (site.output_dir / "rss.xml").read_text(encoding="utf-8")
    assert run_build(site, now, workers=1).unchanged


def test_a_posts_includes_are_followed_within_the_site_and_within_bounds(tmp_path: Path) -> None:
    """Hostile include_relative names stamp nothing outside the site, and a body of a million tags is followed
    no further than a real one (the stamps are made each time the post is read, and checked at every run)."""
    from feedpub.read.jekyll.references import included_files

    posts = tmp_path / "site" / "_posts"
    posts.mkdir(parents=True)
    (posts / "note.md").write_text("{% include_relative note.md %}{% include_relative ../../../etc/hostname %}")
    outside = ["/etc/passwd", "../../../etc/passwd", "a\0b", "./note.md", "%2e%2e/x"]
    body = "".join(f"{{% include_relative {name} %}}" for name in [*outside, "note.md"])
    stamps, held = included_files(body, str(posts / "p.md"), tmp_path / "site")
    assert [stamp.split("\t")[1] for stamp in stamps] == [str(posts / "note.md")]
    assert held  # the note's text enters the page fingerprint
    many = "".join(f"{{% include_relative n{i}.md %}}" for i in range(1_000_000))
    assert len(included_files(many, str(posts / "p.md"), tmp_path / "site")[0]) == 100


def test_a_last_build_record_with_stamps_not_ours_builds_again(site: Path) -> None:
    """The cache is data from disk: dependency stamps of another form (no tabs, another kind) mean a build, never a
    crash."""
    with sqlite3.connect(site / ".feedpub" / "cache.db") as db:
        (text,) = db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()
        record = json.loads(text)
        record["dependencies"] = ["garbage", "dir\t/etc\tx"]
        db.execute("UPDATE meta SET value = ? WHERE key = 'last_build'", (json.dumps(record),))
    report = build(site)
    assert not report.unchanged
    assert build(site).unchanged


def _compare_with_a_clean_build(site: Site, now: datetime, work: Path, clean: Path) -> None:
    """Build the site, then a copy of it with no cache nor earlier output: the same files."""
    run_build(site, now, workers=1)
    shutil.rmtree(clean, ignore_errors=True)
    shutil.copytree(work, clean, ignore=shutil.ignore_patterns(".feedpub", "public"))
    clean_site = load_config(clean / "feedpub.toml")
    run_build(clean_site, now, workers=1, use_cache=False)
    assert files(site.output_dir) == files(clean_site.output_dir)
    assert published_path(site).read_bytes() == published_path(clean_site).read_bytes()


def _item_names(feed: Path) -> list[str]:
    """The name of each item's post (/posts/<name>/), in the feed's order."""
    return [(item.findtext("link") or "").split("/")[-2] for item in ET.parse(feed).iter("item")]


def test_a_weight_added_changed_or_removed_gives_a_clean_builds_files(tmp_path: Path) -> None:
    """A Hugo post's `weight` (or `tags_weight`) added, changed or removed moves it in the feeds: the build after
    the edit writes what a clean build writes."""
    work = tmp_path / "work"
    content = work / "site" / "content" / "posts"
    content.mkdir(parents=True)
    (work / "site" / "hugo.toml").write_text(
        'baseURL = "https://site.example/"\ntitle = "T"\n[services.rss]\nlimit = 3\n', encoding="utf-8"
    )
    for day in range(1, 7):
        (content / f"p{day}.md").write_text(
            f"---\ntitle: P{day}\ndate: 2024-01-0{day}\ntags: [x]\n---\n본문 {day}\n", encoding="utf-8"
        )
    assert run("init", "--from-hugo", work / "site", "--config", work / "feedpub.toml").exit_code == 0
    site, now = load_config(work / "feedpub.toml"), datetime.fromisoformat(hugo_oracle.CLOCK)
    run_build(site, now, workers=1)
    steps = [
        ("p2", "tags:", "weight: 1\ntags:", "index.xml", ["p2", "p6", "p5"]),
        ("p5", "tags:", "weight: 2\ntags:", "index.xml", ["p2", "p5", "p6"]),
        ("p2", "weight: 1", "weight: 3", "index.xml", ["p5", "p2", "p6"]),
        ("p5", "weight: 2\n", "", "index.xml", ["p2", "p6", "p5"]),
        ("p4", "tags:", "tags_weight: -1\ntags:", "tags/x/index.xml", ["p4", "p2", "p6"]),
        ("p4", "tags_weight: -1\n", "", "tags/x/index.xml", ["p2", "p6", "p5"]),
    ]
    for name, old, new, feed, expected in steps:
        edit(content / f"{name}.md", old, new)
        _compare_with_a_clean_build(site, now, work, tmp_path / "clean")
        assert _item_names(site.output_dir / feed) == expected, (name, new)
