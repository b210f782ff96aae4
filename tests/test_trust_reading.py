"""What a post folder may hold that feedpub must not trust: links swapped in, planted git repositories, pipes,
hostile markup, and a build killed midway. Black-box: only the CLI, files on disk, exit codes and /proc.

Numbers in the docstrings are the findings of the security issue each test guards.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import run, write_config
from tests.hostile import (
    add_signed_looking_commit,
    build_measured,
    build_within,
    commit_all,
    git,
    group_members,
    kill_group,
    marker_script,
    start_build,
)

FEEDS = ("rss.xml", "atom.xml", "feed.json")
OK_POST = "2024-01-01-control.md"  # published in every site here: a hostile post must not cost it its place
# Correctness bounds, not benchmarks: a fixed build does each of these in well under a second on one core; the
# bounds leave room for a loaded CI machine. The current code takes minutes (or forever) on each.
HOSTILE_BODY_BOUND = 20.0  # finding 4
SLOW_INPUT_BOUND = 15.0  # finding 11
SLOW_INPUT_MAX_RSS_MB = 300  # finding 11: 5 MB of "&amp;" peaked at 415 MB
FIFO_BOUND = 30.0  # finding 7
KILLED_BUILD_GRACE = 5.0  # finding 7: seconds for a killed build's processes to be gone
POOLED_POSTS = 2_500  # finding 7: well past the 400 files from which a cold build reads in a process pool


def make_site(folder: Path, posts: dict[str, str], extra: str = "") -> Path:
    """A site at `folder` with the control post and `posts` (name -> whole file text); returns its config."""
    (folder / "_posts").mkdir(parents=True, exist_ok=True)
    (folder / "_posts" / OK_POST).write_text("---\ntitle: control post\n---\nStill here.\n", encoding="utf-8")
    for name, text in posts.items():
        (folder / "_posts" / name).write_text(text, encoding="utf-8")
    return write_config(folder, extra=extra)


def with_liquid(config: Path) -> Path:
    config.write_text(config.read_text().replace("[posts]\n", '[posts]\ntemplates = "liquid"\n'), encoding="utf-8")
    return config


def outputs(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in (folder / "out").rglob("*") if p.is_file()}


def assert_feeds_parse_with_control_post(folder: Path) -> None:
    out = folder / "out"
    for name in ("rss.xml", "atom.xml", "sitemap.xml"):
        etree.parse(str(out / name))  # raises on an ill-formed feed
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    assert "control post" in [item.get("title") for item in feed["items"]]


def assert_only_rejected(returncode: int | None, stderr: str, name: str) -> None:
    """Exit 0, or 1 with `name` the one post rejected as `path: reason`; never a traceback or an internal error."""
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr[-2000:]
    assert returncode in (0, 1), (returncode, stderr[-2000:])
    lines = stderr.splitlines()
    if returncode == 1:
        assert lines and all(f"{name}: " in line for line in lines), lines
    else:
        assert lines == [], lines


# --- finding 1: a cached post swapped for a link to a private file ------------------------------------------


def test_cached_post_swapped_for_symlink_to_private_file_leaks_nothing(tmp_path: Path) -> None:
    """Finding 1: a cached (future) post replaced by a same-size, same-mtime link to a file outside the site."""
    site, private = tmp_path / "site", tmp_path / "private"
    private.mkdir()
    text = "---\ntitle: later\n---\n" + "Public words for later. " * 20 + "\n"
    config = make_site(site, {"2026-06-01-later.md": text})
    first = run("build", "--config", config, "--now", "2025-01-01")
    assert first.exit_code == 0, first.output  # the post is read and cached, not published: it is future
    post = site / "_posts" / "2026-06-01-later.md"
    secret = private / "id_secret"
    secret.write_text(("SECRET-KEY-MATERIAL-" * 100)[: len(text.encode())], encoding="utf-8")
    before = post.stat()
    post.unlink()
    post.symlink_to(secret)
    os.utime(secret, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert post.stat().st_size == before.st_size  # the scan sees what it cached: same size, same mtime

    result = run("build", "--config", config, "--now", "2027-01-01")

    assert result.exit_code in (0, 1), result.output
    leaking = [name for name, data in outputs(site).items() if b"SECRET-KEY-MATERIAL" in data]
    assert leaking == [], "the private file's text was published"
    if result.exit_code == 1:
        assert re.search(r"2026-06-01-later\.md: .*symbolic link", result.output), result.output


# --- finding 2: a git repository planted inside the posts folder ----------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def in_some_repository(folder: Path) -> bool:
    found = subprocess.run(["git", "-C", str(folder), "rev-parse", "--git-dir"], capture_output=True, check=False)
    return found.returncode == 0


def undated_site(tmp_path: Path, site_repository: bool) -> tuple[Path, Path]:
    """A site with one post dated by nothing but git or its file time; the site itself in git if asked."""
    site = tmp_path / "site"
    config = make_site(site, {"undated.md": "---\ntitle: undated\n---\nNo date anywhere.\n"})
    if site_repository:
        git(site, "init", "-q")
        commit_all(site, when="2003-03-03T04:05:06+00:00")  # the site's own history: the date to use
    elif in_some_repository(tmp_path):
        pytest.skip(f"{tmp_path} is inside a git repository; the case needs a site outside any")
    return site, config


def plant_repository(posts: Path, config: str) -> None:
    """A repository inside the posts folder, its own commit dated 2001-02-03 and its config set to `config`."""
    git(posts, "init", "-q")
    commit_all(posts, when="2001-02-03T04:05:06+00:00")
    add_signed_looking_commit(posts, when_epoch=981173106)  # 2001-02-03T04:05:06Z
    with (posts / ".git" / "config").open("a", encoding="utf-8") as handle:
        handle.write(config)


@needs_git
@pytest.mark.parametrize("site_repository", [True, False], ids=["below_site_repository", "no_site_repository"])
def test_git_config_planted_in_posts_folder_runs_nothing(tmp_path: Path, site_repository: bool) -> None:
    """Finding 2: a .git planted in the posts folder must not make feedpub's git run the planter's programs."""
    site, config = undated_site(tmp_path, site_repository)
    marker = tmp_path / "code-ran"
    script = marker_script(tmp_path, marker)
    # log.showSignature makes `git log` run gpg.program on every signed commit; fsmonitor runs on index refresh.
    plant_repository(
        site / "_posts",
        f"[log]\n\tshowSignature = true\n[gpg]\n\tprogram = {script}\n[core]\n\tfsmonitor = {script}\n",
    )

    result = build_within(config, 60, "--now", "2025-01-01")

    assert result.returncode in (0, 1), result.stderr
    assert not marker.exists(), "feedpub ran a program named by a git config inside the posts folder"


@needs_git
@pytest.mark.parametrize(
    ("site_repository", "expected"),
    [(True, "03 Mar 2003"), (False, "05 May 2005")],
    ids=["below_site_repository_its_commit", "no_site_repository_file_time"],
)
def test_git_repository_planted_in_posts_folder_gives_no_dates(
    tmp_path: Path, site_repository: bool, expected: str
) -> None:
    """Finding 2: dates come from the site's own repository (else the file time), never from one below it."""
    site, config = undated_site(tmp_path, site_repository)
    plant_repository(site / "_posts", "")
    file_time = datetime(2005, 5, 5, 3, tzinfo=UTC).timestamp()
    os.utime(site / "_posts" / "undated.md", (file_time, file_time))

    result = build_within(config, 60, "--now", "2025-01-01")

    assert result.returncode == 0, result.stderr
    rss = (site / "out" / "rss.xml").read_text(encoding="utf-8")
    dates = re.findall(r"<pubDate>([^<]*)</pubDate>", rss)
    assert not any("2001" in d for d in dates), dates  # the planted repository's commit
    assert any(expected in d for d in dates), dates


