"""Liquid in a post's body as Jekyll renders it, through python-liquid: a real engine, sandboxed and bounded.

Jekyll renders a post's Liquid before its Markdown, with `site`, `page` and Jekyll's own tags and filters. A
hand-written subset dropped `{% capture %}`, `{% include %}` and `markdownify`, and a figure lost its caption
(issue #15). What a template may do here: read includes only from the site's includes folder (and, for
`include_relative`, from beside the post), never through `..`, an absolute path or a link out of the site; loop and
write only so much (python-liquid's limits), nest includes only so deep. Cross-references (`post_url`, `link`)
need other posts' URLs: a build resolves them to the URLs Jekyll writes, once every post is read; while one post is
read (for its excerpt), and for a target that is not a published post, the link keeps its text and loses its
target.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from io import StringIO
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

import regex
from liquid import Environment, Mode, Undefined
from liquid.ast import Node
from liquid.builtin.expressions import LoopExpression, StringLiteral
from liquid.builtin.tags.for_tag import ForNode, ForTag
from liquid.builtin.tags.tablerow_tag import TablerowNode, TablerowTag
from liquid.exceptions import LiquidError, LiquidSyntaxError, OutputStreamLimitError
from liquid.filter import with_context
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG

from feedpub.errors import PostError, PostOverBudget, one_line
from feedpub.read.jekyll.dates import ruby_local, ruby_time
from feedpub.read.jekyll.references import read_include, reference_keys
from feedpub.read.jekyll.titles import DEFAULT_QUOTES, RUBY_SPACES, ruby_downcase, ruby_split, smartify
from feedpub.read.jekyll.urls import slugify, transliterated
from feedpub.read.templates import XREF, code_block, unwrap_cross_references

if TYPE_CHECKING:
    from liquid.context import RenderContext
    from liquid.expression import Expression
    from liquid.stream import TokenStream
    from liquid.token import Token

__all__ = ["LiquidSite", "Unparsable", "render"]

_PARAMETER = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([\w.\[\]-]+))""")


class LiquidSite:
    """What a post's Liquid may see of the site: its folders, `site.*` values, `jekyll.*` and the Markdown renderer;
    `now`: the build's time (`site.time`, a date filter's "now"), None where no build gives one."""

    def __init__(
        self,
        source: Path,
        site: Mapping[str, Any],
        markdownify: Callable[[str], str],
        timezone: dt.tzinfo,
        quotes: tuple[str, str, str, str] = DEFAULT_QUOTES,
        symbols: tuple[tuple[str, str], ...] = (),
        includes: tuple[tuple[Path, Path], ...] | None = None,
        environment: str = "production",
        now: dt.datetime | None = None,
    ) -> None:
        self.source = source.resolve()
        self.quotes, self.symbols = quotes, symbols  # kramdown's smart_quotes and typographic_symbols: `smartify`'s
        # Jekyll's includes_load_paths, each with the folder its files may not lead out of: the site's includes_dir,
        # then a gem theme's _includes.
        own = self.source / "_includes"
        self.includes = ((own, own),) if includes is None else includes
        # Jekyll's site.time: when the build began, in the site's zone (Jekyll sets TZ to it).
        self.now = ruby_time(now.astimezone(timezone)) if now is not None else None
        self.site = {**site, "time": self.now} if self.now is not None else dict(site)
        self.jekyll = {"environment": environment}  # Jekyll's JekyllDrop (Site.jekyll_env)
        self.markdownify = markdownify
        self.timezone = timezone
        parts = urlsplit(str(site.get("url") or ""))
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""
        self.base_path = "/" + str(site.get("baseurl") or "").strip("/") if site.get("baseurl") else ""


class _Jekyll(Environment):
    # A post's Liquid runs for every build of every post: bounded so that no post holds a build.
    loop_iteration_limit = 10_000
    output_stream_limit = 4_000_000  # characters of output, a post's worth many times over
    context_depth_limit = 20  # includes within includes (a recursive include stops here)
    local_namespace_limit = 1_000_000


