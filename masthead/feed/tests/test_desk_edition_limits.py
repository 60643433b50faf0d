"""A one-edition editor's desks offer, accept and list that edition only (#15)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import Locale
from wagtail.test.utils.form_data import rich_text

from masthead.content.models import ArticlePage
from masthead.content.models.live import LiveStatus
from masthead.feed import live
from masthead.feed.factories import NewsFeedItemFactory
from masthead.feed.models import NewsFeedItem
from masthead.newsroom.services import EDITOR

pytestmark = pytest.mark.django_db

DESK = "/admin/news-feed-desk/"
LIVE_DESK = "/admin/news-feed-desk/live/"


@pytest.fixture
def locales():
    return (
        Locale.objects.get(language_code="en"),
        Locale.objects.get(language_code="uk"),
    )


def page_of(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html5lib")


def test_desk_offers_only_the_editors_edition(client, uk_editor):
    page = page_of(client.get(DESK))
    choices = [
        option.get_text(strip=True)
        for option in page.select('select[name="locale"] option')
    ]
    assert choices == ["Українська"]


def test_post_for_another_edition_is_refused(client, uk_editor, locales):
    english, _ = locales
    response = client.post(
        DESK,
        {"locale": english.pk, "headline": "Sirens", "body": rich_text("<p>x</p>")},
    )
    page = page_of(response)
    assert page.select_one(".error-message, .help-critical, .w-field__errors")
    assert not NewsFeedItem.objects.exists()


def test_post_without_a_choice_goes_to_the_editors_edition(client, uk_editor, locales):
    _, ukrainian = locales
    response = client.post(
        DESK, {"headline": "Тривога", "body": rich_text("<p>Укриття.</p>")}
    )
    assert response.status_code == 302
    assert NewsFeedItem.objects.get().locale == ukrainian


def test_desk_lists_only_the_editors_editions_posts(client, uk_editor, locales):
    english, ukrainian = locales
    NewsFeedItemFactory(headline="English post", locale=english)
    NewsFeedItemFactory(headline="Український допис", locale=ukrainian)
    page = page_of(client.get(DESK))
    rows = [
        row.find_all("td")[1].get_text(strip=True) for row in page.select("tbody tr")
    ]
    assert rows == ["Український допис"]


def test_actions_on_another_editions_post_answer_404(client, uk_editor, locales):
    english, _ = locales
    item = NewsFeedItemFactory(headline="English post", locale=english)
    for action in ("pin", "delete", "promote"):
        assert client.post(f"{DESK}{item.pk}/{action}/").status_code == 404
    assert NewsFeedItem.objects.filter(pk=item.pk, is_pinned=False).exists()


def test_global_editor_still_sees_every_edition(
    client, django_user_model, sign_in_with_code, edition_sections, locales
):
    user = django_user_model.objects.create_user("g", password="a-long-pass-phrase")
    user.groups.add(Group.objects.get(name=EDITOR))
    sign_in_with_code(client, user)
    english, ukrainian = locales
    NewsFeedItemFactory(headline="English post", locale=english)
    NewsFeedItemFactory(headline="Український допис", locale=ukrainian)
    page = page_of(client.get(DESK))
    assert len(page.select("tbody tr")) == 2


def test_live_desk_lists_and_accepts_the_editors_edition_only(
    client, uk_editor, edition_sections, django_user_model
):
    english, ukrainian = edition_sections
    admin = django_user_model.objects.create_superuser("boss", password="x" * 12)
    en_live = live.start_live_page(title="Floods", section=english, user=admin)
    uk_live = live.start_live_page(title="Повінь", section=ukrainian, user=admin)
    page = page_of(client.get(LIVE_DESK))
    offered = {
        option.get_text(strip=True)
        for option in page.select('select[name="update-live_page"] option')
        if option.get("value")
    }
    assert offered == {"Повінь"}
    sections_offered = {
        option.get_text(strip=True)
        for option in page.select('select[name="start-section"] option')
        if option.get("value")
    }
    assert sections_offered == {"Світ"}
    response = client.post(
        LIVE_DESK,
        {
            "update-live_page": en_live.pk,
            "update-headline": "Dam holds",
            "update-text": "Engineers say the dam holds.",
        },
    )
    assert response.status_code == 200
    assert not NewsFeedItem.objects.exists()
    assert client.post(f"{LIVE_DESK}{en_live.pk}/close/").status_code == 404
    assert ArticlePage.objects.get(pk=en_live.pk).live_status == LiveStatus.LIVE
    assert client.post(f"{LIVE_DESK}{uk_live.pk}/close/").status_code == 302
