"""Liquid tags (Jekyll) and shortcodes (Hugo) in post bodies -> what the site generator would have written.

Jekyll renders Liquid, and Hugo its shortcodes, before Markdown; feed readers must not see `{% highlight %}`
nor an image at `{{ site.baseurl }}/x.png`. This is not a template engine: a small, linear tokenizer resolves
the common forms and removes the rest (a generator would have written something we cannot know). Nothing here
runs code, reads a file (`include` is removed, never read) or loops: each step moves forward through the text.

Cross-references (`post_url`, `link`, `ref`, `relref`) need every other post's URL, which reading one post does not
have: here the link keeps its text and loses its target instead of pointing somewhere wrong. A Jekyll site's
`post_url` and `link` are resolved when a build renders its feeds (read/jekyll/references.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape
from typing import Literal
from urllib.parse import urlsplit

from feedpub.models import Page, ReadSettings
from feedpub.read import markup

Dialect = Literal["none", "liquid", "hugo"]

# Stands for a removed cross-reference until the link around it is unwrapped. _decode drops control
# characters from every post, so a body never holds one of its own.
XREF = "\x01"
_LANGUAGE = re.compile(r"[\w+#.-]{1,40}")
_YOUTUBE_ID = re.compile(r"[\w-]{1,64}")
_LIQUID_OPEN = re.compile(r"\{[{%]")
_HUGO_OPEN = re.compile(r"\{\{[<%]")
_LIQUID_TAG = re.compile(r"(\w+)\s*(.*)", re.DOTALL)
# A Liquid output: a string or a variable, then filters without arguments.
_LIQUID_OUTPUT = re.compile(r"""(?:"([^"]*)"|'([^']*)'|([A-Za-z_][\w.]*))\s*((?:\|\s*\w+\s*)*)""")
_HUGO_NAME_END = re.compile(r"[ \t\r\n]+")
_HUGO_ARG = re.compile(r"""(?:(\w+)\s*=\s*)?(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|([^\s"`]+))""")
_CROSS_REFERENCES = {"post_url", "link", "ref", "relref"}
# Liquid blocks whose content is not output: dropped whole.
_SILENT_BLOCKS = {"comment", "capture"}
# Around a removed cross-reference: a Markdown link or an HTML <a> whose target it was; only the text stays.
# Each is matched at one place (its "[" or "<a" found backwards from the reference, its end forwards), never
# searched for: a search tried every "[" of the text, and a megabyte of "[" took 41 s.
_MARKDOWN_LINK_OPEN = re.compile(r"\[([^\]\n]{0,1000})\]\(\s*")
_MARKDOWN_LINK_CLOSE = re.compile(r"\s*(?:\"[^\"\n]{0,1000}\")?\)")
_ANCHOR_OPEN = re.compile(r"<a\b[^>]{0,1000}?href\s*=\s*[\"']?\s*", re.IGNORECASE)
_ANCHOR_CLOSE = re.compile(r"\s*[\"']?[^>]{0,1000}>(.{0,2000}?)</a>", re.DOTALL | re.IGNORECASE)
_LOOK_BACK = 1100  # characters before a reference where its link may start (the patterns' bounds, and some)


def body_html(settings: ReadSettings, text: str, body_format: str, page: Page) -> str:
    """A post's body (or part of it) as HTML, its templates resolved first: the one way a body becomes HTML.

    A generator's rules resolve templates and render Markdown as that generator does (Jekyll: Liquid, then
    kramdown; Hugo: shortcodes, then Goldmark); feedpub's own: `posts.templates`, then CommonMark.
    """
    return _as_html(settings, expand_templates(settings, text, page), body_format)


def expand_templates(settings: ReadSettings, text: str, page: Page) -> str:
    """The body's template forms resolved: by the generator's rules, else as `posts.templates` says."""
    if settings.rules is not None:
        return settings.rules.expand_templates(settings, text, page)
    return expand(text, settings.posts.templates, settings, page.title)


def _as_html(settings: ReadSettings, expanded: str, body_format: str) -> str:
    if body_format != "markdown":
        return settings.html_bodies.render_html(expanded) if settings.html_bodies is not None else expanded
    if settings.rules is not None:
        return settings.rules.render_markdown(expanded)
    return markup.render_markdown(expanded)


