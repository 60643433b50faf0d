"""Listings read an index in order: no table scan, no sort step (issue #2).

SQLite reports its plan with EXPLAIN QUERY PLAN; a listing that scans the page
table or sorts in a temporary B-tree costs time in proportion to the archive.
"""

import pytest
from django.db import connection

from masthead.content.models import ArticlePage
from masthead.feed.models import NewsFeedItem

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
