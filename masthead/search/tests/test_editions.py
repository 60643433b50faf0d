"""Each edition searches its own index, analysed in its language (#15)."""

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import translation

from masthead.content.factories import home_page, make_article, make_section
from masthead.content.models import ArticlePage
from masthead.core.models import OutboxEntry
from masthead.search.backends import (
    edition_backend,
    edition_backends,
    search_language,
)
from masthead.search.backends.tantivy import TantivyBackend
from masthead.search.documents import IndexDocument
from masthead.search.services import apply_changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def uk_section():
    return make_section("Україна", "ukraina", home=home_page("uk"))


def soup(response) -> BeautifulSoup:
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html.parser")


def result_titles(response) -> list[str]:
    return [
        link.get_text() for link in soup(response).select(".search-result__title a")
    ]


def found_ids(backend, query: str) -> list[int]:
    return sorted(hit.article_id for hit in backend.search(query, limit=50).hits)


def test_each_edition_has_its_own_index_in_its_language(search_index):
    ukrainian = edition_backend("uk")

    assert search_language("en") == "english"
    assert search_language("uk") == "ukrainian"
    assert list(edition_backends()) == ["en", "uk"]
    assert isinstance(ukrainian, TantivyBackend)
    assert ukrainian.is_pretokenised and not search_index.is_pretokenised
    assert search_index.path.name == "v1-en-english"
    assert ukrainian.path.name == "v1-uk-ukrainian"


def test_an_edition_without_a_known_language_is_folded_not_stemmed(settings):
    settings.MASTHEAD_SEARCH_LANGUAGES = {"en": "english", "uk": "ukrainian"}

    # A language Masthead has no analysis for, and one configured without.
    assert search_language("pl") == ""
    settings.MASTHEAD_SEARCH_LANGUAGES = {"en": "english", "uk": ""}
    assert search_language("uk") == ""


def test_an_article_is_indexed_in_its_editions_index_only(
    publish, search_index, uk_search_index, uk_section
):
    english = publish(title="Zebra crossing")
    ukrainian = publish(uk_section, title="Zebra у Києві")

    assert found_ids(search_index, "zebra") == [english.pk]
    assert found_ids(uk_search_index, "zebra") == [ukrainian.pk]
    assert found_ids(uk_search_index, "Київ") == [ukrainian.pk]


def test_kyiv_finds_its_cases_but_not_the_region(client, publish, uk_section):
    in_kyiv = publish(uk_section, title="Світло повернулося", standfirst="У Києві.")
    of_kyiv = publish(uk_section, title="Мер Києва про зиму", standfirst="Заява.")
    publish(uk_section, title="Київщина готується до зими", standfirst="Школи.")

    titles = result_titles(client.get("/uk/search/", {"q": "Київ"}))

    assert sorted(titles) == sorted([in_kyiv.title, of_kyiv.title])


def test_english_search_never_shows_a_ukrainian_article(client, publish, uk_section):
    english = publish(title="Zebra crossing")
    ukrainian = publish(uk_section, title="Zebra у Львові")

    assert result_titles(client.get("/search/", {"q": "zebra"})) == [english.title]
    assert result_titles(client.get("/uk/search/", {"q": "zebra"})) == [ukrainian.title]


def test_a_stale_index_cannot_show_another_editions_article(
    client, publish, search_index, uk_search_index, uk_section
):
    english = publish(title="Zebra crossing")
    ukrainian = publish(uk_section, title="Zebra у Львові")
    # As if each index still held an article that moved to the other edition.
    search_index.apply([IndexDocument.from_article(ukrainian)], [])
    uk_search_index.apply([IndexDocument.from_article(english)], [])
    assert len(search_index.search("zebra").hits) == 2

    assert result_titles(client.get("/search/", {"q": "zebra"})) == [english.title]
    assert result_titles(client.get("/uk/search/", {"q": "zebra"})) == [ukrainian.title]


def test_applying_a_change_removes_the_article_from_other_editions(
    publish, search_index, uk_search_index, uk_section
):
    ukrainian = publish(uk_section, title="Zebra у Львові")
    search_index.apply([IndexDocument.from_article(ukrainian)], [])

    apply_changes([str(ukrainian.pk)])

    assert found_ids(search_index, "zebra") == []
    assert found_ids(uk_search_index, "zebra") == [ukrainian.pk]


def test_publishing_and_unpublishing_update_the_ukrainian_index(
    publish, uk_search_index, uk_section, django_capture_on_commit_callbacks
):
    article = publish(uk_section, title="Мер Києва про зиму")
    assert found_ids(uk_search_index, "Київ") == [article.pk]

    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert found_ids(uk_search_index, "Київ") == []

    with django_capture_on_commit_callbacks(execute=True):
        article = ArticlePage.objects.get(pk=article.pk)
        article.title = "Мер Києва про весну"
        article.save_revision().publish()
    hits = uk_search_index.search("Київ").hits
    assert [hit.article_id for hit in hits] == [article.pk]
    assert "весну" in hits[0].title_html
    assert not OutboxEntry.objects.filter(topic="index").exists()


