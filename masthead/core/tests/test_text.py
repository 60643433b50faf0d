import pytest

from masthead.core.text import count_words, reading_minutes, strip_tags


def test_strip_tags_keeps_word_boundaries_between_blocks():
    assert strip_tags("<p>one</p><p>two&amp;three</p>").split() == ["one", "two&three"]


def test_count_words_counts_hyphenated_and_apostrophe_words_once():
    assert count_words("Russia's long-range strike, 2 drones.") == 5


@pytest.mark.parametrize(
    ("words", "minutes"),
    [(0, 1), (1, 1), (230, 1), (231, 2), (460, 2), (461, 3), (2300, 10)],
)
def test_reading_minutes_rounds_up_whole_minutes_at_least_one(words, minutes):
    assert reading_minutes(words, 230) == minutes


def test_reading_minutes_rejects_non_positive_speed():
    with pytest.raises(ValueError, match="positive"):
        reading_minutes(100, 0)
