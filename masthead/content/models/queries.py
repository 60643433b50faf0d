"""The article queryset: the one "published" rule, listings read from indexes."""

from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from wagtail.models import PageManager
from wagtail.query import PageQuerySet

from masthead.core.keyset import Cursor, before_q

from ..visibility import public_q
from .rows import ArticleAuthor

if TYPE_CHECKING:
    from masthead.people.models import Author
    from masthead.taxonomy.models import Tag

    from .sections import SectionPage


def published_q(prefix: str = "") -> Q:
    """The condition behind ``ArticleQuerySet.published`` (content/visibility.py)."""
    return public_q(prefix)


class ArticleQuerySet(PageQuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles a reader may see: live, dated, not embargoed, not private.

        This is the one definition of "published"; views, feeds, sitemaps,
        search and the API all call it. ``live`` is compared with a literal,
        not a bound ``live = ?``: with the parameter SQLite's planner scanned
        the whole page table (1,018 ms instead of 8 ms, issue #2).
        """
        articles: ArticleQuerySet = self.filter(published_q())
        return articles

    def in_edition(self, locale_id: int) -> "ArticleQuerySet":
        """The articles of one edition (#15): its locale's page tree.

        Read from the article's own copy of its locale (``edition``, kept by
        ``ArticlePage.save``): newest first, a big or a nearly empty edition
        reads ``article_edition_newest_idx`` in order and stops after the
        first few. Filtering the page table's ``locale_id`` instead walked
        the site-wide index past every other edition's articles: 3 s a
        query for ten Ukrainian articles beside a million English ones,
        0.2 ms now (docs/performance.md). Sitemaps' id walks and lastmod
        read ``article_edition_id_idx`` and ``article_edition_updated_idx``.
        """
        articles: ArticleQuerySet = self.filter(edition_id=locale_id)
        return articles

    def in_section(self, section: "SectionPage") -> "ArticleQuerySet":
        articles: ArticleQuerySet = self.filter(section=section)
        return articles

    def newest_first(self, before: "Cursor | None" = None) -> "ArticleQuerySet":
        """Newest first; the indexes end in the same tie-breaker (no sort step).

        ``before``: only the articles older than that cursor (core/keyset.py).
        """
        articles: ArticleQuerySet = self.filter(
            before_q(before, "published_at", "page_ptr_id")
        ).order_by("-published_at", "-pk")
        return articles

    def by_author(
        self,
        author: "Author",
        before: "Cursor | None" = None,
        *,
        locale_id: int | None = None,
    ) -> "ArticleQuerySet":
        """An author's articles, newest first, read in order from the byline index.

        The cursor's terms go in the same ``filter()`` so they apply to the
        same byline row (a second call would join the table again).
        ``locale_id``: only that edition's, read from the byline rows' own
        copy of it (``byline_edition_idx``, #15).
        """
        edition = Q() if locale_id is None else Q(article_authors__locale_id=locale_id)
        articles: ArticleQuerySet = self.filter(
            Q(article_authors__author=author)
            & edition
            & before_q(
                before, "article_authors__published_at", "article_authors__article_id"
            )
        ).order_by("-article_authors__published_at", "-article_authors__article_id")
        return articles

    def tagged(
        self,
        tag: "Tag",
        before: "Cursor | None" = None,
        *,
        locale_id: int | None = None,
    ) -> "ArticleQuerySet":
        """A tag's articles, newest first, read in order from the tag index.

        A join ordered by the article's own date read every row of a big tag
        (170-350 ms); the tag rows carry the date so this reads 20 (0.13 ms).
        ``locale_id``: only that edition's, from the tag rows' copy of it
        (``tag_edition_idx``, #15).
        """
        edition = Q() if locale_id is None else Q(article_tags__locale_id=locale_id)
        articles: ArticleQuerySet = self.filter(
            Q(article_tags__tag=tag)
            & edition
            & before_q(before, "article_tags__published_at", "article_tags__article_id")
        ).order_by("-article_tags__published_at", "-article_tags__article_id")
        return articles

    def for_results(self) -> "ArticleQuerySet":
        """Load only what a search result shows: link, section, date, byline.

        A whole article row (its StreamField, the stored HTML) built into
        model instances cost most of a results page at a million articles.
        """
        articles: ArticleQuerySet = (
            self.select_related("section")
            .only("title", "url_path", "published_at", "section__title")
            .prefetch_related(
                Prefetch(
                    "article_authors",
                    queryset=ArticleAuthor.objects.select_related("author")
                    .only("article_id", "author__name", "author__translations")
                    .order_by("sort_order"),
                ),
            )
        )
        return articles

    def for_listing(self) -> "ArticleQuerySet":
        """Load what a teaser shows in a fixed number of queries."""
        articles: ArticleQuerySet = self.select_related(
            "hero_image", "section"
        ).prefetch_related(
            "hero_image__renditions",
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by(
                    "sort_order"
                ),
            ),
        )
        return articles


ArticleManager = PageManager.from_queryset(ArticleQuerySet)
