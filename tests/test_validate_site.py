"""`feedpub validate --site`: every post URL in the outputs is a file the generator's built site serves.

Each fixture site is built by the real generator (Jekyll into _site/, Hugo into public/), migrated and built by
feedpub as a user would, and checked; then one post's page is removed from the built site, and the check must
name its URL.
"""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import hugo_oracle
import jekyll_oracle
import pytest
from conformance import skip_or_fail

from feedpub.config import load_config
from tests.conftest import run

JEKYLL_NOW = datetime(2030, 1, 1, tzinfo=UTC)  # after the fixtures' posts (Jekyll builds with the real clock)
LATER = "2100-01-01T00:00:00+00:00"  # validate's "now": some fixtures publish future posts on purpose


def _migrate_and_check(kind: str, site: Path, built: Path, config: Path, now: str) -> None:
    assert run("init", f"--from-{kind}", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", now, "--quiet", "--output", config.parent / "out")
    assert result.exit_code in (0, 1), result.output
    checked = run("validate", "--site", built, "--config", config, "--now", LATER, config.parent / "out")
    assert checked.exit_code == 0, checked.output
    assert "no problems" in checked.output
    # One post's page gone from the built site: a link to a 404, which the check must name.
    # A multilingual site's sitemap.xml is an index over each language's sitemap (ko/sitemap.xml, ...).
    sitemaps = [p.read_text(encoding="utf-8") for p in sorted((config.parent / "out").rglob("sitemap*.xml"))]
    site_path = urlsplit(load_config(config).url).path
    homes = {site_path, *(f"{site_path}{lang}/" for lang in ("ko", "en"))}  # the fixtures' language homes
    post_url = next(
        u for text in sitemaps if "<urlset" in text for u in _locs(text) if unquote(urlsplit(u).path) not in homes
    )
    relative = unquote(urlsplit(post_url).path)[len(site_path) :]
    page = built / relative / "index.html" if relative.endswith("/") or not relative else built / relative
    if not page.is_file():
        page = built / (relative + ".html")
    page.unlink()
    checked = run("validate", "--site", built, "--config", config, "--now", LATER, config.parent / "out")
    assert checked.exit_code == 1
    assert f"{post_url} is not served by" in checked.output


def _locs(sitemap: str) -> list[str]:
    return [part.split("</loc>")[0] for part in sitemap.split("<loc>")[1:]]


@pytest.mark.parametrize("name", jekyll_oracle.fixture_sites())
def test_every_post_url_is_served_by_the_jekyll_site(name: str, tmp_path: Path) -> None:
    try:
        jekyll_oracle.check_installation()
    except jekyll_oracle.JekyllMissing as missing:
        skip_or_fail(str(missing))
    site = tmp_path / name
    shutil.copytree(jekyll_oracle.SITES / name, site, ignore=shutil.ignore_patterns("expected.json"))
    built = tmp_path / "_site"
    jekyll_oracle.run_jekyll(site, built)
    _migrate_and_check("jekyll", site, built, tmp_path / "config.toml", JEKYLL_NOW.isoformat())


@pytest.mark.parametrize("name", hugo_oracle.fixtures())
def test_every_post_url_is_served_by_the_hugo_site(name: str, tmp_path: Path) -> None:
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the check needs Hugo's built site")
    site = tmp_path / name
    shutil.copytree(hugo_oracle.SITES / name, site, ignore=shutil.ignore_patterns("expected.json"))
    built = tmp_path / "public"
    subprocess.run(
        [binary, "--source", str(site), "--destination", str(built), "--clock", hugo_oracle.CLOCK],
        check=True,
        capture_output=True,
        env=hugo_oracle.clean_env(),
        timeout=hugo_oracle.TIMEOUT,
    )
    _migrate_and_check("hugo", site, built, tmp_path / "config.toml", hugo_oracle.CLOCK)


def test_problems_of_hugos_own_files_are_warnings_and_feedpubs_still_fail(tmp_path: Path) -> None:
    """`validate --site public` on Hugo's publishDir, where feedpub's files lie among Hugo's: Hugo's sitemap.xml and
    tags/index.xml list the term page of `c#` as /tags/c#/, its `#` unencoded, and the run failed (exit 1) over a
    file feedpub never wrote. Now each is a warning naming the file as Hugo's, and the run passes; a post page gone
    from the site still fails it, in feedpub's sitemap."""
    binary = hugo_oracle.hugo_binary()
    if binary is None:
        skip_or_fail("hugo is not installed (run .ci/install-system-deps): the check needs Hugo's built site")
    (tmp_path / "hugo.toml").write_text("baseURL = 'https://me.example.net/'\ntitle = 't'\n", encoding="utf-8")
    posts = tmp_path / "content" / "posts"
    posts.mkdir(parents=True)
    (posts / "a.md").write_text("---\ntitle: A\ndate: 2020-01-01\ntags: ['c#', go]\n---\nx\n", encoding="utf-8")
    layouts = tmp_path / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "list.html").write_text("{{ .Title }}", encoding="utf-8")
    (layouts / "single.html").write_text("{{ .Content }}", encoding="utf-8")
    subprocess.run(
        [binary, "--source", str(tmp_path), "--clock", hugo_oracle.CLOCK, "--quiet"],
        check=True,
        capture_output=True,
        env=hugo_oracle.clean_env(),
        timeout=hugo_oracle.TIMEOUT,
    )
    config = tmp_path / "feedpub.toml"
    assert run("init", "--from-hugo", tmp_path, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", hugo_oracle.CLOCK, "--quiet").exit_code == 0
    public = tmp_path / "public"
    checked = run("validate", "--site", public, "--config", config, "--now", LATER)
    assert checked.exit_code == 0, checked.output
    warnings = checked.stderr.splitlines()
    assert len(warnings) == 2, warnings
    assert warnings[0].startswith("feedpub: warning: sitemap.xml (a file of Hugo's, not feedpub's): ")
    assert warnings[1].startswith("feedpub: warning: tags/index.xml (a file of Hugo's, not feedpub's): ")
    assert all("https://me.example.net/tags/c#/ is not served by" in line for line in warnings)
    assert "no problems found; 2 warnings on files feedpub did not write" in checked.stdout

    (public / "posts" / "a" / "index.html").unlink()
    checked = run("validate", "--site", public, "--config", config, "--now", LATER)
    assert checked.exit_code == 1
    assert "sitemap-posts.xml: 4: https://me.example.net/posts/a/ is not served by" in checked.stdout
