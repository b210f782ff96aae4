"""Rebuild every Hugo fixture with the installed hugo and rewrite its expected.json.

Run from the repository root:  .venv/bin/python tests/sites/hugo/regenerate.py [NAME ...]
With --emoji, it rewrites src/feedpub/read/hugo/emoji.json instead: the emoji codes of enableEmoji.
expected.json records Hugo 0.111.3 (Debian's); the script refuses another version unless
--any-version is given. Review the diff before committing: it is the oracle.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from tests import hugo_oracle

EMOJI = Path(__file__).resolve().parents[3] / "src" / "feedpub" / "read" / "hugo" / "emoji.json"


def main(argv: list[str]) -> int:
    any_version = "--any-version" in argv
    names = [a for a in argv if not a.startswith("--")] or hugo_oracle.fixtures()
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        print("hugo is not installed (Debian: apt-get install hugo)", file=sys.stderr)
        return 2
    version = hugo_oracle.hugo_version(binary)
    if version != hugo_oracle.HUGO_VERSION and not any_version:
        print(f"hugo {version} is installed; expected.json records {hugo_oracle.HUGO_VERSION}", file=sys.stderr)
        return 2
    if "--emoji" in argv:
        table = hugo_oracle.emoji_table(binary)
        EMOJI.write_text(json.dumps(table, ensure_ascii=False, indent=0, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{EMOJI.name}: {len(table)} codes")
        return 0
    for name in names:
        result = hugo_oracle.build(name, binary=binary)
        hugo_oracle.expected_path(name).write_text(hugo_oracle.dumps(result), encoding="utf-8")
        print(f"{name}: {len(result['pages'])} pages, {len(result['feeds'])} feeds, {len(result['sitemaps'])} sitemaps")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
