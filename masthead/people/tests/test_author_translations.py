"""An author's name, job title and bio per edition (#15)."""

import pytest
from django.utils import translation

from masthead.content.factories import home_page
from masthead.people.factories import AuthorFactory
from masthead.people.models import Author
from masthead.people.services import translate_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def uk():
    return home_page("uk").locale


def test_accessors_read_the_edition_and_fall_back_to_the_main_one(uk):
    author = AuthorFactory(name="Olena Koval", job_title="Reporter", bio="In Kyiv.")
    translate_author(author, "uk", name="Олена Коваль", bio="Пише з Києва.")

    fresh = Author.objects.get(pk=author.pk)
    assert fresh.name_in("uk") == "Олена Коваль"
    assert fresh.bio_in("uk") == "Пише з Києва."
    # No Ukrainian job title: the main edition's.
    assert fresh.job_title_in("uk") == "Reporter"
    assert fresh.name_in("en") == "Olena Koval"
    with translation.override("uk"):
        assert fresh.name_in() == "Олена Коваль"
    # A regional variant reads its language's words.
    assert fresh.name_in("uk-UA") == "Олена Коваль"


def test_saving_an_author_keeps_its_translations(uk):
    author = AuthorFactory(name="Olena Koval")
    translate_author(author, "uk", name="Олена Коваль")
    fresh = Author.objects.get(pk=author.pk)
    fresh.job_title = "Editor"
    fresh.save()
    fresh.refresh_from_db()
    assert fresh.translations == {"uk": {"name": "Олена Коваль"}}


def test_an_edition_without_a_locale_is_refused():
    author = AuthorFactory()
    with pytest.raises(ValueError, match="no locale"):
        translate_author(author, "fr", name="Olena")
