"""The tag chooser: type shown, search as typed, new tags in place (#14)."""

import pytest
from bs4 import BeautifulSoup

from masthead.taxonomy.factories import TagFactory
from masthead.taxonomy.models import Tag, TagType

pytestmark = pytest.mark.django_db

CHOOSER = "/admin/snippets/choose/taxonomy/tag/"


def rows(response) -> list[list[str]]:
    """The chooser's result rows as cell texts."""
    assert response.status_code == 200
    data = response.json() if "json" in response["Content-Type"] else None
    html = data["html"] if data else response.content
    soup = BeautifulSoup(html, "html5lib")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in soup.select("tbody tr")
    ]


def test_the_chooser_shows_each_tags_type_and_searches(admin_client):
    TagFactory(name="Kyiv", slug="kyiv", tag_type=TagType.PLACE)
    TagFactory(name="Kyiv City Council", slug="kcc", tag_type=TagType.ORGANISATION)
    TagFactory(name="Elections", slug="elections", tag_type=TagType.TOPIC)
    found = rows(admin_client.get(f"{CHOOSER}results/", {"q": "kyiv"}))
    assert sorted(found) == [
        ["Kyiv", "Place"],
        ["Kyiv City Council", "Organisation"],
    ]


def test_a_new_tag_is_made_in_the_chooser_with_name_and_type(admin_client):
    TagFactory(name="Odesa port", slug="odesa")
    response = admin_client.post(
        f"{CHOOSER}create/", {"name": "Odesa  Opera", "tag_type": TagType.PLACE}
    )
    assert response.status_code == 200
    assert response.json()["step"] == "chosen"
    tag = Tag.objects.get(name="Odesa Opera")
    assert (tag.slug, tag.tag_type) == ("odesa-opera", TagType.PLACE)
    assert response.json()["result"]["id"] == str(tag.pk)


def test_a_new_tag_never_duplicates_one_by_name(admin_client):
    TagFactory(name="Energy", slug="energy", tag_type=TagType.TOPIC)
    response = admin_client.post(
        f"{CHOOSER}create/", {"name": "energy", "tag_type": TagType.TOPIC}
    )
    assert response.json()["step"] != "chosen"
    assert "exists already (Topic)" in response.json()["htmlFragment"]
    assert Tag.objects.filter(name__iexact="energy").count() == 1


def test_a_taken_slug_gets_a_number(admin_client):
    TagFactory(name="Energy policy", slug="energy")
    admin_client.post(f"{CHOOSER}create/", {"name": "Energy", "tag_type": "topic"})
    assert Tag.objects.get(name="Energy").slug == "energy-2"
