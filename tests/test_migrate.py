"""feedpub init: the configs it writes load, and builds from them give the old sites' URLs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import feedparser
import pytest

from feedpub.config import load_config
from feedpub.read import settings_for
from tests import jekyll_oracle
from tests.conftest import DATA, EXAMPLE_NOW, run
from tests.test_jekyll_reader import jekyll

__all__ = ["jekyll"]  # a fixture, used by name: the real Jekyll, or a skip (a failure under CI)

JEKYLL = DATA / "jekyll_site_with_baseurl_and_jekyll_feed"
HUGO = DATA / "hugo_site_with_page_bundles"
TRIP = "https://hugo.example.org/2024/08/%EC%B2%AB-%EC%A0%9C%EC%A3%BC-%EC%97%AC%ED%96%89-%EC%98%AC%EB%A0%88%EA%B8%B8-1%EC%BD%94%EC%8A%A4/"
PLAIN = "https://hugo.example.org/2024/09/lantern-night-at-the-harbour/"


def _init(flag: str, source: Path, tmp_path: Path) -> tuple[Path, Path]:
    """Copy a fixture site into tmp_path and run `feedpub init FLAG site`; (site folder, config path)."""
    site = tmp_path / source.name
    shutil.copytree(source, site)
    config = tmp_path / "config.toml"
    result = run("init", flag, site, "--config", config)
    assert result.exit_code == 0, result.output
    return site, config


def _build(config: Path) -> None:
    result = run("build", "--config", config, "--now", EXAMPLE_NOW.isoformat(), "--quiet")
    assert result.exit_code == 0, result.output


def test_init_without_flags_writes_a_minimal_config_that_loads(tmp_path: Path) -> None:
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2024-01-02-hello.md").write_text("---\ntitle: Hello\n---\nHi.\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    result = run("init", "--config", config)
    assert result.exit_code == 0, result.output
    text = config.read_text(encoding="utf-8")
    assert "# CHANGE THIS" in text
    site = load_config(config)
    assert site.posts.dirs == ((tmp_path / "_posts").resolve(),)
    # The placeholder URL is refused until it is replaced: feeds with it would point nowhere.
    refused = run("build", "--config", config, "--now", EXAMPLE_NOW.isoformat())
    assert refused.exit_code == 2 and "site.url" in refused.output
    config.write_text(text.replace("https://CHANGE-ME.example/", "https://example.org/"), encoding="utf-8")
    _build(config)
    assert (tmp_path / "feeds" / "rss.xml").is_file()


@pytest.mark.parametrize(("source", "flag"), [(JEKYLL, "--from-jekyll"), (HUGO, "--from-hugo")], ids=["jekyll", "hugo"])
def test_init_without_flags_in_a_generator_site_points_to_its_migration(
    source: Path, flag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The guide's first line, `feedpub init`, run inside a Jekyll site wrote a plain config whose feeds linked pages
    Jekyll never writes, and inside a Hugo site one naming a _posts folder it lacks: refused, with the command that
    fits; `--plain` writes the plain config all the same."""
    site = tmp_path / "site"
    shutil.copytree(source, site)
    monkeypatch.chdir(site)
    refused = run("init", "--config", "feedpub.toml")
    assert refused.exit_code == 2
    assert f"run `feedpub init {flag} . --config feedpub.toml`" in refused.output
    assert "--plain" in refused.output
    assert not (site / "feedpub.toml").exists()
    written = run("init", "--plain", "--config", "feedpub.toml")
    assert written.exit_code == 0, written.output
    assert load_config(site / "feedpub.toml").posts.dirs == ((site / "_posts").resolve(),)


def test_init_without_flags_beside_a_config_yml_alone_writes_the_plain_config(tmp_path: Path) -> None:
    """A _config.yml of some other tool beside no _posts folder is no Jekyll site."""
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    assert run("init", "--config", tmp_path / "config.toml").exit_code == 0


