"""Builders for hostile sites: a real `feedpub build` process held to a time bound, real git repositories, /proc."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

GIT_DATE_ENV = ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")


@dataclass
class Finished:
    """What a bounded build did: its exit code (None when it was killed at the bound), output and time taken."""

    returncode: int | None
    stdout: str
    stderr: str
    seconds: float
    max_rss_kb: int = 0

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def start_build(config: Path, *args: str, capture: bool = True) -> subprocess.Popen[str]:
    """`feedpub build` in a real process leading its own process group, so that all it forks can be found.

    Without `capture`, its output goes nowhere: pipes would stay open in whatever it leaves behind.
    """
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "feedpub", "build", "--config", str(config), *args],
        stdout=output,
        stderr=output,
        text=True,
        start_new_session=True,
    )


def build_within(config: Path, bound: float, *args: str) -> Finished:
    """Run `feedpub build` and wait at most `bound` seconds; past it, kill its whole process group."""
    started = time.monotonic()
    process = start_build(config, *args)
    try:
        stdout, stderr = process.communicate(timeout=bound)
        return Finished(process.returncode, stdout, stderr, time.monotonic() - started)
    except subprocess.TimeoutExpired:
        kill_group(process.pid)
        stdout, stderr = process.communicate()
        return Finished(None, stdout, stderr, time.monotonic() - started)
    finally:
        kill_group(process.pid)  # whatever it left behind (pool workers) must not outlive the test


# Starts the build by fork from a small Python and writes the build's max RSS (KiB) into argv[1]. Linux carries a
# process's max RSS across exec, and subprocess starts children by vfork from the (large, growing) test process:
# a build started directly reports at least the test process's own size.
_MEASURED = """
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def build_measured(config: Path, bound: float, *args: str) -> Finished:
    """Like `build_within`, and also the peak memory (max RSS, KiB) of the build process itself."""
    started = time.monotonic()
    peak = config.parent / "build-max-rss.txt"
    build = ["-m", "feedpub", "build", "--config", str(config), "--quiet", *args]
    process = subprocess.Popen(
        [sys.executable, "-c", _MEASURED, str(peak), *build],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        while time.monotonic() - started < bound:
            if process.poll() is not None:
                return Finished(process.returncode, "", "", time.monotonic() - started, int(peak.read_text()))
            time.sleep(0.05)
        kill_group(process.pid)
        process.wait()
        return Finished(None, "", "", time.monotonic() - started)
    finally:
        kill_group(process.pid)


def kill_group(pgid: int) -> None:
    """SIGKILL every process left in the group a test started (its leader's pid); none left is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def group_members(pgid: int) -> list[int]:
    """Pids of the live (not zombie) processes in process group `pgid`, read from /proc."""
    members = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue  # exited meanwhile
        # "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so split after the last ")".
        state, _ppid, pgrp = stat[stat.rindex(")") + 2 :].split()[:3]
        if int(pgrp) == pgid and state != "Z":
            members.append(int(entry))
    return members


def git(folder: Path, *args: str, when: str = "2001-02-03T04:05:06+00:00") -> str:
    """Run git in `folder` as a user with no global config would, commits dated `when` and never signed."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    env.update(dict.fromkeys(GIT_DATE_ENV, when), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.kr", "-c", "commit.gpgsign=false", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()


def commit_all(folder: Path, when: str) -> None:
    git(folder, "add", "-A", when=when)
    git(folder, "commit", "-q", "-m", "posts", when=when)


def add_signed_looking_commit(folder: Path, when_epoch: int) -> None:
    """Make HEAD a commit with a (fake) gpgsig header: `git log` with log.showSignature runs gpg.program on it."""
    (folder / ".signed").write_text("a change, so that `git log -- .` lists the commit\n", encoding="utf-8")
    git(folder, "add", ".signed")
    tree = git(folder, "write-tree")
    parent = git(folder, "rev-parse", "HEAD")
    commit = (
        f"tree {tree}\nparent {parent}\n"
        f"author Test <test@example.kr> {when_epoch} +0000\ncommitter Test <test@example.kr> {when_epoch} +0000\n"
        "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n =abcd\n -----END PGP SIGNATURE-----\n\nsigned\n"
    )
    commit_file = folder.parent / "signed-commit.txt"
    commit_file.write_text(commit, encoding="utf-8")
    sha = git(folder, "hash-object", "-t", "commit", "-w", str(commit_file))
    git(folder, "update-ref", "HEAD", sha)
    commit_file.unlink()


def marker_script(folder: Path, marker: Path) -> Path:
    """An executable that creates `marker` when anything runs it."""
    script = folder / "evil.sh"
    script.write_text(f'#!/bin/sh\ntouch "{marker}"\nexit 1\n', encoding="utf-8")
    script.chmod(0o755)
    return script
