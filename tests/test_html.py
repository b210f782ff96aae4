"""Content HTML: sanitising, absolute URLs, URI encoding, text and truncation."""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feedpub.nesting import VOID_ELEMENTS
from feedpub.read.markup import html_to_text, truncate
from feedpub.render import html
from feedpub.render.html import clean_html
from feedpub.text import strip_xml_invalid
from feedpub.urls import to_uri
from tests.conformance import srcset_candidates
from tests.conftest import DATA

BASE = "https://example.kr/news/2024/01/02/post/"
HOSTILE = (DATA / "posts" / "hostile_html_body.html").read_text(encoding="utf-8").split("---\n", 2)[2]


@pytest.fixture(scope="module")
def cleaned() -> str:
    return clean_html(HOSTILE, BASE)


@pytest.mark.parametrize(
    "needle",
    [
        "<script",
        "alert(",
        "<style",
        "display:none",
        "<iframe",
        "<object",
        "<embed",
        "onclick",
        "onerror",
        "javascript:",
        "vbscript:",
        "data:",
    ],
)
def test_dangerous_markup_is_removed(cleaned: str, needle: str) -> None:
    assert needle not in cleaned


@pytest.mark.parametrize(
    "expected",
    [
        'src="https://example.kr/news/2024/01/02/post/pics/ok.png"',
        'srcset="https://example.kr/news/2024/01/02/post/pics/ok.png 1x, '
        'https://example.kr/news/2024/01/02/post/pics/ok@2x.png 2x"',
        'href="https://example.kr/news/2024/01/02/sibling/"',
        'poster="https://example.kr/news/2024/01/02/post/poster.jpg"',
        'src="https://example.kr/news/2024/01/02/post/clip.mp4"',
    ],
    ids=["src", "srcset", "href-dotdot", "poster", "video-src"],
)
def test_relative_urls_become_absolute_against_the_post(cleaned: str, expected: str) -> None:
    assert expected in cleaned


def test_protocol_relative_and_root_relative_urls() -> None:
    out = clean_html('<a href="//cdn.example.net/x">a</a><a href="/about/">b</a><a href="#top">c</a>', BASE)
    assert 'href="https://cdn.example.net/x"' in out
    assert 'href="https://example.kr/about/"' in out
    assert f'href="{BASE}#top"' in out


@pytest.mark.parametrize(
    ("srcset", "expected"),
    [
        (  # Cloudinary's transformations hold commas: the URL is one run of non-white-space
            "https://res.cloudinary.com/demo/image/upload/w_400,c_scale/sample.jpg 400w, "
            "https://res.cloudinary.com/demo/image/upload/w_800,c_scale/sample.jpg 800w",
            "https://res.cloudinary.com/demo/image/upload/w_400,c_scale/sample.jpg 400w, "
            "https://res.cloudinary.com/demo/image/upload/w_800,c_scale/sample.jpg 800w",
        ),
        (  # a lazy-loading placeholder: not http(s), so dropped whole (not its base64 resolved as a path)
            "data:image/gif;base64,R0lGODlhAQABAAAAACw= 1w, pics/ok.png 400w",
            f"{BASE}pics/ok.png 400w",
        ),
        ("/img/b.jpg\t1x, /img/b@2x.jpg\t2x", "https://example.kr/img/b.jpg 1x, https://example.kr/img/b@2x.jpg 2x"),
        ("a.jpg\n  480w,\n  b.jpg\n800w", f"{BASE}a.jpg 480w, {BASE}b.jpg 800w"),
        ("a.jpg  1x,b.jpg   2x", f"{BASE}a.jpg 1x, {BASE}b.jpg 2x"),
        ("a.jpg,, b.jpg 2x,", f"{BASE}a.jpg, {BASE}b.jpg 2x"),  # trailing commas end a URL
        ("a.jpg 100w 50h", f"{BASE}a.jpg 100w 50h"),
        ("a,b.jpg 2x", f"{BASE}a,b.jpg 2x"),
        ("a,#, b.jpg 2x", f"{BASE}a,#, {BASE}b.jpg 2x"),  # the comma the fragment kept in the URL stays in
    ],
    ids=[
        "cloudinary",
        "data-uri",
        "tab",
        "line-wrapped",
        "no-space",
        "trailing-commas",
        "width-height",
        "comma",
        "comma-fragment",
    ],
)
def test_srcset_urls_are_read_as_browsers_split_them(srcset: str, expected: str) -> None:
    """WHATWG HTML's srcset parsing: feedpub split on every "," and space, and made broken candidates that browsers
    picked (Chromium's currentSrc was `…/upload/w_400`)."""
    out = clean_html(f'<img src="/x.jpg" srcset="{srcset}" alt="">', BASE)
    assert f'srcset="{expected}"' in out


_SRCSET_PIECES = ["a", "/b", "x,", "1x", "2w", "50h", "data:,", *",()#?한 \t\n\f\r"]


