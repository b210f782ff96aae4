"""One file of a Jekyll site's `_posts` (or `_drafts`) folder read as Jekyll publishes it (notes §1-§7).

Apart from the rules (read/jekyll/__init__.py), which every run loads to key its cache: only a run that reads a
post imports what reading needs.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import os
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from feedpub.errors import PostError
from feedpub.models import Excerpts, ImageMemo, NotAPost, Post, ReadSettings, page_fingerprint
from feedpub.plain_files import bounded_walk
from feedpub.read import markup
from feedpub.read.config_files import within
from feedpub.read.files import decode, read_file
from feedpub.read.front_matter import as_language_tag, as_text, plain_text, split
from feedpub.read.jekyll import references
from feedpub.read.jekyll.dates import filename_date, jekyll_date
from feedpub.read.jekyll.site import (
    SiteConfig,
    deep_merge,
    defaults_for,
    includes_post_entry,
    is_excluded,
    read_site,
)
from feedpub.read.jekyll.titles import RUBY_SPACES, feed_title, ruby_split
from feedpub.read.jekyll.urls import (
    MAX_FILLED_PERMALINK,
    PermalinkTooLong,
    Placeholders,
    absolute_id,
    chirpy_media_path,
    decode_escaped_utf8,
    fill_permalink,
    post_id,
)
from feedpub.read.plain import IMAGE_KEYS
from feedpub.read.post import Placed, make_post
from feedpub.read.templates import BodyHtml
from feedpub.state.stamps import clock_stamp, file_stamp
from feedpub.urls import percent_encoded, to_uri

# Jekyll's DATE_FILENAME_MATCHER on the file name: a date of 2-4, 1-2, 1-2 digits, a slug, an extension (§1). As
# Ruby reads it, searched, not matched: its ^ and $ are a line's ends, and [^/] takes a line break (Jekyll 4.3.1
# publishes "2024-03-01-new\nline.md" at /2024/03/01/new-line.html, and "x\n2024-03-02-b.md" dated 2024-03-02).
# re.ASCII: Ruby's \d is 0-9 only; Python's took "٢٠٢٤-٠١-٠١-x.md", a post Jekyll never writes (a 404 in the feeds).
_POST_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$", re.MULTILINE | re.ASCII)
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)  # a `due` before any build: published at once
_DRAFT_NAME = re.compile(r"^(.*)(\.[^.]+)$", re.MULTILINE)  # DATELESS_FILENAME_MATCHER, as Ruby reads it too


def read_post(
    site: SiteConfig,
    ids: Literal["jekyll-feed", "url"],
    settings: ReadSettings,
    path: str,
    posts_dir: Path,
    images: ImageMemo,
    keep_rendered: Callable[[Post, str], None] | None,
    excerpts: Excerpts | None = None,
    now: datetime | None = None,
) -> Post | None:
    """Read one file of a _posts (or _drafts) folder as Jekyll would, for a build at `now`; None when Jekyll does not
    publish it, NotAPost when Jekyll does not read it as a post."""
    name = os.path.basename(path)
    draft = posts_dir.name == "_drafts"
    parts = _name_parts(name, draft)
    # Names the entry filter skips, and files that are not posts: Jekyll passes them over silently (§1). The
    # filter looks at the path below _posts and at the file's name: `#scratch/x.md` is skipped, and so is `x.md~`.
    entry = _below(path, posts_dir)
    skipped_name = entry.startswith(("#", "~")) or name.startswith(("#", "~")) or name.endswith("~")
    if parts is None or (skipped_name and not includes_post_entry(site, entry)):
        raise NotAPost
    name_date, file_slug, ext = parts
    relative = _below(path, site.root)
    from_source = _below(path, site.source)
    if is_excluded(site, from_source):
        raise NotAPost
    raw = read_file(path, posts_dir, settings.posts.max_bytes, links_within=settings.posts.links_within)
    text = decode(path, raw)
    front, body = split(path, text, "psych")
    defaults, data = page_data(site, path, front)
    # Only Ruby's false and nil are false: `published: 0` publishes.
    if "published" in data and (data["published"] is False or data["published"] is None) and not site.unpublished:
        return None
    front_text = text[: len(text) - len(body)]
    published = _date(site, path, data, front_text, name_date)
    categories = _categories(path, relative, posts_dir.name, (defaults, front), data)
    markdown = ext.lower() in site.markdown_extensions
    slug = _slug(data, file_slug)
    permalink = data.get("permalink")
    template = _as_written(permalink) if permalink else site.permalink
    if (
        _is_set(data.get("slug"))
        and not isinstance(data["slug"], str)
        and (":title" in template or ":slug" in template)
    ):
        # Jekyll slugifies it for those placeholders, and its whole build stops (observed: "undefined method `gsub'
        # for 2024:Integer").
        raise PostError(path, f"slug {_as_written(data['slug'])} is no text, which stops Jekyll's build; quote it")
    values = Placeholders(
        when=published,
        slug=slug,
        name=os.path.splitext(name)[0],
        categories=categories,
        # Markdown becomes .html; .html stays .html, and any other extension is kept (§4).
        output_ext=".html" if markdown else ext,
        path=_cleaned_path(from_source, site) if ":path" in template else "",
        collection="posts",
    )
    try:
        url_path = fill_permalink(template, values)
    except KeyError as unknown:
        raise PostError(
            path, f"permalink {template!r} has an unknown placeholder :{unknown.args[0]} (Jekyll stops the build)"
        ) from None
    except PermalinkTooLong:
        raise PostError(
            path, f"permalink {template[:80]!r} gives a URL of over {MAX_FILLED_PERMALINK:,} characters; shorten it"
        ) from None
    # Literal text of the permalink is Jekyll's as written (a "%" or a space in it too): encoded as a browser asks
    # for the file Jekyll writes, without normalising a byte of it; a "#" or "?" there is a character of the file's
    # path (Jekyll writes `what?x=1#frag.html`), %23 in Jekyll's links (observed), not a fragment or a query.
    uri = to_uri(settings.url).rstrip("/") + percent_encoded(url_path).replace("#", "%23").replace("?", "%3F")
    liquid = settings.posts.templates != "none"
    linked = references.references(body) if liquid else ()
    included, held = references.included_files(body, path, site.source) if liquid else ((), "")
    unfound = references.unfound_includes(body, site) if liquid else ()
    smarty = site.kramdown.smart_quotes, site.kramdown.typographic_symbols
    post = make_post(
        settings,
        path,
        raw,
        text,
        data,  # front matter over the defaults: `sitemap: false` or an image may come from either
        body,
        Placed(
            url=_iri(uri),
            uri=uri,  # Jekyll's own encoding, kept as it is: no normalisation may change a byte of it
            # As jekyll-feed writes it: smartified (curly quotes, dashes), its markup stripped.
            # A title of nil or false (`title: nO`) is replaced by the file's, as Ruby's `||=` replaces them.
            title=(_is_set(data.get("title")) and feed_title(as_text(_title_text(data["title"])), *smarty))
            or feed_title(_titleize(file_slug), *smarty),
            published=published,
            updated=_updated(path, data, front_text, site.timezone),
            # jekyll-feed writes `category` alone where a post sets it, else the categories.
            categories=_terms([data["category"]]) if _is_set(data.get("category")) else categories,
            tags=_tags(data),
            bundle=None,
            body_format="markdown" if markdown else "html",
            # Jekyll cuts its excerpt from the file's text as written: Windows line ends have no "\n\n".
            summary=functools.partial(_excerpt, data, _as_written_lines(body, raw), _excerpt_separator(data, site)),
            summary_whole=True,  # jekyll-feed writes it whole: `post_summary | strip_html | normalize_whitespace`
            # Jekyll's `future: true` publishes a post dated after the build at once; without it, it waits.
            due=_EPOCH if site.future else None,
            feed_id=absolute_id(site.feed_base or settings.url.rstrip("/"), post_id(url_path, slug))
            if ids == "jekyll-feed"
            else "",
            references=linked,
            author=_feed_author(data, site.authors_json, site.variables_json),
            lang=as_language_tag(data.get("lang")),  # jekyll-feed's entry xml:lang
            # jekyll-feed: `post.feed.excerpt_only | default: site.feed.excerpt_only`; Liquid's `default` takes a
            # false as unset, so only a post's true (any value Ruby holds true) says more than the site.
            excerpt_only=True if _excerpt_only(data.get("feed")) else None,
            # jekyll-feed lists posts `where_exp: "post.draft != true"`; Jekyll still writes the page, and
            # jekyll-sitemap lists it.
            in_feeds=data.get("draft") is not True or site.show_drafts,
            # jekyllrb.com's `defaults` give every post the site's logo as `image`: jekyll-feed shows it beside
            # each entry (media:thumbnail), and it would lead each entry's content as if it were the post's own.
            site_wide_keys=frozenset(key for key in IMAGE_KEYS if key in defaults and key not in front),
            media_path=_media_path(data, site),
        ),
        images,
        # A body naming other posts is rendered again when a feed shows it, with their URLs (see `links`).
        None if linked else keep_rendered,
        excerpts,
    )
    if included:
        post = dataclasses.replace(post, dependencies=included, fingerprint=page_fingerprint(post, held))
    if linked_files := references.linked_files(linked, site.source):
        post = dataclasses.replace(post, dependencies=post.dependencies + linked_files)
    if unfound:
        # Each as the absent file of the site's includes folder it would be: the build names them (JekyllRules.
        # warnings_of), from cached readings too.
        stamps = (file_stamp(str(site.includes / name)) for name in unfound)
        post = dataclasses.replace(post, dependencies=(*post.dependencies, *stamps))
    if liquid and now is not None and references.shows_time(body, site, path):
        post = dataclasses.replace(post, dependencies=(*post.dependencies, clock_stamp(now)))
    return post


def _feed_author(data: Mapping[str, Any], authors_json: str, variables_json: str) -> object:
    """The author jekyll-feed gives a post's entry: its `author`, else the first of its `authors`, else the site's,
    replaced by the entry of `site.data.authors` it names. None for the site's author when it names no entry there:
    the feed's own author, made of it, stands for it (RFC 4287 §4.2.1)."""
    author = data.get("author")
    if _blank(author):  # Liquid's `default` filter: nil, false and empty values fall through
        authors = data.get("authors")
        author = authors[0] if isinstance(authors, list) and authors else None
    known = _site_authors(authors_json)
    if _blank(author):
        # The site's author: a key of the data file gives every entry that entry (the feed's own author is the key
        # as written: jekyll-feed looks it up only for entries).
        site_author = _site_author(variables_json)
        return known[site_author] if isinstance(site_author, str) and site_author in known else None
    return known.get(author, author) if isinstance(author, str) else author


