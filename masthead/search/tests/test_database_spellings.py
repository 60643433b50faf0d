"""The database fallback's spellings of Ukrainian words (issue #15)."""

import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import make_article
from masthead.search.backends.database import DatabaseBackend
from masthead.search.ukrainian import spellings


def test_ascii_words_are_searched_as_typed():
    assert spellings("zebra") == ["zebra"]


def test_cyrillic_word_is_also_tried_in_lower_and_capitalised_case():
    assert set(spellings("львів")) == {"львів", "Львів"}


@pytest.mark.django_db
def test_lowercase_cyrillic_and_other_apostrophes_find_the_article():
    article = make_article(title="Знам\u2019янка і Львів")
    make_article(title="Полтава")
    backend = DatabaseBackend()

    for query in ("львів", "знам'янка", "Знам\u02bcянка"):
        hits = backend.search(query).hits
        assert [hit.article_id for hit in hits] == [article.pk], query
    title = BeautifulSoup(backend.search("знам'янка").hits[0].title_html, "html.parser")
    assert [mark.get_text() for mark in title.find_all("mark")] == ["Знам\u2019янка"]
