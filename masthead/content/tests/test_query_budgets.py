"""Query budgets of every listing page, stated and independent of item counts.

Budgets are measured on a warm page (renditions already made, the shared
sidebar fragment and the teasers kept: core/cache.py). The front page adds
one query per section (each reads the section index); everything else is
fixed.
"""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.content.factories import make_article, make_section
from masthead.content.models import CorrectionKind
from masthead.content.services import issue_correction
from masthead.feed.factories import NewsFeedItemFactory
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

HOME_BASE_QUERIES = 2  # plus one per section
BUDGETS = {
    "section": 3,
    "author": 5,
    "tag": 3,
    "news feed": 3,
    "corrections": 2,
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


# Ranks of Most Popular, Editors' Picks, one batch of their teasers with
# bylines and renditions, and the News Feed box; paid only when the kept
# sidebar fragment was purged.
SIDEBAR_FRAGMENT_QUERIES = 5
# After any purge the kept site, its root page, its settings and whether any
# page is private are loaded again once (core/pages.py), with the footer's
# standard pages and the restrictions that may hide them (2, #14), and the
# header's default section menu from the kept sections with the restrictions
# that may hide them (2, #14; shared with the article page and search form),
# and the page's own translations for its hreflang links and language
# switcher (1, kept the same way: web/editions.py, #15).
SITE_QUERIES = 4 + 2 + 2 + 1


@pytest.mark.parametrize("n", [1, 6])
def test_sidebar_fragment_costs_a_fixed_budget_when_rebuilt(client, n):
    from masthead import cache
    from masthead.content.tests.test_views import populate_sidebar

    section, author, tag = make_section(), AuthorFactory(), TagFactory()
    fill(section, author, tag, n)
    populate_sidebar([make_article(section) for _ in range(n)], feed_items=n)
    client.get(section.url)
    cache.get_store().purge(["popular"])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(section.url).status_code == 200
    assert len(captured) == BUDGETS["section"] + SIDEBAR_FRAGMENT_QUERIES + SITE_QUERIES


# The teasers not kept: the articles and their bylines (and the renditions
# of their hero images; these articles have none).
TEASER_BATCH_QUERIES = 2


@pytest.mark.parametrize("n", [1, 6])
def test_teasers_cost_one_fixed_batch_when_rebuilt(client, n):
    from masthead import cache

    section, author, tag = make_section(), AuthorFactory(), TagFactory()
    fill(section, author, tag, n)
    client.get(section.url)
    cache.get_store().purge([f"author-{author.pk}"])
    with CaptureQueriesContext(connection) as captured:
        response = client.get(section.url)
    listing = BeautifulSoup(response.content, "html5lib").select("main li.teaser")
    assert len(listing) == n
    assert len(captured) == BUDGETS["section"] + TEASER_BATCH_QUERIES + SITE_QUERIES


def test_sections_are_loaded_once_per_purge_for_every_page(client):
    # The front page's list, an article's section and the search form's
    # choice of sections come from one kept map (content/context.py).
    from masthead import cache

    author, tag = AuthorFactory(), TagFactory()
    section = make_section()
    fill(section, author, tag, 1)
    article = make_article(section, authors=[author], tags=[tag])
    urls = ["/", article.url, "/search/?q=news"]
    for url in urls:
        client.get(url)
    cache.get_store().purge(["site"])
    with CaptureQueriesContext(connection) as captured:
        for url in urls:
            assert client.get(url).status_code == 200, url
    # Reads of sections themselves (teaser queries join sections to articles).
    section_reads = [
        query["sql"]
        for query in captured.captured_queries
        if '"content_sectionpage"' in query["sql"]
        and '"content_articlepage"' not in query["sql"]
    ]
    assert len(section_reads) == 1, section_reads
