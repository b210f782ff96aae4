"""Post files -> Posts: every quirk file in tests/data/posts has exactly one expected outcome."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from feedpub.api import run_build
from feedpub.config import load_config
from feedpub.dates import parse_date
from feedpub.errors import PostError
from feedpub.models import Collection, Details, LeanPost, Parsed, Post, ReadSettings, Site, SourceFile, data_digest
from feedpub.read.collect import collect, due_at, sort_newest_first
from feedpub.read.markup import MAX_MARKUP_CHARACTERS
from feedpub.read.post import Reader, load_body
from feedpub.read.scan import _nested
from feedpub.state.cache import Cache
from feedpub.text import slugify
from tests.conftest import DATA, NOW, write_config

KST = timezone(timedelta(hours=9))


@pytest.fixture(scope="module")
def quirks(tmp_path_factory: pytest.TempPathFactory) -> Collection:
    folder = tmp_path_factory.mktemp("quirks")
    site = load_config(write_config(folder, posts_dir=DATA / "posts"))
    return collect(site.read_settings(), NOW)


def test_the_pool_gives_the_same_collection_and_runs_the_callback_once(
    quirks: Collection, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Every quirk file read in the process pool (as records, turned back into Posts) gives what reading here gave."""
    site = load_config(write_config(tmp_path_factory.mktemp("pool"), posts_dir=DATA / "posts"))
    calls: list[str] = []
    pooled = collect(
        site.read_settings(), NOW, workers=2, pool_threshold=0, while_pool_reads=lambda: calls.append("pool")
    )
    assert pooled == quirks
    assert calls == ["pool"]
    collect(site.read_settings(), NOW, workers=1, while_pool_reads=lambda: calls.append("serial"))
    assert calls == ["pool"]  # no pool, nothing to do meanwhile


def test_posts_read_in_the_pool_with_a_cache_are_lean_and_equal_the_full_ones(
    quirks: Collection, tmp_path: Path
) -> None:
    """A post the pool read, with a cache to keep its record, holds no title or digest until asked (a feed shows a
    few posts of a large site); asked, it gives what reading here gave, and is equal to that post, hashes alike,
    and is replaced as any post."""
    site = load_config(write_config(tmp_path, posts_dir=DATA / "posts"))
    asked: list[str] = []
    with Cache(tmp_path / "cache.db", pytest.fail) as cache:
        pooled = collect(site.read_settings(), NOW, cache=cache, workers=2, pool_threshold=0)
        assert pooled.posts and all(type(post) is LeanPost for post in pooled.posts)
        for post in pooled.posts:
            # Still unfetched: its digest's slot holds what fetches the two.
            details = Post.__dict__["digest"].__get__(post)
            assert callable(details)
            Post.__dict__["digest"].__set__(post, _counted(details, asked))
        assert pooled == quirks
        assert [hash(post) for post in pooled.posts] == [hash(post) for post in quirks.posts]
    assert sorted(asked) == sorted(post.source for post in quirks.posts)  # each asked once, though compared twice
    retitled = dataclasses.replace(pooled.posts[0], title="다른 제목")
    assert (retitled.title, retitled.digest) == ("다른 제목", quirks.posts[0].digest)


def test_lean_posts_hold_their_folder_once(tmp_path: Path) -> None:
    """A lean post holds its file's name, and its folder as one string shared with every other post in it: a path was
    the largest string a post held (a name in Hangul makes each of its characters two bytes), most of it the folder's.
    Its source is still the whole path, replaced as any field."""
    posts = tmp_path / "긴 폴더 이름" / "_posts"
    posts.mkdir(parents=True)
    for day in (1, 2, 3):
        (posts / f"2024-02-0{day}-글.md").write_text(f"---\ntitle: 글 {day}\n---\n본문 {day}.\n", encoding="utf-8")
    settings = load_config(write_config(tmp_path, posts_dir=posts)).read_settings()
    with Cache(tmp_path / "cache.db", pytest.fail) as cache:
        collection = collect(settings, NOW, cache=cache, workers=2, pool_threshold=0)
    assert sorted(post.source for post in collection.posts) == [str(posts / f"2024-02-0{d}-글.md") for d in (1, 2, 3)]
    held = [Post.__dict__["source"].__get__(post) for post in collection.posts]
    assert sorted(held) == [f"2024-02-0{day}-글.md" for day in (1, 2, 3)]
    folders = {id(LeanPost.__dict__["_folder"].__get__(post)) for post in collection.posts}
    assert len(folders) == 1
    moved = dataclasses.replace(collection.posts[0], source="/elsewhere/x.md")
    assert type(moved) is LeanPost and moved.source == "/elsewhere/x.md"
    assert Post.__dict__["source"].__get__(moved) == "x.md"