def render(
    site: LiquidSite, text: str, page: Mapping[str, Any], source: str, links: Mapping[str, str] | None = None
) -> str:
    """The body with its Liquid rendered; PostOverBudget when it goes past a limit.

    `links`: the site's posts by reference (JekyllRules.links), for `post_url` and `link`; without them those
    tags write XREF, and a link around one keeps only its text.

    A template python-liquid's strict parser refuses is rendered again as Jekyll's own Liquid does it, tolerantly
    (its lax mode: the tag or output it cannot read writes nothing, the rest renders); one it still cannot parse,
    or cannot render (an include within itself, which stops Jekyll), has its tags removed by the simple tokenizer
    instead (read/templates.py), so the post still reads as text.
    """
    if "{%" not in text and "{{" not in text:
        return text
    if (unreadable := _unreadable(text)) is not None:
        raise PostError(source, unreadable)
    # feedpub's own values under names no template can write (a ":" ends a Liquid name): `{{ _post_dir }}` printed
    # the post's path on the server.
    variables = {
        "site": site.site,
        "jekyll": site.jekyll,
        "page": dict(page),
        "feedpub:post_dir": source,
        "feedpub:links": links,
    }
    try:
        rendered = _rendered(_environment(site), text, variables, source)
    except LiquidSyntaxError:
        try:
            rendered = _rendered(_environment(site, tolerant=True), text, variables, source)
        except LiquidError as error:
            raise Unparsable(str(error)) from None
    except LiquidError as error:  # one Jekyll stops over too (an include within itself)
        raise Unparsable(str(error)) from None
    return unwrap_cross_references(rendered)


# Ruby Liquid 4's tokens (Jekyll 4.3's): a tag `{% name … %}`, an output `{{ … }}`, read as its tokenizer and
# BlockBody#parse read them (FullToken, ContentOfVariable).
_FULL_TAG = re.compile(r"\{%-?\s*(#|\w+)\s*.*?-?%\}", re.DOTALL)  # "#": Liquid 5's inline comment (Debian's Jekyll)
# Raw's own pattern for the token that may end it (FullTokenPossiblyInvalid): text, then the last "{%" a name
# follows, with no "-" between them (observed: `{%- endraw %}` leaves the block open).
_RAW_TOKEN = re.compile(r".*\{%\s*(\w+)\s*.*%\}", re.DOTALL)
_FULL_OUTPUT = re.compile(r"\{\{.*\}\}", re.DOTALL)
# Characters of one tag or output at most: python-liquid's lexer reads each in one C call, at about 230 bytes a
# character (a 4 MB output took 900 MB and 5 s, past any time limit). A real one is a line.
MAX_TAG_TEXT = 100_000


def _stops_jekyll(reason: str) -> str:
    return (
        f"Liquid syntax error: {reason}, which stops Jekyll's whole build; close it, or put the text between "
        "{% raw %} and {% endraw %}"
    )


def _unreadable(text: str) -> str | None:
    """Why `text` is not given to python-liquid, or None. What Jekyll's Liquid cannot read at all, as its tokenizer
    splits it: a `{%` with no `%}` after it or no tag name (`digest('%{%{User-Password}…` in a bash script's code
    block), or a `{{` whose output does not end in `}}` (`{{.Name`); or a tag or output past MAX_TAG_TEXT.
    `{% raw %}` text is left as it is. Read in one pass: each token ends at the first "%}" or "}" after it."""
    position, raw = 0, False
    next_tag = next_output = -1  # where each kind of opener is next, found again only once passed (searching
    # afresh for the kind that is not there, at each token, was quadratic: `{{a}}` × 25,000 took 11 s)
    while True:
        if next_tag < position:
            next_tag = text.find("{%", position)
            next_tag = len(text) if next_tag < 0 else next_tag
        if next_output < position:
            next_output = text.find("{{", position)
            next_output = len(text) if next_output < 0 else next_output
        tag = next_tag if next_tag < len(text) else -1
        output = -1 if raw or next_output >= len(text) else next_output
        if tag < 0 and output < 0:
            return _stops_jekyll("a 'raw' tag never closed by '{% endraw %}'") if raw else None
        if tag >= 0 and (output < 0 or tag < output):
            end = text.find("%}", tag + 2)
            if end < 0:
                never = "a 'raw' tag never closed by '{% endraw %}'" if raw else "a tag '{%' not terminated by '%}'"
                return _stops_jekyll(never)
            token, position = text[tag : end + 2], end + 2
            if raw:  # text to python-liquid's lexer too, whatever its length
                raw = (found := _RAW_TOKEN.fullmatch(token)) is None or found.group(1) != "endraw"
                continue
            named = _FULL_TAG.fullmatch(token)
            if named is None:
                return _stops_jekyll(f"the tag {token[:40]!r} not terminated properly")
            raw = named.group(1) == "raw"
        else:
            end = text.find("}", output + 2)
            if end < 0:
                return _stops_jekyll("an output '{{' not terminated by '}}'")
            end += 2 if text.startswith("}}", end) else 1
            token, position = text[output:end], end
            if not _FULL_OUTPUT.fullmatch(token):
                return _stops_jekyll(f"the output {token[:40]!r} not terminated by '}}}}'")
        if len(token) > MAX_TAG_TEXT:
            return (
                f"the Liquid {token[:20]!r}… is {len(token):,} characters long, past the {MAX_TAG_TEXT:,} feedpub "
                "reads in one tag or output; give its long text through the front matter (`{{ page.text }}`)"
            )