def _blank(value: object) -> bool:
    return value is None or value is False or value == "" or value == [] or value == {}


@functools.cache
def _site_authors(authors_json: str) -> dict[str, Any]:
    return dict(json.loads(authors_json))


@functools.cache
def _site_author(variables_json: str) -> object:
    """_config.yml's `author` (site.author)."""
    variables = json.loads(variables_json)
    return variables.get("author") if isinstance(variables, dict) else None


def _date(site: SiteConfig, path: str, data: Mapping[str, Any], front_text: str, name_date: str | None) -> datetime:
    """Front matter `date` (§2), else the file name's date at midnight, else (a draft) the file's time."""
    tz = site.timezone
    value = data.get("date")
    if value is not None and value != "":
        moment = jekyll_date(value, tz, quoted=_quoted("date", front_text))
        if moment is None:
            raise PostError(
                path,
                f"front matter 'date' is not a date Jekyll reads (got {as_text(value)!r}; Jekyll stops the "
                "build); use YYYY-MM-DD or YYYY-MM-DD HH:MM:SS +0900",
            )
        return moment.astimezone(tz)
    if name_date is not None:
        moment = filename_date(name_date, tz)
        if moment is None:
            raise PostError(path, f"file name starts with an impossible date {name_date}; fix its prefix")
        return moment
    return datetime.fromtimestamp(int(os.stat(path).st_mtime), tz)  # whole seconds, as Jekyll writes it