def test_lean_posts_hold_their_fingerprints_as_numbers(quirks: Collection, tmp_path: Path) -> None:
    """A lean post holds its fingerprint as its digest's number (48 bytes, the text 96), and gives the text back as
    page_fingerprint wrote it; one of another form is held as it is."""
    site = load_config(write_config(tmp_path, posts_dir=DATA / "posts"))
    with Cache(tmp_path / "cache.db", pytest.fail) as cache:
        pooled = collect(site.read_settings(), NOW, cache=cache, workers=2, pool_threshold=0)
    assert [post.fingerprint for post in pooled.posts] == [post.fingerprint for post in quirks.posts]
    assert all(type(Post.__dict__["fingerprint"].__get__(post)) is int for post in pooled.posts)
    for other in ("1:0123", "2:" + "0" * 31 + "A", "2:" + "0" * 33):
        kept = dataclasses.replace(pooled.posts[0], fingerprint=other)
        assert kept.fingerprint == other and Post.__dict__["fingerprint"].__get__(kept) == other
    padded = dataclasses.replace(pooled.posts[0], fingerprint="2:" + "0" * 31 + "a")
    assert padded.fingerprint == "2:" + "0" * 31 + "a"


def _counted(details: Details, asked: list[str]) -> Details:
    def counted(post: Post) -> tuple[str, str]:
        asked.append(post.source)
        return details(post)

    return counted


def test_a_lean_posts_title_comes_from_its_file_when_the_cache_cannot_give_it(tmp_path: Path) -> None:
    """The cache closed (it failed during the build): the file is read again. A file changed since it was read
    gives its new title and no digest, so that its body and excerpt are refused as changed, as for any post."""
    posts = tmp_path / "_posts"
    posts.mkdir()
    for day in (1, 2):
        (posts / f"2024-02-0{day}-p.md").write_text(f"---\ntitle: 글 {day}\n---\n본문 {day}.\n", encoding="utf-8")
    settings = load_config(write_config(tmp_path)).read_settings()
    with Cache(tmp_path / "cache.db", pytest.fail) as cache:
        collection = collect(settings, NOW, cache=cache, workers=2, pool_threshold=0)
    unchanged, changed = sorted(collection.posts, key=lambda post: post.source)
    (posts / "2024-02-02-p.md").write_text("---\ntitle: 고친 글\n---\n고친 본문.\n", encoding="utf-8")
    assert (unchanged.title, unchanged.digest) == ("글 1", data_digest((posts / "2024-02-01-p.md").read_bytes()))
    assert (changed.title, changed.digest) == ("고친 글", "")
    with pytest.raises(PostError, match="changed while it was being published"):
        load_body(settings, changed)


def test_a_build_from_lean_posts_writes_what_one_from_full_posts_writes(tmp_path: Path) -> None:
    """Feeds, term feeds, the news sitemap, the sitemap and the record of what was published: the same bytes from
    the pool's lean posts (a cache to fetch their titles from) as from full posts (no cache)."""
    extra = '\n[feeds]\nlimit = 5\ncategories = true\n[sitemap]\nnews = { name = "서울 생활 뉴스" }\n'
    written = {}
    for name, use_cache in (("lean", True), ("full", False)):
        folder = tmp_path / name
        posts = folder / "_posts"
        posts.mkdir(parents=True)
        for hours in range(0, 240, 8):  # the newest within the news sitemap's two days
            when = NOW - timedelta(hours=hours + 1)
            front = f"title: 글 {hours}\ndate: {when.isoformat()}\ncategories: [{'홀' if hours % 3 else '짝'}]"
            (posts / f"p{hours}.md").write_text(f"---\n{front}\n---\n본문 {hours}.\n", encoding="utf-8")
        site = load_config(write_config(folder, extra=extra))
        run_build(site, NOW, use_cache=use_cache, workers=2, pool_threshold=0)
        out = folder / "out"
        written[name] = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        written[name]["published"] = b"".join(p.read_bytes() for p in (folder / ".feedpub").glob("published*.json"))
    assert written["lean"]["sitemap-news.xml"].count(b"<news:title>") == 6
    assert any(name.startswith("categories/") for name in written["lean"])
    assert written["lean"] == written["full"]


def test_a_lean_post_whose_name_is_not_utf8_keeps_the_cache(tmp_path: Path) -> None:
    """A post named with a byte that is not UTF-8 has no cache record (SQLite keys are UTF-8): asking the cache for
    its title read as a damaged cache, which every build then discarded, with a warning."""
    posts = tmp_path / "_posts"
    posts.mkdir()
    (posts / "2024-02-01-p.md").write_text("---\ntitle: 글 1\n---\n본문 1.\n", encoding="utf-8")
    (posts / os.fsdecode(b"2024-02-02-bad-\xff.md")).write_bytes(b"---\ntitle: Latin\n---\nbody\n")
    site = load_config(write_config(tmp_path))
    report = run_build(site, NOW, workers=2, pool_threshold=0)
    assert not [w for w in report.warnings if "cache" in w], report.warnings
    assert (tmp_path / ".feedpub" / "cache.db").is_file()
    assert b"<title>Latin</title>" in (tmp_path / "out" / "rss.xml").read_bytes()


