"""The library API the CLI is a thin layer over: load_config -> collect -> build -> write (-> ping)."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from feedpub.builder import build
from feedpub.collector import collect
from feedpub.errors import FeedpubError
from feedpub.models import FeedRef, PageRef, Published, Rejection, Site
from feedpub.writer import Written, write_file, write_outputs


@dataclass(frozen=True)
class BuildReport:
    published_posts: int
    rejected: tuple[Rejection, ...]
    skipped: int
    files: tuple[Written, ...]
    published: Published

    def to_json(self) -> dict[str, Any]:
        return {
            "published": self.published_posts,
            "rejected": [{"path": r.path, "reason": r.reason} for r in self.rejected],
            "skipped": self.skipped,
            "outputs": [{"name": f.name, "path": str(f.path), "written": f.written} for f in self.files],
        }


def published_path(site: Site) -> Path:
    return site.state_dir / "published.json"


def run_build(site: Site, now: datetime) -> BuildReport:
    """Collect, build and write every output of the site; posts after `now` wait for a later run."""
    collection = collect(site, now)
    result = build(site, collection.posts)
    files = write_outputs(result.outputs, site.output_dir)
    # What is now live, for `feedpub ping` to compare with what each target has acknowledged.
    write_file(published_path(site), json.dumps(dataclasses.asdict(result.published), indent=1).encode())
    return BuildReport(
        published_posts=len(collection.posts),
        rejected=collection.rejected,
        skipped=collection.skipped,
        files=tuple(files),
        published=result.published,
    )


def load_published(site: Site) -> Published | None:
    """What the last build put online; None before the first build."""
    try:
        data = json.loads(published_path(site).read_text(encoding="utf-8"))
        return Published(
            site_url=data["site_url"],
            feeds=tuple(FeedRef(**f) for f in data["feeds"]),
            pages=tuple(PageRef(**p) for p in data["pages"]),
            sitemap_url=data["sitemap_url"],
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise FeedpubError(f"{published_path(site)}: unreadable ({error}); run `feedpub build` to remake it") from None
