"""Git dates (read/dates.py) against `git log` itself, on real repositories: renames, deletions, re-adds, merges.

The dates come from `git log --name-only -- <posts>` read newest first; on a history without merges feedpub makes
that log with `git diff-tree` processes in parallel. Whatever way it takes, the log and the dates must be the same.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedpub.api import run_build
from feedpub.config import load_config
from feedpub.read import dates as dates_module
from feedpub.read.dates import GitDates, LastCommit, _changes_log, _read_git_dates, _read_recent_git_dates
from feedpub.state.first_dates import under
from tests.conftest import write_config
from tests.hostile import build_within, commit_all, git

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def reference_log(site: Path, pathspec: str) -> str:
    """The straightforward way: one `git log` of the whole history, every name NUL-ended and never quoted (-z)."""
    log = ("log", "--format=%x00%ct %aI", "--name-only", "--no-renames", "-z", "--", pathspec)
    return git(site, *log)


def reference_dates(site: Path, pathspec: str) -> dict[str, LastCommit]:
    """The first time `git log` (newest first) names each file, by its real path: its output is "\0<time> <date>\0"
    a commit, then "\n" and its names, each ended by "\0"."""
    dates: dict[str, LastCommit] = {}
    for header, names in _commits(site, pathspec):
        time, authored = header.split(" ")
        for name in names:
            dates.setdefault(str((site.resolve() / name).resolve()), LastCommit(int(time), authored))
    return dates


def _commits(site: Path, pathspec: str) -> list[tuple[str, list[str]]]:
    """Each commit of reference_log: its header and the names it lists."""
    commits: list[tuple[str, list[str]]] = []
    tokens = reference_log(site, pathspec).split("\0")
    position = 0
    while position < len(tokens):
        if tokens[position] == "" and position + 1 < len(tokens) and tokens[position + 1]:
            header, names = tokens[position + 1], []
            position += 2
            while position < len(tokens) and tokens[position]:
                names.append(tokens[position].removeprefix("\n") if not names else tokens[position])
                position += 1
            commits.append((header, names))
        else:
            position += 1
    return commits


def epoch(when: str) -> int:
    return int(datetime.fromisoformat(when).timestamp())


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def linear_site(site: Path) -> Path:
    """A history without merges: adds, edits, a rename, deletions, re-adds, a commit dated before its parent."""
    posts = site / "_posts"
    git(site.parent, "init", "-q", "-b", "main", site.name)
    write(posts / "first.md", "first\n")
    write(site / "config.toml", "[site]\n")
    commit_all(site, "2020-01-01T00:00:00+00:00")  # the first commit holds a post
    write(posts / "b.md", "b\n")
    write(posts / "sub" / "c.md", "c\n")
    commit_all(site, "2020-02-01T00:00:00+00:00")
    write(site / "about.md", "outside the posts\n")
    commit_all(site, "2020-03-01T00:00:00+00:00")
    write(posts / "first.md", "first, edited\n")
    commit_all(site, "2020-04-01T00:00:00+00:00")
    git(site, "mv", "_posts/b.md", "_posts/renamed.md")
    commit_all(site, "2020-05-01T00:00:00+00:00")
    (posts / "sub" / "c.md").unlink()
    commit_all(site, "2020-06-01T00:00:00+00:00")
    write(posts / "sub" / "c.md", "c again\n")
    commit_all(site, "2019-01-01T00:00:00+00:00")  # older than its parent: the log still names it first
    for name in ("tab\tname.md", 'quote"name.md', "back\\slash.md", "한글 이름.md"):  # quoted by git, or not
        write(posts / name, "odd name\n")
    commit_all(site, "2020-08-01T00:00:00+00:00")
    (posts / "first.md").unlink()
    commit_all(site, "2020-09-01T00:00:00+00:00")
    write(posts / "first.md", "first, edited\n")  # the same content back: the re-add is its date
    commit_all(site, "2020-10-01T00:00:00+00:00")
    write(posts / "renamed.md", "changed in the work tree only\n")
    write(posts / "untracked.md", "never committed\n")
    write(site / "HEAD", "a file named like the revision\n")
    return posts


def merged_site(site: Path) -> Path:
    """Merges: a post added on two branches, one merge that simplification follows to one side only."""
    posts = site / "_posts"
    git(site.parent, "init", "-q", "-b", "main", site.name)
    write(posts / "a.md", "a\n")
    commit_all(site, "2020-01-01T00:00:00+00:00")
    git(site, "checkout", "-q", "-b", "side")
    write(posts / "both.md", "same\n")
    commit_all(site, "2020-03-01T00:00:00+00:00")
    write(posts / "side.md", "side\n")
    commit_all(site, "2020-03-02T00:00:00+00:00")
    git(site, "checkout", "-q", "main")
    write(posts / "both.md", "same\n")
    commit_all(site, "2020-02-01T00:00:00+00:00")
    write(posts / "main.md", "main\n")
    commit_all(site, "2020-04-01T00:00:00+00:00")
    git(site, "merge", "-q", "--no-ff", "-m", "merge side", "side", when="2020-05-01T00:00:00+00:00")
    git(site, "checkout", "-q", "-b", "late")
    write(posts / "x.md", "x\n")
    commit_all(site, "2021-02-15T00:00:00+00:00")  # newer than main's commit of the same file
    git(site, "checkout", "-q", "main")
    write(posts / "x.md", "x\n")
    commit_all(site, "2021-02-01T00:00:00+00:00")
    # The merge's posts equal main's: `git log -- _posts` walks main's side only, and x.md is main's.
    git(site, "merge", "-q", "--no-ff", "-m", "merge late", "late", when="2020-12-01T00:00:00+00:00")
    (posts / "a.md").unlink()
    commit_all(site, "2021-03-01T00:00:00+00:00")
    write(posts / "a.md", "a is back\n")
    commit_all(site, "2021-04-01T00:00:00+00:00")
    return posts


@pytest.fixture(scope="module")
def linear(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("linear") / "site"
    linear_site(site)
    return site


@pytest.fixture(scope="module")
def merged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("merged") / "site"
    merged_site(site)
    return site


def repo_arguments(site: Path) -> list[str]:
    top = str(site.resolve())
    return [f"--git-dir={top}/.git", f"--work-tree={top}", "-C", top]


@pytest.mark.parametrize(("workers", "min_commits"), [(1, 500), (2, 1), (3, 2)], ids=["one", "many", "uneven"])
@pytest.mark.parametrize("folder", ["_posts", "."], ids=["posts_folder", "repository_top"])
def test_log_without_merges_is_git_logs_in_every_split(
    linear: Path, folder: str, workers: int, min_commits: int
) -> None:
    site = linear
    expected = reference_log(site, folder)

    assert _changes_log(repo_arguments(site), folder, workers, min_commits) == expected
    assert _read_git_dates(site, site / folder, workers) == reference_dates(site, folder)


def test_dates_without_merges_are_each_files_last_change(linear: Path) -> None:
    site, posts = linear, linear / "_posts"

    dates = _read_git_dates(site, posts, workers=2)

    assert dates == reference_dates(site, "_posts")
    assert dates[str((posts / "sub" / "c.md").resolve())].time == epoch("2019-01-01T00:00:00+00:00")  # the re-add
    assert dates[str((posts / "renamed.md").resolve())].time == epoch("2020-05-01T00:00:00+00:00")  # the rename
    assert dates[str((posts / "first.md").resolve())].time == epoch("2020-10-01T00:00:00+00:00")
    assert dates[str((posts / "한글 이름.md").resolve())].time == epoch("2020-08-01T00:00:00+00:00")
    assert str((posts / "tab\tname.md").resolve()) in dates  # a name git would quote without -z
    assert str((posts / "untracked.md").resolve()) not in dates
    assert str((site / "about.md").resolve()) not in dates


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_a_post_is_dated_as_its_real_file_through_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, relative: bool
) -> None:
    """The scan names posts under the configured folder, which may be a link, and a post file may be a link to
    another: each is dated as the file it really is, the one git names."""
    site = tmp_path / "site"
    posts = linear_site(site)
    (site / "posts-link").symlink_to("_posts", target_is_directory=True)
    (posts / "alias.md").symlink_to("renamed.md")  # a link to a tracked post, itself untracked
    (posts / "sub" / "alias.md").symlink_to("../first.md")
    monkeypatch.chdir(site)
    root = Path("posts-link") if relative else site / "posts-link"
    reference = reference_dates(site, "_posts")
    dates = GitDates(root, site)
    names = ["first.md", "renamed.md", "alias.md", "sub/c.md", "sub/alias.md", "한글 이름.md", "untracked.md"]

    got = {name: dates.get(f"{root}/{name}") for name in names}

    assert got == {name: getattr(reference.get(os.path.realpath(posts / name)), "time", None) for name in names}
    assert got["alias.md"] == got["renamed.md"] == epoch("2020-05-01T00:00:00+00:00")
    assert got["sub/alias.md"] == got["first.md"] == epoch("2020-10-01T00:00:00+00:00")
    assert got["untracked.md"] is None


def test_first_commit_lists_its_files_as_the_repository_says(tmp_path: Path) -> None:
    site = tmp_path / "site"
    posts = site / "_posts"
    git(tmp_path, "init", "-q", "-b", "main", "site")
    write(posts / "old.md", "in the first commit only\n")
    commit_all(site, "2020-01-01T00:00:00+00:00")
    write(posts / "new.md", "new\n")
    commit_all(site, "2020-02-01T00:00:00+00:00")
    git(site, "config", "log.showRoot", "false")

    dates = _read_git_dates(site, posts, workers=2)

    new = str((posts / "new.md").resolve())
    assert (
        dates == reference_dates(site, "_posts") == {new: (epoch("2020-02-01T00:00:00Z"), "2020-02-01T00:00:00+00:00")}
    )


def test_dates_with_merges_follow_git_logs_simplification(merged: Path) -> None:
    site, posts = merged, merged / "_posts"

    dates = _read_git_dates(site, posts, workers=2)

    assert _changes_log(repo_arguments(site), "_posts", 2, 1) == reference_log(site, "_posts")
    assert dates == reference_dates(site, "_posts")
    assert dates[str((posts / "x.md").resolve())].time == epoch("2021-02-01T00:00:00+00:00")  # main's side, not late's
    assert dates[str((posts / "both.md").resolve())].time == epoch("2020-03-01T00:00:00+00:00")  # both sides: the newer
    assert dates[str((posts / "a.md").resolve())].time == epoch("2021-04-01T00:00:00+00:00")
    assert dates[str((posts / "side.md").resolve())].time == epoch("2020-03-02T00:00:00+00:00")


def test_no_commit_yet_gives_no_dates(tmp_path: Path) -> None:
    site = tmp_path / "site"
    git(tmp_path, "init", "-q", "-b", "main", "site")
    write(site / "_posts" / "a.md", "a\n")
    with pytest.raises(subprocess.CalledProcessError):
        reference_log(site, "_posts")
    assert _read_git_dates(site, site / "_posts", workers=2) == {}


def _undated_site_with_git_calls(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> tuple[Path, Path, Path, Path]:
    """A site in a git repository of `count` undated posts, a commit each a month apart from 2021-01, and a `git` on
    PATH that appends each command line it runs to a file: the site, its posts folder, its config, that file."""
    site = tmp_path / "site"
    posts = site / "_posts"
    git(tmp_path, "init", "-q", "-b", "main", "site")
    for n in range(count):
        write(posts / f"{n:06d}_undated.md", f"---\ntitle: post {n}\n---\n<p>{n}</p>\n")
        commit_all(site, f"2021-0{n + 1}-01T00:00:00+00:00")
    calls = tmp_path / "git-calls"
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(f'#!/bin/sh\necho "$*" >> {calls}\nexec {shutil.which("git")} "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}:{os.environ['PATH']}")
    return site, posts, write_config(site), calls


def test_a_dates_file_that_dates_every_undated_post_spares_the_git_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A site that commits feedpub-dates.txt builds without git, as a fresh CI checkout does (cold, pool reading)."""
    site, posts, config, calls = _undated_site_with_git_calls(tmp_path, monkeypatch, 6)
    now = datetime(2025, 1, 1, tzinfo=UTC)

    first = run_build(load_config(config), now, use_cache=False, workers=2, pool_threshold=0)
    assert len(first.dated) == 6 and calls.exists()  # dated by git, and the dates kept in the dates file
    feeds = {f.name: f.path.read_bytes() for f in first.files}
    calls.unlink()
    again = run_build(load_config(config), now, use_cache=False, workers=2, pool_threshold=0)
    assert not calls.exists()
    assert {f.name: f.path.read_bytes() for f in again.files} == feeds
    write(posts / "000009_new.md", "---\ntitle: a new undated post\n---\n<p>new</p>\n")
    commit_all(site, "2022-01-01T00:00:00+00:00")
    run_build(load_config(config), now, use_cache=False, workers=2, pool_threshold=0)
    assert calls.exists()  # one post the dates file does not know: git is asked again