@given(st.lists(st.sampled_from(_SRCSET_PIECES), max_size=30).map("".join))
@settings(max_examples=2000)
def test_srcset_candidates_are_the_specs(srcset: str) -> None:
    assert list(html.srcset_candidates(srcset)) == srcset_candidates(srcset)


@given(st.lists(st.sampled_from(_SRCSET_PIECES), max_size=30).map("".join))
@settings(max_examples=2000)
def test_an_absolute_srcset_has_the_candidates_of_the_original(srcset: str) -> None:
    """A browser fetches the same image for each candidate of the srcset written as for one of the original's
    (those that resolve to http(s)), with the same descriptors."""
    import ada_url

    from feedpub.urls import absolute_url

    def fetched(value: str) -> list[tuple[str, list[str]]]:
        # What a browser requests (ada: the WHATWG URL parser); a fragment is never sent, and an empty query is
        # dropped by absolute_url (urljoin) in every attribute alike.
        return [
            (ada_url.join_url(BASE, url).partition("#")[0].removesuffix("?"), descriptors)
            for url, descriptors in srcset_candidates(value)
            if absolute_url(url, BASE)
        ]

    assert fetched(html._absolute_srcset(srcset, BASE) or "") == fetched(srcset)


@pytest.mark.parametrize("tag", ["blockquote", "q", "del", "ins"])
def test_cite_urls_become_absolute_like_links(tag: str) -> None:
    """nh3 resolves href, src and poster: a `cite` stayed relative, a ContainsRelRef for the W3C feed validator."""
    out = clean_html(f'<{tag} cite="../sources/보고서 1/">x</{tag}>', BASE)
    assert f'<{tag} cite="https://example.kr/news/2024/01/02/sources/%EB%B3%B4%EA%B3%A0%EC%84%9C%201/">' in out


def test_safe_inline_colour_styles_are_kept_and_layout_dropped() -> None:
    out = clean_html('<span style="color: #ee2323; position: fixed">x</span>', BASE)
    assert out == '<span style="color:#ee2323">x</span>'


@pytest.mark.parametrize(
    "task",
    [
        '<li><input checked="" disabled="" type="checkbox"> done</li>',  # Goldmark's (Hugo)
        '<li><input disabled="" type="checkbox"> open</li>',
    ],
    ids=["done", "open"],
)
def test_a_task_lists_checkbox_is_kept_as_written(task: str) -> None:
    """A done task and an open one are told apart by their checkbox alone."""
    assert clean_html(task, BASE) == task


def test_kramdowns_checkboxes_are_kept_without_their_classes() -> None:
    kramdown = (
        '<li class="task-list-item"><input class="task-list-item-checkbox" checked="checked" disabled="disabled" '
        'type="checkbox"> done</li>'
    )
    assert clean_html(kramdown, BASE) == '<li><input checked="" disabled="" type="checkbox"> done</li>'


@pytest.mark.parametrize(
    "hostile",
    [
        "<input type=text onfocus=alert(1) autofocus>",
        '<input type=image src="javascript:alert(1)">',
        '<input type=submit formaction="javascript:alert(1)" value="Go">',
        '<input type="hidden" name="token" value="secret" form="f">',
        "<input>",  # a text box, as HTML reads it
    ],
    ids=["text-handler", "image", "formaction", "hidden", "bare"],
)
def test_any_other_input_goes_whole(hostile: str) -> None:
    """A post's search box or form field is no task to show: as the sanitiser removed every input before task
    lists were kept (a stray checkbox in its place would be a new mark in old posts' entries)."""
    assert clean_html(f"<p>a{hostile}b</p>", BASE) == "<p>ab</p>"


def test_a_checkbox_is_a_bare_disabled_one_whatever_else_it_says() -> None:
    # The first `type` is the element's, as HTML reads it; a style, a name, a handler go.
    written = '<input type="checkbox" type="text" name="n" onclick="x()" style="position:fixed">'
    assert clean_html(written, BASE) == '<input disabled="" type="checkbox">'


def test_checkboxes_are_written_alike_whatever_their_attributes_order() -> None:
    """Every run writes a post's checkboxes byte for byte alike (a feed that changes at each build is re-read by
    every reader): in Goldmark's order, whatever the order written."""
    written = (
        '<input type="checkbox" checked disabled> <input disabled type=checkbox checked> <input checked type=CHECKBOX>'
    )
    assert clean_html(written, BASE) == " ".join(['<input checked="" disabled="" type="checkbox">'] * 3)
    # An <input> written in an attribute's value is text, and stays so (quotes put there would end the value).
    titled = '<abbr title="<input> &quot;<input type=x>">a</abbr><input type=checkbox>'
    box = '<input disabled="" type="checkbox">'
    assert clean_html(titled, BASE) == f'<abbr title="&lt;input&gt; &quot;&lt;input type=x&gt;">a</abbr>{box}'