def _rendered(env: Environment, text: str, variables: dict[str, Any], source: str) -> str:
    """`text` rendered by `env`; PostOverBudget past a limit, LiquidError for Liquid it cannot parse or render."""
    try:
        return str(env.from_string(text, globals=variables).render())
    except LiquidError as error:
        if "limit" in type(error).__name__.lower():
            reason = one_line(str(error).splitlines()[0])  # python-liquid adds the template's lines below
            raise PostOverBudget(source, f"Liquid went past a limit ({reason}); simplify the template") from None
        raise


class Unparsable(ValueError):
    """Liquid python-liquid cannot parse (Jekyll would stop the build over it)."""


@functools.cache
def _environment(site: LiquidSite, tolerant: bool = False) -> Environment:
    # An unknown filter passes its input on, as Jekyll's Liquid does without `strict_filters` (its default): one
    # filter of a plugin the site has made every other tag of the post fail with it.
    env = _Jekyll(tolerance=Mode.LAX if tolerant else Mode.STRICT, strict_filters=False)
    for tag in (_IncludeTag, _IncludeRelativeTag, _CrossReferenceTag, _LinkTag, _HighlightTag, _ForTag, _TablerowTag):
        env.add_tag(tag)
    filters = _Filters(site)
    for name in (
        "relative_url",
        "absolute_url",
        "markdownify",
        "date_to_xmlschema",
        "date_to_rfc822",
        "date_to_string",
        "date_to_long_string",
        "xml_escape",
        "cgi_escape",
        "uri_escape",
        "slugify",
        "jsonify",
        "inspect",
        "where",
        "number_of_words",
        "array_to_sentence_string",
        "normalize_whitespace",
        "smartify",
        "to_integer",
        "date",
        "where_exp",
        "find_exp",
        "find",
        "group_by",
        "group_by_exp",
        "push",
        "pop",
        "shift",
        "unshift",
    ):
        env.add_filter(name, getattr(filters, name))
    for name, function in list(env.filters.items()):
        env.filters[name] = _bounded(function, _GROWTH.get(name))
    env.globals = {**env.globals, "feedpub:site": site}
    return env


# A filter's text, at most: the output stream's bound. Each filter's result is checked; those whose result can
# be many times their input are estimated first (`{{ a | replace: "a", a | replace: "a", a }}`, 4.5 KB of a post,
# built a 3.4 GB string inside one call, where no time limit can stop it).
MAX_FILTER_TEXT = _Jekyll.output_stream_limit
MAX_FILTER_ITEMS = 100_000  # items a filter may take (a range, an array): a post's worth many times over
MAX_DATE_FORMAT = 1_000  # characters of a `date` filter's format: a real one is a few dozen
MAX_DATE_WIDTH = 1_000  # characters a `date` directive may pad to (`%9N`, `%10Y`): a real width is a few


def _replaced_size(value: object, old: object = "", new: object = "", *_: object) -> int:
    text, old_text, new_text = str(value), str(old), str(new)
    uses = text.count(old_text) if old_text else len(text) + 1
    return len(text) + uses * max(len(new_text) - len(old_text), 0)


def _joined_size(value: object, separator: object = " ", *_: object) -> int:
    items = value if isinstance(value, list | tuple) else [value]
    return sum(len(str(item)) for item in items) + max(len(items) - 1, 0) * len(str(separator))


_GROWTH: dict[str, Callable[..., int]] = {
    "replace": _replaced_size,
    "join": _joined_size,
}


def _bounded(function: Callable[..., Any], estimate: Callable[..., int] | None) -> Callable[..., Any]:
    """`function`, refusing to make text past MAX_FILTER_TEXT: OutputStreamLimitError, which rejects the post."""

    def bounded(*args: Any, **kwargs: Any) -> Any:
        if any(isinstance(arg, range | list | tuple) and len(arg) > MAX_FILTER_ITEMS for arg in args):
            # `(1..300000000) | sort` built a list of 300M numbers in C, where no time limit can stop it.
            raise OutputStreamLimitError(f"a filter was given more than {MAX_FILTER_ITEMS:,} items", token=None)
        if estimate is not None and args and _safe_estimate(estimate, args) > MAX_FILTER_TEXT:
            raise OutputStreamLimitError(f"a filter would make text past {MAX_FILTER_TEXT:,} characters", token=None)
        result = function(*args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_FILTER_TEXT:
            raise OutputStreamLimitError(f"a filter made text past {MAX_FILTER_TEXT:,} characters", token=None)
        if isinstance(result, list | tuple | dict):
            # A list holds references: `parts | concat: parts` thirteen times made 16k references to two 131 KB
            # strings (131 KB of list), which `jsonify` or the output then wrote out in C (4 GB).
            if len(result) > MAX_FILTER_ITEMS:
                raise OutputStreamLimitError(f"a filter made more than {MAX_FILTER_ITEMS:,} items", token=None)
            if _text_within(result, MAX_FILTER_TEXT) < 0:
                raise OutputStreamLimitError(f"a filter made items of over {MAX_FILTER_TEXT:,} characters", token=None)
        return result

    functools.update_wrapper(bounded, function)  # python-liquid reads its flags (with_context…) off the function
    return bounded


def _text_within(value: object, budget: int, depth: int = 0) -> int:
    """What is left of `budget` (characters) once the text `value` holds is taken from it, nested values too;
    negative past it. Stops as soon as it is past: never longer than the budget's worth of items."""
    if isinstance(value, str):
        return budget - len(value)
    if depth > 50:
        return -1  # deeper than any data a post's Liquid makes
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list | tuple) else ()
    budget -= 2  # its brackets, and what a number or a name writes
    for item in items:
        budget = _text_within(item, budget - 2, depth + 1)
        if budget < 0:
            break
    return budget


