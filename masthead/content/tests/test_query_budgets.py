"""Query budgets of every listing page, stated and independent of item counts.

Budgets are measured on a warm page (renditions already made). The front page
adds one query per section (each reads the section index); everything else
is fixed.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.content.factories import make_article, make_section
from masthead.content.models import CorrectionKind
from masthead.content.services import issue_correction
from masthead.feed.factories import NewsFeedItemFactory
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

HOME_BASE_QUERIES = 13  # plus one per section
BUDGETS = {
    "section": 13,
    "author": 11,
    "tag": 9,
    "news feed": 7,
    "corrections": 7,
}


def queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def fill(section, author, tag, n: int):
    for _ in range(n):
        article = make_article(section, authors=[author, AuthorFactory()], tags=[tag])
        issue_correction(article, CorrectionKind.UPDATE, "More details.")
    NewsFeedItemFactory.create_batch(n)


@pytest.mark.parametrize("n", [1, 6])
def test_listing_budgets_hold_for_few_and_many_items(client, n):
    section, author, tag = make_section(), AuthorFactory(), TagFactory()
    fill(section, author, tag, n)
    urls = {
        "section": section.url,
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "news feed": "/news-feed/",
        "corrections": "/corrections/",
    }
    measured = {name: queries(client, url) for name, url in urls.items()}
    assert measured == BUDGETS


@pytest.mark.parametrize("sections", [1, 3])
def test_front_page_budget_is_fixed_plus_one_per_section(client, sections):
    author, tag = AuthorFactory(), TagFactory()
    for _ in range(sections):
        fill(make_section(), author, tag, 2)
    assert queries(client, "/") == HOME_BASE_QUERIES + sections
