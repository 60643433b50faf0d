"""JSON Feed 1.1 for every scope that has RSS and Atom (#14)."""

import json

import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import make_article, make_section
from masthead.feed.factories import NewsFeedItemFactory
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scopes():
    author, tag = AuthorFactory(slug="olena"), TagFactory(slug="energy")
    section = make_section("Business", "business")
    article = make_article(section, authors=[author], tags=[tag], title="Grid holds")
    make_article(make_section("Sport", "sport"), title="Elsewhere")
    NewsFeedItemFactory(headline="Sirens in Kyiv")
    return article


@pytest.mark.parametrize(
    ("url", "titles"),
    [
        ("/feeds/section/business/json/", ["Grid holds"]),
        ("/feeds/tag/energy/json/", ["Grid holds"]),
        ("/feeds/author/olena/json/", ["Grid holds"]),
        ("/feeds/news-feed/json/", ["Sirens in Kyiv"]),
    ],
)
def test_each_scope_has_a_json_feed_of_its_own_items(client, scopes, url, titles):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    assert "public" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]
    document = json.loads(response.content)
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["feed_url"] == f"http://testserver{url}"
    assert [item["title"] for item in document["items"]] == titles
    for item in document["items"]:
        assert {"id", "url", "date_published"} <= item.keys()


def test_json_feed_answers_conditional_requests(client, scopes):
    url = "/feeds/tag/energy/json/"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/tag/nothing/json/",
        "/feeds/author/nobody/json/",
        "/feeds/section/x/json/",
    ],
)
def test_unknown_scope_json_feed_is_404(client, scopes, url):
    assert client.get(url).status_code == 404


def test_tag_page_advertises_its_json_feed(client, scopes):
    soup = BeautifulSoup(client.get("/tags/energy/").content, "html5lib")
    hrefs = [
        link["href"]
        for link in soup.select(
            'head link[rel=alternate][type="application/feed+json"]'
        )
    ]
    assert "/feeds/tag/energy/json/" in hrefs