def test_nested_posts_folders_read_each_post_once(tmp_path: Path) -> None:
    """`dirs = ["posts", "posts/archive", "posts/_drafts"]`: the walk of "posts" met the archive's files too, and
    each was then rejected as having the same URL as itself (exit 1 at every build); a "_" folder listed on its own
    is read, though the outer walk passes over it."""
    for folder, day in (("posts", 1), ("posts/archive", 2), ("posts/_drafts", 3)):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / f"2024-02-0{day}-p{day}.md").write_text(f"---\ntitle: 글 {day}\n---\n본문\n", "utf-8")
    config = write_config(tmp_path, posts_dir="posts")
    text = config.read_text(encoding="utf-8").replace(
        'dirs = ["posts"]', 'dirs = ["posts", "posts/archive", "posts/_drafts"]'
    )
    config.write_text(text, encoding="utf-8")
    collection = collect(load_config(config).read_settings(), NOW)
    assert not collection.rejected, collection.rejected
    assert sorted(post.title for post in collection.posts) == ["글 1", "글 2", "글 3"]


def test_twenty_thousand_posts_folders_are_told_apart_from_nested_ones_in_well_under_a_second() -> None:
    """A Jekyll site's posts folders are every `_posts` in it: 6,000 `dN/_posts` folders cost 36M comparisons of
    every pair, 17 s of each build, the builds that found nothing changed too."""
    dirs = tuple(Path(f"/site/d{n}/_posts") for n in range(20_000))
    start = time.process_time()
    assert not _nested(dirs)
    assert _nested((*dirs, Path("/site/d19999/_posts/archive")))
    assert time.process_time() - start < 0.5


_PARTS = st.sampled_from(["a", "b", "b-c", "b.c", "b c", "c"])


@given(st.lists(st.lists(_PARTS, max_size=3).map(lambda parts: "/" + "/".join(parts)), max_size=8))
def test_nested_posts_folders_are_found_as_comparing_every_pair_finds_them(paths: list[str]) -> None:
    """Sorted, a folder nested in another sits after it; "a/b-c" between "a/b" and "a/b/c" does not part them."""
    real = [os.path.realpath(path) for path in paths]
    pairwise = any(inner != outer and inner.startswith(outer.rstrip("/") + "/") for inner in real for outer in real)
    assert _nested(tuple(map(Path, paths))) == pairwise


class _KillingReader(Reader):
    """Ends its own process (SIGKILL, as a crash in a parser or the system's out-of-memory killer would) when a pool
    worker reads `crash.md`, every time, or `once.md`, the first time only (a marker file remembers)."""

    def __init__(self, settings: ReadSettings, marker: Path) -> None:
        super().__init__(settings, records=True)
        self.parent = os.getpid()
        self.marker = marker

    def read(self, file: SourceFile) -> Parsed:
        name = os.path.basename(file.path)
        if os.getpid() != self.parent and (name == "crash.md" or (name == "once.md" and not self.marker.exists())):
            self.marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return super().read(file)


@pytest.mark.parametrize("killed", ["crash.md", "once.md"])
def test_a_worker_that_ends_abruptly_costs_at_most_its_post(killed: str, tmp_path: Path) -> None:
    """A pool worker killed while it reads (a parser's crash on a post, the out-of-memory killer): the files whose
    readings did not come back are read again. A post that ends its process every time, even alone, is rejected by
    name and the others are published; one whose worker was killed once is published too. Nothing stops the
    build."""
    posts = tmp_path / "_posts"
    posts.mkdir()
    for day in range(1, 29):
        (posts / f"2024-02-{day:02d}-p.md").write_text(f"---\ntitle: P{day}\n---\nBody {day}.\n", encoding="utf-8")
    (posts / killed).write_text("---\ntitle: K\ndate: 2024-03-01\n---\nBody.\n", encoding="utf-8")
    settings = load_config(write_config(tmp_path)).read_settings()
    reader = _KillingReader(settings, tmp_path / "killed-once")
    collection = collect(settings, NOW, workers=2, pool_threshold=0, reader=reader)
    names = sorted(os.path.basename(p.source) for p in collection.posts)
    if killed == "crash.md":
        assert len(names) == 28 and killed not in names
        [rejection] = collection.rejected
        assert rejection.path.endswith("crash.md") and "ended the process reading it" in rejection.reason
    else:
        assert len(names) == 29 and killed in names
        assert not collection.rejected


