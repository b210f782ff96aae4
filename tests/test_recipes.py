"""The CI recipes of docs/guide.md, run as written: two fresh clones of a site give the same bytes, announce once.

Each recipe's commands are taken from the guide (the blocks after `<!-- recipe: NAME -->`); this test supplies
only what a runner does around them: a fresh clone for checkout, a copy of the output folder into the served
folder for the deployment, the IndexNow key secret, and the tools (lines installing feedpub, Jekyll or Hugo are
left to the test's environment). The site, its hub and its IndexNow endpoint are one server on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
import yaml

from tests.conformance import skip_or_fail
from tests.conftest import REPO

GUIDE = REPO / "docs" / "guide.md"
KEY = "0123456789abcdef"
INSTALLS = re.compile(r"^(sudo )?(apt-get|pip|gem) ")  # the runner's set-up: this test's environment has the tools


@dataclass(frozen=True)
class Step:
    command: str | None  # a shell command, or None for the deployment


def recipe(name: str) -> tuple[str, str]:
    """The fenced block after `<!-- recipe: name -->` in the guide: its language and text."""
    found = re.search(rf"<!-- recipe: {name} -->\n```(\w+)\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S)
    assert found, f"docs/guide.md has no recipe {name}"
    return found.group(1), found.group(2)


def steps(name: str) -> tuple[list[Step], str]:
    """The recipe's steps in order, and the folder it deploys."""
    language, text = recipe(name)
    if language == "sh":
        # A build hook: the host deploys the output folder once the command has run.
        return [Step(text.strip()), Step(None)], "_site" if "jekyll" in text else "public"
    data: dict[str, Any] = yaml.safe_load(text)
    if "jobs" in data:  # GitHub Actions
        (job,) = data["jobs"].values()
        assert job["env"]["FEEDPUB_INDEXNOW_KEY"] == "${{ secrets.FEEDPUB_INDEXNOW_KEY }}"
        assert job["steps"][0]["uses"].startswith("actions/checkout@") and job["steps"][0]["with"]["fetch-depth"] == 0
        found: list[Step] = []
        folder = ""
        for step in job["steps"]:
            if "run" in step:
                found.append(Step(step["run"]))
            elif "upload-pages-artifact" in step["uses"]:
                folder = step["with"]["path"]
            elif "deploy-pages" in step["uses"]:
                found.append(Step(None))
        return found, folder
    # GitLab CI: the jobs by stage; GitLab deploys `pages`' artifact when that job ends.
    assert data["variables"]["GIT_DEPTH"] == 0
    found = []
    for stage in data["stages"]:
        for job_name, job in data.items():
            if isinstance(job, dict) and job.get("stage") == stage:
                found += [Step(line) for line in job["script"]]
                if job_name == "pages":
                    assert "public" in job["artifacts"]["paths"] and ".feedpub" in job["artifacts"]["paths"]
                    found.append(Step(None))
    return found, "public"


@dataclass
class Site:
    """The served folder, and what the hub and the IndexNow endpoint were told."""

    root: Path
    websub: list[str] = field(default_factory=list)
    indexnow: list[str] = field(default_factory=list)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Site]]:
    site = Site(tmp_path / "served")
    site.root.mkdir()

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(site.root), **kwargs)

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if self.path == "/hub":
                site.websub += parse_qs(body.decode())["hub.url"]
            elif self.path == "/indexnow":
                site.indexnow += json.loads(body)["urlList"]
            self.send_response(204 if self.path == "/hub" else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", site
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def git(folder: Path, *args: str) -> str:
    environ = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_AUTHOR_DATE": "2024-06-01T00:00:00+00:00",
        "GIT_COMMITTER_DATE": "2024-06-01T00:00:00+00:00",
    }
    done = subprocess.run(["git", *args], cwd=folder, env=environ, check=True, capture_output=True, text=True)
    return done.stdout