def post_extensions(source: Path) -> tuple[str, ...]:
    """The extensions (lower-cased) of the files named like posts under the site's _posts folders."""
    found: set[str] = set()
    for folder in read_site(source, ZoneInfo("UTC")).posts_dirs:
        if not within(source, folder):
            continue  # a link out of the site: never read (the scan rejects it)
        for _, _, names in bounded_walk(folder):
            found.update(match.group(3).lower() for name in names if (match := _POST_NAME.search(name)))
    return tuple(sorted(found))


def liquid_names(page_url: str, path: str, posts_dir: Path, data: Mapping[str, Any]) -> dict[str, str]:
    """Jekyll's `page.slug`, `page.name`, `page.ext`, `page.id` and `page.collection` of the post at `path` (its
    URL without the site's, `data`: its front matter over its defaults), as a post's Liquid sees them (observed:
    an image at `/assets/{{ page.slug }}/x.png` is a file of the site)."""
    name = os.path.basename(path)
    parts = _name_parts(name, posts_dir.name == "_drafts")
    file_slug, ext = (parts[1], parts[2]) if parts else os.path.splitext(name)
    slug = _slug(data, file_slug)
    return {"slug": slug, "name": name, "ext": ext, "id": post_id(page_url, slug), "collection": "posts"}