@given(
    base=st.sampled_from(["/", "/site", "/srv/site", "/a b/사이트"]),
    name=st.lists(st.sampled_from(["_posts", "x.md", ".", "..", "", "a b", "글.md", ".hidden"]), min_size=1, max_size=5)
    .map("/".join)
    .filter(bool),
)
def test_a_dates_file_line_names_the_path_normpath_would(base: str, name: str) -> None:
    """The dates file's paths are joined to its folder without normpath where that gives normpath's answer."""
    assert under(base, name) == os.path.normpath(os.path.join(base, name))


def test_a_planted_partial_clone_runs_no_program_when_git_dates_a_post(tmp_path: Path) -> None:
    """A .git written into the site folder, a partial clone whose root tree is missing: `git log` fetched it on
    demand from the promisor remote, over an ssh whose core.sshCommand ran a program. No transport is allowed."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_posts" / "undated.md").write_text("---\ntitle: undated\n---\nNo date anywhere.\n", encoding="utf-8")
    git(site, "init", "-q")
    commit_all(site, "2003-03-03T00:00:00+00:00")
    tree = git(site, "rev-parse", "HEAD^{tree}").strip()
    (site / ".git" / "objects" / tree[:2] / tree[2:]).unlink()
    marker = tmp_path / "marker"
    for key, value in (
        ("core.repositoryformatversion", "1"),
        ("extensions.partialClone", "origin"),
        ("remote.origin.url", "ssh://nowhere.invalid/x.git"),
        ("remote.origin.promisor", "true"),
        ("core.sshCommand", f"touch {marker}; false"),
    ):
        git(site, "config", key, value)
    config = write_config(site)
    run_build(load_config(config), datetime(2025, 1, 1, tzinfo=UTC))
    assert not marker.exists()


@pytest.mark.parametrize("fifo", ["included", "included-by-an-include", "packed-refs", "none"])
def test_a_repository_git_would_wait_on_dates_posts_by_their_files_once(tmp_path: Path, fifo: str) -> None:
    """.git/config including a FIFO (git opens every include at the start of every command), or a FIFO in place of
    .git/packed-refs: git waited on it within each undated post's time limit, asked again for each post, and
    every one was rejected 10 s later (44 s for four). git is asked once, outside the posts' time limits: an
    include that is not a regular file is not given to git at all, and git stuck on a file is stopped after 10 s;
    the posts are dated by their files' times, with a warning that names the problem. A regular include is
    followed as git follows it, and the dates are git's."""
    site = tmp_path / "site"
    git(tmp_path, "init", "-q", "-b", "main", "site")
    for n in range(4):
        write(site / "_posts" / f"undated-{n}.md", f"---\ntitle: Undated {n}\n---\nNo date.\n")
    commit_all(site, "2021-03-04T05:06:07+00:00")
    git(site, "pack-refs", "--all")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    included = tmp_path / "included.inc"  # a regular file, itself including the FIFO when asked
    included.write_text(f"[include]\n\tpath = {pipe}\n" if fifo == "included-by-an-include" else "[x]\n\ty = 1\n")
    with (site / ".git" / "config").open("a", encoding="utf-8") as config:
        config.write(f"[include]\n\tpath = {pipe if fifo == 'included' else '../../included.inc'}\n")
    if fifo == "packed-refs":
        (site / ".git" / "packed-refs").unlink()
        os.mkfifo(site / ".git" / "packed-refs")
    config = write_config(site)

    finished = build_within(config, 120, "--now", "2030-01-01T00:00:00+00:00")

    assert finished.returncode == 0, finished.stderr
    assert finished.seconds < 40, finished.seconds
    feed = json.loads((site / "out" / "feed.json").read_text(encoding="utf-8"))
    published = {item["title"]: item["date_published"] for item in feed["items"]}
    assert len(published) == 4
    if fifo == "none":  # a regular file included: git's dates
        assert "warning" not in finished.stderr
        assert set(published.values()) == {"2021-03-04T14:06:07+09:00"}  # the commit's time, in Asia/Seoul
        return
    assert "2021-03-04T14:06:07+09:00" not in published.values()
    reason = "more than 10 s" if fifo == "packed-refs" else f"includes {pipe}, which is not a regular file"
    assert finished.stderr.count(reason) == 1, finished.stderr
    assert "dated by their files' times" in finished.stderr


