"""The desk posts into the edition the editor chooses (#15)."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale
from wagtail.test.utils.form_data import rich_text

from masthead.feed.models import NewsFeedItem

from .test_desk import author  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


def test_desk_offers_every_edition(client, author):  # noqa: F811
    page = BeautifulSoup(client.get("/admin/news-feed-desk/").content, "html5lib")
    choices = {
        option.get_text(strip=True)
        for option in page.select('select[name="locale"] option')
    }
    assert choices == {"English", "Українська"}


def test_post_goes_to_the_chosen_editions_news_feed(client, author):  # noqa: F811
    uk = Locale.objects.get(language_code="uk")
    response = client.post(
        "/admin/news-feed-desk/",
        {
            "locale": uk.pk,
            "headline": "Тривога в Києві",
            "body": rich_text("<p>Прямуйте в укриття.</p>"),
        },
    )
    assert response.status_code == 302
    item = NewsFeedItem.objects.get()
    assert item.locale == uk
    ukrainian = BeautifulSoup(client.get("/uk/news-feed/").content, "html5lib")
    english = BeautifulSoup(client.get("/news-feed/").content, "html5lib")
    assert [
        h.get_text(strip=True) for h in ukrainian.select(".feed-post__headline")
    ] == ["Тривога в Києві"]
    assert english.select(".feed-post__headline") == []
