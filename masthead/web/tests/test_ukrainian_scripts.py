"""The scripts' words and the day headings in each edition's language (#15).

updates.js has no words of its own: it reads them from the page's
``#updates-strings`` data block, one phrase per CLDR plural category.
"""

import datetime
import json

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import dateformat, translation

from masthead.content.factories import home_page, make_article, make_section
from masthead.content.models.live import LiveStatus
from masthead.core.dates import WEEKDAY_NAMES
from masthead.feed.factories import NewsFeedItemFactory

KYIV = datetime.timezone(datetime.timedelta(hours=2))
THURSDAY = datetime.datetime(2026, 12, 3, 14, 5, tzinfo=KYIV)

pytestmark = pytest.mark.django_db


def updates_strings(response, where: str = ".news-feed__live") -> dict:
    soup = BeautifulSoup(response.content, "html5lib")
    block = soup.select_one(f"{where} script#updates-strings")
    assert block is not None and block["type"] == "application/json"
    return json.loads(block.string or "")


def phrase(forms: dict, category: str, count: int) -> str:
    """What updates.js shows for ``count`` in plural ``category``."""
    return forms[category].replace("{count}", str(count))


def test_ukrainian_news_feed_gives_the_script_ukrainian_plurals(client):
    home_page("uk")

    strings = updates_strings(client.get("/uk/news-feed/"))

    # Intl.PluralRules("uk"): 1 and 21 "one", 2-4 "few", 5-20 "many".
    assert phrase(strings["show"], "one", 1) == "Показати 1 нове оновлення"
    assert phrase(strings["show"], "one", 21) == "Показати 21 нове оновлення"
    assert phrase(strings["show"], "few", 3) == "Показати 3 нові оновлення"
    assert phrase(strings["show"], "many", 5) == "Показати 5 нових оновлень"
    assert phrase(strings["status"], "one", 1) == "1 нове оновлення в стрічці новин."
    assert phrase(strings["status"], "many", 11) == (
        "11 нових оновлень у стрічці новин."
    )


def test_english_news_feed_gives_the_script_english_plurals(client):
    strings = updates_strings(client.get("/news-feed/"))

    assert phrase(strings["show"], "one", 1) == "Show 1 new update"
    assert phrase(strings["show"], "other", 2) == "Show 2 new updates"
    assert phrase(strings["status"], "one", 1) == "1 new update in the News Feed."
    assert phrase(strings["status"], "other", 7) == "7 new updates in the News Feed."


def test_ukrainian_live_page_gives_the_script_ukrainian_plurals(client):
    page = make_article(make_section("Світ", "svit", home=home_page("uk")))
    page.live_status = LiveStatus.LIVE
    page.coverage_started_at = THURSDAY
    page.save()

    strings = updates_strings(client.get(page.url), ".live-coverage__poll")

    assert phrase(strings["show"], "few", 2) == "Показати 2 нові оновлення"
    assert phrase(strings["status"], "one", 1) == "1 нове оновлення в цій трансляції."


def test_updates_strings_cannot_close_their_script_element(client):
    """The data block is JSON escaped for HTML: no text ends the element."""
    response = client.get("/news-feed/")

    assert response.content.count(b"</script>") == response.content.count(b"<script")


def test_polled_ukrainian_posts_carry_a_lowercase_day_heading(client):
    uk_home = home_page("uk")
    with time_machine.travel(THURSDAY + datetime.timedelta(hours=1), tick=False):
        NewsFeedItemFactory(published_at=THURSDAY, locale=uk_home.locale)
        data = client.get("/uk/news-feed/updates.json").json()

    assert data["items"][0]["day_label"] == "четвер, 3 грудня"


def test_ukrainian_weekdays_are_lowercase_and_english_ones_unchanged():
    monday = datetime.date(2026, 11, 30)
    days = [monday + datetime.timedelta(days=n) for n in range(7)]

    with translation.override("uk"):
        ukrainian = [dateformat.format(day, "l") for day in days]
    with translation.override("en"):
        english = [dateformat.format(day, "l") for day in days]

    assert ukrainian == [
        "понеділок",
        "вівторок",
        "середа",
        "четвер",
        "п’ятниця",
        "субота",
        "неділя",
    ]
    assert english == list(WEEKDAY_NAMES)
