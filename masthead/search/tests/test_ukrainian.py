"""Ukrainian words and lemmas, and the Ukrainian index (no database)."""

import pytest
from bs4 import BeautifulSoup
from simplemma.strategies.dictionaries.dictionary_factory import (
    DEFAULT_DICTIONARY_FACTORY,
)

from masthead.search.backends.tantivy import TantivyBackend
from masthead.search.documents import IndexDocument
from masthead.search.ukrainian import (
    UkrainianNormaliser,
    build_lexicon,
    lexicon_path,
)


@pytest.fixture(scope="module")
def lexicon(tmp_path_factory):
    return build_lexicon(lexicon_path(tmp_path_factory.mktemp("lexicon")))


@pytest.fixture(scope="module")
def normaliser(lexicon):
    return UkrainianNormaliser(lexicon)


def document(article_id, title, body="", **fields):
    return IndexDocument(
        article_id=article_id,
        title=title,
        standfirst=fields.get("standfirst", ""),
        body=body,
        tags=fields.get("tags", ()),
        authors=fields.get("authors", ()),
        section_id=None,
        published_at=None,
    )


@pytest.fixture(scope="module")
def ukrainian_index(tmp_path_factory, lexicon):
    backend = TantivyBackend(index_dir=lexicon.parent, language="ukrainian")
    backend.replace_all(
        [
            document(1, "У Києві лунали вибухи", "Мешканці Києва ночували в метро."),
            document(2, "Київщина готується до зими", "У Київщині ремонтують школи."),
            document(3, "Знам\u2019янка після обстрілу", "Обстріли тривали до ранку."),
            document(4, "Київ і Варшава", "Столиці підписали угоду."),
            document(5, "Більярд", "Новий кий для чемпіона."),
        ]
    )
    return backend


def found(backend, query):
    return sorted(hit.article_id for hit in backend.search(query).hits)


def test_apostrophes_stay_inside_words_and_are_stripped_from_lemmas(normaliser):
    tokens = normaliser.tokens("Знам'янка, Знам\u2019янці та знам\u02bcянку 2026")

    assert [token.text for token in tokens] == [
        "Знам'янка",
        "Знам\u2019янці",
        "та",
        "знам\u02bcянку",
        "2026",
    ]
    assert tokens[0].lemmas == tokens[1].lemmas == {"знамянка"}
    assert "знамянка" in tokens[3].lemmas
    assert tokens[4].lemmas == {"2026"}
    assert (tokens[1].start, tokens[1].end) == (11, 20)


def test_city_forms_share_a_lemma_and_the_region_stays_apart(normaliser):
    kyiv = {normaliser.lemmas(word) & {"київ"} for word in ("Київ", "Києві", "Києва")}
    region = normaliser.lemmas("Київщина") | normaliser.lemmas("Київщині")

    assert kyiv == {frozenset({"київ"})}
    assert region == {"київщина"}


def test_lowercase_typing_still_reaches_the_proper_noun(normaliser):
    assert "київ" in normaliser.lemmas("києві")
    assert "харків" in normaliser.lemmas("харкові")


def test_known_capitalised_form_is_read_as_the_proper_noun_only(normaliser):
    assert normaliser.lemmas("Київ") == {"київ"}


def test_lexicon_gives_the_same_lemmas_as_simplemmas_own_dictionary(normaliser):
    text = (
        "У Києві та Київщині після обстрілу енергосистеми Зеленського "
        "війни Харкові Львова Одесі вчителів школу дрони Знам\u2019янці"
    )
    in_memory = UkrainianNormaliser(None)

    assert [token.lemmas for token in normaliser.tokens(text)] == [
        token.lemmas for token in in_memory.tokens(text)
    ]


def test_lexicon_lookups_leave_simplemmas_dictionary_unloaded(lexicon):
    # The web worker's memory bound (docs/search.md): the 60 MiB dict is
    # simplemma's shared factory; the lexicon path must never fill it.
    before = DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_info().misses

    UkrainianNormaliser(lexicon).tokens("Мешканці Києва і Знам\u2019янки")

    assert DEFAULT_DICTIONARY_FACTORY._get_dictionary.cache_info().misses == before


def test_index_finds_every_form_of_kyiv_but_not_the_region(ukrainian_index):
    assert found(ukrainian_index, "Київ") == [1, 4]
    assert found(ukrainian_index, "Києва") == [1, 4]
    assert found(ukrainian_index, "Київщина") == [2]


def test_phrase_matches_through_lemmas_in_order(ukrainian_index):
    assert found(ukrainian_index, '"лунає вибух"') == [1]
    assert found(ukrainian_index, '"вибух лунає"') == []


def test_apostrophe_variants_find_each_other(ukrainian_index):
    assert found(ukrainian_index, "Знам'янка") == [3]
    assert found(ukrainian_index, "знам\u02bcянку") == [3]


def test_ukrainian_hits_mark_the_inflected_words(ukrainian_index):
    hits = {hit.article_id: hit for hit in ukrainian_index.search("Київ").hits}
    hit = hits[1]

    title = BeautifulSoup(hit.title_html, "html.parser")
    snippet = BeautifulSoup(hit.snippet_html, "html.parser")
    assert [mark.get_text() for mark in title.find_all("mark")] == ["Києві"]
    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["Києва"]
    assert snippet.get_text() == "Мешканці Києва ночували в метро."


def test_ukrainian_hit_text_is_escaped(tmp_path, lexicon):
    backend = TantivyBackend(index_dir=lexicon.parent, language="ukrainian")
    backend.path = tmp_path / "escaped"
    backend.replace_all([document(9, "<b>Київ</b> & Львів", "<script>x</script>")])

    hit = backend.search("Львів").hits[0]

    title = BeautifulSoup(hit.title_html, "html.parser")
    assert title.find("b") is None
    assert title.get_text() == "<b>Київ</b> & Львів"
    assert [mark.get_text() for mark in title.find_all("mark")] == ["Львів"]
    assert BeautifulSoup(hit.snippet_html, "html.parser").find("script") is None


def test_each_language_gets_its_own_backend_and_directory(settings, tmp_path):
    from masthead.search.backends import get_backend, reset_backends

    settings.MASTHEAD_SEARCH_BACKEND = "masthead.search.backends.tantivy.TantivyBackend"
    settings.MASTHEAD_SEARCH_INDEX_DIR = tmp_path
    settings.MASTHEAD_SEARCH_LANGUAGE = "english"
    try:
        english, ukrainian = get_backend(), get_backend("ukrainian")

        assert get_backend("english") is english
        assert english.path.name == "v1-english"
        assert ukrainian.path.name == "v1-ukrainian"
        assert ukrainian.is_pretokenised and not english.is_pretokenised
    finally:
        reset_backends()


def test_long_body_shows_the_passage_around_the_first_match(tmp_path, lexicon):
    backend = TantivyBackend(index_dir=lexicon.parent, language="ukrainian")
    backend.path = tmp_path / "long"
    body = "Спокійний ранок. " * 40 + "Світло у Харкові повернули. " + "Тиша. " * 40
    backend.replace_all([document(7, "Новини", body)])

    html = backend.search("Харків").hits[0].snippet_html
    snippet = BeautifulSoup(html, "html.parser")

    assert [mark.get_text() for mark in snippet.find_all("mark")] == ["Харкові"]
    assert snippet.get_text().startswith("\u2026")
    assert snippet.get_text().endswith("\u2026")
    assert len(snippet.get_text()) <= 242
