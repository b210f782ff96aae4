"""Whole outputs of the example site and of the quirk posts, checked as readers and validators see them."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feedpub.api import BuildReport, run_build
from feedpub.config import load_config
from feedpub.models import Site
from feedpub.urls import to_uri
from tests import conformance
from tests.conftest import DATA, REPO, run, write_config

LATER = datetime(2100, 1, 1, tzinfo=UTC)  # every example post is in the past
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ("rss.xml", "atom.xml", "feed.json", "sitemap.xml", "feeds.html", "robots.txt")


def example_site(folder: Path) -> Site:
    """The repository's example site, writing into `folder` instead of feeds/ and .feedpub/."""
    site = load_config(REPO / "config.toml")
    return dataclasses.replace(site, output_dir=folder / "out", state_dir=folder / "state")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, BuildReport]:
    site = example_site(tmp_path_factory.mktemp("example"))
    return site, run_build(site, LATER)


@pytest.fixture(scope="module")
def quirks(tmp_path_factory: pytest.TempPathFactory) -> Site:
    folder = tmp_path_factory.mktemp("quirks")
    shutil.copytree(DATA / "posts", folder / "_posts")
    (folder / "_posts" / "symlink-is-skipped.md").unlink(missing_ok=True)
    site = load_config(write_config(folder, extra="[feeds]\nlimit = 100\n"))
    run_build(site, datetime(2025, 1, 1, tzinfo=UTC))
    return site


def full_git_history() -> bool:
    import subprocess

    answer = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--is-shallow-repository"], capture_output=True, text=True, check=False
    )
    return answer.returncode == 0 and answer.stdout.strip() == "false"


def test_committed_feeds_folder_is_the_current_output_of_the_example_site(example: tuple[Site, BuildReport]) -> None:
    if not full_git_history():
        # examples/site/_posts/undated-seoul-subway.txt is dated by its last commit, like the seed post would be.
        pytest.skip("no full git history (a tarball or shallow clone): the undated example post's date differs")
    site, _ = example

    def tree(folder: Path) -> dict[str, bytes]:
        return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}

    fresh, committed = tree(site.output_dir), tree(REPO / "feeds")
    assert set(FEEDS) <= set(fresh)
    assert sorted(fresh) == sorted(committed), "feeds/ is stale: run `feedpub build` and commit it"
    for name, data in fresh.items():
        assert data == committed[name], f"feeds/{name} is stale: run `feedpub build` and commit it"


def test_example_publishes_every_post_and_skips_drafts(example: tuple[Site, BuildReport]) -> None:
    _, report = example
    assert (report.published_posts, len(report.rejected), report.skipped) == (16, 0, 2)


@pytest.mark.parametrize("which", ["example", "quirks"])
def test_outputs_pass_schemas_and_validator_rules(which: str, example: tuple[Site, BuildReport], quirks: Site) -> None:
    conformance.require_shared()
    site = example[0] if which == "example" else quirks
    conformance.check_output_dir(site.output_dir, base_url=site.url)


def test_feedparser_sees_every_post_with_title_link_date_and_image(example: tuple[Site, BuildReport]) -> None:
    site, _ = example
    expected = json.loads((site.output_dir / "feed.json").read_bytes())["items"]
    assert len(expected) == 16
    for name in ("rss.xml", "atom.xml"):
        entries = conformance.feedparser_entries(site.output_dir / name)
        assert [e.title for e in entries] == [i["title"] for i in expected]
        assert [e.link for e in entries] == [i["url"] for i in expected]
        assert all(e.published_parsed for e in entries)
        assert [e.image_url for e in entries] == [i.get("image") for i in expected], name
        # Each entry's author, the post's or else the site's: the site's had been the feed's alone, and RSS's nobody's.
        parsed = conformance.parse_with_feedparser(site.output_dir / name).entries
        assert [e.author_detail.name for e in parsed] == [i["authors"][0]["name"] for i in expected], name
    assert "서울 지하철 심야 연장 운행, 이번 주말부터 시범 시행" in [i["title"] for i in expected]
    assert sum(1 for i in expected if i.get("image")) >= 6


