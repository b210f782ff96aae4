"""Write a synthetic 1,000,000-URL sitemap set through feedpub's library; report time and peak RSS.

Placeholder until `feedpub.sitemap.write_sitemap_set` exists: the call below guesses its shape
(URL/lastmod pairs streamed from a generator, an output folder, the site URL) and must follow the real API.
Usage: python bench/sitemap_1m.py [--urls 1000000] [--output DIR]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

SITE = "https://bench.example.kr/"


def urls(count: int) -> Iterator[tuple[str, datetime]]:
    """Yield URLs lazily, so the peak RSS is the library's, not this list's."""
    start = datetime(2015, 1, 1, tzinfo=UTC)
    for n in range(count):
        when = start + timedelta(minutes=5 * n)
        yield f"{SITE}news/{when:%Y/%m/%d}/뉴스-{n}/", when


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path, help="default: a temporary folder, removed afterwards")
    args = parser.parse_args()
    try:
        from feedpub.sitemap import write_sitemap_set
    except ImportError as error:
        print(f"feedpub.sitemap.write_sitemap_set is not available yet ({error}); nothing measured.", file=sys.stderr)
        print("Run from the venv with src/ importable, once the sitemap module lands.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        out = args.output or Path(tmp)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        write_sitemap_set(urls(args.urls), out, SITE)
        seconds = time.perf_counter() - start
        files = sorted(p.name for p in out.iterdir())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    print(f"{args.urls:,} URLs -> {len(files)} files in {seconds:.2f} s")
    print(f"peak RSS {peak / 1024:.1f} MiB (before the call: {before / 1024:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
