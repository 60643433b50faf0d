"""A tag's name and description per edition (#15)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Locale

from masthead.content.factories import home_page
from masthead.taxonomy.factories import TagFactory
from masthead.taxonomy.models import Tag, TagTranslation
from masthead.taxonomy.services import translate_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def uk():
    return home_page("uk").locale


def test_name_in_reads_the_edition_and_falls_back_to_the_main_one(uk):
    tag = TagFactory(name="Energy", description="Power and heat.")
    translate_tag(tag, "uk", name="Енергетика")

    assert tag.name_in("uk") == "Енергетика"
    assert tag.name_in("en") == "Energy"
    # A blank translated field reads the main edition's.
    assert tag.description_in("uk") == "Power and heat."
    with translation.override("uk"):
        assert tag.name_in() == "Енергетика"
    with translation.override("en"):
        assert tag.name_in() == "Energy"


def test_the_copy_is_read_without_a_query(uk, django_assert_num_queries):
    tag = TagFactory(name="Energy")
    translate_tag(tag, "uk", name="Енергетика")
    fresh = Tag.objects.get(pk=tag.pk)
    with django_assert_num_queries(0):
        assert fresh.name_in("uk") == "Енергетика"


def test_translating_again_replaces_that_editions_words_only(uk):
    tag = TagFactory(name="Energy")
    translate_tag(tag, "uk", name="Енергія")
    translate_tag(tag, "uk", name="Енергетика", description="Світло і тепло.")

    tag.refresh_from_db()
    assert TagTranslation.objects.filter(tag=tag).count() == 1
    assert tag.translations == {
        "uk": {"name": "Енергетика", "description": "Світло і тепло."}
    }


def test_the_main_edition_is_not_a_translation(uk):
    tag = TagFactory(name="Energy")
    with pytest.raises(ValueError, match="default edition"):
        translate_tag(tag, "en", name="Power")
    row = TagTranslation(tag=tag, locale=Locale.get_default(), name="Power")
    with pytest.raises(ValidationError):
        row.full_clean()


def test_the_admin_edits_translations_inline_and_keeps_the_copy(admin_client, uk):
    tag = TagFactory(name="Energy", slug="energy")
    url = f"/admin/snippets/taxonomy/tag/edit/{tag.pk}/"
    form = admin_client.get(url)
    assert form.status_code == 200
    assert b"translation_rows-TOTAL_FORMS" in form.content
    data = {
        "name": "Energy",
        "slug": "energy",
        "tag_type": "topic",
        "description": "",
        "translation_rows-TOTAL_FORMS": "1",
        "translation_rows-INITIAL_FORMS": "0",
        "translation_rows-MIN_NUM_FORMS": "0",
        "translation_rows-MAX_NUM_FORMS": "1000",
        "translation_rows-0-locale": str(uk.pk),
        "translation_rows-0-name": "Енергетика",
        "translation_rows-0-description": "",
        "translation_rows-0-id": "",
        "translation_rows-0-ORDER": "1",
        "translation_rows-0-DELETE": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content[:2000]
    tag.refresh_from_db()
    assert tag.translations == {"uk": {"name": "Енергетика"}}
    assert tag.name_in("uk") == "Енергетика"