def test_init_never_overwrites_an_existing_config(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("# mine\n", encoding="utf-8")
    result = run("init", "--config", config, "--from-jekyll", JEKYLL)
    assert result.exit_code == 2
    assert "already exists" in result.output and "never overwrites" in result.output
    assert config.read_text(encoding="utf-8") == "# mine\n"


def test_init_refuses_both_jekyll_and_hugo(tmp_path: Path) -> None:
    result = run("init", "--config", tmp_path / "c.toml", "--from-jekyll", JEKYLL, "--from-hugo", HUGO)
    assert result.exit_code == 2
    assert not (tmp_path / "c.toml").exists()


def test_init_from_a_folder_that_is_not_jekyll_says_so(tmp_path: Path) -> None:
    result = run("init", "--config", tmp_path / "c.toml", "--from-jekyll", tmp_path)
    assert result.exit_code == 2
    assert "no _config.yml" in result.output


def test_init_from_jekyll_carries_url_baseurl_feed_and_sitemap_settings(tmp_path: Path) -> None:
    site_dir, config = _init("--from-jekyll", JEKYLL, tmp_path)
    site = load_config(config)
    assert site.url == "https://blog.example.com/journal/"
    assert site.title == "서울 자전거 일지"
    assert site.language == "ko-KR"
    assert str(site.timezone) == "Asia/Seoul"
    assert site.author is not None and (site.author.name, site.author.email) == ("김민서", "minseo@example.com")
    assert (site.posts.generator, site.posts.source) == ("jekyll", site_dir.resolve())  # its rules, read each build
    assert site.feeds.atom == "feed.xml"  # jekyll-feed's path: subscribers keep their URL
    assert site.feeds.ids == "jekyll-feed"
    assert site.feeds.content == "excerpt"
    assert site.feeds.categories == ("생활",)
    assert site.feeds.tags == ("python",)
    assert site.output_dir == (site_dir / "_site").resolve()
    assert site.sitemap.path == "sitemap-posts.xml"  # jekyll-sitemap writes sitemap.xml


@pytest.mark.parametrize(
    ("lang", "language"), [("ko-KR, en-US", "ko-KR"), ("ko_KR", "ko-KR"), ("한국어", ""), ("", "")]
)
def test_init_from_jekyll_takes_a_language_tag_a_build_accepts(lang: str, language: str, tmp_path: Path) -> None:
    """A Hydejack site's `lang: ko-KR, en-US` became site.language as written, which the build refused: a site
    just set up could not build. The first tag of a list is taken, and a value with none is left out."""
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text(f"title: t\nurl: https://example.kr\nlang: '{lang}'\n", encoding="utf-8")
    (site / "_posts" / "2024-01-02-a.md").write_text("---\ntitle: a\n---\nbody\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0

    assert (load_config(config).language or "") == language
    _build(config)


def test_build_from_jekyll_config_gives_jekylls_urls_and_honours_feed_and_sitemap_flags(tmp_path: Path) -> None:
    site_dir, config = _init("--from-jekyll", JEKYLL, tmp_path)
    _build(config)
    out = site_dir / "_site"
    atom = feedparser.parse((out / "feed.xml").read_bytes())
    assert not atom.bozo
    links = [e.link for e in atom.entries]
    # pretty style, under baseurl, Hangul category percent-encoded; feed: false left out.
    assert links == [
        "https://blog.example.com/journal/meta/2024/06/01/internal-memo/",
        "https://blog.example.com/journal/%EC%83%9D%ED%99%9C/2024/05/01/seoul-bike-lanes/",
    ]
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    bike = next(i for i in feed["items"] if "bike" in i["url"])
    assert bike["image"] == "https://blog.example.com/journal/assets/img/bike-lane.png"
    assert "content_html" not in bike  # excerpt_only
    sitemap = (out / "sitemap-posts.xml").read_text(encoding="utf-8")
    assert "hidden-from-feeds" in sitemap  # feed: false is still a page of the site
    assert "internal-memo" not in sitemap  # `sitemap: false` from the defaults of its scope
    assert (out / "categories" / "생활" / "feed.xml").is_file()
    assert (out / "tags" / "python" / "feed.xml").is_file()
    assert not (out / "tags" / "자전거").exists()  # only the tags jekyll-feed listed


def test_init_from_jekyll_resolves_liquid_and_a_build_shows_none(tmp_path: Path) -> None:
    site_dir, config = _init("--from-jekyll", JEKYLL, tmp_path)
    assert 'templates = "liquid"' in config.read_text(encoding="utf-8")
    assert load_config(config).posts.templates == "liquid"
    _build(config)
    rss = (site_dir / "_site" / "rss.xml").read_text(encoding="utf-8")
    assert "{%" not in rss and "{{" not in rss
    assert "넓힌다고 밝혔습니다(서울 자전거 일지, 지도)." in rss  # the excerpt, its Liquid resolved
    # Full content: Liquid URLs under the site's baseurl, the highlight block as escaped code.
    config.write_text(config.read_text(encoding="utf-8").replace('content = "excerpt"', 'content = "full"'))
    _build(config)
    rss = (site_dir / "_site" / "rss.xml").read_text(encoding="utf-8")
    assert "{%" not in rss and "{{" not in rss
    assert (
        '<img src="https://blog.example.com/journal/assets/img/bike-lane.png" alt="한강 자전거길이 넓어집니다">' in rss
    )
    assert '<a href="https://blog.example.com/journal/assets/img/bike-lane.png">지도</a>' in rss
    # The post's Liquid read tolerantly, as Jekyll reads it (python-liquid's strict parser refuses `{{ not liquid }}`):
    # the post_url to the memo (published, only left out of the sitemap) resolves, and a highlight block's body is
    # Liquid too, where `not liquid` writes nothing. Both as Jekyll 4.3.1 renders the post once the missing
    # include, over which it stops the build, is taken out.
    memo = "https://blog.example.com/journal/meta/2024/06/01/internal-memo/"
    assert f'자세한 계획은 <a href="{memo}">지난 글</a>에 있습니다.' in rss
    assert '<pre><code>lanes = {"before": 1, "after": 2}  # \n</code></pre>' in rss


def test_templates_none_keeps_jekyll_liquid_literal(tmp_path: Path) -> None:
    site_dir, config = _init("--from-jekyll", JEKYLL, tmp_path)
    config.write_text(config.read_text(encoding="utf-8").replace('templates = "liquid"', 'templates = "none"'))
    _build(config)
    assert "{{ site.title }}" in (site_dir / "_site" / "rss.xml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("style", "url_path"),
    [
        ("date", "/journal/%EC%83%9D%ED%99%9C/2024/05/01/seoul-bike-lanes.html"),
        ("pretty", "/journal/%EC%83%9D%ED%99%9C/2024/05/01/seoul-bike-lanes/"),
        ("ordinal", "/journal/%EC%83%9D%ED%99%9C/2024/122/seoul-bike-lanes.html"),
        ("none", "/journal/%EC%83%9D%ED%99%9C/seoul-bike-lanes.html"),
        ("/:year/:title/", "/journal/2024/seoul-bike-lanes/"),
    ],
    ids=["date", "pretty", "ordinal", "none", "custom"],
)
def test_jekyll_named_permalink_styles(tmp_path: Path, style: str, url_path: str) -> None:
    source = tmp_path / JEKYLL.name
    shutil.copytree(JEKYLL, source)
    config_yml = source / "_config.yml"
    config_yml.write_text(
        config_yml.read_text(encoding="utf-8").replace("permalink: pretty", f"permalink: {style}"), encoding="utf-8"
    )
    site_dir, config = _init("--from-jekyll", source, tmp_path / "migrated")
    _build(config)
    sitemap = (site_dir / "_site" / "sitemap-posts.xml").read_text(encoding="utf-8")
    assert f"<loc>https://blog.example.com{url_path}</loc>" in sitemap


def test_jekyll_author_as_a_plain_string(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    (site_dir / "_posts").mkdir(parents=True)
    (site_dir / "_config.yml").write_text("title: Plain\nauthor: Jane Doe\n", encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site_dir, "--config", config).exit_code == 0
    text = config.read_text(encoding="utf-8")
    assert "CHANGE THIS: _config.yml url + baseurl names no absolute site URL" in text
    site = load_config(config)
    assert site.author is not None and site.author.name == "Jane Doe"
    assert site.posts.generator == "jekyll"


@pytest.mark.parametrize(
    ("author", "name"),
    [
        ('author = ["Jane Doe"]', None),  # PaperMod's list of authors
        ('author = ["Jane Doe", "John Roe"]', None),
        ('author = { name = "Jane Doe", email = "jane@example.org" }', "Jane Doe"),
        ('author = "Jane Doe"', "Jane Doe"),
    ],
    ids=["list-of-one", "list", "table", "name"],
)
def test_init_from_hugo_takes_a_list_of_authors_for_none(author: str, name: str | None, tmp_path: Path) -> None:
    """A Hugo site's params.author as a list (PaperMod's) was taken for a table's items: init failed with an
    internal error."""
    site_dir = tmp_path / "site"
    (site_dir / "content" / "posts").mkdir(parents=True)
    (site_dir / "hugo.toml").write_text(f'baseURL = "https://example.org/"\n[params]\n{author}\n', encoding="utf-8")
    config = tmp_path / "config.toml"
    result = run("init", "--from-hugo", site_dir, "--config", config)
    assert result.exit_code == 0, result.output
    site = load_config(config)
    assert (site.author.name if site.author else None) == name


def test_init_from_hugo_reads_base_url_permalinks_and_main_section(tmp_path: Path) -> None:
    site_dir, config = _init("--from-hugo", HUGO, tmp_path)
    site = load_config(config)
    assert site.url == "https://hugo.example.org/"
    assert site.language == "ko-kr"
    assert str(site.timezone) == "Asia/Seoul"
    assert site.description == "제주를 걷고 쓰는 여행 블로그"
    # Hugo's own config places the posts at every build: its main section, its [permalinks].
    assert (site.posts.generator, site.posts.source) == ("hugo", site_dir.resolve())
    assert settings_for(site).posts.dirs == ((site_dir / "content" / "posts").resolve(),)
    assert site.feeds.rss == "index.xml"
    assert site.output_dir == (site_dir / "public").resolve()
    assert site.static_dir == (site_dir / "static").resolve()


def test_build_from_hugo_config_reads_page_bundles_and_their_images(tmp_path: Path) -> None:
    site_dir, config = _init("--from-hugo", HUGO, tmp_path)
    _build(config)
    out = site_dir / "public"
    feed = json.loads((out / "feed.json").read_text(encoding="utf-8"))
    by_url = {item["url"]: item for item in feed["items"]}
    # Hugo's :slug is the slug, else the title (hugo 0.111.3 `list all` gives these permalinks); notes.md in the
    # bundle is a resource, the draft is skipped.
    assert sorted(by_url) == [TRIP, PLAIN]
    trip = by_url[TRIP]
    assert trip["image"] == TRIP + "cover.jpg"  # images: [cover.jpg]
    assert trip["summary"] == "성산에서 시작한 첫날, 바다와 오름을 함께 걸었습니다."
    assert trip["date_modified"] == "2024-08-20T18:30:00+09:00"  # lastmod
    assert f'src="{TRIP}map.png"' in trip["content_html"]  # resolved against the page's URI: encoded
    assert set(trip["tags"]) == {"여행", "제주", "hiking"}
    plain = by_url[PLAIN]
    assert plain["image"] == "https://hugo.example.org/images/hero.jpg"  # featured_image, a static path
    rss = feedparser.parse((out / "index.xml").read_bytes())
    assert not rss.bozo
    enclosure = next(e for e in rss.entries if e.link == TRIP).enclosures[0]
    # The length comes from the bundle's own file: the enclosure is complete.
    assert int(enclosure.length) == (site_dir / "content" / "posts" / "first-trip" / "cover.jpg").stat().st_size
    # Hugo's taxonomy feeds live at /categories/<term>/index.xml: the same paths.
    assert (out / "categories" / "여행" / "index.xml").is_file()


def test_init_from_hugo_resolves_shortcodes_and_a_build_shows_none(tmp_path: Path) -> None:
    site_dir, config = _init("--from-hugo", HUGO, tmp_path)
    assert 'templates = "hugo"' in config.read_text(encoding="utf-8")
    _build(config)
    rss = (site_dir / "public" / "index.xml").read_text(encoding="utf-8")
    assert "{{" not in rss
    # Hugo's figure (a caption in <p>), its highlight less the colours, ref resolved to the target's permalink.
    assert (
        '<figure><img src="https://hugo.example.org/images/hero.jpg" alt="항구의 등불">'
        "<figcaption>\n            <p>등불 축제</p>\n        </figcaption>\n</figure>"
    ) in rss  # with the white space of Hugo's template
    assert "<pre><code>[festival]\nlanterns = 300 # &#x3C; 500\n</code></pre>" in rss  # "<" escaped, in CDATA
    first_trip = "https://hugo.example.org/2024/08/%EC%B2%AB-%EC%A0%9C%EC%A3%BC-%EC%97%AC%ED%96%89-%EC%98%AC%EB%A0%88%EA%B8%B8-1%EC%BD%94%EC%8A%A4/"
    assert f'지난 글: <a href="{first_trip}">첫 제주 여행</a>. ' in rss
    assert "우천 시 연기" in rss  # an unknown shortcode's inner text


def test_init_from_jekyll_never_names_feedpubs_files_as_the_sites_own(tmp_path: Path, jekyll: None) -> None:
    """A site with its own feed.xml (so jekyll-feed writes none), rss.xml, feed.json, a feeds.md page and a
    sitemap page with its permalink: feedpub replaced each at every build. Built by the real Jekyll, each file
    the site wrote is still its own after feedpub's build."""
    site = tmp_path / "site"
    files = {
        "_config.yml": "title: Own\nurl: https://own.example.com\nplugins: [jekyll-feed]\ncollections:\n"
        "  pages:\n    output: true\n",
        "feed.xml": "<?xml version='1.0'?><rss version='2.0'><channel><title>own</title></channel></rss>\n",
        "rss.xml": "<rss version='2.0'><channel><title>own rss</title></channel></rss>\n",
        "feed.json": '{"version": "own"}\n',
        "feeds.md": "---\ntitle: Feeds\n---\nown feeds page\n",
        "_pages/sitemap.xml": "---\npermalink: /sitemap.xml\nlayout: null\n---\n<urlset></urlset>\n",
        "_posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n",
    }
    jekyll_oracle.write_files(site, files)
    jekyll_oracle.run_jekyll(site, site / "_site")
    own = ("feed.xml", "rss.xml", "feed.json", "feeds.html", "sitemap.xml")
    before = {name: (site / "_site" / name).read_bytes() for name in own}
    assert b"own" in before["feeds.html"] and before["sitemap.xml"] == b"<urlset></urlset>\n"
    assert run("init", "--from-jekyll", site, "--config", tmp_path / "config.toml").exit_code == 0
    result = run("build", "--config", tmp_path / "config.toml")
    assert result.exit_code == 0, result.output
    assert {name: (site / "_site" / name).read_bytes() for name in own} == before
    settings = load_config(tmp_path / "config.toml")
    assert (settings.feeds.atom, settings.feeds.rss, settings.feeds.json, settings.page) == (
        "atom.xml",
        "rss2.xml",
        "feed-json.json",
        "subscribe.html",
    )
    assert settings.sitemap.path == "sitemap-posts.xml"
    assert "CHECK THIS: the site writes its own feed.xml" in (tmp_path / "config.toml").read_text(encoding="utf-8")


def test_a_jekyll_baseurl_changed_after_init_stops_the_build_until_site_url_follows_it(
    tmp_path: Path, jekyll: None
) -> None:
    """`baseurl: /blog` emptied after `init`: the real Jekyll serves the posts at the host's root, and every feed
    link (site.url, written once by init) pointed at /blog/, a 404, with exit 0. The build stops before writing,
    naming both addresses and what to set; set so, the entries link the pages Jekyll wrote."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://own.example.com\nbaseurl: /blog\n",
            "_posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n",
        },
    )
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    jekyll_oracle.run_jekyll(site, site / "_site")
    assert run("build", "--config", config, "--quiet").exit_code == 0
    (site / "_config.yml").write_text("title: T\nurl: https://own.example.com\nbaseurl: ''\n", encoding="utf-8")
    jekyll_oracle.run_jekyll(site, site / "_site")
    before = sorted(p.name for p in (site / "_site").rglob("*"))
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 2
    assert (
        "site.url is https://own.example.com/blog/ but _config.yml's url + baseurl gives https://own.example.com/:"
        in result.stderr
    )
    assert 'set url = "https://own.example.com/" in [site] of config.toml' in result.stderr
    assert sorted(p.name for p in (site / "_site").rglob("*")) == before
    text = config.read_text(encoding="utf-8").replace("https://own.example.com/blog/", "https://own.example.com/")
    config.write_text(text, encoding="utf-8")
    assert run("build", "--config", config, "--quiet").exit_code == 0
    [entry] = feedparser.parse((site / "_site" / load_config(config).feeds.atom).read_bytes()).entries
    assert entry.link == "https://own.example.com/2024/01/01/a.html"
    assert (site / "_site" / "2024" / "01" / "01" / "a.html").is_file()


@pytest.mark.parametrize(
    "url", ['"http://[::1"', "https://own.example.com:99999999", "'https:// own.example.com'", "'https://'"]
)
def test_a_jekyll_url_that_is_no_address_stops_the_build_without_advising_it_as_site_url(
    url: str, tmp_path: Path
) -> None:
    """`url: "http://[::1"` in _config.yml went unchecked, and for `https://example.org:99999999` the guard of
    site.url advised setting site.url to that address. Each stops the build, saying the generator's url is not a
    valid address, and advises no copy of it."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {"_config.yml": "title: T\nurl: https://own.example.com\n", "_posts/2024-01-01-a.md": "---\ntitle: A\n---\n"},
    )
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--quiet").exit_code == 0
    (site / "_config.yml").write_text(f"title: T\nurl: {url}\n", encoding="utf-8")
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 2, result.output
    assert "_config.yml's url + baseurl is " in result.stderr
    assert "which is not a valid address" in result.stderr
    assert "set url" not in result.stderr


def test_a_jekyll_page_added_at_feedpubs_sitemap_stops_the_build_and_jekyll_feeds_own_is_still_replaced(
    tmp_path: Path, jekyll: None
) -> None:
    """A page with `permalink: /sitemap.xml` added after `init` (which names feedpub's sitemap.xml where the site
    has none) was replaced by feedpub's sitemap at every build, with exit 0. Built by the real Jekyll, it stops the
    build before anything is written, naming the file and the setting; jekyll-feed's feed.xml, still written while
    the plugin is on, is replaced as the guide promises (subscribers keep its address)."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://own.example.com\nplugins: [jekyll-feed]\n",
            "_posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n",
        },
    )
    config = tmp_path / "config.toml"
    jekyll_oracle.run_jekyll(site, site / "_site")
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    settings = load_config(config)
    assert (settings.feeds.atom, settings.sitemap.path) == ("feed.xml", "sitemap.xml")
    assert run("build", "--config", config, "--quiet").exit_code == 0
    jekyll_oracle.run_jekyll(site, site / "_site")  # jekyll-feed's feed.xml again, feedpub's files gone
    assert b'<generator uri="https://jekyllrb.com/"' in (site / "_site" / "feed.xml").read_bytes()
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 0, result.output
    assert b"feedpub" in (site / "_site" / "feed.xml").read_bytes()

    (site / "sitemap.xml").write_text("---\npermalink: /sitemap.xml\n---\n<urlset>mine</urlset>\n", "utf-8")
    jekyll_oracle.run_jekyll(site, site / "_site")
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 2
    assert "_site/sitemap.xml: the site's own file, served at https://own.example.com/sitemap.xml" in result.stderr
    assert "give sitemap.path another name in config.toml" in result.stderr
    assert (site / "_site" / "sitemap.xml").read_text(encoding="utf-8") == "<urlset>mine</urlset>\n"
    assert not (site / "_site" / "feeds.html").exists()


def test_a_jekyll_post_at_feedpubs_page_is_rejected_and_the_page_written_over_it(tmp_path: Path, jekyll: None) -> None:
    """A post with `permalink: /feeds.html` is rejected by name; once Jekyll had written its page there, the guard
    for the site's own pages stopped every build with exit 2, nothing published. With the real Jekyll: the post is
    rejected, the other posts published, and feedpub's page written over the post's."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://own.example.com\n",
            "_layouts/default.html": "<html>{{ content }}</html>\n",
            "_posts/2024-01-01-a.md": "---\ntitle: A\n---\nx\n",
            "_posts/2024-09-01-evil.md": "---\ntitle: Evil\nlayout: default\npermalink: /feeds.html\n---\nx\n",
        },
    )
    config = tmp_path / "config.toml"
    jekyll_oracle.run_jekyll(site, site / "_site")
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert load_config(config).page == "feeds.html"
    page = site / "_site" / "feeds.html"
    assert page.read_text(encoding="utf-8") == "<html><p>x</p>\n</html>\n"
    result = run("build", "--config", config, "--quiet")
    assert result.exit_code == 1, result.output
    assert "_posts/2024-09-01-evil.md: its URL https://own.example.com/feeds.html is where feedpub" in result.stderr
    assert b"feedpub" in page.read_bytes()
    assert "<title>A</title>" in (site / "_site" / "atom.xml").read_text(encoding="utf-8")