def by_name(collection: Collection, name: str) -> Post:
    return next(p for p in collection.posts if Path(p.source).name == name)


@pytest.fixture(scope="module")
def excerpt_of(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Post], str]:
    """A collected post's excerpt, as a build makes it for a feed that shows the post (reading leaves it out)."""
    site = load_config(write_config(tmp_path_factory.mktemp("excerpts"), posts_dir=DATA / "posts"))
    return Reader(site.read_settings(), records=False).excerpt


REJECTED = {
    "yaml_python_object_tag.md": "front matter is not valid YAML: could not determine a constructor for the tag",
    "yaml_alias_bomb.md": "front matter expands to more than 10000 values",
    "latin1_not_utf8.md": "not UTF-8 text (invalid byte at offset 14); save it as UTF-8",
    "nul_byte_binary.md": "contains NUL bytes",
    "front_matter_is_a_list.md": "front matter must be a mapping of keys to values, got list",
    "impossible_date_feb_30.md": "front matter 'date' is not a valid date (got '2023-02-30')",
    "korean_vague_date.md": "front matter 'date' is not a valid date (got '어제쯤')",
    "2023-02-30-impossible-filename-date.md": "file name starts with an impossible date 2023-02-30",
    "unclosed_front_matter.md": "front matter is not closed",
    "toml_invalid.md": "front matter is not valid TOML",
    "duplicate_url_older.md": "same URL https://example.kr/twins/ as ",
}


@pytest.mark.parametrize(("name", "reason"), REJECTED.items(), ids=list(REJECTED))
def test_bad_post_is_rejected_with_its_reason(quirks: Collection, name: str, reason: str) -> None:
    matches = [r for r in quirks.rejected if Path(r.path).name == name]
    assert len(matches) == 1, [str(r) for r in quirks.rejected]
    assert reason in matches[0].reason
    assert "Traceback" not in matches[0].reason


def test_rejections_are_exactly_the_bad_files(quirks: Collection) -> None:
    assert sorted(Path(r.path).name for r in quirks.rejected) == sorted(REJECTED)


def test_duplicate_url_names_both_files_and_keeps_the_newer(quirks: Collection) -> None:
    rejection = next(r for r in quirks.rejected if r.path.endswith("duplicate_url_older.md"))
    assert "duplicate_url_newer.md" in rejection.reason
    assert by_name(quirks, "duplicate_url_newer.md").url == "https://example.kr/twins/"


def test_drafts_unpublished_future_and_underscored_files_are_skipped(quirks: Collection) -> None:
    names = {Path(p.source).name for p in quirks.posts}
    assert not names & {"draft_true.md", "published_false.md", "future_date.md", "_underscore_ignored.md"}
    assert quirks.skipped == 3  # the underscored file is no post: not counted


def test_posts_are_newest_first_with_ties_by_url(quirks: Collection) -> None:
    keys = [(p.published, p.url) for p in quirks.posts]
    assert [k[0] for k in keys] == sorted((k[0] for k in keys), reverse=True)
    assert len(quirks.posts) == 14


def test_bom_and_crlf_are_read_as_plain_utf8(
    quirks: Collection, tmp_path: Path, excerpt_of: Callable[[Post], str]
) -> None:
    post = by_name(quirks, "bom_crlf_korean.md")
    assert post.title == "BOM과 CRLF"
    settings = load_config(write_config(tmp_path, posts_dir=DATA / "posts")).read_settings()
    assert "\r" not in load_body(settings, post)  # collect leaves bodies in their files; load_body reads them again
    assert excerpt_of(post) == "첫 문단입니다."


def test_toml_front_matter(quirks: Collection, excerpt_of: Callable[[Post], str]) -> None:
    post = by_name(quirks, "toml_front_matter.md")
    assert post.title == "TOML 머리말"
    assert post.published == datetime(2024, 5, 5, 10, tzinfo=KST)
    assert post.categories == ("Tech",)
    assert post.body_format == "markdown"
    assert excerpt_of(post) == "Markdown body."


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("title_is_a_number.md", "1984"),
        ("2024-05-08-title-from-file-name.md", "title from file name"),
        ("title_with_markup_characters.md", 'R&D <예산> & "따옴표"'),
    ],
    ids=["number", "from-file-name", "markup-characters"],
)
def test_titles_are_text(quirks: Collection, name: str, title: str) -> None:
    assert by_name(quirks, name).title == title


def test_excerpt_counts_grapheme_clusters_not_code_points(
    quirks: Collection, excerpt_of: Callable[[Post], str]
) -> None:
    excerpt = excerpt_of(by_name(quirks, "hangul_conjoining_jamo_excerpt.md"))
    clusters = regex.findall(r"\X", excerpt)
    assert len(excerpt) > 300  # conjoining jamo: three code points a syllable
    assert len(clusters) <= 300
    assert excerpt.endswith("…")
    assert clusters[-2] != " "  # cut on a word boundary, the space itself dropped


