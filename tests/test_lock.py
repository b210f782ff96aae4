"""Cron safety: a second run while one holds the site's lock waits --wait seconds, then exits 4."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.conftest import EXAMPLE_NOW

HOLDER = """
import sys, time
from feedpub.config import load_config
from feedpub.state.lock import site_lock
from pathlib import Path
with site_lock(load_config(Path(sys.argv[1])), wait=5):
    print("held", flush=True)
    sys.stdin.readline()  # hold until the test says so (or closes the pipe)
"""


@contextmanager
def _holding(config: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process that holds the site's lock until its stdin closes (or it is killed)."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(config)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        try:
            yield holder
        finally:
            holder.kill()  # our own child, by its handle


def _feedpub(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "feedpub", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def test_second_run_exits_4_while_another_holds_the_lock(example_config: Path) -> None:
    with _holding(example_config):
        started = time.monotonic()
        result = _feedpub("build", "--config", example_config, "--wait", "0.5", "--now", EXAMPLE_NOW.isoformat())
        elapsed = time.monotonic() - started
        assert result.returncode == 4, result.stderr
        assert "another feedpub run is working on this site (waited 0.5 s)" in result.stderr
        assert ".feedpub/lock" in result.stderr
        assert result.stdout == ""
        assert 0.5 <= elapsed < 10  # waited, then gave up quickly (interpreter start-up included)
        assert not (example_config.parent / "out").exists()  # nothing was written
    again = _feedpub("build", "--config", example_config, "--wait", "0.5", "--now", EXAMPLE_NOW.isoformat(), "--quiet")
    assert again.returncode == 0, again.stderr
    assert again.stdout == ""


def test_a_killed_holder_leaves_no_stale_lock(example_config: Path) -> None:
    with _holding(example_config) as holder:
        holder.kill()  # SIGKILL: no chance to release the lock itself
        holder.wait(timeout=10)
    result = _feedpub("build", "--config", example_config, "--wait", "0.5", "--now", EXAMPLE_NOW.isoformat(), "--quiet")
    assert result.returncode == 0, result.stderr