def test_init_inside_a_jekyll_site_says_jekyll_would_publish_the_config(tmp_path: Path, jekyll: None) -> None:
    """Jekyll copies every file it is not told to exclude: the real Jekyll serves /config.toml and
    /feedpub-dates.txt, which init now says, until _config.yml excludes them."""
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_config.yml").write_text("title: t\nurl: https://x.example\n", encoding="utf-8")
    assert run("init", "--from-jekyll", tmp_path, "--config", tmp_path / "config.toml").exit_code == 0
    text = (tmp_path / "config.toml").read_text(encoding="utf-8")
    assert "CHECK THIS: config.toml and feedpub-dates.txt are in the Jekyll site: add them to `exclude:`" in text
    (tmp_path / "feedpub-dates.txt").write_text("", encoding="utf-8")
    jekyll_oracle.run_jekyll(tmp_path, tmp_path / "_site")
    assert (tmp_path / "_site" / "config.toml").is_file() and (tmp_path / "_site" / "feedpub-dates.txt").is_file()
    (tmp_path / "config.toml").unlink()
    (tmp_path / "_config.yml").write_text(
        "title: t\nurl: https://x.example\nexclude: [config.toml, feedpub-dates.txt]\n", encoding="utf-8"
    )
    assert run("init", "--from-jekyll", tmp_path, "--config", tmp_path / "config.toml").exit_code == 0
    assert "add them to `exclude:`" not in (tmp_path / "config.toml").read_text(encoding="utf-8")
    shutil.rmtree(tmp_path / "_site")
    jekyll_oracle.run_jekyll(tmp_path, tmp_path / "_site")
    assert not (tmp_path / "_site" / "config.toml").exists()