def _slug(data: Mapping[str, Any], file_slug: str) -> str:
    """Jekyll's `page.slug`: front matter's, else (nil or false: Ruby's `||=`) the file name's. Each as written, white
    space too: Jekyll's post id holds the slug's, its URL the permalink's."""
    return _as_written(data["slug"]) if _is_set(data.get("slug")) else file_slug


def _name_parts(name: str, draft: bool) -> tuple[str | None, str, str] | None:
    """(date, slug, extension) of a post's file name, or of a draft's named like one; (None, slug, extension) of
    another draft's; None for others."""
    match = _POST_NAME.search(name)
    if draft and match is None:
        match = _DRAFT_NAME.search(name)
        return None if match is None else (None, match.group(1).rstrip("."), match.group(2))
    # Jekyll drops the slug's trailing dots: "2019-03-03-trailing-dots....md" is "trailing-dots" (§4).
    return None if match is None else (match.group(1), match.group(2).rstrip("."), match.group(3))


def _listed(value: Any) -> list[Any]:
    """A `categories` or `tags` value as Jekyll lists it (merge_categories!, value_from_plural_key): a text split
    on white space (Ruby's split: ASCII white space only; a full-width space, U+3000, is a letter of the name to
    it), a list as is."""
    if isinstance(value, str):
        return list(ruby_split(value))
    return list(value) if isinstance(value, list | tuple) else [value]


def _flattened(values: list[Any]) -> list[Any]:
    """Ruby's `flatten` then `compact`: the items of nested lists in order, nil dropped."""
    flat: list[Any] = []
    for value in values:
        if isinstance(value, list | tuple):
            flat += _flattened(list(value))
        elif value is not None:
            flat.append(value)
    return flat


def _terms(values: list[Any]) -> tuple[str, ...]:
    """Each term as Jekyll's `to_s` writes it into the post's folder and URL (a nested list as Ruby's inspect of it,
    white space as written), in order, once; only an empty one is none (`category: "  "` is the folder "  ")."""
    return tuple(dict.fromkeys(text for value in values if (text := _as_written(value))))


def _tags(data: Mapping[str, Any]) -> tuple[str, ...]:
    """Jekyll's populate_tags: `tag` as it is (a text is one tag), else `tags` listed (only a text or a list: `tags:
    2024` is none), nested lists flattened (`tags: [[study, Markdown]]` is two tags)."""
    tag = data.get("tag")
    if _is_set(tag):
        return _terms(_flattened([tag]))
    tags = data.get("tags")
    return _terms(_flattened(_listed(tags))) if isinstance(tags, str | list | tuple) else ()


def _categories(
    path: str, relative: str, special: str, sources: tuple[Mapping[str, Any], ...], data: Mapping[str, Any]
) -> tuple[str, ...]:
    """Jekyll's populate_categories: the folders above `_posts` (outermost first) and the `categories` of each of
    `sources` (the defaults, the front matter), each item as `to_s` writes it; then `category` of `data` (the two
    merged), else all of those again, flattened (§3).

    Jekyll's merge_categories! adds each source's list to those before it (Ruby's `|`), where other keys replace:
    defaults `categories: [blog]` and front matter `categories: [news]` publish at /blog/news/. A nested list is
    one category written as Ruby inspects it, and its items are categories too (observed: `categories: [[Blog,
    Jekyll]]` publishes at /["blog", "jekyll"]/blog/jekyll/).
    """
    # Jekyll cuts the path at the first "_posts" (or "_drafts") it finds, even inside a longer folder name.
    above = relative.split(special, 1)[0] if special in relative else ""
    merged: list[Any] = [part for part in above.split("/") if part]
    for source in sources:
        value = source.get("categories")
        if value is None:
            continue
        if not isinstance(value, str | list | tuple):
            # Ruby's `|` wants a list (observed: "could not read file …: no implicit conversion of Integer into
            # Array"): Jekyll publishes the post without its front matter, at a URL of its file name and the day.
            kind = {bool: "true or false", int: "a number", float: "a number"}.get(type(value), "a mapping")
            raise PostError(
                path,
                f"categories is {kind}, which Jekyll cannot read (it publishes the post without its front matter); "
                "write a list or a text",
            )
        # Ruby's `|` keeps 1 and 1.0 (and true and 1) apart, where Python's equality takes them for one.
        merged += (item for item in _listed(value) if not any(_same(item, other) for other in merged))
    category = data.get("category")
    return _terms(merged + _flattened([category] if _is_set(category) else merged))


