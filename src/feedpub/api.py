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
from feedpub.models import FeedRef, Output, PageRef, Published, Rejection, Site
from feedpub.pinger import PingReport, check_indexnow_key, indexnow_key_file, ping, robots_txt
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


def state_path(site: Site) -> Path:
    return site.state_dir / "state.db"


def ping_outputs(site: Site, published: Published, indexnow_key: str | None) -> list[Output]:
    """Files the notification protocols need served beside the feeds: the IndexNow key file, robots.txt."""
    outputs = []
    if site.ping.indexnow_endpoint and indexnow_key:
        outputs.append(indexnow_key_file(indexnow_key))
    if site.ping.robots_txt:
        try:
            existing: str | None = (site.output_dir / "robots.txt").read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            existing = None
        except OSError as error:
            raise FeedpubError(f"{site.output_dir / 'robots.txt'}: cannot read: {error.strerror}") from None
        outputs.append(Output("robots.txt", robots_txt(existing, published.sitemap_url).encode("utf-8")))
    return outputs


def run_build(site: Site, now: datetime, indexnow_key: str | None = None) -> BuildReport:
    """Collect, build and write every output of the site; posts after `now` wait for a later run."""
    if site.ping.indexnow_endpoint and indexnow_key:
        check_indexnow_key(indexnow_key)  # before anything is written
    collection = collect(site, now)
    result = build(site, collection.posts, now)
    extra = ping_outputs(site, result.published, indexnow_key)
    files = write_outputs((*result.outputs, *extra), site.output_dir)
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


def run_ping(site: Site, indexnow_key: str | None, *, dry_run: bool = False) -> PingReport:
    """Send what the last build owes each target; a failed notification stays owed for the next run."""
    published = load_published(site)
    if published is None:
        raise FeedpubError(f"nothing to announce: {published_path(site)} is missing; run `feedpub build` first")
    return ping(site, published, state_path=state_path(site), key=indexnow_key, dry_run=dry_run)
