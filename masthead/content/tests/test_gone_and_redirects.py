import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import make_article, make_section
from masthead.content.services import publish_article

pytestmark = pytest.mark.django_db


def test_unpublished_article_answers_410_gone(client):
    article = make_article()
    url = article.url
    article.unpublish()
    response = client.get(url)
    assert response.status_code == 410
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert "removed" in soup.h1.get_text()


def test_deleted_article_answers_410_gone(client):
    article = make_article()
    url = article.url
    article.delete()
    assert client.get(url).status_code == 410


def test_republished_article_is_back(client):
    article = make_article()
    url = article.url
    article.unpublish()
    publish_article(article)
    assert client.get(url).status_code == 200


def test_never_published_draft_is_a_plain_404(client):
    section = make_section()
    draft = make_article(section, publish=False)
    draft.delete()
    assert client.get(f"{section.url}{draft.slug}/").status_code == 404


def test_unknown_url_is_404_with_the_custom_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert BeautifulSoup(response.content, "html.parser").h1.get_text() == (
        "Page not found"
    )


def test_changing_the_slug_redirects_the_old_url(
    client, django_capture_on_commit_callbacks
):
    article = make_article(slug="old-slug")
    old_url = article.url
    article.slug = "new-slug"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/new-slug/")
    assert client.get(response["Location"]).status_code == 200


def test_moving_to_another_section_redirects_the_old_url(client):
    first, second = make_section("First", "first"), make_section("Second", "second")
    article = make_article(first, slug="moving-story")
    old_url = article.url
    article.move(second, pos="last-child")
    article.refresh_from_db()
    assert article.url == "/second/moving-story/"
    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"].endswith("/second/moving-story/")