def test_init_says_to_keep_feedpubs_files_in_jekylls_destination(tmp_path: Path, jekyll: None) -> None:
    """Each `jekyll build` empties _site: feedpub's files were 404s until feedpub ran again, and every feed was
    written anew each run (its Last-Modified with it). With `keep_files` naming them, the real Jekyll leaves them,
    and init says so until the site has a `keep_files` of its own."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {"_posts/2024-01-01-a.md": "---\ntitle: A\n---\nBody.\n", "_config.yml": "title: t\nurl: https://x.example\n"},
    )
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert "`keep_files:`" in config.read_text(encoding="utf-8")
    kept = "keep_files: [rss.xml, atom.xml, feed.json, feeds.html, sitemap.xml, robots.txt]\n"
    (site / "_config.yml").write_text(f"title: t\nurl: https://x.example\n{kept}", encoding="utf-8")
    config.unlink()
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert "`keep_files:`" not in config.read_text(encoding="utf-8")
    jekyll_oracle.run_jekyll(site, site / "_site")
    assert run("build", "--config", config, "--quiet").exit_code == 0
    before = {p.name: p.stat().st_mtime_ns for p in (site / "_site").iterdir() if p.suffix in (".xml", ".json")}
    assert {"rss.xml", "atom.xml", "feed.json"} <= set(before)
    jekyll_oracle.run_jekyll(site, site / "_site")  # the next cron run's Jekyll
    assert all((site / "_site" / name).is_file() for name in before)
    result = run("build", "--config", config)
    assert result.exit_code == 0, result.output
    after = {name: (site / "_site" / name).stat().st_mtime_ns for name in before}
    assert after["rss.xml"] == before["rss.xml"] and after["feed.json"] == before["feed.json"]


def test_init_from_hugo_over_hugos_own_config_toml_says_whose_it_is(tmp_path: Path) -> None:
    """`hugo new site` (0.111) writes config.toml: init said only "already exists", as if run twice."""
    (tmp_path / "content").mkdir()
    (tmp_path / "config.toml").write_text('baseURL = "https://x.example/"\n', encoding="utf-8")
    result = run("init", "--from-hugo", tmp_path, "--config", tmp_path / "config.toml")
    assert result.exit_code == 2
    assert "it is the Hugo site's own configuration; write feedpub's elsewhere" in result.stderr
    assert "--config feedpub.toml" in result.stderr


def test_a_jekyll_page_whose_permalink_is_a_folder_of_a_feeds_name_takes_that_name(tmp_path: Path) -> None:
    """`permalink: /feed.json/` is the folder feed.json/ to Jekyll: init kept json = "feed.json", and every build
    stopped, a folder standing where the file goes."""
    from feedpub.read import jekyll_top_level_outputs

    (tmp_path / "_posts").mkdir()
    (tmp_path / "_config.yml").write_text("title: t\nurl: https://x.example\n", encoding="utf-8")
    (tmp_path / "json.md").write_text("---\npermalink: /feed.json/\n---\nx\n", encoding="utf-8")
    assert "feed.json" in jekyll_top_level_outputs(tmp_path, tmp_path / "_site")
    assert run("init", "--from-jekyll", tmp_path, "--config", tmp_path / "config.toml").exit_code == 0
    assert load_config(tmp_path / "config.toml").feeds.json == "feed-json.json"


THEME_GEMSPEC = """\
Gem::Specification.new do |spec|
  spec.name = "jekyll-theme-sitemapped"
  spec.version = "0.1.0"
  spec.authors = ["feedpub tests"]
  spec.summary = "A gem theme whose runtime dependency is jekyll-sitemap, as jekyll-theme-chirpy's is"
  spec.files = Dir["_layouts/*"]
  spec.add_runtime_dependency "jekyll-sitemap", "~> 1.4"