def test_feedparsers_sanitiser_keeps_the_checkbox() -> None:
    """The W3C feed validator's HTML checks and feed readers built on feedparser take what its sanitiser keeps."""
    import feedparser

    content = clean_html('<ul><li><input checked="" disabled="" type="checkbox"> done</li></ul>', BASE)
    rss = (
        '<rss version="2.0"><channel><title>t</title><link>https://e.org/</link><description>d</description>'
        f"<item><title>i</title><description>{escape(content)}</description></item></channel></rss>"
    )
    parsed = feedparser.parse(rss.encode("utf-8"))
    assert not parsed.bozo
    assert '<input checked="" disabled="" type="checkbox" />' in parsed.entries[0].description


def test_cleaned_html_is_cdata_safe(cleaned: str) -> None:
    assert "]]>" not in cleaned


@pytest.mark.parametrize(
    ("tag", "link"),
    [
        ("a href", "https://news.example.kr/article/view.html?idxno=12345\n&amp;sc_section_code=S1N1"),
        ("img src", "/assets/img/2024/\n  seoul-map.png"),
        ("a href", "/a\tb?c\r\nd#e\tf"),
        ("a href", "/a\xa0"),  # a no-break space is no white space to a URL parser
        ("a href", "https:x.png"),  # on an https page: the relative x.png
        ("a href", "HTTPS:/images/a.png"),
        ("a href", "http:/x.example/a"),  # another scheme: its host follows
        ("a href", "http:x.example"),
        ("video poster", "https:\\poster.png"),
        ("a href", "https://한국.kr/뉴스"),
    ],
    ids=[
        "wrapped-query",
        "wrapped-path",
        "tabs-and-newlines",
        "no-break-space",
        "same-scheme",
        "same-scheme-rooted",
        "other-scheme",
        "other-scheme-no-slash",
        "backslash",
        "idn-host",
    ],
)
def test_a_link_is_the_url_a_browser_reads_from_it(tag: str, link: str) -> None:
    """WHATWG URL parsing (ada): tabs and newlines go wherever they are (a hand-wrapped link was published with
    %0A in its query); `https:x.png` is relative on an https page (it was kept as written); every URL is ASCII."""
    import ada_url

    page = "https://example.kr/news/2024/01/02/post.html"
    name, attribute = tag.split()
    out = clean_html(f'<{name} {attribute}="{link}">x</{name}>', page)
    found = re.search(rf'{attribute}="([^"]*)"', out)
    assert found is not None, out
    ours = found.group(1).replace("&amp;", "&")
    assert ours.startswith(("https://", "http://")) and ours.isascii()
    assert "%" not in urlsplit(ours).netloc  # a host in IDNA form, as a browser asks for it
    assert ada_url.join_url(page, ours) == ada_url.join_url(page, link.replace("&amp;", "&"))


@pytest.mark.parametrize(
    ("iri", "uri"),
    [
        ("https://example.kr/뉴스/a b/", "https://example.kr/%EB%89%B4%EC%8A%A4/a%20b/"),
        ("https://example.kr/a%20b/", "https://example.kr/a%20b/"),
        ("https://example.kr/100%/", "https://example.kr/100%25/"),
        ("https://example.kr/r&d/?q=1#f", "https://example.kr/r&d/?q=1#f"),
        ("https://한국.example/", "https://xn--3e0b707e.example/"),
        # NFD jamo are composed (NFC) before encoding, so one title gives one URL however it was typed
        ("https://example.kr/\u1112\u1161\u11ab/", "https://example.kr/%ED%95%9C/"),
    ],
    ids=["hangul-space", "already-encoded", "stray-percent", "reserved", "idn-host", "nfc"],
)
def test_to_uri(iri: str, uri: str) -> None:
    assert to_uri(iri) == uri


def test_html_to_text_decodes_entities_and_collapses_space() -> None:
    assert html_to_text("<p>Tom&nbsp;&amp;\n\n Jerry <script>x()</script></p>") == "Tom & Jerry"


@pytest.mark.parametrize(
    ("fragment", "text"),
    [
        ("Setting the <title> of a page", "Setting the of a page"),
        ("<p>Use a <textarea> for long input.</p>", "Use a for long input."),
        ("<p>An <iframe src=x>\n\nframe</p> after", "An frame after"),
        ("<p>A <xmp>x</xmp> closed one.</p>", "A x closed one."),
    ],
)
def test_an_element_of_raw_text_left_open_keeps_the_parsers_own_tags_out(fragment: str, text: str) -> None:
    """A <title> or <textarea> left open took the tags lxml closes its fragment with as its text: the summary of
    "Setting the <title> of a page" ended in "</body></html>"."""
    assert html_to_text(fragment) == text


def test_truncate_keeps_short_text_and_cuts_on_a_word() -> None:
    assert truncate("짧은 글", 10) == "짧은 글"
    assert truncate("하나 둘 셋 넷 다섯 여섯", 10) == "하나 둘 셋 넷…"


