"""Sitemaps of published articles, sections, tags and authors, and the news
sitemap, on Django's ``Sitemap``.

Every date comes from ``ArticlePage.objects.published()``. A tag or author
is listed once it has a published article, dated by the newest; the home
page and every live section are always listed.

Every query here costs the same with a thousand articles or a million
(issue #5): article files are ranges of ids, not ``OFFSET`` pages of a
counted list, and newest dates are read from the top of an index.
"""

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, cast

from django.contrib.contenttypes.models import ContentType
from django.contrib.sitemaps import Sitemap
from django.core.paginator import Page, Paginator
from django.db.models import Exists, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.functional import cached_property
from wagtail.models import Page as WagtailPage

from masthead.content.editions import alternate_links, translation_paths
from masthead.content.models import ArticlePage, HomePage, SectionPage
from masthead.core import compat
from masthead.core.editions import default_edition, edition_codes, locale_id_for
from masthead.core.queries import live_pages
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

# django-stubs make Paginator and Sitemap generic; Django's classes take [...]
# only once django_stubs_ext.monkeypatch() has run, which here happens only as
# an import side effect of django_tasks (a Wagtail dependency): not to be
# relied on. So the bases are parametrised for mypy only, as PublicPageMixin's
# is (core/pages.py).
if TYPE_CHECKING:
    _ArticlePaginatorBase = Paginator[ArticlePage]
    _ArticleSitemapBase = Sitemap[ArticlePage]
    _HomeSitemapBase = Sitemap[HomePage]
    # Sections, tags or authors, each annotated with ``latest_article_at``.
    _ListingSitemapBase = Sitemap[Any]
else:
    _ArticlePaginatorBase = Paginator
    _ArticleSitemapBase = _HomeSitemapBase = _ListingSitemapBase = Sitemap


def page_path(page: Any, cache_object: object | None = None) -> str:
    """The page's path on its site, as Wagtail routes it.

    Args:
        page: a page with its ``url_path``.
        cache_object: any object Wagtail may keep the sites' root paths on,
            so a sitemap of 10,000 pages reads them once, not 10,000 times
            from the cache.
    """
    parts = page.get_url_parts(cache_object)
    if parts and parts[2]:
        return cast(str, parts[2])
    return cast(str, page.url_path)


def _latest(*values: datetime | None) -> datetime | None:
    return max((value for value in values if value is not None), default=None)


class EditionSitemap:
    """A sitemap of one edition (#15): ``/sitemap-articles.xml`` lists the
    default edition's articles, ``/uk/sitemap-articles.xml`` the Ukrainian.

    Args:
        edition: its language code; None for the language active now (the
            request's edition, core/editions.py).
    """

    def __init__(self, edition: str | None = None) -> None:
        self.edition = edition or translation.get_language() or default_edition()

    @cached_property
    def locale_id(self) -> int:
        # No locale for the edition (not migrated yet): an id no row has.
        return locale_id_for(self.edition) or 0

    def published(self) -> Any:
        """The edition's published articles (``published().in_edition``)."""
        return ArticlePage.objects.published().in_edition(self.locale_id)


class TranslatedPagesMixin(EditionSitemap):
    """Each URL of a translated page lists every version with its hreflang.

    Google's "localized versions" in sitemaps: an ``<xhtml:link
    rel="alternate" hreflang="…">`` per published version, itself included,
    and ``x-default`` for the default edition's. The versions of a whole
    file are read in one query by ``translation_key`` (content/editions.py).
    """

    @cached_property
    def _site_paths(self) -> SimpleNamespace:
        return SimpleNamespace()

    def _urls(self, page: Any, protocol: str, domain: str) -> list[dict[str, Any]]:
        urls: list[dict[str, Any]] = super()._urls(  # type: ignore[misc]
            page, protocol, domain
        )
        if not urls:
            return urls
        versions = translation_paths([url["item"] for url in urls], self._site_paths)

        def absolute(path: str) -> str:
            return f"{protocol}://{domain}{path}"

        for url in urls:
            paths = versions.get(url["item"].translation_key, {})
            url["alternates"] = alternate_links(paths, absolute)
        return urls