end
"""


def test_a_gem_themes_sitemap_is_left_to_it(tmp_path: Path, jekyll: None) -> None:
    """Jekyll loads a gem theme's dependencies without `plugins:` naming them (Chirpy's jekyll-sitemap): init
    named feedpub's sitemap sitemap.xml, and the build replaced the theme's, dropping the site's other pages."""
    import subprocess

    theme = jekyll_oracle.write_files(
        tmp_path / "theme",
        {"jekyll-theme-sitemapped.gemspec": THEME_GEMSPEC, "_layouts/default.html": "{{ content }}"},
    )
    gems = tmp_path / "gems"
    environment = {**jekyll_oracle._environment(), "GEM_HOME": str(gems)}
    subprocess.run(
        ["gem", "build", "jekyll-theme-sitemapped.gemspec"],
        cwd=theme,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        ["gem", "install", "--local", "--ignore-dependencies", "jekyll-theme-sitemapped-0.1.0.gem"],
        cwd=theme,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {
            "_config.yml": "title: T\nurl: https://themed.example\ntheme: jekyll-theme-sitemapped\n",
            "_posts/2024-01-02-first.md": "---\ntitle: First\n---\nHello.\n",
            "about.md": "---\ntitle: About\nlayout: default\n---\nAbout us.\n",
        },
    )
    gem_path = subprocess.run(["gem", "env", "gempath"], env=environment, capture_output=True, text=True, check=True)
    environment["GEM_PATH"] = f"{gems}:{gem_path.stdout.strip()}"
    subprocess.run(
        ["jekyll", "build", "-q", "-s", site, "-d", site / "_site"],
        env=environment,
        check=True,
        capture_output=True,
        timeout=300,
    )
    theirs = (site / "_site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://themed.example/about/" in theirs.replace(".html", "/")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site, "--config", config).exit_code == 0
    assert run("build", "--config", config, "--now", EXAMPLE_NOW, "--quiet").exit_code == 0
    assert (site / "_site" / "sitemap.xml").read_text(encoding="utf-8") == theirs
    assert "https://themed.example/2024/01/02/first.html" in (site / "_site" / "sitemap-posts.xml").read_text("utf-8")


