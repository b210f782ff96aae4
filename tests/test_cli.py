"""The command as a user runs it: a real process, its stdout, stderr and exit code."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import DATA, feedpub_process, run, write_config

feedpub = feedpub_process


def test_build_summary_line_and_exit_0(site_dir: Path, write_post: Callable[..., Path]) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    write_post("2024-01-03-draft.md", "title: d\ndraft: true")
    result = feedpub("build", "--now", "2025-01-01", cwd=site_dir)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    line = result.stdout.strip()
    assert line.startswith(
        "feedpub: 1 post published, 0 rejected, 1 skipped (draft/future) -> "
        "rss.xml atom.xml feed.json sitemap.xml feeds.html robots.txt (6 written, 0 unchanged) in "
    )
    assert line.endswith(" s")
    again = feedpub("build", "--now", "2025-01-01", cwd=site_dir)
    assert "(0 written, 6 unchanged)" in again.stdout


def test_files_ignored_by_name_are_not_counted_as_skipped(
    site_dir: Path, write_post: Callable[..., Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The count of "skipped (draft/future)" is of posts not published now; a file that is no post is not counted: a
    Hugo section's _index.md made a site of one post say "1 skipped", and so did a plain site's _notes.md, a Jekyll
    site's undated _posts/README.md and a Hugo resource named page.MD."""
    write_post("2024-01-02-hello.md", "title: Hello")
    write_post("_notes.md", "title: Notes")
    write_post("2024-01-03-draft.md", "title: Draft\ndraft: true")
    plain = feedpub("build", "--now", "2025-01-01", cwd=site_dir)
    assert plain.returncode == 0, plain.stderr
    assert "1 post published, 0 rejected, 1 skipped (draft/future)" in plain.stdout

    hugo = tmp_path_factory.mktemp("hugo")
    (hugo / "hugo.toml").write_text("baseURL = 'https://me.example.net/'\ntitle = 't'\n", encoding="utf-8")
    (hugo / "content" / "posts").mkdir(parents=True)
    (hugo / "content" / "posts" / "_index.md").write_text("---\ntitle: Posts\n---\n", encoding="utf-8")
    (hugo / "content" / "posts" / "a.md").write_text("---\ntitle: A\ndate: 2024-01-01\n---\nx\n", encoding="utf-8")
    (hugo / "content" / "posts" / "page.MD").write_text("a resource: Hugo's extensions are case-sensitive\n", "utf-8")
    assert feedpub("init", "--from-hugo", ".", "--config", "feedpub.toml", cwd=hugo).returncode == 0
    built = feedpub("build", "--config", "feedpub.toml", "--now", "2025-01-01", cwd=hugo)
    assert built.returncode == 0, built.stderr
    assert "1 post published, 0 rejected, 0 skipped (draft/future)" in built.stdout

    jekyll = tmp_path_factory.mktemp("jekyll")
    (jekyll / "_config.yml").write_text('title: t\nurl: "https://me.example.com"\n', encoding="utf-8")
    (jekyll / "_posts").mkdir()
    (jekyll / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: a\n---\nA.\n", encoding="utf-8")
    (jekyll / "_posts" / "2024-01-02-b.md").write_text("---\ntitle: b\npublished: false\n---\nB.\n", "utf-8")
    (jekyll / "_posts" / "README.md").write_text("Undated: Jekyll reads no post of it.\n", encoding="utf-8")
    assert feedpub("init", "--from-jekyll", ".", cwd=jekyll).returncode == 0
    built = feedpub("build", "--now", "2025-01-01", cwd=jekyll)
    assert built.returncode == 0, built.stderr
    assert "1 post published, 0 rejected, 1 skipped (draft/future)" in built.stdout
    (jekyll / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: a\n---\nA again.\n", encoding="utf-8")
    again = feedpub("build", "--now", "2025-01-01", cwd=jekyll)  # the other readings from the cache
    assert "1 post published, 0 rejected, 1 skipped (draft/future)" in again.stdout


def test_a_clock_set_back_past_a_published_post_is_said(site_dir: Path, write_post: Callable[..., Path]) -> None:
    """A wrong --now or a clock stepped back takes down a post the last build published (IndexNow is told it is
    gone): the build says so, where it was silent."""
    write_post("2024-01-02-old.md", "title: Old")
    write_post("2024-06-02-new.md", "title: New")
    assert feedpub("build", "--now", "2025-01-01", cwd=site_dir).returncode == 0
    back = feedpub("build", "--now", "2024-03-01", cwd=site_dir)
    assert back.returncode == 0, back.stderr
    assert "is before 2024-06-02" in back.stderr and "check the machine's clock, or --now" in back.stderr
    forward = feedpub("build", "--now", "2025-01-02", cwd=site_dir)
    assert "is before" not in forward.stderr


def test_indexnow_and_the_sites_own_key_file(site_dir: Path, write_post: Callable[..., Path]) -> None:
    """A site serving its own key file (Hugo copies static/<key>.txt, a newline after the key) is not warned that
    no key file is written, and a build without the key no longer deletes that file as stale; a dry run says a
    ping would fail where the key file is missing, where it listed what it would send."""
    key = "abcdef0123456789"
    config = site_dir / "config.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '[ping]\nindexnow_endpoint = "http://127.0.0.1:9/indexnow"\n', "utf-8"
    )
    write_post("2024-01-02-hello.md", "title: 안녕")
    with_key = {"FEEDPUB_INDEXNOW_KEY": key}
    assert feedpub("build", "--now", "2025-01-01", cwd=site_dir, env=with_key).returncode == 0
    (site_dir / "out" / f"{key}.txt").write_text(key + "\n", encoding="utf-8")  # now the site's own copy
    without = {"FEEDPUB_INDEXNOW_KEY": ""}
    write_post("2024-01-03-more.md", "title: more")
    built = feedpub("build", "--now", "2025-01-01", cwd=site_dir, env=without)
    assert built.returncode == 0, built.stderr
    assert "indexnow_endpoint is set" not in built.stderr
    assert (site_dir / "out" / f"{key}.txt").read_text(encoding="utf-8") == key + "\n"
    (site_dir / "out" / f"{key}.txt").unlink()
    dry = feedpub("ping", "--dry-run", cwd=site_dir, env=with_key)
    assert "would fail" in dry.stderr and f"{key}.txt is not in" in dry.stderr
    assert "would send" not in dry.stdout
    write_post("2024-01-04-last.md", "title: last")
    warned = feedpub("build", "--now", "2025-01-02", cwd=site_dir, env=without)
    assert "indexnow_endpoint is set, but FEEDPUB_INDEXNOW_KEY is not" in warned.stderr


def test_a_build_without_the_key_keeps_the_key_file_it_wrote_and_warns(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    """A cron line lacking FEEDPUB_INDEXNOW_KEY deleted the key file the last build wrote ("1 stale removed", no
    warning: the check took feedpub's own file for the site's), and the search engines' check of the host failed
    from then on; a site that never had the key is warned as before."""
    key = "abcdef0123456789"
    config = site_dir / "config.toml"
    endpoint = server.url_for("/indexnow")
    config.write_text(config.read_text(encoding="utf-8") + f'[ping]\nindexnow_endpoint = "{endpoint}"\n', "utf-8")
    server.expect_request("/indexnow", method="POST").respond_with_data("", status=200)
    write_post("2024-01-02-hello.md", "title: 안녕")
    with_key, without = {"FEEDPUB_INDEXNOW_KEY": key}, {"FEEDPUB_INDEXNOW_KEY": ""}
    never = feedpub("build", "--now", "2025-01-01", cwd=site_dir, env=without)
    assert "is not: no key file is written" in never.stderr
    assert feedpub("build", "--now", "2025-01-02", cwd=site_dir, env=with_key).returncode == 0
    write_post("2024-01-03-more.md", "title: more")
    built = feedpub("build", "--now", "2025-01-03", cwd=site_dir, env=without)
    assert built.returncode == 0, built.stderr
    assert "stale removed" not in built.stdout
    assert f"is not: the key file an earlier build wrote ({key}.txt) is kept" in built.stderr
    assert (site_dir / "out" / f"{key}.txt").read_text(encoding="utf-8") == key
    pinged = feedpub("ping", cwd=site_dir, env=with_key)
    assert pinged.returncode == 0, pinged.stderr
    assert json.loads(server.log[-1][0].get_data(as_text=True))["keyLocation"] == f"https://example.kr/{key}.txt"
    write_post("2024-01-04-last.md", "title: last")
    assert "is kept" in feedpub("build", "--now", "2025-01-04", cwd=site_dir, env=without).stderr  # still recorded


def test_bad_posts_are_reported_as_path_reason_and_the_rest_published(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(DATA / "posts", tmp_path / "_posts")
    from tests.conftest import write_config

    write_config(tmp_path)
    result = feedpub("build", "--now", "2025-01-01", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 11
    assert (
        "_posts/korean_vague_date.md: front matter 'date' is not a valid date (got '어제쯤'); "
        "use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +0900"
    ) in lines
    assert all(line.startswith("_posts/") and ": " in line for line in lines)
    assert "14 posts published, 11 rejected, 3 skipped" in result.stdout  # _underscore_ignored.md is no post
    assert (tmp_path / "out" / "rss.xml").read_text().count("<item>") == 14


def test_json_report(site_dir: Path, write_post: Callable[..., Path]) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    write_post("2024-01-03-bad.md", "title: x\ndate: soon")
    result = feedpub("build", "--json", "--now", "2025-01-01", cwd=site_dir)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["published"] == 1 and report["skipped"] == 0
    assert report["rejected"] == [
        {
            "path": str(site_dir / "_posts" / "2024-01-03-bad.md"),
            "line": None,  # known for syntax errors only
            "reason": "front matter 'date' is not a valid date (got 'soon'); "
            "use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +0900",
        }
    ]
    assert [(o["name"], o["written"]) for o in report["outputs"]] == [
        ("rss.xml", True),
        ("atom.xml", True),
        ("feed.json", True),
        ("sitemap.xml", True),
        ("feeds.html", True),
        ("robots.txt", True),
    ]


def test_quiet_prints_nothing_on_success(site_dir: Path, write_post: Callable[..., Path]) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    result = feedpub("build", "--quiet", cwd=site_dir)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_bad_config_exits_2_and_writes_nothing(site_dir: Path, write_post: Callable[..., Path]) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    config = site_dir / "config.toml"
    config.write_text(config.read_text().replace('timezone = "Asia/Seoul"', 'timezone = "Seoul"'))
    result = feedpub("build", cwd=site_dir)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("feedpub: error: ")
    assert "site.timezone: unknown time zone 'Seoul'" in result.stderr
    assert not (site_dir / "out").exists() and not (site_dir / ".feedpub").exists()


def test_output_option_and_now_option(site_dir: Path, write_post: Callable[..., Path]) -> None:
    write_post("2024-06-01-later.md", "title: later")
    result = feedpub("build", "--output", "elsewhere", "--now", "2024-05-01T00:00:00+09:00", cwd=site_dir)
    assert result.returncode == 0
    assert "0 posts published, 0 rejected, 1 skipped" in result.stdout
    assert (site_dir / "elsewhere" / "atom.xml").exists()
    bad = feedpub("build", "--now", "someday", cwd=site_dir)
    assert bad.returncode == 2 and "--now: not an ISO 8601 date" in bad.stderr


def test_missing_config_and_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = feedpub("build", cwd=tmp_path)
    assert missing.returncode == 2 and "no such config file" in missing.stderr
    assert feedpub("build", "--bogus", cwd=tmp_path).returncode == 2


def test_every_command_has_help(tmp_path: Path) -> None:
    from feedpub.cli import main

    for name, command in main.commands.items():
        assert command.help, f"feedpub {name} has no help text"
        assert feedpub(name, "--help", cwd=tmp_path).returncode == 0


def hub_config(site_dir: Path, hub: str) -> None:
    config = site_dir / "config.toml"
    config.write_text(config.read_text() + f'[ping]\nwebsub_hubs = ["{hub}"]\ntimeout = 2\ndeadline = 10\n')


def test_publish_pings_the_hub_once_per_changed_feed(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    server.expect_request("/hub", method="POST").respond_with_data("", status=204)
    hub_config(site_dir, server.url_for("/hub"))
    first = feedpub("publish", "--now", "2025-01-01", cwd=site_dir)
    assert first.returncode == 0, first.stderr
    topics = sorted(parse_qs(r.get_data(as_text=True))["hub.url"][0] for r, _ in server.log)
    assert topics == ["https://example.kr/atom.xml", "https://example.kr/feed.json", "https://example.kr/rss.xml"]
    assert "3 notifications delivered, 0 failed" in first.stdout
    rss = (site_dir / "out" / "rss.xml").read_text()
    assert f'<atom:link href="{server.url_for("/hub")}" rel="hub"/>' in rss  # WebSub discovery
    again = feedpub("publish", "--now", "2025-01-01", cwd=site_dir)
    assert again.returncode == 0 and len(server.log) == 3  # nothing changed: nobody pinged


def test_failed_ping_exits_3_and_is_sent_by_the_next_run(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    hub_config(site_dir, server.url_for("/hub"))
    server.expect_request("/hub").respond_with_data("overloaded", status=500)
    failed = feedpub("publish", "--now", "2025-01-01", cwd=site_dir)
    assert failed.returncode == 3
    assert "(kept for the next run)" in failed.stderr and "Traceback" not in failed.stderr
    server.clear()
    server.expect_request("/hub").respond_with_data("", status=202)
    dry = feedpub("ping", "--dry-run", cwd=site_dir)
    assert dry.returncode == 0 and "would send 3" in dry.stdout and not server.log
    retried = feedpub("ping", cwd=site_dir)
    assert retried.returncode == 0 and len(server.log) == 3


@contextlib.contextmanager
def lost_stream(kind: str) -> Iterator[int]:
    """A file descriptor no output reaches: a pipe whose reader is gone (`| true`) or a full device."""
    if kind == "closed pipe":
        reader, writer = os.pipe()
        os.close(reader)
    else:
        writer = os.open("/dev/full", os.O_WRONLY)
    try:
        yield writer
    finally:
        os.close(writer)


def feedpub_into(stream: int, *args: str, cwd: Path, stderr: int | None = subprocess.PIPE) -> int:
    """The command's exit code with its stdout going to `stream`, and its stderr too unless `stderr` says."""
    ran = subprocess.run([sys.executable, "-m", "feedpub", *args], cwd=cwd, stdout=stream, stderr=stderr, timeout=120)
    assert ran.stderr in (None, b""), ran.stderr
    return ran.returncode


@pytest.mark.parametrize("kind", ["closed pipe", "full device"])
def test_a_reader_gone_or_a_full_device_on_stdout_changes_nothing_done(
    kind: str, site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    """`feedpub publish | true` or `> /dev/full`: the summary line raised (exit 70, "this is a bug") before ping ran,
    so the hub heard nothing, every run; a build left no record for the next one to answer from."""
    write_post("2024-01-02-hello.md", "title: 안녕")
    server.expect_request("/hub", method="POST").respond_with_data("", status=204)
    hub_config(site_dir, server.url_for("/hub"))
    with lost_stream(kind) as stdout:
        assert feedpub_into(stdout, "publish", "--now", "2025-01-01", cwd=site_dir) == 0
        assert len(server.log) == 3
        write_post("2024-01-03-more.md", "title: more")
        assert feedpub_into(stdout, "build", "--now", "2025-01-01", cwd=site_dir) == 0
        assert (site_dir / ".feedpub" / "standing.marshal").is_file()
        assert feedpub_into(stdout, "ping", cwd=site_dir) == 0
        assert len(server.log) == 6


@pytest.mark.parametrize("kind", ["closed pipe", "full device"])
def test_a_no_change_run_into_a_lost_stream_exits_as_the_build_did(
    kind: str, site_dir: Path, write_post: Callable[..., Path]
) -> None:
    """The answer from the last build's record (command.py) printed its summary into `> /dev/full` with a traceback
    and exit 1."""
    write_post("2024-01-02-hello.md", "title: 안녕")
    assert feedpub("build", cwd=site_dir).returncode == 0
    assert (site_dir / ".feedpub" / "standing.marshal").is_file()
    with lost_stream(kind) as stream:
        assert feedpub_into(stream, "build", cwd=site_dir) == 0


def test_a_failed_ping_into_a_closed_pipe_exits_3(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    """`feedpub ping 2>&1 | true` with a failing hub exited 1, which says "posts rejected"."""
    write_post("2024-01-02-hello.md", "title: 안녕")
    server.expect_request("/hub").respond_with_data("overloaded", status=500)
    hub_config(site_dir, server.url_for("/hub"))
    assert feedpub("build", "--now", "2025-01-01", cwd=site_dir).returncode == 0
    with lost_stream("closed pipe") as both:
        assert feedpub_into(both, "ping", "--quiet", cwd=site_dir, stderr=both) == 3


def test_a_state_file_that_cannot_be_written_fails_the_ping_with_its_cause(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    """.feedpub on a full disk (here: no file may grow, RLIMIT_FSIZE): the ping exited 2 with "unusable ping state
    (cannot rollback - no transaction is active); delete the file", hiding the cause, and deleting the file would
    have every target told everything again."""
    write_post("2024-01-02-hello.md", "title: 안녕")
    server.expect_request("/hub", method="POST").respond_with_data("", status=204)
    hub_config(site_dir, server.url_for("/hub"))
    assert feedpub("publish", "--now", "2025-01-01", cwd=site_dir).returncode == 0
    write_post("2024-01-03-more.md", "title: more")
    assert feedpub("build", "--now", "2025-01-01", cwd=site_dir).returncode == 0
    # SIGXFSZ ignored: a write past the limit fails (EFBIG) instead of killing the process.
    limited = (
        "import resource, runpy, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        "resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0)); runpy.run_module('feedpub', run_name='__main__')"
    )
    full = subprocess.run(
        [sys.executable, "-c", limited, "ping"], cwd=site_dir, capture_output=True, text=True, timeout=120
    )
    assert full.returncode == 3, full.stderr
    assert ".feedpub/state.db: cannot write: disk I/O error; make room" in full.stderr
    assert "rollback" not in full.stderr and "delete" not in full.stderr
    delivered = len(server.log)
    again = feedpub("ping", cwd=site_dir)
    assert again.returncode == 0 and len(server.log) > delivered  # sent again, and now recorded
    assert feedpub("ping", "--dry-run", cwd=site_dir).stdout.count("would send 0") == 1


def test_a_preview_build_elsewhere_is_not_what_ping_announces(
    site_dir: Path, write_post: Callable[..., Path], server: HTTPServer
) -> None:
    """`build --output preview` replaced the state ping announces: ping then submitted a post only the preview
    had (a 404 on the live site), and counted it announced, so its real publication was never announced."""
    write_post("2024-01-02-first.md", "title: 첫 글")
    config = site_dir / "config.toml"
    config.write_text(config.read_text() + f'[ping]\nindexnow_endpoint = "{server.url_for("/indexnow")}"\n')
    server.expect_request("/indexnow", method="POST").respond_with_data("", status=200)
    key = {"FEEDPUB_INDEXNOW_KEY": "0123456789abcdef"}
    assert feedpub("build", "--now", "2025-01-01", cwd=site_dir, env=key).returncode == 0
    assert feedpub("ping", cwd=site_dir, env=key).returncode == 0  # first contact
    announced = len(server.log)
    write_post("2024-01-03-second.md", "title: 미리 보기")
    assert feedpub("build", "--now", "2025-01-01", "--output", "preview", cwd=site_dir, env=key).returncode == 0
    assert (site_dir / "preview" / "feed.json").is_file()
    assert feedpub("ping", cwd=site_dir, env=key).returncode == 0
    assert len(server.log) == announced  # the live site has not changed
    assert feedpub("build", "--now", "2025-01-01", cwd=site_dir, env=key).returncode == 0
    assert feedpub("ping", cwd=site_dir, env=key).returncode == 0
    urls = json.loads(server.log[-1][0].get_data(as_text=True))["urlList"]
    assert "https://example.kr/2024/01/03/second/" in urls


def test_previews_into_other_folders_never_push_the_sites_own_folder_out_of_the_record(
    site_dir: Path, write_post: Callable[..., Path]
) -> None:
    """The record keeps four other folders' files besides the one built; five previews between two cron runs
    dropped the site's own folder from it, and its next build no longer knew what it had written: the feed of a
    category that lost its last post was served forever."""
    write_config(site_dir, extra="[feeds]\ncategories = true\n")
    write_post("2024-01-01-a.md", "title: A\ncategories: [news]")
    write_post("2024-01-02-b.md", "title: B\ncategories: [misc]")
    assert run("build", "--config", site_dir / "config.toml", "--now", "2025-01-01").exit_code == 0
    assert any("news" in p.as_posix() for p in (site_dir / "out").rglob("*"))
    for n in range(5):
        preview = ("build", "--config", site_dir / "config.toml", "--output", site_dir / f"preview{n}")
        assert run(*preview, "--now", "2025-01-01").exit_code == 0
    write_post("2024-01-01-a.md", "title: A\ncategories: [misc]")
    assert run("build", "--config", site_dir / "config.toml", "--now", "2025-01-01").exit_code == 0
    assert not any("news" in p.as_posix() for p in (site_dir / "out").rglob("*"))


def test_ping_before_any_build_says_what_to_do(site_dir: Path) -> None:
    result = feedpub("ping", cwd=site_dir)
    assert result.returncode == 2 and "run `feedpub build` first" in result.stderr


def test_bad_indexnow_key_stops_the_build_before_writing(site_dir: Path, write_post: Callable[..., Path]) -> None:
    write_post("2024-01-02-hello.md", "title: 안녕")
    config = site_dir / "config.toml"
    config.write_text(config.read_text() + '[ping]\nindexnow_endpoint = "https://api.indexnow.org/indexnow"\n')
    result = feedpub("build", cwd=site_dir, env={"FEEDPUB_INDEXNOW_KEY": "short"})
    assert result.returncode == 2 and "IndexNow key" in result.stderr
    assert not (site_dir / "out").exists()
    good = feedpub("build", cwd=site_dir, env={"FEEDPUB_INDEXNOW_KEY": "0123456789abcdef"})
    assert good.returncode == 0
    assert (site_dir / "out" / "0123456789abcdef.txt").read_text() == "0123456789abcdef"


def test_a_rotated_indexnow_key_leaves_no_old_key_file(site_dir: Path, write_post: Callable[..., Path]) -> None:
    """The old key file stayed served for good: a leaked key, replaced, still proved the host's ownership."""
    write_post("2024-01-02-hello.md", "title: 안녕")
    config = site_dir / "config.toml"
    config.write_text(config.read_text() + '[ping]\nindexnow_endpoint = "https://api.indexnow.org/indexnow"\n')
    (site_dir / "out").mkdir()
    (site_dir / "out" / "googlehostverify.txt").write_text("the site's own")  # named like one, not feedpub's
    for key in ("oldkey0123456789", "newkey0123456789"):
        assert feedpub("build", cwd=site_dir, env={"FEEDPUB_INDEXNOW_KEY": key}).returncode == 0
    assert sorted(p.name for p in (site_dir / "out").glob("*.txt")) == [
        "googlehostverify.txt",
        "newkey0123456789.txt",
        "robots.txt",
    ]
    write_config(site_dir)  # IndexNow turned off (a build merely lacking the key keeps the file it wrote)
    assert feedpub("build", cwd=site_dir, env={"FEEDPUB_INDEXNOW_KEY": ""}).returncode == 0
    assert not (site_dir / "out" / "newkey0123456789.txt").exists()


def many_posts(site_dir: Path, count: int = 1_200) -> None:
    for number in range(count):
        (site_dir / "_posts" / f"2024-01-01-post-{number}.md").write_text(f"---\ntitle: 글 {number}\n---\n본문\n")


def test_progress_bar_only_on_a_terminal(site_dir: Path) -> None:
    import pty

    many_posts(site_dir)
    piped = feedpub("build", "--no-cache", cwd=site_dir)
    assert piped.returncode == 0 and piped.stderr == ""  # cron: stderr is a pipe or a file, so no bar
    controller, terminal = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "feedpub", "build", "--no-cache"], cwd=site_dir, stdout=subprocess.PIPE, stderr=terminal
    ) as process:
        os.close(terminal)
        stdout, _ = process.communicate(timeout=120)
    shown = b""
    with contextlib.suppress(OSError):  # EIO once the terminal's other end is closed
        while chunk := os.read(controller, 65536):
            shown += chunk
    os.close(controller)
    assert process.returncode == 0 and b"1200 posts published" in stdout
    assert b"reading posts" in shown and b"100%" in shown
    quiet = feedpub("build", "--quiet", cwd=site_dir)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_the_command_leaves_its_objects_to_the_ending_process() -> None:
    """`feedpub` (cli.run) freezes what it made once it is done, whichever way it ends: the interpreter's last
    collection at exit then skips a build's posts (~30 ms after one post of 10k changed), and the ending process
    frees them. A library caller's `main` freezes nothing."""
    script = (
        "import gc, sys\n"
        "import feedpub.cli as cli\n"
        "sys.argv = ['feedpub', '--version']\n"
        "try:\n"
        "    cli.{entry}()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(gc.get_freeze_count())\n"
    )
    frozen = {}
    for entry in ("run", "main"):
        done = subprocess.run(
            [sys.executable, "-c", script.format(entry=entry)], capture_output=True, text=True, check=True
        )
        frozen[entry] = int(done.stdout.split()[-1])
    assert frozen["run"] > 1000
    assert frozen["main"] == 0


def test_an_empty_output_or_config_is_a_usage_error_and_writes_nothing(
    site_dir: Path, write_post: Callable[..., Path]
) -> None:
    """`--output "$OUT"` with OUT unset in a cron line: the empty path was ".", and every output was written into
    the folder cron ran in. Both as cron runs it (a process in that folder) and in-process."""
    write_post("2024-01-05-a.md", "title: A")
    ran = feedpub_process("build", "--config", "config.toml", "--output", "", cwd=site_dir)
    assert ran.returncode == 2, ran.stderr
    assert "'--output': is empty (an unset variable?); give a path" in ran.stderr
    assert not (site_dir / "rss.xml").exists() and not (site_dir / "out").exists()
    for option in ("--output", "--config"):
        result = run("build", "--config", site_dir / "config.toml", option, "")
        assert result.exit_code == 2, result.output
        assert "is empty" in result.output
    assert not (site_dir / "out").exists()


def test_a_config_saved_with_a_byte_order_mark_is_read(site_dir: Path, write_post: Callable[..., Path]) -> None:
    """Notepad saves UTF-8 with a byte order mark: the build stopped with "invalid TOML: Invalid statement (at line
    1, column 1)"."""
    write_post("2024-01-05-a.md", "title: A")
    config = site_dir / "config.toml"
    config.write_bytes(b"\xef\xbb\xbf" + config.read_bytes())
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 0, result.output
    assert (site_dir / "out" / "rss.xml").is_file()


# A locale under which Python decodes file names as ASCII (Latin-1 ones do the same to a Korean name): no locale
# needs to be installed for it.
_NOT_UTF8 = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}


def _korean_named_site(root: Path) -> Path:
    """A site whose one post is named in Korean, in a folder named in Korean; its config's path."""
    site = root / "사이트"
    (site / "_posts").mkdir(parents=True)
    post = "---\ntitle: 한국어 제목\ndate: 2024-02-01 10:00:00 +0000\n---\n본문\n"
    (site / "_posts" / "2024-02-01-한국어.md").write_text(post, encoding="utf-8")
    config = '[site]\nurl = "https://example.org/"\ntitle = "T"\n[posts]\ndirs = ["_posts"]\n[output]\ndir = "out"\n'
    (site / "config.toml").write_text(config, encoding="utf-8")
    return site / "config.toml"


def test_a_run_under_a_locale_that_is_not_utf8_publishes_the_same_urls(tmp_path: Path) -> None:
    # Cron reads /etc/default/locale: under a Latin-1 one the post was published at /2024/02/01/%C3%AD-…/ (its name
    # decoded as Latin-1), under C without UTF-8 mode at /2024/02/01/post/; the next run under UTF-8 moved it back.
    config = _korean_named_site(tmp_path)
    as_utf8 = feedpub_process("build", "--config", str(config), "--no-cache", cwd=tmp_path)
    assert as_utf8.returncode == 0, as_utf8.stderr
    written = {path.name: path.read_bytes() for path in (config.parent / "out").iterdir()}
    assert b"/2024/02/01/%ED%95%9C%EA%B5%AD%EC%96%B4/" in written["atom.xml"]

    otherwise = feedpub_process("build", "--config", str(config), "--no-cache", cwd=tmp_path, env=_NOT_UTF8)

    assert otherwise.returncode == 0, otherwise.stderr
    assert {path.name: path.read_bytes() for path in (config.parent / "out").iterdir()} == written
    assert "0 written, 6 unchanged" in otherwise.stdout


def test_the_run_again_in_utf8_mode_imports_nothing_from_the_working_folder(tmp_path: Path) -> None:
    # The command runs again in a Python of its own: from a site's folder (cron's `cd site && feedpub build`), a
    # feedpub/ or click.py there must not be what that Python imports.
    config = _korean_named_site(tmp_path)
    folder = config.parent
    planted = "import pathlib; pathlib.Path(__file__).with_name('ran').write_text('ran')\n"
    (folder / "click.py").write_text(planted, encoding="utf-8")
    (folder / "feedpub").mkdir()
    (folder / "feedpub" / "__init__.py").write_text(planted, encoding="utf-8")
    # Started as the installed command starts it: its script's folder first on the path, not the working folder.
    command = [sys.executable, "-P", "-c", "from feedpub.command import run; run()", "build", "--quiet"]
    environment = {**os.environ, **_NOT_UTF8, "PYTHONPATH": os.pathsep.join(sys.path)}

    done = subprocess.run(command, cwd=folder, capture_output=True, timeout=120, env=environment)

    assert done.returncode == 0, done.stderr
    assert not (folder / "ran").exists() and not (folder / "feedpub" / "ran").exists()
    assert b"/2024/02/01/%ED%95%9C%EA%B5%AD%EC%96%B4/" in (folder / "out" / "atom.xml").read_bytes()