def test_excerpt_falls_back_to_the_first_paragraph_with_text(
    quirks: Collection, excerpt_of: Callable[[Post], str]
) -> None:
    post = by_name(quirks, "protocol_relative_image_mapping.md")
    assert excerpt_of(post) == "첫 번째 & 진짜 문단."


def test_more_marker_ends_the_excerpt(quirks: Collection, excerpt_of: Callable[[Post], str]) -> None:
    assert excerpt_of(by_name(quirks, "more_marker.md")) == "Before the fold."


def test_image_mapping_protocol_relative_gets_https(quirks: Collection) -> None:
    image = by_name(quirks, "protocol_relative_image_mapping.md").image
    assert image is not None
    assert (image.url, image.mime_type, image.alt, image.length) == (
        "https://cdn.example.net/a%20b.webp",
        "image/webp",
        "그림",
        None,
    )


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        (
            "cover:\n  image: /images/a.jpg\n  alt: 표지\n  relative: false\n",
            ("https://example.kr/images/a.jpg", "표지"),
        ),
        ("cover:\n  image: https://cdn.example.net/b.png\n", ("https://cdn.example.net/b.png", "")),
        ("image:\n  path: /img/c.webp\n", ("https://example.kr/img/c.webp", "")),
        ("header:\n  overlay_image: /assets/d.jpg\n  overlay_filter: 0.5\n", ("https://example.kr/assets/d.jpg", "")),
        ("header:\n  teaser: /assets/e-th.jpg\n", ("https://example.kr/assets/e-th.jpg", "")),
        # Stack's `image: "../../images/java.webp"` (retheviper.github.io): a URL with its dot segments resolved, as
        # a browser resolves it (urllib and `curl --path-as-is` send "/../../images/java.webp" as written).
        ('image: "../../images/java.webp"\n', ("https://example.kr/images/java.webp", "")),
        ("image: assets/./img/../f.png\n", ("https://example.kr/assets/f.png", "")),
    ],
    ids=[
        "papermod-cover",
        "cover-url",
        "jekyll-feed-path",
        "mm-header-overlay",
        "mm-header-teaser",
        "dot-dot",
        "dot-segments",
    ],
)
def test_a_themes_image_mapping_is_the_posts_image(front: str, expected: tuple[str, str], tmp_path: Path) -> None:
    """Themes name a post's image in a mapping: Hugo's PaperMod `cover: {image: …, alt: …}`, jekyll-feed's
    `image: {path: …}`, Minimal Mistakes' `header: {overlay_image: …}`; the image is the post's (its enclosure),
    not the body's first."""
    posts = tmp_path / "_posts"
    posts.mkdir()
    text = f'---\ntitle: t\ndate: 2024-05-11\n{front}---\n\n<p><img src="/body.jpg"></p>\n'
    (posts / "2024-05-11-a.md").write_text(text, encoding="utf-8")
    [post] = collect(load_config(write_config(tmp_path)).read_settings(), NOW).posts
    assert post.image is not None
    assert (post.image.url, post.image.alt) == expected


def test_javascript_image_is_not_an_image(quirks: Collection) -> None:
    assert by_name(quirks, "javascript_image_ignored.md").image is None


def test_hangul_categories_tags_and_url(quirks: Collection) -> None:
    post = by_name(quirks, "hangul_permalink_and_terms.md")
    assert post.categories == ("뉴스", "정치")
    assert post.tags == ("파이썬", "피드")
    assert post.url == "https://example.kr/뉴스/정치/2024/05/14/hangul_permalink_and_terms/"
    assert post.published == datetime(2024, 5, 14, 8, tzinfo=KST)  # naive time takes site.timezone


def test_offsets_are_kept_and_update_dates_read(quirks: Collection) -> None:
    post = by_name(quirks, "date_with_offset_and_update.md")
    assert post.published == datetime(2024, 5, 16, 4, 30, tzinfo=UTC)
    assert post.updated == datetime(2024, 5, 20, 1, tzinfo=UTC)
    assert post.modified == post.updated


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-02", datetime(2024, 1, 2, tzinfo=KST)),
        ("2024-01-02 03:04", datetime(2024, 1, 2, 3, 4, tzinfo=KST)),
        ("2024-01-02 03:04:05 +0000", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2024-01-02T03:04:05Z", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("Tue, 02 Jan 2024 03:04:05 +0900", datetime(2024, 1, 2, 3, 4, 5, tzinfo=KST)),
        ("2024/01/02", datetime(2024, 1, 2, tzinfo=KST)),
    ],
    ids=["date", "naive-minutes", "jekyll-offset", "iso-z", "rfc2822", "slashes"],
)
def test_parse_date_common_forms(text: str, expected: datetime) -> None:
    from zoneinfo import ZoneInfo

    assert parse_date(text, ZoneInfo("Asia/Seoul")) == expected


