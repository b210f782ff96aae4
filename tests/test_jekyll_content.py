"""Post content as Jekyll renders it (issue #15): kramdown's extensions and Liquid never reach a feed as text.

Each fixture site is migrated and built (test_jekyll_reader.migrate) and each Atom entry's content compared with
the content jekyll-feed wrote for the same post: the recorded expected.json always, a fresh `jekyll build` when
jekyll is installed. Texts are compared (whitespace collapsed), not markup: colours and spacing may differ.
The hostile cases check that a template reads nothing outside the site and stops.
"""

from __future__ import annotations

import datetime
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin

import jekyll_oracle
import lxml.html
import pytest
from hypothesis import given
from hypothesis import strategies as st

from feedpub.errors import ConfigError, PostError
from feedpub.read import jekyll_settings
from feedpub.read.jekyll import kramdown, liquid, references
from feedpub.read.jekyll.site import KramdownOptions
from tests.conformance import skip_or_fail
from tests.conftest import run
from tests.hostile import build_within
from tests.test_jekyll_reader import ATOM, NOW, Migrate, Migrated, jekyll, migrated

__all__ = ["jekyll", "migrated"]  # fixtures used by name

SITES = jekyll_oracle.fixture_sites()
_SYNTAX = ("{:", "{::", "{%", "{{")


def _text(html: str) -> str:
    if not html.strip():
        return ""
    return " ".join(lxml.html.fragment_fromstring(html, create_parent="div").text_content().split())


def _contents(result: Migrated) -> dict[str, str]:
    """feedpub's Atom content by entry link."""
    found = {}
    for link, entry in result.entries().items():
        content = entry.find(f"{ATOM}content")
        found[link] = content.text or "" if content is not None else ""
    return found


def _jekyll_contents(feeds: dict[str, Any]) -> dict[str, str]:
    return {entry["link"]: entry["content"] or "" for entry in next(iter(feeds.values()))["entries"]}


def _compare(ours: dict[str, str], theirs: dict[str, str]) -> int:
    compared = 0
    for link, html in theirs.items():
        assert link in ours, link
        for syntax in _SYNTAX:
            if syntax not in _text(html):
                assert syntax not in _text(ours[link]), (link, syntax, ours[link])
        assert _text(ours[link]) == _text(html), link
        compared += 1
    return compared


@pytest.mark.parametrize("site", SITES)
def test_content_text_is_jekylls(site: str, migrated: Migrate) -> None:
    result = migrated(site, 1000)
    assert _compare(_contents(result), _jekyll_contents(result.expected["feeds"])) > 0


@pytest.mark.parametrize("site", SITES)
def test_content_text_is_a_fresh_jekyll_builds(site: str, tmp_path: Path, jekyll: None, migrated: Migrate) -> None:
    built = jekyll_oracle.build(jekyll_oracle.SITES / site, tmp_path)
    assert _compare(_contents(migrated(site, 1000)), _jekyll_contents(built["feeds"])) > 0


def _checkboxes(html: str) -> list[bool]:
    """Whether each checkbox of `html` is ticked, in order."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [box.get("checked") is not None for box in root.iter("input") if box.get("type") == "checkbox"]


def test_task_list_checkboxes_are_jekylls(migrated: Migrate) -> None:
    """kramdown's task lists keep their checkboxes, ticked where Jekyll's are: the feeds' sanitiser removed them."""
    result = migrated("kramdown-liquid", 1000)
    ours = {link: _checkboxes(html) for link, html in _contents(result).items()}
    theirs = {link: _checkboxes(html) for link, html in _jekyll_contents(result.expected["feeds"]).items()}
    assert [True, False] in [sorted(boxes, reverse=True) for boxes in theirs.values()]  # the fixture shows both
    assert ours == theirs


def test_kramdown_extensions_are_elements() -> None:
    # Rendered before the feeds' sanitising, which keeps elements and ids but drops classes.
    post = jekyll_oracle.SITES / "kramdown-liquid" / "_posts" / "2022-01-10-kramdown-extensions.md"
    html = kramdown.render(post.read_text(encoding="utf-8").split("---", 2)[2], kramdown.KramdownOptions())
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    assert root.xpath('//p[@class="notice--info"]') and root.xpath('//em[@class="highlight"]')
    assert root.xpath('//h2[@id="custom-id"]') and root.xpath('//h2[@id="한글-제목도-id를-얻습니다"]')
    assert root.xpath('//ul[@id="markdown-toc"]/li/a[@href="#custom-id"]')
    assert root.xpath('//sup[@id="fnref:note"]/a[@href="#fn:note"]') and root.xpath('//li[@id="fn:note"]')
    assert [dd.text_content() for dd in root.xpath("//dl/dd")][1:] == ["First definition.", "Second definition."]
    assert root.xpath('//abbr[@title="World Wide Web Consortium"]')
    assert root.xpath('//div[@class="wrapper"]/p/strong') and not root.xpath("//*[@markdown]")