def _media_path(data: Mapping[str, Any], site: SiteConfig) -> Callable[[str], str] | None:
    """Chirpy's place for the post's images where its front matter (or the defaults) names a `media_subpath`, or an
    `img_path` (Chirpy before 7), as its pages show them (urls.chirpy_media_path); None for none. feedpub took them
    for site paths: the sitemap's image and the entry's enclosure were URLs that 404."""
    for key, cdn in (("media_subpath", site.cdn), ("img_path", site.img_cdn)):
        if data.get(key) not in (None, False, ""):  # Liquid's `default: ''` takes these for none
            return functools.partial(chirpy_media_path, subpath=data[key], cdn=cdn)
    return None


def _same(one: object, other: object) -> bool:
    """Ruby's eql?: equal, and of one type."""
    return type(one) is type(other) and one == other


def _is_set(value: object) -> bool:
    """Ruby's truth: all but nil and false (`category: ""` is set)."""
    return value is not None and value is not False


def _cleaned_path(from_source: str, site: SiteConfig) -> str:
    """`:path`: Jekyll's cleaned_relative_path, the path from the source less its extension, its first "_posts"
    (the collection's folder) taken out and trailing dots dropped."""
    collection = _below(str(site.root / "_posts"), site.source)
    return os.path.splitext(from_source)[0].replace(collection, "", 1).rstrip(".")


def page_data(site: SiteConfig, path: str, front: Mapping[str, Any]) -> tuple[Mapping[str, Any], dict[str, Any]]:
    """The defaults that apply to the post at `path`, and its front matter over them: Jekyll's `page` data."""
    # Drafts are documents of the posts collection too: the same defaults apply.
    defaults = defaults_for(site.defaults, _below(path, site.root), "posts")
    data = dict(defaults)  # merging replaces its keys (nested mappings merge, but categories is never one)
    deep_merge(data, front)  # front matter beats every default (§5, §6)
    return defaults, data


def _below(path: str, folder: Path) -> str:
    """`path` relative to `folder`, with "/": the scan joined it to the folder's own text, mostly (relpath is the
    costlier way, for the rest)."""
    lead = f"{folder}/"
    return path[len(lead) :] if path.startswith(lead) else os.path.relpath(path, folder).replace(os.sep, "/")


def _excerpt_separator(data: Mapping[str, Any], site: SiteConfig) -> str:
    """The post's excerpt_separator, else the site's (Jekyll's default: a blank line)."""
    value = data.get("excerpt_separator")
    return str(value) if value is not None else site.excerpt_separator


# Jekyll's MKDWN_LINK_REF_REGEX: the reference definitions (footnotes' too) an excerpt takes from the rest, those
# whose "[label]" the excerpt holds. On one line, as kramdown reads a definition (a label across lines made each
# "[" read to the text's end).
_LINK_REFERENCE = re.compile(r"^ {0,3}(\[[^\]\n]+\]):.+$", re.MULTILINE)


def _as_written_lines(body: str, raw: bytes) -> str:
    """`body` with the line ends of the file as written (decoding made each "\r\n" or "\r" a "\n"): the file's
    last ones are the body's."""
    if b"\r" not in raw:
        return body
    lines = body.split("\n")
    ends = _LINE_END.findall(raw)
    if len(ends) < len(lines) - 1:
        return body  # not the file's text (never so): as decoded
    ends = ends[len(ends) - (len(lines) - 1) :]
    return "".join(line + end.decode() for line, end in zip(lines[:-1], ends, strict=True)) + lines[-1]


_LINE_END = re.compile(rb"\r\n|\r|\n")


