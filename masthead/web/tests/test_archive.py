"""The date archive, "Older stories" cursors and the front page's URLs (#14)."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test import RequestFactory

from masthead import cache
from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.core.keyset import Cursor, parse_cursor
from masthead.core.tests.plans import Recorder, plan
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory
from masthead.web import archive

pytestmark = pytest.mark.django_db


def soup_of(client, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, url
    return BeautifulSoup(response.content, "html5lib")


def period_links(client, url: str) -> list[tuple[str, str]]:
    soup = soup_of(client, url)
    return [
        (a.get_text(" ", strip=True), str(a["href"]))
        for a in soup.select("main .archive-periods a")
    ]


@pytest.fixture
def dated(settings):
    """Articles either side of midnight in Kyiv (UTC+2 in winter)."""
    settings.TIME_ZONE = "Europe/Kyiv"
    section = make_section()
    return {
        # 23:30 on 3 December in Kyiv.
        "late": make_article(
            section, published_at=datetime(2026, 12, 3, 21, 30, tzinfo=UTC)
        ),
        # 00:30 on 4 December in Kyiv, still the 3rd in UTC.
        "after_midnight": make_article(
            section, published_at=datetime(2026, 12, 3, 22, 30, tzinfo=UTC)
        ),
        "summer": make_article(
            section, published_at=datetime(2025, 6, 10, 9, 0, tzinfo=UTC)
        ),
    }


def test_archive_walks_years_months_and_days_in_local_time(client, dated):
    assert period_links(client, "/archive/") == [
        ("2026", "/archive/2026/"),
        ("2025", "/archive/2025/"),
    ]
    assert period_links(client, "/archive/2026/") == [
        ("December 2026", "/archive/2026/12/")
    ]
    assert period_links(client, "/archive/2026/12/") == [
        ("Friday 4 December", "/archive/2026/12/04/"),
        ("Thursday 3 December", "/archive/2026/12/03/"),
    ]
    soup = soup_of(client, "/archive/2026/12/03/")
    titles = [a.get_text(strip=True) for a in soup.select("main .teaser-list h3 a")]
    assert titles == [dated["late"].title]


def test_day_links_skip_empty_days_both_ways(client, dated):
    soup = soup_of(client, "/archive/2026/12/03/")
    nav = soup.select_one('nav[aria-label="Other days"]')
    assert nav.select_one("a[rel=next]")["href"] == "/archive/2026/12/04/"
    assert nav.select_one("a[rel=prev]")["href"] == "/archive/2025/06/10/"
    last = soup_of(client, "/archive/2026/12/04/")
    assert last.select_one('nav[aria-label="Other days"] a[rel=next]') is None
    crumbs = last.select('nav[aria-label="Breadcrumb"] a')
    assert [a["href"] for a in crumbs] == [
        "/archive/",
        "/archive/2026/",
        "/archive/2026/12/",
    ]


@pytest.mark.parametrize(
    "url",
    [
        "/archive/2026/11/",  # no articles that month
        "/archive/2024/",  # nor that year
        "/archive/2026/12/05/",  # nor that day
        "/archive/2026/13/",
        "/archive/2026/00/",
        "/archive/2026/02/30/",
        "/archive/0000/",
        "/archive/9999/12/31/",
        "/archive/26/",
        "/archive/2026/12/03/?before=junk",
    ],
)
def test_empty_or_impossible_archive_dates_are_404(client, dated, url):
    assert client.get(url).status_code == 404


def test_archive_pages_are_cached_and_tagged_with_their_period(dated):
    tags = set(ArticlePage.cache_tags_for(dated["after_midnight"].pk))
    assert {
        "archive",
        "archive-2026",
        "archive-2026-12",
        "archive-2026-12-04",
    } <= tags
    request = RequestFactory().get("/archive/2026/12/04/")
    response = archive.archive_day(request, "2026", "12", "04")
    assert "public" in response["Cache-Control"]
    assert {"archive-2026-12-04", "archive-2026-12"} <= request._masthead_cache_tags


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
def test_archive_queries_read_the_publication_index(client, dated):
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        for url in ("/archive/", "/archive/2026/", "/archive/2026/12/"):
            client.get(url)
        client.get("/archive/2026/12/03/")
    article_queries = [
        (sql, params)
        for sql, params in recorder.queries
        if sql.startswith("SELECT") and 'FROM "content_articlepage"' in sql
    ]
    assert article_queries
    for sql, params in article_queries:
        steps = plan(sql, params)
        assert not any(
            step.startswith("SCAN") and "content_articlepage" in step for step in steps
        ), (sql, steps)


# --- "Older stories" ---------------------------------------------------------


def follow_older(client, url: str) -> list[str]:
    """Every title from ``url`` on, following "Older stories" to the end."""
    titles: list[str] = []
    for _ in range(50):
        soup = soup_of(client, url)
        titles += [a.get_text(strip=True) for a in soup.select("main .teaser h3 a")]
        older = soup.select_one('main nav[aria-label="More articles"] a[rel=next]')
        if older is None:
            return titles
        url = str(older["href"])
    raise AssertionError("no end")


@pytest.mark.parametrize("kind", ["section", "tag", "author", "latest"])
def test_older_stories_reach_every_article_once(client, settings, kind):
    settings.MASTHEAD_LISTING_PAGE_SIZE = 2
    section, tag, author = make_section(), TagFactory(), AuthorFactory()
    moment = datetime(2026, 3, 1, 12, tzinfo=UTC)
    articles = [
        # Three share one time: the id breaks the tie.
        make_article(
            section,
            authors=[author],
            tags=[tag],
            published_at=moment - timedelta(hours=max(0, n - 2)),
        )
        for n in range(7)
    ]
    newest_first = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    url = {
        "section": section.url,
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "latest": "/latest/",
    }[kind]
    # Page 1 is numbered as before; then the cursor from its last article.
    first = soup_of(client, url)
    older = first.select_one('main nav[aria-label="More articles"] a[rel=next]')
    cursor = Cursor(newest_first[1].published_at, newest_first[1].pk)
    assert older["href"] == f"{url}?before={cursor}"

    assert follow_older(client, url) == [a.title for a in newest_first]


def test_older_stories_go_past_the_last_numbered_page(client, settings, monkeypatch):
    from masthead.core import pagination
    from masthead.web import context

    settings.MASTHEAD_LISTING_PAGE_SIZE = 1
    # Two numbered pages instead of fifty, so three articles pass the last.
    monkeypatch.setattr(pagination, "MAX_PAGE_NUMBER", 2)
    monkeypatch.setattr(context, "MAX_PAGE_NUMBER", 2)
    monkeypatch.setitem(
        pagination.BoundedPaginator.__init__.__kwdefaults__, "max_pages", 2
    )
    section = make_section()
    for _ in range(3):
        make_article(section)

    soup = soup_of(client, f"{section.url}?page=2")

    assert soup.select_one('main nav[aria-label="Pages"] a[rel=next]') is None
    older = soup.select_one('main nav[aria-label="More articles"] a[rel=next]')
    assert len(soup_of(client, older["href"]).select("main .teaser")) == 1


@pytest.mark.parametrize(
    "value",
    [
        "",
        "x",
        "20261303000000000000-1",  # month 13
        "2026120300000000000-1",  # a digit short
        "20261203000000000000-" + "9" * 13,
        "20261203000000000000-1%00",
        "-1",
    ],
)
def test_bad_cursor_is_404_never_500(client, value):
    section = make_section()
    make_article(section)
    for url in (section.url, "/latest/"):
        assert client.get(url, {"before": value}).status_code == 404


def test_cursor_round_trips():
    cursor = Cursor(datetime(2026, 12, 3, 10, 15, 0, 123456, tzinfo=UTC), 4211)
    assert str(cursor) == "20261203101500123456-4211"
    assert parse_cursor(str(cursor)) == cursor


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's query plans")
@pytest.mark.parametrize(
    ("name", "index"),
    [
        ("section", "article_section_pub_idx"),
        ("tag", "tag_pub_idx"),
        ("author", "byline_author_idx"),
        ("latest", "article_published_idx"),
        # One edition's tag and author pages (#15).
        ("edition tag", "tag_edition_idx"),
        ("edition author", "byline_edition_idx"),
    ],
)
def test_keyset_page_reads_the_listing_index_without_sorting(name, index):
    section, tag, author = make_section(), TagFactory(), AuthorFactory()
    article = make_article(section, authors=[author], tags=[tag])
    cursor = Cursor(article.published_at + timedelta(seconds=1), article.pk)
    published = ArticlePage.objects.published()
    listing = {
        "section": published.in_section(section).newest_first(cursor),
        "tag": published.tagged(tag, cursor),
        "author": published.by_author(author, cursor),
        "latest": published.newest_first(cursor),
        "edition tag": published.tagged(tag, cursor, locale_id=article.locale_id),
        "edition author": published.by_author(
            author, cursor, locale_id=article.locale_id
        ),
    }[name]
    sql, params = listing.values_list("pk", flat=True)[:21].query.sql_with_params()
    # The cursor's terms use the listing's own tag or byline row: one join.
    assert sql.count('JOIN "content_articletag"') <= 1
    assert sql.count('JOIN "content_articleauthor"') <= 1
    steps = plan(sql, params)
    assert not any("TEMP B-TREE" in step for step in steps), steps
    assert any(index in step for step in steps), steps
    assert list(listing) == [article]


# --- The front page ----------------------------------------------------------


@pytest.mark.parametrize("query", ["?page=2", "?page=50", "?page=x", "?before=1"])
def test_front_page_has_no_numbered_pages(client, query):
    make_article()
    assert client.get("/" + query).status_code == 404


def test_front_page_links_to_latest_and_the_archive(client):
    make_article()
    assert client.get("/?page=1").status_code == 200
    soup = soup_of(client, "/")
    links = {a["href"] for a in soup.select("main .older-link a")}
    assert links == {"/latest/", "/archive/"}


def test_publishing_purges_the_archive_pages_of_its_day(dated):
    cache.reset()
    tags = ArticlePage.cache_tags_for(dated["summer"].pk)
    assert "archive-2025-06-10" in tags
    assert "archive-2025-06" in tags
    assert all(cache.is_known_tag(tag) for tag in tags)
