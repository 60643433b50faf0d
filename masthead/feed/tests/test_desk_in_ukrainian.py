"""The desks speak the editor's admin language, Ukrainian included (#15)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from wagtail.test.utils.form_data import rich_text
from wagtail.users.models import UserProfile

from masthead.newsroom.services import AUTHOR

pytestmark = pytest.mark.django_db


def editor(client, django_user_model, sign_in_with_code, language):
    user = django_user_model.objects.create_user("desk", password="a-long-pass-phrase")
    user.groups.add(Group.objects.get(name=AUTHOR))
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()
    sign_in_with_code(client, user)
    return user


def text(node) -> str:
    return node.get_text(" ", strip=True)


def test_desk_is_in_ukrainian_for_a_ukrainian_account(
    client, django_user_model, sign_in_with_code
):
    editor(client, django_user_model, sign_in_with_code, "uk")

    soup = BeautifulSoup(client.get("/admin/news-feed-desk/").content, "html5lib")

    assert text(soup.select_one("h1")) == "Пульт стрічки новин"
    assert text(soup.select_one(".feed-desk__form button[type=submit]")) == (
        "Опублікувати"
    )
    labels = {
        text(label).rstrip("*").strip()
        for label in soup.select(".feed-desk__form label.w-field__label")
    }
    assert {"Видання", "Заголовок", "Текст", "Закріпити вгорі"} <= labels
    helps = {text(help) for help in soup.select(".feed-desk__form .help")}
    assert "Один-два короткі абзаци." in helps
    assert [text(th) for th in soup.select("table.listing th")] == [
        "Час",
        "Заголовок",
        "Дії",
    ]


def test_desk_message_is_in_ukrainian_for_a_ukrainian_account(
    client, django_user_model, sign_in_with_code
):
    editor(client, django_user_model, sign_in_with_code, "uk")

    response = client.post(
        "/admin/news-feed-desk/",
        {"headline": "Світло повернулося", "body": rich_text("<p>У Києві.</p>")},
    )

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Опубліковано: Світло повернулося"
    ]


def test_live_desk_is_in_ukrainian_for_a_ukrainian_account(
    client, django_user_model, sign_in_with_code
):
    editor(client, django_user_model, sign_in_with_code, "uk")

    soup = BeautifulSoup(client.get("/admin/news-feed-desk/live/").content, "html5lib")

    assert text(soup.select_one("h1")) == "Пульт трансляцій"
    headings = [text(h2) for h2 in soup.select("main h2")]
    assert "Почати трансляцію" in headings
    assert text(soup.select_one(".live-desk__start button[type=submit]")) == (
        "Почати трансляцію"
    )


def test_desk_stays_in_english_for_an_english_account(
    client, django_user_model, sign_in_with_code
):
    editor(client, django_user_model, sign_in_with_code, "en")

    soup = BeautifulSoup(client.get("/admin/news-feed-desk/").content, "html5lib")

    assert text(soup.select_one("h1")) == "News Feed desk"
    assert [text(th) for th in soup.select("table.listing th")] == [
        "Time",
        "Headline",
        "Actions",
    ]
