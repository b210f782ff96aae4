#!/usr/bin/env python3
"""Rebuild every Jekyll fixture site with the real jekyll and rewrite its expected.json.

Usage (from the repository root):

    python3 tests/sites/jekyll/regenerate.py            # all sites
    python3 tests/sites/jekyll/regenerate.py classic-blog kramdown-liquid
    python3 tests/sites/jekyll/regenerate.py --check    # exit 1 if any expected.json is stale

Each build runs twice; a site whose two builds differ is reported and not written
(an expected.json must not depend on the run: build time, file order, mtimes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests/

import jekyll_oracle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sites", nargs="*", help="fixture names (default: all)")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    sites = args.sites or jekyll_oracle.fixture_sites()
    status = 0
    print(f"jekyll {jekyll_oracle.jekyll_version()}")
    for site in sites:
        first = jekyll_oracle.dump(jekyll_oracle.build(site))
        second = jekyll_oracle.dump(jekyll_oracle.build(site))
        if first != second:
            print(f"{site}: two builds differ; expected.json not written", file=sys.stderr)
            status = 1
            continue
        target = jekyll_oracle.expected_file(site)
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if args.check:
            if current != first:
                print(f"{site}: expected.json is stale", file=sys.stderr)
                status = 1
            else:
                print(f"{site}: up to date")
        elif current != first:
            target.write_text(first, encoding="utf-8")
            print(f"{site}: wrote {target.relative_to(Path.cwd()) if target.is_relative_to(Path.cwd()) else target}")
        else:
            print(f"{site}: unchanged")
    return status


if __name__ == "__main__":
    sys.exit(main())
