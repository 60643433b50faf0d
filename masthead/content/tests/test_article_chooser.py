"""Corrections pick their article from the newest ones, with search (#14).

The page chooser opened on the page tree; the article chooser lists the
newest articles first and searches all of them.
"""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from masthead.content.factories import make_article, make_section

pytestmark = pytest.mark.django_db

CHOOSER = "/admin/article_chooser/"


def chosen_titles(response) -> list[str]:
    """The article titles a chooser response lists, in order."""
    assert response.status_code == 200
    html = response.json()["html"] if "json" in response["Content-Type"] else ""
    soup = BeautifulSoup(html or response.content, "html5lib")
    return [a.get_text(strip=True) for a in soup.select("a[data-chooser-modal-choice]")]


def test_the_chooser_opens_on_the_newest_articles(admin_client):
    section = make_section("World", "world")
    now = timezone.now()
    for days, title in [(3, "Old story"), (0, "Newest story"), (1, "Yesterday's")]:
        make_article(section, title=title, published_at=now - timedelta(days=days))
    titles = chosen_titles(admin_client.get(CHOOSER))
    assert titles[:3] == ["Newest story", "Yesterday's", "Old story"]


def test_the_chooser_searches_every_article(admin_client):
    section = make_section("Science", "science")
    make_article(section, title="Comet returns after a century")
    for n in range(25):
        make_article(section, title=f"Filler {n}")
    response = admin_client.get(f"{CHOOSER}results/", {"q": "comet"})
    assert chosen_titles(response) == ["Comet returns after a century"]


def test_the_correction_form_uses_the_article_chooser(admin_client):
    response = admin_client.get("/admin/snippets/content/correction/add/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html5lib")
    chooser = soup.select_one("[data-chooser-url]") or soup.find(
        attrs={"data-w-chooser-url-value": True}
    )
    text = str(soup.select_one("#id_article").parent.parent)
    assert CHOOSER in text or (chooser is not None and CHOOSER in str(chooser))