def test_newsboat_reads_korean_titles_and_links_over_http(example: tuple[Site, BuildReport], tmp_path: Path) -> None:
    site, _ = example
    feed = json.loads((site.output_dir / "feed.json").read_bytes())["items"]
    expected = [(i["title"], i["url"]) for i in feed]
    with conformance.serve_directory(site.output_dir) as base:
        for name in ("rss.xml", "atom.xml"):
            items = conformance.newsboat_items([base + name], tmp_path / name)
            assert [(i["title"], i["url"]) for i in items] == expected
            # newsboat keeps only audio/video enclosures; the image reaches its reader through the content.
            for item, source in zip(items, feed, strict=True):
                assert source.get("image", "") in item["content"], (name, item["title"])
                assert item["author"] == source["authors"][0]["name"], (name, item["title"])


def test_atom_entries_have_one_alternate_and_a_typed_enclosure(example: tuple[Site, BuildReport]) -> None:
    """feedgen 1.0.0 writes every entry link bare, turning an enclosure into a second alternate."""
    site, _ = example
    root = etree.parse(str(site.output_dir / "atom.xml")).getroot()
    for entry in root.iter(f"{ATOM}entry"):
        links = entry.findall(f"{ATOM}link")
        assert [link.get("rel") for link in links].count("alternate") == 1
        assert all(link.get("rel") in ("alternate", "enclosure") for link in links)
    subway = root.xpath(
        "//a:entry[a:title='서울 지하철 심야 연장 운행, 이번 주말부터 시범 시행']", namespaces={"a": ATOM[1:-1]}
    )[0]
    enclosure = subway.find(f"{ATOM}link[@rel='enclosure']")
    assert enclosure.attrib == {
        "rel": "enclosure",
        "href": "https://example.org/assets/img/seoul-subway-night.jpg",
        "type": "image/jpeg",
        "length": str((REPO / "examples/site/assets/img/seoul-subway-night.jpg").stat().st_size),
    }


def test_rss_items_carry_guid_enclosure_media_and_full_content(example: tuple[Site, BuildReport]) -> None:
    site, _ = example
    root = etree.parse(str(site.output_dir / "rss.xml")).getroot()
    items = root.findall("channel/item")
    assert all(i.findtext("guid") == i.findtext("link") and i.find("guid").get("isPermaLink") == "true" for i in items)
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    assert all(i.findtext(content) for i in items)
    with_image = [i for i in items if i.find("{http://search.yahoo.com/mrss/}content") is not None]
    assert with_image and all(i.find("enclosure") is not None for i in with_image)  # every example image exists
    channel = root.find("channel")
    assert channel.findtext("generator").startswith("feedpub ")
    newest = max(
        datetime.fromisoformat(i["date_modified"])
        for i in json.loads((site.output_dir / "feed.json").read_bytes())["items"]
    )
    from email.utils import parsedate_to_datetime

    assert parsedate_to_datetime(channel.findtext("lastBuildDate")) == newest  # never the clock


def test_relative_srcset_and_links_become_absolute(example: tuple[Site, BuildReport]) -> None:
    site, _ = example
    rss = (site.output_dir / "rss.xml").read_text(encoding="utf-8")
    assert "https://example.org/assets/img/hangang-night@2x.jpg 2x" in rss
    assert 'href="https://example.org/about/"' in rss
    assert 'src="../' not in rss and 'href="../' not in rss


def test_hangul_urls_are_percent_encoded_everywhere(example: tuple[Site, BuildReport]) -> None:
    site, _ = example
    for name in ("rss.xml", "atom.xml", "feed.json", "sitemap.xml"):
        text = (site.output_dir / name).read_text(encoding="utf-8")
        assert "https://example.org/news/%EB%82%A0%EC%94%A8/" in text or name == "never"
        assert "https://example.org/news/날씨/" not in text


def test_quirk_titles_and_hostile_content_come_out_safe(quirks: Site) -> None:
    rss = (quirks.output_dir / "rss.xml").read_bytes()
    root = etree.fromstring(rss)
    titles = [i.findtext("title") for i in root.iter("item")]
    assert 'R&D <예산> & "따옴표"' in titles
    assert "bell and escape inside" in titles  # XML-forbidden control characters removed
    assert b"<script" not in rss and b"alert(" not in rss and b"javascript:" not in rss
    entries = conformance.feedparser_entries(quirks.output_dir / "atom.xml")
    assert 'R&D <예산> & "따옴표"' in [e.title for e in entries]


