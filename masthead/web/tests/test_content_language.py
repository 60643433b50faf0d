"""Every place that declares the content language follows the edition (#14, #15).

The default edition's language is the setting (``MASTHEAD_LANGUAGE``); the
Ukrainian edition's pages, under ``/uk/``, declare ``uk``.
"""

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import home_page, make_article, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def ukrainian():
    """A section of the Ukrainian edition."""
    return make_section("Новини", "novyny", home=home_page("uk"))


def page_declarations(client, url):
    soup = BeautifulSoup(client.get(url).content, "html5lib")
    data = next(
        json.loads(s.string)
        for s in soup.find_all("script", type="application/ld+json")
        if "headline" in json.loads(s.string)
    )
    locale = soup.find("meta", property="og:locale")
    return soup.html["lang"], data["inLanguage"], locale["content"] if locale else None


def test_english_by_default(client):
    article = make_article()
    assert page_declarations(client, article.url) == ("en", "en", "en_US")


def test_ukrainian_editions_article_declares_ukrainian(client, ukrainian):
    article = make_article(ukrainian)
    assert page_declarations(client, article.url) == ("uk", "uk", "uk_UA")


def test_british_english_keeps_its_region(client, settings):
    settings.LANGUAGE_CODE = "en-gb"
    article = make_article()
    assert page_declarations(client, article.url) == ("en-GB", "en-GB", "en_GB")


def test_other_pages_follow_the_edition(client, ukrainian):
    article = make_article(ukrainian)
    for url in ["/uk/", article.section.url, "/uk/search/?q=x"]:
        soup = BeautifulSoup(client.get(url).content, "html5lib")
        assert soup.html["lang"] == "uk", url


def test_feeds_and_news_sitemap_follow_the_edition(client, ukrainian):
    make_article(ukrainian)
    rss = ET.fromstring(client.get("/uk/feeds/rss/").content)
    assert rss.findtext("channel/language") == "uk"
    atom = ET.fromstring(client.get("/uk/feeds/atom/").content)
    assert atom.get("{http://www.w3.org/XML/1998/namespace}lang") == "uk"
    assert client.get("/uk/feeds/json/").json()["language"] == "uk"
    sitemap = ET.fromstring(client.get("/uk/news-sitemap.xml").content)
    ns = {"news": "http://www.google.com/schemas/sitemap-news/0.9"}
    languages = {e.text for e in sitemap.iterfind(".//news:language", ns)}
    assert languages == {"uk"}
