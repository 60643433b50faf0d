"""Reading what readers type, and the engine taking anything (no database)."""

import random

import pytest

from masthead.search.documents import IndexDocument
from masthead.search.query import MAX_QUERY_CHARS, MAX_UNITS, Unit, parse_query


def test_words_and_quoted_phrases_become_units():
    query = parse_query('kyiv "energy grid" winter')
    assert query.units == (
        Unit("kyiv"),
        Unit("energy grid", is_phrase=True),
        Unit("winter"),
    )


def test_query_syntax_characters_are_plain_text():
    query = parse_query("title:kyiv AND (grid OR power*) ~2 ^3")
    assert [unit.text for unit in query.units] == [
        "title:kyiv",
        "AND",
        "(grid",
        "OR",
        "power*)",
        "~2",
        "^3",
    ]
    assert not any(unit.is_phrase for unit in query.units)


def test_unbalanced_quote_is_dropped_not_swallowing_words():
    query = parse_query('"energy grid')
    assert [unit.text for unit in query.units] == ["energy", "grid"]


def test_curly_quotes_group_a_phrase():
    query = parse_query("\u201cenergy grid\u201d")
    assert query.units == (Unit("energy grid", is_phrase=True),)


@pytest.mark.parametrize("raw", ["", "   ", '"', '""', "***", "((( )))", "\x00", "~^:"])
def test_nothing_searchable_gives_an_empty_query(raw):
    assert parse_query(raw).is_empty


def test_control_characters_are_removed():
    query = parse_query("kyiv\x00grid\x07")
    assert [unit.text for unit in query.units] == ["kyiv", "grid"]


def test_long_input_is_cut_with_a_notice():
    query = parse_query("word " * 10_000)
    assert len(query.text) <= MAX_QUERY_CHARS
    assert len(query.units) == MAX_UNITS
    assert len(query.notices) == 2


def test_one_enormous_word_is_cut_to_the_limit():
    query = parse_query("a" * 10_000)
    assert len(query.text) == MAX_QUERY_CHARS
    assert query.notices


def test_random_unicode_never_breaks_the_engine(search_index):
    """Whatever the words, the engine answers (Tantivy panics are not errors)."""
    rng = random.Random(3)
    alphabet = 'aZ09 "*:()~^-+!?&|/\\[]{}<>\x00\t\u0456\u20ac\U0001f4a5\u202e'

    def text(length: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(length))

    search_index.apply(
        [
            IndexDocument(n, text(40), text(80), text(2_000), (text(8),), (), 1, None)
            for n in range(1, 30)
        ],
        [],
    )
    shown = 0
    for _ in range(300):
        raw = text(rng.randint(0, 60))
        result = search_index.search(raw, offset=rng.randint(0, 5))
        assert result.total >= len(result.hits)
        shown += len(result.hits)
    assert shown  # snippets were built, not only empty answers