def _safe_estimate(estimate: Callable[..., int], args: tuple[Any, ...]) -> int:
    try:
        return estimate(*args)
    except Exception:  # arguments the filter itself refuses: let it say so
        return 0


class _Filters:
    """Jekyll's filters (Jekyll::Filters, Jekyll::Filters::URLFilters) as the site's values make them."""

    def __init__(self, site: LiquidSite) -> None:
        self.site = site
        self._expressions: dict[str, Any] = {}  # the templates of where_exp's and group_by_exp's expressions

    # Jekyll's filters over arrays (Jekyll::Filters): an unknown filter passes its input on, and these passed a
    # whole list where the site's Liquid picked from it.

    @with_context
    def where_exp(self, value: object, variable: object, expression: object, *, context: RenderContext) -> list[Any]:
        return [item for item in _items(value) if self._holds(context, variable, expression, item)]

    @with_context
    def find_exp(self, value: object, variable: object, expression: object, *, context: RenderContext) -> object:
        return next((item for item in _items(value) if self._holds(context, variable, expression, item)), None)

    def find(self, value: object, key: object, expected: object) -> object:
        return next(iter(self.where(value, key, expected)), None)

    def group_by(self, value: object, key: object) -> list[dict[str, Any]] | object:
        if not isinstance(value, list | Mapping):
            return value
        name = _text(key)
        return _grouped((_text(item.get(name)) if isinstance(item, Mapping) else "", item) for item in _items(value))

    @with_context
    def group_by_exp(
        self, value: object, variable: object, expression: object, *, context: RenderContext
    ) -> list[dict[str, Any]] | object:
        if not isinstance(value, list | Mapping):
            return value
        return _grouped((self._evaluated(context, variable, expression, item), item) for item in _items(value))

    def push(self, value: object, item: object) -> list[Any]:
        return [*_items(value), item]

    def pop(self, value: object, count: object = 1) -> list[Any]:
        items = _items(value)
        return items[: max(len(items) - self.to_integer(count), 0)]

    def shift(self, value: object, count: object = 1) -> list[Any]:
        return _items(value)[max(self.to_integer(count), 0) :]

    def unshift(self, value: object, item: object) -> list[Any]:
        return [item, *_items(value)]

    def _holds(self, context: RenderContext, variable: object, expression: object, item: object) -> bool:
        """Whether Liquid's condition `expression` holds with `variable` set to `item` (the rest of the scope as
        it is), as Jekyll's parse_condition evaluates it."""
        return self._render(context, "{% if " + _text(expression) + " %}1{% endif %}", variable, item) == "1"

    def _evaluated(self, context: RenderContext, variable: object, expression: object, item: object) -> str:
        return self._render(context, "{{ " + _text(expression) + " }}", variable, item)

    def _render(self, context: RenderContext, source: str, variable: object, item: object) -> str:
        if (template := self._expressions.get(source)) is None:
            template = self._expressions[source] = context.env.from_string(source)
        return str(template.render({**dict(context.scope), _text(variable): item}))

    def relative_url(self, value: object) -> str:
        text = _text(value)
        # Absolute URLs pass through; paths get baseurl in front, with one "/" between.
        if urlsplit(text).scheme or text.startswith("//"):
            return text
        return self.site.base_path + "/" + text.lstrip("/")

    def absolute_url(self, value: object) -> str:
        text = _text(value)
        if urlsplit(text).scheme or text.startswith("//"):
            return text
        return self.site.origin + self.relative_url(text)

    def markdownify(self, value: object) -> str:
        return self.site.markdownify(_text(value))

    def _date(self, value: object) -> dt.datetime | None:
        if isinstance(value, str) and value.lower() in ("now", "today"):
            return self.site.now  # Liquid's to_date: the clock, here the build's time
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime(value.year, value.month, value.day)
        else:
            try:
                moment = dt.datetime.fromisoformat(_text(value).strip())
            except ValueError:
                return None
        return moment if moment.tzinfo else ruby_local(moment, self.site.timezone)

    def date_to_xmlschema(self, value: object) -> str:
        moment = self._date(value)
        return moment.isoformat(timespec="seconds") if moment else _text(value)  # Ruby's xmlschema: no fraction

    def date_to_rfc822(self, value: object) -> str:
        moment = self._date(value)
        return moment.strftime("%a, %d %b %Y %H:%M:%S %z") if moment else _text(value)

    def date_to_string(self, value: object, kind: object = None, style: object = None) -> str:
        return self._date_string(value, "%b", kind, style)

    def date_to_long_string(self, value: object, kind: object = None, style: object = None) -> str:
        return self._date_string(value, "%B", kind, style)

    def _date_string(self, value: object, month: str, kind: object, style: object) -> str:
        """Jekyll's stringify_date: "02 Jan 2024", or with "ordinal" "2nd Jan 2024" ("Jan 2nd, 2024" in "US")."""
        moment = self._date(value)
        if moment is None:
            return _text(value)
        if _text(kind) != "ordinal":
            return moment.strftime(f"%d {month} %Y")
        day = moment.day
        suffix = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        if _text(style) == "US":
            return moment.strftime(f"{month} {day}{suffix}, %Y")
        return moment.strftime(f"{day}{suffix} {month} %Y")

    def date(self, value: object, form: object = None) -> str:
        """Liquid's `date`, with `%s` the seconds since the epoch of the moment itself: strftime's own reads the
        clock time as the machine's local time (observed: 9 hours late for a Seoul post on a UTC machine); and
        with Ruby's directives C's strftime has not (`%L`, `%N`, `%:z`: they were printed as written)."""
        from liquid.builtin.filters.misc import date as liquid_date

        text = _text(form)
        if not text:
            return _text(value)  # Ruby's Liquid: no format, the input as it is
        if len(text) > MAX_DATE_FORMAT:
            # Python's strftime grows its buffer up to 256 wide characters for each of the format's, in one C call
            # (a 1 MB format of "%99999Y" took 1.1 GB): bounded before it, by the format's length, which bounds the
            # directives that expand.
            raise OutputStreamLimitError(f"a date format of more than {MAX_DATE_FORMAT:,} characters", token=None)
        if (wide := _too_wide_directive(text)) is not None:
            # A width's characters are made before any limit can look at them, in one call no time limit stops
            # ("%999999999N": 85 s, 11.7 GB). Ruby pads up to a few million and stops the build past that (or past
            # 2**31, writes the directive as it is): refused here far above any real width, whatever its size.
            raise OutputStreamLimitError(
                f"the date directive {wide} pads to more than {MAX_DATE_WIDTH:,} characters", token=None
            )
        # A date, or a text Python reads as one, in the site's time zone (Jekyll sets TZ to it): "2024-03-01 10:00"
        # is 10:00 +0900 on a Seoul site; "now" the build's time. Other texts ("March 1") are Liquid's to read.
        moment = self._date(value) if isinstance(value, dt.date | str) else None
        if moment is not None and _RUBY_ONLY_DIRECTIVE.search(text):
            text = _RUBY_ONLY_DIRECTIVE.sub(functools.partial(_ruby_directive, moment), text)
        try:
            return str(liquid_date(moment or value, text, environment=_DATE_ENVIRONMENT))
        except (ValueError, OverflowError, OSError):
            # A moment past the year 9999 (`99999999999999 | date: "%Y"`), which Ruby writes and Python cannot
            # hold: the input as it is, as Liquid gives what it cannot read (the post was rejected, "unexpected
            # error"; Jekyll writes "3170843").
            return _text(value)

    def smartify(self, value: object) -> str:
        return smartify(_text(value), self.site.quotes, self.site.symbols)

    def to_integer(self, value: object) -> int:
        """Ruby's to_i, as Jekyll's to_integer: true 1, false 0, a number truncated, a text's leading integer."""
        if value is True or value is False:
            return int(value)
        if isinstance(value, int | float):
            return int(value)
        found = _LEADING_INTEGER.match(_text(value))
        return int(found.group(1).replace("_", "")) if found else 0

    def xml_escape(self, value: object) -> str:
        return html.escape(_text(value))

    def cgi_escape(self, value: object) -> str:
        return quote(_text(value), safe="").replace("%20", "+")

    def uri_escape(self, value: object) -> str:
        return quote(_text(value), safe="!#$&'()*+,/:;=?@[]~")

    def slugify(self, value: object, mode: object = "default") -> str:
        """Jekyll's slugify in its modes; a mode it does not know (or "none") only lower-cases the text."""
        text, name = _text(value), _text(mode) or "default"
        if name in ("default", "pretty", "latin"):
            # latin: Latin letters with marks made ASCII first (I18n.transliterate), then default's slug.
            return (
                slugify(transliterated(text))
                if name == "latin"
                else slugify(text, "pretty" if name == "pretty" else "default")
            )
        if name in ("raw", "ascii"):
            runs = rf"[{RUBY_SPACES}]+" if name == "raw" else r"[^A-Za-z0-9]+"
            return ruby_downcase(re.sub(r"^-|-$", "", re.sub(runs, "-", text)))
        return ruby_downcase(text)

    def inspect(self, value: object) -> str:
        """Jekyll's inspect: Ruby's inspect of the value, escaped for XML (an undefined variable is nil)."""
        from feedpub.read.jekyll.posts import ruby_inspect

        return self.xml_escape(ruby_inspect(None if isinstance(value, Undefined) else value))

    def jsonify(self, value: object) -> str:
        return json.dumps(value, ensure_ascii=False, default=str, separators=(",", ":"))

    def where(self, value: object, key: object, expected: object) -> list[Any]:
        return [
            item
            for item in _items(value)
            if isinstance(item, Mapping) and _text(item.get(_text(key))) == _text(expected)
        ]

    def number_of_words(self, value: object, mode: object = None) -> int:
        """Jekyll's word count: Ruby's split on white space, or with "cjk" (and "auto" when a text has any) each
        Han, kana or Hangul character a word, and each run of other characters between spaces one."""
        text = _text(value)
        if _text(mode) in ("cjk", "auto"):
            characters = len(_CJK.findall(text))
            if characters or _text(mode) == "cjk":
                return characters + len(_NOT_CJK_WORD.findall(text))
        return len(ruby_split(text))

    def array_to_sentence_string(self, value: object, connector: object = "and") -> str:
        items = [_text(item) for item in value] if isinstance(value, list) else [_text(value)]
        if len(items) <= 2:
            return f" {_text(connector)} ".join(items)
        return ", ".join(items[:-1]) + f", {_text(connector)} " + items[-1]

    def normalize_whitespace(self, value: object) -> str:
        return " ".join(_text(value).split())


