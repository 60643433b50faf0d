"""Safe highlighting (no database)."""

from bs4 import BeautifulSoup

from masthead.search.highlight import (
    byte_spans_to_chars,
    mark_spans,
    snippet,
    word_pattern,
)


def test_everything_is_escaped_and_only_matches_are_marked():
    text = "<script>alert('x')</script> & grid"
    html = mark_spans(text, [(text.index("grid"), len(text))])
    soup = BeautifulSoup(html, "html.parser")
    assert soup.find("script") is None
    assert [mark.get_text() for mark in soup.find_all("mark")] == ["grid"]
    assert soup.get_text() == text


def test_overlapping_and_out_of_range_spans_are_clipped():
    html = mark_spans("abcdef", [(0, 3), (2, 4), (5, 99)])
    assert html == "<mark>abc</mark><mark>d</mark>e<mark>f</mark>"


def test_byte_offsets_map_to_characters_in_cyrillic():
    text = "Київ: grid"
    start = len("Київ: ".encode())
    assert byte_spans_to_chars(text, [(start, start + 4)]) == [(6, 10)]


def test_snippet_centres_on_the_first_match_and_marks_the_cut():
    text = "filler " * 100 + "the grid failed " + "filler " * 100
    html, matched = snippet(text, word_pattern(["grid"]), max_chars=80)
    assert matched
    assert html.startswith("\u2026") and html.endswith("\u2026")
    assert "<mark>grid</mark>" in html