class IdRangePaginator(_ArticlePaginatorBase):
    """Pages of a queryset ordered by id, each a range of ``per_page`` ids.

    File ``n`` holds the items whose id is in ``[first + (n - 1) * per_page,
    first + n * per_page)``, ``first`` being the smallest id listed. Finding
    a file costs two index probes and reads at most ``per_page`` rows, where
    ``OFFSET`` read every earlier row (1.6 s for the last of a million
    articles) and the page count read them all (1.1 s). A file may hold
    fewer items than ``per_page`` (ids of other pages, withdrawn articles),
    never more. New articles get new ids, so they land in the last file and
    earlier files change only when an article in them does; with ``OFFSET``
    one withdrawal shifted every later file.
    """

    object_list: QuerySet[ArticlePage]

    def __init__(
        self,
        object_list: QuerySet[ArticlePage],
        per_page: int,
        locale_id: int | None = None,
    ) -> None:
        super().__init__(object_list, per_page, allow_empty_first_page=True)
        self.locale_id = locale_id

    @cached_property
    def first_id(self) -> int | None:
        low = self._edition_bound("pk")
        if self.locale_id is not None and low is None:
            return None
        return self._ids().filter(pk__gte=low or 0).order_by("pk").first()

    @cached_property
    def last_id(self) -> int | None:
        high = self._edition_bound("-pk")
        if self.locale_id is not None and high is None:
            return None
        ids = self._ids()
        if high is not None:
            ids = ids.filter(pk__lte=high)
        return ids.order_by("-pk").first()

    def _edition_bound(self, order: str) -> int | None:
        """The edition's first or last article id, published or not (#15).

        Read from the page table's locale index in id order, so it costs a
        few rows however the editions are mixed. The published walk then
        starts there: without it, a small edition's sitemap walked the
        other edition's articles to its first one (16.5 s for an edition
        with none beside a million English articles).
        """
        if self.locale_id is None:
            return None
        bound: int | None = (
            WagtailPage.objects.filter(
                locale_id=self.locale_id,
                content_type_id=ContentType.objects.get_for_model(ArticlePage).pk,
            )
            .order_by(order)
            .values_list("pk", flat=True)
            .first()
        )
        return bound

    def _ids(self) -> QuerySet[ArticlePage, int]:
        # "pk > 0" is always true but makes SQLite walk the primary key and
        # stop at the first published row. Without it, the bound "live"
        # made it scan the page table and sort (1.8 s at a million).
        return self.object_list.filter(pk__gt=0).values_list("pk", flat=True)

    @cached_property
    def num_pages(self) -> int:
        if self.first_id is None or self.last_id is None:
            return 1
        return (self.last_id - self.first_id) // self.per_page + 1

    def validate_number(self, number: int | float | str) -> int:
        if number in (1, "1"):
            return 1  # the first file exists, even empty: no need to find the last
        return super().validate_number(number)

    def page(self, number: int | str) -> "Page[ArticlePage]":
        number = self.validate_number(number)
        if self.first_id is None:
            return compat.make_page(self, self.object_list.none(), number)
        low = self.first_id + (number - 1) * self.per_page
        rows = self.object_list.filter(pk__gte=low, pk__lt=low + self.per_page)
        return compat.make_page(self, rows, number)


