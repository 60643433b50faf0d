import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import make_article
from masthead.taxonomy.factories import TagFactory
from masthead.taxonomy.models import Tag, TagType

pytestmark = pytest.mark.django_db


def test_tag_types_are_person_organisation_place_and_topic():
    assert {choice for choice, _ in TagType.choices} == {
        "person",
        "organisation",
        "place",
        "topic",
    }


def test_tag_type_must_be_one_of_the_choices():
    from django.core.exceptions import ValidationError

    tag = Tag(name="X", slug="x", tag_type="colour")
    with pytest.raises(ValidationError):
        tag.full_clean()


def test_tag_page_shows_type_and_lists_articles_newest_first(client):
    tag = TagFactory(name="Kharkiv", tag_type=TagType.PLACE, description="A city.")
    older = make_article(tags=[tag], title="Older")
    newer = make_article(tags=[tag], title="Newer")
    other = make_article(title="Untagged")

    response = client.get(tag.get_absolute_url())

    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".listing-header__type").get_text(strip=True) == "Place"
    titles = [a.get_text(strip=True) for a in soup.select(".teaser__title a")]
    assert titles == [newer.title, older.title]
    assert other.title not in titles
