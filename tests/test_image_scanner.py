"""image_scanner reads a body's first image off its text exactly as rendering and parsing it finds it, or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.corpus import SHAPES, render_post
from feedpub.read import image_scanner, markup
from feedpub.read.front_matter import split
from feedpub.read.hugo import HugoRules
from tests.conftest import goldmark_read_settings

ROOT = Path(__file__).parent.parent
SEED_POSTS = ROOT.parent / "shared" / "seed-posts"
EXAMPLES = int(os.environ.get("IMAGE_SCANNER_EXAMPLES", "1500"))


def _rendered(body: str, body_format: str) -> str:
    return markup.render_markdown(body) if body_format == "markdown" else body


def _check(body: str, body_format: str) -> tuple[str, str] | None:
    """The scanner's answer, which must be the render's whenever there is one (NO_IMAGE: the render has none)."""
    found = image_scanner.first_image(body, body_format)
    if found is not None:
        assert found == (markup.first_image(_rendered(body, body_format)) or image_scanner.NO_IMAGE), body
    return found


# Values on every edge the scanner decides on: quotes, entities, spaces, line breaks, non-ASCII, empty ones.
_SRCS = ["/a.jpg", "b.png", "https://example.kr/c d.jpg", " e.jpg ", "", " ", "f.jpg?x=1&amp;y=2", "한글.jpg"]
_SRCS += ["g&#46;jpg", "h.jpg\nx", "i\tj.jpg", "javascript:alert(1)", "//cdn.example.kr/k.webp", "l.jpg/", "m'n.jpg"]
_ALTS = ["", "alt", " spaced ", "제주 여행", 'say "hi"', "a &amp; b", "a > b", "x\ny", "\u3000wide\u3000"]


@st.composite
def _html_image(draw: st.DrawFn) -> str:
    src, alt = draw(st.sampled_from(_SRCS)), draw(st.sampled_from(_ALTS))
    quote = draw(st.sampled_from(['"', "'", ""]))
    attributes = [f"src={quote}{src}{quote}", f"alt={quote}{alt}{quote}", "width=640", 'loading="lazy"', "decoding"]
    attributes += draw(st.lists(st.sampled_from(["src=/dup.jpg", "ALT=x", "data-x='1'", "srcset='a.webp 2x'"])))
    order = draw(st.permutations(attributes))
    spaces = draw(st.sampled_from([" ", "  ", "\n", "\t", "\f", " \r\n ", "\u3000", "\xa0"]))
    tag = draw(st.sampled_from(["img", "img", "img", "IMG", "imgx"]))
    return f"<{tag}{spaces}{spaces.join(order)}{draw(st.sampled_from(['>', '/>', ' />', ' / >']))}"


_HTML_BLOCKS = [
    "<p>First <b>para</b></p>",
    "<p>&nbsp;</p>",
    '<p data-ke-size="size16">&nbsp;</p>',
    '<h2 data-ke-size="size26">제목</h2>',
    '<p><b><span style="color: #ee2323;">강조</span></b> 본문 </p>',
    '<figure><img loading=lazy src=b.jpg alt="fig"><figcaption>c</figcaption></figure>',
    '<picture>\n  <source type="image/webp" srcset="c.webp 480w, c2.webp 960w" sizes="(max-width: 600px) 480px">',
    "</picture>",
    "<img alt='no src'>",
    '<img src="">',
    "<!-- <img src=d.jpg> -->",
    "<!--more-->",
    "<script>document.write('<img src=e.jpg>')</script>",
    "<style>p{}</style>",
    "<textarea><img src=t.jpg></textarea>",
    "<title><img src=t.jpg></title>",
    "<template><img src=g.jpg></template>",
    "<noscript><img src=h.jpg></noscript>",
    '<a title="x>y"><img src="f.jpg"></a>',
    '<a href="/x" title="a &amp; b">link</a>',
    '<span title="',
    '">',
    "<![CDATA[<img src=i.jpg>]]>",
    "<table><tr><td><img src=j.jpg></td></tr></table>",
    "<select><option><img src=o.jpg></select>",
    "<html><body>",
    "<!DOCTYPE html>",
    "<meta charset=utf-8>",
    "<div>text<p>in div</div>",
    "<P>upper</P>",
    "<br/>",
    "<hr>",
    "<source srcset=s.webp>",
    "a < b and c > d",
    "<p>open paragraph",
    "</p>",
    "loose text & more",
    "\x01control",
    "<ul><li>item</li></ul>",
]


@st.composite
def _html_body(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(st.one_of(st.sampled_from(_HTML_BLOCKS), _html_image()), min_size=1, max_size=8))
    separators = draw(st.lists(st.sampled_from(["\n\n", "\n", "", " "]), min_size=len(blocks), max_size=len(blocks)))
    return "".join(b + s for b, s in zip(blocks, separators, strict=True))


@settings(max_examples=EXAMPLES, deadline=None)
@given(_html_body())
@example('<p><img src="/a.jpg" alt="A" width="640"></p>')
@example("<picture><source srcset=c.webp><img src=c.jpg alt=''></picture>")
@example('<figure><img loading=lazy src=b.jpg><figcaption>c</figcaption></figure>\n<img src="x.jpg">')
@example("<source srcset=s.webp>\n<img src=a.jpg/>")
@example("&#1;<img src=a.jpg>")  # lxml refuses a body naming a character XML forbids: the render finds nothing
def test_html_answers_equal_the_render(body: str) -> None:
    _check(body, "html")


_MARKDOWN_ALTS = ["", "alt", " spaced ", "제주 여행", "a *em* b", "a_b", "x`y`", "a!b", 'q"uote', "a&b", "a\\b", "a|b"]
_MARKDOWN_SRCS = ["/a.jpg", "b.png", "한글 이름.jpg", "한글.jpg", "https://例え.jp/x.png", "http://EXAMPLE.kr/%7E.jpg"]
_MARKDOWN_SRCS += ["", "javascript:alert(1)", "data:image/png;base64,AAA", "<c.jpg>", "a(b).jpg", "a\\_b.jpg"]
_MARKDOWN_SRCS += ["x&amp;y.jpg", "c|d.jpg", 'e.jpg "t|u"']
_MARKDOWN_SRCS += ["mailto:a@b", "%zz.jpg", "a%20b.jpg", "/경로/사진.webp?w=1#f", "vbscript:x", "file:///etc/passwd"]


@st.composite
def _markdown_image(draw: st.DrawFn) -> str:
    alt = draw(st.sampled_from(_MARKDOWN_ALTS))
    src = draw(st.sampled_from(_MARKDOWN_SRCS))
    title = draw(st.sampled_from(["", ' "title"', " 'title'", ' "t\\"x"', " (title)", '  "two spaces"']))
    return f"![{alt}]({src}{title})"


_MARKDOWN_BLOCKS = [
    "Some *text* here.",
    "## 제목",
    "**굵게** 그리고 [링크](https://news.example.kr/1) 끝.",
    "([출처](https://news.example.kr/26402))",
    "Text with ![inline](b.png) image.",
    "![ref image][r]",
    "[r]: /defined.jpg",
    "- item\n- ![in list](c.jpg)",
    "- item one",
    "  continued item",
    "1. first",
    "```\n![in code](d.jpg)",
    "```",
    "~~~",
    # Fenced code: what it holds is no image, blank lines and all, up to a closing fence of its kind and length.
    '```html\n<p class="lead">속보</p>\n<img src="/in-fence.jpg" alt="">\n```',
    "```\n\n![after a blank line](e.jpg)\n\n```",
    "~~~ python\n<img src=tilde.jpg>\n~~~~",
    "````\n```\n![inner fence](g.jpg)\n````",
    "```\n![closed by fewer](k.jpg)\n``",
    "  ```\n![indented fence](l.jpg)\n  ```",
    "```js `not a fence`\n![after](p.jpg)",
    "~~~\nHUGOSC1-0\n~~~",
    "- item\n\n  ```\n  ![fence in item](q.jpg)\n  ```",
    "> ```\n> ![fence in quote](r.jpg)",
    "text\n```\n![fence after text](s.jpg)\n```",
    "inline `code` and ``two `ticks``",
    "`<img src=u.jpg>` in a code span",
    "strike ~~this~~ and 3~4일",
    "- item with `code`",
    "    ![indented code](f.jpg)",
    "   ![three spaces](t.jpg)",
    "<!--\n<img src=g.jpg>",
    "-->",
    "<div>\n![in html block](h.jpg)",
    "</div>",
    "<pre>\n<img src=i.jpg>",
    "</pre>",
    "<script>\nvar a = '<img src=j.jpg>';",
    "</script>",
    '<p data-ke-size="size16">&nbsp;</p>',
    '<h2 data-ke-size="size26">제목</h2>',
    "<p>raw <b>html</b> paragraph</p>",
    "<p>a|b</p>\n|---|",
    "<span>inline</span> text",
    "<picture>",
    "</picture>",
    "  <p>indented html</p>",
    "> quoted ![q](m.jpg)",
    "> quote",
    "| a | b |\n|---|---|\n| ![t](n.jpg) | x |",
    "|---|---|",
    "--- | ---",
    "Heading\n===",
    "---",
    "&nbsp; entity",
    "back\\slash",
    "tab\there",
    "HUGOSC1-0",
]


@st.composite
def _markdown_body(draw: st.DrawFn) -> str:
    blocks = draw(
        st.lists(
            st.one_of(st.sampled_from(_MARKDOWN_BLOCKS), _markdown_image(), _html_image().map(lambda t: f"<p>{t}</p>")),
            min_size=1,
            max_size=8,
        )
    )
    separators = draw(st.lists(st.sampled_from(["\n\n", "\n", "\n\n\n", "\n  \n", " "]), min_size=len(blocks)))
    start = draw(st.sampled_from(["", "\n", "\n\n"]))
    return start + "".join(b + s for b, s in zip(blocks, separators, strict=False))


@settings(max_examples=EXAMPLES, deadline=None)
@given(_markdown_body())
@example("![제주 여행](/assets/img/economy_chart.jpg)\n\n## 제목\n")
@example('## 제목\n\n본문 **굵게**\n\n![a](/b.jpg "t")\n')
@example('<p data-ke-size="size16">&nbsp;</p>\n\n<figure><img src="/x.jpg" alt="x"><figcaption>c</figcaption></figure>')
@example("<p>a|b</p>\n|---|\n\n<p><img src=x.jpg></p>")
@example("![a](https://例え.jp/x.png)")
@example("![a|b](c.jpg)\n|---|---|\n")
@example('![a](c.jpg "t|u")\n|---|---|\n')
def test_markdown_answers_equal_the_render(body: str) -> None:
    _check(body, "markdown")


_GOLDMARK_ALTS = ["'single'", '"double"', "a -- b", "wait...", "em---dash", "<<x>>", "it's"]


@pytest.fixture(scope="module", params=[(True, True), (False, True), (True, False)], ids=["unsafe", "safe", "plain"])
def goldmark_rules(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> HugoRules:
    """A Hugo site's rules: its Markdown is Goldmark's (raw HTML kept or dropped, typographer on or off)."""
    unsafe, typographer = request.param
    rules = goldmark_read_settings(tmp_path_factory.mktemp("hugo"), unsafe=unsafe, typographer=typographer).rules
    assert isinstance(rules, HugoRules)
    return rules


@st.composite
def _goldmark_body(draw: st.DrawFn) -> str:
    """A Markdown body whose image may have an alt with what Goldmark's typographer replaces in text."""
    body = draw(_markdown_body())
    if draw(st.booleans()):
        alt, src = draw(st.sampled_from(_GOLDMARK_ALTS)), draw(st.sampled_from(_MARKDOWN_SRCS))
        body = draw(st.sampled_from(["", "## 제목\n\n", "<p>html</p>\n\n"])) + f"![{alt}]({src})\n\n" + body
    return body