def test_truncate_without_spaces_cuts_inside_the_word() -> None:
    assert truncate("가" * 20, 10) == "가" * 9 + "…"


def _truncated_by_clusters(text: str, limit: int) -> str:
    """truncate as it reads without its shortcut: every grapheme cluster of the text counted."""
    import regex

    clusters = regex.findall(r"\X", text)
    if len(clusters) <= limit:
        return text
    kept = clusters[: limit - 1]
    for index in range(len(kept) - 1, len(kept) // 2, -1):
        if kept[index].isspace():
            kept = kept[:index]
            break
    return "".join(kept).rstrip() + "…"


# Single-character clusters, and every way UAX #29 joins characters into one: combining and spacing marks,
# conjoining jamo, emoji joiners, modifiers and flags, CR LF, a prepended mark.
_CLUSTER_PIECES = ["가", "서울", " ", "a", "e\u0301", "\u1100\u1161\u11a8", "\u1100", "\u1161", "\u11a8"]
_CLUSTER_PIECES += ["한\u11ab", "👩\u200d💻", "🇰🇷", "🇰", "\r\n", "\r", "\n", "\u0600x", "x\u0903", "\u200d"]
_CLUSTER_PIECES += ["\ufe0f", "\xa0", "👍🏽"]


@settings(max_examples=500)
@given(st.lists(st.sampled_from(_CLUSTER_PIECES), min_size=1, max_size=60).map("".join), st.data())
def test_truncate_counts_clusters_as_the_segmenter_does(text: str, data: st.DataObject) -> None:
    limit = data.draw(st.integers(1, len(text) + 1))  # mostly a cut inside the text
    assert truncate(text, limit) == _truncated_by_clusters(text, limit)


@given(st.text())
def test_strip_xml_invalid_always_gives_serialisable_text(text: str) -> None:
    element = etree.Element("t")
    element.text = strip_xml_invalid(text)  # lxml refuses any character XML 1.0 forbids
    assert etree.fromstring(etree.tostring(element)).text in (element.text, None)


# Shortcuts taken for speed must give what the general path gives.
@given(st.text(alphabet=st.characters(blacklist_characters="<&")))
def test_html_to_text_of_plain_text_is_what_parsing_gives(text: str) -> None:
    from feedpub.read.markup import _text_of, parse_fragment

    root = parse_fragment(text)
    assert html_to_text(text) == (_text_of(root) if root is not None else "")


@given(st.text(alphabet="abcXYZ019-._~/:?#[]@!$&'()*+,;=% 한글é\u0301\"<>\\^`{|}\x7f\U0001f600"))
def test_to_uri_shortcut_agrees_with_full_encoding(iri: str) -> None:
    from urllib.parse import quote

    from feedpub import urls as module

    normalized = module._STRAY_PERCENT.sub("%25", module.unicodedata.normalize("NFC", iri))
    full = quote(normalized, safe="/:?#@!$&'()*+,;=%~")  # "[" and "]" only around an IPv6 host, not after it
    assert to_uri("https://example.kr/" + iri) == "https://example.kr/" + full


@given(
    st.sampled_from(["https://", "http://", "HTTPS://", "ftp://", "//", "/", ""]),
    st.sampled_from(["example.kr", "h", "A-b.9", "", "[::1]", "u@h", "h:x", "한.kr", "/", "./", "../"]),
    st.sampled_from(["", "/", ":80/", ":/", "?", "#", "/./", "/../", "/."]),
    st.text(alphabet="aZ9-._~/:?#;=%&+ \t\n\x00\x7f\\한", max_size=12),
    st.sampled_from(
        [
            "https://example.kr/blog/2024/01/post/",
            "http://example.kr",
            "https://example.kr:8080/a/b",
            "https://example.kr/a?b#c",
            "HTTPS://example.kr/a/",
            "https://example.kr/a/../b/",
            "mailto:x@example.kr",
        ]
    ),
)
@settings(max_examples=1000)
def test_absolute_url_shortcut_agrees_with_urljoin(scheme: str, host: str, slash: str, path: str, base: str) -> None:
    from feedpub import urls as module

    url = scheme + host + slash + path
    assert module.absolute_url(url, base) == module._joined(module.backslashes_as_slashes(module.trimmed(url)), base)


@pytest.mark.parametrize(
    "link",
    [
        "\\images\\2022-05-11-markdown\\github-icon.png",  # a real post's image, written on Windows
        "img\\pic.png",
        "..\\..\\assets\\이미지.png",
        "/assets\\a b.png",
        "\\\\cdn.example.net\\x.png",
        "https:\\\\cdn.example.net\\x.png?size=\\1#part\\2",
        "a\\b.png#top\\",
    ],
)
def test_a_backslash_in_a_link_is_a_slash_as_browsers_read_it(link: str) -> None:
    """WHATWG URL parsing (ada, the parser Node.js uses) reads "\\" before an http(s) URL's query as "/": a post's
    `![x](\\images\\a.png)` shows /images/a.png in a browser, where feedpub linked /%5Cimages%5Ca.png (a 404)."""
    import ada_url

    from feedpub.urls import absolute_url, to_uri

    page = "https://example.kr/news/2024/01/02/post.html"
    ours = absolute_url(link, page)
    assert ours is not None
    assert to_uri(ours) == ada_url.join_url(page, link).replace(
        "\\", "%5C"
    )  # in a query or fragment, as to_uri writes it


@pytest.mark.parametrize(
    ("iri", "uri"),
    [
        ("https://cdn.example.net?img=[1].png", "https://cdn.example.net?img=%5B1%5D.png"),
        ("https://cdn.example.net#[x]", "https://cdn.example.net#%5Bx%5D"),
        ("https://[::1]:8080/a/[b]?q=[c]", "https://[::1]:8080/a/%5Bb%5D?q=%5Bc%5D"),
    ],
)
def test_brackets_are_encoded_after_the_host_only(iri: str, uri: str) -> None:
    """xs:anyURI (a sitemap's <loc>, <image:loc>) refuses "[" and "]" anywhere but around an IPv6 host."""
    assert to_uri(iri) == uri


def test_a_link_to_a_host_without_an_idna_name_is_encoded_not_an_error() -> None:
    """`//.한/x` (an empty label) has no IDNA form: its post was rejected ("cannot render (UnicodeError …)")."""
    from feedpub.urls import to_uri

    assert to_uri("https://.한/x") == "https://.%ED%95%9C/x"


def _reference_depth(html: str) -> int:
    """nesting_depth's rules, plainly: a list of the open elements, searched at each tag for what it closes and
    for a wall above it (where the scan keeps positions). The tags are found as the scan finds them."""
    from feedpub import nesting

    stack: list[tuple[str, int]] = []
    deepest = 0

    def is_wall(entry: tuple[str, int], kinds: tuple[str, ...]) -> bool:
        for kind in kinds:
            names, text_points = nesting._WALL_KINDS[kind]
            if entry[0] in names or (text_points and entry[1] == nesting._TEXT_POINT):
                return True
        return False

    def close_from(target: int, kinds: tuple[str, ...]) -> None:
        if not any(is_wall(entry, kinds) for entry in stack[target + 1 :]):
            del stack[target:]

    position = html.find("<")
    while position >= 0:
        if html.startswith("<!--", position):
            position = nesting._Count(html)._after_comment(position)
        elif html.startswith("</>", position):
            position += 3
        elif html.startswith(("<!", "<?", "</"), position) and not nesting._TAG_NAME.match(html, position + 1):
            foreign = bool(stack) and stack[-1][1] == nesting._FOREIGN
            if foreign and html.startswith("<![CDATA[", position):
                closed = html.find("]]>", position + 9)
                position = closed + 3 if closed >= 0 else -1
            else:
                closed = html.find(">", position + 2)
                position = closed + 1 if closed >= 0 else -1
        elif tag := nesting._TAG_NAME.match(html, position + 1):
            rest = nesting._REST_OF_TAG.match(html, tag.end())
            if rest is None:
                break
            name = tag.group(2).lower()
            position = rest.end()
            names = [open_name for open_name, _ in stack]
            if tag.group(1):
                wanted = nesting._HEADINGS if name in nesting._HEADINGS else (name,)
                found = [index for index, open_name in enumerate(names) if open_name in wanted]
                if found:
                    default = ("scope",) if name in nesting._SPECIAL else ("special",)
                    close_from(found[-1], nesting._END_TAG_WALLS.get(name, default))
            else:
                kind = stack[-1][1] if stack else nesting._HTML
                if kind == nesting._FOREIGN and name in nesting._LEAVE_FOREIGN:
                    while stack and stack[-1][1] == nesting._FOREIGN:
                        stack.pop()
                    kind = stack[-1][1] if stack else nesting._HTML
                if kind == nesting._FOREIGN or name in ("svg", "math"):
                    opens = not rest.group(1)
                    foreign_point = name in nesting._TEXT_POINTS and name not in ("svg", "math")
                    kind = nesting._TEXT_POINT if foreign_point else nesting._FOREIGN
                else:
                    kind = nesting._HTML
                    tables = [e for e in stack if e[0] in ("table", "template", "html")]
                    if name in nesting._IGNORED_IN_BODY or (name in nesting._TABLE_PARTS and not tables):
                        position = rest.end()
                        position = html.find("<", position)
                        continue
                    opens = name not in VOID_ELEMENTS
                    if name in nesting._CLOSES_P and "p" in names:
                        target = len(names) - 1 - names[::-1].index("p")
                        if not any(is_wall(entry, ("special",)) for entry in stack[target + 1 :]):
                            del stack[target:]
                    if name in nesting._HEADINGS and stack and stack[-1][0] in nesting._HEADINGS:
                        stack.pop()
                    names = [open_name for open_name, _ in stack]
                    if opens and name in nesting._CLOSED_BY_KIN:
                        kin, wall_kind = nesting._CLOSED_BY_KIN[name]
                        positions = [index for index, open_name in enumerate(names) if open_name in kin]
                        if positions and wall_kind is None and positions[-1] == len(stack) - 1:
                            stack.pop()
                        elif positions and wall_kind is not None:
                            close_from(positions[-1], (wall_kind,))
                if opens:
                    stack.append((name, kind))
                    deepest = max(deepest, len(stack))
                if kind == nesting._HTML and name == "plaintext":
                    break
                if kind == nesting._HTML and name in nesting._RAW_TEXT_ELEMENTS:
                    lowered = "".join(c.lower() if c.isascii() else c for c in html)  # ASCII case only
                    ends = [lowered.find(f"</{name}{c}", position) for c in "\t\n\f\r />"]
                    found = [end for end in ends if end >= 0]
                    if not found:
                        break
                    position = min(found)
        else:
            position += 1
        if position < 0:
            break
        position = html.find("<", position)
    return deepest


_TAGS = ["<div>", "</div>", "<div/>", "<p>", "</p>", "<li>", "<LI>", "</li>", "<svg>", "</svg>", "<svg/>", "<path/>"]
_TAGS += ["<math>", "</math>", "<b>", "</B>", "</x>", "<br>", "<br/>", "<td>", "<tr>", "< p>", "<", ">", "x", "/"]
_TAGS += ["<span>", "</span>", "<ul>", "</ul>", "<table>", "</table>", "<foreignObject>", "<mi>", "<script>"]
_TAGS += ["</script>", "<!--", "-->", "<title>", "</title>", "<ol>", "<template>", "<!-->", "--!>", "<noscript>"]
_TAGS += ["</noscript>", '<a b=">">', "<g a=b/>", "<tr>", "<td>", "</tr>", "<dd>", "<dt>", "<button>", "</p>"]
_TAGS += ["<rt>", "<optgroup>", "<option>", "<plaintext>", "</scriptx>", "<dl\u00a0>", "<blockquote>", "<tbody>"]
_TAGS += ["<table>", "</table>", "<h2>", "</h3>", "<form>", "</form>", "<!x>", "<?x>", "</1>", "</>", "<body>", "İ"]
_TAGS += ["<![CDATA[", "]]>", "<p ==", "<caption>", "<col>", "</td>"]


@given(
    st.text(alphabet="<>/ abdivpbrimgcolare=\"'\nsvgmathul", max_size=80)
    | st.lists(st.sampled_from(_TAGS)).map("".join)
)
@settings(max_examples=500)
def test_nesting_depth_is_the_plain_stacks(html: str) -> None:
    """The one-pass scan, with positions kept, gives what a plain list searched at each end tag gives."""
    from feedpub.nesting import nesting_depth

    assert nesting_depth(html) == _reference_depth(html)


@pytest.mark.parametrize(
    ("html", "depth"),
    [
        ("<ul/><li/>" * 3, 6),  # HTML5 opens a div, ul or li written "/>"
        ("<ul><li></x></x>" * 3, 6),  # an end tag that names no open element closes nothing
        ("<div><span></div></span><p>", 2),  # </div> closes the span inside it
        ("<svg>" + '<path d="M0"/>' * 50 + "</svg><math><mi/></math>", 1),
        ("<ul>" + "<li>item" * 50 + "</ul>" + "<p>para" * 50, 2),
        ("<span><div></span>" * 3, 6),  # a </span> does not reach past the <div> above it
        ("<li><ul></li>" * 3, 6),  # nor an </li> past a list
        ("<svg>" + "<ul/><li/>" * 3, 6),  # a <ul> ends the SVG: its "/>" opens
        ("<svg><foreignObject>" + "<div/>" * 3, 5),  # HTML again inside <foreignObject>
        ("<div><script></div></script>" * 3, 4),  # a script's text is no tag
        ("<div><!--</div>-->" * 3, 3),  # nor a comment's
        ("<rt>" * 5, 5),  # an <rt> closes another only inside a <ruby>
        ("<q><!-->" * 5, 5),  # `<!-->` is a whole comment
        ('<dl a="></dl>">' * 5, 5),  # a quoted value holds ">"
        ("<svg>" + "<g a=b/>" * 5, 6),  # the "/" is the unquoted value's: the <g> stays open
        ("<dl><script></scriptx></dl></script>", 2),  # </scriptx> ends no script
        ("<table>" + "<tr><td>a<td>b</tr>" * 50 + "</table>", 3),  # cells and rows close each other
        ("<ul>" + "<li><p>text" * 50 + "</ul>", 3),  # a <li> closes the one before, and its <p>
        ("<tr><div></tr>" * 3, 3),  # no table: HTML5 ignores <tr> and </tr>
        ("<p><div></p>" * 3, 3),  # the <div> closed the <p>: the </p> closes nothing
        ("<form><div></form>" * 3, 6),  # HTML5 takes the form out and leaves the div (counted deeper)
        ("<section><!</section>" * 3, 3),  # a bogus comment's "</section>" is text
        ('<section><p =="></section>">' * 3, 4),  # an attribute named "=", its quoted value holding ">"
        ("<h2>a</h3>" * 3, 1),  # an </h3> closes the <h2>
        ("<body><html><head>" * 3, 0),  # ignored in a body
        ("<script>" + "İ" * 5 + "</script><div>" * 3, 3),  # İ lower-cases to two characters
    ],
)
def test_nesting_depth_counts_as_html5_parses(html: str, depth: int) -> None:
    from feedpub.nesting import nesting_depth

    assert nesting_depth(html) == depth


def test_xml_invalid_is_exactly_what_xml_1_0_refuses() -> None:
    from feedpub.text import XML_INVALID

    def allowed(code: int) -> bool:  # XML 1.0 §2.2, Char
        return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000

    everything = "".join(map(chr, range(0x110000)))
    refused = {ord(m.group()) for m in XML_INVALID.finditer(everything)}
    assert refused == {code for code in range(0x110000) if not allowed(code)}


def test_a_body_the_sanitiser_takes_too_long_on_is_refused_in_bounded_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Markup the nesting count cannot tell is deep (a way past it found later) costs the sanitiser minutes; it
    is given SANITISE_SECONDS in a thread of its own, and the post is refused when that passes."""
    import time

    monkeypatch.setattr(html, "nesting_depth", lambda _: 0)  # as if the count were fooled
    monkeypatch.setattr(html, "SANITISE_SECONDS", 0.2)
    started = time.monotonic()
    with pytest.raises(html.ContentTooLarge, match="sanitiser took more than"):
        html.clean_html("<div>" * 40_000, "https://example.kr/a/")
    assert time.monotonic() - started < 4  # the seconds the sanitiser takes on it are not waited for
    assert html.clean_html("<p>x</p>" * 3_000, "https://example.kr/a/").count("<p>") == 3_000  # large, fast: kept


@pytest.mark.parametrize(
    ("body", "refusal"),
    [
        # nh3's time: the square of a tag's attributes, which are counted before it runs (a time bound is seconds)
        ("<p " + " ".join(f"a{n}" for n in range(40_000)) + ">x</p>", "more than 1,000 different attributes"),
        # and of the "&" (a Liquid capture doubled: a million in 960 bytes)
        ("<pre>" + "&amp;" * 40_000 + "</pre>", "sanitiser took more than"),
    ],
    ids=["attributes", "ampersands"],
)
def test_a_large_body_of_few_tags_is_sanitised_in_bounded_time(
    body: str, refusal: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few tags, so no nesting to count, yet minutes of the sanitiser's time in Rust, where nothing else stops
    it (400,000 attributes in one tag: 33 s; 3.1 million "&": 80 s): a body past LARGE_BODY gets SANITISE_SECONDS."""
    assert len(body) > html.LARGE_BODY and body.count("<") < 10
    monkeypatch.setattr(html, "SANITISE_SECONDS", 0.0)
    with pytest.raises(html.ContentTooLarge, match=refusal):
        html.clean_html(body, "https://example.kr/a/")


@pytest.mark.parametrize(
    "tag",
    [
        "<p " + " ".join(f"a{n}" for n in range(1_000)) + ">",
        '<img alt="a b c d" src="data:image/png;base64,' + "QUJD " * 100_000 + '">',  # white space in a value
        "<p " + "a=1 " * 100_000 + ">",  # the parser drops an attribute the tag has: no slower than one
    ],
    ids=["a-thousand", "long-value", "one-name-repeated"],
)
def test_a_tag_of_up_to_a_thousand_different_attributes_is_sanitised(tag: str) -> None:
    body = tag + "x" + "<p>filler</p>" * 10_000
    assert len(body) > html.LARGE_BODY
    assert "filler" in html.clean_html(body, "https://example.kr/a/")


@pytest.mark.parametrize(
    "tag",
    [
        "<p " + "".join(f'a{n}=""' for n in range(1_001)) + ">",  # no white space after a quoted value
        "</p " + " ".join(f"a{n}" for n in range(1_001)) + ">",  # an end tag's are read too
        '<p " ' + " ".join(f"a{n}" for n in range(1_001)) + ' ">',  # a quote opens no value where no "=" is
        "<p " + " ".join(f"a{n}/" for n in range(1_001)) + ">",  # "/" parts attributes
    ],
    ids=["after-quoted-values", "end-tag", "stray-quote", "slashes"],
)
def test_a_tag_of_more_than_a_thousand_different_attributes_is_refused_however_written(tag: str) -> None:
    body = tag + "x" + "<p>filler</p>" * 10_000
    with pytest.raises(html.ContentTooLarge, match="a tag with more than 1,000 different attributes"):
        html.clean_html(body, "https://example.kr/a/")


def test_content_past_what_an_entry_holds_is_refused() -> None:
    """libxml2 refuses a text node over 10 MB, and with it the whole feed: 6 MB of Hangul is too much for one entry
    (an HTML post has no markup bound of its own), 1 MB is not."""
    assert html.clean_html("<p>" + "가" * 330_000 + "</p>", "https://example.kr/a/").startswith("<p>가")
    with pytest.raises(html.ContentTooLarge, match="MB in a feed"):
        html.clean_html("<p>" + "가" * 2_000_000 + "</p>", "https://example.kr/a/")


def test_a_few_unclosed_formatting_tags_are_cleaned_as_always() -> None:
    body = "<p><b>bold never closed" + "<p>더 많은 문단</p>" * 5_000
    cleaned = html.clean_html(body, "https://example.kr/a/")
    assert cleaned.count("<b>") == 5_001


OPEN_BOLD = "<p>" + "".join(f"<b title={n}>" for n in range(500))


@pytest.mark.parametrize(
    "hidden",
    [
        "<!--" + "</b>" * 500 + "-->",  # a comment holds no tags
        '<i title="' + "</b>" * 500 + '"></i>',  # nor an attribute's value
        "<span data-x='" + "</b>" * 500 + "'></span>",
        "<textarea>" + "</b>" * 500 + "</textarea>",  # nor an element of text
        "<script>" + "</b>" * 500 + "</script>",
    ],
    ids=["comment", "formatting-attribute", "other-attribute", "textarea", "script"],
)
def test_closing_tags_html_does_not_read_as_tags_close_nothing(hidden: str) -> None:
    """500 open <b>s "closed" where HTML reads no tag made 247 MB of HTML (2.2 GB) from a 136 KB post."""
    with pytest.raises(html.ContentTooLarge, match="500 formatting tags"):
        html.clean_html(OPEN_BOLD + hidden + "</p>" + "<p>x</p>" * 16_000, "https://example.kr/a/")


def test_formatting_closed_beside_comments_and_attributes_is_cleaned() -> None:
    body = "<!-- <b> -->" + "<p><b title='<i>'>굵게</b> <a href='/x'>링크</a></p>" * 3_000
    assert html.clean_html(body, "https://example.kr/a/").count("</b>") == 3_000


def test_content_links_with_backslashes_are_where_browsers_find_them() -> None:
    """A raw `<img src="\\raw\\c.png">` (Hugo writes it unchanged): the content's cleaning encoded each "\\" as %5C
    before resolving it, and linked another file (a 404)."""
    import ada_url

    page = "https://example.org/posts/b/"
    out = clean_html('<p><img src="\\raw\\c.png" alt=""> <a href="..\\a b\\x.html?q=\\1">x</a></p>', page)
    expected = ada_url.join_url(page, "\\raw\\c.png")
    assert f'src="{expected}"' in out
    assert 'href="https://example.org/posts/a%20b/x.html?q=%5C1"' in out


@given(
    st.lists(
        st.sampled_from(
            [
                "- [ ] a",
                "- [x] b",
                "  - [ ] c",
                "1. [ ] d",
                "> - [ ] e",
                "* [X] f",
                "- g",
                "",
                "text",
                "[^1]: - [ ] h",
                "See[^1].",
                "    - [x] i",
                "- [ ]",
                "+ [ ] j",
            ]
        ),
        max_size=12,
    )
)
@settings(max_examples=300, deadline=None)
def test_task_lists_in_one_pass_are_the_plugins(lines: list[str]) -> None:
    """markup.use_task_lists runs mdit-py-plugins' rule item by item (its own pass was quadratic); the HTML is the
    plugin's, footnotes' lists included (whose closings come without their openings: the first version failed)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.tasklists import tasklists_plugin

    from feedpub.read import markup

    text = "\n".join(lines)
    plugins = MarkdownIt("commonmark").use(footnote_plugin).use(tasklists_plugin)
    ours = MarkdownIt("commonmark").use(footnote_plugin)
    markup.use_task_lists(ours)
    assert ours.render(text) == plugins.render(text)


def test_a_footnote_holding_a_list_renders_with_goldmarks_rules() -> None:
    """`[^1]: - [^2]: x`: the footnote plugin leaves a list's closing in the stream without its opening (a footnote
    defined inside another's list), and the task lists' pass failed on it ("pop from empty list"), rejecting a page
    Hugo builds. (Hugo's footnote holds an empty list there; the plugin's markup differs, the text is the same.)"""
    from feedpub.read.hugo import goldmark

    rendered = goldmark.render("See the note[^1].\n\n[^1]: - [^2]: x\n", goldmark.GoldmarkOptions())
    assert '<li id="fn:1">' in rendered
