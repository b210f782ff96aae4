"""Build a site of 1,000,000 sitemap URLs with `feedpub build`, add one post, count the sitemap files rewritten.

The site (cached in bench/.corpus/sitemap-N/) is the home page plus N-1 tiny posts, five minutes apart from
2015 on, under site/_posts/YYYY/MM/. The bench runs, each through `python -m feedpub build` (no internal
module is imported): a cold build (time, peak RSS, files), then a build after one new post, dated after every
other, is added (the daily case). Before that second build it records every sitemap file's inode, mtime and
SHA-256; after it, a file counts as rewritten when it is new or its inode or mtime changed, and as changed when
its bytes did. The target (issue #13) is at most 2 files rewritten: the last part and the index.
Usage: python bench/sitemap_1m.py [--urls 1000000] [--gzip] [--workdir DIR] [--timeout 1800] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from proc import Run, compile_installed, feedpub_argv, measure

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
VERSION = 1
START = datetime(2015, 1, 1, tzinfo=UTC)
STEP = timedelta(minutes=5)
TARGET_REWRITTEN = 2
CONFIG = """\
[site]
url = "https://bench.example.kr/"
title = "벤치 뉴스"
language = "ko"
timezone = "Asia/Seoul"

[posts]
dirs = ["site/_posts"]
permalink = "/news/:year/:month/:day/:title/"

[output]
dir = "out"
page = ""

[feeds]
limit = 20

[sitemap]
gzip = {gzip}
"""


def post_text(n: int, when: datetime) -> str:
    return f"---\ntitle: 뉴스 {n}\ndate: {when:%Y-%m-%d %H:%M:%S} +00:00\n---\n\n<p>본문 {n}번째 글입니다.</p>\n"


def post_path(posts: Path, n: int, when: datetime) -> Path:
    return posts / f"{when:%Y}" / f"{when:%m}" / f"{when:%Y-%m-%d}-뉴스-{n}.md"


def ensure_site(workdir: Path, posts_count: int) -> tuple[Path, bool]:
    root = workdir / f"sitemap-{posts_count + 1}"
    manifest = root / "corpus.json"
    expected = {"version": VERSION, "posts": posts_count}
    if manifest.is_file() and json.loads(manifest.read_text(encoding="utf-8")) == expected:
        return root, False
    shutil.rmtree(root, ignore_errors=True)
    tmp = workdir / f"sitemap-{posts_count + 1}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    posts = tmp / "site" / "_posts"
    made: set[Path] = set()
    for n in range(posts_count):
        when = START + STEP * n
        path = post_path(posts, n, when)
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(post_text(n, when), encoding="utf-8")
        stamp = when.timestamp()
        os.utime(path, (stamp, stamp))
    manifest_tmp = tmp / "corpus.json"
    manifest_tmp.write_text(json.dumps(expected), encoding="utf-8")
    tmp.rename(root)
    return root, True


def sitemap_files(out: Path) -> dict[str, tuple[int, int, str]]:
    """name -> (inode, mtime_ns, sha256) of every sitemap file in the output folder."""
    found = {}
    for entry in os.scandir(out):
        if entry.name.startswith("sitemap") and entry.is_file():
            st = entry.stat()
            digest = hashlib.sha256(Path(entry.path).read_bytes()).hexdigest()
            found[entry.name] = (st.st_ino, st.st_mtime_ns, digest)
    return found


def build(argv: list[str], env: dict[str, str], timeout: float, label: str) -> Run:
    run = measure(argv, env, REPO, timeout)
    if run.timed_out or run.exit_code:
        why = "timed out" if run.timed_out else f"exit {run.exit_code}"
        print(f"!! {label} {why}:\n{run.stderr[-3000:]}", file=sys.stderr)
    return run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=1_000_000, help="sitemap URLs: the home page and N-1 posts")
    parser.add_argument("--gzip", action="store_true", help="write .xml.gz files ([sitemap] gzip = true)")
    parser.add_argument("--workdir", type=Path, default=BENCH / ".corpus", help="where the site is cached")
    parser.add_argument("--python", default=str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable))
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds a build may take")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on stdout too")
    args = parser.parse_args()
    text_out = sys.stderr if args.json else sys.stdout
    env = dict(os.environ)
    compile_installed(args.python, env)
    args.workdir.mkdir(parents=True, exist_ok=True)
    posts_count = args.urls - 1

    start = time.perf_counter()
    root, generated = ensure_site(args.workdir, posts_count)
    took = time.perf_counter() - start
    note = f"generated in {took:.1f} s" if generated else "cached"
    print(f"site of {posts_count:,} posts (+ the home page) in {root}: {note}", file=text_out, flush=True)
    config = root / "config.toml"
    config.write_text(CONFIG.format(gzip=str(args.gzip).lower()), encoding="utf-8")
    out = root / "out"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(root / ".feedpub", ignore_errors=True)
    argv = [*feedpub_argv(args.python), "build", "--config", str(config), "--output", str(out), "--quiet"]
    when = START + STEP * posts_count
    added = post_path(root / "site" / "_posts", posts_count, when)
    figures: dict[str, object] = {"urls": args.urls, "gzip": args.gzip}
    try:
        cold = build(argv, env, args.timeout, "cold build")
        if cold.timed_out or cold.exit_code:
            return 1
        before = sitemap_files(out)
        size = sum((out / name).stat().st_size for name in before)
        print(
            f"cold build: {cold.seconds:.1f} s, peak RSS {cold.peak_rss_kib / 1024:.0f} MiB (main process), "
            f"{len(before)} sitemap files ({size / 2**20:.1f} MiB)",
            file=text_out,
            flush=True,
        )
        time.sleep(0.05)  # so a rewrite shows in mtime_ns even on a coarse clock
        added.parent.mkdir(parents=True, exist_ok=True)
        added.write_text(post_text(posts_count, when), encoding="utf-8")
        again = build(argv, env, args.timeout, "build after adding one post")
        if again.timed_out or again.exit_code:
            return 1
        after = sitemap_files(out)
        rewritten = sorted(n for n in after if n not in before or before[n][:2] != after[n][:2])
        changed = sorted(n for n in after if n not in before or before[n][2] != after[n][2])
        removed = sorted(n for n in before if n not in after)
        verdict = "ok" if len(rewritten) + len(removed) <= TARGET_REWRITTEN else "MISSED"
        print(
            f"one post added: build {again.seconds:.1f} s; sitemap files rewritten {len(rewritten)} of {len(after)}"
            f" (bytes changed in {len(changed)}, removed {len(removed)}); target ≤ {TARGET_REWRITTEN}: {verdict}",
            file=text_out,
        )
        shown = ", ".join(rewritten[:6]) + (", …" if len(rewritten) > 6 else "")
        print(f"rewritten: {shown or 'none'}", file=text_out)
        figures.update(
            {
                "cold_s": round(cold.seconds, 2),
                "cold_peak_rss_mib": round(cold.peak_rss_kib / 1024, 1),
                "files": len(before),
                "bytes": size,
                "add_one_s": round(again.seconds, 2),
                "rewritten": rewritten,
                "changed": changed,
                "removed": removed,
                "target_met": verdict == "ok",
            }
        )
    finally:
        added.unlink(missing_ok=True)
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(root / ".feedpub", ignore_errors=True)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
