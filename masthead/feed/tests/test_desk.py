from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.utils import timezone
from wagtail.test.utils.form_data import rich_text

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.feed.factories import NewsFeedItemFactory
from masthead.feed.models import NewsFeedItem
from masthead.newsroom.services import AUTHOR, CONTRIBUTOR

pytestmark = pytest.mark.django_db


def staff(django_user_model, role, name="desk"):
    user = django_user_model.objects.create_user(name, password="a-long-pass-phrase")
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def author(client, django_user_model, sign_in_with_code):
    """An Author, the role with News Feed rights, signed in with a code."""
    user = staff(django_user_model, AUTHOR)
    sign_in_with_code(client, user)
    return user


@pytest.fixture
def contributor(client, django_user_model):
    """A Contributor: admin access but no News Feed rights (and owes no code)."""
    user = staff(django_user_model, CONTRIBUTOR, "contributor")
    client.force_login(user)
    return user


def test_author_posts_from_the_desk_in_one_request(client, author):
    article = make_article(title="Full story")
    response = client.post(
        "/admin/news-feed-desk/",
        {
            "headline": "Explosions heard in Kyiv",
            "body": rich_text(
                "<p>Air defence is <b>active</b>.</p>"
                '<p>Residents are urged to <a href="https://example.org/map">'
                "shelter</a>.</p>"
            ),
            "article": article.pk,
        },
    )
    assert response.status_code == 302
    item = NewsFeedItem.objects.get()
    assert item.article == article
    body = BeautifulSoup(item.body_html, "html.parser")
    assert [p.get_text() for p in body.find_all("p")] == [
        "Air defence is active.",
        "Residents are urged to shelter.",
    ]
    assert body.find("b").get_text() == "active"
    assert body.find("a")["href"] == "https://example.org/map"
    feed = BeautifulSoup(client.get("/news-feed/").content, "html.parser")
    assert feed.select_one(".feed-post__headline").get_text() == item.headline


def test_desk_escapes_markup_typed_into_the_form(client, author):
    client.post(
        "/admin/news-feed-desk/",
        {"headline": "X", "body": rich_text("<p>&lt;script&gt;alert(1)</p>")},
    )
    item = NewsFeedItem.objects.get()
    assert "<script>" not in item.body_html
    assert "&lt;script&gt;" in item.body_html


def test_desk_rejects_a_post_without_a_headline(client, author):
    response = client.post(
        "/admin/news-feed-desk/", {"headline": "", "body": rich_text("<p>x</p>")}
    )
    assert response.status_code == 200
    assert "headline" in response.context["form"].errors
    assert not NewsFeedItem.objects.exists()


def test_contributor_cannot_use_the_desk(client, contributor):
    response = client.post(
        "/admin/news-feed-desk/", {"headline": "x", "body": rich_text("<p>y</p>")}
    )
    assert response.status_code == 403
    assert not NewsFeedItem.objects.exists()
    assert client.get("/admin/news-feed-desk/").status_code == 403


def test_pinned_post_stays_on_top(client, author):
    old = NewsFeedItemFactory(headline="Shelter map")
    NewsFeedItemFactory(headline="Newer post")
    assert client.post(f"/admin/news-feed-desk/{old.pk}/pin/").status_code == 302
    soup = BeautifulSoup(client.get("/news-feed/").content, "html.parser")
    pinned = soup.select(".news-feed__pinned .feed-post__headline")
    assert [h.get_text() for h in pinned] == ["Shelter map"]


def test_promote_starts_an_article_draft_with_the_posts_text(client, author):
    user = author
    section = make_section("Ukraine", "ukraine")
    item = NewsFeedItemFactory(
        headline="Bridge reopens", body="<p>Traffic resumed at noon.</p>"
    )
    response = client.post(
        f"/admin/news-feed-desk/{item.pk}/promote/", {"section": section.pk}
    )
    article = ArticlePage.objects.get(title="Bridge reopens")
    assert response["Location"] == f"/admin/pages/{article.pk}/edit/"
    assert not article.live
    assert article.owner == user
    assert "Traffic resumed at noon." in article.body_html
    item.refresh_from_db()
    assert item.article_id == article.pk


