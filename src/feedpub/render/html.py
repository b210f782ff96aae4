"""Content HTML for feeds: sanitised, every URL absolute."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

import nh3

from feedpub.bounded import StillRunning, within
from feedpub.nesting import MAX_NESTING, TAGS_WORTH_COUNTING, nesting_depth
from feedpub.text import strip_xml_invalid
from feedpub.urls import SAFE_SCHEMES, absolute_url, percent_encoded, with_ascii_host

# ammonia's defaults lack a table's footer: a kramdown table's footer rows lost their <tfoot> and read as a body's.
# And <input>, for task lists' checkboxes (Goldmark's and kramdown's `- [x] done`): without them a done task and an
# open one read alike. A checkbox is written as a disabled one (_CHECKBOX); an input of another type goes whole.
_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {
    "picture",
    "source",
    "video",
    "audio",
    "track",
    "figure",
    "figcaption",
    "tfoot",
    "input",
}


_ALLOWED_ATTRIBUTES = {
    **nh3.ALLOWED_ATTRIBUTES,
    "*": {"title", "lang", "dir", "style"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "loading"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "video": {"src", "poster", "controls", "width", "height", "loop", "muted", "playsinline"},
    "audio": {"src", "controls", "loop", "muted"},
    "track": {"src", "kind", "srclang", "label"},
    "input": {"type", "disabled", "checked"},
}

# An <input>'s attributes as a task list's checkbox has them (Goldmark's `<input checked="" disabled=""
# type="checkbox">`): an input of another type (text, image, submit) goes whole, and a name, a value, a form's
# action, a handler is nothing a feed should show or send; `checked` is the task's state, kept.
_CHECKBOX = {"type": "checkbox", "disabled": "", "checked": ""}
# An <input> as the sanitiser writes it: its attributes those _CHECKBOX keeps; nowhere else in its output is there
# an "<input" (text and attribute values have theirs written "&lt;input"). Each is then written whole as Goldmark
# writes a checkbox: its attributes in that order, with the type and disabled it may lack (nh3's own way to add
# them, set_tag_attribute_values, orders them differently from one run to the next).
_SANITISED_INPUT = re.compile(r"<input\b([^>]*)>")


# Colours and emphasis carry meaning in news posts (the seed highlights sentences); layout properties don't.
_STYLE_PROPERTIES = {"color", "background-color", "font-weight", "font-style", "text-align", "text-decoration"}


# Removed with their content: code and embeds that no feed reader should run.
_REMOVED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template"}

# The sanitiser parses as browsers do (HTML5), and reopens every formatting element still open (<b>, <a>, <font>…)
# at each new block: 400 unclosed `<b title=N>` before 10,000 paragraphs made 280 MB of an 85 KB post, and took
# 1 GB. The reopenings a body may cause (its unclosed formatting tags times its tags) are bounded before it is
# cleaned; real posts make a few thousand at most.
MAX_REOPENED = 1_000_000
_FORMATTING = "a|b|big|code|em|font|i|nobr|s|small|strike|strong|tt|u"
_FORMATTING_OPENING = re.compile(rf"<(?:{_FORMATTING})(?=[\s/>])", re.IGNORECASE)
_FORMATTING_NAMES = frozenset(_FORMATTING.split("|"))
_ATTRIBUTES = r"(?:[^>\"']|\"[^\"]*+\"|'[^']*+')*+>?"  # up to the tag's end, quoted values skipped whole
# What HTML reads as tags, as far as closing formatting goes: not what a comment, an attribute's value, or an
# element of raw text (whose content is text up to its own end tag) holds. A "</b>" in any of those hid the open
# <b>s from the count (a 136 KB post then made 247 MB of HTML).
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:--!?>|\Z)"
    rf"|<(script|style|textarea|title|xmp|iframe|noembed|noframes|noscript)(?=[\s/>]){_ATTRIBUTES}.*?(?:</\1\s*>|\Z)"
    r"|<plaintext.*"
    rf"|<(/?)([A-Za-z][^\s/>]*){_ATTRIBUTES}",
    re.DOTALL | re.IGNORECASE,
)
# What one feed entry's content may hold, as XML escapes it: libxml2 (lxml, many readers) refuses a text node over
# 10 MB, and with it the whole feed.
MAX_CONTENT_BYTES = 5_000_000


class ContentTooLarge(ValueError):
    """Content HTML that would grow, or has grown, past what a feed entry can carry."""


# The sanitiser's parser (html5ever) looks for each attribute of a tag among those the tag already has, and drops
# one it has: its time grows with the square of one tag's different attributes (30,000: 0.4 s; 100,000: 12 s;
# 400,000 passed the time bound), and no markup character counts them. Real tags have a few; with at most this
# many, 100 tags of 1,000 take 0.06 s. (Names are told apart as written: the parser's lower-casing only merges.)
MAX_ATTRIBUTES = 1_000
_SPACE = "\t\n\f\r "
# An attribute as HTML's tokenizer reads it (WHATWG HTML §13.2.5.32-38): a name, which may start with "=", then
# "=" and a value, quoted or not, or none; attributes are apart by white space or "/", or follow a quoted value.
_ATTRIBUTE_NAME = rf"[^{_SPACE}/>][^{_SPACE}/>=]*+"
_ATTRIBUTE_VALUE = rf"""(?:[{_SPACE}]*+=[{_SPACE}]*+(?:"[^"]*+"|'[^']*+'|[^{_SPACE}>]*+))?+"""
_ONE_ATTRIBUTE = re.compile(rf"({_ATTRIBUTE_NAME}){_ATTRIBUTE_VALUE}")  # its name: group 1
# A tag, an end tag's too (the tokenizer reads its attributes as well), with its attributes. Tags in comments and in
# elements of raw text are counted as well: more than the parser's, never fewer.
_TAG_ATTRIBUTES = re.compile(rf"</?[A-Za-z][^{_SPACE}/>]*+((?:[{_SPACE}/]*+{_ATTRIBUTE_NAME}{_ATTRIBUTE_VALUE})*+)")


def _check_attributes(html: str) -> None:
    """ContentTooLarge when a tag of `html` has more than MAX_ATTRIBUTES different attributes."""
    for tag in _TAG_ATTRIBUTES.finditer(html):
        # Each attribute but the first takes two characters at least: a shorter run cannot hold too many.
        if tag.end(1) - tag.start(1) > 2 * MAX_ATTRIBUTES:
            names = set()
            for attribute in _ONE_ATTRIBUTE.finditer(html, tag.start(1), tag.end(1)):
                names.add(attribute[1])
                if len(names) > MAX_ATTRIBUTES:
                    raise ContentTooLarge(
                        f"a tag with more than {MAX_ATTRIBUTES:,} different attributes, which the sanitiser takes "
                        "long on; remove those no reader needs"
                    )


def _check_reopenings(html: str, tags: int) -> None:
    """ContentTooLarge when the body's unclosed formatting tags, reopened at each of its `tags` (its "<"s), pass
    MAX_REOPENED."""
    if tags < 1_000:
        return  # too few tags for anything to grow past the bound (1,000 x 1,000)
    if len(_FORMATTING_OPENING.findall(html)) * tags <= MAX_REOPENED:
        return  # within the bound were none of them closed
    balance: dict[str, int] = {}
    for match in _HTML_TOKEN.finditer(html):
        name = match[3]
        if name is not None and (name := name.lower()) in _FORMATTING_NAMES:
            balance[name] = balance.get(name, 0) + (-1 if match[2] else 1)
    unclosed = sum(n for n in balance.values() if n > 0)
    if unclosed * tags > MAX_REOPENED:
        raise ContentTooLarge(
            f"{unclosed:,} formatting tags (<b>, <a>, <font>…) left open, which HTML reopens at each of its "
            f"{tags:,} tags; close them"
        )


def _escaped_bytes(html: str) -> int:
    """The size of `html` as an XML text node holds it (UTF-8, "<", ">" and "&" escaped), or a little more."""
    return len(html.encode("utf-8", "surrogatepass")) + 3 * (html.count("<") + html.count(">")) + 4 * html.count("&")


# HTML's srcset microsyntax (WHATWG HTML §4.8.4.3.10, "parse a srcset attribute"). White space is ASCII white
# space only: a no-break space belongs to the URL.
_SRCSET_SEPARATORS = re.compile(r"[\t\n\f\r ,]*+")
_SRCSET_URL = re.compile(r"[^\t\n\f\r ]++")  # commas included: a Cloudinary `w_400,c_scale` or a data: URI
# A descriptor runs to white space or a comma; a "(" holds every character up to its ")", or the end.
_DESCRIPTOR = r"(?:[^\t\n\f\r ,(]|\([^)]*+\)?+)++"
_DESCRIPTOR_TOKEN = re.compile(_DESCRIPTOR)
_DESCRIPTORS = re.compile(rf"[\t\n\f\r ]*+((?:{_DESCRIPTOR}[\t\n\f\r ]*+)*+),?")


def srcset_candidates(srcset: str) -> Iterator[tuple[str, list[str]]]:
    """Yield each image candidate of a srcset value, its URL and its descriptors, as a browser splits them.

    The URL is a run of non-white-space characters, commas included: when it ends in commas, they are dropped and
    it has no descriptors; else its descriptors follow, up to the next comma outside parentheses. Descriptors are
    not checked: a candidate a browser drops for its descriptors (`a.jpg 2q`) is dropped by the feed's reader too.
    """
    position = 0
    while True:
        position = _SRCSET_SEPARATORS.match(srcset, position).end()  # type: ignore[union-attr]
        if position == len(srcset):
            return
        url = _SRCSET_URL.match(srcset, position).group()  # type: ignore[union-attr]
        position += len(url)
        if url.endswith(","):
            yield url.rstrip(","), []
            continue
        descriptors = _DESCRIPTORS.match(srcset, position)
        position = descriptors.end()  # type: ignore[union-attr]
        yield url, _DESCRIPTOR_TOKEN.findall(descriptors[1])  # type: ignore[index]


def _absolute_srcset(srcset: str, base: str) -> str | None:
    candidates = []
    for url, descriptors in srcset_candidates(srcset):
        resolved = absolute_url(url, base)
        if resolved:
            if resolved.endswith(","):
                # `a,#` resolves to `…/a,` (the empty fragment dropped), whose comma would end the URL: the
                # fragment, which no request carries, keeps it in.
                resolved += "#"
            candidates.append(" ".join([resolved, *descriptors]))
    return ", ".join(candidates) or None


_URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})


