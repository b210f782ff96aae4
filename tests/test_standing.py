"""The record a build leaves for the next one (state/standing.py): a run answers from it only when the whole check
(api.run_build) would find nothing changed, and then prints what that check's run prints."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from feedpub.config import load_config
from feedpub.read import settings_for
from feedpub.read.scan import scan
from feedpub.state import standing
from tests.conftest import feedpub_process, write_config

Change = Callable[[Path], object]


def feedpub(site: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return feedpub_process(*args, cwd=site, env=env)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def post(site: Path, name: str, title: str, body: str = "<p>본문</p>") -> Path:
    return write(site / "_posts" / name, f"---\ntitle: {title}\n---\n{body}\n")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A plain site of four posts, an undated one among them, built once: its record is written (with the dates
    file the build wrote, checked by its bytes)."""
    write_config(tmp_path, extra='[ping]\nindexnow_key_env = "TEST_INDEXNOW_KEY"\n')
    post(tmp_path, "2024-01-02-first.md", "첫 글")
    post(tmp_path, "2024-02-03-second.md", "둘째 글")
    post(tmp_path, "2024/old/2023-05-06-nested.md", "안쪽 글")
    post(tmp_path, "123456_abcdef.md", "날짜 없는 글")
    result = feedpub(tmp_path, "build")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "feedpub-dates.txt").is_file() and (tmp_path / ".feedpub" / "standing.marshal").exists()
    return tmp_path


def answer(site: Path, monkeypatch: pytest.MonkeyPatch, *args: str, **environ: str) -> standing.Replay | None:
    monkeypatch.chdir(site)
    return standing.replay(["build", *args], {**os.environ, **environ})


def test_a_run_after_a_build_answers_from_the_record(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert (site / ".feedpub" / "standing.marshal").is_file()
    replayed = answer(site, monkeypatch)
    assert replayed is not None
    assert replayed.exit_code == 0
    assert replayed.stderr == []
    assert replayed.stdout[0].endswith(" s (nothing changed since the last build)")
    assert answer(site, monkeypatch, "--quiet", "--json", "--wait=3", "--config=config.toml") is not None


def _edit_post(site: Path) -> None:
    with (site / "_posts" / "2024-01-02-first.md").open("a", encoding="utf-8") as file:
        file.write("<p>더</p>\n")


def _touch_post(site: Path) -> None:
    path = site / "_posts" / "2024" / "old" / "2023-05-06-nested.md"
    info = path.stat()
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))


def _edit_output(site: Path) -> None:
    path = site / "out" / "rss.xml"
    path.write_bytes(path.read_bytes().replace(b"</channel>", b"<!-- hand --></channel>"))


def _same_bytes_again(site: Path) -> None:
    """An output written again with the bytes and time it had: only its change time (and inode) show it."""
    path = site / "out" / "feed.json"
    data, info = path.read_bytes(), path.stat()
    path.unlink()
    path.write_bytes(data)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def _edit_dates_file(site: Path) -> None:
    path = site / "feedpub-dates.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("2026", "2025").replace("2027", "2025"), "utf-8")
    with path.open("a", encoding="utf-8") as file:
        file.write("# edited\n")


CHANGES: dict[str, Change] = {
    "post edited": _edit_post,
    "post touched": _touch_post,
    "post added": lambda site: post(site, "2024-03-04-third.md", "셋째 글"),
    "post added in a new folder": lambda site: post(site, "2025/2024-03-04-third.md", "셋째 글"),
    "post removed": lambda site: (site / "_posts" / "2024-02-03-second.md").unlink(),
    "post renamed": lambda site: (site / "_posts" / "2024-02-03-second.md").rename(
        site / "_posts" / "2024-02-03-renamed.md"
    ),
    "folder renamed": lambda site: (site / "_posts" / "2024" / "old").rename(site / "_posts" / "2024" / "older"),
    "a file beside the posts": lambda site: write(site / "_posts" / "notes.txt", "x"),
    "config edited": lambda site: write(
        site / "config.toml", (site / "config.toml").read_text("utf-8").replace("테스트 사이트", "새 이름")
    ),
    "output edited": _edit_output,
    "output removed": lambda site: (site / "out" / "atom.xml").unlink(),
    "output written again": _same_bytes_again,
    "published.json edited": lambda site: write(site / ".feedpub" / "published.json", "{}"),
    "cache removed": lambda site: (site / ".feedpub" / "cache.db").unlink(),
    "dates file edited": _edit_dates_file,
    "record garbled": lambda site: (site / ".feedpub" / "standing.marshal").write_bytes(b"{\xda\x03key"),
}