def fast_imported_site(site: Path, commits: int) -> Path:
    """A long history made at once by `git fast-import`: a post added by each commit, older posts edited, one
    deleted and added back, one renamed, a branch merged twice (one of its posts also added on main), names git
    quotes and names that look like options, dates out of order."""
    posts = site / "_posts"
    git(site.parent, "init", "-q", "-b", "main", site.name)
    odd = ['quote"d.md', "new\nline.md", "-dash.md", "--help.md", "back\\slash.md", "tab\there.md", "한글 글.md"]
    odd += ["é-nfc.md", "e\u0301-nfd.md", "sp ace.md", ":colon.md", "*star?.md"]
    stream: list[bytes] = []
    mark = 0

    def commit(branch: str, when: int, changes: list[str], merge: int | None = None) -> int:
        nonlocal mark
        mark += 1
        message = f"commit {mark}".encode()
        lines = [f"commit refs/heads/{branch}", f"mark :{mark}"]
        lines += [f"author A <a@example.kr> {when} +0900", f"committer C <c@example.kr> {when - 3600} +0000"]
        stream.append("\n".join(lines).encode() + b"\n" + b"data %d\n%s\n" % (len(message), message))
        if branch == "side" and not previous[branch]:
            stream.append(f"from :{fork}\n".encode())  # the branch starts there; later commits follow its tip
        if merge is not None:
            stream.append(f"merge :{merge}\n".encode())
        for change in changes:
            stream.append(change.encode() + b"\n")
        previous[branch] = mark
        return mark

    def add(name: str, text: str) -> str:
        data = text.encode()
        quoted = '"' + name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
        return f"M 100644 inline {quoted}\ndata {len(data)}\n{text}"

    previous = {"main": 0, "side": 0}
    fork = 0
    start = 1_600_000_000
    for n in range(commits):
        when = start + n * 86_400 - (5 * 86_400 if n % 37 == 0 else 0)  # now and then dated before its parent
        changes = [add(f"_posts/{n:04d}_post.md", f"post {n}\n")]
        if n % 10 == 9:
            changes.append(add(f"_posts/{n // 2:04d}_post.md", f"post {n // 2}, edited at {n}\n"))
        if n < len(odd):
            changes.append(add(f"_posts/{odd[n]}", f"odd {n}\n"))
        if n == 40:
            changes.append("D _posts/0003_post.md")
        if n == 60:
            changes.append(add("_posts/0003_post.md", "post 3\n"))  # added back as it was
        if n == 70:
            changes.append('R "_posts/0004_post.md" "_posts/0004_renamed.md"')
        if n == 80:
            changes.append(add("about.md", "outside the posts\n"))
        if n == commits - 30:
            fork = previous["main"]
            commit("side", when, [add("_posts/side-1.md", "side\n"), add("_posts/both.md", "both\n")])
            commit("side", when + 10, [add(f"_posts/{commits - 40:04d}_post.md", "edited on the side\n")])
            changes.append(add("_posts/both.md", "both\n"))
        if n == commits - 10:
            commit("main", when, changes, merge=previous["side"])
            continue
        commit("main", when, changes)
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    subprocess.run(["git", "fast-import", "--quiet"], input=b"".join(stream), cwd=site, env=env, check=True)
    git(site, "reset", "-q", "--hard")
    write(posts / "untracked.md", "never committed\n")
    return posts


