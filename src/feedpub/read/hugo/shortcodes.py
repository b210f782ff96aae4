"""Shortcodes as Hugo 0.111.3 writes them into a page, for the built-ins; others are removed, never printed.

Hugo renders `{{< x >}}` after Markdown: its output is HTML that Goldmark never sees (so `unsafe = false` does
not omit it, and a shortcode alone in its paragraph loses the <p>); `{{% x %}}` output is Markdown, rendered
with the page. The first kind is carried through Markdown here as a placeholder word, as Hugo does
(`placeholder`, `fill`); the HTML is in the placeholder itself, so that any part of a body, rendered alone
(read/prefix.py), fills its own.

Observed outputs (tests/sites/hugo/shortcodes-markup): figure -> `<figure><img src alt/><figcaption><h4>title
</h4><p>caption</p></figcaption></figure>`; youtube and vimeo -> the player's <iframe> in a <div>; gist -> its
<script>; highlight -> the code in <pre><code class="language-x"> (Hugo adds Chroma's colour spans, which feed
cleaning would drop); param -> the page's param, else the site's (.Page.Param); ref -> the target's permalink,
relref -> its path. Inline shortcodes (`x.inline`) are Go templates: removed with their content. Other
shortcodes are the site's own templates, which feedpub does not run: removed, their inner text kept as the
template prints it: Markdown rendered with the page, except a `{{< >}}` one's whose template prints `.Inner` as
written (`raw_inner`), which is that text, its own shortcodes resolved, as HTML past Markdown.
"""

from __future__ import annotations

import base64
import bisect
import decimal
import math
import re
from collections.abc import Callable, Container, Mapping, Sequence
from html import escape
from typing import Any

from feedpub.read import markup
from feedpub.read.markup import PLACEHOLDER_START
from feedpub.read.templates import Shortcode, highlight_block, next_shortcode, replace_shortcodes, shortcode_end

# A placeholder is one word of letters and digits: Markdown leaves it alone (no punctuation to parse, nothing the
# typographer or linkify touch) and never splits it. The HTML is base32 (A-Z, 2-7) between "HUGOSC1" and "9".
_PLACEHOLDER = re.compile(rf"(<p>)?{PLACEHOLDER_START}([A-Z2-7]*)9(</p>)?")
_CLOSING_TAG = re.compile(r"\{\{[<%]\s*/\s*(\S+?)\s*[>%]\}\}")  # as templates.shortcode_end reads one
# How deep the inner texts of shortcodes printed as written are resolved, one inside another: real pages nest a
# few; each level is its own pass over its text.
MAX_INNER_DEPTH = 20
_GIST_PART = re.compile(r"[\w.-]{1,100}")
_VIDEO_ID = re.compile(r"[\w-]{1,64}")
_VIDEO_STYLE = "position: absolute; top: 0; left: 0; width: 100%; height: 100%; border:0;"
# Hugo's templates' own line breaks, which a `{{% %}}` shortcode's Markdown keeps (observed: `x {{% gist u 1 %}} y`
# is "x <script ...></script>\ny", and a video's <div> starts a line, an HTML block of its own): the video boxes
# start with one, the figure and the gist end with one.
_VIDEO_BOX = '\n<div style="position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden;">\n  {}\n</div>\n'

# What Go's html/template escapes in the text a template prints (its htmlEscaper): a quote as a numeric reference,
# which Goldmark's typographer leaves straight in a `{{% param %}}`'s Markdown (observed).
_GO_HTML_ESCAPES = str.maketrans(
    {"\0": "\ufffd", '"': "&#34;", "'": "&#39;", "&": "&amp;", "+": "&#43;", "<": "&lt;", ">": "&gt;"}
)

# (ref's target, absolute?, its `lang` or "") -> URL; None when it cannot be found
Resolve = Callable[[str, bool, str], str | None]
Markdownify = Callable[[str], str]  # Markdown text -> HTML, a lone paragraph's <p> dropped


def placeholder(html: str) -> str:
    """A word standing for `html` until the Markdown around it is rendered."""
    return PLACEHOLDER_START + base64.b32encode(html.encode("utf-8")).decode("ascii").rstrip("=") + "9"


