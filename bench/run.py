"""Time `feedpub build` against a naive script on generated corpora and print a table per size.

Usage: python bench/run.py [--sizes 1000,10000,100000] [--runs 3] [--workdir DIR] [--json]
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpus import Corpus, ensure_corpus, warm

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
CASES = ("cold", "no-change", "one-changed")
FEED_FILES = ("rss.xml", "atom.xml", "feed.json", "sitemap.xml")
# From the issue: feedpub/naive ratios at 10k posts, and an absolute bound for a cold build of 100k.
RATIO_TARGETS = {(10_000, "cold"): 0.7, (10_000, "no-change"): 0.1, (10_000, "one-changed"): 0.15}
SECONDS_TARGETS = {(100_000, "cold"): 10.0}
STDERR_TAIL = 40  # lines of a failing run's stderr to show


@dataclass
class Run:
    seconds: float
    peak_rss_kib: int
    exit_code: int
    stderr: str


@dataclass
class Figures:
    runs_s: list[float] = field(default_factory=list)
    peak_rss_mib: float = 0.0
    exit_code: int = 0  # of the first failing run; a case stops at its first failure

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and bool(self.runs_s)

    @property
    def median_s(self) -> float | None:
        return statistics.median(self.runs_s) if self.ok else None

    def add(self, run: Run) -> None:
        self.peak_rss_mib = max(self.peak_rss_mib, run.peak_rss_kib / 1024)
        if run.exit_code:
            self.exit_code = run.exit_code
        else:
            self.runs_s.append(run.seconds)

    def as_json(self) -> dict[str, object]:
        return {**asdict(self), "ok": self.ok, "median_s": self.median_s}


def measure(argv: list[str], env: dict[str, str]) -> Run:
    """Run argv to completion; return its wall time and its own peak RSS (ru_maxrss, KiB on Linux)."""
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=REPO)
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN would report the max over all children.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss, proc.returncode, stderr)


_shown_stderr: set[str] = set()


def report_failure(label: str, run: Run) -> None:
    print(f"!! {label} failed with exit code {run.exit_code}; stderr:", file=sys.stderr)
    if run.stderr in _shown_stderr:
        print("   (the same as above)", file=sys.stderr)
        return
    _shown_stderr.add(run.stderr)
    lines = run.stderr.rstrip().splitlines()[-STDERR_TAIL:]
    print("\n".join(f"   {line}" for line in lines) or "   (empty)", file=sys.stderr)


def missing_outputs(out: Path) -> list[str]:
    return [name for name in FEED_FILES if not (out / name).is_file()]


def feedpub_run(corpus: Corpus, n: int, figures: dict[str, Figures], python: str, env: dict[str, str]) -> None:
    """Run `n` of feedpub: a cold build into a new folder, a no-change rerun, then a rerun after editing one post."""
    original = corpus.victim.read_bytes()
    mtime = corpus.victim.stat().st_mtime
    out = corpus.root / "bench-out" / f"feedpub-{n}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(corpus.root / ".feedpub", ignore_errors=True)
    argv = [python, "-m", "feedpub", "build", "--config", str(corpus.config), "--output", str(out), "--quiet"]
    try:
        for case in CASES:
            if figures[case].exit_code:
                continue  # failed in an earlier run: its error is already shown
            if case == "one-changed":
                paragraph = f"<p>벤치마크 {n}회차에 덧붙인 문단입니다.</p>\n".encode()
                corpus.victim.write_bytes(original + paragraph)
                bump = time.time()
                os.utime(corpus.victim, (bump, bump))
            run = measure(argv, env)
            figures[case].add(run)
            if run.exit_code:
                report_failure(f"feedpub {case} ({corpus.size:,} posts, run {n + 1})", run)
            elif missing := missing_outputs(out):
                print(f"!! feedpub {case}: no {', '.join(missing)} in {out}", file=sys.stderr)
    finally:
        corpus.victim.write_bytes(original)
        os.utime(corpus.victim, (mtime, mtime))
        shutil.rmtree(corpus.root / ".feedpub", ignore_errors=True)


def naive_run(corpus: Corpus, n: int, figures: Figures, python: str, env: dict[str, str]) -> None:
    """Run `n` of the naive script (it has no cache: its one time stands for all three cases)."""
    if figures.exit_code:
        return
    out = corpus.root / "bench-out" / f"naive-{n}"
    shutil.rmtree(out, ignore_errors=True)
    run = measure([python, str(BENCH / "naive.py"), "--config", str(corpus.config), "--output", str(out)], env)
    figures.add(run)
    if run.exit_code:
        report_failure(f"naive ({corpus.size:,} posts)", run)


def ratio_of(feedpub: Figures, naive: Figures) -> float | None:
    """feedpub's time over the naive script's: the median of each run's ratio to the naive run just before it.

    A pair is measured seconds apart, so a slow or fast spell of the machine weighs on both of its sides.
    """
    if not (feedpub.ok and naive.ok):
        return None
    if len(feedpub.runs_s) != len(naive.runs_s):  # a failed run broke the pairs: fall back to the medians
        return feedpub.median_s / naive.median_s  # type: ignore[operator]
    return statistics.median(mine / theirs for mine, theirs in zip(feedpub.runs_s, naive.runs_s, strict=True))


def target_of(size: int, case: str, feedpub: Figures, naive: Figures) -> tuple[str, bool | None]:
    """Describe the issue's target for this row and whether it is met (None: no target or no figure)."""
    mine = feedpub.median_s
    if (size, case) in RATIO_TARGETS:
        bound = RATIO_TARGETS[size, case]
        ratio = ratio_of(feedpub, naive)
        return f"≤ {bound:.2f}×", None if ratio is None else ratio <= bound
    if (size, case) in SECONDS_TARGETS:
        bound = SECONDS_TARGETS[size, case]
        return f"< {bound:g} s", None if mine is None else mine < bound
    return "", None