@settings(max_examples=EXAMPLES, deadline=None)
@given(_goldmark_body())
@example("<p><img src=a.jpg></p>\n\n![b](b.jpg)\n")
@example("![it's](a.jpg)\n")
@example("![a -- b](a.jpg)\n")
@example("<div>x</div>\n\n![b](b.jpg)\n")
def test_goldmark_answers_equal_the_render(goldmark_rules: HugoRules, body: str) -> None:
    """Hugo's Markdown: raw HTML dropped unless `unsafe`; the typographer on or off."""
    _check_goldmark(goldmark_rules, body)


def _check_goldmark(rules: HugoRules, body: str) -> tuple[str, str] | None:
    found = image_scanner.first_image(body, "markdown", raw_html=rules.config.goldmark.unsafe)
    if found is not None:
        assert found == (markup.first_image(rules.render_markdown(body)) or image_scanner.NO_IMAGE), body
    return found


def test_hugo_bench_bodies_are_answered(goldmark_rules: HugoRules) -> None:
    """Hugo's bench shape has fenced code and code spans before its images: the scanner must answer all of them
    (a body it leaves costs a whole render, ~10 ms), as Goldmark's render does."""
    for index in range(60):
        name, text, _ = render_post(index, 1_000, "hugo")
        body = split(name, text)[1]
        if image_scanner.image_candidate(body, "markdown") >= 0:
            assert _check_goldmark(goldmark_rules, body) is not None, body