def test_slugify_keeps_hangul_and_drops_unsafe_characters() -> None:
    assert slugify("안녕 세상 / hello?") == "안녕-세상-hello"


def test_file_without_date_takes_its_mtime(site_dir: Path, write_post: Callable[..., Path]) -> None:
    path = write_post("undated.txt", "title: 날짜 없음")
    stamp = datetime(2024, 3, 3, 12, tzinfo=UTC).timestamp()
    os.utime(path, (stamp, stamp))
    site = load_config(site_dir / "config.toml")
    (post,) = collect(site.read_settings(), NOW).posts
    assert post.published == datetime(2024, 3, 3, 21, tzinfo=KST)
    assert post.url == "https://example.kr/2024/03/03/undated/"


def test_file_without_date_takes_its_last_git_commit(
    site_dir: Path, write_post: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    # Run inside a git command (`git rebase --exec`, a hook), GIT_DIR and friends would point these commands,
    # and the collector's, at the enclosing repository: the commit below would land in the checkout itself.
    for name in [n for n in os.environ if n.startswith("GIT_")]:
        monkeypatch.delenv(name)
    path = write_post("undated.txt", "title: 커밋 날짜")
    env = {**os.environ, "GIT_COMMITTER_DATE": "2023-07-01T00:00:00+00:00", "GIT_AUTHOR_DATE": "2023-07-01T00:00:00Z"}
    for command in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=site_dir, check=True, env=env)
    os.utime(path, (0, 0))  # mtime says 1970: the commit date must win
    (post,) = collect(load_config(site_dir / "config.toml").read_settings(), NOW).posts
    assert post.published == datetime(2023, 7, 1, tzinfo=UTC)


def test_symlink_outside_posts_dir_is_rejected(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text("---\ntitle: secret\ndate: 2024-01-01\n---\nsecret\n", encoding="utf-8")
    (site_dir / "_posts" / "link.md").symlink_to(outside)
    collection = collect(load_config(site_dir / "config.toml").read_settings(), NOW)
    assert not collection.posts
    (rejection,) = collection.rejected
    assert "symbolic link to" in rejection.reason and "outside the posts folder" in rejection.reason
    # Not where it leads: rejections go to cron's mail and CI logs (a link to /proc/self/fd/3 named a private file).
    assert str(outside.parent) not in rejection.reason and "secret" not in rejection.reason


def test_pipes_sockets_and_devices_named_as_posts_are_rejected_with_their_reason(site_dir: Path) -> None:
    """They were skipped without a word, where a link out of the site is reported: now each is, and none is opened
    for long (a pipe with no writer) nor read (a link to /dev/zero)."""
    import socket

    posts = site_dir / "_posts"
    os.mkfifo(posts / "fifo.md")
    (posts / "zero.md").symlink_to("/dev/zero")
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(posts / "sock.md"))
        collection = collect(load_config(site_dir / "config.toml").read_settings(), NOW)
    assert not collection.posts
    reasons = {Path(r.path).name: r.reason for r in collection.rejected}
    assert reasons.keys() == {"fifo.md", "sock.md", "zero.md"}
    assert (
        reasons["fifo.md"]
        == reasons["sock.md"]
        == "not a regular file (a pipe, socket, device or folder); only files are posts"
    )
    assert "symbolic link to a file outside the posts folder" in reasons["zero.md"]


def test_links_to_nothing_and_loops_of_links_named_as_posts_are_rejected_with_their_reason(
    site_dir: Path, write_post: Callable[..., Path]
) -> None:
    """A post whose file was moved away, leaving its link behind, vanished from the feeds without a word."""
    write_post("2024-01-01-real.md", "title: real")
    posts = site_dir / "_posts"
    (posts / "2024-01-02-moved.md").symlink_to(posts / "archive" / "2024-01-02-moved.md")
    (posts / "loop-a.md").symlink_to("loop-b.md")
    (posts / "loop-b.md").symlink_to("loop-a.md")
    collection = collect(load_config(site_dir / "config.toml").read_settings(), NOW)
    assert [post.title for post in collection.posts] == ["real"]
    reasons = {Path(r.path).name: r.reason for r in collection.rejected}
    assert reasons == {
        "2024-01-02-moved.md": "cannot read: No such file or directory",
        "loop-a.md": "cannot read: a loop of symbolic links",
        "loop-b.md": "cannot read: a loop of symbolic links",
    }