@pytest.fixture(scope="module")
def long_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("long") / "site"
    fast_imported_site(site, 450)
    return site


def every_file(posts: Path) -> list[str]:
    return sorted(str(path) for path in posts.rglob("*") if path.is_file())


@pytest.mark.parametrize("site_of", ["linear", "merged", "long_history"])
@pytest.mark.parametrize("recent", [1, 3, 200])
def test_the_newest_commits_date_each_file_they_name_as_the_whole_log_does(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, site_of: str, recent: int
) -> None:
    site = request.getfixturevalue(site_of)
    monkeypatch.setattr(dates_module, "RECENT_COMMITS", recent)
    # The first `recent` commits of the whole log, and the files they name.
    named = {str(site.resolve() / name) for _, names in _commits(site, "_posts")[:recent] for name in names}
    whole = reference_dates(site, "_posts")

    dates = _read_recent_git_dates(site, site / "_posts")

    assert dates is not None and dates.keys() == named
    assert dates == {path: whole[path] for path in named}


@pytest.mark.parametrize("site_of", ["linear", "merged", "long_history"])
def test_a_few_expected_posts_get_the_dates_the_whole_log_gives_them(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, site_of: str
) -> None:
    """Whichever files are expected, and whichever are then asked for (expected or not, named by the newest
    commits or only by older ones, never committed), each gets the date the whole log gives it."""
    site = request.getfixturevalue(site_of)
    posts = site / "_posts"
    whole = GitDates(posts, site)
    files = every_file(posts)
    expected_dates = {path: whole.get(path) for path in files}
    assert sum(date is not None for date in expected_dates.values()) >= len(files) // 2
    full_reads: list[Path] = []
    real_read = dates_module._read_git_dates
    monkeypatch.setattr(
        dates_module, "_read_git_dates", lambda start, posts: full_reads.append(start) or real_read(start, posts)
    )
    newest_first = sorted(files, key=lambda path: -(expected_dates[path] or 0))
    undated = [path for path in files if expected_dates[path] is None][:1]  # never committed, or quoted by git
    for expected in (newest_first[:1], newest_first[:3], newest_first[-2:], files[:5], undated):
        for asked in (expected, files):
            dates = GitDates(posts, site)
            dates.expect(expected)
            full_reads.clear()
            assert {path: dates.get(path) for path in asked} == {path: expected_dates[path] for path in asked}
    dates = GitDates(posts, site)
    dates.expect(newest_first[:1])
    full_reads.clear()
    assert dates.get(newest_first[0]) == expected_dates[newest_first[0]]
    assert full_reads == []  # named by the newest commits: the whole log is not read


