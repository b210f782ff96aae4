"""How deep HTML nests as an HTML5 parser builds it, or deeper: the bound on what the sanitiser is given.

nh3 (html5ever) spends on each tag time in proportion to the depth of the open elements, so a post nested 100,000
deep held a build for half a minute, in Rust, where the per-post time limit cannot stop it. The count follows
HTML5's tree building in the parts that decide depth, and where it approximates, it counts deeper, never shallower:
- a tag ends at the first ">" outside a quoted attribute value; a comment ends at "-->" or "--!>" (`<!-->` is one);
  a script's, style's, noscript's… text runs to its end tag, and nothing after a <plaintext> is a tag;
- "/>" closes a void element, or one in SVG or MathML, and nothing else (`<div/>` opens a div); a start tag such
  as <div>, <p> or <ul> leaves SVG and MathML, and inside their text points (<foreignObject>, <mi>…) the content
  is HTML again;
- an end tag closes the innermost open element of its name, but a <span>'s not past a special element (<div>,
  <ul>…) above it, a <div>'s not past a scope boundary (<table>, <td>…), an </li>'s not past a list, a </p>'s
  not past a <button>, a table part's not past a <table>; one that closes nothing is ignored;
- a <li>, <dd> or <dt> closes an open one of its kind below no special element (but <address>, <div>, <p>); a
  <td>, <tr> or <tbody> closes an open cell, row or section of the current table; a <p> or <option> closes one
  right above it.
Each step is O(1): each element's position is kept by name, and each wall's by kind, so no end tag searches.
"""

from __future__ import annotations

import re

MAX_NESTING = 512
TAGS_WORTH_COUNTING = 5_000  # real posts have a few hundred tags: fewer cannot nest past the bound


def nesting_depth(html: str) -> int:
    """The deepest element nesting in `html` as an HTML5 parser builds it, or more (the module's rules)."""
    return _Count(html).run()


