"""Listings count at most their browsable pages, reading their own index (#5).

Counting a tag on 300,000 articles read all of them (742 ms at a million);
the bounded count reads at most ``MAX_PAGE_NUMBER`` pages of rows.
"""

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.core.pagination import MAX_PAGE_NUMBER, BoundedPaginator, paginate
from masthead.core.tests.plans import Recorder, plan
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db


def test_count_stops_at_the_last_browsable_page():
    section = make_section()
    for _ in range(7):
        make_article(section)
    articles = ArticlePage.objects.published().in_section(section).newest_first()

    paginator = BoundedPaginator(articles, 2, max_pages=3)

    assert paginator.count == 6
    assert paginator.num_pages == 3
    assert not paginator.page(3).has_next()


def test_lists_are_bounded_the_same_way():
    paginator = BoundedPaginator(list(range(1_000_000)), 20)

    assert paginator.count == MAX_PAGE_NUMBER * 20
    assert paginator.num_pages == MAX_PAGE_NUMBER


def test_page_past_the_bound_is_404_even_when_items_exist():
    request = RequestFactory().get("/", {"page": str(MAX_PAGE_NUMBER + 1)})

    with pytest.raises(Http404):
        paginate(request, list(range(MAX_PAGE_NUMBER * 30)), 20)
    last = RequestFactory().get("/", {"page": str(MAX_PAGE_NUMBER)})
    assert paginate(last, list(range(MAX_PAGE_NUMBER * 30)), 20).has_next() is False


# The index each listing reads in order (docs/architecture.md).
INDEXES = {
    "section": "article_section_pub_idx",
    "tag": "tag_pub_idx",
    "author": "byline_author_idx",
}
LISTINGS = {
    "section": lambda section, tag, author: (
        ArticlePage.objects.published().in_section(section).newest_first()
    ),
    "tag": lambda section, tag, author: ArticlePage.objects.published().tagged(tag),
    "author": lambda section, tag, author: ArticlePage.objects.published().by_author(
        author
    ),
}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
@pytest.mark.parametrize("name", LISTINGS)
def test_listing_count_is_limited_and_reads_the_listing_index(name):
    section, tag, author = make_section(), TagFactory(), AuthorFactory()
    make_article(section, authors=[author], tags=[tag])
    listing = LISTINGS[name](section, tag, author).for_listing()
    recorder = Recorder()

    with connection.execute_wrapper(recorder):
        paginate(RequestFactory().get("/"), listing, 20).object_list  # noqa: B018

    [count] = [(s, p) for s, p in recorder.queries if "COUNT(" in s]
    sql, params = count
    assert f"LIMIT {MAX_PAGE_NUMBER * 20}" in sql
    steps = plan(sql, params)
    assert not any("TEMP B-TREE" in step for step in steps), steps
    # Only the bounded subquery's result is scanned, no table.
    scans = [step for step in steps if step.startswith("SCAN")]
    assert scans == ["SCAN subquery"], steps
    assert any(INDEXES[name] in step for step in steps), steps