@pytest.mark.parametrize("change", CHANGES.values(), ids=CHANGES.keys())
def test_any_change_sends_the_run_to_the_whole_check(
    site: Path, monkeypatch: pytest.MonkeyPatch, change: Change
) -> None:
    assert answer(site, monkeypatch) is not None
    change(site)
    assert answer(site, monkeypatch) is None


def test_other_options_places_and_environments_are_not_answered(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert answer(site, monkeypatch, "--config", "config.toml") is not None
    assert answer(site, monkeypatch, "--now", "2025-01-01") is None
    assert answer(site, monkeypatch, "--no-cache") is None
    assert answer(site, monkeypatch, "--allow-shrink") is None
    assert answer(site, monkeypatch, "--output", "elsewhere") is None
    assert answer(site, monkeypatch, "--quiet", "--quiet") is None
    assert answer(site, monkeypatch, "--wait", "-1") is None
    assert answer(site, monkeypatch, TEST_INDEXNOW_KEY="a-new-key") is None  # the key file must be written
    assert answer(site, monkeypatch, GITHUB_ACTIONS="true") is None  # workflow commands to print
    assert answer(site, monkeypatch, HOME="/elsewhere") is None  # "~" in the config's paths
    (site / "sub").mkdir()
    monkeypatch.chdir(site / "sub")
    assert standing.replay(["build", "--config", "../config.toml"], os.environ) is None  # names print otherwise


def test_feedpubs_code_changing_sends_the_run_to_the_whole_check(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert answer(site, monkeypatch) is not None
    monkeypatch.setattr(standing, "code_stamp", lambda: "another version")
    assert answer(site, monkeypatch) is None


def test_the_clock_leaving_the_outputs_window_sends_the_run_to_the_whole_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path)
    post(tmp_path, "2024-01-02-first.md", "첫 글")
    due = time.time() + 3600
    moment = time.strftime("%Y-%m-%d %H:%M:%S +0000", time.gmtime(due))
    write(tmp_path / "_posts" / "later.md", f"---\ntitle: 예약 글\ndate: {moment}\n---\n<p>곧</p>\n")
    assert feedpub(tmp_path, "build").returncode == 0
    assert answer(tmp_path, monkeypatch) is not None
    monkeypatch.setattr(standing.time, "time", lambda: due + 1)
    assert answer(tmp_path, monkeypatch) is None  # the scheduled post is due
    monkeypatch.setattr(standing.time, "time", lambda: 0.0)
    assert answer(tmp_path, monkeypatch) is None  # a clock set back: published posts go back to waiting


def test_a_run_holding_the_lock_sends_the_run_to_the_cli(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; d = os.open(sys.argv[1], os.O_RDWR); fcntl.flock(d, fcntl.LOCK_EX); "
            "print('held', flush=True); time.sleep(60)",
            str(site / ".feedpub" / "lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert answer(site, monkeypatch) is None
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    assert answer(site, monkeypatch) is not None
    descriptor = os.open(site / ".feedpub" / "lock", os.O_RDWR)
    try:  # released by the answer: a build can take it at once
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(descriptor)


def test_an_included_file_edited_sends_the_run_to_the_whole_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_config(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(config.read_text("utf-8").replace('dirs = ["_posts"]', 'dirs = ["_posts"]\ntemplates = "liquid"'))
    write(tmp_path / "_posts" / "part.txt", "<p>조각</p>\n")
    post(tmp_path, "2024-01-02-first.md", "첫 글", "{% include_relative part.txt %}")
    assert feedpub(tmp_path, "build").returncode == 0
    assert "조각" in (tmp_path / "out" / "feed.json").read_text("utf-8")
    assert answer(tmp_path, monkeypatch) is not None
    write(tmp_path / "_posts" / "part.txt", "<p>다른 조각</p>\n")
    assert answer(tmp_path, monkeypatch) is None


def test_no_record_where_stats_cannot_tell(tmp_path: Path) -> None:
    """A post that is a link (its target may change with nothing here changing), a build without the cache. (A
    Jekyll or Hugo site's: tests/test_standing_generators.py.)"""
    linked, uncached = tmp_path / "linked", tmp_path / "uncached"
    for folder in (linked, uncached):
        folder.mkdir()
    write_config(linked)
    post(linked, "2024-01-02-first.md", "첫 글")
    target = write(linked / "_posts" / "_kept" / "2024-01-03-kept.md", "---\ntitle: 연결\n---\n<p>x</p>\n")
    (linked / "_posts" / "2024-01-03-link.md").symlink_to(target)
    write_config(uncached)
    post(uncached, "2024-01-02-first.md", "첫 글")
    for folder, args in ((linked, ()), (uncached, ("--no-cache",))):
        result = feedpub(folder, "build", *args)
        assert result.returncode == 0, result.stderr
        assert not (folder / ".feedpub" / "standing.marshal").exists(), folder


def _without_seconds(text: str) -> str:
    return re.sub(r'in [0-9.]+ s|"seconds": [0-9.]+', "in N s", text)


@pytest.mark.parametrize("options", [(), ("--json",), ("--quiet",)])
def test_the_answer_is_what_the_whole_check_prints(tmp_path: Path, options: tuple[str, ...]) -> None:
    write_config(tmp_path)
    post(tmp_path, "2024-01-02-first.md", "첫 글")
    write(tmp_path / "_posts" / "2024-01-03-bad.md", "---\ntitle: [unclosed\n---\n<p>x</p>\n")
    first = feedpub(tmp_path, "build")
    assert first.returncode == 1, first.stderr
    record = tmp_path / ".feedpub" / "standing.marshal"
    answered = feedpub(tmp_path, "build", *options)
    assert standing.load_record(str(record))["exit"] == 1
    record.unlink()  # the next run makes the whole check, and finds nothing changed
    checked = feedpub(tmp_path, "build", *options)
    if not options:
        assert checked.stdout.endswith(" s (nothing changed since the last build)\n")
    if "--json" in options:
        assert json.loads(checked.stdout)["unchanged"] is True
    assert (answered.returncode, answered.stderr) == (checked.returncode, checked.stderr) == (1, checked.stderr)
    assert "_posts/2024-01-03-bad.md: " in answered.stderr
    assert _without_seconds(answered.stdout) == _without_seconds(checked.stdout)
    assert record.exists()  # the whole check's run left the record again


def test_the_listing_is_the_scans_own(tmp_path: Path) -> None:
    """listing_now walks the posts' folders as the scan does: equal digests on a site of every shape the scan
    tells apart (hidden and "_" names, nested folders, files that are not posts, an empty folder)."""
    write_config(tmp_path, extra="")
    post(tmp_path, "2024-01-02-first.md", "첫 글")
    post(tmp_path, "_drafts/2024-01-03-draft.md", "초안")
    post(tmp_path, "2024/05/2024-05-06-deep.html", "깊은 글")
    write(tmp_path / "_posts" / ".hidden" / "x.md", "---\ntitle: x\n---\n")
    write(tmp_path / "_posts" / ".swp", "x")
    write(tmp_path / "_posts" / "_note.md", "---\ntitle: n\n---\n")
    write(tmp_path / "_posts" / "image.jpg", "jpeg")
    (tmp_path / "_posts" / "empty").mkdir()
    settings = settings_for(load_config(tmp_path / "config.toml"))
    found = scan(settings)
    assert found.listing is not None
    assert standing.listing_holds((), found.listing)
    image = tmp_path / "_posts" / "image.jpg"
    os.utime(image, ns=(0, image.stat().st_mtime_ns + 1))  # the first name of all, the last looked at
    assert not standing.listing_holds((), found.listing)
    os.utime(image, ns=(0, image.stat().st_mtime_ns - 1))
    assert standing.listing_holds((), found.listing)
    write(tmp_path / "_posts" / "empty" / "new.txt", "x")
    assert not standing.listing_holds((), found.listing)


@pytest.mark.parametrize("most", [5, 6], ids=["one-past-the-most", "at-the-most"])
def test_a_listing_past_the_most_kept_is_let_go_while_walking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, most: int
) -> None:
    """Past MAX_LISTED names the scan keeps no listing, and lets go of the names as soon as it is past them, not
    after walking every folder (1M posts: ~200 MB of names and numbers held to be dropped)."""
    monkeypatch.setattr(standing, "MAX_LISTED", most)
    listing = standing.Listing()
    first, _ = listing.folder("/a")
    first += ["x", "y", "z"]
    listing.walked(first)
    assert listing.folders
    second, _ = listing.folder("/b")
    second += ["p", "q", "r"]
    listing.walked(second)  # six names in all
    listing.folder("/c")
    if most == 5:
        assert listing.folders == [] and listing.kept() is None
    else:
        assert [path for path, _, _ in listing.folders] == ["/a", "/b", "/c"]
        assert listing.kept() is not None


def test_a_site_whose_output_is_inside_its_posts_folder_is_answered(tmp_path: Path) -> None:
    """The output folder and the dates file are not walked (not posts, and builds write them): the record holds."""
    config = write_config(tmp_path, posts_dir=".")
    config.write_text(config.read_text("utf-8").replace('dir = "out"', 'dir = "feeds"'), "utf-8")
    write(tmp_path / "2024-01-02-first.md", "---\ntitle: 첫 글\n---\n본문\n")
    assert feedpub(tmp_path, "build").returncode == 0
    again = feedpub(tmp_path, "build", "--json")
    assert json.loads(again.stdout)["unchanged"] is True
    assert json.loads(again.stdout)["seconds"] < 10
    skipped = standing.load_record(str(tmp_path / ".feedpub" / "standing.marshal"))["skipped"]
    assert skipped == [str(tmp_path.resolve() / "feeds"), str(tmp_path.resolve() / "feedpub-dates.txt")]


def test_a_posts_folder_reached_through_a_link_leaves_no_record(tmp_path: Path) -> None:
    """`ln -sfn release-2 posts`: nothing of the record changes, yet the posts are others; every later run
    answered from the old folder. A site whose paths go through a link keeps the whole check."""
    for release, title in (("release-1", "첫 판"), ("release-2", "둘째 판")):
        write(tmp_path / release / "2024-01-02-a.md", f"---\ntitle: {title}\n---\n<p>x</p>\n")
    (tmp_path / "posts").symlink_to("release-1")
    write_config(tmp_path, posts_dir="posts")
    assert feedpub(tmp_path, "build").returncode == 0
    assert not (tmp_path / ".feedpub" / "standing.marshal").exists()
    (tmp_path / "posts").unlink()
    (tmp_path / "posts").symlink_to("release-2")
    assert feedpub(tmp_path, "build").returncode == 0
    assert "둘째 판" in (tmp_path / "out" / "feed.json").read_text("utf-8")


def test_a_file_changed_while_the_build_ran_leaves_no_record(site: Path) -> None:
    """A config edited while the build read it, or an output replaced after the build wrote it, was recorded as
    it stood after the build: every later run answered from that."""
    folder = str(site / ".feedpub")
    config = str(site / "config.toml")
    before = standing.file_state(config)
    record = standing.load_record(str(site / ".feedpub" / "standing.marshal"))
    rss = str(site / "out" / "rss.xml")
    digest = hashlib.sha256((site / "out" / "rss.xml").read_bytes()).hexdigest()

    def remember(unchanged_since: dict[str, list[Any]], written: dict[str, str]) -> bool:
        standing.remember(
            folder,
            record["key"],
            [config],
            {"TEST_INDEXNOW_KEY": None},
            unchanged_since=unchanged_since,
            written=written,
            skipped=[],
            paths=[],
            listing=record["listing"],
            since=None,
            until=None,
            dependencies=[],
            stderr=[],
            summary=("", ""),
            report="{}",
            exit_code=0,
        )
        return (site / ".feedpub" / "standing.marshal").exists()

    assert remember({config: before}, {rss: digest})
    (site / "config.toml").write_text((site / "config.toml").read_text("utf-8") + "\n", "utf-8")
    assert not remember({config: before}, {rss: digest})
    assert remember({config: standing.file_state(config)}, {rss: digest})
    dates = str(site / "feedpub-dates.txt")  # written by the build: its bytes are what it wrote, or no record
    written = hashlib.sha256((site / "feedpub-dates.txt").read_bytes()).hexdigest()
    assert remember({config: standing.file_state(config)}, {rss: digest, dates: written})
    (site / "feedpub-dates.txt").write_text("# pulled meanwhile\n", "utf-8")
    assert not remember({config: standing.file_state(config)}, {rss: digest, dates: written})
    (site / "out" / "rss.xml").write_text("<rss/>", "utf-8")
    assert not remember({config: standing.file_state(config)}, {rss: digest})


@pytest.mark.parametrize(
    "garbled",
    [b"[\xff\xff\xff\x7f", b"[" * 60, b"feedpub standing\n" + bytes(24) + b"{"],
    ids=["huge-list", "deep-lists", "bad-digest"],
)
def test_a_garbled_record_is_ignored_at_once(site: Path, monkeypatch: pytest.MonkeyPatch, garbled: bytes) -> None:
    """marshal took a garbled length at its word: five bytes held a run for 4 s, sixty for 44 s."""
    path = site / ".feedpub" / "standing.marshal"
    data = path.read_bytes()
    path.write_bytes(garbled)
    started = time.monotonic()
    assert answer(site, monkeypatch) is None
    assert time.monotonic() - started < 2
    path.write_bytes(data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])  # one bit of its text flipped
    assert answer(site, monkeypatch) is None


def test_odd_streams_and_folders_get_the_whole_checks_answer(site: Path) -> None:
    """A closed stdout raised AttributeError in the answer, an ASCII one UnicodeEncodeError; a working folder
    deleted under the run ended every build in an internal error (exit 70)."""
    config = str(site / "config.toml")
    closed = subprocess.run(
        ["sh", "-c", f'"{sys.executable}" -m feedpub build --config "{config}" -q >&-'],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (closed.returncode, closed.stderr) == (0, "")
    ascii_run = feedpub(site, "build", "--json", env={"PYTHONIOENCODING": "ascii"})
    assert ascii_run.returncode == 0 and json.loads(ascii_run.stdout)["unchanged"] is True
    gone = site / "gone"
    gone.mkdir()
    script = f'cd "{gone}" && rmdir "{gone}" && "{sys.executable}" -m feedpub build --config "{config}"'
    for _ in range(2):
        deleted = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=120)
        assert deleted.returncode == 0, deleted.stderr
        assert "internal error" not in deleted.stderr
        gone.mkdir()


def test_a_rejected_post_named_in_bytes_that_are_not_utf8_stops_no_build(tmp_path: Path) -> None:
    """Its path went into the cache's record of the last build, which SQLite refused: exit 70 at every build."""
    write_config(tmp_path)
    post(tmp_path, "2024-01-02-first.md", "첫 글")
    name = os.fsencode(tmp_path / "_posts") + b"/2024-01-03-\xff.md"
    with open(name, "wb") as file:
        file.write(b"---\ntitle: [unclosed\n---\nx\n")
    for _ in range(2):
        result = feedpub(tmp_path, "build")
        assert result.returncode == 1, result.stderr
        assert "internal error" not in result.stderr and "2024-01-03-" in result.stderr


def test_a_killed_builds_temporaries_go_with_the_next_run_that_finds_nothing_changed(site: Path) -> None:
    """A build killed after staging (its record removed as it started) left .rss.xml.…tmp files beside the outputs;
    every later run found nothing changed, and they stayed served for good."""
    (site / ".feedpub" / "standing.marshal").unlink()  # as the killed build's start left it
    left = [site / "out" / ".rss.xml.a1b2c3.tmp", site / ".feedpub" / ".published.json.d4e5.tmp"]
    for path in left:
        path.write_text("half", encoding="utf-8")
    result = feedpub(site, "build")
    assert result.returncode == 0 and "nothing changed" in result.stdout
    assert not any(path.exists() for path in left)


@pytest.mark.parametrize("which", ["_posts", "out"])
def test_a_configured_folder_become_a_link_sends_the_run_to_the_whole_check(
    site: Path, monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    """`mv _posts ../elsewhere; ln -s ../elsewhere/_posts _posts`: the same names and stats through the link, and
    the record answered; the whole check refuses a posts folder linked out of the site."""
    assert answer(site, monkeypatch) is not None
    elsewhere = site.parent / f"elsewhere-{which}"
    (site / which).rename(elsewhere)
    (site / which).symlink_to(elsewhere)
    assert answer(site, monkeypatch) is None


def test_an_undated_post_named_in_bytes_that_are_not_utf8_stops_no_build(tmp_path: Path) -> None:
    """Its first date could not be written into the (UTF-8) dates file: exit 70 at every build, nothing written."""
    write_config(tmp_path)
    post(tmp_path, "2024-01-02-first.md", "첫 글")
    with open(os.fsencode(tmp_path / "_posts") + b"/\xff-undated.md", "wb") as file:
        file.write("---\ntitle: 날짜 없음\n---\nx\n".encode())
    for _ in range(2):
        result = feedpub(tmp_path, "build")
        assert result.returncode == 0, result.stderr
        assert "날짜 없음" in (tmp_path / "out" / "feed.json").read_text("utf-8")


def test_a_scans_digest_is_of_all_its_files_whatever_their_number() -> None:
    # Hashed a slice of the files at a time (1M paths joined at once were ~330 MB): the digest is the whole's.
    from array import array

    from feedpub.models import Scan, SourceFile

    files = tuple(SourceFile(f"/site/_posts/2024-01-01-글-{n}.md", n, 10**18 + n, n % 7 == 0, 0) for n in range(25_001))
    whole = hashlib.blake2b(repr(()).encode())
    whole.update("\0".join(f.path for f in files).encode("utf-8", "surrogateescape"))
    whole.update(array("q", [n for f in files for n in (f.size, f.mtime_ns, f.ignored)]).tobytes())
    assert Scan(files).digest() == whole.hexdigest()
    assert Scan(files[:-1]).digest() != whole.hexdigest()


def test_a_post_published_ahead_of_its_date_is_no_clock_going_back(tmp_path: Path) -> None:
    """Jekyll's `future: true` publishes a post dated 2099: the record took its date for a time builds had passed,
    so every later run warned that the clock went back, and built everything again."""
    site = tmp_path / "site"
    write(site / "_config.yml", "title: T\nurl: https://example.org\nfuture: true\n")
    write(site / "_posts" / "2024-01-01-now.md", "---\ntitle: Now\n---\nx\n")
    write(site / "_posts" / "2099-01-01-later.md", "---\ntitle: Later\n---\nx\n")
    assert feedpub(tmp_path, "init", "--from-jekyll", "site").returncode == 0
    first = feedpub(tmp_path, "build", "--json", "--now", "2025-01-01")
    assert first.returncode == 0 and json.loads(first.stdout)["published"] == 2, first.stdout
    again = feedpub(tmp_path, "build", "--json", "--now", "2025-01-02")
    assert again.returncode == 0, again.stderr
    assert "clock" not in again.stderr
    assert json.loads(again.stdout)["unchanged"] is True


def test_a_local_zone_is_read_again_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`timezone = "local"` dates posts in the zone of the process (TZ, else the machine's): a run under another TZ
    is another build, its posts dated again, not an answer from the record of the last."""
    config = write_config(tmp_path)
    config.write_text(config.read_text("utf-8").replace('"Asia/Seoul"', '"local"'), "utf-8")
    write(tmp_path / "_posts" / "2024-01-02-morning.md", "---\ntitle: 아침\ndate: 2024-01-02 08:00:00\n---\n<p>x</p>\n")
    assert feedpub(tmp_path, "build", env={"TZ": "Asia/Seoul"}).returncode == 0
    assert "<published>2024-01-02T08:00:00+09:00</published>" in (tmp_path / "out" / "atom.xml").read_text("utf-8")
    assert answer(tmp_path, monkeypatch, TZ="Asia/Seoul") is not None
    assert answer(tmp_path, monkeypatch, TZ="UTC") is None
    assert feedpub(tmp_path, "build", env={"TZ": "UTC"}).returncode == 0
    assert "<published>2024-01-02T08:00:00+00:00</published>" in (tmp_path / "out" / "atom.xml").read_text("utf-8")