def _fixture_bodies() -> list[tuple[str, str, str]]:
    """(id, body, format) of every post of the test data, the example site, the seed posts and the bench shapes."""
    found = []
    for folder in (ROOT / "tests", ROOT / "examples", SEED_POSTS):
        for path in sorted(folder.rglob("*")):
            if path.suffix.lower() in (".md", ".markdown", ".html", ".txt") and path.is_file():
                try:
                    body = split(str(path), path.read_text(encoding="utf-8"))[1]
                except Exception:  # a fixture that is hostile on purpose (a bad encoding, broken YAML)
                    continue
                body_format = "markdown" if path.suffix.lower() in (".md", ".markdown") else "html"
                found.append((path.name, body, body_format))
    for shape in SHAPES:
        for index in range(20):
            name, text, _ = render_post(index, 1_000, shape)
            body_format = "markdown" if name.endswith(".md") else "html"
            found.append((f"{shape}-{index}", split(name, text)[1], body_format))
    return found


FIXTURE_BODIES = _fixture_bodies()  # tests/test_paragraph_scanner.py reads them too


@pytest.mark.parametrize(("body", "body_format"), [c[1:] for c in FIXTURE_BODIES], ids=[c[0] for c in FIXTURE_BODIES])
def test_fixture_seed_and_bench_bodies_answer_as_the_render(body: str, body_format: str) -> None:
    _check(body, body_format)