def table(size: int, feedpub: dict[str, Figures], naive: Figures) -> tuple[str, dict[str, object]]:
    header = (
        f"{'case':<12} {'feedpub s':>10} {'naive s':>9} {'ratio':>7}  {'target':<12} "
        f"{'feedpub MiB':>11} {'naive MiB':>9}"
    )
    lines = [f"== {size:,} posts ==", header, "-" * len(header)]
    rows: dict[str, object] = {}
    for case in CASES:
        mine, theirs = feedpub[case], naive
        ratio = ratio_of(mine, theirs)
        target, met = target_of(size, case, mine, theirs)
        verdict = {True: " ok", False: " MISSED", None: ""}[met] if target else ""
        mine_s = f"{mine.median_s:10.3f}" if mine.median_s is not None else f"{'exit ' + str(mine.exit_code):>10}"
        theirs_s = f"{theirs.median_s:9.3f}" if theirs.median_s is not None else f"{'failed':>9}"
        ratio_s = f"{ratio:6.2f}×" if ratio is not None else f"{'-':>7}"
        mine_rss = f"{mine.peak_rss_mib:11.1f}" if mine.ok else f"{'-':>11}"
        theirs_rss = f"{theirs.peak_rss_mib:9.1f}" if theirs.ok else f"{'-':>9}"
        lines.append(f"{case:<12} {mine_s} {theirs_s} {ratio_s}  {target + verdict:<12} {mine_rss} {theirs_rss}")
        rows[case] = {
            "feedpub": mine.as_json(),
            "naive": theirs.as_json(),
            "ratio": ratio,
            "target": target or None,
            "target_met": met,
        }
    return "\n".join(lines), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated post counts")
    parser.add_argument("--runs", type=int, default=3, help="runs per case; the median is reported")
    parser.add_argument("--workdir", type=Path, default=BENCH / ".corpus", help="where corpora are cached")
    parser.add_argument("--python", default=str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on stdout too")
    args = parser.parse_args()
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    # With --json the tables go to stderr, so stdout is one JSON document.
    text_out = sys.stderr if args.json else sys.stdout
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")]))}
    # An installed package has its bytecode compiled at install time; a checkout run with PYTHONDONTWRITEBYTECODE
    # would compile feedpub's modules again in every run and time the compiler (~10 ms a run) instead.
    compileall.compile_dir(REPO / "src", quiet=1)
    args.workdir.mkdir(parents=True, exist_ok=True)

    by_size: dict[str, object] = {}
    for size in sizes:
        start = time.perf_counter()
        corpus, generated = ensure_corpus(args.workdir, size)
        took = time.perf_counter() - start
        note = f"generated in {took:.1f} s" if generated else "cached"
        print(f"corpus of {size:,} posts in {corpus.root}: {note}", file=text_out)
        warm(corpus)
        # Interleaved, a naive run then feedpub's three: a shared machine drifts between fast and slow spells
        # (the naive script took 1.05 s and 1.45 s an hour apart), and each ratio should see the same spells.
        naive, feedpub = Figures(), {case: Figures() for case in CASES}
        for n in range(args.runs):
            naive_run(corpus, n, naive, args.python, env)
            feedpub_run(corpus, n, feedpub, args.python, env)
        shutil.rmtree(corpus.root / "bench-out", ignore_errors=True)
        text, rows = table(size, feedpub, naive)
        print(text + "\n", file=text_out, flush=True)
        by_size[str(size)] = {"generated_s": round(took, 3) if generated else None, "cases": rows}
    if args.json:
        results = {"python": args.python, "runs": args.runs, "sizes": by_size}
        print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
