"""Feed entries as plain data, shared by the RSS, Atom and JSON feeds.

Everything a feed prints is read here, in a fixed number of queries, and
turned into absolute URLs for the request's scheme and host. The feed
classes and the JSON Feed only format these values.
"""

import mimetypes
import re
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import translation
from django.utils.html import escape

from masthead import cache
from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.core.editions import locale_code
from masthead.core.models import LibraryRendition
from masthead.core.renditions import for_reader
from masthead.core.text import strip_tags
from masthead.feed.models import NewsFeedItem

from .scopes import FeedScope

# Large enough for Google Discover and feed readers' hero slots (1,200 px),
# one rendition per image shared by every feed.
FEED_IMAGE_FILTER = "width-1200"

# XML 1.0 forbids these; Django's XML writer refuses them with an exception,
# so a stray form feed pasted into a story would break the whole feed.
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` without the control characters XML 1.0 cannot carry."""
    return _XML_FORBIDDEN.sub("", value or "")


def article_guid(article_id: int) -> str:
    """The article's id in every feed: never changes on edit, move or rename.

    Built from the primary key, not the URL, so a new slug or section keeps
    readers from seeing the story twice (NEWS-STANDARDS 8).
    """
    return f"urn:masthead:article:{article_id}"


def news_feed_item_guid(item_id: int) -> str:
    """A News Feed item's id in every feed (see ``article_guid``)."""
    return f"urn:masthead:news-feed-item:{item_id}"


@dataclass(frozen=True)
class EntryAuthor:
    name: str
    url: str


@dataclass(frozen=True)
class EntryImage:
    url: str
    width: int
    height: int
    mime_type: str
    alt: str


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, every URL absolute.

    ``title`` and ``summary`` are plain text; ``content_html`` is HTML.
    """

    guid: str
    url: str
    title: str
    summary: str
    content_html: str
    published_at: datetime
    updated_at: datetime
    authors: tuple[EntryAuthor, ...] = ()
    tags: tuple[str, ...] = ()
    image: EntryImage | None = None


def build_entries(request: HttpRequest, scope: FeedScope) -> list[FeedEntry]:
    """The scope's newest items as entries.

    Queries: articles 5 (pages with hero images, bylines, tags, renditions)
    plus Wagtail's site lookup for page URLs, fixed whatever the number of
    items; the News Feed 1.
    """
    if scope.is_article_feed:
        return article_entries(request, scope.newest())
    return news_feed_entries(request, scope.newest())


def _content(article: ArticlePage, url: str) -> str:
    """The body everyone reads; of a gated article, with a line saying so (#17)."""
    if not article.is_gated:
        return article.body_html
    with translation.override(locale_code(article.locale_id)):
        note = translation.gettext("The rest of this article is for members.")
    return f'{article.body_html}\n<p><a href="{escape(url)}">{escape(note)}</a></p>'


def article_entries(
    request: HttpRequest, articles: QuerySet[ArticlePage]
) -> list[FeedEntry]:
    """Entries for a sliced queryset of published articles."""
    articles = articles.select_related("hero_image").prefetch_related(
        Prefetch(
            "article_authors",
            queryset=ArticleAuthor.objects.select_related("author").order_by(
                "sort_order"
            ),
        ),
        Prefetch(
            "article_tags",
            queryset=ArticleTag.objects.select_related("tag").order_by("sort_order"),
        ),
        # Only the feed's rendition: Wagtail looks here first and, once it
        # exists, needs no further query per image.
        Prefetch(
            "hero_image__renditions",
            queryset=LibraryRendition.objects.filter(filter_spec=FEED_IMAGE_FILTER),
        ),
    )
    pages: list[ArticlePage] = list(articles)
    cache.tag_articles(request, pages)
    absolute = request.build_absolute_uri
    # A published article always has ``published_at``: the casts tell mypy so.
    return [
        FeedEntry(
            guid=article_guid(article.pk),
            url=absolute(article.get_url(request) or article.url_path),
            title=xml_text(article.title),
            summary=xml_text(article.standfirst),
            content_html=xml_text(
                _content(article, absolute(article.get_url(request) or ""))
            ),
            published_at=cast(datetime, article.published_at),
            updated_at=_updated(
                cast(datetime, article.published_at), article.updated_at
            ),
            authors=tuple(
                EntryAuthor(
                    xml_text(author.name_in(locale_code(article.locale_id))),
                    absolute(author.get_absolute_url()),
                )
                for author in article.ordered_authors()
            ),
            tags=tuple(
                xml_text(tag.name_in(locale_code(article.locale_id)))
                for tag in article.ordered_tags()
            ),
            image=hero_image(request, article),
        )
        for article in pages
    ]


def news_feed_entries(
    request: HttpRequest, items: QuerySet[NewsFeedItem]
) -> list[FeedEntry]:
    """Entries for a sliced queryset of published News Feed items."""
    absolute = request.build_absolute_uri
    return [
        FeedEntry(
            guid=news_feed_item_guid(item.pk),
            url=absolute(item.get_absolute_url()),
            title=xml_text(item.headline),
            summary=xml_text(" ".join(strip_tags(item.body_html).split())),
            content_html=xml_text(item.body_html),
            published_at=item.published_at,
            updated_at=_updated(item.published_at, item.updated_at),
        )
        for item in items
    ]


def _updated(published_at: datetime, updated_at: datetime | None) -> datetime:
    """The entry's last change: never before its publication."""
    if updated_at is None:
        return published_at
    return max(published_at, updated_at)


def hero_image(request: HttpRequest, article: ArticlePage) -> EntryImage | None:
    """The hero as feeds and NINJS show it, or None (none, or still being made)."""
    image = article.hero_image
    if image is None:
        return None
    # Creates the rendition the first time an image is syndicated, as pages
    # do; afterwards it comes from the prefetch above. A large original's is
    # made by a task (#13): the entry goes without until then.
    renditions = for_reader(image, [FEED_IMAGE_FILTER])
    if renditions is None:
        return None
    rendition = renditions[FEED_IMAGE_FILTER]
    mime_type, _ = mimetypes.guess_type(rendition.file.name)
    return EntryImage(
        url=request.build_absolute_uri(rendition.url),
        width=rendition.width,
        height=rendition.height,
        mime_type=mime_type or "image/jpeg",
        # The article's own description of its hero, else the library's (#15).
        alt=xml_text(article.hero_alt_text or image.alt_text),
    )