@pytest.mark.parametrize("shape", ["seed", "body-image-html", "body-image-markdown", "picture-srcset", "mixed"])
def test_the_bench_shapes_with_a_body_image_are_answered(shape: str) -> None:
    """The scanner must serve the common shapes, or it only costs time."""
    answered = 0
    for index in range(30):
        name, text, _ = render_post(index, 1_000, shape)
        body = split(name, text)[1]  # as reading splits it: the line break after the fence stays
        body_format = "markdown" if name.endswith(".md") else "html"
        has_image = markup.first_image(_rendered(body, body_format)) is not None
        assert (_check(body, body_format) is not None) == has_image, body
        answered += has_image
    assert answered >= 5


@pytest.mark.parametrize(
    ("body", "body_format"),
    [
        ("<!-- x --><img src=a.jpg>", "html"),
        ("<script></script><img src=a.jpg>", "html"),
        ("<IMG SRC=a.jpg>", "html"),
        ("<img src=a.jpg src=b.jpg>", "html"),
        ("<img src='a&amp;b.jpg'>", "html"),
        ("<img alt=x>", "html"),
        ("<table><tr><td><img src=a.jpg>", "html"),
        ("Text ![a](b.jpg)", "markdown"),
        ("text\n```\n<img src=a.jpg>\n```\n\n![a](b.jpg)", "markdown"),
        ("  ```\n<img src=a.jpg>\n  ```\n\n![a](b.jpg)", "markdown"),
        ("```\nHUGOSC1-0\n```\n\n![a](b.jpg)", "markdown"),
        ("<!--\n\n-->\n\n![a](b.jpg)", "markdown"),
        ("![a *b*](c.jpg)", "markdown"),
        ("![a](javascript:x)", "markdown"),
        ("    ![a](b.jpg)", "markdown"),
        ("<p>a|b</p>\n|---|\n\n<img src=a.jpg>", "markdown"),
    ],
)
def test_leaves_other_shapes_to_the_render(body: str, body_format: str) -> None:
    assert image_scanner.first_image(body, body_format) is None


@pytest.mark.parametrize(
    ("body", "answer"),
    [
        ("`code`\n\n![a](b.jpg)", ("b.jpg", "a")),
        ("```html\n<img src=x.jpg>\n\n![y](y.jpg)\n```\n\n![a](b.jpg)", ("b.jpg", "a")),
        ("~~~\n<img src=x.jpg>\n~~~\n![a](b.jpg)", ("b.jpg", "a")),
        ("```\n<img src=x.jpg>\n```", image_scanner.NO_IMAGE),
        ("para\n\n````\n![x](x.jpg)\n```\nstill code", image_scanner.NO_IMAGE),
    ],
    ids=["code-span", "fence-with-blank-line", "tilde-fence", "only-in-code", "unclosed"],
)
def test_reads_past_code(body: str, answer: tuple[str, str]) -> None:
    assert _check(body, "markdown") == answer


@given(st.text(alphabet="aZ9/._~-:%@한 ()", min_size=1, max_size=16))
@settings(max_examples=500)
@example("//host/x.jpg")
@example("javascript:x")
def test_markdown_link_shortcut_agrees_with_markdown_it(destination: str) -> None:
    md = markup._markdown()
    href = md.normalizeLink(destination)
    assert markup.markdown_link(destination) == (href if md.validateLink(href) else None)


@given(st.binary(max_size=64) | st.text(max_size=64).map(lambda t: t.encode("utf-8", "surrogatepass")))
@example(b"a\x0bb\xef\xbf\xbe")
def test_decoded_text_holds_nothing_xml_forbids(raw: bytes) -> None:
    """What prefix relies on when it tells the scanner a body unchanged by templates is clean."""
    from feedpub.errors import PostError
    from feedpub.read.files import decode
    from feedpub.text import XML_INVALID

    try:
        text = decode("post.md", raw)
    except PostError:
        return
    assert XML_INVALID.search(text) is None