_LEADING_INTEGER = re.compile(rf"[{RUBY_SPACES}]*([+-]?\d+(?:_\d+)*)")
# Jekyll's number_of_words in its "cjk" mode: \p{Han}\p{Katakana}\p{Hiragana}\p{Hangul}, and runs of neither them
# nor Ruby's white space.
_CJK_CHARACTERS = r"\p{Han}\p{Katakana}\p{Hiragana}\p{Hangul}"
_CJK = regex.compile(f"[{_CJK_CHARACTERS}]")
_NOT_CJK_WORD = regex.compile(f"[^{_CJK_CHARACTERS}{RUBY_SPACES}]+")
_DATE_ENVIRONMENT = Environment()  # the built-in `date` reads only its autoescape
# Ruby's strftime directives that C's has not, or reads otherwise (`%s`, in the machine's zone), and `%%`, so that
# "%%L" stays "%L": seconds since the epoch; milliseconds (`%L`) and nanoseconds (`%N`), or as many digits as a
# width asks (`%6N`); the offset with a colon (`%:z`), and seconds too (`%::z`).
_RUBY_ONLY_DIRECTIVE = re.compile(r"%(?:%|s|([0-9]*)([LN])|(:{1,2})z)")
# A directive's width, after Ruby's flags (C's are among them); "%%" read first, so that "%%99999Y" has none.
_DIRECTIVE_WIDTH = re.compile(r"%(?:%|[-_0^#:]*([0-9]+))")