class ArticleSitemap(TranslatedPagesMixin, _ArticleSitemapBase):
    limit = SITEMAP_LIMIT

    def items(self) -> QuerySet[ArticlePage]:
        # Oldest first: new stories land in the last file, so earlier files
        # stay the same and crawlers can skip them.
        articles: QuerySet[ArticlePage] = (
            self.published().order_by("pk").only(*_PAGE_FIELDS, "translation_key")
        )
        return articles

    @cached_property
    def paginator(self) -> IdRangePaginator:
        return IdRangePaginator(self.items(), self.limit, self.locale_id)

    def location(self, article: ArticlePage) -> str:
        return page_path(article, self._site_paths)

    def lastmod(self, article: ArticlePage) -> datetime | None:
        return _latest(article.published_at, article.updated_at)

    def get_latest_lastmod(self) -> datetime | None:
        # The top of two indexes; an aggregate read every article (2.2 s at a
        # million) and Django's default walks every item.
        published = self.published()
        newest = published.newest_first().values_list("published_at", flat=True)
        updated = (
            published.filter(updated_at__isnull=False)
            .order_by("-updated_at")
            .values_list("updated_at", flat=True)
        )
        return _latest(newest.first(), updated.first())


class HomeSitemap(TranslatedPagesMixin, _HomeSitemapBase):
    """The front page, dated by the newest story it shows.

    Django's ``get_latest_lastmod`` walks the items, which is cheap here:
    one home page per site.
    """

    def items(self) -> QuerySet[HomePage]:
        homes: QuerySet[HomePage] = (
            live_pages(HomePage)
            .filter(locale_id=self.locale_id)
            .order_by("path")
            .only("url_path", "last_published_at", "translation_key")
        )
        return homes

    def location(self, home: HomePage) -> str:
        return page_path(home)

    def lastmod(self, home: HomePage) -> datetime | None:
        return _latest(self._newest_article_at(), home.last_published_at)

    def _newest_article_at(self) -> datetime | None:
        # Read once per sitemap: every home page shows the same newest story.
        if not hasattr(self, "_newest"):
            self._newest: datetime | None = (
                self.published()
                .newest_first()
                .values_list("published_at", flat=True)
                .first()
            )
        return self._newest


