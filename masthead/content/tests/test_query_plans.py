"""Listings read an index in order: no table scan, no sort step (issue #2).

SQLite reports its plan with EXPLAIN QUERY PLAN; a listing that scans the page
table or sorts in a temporary B-tree costs time in proportion to the archive.
"""

import pytest
from django.db import connection
from django.utils import timezone
from wagtail.models import Locale

from masthead.content.models import ArticlePage
from masthead.core.keyset import Cursor
from masthead.feed.models import NewsFeedItem
from masthead.syndication.sitemaps import ArticleSitemap, TagSitemap

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's"
    ),
]


def plan(queryset) -> list[str]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


LISTINGS = {
    "latest": lambda: ArticlePage.objects.published().newest_first()[:20],
    "section": lambda: (
        ArticlePage.objects.published().in_section(1).newest_first()[:20]
    ),
    "tag": lambda: ArticlePage.objects.published().tagged(1)[:20],
    "author": lambda: ArticlePage.objects.published().by_author(1)[:20],
    "news feed": lambda: NewsFeedItem.objects.published().newest_first()[:20],
    # An edition's front page and News Feed (#15).
    "edition latest": lambda: (
        ArticlePage.objects.published().in_edition(1).newest_first()[:20]
    ),
    # A tag's and an author's page in one edition (#15).
    "edition tag": lambda: ArticlePage.objects.published().tagged(1, locale_id=2)[:20],
    "edition author": lambda: ArticlePage.objects.published().by_author(1, locale_id=2)[
        :20
    ],
    "edition news feed": lambda: (
        NewsFeedItem.objects.published().in_edition("uk").newest_first()[:20]
    ),
}


@pytest.mark.parametrize("name", LISTINGS)
def test_listing_reads_an_index_in_order(name):
    steps = plan(LISTINGS[name]())
    assert not any("TEMP B-TREE" in step for step in steps), steps
    assert not any(step.startswith("SCAN") for step in steps), steps
    assert any("USING INDEX" in step or "COVERING INDEX" in step for step in steps)


def test_published_rule_binds_no_parameter_for_live():
    sql, params = ArticlePage.objects.published().query.sql_with_params()
    assert '"wagtailcore_page"."live" = (1)' in sql
    assert True not in params


def _edition(locale_id):
    return ArticlePage.objects.published().in_edition(locale_id)


# An edition's listings read its own index whether it holds a million
# articles or ten: the site-wide index made a nearly empty edition walk every
# other edition's articles (23 s at a million, #15). Each: (query, index).
EDITION_LISTINGS = {
    "front page": lambda e, code: (
        _edition(e).newest_first().values_list("pk", flat=True)[:13],
        "article_edition_newest_idx",
    ),
    "latest, older stories": lambda e, code: (
        _edition(e).newest_first(Cursor(timezone.now(), 10))[:20],
        "article_edition_newest_idx",
    ),
    "archive's first day": lambda e, code: (
        _edition(e)
        .filter(published_at__gte=timezone.now())
        .order_by("published_at", "pk")
        .values_list("published_at")[:1],
        "article_edition_newest_idx",
    ),
    "sitemap file": lambda e, code: (
        ArticleSitemap(code).items().filter(pk__gte=1, pk__lt=50_001),
        "article_edition_id_idx",
    ),
    "sitemap lastmod": lambda e, code: (
        _edition(e).filter(updated_at__isnull=False).order_by("-updated_at")[:1],
        "article_edition_updated_idx",
    ),
    "search indexing batch": lambda e, code: (
        _edition(e).filter(pk__gt=0).order_by("pk")[:500],
        "article_edition_id_idx",
    ),
    "tag sitemap": lambda e, code: (TagSitemap(code).items(), "tag_edition_idx"),
}


@pytest.mark.parametrize("language_code", ["en", "uk"])
@pytest.mark.parametrize("name", EDITION_LISTINGS)
def test_edition_listing_reads_its_own_index_in_order(name, language_code):
    locale_id = Locale.objects.get(language_code=language_code).pk
    queryset, index = EDITION_LISTINGS[name](locale_id, language_code)
    steps = plan(queryset)
    assert not any("TEMP B-TREE" in step for step in steps), steps
    assert any(index in step for step in steps), steps