def test_symlink_inside_posts_dir_is_read_through(site_dir: Path, write_post: Callable[..., Path]) -> None:
    real = write_post("2024-01-01-real.md", "title: 진짜")
    archive = site_dir / "_posts" / "archive"
    archive.mkdir()
    (archive / "2024-02-01-linked.md").symlink_to(real)
    collection = collect(load_config(site_dir / "config.toml").read_settings(), NOW)
    assert not collection.rejected
    assert sorted(p.url.rsplit("/", 2)[-2] for p in collection.posts) == ["linked", "real"]


def test_file_over_max_bytes_is_rejected(site_dir: Path, write_post: Callable[..., Path]) -> None:
    write_post("2024-01-01-big.md", "title: big", body="x" * 2000)
    write_config(site_dir, extra="")
    config = site_dir / "config.toml"
    config.write_text(config.read_text().replace('dirs = ["_posts"]', 'dirs = ["_posts"]\nmax_bytes = 1000'))
    collection = collect(load_config(config).read_settings(), NOW)
    assert "over posts.max_bytes (1000)" in collection.rejected[0].reason


def test_permalink_template_placeholders(site_dir: Path, write_post: Callable[..., Path]) -> None:
    write_post("2024-02-03-hello-world.md", "title: x\ncategories: [Big News, 경제]\ndate: 2024-02-03 04:05:06")
    config = site_dir / "config.toml"
    config.write_text(
        config.read_text().replace(
            'dirs = ["_posts"]',
            'dirs = ["_posts"]\npermalink = "/:categories/:short_year/:i_month/:i_day/:hour:minute/:title.html"',
        )
    )
    (post,) = collect(load_config(config).read_settings(), NOW).posts
    assert post.url == "https://example.kr/big-news/경제/24/2/3/0405/hello-world.html"