# --- finding 3: one character reference stops every build ---------------------------------------------------

REFERENCES = {"c0_control": "&#1;", "noncharacter_fffe": "&#xFFFE;", "escape": "&#x1b;"}
CARRIERS = {
    "raw_html_block_in_markdown": ("2024-01-02-reference.md", "<p>before {ref} after</p>\n"),
    "html_post": ("2024-01-02-reference.html", "<p>before {ref} after</p>"),
}


@pytest.mark.parametrize("carrier", CARRIERS.values(), ids=list(CARRIERS))
@pytest.mark.parametrize("reference", REFERENCES.values(), ids=list(REFERENCES))
def test_character_reference_to_xml_invalid_character_stops_no_build(
    tmp_path: Path, reference: str, carrier: tuple[str, str]
) -> None:
    """Finding 3: `&#1;`, `&#xFFFE;`, `&#x1b;` in a post's HTML: every other post published, every feed XML."""
    name, body = carrier
    config = make_site(tmp_path, {name: "---\ntitle: reference\n---\n" + body.format(ref=reference)})

    result = run("build", "--config", config, "--now", "2025-01-01")

    assert_only_rejected(result.exit_code, result.stderr, name)
    assert_feeds_parse_with_control_post(tmp_path)


@pytest.mark.parametrize(
    "front", ["categories: !!set {b: null, a: null}", "tags: !!set {rust, go}", "title: [!!set {x}]"]
)
def test_a_yaml_set_in_front_matter_rejects_its_post(tmp_path: Path, front: str) -> None:
    """`categories: !!set {b: null, a: null}`: PyYAML made a Python set, so the post's URL (/:categories/…), its
    categories or its title were its repr, in an order that changed with each run's hash seed. Its items have no
    order, and Jekyll refuses it: the post is rejected by name."""
    name = "2024-02-01-set.md"
    config = make_site(tmp_path, {name: f"---\n{front}\n---\nA set.\n"})

    result = run("build", "--config", config, "--now", "2025-01-01")

    assert result.exit_code == 1
    assert_only_rejected(result.exit_code, result.stderr, name)
    assert "front matter holds a YAML set (!!set)" in result.stderr
    assert_feeds_parse_with_control_post(tmp_path)


