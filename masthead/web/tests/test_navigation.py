"""The header's section menu and the A-Z indexes of tags and authors (#14)."""

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from masthead import cache
from masthead.content.factories import make_article, make_section
from masthead.core.models import SiteSettings
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory
from masthead.web.directory import INDEX_PAGE_SIZE

pytestmark = pytest.mark.django_db


def filed(*tags):
    """File ``tags`` on one public article: /tags/ lists only such tags."""
    make_article(tags=list(tags))
    return tags


def menu_links(client, url="/tags/"):
    response = client.get(url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html5lib")
    nav = soup.select_one('header nav[aria-label="Sections"]')
    if nav is None:
        return []
    return [(a.get_text(strip=True), a["href"]) for a in nav.select("a")]


def test_menu_defaults_to_the_public_sections_in_site_order(client):
    make_section("World", "world")
    make_section("Sport", "sport")
    hidden = make_section("Draft desk", "draft-desk")
    hidden.unpublish()
    cache.reset()

    assert menu_links(client) == [("World", "/world/"), ("Sport", "/sport/")]


def test_menu_edited_in_site_settings_replaces_the_default_and_purges(client):
    world = make_section("World", "world")
    make_section("Sport", "sport")
    assert [label for label, _ in menu_links(client)] == ["World", "Sport"]

    settings = SiteSettings.objects.get_or_create(
        site=Site.objects.get(is_default_site=True)
    )[0]
    settings.section_menu = [
        ("link", {"label": "Podcasts", "url": "https://example.org/podcasts"}),
        ("page", {"page": world, "label": ""}),
        ("page", {"page": world, "label": "The world"}),
    ]
    settings.save()  # purges ``site`` on commit: run it as the commit would
    cache.reset()

    assert menu_links(client) == [
        ("Podcasts", "https://example.org/podcasts"),
        ("World", "/world/"),
        ("The world", "/world/"),
    ]


def test_menu_drops_a_chosen_page_once_unpublished(client):
    world = make_section("World", "world")
    settings = SiteSettings.objects.get_or_create(
        site=Site.objects.get(is_default_site=True)
    )[0]
    settings.section_menu = [("page", {"page": world, "label": ""})]
    settings.save()
    world.unpublish()
    cache.reset()

    assert menu_links(client) == []


@pytest.mark.parametrize("path", ["/tags/", "/authors/"])
def test_footer_links_to_the_indexes_and_the_archive(client, path):
    soup = BeautifulSoup(client.get(path).content, "html5lib")
    nav = soup.select_one('footer nav[aria-label="Browse the archive"]')
    assert [a["href"] for a in nav.select("a")] == ["/archive/", "/tags/", "/authors/"]


def test_tag_index_groups_by_letter_and_shows_each_type(client):
    filed(
        TagFactory(name="Zaporizhzhia", slug="zaporizhzhia", tag_type="place"),
        TagFactory(name="Alice Example", slug="alice-example", tag_type="person"),
        TagFactory(name="9 May", slug="9-may", tag_type="topic"),
    )

    response = client.get("/tags/")

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    soup = BeautifulSoup(response.content, "html5lib")
    groups = {
        section.h2.get_text(strip=True): [
            (li.a.get_text(strip=True), li.select_one(".index-list__type").get_text())
            for li in section.select("li")
        ]
        for section in soup.select("main section.index-group")
    }
    assert groups == {
        "#": [("9 May", "Topic")],
        "A": [("Alice Example", "Person")],
        "Z": [("Zaporizhzhia", "Place")],
    }
    letters = soup.select('nav[aria-label="Tags by first letter"] a')
    assert len(letters) == 26
    assert letters[1]["href"] == "/tags/?from=b"


def test_tag_index_pages_by_keyset_at_flat_cost(client):
    filed(
        *(
            TagFactory(name=f"Topic {n:03d}", slug=f"topic-{n:03d}")
            for n in range(INDEX_PAGE_SIZE + 5)
        )
    )
    first = BeautifulSoup(client.get("/tags/").content, "html5lib")
    more = first.select_one("main a[rel=next]")
    assert more["href"] == f"/tags/?after=topic-{INDEX_PAGE_SIZE - 1:03d}"

    with CaptureQueriesContext(connection) as queries:
        response = client.get(more["href"])
    second = BeautifulSoup(response.content, "html5lib")
    names = [a.get_text() for a in second.select("main .index-list a")]
    assert names == [f"Topic {n:03d}" for n in range(INDEX_PAGE_SIZE, 105)]
    assert second.select_one("main a[rel=next]") is None
    tag_queries = [q for q in queries if '"taxonomy_tag"' in q["sql"]]
    assert len(tag_queries) == 1
    assert "COUNT" not in tag_queries[0]["sql"].upper()
    assert "OFFSET" not in tag_queries[0]["sql"].upper()


def test_tag_index_from_a_letter_starts_there(client):
    filed(TagFactory(name="Apple", slug="apple"), TagFactory(name="Kyiv", slug="kyiv"))
    soup = BeautifulSoup(client.get("/tags/?from=k").content, "html5lib")
    assert [a.get_text() for a in soup.select("main .index-list a")] == ["Kyiv"]


def test_tag_index_leaves_out_tags_filed_only_on_unpublished_stories(client):
    """A tag's name alone can give away a story that is not out yet."""
    filed(TagFactory(name="Harbour", slug="harbour"))
    secret = TagFactory(name="Acme takeover of Beta", slug="acme-takeover-of-beta")
    make_article(tags=[secret], publish=False)
    soup = BeautifulSoup(client.get("/tags/").content, "html5lib")
    assert [a.get_text() for a in soup.select("main .index-list a")] == ["Harbour"]


@pytest.mark.parametrize(
    "query",
    ["from=A", "after=%20", "from=a&after=b", "after=" + "a" * 200, "from=%00"],
)
def test_malformed_index_parameters_are_404(client, query):
    assert client.get(f"/tags/?{query}").status_code == 404
    assert client.get(f"/authors/?{query}").status_code == 404


def test_author_index_lists_names_and_job_titles(client):
    AuthorFactory(name="Olena Writer", slug="olena-writer", job_title="Reporter")
    soup = BeautifulSoup(client.get("/authors/").content, "html5lib")
    item = soup.select_one("main .index-list li")
    assert item.a["href"] == "/authors/olena-writer/"
    assert item.select_one(".index-list__type").get_text() == "Reporter"


def test_new_tag_and_author_purge_their_index():
    from masthead.core.models import OutboxEntry

    TagFactory()
    AuthorFactory()

    keys = " ".join(OutboxEntry.objects.values_list("key", flat=True))
    assert cache.TAG_INDEX in keys.split() or cache.TAG_INDEX in keys
    assert cache.AUTHOR_INDEX in keys
