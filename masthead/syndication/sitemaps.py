"""Sitemaps of published articles, sections, tags and authors, and the news
sitemap, on Django's ``Sitemap``.

Every date comes from ``ArticlePage.objects.published()``. A tag or author
is listed once it has a published article, dated by the newest; the home
page and every live section are always listed.
"""

from datetime import datetime, timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from masthead.content.models import ArticlePage, HomePage, SectionPage
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

# URLs per sitemap file: a fifth of the protocol's 50,000 keeps each file
# well under 50 MB and quick to build.
SITEMAP_LIMIT = 10_000
# Google News: articles from the last two days, at most 1,000 (NEWS-STANDARDS 1).
NEWS_SITEMAP_WINDOW = timedelta(hours=48)
NEWS_SITEMAP_MAX_URLS = 1_000

# Only what a sitemap line needs: never load article bodies by the thousand.
_PAGE_FIELDS = ("url_path", "published_at", "updated_at")


def page_path(page) -> str:
    """The page's path on its site, as Wagtail routes it."""
    parts = page.get_url_parts()
    if parts and parts[2]:
        return parts[2]
    return page.url_path


def _latest(*values: datetime | None) -> datetime | None:
    return max((value for value in values if value is not None), default=None)


class ArticleSitemap(Sitemap):
    limit = SITEMAP_LIMIT

    def items(self):
        # Oldest first: new stories land in the last file, so earlier files
        # stay the same and crawlers can skip them.
        return (
            ArticlePage.objects.published()
            .order_by("published_at", "pk")
            .only(*_PAGE_FIELDS)
        )

    def location(self, article) -> str:
        return page_path(article)

    def lastmod(self, article) -> datetime | None:
        return _latest(article.published_at, article.updated_at)

    def get_latest_lastmod(self) -> datetime | None:
        # One aggregate instead of Django's default walk over every item.
        newest = ArticlePage.objects.published().aggregate(
            published=Max("published_at"), updated=Max("updated_at")
        )
        return _latest(newest["published"], newest["updated"])


class HomeSitemap(Sitemap):
    """The front page, dated by the newest story it shows.

    Django's ``get_latest_lastmod`` walks the items, which is cheap here:
    one home page per site.
    """

    def items(self):
        return (
            HomePage.objects.live()
            .order_by("path")
            .only("url_path", "last_published_at")
        )

    def location(self, home) -> str:
        return page_path(home)

    def lastmod(self, home) -> datetime | None:
        return _latest(self._newest_article_at(), home.last_published_at)

    def _newest_article_at(self) -> datetime | None:
        # Read once per sitemap: every home page shows the same newest story.
        if not hasattr(self, "_newest"):
            self._newest = (
                ArticlePage.objects.published()
                .newest_first()
                .values_list("published_at", flat=True)
                .first()
            )
        return self._newest


class _ListingSitemap(Sitemap):
    """Listing pages (section, tag, author) dated by their newest article."""

    limit = SITEMAP_LIMIT

    def lastmod(self, obj) -> datetime | None:
        return obj.latest_article_at

    def get_latest_lastmod(self) -> datetime | None:
        return self.items().aggregate(latest=Max("latest_article_at"))["latest"]


class SectionSitemap(_ListingSitemap):
    def items(self):
        newest = (
            ArticlePage.objects.published()
            .in_section(OuterRef("pk"))
            .newest_first()
            .values("published_at")[:1]
        )
        return (
            SectionPage.objects.live()
            .annotate(latest_article_at=Subquery(newest))
            .order_by("path")
            .only("url_path", "last_published_at")
        )

    def location(self, section) -> str:
        return page_path(section)

    def lastmod(self, section) -> datetime | None:
        # A live section is listed even before its first story.
        return _latest(section.latest_article_at, section.last_published_at)

    def get_latest_lastmod(self) -> datetime | None:
        newest = self.items().aggregate(
            article=Max("latest_article_at"), section=Max("last_published_at")
        )
        return _latest(newest["article"], newest["section"])


class TagSitemap(_ListingSitemap):
    def items(self):
        newest = (
            ArticlePage.objects.published()
            .tagged(OuterRef("pk"))
            .values("published_at")[:1]
        )
        return (
            Tag.objects.annotate(latest_article_at=Subquery(newest))
            .filter(latest_article_at__isnull=False)
            .order_by("pk")
            .only("slug")
        )


class AuthorSitemap(_ListingSitemap):
    def items(self):
        newest = (
            ArticlePage.objects.published()
            .by_author(OuterRef("pk"))
            .values("published_at")[:1]
        )
        return (
            Author.objects.annotate(latest_article_at=Subquery(newest))
            .filter(latest_article_at__isnull=False)
            .order_by("pk")
            .only("slug")
        )


# Sections of the sitemap index; each is served at /sitemap-<key>.xml.
SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


class NewsSitemap(Sitemap):
    """Google News: published in the last 48 hours, newest first, capped."""

    @property
    def limit(self) -> int:
        # One file: the cap, not pagination, bounds it.
        return max(NEWS_SITEMAP_MAX_URLS, 1)

    def items(self) -> list:
        since = timezone.now() - NEWS_SITEMAP_WINDOW
        return list(
            ArticlePage.objects.published()
            .filter(published_at__gte=since)
            .newest_first()
            .only("title", *_PAGE_FIELDS)[:NEWS_SITEMAP_MAX_URLS]
        )

    def location(self, article) -> str:
        return page_path(article)

    def lastmod(self, article) -> datetime | None:
        return _latest(article.published_at, article.updated_at)