def test_two_builds_are_byte_identical_and_the_second_writes_nothing(tmp_path: Path) -> None:
    site = example_site(tmp_path)
    run_build(site, LATER)

    def snapshot() -> dict[Path, tuple[bytes, int]]:
        return {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.output_dir.rglob("*") if p.is_file()}

    first = snapshot()
    second = run_build(site, LATER)
    assert not any(f.written for f in second.files)
    assert snapshot() == first


def test_empty_site_still_gives_valid_deterministic_outputs(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    site = load_config(write_config(tmp_path))
    run_build(site, LATER)
    conformance.require_shared()
    conformance.check_output_dir(site.output_dir, base_url=site.url)
    assert b"1970-01-01T00:00:00+00:00" in (site.output_dir / "atom.xml").read_bytes()


def test_excerpt_only_feeds(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2024-01-01-a.md").write_text("---\ntitle: 요약만\nexcerpt: 짧은 요약\n---\n긴 *본문*\n")
    site = load_config(write_config(tmp_path, extra='[feeds]\ncontent = "excerpt"\n'))
    run_build(site, LATER)
    rss = (site.output_dir / "rss.xml").read_text(encoding="utf-8")
    assert "content:encoded" not in rss and "짧은 요약" in rss
    item = json.loads((site.output_dir / "feed.json").read_bytes())["items"][0]
    assert item["content_text"] == "짧은 요약" and "content_html" not in item
    conformance.require_shared()
    conformance.check_output_dir(site.output_dir, base_url=site.url)


def test_sitemap_lists_home_and_every_post_with_images(example: tuple[Site, BuildReport]) -> None:
    site, _ = example
    root = etree.parse(str(site.output_dir / "sitemap.xml")).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "i": "http://www.google.com/schemas/sitemap-image/1.1"}
    locs = root.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert locs[0] == "https://example.org/" and len(locs) == 17
    assert to_uri("https://example.org/custom/hello-world/") in locs
    assert len(root.xpath("//i:image/i:loc", namespaces=ns)) >= 6


def test_the_seed_post_publishes_with_korean_title_excerpt_and_image(tmp_path: Path) -> None:
    conformance.require_shared()
    (tmp_path / "assets" / "img").mkdir(parents=True)
    (tmp_path / "assets" / "img" / "newsdao_breakingnews.jpg").write_bytes(b"\xff\xd8" + b"\x00" * 998)
    config = write_config(tmp_path, posts_dir=conformance.SHARED / "seed-posts")
    site = load_config(config)
    report = run_build(site, LATER)
    assert (report.published_posts, report.rejected) == (1, ())
    (entry,) = conformance.feedparser_entries(site.output_dir / "rss.xml")
    assert entry.title == "북러 밀착 한국과 라오스의 강력한 규탄!"
    assert entry.image_url == "https://example.kr/assets/img/newsdao_breakingnews.jpg"
    assert entry.link.startswith("https://example.kr/news/") and entry.link.endswith("/000_be0667cbffa95e2b/")
    assert entry.summary.startswith("라오스 안보회의에서 한국은 북한과 러시아의 군사협력을 강력히 규탄하며")
    rss = etree.parse(str(site.output_dir / "rss.xml")).getroot()
    assert rss.find("channel/item/enclosure").attrib == {"url": entry.image_url, "length": "1000", "type": "image/jpeg"}
    content = rss.findtext("channel/item/{http://purl.org/rss/1.0/modules/content/}encoded")
    assert 'src="https://example.kr/assets/img/newsdao_breakingnews.jpg"' in content
    assert "data-ke-size" not in content and '<span style="color:#ee2323">' in content
    conformance.check_output_dir(site.output_dir, base_url=site.url)


def _seed_site(kind: str, folder: Path) -> Path:
    """The seed post on a site of `kind` served under /blog/ (Jekyll's baseurl, Hugo's baseURL path); its config."""
    conformance.require_shared()
    seed = next((conformance.SHARED / "seed-posts").iterdir()).read_text(encoding="utf-8")
    dated = seed.replace("---\n", "---\ndate: 2024-07-01 09:00:00 +0900\n", 1)
    if kind == "plain":
        (folder / "_posts").mkdir()
        (folder / "_posts" / "seed.md").write_text(seed, encoding="utf-8")
        config = write_config(folder)
        text = config.read_text(encoding="utf-8").replace("https://example.kr/", "https://user.github.io/blog/")
        config.write_text(text, encoding="utf-8")
        return config
    if kind == "jekyll":
        (folder / "_posts").mkdir()
        (folder / "_posts" / "2024-07-01-seed.md").write_text(dated, encoding="utf-8")
        (folder / "_config.yml").write_text('url: "https://user.github.io"\nbaseurl: "/blog"\n', encoding="utf-8")
    else:
        (folder / "content" / "posts").mkdir(parents=True)
        (folder / "content" / "posts" / "seed.md").write_text(dated.replace("09:00:00 +0900", ""), encoding="utf-8")
        # Goldmark keeps a body's HTML only when told to (unsafe): the seed's <img> is HTML.
        hugo = 'baseURL = "https://user.github.io/blog/"\ntitle = "T"\n[markup.goldmark.renderer]\nunsafe = true\n'
        (folder / "hugo.toml").write_text(hugo, encoding="utf-8")
    config = folder / "config.toml"
    assert run("init", f"--from-{kind}", folder, "--config", config).exit_code == 0
    return config


@pytest.mark.parametrize("kind", ["plain", "jekyll", "hugo"])
def test_a_front_matter_image_the_body_shows_from_the_hosts_root_leads_no_content(kind: str, tmp_path: Path) -> None:
    """The seed post names its picture twice: `image: '/assets/img/x.jpg'`, a site path (/blog/assets/img/x.jpg on a
    site under /blog/, as jekyll-feed resolves it), and `<img src="/assets/img/x.jpg">` atop its body, a path from
    the host's root to a browser. One picture: it led the content as well, two <img> in every format."""
    config = _seed_site(kind, tmp_path)
    assert run("build", "--config", config, "--now", LATER.isoformat(), "--quiet").exit_code == 0
    site = load_config(config)
    body_image = "https://user.github.io/assets/img/newsdao_breakingnews.jpg"
    for name in (site.feeds.rss, site.feeds.atom):
        (entry,) = feedparser.parse((site.output_dir / name).read_bytes()).entries
        content = entry.content[0].value if "content" in entry else entry.summary  # Hugo's RSS: the description
        assert content.count("<img") == 1 and f'src="{body_image}"' in content, name
    (item,) = json.loads((site.output_dir / site.feeds.json).read_bytes())["items"]
    assert item["content_html"].count("<img") == 1 and f'src="{body_image}"' in item["content_html"]
    assert item["image"] == "https://user.github.io/blog/assets/img/newsdao_breakingnews.jpg"  # beside the entry


def test_a_languages_front_matter_image_is_a_path_from_the_whole_sites_url(tmp_path: Path) -> None:
    """A post of a language in its folder (/blog/en/): its `image: /assets/x.jpg` is /blog/assets/x.jpg, under the
    site's URL, not the language's, and the body's `<img src="/assets/x.jpg">` the same picture: shown once."""
    (tmp_path / "content" / "posts").mkdir(parents=True)
    (tmp_path / "hugo.toml").write_text(
        'baseURL = "https://user.github.io/blog/"\ntitle = "T"\ndefaultContentLanguage = "ko"\n'
        "[markup.goldmark.renderer]\nunsafe = true\n[languages.ko]\nweight = 1\n[languages.en]\nweight = 2\n",
        encoding="utf-8",
    )
    post = '---\ntitle: A\ndate: 2024-01-01\nimage: /assets/x.jpg\n---\n<p><img src="/assets/x.jpg"></p>\n'
    (tmp_path / "content" / "posts" / "a.en.md").write_text(post, encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-hugo", tmp_path, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", LATER.isoformat(), "--quiet").exit_code == 0
    site = load_config(config)
    (item,) = json.loads((site.output_dir / "en" / site.feeds.json).read_bytes())["items"]
    assert item["content_html"].count("<img") == 1, item["content_html"]
    assert item["image"] == "https://user.github.io/blog/assets/x.jpg"


@pytest.mark.parametrize(
    ("image", "body", "images"),
    [
        ("/assets/x.jpg", '<img src="/assets/x.jpg">', 1),  # from the host's root, as a browser resolves it
        ("assets/x.jpg", '<img src="assets/x.jpg">', 1),  # as written
        ("/assets/x.jpg", '<img src="../../../assets/x.jpg">', 1),  # against the page: /blog/assets/x.jpg
        ("/assets/../assets/x.jpg", '<img src="/assets/./x.jpg">', 1),  # dot segments, either side
        ("/assets/x.jpg", '<img src="https://example.kr/blog/assets/x.jpg">', 1),
        ("/assets/x.jpg", '<img src="/assets/y.jpg">', 2),  # another picture: the post's leads
        ("/assets/x.jpg", '<img src="https://cdn.example/assets/x.jpg">', 2),  # another host's
        ("/assets/x.jpg", '<a href="/assets/x.jpg">x</a>', 1),  # a link shows nothing: the post's picture leads
    ],
    ids=["host-root", "as-written", "page-relative", "dot-segments", "absolute", "other", "other-host", "link"],
)
def test_a_front_matter_image_leads_unless_the_body_shows_it_however_resolved(
    image: str, body: str, images: int, tmp_path: Path
) -> None:
    (tmp_path / "_posts").mkdir()
    post = f"---\ntitle: T\ndate: 2024-01-01\nimage: '{image}'\npermalink: /n/a/b/\n---\n<p>{body}</p>\n"
    (tmp_path / "_posts" / "a.md").write_text(post, encoding="utf-8")
    config = write_config(tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace("example.kr/", "example.kr/blog/"), "utf-8")
    site = load_config(config)
    run_build(site, LATER)
    (item,) = json.loads((site.output_dir / "feed.json").read_bytes())["items"]
    assert item["content_html"].count("<img") == images, item["content_html"]


def test_every_category_feed_passes_the_checks_with_its_exact_self_url(example: tuple[Site, BuildReport]) -> None:
    conformance.require_shared()
    site, _ = example
    folders = sorted({p.parent for p in (site.output_dir / "categories").rglob("rss.xml")})
    assert len(folders) >= 10 and any(not f.name.isascii() for f in folders)
    for folder in folders:
        relative = folder.relative_to(site.output_dir).as_posix() + "/"
        conformance.check_output_dir(folder, base_url=to_uri(site.url + relative))


def test_w3c_validator_warnings_stay_fixed(quirks: Site) -> None:
    """AvoidNamespacePrefix (Atom) and CharacterData (RSS): the two warnings the W3C validator gave."""
    atom = (quirks.output_dir / "atom.xml").read_bytes()
    assert b"xmlns:atom=" not in atom
    rss = (quirks.output_dir / "rss.xml").read_bytes()
    assert b"&amp;" not in rss and b"&lt;" not in rss
    assert b"<category>&#x3C;b&#x3E;</category>" in rss
    assert 'R&D <예산> & "따옴표"' in [i.findtext("title") for i in etree.fromstring(rss).iter("item")]


def test_windows_1252_text_read_as_latin_1_reads_the_same_in_every_reader(tmp_path: Path) -> None:
    """A title pasted after a wrong decoding ("Don\\x92t stop \\x80 now"): feedparser showed Don’t and €,
    newsboat control codes. Every reader shows the same title now."""
    write_config(tmp_path)
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2024-01-02-c1.md").write_text(
        '---\ntitle: "Don\\x92t stop \\x80 now\\x7f"\ncategories: ["\\x93인용\\x94"]\n---\n<p>x</p>\n', encoding="utf-8"
    )
    assert run("build", "--config", tmp_path / "config.toml", "--now", "2025-01-01").exit_code == 0
    title = "Don’t stop € now"
    assert json.loads((tmp_path / "out" / "feed.json").read_text(encoding="utf-8"))["items"][0]["title"] == title
    assert [entry.title for entry in feedparser.parse(str(tmp_path / "out" / "atom.xml")).entries] == [title]
    with conformance.serve_directory(tmp_path / "out") as base:
        for name in ("rss.xml", "atom.xml"):
            assert [item["title"] for item in conformance.newsboat_items([base + name], tmp_path / name)] == [title]
    assert "<category>“인용”</category>" in (tmp_path / "out" / "rss.xml").read_text(encoding="utf-8")
