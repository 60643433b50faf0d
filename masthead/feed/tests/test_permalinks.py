"""Each News Feed item has a page of its own that everything links to (#14)."""

import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from masthead.core.factories import LibraryImageFactory
from masthead.core.slugs import slug_from_text
from masthead.feed.factories import NewsFeedItemFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html5lib")


def test_slug_is_the_headline_in_latin_letters():
    assert (
        slug_from_text("Sirens in Kyiv: what we know") == "sirens-in-kyiv-what-we-know"
    )
    assert slug_from_text("Café reopens") == "cafe-reopens"


def test_slug_of_ukrainian_text_is_transliterated_officially():
    assert slug_from_text("Повітряна тривога в Києві") == "povitriana-tryvoha-v-kyievi"


def test_slug_of_other_scripts_keeps_their_letters():
    assert slug_from_text("Αθήνα σήμερα") == "αθήνα-σήμερα"
    assert slug_from_text("!!!") == ""


def test_long_slug_ends_at_a_whole_word():
    slug = slug_from_text("word " * 40)
    assert len(slug) <= 80
    assert slug.endswith("word")


def test_item_page_has_canonical_address_and_news_article_data(client):
    item = NewsFeedItemFactory(
        headline="Sirens in Kyiv", body="<p>Air defence is <b>active</b>.</p>"
    )
    assert item.get_absolute_url() == f"/news-feed/{item.pk}-sirens-in-kyiv/"
    response = client.get(item.get_absolute_url())
    soup = page(response)
    assert "public" in response["Cache-Control"]
    assert soup.find("h1").get_text() == "Sirens in Kyiv"
    assert soup.select_one(".feed-post__body b").get_text() == "active"
    canonical = soup.find("link", rel="canonical")["href"]
    assert canonical == f"http://testserver/news-feed/{item.pk}-sirens-in-kyiv/"
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:url"] == canonical
    assert og["og:title"] == "Sirens in Kyiv"
    data = [
        json.loads(script.string)
        for script in soup.find_all("script", type="application/ld+json")
    ]
    article = next(d for d in data if d["@type"] == "NewsArticle")
    assert article["url"] == canonical
    assert article["headline"] == "Sirens in Kyiv"
    assert article["datePublished"].startswith(str(item.published_at.year))
    assert article["dateModified"]
    assert article["publisher"]["@type"] == "NewsMediaOrganization"
    assert article["author"][0]["@type"] == "NewsMediaOrganization"
    # The site layout: header, the sidebar with its News Feed box.
    assert soup.select_one("header") is not None
    assert soup.select_one(".feed-box") is not None


def test_wrong_or_missing_slug_redirects_permanently(client):
    item = NewsFeedItemFactory(headline="All clear")
    for url in (f"/news-feed/{item.pk}-sirens/", f"/news-feed/{item.pk}/"):
        response = client.get(url)
        assert response.status_code == 301, url
        assert response["Location"] == f"/news-feed/{item.pk}-all-clear/"


def test_edited_headline_moves_the_page_and_the_old_address_follows(client):
    item = NewsFeedItemFactory(headline="Sirens in Kyiv")
    old = item.get_absolute_url()
    item.headline = "All clear in Kyiv"
    item.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == f"/news-feed/{item.pk}-all-clear-in-kyiv/"


def test_non_latin_headline_has_a_working_address(client):
    item = NewsFeedItemFactory(headline="Тривога")
    assert page(client.get(item.get_absolute_url())).find("h1").get_text() == "Тривога"


def test_scheduled_and_unknown_items_are_not_found_and_not_kept(client):
    scheduled = NewsFeedItemFactory(
        headline="Later", published_at=timezone.now() + timedelta(hours=1)
    )
    response = client.get(f"/news-feed/{scheduled.pk}-later/")
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"/news-feed/{scheduled.pk + 1}-later/").status_code == 404
    assert client.get("/news-feed/99999999999999999999/").status_code == 404


def test_scheduled_item_is_linked_from_nowhere(client):
    scheduled = NewsFeedItemFactory(
        headline="Later", published_at=timezone.now() + timedelta(hours=1)
    )
    url = f"/news-feed/{scheduled.pk}-"
    for address in ("/news-feed/", "/news-feed/updates.json", "/feeds/news-feed/rss/"):
        assert url not in client.get(address).content.decode(), address


def test_news_feed_page_and_sidebar_link_each_item_to_its_page(client):
    item = NewsFeedItemFactory(headline="Bridge reopens", is_pinned=True)
    soup = page(client.get("/news-feed/"))
    links = {a["href"] for a in soup.select(".feed-post__headline a")}
    assert links == {item.get_absolute_url()}
    other = page(client.get(item.get_absolute_url()))
    sidebar = [a["href"] for a in other.select(".feed-box .feed-item__headline")]
    assert sidebar == [item.get_absolute_url()]


@pytest.mark.parametrize("fmt", ["rss", "atom"])
def test_feeds_link_each_item_to_its_page(client, fmt):
    item = NewsFeedItemFactory(headline="Bridge reopens")
    root = ElementTree.fromstring(client.get(f"/feeds/news-feed/{fmt}/").content)
    expected = f"http://testserver{item.get_absolute_url()}"
    if fmt == "rss":
        links = [link.text for link in root.iter("link")][1:]
    else:
        links = [
            link.get("href")
            for entry in root.iter(f"{ATOM}entry")
            for link in entry.iter(f"{ATOM}link")
        ]
    assert links == [expected]


def test_json_feed_links_each_item_to_its_page(client):
    item = NewsFeedItemFactory(headline="Bridge reopens")
    data = client.get("/feeds/news-feed/json/").json()
    assert [entry["url"] for entry in data["items"]] == [
        f"http://testserver{item.get_absolute_url()}"
    ]


def test_item_with_a_photo_shares_it(client):
    image = LibraryImageFactory(file__width=1600, file__height=900)
    item = NewsFeedItemFactory(
        headline="Bridge reopens", image=image, image_caption="The new span."
    )
    soup = page(client.get(item.get_absolute_url()))
    figure = soup.select_one(".feed-post__image")
    assert figure.find("img")["alt"] == image.alt_text
    assert "The new span." in figure.figcaption.get_text()
    assert image.credit in figure.figcaption.get_text()
    og = {m["property"]: m["content"] for m in soup.find_all("meta", property=True)}
    assert og["og:image:alt"] == image.alt_text


def test_warm_item_page_costs_a_fixed_few_queries(
    client, django_assert_max_num_queries
):
    items = NewsFeedItemFactory.create_batch(5)
    client.get(items[0].get_absolute_url())
    with django_assert_max_num_queries(3):
        assert client.get(items[1].get_absolute_url()).status_code == 200
