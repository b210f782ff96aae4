"""Time `feedpub build` against a naive script on generated corpora, one row per shape and case.

Usage: python bench/run.py [--sizes 10000] [--shapes all|seed,mixed,…] [--runs 5] [--workdir DIR] [--json]
       python bench/run.py --adversarial [--timeout 60]      (the hostile-input bench, adversarial.py)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpus import SHAPES, Corpus, ensure_corpus, warm
from proc import Run, compile_installed, feedpub_argv, measure

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
CASES = ("cold", "no-change", "one-changed")
FEED_FILES = {"rss": "rss.xml", "atom": "atom.xml", "json": "feed.json"}  # feedpub's defaults, as [feeds] names them
# From the issue: feedpub/naive ratios at 10k posts (every shape), and an absolute bound for a cold build of 100k.
RATIO_TARGETS = {(10_000, "cold"): 0.7, (10_000, "no-change"): 0.1, (10_000, "one-changed"): 0.15}
SECONDS_TARGETS = {(100_000, "cold"): 10.0}
STDERR_TAIL = 40  # lines of a failing run's stderr to show


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


_shown_stderr: set[str] = set()


def report_failure(label: str, run: Run) -> None:
    why = "timed out" if run.timed_out else f"failed with exit code {run.exit_code}"
    print(f"!! {label} {why}; stderr:", file=sys.stderr)
    if run.stderr in _shown_stderr:
        print("   (the same as above)", file=sys.stderr)
        return
    _shown_stderr.add(run.stderr)
    lines = run.stderr.rstrip().splitlines()[-STDERR_TAIL:]
    print("\n".join(f"   {line}" for line in lines) or "   (empty)", file=sys.stderr)


def missing_outputs(out: Path, config: Path) -> list[str]:
    """The main feeds and the sitemap the corpus's config asks for that `out` lacks (a Hugo site's RSS is index.xml)."""
    feeds = tomllib.loads(config.read_text(encoding="utf-8")).get("feeds", {})
    names = [feeds.get(kind, default) for kind, default in FEED_FILES.items()] + ["sitemap.xml"]
    return [name for name in names if not (out / name).is_file()]


@dataclass
class Bench:
    python: str
    env: dict[str, str]
    timeout: float


def feedpub_run(corpus: Corpus, n: int, figures: dict[str, Figures], bench: Bench) -> None:
    """Run `n` of feedpub: a cold build into a new folder, a no-change rerun, then a rerun after editing one post."""
    original = corpus.victim.read_bytes()
    mtime = corpus.victim.stat().st_mtime
    out = corpus.root / "bench-out" / f"feedpub-{n}"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(corpus.root / ".feedpub", ignore_errors=True)
    # A first build ever: without the dates file an earlier run wrote, undated posts are dated by git again.
    (corpus.root / "feedpub-dates.txt").unlink(missing_ok=True)
    argv = [*feedpub_argv(bench.python), "build", "--config", str(corpus.config), "--output", str(out), "--quiet"]
    label = f"feedpub {corpus.shape} {{}} ({corpus.size:,} posts, run {n + 1})"
    try:
        for case in CASES:
            if figures[case].exit_code:
                continue  # failed in an earlier run: its error is already shown
            if case == "one-changed":
                paragraph = f"<p>벤치마크 {n}회차에 덧붙인 문단입니다.</p>\n".encode()
                corpus.victim.write_bytes(original + paragraph)
                bump = time.time()
                os.utime(corpus.victim, (bump, bump))
            run = measure(argv, bench.env, REPO, bench.timeout)
            figures[case].add(run)
            if run.exit_code:
                report_failure(label.format(case), run)
            elif missing := missing_outputs(out, corpus.config):
                print(f"!! {label.format(case)}: no {', '.join(missing)} in {out}", file=sys.stderr)
    finally:
        corpus.victim.write_bytes(original)
        os.utime(corpus.victim, (mtime, mtime))
        shutil.rmtree(corpus.root / ".feedpub", ignore_errors=True)


def naive_run(corpus: Corpus, n: int, figures: Figures, bench: Bench) -> None:
    """Run `n` of the naive script (it has no cache: its one time stands for all three cases)."""
    if figures.exit_code:
        return
    out = corpus.root / "bench-out" / f"naive-{n}"
    shutil.rmtree(out, ignore_errors=True)
    argv = [bench.python, str(BENCH / "naive.py"), "--config", str(corpus.config), "--output", str(out)]
    run = measure(argv, bench.env, REPO, bench.timeout)
    figures.add(run)
    if run.exit_code:
        report_failure(f"naive {corpus.shape} ({corpus.size:,} posts)", run)


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


HEADER = (
    f"{'shape':<20} {'case':<12} {'feedpub s':>10} {'naive s':>9} {'ratio':>7}  {'target':<14} "
    f"{'feedpub MiB':>11} {'naive MiB':>9}"
)


def rows_of(corpus: Corpus, feedpub: dict[str, Figures], naive: Figures) -> tuple[list[str], dict[str, object]]:
    lines: list[str] = []
    rows: dict[str, object] = {}
    for case in CASES:
        mine, theirs = feedpub[case], naive
        ratio = ratio_of(mine, theirs)
        target, met = target_of(corpus.size, case, mine, theirs)
        verdict = {True: " ok", False: " MISSED", None: ""}[met] if target else ""
        mine_s = f"{mine.median_s:10.3f}" if mine.median_s is not None else f"{'exit ' + str(mine.exit_code):>10}"
        theirs_s = f"{theirs.median_s:9.3f}" if theirs.median_s is not None else f"{'failed':>9}"
        ratio_s = f"{ratio:6.2f}×" if ratio is not None else f"{'-':>7}"
        mine_rss = f"{mine.peak_rss_mib:11.1f}" if mine.ok else f"{'-':>11}"
        theirs_rss = f"{theirs.peak_rss_mib:9.1f}" if theirs.ok else f"{'-':>9}"
        figures = f"{mine_s} {theirs_s} {ratio_s}  {target + verdict:<14} {mine_rss} {theirs_rss}"
        lines.append(f"{corpus.shape:<20} {case:<12} {figures}")
        rows[case] = {
            "feedpub": mine.as_json(),
            "naive": theirs.as_json(),
            "ratio": ratio,
            "target": target or None,
            "target_met": met,
        }
    return lines, rows


def parse_shapes(text: str) -> list[str]:
    if text.strip() == "all":
        return list(SHAPES)
    shapes = [s.strip() for s in text.split(",") if s.strip()]
    if unknown := [s for s in shapes if s not in SHAPES]:
        raise SystemExit(f"unknown shape(s) {', '.join(unknown)}; shapes: all, {', '.join(SHAPES)}")
    return shapes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000", help="comma-separated post counts (default: 10000)")
    parser.add_argument("--shapes", default="all", help=f"'all' or comma-separated, of: {', '.join(SHAPES)}")
    parser.add_argument("--runs", type=int, default=5, help="runs per case; the median is reported")
    parser.add_argument("--workdir", type=Path, default=BENCH / ".corpus", help="where corpora are cached")
    parser.add_argument("--python", default=str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable))
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run is killed")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on stdout too")
    parser.add_argument("--adversarial", action="store_true", help="run the hostile-input bench instead")
    args, rest = parser.parse_known_args()
    if args.adversarial:
        import adversarial

        sys.exit(adversarial.main(["--python", args.python, *(["--json"] if args.json else []), *rest]))
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    shapes = parse_shapes(args.shapes)
    # With --json the tables go to stderr, so stdout is one JSON document.
    text_out = sys.stderr if args.json else sys.stdout
    env = dict(os.environ)
    bench = Bench(args.python, env, args.timeout)
    where = compile_installed(args.python, env)
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"feedpub from {where}; {args.runs} runs a case, interleaved with the naive script's", file=text_out)

    by_size: dict[str, object] = {}
    for size in sizes:
        table = [f"== {size:,} posts ==", HEADER, "-" * len(HEADER)]
        by_shape: dict[str, object] = {}
        for shape in shapes:
            start = time.perf_counter()
            corpus, generated = ensure_corpus(args.workdir, size, shape)
            took = time.perf_counter() - start
            note = f"generated in {took:.1f} s" if generated else "cached"
            print(f"corpus {shape} of {size:,} posts in {corpus.root}: {note}", file=text_out, flush=True)
            warm(corpus)
            # Interleaved, a naive run then feedpub's three: a shared machine drifts between fast and slow spells
            # (the naive script took 1.05 s and 1.45 s an hour apart), and each ratio should see the same spells.
            naive, feedpub = Figures(), {case: Figures() for case in CASES}
            for n in range(args.runs):
                naive_run(corpus, n, naive, bench)
                feedpub_run(corpus, n, feedpub, bench)
            shutil.rmtree(corpus.root / "bench-out", ignore_errors=True)
            lines, rows = rows_of(corpus, feedpub, naive)
            print("\n".join(lines), file=text_out, flush=True)
            table += lines
            by_shape[shape] = {"generated_s": round(took, 3) if generated else None, "cases": rows}
        print("\n" + "\n".join(table) + "\n", file=text_out, flush=True)
        by_size[str(size)] = by_shape
    if args.json:
        results = {"python": args.python, "runs": args.runs, "sizes": by_size}
        print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
