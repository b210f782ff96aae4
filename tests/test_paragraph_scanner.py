"""paragraph_scanner reads a body's first paragraph off its text exactly as rendering and parsing it finds it, or not
at all."""

from __future__ import annotations

import os

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.corpus import render_post
from feedpub.models import TypographicMarkdown
from feedpub.read import markup, paragraph_scanner
from feedpub.read.front_matter import split
from feedpub.read.jekyll import JekyllRules
from tests.conftest import jekyll_read_settings
from tests.test_image_scanner import FIXTURE_BODIES

EXAMPLES = int(os.environ.get("PARAGRAPH_SCANNER_EXAMPLES", "1500"))


def _rendered(body: str, body_format: str) -> str:
    return markup.render_markdown(body) if body_format == "markdown" else body


def _check(body: str, body_format: str) -> str | None:
    """The scanner's answer, which must be the render's whenever there is one."""
    found = paragraph_scanner.first_paragraph(body, body_format)
    if found is not None:
        assert found == markup.first_paragraph_text(_rendered(body, body_format)), body
    return found


# Plain words, and marks on every edge the scanner decides on: what starts a Markdown block, what an inline rule
# acts on, what libxml2 decodes, drops or closes a <p> at, white space of every kind. A body is plain words with a
# few marks among them: a mark the scanner let through by mistake is then seldom hidden by another it declines.
_PLAIN = ["본문", "첫", "문단입니다.", "plain", "Text", "2024년", "10.5%", "x", "a:b", "é", "둘째,"]
MARKS = [
    "(괄호)",
    "'quoted'",
    '"q"',
    "?",
    "!",
    "…",
    "①",
    "²",
    "#",
    "# 제목",
    "-",
    "- item",
    "* item",
    "+ item",
    "1. one",
    "1) one",
    "7.",
    "> quote",
    "```",
    "~~~",
]
MARKS += ["===", "---", "***", "___", "| a | b |", "|---|", "a|b", ":--", "[link](/x)", "[r]: /x", "![i](/i.jpg)"]
MARKS += ["*em*", "_em_", "**strong**", "`code`", "~~gone~~", "\\", "\\*", "&amp;", "&nbsp;", "&#1;", "<b>", "</b>"]
MARKS += ["<p>", "</p>", "<P>", "</P>", "<p class=x>", "<p>본문</p>", "<!-- c -->", "<br>", "<div>", "<img src=a.jpg>"]
MARKS += ["www.example.kr", "https://example.kr/a", "a@b.kr", ">", "<", "\u3000", "\xa0", "\t", " "]
MARKS += ["\r", "\x0b", "\x0c", "\x1f", "\x7f", "\ufffe", "١.", "１."]
MARKS += ['<span style="color: #ee2323;">', "</span>", '<a href="/x">', "</a>", "<br/>", "<del>", "<h2>", "</h2>"]
MARKS += ['<p data-ke-size="size16">', "<figure>", "</div>", "&lt;", "&gt;", "&quot;", "&copy;", "&nbsp", "&#xD800;"]
MARKS += ["<b><p>x</p></b>", "<a><a>", "<q>", "<script>", "<h2>제목</h2>", "## 제목", "###### 6", "####### 7", "#태그"]
MARKS += ["<table>", "<td>", "<li>", "<ul>", "<pre>", "<textarea>", "<title>", "<option>", "<select>", "<hr>"]
MARKS += ["**", "*", "_", "`", "[", "]", "](", "**굵게**", "[x]", "[x][r]", "[r]:", "<https://x.kr>", "***"]
MARKS += ["--", "...", "..", "(c)", "(TM)", "+-", ",,", "<<", ">>", "$$x$$", "{: .x}", "{::comment}", "'", '"']
MARKS += ['<div markdown="1">', "<div markdown=1>\n", "{:/comment}", '<p markdown="span">']
MARKS += ["*[HTML]: 하이퍼", "~ 정의", ": 정의", "\n: 정의", "\n~ 정의", "{#id}", "^", "!!!!", "????"]
MARKS += ["\n    ", "\n   ", "\n\t", "\r\n", "\n  \n", "  \n", "\n\n\n"]  # separators too
_SEPARATORS = ["", " ", " ", " ", "\n", "\n", "\n\n"]


