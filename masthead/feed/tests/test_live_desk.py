"""The live desk: post to a live page, start, close and write up (issue #14)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.models import PageLogEntry

from masthead.content.factories import make_section
from masthead.content.models import ArticlePage
from masthead.content.models.live import LiveStatus
from masthead.feed import live
from masthead.feed.factories import NewsFeedItemFactory
from masthead.feed.models import NewsFeedItem
from masthead.newsroom.services import AUTHOR, CONTRIBUTOR, EDITOR

pytestmark = pytest.mark.django_db

DESK = "/admin/news-feed-desk/live/"


def staff(django_user_model, role, name):
    user = django_user_model.objects.create_user(name, password="a-long-pass-phrase")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def editor(client, django_user_model, sign_in_with_code):
    user = staff(django_user_model, EDITOR, "editor")
    sign_in_with_code(client, user)
    return user


def test_editor_starts_a_live_page_and_posts_a_key_event(client, editor):
    section = make_section()
    response = client.post(
        DESK,
        {"start-title": "Floods in the west", "start-section": section.pk},
    )
    assert response.status_code == 302
    page = ArticlePage.objects.get(live_status=LiveStatus.LIVE)
    assert page.live
    response = client.post(
        DESK,
        {
            "update-live_page": page.pk,
            "update-headline": "Dam holds",
            "update-text": "Engineers say the dam holds.",
            "update-is_key_event": "on",
        },
    )
    assert response.status_code == 302
    item = NewsFeedItem.objects.get()
    assert (item.live_page_id, item.is_key_event) == (page.pk, True)
    public = BeautifulSoup(client.get(page.url).content, "html5lib")
    keys = public.select(".key-events a")
    assert [a["href"] for a in keys] == [f"#item-{item.pk}"]
    assert keys[0].get_text(" ", strip=True).endswith("Dam holds")


def test_desk_lists_live_pages_with_close_and_write_up(client, editor):
    page = live.start_live_page(title="Floods", section=make_section(), user=editor)
    soup = BeautifulSoup(client.get(DESK).content, "html5lib")
    actions = {form["action"] for form in soup.select("table form")}
    assert actions == {f"{DESK}{page.pk}/close/", f"{DESK}{page.pk}/write-up/"}
    response = client.post(f"{DESK}{page.pk}/close/")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live_status == LiveStatus.CLOSED
    client.post(f"{DESK}{page.pk}/close/")
    page.refresh_from_db()
    assert page.live_status == LiveStatus.LIVE
    response = client.post(f"{DESK}{page.pk}/write-up/")
    draft = ArticlePage.objects.exclude(pk=page.pk).get()
    assert response["Location"] == f"/admin/pages/{draft.pk}/edit/"


def test_author_may_not_close_an_editors_live_page(
    client, django_user_model, sign_in_with_code
):
    editor = staff(django_user_model, EDITOR, "editor")
    page = live.start_live_page(title="Floods", section=make_section(), user=editor)
    sign_in_with_code(client, staff(django_user_model, AUTHOR, "author"))
    response = client.post(f"{DESK}{page.pk}/close/")
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live_status == LiveStatus.LIVE


def test_contributor_gets_403_and_nothing_changes(client, django_user_model):
    editor = staff(django_user_model, EDITOR, "editor")
    page = live.start_live_page(title="Floods", section=make_section(), user=editor)
    client.force_login(staff(django_user_model, CONTRIBUTOR, "contributor"))
    assert client.get(DESK).status_code == 403
    assert client.post(f"{DESK}{page.pk}/close/").status_code == 403
    assert client.post(f"{DESK}{page.pk}/write-up/").status_code == 403
    page.refresh_from_db()
    assert page.live_status == LiveStatus.LIVE


def test_unknown_or_ordinary_page_is_404(client, editor):
    assert client.post(f"{DESK}999999/close/").status_code == 404
    section = make_section()
    assert client.post(f"{DESK}{section.pk}/write-up/").status_code == 404


def test_bad_form_input_is_a_form_error_not_a_500(client, editor):
    response = client.post(
        DESK, {"update-live_page": "abc", "update-headline": "", "update-text": ""}
    )
    assert response.status_code == 200
    assert not NewsFeedItem.objects.exists()


def test_editor_attaches_a_posted_item_as_a_key_event(client, editor):
    page = live.start_live_page(title="Floods", section=make_section(), user=editor)
    item = NewsFeedItemFactory(headline="River rising")
    response = client.post(
        DESK,
        {
            "attach-item": item.pk,
            "attach-live_page": page.pk,
            "attach-is_key_event": "on",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.live_page_id, item.is_key_event) == (page.pk, True)
    assert PageLogEntry.objects.filter(page=page, action=live.LOG_ATTACH).exists()


def test_attaching_to_closed_coverage_is_refused(client, editor):
    page = live.start_live_page(title="Floods", section=make_section(), user=editor)
    live.close_live_page(page, user=editor)
    item = NewsFeedItemFactory()
    response = client.post(DESK, {"attach-item": item.pk, "attach-live_page": page.pk})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.live_page_id is None