def test_rebuild_fills_every_editions_index(
    search_index, uk_search_index, uk_section, capsys
):
    # Created without running on-commit hooks: both indexes start empty.
    english = make_article(title="Zebra one")
    ukrainian = make_article(uk_section, title="Zebra у Києві")
    make_article(uk_section, title="Zebra чернетка", publish=False)

    call_command("search_rebuild", "--batch-size", "1")

    assert found_ids(search_index, "zebra") == [english.pk]
    assert found_ids(uk_search_index, "zebra") == [ukrainian.pk]
    assert "Indexed 2 published article(s) (en: 1, uk: 1)" in capsys.readouterr().out


def test_rebuild_of_one_edition_leaves_the_other(
    search_index, uk_search_index, uk_section, capsys
):
    english = make_article(title="Zebra one")
    ukrainian = make_article(uk_section, title="Zebra у Києві")

    call_command("search_rebuild", "--edition", "uk")

    assert found_ids(uk_search_index, "zebra") == [ukrainian.pk]
    # The English article waited in the queue; the rebuild applied it too.
    assert found_ids(search_index, "zebra") == [english.pk]
    assert "(uk: 1)" in capsys.readouterr().out


def test_section_choices_are_the_editions_own(client, search_index, uk_section):
    english = make_section("World", "world")

    def choices(path: str) -> list[str]:
        page = soup(client.get(path))
        return [
            str(option["value"])
            for option in page.select("#search-section option")
            if option["value"]
        ]

    assert choices("/search/") == [english.slug]
    assert choices("/uk/search/") == [uk_section.slug]
    # Another edition's section is unknown here: everything is searched.
    page = soup(client.get("/search/", {"q": "zebra", "section": uk_section.slug}))
    assert page.select_one(".search-notices") is not None


def test_notices_are_in_the_editions_language(client, search_index):
    with translation.override("uk"):
        expected = [
            translation.gettext(
                "That section was not found, so all sections were searched."
            ),
            translation.gettext(
                "The \u201c%(label)s\u201d date could not be read (use "
                "YYYY-MM-DD), so it was ignored."
            )
            % {"label": translation.pgettext("first day of a date range", "From")},
        ]
    assert expected[1].startswith("Дату «Від»")

    page = soup(
        client.get("/uk/search/", {"q": "зебра", "from": "вчора", "section": "x"})
    )

    notices = [item.get_text(strip=True) for item in page.select(".search-notices li")]
    assert notices == expected


def test_database_backend_searches_the_editions_articles_only(
    client, publish, settings, uk_section
):
    settings.MASTHEAD_SEARCH_BACKEND = (
        "masthead.search.backends.database.DatabaseBackend"
    )
    english = publish(title="Zebra crossing")
    ukrainian = publish(uk_section, title="Zebra у Львові")

    assert result_titles(client.get("/search/", {"q": "zebra"})) == [english.title]
    assert result_titles(client.get("/uk/search/", {"q": "zebra"})) == [ukrainian.title]
    assert found_ids(edition_backend("uk"), "zebra") == [ukrainian.pk]


def test_database_backend_finds_every_form_of_a_ukrainian_lemma(
    client, publish, settings, uk_section
):
    """LIKE cannot compare lemmas; the Ukrainian edition's words are searched
    in every dictionary form of their lemmas instead."""
    settings.MASTHEAD_SEARCH_BACKEND = (
        "masthead.search.backends.database.DatabaseBackend"
    )
    in_kyiv = publish(uk_section, title="Світло повернулося", standfirst="У Києві.")
    of_kyiv = publish(uk_section, title="Мер Києва про зиму", standfirst="Заява.")
    publish(uk_section, title="Львів готується до зими", standfirst="Школи.")
    publish(title="Мер Києва in the English edition")

    response = client.get("/uk/search/", {"q": "Київ"})

    assert sorted(result_titles(response)) == sorted([in_kyiv.title, of_kyiv.title])
    marks = {mark.get_text() for mark in soup(response).select(".search-result mark")}
    assert marks == {"Києві", "Києва"}
    # The English edition is not lemmatised: the word as typed only.
    assert result_titles(client.get("/search/", {"q": "Київ"})) == []
    # Ten words of thirty-odd forms each stay within SQLite's expression depth.
    many = "великий новий український київський харківський державний "
    many += "національний міжнародний старий добрий"
    assert soup(client.get("/uk/search/", {"q": many})).select_one(".search-empty")