def _too_wide_directive(form: str) -> str | None:
    """The first directive of `form` whose width is past MAX_DATE_WIDTH, as written (its digits shortened)."""
    for found in _DIRECTIVE_WIDTH.finditer(form):
        if found.group(1) and int(found.group(1)) > MAX_DATE_WIDTH:
            written = form[found.start() : found.end() + 1]
            return repr(written if len(written) <= 24 else f"{written[:12]}…{written[-4:]}")
    return None


def _ruby_directive(moment: dt.datetime, found: re.Match[str]) -> str:
    """What Ruby's strftime writes for one of _RUBY_ONLY_DIRECTIVE's directives of `moment`; none holds a "%"."""
    directive = found.group()
    if directive == "%%":
        return "%%"
    if directive == "%s":
        return str(int(moment.timestamp()))
    if found.group(2):
        # Digits of the fraction, cut (not rounded) where the width ends; past microseconds, zeros.
        digits = int(found.group(1) or (3 if found.group(2) == "L" else 9))
        return f"{moment.microsecond:06d}{'0' * max(digits - 6, 0)}"[:digits]
    offset = moment.utcoffset() or dt.timedelta()
    sign = "-" if offset < dt.timedelta() else "+"
    minutes, seconds = divmod(int(abs(offset).total_seconds()), 60)
    text = f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"
    return text + f":{seconds:02d}" if len(found.group(3)) == 2 else text


