"""Atomic, change-only writes: a crash or kill never leaves a half-written feed."""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import signal
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from feedpub.errors import OutputError
from feedpub.models import Output
from feedpub.publish.writer import FileSet, remove_stale, write_file, write_outputs
from tests.conftest import write_config


def test_unchanged_file_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "rss.xml"
    assert write_file(path, b"<rss/>") is True
    os.utime(path, (1_000_000, 1_000_000))
    assert write_file(path, b"<rss/>") is False
    assert path.stat().st_mtime == 1_000_000
    assert write_file(path, b"<rss></rss>") is True
    assert path.read_bytes() == b"<rss></rss>"


def test_chunks_are_written_as_they_come_and_an_unchanged_file_is_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "published.json"
    chunks = [b'{"pages": [', b"1, " * 50_000, b"2]}"]  # past a file's buffer: written through as they come

    def streamed() -> Iterator[bytes]:
        for number, chunk in enumerate(chunks):
            if number:  # what came before is in the temporary already, not held until the end
                [temporary] = tmp_path.glob(".published.json.*.tmp")
                assert temporary.stat().st_size >= len(b"".join(chunks[:number])) - io.DEFAULT_BUFFER_SIZE
            yield chunk

    with FileSet() as staged:
        assert staged.prepare_chunks(path, streamed()) == hashlib.sha256(b"".join(chunks)).hexdigest()
        staged.commit()
    assert path.read_bytes() == b"".join(chunks)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~_umask()
    os.utime(path, (1_000_000, 1_000_000))
    with FileSet() as staged:
        staged.prepare_chunks(path, iter(chunks))
        staged.commit()
    assert path.stat().st_mtime == 1_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published.json"]
    with FileSet() as staged:
        staged.prepare_chunks(path, iter([b"{}"]))
        staged.commit()
    assert path.read_bytes() == b"{}"
    (tmp_path / "folder").mkdir()
    with pytest.raises(OutputError, match="is a folder"), FileSet() as staged:
        staged.prepare_chunks(tmp_path / "folder", iter([b"{}"]))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "published.json"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_written_files_are_world_readable_and_no_temporary_is_left(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_outputs([Output("a/b/feed.json", b"{}"), Output("rss.xml", b"<rss/>")], tmp_path)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a" / "b" / "feed.json").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "feed.json", "rss.xml"]


def test_other_files_in_the_output_folder_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("mine")
    written = write_outputs([Output("rss.xml", b"<rss/>")], tmp_path)
    assert [(w.name, w.written) for w in written] == [("rss.xml", True)]
    assert (tmp_path / "index.html").read_text() == "mine"


@pytest.mark.skipif(sys.platform != "linux", reason="tells files from folders by /proc/self/fd")
def test_a_sets_files_are_synced_side_by_side(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # One fsync at a time made each wait for its own journal commit (72 files: ~200 ms); two must run at once.
    meeting = threading.Barrier(2, timeout=10)
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        if os.path.isfile(f"/proc/self/fd/{descriptor}"):
            meeting.wait()  # broken (an error) when the other file's fsync waits for this one to end
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    write_outputs([Output("rss.xml", b"<rss/>"), Output("atom.xml", b"<feed/>")], tmp_path)
    assert (tmp_path / "rss.xml").read_bytes() == b"<rss/>"
    assert (tmp_path / "atom.xml").read_bytes() == b"<feed/>"


def test_every_file_of_a_set_is_synced_before_any_is_renamed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real_fsync, real_replace = os.fsync, os.replace
    at_renames: list[int] = []

    def fsync(descriptor: int) -> None:
        time.sleep(0.01)
        real_fsync(descriptor)
        synced.append(descriptor)

    def replace(source: str, target: str) -> None:
        at_renames.append(len(synced))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    names = [f"tags/t{i}/feed.xml" for i in range(100)]
    write_outputs([Output(name, name.encode()) for name in names], tmp_path)
    assert at_renames == [100] * 100
    assert all((tmp_path / name).read_bytes() == name.encode() for name in names)


def test_a_failed_fsync_leaves_every_old_file_and_no_temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_outputs([Output("rss.xml", b"old"), Output("atom.xml", b"old")], tmp_path)
    calls = 0
    real_fsync = os.fsync

    def fsync(descriptor: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise OSError(5, "Input/output error")
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError, match="cannot write: Input/output error"):
        write_outputs([Output("rss.xml", b"new"), Output("atom.xml", b"new"), Output("feed.json", b"{}")], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atom.xml", "rss.xml"]
    assert (tmp_path / "rss.xml").read_bytes() == (tmp_path / "atom.xml").read_bytes() == b"old"


def test_a_set_discarded_while_its_files_sync_closes_and_deletes_them(tmp_path: Path) -> None:
    before = len(os.listdir("/proc/self/fd")) if sys.platform == "linux" else 0
    with FileSet() as staged:
        for i in range(200):  # past the files a set keeps open while they sync
            staged.prepare(tmp_path / f"f{i}.xml", b"x" * i)
    assert list(tmp_path.iterdir()) == []
    if sys.platform == "linux":
        assert len(os.listdir("/proc/self/fd")) == before


_WRITER_LOOP = """
import sys
from pathlib import Path
from feedpub.publish.writer import write_file
path = Path(sys.argv[1])
versions = [Path(sys.argv[2]).read_bytes(), Path(sys.argv[3]).read_bytes()]
print("ready", flush=True)
i = 0
while True:
    write_file(path, versions[i % 2])
    i += 1
"""


def test_a_writer_killed_at_random_moments_leaves_old_or_new_bytes(tmp_path: Path) -> None:
    versions = []
    for name, fill in (("a.xml", "가"), ("b.xml", "나")):
        source = tmp_path / name
        source.write_bytes(f"<rss><channel><title>{fill * 1_000_000}</title></channel></rss>".encode())
        versions.append(source.read_bytes())
    target = tmp_path / "out" / "rss.xml"
    rng = random.Random(7)
    for _ in range(12):
        arguments = [str(target), str(tmp_path / "a.xml"), str(tmp_path / "b.xml")]
        with subprocess.Popen([sys.executable, "-c", _WRITER_LOOP, *arguments], stdout=subprocess.PIPE) as process:
            assert process.stdout is not None and process.stdout.readline() == b"ready\n"
            time.sleep(rng.uniform(0.01, 0.25))
            process.send_signal(signal.SIGKILL)
        if target.exists():
            assert target.read_bytes() in versions
    leftovers = [p.name for p in target.parent.iterdir() if p.name != "rss.xml"]
    # A kill between mkstemp and rename can leave a hidden temporary; it is never the served name.
    assert all(name.startswith(".rss.xml.") and name.endswith(".tmp") for name in leftovers)


def test_a_build_killed_midway_leaves_every_output_old_or_new_and_well_formed(tmp_path: Path) -> None:
    posts = tmp_path / "_posts"
    posts.mkdir()
    paragraph = "<p>" + "서울 시내 버스 노선이 개편됩니다. " * 40 + "</p>\n"
    for number in range(400):
        (posts / f"2024-01-{number % 28 + 1:02d}-post-{number}.html").write_text(
            f"---\ntitle: 글 {number}\ncategories: [News]\n---\n{paragraph * 5}", encoding="utf-8"
        )
    write_config(tmp_path, extra="[feeds]\nlimit = 400\n")
    command = [sys.executable, "-m", "feedpub", "build", "--quiet", "--now", "2025-01-01"]
    subprocess.run(command, cwd=tmp_path, check=True, timeout=120)
    outputs = tmp_path / "out"
    old = {p.name: p.read_bytes() for p in outputs.iterdir()}
    for path in posts.iterdir():
        path.write_text(path.read_text(encoding="utf-8").replace("개편됩니다", "바뀝니다"), encoding="utf-8")
    rng = random.Random(11)
    for _ in range(5):
        with subprocess.Popen(command, cwd=tmp_path) as process:
            time.sleep(rng.uniform(0.3, 1.5))
            process.send_signal(signal.SIGKILL)
        for name, data in old.items():
            current = (outputs / name).read_bytes()
            if name.endswith(".json"):
                json.loads(current)
            elif name.endswith(".xml"):
                etree.fromstring(current)
            assert current == data or "바뀝니다".encode() in current
    subprocess.run(command, cwd=tmp_path, check=True, timeout=120)
    assert all("바뀝니다".encode() in (outputs / name).read_bytes() for name in ("rss.xml", "atom.xml", "feed.json"))


def test_output_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    from feedpub.errors import OutputError

    (tmp_path / "feeds").write_text("not a folder")
    with pytest.raises(OutputError, match=r"feeds/rss.xml: cannot read: Not a directory"):
        write_file(tmp_path / "feeds" / "rss.xml", b"<rss/>")


def test_a_name_past_the_systems_path_limit_is_an_output_error(tmp_path: Path) -> None:
    """A path the system refuses (File name too long) is said as an output that cannot be written, never an
    internal error, and nothing is written."""
    from feedpub.errors import FeedpubError

    (tmp_path / "out").mkdir()
    deep = "/".join(["a"] * 2100) + "/feed.json"
    with pytest.raises(FeedpubError, match="cannot write"):
        write_outputs([Output("rss.xml", b"<rss/>"), Output(deep, b"{}")], tmp_path / "out")
    assert not (tmp_path / "out" / "rss.xml").exists()


def test_stale_files_take_the_folders_they_leave_empty_and_no_other(tmp_path: Path) -> None:
    """Category feeds turned off: categories/news/ went, but an empty categories/ stayed, which a clean build does not
    have. Every folder emptied goes, up to the output folder; one holding anything else stays, as do the ones above
    it and a folder that was empty before."""
    out = tmp_path / "out"
    for name in ("categories/news/feed.xml", "tags/go/feed.xml", "tags/readme.txt"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_text("x", encoding="utf-8")
    (out / "empty-before").mkdir()
    removed = remove_stale(out, ["categories/news/feed.xml", "tags/go/feed.xml", "feed.xml"])
    assert removed == ["categories/news/feed.xml", "tags/go/feed.xml"]
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("*")) == [
        "empty-before",
        "tags",
        "tags/readme.txt",
    ]
