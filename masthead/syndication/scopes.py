"""What each feed covers: the site, a section, a tag, an author, the News Feed.

A scope is resolved from the URL before anything else runs, so an unknown
slug is a 404 and the conditional-GET check can run on the scope's items
without building the feed.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from masthead.content.models import ArticlePage, SectionPage
from masthead.core.editions import default_edition, locale_id_for
from masthead.feed.models import NewsFeedItem
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

# Newest items per feed. Readers poll often; thirty covers a busy day of one
# section without making each fetch heavy (NEWS-STANDARDS 8: 20-50).
FEED_ITEM_COUNT = 30


# What a slug can be (Wagtail allows Unicode): anything else is a 404 before
# the database sees it (a NUL byte would be a 500 on PostgreSQL).
_SLUG = re.compile(r"[-\w]{1,255}")


class ScopeKind(StrEnum):
    SITE = "site"
    SECTION = "section"
    TAG = "tag"
    AUTHOR = "author"
    NEWS_FEED = "news-feed"


# Kinds whose feeds carry articles; the News Feed carries NewsFeedItems.
ARTICLE_KINDS = frozenset(
    {ScopeKind.SITE, ScopeKind.SECTION, ScopeKind.TAG, ScopeKind.AUTHOR}
)


@dataclass(frozen=True)
class FeedScope:
    """One feed's subject and the queryset of its items.

    Attributes:
        kind: which kind of feed.
        slug: the subject's slug; empty for the site and the News Feed.
        name: the subject's name for the feed title; empty for the site.
        description: one line for the channel description, may be empty.
        link: path of the subject's HTML page.
        items: published items, newest first, not yet sliced.
        subject_id: the section's, tag's or author's primary key.
    """

    kind: ScopeKind
    slug: str
    name: str
    description: str
    link: str
    items: QuerySet[ArticlePage] | QuerySet[NewsFeedItem]
    subject_id: int | None = None

    @property
    def feed_id(self) -> str:
        """The Atom feed's ``<id>``: stable across renames and host names."""
        if self.subject_id is None:
            return f"urn:masthead:feed:{self.kind}"
        return f"urn:masthead:feed:{self.kind}:{self.subject_id}"

    @property
    def is_article_feed(self) -> bool:
        return self.kind in ARTICLE_KINDS

    def newest(self) -> QuerySet[ArticlePage] | QuerySet[NewsFeedItem]:
        """The items the feed shows: the newest ``FEED_ITEM_COUNT``."""
        return self.items[:FEED_ITEM_COUNT]

    def version(self) -> tuple[str, datetime | None]:
        """A digest of what the feed shows and the time it last changed.

        One light query (ids and dates, no bodies) so a reader polling an
        unchanged feed gets its 304 without the feed being built. The digest
        changes when an item is added, edited or dropped; the time is the
        newest publication or update among the items (what the feed's own
        ``lastBuildDate``/``updated`` say).
        """
        rows = list(self.newest().values_list("pk", "published_at", "updated_at"))
        digest = hashlib.blake2b(digest_size=16)
        digest.update(
            f"{self.kind}|{self.slug}|{self.name}|{self.description}|{self.link}".encode()
        )
        for pk, published_at, updated_at in rows:
            digest.update(f"|{pk}:{published_at}:{updated_at}".encode())
        changed = [d for row in rows for d in row[1:] if d is not None]
        return digest.hexdigest(), max(changed, default=None)


def resolve_scope(request: HttpRequest, kind: ScopeKind, slug: str = "") -> FeedScope:
    """Look up the feed's subject (one query at most).

    Raises:
        Http404: the slug names no live section, tag or author.
    """
    if kind in {ScopeKind.SECTION, ScopeKind.TAG, ScopeKind.AUTHOR} and not (
        _SLUG.fullmatch(slug)
    ):
        raise Http404("No such feed")
    # The edition's own articles (#15): /uk/feeds/rss/ lists Ukrainian ones.
    locale_id = locale_id_for(translation.get_language() or default_edition())
    published = ArticlePage.objects.published()
    articles = published.in_edition(locale_id) if locale_id else published.none()
    if kind == ScopeKind.SITE:
        return FeedScope(kind, "", "", "", "/", articles.newest_first())
    if kind == ScopeKind.NEWS_FEED:
        return FeedScope(
            kind,
            "",
            gettext("News Feed"),
            gettext("Short updates as they happen."),
            reverse("feed:news-feed"),
            # The edition's own items (#15): /uk/feeds/news-feed/rss/.
            NewsFeedItem.objects.published()
            .in_edition(translation.get_language())
            .newest_first(),
        )
    if kind == ScopeKind.SECTION:
        # Section slugs are unique under one home page; with several sites
        # the oldest section of that slug wins, deterministically.
        section = (
            SectionPage.objects.live()
            .filter(slug=slug, locale_id=locale_id)
            .order_by("path")
            .first()
        )
        if section is None:
            raise Http404("No such section")
        return FeedScope(
            kind,
            section.slug,
            section.title,
            section.intro,
            section.get_url(request) or "/",
            published.in_section(section).newest_first(),
            section.pk,
        )
    if kind == ScopeKind.TAG:
        tag = Tag.objects.filter(slug=slug).first()
        if tag is None:
            raise Http404("No such tag")
        return FeedScope(
            kind,
            tag.slug,
            tag.name_in(),
            tag.description_in(),
            tag.get_absolute_url(),
            # The rows' copy of the edition (#15): the tag's rows of this
            # edition, in order, however few among the tag's others.
            published.tagged(tag, locale_id=locale_id or 0),
            tag.pk,
        )
    if kind == ScopeKind.AUTHOR:
        author = Author.objects.filter(slug=slug).first()
        if author is None:
            raise Http404("No such author")
        return FeedScope(
            kind,
            author.slug,
            author.name_in(),
            author.bio_in(),
            author.get_absolute_url(),
            published.by_author(author, locale_id=locale_id or 0),
            author.pk,
        )
    raise Http404("No such feed")
