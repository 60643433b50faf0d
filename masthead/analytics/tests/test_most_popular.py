from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.analytics.models import DailyArticleViews, PopularArticle
from masthead.analytics.services import (
    beacon_token,
    is_bot,
    record_view,
    refresh_most_popular,
)
from masthead.content.factories import make_article

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"


def views(article, days_ago: int, count: int):
    day = timezone.localdate() - timedelta(days=days_ago)
    DailyArticleViews.objects.create(article=article, day=day, view_count=count)


def ranking(days=7):
    return list(
        PopularArticle.objects.for_window(days).values_list("article", flat=True)
    )


@pytest.mark.parametrize(
    "agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 HeadlessChrome/126",
        "",
        None,
    ],
)
def test_common_bots_are_recognised(agent):
    assert is_bot(agent)


def test_a_browser_is_not_a_bot():
    assert not is_bot(BROWSER)


def test_views_make_one_row_per_article_per_day():
    article = make_article()
    for reader in ("192.0.2.1", "192.0.2.2", "192.0.2.3"):
        assert record_view(article.pk, BROWSER, address=reader)
    row = DailyArticleViews.objects.get(article=article)
    assert row.view_count == 3
    assert row.day == timezone.localdate()


def test_bot_views_are_not_counted():
    article = make_article()
    assert not record_view(article.pk, "Googlebot/2.1")
    assert not DailyArticleViews.objects.exists()


def test_views_of_unpublished_articles_are_not_counted():
    draft = make_article(publish=False)
    assert not record_view(draft.pk, BROWSER)
    assert not record_view(987654, BROWSER)
    assert not DailyArticleViews.objects.exists()


def test_ranking_orders_by_views_in_the_window():
    low, high, middle = make_article(), make_article(), make_article()
    views(low, 0, 5)
    views(high, 1, 50)
    views(middle, 6, 20)
    refresh_most_popular(7)
    assert ranking() == [high.pk, middle.pk, low.pk]


def test_views_older_than_seven_days_do_not_count():
    recent, old = make_article(), make_article()
    views(recent, 0, 10)
    views(old, 7, 1000)  # the eighth day back is outside the window
    views(old, 6, 1)
    refresh_most_popular(7)
    assert ranking() == [recent.pk, old.pk]


def test_unpublished_articles_leave_the_ranking():
    kept, withdrawn = make_article(), make_article()
    views(kept, 0, 1)
    views(withdrawn, 0, 100)
    withdrawn.unpublish()
    refresh_most_popular(7)
    assert ranking() == [kept.pk]


def test_last_day_window_is_separate():
    today, earlier = make_article(), make_article()
    views(today, 0, 2)
    views(earlier, 3, 200)
    refresh_most_popular(1)
    refresh_most_popular(7)
    assert ranking(1) == [today.pk]
    assert ranking(7) == [earlier.pk, today.pk]


def test_beacon_counts_a_view_and_is_never_cached(client):
    article = make_article()
    response = client.post(
        f"/analytics/views/{article.pk}/",
        {"token": beacon_token(article.pk)},
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 204
    assert "no-store" in response["Cache-Control"]
    assert DailyArticleViews.objects.get(article=article).view_count == 1


def test_beacon_refuses_get_and_ignores_unknown_ids(client):
    assert client.get("/analytics/views/1/").status_code == 405
    response = client.post(
        "/analytics/views/424242/",
        {"token": beacon_token(424242)},
        HTTP_USER_AGENT=BROWSER,
    )
    assert response.status_code == 204
    assert client.post("/analytics/views/99999999999999999999999/").status_code == 404


def test_last_24_hours_weighs_the_part_of_yesterday_still_inside():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from masthead.analytics.services import window_weights

    six_am = datetime(2026, 11, 27, 6, 0, tzinfo=ZoneInfo("Europe/Kyiv"))
    weights = window_weights(1, six_am)
    today, yesterday = six_am.date(), six_am.date() - timedelta(days=1)
    assert weights == {today: 1.0, yesterday: 0.75}
    assert len(window_weights(7, six_am)) == 7


def test_each_edition_has_its_own_ranking():
    from masthead.content.factories import home_page, make_section

    uk_home = home_page("uk")
    english = [make_article() for _ in range(2)]
    ukrainian = make_article(make_section("Світ", "svit", home=uk_home))
    views(english[0], 0, 30)
    views(english[1], 0, 20)
    views(ukrainian, 0, 5)

    assert refresh_most_popular(7) == 3

    def ranks(locale_id):
        return list(
            PopularArticle.objects.for_window(7, locale_id).values_list(
                "rank", "article"
            )
        )

    assert ranks(english[0].locale_id) == [(1, english[0].pk), (2, english[1].pk)]
    # The Ukrainian story heads its edition's list with fewer views.
    assert ranks(uk_home.locale_id) == [(1, ukrainian.pk)]