class _Count:
    """The open elements of one scan: a stack of (name, kind), and the positions kept for O(1) steps."""

    def __init__(self, html: str) -> None:
        self.html = html
        self.stack: list[tuple[str, int]] = []
        self.at: dict[str, list[int]] = {}  # each name's open elements, by their stack positions
        # Positions of open elements that stop an end tag or a start tag's closing, by kind of wall.
        self.walls: dict[str, list[int]] = {kind: [] for kind in _WALL_KINDS}
        self.deepest = 0

    def run(self) -> int:
        html = self.html
        position = html.find("<")
        while position >= 0:
            if html.startswith("<!--", position):
                position = self._after_comment(position)
            elif html.startswith("</>", position):
                position += 3  # ignored
            elif html.startswith(("<!", "<?", "</"), position) and not _TAG_NAME.match(html, position + 1):
                position = self._after_bogus_comment(position)
            elif tag := _TAG_NAME.match(html, position + 1):
                rest = _REST_OF_TAG.match(html, tag.end())
                if rest is None:
                    break  # a tag (or a quoted value) open to the end: nothing after it is a tag
                closing, name = tag.group(1), tag.group(2).lower()
                if closing:
                    self._end_tag(name)
                    position = rest.end()
                else:
                    position = self._start_tag(name, bool(rest.group(1)), rest.end())
            else:
                position += 1  # not a tag ("< b", "<1"): the next "<" may start one
            if position < 0:
                break
            position = html.find("<", position)
        return self.deepest

    def _after_comment(self, position: int) -> int:
        html = self.html
        start = position + 4
        if html.startswith(">", start) or html.startswith("->", start):  # `<!-->`, `<!--->`: empty comments
            return html.find(">", start) + 1
        # Both ends in one search from here, which stops at the first: a search for each ran to the end of the body
        # for the one not there (nearly always "--!>"), at every comment (40,000 `<!--x-->` took 17 s).
        end = _COMMENT_END.search(html, start)
        return end.end() if end else -1  # none: the rest is a comment

    def _after_bogus_comment(self, position: int) -> int:
        """Past a doctype, `<?…>`, `</1…>` or a CDATA section: text to the next ">" (in SVG and MathML, a CDATA
        section's to its "]]>"), where `<!</section>` hid the end tag from the parser and not from the count."""
        html = self.html
        foreign = bool(self.stack) and self.stack[-1][1] == _FOREIGN
        if foreign and html.startswith("<![CDATA[", position):
            closed = html.find("]]>", position + 9)
            return closed + 3 if closed >= 0 else -1
        closed = html.find(">", position + 2)
        return closed + 1 if closed >= 0 else -1

    def _start_tag(self, name: str, self_closed: bool, end: int) -> int:
        """Open `name` as HTML5 would; the position to scan from next (-1: nothing after is a tag)."""
        stack = self.stack
        kind = stack[-1][1] if stack else _HTML
        if kind == _FOREIGN and name in _LEAVE_FOREIGN:
            while stack and stack[-1][1] == _FOREIGN:
                self._pop()
            kind = stack[-1][1] if stack else _HTML
        if kind == _FOREIGN or name in _FOREIGN_ROOTS:
            opens = not self_closed
            kind = _TEXT_POINT if name in _TEXT_POINTS and name not in _FOREIGN_ROOTS else _FOREIGN
        else:
            kind = _HTML
            if name in _IGNORED_IN_BODY or (name in _TABLE_PARTS and not self.walls["table"]):
                return end  # <body> and the like, a table part outside a table: HTML5 ignores the tag
            opens = name not in VOID_ELEMENTS
            if name in _CLOSES_P:
                self._close_p()
            if name in _HEADINGS and stack and stack[-1][0] in _HEADINGS:
                self._pop()  # a heading opened in a heading closes it
            if opens:
                self._close_kin(name)
        if opens:
            self._push(name, kind)
        if kind != _HTML:
            return end
        if name == "plaintext":
            return -1
        if name in _RAW_TEXT_ELEMENTS:
            # Its content is text to its end tag: `<div><script></div></script>` leaves the div open.
            closing = _raw_text_end(name).search(self.html, end)
            return closing.start() if closing else -1
        return end

    def _close_p(self) -> None:
        """A block's start tag closes an open <p> with no other special element above it (HTML5 closes it in
        button scope, past more: closing fewer only counts deeper)."""
        opened = self.at.get("p")
        walls = self.walls["special"]
        if opened and walls and (target := opened[-1]) == walls[-1]:
            while len(self.stack) > target:
                self._pop()

    def _close_kin(self, name: str) -> None:
        """Close the open element a start tag `name` closes: its kind's, unless a wall is above it."""
        kin = _CLOSED_BY_KIN.get(name)
        if kin is None:
            return
        names, wall_kind = kin
        target = max((opened[-1] for kin_name in names if (opened := self.at.get(kin_name))), default=-1)
        if wall_kind is None:  # closed only right above: <p> <p>, <option> <option>
            if target >= 0 and target == len(self.stack) - 1:
                self._pop()
            return
        walls = self.walls[wall_kind]
        if target >= 0 and target >= (walls[-1] if walls else -1):
            while len(self.stack) > target:
                self._pop()

    def _end_tag(self, name: str) -> None:
        if name in _HEADINGS:  # an </h3> closes an open <h2> too
            target = max((opened[-1] for heading in _HEADINGS if (opened := self.at.get(heading))), default=-1)
        else:
            opened = self.at.get(name)
            target = opened[-1] if opened else -1
        if target < 0:
            return
        top = -1
        for wall_kind in _END_TAG_WALLS.get(name, ("scope",) if name in _SPECIAL else ("special",)):
            walls = self.walls[wall_kind]
            if walls:
                top = max(top, walls[-1])
        if target >= top:  # the element itself may be a wall
            while len(self.stack) > target:
                self._pop()

    def _push(self, name: str, kind: int) -> None:
        position = len(self.stack)
        self.stack.append((name, kind))
        self.at.setdefault(name, []).append(position)
        for wall_kind, (names, text_points) in _WALL_KINDS.items():
            if name in names or (text_points and kind == _TEXT_POINT):
                self.walls[wall_kind].append(position)
        self.deepest = max(self.deepest, len(self.stack))

    def _pop(self) -> None:
        name, _ = self.stack.pop()
        self.at[name].pop()
        position = len(self.stack)
        for walls in self.walls.values():
            if walls and walls[-1] == position:
                walls.pop()


_HTML, _FOREIGN, _TEXT_POINT = 0, 1, 2
_COMMENT_END = re.compile("--!?>")
# A tag's name: HTML5 ends it at white space, "/" or ">" (not at a no-break space).
_TAG_NAME = re.compile(r"(/?)([A-Za-z][^\t\n\f\r />]*+)")
# The rest of a tag, its attributes read as HTML5 reads them (a quoted value may hold ">"; an unquoted one a "/"),
# and whether it ends in "/>". Possessive: each character is read once. No match: the tag, or a quoted value, runs
# to the end of the text.
_REST_OF_TAG = re.compile(
    r"""(?:[\t\n\f\r ]++|/(?!>)|[^\t\n\f\r />][^\t\n\f\r />=]*+(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+"""
    r"""(?:"[^"]*+(?:"|\Z)|'[^']*+(?:'|\Z)|[^\t\n\f\r >]*+))?)*+(/?)>"""
)
VOID_ELEMENTS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
)
# Elements whose content HTML5 (with scripting on, as the sanitiser parses) reads as text up to their end tag.
_RAW_TEXT_ELEMENTS = frozenset(
    ["script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"]
)
_RAW_TEXT_ENDS: dict[str, re.Pattern[str]] = {}


