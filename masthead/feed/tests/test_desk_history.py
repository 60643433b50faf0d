"""Desk actions are in Wagtail's audit log; promoted drafts get a real slug (#14)."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import ModelLogEntry
from wagtail.test.utils.form_data import rich_text

from masthead.content.factories import make_section
from masthead.content.models import ArticlePage
from masthead.core.factories import LibraryImageFactory
from masthead.feed.factories import NewsFeedItemFactory
from masthead.feed.models import NewsFeedItem
from masthead.feed.services import draft_slug

pytestmark = pytest.mark.django_db

DESK = "/admin/news-feed-desk/"


def history(item_pk: int) -> list[tuple[str, str]]:
    """The item's audit log, oldest first: (action, user)."""
    entries = ModelLogEntry.objects.filter(
        content_type__model="newsfeeditem", object_id=str(item_pk)
    ).order_by("timestamp", "pk")
    return [(entry.action, entry.user.username) for entry in entries]


def test_every_desk_action_is_in_the_items_history(admin_client, admin_user):
    section = make_section("Ukraine", "ukraine")
    admin_client.post(
        DESK, {"headline": "Bridge reopens", "body": rich_text("<p>At noon.</p>")}
    )
    item = NewsFeedItem.objects.get()
    admin_client.post(f"{DESK}{item.pk}/pin/")
    admin_client.post(f"{DESK}{item.pk}/pin/")
    admin_client.post(f"{DESK}{item.pk}/promote/", {"section": section.pk})
    admin_client.post(f"{DESK}{item.pk}/delete/")

    assert not NewsFeedItem.objects.exists()
    assert history(item.pk) == [
        ("wagtail.create", admin_user.username),
        ("masthead.feed.pin", admin_user.username),
        ("masthead.feed.unpin", admin_user.username),
        ("masthead.feed.promote", admin_user.username),
        ("wagtail.delete", admin_user.username),
    ]


def test_snippet_editor_edits_are_in_the_same_history(admin_client, admin_user):
    item = NewsFeedItemFactory(headline="Bridge reopens")
    response = admin_client.post(
        f"/admin/snippets/feed/newsfeeditem/edit/{item.pk}/",
        {
            "headline": "Bridge reopens to traffic",
            "body": rich_text("<p>At noon.</p>"),
            "published_at": "2026-01-05 10:00",
        },
    )
    assert response.status_code == 302
    assert history(item.pk) == [("wagtail.edit", admin_user.username)]


def test_desk_actions_show_in_the_admins_site_history(admin_client):
    admin_client.post(
        DESK, {"headline": "Bridge reopens", "body": rich_text("<p>At noon.</p>")}
    )
    item = NewsFeedItem.objects.get()
    admin_client.post(f"{DESK}{item.pk}/pin/")
    soup = BeautifulSoup(
        admin_client.get("/admin/reports/site-history/").content, "html5lib"
    )
    text = " ".join(soup.get_text().split())
    assert "Pinned to the top of the News Feed" in text
    assert "Bridge reopens" in text


def test_promoted_draft_takes_its_slug_from_the_headline(admin_client):
    section = make_section("Ukraine", "ukraine")
    item = NewsFeedItemFactory(
        headline="Bridge reopens: what we know",
        body='<p>Traffic <b>resumed</b> at <a href="https://example.org/">noon</a>.</p>',
    )
    admin_client.post(f"{DESK}{item.pk}/promote/", {"section": section.pk})
    article = ArticlePage.objects.get()
    assert article.slug == "bridge-reopens-what-we-know"
    body = BeautifulSoup(article.body_html, "html5lib")
    assert body.find("b").get_text() == "resumed"
    assert body.find("a")["href"] == "https://example.org/"


def test_promoted_draft_keeps_the_posts_photo():
    from masthead.feed.services import draft_body

    image = LibraryImageFactory()
    item = NewsFeedItemFactory(image=image, image_caption="The new span.")
    blocks = dict(draft_body(item))
    assert blocks["image"]["image"] == image
    assert blocks["image"]["caption"] == "The new span."


def test_draft_slug_is_unique_among_siblings_and_falls_back():
    section = make_section("Ukraine", "ukraine")
    first = draft_slug(section, "Bridge reopens", fallback="news-feed-1")
    assert first == "bridge-reopens"
    section.add_child(
        instance=ArticlePage(title="Bridge reopens", slug=first, live=False)
    )
    assert draft_slug(section, "Bridge reopens", fallback="x") == "bridge-reopens-1"
    assert draft_slug(section, "Міст відкрито", fallback="x") == "mist-vidkryto"
    assert draft_slug(section, "???", fallback="news-feed-7") == "news-feed-7"