def test_odd_names_many_commits_and_merges_are_dated_as_before(long_history: Path) -> None:
    """On 450 commits with a merge, a rename, a delete and re-add and names git quotes (quotes, line breaks, tabs,
    backslashes) or that look like options or pathspec magic: expected or not, every file's date is the one the
    whole log gives, names git quotes without -z included."""
    site, posts = long_history, long_history / "_posts"
    files = every_file(posts)
    reference = reference_dates(site, "_posts")
    old = {path: getattr(reference.get(os.path.realpath(path)), "time", None) for path in files}
    assert old[str(posts / "new\nline.md")] is not None and old[str(posts / 'quote"d.md')] is not None
    assert old[str(posts / "-dash.md")] is not None and old[str(posts / "한글 글.md")] is not None
    assert old[str(posts / "0004_renamed.md")] is not None and str(posts / "0004_post.md") not in files
    for name in ('quote"d.md', "new\nline.md", "-dash.md", "--help.md", "0003_post.md", "both.md", "0449_post.md"):
        dates = GitDates(posts, site)
        dates.expect([str(posts / name)])
        assert {path: dates.get(path) for path in files} == old, name


@pytest.mark.parametrize("pool", [False, True], ids=["serial", "process-pool"])
def test_a_post_added_since_the_dates_file_asks_git_of_the_newest_commits_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: bool
) -> None:
    """A site that keeps its dates file asks git only about the undated posts added since, which the newest commits
    added: git's log of those commits dates them, not the whole history's (3 s of CPU on 10,000 posts). The post's
    date is the one the whole log gives; a post no commit holds yet still makes git read it all."""
    site, posts, config, calls = _undated_site_with_git_calls(tmp_path, monkeypatch, 8)
    now = datetime(2025, 1, 1, tzinfo=UTC)
    options = {"workers": 2, "pool_threshold": 0} if pool else {"workers": 1}
    run_build(load_config(config), now, use_cache=False, **options)  # type: ignore[arg-type]
    write(posts / "000009_new.md", "---\ntitle: a new undated post\n---\n<p>new</p>\n")
    commit_all(site, "2022-01-01T00:00:00+00:00")
    write(site / "about.md", "a later commit that changes no post\n")
    commit_all(site, "2022-02-01T00:00:00+00:00")
    calls.unlink()

    report = run_build(load_config(config), now, use_cache=False, **options)  # type: ignore[arg-type]

    logs = [line for line in calls.read_text(encoding="utf-8").splitlines() if " log " in f" {line} "]
    assert len(logs) == 1 and f"--max-count={dates_module.RECENT_COMMITS}" in logs[0], logs
    new = str(posts / "000009_new.md")
    assert [(path, moment.isoformat()) for path, moment in report.dated] == [(new, "2022-01-01T09:00:00+09:00")]
    write(posts / "000010_uncommitted.md", "---\ntitle: not committed yet\n---\n<p>soon</p>\n")
    calls.unlink()
    run_build(load_config(config), now, use_cache=False, **options)  # type: ignore[arg-type]
    logs = [line for line in calls.read_text(encoding="utf-8").splitlines() if " log " in f" {line} "]
    assert len(logs) == 2 and "--max-count" not in logs[1], logs  # the newest commits do not name it: all of them