def written_placeholders_as_text(text: str) -> str:
    """`text` (a page's own) with each start of a placeholder's word made a placeholder of that text itself: `fill`
    writes it back as the letters it was. Otherwise `HUGOSC1<base32 of any HTML>9` written in a page became that
    HTML in the feeds (links and tracking images past Goldmark's `unsafe = false`), where Hugo shows the word."""
    if PLACEHOLDER_START not in text:
        return text
    return text.replace(PLACEHOLDER_START, placeholder(PLACEHOLDER_START))


def fill(html: str) -> str:
    """`html` with each placeholder replaced by its HTML; a placeholder alone in a paragraph replaces it."""
    if PLACEHOLDER_START not in html:
        return html

    def decode(match: re.Match[str]) -> str:
        opened, data, closed = match.groups()
        try:
            inner = base64.b32decode(data + "=" * (-len(data) % 8)).decode("utf-8")
        except ValueError:
            return match.group(0)  # not one of ours
        if opened and closed:
            return inner
        return (opened or "") + inner + (closed or "")

    return _PLACEHOLDER.sub(decode, html)


def holds_shortcodes(text: str) -> bool:
    """Whether `text` may call a shortcode (`{{<` or `{{%`): without either, expanding leaves it as it is."""
    return "{{<" in text or "{{%" in text


def expand(
    text: str,
    params: Sequence[Mapping[str, Any]],
    resolve: Resolve,
    markdownify: Markdownify = escape,
    raw_inner: Container[str] = (),
    depth: int = 0,
    through_markdown: bool = False,
) -> str:
    """`text` with its shortcodes resolved: HTML ones as placeholders, Markdown ones as their Markdown.
    `params`: where `param` looks, in order (the page's own, then the site's; lower-case keys); `markdownify`:
    Hugo's filter of that name with the site's Goldmark (a figure's caption is Markdown); `raw_inner`: the site's
    own shortcodes whose template prints their inner text as written (HugoConfig.raw_inner_shortcodes); `depth`:
    how many such shortcodes' inner texts `text` is in; `through_markdown`: `text` is the inner text of a `{{% %}}`
    one, rendered as Markdown.

    An HTML shortcode inside a `{{% %}}` one is part of that one's output, which Hugo renders as Markdown with the
    page (observed): its HTML is raw HTML there, never a placeholder, so that Goldmark omits it under
    `unsafe = false` as Hugo's does (feedpub kept a figure inside a site's `{{% note %}}`)."""
    if not holds_shortcodes(text):
        return text
    if depth > MAX_INNER_DEPTH:
        raise markup.MarkupTooComplex(f"shortcodes nested more than {MAX_INNER_DEPTH} deep; nest fewer of them")
    added = 0
    blocks: dict[int, tuple[int, int]] | None = None  # _blocks(text), made when a block is first asked for
    # Where the inner texts of `{{% %}}` blocks left in the page's Markdown lie (_markdown_spans), made when an HTML
    # shortcode is first met.
    spans: tuple[list[int], list[int]] | None = None

    def in_markdown(tag: Shortcode) -> bool:
        """Whether Hugo renders the HTML shortcode `tag`'s output as Markdown: inside a `{{% %}}` one's inner text."""
        nonlocal blocks, spans
        if through_markdown:
            return True
        if "{{%" not in text:
            return False  # most bodies
        if spans is None:
            blocks = _blocks(text) if blocks is None else blocks
            spans = _markdown_spans(text, blocks)
        starts, ends = spans
        at = bisect.bisect_right(starts, tag.start) - 1
        return at >= 0 and tag.start < ends[at]

    def replace(tag: Shortcode) -> tuple[str, int]:
        nonlocal added
        if tag.name.endswith(".inline") and not tag.self_closing:
            # A Go template: nothing of it may show (Hugo prints what it computes, feedpub cannot).
            return "", shortcode_end(tag.name, text, tag.end)[1]
        html, end = (
            highlight_block(tag, text)
            or inner_block(tag)
            or (_shortcode(tag.name, tag.positional, tag.named, params, resolve, markdownify), tag.end)
        )
        # 20,000 `{{% param x %}}` of a 200 KB param made 4 GB of text: what shortcodes add is bounded.
        added += len(html)
        if added > markup.MAX_EXPANSION:
            raise markup.MarkupTooComplex(
                f"shortcodes that would add more than {markup.MAX_EXPANSION:,} characters; use fewer of them"
            )
        return (placeholder(html) if tag.kind == "<" and html and not in_markdown(tag) else html), end

    def inner_block(tag: Shortcode) -> tuple[str, int] | None:
        """A block's inner text as its template gets it (Hugo's `.Inner`), its own shortcodes resolved: as written
        for a `{{< >}}` one of `raw_inner`; else, inside such a text, rendered as Markdown (observed: Hugo renders a
        nested `{{% %}}` shortcode's inner text, a lone paragraph's <p> dropped; a template that renders it does
        too). None for a tag that opens no block, or whose inner text stays in the page's Markdown."""
        nonlocal blocks
        raw = tag.kind == "<" and tag.name in raw_inner
        if tag.self_closing or not (raw or depth):
            return None
        blocks = _blocks(text) if blocks is None else blocks
        if tag.start not in blocks:
            return None  # nothing inside
        inner_end, end = blocks[tag.start]
        markdown = through_markdown or not raw
        inner = expand(text[tag.end : inner_end], params, resolve, markdownify, raw_inner, depth + 1, markdown)
        return fill(inner if raw else markdownify(inner)), end

    return replace_shortcodes(text, replace)