# CSS that runs code or fetches (old IE's expression(), url() and its relatives, escapes that hide them).
_UNSAFE_CSS = re.compile(r"expression|url\s*\(|image-set|javascript:|behavior|\\|@import", re.IGNORECASE)


def _safe_style(style: str) -> str | None:
    """The style's declarations that are plain values (nh3 has kept only the allowed properties)."""
    kept = [part for part in style.split(";") if part.strip() and not _UNSAFE_CSS.search(part)]
    return ";".join(kept) or None


LARGE_BODY = 100_000  # characters: real posts' bodies are 5-50 KB; past this the sanitiser runs under a time bound
SANITISE_SECONDS = 10.0  # what the sanitiser may take on one large body (a real post: well under a second)


def _checkbox(sanitised: re.Match[str]) -> str:
    """A sanitised <input> as the disabled checkbox it may only be, ticked where it was; nothing for an input of
    another type (a search box in a post is no task to show)."""
    attributes = sanitised.group(1).split()
    if 'type="checkbox"' not in attributes:
        return ""
    ticked = 'checked=""' in attributes
    return '<input checked="" disabled="" type="checkbox">' if ticked else '<input disabled="" type="checkbox">'


def clean_html(html: str, base: str, image_sources: list[str] | None = None) -> str:
    """Sanitise content HTML for feeds and make every URL in it absolute against `base`.

    Feed readers resolve relative URLs inconsistently (xml:base is ignored by most), so none are left.
    Raises ContentTooLarge for a body that would grow, or has grown, past what an entry can carry.
    `image_sources`, when given, receives the src of each <img> kept, as written (character references decoded).
    """
    tags = html.count("<")
    _check_reopenings(html, tags)
    # Only so many tags can nest past the bound, or keep the sanitiser long: real posts have a few hundred.
    many = tags > TAGS_WORTH_COUNTING
    # Bodies the sanitiser could take long on without many tags: one tag of 100,000 attributes (3 s; 400,000: 33 s)
    # or a million "&" that Liquid or a shortcode made (14 s), its time growing with the square of their number.
    bounded = many or len(html) > LARGE_BODY
    if many and nesting_depth(html) > MAX_NESTING:
        # Here, on what the sanitiser is given: a post's Liquid or shortcodes may make it (16 doubling captures in
        # 870 bytes made 98,304 nested <rt>), and a Markdown post's code holds "<" that are no tags.
        raise ContentTooLarge(f"HTML nested more than {MAX_NESTING} elements deep; simplify the markup")

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if tag == "input":
            # A checkbox's type kept, any other's dropped: the input then goes whole (_checkbox).
            return _CHECKBOX.get(attribute) if attribute != "type" or value.strip().lower() == "checkbox" else None
        if attribute in ("srcset",):
            return _absolute_srcset(value, base)
        if attribute == "style":
            return _safe_style(value)
        if attribute.startswith("on"):
            return None
        if attribute in _URL_ATTRIBUTES:
            if image_sources is not None and tag == "img" and attribute == "src":
                image_sources.append(value)
            # Resolved here, not by nh3's url_relative, which it calls only for what it cannot read as absolute (it
            # kept `https:x.png`, the relative `x.png` to a browser on an https page) and never for `cite`.
            resolved = absolute_url(value, base)
            # As a browser asks for it: "/img/100%.png" and "/img/사진 1.png" were published as written, a stray
            # "%" and a space that readers' URL parsers refuse; nothing is normalised, escapes are kept.
            return percent_encoded(with_ascii_host(resolved)) if resolved else None
        return value

    text = strip_xml_invalid(html)
    if bounded:
        _check_attributes(text)
    sanitise = functools.partial(
        nh3.clean,
        text,
        tags=_ALLOWED_TAGS,
        clean_content_tags=_REMOVED_WITH_CONTENT,
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        link_rel=None,
        url_schemes=set(SAFE_SCHEMES),
        url_relative=lambda url: absolute_url(url, base),
        filter_style_properties=_STYLE_PROPERTIES,
    )
    if not bounded:
        cleaned = sanitise()
    else:
        # Its time grows with the square of the nesting depth (or of a tag's attributes, or of the "&"), in Rust,
        # where the per-post time limit cannot stop it: the count refuses what it can tell is deep, and this bounds
        # what it cannot (three rounds of hostile markup found ways past each version of the count).
        try:
            cleaned = within(SANITISE_SECONDS, sanitise, "feedpub-sanitise")
        except StillRunning:
            raise ContentTooLarge(
                f"the HTML sanitiser took more than {SANITISE_SECONDS:.0f} s on it (markup nested very deep, a tag "
                "with very many attributes, or very many '&'?); simplify the markup"
            ) from None
    # Again after: the sanitiser decodes character references, and `&#1;` or `&#xFFFE;` become characters that
    # XML forbids (and that would make lxml refuse the whole feed).
    cleaned = strip_xml_invalid(str(cleaned))
    if "<input" in cleaned:
        cleaned = _SANITISED_INPUT.sub(_checkbox, cleaned)
    if len(cleaned) > MAX_CONTENT_BYTES // 8 and (size := _escaped_bytes(cleaned)) > MAX_CONTENT_BYTES:
        raise ContentTooLarge(
            f"its content is {size / 1e6:.1f} MB in a feed, over the {MAX_CONTENT_BYTES / 1e6:.0f} MB an entry "
            "holds (feed readers refuse the whole feed past 10 MB); split the post"
        )
    return cleaned