@pytest.mark.parametrize(
    "front", ['title: "form\x0cfeed"\npermalink: /form/', "title: a\x1bb", "# \ufffe", "x: [a\x01]"]
)
def test_a_character_yaml_refuses_in_front_matter_rejects_its_post(tmp_path: Path, front: str) -> None:
    """A control character or U+FFFE in front matter: every YAML reader refuses it (Jekyll publishes the post
    without its front matter, Hugo stops). Dropped before the YAML was read, as from a body, the post was published
    with a permalink neither generator takes. It is rejected by name, at its line; a body's is still dropped."""
    name = "2024-02-01-ctrl.md"
    config = make_site(tmp_path, {name: f"---\n{front}\n---\nA form\x0cfeed.\n", "2024-02-02-body.md": "A\x0cb.\n"})

    result = run("build", "--config", config, "--now", "2025-01-01")

    assert result.exit_code == 1
    assert_only_rejected(result.exit_code, result.stderr, name)
    assert f"{name}: front matter holds U+" in result.stderr
    assert_feeds_parse_with_control_post(tmp_path)


# --- findings 4 and 11: inputs that hold a build for minutes -------------------------------------------------

HOSTILE_BODIES = {
    "a_tags_without_end_10kb": ("x.html", "<a" * 5001),  # the issue's: cubic in the tag regex
    "unclosed_tags_with_attributes": ("x.html", "<div class=x " * 20_000),
    "one_tag_many_attributes_no_end": ("x.html", "<p " + 'a="1" ' * 200_000),
    "deep_div_nesting_100k": ("x.html", "<div>" * 100_000 + "deep" + "</div>" * 100_000),
    "brackets_1m_markdown": ("x.md", "[" * 1_000_000),
    "amp_entities_1m": ("x.md", "&amp;" * 1_000_000),
}


@pytest.mark.parametrize("post", HOSTILE_BODIES.values(), ids=list(HOSTILE_BODIES))
def test_hostile_body_finishes_within_bound(tmp_path: Path, post: tuple[str, str]) -> None:
    """Finding 4: adversarial bodies (cubic/quadratic regex and parser paths) must not hold the build."""
    name, body = post
    name = "2024-01-02-" + name
    config = make_site(tmp_path, {name: "---\ntitle: hostile\n---\n" + body})

    result = build_within(config, HOSTILE_BODY_BOUND, "--now", "2025-01-01")

    assert not result.timed_out, f"build still running after {HOSTILE_BODY_BOUND} s; killed"
    assert_only_rejected(result.returncode, result.stderr, name)
    assert_feeds_parse_with_control_post(tmp_path)


SLOW_INPUTS = {
    "liquid_link_then_1mb_of_brackets": ("x.md", "{% link x %}\n" + "[" * 1_000_000, True),
    "amp_entities_5mb": ("x.md", "&amp;" * 1_000_000, False),
}


