"""Every page an import makes answers 200 with HTML that parses strictly (#18)."""

import html5lib
import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import make_section
from masthead.content.models import ArticlePage, StandardPage
from masthead.importers import ghost
from masthead.importers.models import ImportedItem
from masthead.importers.writer import write

from .helpers import GHOST_EXPORT

pytestmark = pytest.mark.django_db


def test_every_imported_public_page_renders_valid_html(client):
    make_section("News", "news")
    report = write(ghost.parse(GHOST_EXPORT))
    assert report.error == ""
    ids = set(
        ImportedItem.objects.filter(kind__in=["article", "page"]).values_list(
            "object_id", flat=True
        )
    )
    pages = [
        *ArticlePage.objects.filter(pk__in=ids, live=True),
        *StandardPage.objects.filter(pk__in=ids, live=True),
    ]
    assert len(pages) == 4  # three published posts and the page
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        # Strict: html5lib raises on the first parse error.
        html5lib.HTMLParser(strict=True).parse(response.content)
        soup = BeautifulSoup(response.content, "html5lib")
        assert soup.find("h1").get_text(strip=True) == page.title
        assert not soup.find("script", src=False, string=lambda s: "alert" in (s or ""))


def test_imported_body_keeps_its_structure(client):
    make_section("News", "news")
    write(ghost.parse(GHOST_EXPORT))
    article = ArticlePage.objects.get(slug="ferry-timetable")
    soup = BeautifulSoup(client.get(article.url).content, "html5lib")
    body = soup.find("article") or soup
    assert body.find("h2", string="What changed") is not None
    assert [li.get_text() for li in body.select("ul > li")][:2] == [
        "Fewer crossings at night",
        "A new stop at the pier",
    ]
    assert body.find("a", href="https://example.org/notice") is not None
    assert body.find("iframe", src=lambda s: s and "youtube.com/embed" in s) is not None