class BodyHtml:
    """The body as HTML, rendered from Markdown only if an excerpt or image fallback needs it.

    Its start alone is rendered when that is enough (read/prefix.py); `rendered` is only ever the whole body's
    HTML, which the feeds may reuse.
    """

    def __init__(self, settings: ReadSettings, body: str, body_format: str, page: Page) -> None:
        self.settings = settings
        self.body = body
        self.body_format = body_format
        self.page = page
        self.rendered: str | None = None  # the whole body's HTML, once asked for
        self._expanded: str | None = None

    def render(self, text: str | None = None, body_format: str | None = None, templates: bool = True) -> str:
        """The whole body as HTML, or `text` (a part of it, or another text of the page's: `body_format` says
        which it is written in, when not the body's) when given; `templates` False: its template forms are kept
        as written (Hugo renders a front matter summary without its shortcodes and emoji)."""
        if text is not None:
            settings = self.settings
            if not templates:
                settings = replace(settings, posts=replace(settings.posts, templates="none"))
            return body_html(settings, text, body_format or self.body_format, self.page)
        if self.rendered is None:
            self.rendered = _as_html(self.settings, self.expanded(), self.body_format)
        return self.rendered

    def expanded(self) -> str:
        """The whole body, its templates resolved: the text whose starts `render_start` renders."""
        if self._expanded is None:
            self._expanded = expand_templates(self.settings, self.body, self.page)
        return self._expanded

    def render_start(self, end: int) -> str:
        """HTML of the expanded body's first `end` characters.

        Markdown's markup limit is checked on the whole body: a post is rejected (or not) whatever part of it is
        rendered while it is read.
        """
        expanded = self.expanded()
        if self.body_format == "markdown":
            markup.check_markup_amount(expanded)
        return _as_html(self.settings, expanded[:end], self.body_format)


def expand(text: str, dialect: Dialect, settings: ReadSettings, title: str = "") -> str:
    """Resolve the template forms of `dialect` in `text`; "none" gives the text back."""
    if dialect == "liquid" and ("{%" in text or "{{" in text):
        return unwrap_cross_references(_Liquid(settings, title).expand(text))
    if dialect == "hugo" and ("{{<" in text or "{{%" in text):
        return unwrap_cross_references(_expand_hugo(text))
    return text


def unwrap_cross_references(text: str) -> str:
    """Replace each link whose target is a removed cross-reference by its text; drop the other references."""
    if XREF not in text:
        return text
    out: list[str] = []
    done = 0  # text[:done] is in `out`
    reference = text.find(XREF)
    while reference >= 0:
        low = max(done, reference - _LOOK_BACK)
        unwrapped = _unwrap_at(text, low, reference)
        if unwrapped is not None:
            start, end, link_text = unwrapped
            out += [text[done:start], link_text]
            done = end
        reference = text.find(XREF, max(reference + 1, done))
    out.append(text[done:])
    return "".join(out).replace(XREF, "")


def _unwrap_at(text: str, low: int, reference: int) -> tuple[int, int, str] | None:
    """(start, end, link text) of the link whose target is the reference at `reference`; None when none is."""
    bracket = text.rfind("[", low, reference)
    opening = _MARKDOWN_LINK_OPEN.fullmatch(text, bracket, reference) if bracket >= 0 else None
    if opening and (closing := _MARKDOWN_LINK_CLOSE.match(text, reference + 1)):
        return bracket, closing.end(), opening.group(1)
    anchor = max(text.rfind("<a", low, reference), text.rfind("<A", low, reference))
    if (
        anchor >= 0
        and _ANCHOR_OPEN.fullmatch(text, anchor, reference)
        and (closing := _ANCHOR_CLOSE.match(text, reference + 1))
    ):
        return anchor, closing.end(), closing.group(1)
    return None


def code_block(language: str, code: str, numbered: bool = False) -> str:
    """What Jekyll's `highlight` and Hugo's `highlight` write, less the colours: escaped code in <pre><code>.

    `numbered` (Jekyll's `linenos`) puts the line numbers in a gutter column, as Rouge's table does.
    """
    match = _LANGUAGE.fullmatch(language)
    attribute = f' class="language-{match.group(0)}"' if match else ""
    code = escape(code.strip(chr(10)), quote=False)
    if numbered:
        numbers = "".join(f"{n}\n" for n in range(1, code.count(chr(10)) + 2))
        code = (
            f'<table class="rouge-table"><tbody><tr><td class="gutter gl"><pre class="lineno">{numbers}</pre></td>'
            f'<td class="code"><pre>{code}\n</pre></td></tr></tbody></table>'
        )
        return f'<figure class="highlight"><pre><code{attribute}>{code}</code></pre></figure>'
    return f"<pre><code{attribute}>{code}\n</code></pre>"


