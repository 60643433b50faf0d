"""The demo's shared authors and tags named in Ukrainian (edition_names.py, #15)."""

import re

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from masthead import cache
from masthead.content.models import EditorsPick
from masthead.demo.build import build_demo
from masthead.demo.edition_names import ukrainian_name
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from .test_demo import SMALL, frozen_clock  # noqa: F401 - a fixture

CYRILLIC = re.compile(r"^[А-ЩЬЮЯҐЄІЇа-щьюяґєії' -]+$")


def test_names_are_spelt_word_by_word():
    assert ukrainian_name("Olena Koval") == "Олена Коваль"
    assert ukrainian_name("Pieter Van der Berg") == "Пітер Ван дер Берг"
    assert ukrainian_name("Northline Energy") is None


@pytest.mark.django_db
@pytest.mark.usefixtures("frozen_clock")
def test_demo_authors_tags_and_picks_have_their_ukrainian_edition(client):
    build_demo(**SMALL)
    cache.reset()
    for author in Author.objects.all():
        assert CYRILLIC.match(author.name_in("uk")), author.name
        assert author.bio_in("uk") != author.bio
    topics = Tag.objects.filter(tag_type="topic")
    assert topics.exists()
    assert all(CYRILLIC.match(tag.name_in("uk")) for tag in topics)
    uk = Locale.objects.get(language_code="uk")
    assert EditorsPick.objects.filter(article__locale=uk).exists()

    author = Author.objects.filter(article_rows__locale=uk).distinct().first()
    page = BeautifulSoup(client.get(f"/uk/authors/{author.slug}/").content, "html5lib")
    assert page.select_one(".profile__name").get_text() == author.name_in("uk")
    assert page.select("main .teaser")
