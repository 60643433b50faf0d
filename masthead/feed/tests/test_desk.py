import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group

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


def test_author_posts_from_the_desk_in_one_request(client, django_user_model):
    client.force_login(staff(django_user_model, AUTHOR))
    article = make_article(title="Full story")
    response = client.post(
        "/admin/news-feed-desk/",
        {
            "headline": "Explosions heard in Kyiv",
            "text": "Air defence is active.\n\nResidents are urged to shelter.",
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
    feed = BeautifulSoup(client.get("/news-feed/").content, "html.parser")
    assert feed.select_one(".feed-post__headline").get_text() == item.headline


def test_desk_escapes_markup_typed_into_the_form(client, django_user_model):
    client.force_login(staff(django_user_model, AUTHOR))
    client.post(
        "/admin/news-feed-desk/",
        {"headline": "X", "text": "<script>alert(1)</script>"},
    )
    item = NewsFeedItem.objects.get()
    assert "<script>" not in item.body_html
    assert "&lt;script&gt;" in item.body_html


def test_desk_rejects_a_post_without_a_headline(client, django_user_model):
    client.force_login(staff(django_user_model, AUTHOR))
    response = client.post("/admin/news-feed-desk/", {"headline": "", "text": "x"})
    assert response.status_code == 200
    assert "headline" in response.context["form"].errors
    assert not NewsFeedItem.objects.exists()


def test_contributor_cannot_use_the_desk(client, django_user_model):
    client.force_login(staff(django_user_model, CONTRIBUTOR))
    response = client.post("/admin/news-feed-desk/", {"headline": "x", "text": "y"})
    assert response.status_code in (302, 403)
    assert not NewsFeedItem.objects.exists()


def test_pinned_post_stays_on_top(client, django_user_model):
    client.force_login(staff(django_user_model, AUTHOR))
    old = NewsFeedItemFactory(headline="Shelter map")
    NewsFeedItemFactory(headline="Newer post")
    assert client.post(f"/admin/news-feed-desk/{old.pk}/pin/").status_code == 302
    soup = BeautifulSoup(client.get("/news-feed/").content, "html.parser")
    pinned = soup.select(".news-feed__pinned .feed-post__headline")
    assert [h.get_text() for h in pinned] == ["Shelter map"]


def test_promote_starts_an_article_draft_with_the_posts_text(client, django_user_model):
    user = staff(django_user_model, AUTHOR)
    client.force_login(user)
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


def test_promote_without_a_section_is_a_clear_error(client, django_user_model):
    client.force_login(staff(django_user_model, AUTHOR))
    item = NewsFeedItemFactory()
    response = client.post(
        f"/admin/news-feed-desk/{item.pk}/promote/", {"section": "x"}
    )
    assert response.status_code == 302
    assert not ArticlePage.objects.exists()


def test_desk_page_lists_latest_posts_with_their_actions(client, django_user_model):
    client.force_login(staff(django_user_model, AUTHOR))
    make_section("Europe", "europe")
    item = NewsFeedItemFactory(headline="Ceasefire talks resume")
    response = client.get("/admin/news-feed-desk/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    row = soup.find("td", string=lambda s: s and "Ceasefire talks resume" in s).parent
    actions = {form["action"] for form in row.find_all("form")}
    assert actions == {
        f"/admin/news-feed-desk/{item.pk}/pin/",
        f"/admin/news-feed-desk/{item.pk}/promote/",
    }
    assert soup.find("input", attrs={"name": "headline"}) is not None
