"""The view beacon under a flood: limits before any query (#13)."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.analytics.models import DailyArticleViews
from masthead.analytics.services import beacon_token
from masthead.cache import limits
from masthead.content.factories import make_article

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"
SAME_ORIGIN = {"HTTP_USER_AGENT": BROWSER, "HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture(autouse=True)
def _fresh_counts(settings):
    settings.MASTHEAD_BEACON_CLIENT_LIMIT = 60
    settings.MASTHEAD_BEACON_ARTICLE_LIMIT = 10
    settings.MASTHEAD_TRUSTED_PROXIES = ["10.0.0.0/24"]
    limits.reset()
    # The counters' windows are minutes of the clock: a test that crossed a
    # minute's end would start a new window half-way (a flaky pass or fail).
    with time_machine.travel("2026-12-03 10:00:05Z", tick=False):
        yield
    limits.reset()


def counted(article):
    row = DailyArticleViews.objects.filter(article=article).first()
    return row.view_count if row else 0


def beacon(client, article_id, **headers):
    return client.post(
        f"/analytics/views/{article_id}/",
        {"token": beacon_token(article_id)},
        **{"REMOTE_ADDR": "192.0.2.10", **headers},
    )


def test_a_flood_from_one_client_counts_at_most_the_limit_and_queries_nothing(
    client,
):
    article = make_article()
    statuses = [
        beacon(client, article.pk, **SAME_ORIGIN).status_code for _ in range(10)
    ]
    assert statuses == [204] * 10
    with CaptureQueriesContext(connection) as queries:
        flood = [beacon(client, article.pk, **SAME_ORIGIN) for _ in range(2_990)]
    assert {response.status_code for response in flood} == {429}
    assert flood[0]["Retry-After"] == "60"
    assert "no-store" in flood[0]["Cache-Control"]
    assert len(queries) == 0
    # One visitor counts once a day (#14), however many POSTs got through.
    assert counted(article) == 1


def test_random_article_ids_cost_no_query_past_the_client_limit(client):
    for article_id in range(1, 61):
        beacon(client, article_id, **SAME_ORIGIN)
    with CaptureQueriesContext(connection) as queries:
        statuses = {
            beacon(client, article_id, **SAME_ORIGIN).status_code
            for article_id in range(1_000, 1_500)
        }
    assert statuses == {429}
    assert len(queries) == 0


def test_readers_behind_varnish_have_limits_of_their_own(client):
    article = make_article()
    varnish = {**SAME_ORIGIN, "REMOTE_ADDR": "10.0.0.2"}
    for _ in range(20):
        beacon(client, article.pk, HTTP_X_FORWARDED_FOR="198.51.100.1", **varnish)
    other = beacon(client, article.pk, HTTP_X_FORWARDED_FOR="198.51.100.2", **varnish)
    assert other.status_code == 204
    # Two readers, each counted once today.
    assert counted(article) == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://elsewhere.example"},
        {"HTTP_ORIGIN": "null"},
    ],
)
def test_a_cross_origin_post_counts_nothing(client, headers):
    article = make_article()
    # The first request of a process looks the Wagtail site up once.
    assert client.get(f"/analytics/views/{article.pk}/").status_code == 405
    with CaptureQueriesContext(connection) as queries:
        response = beacon(client, article.pk, HTTP_USER_AGENT=BROWSER, **headers)
    assert response.status_code == 403
    assert len(queries) == 0
    assert counted(article) == 0


def test_a_post_from_the_sites_own_origin_counts(client):
    article = make_article()
    response = beacon(
        client, article.pk, HTTP_USER_AGENT=BROWSER, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 204
    assert counted(article) == 1
