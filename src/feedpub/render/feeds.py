"""RSS 2.0 and Atom 1.0 through feedgen; the only module that imports it.

feedgen is kept at arm's length: it stamps datetime.now() into feeds unless every date is given, reverses
entries unless order="append", and in 1.0.0 its Atom entry writer drops rel/type/length from every <link>
(a variable is shadowed), so a second link becomes a duplicate alternate. Our extension below writes the
entry links itself and adds what feedgen lacks (WebSub hub links in RSS, media:content, enclosures).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any, Literal

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedpub import __version__
from feedpub.dates import in_whole_minutes, in_whole_seconds
from feedpub.models import Channel, Entry, Site
from feedpub.namespaces import ATOM_NS, DC_NS, GENERATOR_URI, MEDIA_NS

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # the date of a feed with no entries: deterministic, never the clock


class _FeedExtension(BaseExtension):  # type: ignore[misc]
    """Feed-level additions: WebSub hub links (feedgen writes only rel="self" into RSS)."""

    def __init__(self) -> None:
        self.hubs: Sequence[str] = ()
        self.kind: Literal["rss", "atom"] = "rss"

    def extend_ns(self) -> dict[str, str]:
        # Only RSS needs prefixes; in Atom an "atom:" prefix beside the default namespace draws the W3C
        # validator's AvoidNamespacePrefix warning.
        return {"atom": ATOM_NS, "media": MEDIA_NS, "dc": DC_NS} if self.kind == "rss" else {}

    def extend_rss(self, rss: Any) -> Any:
        channel = rss.find("channel")
        after = channel.find(f"{{{ATOM_NS}}}link")
        for hub in reversed(self.hubs):
            after.addnext(etree.Element(f"{{{ATOM_NS}}}link", href=hub, rel="hub"))
        return rss

    def extend_atom(self, feed: Any) -> Any:
        return feed


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class _EntryExtension(BaseEntryExtension):  # type: ignore[misc]
    """Entry-level additions feedgen gets wrong or lacks: links, enclosures, media:content, dc:creator."""

    def __init__(self) -> None:
        self.entry: Entry | None = None

    def extend_rss(self, item: Any) -> Any:
        assert self.entry is not None
        author, image = self.entry.author, self.entry.post.image
        if author and not author.email:
            # RSS <author> must be an e-mail address (RSS 2.0 spec, <author>); a bare name goes in dc:creator.
            etree.SubElement(item, f"{{{DC_NS}}}creator").text = author.name
        if image and self.entry.image_url:
            if image.length and image.mime_type:
                etree.SubElement(
                    item, "enclosure", url=self.entry.image_url, length=str(image.length), type=image.mime_type
                )
            media = etree.SubElement(item, f"{{{MEDIA_NS}}}content", url=self.entry.image_url, medium="image")
            if image.mime_type:
                media.set("type", image.mime_type)
            if image.length:
                media.set("fileSize", str(image.length))
        return item

    def extend_atom(self, entry: Any) -> Any:
        assert self.entry is not None
        if self.entry.post.lang:
            entry.set(_XML_LANG, self.entry.post.lang)  # the post's own language (RFC 4287 §2: xml:lang anywhere)
        # feedgen builds Atom from un-namespaced elements under a root whose default namespace is Atom's.
        for link in entry.findall("link"):
            entry.remove(link)
        anchor = entry.find("updated")
        links = [etree.Element("link", rel="alternate", type="text/html", href=self.entry.url)]
        # The post in the site's other languages: alternates told apart by hreflang (RFC 4287 §4.2.7.4), the
        # links Hugo puts in its pages' heads.
        for language, href in self.entry.translations:
            links.append(etree.Element("link", rel="alternate", type="text/html", hreflang=language, href=href))
        image = self.entry.post.image
        # As in RSS, only an image whose size we know: the W3C validator reports an enclosure without length.
        if image and self.entry.image_url and image.length and image.mime_type:
            links.append(
                etree.Element(
                    "link", rel="enclosure", type=image.mime_type, length=str(image.length), href=self.entry.image_url
                )
            )
        for link in reversed(links):
            anchor.addnext(link)
        return entry


def feed_updated(channel: Channel) -> datetime:
    """The newest change among the channel's entries: feeds never carry the build's wall-clock time."""
    return max((e.post.modified for e in channel.entries), default=EPOCH)


def _generator(site: Site, channel: Channel, kind: Literal["rss", "atom"]) -> FeedGenerator:
    generator = FeedGenerator()
    generator.register_extension("feedpub", _FeedExtension, _EntryExtension, atom=True, rss=True)
    generator.feedpub.hubs = site.ping.websub_hubs
    generator.feedpub.kind = kind
    self_url = channel.rss_url if kind == "rss" else channel.atom_url
    # A reader may know a feed by its id (RFC 4287 §4.2.6: it never changes): a migrated site's keeps the old one.
    generator.id(channel.rss_url if kind == "rss" else channel.atom_id)
    generator.title(channel.title)
    generator.subtitle(channel.description or channel.title)  # RSS requires a description
    generator.link(href=self_url, rel="self", type="application/rss+xml" if kind == "rss" else "application/atom+xml")
    if kind == "rss" or not channel.page_url:
        # RSS 2.0 requires the channel's <link>; RFC 4287 requires no alternate link of a feed (§4.1.1), and one to a
        # page the site does not have is a 404.
        generator.link(href=channel.page_url or channel.home_url, rel="alternate", type="text/html")
    if kind == "atom":
        for hub in site.ping.websub_hubs:
            generator.link(href=hub, rel="hub")
    if site.language:
        generator.language(site.language)
    author = site.author
    generator.author(
        name=author.name if author else site.title,
        email=author.email if author else None,
        uri=author.uri if author else None,
    )
    if kind == "rss":
        generator.generator(f"feedpub {__version__}")
    else:
        generator.generator("feedpub", version=__version__, uri=GENERATOR_URI)
    updated = distinct_updated(channel.entries)
    # The feed's updated is its newest entry's, as written (a tie moved one a second later).
    generator.updated(max(updated, default=None) or in_whole_minutes(feed_updated(channel)))
    if channel.entries:
        generator.pubDate(in_whole_minutes(channel.entries[0].post.published))
    for entry, entry_updated in zip(channel.entries, updated, strict=True):
        _add_entry(generator, entry, kind, entry_updated)
    return generator


def distinct_updated(entries: Sequence[Entry]) -> list[datetime]:
    """Each entry's `updated` as written (whole seconds, whole-minute offsets), no two alike.

    The W3C validator warns of two entries with one atom:updated (DuplicateUpdated), and posts dated by day alone
    share midnight. The first of such entries in the feed's order keeps the time; each next one takes the next
    second not taken: later, so that no entry is updated before it was published.
    """
    # Instants as timestamps: Python never finds an aware datetime at a repeated local hour (a DST fold) equal to
    # one in another zone (PEP 495), so two entries at one instant, one of them in the fold, both kept it.
    taken: set[float] = set()
    moments = []
    for entry in entries:
        moment = in_whole_seconds(entry.post.modified)
        while moment.timestamp() in taken:
            moment += _SECOND
        taken.add(moment.timestamp())
        moments.append(moment)
    return moments


_SECOND = timedelta(seconds=1)


def _add_entry(generator: FeedGenerator, entry: Entry, kind: Literal["rss", "atom"], updated: datetime) -> None:
    post = entry.post
    item = generator.add_entry(order="append")
    item.feedpub.entry = entry
    item.id(entry.id)
    item.guid(entry.id, permalink=entry.id == entry.url)
    item.title(entry.title)
    item.link(href=entry.url, rel="alternate")
    item.published(in_whole_seconds(post.published))  # as `updated`: a fraction made it later than that
    item.updated(updated)
    # RSS has one <description> for summary and content alike (RSS 2.0 spec, <item>): it carries the
    # plain-text excerpt, and the full HTML goes into content:encoded, which readers prefer when present.
    # Readers decode <description> as HTML ("entity-encoded HTML is allowed"), so the text is escaped as HTML
    # first: an excerpt "&lt;img onerror=…&gt;" stays text, and "Q&A" is valid HTML. Atom's summary is
    # type="text" (RFC 4287 §3.1.1.1): shown as it is.
    # No excerpt (a post that opens with an image, a Hugo page before <!--more-->): no summary, as the generators'
    # feeds have none, unless the entry has no content either and the title must stand for it.
    summary = entry.excerpt or ("" if entry.content_html else entry.title)
    if summary:
        item.summary(escape(summary, quote=False) if kind == "rss" else summary)
    if entry.content_html:
        item.content(entry.content_html, type="CDATA" if kind == "rss" else "html")
    if entry.terms:
        # All at once: feedgen's category() rebuilds the entry's whole RSS category list on every call, so one call
        # per term made a post with 500 tags cost 125,000 steps in each of the 1,500 feeds it was in.
        item.category([{"term": term} for term in entry.terms])
    if author := entry.author:
        # The uri is Atom's alone (RSS's <author> is an address): a page of the author's, as jekyll-feed gives it.
        item.author(name=author.name, email=author.email, uri=author.uri)


def render_rss(site: Site, channel: Channel) -> bytes:
    """RSS 2.0 bytes of a channel."""
    data = bytes(_generator(site, channel, "rss").rss_str(pretty=True, encoding="UTF-8"))
    # The RSS Best Practices Profile (and the W3C validator's CharacterData warning) asks for "&" and "<" in
    # plain text as hexadecimal references. The same bytes mean the same in XML and in the HTML of CDATA.
    return data.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;").replace(b"&gt;", b"&#x3E;")


def render_atom(site: Site, channel: Channel) -> bytes:
    """Atom 1.0 (RFC 4287) bytes of a channel."""
    return bytes(_generator(site, channel, "atom").atom_str(pretty=True, encoding="UTF-8"))