_LEADS = {
    "markdown": [
        "",
        "",
        "\n",
        "\n\n",
        "## 제목\n",
        "## 제목\n\n",
        "## ",
        "<p>",
        "<h2>제목</h2>\n\n",
        " ",
        "    ",
        "\t",
    ],
    "html": ["", "<p>", "<p>", "\n  <p>", "<h2>제목</h2><p>", "<p> </p>\n<p>", "<div><p>", "본문"],
}


def _body(body_format: str) -> st.SearchStrategy[str]:
    """Plain words with one or two marks among them (each mark is met ~15 times in 1,500 bodies), after a lead."""

    @st.composite
    def body(draw: st.DrawFn) -> str:
        pieces = draw(st.lists(st.tuples(st.sampled_from(_PLAIN), st.sampled_from(_SEPARATORS)), max_size=12))
        for _ in range(draw(st.integers(1, 2))):
            at = draw(st.integers(0, len(pieces)))
            pieces.insert(at, (draw(st.sampled_from(MARKS)), draw(st.sampled_from(_SEPARATORS))))
        tail = draw(
            st.sampled_from(
                [
                    "",
                    "",
                    "</p>",
                    "</p>\n\n다음 문단.\n",
                    "\n\n[x]: /u\n",
                    "\n\n[r]: /u 'r'\n",
                    "\n\n: 정의\n",
                    "\n\n*[본문]: 약어\n",
                ]
            )
        )
        return draw(st.sampled_from(_LEADS[body_format])) + "".join(w + s for w, s in pieces) + tail

    return body()


@settings(max_examples=EXAMPLES, deadline=None)
@given(_body("markdown"))
@example("본문 첫 문단입니다.\n둘째 줄\n\n## 제목\n")
@example("Text\n===\n")
@example("Text\n1. one\n")
@example("Text\n- item\n")
@example("a|b\n--|--\n")
@example("<p>본문\n\n둘째</p>\n")
@example("  <p>본문</p>\n")
@example("Text\r\rmore\n")
def test_markdown_answers_equal_the_render(body: str) -> None:
    _check(body, "markdown")


@settings(max_examples=EXAMPLES, deadline=None)
@given(_body("html"))
@example("<p>본문 첫 문단입니다.</p>\n<p>둘째</p>")
@example("\n  <P>대문자</P>")
@example("<p> \u3000 </p><p>둘째</p>")
@example("<p>a\x0cb</p>")
def test_html_answers_equal_the_render(body: str) -> None:
    _check(body, "html")


@pytest.fixture(scope="module")
def kramdown_rules(tmp_path_factory: pytest.TempPathFactory) -> JekyllRules:
    """A Jekyll site's rules: its Markdown is kramdown's, as read/jekyll/kramdown.py renders it."""
    rules = jekyll_read_settings(tmp_path_factory.mktemp("jekyll")).rules
    assert isinstance(rules, JekyllRules) and isinstance(rules, TypographicMarkdown)
    return rules


@settings(max_examples=EXAMPLES, deadline=None)
@given(_body("markdown"))
@example("본문 첫 문단.\n\n: 정의\n")
@example("본문 -- 첫 문단...\n")
@example("본문 -- 대시\n")
@example('<div markdown="1">\n본문\n</div>\n\n<p>둘째</p>\n')
@example("1990--2000년 (c) 본문\n")
@example("## 제목\n\n본문 첫 문단.\n")
def test_kramdown_answers_equal_the_render(kramdown_rules: JekyllRules, body: str) -> None:
    """Jekyll's Markdown: typography, attribute lists and definition lists decide too."""
    found = paragraph_scanner.first_paragraph(body, "markdown", kramdown_rules)
    if found is not None:
        assert found == markup.first_paragraph_text(kramdown_rules.render_markdown(body)), body


