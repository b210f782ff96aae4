"""Run a child process to completion (or to a timeout) and measure its wall time and its own peak RSS."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    seconds: float
    peak_rss_kib: int
    exit_code: int
    stderr: str
    stdout: str = ""
    timed_out: bool = False


def measure(argv: list[str], env: dict[str, str], cwd: Path, timeout: float | None = None) -> Run:
    """Run argv; return its wall time and its own peak RSS (ru_maxrss, KiB on Linux).

    The child leads a process group of its own: at `timeout` seconds the whole group (the child and any worker
    it started) is killed and the run is marked timed out.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env, cwd=cwd, start_new_session=True)
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)  # the group this child leads, and only it

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            # wait4 gives this child's own rusage; RUSAGE_CHILDREN would report the max over all children.
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            if timer:
                timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
        if fired.is_set():  # workers the child left behind go too
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss, proc.returncode, stderr, stdout, fired.is_set())


def feedpub_argv(python: str) -> list[str]:
    """The public way in: `python -m feedpub` of the interpreter under test (no internal module is imported)."""
    return [python, "-m", "feedpub"]


def compile_installed(python: str, env: dict[str, str]) -> str:
    """Byte-compile the feedpub package the interpreter imports; return its folder.

    An installed package has its bytecode compiled at install time; an editable checkout run with
    PYTHONDONTWRITEBYTECODE would compile feedpub's modules again in every run and time the compiler instead.
    """
    where = subprocess.run(
        [python, "-c", "import os, feedpub; print(os.path.dirname(feedpub.__file__))"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    subprocess.run([python, "-m", "compileall", "-q", where], check=False, env=env, stdout=subprocess.DEVNULL)
    return where
