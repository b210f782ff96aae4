"""Hugo posts' content as Hugo renders it (Goldmark, shortcodes): feedpub's feed entries against the oracle.

For each fixture, each RSS entry's content:encoded, as text, must be Hugo's rendered page content (`content`
in expected.json: `.Content`) as text, whitespace collapsed: HTML may differ (feed cleaning drops iframes,
scripts, inputs and classes), the words may not. What feedpub cannot do is listed in NOT_RUN: the site's own
shortcode templates and inline shortcodes, which it removes rather than run.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from feedpub.config import load_config
from feedpub.read import markup, settings_for
from feedpub.read.collect import collect
from feedpub.read.hugo import goldmark, shortcodes, summaries
from feedpub.read.hugo.config import load_config as load_hugo_config
from feedpub.read.markup import html_to_text
from feedpub.read.post import Reader
from tests import hugo_oracle
from tests.test_hugo_reader import NOW, _editions, _init_and_build

CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
# Text Hugo's output has that feedpub's cannot: what the fixture's own and inline shortcode templates print.
NOT_RUN = {
    "posts/shortcodes.md": ("Hello from Shortcodes", "Waving from Shortcodes", "label: "),
    "posts/summary-shortcode.md": ("Inline Summary starts with a shortcode first",),
}


def _expected(site: str) -> dict[str, Any]:
    return json.loads(hugo_oracle.expected_path(site).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _entries(site: str, tmp_path: Path) -> dict[str, str]:
    """feedpub's content HTML of every entry of the site's home feeds (every language's), by link."""
    feedpub_site = load_config(_init_and_build(site, tmp_path))
    editions = _editions(feedpub_site)
    rss = feedpub_site.feeds.rss
    feeds = [e.folder + rss.removeprefix(editions[0].folder) for e in editions] or [rss]
    found = {}
    for feed in feeds:
        for item in ET.parse(feedpub_site.output_dir / feed).getroot().iter("item"):
            found[item.findtext("link") or ""] = item.findtext(CONTENT) or ""
    return found


@pytest.mark.parametrize("site", hugo_oracle.fixtures())
def test_content_text_is_hugos(site: str, tmp_path: Path) -> None:
    pages = {page["permalink"]: page for page in _expected(site)["pages"]}
    entries = _entries(site, tmp_path)
    assert entries
    for link, content in entries.items():
        page = pages[link]
        expected = html_to_text(page["content"])
        for text in NOT_RUN.get(page["path"], ()):
            assert text in expected  # the fixture still shows what it is about
            expected = expected.replace(text, "")
        assert " ".join(html_to_text(content).split()) == " ".join(expected.split()), page["path"]
        for leftover in ("{{<", "{{%", "{{ .", "HUGOSC1"):
            assert leftover not in content, (page["path"], leftover)


def test_markup_fixture_uses_every_extension() -> None:
    """The content test covers Goldmark's extensions only while the fixture's Hugo output shows each of them."""
    pages = {page["path"]: page["content"] for page in _expected("shortcodes-markup")["pages"]}
    html = pages["posts/markdown.md"]
    for mark in ("<table>", "<del>", 'type="checkbox"', 'href="https://example.com/linkified"', "footnote-ref"):
        assert mark in html, mark
    for mark in ("<dl>", 'id="custom-id" class="special"', "&ldquo;", "&mdash;", "&hellip;"):
        assert mark in html, mark
    shortcode_page = pages["posts/shortcodes.md"]
    assert 'href="https://markup.example/2023/goldmark-extensions/">ref' in shortcode_page
    assert 'href="/2023/bundle-with-an-image/">relref' in shortcode_page


def test_markdown_html_is_goldmarks() -> None:
    """Beyond the text: the HTML of the fixture's Markdown page is Hugo's, byte for byte."""
    page = next(p for p in _expected("shortcodes-markup")["pages"] if p["path"] == "posts/markdown.md")
    source = (hugo_oracle.SITES / "shortcodes-markup" / "content" / "posts" / "markdown.md").read_text()
    body = source.split("---\n", 2)[2]
    rendered = goldmark.render(body, goldmark.GoldmarkOptions(unsafe=True))
    # Goldmark writes typographer output as entities; markdown-it as characters: the same text.
    for entity, character in (("&ldquo;", "“"), ("&rdquo;", "”"), ("&ndash;", "–"), ("&mdash;", "—")):
        rendered = rendered.replace(character, entity)
    assert rendered == page["content"].replace("&hellip;", "…")


@pytest.mark.parametrize(
    ("unsafe", "expected"),
    [
        (False, "<p>a <!-- raw HTML omitted -->b<!-- raw HTML omitted --></p>\n<!-- raw HTML omitted -->\n"),
        (True, "<p>a <b>b</b></p>\n<div>x</div>\n"),
    ],
    ids=["omitted", "unsafe"],
)
def test_raw_html_omitted_unless_unsafe(unsafe: bool, expected: str) -> None:
    assert goldmark.render("a <b>b</b>\n\n<div>x</div>\n", goldmark.GoldmarkOptions(unsafe=unsafe)) == expected


def test_shortcode_html_survives_unsafe_false() -> None:
    """Hugo inserts `{{< >}}` output after Goldmark: raw HTML omission never touches it; alone, it loses its <p>."""
    text = shortcodes.expand('{{< figure src="/a.png" title="T" >}}\n\nx {{< param p >}} y\n', [{"p": "v"}], _none)
    html = shortcodes.fill(goldmark.render(text, goldmark.GoldmarkOptions()))
    figure = '<figure><img src="/a.png"/><figcaption>\n            <h4>T</h4>\n        </figcaption>\n</figure>\n'
    assert html == figure + "\n<p>x v y</p>\n"  # the figure's white space Hugo's (its summary counts it)


def test_inline_shortcodes_are_removed_with_their_template() -> None:
    text = "a {{< x.inline >}}{{ .Page.Title }}{{< /x.inline >}} b {{< mine >}}kept{{< /mine >}}"
    assert shortcodes.expand(text, (), _none) == "a  b kept"


def test_inner_text_printed_as_written_is_html_past_markdown() -> None:
    """A `{{< >}}` shortcode of `raw_inner` keeps its inner text as written, its own shortcodes resolved (a nested
    `{{% %}}` one's rendered), blocks of one name nested as Hugo nests them; others' inner text stays Markdown."""
    text = (
        "{{< aside >}}*raw* {{% aside %}}_md_{{% /aside %}} {{< param p >}}{{< /aside >}}\n\n"
        "{{< other >}}*md*{{< /other >}} {{% aside %}}*md*{{% /aside %}} {{< aside >}}unclosed\n"
    )
    html = shortcodes.fill(goldmark.render(shortcodes.expand(text, [{"p": "v"}], _none, _md, ("aside",)), _OPTIONS))
    assert html == "*raw* <em>md</em> v\n<p><em>md</em> <em>md</em> unclosed</p>\n"


def test_inner_texts_nested_past_the_bound_are_refused() -> None:
    depth = shortcodes.MAX_INNER_DEPTH + 2
    with pytest.raises(markup.MarkupTooComplex, match="nested"):
        shortcodes.expand("{{< a >}}" * depth + "x" + "{{< /a >}}" * depth, (), _none, _md, ("a",))
    nested = "{{< a >}}" * (depth - 3) + "x" + "{{< /a >}}" * (depth - 3)
    assert shortcodes.fill(shortcodes.expand(nested, (), _none, _md, ("a",))) == "x"


def test_a_template_printing_inner_as_written_is_found_in_the_site_then_its_themes(tmp_path: Path) -> None:
    """The site's template of a name wins over a theme's; any variant calling markdownify or RenderString makes the
    inner text Markdown; a template in a subfolder is named by its path; a link is not followed."""
    (tmp_path / "hugo.toml").write_text('baseURL = "https://e.org/"\ntheme = "t"\n', encoding="utf-8")
    templates = {
        "layouts/shortcodes/raw.html": "<aside>{{ .Inner }}</aside>",
        "layouts/shortcodes/docs/tip.html": "{{ .Inner | safeHTML }}",
        "layouts/shortcodes/mixed.html": "{{ .Inner }}",
        "layouts/shortcodes/mixed.en.html": "{{ .Inner | .Page.RenderString }}",
        "layouts/shortcodes/overridden.html": "{{ .Inner | markdownify }}",
        "themes/t/layouts/shortcodes/overridden.html": "{{ .Inner }}",
        "themes/t/layouts/shortcodes/themed.html": "<span>{{ .Inner }}</span>",
        "themes/t/layouts/shortcodes/notes.txt": "{{ .Inner }}",
        "elsewhere.html": "{{ .Inner }}",
    }
    for name, template in templates.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(template, encoding="utf-8")
    (tmp_path / "layouts" / "shortcodes" / "linked.html").symlink_to(tmp_path / "elsewhere.html")
    assert load_hugo_config(tmp_path).raw_inner_shortcodes == ("docs/tip", "raw", "themed")


def _none(target: str, absolute: bool) -> str | None:
    return None


_OPTIONS = goldmark.GoldmarkOptions()


def _md(text: str) -> str:
    """Hugo's markdownify, as the reader makes it."""
    rendered = goldmark.render(text, _OPTIONS).strip()
    return rendered.removeprefix("<p>").removesuffix("</p>")


def test_ref_and_relref_resolve_to_hugos_targets(tmp_path: Path) -> None:
    """`ref` gives the permalink, `relref` the path (made absolute in feeds), of the page Hugo links."""
    entries = _entries("shortcodes-markup", tmp_path)
    content = entries["https://markup.example/2023/shortcodes/"]
    assert '<a href="https://markup.example/2023/goldmark-extensions/">ref</a>' in content
    assert '<a href="https://markup.example/2023/bundle-with-an-image/">relref</a>' in content


@pytest.mark.parametrize("site", hugo_oracle.fixtures())
def test_summaries_are_hugos(site: str, tmp_path: Path) -> None:
    """Each post's excerpt (RSS description) is the text of Hugo's summary: `summary:`, `<!--more-->` or auto."""
    pages = {page["permalink"]: page for page in _expected(site)["pages"]}
    feedpub_site = load_config(_init_and_build(site, tmp_path))
    settings = settings_for(feedpub_site)
    collection = collect(settings, NOW)
    excerpt_of = Reader(settings, records=False).excerpt  # as a build makes it for a feed showing the post
    assert collection.posts
    compared = 0
    for post in collection.posts:
        page = pages[post.uri]
        expected = html_to_text(page["summary"])
        for text in NOT_RUN.get(page["path"], ()):
            expected = " ".join(expected.replace(text, "").split())
        assert excerpt_of(post) == expected, page["path"]
        compared += 1
    assert compared == len(collection.posts)


def test_auto_summary_rules() -> None:
    """Observed on Hugo 0.111.3 (throwaway sites): words, then to the sentence's end; CJK by characters."""
    html = "<p>One two</p>\n<p>Three. Four five six seven eight nine.</p>\n"
    assert summaries.auto_summary(html, 3, cjk=False) == "One two Three. Four five six seven eight nine."
    assert summaries.auto_summary("<p>One two three four? Five six</p>", 3, cjk=False) == "One two three four?"
    assert summaries.auto_summary("<p>Short one.</p>", 3, cjk=False) == "Short one."
    assert (
        summaries.auto_summary("<p>서울의 봄은 짧지만 아름답습니다. 벚꽃</p>", 12, cjk=True)
        == "서울의 봄은 짧지만 아름답습"
    )
    assert summaries.auto_summary("<p>서울의 봄은 짧지만 아름답습니다. 벚꽃</p>", 12, cjk=False) == (
        "서울의 봄은 짧지만 아름답습니다. 벚꽃"
    )