def test_promote_without_a_section_is_a_clear_error(client, author):
    item = NewsFeedItemFactory()
    response = client.post(
        f"/admin/news-feed-desk/{item.pk}/promote/", {"section": "x"}
    )
    assert response.status_code == 302
    assert not ArticlePage.objects.exists()


def test_desk_page_lists_latest_posts_with_their_actions(client, author):
    make_section("Europe", "europe")
    item = NewsFeedItemFactory(headline="Ceasefire talks resume")
    response = client.get("/admin/news-feed-desk/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.find("td", string=lambda s: s and "Ceasefire talks resume" in s).parent
    actions = {form["action"] for form in row.find_all("form")}
    assert actions == {
        f"/admin/news-feed-desk/{item.pk}/pin/",
        f"/admin/news-feed-desk/{item.pk}/delete/",
        f"/admin/news-feed-desk/{item.pk}/promote/",
    }
    assert soup.find("input", attrs={"name": "headline"}) is not None


def test_contributor_cannot_pin_or_unpin(client, contributor):
    loose = NewsFeedItemFactory(is_pinned=False)
    pinned = NewsFeedItemFactory(is_pinned=True)
    for item in (loose, pinned):
        response = client.post(f"/admin/news-feed-desk/{item.pk}/pin/")
        assert response.status_code == 403
    assert NewsFeedItem.objects.get(pk=loose.pk).is_pinned is False
    assert NewsFeedItem.objects.get(pk=pinned.pk).is_pinned is True


def test_contributor_cannot_promote_a_post(client, contributor):
    section = make_section("Ukraine", "ukraine")
    scheduled = NewsFeedItemFactory(
        headline="Not out yet",
        body="<p>Embargoed statement.</p>",
        published_at=timezone.now() + timedelta(hours=2),
    )
    response = client.post(
        f"/admin/news-feed-desk/{scheduled.pk}/promote/", {"section": section.pk}
    )
    assert response.status_code == 403
    assert not ArticlePage.objects.exists()
    assert NewsFeedItem.objects.get(pk=scheduled.pk).article_id is None


def test_the_news_feed_role_pins_and_unpins(client, author):
    item = NewsFeedItemFactory(is_pinned=False)
    url = f"/admin/news-feed-desk/{item.pk}/pin/"
    assert client.post(url)["Location"] == "/admin/news-feed-desk/"
    assert NewsFeedItem.objects.get(pk=item.pk).is_pinned is True
    assert client.post(url)["Location"] == "/admin/news-feed-desk/"
    assert NewsFeedItem.objects.get(pk=item.pk).is_pinned is False


def test_promoting_twice_keeps_the_first_article_and_says_so(client, author):
    section = make_section("Ukraine", "ukraine")
    item = NewsFeedItemFactory(headline="Bridge reopens")
    url = f"/admin/news-feed-desk/{item.pk}/promote/"
    first = client.post(url, {"section": section.pk})
    article = ArticlePage.objects.get()
    assert first["Location"] == f"/admin/pages/{article.pk}/edit/"

    again = client.post(url, {"section": section.pk})

    assert again.status_code == 302
    assert again["Location"] == "/admin/news-feed-desk/"
    assert [m.level_tag for m in get_messages(again.wsgi_request)] == ["warning"]
    assert ArticlePage.objects.get().pk == article.pk
    assert NewsFeedItem.objects.get(pk=item.pk).article_id == article.pk


def test_promote_when_the_drafts_address_is_taken_picks_a_free_one(client, author):
    # The post's link was cleared in the full editor, but its first draft
    # still holds the address the next one would get.
    section = make_section("Ukraine", "ukraine")
    item = NewsFeedItemFactory(headline="Bridge reopens")
    url = f"/admin/news-feed-desk/{item.pk}/promote/"
    client.post(url, {"section": section.pk})
    NewsFeedItem.objects.filter(pk=item.pk).update(article=None)

    again = client.post(url, {"section": section.pk})

    second = ArticlePage.objects.get(pk=NewsFeedItem.objects.get(pk=item.pk).article_id)
    assert again["Location"] == f"/admin/pages/{second.pk}/edit/"
    slugs = sorted(ArticlePage.objects.values_list("slug", flat=True))
    assert slugs == ["bridge-reopens", "bridge-reopens-1"]
