"""Authors' and tags' names in each edition are searchable there (#15)."""

import pytest
from django.core.management import call_command

from masthead.content.factories import home_page, make_section
from masthead.people.factories import AuthorFactory
from masthead.people.services import translate_author
from masthead.search.services import process_pending_changes
from masthead.taxonomy.factories import TagFactory
from masthead.taxonomy.services import translate_tag

pytestmark = pytest.mark.django_db


def found_ids(backend, query: str) -> list[int]:
    return sorted(hit.article_id for hit in backend.search(query, limit=50).hits)


@pytest.fixture
def uk_section():
    return make_section("Україна", "ukraina", home=home_page("uk"))


def test_a_ukrainian_article_is_found_by_its_tags_ukrainian_and_own_name(
    publish, uk_search_index, uk_section
):
    tag = TagFactory(name="Energy grid")
    translate_tag(tag, "uk", "Енергомережа")
    article = publish(uk_section, title="Світло повернулося", tags=[tag])

    assert found_ids(uk_search_index, "енергомережа") == [article.pk]
    assert found_ids(uk_search_index, "grid") == [article.pk]


def test_translating_an_authors_name_reindexes_their_articles(
    publish,
    search_index,
    uk_search_index,
    uk_section,
    django_capture_on_commit_callbacks,
):
    author = AuthorFactory(name="Olena Kovalenko", avatar=None)
    ukrainian = publish(uk_section, title="Світло повернулося", authors=[author])
    english = publish(title="Power is back", authors=[author])
    assert found_ids(uk_search_index, "Коваленко") == []

    with django_capture_on_commit_callbacks(execute=True):
        translate_author(author, "uk", "Олена Коваленко")
    process_pending_changes()

    assert found_ids(uk_search_index, "Коваленко") == [ukrainian.pk]
    # The English edition's document keeps the English name only.
    assert found_ids(search_index, "kovalenko") == [english.pk]
    assert found_ids(search_index, "Коваленко") == []


def test_a_rebuild_indexes_the_translated_names(publish, uk_search_index, uk_section):
    tag = TagFactory(name="Energy grid")
    article = publish(uk_section, title="Світло повернулося", tags=[tag])
    translate_tag(tag, "uk", "Енергомережа")

    call_command("search_rebuild", verbosity=0)

    assert found_ids(uk_search_index, "енергомережа") == [article.pk]


@pytest.mark.django_db(False)
def test_indexed_names_are_each_editions_search_names():
    """One helper says what documents hold of a name and what reindexes them."""
    from masthead.taxonomy.models import Tag

    tag = Tag(name="Kyiv", slug="kyiv", translations={"uk": {"name": "Київ"}})
    same = Tag(name="Kyiv", slug="kyiv", translations={"uk": {"name": "Kyiv"}})

    assert tag.search_names("uk") == ("Київ", "Kyiv")
    assert same.search_names("uk") == tag.search_names("en") == ("Kyiv",)
    assert tag.indexed_names() == (("en", ("Kyiv",)), ("uk", ("Київ", "Kyiv")))
    assert same.indexed_names() != tag.indexed_names()