def test_a_themes_dependencies_are_read_from_gemfile_lock() -> None:
    from feedpub.tools.init import _theme_dependencies

    lock = (
        "GEM\n  remote: https://rubygems.org/\n  specs:\n    jekyll (4.3.1)\n      addressable (~> 2.4)\n"
        "    jekyll-theme-chirpy (6.1.0)\n      jekyll (~> 4.3)\n      jekyll-archives (~> 2.2)\n"
        "      jekyll-sitemap (~> 1.4)\n    jekyll-sitemap (1.4.0)\n      jekyll (>= 3.7, < 5.0)\n\n"
        "PLATFORMS\n  x86_64-linux\n\nDEPENDENCIES\n  jekyll-theme-chirpy (~> 6.1)\n"
    )
    assert _theme_dependencies(lock, "jekyll-theme-chirpy") == ["jekyll", "jekyll-archives", "jekyll-sitemap"]
    assert _theme_dependencies(lock, "minima") == []


def test_init_again_after_a_build_keeps_feedpubs_sitemap_where_it_was(tmp_path: Path) -> None:
    """The sitemap.xml feedpub's own build wrote into _site is not jekyll-sitemap's: init run again took it for one
    and moved feedpub's sitemap to sitemap-posts.xml (the URL search engines were given went away)."""
    site = jekyll_oracle.write_files(
        tmp_path / "site",
        {"_config.yml": "title: T\nurl: https://plain.example\n", "_posts/2024-01-02-a.md": "---\ntitle: A\n---\nx\n"},
    )
    first, second = tmp_path / "config.toml", tmp_path / "config2.toml"
    assert run("init", "--from-jekyll", site, "--config", first).exit_code == 0
    assert run("build", "--config", first, "--now", EXAMPLE_NOW, "--quiet").exit_code == 0
    assert (site / "_site" / "sitemap.xml").is_file()
    assert run("init", "--from-jekyll", site, "--config", second).exit_code == 0
    assert load_config(second).sitemap.path == load_config(first).sitemap.path == "sitemap.xml"


def test_init_says_the_white_space_that_leaves_a_jekyll_url_no_address(tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    (site_dir / "_posts").mkdir(parents=True)
    (site_dir / "_config.yml").write_text('title: T\nurl: "https://ex ample.com/A B"\n', encoding="utf-8")
    config = tmp_path / "config.toml"
    assert run("init", "--from-jekyll", site_dir, "--config", config).exit_code == 0
    text = config.read_text(encoding="utf-8")
    assert "'https://ex ample.com/A%20B' holds white space before its path" in text
    assert 'url = "https://CHANGE-ME.example/"' in text
