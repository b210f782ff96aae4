"""A body's first image and first paragraph from its start equal those of its whole rendering (read/prefix.py)."""

from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.corpus import SHAPES, render_post
from feedpub.config import load_config
from feedpub.models import Page, ReadSettings
from feedpub.read import markup, prefix
from feedpub.read.templates import BodyHtml
from tests.conftest import goldmark_read_settings, jekyll_read_settings, write_config

PAGE = Page("t", "p.md", "https://example.org/p/", None)

ROOT = Path(__file__).parent.parent

# Blocks whose joins make the cases a cut must not get wrong: images in code, comments, scripts and attribute
# values, reference-style images defined after the cut, lists that turn loose, paragraphs closed or not.
MARKDOWN_BLOCKS = [
    "Some *text* here.",
    '![alt *em*](/a.jpg "title")',
    "Text with ![inline](b.png) image.",
    "![ref image][r]",
    "![r]",
    "[r]: /defined-later.jpg",
    "- item\n- ![in list](c.jpg)",
    "- item one",
    "  continued item",
    "1. first\n2. second",
    "- <p>raw para</p> tail",
    "```\n![in code](d.jpg)\n\n<img src=e.jpg>",
    "```",
    "    ![indented code](f.jpg)",
    "<!--\n<img src=g.jpg>",
    "-->",
    "<!--more-->",
    "<div>\n![in html block](h.jpg)",
    "</div>",
    "<pre>\n<img src=i.jpg>",
    "</pre>",
    "<script>\nvar a = '<img src=j.jpg>';",
    "</script>",
    '<p title="x\n<img src=k.jpg>',
    '">',
    '<img src="" alt="empty">',
    "<IMG SRC='l.jpg' ALT='upper'>",
    "> quoted ![q](m.jpg)",
    "| a | b |\n|---|---|\n| ![t](n.jpg) | x |",
    "Heading\n===",
    "## heading",
    "<p>raw <b>html</b> paragraph</p>",
    "&nbsp;",
    "",
]
_HTML_BLOCKS = [
    "<p>First <b>para</b></p>",
    "<p>&nbsp;</p>",
    "<p></p>",
    '<p><img src="/a.jpg" alt="A" width="640"></p>',
    "<figure><img loading=lazy src=b.jpg><figcaption>c</figcaption></figure>",
    '<picture><source srcset="c.webp"><img src="c.jpg" alt=""></picture>',
    "<img alt='no src'>",
    '<img src="">',
    "<!-- <img src=d.jpg> -->",
    "<!--more-->",
    "<!--",
    "-->",
    "<script>document.write('<img src=e.jpg>')</script>",
    "<script>",
    "</script>",
    '<a title="x>y"><img src="f.jpg"></a>',
    '<span title="',
    '">',
    "<template><img src=g.jpg></template>",
    "<noscript><img src=h.jpg></noscript>",
    "<div>text<p>in div</div>",
    "<p>open paragraph",
    "<h2>heading</h2>",
    "loose text",
    "<![CDATA[<img src=i.jpg>]]>",
    "<table><tr><td><img src=j.jpg></td></tr></table>",
    "</p>",
    "<ul><li><p>item</p></li></ul>",
]
_SEPARATORS = ["\n\n", "\n", "", " ", "\n\n\n", "\n  \n"]


def _check(read_settings: ReadSettings, body: str, body_format: str) -> None:
    """The start's answers are the whole render's, and only a whole render is kept for the feeds."""
    whole = BodyHtml(read_settings, body, body_format, PAGE).render()
    fast = BodyHtml(read_settings, body, body_format, PAGE)
    assert prefix.first_image(fast) == markup.first_image(whole), body
    assert fast.rendered in (None, whole)
    fast = BodyHtml(read_settings, body, body_format, PAGE)
    assert prefix.first_paragraph_text(fast) == markup.first_paragraph_text(whole), body
    assert fast.rendered in (None, whole)


@pytest.fixture(scope="module")
def read_settings(tmp_path_factory: pytest.TempPathFactory) -> ReadSettings:
    return load_config(write_config(tmp_path_factory.mktemp("site"))).read_settings()


def _joined(blocks: list[str]) -> st.SearchStrategy[str]:
    pieces = st.lists(st.tuples(st.sampled_from(blocks), st.sampled_from(_SEPARATORS)), max_size=12)
    return pieces.map(lambda parts: "".join(block + separator for block, separator in parts))


@settings(max_examples=600, deadline=None)
@given(_joined(MARKDOWN_BLOCKS))
@example("Para.\n\n![ref][r]\n\nMore.\n\n[r]: /later.jpg\n")
@example("![ref][r]\n\n![b](b.jpg)\n\nText\n\n[r]: /later.jpg\n")
@example("- a\n- <p>x</p> y\n\n- c\n\nText\n")
@example("<p>abc\n\n<span>\ndef\n</span>\n\nmore\n")
@example("<!--\n<img src=g.jpg>\n\nText\n\n-->\n")
def test_markdown_start_answers_equal_the_whole_render(read_settings: ReadSettings, body: str) -> None:
    _check(read_settings, body, "markdown")


