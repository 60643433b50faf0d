"""The 404 and 410 pages keep the site's header, logo, search and footer (#14)."""

from typing import Any
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError
from django.test import Client
from wagtail.models import Site

from masthead.content.factories import home_page, make_article, make_section
from masthead.core.models import SiteSettings

pytestmark = pytest.mark.django_db


def directives(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def assert_in_site_layout(response, heading: str) -> None:
    soup: Any = BeautifulSoup(response.content, "html5lib")
    header = soup.find("header", class_="site-header")
    assert header is not None
    logo: Any = header.find("a", class_="site-logo")
    assert logo["href"] == "/"
    assert logo.get_text(strip=True) == "The Test Gazette"
    search = header.find("form", attrs={"role": "search"})
    assert search is not None
    assert search.find("input", attrs={"name": "q"}) is not None
    footer = soup.find("footer", class_="site-footer")
    assert footer is not None
    assert footer.find("a", href="/tags/") is not None
    assert soup.find("main").h1.get_text() == heading
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert soup.title.get_text() == f"{heading} | The Test Gazette"


@pytest.fixture(autouse=True)
def publication_name():
    settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings.publication_name = "The Test Gazette"
    settings.save()


def test_404_page_shows_the_site_header_search_and_footer(client):
    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert_in_site_layout(response, "Page not found")
    assert {"public", "max-age=10"} <= directives(response)


def test_410_page_shows_the_site_header_search_and_footer(client):
    article = make_article()
    url = article.url
    article.unpublish()

    response = client.get(url)

    assert response.status_code == 410
    assert_in_site_layout(response, "This article has been removed")
    assert {"public", "max-age=60"} <= directives(response)


@pytest.mark.parametrize(
    ("status", "heading"),
    [(404, "Page not found"), (410, "This article has been removed")],
)
def test_error_page_is_plain_when_the_site_cannot_be_read(client, status, heading):
    article = make_article()
    url = article.url if status == 410 else "/no/such/page/"
    if status == 410:
        article.unpublish()

    with mock.patch(
        "masthead.content.error_pages.site_context",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.get(url)

    assert response.status_code == status
    soup: Any = BeautifulSoup(response.content, "html5lib")
    assert soup.find("main").h1.get_text() == heading
    assert soup.find("header") is None


# Each edition's error pages (#15) ---------------------------------------------


def front_page_links(soup: Any) -> list[str]:
    """Where the message's "Go to the front page" link leads."""
    return [a["href"] for a in soup.select("main a") if a["href"] in {"/", "/uk/"}]


@pytest.fixture
def uk_section():
    return make_section("Світ", "svit", home=home_page("uk"))


@pytest.mark.parametrize(
    ("path", "language", "home"),
    [("/no/such/page/", "en", "/"), ("/uk/no/such/page/", "uk", "/uk/")],
)
def test_404_page_is_in_the_editions_language_and_links_its_home(
    client, path, language, home
):
    home_page("uk")
    response = client.get(path)

    soup: Any = BeautifulSoup(response.content, "html5lib")
    assert response.status_code == 404
    assert soup.html["lang"] == language
    assert soup.select_one(".site-logo")["href"] == home
    assert front_page_links(soup) == [home]


def test_410_page_of_a_ukrainian_article_is_in_ukrainian(client, uk_section):
    article = make_article(uk_section)
    url = article.url
    article.unpublish()

    response = client.get(url)

    soup: Any = BeautifulSoup(response.content, "html5lib")
    assert response.status_code == 410
    assert soup.html["lang"] == "uk"
    assert soup.find("main").h1.get_text() == "Цю статтю вилучено"
    assert soup.select_one(".site-logo")["href"] == "/uk/"
    assert front_page_links(soup) == ["/uk/"]


def test_plain_error_page_keeps_the_editions_language(client):
    home_page("uk")
    with mock.patch(
        "masthead.content.error_pages.site_context",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.get("/uk/no/such/page/")

    soup: Any = BeautifulSoup(response.content, "html5lib")
    assert response.status_code == 404
    assert soup.html["lang"] == "uk"
    assert front_page_links(soup) == ["/uk/"]


@pytest.mark.parametrize(
    ("path", "language", "home", "heading"),
    [
        ("/news-feed/", "en", "/", "Something went wrong"),
        ("/uk/news-feed/", "uk", "/uk/", "Щось пішло не так"),
    ],
)
def test_500_page_is_in_the_editions_language(path, language, home, heading):
    client = Client(raise_request_exception=False)
    with mock.patch(
        "masthead.web.news_feed.paginate", side_effect=RuntimeError("a bug")
    ):
        response = client.get(path)

    soup: Any = BeautifulSoup(response.content, "html5lib")
    assert response.status_code == 500
    assert soup.html["lang"] == language
    assert soup.find("h1").get_text() == heading
    assert front_page_links(soup) == [home]
