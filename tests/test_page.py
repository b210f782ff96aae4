"""feeds.html: a static page with autodiscovery links and the latest posts, checked as a browser shows it."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests.conformance import html_datetime_problem, skip_or_fail, validate_atom
from tests.conftest import EXAMPLE_NOW, REPO, run, write_example_config

ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture
def page(tmp_path: Path) -> Path:
    config = write_example_config(tmp_path, '\n[feeds]\ncategories = ["생활"]\n')
    result = run("build", "--config", config, "--now", EXAMPLE_NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output
    return tmp_path / "out" / "feeds.html"


def test_page_has_autodiscovery_links_and_no_script(page: Path) -> None:
    document = lxml_html.fromstring(page.read_bytes())
    assert document.get("lang") == "ko"
    assert document.find("head/meta").get("charset") == "utf-8"  # first in <head>, before any text
    alternates = {e.get("type"): e.get("href") for e in document.iterfind("head/link[@rel='alternate']")}
    assert alternates == {
        "application/rss+xml": "https://example.org/rss.xml",
        "application/atom+xml": "https://example.org/atom.xml",
        "application/feed+json": "https://example.org/feed.json",
    }
    assert not document.xpath("//script | //link[@rel='stylesheet'] | //*[@onclick]")
    assert "@import" not in page.read_text(encoding="utf-8") and "url(" not in page.read_text(encoding="utf-8")
    latest = document.xpath("//section[@id='latest']//article")
    assert len(latest) == 15
    first = latest[0]
    assert first.xpath("string(.//h3/a)") == "서울에 첫눈… 평년보다 일주일 빨라"
    assert first.xpath("string(.//time)") == "2025-11-20"
    topics = document.xpath("//section[@id='topics']//a/@href")
    assert "https://example.org/categories/%EC%83%9D%ED%99%9C/rss.xml" in topics
    # Each line names its term; the site's title is the page's heading, not repeated on every line.
    assert document.xpath("//section[@id='topics']//li/a[1]/text()") == ["생활"]


def test_dates_are_valid_html_and_atom_entries_not_published_after_their_update(
    site_dir: Path, write_post: Callable[..., Path]
) -> None:
    """Decap CMS writes milliseconds (`.123000` was published, and HTML allows three digits at most), and Asia/Seoul
    was +08:27:52 until 1908 (HTML allows no seconds in an offset): the feeds switch to UTC for it, the page did not.
    The same milliseconds made Atom's `published` later than its `updated`."""
    write_post("2024-01-31-decap.md", "title: Decap\ndate: 2024-01-31T10:00:00.123Z")
    write_post("1900-01-01-old.md", "title: Old\ndate: 1900-01-01 12:00:00")
    result = run("build", "--config", site_dir / "config.toml", "--now", "2025-01-01", "--quiet")
    assert result.exit_code == 0, result.output

    page = lxml_html.fromstring((site_dir / "out" / "feeds.html").read_bytes())
    written = page.xpath("//time/@datetime")
    assert [html_datetime_problem(value) for value in written] == [None, None]
    moments = [datetime.fromisoformat(value) for value in written]
    assert moments == [datetime(2024, 1, 31, 10, tzinfo=UTC), datetime(1900, 1, 1, 3, 32, 8, tzinfo=UTC)]
    atom = validate_atom(site_dir / "out" / "atom.xml")
    for entry in atom.iterfind("{http://www.w3.org/2005/Atom}entry"):
        published, updated = (
            entry.findtext(f"{{http://www.w3.org/2005/Atom}}{name}") for name in ("published", "updated")
        )
        assert published and updated and datetime.fromisoformat(published) <= datetime.fromisoformat(updated)


def test_page_can_be_renamed_or_turned_off(tmp_path: Path) -> None:
    config = write_example_config(tmp_path)
    text = config.read_text(encoding="utf-8")
    for page, written in (('""', None), ('"subscribe/index.html"', "subscribe/index.html")):
        config.write_text(text.replace('dir = "out"', f'dir = "out"\npage = {page}'), encoding="utf-8")
        result = run("build", "--config", config, "--now", EXAMPLE_NOW.isoformat(), "--json")
        assert result.exit_code == 0, result.output
        assert written in [o["name"] for o in json.loads(result.output)["outputs"]] or written is None
        assert not (tmp_path / "out" / "feeds.html").exists()
    assert (tmp_path / "out" / "subscribe" / "index.html").is_file()


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if path := shutil.which(name):
            return path
    skip_or_fail("Chromium is not installed (apt-get install chromium fonts-noto-cjk): feeds.html not rendered")


def _headless(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [
        _chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def test_page_in_headless_chromium(page: Path, tmp_path: Path) -> None:
    dom = _headless(tmp_path, "--dump-dom", page.as_uri()).stdout
    document = lxml_html.fromstring(dom)
    text = " ".join(document.text_content().split())
    assert "구독하기" in text and "최근 글" in text  # the interface speaks the site's language
    assert "https://example.org/rss.xml" in text  # the address to copy into a reader
    assert "서울에 첫눈… 평년보다 일주일 빨라" in text
    assert "R&D 예산 < 작년?" in text  # escaped in the file, shown as written
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "feeds-page.png"
    screenshot.unlink(missing_ok=True)
    _headless(tmp_path, f"--screenshot={screenshot}", "--window-size=1200,1600", page.as_uri())
    assert screenshot.stat().st_size > 10_000  # a rendered page, not a blank one


def test_bidirectional_controls_in_titles_and_terms_end_with_them(tmp_path: Path) -> None:
    """A title or a category with an override left open (U+202E) reversed the text after it on the page: the
    " (Atom, JSON Feed)" after a term's link, and the next title. Such a text is isolated in <bdi>; others are as
    they were."""
    from tests.conftest import write_config

    (tmp_path / "_posts").mkdir()
    posts = {
        "2024-01-02-a.md": "title: Price \u202e5.99 USD\ncategories: [\u202eevil]",
        "2024-01-01-b.md": "title: Plain",
    }
    for name, front in posts.items():
        (tmp_path / "_posts" / name).write_text(f"---\n{front}\n---\n<p>본문.</p>\n", encoding="utf-8")
    config = write_config(tmp_path, extra="[feeds]\ncategories = true\n")
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 0, result.output
    document = lxml_html.fromstring((tmp_path / "out" / "feeds.html").read_bytes())
    isolated = [element.text for element in document.iter("bdi")]
    assert sorted(isolated) == sorted(["Price \u202e5.99 USD", "\u202eevil"])
    assert [a.text_content() for a in document.xpath("//h3/a")] == ["Price \u202e5.99 USD", "Plain"]
    assert not document.xpath("//h3/a[text()='Plain']/bdi")
