"""Write a synthetic 1,000,000-URL sitemap set through feedpub's library; report time and peak RSS.

The URLs go through the same code a build uses: html.to_uri, sitemap.render_sitemaps (parts of 50,000 URLs and
an index, rendered lazily) and writer.write_outputs (atomic, only when changed), then writer.remove_stale.
Usage: python bench/sitemap_1m.py [--urls 1000000] [--output DIR] [--gzip]
"""

from __future__ import annotations

import argparse
import functools
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))  # run from a checkout without installing

from feedpub.models import SitemapSettings
from feedpub.publish.writer import remove_stale, write_outputs
from feedpub.render.sitemap import SitemapUrl, is_sitemap_name, render_sitemaps
from feedpub.urls import to_uri

SITE = "https://bench.example.kr/"


def urls(count: int) -> Iterator[SitemapUrl]:
    """Yield URLs lazily, so the peak RSS is the library's, not this list's."""
    start = datetime(2015, 1, 1, tzinfo=UTC)
    for n in range(count):
        when = start + timedelta(minutes=5 * n)
        yield SitemapUrl(to_uri(f"{SITE}news/{when:%Y/%m/%d}/뉴스-{n}/"), when)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--output", type=Path, help="default: a temporary folder, removed afterwards")
    parser.add_argument("--gzip", action="store_true", help="write .xml.gz files, as [sitemap] gzip = true does")
    args = parser.parse_args()
    settings = SitemapSettings(gzip=args.gzip)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.output or Path(tmp)
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        written = write_outputs(render_sitemaps(settings, SITE, urls(args.urls)), out)
        remove_stale(out, ".", functools.partial(is_sitemap_name, settings), (w.name for w in written))
        seconds = time.perf_counter() - start
        size = sum(w.path.stat().st_size for w in written)
        largest = max(w.path.stat().st_size for w in written)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    files = f"{len(written)} files ({size / 2**20:.1f} MiB, largest {largest / 2**20:.1f} MiB)"
    print(f"{args.urls:,} URLs -> {files} in {seconds:.2f} s")
    print(f"peak RSS {peak / 1024:.1f} MiB (before the call: {before / 1024:.1f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