@settings(max_examples=600, deadline=None)
@given(_joined(_HTML_BLOCKS))
@example('<span title="\n<img src=k.jpg>\n">\n<img src=l.jpg>')
@example("<!--\n<img src=d.jpg>\n-->\n<p>x</p>\n<p>y</p>")
@example("<p>open paragraph\n</p><h2>h</h2>")
@example("<p><table><tr><td>a</p><i>b</i>c</td></tr></table></p>\n<p>z</p>")
def test_html_start_answers_equal_the_whole_render(read_settings: ReadSettings, body: str) -> None:
    _check(read_settings, body, "html")


# Goldmark's extensions (Hugo sites) add blocks a cut may split: a definition after a blank line, footnote
# definitions, task lists, shortcode placeholders that hold an image.
GOLDMARK_BLOCKS = [
    *MARKDOWN_BLOCKS,
    "Term",
    ": Definition ![d](dl.jpg)",
    "Text with a note[^1].",
    "[^1]: The note ![fn](fn.jpg)",
    "- [x] done ![t](task.jpg)",
    '{{< figure src="/fig.png" alt="f" >}}',
    "{{< param subtitle >}} words",
    "## Heading {#id .class}",
    "~~gone~~ www.example.com",
]


@pytest.fixture(scope="module", params=["unsafe", "safe"])
def hugo_settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ReadSettings:
    return goldmark_read_settings(tmp_path_factory.mktemp("hugo"), unsafe=request.param == "unsafe")


@settings(max_examples=400, deadline=None)
@given(_joined(GOLDMARK_BLOCKS))
@example("Term\n\n: Definition\n\nText\n")
@example('Para.\n\n{{< figure src="/fig.png" >}}\n\nMore.\n')
def test_goldmark_start_answers_equal_the_whole_render(hugo_settings: ReadSettings, body: str) -> None:
    _check(hugo_settings, body, "markdown")


def _fixture_bodies() -> list[tuple[str, str, str]]:
    """(id, body, format) of every post of the test data, the example site and one post of each bench shape."""
    found = []
    for folder in (ROOT / "tests", ROOT / "examples"):
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in (".md", ".markdown", ".html") and path.is_file():
                try:
                    body = frontmatter.loads(path.read_text(encoding="utf-8")).content
                except Exception:  # a fixture that is hostile on purpose (a bad encoding, broken YAML)
                    continue
                body_format = "html" if path.suffix.lower() == ".html" else "markdown"
                found.append((str(path.relative_to(ROOT)), body, body_format))
    for shape in SHAPES:
        for index in range(8):
            name, text, _ = render_post(index, 1_000, shape)
            body = frontmatter.loads(text).content
            found.append((f"{shape}-{index}", body, "html" if name.endswith(".html") else "markdown"))
    return found


@pytest.mark.parametrize(
    ("body", "body_format"), [c[1:] for c in _fixture_bodies()], ids=[c[0] for c in _fixture_bodies()]
)
def test_fixture_and_bench_bodies_answer_as_the_whole_render(
    read_settings: ReadSettings, body: str, body_format: str
) -> None:
    _check(read_settings, body, body_format)


def test_a_body_without_an_image_start_is_not_rendered(read_settings: ReadSettings) -> None:
    body = BodyHtml(read_settings, "No image here.\n\n" * 50, "markdown", PAGE)
    assert prefix.first_image(body) is None
    assert body.rendered is None


def test_an_image_near_the_start_renders_only_the_start(read_settings: ReadSettings) -> None:
    body = BodyHtml(read_settings, "![a](/a.jpg)\n\n" + "Long *text*.\n\n" * 200, "markdown", PAGE)
    assert prefix.first_image(body) == ("/a.jpg", "a")
    assert body.rendered is None  # the start's HTML is not kept as if it were the whole body's


@pytest.fixture(scope="module")
def jekyll_settings(tmp_path_factory: pytest.TempPathFactory) -> ReadSettings:
    """A Jekyll site's settings: its Markdown (kramdown's flavour) has definition lists."""
    return jekyll_read_settings(tmp_path_factory.mktemp("jekyll"))


@pytest.mark.parametrize(
    "body",
    ["Term\n\n: its definition\n\nSecond paragraph.\n\n![x](/x.png)\n", "Intro.\n\nTerm\n: definition\n\nText\n"],
    ids=["definition-after-blank-line", "definition-after-intro"],
)
def test_a_definition_list_is_not_cut_from_its_term(jekyll_settings: ReadSettings, body: str) -> None:
    """A ": definition" line after a blank one makes the paragraph before it a term: no cut may stop there."""
    _check(jekyll_settings, body, "markdown")
