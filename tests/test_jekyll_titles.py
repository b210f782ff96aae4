"""Titles as jekyll-feed writes them (`title | smartify | strip_html | normalize_whitespace`), compared with Jekyll's
own SmartyPants converter, run by Debian's Jekyll 4.3 on the same texts."""

from __future__ import annotations

import html
import json
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from feedpub.read.jekyll.site import KramdownOptions
from feedpub.read.jekyll.titles import feed_title
from tests.conformance import skip_or_fail

# Run by Ruby: Jekyll's `smartify` filter (its SmartyPants converter, with Jekyll's default kramdown settings) for
# each text read as JSON; Liquid's strip_html and Jekyll's normalize_whitespace follow, as jekyll-feed has them.
_JEKYLL = r"""
require "jekyll"
require "json"
settings = { "quiet" => true, "source" => ARGV[0], "destination" => ARGV[1] }
settings["kramdown"] = {}
settings["kramdown"]["smart_quotes"] = ARGV[2] unless ARGV[2].empty?
settings["kramdown"]["typographic_symbols"] = JSON.parse(ARGV[3]) unless ARGV[3].empty?
site = Jekyll::Site.new(Jekyll.configuration(settings))
context = Liquid::Context.new({}, {}, { site: site })
filters = Class.new { include Jekyll::Filters; include Liquid::StandardFilters; attr_accessor :context }.new
filters.context = context
titles = JSON.parse(STDIN.read).map do |title|
  filters.normalize_whitespace(filters.strip_html(filters.smartify(title)))
end
puts JSON.generate(titles)
"""

# Titles as Korean news sites write them, and every edge of kramdown's rules.
TITLES = [
    "New Year's Eve in Seoul",
    "'반도체 한파' 수출 10%↓",
    '"따옴표" 제목',
    "[속보] '이재명' 대표 \"사퇴 없다\"",
    "코스피 2,500선 '붕괴'…\"외국인 매도\"",
    "'2024년' 결산: \"반도체\" 호황…",
    'Pi&nbsp;Day: 3.14 & more -- "quoted"',
    'a <em>"b"</em> c <code>"raw"</code>',
    "<<a>> << b >> \\<<not\\>>",
    "rock 'n' roll in the '80s",
    "\"'Quoted' words in a larger quote.\"",
    "<i>Custer</i>'s Last Stand",
    "x... y --- z -- w",
    "&amp; &lt; &gt; &quot; &#39; &#x41; &bogus; &",
    '<div>"block"</div>',
    '</em>stray "x"',
    '<!-- "comment" --> "after"',
    'a < b > c "d"',
    "  spaced\t\tout\u00a0kept  ",
]

_TOKENS = ["'", '"', " ", "a", "Word", "한국", "2024", "80s", "s", "-", "--", "---", ".", "...", ",", "!", "(", ")"]
_TOKENS += ["[", "]", "_", "*", "\\", "<<", ">>", " >>", "<< ", "<", ">", "&", "&amp;", "&nbsp;", "&#8217;", "&x;"]
_TOKENS += ["<em>", "</em>", "<code>", "</code>", "<b>", "</b>", "<br/>", "<!-- c -->", ":", "/", "%", "’", "\t", "`"]


def _generated(count: int) -> list[str]:
    """Texts mixing every token kramdown's span parsers look at (a fixed seed: the same texts each run)."""
    chooser = random.Random(13)
    return ["".join(chooser.choice(_TOKENS) for _ in range(chooser.randint(1, 10))) for _ in range(count)]


# `typographic_symbols` as sites set them to keep ASCII (and names kramdown does not make, which change nothing).
_ASCII_SYMBOLS = {"hellip": "...", "ndash": "--", "mdash": "&mdash;", "laquo": "<<", "raquo_space": " >>", "x": "y"}


@pytest.mark.parametrize(
    ("smart_quotes", "symbols"),
    [
        ("", {}),
        ("apos,apos,quot,quot", {}),
        ("sbquo,lsquo,bdquo,ldquo", {}),
        ("8249,8250,171,187", {}),
        ("apos,apos,quot,quot", _ASCII_SYMBOLS),
    ],
    ids=["default", "straight", "german", "code-points", "ascii-symbols"],
)
def test_titles_are_jekylls(tmp_path: Path, smart_quotes: str, symbols: dict[str, str]) -> None:
    """`smart_quotes` and `typographic_symbols` as kramdown reads them (_config.yml's `kramdown:`), the defaults
    and the ones sites set to keep straight quotes and ASCII dashes, or to quote in their language."""
    if shutil.which("ruby") is None or shutil.which("jekyll") is None:
        skip_or_fail("jekyll is not installed (run .ci/install-system-deps): the titles' oracle needs it")
    options = KramdownOptions.from_config(
        {"kramdown": {"smart_quotes": smart_quotes or None, "typographic_symbols": symbols or {}}}
    )
    titles = TITLES + _generated(3000 if not smart_quotes else 500)
    ran = subprocess.run(
        [
            "ruby",
            "-e",
            _JEKYLL,
            str(tmp_path),
            str(tmp_path / "_site"),
            smart_quotes,
            json.dumps(symbols) if symbols else "",
        ],
        input=json.dumps(titles),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    theirs = json.loads(ran.stdout)
    # The title element is HTML (type="html"): its text is what readers show. feedpub's titles are that text.
    shown = [feed_title(title, options.smart_quotes, options.typographic_symbols) for title in titles]
    differ = [(t, mine, html.unescape(j)) for t, mine, j in zip(titles, shown, theirs, strict=True)]
    differ = [d for d in differ if d[1] != d[2]]
    assert not differ, differ[:5]


def test_a_smart_quotes_setting_kramdown_refuses_stops_the_run() -> None:
    from feedpub.errors import ConfigError

    for value in ("lsquo,rsquo", "lsquo,rsquo,ldquo,nosuch", 5):
        with pytest.raises(ConfigError, match="smart_quotes"):
            KramdownOptions.from_config({"kramdown": {"smart_quotes": value}})


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("New Year's Eve", "New Year’s Eve"),
        ("'반도체 한파' 수출 \"급감\"", "‘반도체 한파’ 수출 “급감”"),
        ("A -- B --- C...", "A – B — C…"),
        ('<code>"raw"</code> "cooked"', '"raw" “cooked”'),
        ("Pi&nbsp;Day &amp; <em>more</em>", "Pi\u00a0Day & more"),
        ("&#1;control", "control"),
    ],
)
def test_feed_titles(title: str, text: str) -> None:
    """Without Ruby: the cases that matter most, as Jekyll gives them."""
    assert feed_title(title) == text
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", feed_title(title))


@pytest.mark.parametrize(
    "title",
    ["<em>" * 5000 + '"x"', '<a b="' * 5000, "<code>" * 40 + "'q'", "'\"" * 20000, "<!--" * 5000, "x" * 100_000],
    ids=["nested-tags", "open-quotes", "many-raw-tags", "quotes", "comments", "long"],
)
def test_hostile_titles_give_text(title: str) -> None:
    """A title past any real one (deeply nested or very long) is reduced to text, unsmartified: no recursion, no
    tag, no character a feed could not carry."""
    text = feed_title(title)
    # Tags are gone; a "<" that opens none (`<a b="` never closed) is text, which every feed escapes.
    assert "<em>" not in text and "<code>" not in text, text[:80]
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text)
