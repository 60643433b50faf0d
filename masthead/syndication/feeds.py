"""RSS 2.0 and Atom feeds on Django's syndication framework.

One ``Feed`` subclass per format serves every scope (site, section, tag,
author, News Feed); the view resolves the scope and passes it in. Django's
generators are extended with what news readers expect (NEWS-STANDARDS 8):
full text in ``content:encoded``/``<content>``, one ``dc:creator``/``<author>``
per byline, ``media:content`` for the hero image and a WebSub hub link.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import feedgenerator
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.xmlutils import SimplerXMLGenerator

from masthead.cache.pages import site_context
from masthead.core.language import content_language

from .entries import FeedEntry, build_entries, xml_text
from .scopes import FeedScope, ScopeKind

ATOM_NS = "http://www.w3.org/2005/Atom"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
MEDIA_NS = "http://search.yahoo.com/mrss/"


def websub_hub() -> str:
    """The WebSub hub feeds advertise; empty (the default) advertises none."""
    return settings.MASTHEAD_WEBSUB_HUB


@dataclass(frozen=True)
class FeedSource:
    """Everything one feed prints, read before the generator runs."""

    title: str
    link: str
    description: str
    feed_id: str
    publication_name: str
    language: str
    hub_url: str
    entries: list[FeedEntry]


def feed_source(request: HttpRequest, scope: FeedScope) -> FeedSource:
    """Build the feed's channel data and entries (fixed number of queries)."""
    site_settings = site_context(request)["site_settings"]
    publication = xml_text(site_settings.publication_name)
    name = xml_text(scope.name)
    # In the edition's language (#15): the request activated it.
    descriptions = {
        ScopeKind.SITE: xml_text(site_settings.tagline)
        or gettext("The latest stories from %(publication)s.")
        % {"publication": publication},
        ScopeKind.SECTION: gettext("The latest stories in %(name)s.") % {"name": name},
        ScopeKind.TAG: gettext("The latest stories about %(name)s.") % {"name": name},
        ScopeKind.AUTHOR: gettext("The latest stories by %(name)s.") % {"name": name},
        ScopeKind.NEWS_FEED: gettext("Short updates as they happen."),
    }
    return FeedSource(
        title=f"{name} | {publication}" if name else publication,
        link=request.build_absolute_uri(scope.link),
        description=" ".join(xml_text(scope.description).split())
        or descriptions[scope.kind],
        feed_id=scope.feed_id,
        publication_name=publication,
        language=content_language(request),
        hub_url=websub_hub(),
        entries=build_entries(request, scope),
    )


def _add_media_content(handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
    image = item["image"]
    if image is None:
        return
    handler.startElement(
        "media:content",
        # XMLGenerator takes any mapping, as Django's generators pass it;
        # the stubs say AttributesImpl.
        {  # type: ignore[arg-type]
            "url": image.url,
            "type": image.mime_type,
            "medium": "image",
            "width": str(image.width),
            "height": str(image.height),
        },
    )
    if image.alt:
        handler.addQuickElement("media:description", image.alt, {"type": "plain"})
    handler.endElement("media:content")


class RssGenerator(feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with content, Dublin Core and Media RSS namespaces."""

    def rss_attributes(self) -> dict[str, str]:
        return {
            **super().rss_attributes(),
            "xmlns:content": CONTENT_NS,
            "xmlns:dc": DC_NS,
            "xmlns:media": MEDIA_NS,
        }

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement(
                "atom:link", None, {"rel": "hub", "href": self.feed["hub_url"]}
            )

    def add_item_elements(
        self, handler: SimplerXMLGenerator, item: dict[str, Any]
    ) -> None:
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.addQuickElement("dc:creator", author.name)
        if item["content_html"]:
            handler.addQuickElement("content:encoded", item["content_html"])
        _add_media_content(handler, item)


class AtomGenerator(feedgenerator.Atom1Feed):
    """Atom 1.0 (RFC 4287) with full content, every author and Media RSS."""

    def root_attributes(self) -> dict[str, str]:
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        if self.feed.get("hub_url"):
            handler.addQuickElement(
                "link", "", {"rel": "hub", "href": self.feed["hub_url"]}
            )

    def add_item_elements(
        self, handler: SimplerXMLGenerator, item: dict[str, Any]
    ) -> None:
        super().add_item_elements(handler, item)
        for author in item["authors"]:
            handler.startElement("author", {})  # type: ignore[arg-type]  # any mapping, as above
            handler.addQuickElement("name", author.name)
            handler.addQuickElement("uri", author.url)
            handler.endElement("author")
        if item["content_html"]:
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _add_media_content(handler, item)


# Generic in django-stubs; Django's Feed takes [...] only after
# django_stubs_ext.monkeypatch(), which nothing here may rely on (sitemaps.py).
if TYPE_CHECKING:
    _ScopeFeedBase = Feed[FeedEntry, FeedSource]
else:
    _ScopeFeedBase = Feed


class ScopeRssFeed(_ScopeFeedBase):
    """The RSS 2.0 feed of any scope; called as ``feed(request, scope=scope)``."""

    feed_type = RssGenerator
    item_guid_is_permalink = False

    def get_object(self, request: HttpRequest, scope: FeedScope) -> FeedSource:
        return feed_source(request, scope)

    def title(self, source: FeedSource) -> str:
        return source.title

    def link(self, source: FeedSource) -> str:
        return source.link

    def description(self, source: FeedSource) -> str:
        # RSS readers render the channel description as HTML, as they do
        # titles: escape once more (#13). Atom's subtitle is text.
        return escape(source.description)

    def subtitle(self, source: FeedSource) -> str:
        return source.description

    def feed_guid(self, source: FeedSource) -> str:
        return source.feed_id

    def author_name(self, source: FeedSource) -> str:
        # Atom requires a feed author unless every entry has one; an article
        # without a byline must still validate.
        return source.publication_name

    def feed_extra_kwargs(self, source: FeedSource) -> dict[str, Any]:
        return {"hub_url": source.hub_url}

    def items(self, source: FeedSource) -> list[FeedEntry]:
        return source.entries

    def item_title(self, entry: FeedEntry) -> str:
        # RSS readers treat titles as HTML: escape once more (Django #6533).
        return escape(entry.title)

    def item_description(self, entry: FeedEntry) -> str:
        # The description is HTML in RSS and <summary type="html"> in Atom.
        return escape(entry.summary)

    def item_link(self, entry: FeedEntry) -> str:
        return entry.url

    def item_guid(self, entry: FeedEntry) -> str:
        return entry.guid

    def item_pubdate(self, entry: FeedEntry) -> datetime:
        return entry.published_at

    def item_updateddate(self, entry: FeedEntry) -> datetime:
        return entry.updated_at

    def item_categories(self, entry: FeedEntry) -> tuple[str, ...]:
        return entry.tags

    def item_extra_kwargs(self, entry: FeedEntry) -> dict[str, Any]:
        return {
            "authors": entry.authors,
            "content_html": entry.content_html,
            "image": entry.image,
        }


class ScopeAtomFeed(ScopeRssFeed):
    """The Atom feed of any scope."""

    feed_type = AtomGenerator  # type: ignore[assignment]  # stubs say RSS only

    def item_title(self, entry: FeedEntry) -> str:
        # Atom's <title> is a text construct: escaping it again would show
        # "&amp;" to readers.
        return entry.title