def _blocks(text: str) -> dict[int, tuple[int, int]]:
    """Where each block of `text` closes, by where its opening tag starts: (start, end) of the closing tag, blocks
    of one name inside another paired as Hugo nests them (`{{< aside >}}a {{% aside %}}b{{% /aside %}}{{< /aside
    >}}`). In one pass: looking for each block's end on its own went over the rest of the text for each of
    thousands of unclosed tags."""
    blocks: dict[int, tuple[int, int]] = {}
    opened: dict[str, list[int]] = {}
    pos = 0
    while (tag := next_shortcode(text, pos)) is not None:
        pos = tag.end
        if tag.written is not None:
            continue
        if closing := _CLOSING_TAG.fullmatch(text, tag.start, tag.end):
            if starts := opened.get(closing.group(1)):
                blocks[starts.pop()] = (tag.start, tag.end)
        elif not tag.self_closing:
            opened.setdefault(tag.name, []).append(tag.start)
    return blocks


def _markdown_spans(text: str, blocks: Mapping[int, tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The stretches of `text` inside `{{% %}}` blocks (`blocks`: _blocks'), overlapping ones merged: their starts
    and their ends, in order, for a bisection."""
    starts: list[int] = []
    ends: list[int] = []
    for start, (inner_end, _) in sorted(blocks.items()):
        if not text.startswith("{{%", start):
            continue
        if ends and start <= ends[-1]:
            ends[-1] = max(ends[-1], inner_end)  # one inside another: one stretch
        else:
            starts.append(start)
            ends.append(inner_end)
    return starts, ends


def _shortcode(
    name: str,
    positional: list[str],
    named: dict[str, str],
    params: Sequence[Mapping[str, Any]],
    resolve: Resolve,
    markdownify: Markdownify,
) -> str:
    def argument(key: str, index: int) -> str:
        return named.get(key) or (positional[index] if len(positional) > index else "")

    if name == "figure":
        return _figure(named, markdownify)
    if name == "youtube":
        video = argument("id", 0)
        if not _VIDEO_ID.fullmatch(video):
            return ""
        return _VIDEO_BOX.format(
            f'<iframe src="https://www.youtube.com/embed/{video}" style="{_VIDEO_STYLE}" allowfullscreen '
            'title="YouTube Video"></iframe>'
        )
    if name == "vimeo":
        video = argument("id", 0)
        if not _VIDEO_ID.fullmatch(video):
            return ""
        return _VIDEO_BOX.format(
            f'<iframe src="https://player.vimeo.com/video/{video}" style="{_VIDEO_STYLE}" title="vimeo video" '
            "webkitallowfullscreen mozallowfullscreen allowfullscreen></iframe>"
        )
    if name == "gist":
        user, gist, file = argument("user", 0), argument("id", 1), argument("file", 2)
        if not all(_GIST_PART.fullmatch(p) for p in (user, gist)) or (file and not _GIST_PART.fullmatch(file)):
            return ""
        query = f"?file={file}" if file else ""
        return (
            f'<script type="application/javascript" src="https://gist.github.com/{user}/{gist}.js{query}"></script>\n'
        )
    if name == "param":
        # Hugo's template takes its key by position only (`name="x"` is a missing key to it) and prints nothing
        # for a value Go's templates take as empty (false, 0, "": it reports an error instead).
        value = page_param(positional[0], params) if positional else None
        return go_text(value).translate(_GO_HTML_ESCAPES) if value else ""
    if name in ("ref", "relref"):
        target = argument("path", 0)
        return escape(resolve(target, name == "ref", named.get("lang", "")) or "") if target else ""
    return ""  # the site's own shortcodes and closing tags: a paired shortcode's inner text stays


def page_param(key: str, params: Sequence[Mapping[str, Any]]) -> object:
    """Hugo's `.Page.Param key`: the first of `params` to have `key` as written (lower-cased; "a.b" may be a key),
    else the first to have it as a path of nested tables ("social.twitter"); None when none has it."""
    key = key.lower()
    for table in params:
        if key in table:
            return table[key]
    for table in params:
        value: object = table
        for part in key.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if value is not None:
            return value
    return None


def go_text(value: object) -> str:
    """`value` as Go's templates print it (fmt's %v): a list as `[a b]`, a table as `map[k:v]` by key, a number in
    its shortest form ("1" for 1.0, "1e+06"); a date, whose form feedpub does not make, as nothing."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str | int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    if isinstance(value, list):
        return "[" + " ".join(go_text(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "map[" + " ".join(f"{key}:{go_text(value[key])}" for key in sorted(value)) + "]"
    return "<nil>" if value is None else ""


def _go_float(number: float) -> str:
    """A float as Go's %v writes it: its shortest digits (Python's repr finds the same), with an exponent when that
    is below -4 or 6 and above."""
    if not math.isfinite(number):
        return "NaN" if math.isnan(number) else "+Inf" if number > 0 else "-Inf"
    if number == 0:
        return "-0" if math.copysign(1, number) < 0 else "0"
    shortest = decimal.Decimal(repr(number)).normalize()
    exponent = shortest.adjusted()
    if -4 <= exponent < 6:
        return format(shortest, "f")
    sign, digits, _ = shortest.as_tuple()
    mantissa = str(digits[0]) + ("." + "".join(map(str, digits[1:])) if len(digits) > 1 else "")
    return f"{'-' if sign else ''}{mantissa}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"


def _figure(named: dict[str, str], markdownify: Markdownify) -> str:
    """Hugo 0.111.3's figure: its caption and attribution are Markdown (`markdownify`), the attribution a link
    to `attrlink` when given; its alt, the caption as written when it has none of its own."""
    src = named.get("src", "")
    if not src:
        return ""
    alt = named.get("alt") or named.get("caption", "")
    size = "".join(f' {key}="{escape(named[key])}"' for key in ("width", "height") if named.get(key))
    image = f'<img src="{escape(src)}"' + (f' alt="{escape(alt)}"' if alt else "") + f"{size}/>"
    if named.get("link"):
        image = f'<a href="{escape(named["link"])}">{image}</a>'
    caption = ""
    if named.get("title"):
        caption += f"<h4>{escape(named['title'])}</h4>"
    if named.get("caption") or named.get("attr"):
        attribution = markdownify(named["attr"]) if named.get("attr") else ""
        if attribution and named.get("attrlink"):
            attribution = f'\n                    <a href="{escape(named["attrlink"])}">{attribution}</a>'
        caption += f"<p>{markdownify(named['caption']) if named.get('caption') else ''}{attribution}</p>"
    css = f' class="{escape(named["class"])}"' if named.get("class") else ""
    # With the white space of Hugo's template between the tags: its summary counts it as words.
    caption = f"<figcaption>\n            {caption}\n        </figcaption>" if caption else ""
    return f"<figure{css}>{image}{caption}\n</figure>\n"
