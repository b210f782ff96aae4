"""Build small sites that each hold one hostile post; report each build's time and peak RSS, or "timeout".

Each site is 20 seed-shaped posts plus one hostile post, built cold (`--no-cache`) by `python -m feedpub build`
in a child process that is killed (with its workers) past `--timeout` seconds.
Usage: python bench/adversarial.py [--timeout 60] [--cases a,b] [--python PATH] [--json] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus import CONFIG, IMAGES, JPEG_HEAD, JPEG_TAIL, render_post
from proc import compile_installed, feedpub_argv, measure

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
NORMAL_POSTS = 20
FRONT = "---\ntitle: 적대적 입력 {name}\ncategories:\n  - News\n{extra}---\n\n"


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    file: str  # the hostile post's file name
    body: Callable[[], str]
    config: str = ""  # TOML appended to the site's config
    front: str = ""  # YAML lines added to the hostile post's front matter


def _tags(count: int) -> str:
    return "tags:\n" + "".join(f"  - 태그-{n:03d}\n" for n in range(count))


CASES = (
    Case("lt-a-html", '"<a" * 5001 (10 KB), .html', "2024-06-01-lt-a.html", lambda: "<a" * 5001),
    Case("lt-a-md", '"<a" * 5001 (10 KB), .md', "2024-06-01-lt-a.md", lambda: "<a" * 5001),
    Case(
        "brackets-liquid",
        '1 MB of "[", templates = "liquid"',
        "2024-06-01-brackets.md",
        lambda: "[" * 1_000_000,
        config='templates = "liquid"\n',
    ),
    Case("amp-5mb", '5 MB of "&amp;", .html', "2024-06-01-amp.html", lambda: "&amp;" * 1_000_000),
    Case(
        "nested-div",
        "100k nested <div>, .html",
        "2024-06-01-divs.html",
        lambda: "<div>" * 100_000 + "깊은 본문" + "</div>" * 100_000,
    ),
    Case("nested-quote-md", '100k nested ">" quotes, .md', "2024-06-01-quotes.md", lambda: ">" * 100_000 + " 인용"),
    Case(
        "tags-500",
        "500 tags, tag feeds on",
        "2024-06-01-tags.md",
        lambda: "<p>태그가 많은 글입니다.</p>\n",
        config="",
        front=_tags(500),
    ),
)


def make_site(root: Path, case: Case) -> Path:
    posts = root / "site" / "_posts"
    images = root / "site" / "assets" / "img"
    posts.mkdir(parents=True)
    images.mkdir(parents=True)
    for n, image in enumerate(IMAGES):
        (images / f"{image}.jpg").write_bytes(JPEG_HEAD + bytes(2000 + 997 * n) + JPEG_TAIL)
    config = CONFIG
    if case.config:  # keys of [posts]
        config = config.replace('dirs = ["site/_posts"]\n', 'dirs = ["site/_posts"]\n' + case.config)
    if case.name == "tags-500":
        config = config.replace("[feeds]\n", "[feeds]\ntags = true\n")
    (root / "config.toml").write_text(config, encoding="utf-8")
    for index in range(NORMAL_POSTS):
        name, text, _ = render_post(index, NORMAL_POSTS)
        (posts / name).write_text(text, encoding="utf-8")
    front = FRONT.format(name=case.name, extra=case.front)
    (posts / case.file).write_text(front + case.body(), encoding="utf-8")
    return root / "config.toml"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a build may take (default 60)")
    parser.add_argument("--cases", help=f"comma-separated, of: {', '.join(c.name for c in CASES)}")
    parser.add_argument("--python", default=str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable))
    parser.add_argument("--json", action="store_true", help="print the figures as JSON on stdout too")
    parser.add_argument("--keep", type=Path, help="build the sites in this folder and keep them")
    args = parser.parse_args(argv)
    chosen = [c for c in CASES if not args.cases or c.name in args.cases.split(",")]
    text_out = sys.stderr if args.json else sys.stdout
    env = dict(os.environ)
    compile_installed(args.python, env)
    header = f"{'case':<16} {'input':<36} {'result':>14} {'peak MiB':>9}  published/rejected"
    print(f"adversarial builds, {NORMAL_POSTS} normal posts + 1 hostile, timeout {args.timeout:g} s", file=text_out)
    print(header + "\n" + "-" * len(header), file=text_out, flush=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="feedpub-adversarial-") as tmp:
        base = args.keep or Path(tmp)
        for case in chosen:
            root = base / case.name
            shutil.rmtree(root, ignore_errors=True)
            config = make_site(root, case)
            out = root / "out"
            argv_ = [*feedpub_argv(args.python), "build", "--config", str(config), "--output", str(out)]
            run = measure([*argv_, "--no-cache", "--json"], env, root, args.timeout)
            try:
                summary = json.loads(run.stdout) if run.stdout.strip() else {}
            except ValueError:
                summary = {}
            published, rejected = summary.get("published"), summary.get("rejected")
            if isinstance(rejected, list):
                rejected = len(rejected)
            result = "timeout" if run.timed_out else f"{run.seconds:.2f} s"
            if run.exit_code and not run.timed_out:
                result += f" exit {run.exit_code}"
            counts = "-" if published is None else f"{published}/{rejected}"
            line = f"{case.name:<16} {case.what:<36} {result:>14} {run.peak_rss_kib / 1024:9.1f}  {counts}"
            print(line, file=text_out, flush=True)
            if run.exit_code not in (0, 1) and not run.timed_out:
                tail = run.stderr.rstrip().splitlines()[-5:]
                print("\n".join(f"   {t}" for t in tail), file=text_out)
            results.append(
                {
                    "case": case.name,
                    "input": case.what,
                    "timed_out": run.timed_out,
                    "seconds": None if run.timed_out else round(run.seconds, 3),
                    "peak_rss_mib": round(run.peak_rss_kib / 1024, 1),
                    "exit_code": None if run.timed_out else run.exit_code,
                    "published": published,
                    "rejected": rejected,
                }
            )
    if args.json:
        print(json.dumps({"timeout_s": args.timeout, "cases": results}, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
