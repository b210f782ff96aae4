"""A Hugo summary read off a body's text, or off the render of its start, is the one of its whole render.

summaries.summary reads the first words of a Markdown body off its leading headings and paragraphs
(paragraph_scanner.leading_blocks), else off the render of a start of it (prefix.markdown_starts, or where the body
defines footnotes or link references, its blocks one by one: HugoRules.rendered_blocks), and renders the
whole body only when neither settles them. Whatever the path, the answer must be what rendering the whole body
gives (`auto_summary` of its HTML), for any summaryLength, with and without hasCJKLanguage. The lengths here are
small, so that the summary ends inside generated bodies, where each decision is made.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import frontmatter
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bench.corpus import render_post
from feedpub.models import Page, ReadSettings
from feedpub.read import markup, prefix
from feedpub.read.hugo import HugoRules, goldmark, summaries
from feedpub.read.templates import BodyHtml
from tests.conftest import goldmark_read_settings
from tests.test_paragraph_scanner import MARKS
from tests.test_prefix import GOLDMARK_BLOCKS

ROOT = Path(__file__).parent.parent
PAGE = Page("t", "p.md", "https://example.org/p/", None)

_WORDS = ["본문", "첫", "문단입니다.", "plain", "Text", "2024년", "끝?", "정말!", '"인용"', "x", "a:b", "둘째,"]
_WORDS += ["서울의"]
_WORD_SEPARATORS = [" ", " ", " ", "\n", "  \n", "\\\n"]
_BLOCK_SEPARATORS = ["\n\n", "\n\n", "\n", "\n\n\n", "\n  \n"]


@pytest.fixture(scope="module", params=["unsafe", "safe", "no-footnotes"])
def hugo_settings(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ReadSettings:
    unsafe, footnote = request.param != "safe", request.param != "no-footnotes"
    return goldmark_read_settings(tmp_path_factory.mktemp("hugo"), unsafe=unsafe, footnote=footnote)


def _check(settings_: ReadSettings, body: str, length: int, cjk: bool) -> None:
    rules = settings_.rules
    assert isinstance(rules, HugoRules)
    whole = BodyHtml(settings_, body, "markdown", PAGE)
    if markup.MORE_MARKER in body:
        divided = whole.render(body.replace(markup.MORE_MARKER, "HUGOMORE42", 1))
        expected = markup.html_to_text(divided.split("HUGOMORE42", 1)[0])
    else:
        expected = summaries.auto_summary(whole.render(), length, cjk)
    tokens = functools.partial(goldmark.inline_tokens, options=rules.config.goldmark)
    # Read off the text first, or off starts only: cut from the text, or (where it defines footnotes or link
    # references) the whole text's blocks one by one.
    for inline_tokens in (tokens, None):
        fast = BodyHtml(settings_, body, "markdown", PAGE)
        found = summaries.summary({}, body, fast, length, cjk, inline_tokens, rules.config.goldmark.footnote)
        assert found == expected, (body, length, cjk, inline_tokens)


@st.composite
def _bodies(draw: st.DrawFn) -> str:
    """Headings and paragraphs of plain words with a few marks among them, and Goldmark's other blocks."""
    blocks = []
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["paragraph", "paragraph", "paragraph", "heading", "block"]))
        if kind == "block":
            blocks.append(draw(st.sampled_from(GOLDMARK_BLOCKS)))
            continue
        words = draw(st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_WORD_SEPARATORS)), max_size=8))
        if draw(st.booleans()):
            at = draw(st.integers(0, len(words)))
            words.insert(at, (draw(st.sampled_from(MARKS)), draw(st.sampled_from(_WORD_SEPARATORS))))
        text = "".join(word + separator for word, separator in words).rstrip(" \n\\") or "본문"
        blocks.append(f"{'#' * draw(st.integers(1, 3))} {text.split(chr(10))[0]}" if kind == "heading" else text)
    return "".join(block + draw(st.sampled_from(_BLOCK_SEPARATORS)) for block in blocks)


@settings(max_examples=1500, deadline=None)
@given(_bodies(), st.integers(1, 14), st.booleans())
@example("## 제목\n\n본문 첫 문단입니다. 둘째 문장\n\n- 목록\n", 3, False)
@example("본문 본문 \ufffe\n\n본문\n\n", 1, False)  # a character XML forbids between two white spaces
@example("Term\n\n: 정의입니다 이 문장은 길어요\n\n본문\n", 2, False)
@example("본문 첫 문단\n\n: 정의 이어서 끝.\n", 2, False)
@example("본문 첫\n\n문단 [r] 이어서 계속 끝.\n\n[r]: /x\n", 3, False)
@example("본문[^1] 첫 문단 이어서 끝.\n\n[^1]: 각주\n", 2, False)
@example("본문 [출처](/x) 첫 문단 끝.\n\n둘째[^1] 문단.\n\n[^1]: 각주\n", 2, False)
@example("본문 [각주][^1] 첫 끝.\n\n둘째.\n\n[^1]: /x\n", 2, False)
@example("본문 [각주] 첫 끝.\n\n둘째.\n\n> [각주]: /x\n", 2, False)
# A definition before the text that follows it, itself citing a note: the whole render numbers that note where the
# definition is (1, 2, then 3 for [^a]); a start made of the blocks one by one must too.
@example(
    "첫[^b] 문단 끝.\n\n[^a]: 주석[^c] 안\n\n둘째[^a] 문단 셋째 넷째 끝.\n\n셋째 문단.\n\n[^b]: 비\n[^c]: 씨\n",
    4,
    False,
)
@example("목록 앞 끝.\n\n- 항목[^1]\n- 둘\n\n[링크][r] 문단 끝 다섯 여섯.\n\n끝.\n\n[^1]: 각주\n\n[r]: /r\n", 5, False)
@example("한 줄  \n둘째 줄 셋째 넷째 끝\n\n다음\n", 2, False)
@example("본문 첫... 둘째 셋째.\n\n다음\n", 1, False)
@example("plain words only\n\n서울의 본문 첫 문단입니다.\n", 4, True)
@example("<div>\n본문 첫\n\n문단 이어서 끝.\n\n</div>\n", 2, False)
# An unclosed <title> between a link reference's definition and the text: read off blocks one by one.
@example("본문\n\n[r]: /defined-later.jpg\n\n<title>\n\n본문\n\n본문\n\n", 1, False)
def test_a_summary_read_from_the_start_is_the_whole_renders(
    hugo_settings: ReadSettings, body: str, length: int, cjk: bool
) -> None:
    _check(hugo_settings, body, length, cjk)