@pytest.mark.parametrize("post", SLOW_INPUTS.values(), ids=list(SLOW_INPUTS))
def test_slow_input_finishes_within_bound_and_memory(tmp_path: Path, post: tuple[str, str, bool]) -> None:
    """Finding 11: 1 MB of "[" after a Liquid `{% link %}` (41 s), 5 MB of "&amp;" (18 s, 415 MB)."""
    name, body, liquid = post
    config = make_site(tmp_path, {"2024-01-02-" + name: "---\ntitle: slow\n---\n" + body})
    if liquid:
        with_liquid(config)

    result = build_measured(config, SLOW_INPUT_BOUND, "--now", "2025-01-01")

    assert not result.timed_out, f"build still running after {SLOW_INPUT_BOUND} s; killed"
    assert result.returncode in (0, 1)
    assert result.max_rss_kb < SLOW_INPUT_MAX_RSS_MB * 1024, f"peak memory {result.max_rss_kb // 1024} MB"
    assert_feeds_parse_with_control_post(tmp_path)


# --- finding 7: pool workers orphaned by a killed build; a post swapped for a pipe ---------------------------

needs_fork_and_proc = pytest.mark.skipif(
    not hasattr(os, "fork") or not Path("/proc/self/stat").exists(), reason="needs os.fork and /proc"
)


def many_posts(folder: Path, count: int, extra_posts: dict[str, str] | None = None) -> Path:
    """A site with `count` small Markdown posts: a cold build of it reads them in a process pool."""
    body = "Some *Markdown* with [a link](https://example.kr/) and a list:\n\n- one\n- two\n\n" * 8
    names = (f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}-post-{i:05d}.md" for i in range(count))
    posts = {name: f"---\ntitle: p{i}\n---\n{body}" for i, name in enumerate(names)}
    return make_site(folder, {**posts, **(extra_posts or {})})


