"""An embargoed article is invisible everywhere until its time (issue #4)."""

from datetime import timedelta

import feedparser
import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.content.services import release_embargoes
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

HEADLINE = "Embargoed budget figures"


@pytest.fixture
def embargoed(django_capture_on_commit_callbacks):
    # Search indexes after commit; run those hooks so the index is current.
    with django_capture_on_commit_callbacks(execute=True):
        return build_embargoed()


def build_embargoed():
    section = make_section("Business", "business")
    author, tag = AuthorFactory(), TagFactory()
    make_article(section, authors=[author], tags=[tag], title="Visible story")
    article = make_article(
        section,
        authors=[author],
        tags=[tag],
        title=HEADLINE,
        embargo_until=timezone.now() + timedelta(hours=2),
    )
    return article, section, author, tag


def places(article, section, author, tag) -> dict[str, str]:
    return {
        "home": "/",
        "section": section.url,
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "news feed page": "/news-feed/",
        "site RSS": "/feeds/rss/",
        "site Atom": "/feeds/atom/",
        "section RSS": f"/feeds/section/{section.slug}/rss/",
        "JSON Feed": "/feeds/json/",
        "sitemap": "/sitemap-articles.xml",
        "news sitemap": "/news-sitemap.xml",
        "search": f"/search/?q={HEADLINE.split()[1]}",
    }


def shows(client, url: str, article) -> bool:
    response = client.get(url)
    assert response.status_code == 200, url
    text = response.content.decode()
    return HEADLINE in text or article.url in text


def test_embargoed_article_is_nowhere(client, embargoed):
    article, *rest = embargoed
    assert client.get(article.url).status_code == 404
    for name, url in places(article, *rest).items():
        assert not shows(client, url, article), name
    assert not ArticlePage.objects.published().filter(pk=article.pk).exists()
    assert not ArticlePage.objects.get(pk=article.pk).is_published


def test_article_appears_everywhere_when_the_embargo_lifts(
    client, embargoed, django_capture_on_commit_callbacks
):
    article, *rest = embargoed
    ArticlePage.objects.filter(pk=article.pk).update(
        embargo_until=timezone.now() - timedelta(seconds=1)
    )
    # What the scheduler does every interval: search learns of the release.
    with django_capture_on_commit_callbacks(execute=True):
        released = release_embargoes(
            timezone.now() - timedelta(minutes=1), timezone.now()
        )
    assert released == [article.pk]
    assert client.get(article.url).status_code == 200
    for name, url in places(article, *rest).items():
        if name == "news feed page":
            continue  # lists News Feed posts, not articles
        assert shows(client, url, article), name


def test_feeds_stay_valid_under_embargo(client, embargoed):
    feed = feedparser.parse(client.get("/feeds/rss/").content)
    assert feed.bozo == 0
    assert HEADLINE not in [entry.title for entry in feed.entries]


def test_editor_can_preview_an_embargoed_article(admin_client, embargoed):
    article, *_ = embargoed
    response = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    assert HEADLINE in BeautifulSoup(response.content, "html.parser").h1.get_text()
