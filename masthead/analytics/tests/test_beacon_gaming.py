"""Most Popular cannot be bought with scripted POSTs (issue #14).

In a trial 1,500 scripted POSTs to the view beacon put an article at #2.
Now a view needs the token of the article's own page, and one visitor (a
salted daily hash of address and User-Agent, never stored in the clear)
counts once per article and day.
"""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone

from masthead.analytics.models import CountedVisit, DailyArticleViews, DailySalt
from masthead.analytics.services import beacon_token, record_view
from masthead.analytics.tasks import refresh_most_popular
from masthead.cache import limits
from masthead.content.factories import make_article

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"
SCRIPTED_POSTS = 1_500


@pytest.fixture(autouse=True)
def _fresh_counts():
    limits.reset()
    with time_machine.travel("2026-12-03 10:00:05Z", tick=False):
        yield
    limits.reset()


def counted(article) -> int:
    row = DailyArticleViews.objects.filter(article=article).first()
    return row.view_count if row else 0


def beacon(client, article_id, token, address="192.0.2.10"):
    return client.post(
        f"/analytics/views/{article_id}/",
        {"token": token} if token is not None else {},
        REMOTE_ADDR=address,
        HTTP_USER_AGENT=BROWSER,
        HTTP_SEC_FETCH_SITE="same-origin",
    )


def page_token(client, article) -> str:
    """The token the article page gives its beacon, as a browser reads it."""
    soup = BeautifulSoup(client.get(article.url).content, "html5lib")
    script = soup.find(id="view-beacon")
    assert script is not None
    return str(script["data-beacon-token"])


def test_scripted_posts_with_the_pages_token_count_once(client, settings):
    # Limits out of the way: the once-a-day rule alone holds the count.
    settings.MASTHEAD_BEACON_CLIENT_LIMIT = SCRIPTED_POSTS * 2
    settings.MASTHEAD_BEACON_ARTICLE_LIMIT = SCRIPTED_POSTS * 2
    article = make_article()
    token = page_token(client, article)
    statuses = {
        beacon(client, article.pk, token).status_code for _ in range(SCRIPTED_POSTS)
    }
    assert statuses == {204}
    assert counted(article) == 1


def test_scripted_posts_under_the_default_limits_count_once(client):
    article = make_article()
    token = page_token(client, article)
    for _ in range(SCRIPTED_POSTS):
        beacon(client, article.pk, token)
    assert counted(article) == 1


def test_scripted_posts_from_many_addresses_without_a_token_count_nothing(client):
    article = make_article()
    statuses = {
        beacon(
            client, article.pk, None, address=f"198.51.{n // 250}.{n % 250}"
        ).status_code
        for n in range(SCRIPTED_POSTS)
    }
    assert statuses == {400}
    assert counted(article) == 0


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "12.",
        ".abc",
        "9" * 40 + ".abc",
        "\uff11\uff12.abc",
        "-5.abc",
        "\u00b2.abc",  # a digit to str.isdigit(), not to int()
    ],
)
def test_a_malformed_token_is_refused_not_an_error(client, token):
    article = make_article()
    assert beacon(client, article.pk, token).status_code == 400
    assert counted(article) == 0


def test_another_articles_token_is_refused(client):
    article, other = make_article(), make_article()
    assert beacon(client, article.pk, beacon_token(other.pk)).status_code == 400
    assert counted(article) == 0


def test_a_cached_pages_token_works_for_hours_then_expires(client, settings):
    settings.MASTHEAD_BEACON_TOKEN_HOURS = 6
    article = make_article()
    # The page was rendered (and cached) five hours ago.
    token = beacon_token(article.pk, now=timezone.now() - timedelta(hours=5))
    assert beacon(client, article.pk, token).status_code == 204
    stale = beacon_token(article.pk, now=timezone.now() - timedelta(hours=8))
    assert beacon(client, article.pk, stale, address="192.0.2.11").status_code == 400
    assert counted(article) == 1


def test_two_readers_count_twice_and_one_reader_again_tomorrow(client):
    article = make_article()
    token = page_token(client, article)
    beacon(client, article.pk, token, address="192.0.2.1")
    beacon(client, article.pk, token, address="192.0.2.2")
    beacon(client, article.pk, token, address="192.0.2.2")
    assert counted(article) == 2
    with time_machine.travel("2026-12-04 10:00:05Z", tick=False):
        assert beacon(client, article.pk, beacon_token(article.pk)).status_code == 204
        assert record_view(article.pk, BROWSER, address="192.0.2.1")
        assert not record_view(article.pk, BROWSER, address="192.0.2.1")
    assert DailyArticleViews.objects.filter(article=article).count() == 2


def test_only_hashes_are_kept_and_yesterdays_go_with_their_salt():
    article = make_article()
    address = "203.0.113.77"
    assert record_view(article.pk, BROWSER, address=address)
    visit = CountedVisit.objects.get()
    assert address not in visit.digest
    assert len(visit.digest) == 32
    first_salt = DailySalt.objects.get().salt

    with time_machine.travel("2026-12-04 10:00:05Z", tick=False):
        assert record_view(article.pk, BROWSER, address=address)
        # A new salt for the new day; yesterday's salt and hashes are gone.
        assert list(DailySalt.objects.values_list("day", flat=True)) == [
            timezone.localdate()
        ]
        assert DailySalt.objects.get().salt != first_salt
        assert not CountedVisit.objects.filter(day__lt=timezone.localdate()).exists()


def test_the_scheduled_refresh_forgets_yesterday_on_a_quiet_day():
    article = make_article()
    record_view(article.pk, BROWSER, address="192.0.2.5")
    with time_machine.travel("2026-12-04 10:00:05Z", tick=False):
        refresh_most_popular.enqueue()
        assert not DailySalt.objects.exists()
        assert not CountedVisit.objects.exists()