def wait_for_reading(pgid: int, posts: Path, limit: float = 60.0) -> None:
    """Return once the build has scanned and is reading posts: pool workers exist, or it holds a post open."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        members = group_members(pgid)
        if len(members) > 1:
            return
        for pid in members:
            try:
                links = [os.readlink(f"/proc/{pid}/fd/{fd}") for fd in os.listdir(f"/proc/{pid}/fd")]
            except OSError:
                continue
            if any(link.startswith(f"{posts}{os.sep}") for link in links):  # a post, not the folder
                return
        time.sleep(0.005)
    raise AssertionError(f"the build did not start reading posts within {limit} s")


@needs_fork_and_proc
def test_killed_pooled_build_leaves_no_process_and_no_lock(tmp_path: Path) -> None:
    """Finding 7: SIGKILL of `feedpub build` while its pool reads must not leave workers holding .feedpub/lock."""
    config = many_posts(tmp_path, POOLED_POSTS)
    build = start_build(config, "--now", "2025-01-01", "--quiet", capture=False)
    try:
        wait_for_reading(build.pid, tmp_path / "_posts")
        time.sleep(0.2)  # the workers are well into their chunks
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + KILLED_BUILD_GRACE
        while (left := group_members(build.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)

        again = build_within(config, 120, "--now", "2025-01-01", "--quiet", "--wait", str(KILLED_BUILD_GRACE))

        assert left == [], f"processes of the killed build still alive {KILLED_BUILD_GRACE} s later: {left}"
        assert again.returncode in (0, 1), (again.returncode, again.stderr)  # 4: the lock is still held
    finally:
        kill_group(build.pid)


@needs_fork_and_proc
def test_post_swapped_for_fifo_mid_build_is_rejected_without_hanging(tmp_path: Path) -> None:
    """Finding 7: a post replaced by a named pipe after the scan must be rejected by name, not block the build."""
    late = "2024-12-31-late.md"  # the newest post: read last, and its body loaded again for the feeds
    config = many_posts(tmp_path, POOLED_POSTS, {late: "---\ntitle: late\n---\nBody.\n"})
    posts = tmp_path / "_posts"
    started = time.monotonic()
    build = start_build(config, "--now", "2025-01-01")
    try:
        wait_for_reading(build.pid, posts)  # the scan has listed the late post as a regular file
        (posts / late).unlink()
        os.mkfifo(posts / late)
        try:
            stdout, stderr = build.communicate(timeout=FIFO_BOUND)
        except subprocess.TimeoutExpired:
            pytest.fail(f"build blocked on the pipe for {time.monotonic() - started:.0f} s; killed")
        assert_only_rejected(build.returncode, stderr, late)
        assert build.returncode == 1 and f"{late}: " in stderr, (build.returncode, stdout, stderr)
    finally:
        kill_group(build.pid)


# --- finding 13: what feeds reveal of files beside the config, and CSS that runs ---------------------------


def test_image_naming_dotenv_does_not_reveal_its_size(tmp_path: Path) -> None:
    """Finding 13: `image: /.env` (static_dir is the config's folder) must not put the .env's size in any feed."""
    env = tmp_path / ".env"
    env.write_text("API_TOKEN=" + "s" * 31_327 + "\n", encoding="utf-8")
    size = env.stat().st_size
    assert size == 31_338
    config = make_site(tmp_path, {"2024-01-02-env.md": "---\ntitle: env\nimage: /.env\n---\nBody.\n"})

    result = run("build", "--config", config, "--now", "2025-01-01")

    assert result.exit_code in (0, 1), result.output
    for name in FEEDS:
        text = (tmp_path / "out" / name).read_text(encoding="utf-8")
        assert not re.search(rf"\b{size}\b", text), f"{name} reveals the size of .env"


@pytest.mark.parametrize("prop", ["width", "color", "background-color"])
def test_css_expression_does_not_survive_in_feed_content(tmp_path: Path, prop: str) -> None:
    """Finding 13: `style="<property>: expression(alert(1))"` (old IE runs it) must not reach any feed."""
    body = f'<p style="{prop}: expression(alert(1))">styled</p>\n'
    config = make_site(tmp_path, {"2024-01-02-css.html": "---\ntitle: css\n---\n" + body})

    result = run("build", "--config", config, "--now", "2025-01-01")

    assert result.exit_code == 0, result.output
    for name in FEEDS:
        text = (tmp_path / "out" / name).read_text(encoding="utf-8").lower()
        assert "expression" not in text, name
        assert "styled" in text, name


def test_front_matter_nested_too_deeply_rejects_its_post_by_name(tmp_path: Path) -> None:
    """A post's TOML nested 3,000 deep was an "unexpected error (RecursionError …)", and a 5,000-digit integer
    "front matter is not closed"; each is rejected with its own reason, and the other posts are published."""
    deep = "+++\ntitle = 'x'\nx = " + "[" * 3000 + "]" * 3000 + "\n+++\nbody\n"
    long_number = "---\ntitle: x\nviews: " + "9" * 5000 + "\n---\nbody\n"
    config = make_site(tmp_path, {"2024-02-01-deep.md": deep, "2024-02-02-number.md": long_number})
    result = run("build", "--config", config, "--now", "2025-01-01")
    assert result.exit_code == 1, result.stderr
    assert "_posts/2024-02-01-deep.md: front matter is nested too deeply to read" in result.stderr
    assert "_posts/2024-02-02-number.md: front matter holds a value that cannot be read (" in result.stderr
    assert "unexpected error" not in result.stderr and "not closed" not in result.stderr
    assert "control post" in (tmp_path / "out" / "feed.json").read_text(encoding="utf-8")


def test_a_hugo_section_index_nested_too_deeply_costs_no_post(tmp_path: Path) -> None:
    """Every post of the section was rejected for its `_index.md` (a RecursionError blamed on each post), and the
    shrink guard then stopped every build; Hugo builds the site, and so does feedpub, ignoring the file."""
    site = tmp_path / "site"
    (site / "content" / "posts").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "https://example.kr/"\ntitle = "t"\n', encoding="utf-8")
    (site / "content" / "posts" / "_index.md").write_text(
        "+++\ntitle = 't'\ncascade = " + "[" * 3000 + "]" * 3000 + "\n+++\n", encoding="utf-8"
    )
    for number in range(3):
        (site / "content" / "posts" / f"p{number}.md").write_text(
            f"---\ntitle: p{number}\ndate: 2024-01-0{number + 1}\n---\nbody\n", encoding="utf-8"
        )
    config = tmp_path / "config.toml"
    result = run("init", "--from-hugo", site, "--config", config)
    assert result.exit_code == 0, result.stderr
    result = run("build", "--config", config, "--now", "2025-01-01")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    items = json.loads((site / "public" / "feed.json").read_text(encoding="utf-8"))["items"]
    assert [item["title"] for item in items] == ["p2", "p1", "p0"]
