"""What a site, its output folder or feedpub's own state can hold to make a build read elsewhere, hang, delete or
overwrite files, or stop: links, pipes and devices where plain files belong, crafted records, names that are
inputs, folders nested past any site's, placeholders and loops. Each case is a real `feedpub build` process held
to a time bound (tests/hostile.py), as an attacker's commit would meet it in cron.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from feedpub.state import standing
from tests.conftest import run, write_config
from tests.hostile import build_within

POST = "---\ntitle: {title}\ndate: 2024-01-0{day}\n---\n{body}\n"
BOUND = 60  # seconds: each build here takes well under one; a hang is killed at the bound and fails


def _plain_site(tmp_path: Path, posts: int = 3, extra: str = "") -> Path:
    (tmp_path / "_posts").mkdir()
    for day in range(1, posts + 1):
        text = POST.format(title=f"Post {day}", day=day, body=f"Body {day}.")
        (tmp_path / "_posts" / f"2024-01-0{day}-p{day}.md").write_text(text, encoding="utf-8")
    return write_config(tmp_path, extra=extra)


def _fifo(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)


@pytest.mark.parametrize("kind", ["link to a secret", "fifo", "link to /dev/zero"])
def test_a_robots_txt_that_is_not_a_plain_file_is_never_read(tmp_path: Path, kind: str) -> None:
    """robots.txt is the one output feedpub reads before writing (its lines are kept): a link to a file outside
    the site had that file's text served in the new robots.txt, a pipe hung every build, /dev/zero filled memory.
    Now it is left as it is, with a warning, and the rest is published."""
    config = _plain_site(tmp_path)
    secret = tmp_path / "secret.txt"
    secret.write_text("S3CRET private line\n", encoding="utf-8")
    robots = tmp_path / "out" / "robots.txt"
    robots.parent.mkdir()
    if kind == "fifo":
        _fifo(robots)
    else:
        robots.symlink_to(secret if kind == "link to a secret" else Path("/dev/zero"))
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "robots.txt" in finished.stderr and "left as it is" in finished.stderr
    written = [p for p in (tmp_path / "out").glob("*") if p.is_file() and not p.is_symlink()]
    assert "S3CRET" not in "".join(p.read_text("utf-8") for p in written)
    assert robots.is_symlink() or robots.is_fifo()  # left as it is
    assert "Post 3" in (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["outputs.json", "published.json", "standing.marshal", "cache.db-journal"])
@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero"])
def test_state_files_that_are_not_plain_files_are_never_read(tmp_path: Path, name: str, kind: str) -> None:
    """A pipe or a device in place of a record in .feedpub/ hung the build or filled its memory: a pipe as
    standing.marshal hung every build (opened before the lock was taken), one as cache.db-journal every build
    that read the cache (SQLite reads a journal it finds, to roll it back)."""
    config = _plain_site(tmp_path)
    assert build_within(config, BOUND).returncode == 0
    (tmp_path / "_posts" / "2024-01-04-p4.md").write_text(POST.format(title="New", day=4, body="x"), "utf-8")
    state = tmp_path / ".feedpub" / name
    if kind == "fifo":
        _fifo(state)
    else:
        state.unlink(missing_ok=True)
        state.symlink_to("/dev/zero")
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "New" in (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")


def test_a_pipe_where_feedpub_writes_a_record_of_its_own_is_refused_not_waited_on(tmp_path: Path) -> None:
    """The no-change record and the Jekyll configuration's memo are written to a temporary named by the process id
    (`.standing.marshal.<pid>.tmp`): a pipe committed under that name held the run until something read it."""
    pipe = tmp_path / ".standing.marshal.7.tmp"
    os.mkfifo(pipe)
    script = (
        "import sys\nfrom feedpub.plain_files import NotAPlainFile, write_plain_file\n"
        "try:\n    write_plain_file(sys.argv[1], b'x')\nexcept NotAPlainFile as error:\n    print(error.why)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(pipe)], capture_output=True, text=True, timeout=BOUND)
    assert done.stdout.strip() == "not a regular file (a pipe, device or folder)", done.stderr
    assert pipe.is_fifo()


@pytest.mark.parametrize("name", ["outputs.json", "published.json"])
def test_a_folder_in_place_of_a_record_is_named_as_one(tmp_path: Path, name: str) -> None:
    """outputs.json or published.json made a folder stopped every build with advice about a page's permalink."""
    config = _plain_site(tmp_path)
    assert build_within(config, BOUND).returncode == 0
    (tmp_path / "_posts" / "2024-01-04-p4.md").write_text(POST.format(title="New", day=4, body="x"), "utf-8")
    record = tmp_path / ".feedpub" / name
    record.unlink()
    record.mkdir()
    finished = build_within(config, BOUND)
    assert finished.returncode == 2, finished.stderr
    assert f"{record}: is a folder, where feedpub keeps its record {name}; remove the folder" in finished.stderr
    assert "permalink" not in finished.stderr