@pytest.mark.parametrize(
    ("body", "answered"),
    [
        ("본문 첫 문단입니다.\n둘째 줄.\n\n## 제목\n", True),
        ("## 제목\n\n2024년 3월, 제주에서 (현장)\n", True),
        ("본문 첫 문단.\n\n: 정의\n", False),
        ("본문 -- 대시\n", False),
        ("본문 'quoted'\n", False),
        ("본문 **강조**, [출처](https://x.kr/1) `코드`\n", True),
        ("본문[^1]\n\n[^1]: 각주\n", False),
        ("<p>본문</p>\n", True),
        ('<h2 id="x">제목</h2>\n\n<p data-ke-size="size16">&nbsp;</p>\n\n<p>본문 <b>강조</b></p>\n', True),
        ('<div markdown="1">\n본문 *강조*\n</div>\n', False),
        ('<div markdown="1">\n본문\n</div>\n\n<p>둘째</p>\n', False),
        ("<p>본문</p>\n{: .note}\n", False),
    ],
)
def test_kramdown_answers_plain_paragraphs_only(kramdown_rules: JekyllRules, body: str, answered: bool) -> None:
    found = paragraph_scanner.first_paragraph(body, "markdown", kramdown_rules)
    assert (found is not None) == answered
    if found is not None:
        assert found == markup.first_paragraph_text(kramdown_rules.render_markdown(body))


@pytest.mark.parametrize(("body", "body_format"), [c[1:] for c in FIXTURE_BODIES], ids=[c[0] for c in FIXTURE_BODIES])
def test_fixture_seed_and_bench_bodies_answer_as_the_render(body: str, body_format: str) -> None:
    _check(body, body_format)


@pytest.mark.parametrize(
    ("body", "body_format"),
    [
        ("본문 첫 문단입니다.\n둘째 줄도 같은 문단.\n\n## 제목\n\n더 있습니다.\n", "markdown"),
        ("\n\n2024년 3월, 제주에서.\n", "markdown"),
        ("<p>본문 첫 문단입니다.</p>\n\n<p>둘째.</p>\n", "markdown"),
        ("<p>본문 첫 문단입니다.</p>\n<h2>제목</h2>", "html"),
        ("\n  <p>\n  여러 줄의\n  문단.\n</p>", "html"),
        ("<p>a &amp; b&nbsp;c</p>", "html"),
        ('<h2 data-ke-size="size26">제목</h2>\n<p data-ke-size="size16">&nbsp;</p>\n<p>a <b>b</b></p>', "html"),
        ("<p class=x>a</p>", "html"),
        ("<p> </p><p>둘째</p>", "html"),
        ("## 제목\n\n본문 첫 문단.\n", "markdown"),
        ("**굵게** 본문 *강조*, `코드`와 [출처](https://x.kr/1) &amp; ~~취소~~.\n둘째 줄\\\n셋째\n", "markdown"),
        (
            '<h2>제목</h2>\n\n<p data-ke-size="size16">&nbsp;</p>\n\n<p>본문 <span style="color: red;">강</span></p>\n',
            "markdown",
        ),
    ],
)
def test_answers_plain_openings(body: str, body_format: str) -> None:
    """The scanner must serve the common shapes, or it only costs time."""
    assert _check(body, body_format) is not None


@pytest.mark.parametrize(
    ("body", "body_format"),
    [
        ("본문 <b>굵게</b>\n", "markdown"),
        ("![i](/i.jpg) 본문\n", "markdown"),
        ("본문 [x]\n\n[x]: /u\n", "markdown"),
        ("**굵게\n***\n", "markdown"),
        ("Text\n===\n", "markdown"),
        ("Text\n---\n", "markdown"),
        ("1. 첫째\n", "markdown"),
        ("    코드\n", "markdown"),
        ("| a | b |\n|---|---|\n", "markdown"),
        ("Text\n> quote\n", "markdown"),
        ("<p>본문\n\n둘째</p>\n", "markdown"),
        ("<p>a &copy; b</p>", "html"),
        ("<p>a &#1; b</p>", "html"),
        ("<p>a <video src=x.mp4> b</p>", "html"),
        ("<p>a <div>b</div></p>", "html"),
        ("<p><!-- c -->a</p>", "html"),
        ("<!-- c --><p>a</p>", "html"),
        ("<P CLASS=x>a</P>", "html"),
        ("본문 첫 문단입니다.", "html"),
    ],
)
def test_leaves_other_shapes_to_the_render(body: str, body_format: str) -> None:
    assert paragraph_scanner.first_paragraph(body, body_format) is None


@pytest.mark.parametrize("shape", ["no-excerpt"])
def test_the_bench_shape_without_excerpts_is_mostly_answered(shape: str) -> None:
    answered = 0
    for index in range(40):
        name, text, _ = render_post(index, 1_000, shape)
        body_format = "markdown" if name.endswith(".md") else "html"
        answered += _check(split(name, text)[1], body_format) is not None
    assert answered >= 20