def make_origin(folder: Path, url: str, generator: str) -> Path:
    """A site repository: a few posts, one of them undated with its date in the committed feedpub-dates.txt."""
    origin = folder / "origin"
    posts = origin / ("_posts" if generator == "jekyll" else "content/posts")
    posts.mkdir(parents=True)
    for day in (1, 2, 3):
        (posts / f"2024-01-0{day}-post-{day}.md").write_text(
            f"---\ntitle: Post {day}\ndate: 2024-01-0{day}T09:00:00+09:00\n---\nBody {day}.\n", encoding="utf-8"
        )
    (posts / "undated.md").write_text("---\ntitle: Undated\n---\nNo date.\n", encoding="utf-8")
    relative = posts.relative_to(origin).as_posix()
    (origin / "feedpub-dates.txt").write_text(f"{relative}/undated.md\t2024-02-01T00:00:00+00:00\n", encoding="utf-8")
    if generator == "jekyll":
        (origin / "_config.yml").write_text(f'title: Recipes\nurl: "{url.rstrip("/")}"\n', encoding="utf-8")
        (origin / "index.html").write_text("---\n---\n<p>home</p>\n", encoding="utf-8")
    else:
        (origin / "hugo.toml").write_text(f'baseURL = "{url}"\ntitle = "Recipes"\n', encoding="utf-8")
    output = "_site" if generator == "jekyll" else "public"
    (origin / "config.toml").write_text(
        f'[site]\nurl = "{url}"\ntitle = "Recipes"\n[posts]\ndirs = ["{relative}"]\n[output]\ndir = "{output}"\n'
        f'[ping]\nwebsub_hubs = ["{url}hub"]\nindexnow_endpoint = "{url}indexnow"\n'
        'previous = "feedpub-published.json"\ntimeout = 5.0\n',
        encoding="utf-8",
    )
    (origin / ".gitignore").write_text(f"{output}/\n.feedpub/\n", encoding="utf-8")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "site")
    return origin


def run_recipe(name: str, origin: Path, clone: Path, site: Site) -> dict[str, bytes]:
    """One fresh runner: clone, run the recipe's commands, deploy; return the deployed files."""
    git(origin.parent, "clone", "-q", str(origin), str(clone))
    recipe_steps, folder = steps(name)
    environ = {**os.environ, "FEEDPUB_INDEXNOW_KEY": KEY, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    for step in recipe_steps:
        if step.command is None:
            shutil.rmtree(site.root)
            shutil.copytree(clone / folder, site.root)
        elif not INSTALLS.match(step.command):
            done = subprocess.run(["bash", "-ec", step.command], cwd=clone, env=environ, capture_output=True, text=True)
            assert done.returncode == 0, f"{step.command}: {done.stdout}{done.stderr}"
            assert "feedpub-dates.txt changed" not in done.stderr  # the committed file already holds every date
    return {p.relative_to(site.root).as_posix(): p.read_bytes() for p in sorted(site.root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", ["github-jekyll", "github-hugo", "gitlab-hugo", "hook-jekyll", "hook-hugo"])
def test_two_fresh_runners_give_the_same_bytes_and_announce_once(
    name: str, tmp_path: Path, served: tuple[str, Site]
) -> None:
    generator = "jekyll" if "jekyll" in name else "hugo"
    if shutil.which(generator) is None:
        skip_or_fail(f"{generator} is not installed")
    url, site = served
    origin = make_origin(tmp_path, url, generator)

    first = run_recipe(name, origin, tmp_path / "runner-1", site)
    feeds = sorted([f"{url}rss.xml", f"{url}atom.xml", f"{url}feed.json"])
    assert sorted(site.websub) == feeds
    assert url in site.indexnow and len(site.indexnow) == 5  # first contact: the home page and the 4 posts
    assert "feedpub-published.json" in first
    told = (list(site.websub), list(site.indexnow))

    second = run_recipe(name, origin, tmp_path / "runner-2", site)
    assert second == first
    assert (site.websub, site.indexnow) == told  # the second runner announced nothing

    # A third runner after a new post announces that post (and the changed feeds and home page) only.
    posts = "_posts" if generator == "jekyll" else "content/posts"
    (origin / posts / "2024-01-04-post-4.md").write_text(
        "---\ntitle: Post 4\ndate: 2024-01-04T09:00:00+09:00\n---\nBody 4.\n", encoding="utf-8"
    )
    git(origin, "add", "-A")
    git(origin, "commit", "-q", "-m", "post 4")
    run_recipe(name, origin, tmp_path / "runner-3", site)
    assert sorted(site.websub[len(told[0]) :]) == feeds
    new = site.indexnow[len(told[1]) :]
    assert any("post-4" in u for u in new)
    assert all("post-4" in u or u == url for u in new), new