def block_end(pattern: str, text: str, start: int) -> tuple[int, int]:
    """(start, end) of the closing tag matched by `pattern` at or after `start`; the text's end when there is none."""
    found = re.compile(pattern).search(text, start)
    return (found.start(), found.end()) if found else (len(text), len(text))


def shortcode_end(name: str, text: str, start: int) -> tuple[int, int]:
    """(start, end) of the tag closing the paired Hugo shortcode `name` (`{{< /name >}}`, `{{%/name%}}`); Hugo takes
    space after the slash too (`{{</ name >}}`, as PaperMod's pages write it)."""
    return block_end(r"\{\{[<%]\s*/\s*" + re.escape(name) + r"\s*[>%]\}\}", text, start)


def highlight_block(tag: Shortcode, text: str) -> tuple[str, int] | None:
    """The HTML of a `{{< highlight lang >}}…{{< /highlight >}}` block opened by `tag`, and where the block ends;
    None when `tag` opens no such block. Both Hugo expanders (this module's, and read/hugo's) render it alike."""
    if tag.name != "highlight" or tag.self_closing:
        return None
    end_start, end = shortcode_end("highlight", text, tag.end)
    language = tag.positional[0] if tag.positional else tag.named.get("lang", "")
    return code_block(language, text[tag.end : end_start]), end


class _Liquid:
    """Jekyll's Liquid, the common forms: what a post shows once Jekyll has rendered it."""

    def __init__(self, settings: ReadSettings, title: str) -> None:
        parts = urlsplit(settings.url)
        self.origin = f"{parts.scheme}://{parts.netloc}"  # Jekyll's site.url: no path
        self.base_path = parts.path.rstrip("/")  # Jekyll's site.baseurl: "" or "/blog"
        self.variables = {
            "site.url": self.origin,
            "site.baseurl": self.base_path,
            "site.title": settings.title,
            "page.title": title,
        }

    def expand(self, text: str) -> str:
        out: list[str] = []
        pos = 0
        while (opening := _LIQUID_OPEN.search(text, pos)) is not None:
            start = opening.start()
            closer = "}}" if text[start + 1] == "{" else "%}"
            end = text.find(closer, start + 2)
            if end < 0:
                break  # no tag closes after here: the rest is text
            inner = text[start + 2 : end]
            before = text[pos:start]
            if inner.startswith("-"):  # {%- and {{- trim the whitespace before them
                before = before.rstrip()
            out.append(before)
            pos = end + 2
            if inner.endswith("-"):  # -%} and -}} trim the whitespace after them
                pos = len(text) - len(text[pos:].lstrip())
            inner = inner.strip("-").strip()
            if closer == "}}":
                out.append(self.output(inner))
                continue
            replacement, pos = self.tag(inner, text, pos)
            out.append(replacement)
        out.append(text[pos:])
        return "".join(out)

    def tag(self, inner: str, text: str, pos: int) -> tuple[str, int]:
        """A tag's output and where the text resumes (past its block, for the blocks read whole)."""
        match = _LIQUID_TAG.fullmatch(inner)
        name, argument = (match.group(1), match.group(2).strip()) if match else ("", "")
        if name in ("raw", "highlight", *_SILENT_BLOCKS):
            end_start, end = block_end(r"\{%-?\s*end" + name + r"\s*-?%\}", text, pos)
            content = text[pos:end_start]
            if name == "raw":
                return content, end
            if name == "highlight":
                return code_block(argument.split()[0] if argument else "", content), end
            return "", end
        if name in _CROSS_REFERENCES:
            return XREF, pos
        return "", pos  # include, if/for/assign and any other tag: nothing we can know

    def output(self, expression: str) -> str:
        """A `{{ … }}` output: a string or known variable through relative_url / absolute_url; else nothing."""
        match = _LIQUID_OUTPUT.fullmatch(expression)
        if not match:
            return ""
        double, single, variable, filters = match.groups()
        value = double if double is not None else single if single is not None else self.variables.get(variable)
        if value is None:
            return ""  # an unknown variable: Liquid writes nothing for it either
        for name in re.findall(r"\w+", filters):
            if name not in ("relative_url", "absolute_url"):
                return ""  # a filter we do not know: its result is unknown too
            value = self.relative_url(value) if name == "relative_url" else self.absolute_url(value)
        return escape(value, quote=True)

    def relative_url(self, value: str) -> str:
        # Jekyll's relative_url: absolute URLs pass through; paths get baseurl in front, with one "/" between.
        if urlsplit(value).scheme or value.startswith("//"):
            return value
        return self.base_path + "/" + value.lstrip("/") if value else self.base_path + "/"

    def absolute_url(self, value: str) -> str:
        if urlsplit(value).scheme or value.startswith("//"):
            return value
        return self.origin + self.relative_url(value)