def _hugo_bodies() -> list[tuple[str, str]]:
    """(id, body) of every Markdown post of the Hugo fixtures, and of the bench's Hugo shape."""
    found = []
    for path in sorted((ROOT / "tests" / "sites" / "hugo").rglob("*.md")):
        try:
            body = frontmatter.loads(path.read_text(encoding="utf-8")).content
        except Exception:  # a fixture that is hostile on purpose
            continue
        found.append((str(path.relative_to(ROOT)), body))
    for index in range(12):
        _, text, _ = render_post(index, 1_000, "hugo")
        found.append((f"bench-hugo-{index}", frontmatter.loads(text).content))
    return found


@pytest.mark.parametrize("body", [b for _, b in _hugo_bodies()], ids=[i for i, _ in _hugo_bodies()])
@pytest.mark.parametrize(("length", "cjk"), [(70, False), (70, True), (12, False), (25, True)])
def test_fixture_and_bench_summaries_are_the_whole_renders(
    hugo_settings: ReadSettings, body: str, length: int, cjk: bool
) -> None:
    _check(hugo_settings, body, length, cjk)


def test_a_plain_body_is_summarised_without_a_render(hugo_settings: ReadSettings) -> None:
    rules = hugo_settings.rules
    assert isinstance(rules, HugoRules)
    body = "## 제목\n\n" + "본문 첫 문단입니다. " * 40 + "\n\n" + "다음 문단. " * 400 + "\n"
    fast = BodyHtml(hugo_settings, body, "markdown", PAGE)
    tokens = functools.partial(goldmark.inline_tokens, options=rules.config.goldmark)
    assert summaries.summary({}, body, fast, 70, False, tokens, footnotes=True).startswith("제목 본문 첫 문단입니다.")
    assert fast.rendered is None


@pytest.mark.parametrize("note", ["", "[^1]\n\n[^1]: 주석\n"], ids=["cut-starts", "block-starts"])
def test_a_body_over_the_markup_limit_is_refused_though_its_start_is_plain(
    hugo_settings: ReadSettings, note: str
) -> None:
    """As when its whole body is rendered: a post is rejected, or not, whichever part of it is read, its starts cut
    from the text or (with a footnote) made of its first blocks; its first image and paragraph alike."""
    rules = hugo_settings.rules
    assert isinstance(rules, HugoRules)
    body = "Plain words open the body, and end here.\n\n" + "*a* " * (markup.MAX_MARKUP_CHARACTERS // 2 + 1) + note
    tokens = functools.partial(goldmark.inline_tokens, options=rules.config.goldmark)
    for inline_tokens in (tokens, None):
        with pytest.raises(markup.MarkupTooComplex):
            summaries.summary({}, body, BodyHtml(hugo_settings, body, "markdown", PAGE), 3, False, inline_tokens)
    with pytest.raises(markup.MarkupTooComplex):
        prefix.first_image(BodyHtml(hugo_settings, body + "\n\n![i](/i.jpg)\n", "markdown", PAGE))


def _without_page_wide_markup(html: str) -> str:
    """A render without what only the whole page has: ids (unique over it) and the footnotes' section."""
    return re.sub(r' id="[^"]*"', "", html.split('<div class="footnotes"')[0])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(GOLDMARK_BLOCKS), min_size=1, max_size=10), st.lists(st.sampled_from(["\n\n", "\n"])))
@example(["첫[^b] 문단.", "[^a]: 주석[^c] 안", "둘째[^a].", "[^b]: 비", "[^c]: 씨"], ["\n\n"])
def test_the_blocks_one_by_one_are_the_whole_render(
    hugo_settings: ReadSettings, blocks: list[str], separators: list[str]
) -> None:
    """HugoRules.rendered_blocks, joined, is render_markdown's HTML but for heading ids and the footnotes' section:
    references and footnotes defined anywhere resolve, and footnotes are numbered, as in the whole render."""
    rules = hugo_settings.rules
    assert isinstance(rules, HugoRules)
    text = "".join(
        block + (separators[i % len(separators)] if separators else "\n\n") for i, block in enumerate(blocks)
    )
    whole = rules.render_markdown(text)
    assert _without_page_wide_markup("".join(rules.rendered_blocks(text))) == _without_page_wide_markup(whole)


@pytest.mark.parametrize(("name", "body"), _hugo_bodies(), ids=[c[0] for c in _hugo_bodies()])
def test_the_blocks_of_fixture_and_bench_bodies_are_the_whole_render(
    hugo_settings: ReadSettings, name: str, body: str
) -> None:
    rules = hugo_settings.rules
    assert isinstance(rules, HugoRules)
    whole = rules.render_markdown(body)
    assert _without_page_wide_markup("".join(rules.rendered_blocks(body))) == _without_page_wide_markup(whole)