def _excerpt(data: Mapping[str, Any], body: str, separator: str, html: BodyHtml) -> str:
    """jekyll-feed's summary: `description`, else `excerpt`, else Jekyll's excerpt: the body up to the separator
    (all of it when it has none; nothing when the separator is ""), with the reference definitions found after
    it, so that its links resolve as on the page."""
    for key in ("description", "excerpt"):
        if text := plain_text(as_text(data.get(key))):
            return text
    if not separator:
        return ""
    head, _, tail = body.partition(separator)
    if len(head) > _EXCERPT_SOURCE_LIMIT:
        # A post of one long block (20,000 lines of links and no blank line): its first paragraph, as feedpub reads
        # it, not a render of the whole body for a summary.
        from feedpub.read import prefix  # its scanners' patterns: only for such a post

        return prefix.first_paragraph_text(html)
    if tail:
        head = _blocks_closed(head)
        # Only those the excerpt uses (Jekyll 4.3: `head.include?(label)`): a chat log's `[user]: hello` in a code
        # block below was taken, and `[root_agent]: Hello! …`, no definition, showed in the summary.
        used = [line[0] for line in _LINK_REFERENCE.finditer(tail) if line[1] in head]
        head += "\n\n" + "\n".join(used)
    return markup.html_to_text(html.render(head)) if head.strip() else ""


_EXCERPT_SOURCE_LIMIT = 20_000  # characters of an excerpt's source rendered for it: far past any real one

# The Liquid tags that are blocks in Jekyll 4.3 (Liquid 5.4's and Jekyll's `highlight`), and the start of a tag as
# Jekyll's Excerpt::LIQUID_TAG_REGEX reads it (Ruby's \w is ASCII).
_LIQUID_BLOCKS = frozenset(
    ("capture", "case", "comment", "for", "highlight", "if", "ifchanged", "raw", "tablerow", "unless")
)
_TAG_START = re.compile(rf"\{{%-?[{RUBY_SPACES}]*([A-Za-z0-9_]+)")


def _blocks_closed(head: str) -> str:
    """`head` with each Liquid block it opens and never ends ended after it, as Jekyll's excerpt does
    (sanctify_liquid_tags, "Excerpt modified"): a blank line inside `{% raw %}` cut the excerpt inside the block,
    and the unclosed block rejected the post, which Jekyll publishes.

    Jekyll's rule as it is: of the tags `head` opens, innermost first, each block name for which no `{% end<name>`
    (followed by a `%}`) is in `head` gets `\n{% end<name> %}` appended, once per name."""
    names: list[str] = []
    position = 0
    while (start := head.find("{%", position)) >= 0:  # one pass: each tag runs to the first "%}" after its name
        opening = _TAG_START.match(head, start)
        if opening is None:
            position = start + 1
            continue
        end = head.find("%}", opening.end())
        if end < 0:
            break
        names.append(opening[1])
        position = end + 2
    for name in dict.fromkeys(reversed(names)):  # a name's first check decides: once ended, it stays ended
        if name not in _LIQUID_BLOCKS:
            continue
        ending = re.search(rf"\{{%-?[{RUBY_SPACES}]*end{name}", head)
        if ending is None or head.find("%}", ending.end()) < 0:
            head += f"\n{{% end{name} %}}"
    return head


def _title_text(value: object) -> object:
    """A title as Ruby's to_s writes a number of it (`title: 1.0e+20` is "1.0e+20", where Python writes 1e+20)."""
    return _ruby_float(value) if isinstance(value, float) else value


def _titleize(slug: str) -> str:
    """Jekyll's title for a post without one: each "-" part capitalised, the rest lowercased (§7)."""
    return " ".join(part[:1].upper() + part[1:].lower() for part in slug.split("-"))


def _excerpt_only(feed: object) -> bool:
    value = feed.get("excerpt_only") if isinstance(feed, Mapping) else None
    return value is not None and value is not False


def _as_written(value: object) -> str:
    """A front matter value as Jekyll's `to_s` has it: a text unchanged (as_text would fold its white space), a
    list as Ruby inspects it."""
    if isinstance(value, list | tuple | dict):
        return ruby_inspect(value)
    if isinstance(value, float):
        return _ruby_float(value)
    return value if isinstance(value, str) else as_text(value)


