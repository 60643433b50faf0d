"""hreflang alternates in the HTML and the reader's language switcher (#15)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead import cache
from masthead.content.editions import translate_page
from masthead.content.factories import home_page, make_article, make_section
from masthead.core.events import article_visibility_changed

pytestmark = pytest.mark.django_db

BASE = "http://testserver"


@pytest.fixture
def editions():
    """An English article translated into Ukrainian, and one that is not."""
    home_page("uk")
    world = make_section("World", "world")
    translate_page(world, "uk", title="Світ", slug="svit")
    grid = make_article(world, title="Grid repaired", slug="grid-repaired")
    merezha = translate_page(
        grid, "uk", title="Мережу відновили", slug="merezhu-vidnovyly"
    )
    alone = make_article(world, title="Only in English", slug="english-only")
    return grid, merezha, alone


def page(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html5lib")


def head_alternates(html: BeautifulSoup) -> dict[str, str]:
    """``{hreflang: href}`` of the ``<head>``'s alternates; each listed once."""
    assert html.head is not None
    links = html.head.find_all("link", rel="alternate", hreflang=True)
    found = {str(link["hreflang"]): str(link["href"]) for link in links}
    assert len(found) == len(links)
    return found


def switcher(html: BeautifulSoup) -> list[dict[str, str]]:
    """The switcher's links, as found inside the site header."""
    header = html.find("header", class_="site-header")
    assert header is not None
    nav = header.find("nav", class_="language-switcher")
    assert nav is not None, "no language switcher in the header"
    assert nav["aria-label"]
    return [
        {
            "href": str(a["href"]),
            "text": a.get_text(strip=True),
            "lang": str(a["lang"]),
            "hreflang": str(a["hreflang"]),
        }
        for a in nav.find_all("a")
    ]


def test_translated_article_links_both_versions_reciprocally(client, editions):
    grid, merezha, _ = editions
    english = f"{BASE}/world/grid-repaired/"
    ukrainian = f"{BASE}/uk/svit/merezhu-vidnovyly/"
    expected = {"en": english, "uk": ukrainian, "x-default": english}

    assert head_alternates(page(client, grid.url)) == expected
    assert head_alternates(page(client, merezha.url)) == expected


def test_switcher_goes_to_the_translation(client, editions):
    grid, merezha, _ = editions

    assert switcher(page(client, grid.url)) == [
        {
            "href": "/uk/svit/merezhu-vidnovyly/",
            "text": "Українська",
            "lang": "uk",
            "hreflang": "uk",
        }
    ]
    assert switcher(page(client, merezha.url)) == [
        {
            "href": "/world/grid-repaired/",
            "text": "English",
            "lang": "en",
            "hreflang": "en",
        }
    ]


def test_untranslated_article_switches_to_the_other_home(client, editions):
    _, _, alone = editions
    html = page(client, alone.url)

    assert head_alternates(html) == {}
    [link] = switcher(html)
    assert link["href"] == "/uk/"
    assert link["text"] == "Українська"


def test_unpublished_translation_is_neither_alternate_nor_target(client, editions):
    grid, merezha, _ = editions
    merezha.unpublish()

    html = page(client, grid.url)

    assert head_alternates(html) == {}
    assert [link["href"] for link in switcher(html)] == ["/uk/"]


def test_home_pages_are_alternates_of_each_other(client, editions):
    expected = {"en": f"{BASE}/", "uk": f"{BASE}/uk/", "x-default": f"{BASE}/"}
    assert head_alternates(page(client, "/")) == expected
    assert head_alternates(page(client, "/uk/")) == expected
    assert [link["href"] for link in switcher(page(client, "/uk/"))] == ["/"]


def test_section_switches_to_its_translation(client, editions):
    html = page(client, "/world/")
    assert [link["href"] for link in switcher(html)] == ["/uk/svit/"]
    assert head_alternates(html)["uk"] == f"{BASE}/uk/svit/"


@pytest.mark.parametrize(
    ("path", "other"),
    [
        ("/news-feed/", "/uk/news-feed/"),
        ("/uk/news-feed/", "/news-feed/"),
        ("/latest/", "/uk/latest/"),
        ("/search/?q=grid", "/uk/search/"),
    ],
)
def test_edition_level_pages_switch_to_the_same_page(client, editions, path, other):
    html = page(client, path)

    [link] = switcher(html)
    assert link["href"] == other
    alternates = head_alternates(html)
    assert set(alternates) == {"en", "uk", "x-default"}
    assert alternates["x-default"] == alternates["en"]
    assert all(href.startswith(f"{BASE}/") for href in alternates.values())


def test_the_switcher_differs_per_page_though_the_header_is_kept(client, editions):
    grid, _, alone = editions
    # The same kept header (one per edition) serves both pages.
    first = switcher(page(client, grid.url))
    second = switcher(page(client, alone.url))
    assert first[0]["href"] == "/uk/svit/merezhu-vidnovyly/"
    assert second[0]["href"] == "/uk/"


def test_a_new_translation_purges_the_originals_page(
    client, editions, django_capture_on_commit_callbacks
):
    _, _, alone = editions
    client.get(alone.url)
    announced: list[str] = []

    def receive(sender, tags, **kwargs):
        announced.extend(tags)

    article_visibility_changed.connect(receive)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            translate_page(alone, "uk", title="Лише англійською", slug="lyshe-anhl")
    finally:
        article_visibility_changed.disconnect(receive)

    # The original's page (and so its switcher and alternates) is purged.
    assert cache.article_tag(alone.pk) in announced
    assert [link["href"] for link in switcher(page(client, alone.url))] == [
        "/uk/svit/lyshe-anhl/"
    ]


def test_a_warm_article_reads_no_translations(client, editions):
    grid, _, _ = editions
    client.get(grid.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(grid.url).status_code == 200
    reads = [
        query["sql"]
        for query in queries.captured_queries
        if '"translation_key" IN' in query["sql"]
    ]
    assert reads == []