def _raw_text_end(name: str) -> re.Pattern[str]:
    """The end tag of the raw text element `name` (lower case): `</script` then white space, "/" or ">"."""
    if name not in _RAW_TEXT_ENDS:
        # ASCII case only, as HTML5 compares names: "</ſcript" is no script's end, though Unicode folds ſ to s.
        _RAW_TEXT_ENDS[name] = re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE | re.ASCII)
    return _RAW_TEXT_ENDS[name]


_FOREIGN_ROOTS = frozenset(["svg", "math"])
# Where SVG and MathML hold HTML again (HTML5's integration points).
_TEXT_POINTS = frozenset(["foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml"])
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# Start tags that end SVG or MathML content (HTML5 §13.2.6.5).
_LEAVE_FOREIGN = frozenset(
    [
        *("b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed"),
        *_HEADINGS,
        *("head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre", "ruby", "s"),
        *("small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var"),
    ]
)
# HTML5's special elements.
_SPECIAL = frozenset(
    [
        *("address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote", "body"),
        *("br", "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div", "dl", "dt"),
        *("embed", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset", *_HEADINGS, "head"),
        *("header", "hgroup", "hr", "html", "iframe", "img", "input", "keygen", "li", "link", "listing", "main"),
        *("marquee", "menu", "meta", "nav", "noembed", "noframes", "noscript", "object", "ol", "p", "param"),
        *("plaintext", "pre", "script", "search", "section", "select", "source", "style", "summary", "table"),
        *("tbody", "td", "template", "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr"),
        "xmp",
    ]
)
_SCOPE_BOUNDARIES = frozenset(["applet", "caption", "html", "table", "td", "th", "marquee", "object", "template"])
# The walls, by kind: the names that make one, and whether SVG's and MathML's text points do too.
_WALL_KINDS: dict[str, tuple[frozenset[str], bool]] = {
    "special": (_SPECIAL, True),  # past which an end tag for another element stops
    "scope": (_SCOPE_BOUNDARIES, True),  # past which no special element's end tag reaches
    "list": (frozenset(["ul", "ol"]), False),
    "button": (frozenset(["button"]), False),
    "table": (frozenset(["table", "template", "html"]), False),  # a table part's scope
    "item": (_SPECIAL - {"address", "div", "p"}, True),  # past which a <li>, <dd> or <dt> closes none
}
_TABLE_PARTS = frozenset(["caption", "colgroup", "col", "tbody", "thead", "tfoot", "tr", "td", "th"])
_IGNORED_IN_BODY = frozenset(["html", "body", "head", "frameset", "frame"])
# Start tags that close an open <p> (HTML5's "close a p element" in button scope).
_CLOSES_P = frozenset(
    [
        *("address", "article", "aside", "blockquote", "center", "details", "dialog", "dir", "div", "dl"),
        *("fieldset", "figcaption", "figure", "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p"),
        *("search", "section", "summary", "ul", *_HEADINGS, "pre", "listing", "form", "plaintext", "table", "hr"),
        *("xmp", "li", "dd", "dt"),
    ]
)
# End tags' walls where HTML5's differ from the default (special elements: "scope"; others: "special"). A </p>,
# </form> or heading's does not pass another special element: the start tag that HTML5 closes a <p> at may be
# missed, and `<p><div></p>` must not close the <div>.
_END_TAG_WALLS: dict[str, tuple[str, ...]] = {
    "li": ("scope", "list"),
    "p": ("special",),
    "form": ("special",),
    **{heading: ("special",) for heading in _HEADINGS},
    **{part: ("table",) for part in (*_TABLE_PARTS, "table")},
}
# What a start tag closes: the names of its kind, and the wall kind they may not be closed past (None: only the
# element right above, as <p> <p>).
_CLOSED_BY_KIN: dict[str, tuple[tuple[str, ...], str | None]] = {
    "li": (("li",), "item"),
    "dd": (("dd", "dt"), "item"),
    "dt": (("dd", "dt"), "item"),
    "td": (("td", "th"), "table"),
    "th": (("td", "th"), "table"),
    "tr": (("tr",), "table"),
    "tbody": (("tbody", "thead", "tfoot"), "table"),
    "thead": (("tbody", "thead", "tfoot"), "table"),
    "tfoot": (("tbody", "thead", "tfoot"), "table"),
    "option": (("option",), None),
}