def test_kramdown_extensions_in_text_are_jekylls(tmp_path: Path, jekyll: None) -> None:
    """A comment in a paragraph is hidden (`{::comment}TODO: the date is …{:/comment}`: feedpub published the
    author's note, taking away only the tags), nomarkdown in a paragraph is raw HTML (its `*html*` was emphasis);
    what kramdown does not read as an extension is text: a stop tag alone, an unknown name, a start tag with no stop
    tag after it in its paragraph (or a block's with none on a line of its own: it hid the rest of the post)."""
    posts = {
        "inline-comments": "We are launching soon {::comment}TODO: the date is 2024-05-01, keep it secret{:/comment}"
        " -- stay tuned.\n\nShort form {::comment}private note{:/} here, {::comment}two\nlines{:/comment} end.\n\n"
        "[a {::comment}c{:/comment} link](https://e.org) {::comment }spaced{:/comment} {::comment/}closed "
        '{::comment x="1"}attributes{:/comment} `{::comment}code{:/comment}` {::comment}`x{:/comment}` y`\n\n'
        "{::comment}alone on its line{:/comment}\n",
        "inline-nomarkdown": "Inline {::nomarkdown}<b>raw *html*</b>{:/nomarkdown} text, "
        '{::nomarkdown type="latex"}\\LaTeX{:/} and {::nomarkdown type="html"}<i>h</i>{:/}.\n',
        "text-extensions": "stray {:/} and {:/comment}, {::foo}unknown{:/foo}, unclosed {::comment} to the end\n\n"
        "no stop here {:/comment}\n\n**b**{:/} after\n\n{::comment}\nstop in text {:/comment} more\n{:/comment}\n"
        "after\n\n- a\n- {::comment}\n  in an item\n  {:/comment}\n\n"
        "{::comment}\nunclosed block\n*shown*\n\n## Shown\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_a_comment_that_holds_a_comments_end_stays_hidden() -> None:
    """kramdown writes a comment's body as it is, and a browser shows what follows a `-->` in it; feedpub hides
    all of it: the text is the author's private note."""
    for text in ("a {::comment}x --> secret{:/comment} b\n", "{::comment}\nx --> secret\n{:/comment}\n"):
        assert "secret" not in _text(kramdown.render(text, kramdown.KramdownOptions()))


def _site(tmp_path: Path) -> liquid.LiquidSite:
    site = tmp_path / "site"
    (site / "_includes").mkdir(parents=True)
    (site / "_posts").mkdir()
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    (site / "_includes" / "ok.html").write_text("fine {{ include.x }}", encoding="utf-8")
    (site / "_includes" / "self.html").write_text("x{% include self.html %}", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", site / "_includes" / "link.html")
    return liquid.LiquidSite(
        site, {"url": "https://e.org"}, lambda t: kramdown.render(t, kramdown.KramdownOptions()), ZoneInfoUTC
    )


from zoneinfo import ZoneInfo  # noqa: E402

ZoneInfoUTC = ZoneInfo("UTC")


def _render(tmp_path: Path, text: str) -> str:
    site = _site(tmp_path)
    return liquid.render(site, text, {"title": "t"}, str(site.source / "_posts" / "2020-01-01-a.md"))


def test_the_build_time_with_a_fraction_of_a_second_is_printed_as_jekyll_prints_it(tmp_path: Path) -> None:
    """A build without --now (as cron runs it) has a time with microseconds: Jekyll prints it as Ruby's Time#to_s
    and xmlschema do, without the fraction (observed: `2026-12-07 19:15:34 +0900`, `2026-12-07T19:15:34+09:00`,
    jsonify `"2026-12-07 19:15:34 +0900"`); feedpub printed Python's `2026-12-07 19:15:34.632403+09:00`."""
    seoul = ZoneInfo("Asia/Seoul")
    now = datetime.datetime(2026, 12, 7, 10, 15, 34, 632403, tzinfo=datetime.UTC)
    site = liquid.LiquidSite(tmp_path, {}, lambda text: text, seoul, now=now)
    text = (
        "{{ site.time }}|{{ site.time | date_to_xmlschema }}|{{ 'now' | date_to_xmlschema }}|{{ site.time | jsonify }}"
    )
    printed = liquid.render(site, text, {}, str(tmp_path / "_posts" / "2026-12-07-a.md"))
    assert (
        printed
        == '2026-12-07 19:15:34 +0900|2026-12-07T19:15:34+09:00|2026-12-07T19:15:34+09:00|"2026-12-07 19:15:34 +0900"'
    )


def test_an_include_is_read_from_includes(tmp_path: Path) -> None:
    assert _render(tmp_path, '{% include ok.html x="y" %}') == "fine y"


@pytest.mark.parametrize(
    "tag",
    [
        "{% include ../../secret.txt %}",
        "{% include /etc/passwd %}",
        "{% include link.html %}",
        "{% include_relative ../../secret.txt %}",
        "{% include_relative /etc/passwd %}",
        "{% include_relative ../_includes/link.html %}",
        "{% include_relative ../../_includes/link.html %}",
    ],
    ids=["dotdot", "absolute", "symlink-out", "relative-dotdot", "relative-absolute", "relative-link", "relative-up"],
)
def test_an_include_outside_the_site_writes_nothing(tmp_path: Path, tag: str) -> None:
    rendered = _render(tmp_path, "a" + tag + "b")
    assert "SECRET" not in rendered and "root:" not in rendered
    assert rendered == "ab"


def test_a_recursive_include_stops(tmp_path: Path) -> None:
    with pytest.raises((PostError, liquid.Unparsable)):
        _render(tmp_path, "{% include self.html %}")


@pytest.mark.parametrize(
    "text",
    [
        "{% for i in (1..100000000) %}x{% endfor %}",
        "{% for i in (1..5000) %}{% for j in (1..5000) %}x{% endfor %}{% endfor %}",
        '{% assign s = "xxxxxxxxxx" %}{% for i in (1..9000) %}{{ s }}{{ s }}{{ s }}{{ s }}{{ s }}{% endfor %}' * 20,
    ],
    ids=["huge-range", "nested", "output"],
)
def test_huge_loops_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(PostError, match="limit"):
        _render(tmp_path, text)


def test_an_attribute_list_after_text_is_text() -> None:
    """As Jekyll shows it (test_tags_and_attribute_lists_inside_paragraphs_are_kramdowns builds it with Jekyll)."""
    assert kramdown.render("a {: .x} b", kramdown.KramdownOptions()).strip() == "<p>a {: .x} b</p>"


def test_an_edited_include_reaches_the_feeds_through_the_cache(tmp_path: Path) -> None:
    """Posts render their includes: editing one must not leave the cached readings and contents as they were."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_includes").mkdir()
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\n", encoding="utf-8")
    note = site / "_includes" / "note.html"
    note.write_text("<p>Old note.</p>\n", encoding="utf-8")
    (site / "_posts" / "2024-01-02-post.md").write_text(
        "---\ntitle: Post\n---\n{% include note.html %}\n\nBody text.\n", encoding="utf-8"
    )
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    now = "2025-01-01T00:00:00+00:00"
    assert run("build", "--config", config, "--now", now, "--quiet").exit_code == 0
    feeds = [p for p in tmp_path.rglob("feed.json") if ".feedpub" not in p.parts]
    assert feeds and "Old note." in feeds[0].read_text(encoding="utf-8")
    note.write_text("<p>New note!</p>\n", encoding="utf-8")
    os.utime(note, ns=(note.stat().st_atime_ns, note.stat().st_mtime_ns + 2_000_000_000))
    assert run("build", "--config", config, "--now", now, "--quiet").exit_code == 0
    text = feeds[0].read_text(encoding="utf-8")
    assert "New note!" in text and "Old note." not in text


def _link_targets(html: str, base: str) -> list[str]:
    """Every link's target in a content, absolute (jekyll-feed keeps Jekyll's site-relative hrefs)."""
    if not html.strip():
        return []
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    return [urljoin(base, unquote(href)) for href in tree.xpath("//a/@href")]


def _compare_links(ours: dict[str, str], theirs: dict[str, str]) -> int:
    linked = 0
    for link, html in theirs.items():
        assert _link_targets(ours[link], link) == _link_targets(html, link), link
        linked += bool(_link_targets(html, link))
    return linked


@pytest.mark.parametrize("site", SITES)
def test_links_point_where_jekylls_do(site: str, migrated: Migrate) -> None:
    """post_url and link tags too: a feed entry links the post Jekyll's page links, at the URL Jekyll serves it."""
    _compare_links(_contents(migrated(site, 1000)), _jekyll_contents(migrated(site, 1000).expected["feeds"]))


def test_post_url_and_link_resolve_as_jekyll_resolves_them(migrated: Migrate) -> None:
    result = migrated("kramdown-liquid", 1000)
    (entry,) = (html for link, html in _contents(result).items() if link.endswith("/liquid-everywhere.html"))
    target = "http://docs.example.org/blog/docs/kramdown-extensions.html"
    assert _link_targets(entry, target).count(target) == 2  # {% post_url %} and {% link %}


@pytest.mark.parametrize("site", SITES)
def test_links_point_where_a_fresh_jekyll_builds_do(site: str, tmp_path: Path, jekyll: None, migrated: Migrate) -> None:
    built = jekyll_oracle.build(jekyll_oracle.SITES / site, tmp_path)
    _compare_links(_contents(migrated(site, 1000)), _jekyll_contents(built["feeds"]))


# How pages' URLs vary with the site: the permalink style gives their suffix ("weekdate" none at all), a baseurl
# leads every link, and `defaults` may give pages a permalink.
_PAGE_LINK_SETTINGS = {
    "pretty": "permalink: pretty\n",
    "weekdate-baseurl": 'permalink: weekdate\nbaseurl: "/blog"\n',
    "custom-slash-defaults": (
        "permalink: /:categories/:title/\n"
        "defaults:\n  - scope: {path: team, type: pages}\n    values: {permalink: /people/}\n"
    ),
}


@pytest.mark.parametrize("settings", list(_PAGE_LINK_SETTINGS.values()), ids=list(_PAGE_LINK_SETTINGS))
def test_links_to_pages_and_files_point_where_jekyll_builds_do(settings: str, tmp_path: Path, jekyll: None) -> None:
    """`{% link %}` to a page or a static file, under other permalink styles, a baseurl and page defaults."""
    site = tmp_path / "site"
    shutil.copytree(jekyll_oracle.SITES / "cross-references", site, ignore=shutil.ignore_patterns("expected.json"))
    config_file = site / "_config.yml"
    kept = [line for line in config_file.read_text(encoding="utf-8").splitlines(keepends=True)]
    kept = [line for line in kept if not line.startswith(("permalink:", "baseurl:"))]
    config_file.write_text("".join(kept) + settings, encoding="utf-8")
    built = jekyll_oracle.build(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    text = re.sub(r"(?m)^limit = .*\n", "", config.read_text(encoding="utf-8"))
    config.write_text(text.replace("[feeds]\n", "[feeds]\nlimit = 1000\n"), encoding="utf-8")
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    result = Migrated(site, config, built)
    contents = _jekyll_contents(built["feeds"])
    (linker,) = (html for link, html in contents.items() if "/linker" in link)
    assert any("report.pdf" in target for target in _link_targets(linker, result.base + "/"))
    assert _compare_links(_contents(result), contents) >= 1


def test_a_linked_post_that_moves_moves_the_link_through_the_cache(tmp_path: Path) -> None:
    """The linking post's file is unchanged, but its content shows the other post's URL: cached content must not
    keep the old one (a link to a page that is gone)."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\npermalink: /:categories/:title/\n")
    target = site / "_posts" / "2024-01-02-target.md"
    target.write_text("---\ntitle: Target\ncategories: old\n---\nThe target.\n", encoding="utf-8")
    (site / "_posts" / "2024-01-03-linker.md").write_text(
        "---\ntitle: Linker\n---\nSee [the target]({% post_url 2024-01-02-target %}).\n", encoding="utf-8"
    )
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    now = "2025-01-01T00:00:00+00:00"

    def linker_links(*options: str) -> list[str]:
        assert run("build", "--config", config, "--now", now, "--quiet", *options).exit_code == 0
        (feed,) = (p for p in tmp_path.rglob("feed.json") if ".feedpub" not in p.parts)
        items = json.loads(feed.read_text(encoding="utf-8"))["items"]
        (linker,) = (item for item in items if item["title"] == "Linker")
        return _link_targets(linker["content_html"], linker["url"])

    assert linker_links() == ["https://example.kr/old/target/"]
    target.write_text("---\ntitle: Target\ncategories: new\n---\nThe target.\n", encoding="utf-8")
    os.utime(target, ns=(target.stat().st_atime_ns, target.stat().st_mtime_ns + 2_000_000_000))
    assert linker_links() == ["https://example.kr/new/target/"]
    assert linker_links("--no-cache") == ["https://example.kr/new/target/"]


def test_a_build_whose_posts_make_no_references_never_keys_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keying every post for `post_url` and `link` costs ~20 µs a post; a site whose posts name none must not pay it
    (a build after one post changed keyed all 10k posts to find that the feed's 20 entries had no reference)."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\n", encoding="utf-8")
    for day in range(1, 6):
        (site / "_posts" / f"2024-01-0{day}-post-{day}.md").write_text(
            f"---\ntitle: Post {day}\n---\nBody {day}.\n", encoding="utf-8"
        )
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    keyed: list[str] = []
    keys_of = references._keys_of

    def counted(relative: str) -> Iterator[str]:
        keyed.append(relative)
        return keys_of(relative)

    monkeypatch.setattr(references, "_keys_of", counted)
    assert run("build", "--config", config, "--now", "2025-01-01T00:00:00+00:00", "--quiet").exit_code == 0
    assert keyed == []
    (site / "_posts" / "2024-01-09-linker.md").write_text(
        "---\ntitle: Linker\n---\nSee [one]({% post_url 2024-01-01-post-1 %}).\n", encoding="utf-8"
    )
    assert run("build", "--config", config, "--now", "2025-01-01T00:00:00+00:00", "--quiet").exit_code == 0
    assert len(keyed) == 6  # a post names another: every post is keyed, once


# Jekyll's PostComparer::MATCHER as Ruby writes it; Python's re reads it alike.
_JEKYLL_MATCHER = re.compile(r"^(.+/)*(\d+-\d+-\d+)-(.*)$")


_NAME_PARTS = st.sampled_from(["2024-01-02-x", "1-2-3-", "1-2-3", "a", "", "12", "-", "9-9-9-a.b"])


@given(st.text(alphabet="0123456789-/a.", max_size=24) | st.lists(_NAME_PARTS, max_size=5).map("/".join))
def test_a_post_url_name_is_read_as_jekylls_matcher_reads_it(name: str) -> None:
    match = _JEKYLL_MATCHER.match(name)
    expected = None if match is None else (*(int(part) for part in match[2].split("-")), match[3])
    assert references._dated(name) == expected


def test_hostile_cross_references_stop_no_build(tmp_path: Path) -> None:
    """Names of many folders and no date, and a tag that never closes: found in one pass, never backtracked."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\n", encoding="utf-8")
    bodies = {
        "folders": "{% post_url " + "a/" * 20_000 + " %}\n" + "{% post_url " + "1-1/" * 20_000 + "x %}",
        "unclosed": "[x]({% link " + " " * 500_000 + "\n",
        "many": "".join(f"[{i}]({{% post_url 2024-01-{i % 28 + 1:02d}-x{i} %}})\n" for i in range(20_000)),
    }
    for name, body in bodies.items():
        (site / "_posts" / f"2024-01-02-{name}.md").write_text(f"---\ntitle: {name}\n---\n{body}", encoding="utf-8")
    (site / "_posts" / "2024-01-01-control.md").write_text("---\ntitle: control\n---\nfine", encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0

    result = build_within(config, 60.0, "--now", "2025-01-01")

    assert not result.timed_out, "build still running after 60 s; killed"
    assert result.returncode in (0, 1), result.stderr
    (feed,) = (p for p in tmp_path.rglob("feed.json") if ".feedpub" not in p.parts)
    titles = {item["title"] for item in json.loads(feed.read_text(encoding="utf-8"))["items"]}
    assert "control" in titles


def test_html_liquid_nests_deep_is_refused_before_the_sanitiser(tmp_path: Path) -> None:
    """Sixteen doubling captures (870 bytes) make 98,304 nested <rt>: the nesting bound was checked on the post's
    source only, and the sanitiser took 12 s on it (186 s at four times as many); the bound now holds on what
    the sanitiser is given."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\n", encoding="utf-8")
    captures = "{% capture a0 %}<rt>{% endcapture %}" + "".join(
        f"{{% capture a{n} %}}{{{{ a{n - 1} }}}}{{{{ a{n - 1} }}}}{{% endcapture %}}" for n in range(1, 17)
    )
    (site / "_posts" / "2024-02-01-loop.html").write_text(
        f"---\ntitle: loop\n---\n{captures}{{{{ a16 }}}}{{{{ a15 }}}}", encoding="utf-8"
    )
    (site / "_posts" / "2024-01-01-ok.md").write_text("---\ntitle: ok\n---\nhello\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0

    result = build_within(config, 60.0, "--now", "2025-01-01")

    assert not result.timed_out, "build still running after 60 s; killed"
    assert "loop.html: HTML nested more than 512 elements deep" in result.stdout + result.stderr


def test_links_to_files_outside_the_site_or_not_files_keep_their_text(tmp_path: Path) -> None:
    """A `link` may name any path: one leading out of the site (by "..", a folder link or a file link), a pipe, a
    folder, a file Jekyll never publishes or a page whose front matter cannot be read, is not linked; a page beside
    them still is."""
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "passwd.md").write_text("---\npermalink: /leaked/\n---\nSECRET\n", encoding="utf-8")
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_private").mkdir()
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\n", encoding="utf-8")
    (site / "about.md").write_text("---\ntitle: About\n---\nAbout.\n", encoding="utf-8")
    (site / "_private" / "notes.md").write_text("---\ntitle: Notes\n---\nPrivate.\n", encoding="utf-8")
    (site / "elsewhere").symlink_to(outside)
    (site / "passwd.md").symlink_to(outside / "passwd.md")
    os.mkfifo(site / "pipe.md")
    (site / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n", encoding="utf-8")
    (site / "deep.md").write_text("---\nx: " + "[" * 5000 + "]" * 5000 + "\n---\nx\n", encoding="utf-8")
    targets = ["../secret/passwd.md", "elsewhere/passwd.md", "passwd.md", "pipe.md", "_private/notes.md", "_posts"]
    targets += ["broken.md", "deep.md"]  # front matter no page can have: the linking post is published all the same
    links = "".join(f"* [{target}]({{% link {target} %}})\n" for target in [*targets, "about.md"])
    (site / "_posts" / "2024-01-02-links.md").write_text(f"---\ntitle: Links\n---\n{links}", encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0

    result = build_within(config, 60.0, "--now", "2025-01-01")

    assert not result.timed_out and result.returncode == 0, result.stderr
    (feed,) = (p for p in tmp_path.rglob("feed.json") if ".feedpub" not in p.parts)
    (item,) = json.loads(feed.read_text(encoding="utf-8"))["items"]
    assert _link_targets(item["content_html"], "https://example.kr/") == ["https://example.kr/about.html"]
    # Their text is kept ("..", as kramdown's typography has it, an ellipsis).
    assert all(target.lstrip(".") in item["content_html"] for target in targets), item["content_html"]
    assert "leaked" not in feed.read_text(encoding="utf-8")


# Spans whose markup (not only their text) took more than the fixture sites to get right, each a post of its own.
KRAMDOWN_SPANS = {
    # kramdown's emphasis: a `*` run opens before any but white space, closes after any but white space; an `_`
    # run not inside a word. CommonMark's punctuation rules left these as asterisks (a Korean post).
    "korean-emphasis": '이것은**"강조"**입니다 그리고 **강조(괄호)**는 끝.\n\nx**(y)**z\n\n오늘은*기울임*이다\n\n'
    "a__b__c\n\nsnake_case_word\n\n__init__.py\n\n**foo **bar\n\n2*3*4\n\na * b * c\n\n**a*b**\n\n*a*b*",
    # A quote right after any span (an emphasis, an HTML tag, open or closed) starts its text anew.
    "quotes-after-spans": "\n\n".join(
        ["<em>\"html em\"</em> and <b>'html b'</b>", '<em>a</em>"x" y', '*a*"x" y', 'a<br>"x"']
    ),
    "ial-attributes": '![Cover](/assets/cover.png){: width="600" height="400"} and `code`{: title="a \'b\' c"}',
    # Korean news copy: a quote closes before a particle; markdown-it's pairing left both straight.
    "korean-quotes": "김모 씨는 \"기대된다\"고 말했다. 시민들은 '좋다'며 웃었다. \"*강조*\"와 '**굵게**'도.",
    "guillemets": "Use <<guillemets>> here, and a << b >> c.",  # words an HTML tag swallowed
    "footnote-cited-twice": "Claim one.[^a] Claim two.[^b] Again one.[^a]\n\n[^a]: Source A.\n[^b]: Source B.\n",
    "table-of-contents": "* 목차\n{:toc}\n\n## 가\n\n### 나\n\n#### 라\n\n## 다\n\n### 마\n",
    "spaced-destinations": "![사진](/assets/img/사진 1.png) and [보도자료](/files/보도 자료.pdf).",
    "quotes-around-markup": '"[링크](/a/)" and \'`code`\' and "x"y and it\'s \'tis \\"escaped\\" 80\'s',
}


def _markup(html: str, base: str) -> list[tuple[str, tuple[tuple[str, str], ...], str, str]]:
    """Each element of `html` once cleaned as feedpub cleans content: its tag, attributes, own text and the text
    after it (a block of math is text between elements), and the tags it is in (a header after a quote or in it)."""
    from feedpub.render.html import clean_html

    return _elements(clean_html(html, base))


def _elements(html: str) -> list[tuple[str, tuple[tuple[str, str], ...], str, str]]:
    """Each element of `html`: its tag, attributes, own text and the text after it, and the tags it is in."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [
        (
            "/".join(str(a.tag) for a in reversed(list(e.iterancestors()))) + "/" + str(e.tag),
            tuple(sorted(e.attrib.items())),
            " ".join((e.text or "").split()),
            " ".join((e.tail or "").split()),
        )
        for e in root.iter()
    ]


def test_kramdown_spans_are_a_fresh_jekyll_builds_markup_and_all(tmp_path: Path, jekyll: None) -> None:
    _assert_markup_is_jekylls(tmp_path, KRAMDOWN_SPANS)


def test_parse_block_html_parses_block_elements_as_jekyll_does(tmp_path: Path, jekyll: None) -> None:
    """`kramdown: parse_block_html: true` parses a <div>'s content as Markdown, as `markdown="1"` does for one."""
    posts = {
        "block-html": '<div class="card">\n**굵게** a div, with a [link](https://example.com).\n</div>\n\n'
        '<section>\n## 제목\n\n- a\n- b\n</section>\n\n<div markdown="0">\n**raw**\n</div>\n',
    }
    _assert_markup_is_jekylls(tmp_path, posts, "kramdown: {parse_block_html: true}\n")


def test_long_runs_that_nothing_closes_read_in_one_pass_as_jekyll_prints_them(tmp_path: Path, jekyll: None) -> None:
    """Lines kramdown prints as text in well under a second: a pattern whose two parts both took the run of
    spaces held each post past the 10 s a post may take, and it was rejected (or took half a minute)."""
    posts = {"attribute-list": "intro\n\n{:" + " " * 40_000 + "x\n", "header": "intro\n\n# a" + " " * 200_000 + "x\n"}
    _assert_markup_is_jekylls(tmp_path, posts)


def test_runs_that_kramdown_reads_in_quadratic_time_stop_no_build(tmp_path: Path) -> None:
    """Each "{:" or "[" read to the line's (or the text's) end, or spaces taken by two parts of a pattern: kramdown
    itself takes minutes on these (5,000 "[" lines: 60 s), and so did feedpub, until the post was rejected; each
    is read in one pass now, and published."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: t\nurl: https://example.kr\n", encoding="utf-8")
    bodies = {
        "leftover-lists": "{:" * 49_000,
        # Lazy lines of a list item that each could be a header, each asking about the lines before it (90 s).
        "lazy-hashes": "- item\n" + "#x\n" * 20_000 + "- item\n^\n" + "## h\n" * 20_000,
        "markdown-html": "<div" + " " * 100_000 + "x",
        # 20,000 lines: read in one pass, where a quadratic reading takes minutes for 5,000 (markdown-it's link
        # labels still cost 30-100 microseconds a "[": more are refused, markup.MAX_LINK_OPENERS).
        "link-labels": ("[" + "a" * 20 + "\n") * 20_000,
        # A start tag read across lines, every later `<div` taken as an attribute (20,000: 72 s, rejected).
        "div-lines": "<div\n\n" * 20_000,
        # A table's separator pattern whose two parts both took "-" (200,000 dashes: 76 s).
        "dash-line": "-" * 200_000 + '"',
        # Lines of a comment and text, each read again to the text's end (a version that never landed).
        "comment-lines": "<!-- c --> x\n" * 20_000,
        "raw-spans": "<kbd>x</kbd> " * 20_000 + "<code>a",
        # A loose list of `{:toc}` items, each walked back to its list (8,000: 21 s, rejected).
        "toc-items": "* x\n{:toc}\n\n" * 12_000,
        # Extensions with no stop tag, each a search to the text's end for one.
        "unclosed-extensions": "{::comment}\n\n" * 10_000 + "{::comment x " * 10_000,
        # Fences of many lengths, and code spans, that nothing or something far on closes.
        "fences": "".join("`" * (3 + n % 20) + "\n\n" for n in range(5_000)) + "~" * 20_000 + "\nx\n",
        "code-spans": "`` a " * 10_000 + "x ` y" * 10_000,
        # Automatic links that no ">" on their line closes, each read to the line's end (16,000: over 10 s).
        "autolink-openers": "<http:" * 16_000 + "\n" + "<mailto:a " * 10_000 + "\n>",
    }
    for name, body in bodies.items():
        (site / "_posts" / f"2024-01-02-{name}.md").write_text(f"---\ntitle: {name}\n---\nintro\n\n{body}\n", "utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0

    result = build_within(config, 60.0, "--now", "2025-01-01")

    assert not result.timed_out, "build still running after 60 s; killed"
    assert result.returncode == 0, result.stderr
    (feed,) = (p for p in tmp_path.rglob("feed.json") if ".feedpub" not in p.parts)
    assert {item["title"] for item in json.loads(feed.read_text(encoding="utf-8"))["items"]} == set(bodies)


def test_list_items_paragraphs_are_kramdowns_per_item(tmp_path: Path, jekyll: None) -> None:
    """kramdown wraps an item's first paragraph in <p> only when a blank line parts it from what follows (a
    definition's: from what comes before), and numbers every ordered list from 1 (Minimal Mistakes' docs: a code
    block in one item wrapped every item); its `-`, `*` and `+` mark one list; its headers start at the first
    column."""
    posts = {
        "steps": "1. Do step 1.\n2. Now do this:\n\n   ```\n   puts 1\n   ```\n\n3. Now you can do this.\n\n"
        "* Useful\n    - nested\n\n        text after a blank line\n* Usable\n",
        "loose-and-tight": "6. six\n7. seven\n\ntext\n\n1. a\n2. b\n\n   para\n3. c\n\n- x\n\n- y\n- z\n\nafter\n",
        "definitions": "Term\n\n: def\n\nTerm\n: def\n\n: def2\n\nT1\n: d1\n\nT2\n: d2\n\nother\n\n> Q\n>\n> : qd\n",
        # so-simple-theme's docs: `-` then `*` is one list, its last item wrapped as the one before it.
        "markers": " - first item\n\n* second item, other marker\n\ntext\n\n- a\n+ b\n- c\n\n"
        "* a\n  - n1\n  + n2\n* b\n",
        # A header's "#" at the first column, and text after it; else it is text (the same post).
        "headers": "# a\n\n ## indented\n\n   ### more\n\n#### One\n\n####\n\n#### Two\n\npara\n ## x\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_a_header_right_after_an_items_text_is_the_items_as_jekylls(tmp_path: Path, jekyll: None) -> None:
    """kramdown's list takes an item's lazy lines (to a blank line) before it reads the item's blocks, and a `#`
    header ends a paragraph there: `- pears` then `## Next` at the first column is a header in the item, and so are
    the lines after it. feedpub showed "pears ## Next" as the item's text. `#text` stays text; a header after a
    blank line is the list's end."""
    posts = {
        "shopping": "- apples\n- pears\n## Next\n\ntext\n",
        "ordered": "1. a\n2. b\n# Top\n",
        "nested": "- a\n  - b\n### c\nmore\n\n- a\n  - b\n  ### c\nmore\n\n- a\n  - b\n ### c\nmore\n",
        "lines-after": "- a\n#### H ####\nx\n## I\n\n- one\n- two\n### Three\nAfter.\n\n- three\n",
        "next-item": "- a\n## H\n- b\n## I {#custom}\n\n- c\n## J\n\n- d\n",
        "second-paragraph": "- a\n\n  b\n## H\n",
        "in-a-quote": "> - a\n> ## H\n",
        "not-headers": "* a\n#nospace\n\n- a\n    ## H\n\n- a\n# \n\n- a\n\n## After\n",
        # A definition takes its lazy lines as an item does: a list, a quote or a header right after its text.
        "definitions": "Term\n: def\n- a\n- b\n\nT2\n: d2\n> q\n\nT3\n: d3\n## H\n\ntext\n\n* `c`\n  : d\n  - sub\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_a_quotes_lazy_lines_are_the_quotes_as_jekylls(tmp_path: Path, jekyll: None) -> None:
    """kramdown's quote takes every line after its `>` line to a blank line (or an attribute list, or an HTML
    block's tag), with or without its `>`, and reads the quote's blocks from them: `> q` then `## H`, a list or a
    fence are in the quote on the Jekyll site, where feedpub put them after it."""
    posts = {
        "header": "> q\n## H\nmore\n\n> a\n>\n## H\n",
        "list": "> q\n- a\n- b\n\n> q\n- a\n\nafter\n",
        "fence": "> Note:\n```\ncode\n```\n",
        "nested": "> > nested\n> back\nlazy\n\n> 1. one\n> 2. two\nlazy\n",
        "ends": "> a\n<div>x</div>\n\n> a\n{: .cls}\n\n> a\n\n> b\n",
        "indents": ">no space\n>  two spaces\n>     code?\n\n  > indented quote\n  lazy\n\n>\n> a\n",
        "in-items": "- > in item\n  > more\n\n- > in item\nlazy\n\n- > q\n- b\n\n- a\n  > q\nlazy\n\nafter\n\n"
        "1. > q\n   > r\nlazy\n2. next\n\n- a\n> q\n- b\n",
        # An item's nested list after a quote in it is the item's, not the quote's (kramdown parts them first).
        "sub-lists": "- Tips\n  > quoted\n  - sub item\n\n- Install\n  > Requires Python\n  1. download\n  2. run\n",
        # The attribute list that ends a quote is the quote's, and the line after it starts a block.
        "attributes": "> To be or not to be\n{: .epigraph}\n---\n\n> q\n{: .c}\n===\n\n> {: .y}\n:   def2\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_automatic_links_are_kramdowns(tmp_path: Path, jekyll: None) -> None:
    """kramdown links `<…>` of its own schemes only (in lower case) and addresses, to the first `>` on the line:
    `<mailto:me@example.com>` shows me@example.com on the Jekyll site, where feedpub showed "mailto:" too, and
    `<tel:123>` is text there."""
    posts = {
        "mail": "Write to <mailto:me@example.com> or <me@example.kr>, <é@example.kr>, <me+tag@example.com>.\n",
        "schemes": "<tel:123> <irc://x.y/z> <MAILTO:x@y.z> <Http://x.y> <ftp://x.y> <ftps://x.y> <http:>\n",
        "spans": '<https://x.y/a b> <https://x.y/?a=1&amp;b=2> <https://x.y/"q"> <http://x>>y *a <http://x*y> b*\n',
        "unclosed": "<http://a <https://b\n> <http:> <ftp:\n<mailto:c <http://d> e>\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_header_ids_take_the_sites_prefix_as_jekylls(tmp_path: Path, jekyll: None) -> None:
    """`kramdown: auto_id_prefix` comes before each id kramdown makes (not one a header names): a table of
    contents links to `#h-level-two` on the Jekyll site, where feedpub linked `#level-two`, a place the page lacks."""
    posts = {"toc": "* toc\n{:toc}\n\n## Level two\n\n## Level two\n\n## 한글 제목\n\n## !!!\n\n### Own {#own}\n"}
    _assert_markup_is_jekylls(tmp_path, posts, "kramdown:\n  auto_id_prefix: h-\n")


def test_tables_are_kramdowns(tmp_path: Path, jekyll: None) -> None:
    """kramdown's tables, not GitHub's (Minimal Mistakes' docs): separator lines around and inside a table, a
    footer, a line with a pipe alone, pipes in code and escaped, short rows; no table where text follows."""
    posts = {
        "wrapped": "|---\n| Parameter | Required\n|-|-\n| `id` | **Required**\n|---\n",
        "sections": "| H1 | H2 |\n|:---|---:|\n| a  | b  |\n|---------|\n| c  | d  |\n|=========|\n| F1 | F2 |\n",
        "one-line": "intro\n\na | b\n\n`a|b` text\n\na \\| b\n",
        "cells": "| a | `x|y` | c \\| d |\n|---|---|---|\n| 1 |\n\nx | y\n--|--\n1 | 2\n",
        "not-tables": "| a | b |\n|---|---|\n| 1 | 2 |\ntext after\n\n|h|\n|-|\n\ntext before\n| a | b |\n",
        "nested": "- item\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n\n> | q |\n> |---|\n> | 1 |\n",
        # Right after a header, no blank line: a paragraph to kramdown (a Korean travel post's `서울 | 부산`).
        "after-a-header": "## 여행기\n서울 | 부산\n\n## h\n| A | B |\n|---|---|\n| 1 | 2 |\n",
        # An item's or a definition's first line opens a table whatever the line before, which ends at the next
        # item; a lazy line (any other) is the table's.
        "in-items": "- Supported: Linux | macOS | Windows\n- next\n\n1. a | b\n2. c\n\n* x | y\n* z | w\n\n"
        "- a | b\n> q | r\nc | d\n- e\n\nTerm\n: def a | b\n: c | d\n\n- x\n  - a | b\n  - c\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_paragraphs_kramdown_starts_and_ends_are_jekylls(tmp_path: Path, jekyll: None) -> None:
    """What starts and ends a paragraph in kramdown's GFM reading (Korean blogs on Hydejack and Chirpy): a line
    that starts with a span element's tag (`<br>` for spacing, an `<img>` over its caption) is paragraph text,
    its Markdown rendered, where CommonMark made a raw HTML block of the rest; a setext header is one line, and
    "---" under a longer paragraph is its text (an em dash), not a heading or a rule; `1)` numbers no list;
    `~~x~~` is <del>."""
    posts = {
        "span-tag-lines": '<br>\n**다음 내용** 입니다.\n\n<img src="https://example.com/a.png" width="500">\n'
        "*그림 1* [출처](https://example.com/src)\n\n<br>\n\n<div>\n**raw**\n</div>\n",
        "setext": "근데 여기서 구하는것이다.\n보통 이용한다 .\n---\n\n문단\n셋째\n===\n\n제목\n---\n\n제목1\n===\n",
        "rules": "문단\n***\n\n문단2\n* * *\n\n문단3\n- - -\n\n---\n",
        "lists": "1) 첫째\n2) 둘째\n\n1. 첫째\n2) 둘째\n",
        "strike": "이것은 ~~취소선~~ 입니다.\n",
        "unclosed-tags": "First paragraph.\n\n" + "<div\n\n" * 3 + '<div a="\n\n<div b="x">\n',
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_strong_and_emphasis_in_one_run_are_jekylls(tmp_path: Path, jekyll: None) -> None:
    """`***중요***` is <strong><em> to kramdown, <em><strong> to CommonMark; a run that is not one emphasis around
    one strong emphasis keeps CommonMark's reading, which is kramdown's there."""
    posts = {
        "strong-outside": "이것은 ***중요***합니다, ___x___ 그리고\n",
        "strong-inside": "***a** b* 끝\n",
        "emphasis-inside": "***a* b** 끝\n",
        "other-markers": "_**x**_ *__x__*\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_html_at_a_lines_start_is_read_as_kramdown_reads_it(tmp_path: Path, jekyll: None) -> None:
    """<u> is one of kramdown's span elements and <textarea> is not (its HTML_SPAN_ELEMENTS); a quoted attribute
    value may hold "<"; a comment ends no paragraph, and text after it on its line is a paragraph's."""
    posts = {
        "span-names": "<u>중요</u>한 내용은 **굵게** 표시\n\n<textarea>x</textarea> **b**\n",
        "quoted-lt": '<div x-show="n < 5">\n* item one\n* item two\n</div>\n\n'
        '<div title="<3">\n# not a header\n</div>\n',
        "raw-spans": "Python의 <code>__init__</code> 메서드와 <kbd>**b**</kbd>\n\n"
        "<u>**중요**</u> <mark>_x_</mark> <s>*y*</s> <span>**b**</span>\n\n<code>a</code> and <code>unclosed **b**\n",
        # The `markdown` attribute decides, not a class that says "markdown"; a quoted "<" in the start tag.
        "markdown-attribute": '<code class="language-markdown">**a**</code> <code markdown="1">**a**</code> '
        '<span markdown="0">**a**</span>\n\n<code title="a<b">x</code> **y**\n',
        "comments": "<!-- TODO --> text **b** [link](https://e.org)\n\n<!-- multi\nline --> after *x*\n\n"
        "para\n<!-- c --> tail *y*\n\n<!-- a -->\n**b**\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_tags_and_attribute_lists_inside_paragraphs_are_kramdowns(tmp_path: Path, jekyll: None) -> None:
    """Inside a paragraph, a block element's tag is text (sun0te's `클래스 <div class="teaser">과`: feedpub passed it on
    and the rest of the post ended up in a <div>), so is an end tag that closes no element open there (`\\<u> …</u>`
    showed no `</u>`), and an element left open closes at the paragraph's end; an attribute list right after an
    element gives it attributes, anywhere else it is text (a table of Minimal Mistakes' notice classes, `|
    {: .notice} |`, showed empty cells)."""
    posts = {
        "block-tags": '썸네일 클래스 <div class="teaser">과  \n블로그 글 클래스 <div class="postbox"> 로 나누어서\n\n'
        "text <hr> text <p>para</p> and <td>c</td>\n\n# Head <div>x</div> </em>\n",
        "end-tags": "\\<u> 태그는 밑줄로 강조합니다.</u>\n\na <span>x</span> and </span> and <SPAN>y</span>\n\n"
        'a <b><i>x</b></i> y\n\na <span\nclass="x">multi</span> b\n\n| a | b |\n|---|---|\n| <div>x</div> | </b> |\n',
        "attribute-lists": "| box type |\n|----------|\n| {: .notice} |\n| {: .notice--info} |\n\n"
        "text {: .x} more\n\n**b**{: .x} after\n\n![i](/a.png){: .align-center} t\n\ntext{: .x}\n\n"
        "a *e*{: .c} b {: .d} c\n\n* item {: .x}\n* two\n\n# Head {: .x}\n\ntext {:toc} end\n\n"
        "para line\n{: .notice}\n\nnext\n",
        # An attribute list line inside a paragraph ends it; the lines after it are a paragraph (an image, its class,
        # its caption: the list was shown as text), indented up to three spaces too.
        "attribute-lines": "![screenshot](/assets/a.png)\n{: .center-image}\n*Figure 1. 화면*\n\npara\n   {: .a}\n\n"
        "one\n{: .x}\ntwo\n{: .y}\nthree\n\n- item\n  {: .z}\n  more\n\n> quote\n> {: .q}\n> after\n\n"
        "one\n{: .x}\n{: .y}\ntwo\n\n- x\n  {: .i}\n  {: .j}\n  y\n",
        # Attribute lines that open a paragraph: the block right before's, or after a blank line the paragraph's.
        "attribute-lines-first": "# Head\n{: .h}\ntext\n\npara\n\n{: .x}\ntext\n\n| a |\n|---|\n| 1 |\n{: .t}\n"
        "after\n\n- item\n{: .l}\npara\n",
        # Just the Docs' pages: headers of the class no_toc are left out of the table of contents.
        "no-toc": "# Guide\n{: .no_toc }\n\n## Table of contents\n{: .no_toc .text-delta }\n\n1. TOC\n{:toc}\n\n"
        "## Install\n\ntext\n\n## Use\n\ntext\n",
        # An empty element written self-closed is written <i …></i>: an HTML parser read on to the paragraph's end.
        "self-closed": 'Done <i class="fa fa-check"/> all good and *more* text\n\n<a name="top"/>\nHeading here\n\n'
        'x <b/> y and <span class="a" /> z <br/> w\n\n<img src="/a.png"/> caption **b**\n',
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_span_elements_are_kramdowns() -> None:
    """SPAN_ELEMENTS is the installed kramdown's HTML_SPAN_ELEMENTS (the gem Jekyll runs)."""
    from feedpub.read.jekyll.titles import SPAN_ELEMENTS

    found = sorted(Path("/usr/share/rubygems-integration/all/gems").glob("kramdown-2*/lib/kramdown/parser/html.rb"))
    if not found:
        skip_or_fail("kramdown is not installed (run .ci/install-system-deps): its span elements are the oracle")
    source = found[-1].read_text(encoding="utf-8")
    listed = re.search(r"HTML_SPAN_ELEMENTS = %w\[([^\]]*)\]", source)
    assert listed is not None
    assert set(SPAN_ELEMENTS) == set(listed.group(1).split())


def test_quotes_after_a_line_break_or_a_typographic_symbol_are_jekylls(tmp_path: Path, jekyll: None) -> None:
    """kramdown curls a quote at a line's start with the line break before it, and one right after a dash, an
    ellipsis or a guillemet as at a span's start (a Hydejack post: `'# theme: …'` opened with ’)."""
    posts = {
        "entities": 'a&nbsp;"b" 그리고&nbsp;\'c\' &hellip;"a" &mdash;\'b\' «"c"»\n',
        "quotes": '기자가 말했다.\n"(주)한국"의 발표가 있었다.\n\n'
        "설정은 다음과 같다.\n'# theme: jekyll-theme-hydejack'\n\n"
        '"좋다---"\n\n"그래서..." 그리고 "1990--2000" \'A--\' "x<<"\n\n첫 줄  \n"둘째" 줄\\\n\'셋째\'\n\n'
        '<< "a" >> 그리고 <<"b">>\n',
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_an_image_the_sites_defaults_give_leads_no_entrys_content(tmp_path: Path, jekyll: None) -> None:
    """jekyllrb.com's `defaults` give every post the site's logo as `image`: jekyll-feed shows it beside each entry
    (media:thumbnail), and feedpub put it at the top of every entry's content; a post's own image still leads."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    (site / "_config.yml").write_text(
        "title: Logo\nurl: https://logo.example\nplugins: [jekyll-feed]\n"
        "defaults:\n  - scope: {path: ''}\n    values: {image: /img/logo.png}\n",
        encoding="utf-8",
    )
    (site / "img").mkdir()
    for name in ("logo.png", "own.png"):
        (site / "img" / name).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))  # a size known: an enclosure
    (site / "_posts" / "2024-01-01-plain.md").write_text("---\ntitle: Plain\n---\nText only.\n", "utf-8")
    (site / "_posts" / "2024-01-02-own.md").write_text(
        "---\ntitle: Own\nimage: /img/own.png\n---\nText with a picture.\n", "utf-8"
    )
    built = jekyll_oracle.build(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    ours = _contents(Migrated(site, config, built))
    feed = next(p for p in (tmp_path / "site" / "_site").rglob("feed.xml"))
    thumbnails = re.findall(
        r'<media:thumbnail[^>]*url="([^"]+)"',
        (tmp_path / "jekyll")
        .joinpath(next(str(p.relative_to(tmp_path / "jekyll")) for p in (tmp_path / "jekyll").rglob("feed.xml")))
        .read_text(encoding="utf-8"),
    )
    assert sorted(thumbnails) == ["https://logo.example/img/logo.png", "https://logo.example/img/own.png"]
    assert "logo.png" not in ours["https://logo.example/2024/01/01/plain.html"]
    assert "own.png" in ours["https://logo.example/2024/01/02/own.html"]
    assert "https://logo.example/img/logo.png" in feed.read_text(encoding="utf-8")  # beside the entry still


@pytest.mark.parametrize("numbered", [False, True], ids=["plain", "line-numbers"])
def test_code_blocks_are_kramdowns(numbered: bool, tmp_path: Path, jekyll: None) -> None:
    """Fenced and indented code blocks, at the top and in a list item, as Jekyll writes them; with Chirpy's
    `syntax_highlighter_opts: block: line_numbers: true`, each in Rouge's numbered table (it was left out). A
    language Rouge does not know by that name (`mermaid`, `Python`) is written plainly, never numbered (it was
    highlighted and numbered)."""
    blocks = "```text\nint x = 3;\nint y = 5;\n```\n\n```\nplain\n```\n\n    indented\n    code\n\n"
    blocks += "```mermaid\ngraph TD\n  A --> B\n```\n\n```Python\nx = 1\n```\n\n"
    # kramdown takes an unindented line after an indented block as the block's (a lazy line), to a blank line.
    lazy = "para\n\n    code\ntext\n\n    a\n\n    b\nc d\n\ne\n"
    posts = {"code": blocks + "- item\n\n      in list\n", "lazy-lines": lazy}
    config = "kramdown: {syntax_highlighter_opts: {block: {line_numbers: true}}}\n" if numbered else ""
    _assert_markup_is_jekylls(tmp_path, posts, config)


_FENCE_RUNS = ["```", "```", "~~~", "~~~", "````", "`````", "~~~~", "~~`", "``~"]
# Languages Rouge writes no colours for (feedpub writes none): `text` is its plain text.
_FENCE_WORDS = ["", "", "text", " text ", "text?x=1", 'ruby title="app.rb"', "a b", "`x", "~"]
_FENCE_LINES = ["text *em*", "more text", "", "", "## Header", "    indented"]


def _fenced_body(draw: random.Random) -> str:
    """Lines of text, blank lines and fences of many shapes: runs of either character or both, three or more long,
    indented up to four spaces, with a word, a word and its options, two words or none; closed by the same run, a
    longer or shorter one, the other character, or nothing."""

    def fence() -> str:
        indent = " " * draw.choice([0, 0, 0, 1, 3, 4])
        return indent + draw.choice(_FENCE_RUNS) + draw.choice(_FENCE_WORDS)

    lines = [draw.choice([*_FENCE_LINES, fence(), fence()]) for _ in range(draw.randint(2, 12))]
    return "\n".join(lines) + "\n"


def test_fenced_code_blocks_are_kramdowns(tmp_path: Path, jekyll: None) -> None:
    """kramdown-GFM's fence needs a closing run of its own on a later line (the opening one or longer, or a shorter
    one when the rest of the opening is a word), and at most one word after the opening; otherwise the run is a
    paragraph's text and the rest of the post Markdown. CommonMark's fence ran to the post's end: an unclosed
    fence, `~~~` closed by ```` ``` ````, or ```` ```ruby title="app.rb" ```` made the rest of the post one code
    block. Compared over generated bodies, in one site built by the real Jekyll and by feedpub."""
    draw = random.Random(20240611)
    posts = {
        "unclosed": "Before the fence.\n\n```ruby\ndef x\n  1\nend\n\nStill in the fence?\n\n## Header inside\n",
        "tilde-closed-by-backticks": "Text.\n\n~~~\ntilde closed by backticks\n```\n\nAfter.\n",
        "two-words": 'Text.\n\n```ruby title="app.rb"\nputs 1\n```\n\nAfter.\n',
        # Fences in containers whose closing run is less indented than the container's text (kramdown takes such
        # lazy lines into its lists, quotes and definitions): the fence is still closed there.
        "quoted-fence-closed-unquoted": "> ```\n> code\n```\n",
        "quote-then-fence": "> Note:\n```\ncode\n```\n",
        "item-fence-closed-at-column-0": "- item\n  ```\n  code\n```\n\nafter\n",
        "item-after-blank-fence-closed-at-column-0": "- item\n\n  ```\n  code\n```\n\nafter\n",
        "nested-item-fence-at-parents-indent": "- a\n  - b\n  ```\n  code\n  ```\n",
        "definition-then-fence": "Term\n: def\n```\ncode\n```\n",
        "note-then-fence": "[^1]: note\n```\ncode\n```\n\nText[^1]\n",
        # A fence right after an item's line, at the first column: the item's (kramdown's list takes lazy lines).
        "fence-after-item-line": "1. Run this:\n```\nmake\n```\n2. Next\n\n"
        "- Install:\n```\ngem install x\n```\n- Build\n",
        **{f"generated-{number:02}": _fenced_body(draw) for number in range(60)},
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def _assert_markup_is_jekylls(
    tmp_path: Path, posts: dict[str, str], config: str = "", includes: dict[str, str] | None = None
) -> Migrated:
    """Build `posts` (name -> Markdown body), with `includes` (name -> text) in _includes, with the real Jekyll and
    with feedpub: the same content, element by element (tag, attributes, text), once cleaned as feedpub cleans
    content. Returns the builds, for more checks."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_includes").mkdir()
    for name, text in (includes or {}).items():
        (site / "_includes" / name).write_text(text, encoding="utf-8")
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    (site / "_config.yml").write_text(
        "title: Spans\nurl: https://spans.example\nplugins: [jekyll-feed]\nfeed: {posts_limit: 100}\n" + config,
        encoding="utf-8",
    )
    for day, (name, body) in enumerate(posts.items()):
        date = datetime.date(2024, 1, 1) + datetime.timedelta(days=day)
        (site / "_posts" / f"{date}-{name}.md").write_text(f"---\ntitle: {name}\n---\n{body}\n", "utf-8")
    built = jekyll_oracle.build(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    migrated = Migrated(site, config, built)
    ours = _contents(migrated)
    theirs = _jekyll_contents(built["feeds"])
    assert len(theirs) == len(posts)
    for link, html in theirs.items():
        assert _markup(ours[link], link) == _markup(html, link), link
    return migrated


def test_a_block_right_after_an_items_text_is_a_word_apart_in_the_summary(tmp_path: Path, jekyll: None) -> None:
    """kramdown writes a newline between a tight item's text and a code block or HTML block after it, which
    jekyll-feed's summary (its tags stripped) keeps as a space: "Install: apt install foo". feedpub wrote none, and
    its summary read "Install:apt install foo"."""
    posts = {
        "fence": "1. Install:\n   ```\n   apt install foo\n   ```\n2. Run it.\n",
        "html": "- See:\n  <div>the box</div>\n- Then:\n  <p>more</p>\n",
        "nested": "- Steps:\n  1. Get:\n     ```\n     curl x\n     ```\n- Done.\n",
        "loose": "- Install:\n\n  ```\n  make\n  ```\n\n- Use.\n",
    }
    migrated = _assert_markup_is_jekylls(tmp_path, posts)
    ours = {link: entry.findtext(f"{ATOM}summary") for link, entry in migrated.entries().items()}
    theirs = {entry["link"]: entry["summary"] for entry in migrated.expected["feeds"]["feed.xml"]["entries"]}
    assert ours == theirs
    assert "Install: apt install foo Run it." in theirs.values()


def test_include_parameters_that_are_numbers_or_literals_are_jekylls(tmp_path: Path, jekyll: None) -> None:
    """An unquoted include parameter is a Liquid expression: al-folio's `{% include figure.liquid zoomable=true
    width=600 %}` gives a width and a zoom, a rating `n=4 verified=false` four stars. feedpub looked `600` and
    `true` up as variables, and gave the include nil."""
    includes = {
        "figure.liquid": '<figure><img src="{{ include.path | relative_url }}"{% if include.width %} width="'
        '{{ include.width }}"{% endif %}>{% if include.zoomable %}<span>zoomable</span>{% endif %}</figure>\n',
        "values.html": "{% for i in (1..include.n) %}★{% endfor %} {% if include.verified == false %}unverified"
        "{% endif %} {{ include.ratio | plus: 1 }} {{ include.version | times: 10 }} {{ include.negative | abs }}"
        " {% if include.gone == nil %}nil{% endif %} {% if include.none == empty %}empty{% endif %}"
        " {% if include.title %}{{ include.title }}{% endif %}",
    }
    body = (
        '{% include figure.liquid path="img/9.jpg" zoomable=true width=600 %}\n\n'
        "Rating: {% include values.html n=4 verified=false ratio=1.5 version=1.2.3 negative=-3 gone=nil"
        " none=empty title=page.title %}\n"
    )
    _assert_markup_is_jekylls(tmp_path, {"literals": body}, includes=includes)


def test_math_is_kramdowns(tmp_path: Path, jekyll: None) -> None:
    """kramdown's math: `$$…$$` in text is `\\(…\\)`, alone between blank lines `\\[…\\]` with no paragraph, the
    TeX untouched (MathJax reads it). feedpub read it as Markdown: `\\{x\\}` lost its backslashes, `a*b*c` became
    emphasis, `f'(x)` took a curly quote and `1 -- 2` a dash."""
    posts = {
        "span": "The derivative $$f'(x) = \\lim_{h \\to 0} \\frac{f(x+h)-f(x)}{h}$$ and $$0<a<b$$ hold.\n\n"
        '간격 $$a\\,b\\;c\\!d$$, $$a*b*c$$, $$\\{x\\}$$, $$\\|x\\|$$, $$1 -- 2$$ and "quoted $$x$$".\n\n'
        "*a $$b*c$$ d* and `code $$x$$` and $$a `b$$` c` and $$$x$$$ and $$a$$b$$.\n\n"
        "Text \\$$x$$ and $ single $ and $$ unclosed\n\n# Head $$x^2$$ end\n\nLine  \n$$x$$\n",
        "block": "$$\n\\begin{aligned}\n\\hat{y} &= Xw \\\\\nw^* &= (X^TX)^{-1}X^Ty\n\\end{aligned}\n$$\n\n"
        "   $$x = 1$$   \n\n$$a\n\nb$$\n\npara\n$$x$$\n\n$$x$$\nnext\n\n$$x$$ trailing\n\n\\$$y$$\n\n"
        "$$z$$\n{: .c}\n\n- item $$x$$\n- $$\n  y\n  $$\n\n> $$\n> q\n> $$\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_liquid_the_strict_parser_refuses_renders_as_jekylls_tolerant_one(tmp_path: Path, jekyll: None) -> None:
    """Jekyll's Liquid reads tolerantly: an output it cannot read (an escaped quote in a string) spoils only
    itself. python-liquid's strict parser refused the whole post, and feedpub fell back to removing every tag:
    both branches of an `if` showed, and the date was empty."""
    body = (
        '{% if page.tags contains "a" %}Tagged a.{% else %}Not a.{% endif %} Posted {{ page.date | date: "%Y-%m-%d" }}.'
        '\n\n{{ "Tom\'s \\"best\\"" | upcase }}\n'
    )
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    (site / "_config.yml").write_text(
        "title: Lax\nurl: https://lax.example\nplugins: [jekyll-feed]\n", encoding="utf-8"
    )
    (site / "_posts" / "2024-03-03-lax.md").write_text(f"---\ntitle: Lax\ntags: [a]\n---\n{body}", encoding="utf-8")
    built = jekyll_oracle.build(site, tmp_path / "jekyll")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    ((link, theirs),) = _jekyll_contents(built["feeds"]).items()
    ours = _contents(Migrated(site, config, built))[link]

    def first_paragraph(html: str) -> str:
        return _text(html.split("</p>")[0])

    assert first_paragraph(ours) == first_paragraph(theirs) == "Tagged a. Posted 2024-03-03."


# Ruby's strftime directives C's has not, on a time with a fraction and an offset of hours and minutes (and the
# page's date, in the site's zone); slugify's "latin" mode; inspect of what Liquid holds.
RUBY_FILTERS = {
    "date-directives": " ; ".join(
        f'{{{{ {moment} | date: "{form}" }}}}'
        for moment in ('"2020-03-04T05:06:07.123456-03:30"', "page.date", '"2020-03-04 05:06:07"')
        for form in ("%L", "%N", "%3N", "%6N", "%12N", "%:z", "%::z", "%Y-%m-%dT%H:%M:%S.%L%:z", "%s", "%%L %%:z")
    ),
    "latin": " ; ".join(
        f'{{{{ "{text}" | slugify: "latin" }}}}'
        for text in ("Ünïcödé Çafé", "Straße Œuvre ĳssel Þórr", "한글 제목 Été", "Cafe\u0301 ŉ", "plain ASCII-text")
    ),
    "inspect": " ; ".join(
        f"{{{{ {value} | inspect }}}}"
        for value in (
            "page.categories",
            "nothing",
            '"Tom\'s <b> & co"',
            "12",
            "1.5",
            "true",
            '"a,b" | split: ","',
            "site.title",
        )
    ),
}


def test_ruby_date_directives_latin_slugs_and_inspect_are_jekylls(tmp_path: Path, jekyll: None) -> None:
    """`date: "%:z"`, `"%L"`, `"%N"` printed as written (Jekyll: +09:00, 000); `slugify: "latin"` kept the accents
    (Jekyll: unicode-cafe); `inspect` wrote nothing (Jekyll: [])."""
    _assert_markup_is_jekylls(tmp_path, RUBY_FILTERS, config="timezone: America/St_Johns\n")


# Renders a date format in a process of bounded memory, printing the CPU seconds it took and what it gave.
_TIMED_DATE = """
import resource, sys, time
from pathlib import Path
from zoneinfo import ZoneInfo
resource.setrlimit(resource.RLIMIT_AS, (1_000_000_000, 1_000_000_000))
from feedpub.errors import PostError
from feedpub.read.jekyll import liquid
site = liquid.LiquidSite(Path(sys.argv[1]), {}, lambda text: text, ZoneInfo("UTC"))
started = time.process_time()
try:
    given = liquid.render(site, '{{ "2024-03-03" | date: "' + sys.argv[2] + '" }}', {}, "_posts/2024-03-03-n.md")
except PostError as error:
    given = str(error)
print(time.process_time() - started, given[:300])
"""


@pytest.mark.parametrize("form", ["%999999999N", "%99999999999999999999999L", "%-5000Y", "x %%d %12345678901234N"])
def test_a_date_width_past_its_bound_rejects_the_post_before_padding(tmp_path: Path, form: str) -> None:
    """`%999999999N` built its nine hundred million digits in one call (85 s, 11.7 GB) before a limit could look,
    and a width past a machine integer was an internal error (OverflowError): every width is bounded first."""
    finished = subprocess.run(
        [sys.executable, "-c", _TIMED_DATE, str(tmp_path), form], capture_output=True, text=True, timeout=60
    )
    assert finished.returncode == 0, finished.stderr[-500:]
    seconds, given = finished.stdout.split(" ", 1)
    directive = form.split()[-1]
    assert "pads to more than 1,000 characters" in given and directive[:12] in given, given
    assert float(seconds) < 1


def test_footnote_definitions_end_where_kramdowns_do(tmp_path: Path, jekyll: None) -> None:
    """A footnote definition is its first line and the indented lines after it (with the unindented lines right
    after those): the link definitions at a post's end, right after its notes, were taken into the last note (its
    links shown as `[the docs][docs]`), and so was a paragraph's line. kramdown reads an indented code block's
    lines by the same rule, whose lazy lines end at an attribute list or an HTML block's tag."""
    posts = {
        "notes-then-links": "Text one[^1] two[^2], see [the docs][docs] and [GitHub].\n\n[^1]: Note one.\n"
        '[^2]: Note two.\n[docs]: https://example.org/docs\n[GitHub]: https://github.com "GitHub"\n',
        "note-lines": "Three[^3] four[^4] five[^5] six[^6].\n\n[^3]: Note three.\nMore text\n\n"
        "[^4]: Note four.\n    indented\nlazy after indented\n\n[^5]:\n    Para in five.\n\n    Second para.\n"
        "  not indented enough\n\npara before\n[^6]: in a paragraph\n",
        "code-lazy-lines": "para\n\n    code\n{: .x}\n\n    code2\n<div>x</div>\n\n    code4\n<span>lazy</span>\n"
        '   <A href="x">a</A>\n\ntext\n',
    }
    _assert_markup_is_jekylls(tmp_path, posts)


_KRAMDOWN_OPTIONS_POST = (
    "* TOC\n{:toc}\n\n첫째 줄\n둘째 *강조\n이어짐* 줄\n<span>span\ninside</span> after\n`code\nspan` and [a\n"
    "link](https://e.org)\ntwo spaces  \nend\\\nback\\\\\nlast\n\n> quote line\n> second\n\n"
    "- item line\n  continued\n\n"
    "# One\n\nWait... what -- really --- yes. << quote >> and <<tight>>\n\n## Two {#custom}\n\n### Three\n\n"
    "#### Four\n\n###### Six\n"
)


@pytest.mark.parametrize(
    "options",
    [
        # The audit's (a Korean blog's): its lines ran together, its headers a level up, a longer contents list.
        "{input: GFM, hard_wrap: true, header_offset: 1, toc_levels: 2..3, "
        "typographic_symbols: {hellip: '...', ndash: '--', mdash: '---', laquo: '<<', raquo_space: ' >>'}}",
        # The other forms kramdown reads: a list of levels, an offset in a string, "false" in a string.
        "{hard_wrap: 'false', header_offset: '-1', toc_levels: [1, '3'], typographic_symbols: {':raquo': '>'}}",
        "{toc_levels: '1,4', header_offset: 4}",
    ],
    ids=["korean-blog", "other-forms", "list-string"],
)
def test_kramdown_options_are_jekylls(options: str, tmp_path: Path, jekyll: None) -> None:
    """`hard_wrap` (every line break a <br />, but in an HTML span), `header_offset` (headers' levels moved, kept
    within 1 to 6), `toc_levels` (the levels as written that the table of contents lists) and
    `typographic_symbols` were ignored. Without hard_wrap, two backslashes at a line's end are kramdown's break too
    (feedpub showed one)."""
    _assert_markup_is_jekylls(tmp_path, {"options": _KRAMDOWN_OPTIONS_POST}, f"kramdown: {options}\n")


def test_kramdown_input_is_jekylls(tmp_path: Path, jekyll: None) -> None:
    """`input: kramdown` (kramdown's own parser, not GFM): a paragraph ends only at a blank line, HTML, an attribute
    list or a definition, never at a list, a header, a quote or a fence; fences are of "~" at the first column
    (```` ```js ```` is a code span); a `#` header needs no space but a block boundary before it; header ids are
    kramdown's own (`## 한글` is #section); two backslashes break a line, one is text; no strikethrough, no task
    lists. feedpub read the text as GFM."""
    posts = {
        "gfm-ish": "A snake_case_word and another_one_here.\nLine two of the same paragraph.\n```js\nvar x = 1;\n```\n"
        "* list right after paragraph\n",
        "blocks": "# a\n# b\n#c\npara\n# d\n> quote\n~~~\nnot a fence here\n~~~\n\n~~~\ntilde\n~~~\n\n  ~~~\nindented\n"
        "  ~~~\n\n## Head ##\n\n## 한글 제목\n\n## *Em* head 2\n\n## 123 Numbers\n\n## Numbers\n\n~~strike~~ and\n\n"
        "- [ ] task\n- [x] done\n\ntext\n- not a list\n\n#Tight header\n\n## Named {#named}\n",
        # In a list, the next item and a nested list end an item's paragraph; another kind of marker is its text,
        # and so is any block's line after a quote's (its lazy line).
        "lists-and-quotes": "- a\n  - c\n- b\n\n1. x\n- lazy\n2. y\n\n> q\n- in quote\n# h\n```\n",
        # A definition's text goes on over a marker's line, indented or not (its lazy line).
        "definitions-and-markers": "Term\n: def\n- a\n\nT2\n: d2\n  - nested\n\nT3\n: d3\n1. x\n\n- > q\n1. one\n",
        "line-breaks": "two\\\\\nbackslashes, one\\\nbackslash, spaces  \nend\n",
        # A nested list of the other kind: a less indented marker is the next item of the open list it is
        # indented within, if of its kind (Minimal Mistakes' "Nested and Mixed Lists"); else the item's text.
        "nested-lists-of-the-other-kind": "1. パッケージを入れる\n   - Ubuntu: apt\n   - macOS: brew\n2. 設定\n"
        "3. 起動\n\n- Checklist\n  1. backup\n  2. upgrade\n- Done\n\n* a\n  1. b\n     - c\n  2. d\n* e\n\n"
        "1. a\n   1. b\n      - c\n2. d\n\n- a\n  1. b\n  - c\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts, "kramdown: {input: kramdown}\n")


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("toc_levels", "1..7"),
        ("toc_levels", "2-3"),
        ("toc_levels", [0, 2]),
        ("toc_levels", [True]),
        ("toc_levels", 3),
        ("header_offset", "one"),
        ("header_offset", None),
        ("header_offset", 1.5),
        ("typographic_symbols", None),
        ("typographic_symbols", "{hellip: '...'}"),
        ("input", "gfm"),
        ("input", "html"),
    ],
)
def test_kramdown_options_kramdown_refuses_stop_the_build(setting: str, value: object) -> None:
    """Values kramdown's Options.parse refuses (Jekyll's build stops: checked with the installed kramdown and
    jekyll), and "gfm", which Jekyll finds no parser for, are a ConfigError that names the setting; so are what
    feedpub does not read: a YAML string of symbols, an input of kramdown's other parsers (html, markdown)."""
    with pytest.raises(ConfigError, match=f"kramdown.{setting}"):
        KramdownOptions.from_config({"kramdown": {setting: value}})


@pytest.mark.parametrize(
    ("setting", "bound"),
    [("auto_id_prefix", 1_000), ("footnote_backlink", 1_000), ("typographic_symbols", 100)],
)
def test_kramdown_texts_written_at_every_place_are_taken_up_to_their_bound(setting: str, bound: int) -> None:
    def options(length: int) -> KramdownOptions:
        text = "x" * length
        value = {"hellip": "...", "ndash": text} if setting == "typographic_symbols" else text
        return KramdownOptions.from_config({"kramdown": {setting: value}})

    assert "x" * bound in repr(options(bound))
    with pytest.raises(ConfigError, match=f"kramdown.{setting}[.a-z]* is {bound + 1:,} characters long, past the"):
        options(bound + 1)


_TEN = '{% assign a = "1,2,3,4,5,6,7,8,9,10" | split: "," %}'
# Loops over a part of their items, each line `name: text`; every part marked, so that an empty one shows.
LOOP_PARTS = {
    "offsets-and-limits": "A {% for i in a offset:2 limit:3 %}{{ i }},{% endfor %} B {% for i in a limit:2 %}{{ i }},"
    "{% endfor %} C {% for i in a offset:8 %}{{ i }},{% endfor %} D {% for i in a offset:20 %}{{ i }}{% else %}none"
    "{% endfor %} E {% for i in (1..10) reversed offset:3 limit:4 %}{{ i }},{% endfor %} F {% for i in a "
    'offset:"2" limit:" 3 " %}{{ i }},{% endfor %}',
    "continue": "A {% for i in a limit:3 %}{{ i }},{% endfor %} B {% for i in a offset:continue limit:3 %}{{ i }},"
    "{% endfor %} C {% for i in a offset:continue %}{{ i }},{% endfor %} D {% for i in a offset:continue %}{{ i }}"
    "{% else %}none{% endfor %} E {% for i in (1..10) offset:continue limit:4 %}{{ i }},{% endfor %}",
    "tablerow": "<table>{% tablerow i in a offset:2 limit:5 cols:2 %}{{ i }}{% endtablerow %}</table>",
    # What python-liquid cut otherwise: a limit of 0 (every item), below 0 (a ValueError, the post rejected), an
    # offset below 0 and then `continue`, and a limit that is nil or names nothing (no limit, to Ruby).
    "nothing-to-take": "A {% for i in a limit:0 %}{{ i }},{% endfor %} B {% for i in a limit:-1 %}{{ i }},{% endfor %}"
    " C {% for i in a offset:5 limit:-2 %}{{ i }},{% endfor %}",
    "before-the-first": "A {% for i in a offset:-2 %}{{ i }},{% endfor %} B {% for i in a offset:-3 limit:5 %}{{ i }},"
    "{% endfor %} C {% for i in a offset:continue limit:2 %}{{ i }},{% endfor %}",
    "no-limit": "A {% for i in a limit:page.nothing %}{{ i }},{% endfor %} B {% for i in a offset:2 "
    "limit:page.nothing %}{{ i }},{% endfor %} C {% for i in a limit:nil %}{{ i }},{% endfor %}",
}


def test_loops_take_the_items_jekylls_take(tmp_path: Path, jekyll: None) -> None:
    """`for` and `tablerow` take the items from `offset` up to `offset + limit` as Ruby Liquid's slice_collection
    takes them (loops cut without counting to their offset: test_hostile_sites)."""
    _assert_markup_is_jekylls(tmp_path, {name: _TEN + text for name, text in LOOP_PARTS.items()})


def test_footnote_numbers_start_where_kramdown_is_told(tmp_path: Path, jekyll: None) -> None:
    """`kramdown: footnote_nr: 5` numbers a post's notes from 5 (`<ol start="5">`); feedpub numbered them from 1."""
    posts = {"notes": "First.[^a] Second.[^b]\n\n[^a]: Note A.\n[^b]: Note B.\n"}
    _assert_markup_is_jekylls(tmp_path, posts, "kramdown: {footnote_nr: 5}\n")


def test_html_blocks_with_text_after_them_never_nest_the_parser() -> None:
    """Text after an HTML block's end tag is read as the next block from the same line: a minified body of
    thousands of elements on one line, or thousands of `<div>x</div> text` lines, must render without the parser
    calling itself once an element (a RecursionError would reject the post)."""
    options = kramdown.KramdownOptions()
    minified = "".join(f"<p>paragraph {n}</p>" for n in range(5000)) + " tail\n"
    assert kramdown.render(minified, options).count("<p>paragraph") == 5000
    lines = "\n".join("<div>x</div> text *em*" for _ in range(3000)) + "\n"
    assert kramdown.render(lines, options).count("<p>text <em>em</em></p>") == 3000


def test_an_abbreviation_defined_right_before_text_is_jekylls(tmp_path: Path, jekyll: None) -> None:
    """`*[HTML]: HyperText Markup Language` with a line of text right under it: kramdown reads the definition as a
    block of its own and the text as a paragraph, with its <abbr>; feedpub showed the definition as text, and
    marked nothing."""
    posts = {
        "abbr-then-text": "*[HTML]: HyperText Markup Language\nAn HTML page.\n",
        "abbrs-then-text": "*[W3C]: World Wide Web Consortium\n*[CSS]: Cascading Style Sheets\nThe W3C writes CSS.\n",
    }
    _assert_markup_is_jekylls(tmp_path, posts)


def test_a_comment_after_an_attribute_list_is_a_block_as_kramdown_reads_it(tmp_path: Path, jekyll: None) -> None:
    """An attribute list alone on its line ends the paragraph before it, and a comment on the next line is a block
    of its own (feedpub read it as a paragraph: an empty <p> in the entry, and `{::comment}` too). An attribute list
    before a block gives it its classes past comments, not past a blank line of its own, and in the order written."""
    posts = {
        "after-para": "Para one\n{: .note}\n<!-- a comment -->\n\nNext.\n",
        "after-header": "# Head\n{: .h}\n<!-- a comment -->\nNext.\n",
        "text-after": "Para one\n{: .note}\n<!-- a comment --> tail *em*\n\nNext.\n",
        "multi-line": "Para one\n{: .note}\n<!-- a\ncomment -->\nNext.\n",
        "extension": "Para one\n{: .note}\n{::comment}\nhidden\n{:/comment}\n\nNext.\n",
        "two-lists": "Para one\n{: .a}\n{: .b}\n<!-- c -->\nNext.\n",
        "before-block": "{: .note}\n<!-- c -->\nPara.\n\nPara\n\n{: .n}\n<!-- c -->\n- item\n",
        "after-blank": "Para\n\n{: .a}\n\nNext.\n\n{: .b}\n<!-- c -->\n\nLast.\n",
        "first-blank": "{: .a}\n\n- item\n",
    }
    migrated = _assert_markup_is_jekylls(tmp_path, posts)
    contents = _contents(migrated)
    assert not any(re.search(r"<p>\s*(?:<!--.*?-->\s*)?</p>", html, re.S) for html in contents.values()), contents


def _assert_attributes_are_kramdowns(tmp_path: Path, posts: dict[str, str]) -> None:
    """`posts` compared as _assert_markup_is_jekylls compares them, then each one's HTML as feedpub's kramdown writes
    it with the page Jekyll writes for it, element by element, classes and ids too: a feed's cleaning drops those,
    and they are most of what an attribute list gives."""
    built = _assert_markup_is_jekylls(tmp_path, posts).expected
    pages = {post["slug"]: post["output"] for post in built["posts"]}
    for name, body in posts.items():
        theirs = (tmp_path / "jekyll" / "_site" / pages[name]).read_text(encoding="utf-8")
        assert _elements(kramdown.render(body, KramdownOptions())) == _elements(theirs), name


def test_attribute_lists_alone_before_a_block_are_all_its_as_kramdowns(tmp_path: Path, jekyll: None) -> None:
    """Attribute lists alone on their lines before a block all give it their attributes, in the order written
    (feedpub kept the last one only: `{: .a}`, `{: .b}`, ``, `next` was <p class="b">)."""
    posts = {
        "blank-after": "Para\n\n{: .a}\n{: .b}\n\nNext.\n",
        "comment-after": "Para\n\n{: .a}\n{: .b}\n<!-- c -->\nNext.\n",
        "first": "{: .a}\n{: .b}\n<!-- c -->\nNext.\n",
        "after-header": "# Head\n{: .a}\n{: .b}\n\nNext.\n",
        "titles": 'Para\n\n{: title="a"}\n{: .b}\n\nNext.\n',
    }
    _assert_attributes_are_kramdowns(tmp_path, posts)


def test_attribute_lists_give_code_blocks_their_attributes_as_kramdowns(tmp_path: Path, jekyll: None) -> None:
    """A code block's attribute list, after it or before it, goes on the highlighter's <div> between the language's
    class and the highlighter's (`language-plaintext n highlighter-rouge`), on the <pre> of a language Rouge does
    not know, and `.language-x` names the language of a block that names none (feedpub wrote none of them)."""
    posts = {
        "fence-after": '```\ncode\n```\n{: .n #i title="t"}\n',
        "fence-before": "Para\n\n{: .n}\n```text\ncode\n```\n",
        "across-a-comment": "Para\n\n{: .n}\n<!-- c -->\n```\ncode\n```\n",
        "indented": "    code\n{: #i .n}\n",
        "unknown-language": '```mermaid\ngraph TD\n```\n{: .n title="t"}\n',
        "language-class": "```\nx\n```\n{: .language-text .n}\n",
    }
    _assert_attributes_are_kramdowns(tmp_path, posts)


def test_a_table_after_attribute_lists_alone_is_a_table_as_kramdowns(tmp_path: Path, jekyll: None) -> None:
    """Attribute lists alone after a blank line are held for the next block, and kramdown counts them as a block
    boundary, past comments: a table may start right after them, and takes them (feedpub wrote
    `<p id="x">| a | b |</p>`). After a paragraph's or a header's text the list is theirs, and a table there is
    still a paragraph."""
    posts = {
        "across-a-comment": "Para\n\n{: #x}\n<!-- c -->\n| a | b |\n",
        "right-after": "Para\n\n{: #x}\n| a | b |\n|---|---|\n| 1 | 2 |\n",
        "first": '{: #x title="t"}\n{: .n}\n| a | b |\n',
        "blank-then-comment": "Para\n\n{: #x}\n\n<!-- c -->\n<!-- d -->\n| a | b |\n",
        "after-text": "Para\n{: #x}\n| a | b |\n\nPara\n{: #y}\n<!-- c -->\n| a | b |\n",
        "after-a-header": "# Head\n{: #x}\n| a | b |\n",
        "in-a-list": "- item\n\n  {: #x}\n  | a | b |\n",
    }
    _assert_attributes_are_kramdowns(tmp_path, posts)


def test_attribute_lists_give_html_elements_their_attributes_as_kramdowns(tmp_path: Path, jekyll: None) -> None:
    """An attribute list before or after an HTML block's element, across comments too, gives it its attributes:
    classes after the element's own, others in place of its own (feedpub wrote the element as it was)."""
    posts = {
        "across-a-comment": "Para\n\n{: .n}\n<!-- c -->\n<div>x</div>\n",
        "own-class": 'Para\n\n{: .n title="t"}\n<div class="m" title="o">\nx\n</div>\n',
        "after": '<div>x</div>\n{: .n #i}\n\n<p>y</p>\n{: title="t"}\n',
        "text-after": "{: .n}\n<div>x</div> tail\n",
        "a-rule": '{: title="t"}\n<hr>\n\n{: .n}\n<hr/>\n',
        "in-a-list": "- item\n\n  {: .n}\n  <div>x</div>\n",
    }
    _assert_attributes_are_kramdowns(tmp_path, posts)


# A gem theme's includes as minimal-mistakes ships them: `{% include figure image_path=… caption=… %}` in a post.
THEME_FIGURE = """<figure class="{{ include.class }}">
  <img src="{{ include.image_path | relative_url }}" alt="{{ include.alt }}">
  {%- if include.caption -%}
    <figcaption>{{ include.caption | markdownify | remove: "<p>" | remove: "</p>" }}</figcaption>
  {%- endif -%}
</figure>
"""
FIGURE_POST = (
    "---\ntitle: Figure\n---\nIntro paragraph.\n\n"
    '{% include figure image_path="/img/a.jpg" alt="a placeholder" caption="The *figure* caption." %}\n\n'
    "{% include note %}\n\nClosing.\n"
)


def _theme_gem(home: Path, version: str, includes: dict[str, str], name: str = "mm-theme") -> Path:
    """A theme gem installed in the gem folder `home` as RubyGems installs one: its files under gems/ and its
    specification, which Jekyll asks RubyGems for; the gem's folder."""
    folder = home / "gems" / f"{name}-{version}"
    for include, text in includes.items():
        (folder / "_includes" / include).parent.mkdir(parents=True, exist_ok=True)
        (folder / "_includes" / include).write_text(text, encoding="utf-8")
    (home / "specifications").mkdir(parents=True, exist_ok=True)
    (home / "specifications" / f"{name}-{version}.gemspec").write_text(
        f'Gem::Specification.new do |s|\n  s.name = "{name}"\n  s.version = "{version}"\n  s.summary = "t"\n'
        '  s.authors = ["t"]\n  s.files = []\nend\n',
        encoding="utf-8",
    )
    return folder


def _theme_site(site: Path, config: str = "theme: mm-theme\n") -> Path:
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(
        f"title: Theme\nurl: https://theme.example\nplugins: [jekyll-feed]\n{config}", encoding="utf-8"
    )
    (site / "_posts" / "2024-01-01-figure.md").write_text(FIGURE_POST, encoding="utf-8")
    return site


def _isolated_gems(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, gem_path: Path | None = None) -> None:
    """The test's own gem folders only: no GEM_HOME, its GEM_PATH, a home folder with no gems."""
    monkeypatch.delenv("GEM_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if gem_path is None:
        monkeypatch.delenv("GEM_PATH", raising=False)
    else:
        monkeypatch.setenv("GEM_PATH", str(gem_path))


def _feed_contents(tmp_path: Path) -> str:
    feeds = [p for p in tmp_path.rglob("feed.json") if ".feedpub" not in p.parts]
    assert len(feeds) == 1, feeds
    return "".join(item["content_html"] for item in json.loads(feeds[0].read_text(encoding="utf-8"))["items"])


def test_a_gem_themes_includes_are_read_after_the_sites_as_a_fresh_jekyll_build_reads_them(
    tmp_path: Path, jekyll: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme found on GEM_PATH (as RubyGems finds it for Jekyll): its figure is in the entry, with the caption
    Jekyll writes, and the site's own `note` wins over the theme's. feedpub dropped the figure without a word."""
    home = tmp_path / "gems"
    _theme_gem(home, "0.1.0", {"figure": THEME_FIGURE, "note": "<p>The theme's note.</p>\n"})
    site = _theme_site(tmp_path / "site")
    (site / "_includes").mkdir()
    (site / "_includes" / "note").write_text("<p>The site's note.</p>\n", encoding="utf-8")
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    installed = subprocess.run(["ruby", "-e", "print Gem.path.join(':')"], capture_output=True, text=True, check=True)
    built = jekyll_oracle.build(site, tmp_path / "jekyll", gem_path=f"{home}:{installed.stdout}")
    _isolated_gems(monkeypatch, tmp_path, home)
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert f"The theme mm-theme's includes are read from {home.resolve()}" in config.read_text(encoding="utf-8")
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    ours = _contents(Migrated(site, config, built))
    theirs = _jekyll_contents(built["feeds"])
    assert {link: _text(html) for link, html in ours.items()} == {link: _text(h) for link, h in theirs.items()}
    assert "The figure caption." in _text(next(iter(ours.values())))
    assert "<figcaption>" in next(iter(ours.values())) and "The site's note." in next(iter(ours.values()))


# A theme gem's own _config.yml: what Jekyll takes from it (site.*, jekyll-feed's settings) and what it drops (every
# key Jekyll has a default for: permalink, timezone, kramdown, defaults, excerpt_separator).
THEME_CONFIG = """title: Theme "Title"
description: The theme's description
author: {name: Theme Author, email: author@theme.example}
lang: fr
url: https://theme-url.example
feed: {path: atom.xml}
greeting: Hello from the theme
nested: {a: theme-a, b: theme-b}
permalink: /:title/
timezone: Asia/Seoul
kramdown: {auto_ids: false, smart_quotes: "apos,apos,quot,quot"}
defaults: [{scope: {path: ""}, values: {category: from-theme}}]
excerpt_separator: "<!--more-->"
"""
THEME_CONFIG_POST = """---
title: Greeting
date: 2024-01-01 20:00:00
---
# A "quoted" header

{{ site.greeting }}, {{ site.nested.a }} and {{ site.nested.b }} on {{ site.title }}.

<!--more-->Second paragraph.
"""


def _built_with_a_theme_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, theme_config: str, site_config: str
) -> tuple[Path, dict[str, Any]]:
    """A site of THEME_CONFIG_POST under the gem theme mm-theme whose _config.yml is `theme_config`, built by the real
    jekyll (its oracle returned), and the gems set as feedpub then finds them."""
    home = tmp_path / "gems"
    gem = _theme_gem(home, "0.1.0", {"note": ""})
    (gem / "_config.yml").write_text(theme_config, encoding="utf-8")
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(site_config, encoding="utf-8")
    (site / "_posts" / "2024-01-01-greeting.md").write_text(THEME_CONFIG_POST, encoding="utf-8")
    shutil.copy(jekyll_oracle.SITES / "classic-blog" / "oracle.json", site / "oracle.json")
    installed = subprocess.run(["ruby", "-e", "print Gem.path.join(':')"], capture_output=True, text=True, check=True)
    built = jekyll_oracle.build(site, tmp_path / "jekyll", gem_path=f"{home}:{installed.stdout}")
    _isolated_gems(monkeypatch, tmp_path, home)
    return site, built


def test_a_gem_themes_own_config_is_under_the_sites_as_jekyll_merges_it(
    tmp_path: Path, jekyll: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme's title, description, author, lang, url, feed path and variables are the site's where its
    _config.yml sets none (a mapping merged key by key, the site's keys winning); its permalink, timezone, kramdown
    options, defaults and excerpt_separator change nothing, as in Jekyll 4.3.1. feedpub read none of it: the feed
    had the folder's name for a title and no address."""
    site, built = _built_with_a_theme_config(
        tmp_path,
        monkeypatch,
        THEME_CONFIG,
        "theme: mm-theme\nplugins: [jekyll-feed]\nnested: {a: site-a}\ndescription: null\n",
    )
    assert list(built["feeds"]) == ["atom.xml"]
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    ours = jekyll_oracle.parse_atom(site / "_site" / "atom.xml")
    theirs = built["feeds"]["atom.xml"]
    for feed in (ours, theirs):
        for entry in feed["entries"]:
            entry["content"] = _text(entry["content"])
            del entry["summary"], entry["content_base"]  # the excerpt's text and xml:base: no part of this
    assert (ours["title"], ours["subtitle"], ours["lang"]) == (theirs["title"], theirs["subtitle"], theirs["lang"])
    assert ours["entries"] == theirs["entries"]
    assert ours["entries"][0]["id"] == "https://theme-url.example/2024/01/01/greeting"
    assert ours["entries"][0]["published"] == "2024-01-01T20:00:00+00:00" and not ours["entries"][0]["categories"]
    assert ours["entries"][0]["content"] == (
        "A “quoted” header Hello from the theme, site-a and theme-b on Theme “Title”. Second paragraph."
    )
    # `ignore_theme_config: true` leaves the theme's settings out (Site#load_theme_configuration's first line).
    ignoring = {"theme": "mm-theme", "ignore_theme_config": True}
    assert jekyll_settings(site, dict(ignoring), os.environ) == ignoring


@pytest.mark.parametrize("theme_config", ["- a\n- b\n", "just a string\n"], ids=["list", "string"])
def test_a_gem_themes_config_that_is_no_mapping_is_passed_over_as_jekyll_does(
    tmp_path: Path, jekyll: None, monkeypatch: pytest.MonkeyPatch, theme_config: str
) -> None:
    """Jekyll 4.3.1 keeps the site's settings when a theme's _config.yml holds no mapping (load_theme_configuration
    returns unless it is a Hash) and builds; feedpub stopped init and every build with "expected a mapping"."""
    site, built = _built_with_a_theme_config(
        tmp_path,
        monkeypatch,
        theme_config,
        "theme: mm-theme\nplugins: [jekyll-feed]\ntitle: Site\nurl: https://site.example\n",
    )
    config = tmp_path / "config.toml"
    initialised = run("init", "--from-jekyll", site, "--config", config)
    assert initialised.exit_code == 0, initialised.output
    result = run("build", "--config", config, "--now", NOW.isoformat())
    assert result.exit_code == 0, result.output
    ours = jekyll_oracle.parse_atom(site / "_site" / "feed.xml")
    theirs = built["feeds"]["feed.xml"]
    assert ours["title"] == theirs["title"] == "Site"
    assert [e["id"] for e in ours["entries"]] == [e["id"] for e in theirs["entries"]]


def test_a_theme_in_the_sites_bundle_is_its_newest_version_or_the_one_gemfile_lock_pins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _isolated_gems(monkeypatch, tmp_path)
    site = _theme_site(tmp_path / "site")
    bundle = site / "vendor" / "bundle" / "ruby" / "3.1.0"
    for version in ("0.9.0", "0.10.0", "0.11.0.beta1"):
        _theme_gem(bundle, version, {"figure": f"<p>Figure {version}.</p>\n", "note": ""})
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    assert "Figure 0.10.0." in _feed_contents(tmp_path)
    (site / "Gemfile.lock").write_text(
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    jekyll (4.3.1)\n    mm-theme (0.9.0)\n"
        "      jekyll (> 3.5)\n",
        encoding="utf-8",
    )
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    assert "Figure 0.9.0." in _feed_contents(tmp_path)
    # Bundler's own path, named in the site's .bundle/config, is looked in before vendor/bundle.
    (site / "Gemfile.lock").unlink()
    _theme_gem(site / "gems-here" / "ruby" / "3.1.0", "0.2.0", {"figure": "<p>Figure in BUNDLE_PATH.</p>\n"})
    (site / ".bundle").mkdir()
    (site / ".bundle" / "config").write_text('---\nBUNDLE_PATH: "gems-here"\n', encoding="utf-8")
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    assert "Figure 0.10.0." in _feed_contents(tmp_path)  # the newest of all the places still
    (site / "vendor").rename(site / "old-vendor")
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    assert "Figure in BUNDLE_PATH." in _feed_contents(tmp_path)


def test_an_edited_theme_include_reaches_the_feeds_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme's includes are the posts' as the site's are: editing one is no "nothing changed"."""
    home = tmp_path / "gems"
    gem = _theme_gem(home, "0.1.0", {"figure": "<p>Old figure.</p>\n", "note": ""})
    _isolated_gems(monkeypatch, tmp_path, home)
    site = _theme_site(tmp_path / "site")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    assert "Old figure." in _feed_contents(tmp_path)
    figure = gem / "_includes" / "figure"
    figure.write_text("<p>New figure!</p>\n", encoding="utf-8")
    os.utime(figure, ns=(figure.stat().st_atime_ns, figure.stat().st_mtime_ns + 2_000_000_000))
    assert run("build", "--config", config, "--now", NOW.isoformat(), "--quiet").exit_code == 0
    assert "New figure!" in _feed_contents(tmp_path) and "Old figure." not in _feed_contents(tmp_path)


def test_includes_found_nowhere_are_warned_of_with_their_posts_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The theme not installed where feedpub looks: init says so, and each build names the includes lost, how many
    posts name them and what to do (Jekyll stops its build over them; feedpub was silent)."""
    _isolated_gems(monkeypatch, tmp_path)
    site = _theme_site(tmp_path / "site")
    (site / "_posts" / "2024-01-02-again.md").write_text(
        "---\ntitle: Again\n---\n{% raw %}{% include shown-as-text %}{% endraw %}\n{% include figure %}\n", "utf-8"
    )
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert "CHECK THIS: the theme mm-theme is not installed where feedpub looks" in config.read_text(encoding="utf-8")
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("feedpub: warning:")]
    assert warnings == [
        "feedpub: warning: {% include figure %} (2 posts: _posts/2024-01-02-again.md, _posts/2024-01-01-figure.md), "
        "{% include note %} (1 post: _posts/2024-01-01-figure.md): the site's _includes does not have them, and the "
        "theme mm-theme is not installed where feedpub looks (GEM_HOME, GEM_PATH, the site's vendor/bundle, ~/.gem, "
        "/var/lib/gems, /usr/share/rubygems-integration); the posts' feed content leaves them out: install the "
        "theme's gem where feedpub runs (`bundle install`; GEM_PATH may name its folder), or copy the theme's "
        "_includes into _includes"
    ]
    # Installed since: found, read, and the warning gone.
    _theme_gem(site / "vendor" / "bundle" / "ruby" / "3.1.0", "0.1.0", {"figure": "<p>Found.</p>", "note": ""})
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0 and "warning" not in result.output, result.output
    assert "Found." in _feed_contents(tmp_path)


def test_a_theme_include_linked_out_of_the_theme_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "gems"
    gem = _theme_gem(home, "0.1.0", {"note": ""})
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    (gem / "_includes" / "figure").symlink_to(tmp_path / "secret.txt")
    _isolated_gems(monkeypatch, tmp_path, home)
    site = _theme_site(tmp_path / "site")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    result = run("build", "--config", config, "--now", NOW.isoformat(), "--quiet")
    assert result.exit_code == 0 and "{% include figure %} (1 post" in result.output
    assert "SECRET" not in _feed_contents(tmp_path) and "Intro paragraph." in _feed_contents(tmp_path)