def test_a_jekyll_config_memo_that_is_a_pipe_is_never_read(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: T\nurl: https://example.org\n", encoding="utf-8")
    (site / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: A\n---\nBody.\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert build_within(config, BOUND).returncode == 0
    memos = list((tmp_path / ".feedpub").glob("generator-config*"))
    assert memos, "the Jekyll configuration's memo was not where this test looks"
    _fifo(memos[0])
    (site / "_posts" / "2024-01-02-b.md").write_text("---\ntitle: B\n---\nBody.\n", encoding="utf-8")
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr


def test_a_crafted_outputs_record_deletes_no_file_feedpub_did_not_leave(tmp_path: Path) -> None:
    """outputs.json's `removing` names files the last build was deleting: "./rss.xml" and "tags/../atom.xml" named
    the main feeds as they were being written, and "index.html" a file of the user's, and all were deleted."""
    config = _plain_site(tmp_path)
    assert build_within(config, BOUND).returncode == 0
    out = tmp_path / "out"
    (out / "index.html").write_text("the user's own page", encoding="utf-8")
    record_path = tmp_path / ".feedpub" / "outputs.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    (own,) = record["folders"].values()
    crafted = ["./rss.xml", "atom.xml/", "tags/../atom.xml", "index.html", "/etc/passwd", "../config.toml"]
    own["removing"] = crafted
    # A term feed of a pattern no longer configured is known by the record alone: only a feed feedpub wrote at
    # that address may go as one (data/search.json and assets/site.xml are the site's).
    for name, text in (("data/search.json", '{"index": 1}'), ("assets/site.xml", "<x/>")):
        (out / name).parent.mkdir()
        (out / name).write_text(text, encoding="utf-8")
    crafted += ["data/search.json", "assets/site.xml"]
    own["removing"] = crafted
    own["files"] = [*own["files"], "tags/../feed.json"]
    own["term_feeds"] = ["index.html", "data/search.json", "assets/site.xml"]
    record_path.write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "_posts" / "2024-01-04-p4.md").write_text(POST.format(title="New", day=4, body="x"), "utf-8")
    finished = build_within(config, BOUND, "--no-cache")
    assert finished.returncode == 0, finished.stderr
    for name in ("rss.xml", "atom.xml", "feed.json", "index.html", "data/search.json", "assets/site.xml"):
        assert (out / name).is_file(), name
    assert (tmp_path / "config.toml").is_file()


@pytest.mark.parametrize(
    ("extra", "victim"),
    [
        ('[output]\ndir = "."\npage = "config.toml"\n', "config.toml"),
        ('[output]\ndir = "."\npage = "_posts/2024-01-01-p1.md"\n', "_posts/2024-01-01-p1.md"),
        ('[output]\ndir = "."\n[sitemap]\npath = "feedpub-dates.txt"\n', "feedpub-dates.txt"),
        ('[output]\ndir = "."\n[feeds]\nrss = ".feedpub/cache.db"\n', None),
    ],
)
def test_an_output_named_as_an_input_stops_before_anything_is_written(
    tmp_path: Path, extra: str, victim: str | None
) -> None:
    """`page = "config.toml"` in an output folder "." replaced the config with the subscribe page (the next run
    could not start); a post, or the dates file, was written over the same way."""
    config = _plain_site(tmp_path)
    text = config.read_text(encoding="utf-8").replace('[output]\ndir = "out"\n', "")
    config.write_text(text + extra, encoding="utf-8")
    (tmp_path / "feedpub-dates.txt").write_text("# dates\n", encoding="utf-8")
    before = _files(tmp_path)
    finished = build_within(config, BOUND)
    assert finished.returncode == 2, finished.stderr
    assert "name another file" in finished.stderr
    if victim is not None:
        assert victim.split("/")[-1] in finished.stderr
    assert _files(tmp_path) == before  # nothing written


@pytest.mark.parametrize(
    ("generator", "config", "page"),
    [
        ("jekyll", "_config.yml", "_config.yml"),
        ("jekyll", "_config.yml", "_layouts/default.html"),
        ("hugo", "hugo.toml", "hugo.toml"),
        ("hugo", "hugo.toml", "layouts/_default/single.html"),
    ],
)
def test_an_output_over_the_generators_own_files_stops_before_anything_is_written(
    tmp_path: Path, generator: str, config: str, page: str
) -> None:
    """Feeds written into the site's source (GitHub Pages builds Jekyll there) with `page = "_config.yml"` replaced
    the generator's configuration, and every later run stopped; a layout was written over the same way."""
    site = tmp_path / "site"
    posts = site / ("_posts" if generator == "jekyll" else "content/posts")
    posts.mkdir(parents=True)
    text = "title: T\nurl: https://example.org\n" if generator == "jekyll" else 'baseURL = "https://example.org/"\n'
    (site / config).write_text(text, encoding="utf-8")
    (site / page).parent.mkdir(parents=True, exist_ok=True)
    if page != config:
        (site / page).write_text("{{ .Content }}", encoding="utf-8")
    (posts / "2024-01-01-a.md").write_text("---\ntitle: A\ndate: 2024-01-01\n---\nBody.\n", encoding="utf-8")
    feedpub_config = tmp_path / "config.toml"
    result = run("init", f"--from-{generator}", site, "--config", feedpub_config)
    assert result.exit_code == 0, result.output
    text = feedpub_config.read_text(encoding="utf-8")
    start = text.index("[output]")
    end = text.find("\n[", start + 1)
    output = f'[output]\ndir = "site"\npage = "{page}"\n'
    feedpub_config.write_text(text[:start] + output + (text[end + 1 :] if end >= 0 else ""), encoding="utf-8")
    before = _files(site)
    finished = build_within(feedpub_config, BOUND)
    assert finished.returncode == 2, finished.stderr
    assert "name another file" in finished.stderr
    assert _files(site) == before


def test_a_feed_beside_the_posts_it_lists_is_no_input(tmp_path: Path) -> None:
    """A hand-made blog served from public/, posts at public/blog/*.html, its feed at /blog/rss.xml: a name no post
    has, which the scan never reads, is not refused as an input (this session's check stopped every build)."""
    (tmp_path / "public" / "blog").mkdir(parents=True)
    for day in (1, 2):
        post = f"<html><head><title>P{day}</title></head><body>Post {day}.</body></html>"
        (tmp_path / "public" / "blog" / f"2024-01-0{day}-p{day}.html").write_text(post, encoding="utf-8")
    extra = '[feeds]\nrss = "blog/rss.xml"\n'
    config = write_config(tmp_path, posts_dir="public/blog", extra=extra)
    config.write_text(config.read_text(encoding="utf-8").replace('dir = "out"', 'dir = "public"'), "utf-8")
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "P2" in (tmp_path / "public" / "blog" / "rss.xml").read_text(encoding="utf-8")


def _files(folder: Path) -> dict[Path, bytes]:
    """Every file under `folder` with its bytes, but the run's lock (taken before the config is checked)."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file() and p.name != "lock"}


@pytest.fixture
def deep_chain() -> Iterator[Callable[[Path, int], Path]]:
    """Makes top/a/a/…/a, `depth` folders deep, one by one (pathlib's mkdir and os.makedirs recurse a level a
    folder), and removes each chain again bottom up: shutil.rmtree recurses too, and pytest's clean-up of old test
    folders would meet it."""
    made: list[Path] = []

    def make(top: Path, depth: int) -> Path:
        folder = top
        for _ in range(depth):
            folder = folder / "a"
            os.mkdir(folder)
            made.append(folder)
        return folder

    yield make
    for folder in reversed(made):
        for entry in os.listdir(folder):
            if not os.path.isdir(folder / entry):
                os.unlink(folder / entry)
        os.rmdir(folder)


def test_folders_nested_past_any_sites_do_not_stop_the_build(
    tmp_path: Path, deep_chain: Callable[[Path, int], Path]
) -> None:
    """A chain of 1,100 folders below the posts folder stopped every build with a RecursionError (the walk
    recursed a level a folder, and held each level open); past 100 levels, nothing is entered."""
    config = _plain_site(tmp_path)
    folder = deep_chain(tmp_path / "_posts", 1100)
    (folder / "2024-05-05-deep.md").write_text("---\ntitle: Deep\n---\nx\n", encoding="utf-8")
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "Post 3" in (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")


def test_a_jekyll_site_with_folders_nested_past_any_sites_builds(
    tmp_path: Path, deep_chain: Callable[[Path, int], Path]
) -> None:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: T\nurl: https://example.org\n", encoding="utf-8")
    (site / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: A\n---\n{% include_relative {{ page.x }} %}\n")
    deep_chain(site / "_posts", 1100)
    config = tmp_path / "config.toml"
    result = run("init", "--from-jekyll", site, "--config", config)
    assert result.exit_code == 0, result.output
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr


def test_a_dates_file_line_no_feed_can_carry_is_dated_again(tmp_path: Path) -> None:
    """The dates file is committed with the site: a line of year 1 stopped every build with an OverflowError."""
    config = _plain_site(tmp_path)
    text = config.read_text(encoding="utf-8").replace("[posts]\n", '[posts]\ndates_file = "feedpub-dates.txt"\n')
    config.write_text(text, encoding="utf-8")
    (tmp_path / "_posts" / "undated.md").write_text("---\ntitle: Undated\n---\nx\n", encoding="utf-8")
    os.utime(tmp_path / "_posts" / "undated.md", (1_700_000_000, 1_700_000_000))
    (tmp_path / "feedpub-dates.txt").write_text("_posts/undated.md\t0001-01-01T00:00:00+09:00\n", encoding="utf-8")
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "Undated" in (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")
    assert "0001-01-01" not in (tmp_path / "feedpub-dates.txt").read_text(encoding="utf-8")


def test_a_hugo_pages_own_placeholder_word_stays_text(tmp_path: Path) -> None:
    """feedpub carries a shortcode's HTML through Markdown as a word `HUGOSC1<base32>9`; the same word written in a
    page became that HTML in the feeds (links and tracking images past `unsafe = false`), where Hugo shows the word."""
    import base64

    html = '<a href="https://evil.example/">click</a><img src="https://evil.example/t.png">'
    word = "HUGOSC1" + base64.b32encode(html.encode()).decode().rstrip("=") + "9"
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "T"\n', encoding="utf-8")
    page = f"---\ntitle: P\ndate: 2024-01-01\nsummary: before {word} after\n---\nbefore {word} after\n"
    (site / "content" / "posts" / "p.md").write_text(page, encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-hugo", site, "--config", config).exit_code == 0
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    outputs = "".join(p.read_text("utf-8") for p in (site / "public").rglob("*") if p.is_file())
    assert "evil.example" not in outputs
    assert word in json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"][0]["content_html"]


def test_a_loop_of_links_is_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    """Python 3.11's resolve() raises RuntimeError on a loop of links: two includes linked to each other stopped
    `init --from-jekyll` with an internal error, and rejected their post as an "unexpected error"."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_includes").mkdir()
    (site / "_config.yml").write_text("title: T\nurl: https://example.org\n", encoding="utf-8")
    (site / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: A\n---\nhello {% include l1.html %}\n")
    (site / "_includes" / "l1.html").symlink_to("l2.html")
    (site / "_includes" / "l2.html").symlink_to("l1.html")
    (site / "_posts" / "2024-01-02-b.md").symlink_to("2024-01-02-c.md")
    (site / "_posts" / "2024-01-02-c.md").symlink_to("2024-01-02-b.md")
    config = tmp_path / "config.toml"
    result = run("init", "--from-jekyll", site, "--config", config)
    assert result.exit_code == 0, result.output
    finished = build_within(config, BOUND)
    assert "internal error" not in finished.stderr and "unexpected error" not in finished.stderr, finished.stderr
    assert "hello" in (site / "_site" / "feed.json").read_text(encoding="utf-8")


def test_a_hugo_cascade_that_lists_no_page_trips_the_shrink_guard(tmp_path: Path) -> None:
    """A cascade of `_build: {list: never}` in content/posts/_index.md leaves every page published and the feeds,
    sitemap and published.json empty: the guard counted published posts, not listed ones."""
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "T"\n', encoding="utf-8")
    for day in range(1, 13):
        page = f"---\ntitle: P{day}\ndate: 2024-01-{day:02d}\n---\nBody.\n"
        (site / "content" / "posts" / f"p{day}.md").write_text(page, encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-hugo", site, "--config", config).exit_code == 0
    assert build_within(config, BOUND).returncode == 0
    cascade = "---\ntitle: Posts\ncascade:\n  _build:\n    list: never\n---\n"
    (site / "content" / "posts" / "_index.md").write_text(cascade, encoding="utf-8")
    finished = build_within(config, BOUND)
    assert finished.returncode == 2, finished.stderr
    assert "would publish 0 of the 12 posts" in finished.stderr


def _edit_a_post(tmp_path: Path) -> None:
    """Change one post, so that the next build restores the others from the cache rather than finding no change."""
    post = tmp_path / "_posts" / "2024-01-03-p3.md"
    post.write_text(post.read_text(encoding="utf-8") + "More.\n", encoding="utf-8")


@pytest.mark.parametrize(
    "crafted",
    ['["[" * 2000]', '{"posts": 1e999, "folders": {}}', '{"posts": NaN, "folders": {}}'],
    ids=["nested", "posts-1e999", "posts-nan"],
)
def test_an_outputs_record_no_parser_takes_is_an_unreadable_record(tmp_path: Path, crafted: str) -> None:
    """outputs.json of `[[[[…` 2,000 deep (a RecursionError) or with `"posts": 1e999` (int() of inf, an
    OverflowError) ended every build, the no-change one included, in an internal error until it was deleted."""
    config = _plain_site(tmp_path)
    assert build_within(config, BOUND).returncode == 0
    record = tmp_path / ".feedpub" / "outputs.json"
    record.write_text(crafted.replace('["[" * 2000]', "[" * 2000), encoding="utf-8")
    _edit_a_post(tmp_path)
    for _ in range(2):
        finished = build_within(config, BOUND)
        assert finished.returncode == 0, finished.stderr
        assert "internal error" not in finished.stderr
    titles = [item["title"] for item in json.loads((tmp_path / "out" / "feed.json").read_bytes())["items"]]
    assert titles == ["Post 3", "Post 2", "Post 1"]


@pytest.mark.parametrize("posts", ["1" + "0" * 400, "1e308", '"40"', "40.0"], ids=["10e400", "1e308", "text", "float"])
def test_an_outputs_record_of_a_count_no_build_makes_is_an_unreadable_record(tmp_path: Path, posts: str) -> None:
    """outputs.json saying the last build published `"posts": 10**400` stopped every full build with an internal
    error (the shrink guard's float of it overflowed), and `1e308` (or `"40"`, or `40.0`: int() took them) with the
    shrink guard's refusal. A count no build writes makes the record unreadable, as a damaged one is: no shrink
    guard, no stale file deleted, and the build writes the record again."""
    config = _plain_site(tmp_path, posts=9)
    assert build_within(config, BOUND).returncode == 0
    record = tmp_path / ".feedpub" / "outputs.json"
    record.write_text(record.read_text(encoding="utf-8").replace('"posts": 9,', f'"posts": {posts},'), "utf-8")
    assert f'"posts": {posts},' in record.read_text(encoding="utf-8")
    (tmp_path / "_posts" / "2024-02-01-new.md").write_text(POST.format(title="New", day=1, body="x"), "utf-8")
    for _ in range(2):  # a full build (a post added), then the one that finds nothing changed
        finished = build_within(config, BOUND)
        assert finished.returncode == 0, finished.stderr
        assert "internal error" not in finished.stderr
    assert "New" in (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")
    assert '"posts": 10,' in record.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        (1, None),  # url
        (2, b"https://example.org/p/"),  # uri
        (3, 12345),  # title
        (7, (1, 2)),  # categories
        (9, 7),  # image
        (9, ("https://example.org/i.png", None, None, 5, False, False)),  # image's alt
        (10, 7),  # author
        (10, ("Name", 5, None)),  # author's email
        (14, float("inf")),  # body_start
        (24, 7),  # lang
        (27, 7),  # weights
        (27, (1, "2", 3)),  # weights' categories'
    ],
    ids=[
        *("url", "uri", "title", "categories", "image", "image-alt", "author", "author-email", "body-start", "lang"),
        *("weights", "weights-text"),
    ],
)
def test_a_cache_record_of_builtins_of_other_types_is_an_unusable_cache(
    tmp_path: Path, field: int, value: object
) -> None:
    """A cache.db record that marshal reads, with a field of another type (a title of 12345, a url of None),
    stopped every build with a TypeError in the rendering until cache.db was deleted."""
    config = _plain_site(tmp_path)
    assert build_within(config, BOUND).returncode == 0
    with contextlib.closing(sqlite3.connect(tmp_path / ".feedpub" / "cache.db")) as db, db:
        path, data = db.execute("SELECT path, record FROM files WHERE path LIKE '%p1.md'").fetchone()
        record = list(marshal.loads(data))
        record[field] = value
        db.execute("UPDATE files SET record = ? WHERE path = ?", (marshal.dumps(tuple(record), 4), path))
    _edit_a_post(tmp_path)
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "unusable cache" in finished.stderr and "rebuilding" in finished.stderr
    titles = [item["title"] for item in json.loads((tmp_path / "out" / "feed.json").read_bytes())["items"]]
    assert titles == ["Post 3", "Post 2", "Post 1"]
    assert build_within(config, BOUND).returncode == 0


def test_a_cache_record_claiming_billions_of_items_is_an_unusable_cache_under_a_memory_limit(tmp_path: Path) -> None:
    """A 5-byte cache.db record, "[" and a length of 2^31 - 1: marshal asked for 2^31 slots, and under a memory
    limit (`ulimit -v`, as a shared host or a CI runner sets one) every build stopped with exit 70, the cache never
    discarded."""
    config = _plain_site(tmp_path)
    assert build_within(config, BOUND).returncode == 0
    with contextlib.closing(sqlite3.connect(tmp_path / ".feedpub" / "cache.db")) as db, db:
        claim = b"[" + (2**31 - 1).to_bytes(4, "little")
        db.execute("UPDATE files SET record = ? WHERE path LIKE '%p1.md'", (claim,))
    _edit_a_post(tmp_path)
    limited = f'ulimit -v 3000000; exec "{sys.executable}" -m feedpub build --config "{config}"'
    first, again = (subprocess.run(["sh", "-c", limited], capture_output=True, text=True, timeout=BOUND) for _ in "12")
    assert first.returncode == 0, first.stderr
    assert "unusable cache (MemoryError); discarding it and rebuilding" in first.stderr
    assert again.returncode == 0 and "unusable cache" not in again.stderr, again.stderr
    titles = [item["title"] for item in json.loads((tmp_path / "out" / "feed.json").read_bytes())["items"]]
    assert titles == ["Post 3", "Post 2", "Post 1"]


def test_a_last_build_record_nested_past_the_parsers_depth_builds_again(tmp_path: Path) -> None:
    """meta.last_build of `[[[[…` 2,000 deep: a RecursionError on every build."""
    config = _plain_site(tmp_path)
    assert build_within(config, BOUND).returncode == 0
    with contextlib.closing(sqlite3.connect(tmp_path / ".feedpub" / "cache.db")) as db, db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'last_build'", ("[" * 2000,))
    (tmp_path / ".feedpub" / "standing.marshal").unlink(missing_ok=True)
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "unreadable record of the last build" in finished.stderr


@pytest.mark.parametrize("count", [10**400, 1e308, -5, True], ids=["10e400", "1e308", "negative", "true"])
@pytest.mark.parametrize("field", ["published_posts", "skipped"])
def test_a_last_build_record_of_a_count_no_build_makes_builds_again(tmp_path: Path, field: str, count: object) -> None:
    """meta.last_build saying 10**400 posts were published was reported as it was, by every build that found
    nothing changed."""
    config = _plain_site(tmp_path)
    assert build_within(config, BOUND).returncode == 0
    with contextlib.closing(sqlite3.connect(tmp_path / ".feedpub" / "cache.db")) as db, db:
        (text,) = db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()
        crafted = json.dumps({**json.loads(text), field: count})
        db.execute("UPDATE meta SET value = ? WHERE key = 'last_build'", (crafted,))
    (tmp_path / ".feedpub" / "standing.marshal").unlink(missing_ok=True)
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "unreadable record of the last build" in finished.stderr
    assert "3 posts published, 0 rejected, 0 skipped" in finished.stdout


def test_a_no_change_record_of_an_exit_code_no_run_has_builds_again(tmp_path: Path) -> None:
    """standing.marshal is replayed as it says: an exit code of 2**32 + 1, which Python's exit takes for 1, made
    every build that found nothing changed fail."""
    config = _plain_site(tmp_path)
    assert build_within(config, BOUND).returncode == 0
    path = tmp_path / ".feedpub" / standing.STANDING_NAME
    record = standing.load_record(str(path))
    assert record is not None and record["exit"] == 0
    payload = marshal.dumps({**record, "exit": 2**32 + 1})
    digest = hashlib.blake2b(payload, digest_size=16).digest()
    path.write_bytes(standing._MAGIC + len(payload).to_bytes(8, "big") + digest + payload)
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "3 posts published" in finished.stdout


def test_a_posts_folder_named_as_another_builds_output_folder_is_still_read(tmp_path: Path) -> None:
    """A made-up `"folders": {"_posts/sub": …}` in outputs.json took that subfolder for the output folder of a
    `build --output`: its posts were never read again (4 became 2, unpublished silently, past the shrink guard).
    A folder that holds none of the files its record names as feedpub's is not one feedpub wrote into."""
    config = _plain_site(tmp_path, posts=4)
    sub = tmp_path / "_posts" / "sub"
    sub.mkdir()
    for name in ("2024-01-01-p1.md", "2024-01-02-p2.md"):
        (tmp_path / "_posts" / name).rename(sub / name)
    assert build_within(config, BOUND).returncode == 0
    record_path = tmp_path / ".feedpub" / "outputs.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    record["folders"]["_posts/sub"] = {"files": ["rss.xml", "2024-01-01-p1.md", "../../out/rss.xml"]}
    record_path.write_text(json.dumps(record), encoding="utf-8")
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "_posts/sub is named as another build's output folder, but holds none" in finished.stderr
    titles = [item["title"] for item in json.loads((tmp_path / "out" / "feed.json").read_bytes())["items"]]
    assert titles == ["Post 4", "Post 3", "Post 2", "Post 1"]


@pytest.mark.parametrize("target", ["an existing file", "no file"])
def test_a_linked_cache_is_replaced_and_nothing_outside_is_written(tmp_path: Path, target: str) -> None:
    """SQLite follows a link: a committed .feedpub/cache.db -> a file outside the site turned that file into a
    database, and a dangling one made one there. Now the link is removed, with a warning, and the cache made in
    .feedpub."""
    site = tmp_path / "site"
    site.mkdir()
    config = _plain_site(site)
    outside = tmp_path / "outside.txt"
    if target == "an existing file":
        outside.write_bytes(b"")
    (site / ".feedpub").mkdir()
    (site / ".feedpub" / "cache.db").symlink_to(outside)
    finished = build_within(config, BOUND)
    assert finished.returncode == 0, finished.stderr
    assert "cache.db: unusable cache (a link, which feedpub never follows)" in finished.stderr
    assert outside.exists() == (target == "an existing file")
    assert not outside.exists() or outside.read_bytes() == b""
    cache = site / ".feedpub" / "cache.db"
    assert not cache.is_symlink() and cache.stat().st_size > 0
    assert "Post 3" in (site / "out" / "feed.json").read_text(encoding="utf-8")


def test_a_linked_lock_is_refused_and_nothing_outside_is_made(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    config = _plain_site(site)
    outside = tmp_path / "outside-lock"
    (site / ".feedpub").mkdir()
    (site / ".feedpub" / "lock").symlink_to(outside)
    finished = build_within(config, BOUND)
    assert finished.returncode == 2, finished.stderr
    assert ".feedpub/lock) is a link, which feedpub never follows; remove the link" in finished.stderr
    assert not outside.exists()
    assert not (site / "out").exists()


@pytest.mark.parametrize("readonly", [False, True])
def test_a_linked_ping_state_is_refused_and_nothing_outside_is_written(tmp_path: Path, readonly: bool) -> None:
    from feedpub.errors import OutputError
    from feedpub.state.pings import PingState

    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"keep")  # not empty: a dry run (readonly) opens an existing state file
    (tmp_path / ".feedpub").mkdir()
    state = tmp_path / ".feedpub" / "state.db"
    state.symlink_to(outside)
    with pytest.raises(OutputError, match=r"state\.db: unusable ping state \(a link, which"):
        PingState.open(state, readonly=readonly)
    assert outside.read_bytes() == b"keep"


def test_a_linked_temporary_in_the_state_folder_is_never_written_through(tmp_path: Path) -> None:
    """The no-change record is written to a temporary named by the process id: a committed link by that name had
    the file it names overwritten."""
    from feedpub.plain_files import NotAPlainFile, write_plain_file

    outside = tmp_path / "outside.txt"
    outside.write_text("keep", encoding="utf-8")
    (tmp_path / ".x.tmp").symlink_to(outside)
    with pytest.raises(NotAPlainFile, match="a link, which feedpub never follows"):
        write_plain_file(tmp_path / ".x.tmp", b"record")
    assert outside.read_text(encoding="utf-8") == "keep"
    write_plain_file(tmp_path / ".y.tmp", b"record")
    assert (tmp_path / ".y.tmp").read_bytes() == b"record"


LINE_BREAKS = ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("mark", LINE_BREAKS, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKS])
def test_a_post_named_with_a_line_break_is_never_kept_in_the_dates_file(tmp_path: Path, mark: str) -> None:
    """str.splitlines breaks a line at these too: a post so named got a line in the dates file which then read as
    two, and every later build stopped ("expected <path><TAB>...") however often the line was deleted."""
    config = _plain_site(tmp_path)
    text = config.read_text(encoding="utf-8").replace("[posts]\n", '[posts]\ndates_file = "feedpub-dates.txt"\n')
    config.write_text(text, encoding="utf-8")
    (tmp_path / "_posts" / f"a{mark}b.md").write_text("---\ntitle: Undated\n---\nx\n", encoding="utf-8")
    (tmp_path / "_posts" / "plain.md").write_text("---\ntitle: Kept\n---\nx\n", encoding="utf-8")
    for _ in range(2):
        finished = build_within(config, BOUND, "--now", "2030-01-01T00:00:00Z")
        assert finished.returncode == 0, finished.stderr
        assert "Undated" in (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")
    lines = (tmp_path / "feedpub-dates.txt").read_text(encoding="utf-8").split("\n")
    assert [line.split("\t")[0] for line in lines if line and not line.startswith("#")] == ["_posts/plain.md"]


def test_an_undated_post_the_dates_file_cannot_keep_is_told_of_by_name_at_every_build(tmp_path: Path) -> None:
    """Undated posts named with a tab, a CR, U+2028 or bytes that are not UTF-8 were left out of the dates file
    without a word: dated by their files' times at every build, their URLs and ids moved after a touch or a fresh
    checkout. Each is published, and told of by name, with why and what to do."""
    config = _plain_site(tmp_path)
    posts = os.fsencode(tmp_path / "_posts")
    names = [b"tab\tname.md", b"cr\rname.md", "ls\u2028name.md".encode(), b"bad\xffname.md"]
    for name in names:
        with open(os.path.join(posts, name), "w", encoding="utf-8") as post:
            post.write("---\ntitle: Undated\n---\nx\n")
    for _ in range(2):
        finished = build_within(config, BOUND, "--now", "2030-01-01T00:00:00Z")
        assert finished.returncode == 0, finished.stderr
        told = [line for line in finished.stderr.splitlines() if "which feedpub-dates.txt cannot keep" in line]
        assert len(told) == 4, finished.stderr
        for name in names:
            shown = repr(os.fsdecode(os.path.join(posts, name)))
            assert any(line.startswith(f"feedpub: warning: {shown}: no date, and its path ") for line in told), shown
        assert all(line.endswith("add a date: to its front matter, or rename it") for line in told)
        (tmp_path / "_posts" / "2024-01-01-p1.md").touch()  # a change: the next build reads the posts again


@pytest.mark.parametrize("mark", LINE_BREAKS, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKS])
def test_a_dates_file_line_is_read_as_it_is_written(tmp_path: Path, mark: str) -> None:
    """A line an older feedpub wrote for such a name is one line, as every line is: ended by a newline alone (or
    a checkout's CRLF)."""
    from feedpub.state.first_dates import load_dates

    dates = tmp_path / "feedpub-dates.txt"
    dates.write_bytes(
        f"# dates\n_posts/a{mark}b.md\t2024-01-02T03:04:05+00:00\r\n_posts/c.md\t2024-01-03T00:00:00+09:00\n".encode()
    )
    known = load_dates(dates)
    assert known.get(f"{tmp_path}/_posts/a{mark}b.md") is not None
    assert known.get(f"{tmp_path}/_posts/c.md") is not None