class _ListingSitemap(EditionSitemap, _ListingSitemapBase):
    """Listing pages (section, tag, author) dated by their newest article."""

    limit = SITEMAP_LIMIT

    def lastmod(self, obj: Any) -> datetime | None:
        latest: datetime | None = obj.latest_article_at
        return latest

    def items(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_latest_lastmod(self) -> datetime | None:
        latest: datetime | None = self.items().aggregate(
            latest=Max("latest_article_at")
        )["latest"]
        return latest


class SectionSitemap(TranslatedPagesMixin, _ListingSitemap):
    def items(self) -> QuerySet[SectionPage]:
        newest = (
            ArticlePage.objects.published()
            .in_section(OuterRef("pk"))
            .newest_first()
            .values("published_at")[:1]
        )
        sections: QuerySet[SectionPage] = (
            live_pages(SectionPage)
            .filter(locale_id=self.locale_id)
            .annotate(latest_article_at=Subquery(newest))
            .order_by("path")
            .only("url_path", "last_published_at", "translation_key")
        )
        return sections

    def location(self, section: SectionPage) -> str:
        return page_path(section)

    def lastmod(self, section: SectionPage) -> datetime | None:
        # A live section is listed even before its first story.
        return _latest(section.latest_article_at, section.last_published_at)

    def get_latest_lastmod(self) -> datetime | None:
        newest = self.items().aggregate(
            article=Max("latest_article_at"), section=Max("last_published_at")
        )
        return _latest(newest["article"], newest["section"])


class _SharedEntitySitemap(_ListingSitemap):
    """Tags or authors: one entity, a page in every edition (#15).

    An entity is listed in an edition's file once it has one of the
    edition's articles; its URL lists, as ``<xhtml:link>`` alternates, its
    page in every edition where it is listed too (``/tags/energy/`` and
    ``/uk/tags/energy/``), as translated pages do (``TranslatedPagesMixin``).
    """

    model: "type[Tag] | type[Author]"

    def articles_of(self, entity: Any, locale_id: int | None = None) -> Any:
        """The published articles of ``entity`` (an ``OuterRef`` here), of
        edition ``locale_id`` (None: every edition) by its rows' copy of it."""
        raise NotImplementedError

    def items(self) -> QuerySet[Any]:
        # The rows' own copy of the edition (tag_edition_idx,
        # byline_edition_idx): an entity's rows of this edition, in order.
        newest = self.articles_of(OuterRef("pk"), self.locale_id).values(
            "published_at"
        )[:1]
        entities: QuerySet[Any] = (
            self.model.objects.annotate(latest_article_at=Subquery(newest))
            .filter(latest_article_at__isnull=False)
            .order_by("pk")
            .only("slug")
        )
        return entities

    def _urls(self, page: Any, protocol: str, domain: str) -> list[dict[str, Any]]:
        urls: list[dict[str, Any]] = super()._urls(  # type: ignore[misc]
            page, protocol, domain
        )
        if not urls:
            return urls
        entities = [url["item"] for url in urls]
        listed = self._listed_elsewhere(entities[0].pk, entities[-1].pk)
        for url in urls:
            entity = url["item"]
            paths = {self.edition: entity.get_absolute_url()}
            for code, ids in listed.items():
                if entity.pk in ids:
                    with translation.override(code):
                        paths[code] = entity.get_absolute_url()
            url["alternates"] = alternate_links(
                paths, lambda path: f"{protocol}://{domain}{path}"
            )
        return urls

    def _listed_elsewhere(self, first: int, last: int) -> dict[str, set[int]]:
        """Ids between ``first`` and ``last`` listed in each other edition.

        One query per other edition, bounded by the file's range of ids.
        """
        listed = {}
        for code in edition_codes():
            locale_id = locale_id_for(code)
            if code == self.edition or locale_id is None:
                continue
            has_article = Exists(self.articles_of(OuterRef("pk"), locale_id=locale_id))
            listed[code] = set(
                self.model.objects.filter(pk__gte=first, pk__lte=last)
                .filter(has_article)
                .order_by()
                .values_list("pk", flat=True)
            )
        return listed


class TagSitemap(_SharedEntitySitemap):
    model = Tag

    def articles_of(self, entity: Any, locale_id: int | None = None) -> Any:
        return ArticlePage.objects.published().tagged(entity, locale_id=locale_id)


class AuthorSitemap(_SharedEntitySitemap):
    model = Author

    def articles_of(self, entity: Any, locale_id: int | None = None) -> Any:
        return ArticlePage.objects.published().by_author(entity, locale_id=locale_id)


# Sections of the sitemap index; each is served at /sitemap-<key>.xml, and
# each edition's at /<code>/sitemap-<key>.xml (``edition_sitemaps``).
# (Quoted: not subscripted at run time, see above.)
SITEMAPS: "dict[str, type[Sitemap[Any]]]" = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "sections": SectionSitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}


def edition_sitemaps(
    edition: str | None = None,
) -> "dict[str, type[Sitemap[Any]] | Sitemap[Any]]":
    """The sitemaps of one edition (None: the active one), by section key."""
    return {key: sitemap(edition) for key, sitemap in SITEMAPS.items()}  # type: ignore[call-arg]


class NewsSitemap(EditionSitemap, _ArticleSitemapBase):
    """Google News: the edition's articles published in the last 48 hours,
    newest first, capped; ``news:language`` is the edition's (views.py)."""

    @property
    def limit(self) -> int:  # type: ignore[override]  # Sitemap's is a plain int
        # One file: the cap, not pagination, bounds it.
        return max(NEWS_SITEMAP_MAX_URLS, 1)

    def items(self) -> list[ArticlePage]:
        since = timezone.now() - NEWS_SITEMAP_WINDOW
        return list(
            self.published()
            .filter(published_at__gte=since)
            .newest_first()
            .only("title", *_PAGE_FIELDS)[:NEWS_SITEMAP_MAX_URLS]
        )

    def location(self, article: ArticlePage) -> str:
        return page_path(article)

    def lastmod(self, article: ArticlePage) -> datetime | None:
        return _latest(article.published_at, article.updated_at)