def test_site_under_a_path_prefixes_every_url(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: a\nimage: /img/a.png\n---\nx\n")
    config = write_config(tmp_path)
    config.write_text(config.read_text().replace("https://example.kr/", "https://example.kr/blog"))
    site: Site = load_config(config)
    (post,) = collect(site.read_settings(), NOW).posts
    assert post.url == "https://example.kr/blog/2024/01/01/a/"
    assert post.image is not None and post.image.url == "https://example.kr/blog/img/a.png"


@pytest.mark.parametrize(
    "text",
    [
        "title: 안녕\ncategories: [a, b]\ntags:\n  - x\n  - 2\n",
        "date: 2024-01-02 10:00:00 +0900\ndraft: false\ncount: 0x10\nratio: 1.5\nnothing: ~\n",
        "base: &b {a: 1}\nother: *b\nmerged:\n  <<: *b\n  c: 2\n",
        "? [complex, key]\n: value\n",
        "!!set {a, b}\n",
        "bin: !!binary aGVsbG8=\nlist: &l [1, 2]\nagain: *l\n1: one\ntrue: yes\n",
        "",
    ],
    ids=["strings", "scalars", "aliases-merge", "complex-key", "set", "binary-alias-keys", "empty"],
)
def test_front_matter_shortcut_builds_what_pyyaml_builds(text: str) -> None:
    """The loader builds plain maps itself; it must give what PyYAML's constructor gives, aliases shared."""
    import yaml

    from feedpub.read.front_matter_parsers import FrontMatterLoader, UnorderedSet

    class Generic(FrontMatterLoader):  # type: ignore[misc, valid-type]
        get_single_data = yaml.CSafeLoader.get_single_data

    try:
        expected = yaml.load(text, Loader=Generic)
    except (yaml.YAMLError, UnorderedSet) as error:  # a set: refused by name (front_matter.split)
        with pytest.raises(type(error)):
            yaml.load(text, Loader=FrontMatterLoader)
        return
    actual = yaml.load(text, Loader=FrontMatterLoader)
    assert actual == expected and type(actual) is type(expected)
    if isinstance(expected, dict) and "again" in expected:
        assert actual["again"] is actual["list"]


def test_git_dates_ignore_a_git_hook_environment(
    site_dir: Path, write_post: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Run from a git hook, GIT_DIR names the hook's repository: the posts' own history must still be read."""
    import subprocess

    path = write_post("undated.txt", "title: 훅에서")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env = {**clean, "GIT_COMMITTER_DATE": "2023-07-01T00:00:00+00:00", "GIT_AUTHOR_DATE": "2023-07-01T00:00:00Z"}
    for command in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "x"]):
        subprocess.run(["git", *command], cwd=site_dir, check=True, env=env)
    os.utime(path, (0, 0))
    other = tmp_path_factory.mktemp("other-repository")
    subprocess.run(["git", "init", "-q"], cwd=other, check=True, env=clean)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GIT_DIR", str(other / ".git"))
        (post,) = collect(load_config(site_dir / "config.toml").read_settings(), NOW).posts
    assert post.published == datetime(2023, 7, 1, tzinfo=UTC)


def test_a_markdown_body_with_more_markup_than_is_rendered_is_rejected_at_once(
    site_dir: Path, write_post: Callable[..., Path]
) -> None:
    """markdown-it keeps a token per entity, link or emphasis mark: 5 MB of &amp; took 400 MB and minutes.

    Reading renders no body it does not need (this one has no image to look for): the feed that shows the post
    asks for its excerpt and content, and rejects it by name before rendering any of it.
    """
    write_post("2024-01-01-amp.md", "title: amp", "&amp;" * (MAX_MARKUP_CHARACTERS + 1))
    write_post("2024-01-02-fine.md", "title: fine", "Q&A *is* [fine](https://example.kr/).")
    site = load_config(site_dir / "config.toml")

    report = run_build(site, NOW)

    (rejection,) = report.rejected  # by the count of its marks, not by the time limit of a render
    assert (
        rejection.path.endswith("2024-01-01-amp.md") and "100,000" in rejection.reason and "split" in rejection.reason
    )
    feed = json.loads((site.output_dir / site.feeds.json).read_text(encoding="utf-8"))
    assert [item["title"] for item in feed["items"]] == ["fine"]
    assert "/amp/" not in (site.output_dir / "sitemap.xml").read_text(encoding="utf-8")


def test_an_html_body_with_more_markup_than_is_cleaned_is_rejected_at_once(
    site_dir: Path, write_post: Callable[..., Path]
) -> None:
    """The sanitiser's time grows with the square of a run of references (5 MB of &amp;: 42 s, in Rust)."""
    write_post("2024-01-01-amp.html", "title: amp", "&amp;" * (MAX_MARKUP_CHARACTERS + 1))
    write_post("2024-01-02-fine.html", "title: fine", "<p>Q&amp;A <b>is</b> fine.</p>")
    collection = collect(load_config(site_dir / "config.toml").read_settings(), NOW)
    assert [p.title for p in collection.posts] == ["fine"]
    (rejection,) = collection.rejected
    assert rejection.path.endswith("2024-01-01-amp.html") and "HTML markup" in rejection.reason


_ZONES = [UTC, timezone(timedelta(hours=9)), timezone(timedelta(hours=-5, minutes=-30)), ZoneInfo("Asia/Seoul")]


@given(
    st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)),
            st.sampled_from(_ZONES),
            st.sampled_from(["https://e.kr/a/", "https://e.kr/b/", "https://e.kr/한/", "https://e.kr/A/"]),
        ),
        max_size=12,
    )
)
def test_newest_first_is_instant_order_then_url_order(made: list[tuple[datetime, tzinfo, str]]) -> None:
    posts = [
        Post(source=f"p{i}.md", url=url, title="t", published=moment.replace(tzinfo=zone), body="")
        for i, (moment, zone, url) in enumerate(made)
    ]
    # Instants in UTC (where datetime compares as time runs even across a DST fold), newest first, then URL order.
    by_url = sorted(posts, key=lambda p: p.url)
    expected = sorted(by_url, key=lambda p: p.published.astimezone(UTC), reverse=True)  # stable: ties keep URL order
    assert [p.source for p in sort_newest_first(posts)] == [p.source for p in expected]


_MOMENTS = st.tuples(
    st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)), st.sampled_from(_ZONES)
).map(lambda made: made[0].replace(tzinfo=made[1]))


@given(
    st.lists(st.tuples(_MOMENTS, st.none() | _MOMENTS, st.none() | _MOMENTS), max_size=8),
    _MOMENTS,
)
def test_due_at_agrees_with_the_clock_in_utc(
    made: list[tuple[datetime, datetime | None, datetime | None]], now: datetime
) -> None:
    """Which posts are published at `now`, and when that last and next changes, as instants compare in UTC."""
    posts = [
        Post(source=f"p{i}.md", url=f"https://e.kr/{i}/", title="t", published=p, body="", due=d, expires=x)
        for i, (p, d, x) in enumerate(made)
    ]

    def utc(moment: datetime) -> datetime:
        return moment.astimezone(UTC)

    clock = due_at(posts, now)
    due = [
        p for p in posts if utc(p.due or p.published) <= utc(now) and (p.expires is None or utc(p.expires) > utc(now))
    ]
    assert clock.due == due
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    assert list(clock.instants) == [(p.published - epoch) // timedelta(microseconds=1) for p in due]
    moments = [utc(m) for p in posts for m in (p.due or p.published, p.expires) if m is not None]
    assert clock.next_change == min((m for m in moments if m > utc(now)), default=None)
    assert clock.last_change == max((m for m in moments if m <= utc(now)), default=None)
