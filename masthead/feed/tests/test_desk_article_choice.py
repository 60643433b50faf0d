"""The desk links a post to any published article, chosen with search (#14).

The desk's article list held the 50 newest articles only; a follow-up to
last week's story could not link it.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.test.utils.form_data import rich_text

from masthead.content.factories import make_article, make_section
from masthead.feed.models import NewsFeedItem
from masthead.newsroom.services import AUTHOR

pytestmark = pytest.mark.django_db

NEWER_ARTICLES = 51


@pytest.fixture
def author(client, django_user_model, sign_in_with_code):
    user = django_user_model.objects.create_user("desk", password="a-long-pass")
    user.groups.add(Group.objects.get(name=AUTHOR))
    sign_in_with_code(client, user)
    return user


def test_a_post_links_an_article_older_than_the_newest_fifty(client, author):
    section = make_section("World", "world")
    now = timezone.now()
    old = make_article(
        section, title="Last week's story", published_at=now - timedelta(days=7)
    )
    for n in range(NEWER_ARTICLES):
        make_article(section, published_at=now - timedelta(minutes=n + 1))
    response = client.post(
        "/admin/news-feed-desk/",
        {"headline": "Follow-up", "body": rich_text("<p>More.</p>"), "article": old.pk},
    )
    assert response.status_code == 302
    assert NewsFeedItem.objects.get().article_id == old.pk


def test_the_desk_offers_the_article_chooser_with_search(client, author):
    make_article(title="Harbour reopens")
    page = client.get("/admin/news-feed-desk/")
    soup = BeautifulSoup(page.content, "html5lib")
    assert soup.find("select", attrs={"name": "article"}) is None
    assert "/admin/article_chooser/" in str(soup.find(id="id_article").parent.parent)
    # Authors may open it, and it searches.
    results = client.get("/admin/article_chooser/results/", {"q": "harbour"})
    assert results.status_code == 200
    html = BeautifulSoup(results.content, "html5lib")
    titles = [
        a.get_text(strip=True) for a in html.select("[data-chooser-modal-choice]")
    ]
    assert titles == ["Harbour reopens"]