# Ruby 3.1's String#inspect: these characters escaped by letter, other ASCII controls and line or paragraph
# separators as \uXXXX, "#" before "{", "$" or "@" (an interpolation) with a backslash; any other character as it is.
_INSPECT_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\f": "\\f",
    "\v": "\\v",
    "\b": "\\b",
    "\a": "\\a",
    "\x1b": "\\e",
}
_INSPECT_ESCAPED = re.compile(r'["\\\x00-\x1f\x7f\u2028\u2029]|#(?=[{$@])')


def ruby_inspect(value: object) -> str:
    """`value.inspect` as Ruby 3.1 writes it for what YAML front matter holds: texts, numbers, true/false/nil, lists
    and mappings (Jekyll's `to_s` of a list is its inspect)."""
    if isinstance(value, str):
        return '"' + _INSPECT_ESCAPED.sub(_inspect_escape, value) + '"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(ruby_inspect, value)) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{ruby_inspect(k)}=>{ruby_inspect(v)}" for k, v in value.items()) + "}"
    if value is None:
        return "nil"
    if isinstance(value, float):
        return _ruby_float(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        # Date#inspect: the day, its Julian day number, and the calendar reform's (Italy's, Ruby's default).
        return f"#<Date: {value.isoformat()} (({value.toordinal() + 1_721_425}j,0s,0n),+0s,2299161j)>"
    return as_text(value)


def _inspect_escape(match: re.Match[str]) -> str:
    char = match.group()
    return _INSPECT_ESCAPES.get(char) or ("\\#" if char == "#" else f"\\u{ord(char):04X}")


def _ruby_float(value: float) -> str:
    """Ruby's Float#to_s: "1.0", "1000.0", "1.0e+15", "1.0e-05", "Infinity", "NaN" (the shortest digits, as
    Python's repr; written out while the point falls inside them or up to 16 places after the first, and from
    0.0001 on, else with an exponent: observed, Ruby 3.1)."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "-0.0" if str(value).startswith("-") else "0.0"
    from decimal import Decimal

    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    point = len(digit_tuple) + int(exponent)  # where the point falls after the first digit's place
    minus = "-" if sign else ""
    if 0 < point < len(digits):
        return f"{minus}{digits[:point]}.{digits[point:]}"
    if 0 < point < 16:
        return f"{minus}{digits}{'0' * (point - len(digits))}.0"
    if -4 < point <= 0:
        return f"{minus}0.{'0' * -point}{digits}"
    scaled = point - 1
    return f"{minus}{digits[0]}.{digits[1:] or '0'}e{'+' if scaled >= 0 else '-'}{abs(scaled):02d}"


def _quoted(key: str, front_text: str) -> bool:
    """Whether the front matter writes `key`'s value quoted. YAML reads an unquoted `2020-03-15 23:30:00` as a UTC
    timestamp, a quoted one as text (in the site's zone to Jekyll); our YAML loader keeps both as text."""
    return bool(re.search(rf"^{key}:[ \t]*['\"]", front_text, re.MULTILINE))


def _updated(path: str, data: Mapping[str, Any], front_text: str, tz: ZoneInfo) -> datetime | None:
    """`last_modified_at`, the one date jekyll-feed and jekyll-sitemap show beside `date` (the other keys plain
    sites read, `updated`, `modified`, `lastmod`, are a Jekyll post's own data: "see the note below" rejected
    the post)."""
    value = data.get("last_modified_at")
    if value is None or value == "":
        return None
    if (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value.isascii() and value.isdigit()
    ):
        # Jekyll keeps it as data; the feed's and the sitemap's date filters read a number (or a text of digits
        # alone) as seconds since 1970, as Liquid's to_date does (observed: 1706000000 is 2024-01-23T08:53:20Z).
        try:
            return datetime.fromtimestamp(int(value), UTC).astimezone(tz)
        except (OverflowError, OSError, ValueError):
            raise PostError(
                path, f"front matter 'last_modified_at' is no time feedpub can hold (got {value})"
            ) from None
    moment = jekyll_date(value, tz, quoted=_quoted("last_modified_at", front_text))
    if moment is None:
        raise PostError(path, f"front matter 'last_modified_at' is not a date (got {as_text(value)!r})")
    return moment.astimezone(tz)


def _iri(uri: str) -> str:
    """The URI with its non-ASCII characters decoded (an IRI, as Post.url is), ASCII escapes like %20 and bytes that
    are not UTF-8 kept."""
    iri = decode_escaped_utf8(uri)
    return iri if iri is uri or to_uri(iri) == uri else uri  # e.g. decomposed Hangul, which to_uri would normalise