def _items(value: object) -> list[Any]:
    """An array filter's input as Jekyll takes it: a hash's values, an array's items, nothing else."""
    return list(value.values()) if isinstance(value, Mapping) else list(value) if isinstance(value, list) else []


def _grouped(pairs: Iterable[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Jekyll's grouped_array: a group a name, in the order names first appear, with its items and their count."""
    groups: dict[str, list[Any]] = {}
    for name, item in pairs:
        groups.setdefault(name, []).append(item)
    return [{"name": name, "items": items, "size": len(items)} for name, items in groups.items()]


def _text(value: object) -> str:
    if value is None or type(value).__name__.endswith("Undefined"):
        return ""
    return str(value)


class _TextNode(Node):
    """A tag that writes what a function of its argument text and the render context gives."""

    __slots__ = ("argument", "write")

    def __init__(self, token: Token, argument: str, write: Callable[[str, RenderContext], str]) -> None:
        super().__init__(token)
        self.argument = argument
        self.write = write

    def __str__(self) -> str:
        return f"{{% {self.token.value} {self.argument} %}}"

    def render_to_output(self, context: RenderContext, buffer: Any) -> int:
        return int(buffer.write(self.write(self.argument, context)))


def _argument(stream: TokenStream) -> tuple[Token, str]:
    """The tag's token and its argument text, the stream left on the tag's last token (the parser moves on)."""
    token = stream.current
    if stream.peek.kind != TOKEN_EXPRESSION:
        return token, ""
    next(stream)
    return token, stream.current.value.strip()


def _cross_reference(tag: str, argument: str, context: RenderContext) -> str:
    """The URL Jekyll writes for `{% post_url argument %}` or `{% link argument %}`, when it is one of the posts;
    else XREF (the link around it keeps its text)."""
    links = context.resolve("feedpub:links")
    if not isinstance(links, Mapping):
        return XREF  # reading: the other posts are not known yet
    for key in reference_keys(tag, argument):
        if isinstance(url := links.get(key), str):
            return url
    return XREF


def _site_of(context: RenderContext) -> LiquidSite:
    site = context.env.globals["feedpub:site"]
    assert isinstance(site, LiquidSite)
    return site


def _render_include(folders: Iterable[tuple[Path, Path]], argument: str, context: RenderContext) -> str:
    """Jekyll's `{% include name k="v" k2=variable %}`: the file rendered with `include.k` set, from the first of
    `folders` (each with the folder its files may not lead out of) that has it."""
    if "{{" in argument:  # a name made by Liquid: `{% include {{ page.kind }}.html %}`
        rendered = StringIO()
        context.env.from_string(argument).render_with_context(context, rendered, partial=True)
        argument = rendered.getvalue().strip()
    name, _, rest = argument.partition(" ")
    source = next((text for root, folder in folders if (text := read_include(root, folder, name)) is not None), None)
    if source is None:
        return ""
    parameters: dict[str, object] = {}
    for key, double, single, variable in _PARAMETER.findall(rest):
        if variable:
            parameters[key] = _lookup(context, variable)
        else:
            parameters[key] = double or single
    template = context.env.from_string(source)
    buffer = StringIO()
    with context.extend({"include": parameters}, template=template):
        template.render_with_context(context, buffer, partial=True)
    return buffer.getvalue()


# What Jekyll's include tag gives an unquoted parameter: `context[word]`, which Ruby Liquid's Expression.parse reads
# as a literal before it reads it as a variable (`width=600 zoomable=true` were looked up as variables, and nil).
_LITERALS: dict[str, object] = {"nil": None, "null": None, "true": True, "false": False, "blank": "", "empty": ""}
_INTEGER = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?\d[\d.]+")
_FLOAT_PREFIX = re.compile(r"-?\d+(?:\.\d+)?")  # Ruby's to_f reads the number it starts with: "1.2.3" is 1.2


def _lookup(context: RenderContext, path: str) -> object:
    if _INTEGER.fullmatch(path):
        # Ruby's integers have no end; Python's int() takes 4,300 digits (past them, the number's own digits).
        return int(path) if len(path) <= 4_000 else path
    if _FLOAT.fullmatch(path) and (number := _FLOAT_PREFIX.match(path)):
        return float(number.group())
    if path in _LITERALS:
        return _LITERALS[path]
    value: object = context.resolve(path.split(".")[0])
    for part in path.split(".")[1:]:
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


class _IncludeTag(Tag):
    name = "include"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, argument = _argument(stream)
        return _TextNode(token, argument, lambda a, c: _render_include(_site_of(c).includes, a, c))


class _IncludeRelativeTag(Tag):
    name = "include_relative"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, argument = _argument(stream)

        def write(argument: str, context: RenderContext) -> str:
            folder = Path(str(context.resolve("feedpub:post_dir"))).resolve().parent
            return _render_include(((_site_of(context).source, folder),), argument, context)

        return _TextNode(token, argument, write)


class _CrossReferenceTag(Tag):
    name = "post_url"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token, argument = _argument(stream)
        return _TextNode(token, argument, functools.partial(_cross_reference, self.name))


class _LinkTag(_CrossReferenceTag):
    name = "link"


class _HighlightNode(Node):
    __slots__ = ("argument", "block")

    def __init__(self, token: Token, argument: str, block: Any) -> None:
        super().__init__(token)
        self.argument = argument
        self.block = block

    def __str__(self) -> str:
        return f"{{% highlight {self.argument} %}}"

    def render_to_output(self, context: RenderContext, buffer: Any) -> int:
        inner = StringIO()
        self.block.render(context, inner)
        words = self.argument.split()
        return int(buffer.write(code_block(words[0] if words else "", inner.getvalue(), numbered="linenos" in words)))


class _HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"

    def parse(self, stream: TokenStream) -> Node:
        from liquid.parser import get_parser

        token, argument = _argument(stream)
        next(stream)
        block = get_parser(self.env).parse_block(stream, (self.end,))
        stream.expect(TOKEN_TAG, value=self.end)
        return _HighlightNode(token, argument, block)


class _Loop(LoopExpression):
    """`x in items offset:… limit:… reversed` of `for` and `tablerow`, cut as Ruby Liquid's slice_collection cuts it
    (the items from `offset` up to `offset + limit`, clamped to the items there are), without walking what it skips.

    python-liquid skipped an offset with itertools.islice, in one C call no time limit can stop
    (`(1..100000000000000) offset:1600000000 limit:1` held the build 54 s). A range is cut, and reversed, as a
    range, its length known without making it; other items are already in memory, and are no longer than it."""

    __slots__ = ()

    @classmethod
    def of(cls, loop: LoopExpression) -> _Loop:
        return cls(
            loop.token,
            loop.identifier,
            loop.iterable,
            limit=loop.limit,
            offset=loop.offset,
            reversed_=loop.reversed,
            cols=loop.cols,
        )

    def evaluate(self, context: RenderContext) -> tuple[Iterator[object], int]:
        collection = self.iterable.evaluate(context)
        items, length = self._to_iter(collection, context)  # refuses a range longer than Python counts
        key = f"{self.identifier}-{self.iterable}"
        start = context.stopindex(key) if self._continues() else self._number(self.offset, context) or 0
        limit = self._number(self.limit, context)
        # Ruby's `to` is offset + limit: a limit of 0 or below gives nothing (python-liquid gave every item for 0,
        # and stopped on a ValueError below it); an offset below 0 starts at the first item.
        first = min(max(start, 0), length)
        count = max(min(length if limit is None else start + limit, length) - first, 0)
        context.stopindex(key=key, index=start + count)  # where `offset:continue` goes on: Ruby's from + count
        if isinstance(collection, range):  # python-liquid listed a reversed range before the loop limit saw it
            numbers = collection[first : first + count]
            return iter(numbers[::-1] if self.reversed else numbers), count
        cut = islice(items, first, first + count)
        return (reversed(list(cut)) if self.reversed else cut), count

    async def evaluate_async(self, context: RenderContext) -> tuple[Iterator[object], int]:
        return self.evaluate(context)  # a post's values are all there: nothing to wait for

    def _continues(self) -> bool:
        return isinstance(self.offset, StringLiteral) and self.offset.value == "continue"  # as python-liquid parses it

    def _number(self, expression: Expression | None, context: RenderContext) -> int | None:
        """The offset's or limit's number; None for none, nil or a name that holds nothing (Ruby Liquid's nil: no
        limit, offset 0; python-liquid refused nil and read an undefined limit as 0, every item or none)."""
        if expression is None:
            return None
        value = expression.evaluate(context)
        return None if value is None or isinstance(value, Undefined) else self._to_int(value, token=expression.token)


class _ForTag(ForTag):
    def parse(self, stream: TokenStream) -> Node:
        node = super().parse(stream)
        assert isinstance(node, ForNode)
        node.expression = _Loop.of(node.expression)
        return node


class _TablerowTag(TablerowTag):
    def parse(self, stream: TokenStream) -> TablerowNode:
        node = super().parse(stream)
        node.expression = _Loop.of(node.expression)
        return node