def _hugo_arguments(inner: str) -> tuple[str, list[str], dict[str, str]]:
    """A shortcode's name, positional and named arguments."""
    # Any white space of Hugo's lexer ends the name: a tab, or the line break of a tag written over lines.
    name, _, rest = _HUGO_NAME_END.sub(" ", inner.strip(), count=1).partition(" ")
    positional: list[str] = []
    named: dict[str, str] = {}
    for key, quoted, raw, bare in _HUGO_ARG.findall(rest):
        value = re.sub(r"\\(.)", r"\1", quoted) if quoted else raw or bare
        if key:
            named[key] = value
        else:
            positional.append(value)
    return name, positional, named


@dataclass(frozen=True)
class Shortcode:
    """One Hugo shortcode tag found in a text: `{{< name args >}}` or `{{% name args %}}` (or a closing one)."""

    start: int  # where the tag begins in the text
    end: int  # where the text resumes after it
    kind: str  # "<": its output is HTML; "%": its output is Markdown
    name: str
    positional: list[str]
    named: dict[str, str]
    self_closing: bool
    written: str | None  # `{{</* x */>}}`, Hugo's way to write a shortcode as text: the text it stands for


def next_shortcode(text: str, pos: int) -> Shortcode | None:
    """The first shortcode tag at or after `pos`; None when no tag opens and closes after it."""
    opening = _HUGO_OPEN.search(text, pos)
    if opening is None:
        return None
    start = opening.start()
    kind = text[start + 2]
    closer = (">" if kind == "<" else "%") + "}}"
    end = text.find(closer, start + 3)
    if end < 0:
        return None
    inner = text[start + 3 : end].strip()
    if inner.startswith("/*") and inner.endswith("*/"):
        written = "{{" + kind + " " + inner[2:-2].strip() + " " + closer
        return Shortcode(start, end + 3, kind, "", [], {}, True, written)
    name, positional, named = _hugo_arguments(inner.rstrip("/"))
    return Shortcode(start, end + 3, kind, name, positional, named, inner.endswith("/"), None)


def replace_shortcodes(text: str, replace: Callable[[Shortcode], tuple[str, int]]) -> str:
    """`text` with each shortcode tag (`next_shortcode`) replaced by what `replace` makes of it: the text to put in
    its place, and where the text goes on (past the tag, or past the block it opens). Tags written as text
    (`{{</* x */>}}`) become that text."""
    out: list[str] = []
    pos = 0
    while (tag := next_shortcode(text, pos)) is not None:
        out.append(text[pos : tag.start])
        if tag.written is not None:
            out.append(tag.written)
            pos = tag.end
            continue
        replacement, pos = replace(tag)
        out.append(replacement)
    out.append(text[pos:])
    return "".join(out)


def _expand_hugo(text: str) -> str:
    def replace(tag: Shortcode) -> tuple[str, int]:
        highlighted = highlight_block(tag, text)
        return highlighted or (_hugo_shortcode(tag.name, tag.positional, tag.named), tag.end)

    return replace_shortcodes(text, replace)


def _hugo_shortcode(name: str, positional: list[str], named: dict[str, str]) -> str:
    if name == "figure":
        src = named.get("src", "")
        if not src:
            return ""
        image = f'<img src="{escape(src)}" alt="{escape(named.get("alt", ""))}">'
        if named.get("link"):
            image = f'<a href="{escape(named["link"])}">{image}</a>'
        caption = named.get("caption") or named.get("title") or ""
        return f"<figure>{image}" + (f"<figcaption>{escape(caption)}</figcaption>" if caption else "") + "</figure>"
    if name == "youtube":
        video = named.get("id") or (positional[0] if positional else "")
        if not _YOUTUBE_ID.fullmatch(video):
            return ""
        url = f"https://www.youtube.com/watch?v={video}"
        return f'<a href="{url}">{url}</a>'
    if name in _CROSS_REFERENCES:
        return XREF
    return ""  # other shortcodes and closing tags: a paired shortcode's inner text stays
