"""Bounding the search page's filters (no database)."""

from dataclasses import dataclass
from datetime import date

import pytest

from masthead.search.params import parse_params


@dataclass
class Section:
    slug: str


SECTIONS = [Section("ukraine"), Section("europe")]


def test_known_section_and_dates_are_kept():
    params = parse_params(
        {"q": "grid", "section": "europe", "from": "2024-01-01", "to": "2024-01-31"},
        SECTIONS,
    )
    assert params.section is SECTIONS[1]
    assert (params.date_from, params.date_to) == (date(2024, 1, 1), date(2024, 1, 31))
    assert params.notices == ()


@pytest.mark.parametrize(
    "raw",
    [
        "2024-13-01",
        "2024-02-30",
        "yesterday",
        "2024-1-1",
        "\x00",
        "2024-01-01T00:00",
        "\u0662\u0660\u0662\u0664-01-01",
        "9" * 500,
    ],
)
def test_unreadable_date_is_ignored_with_a_notice(raw):
    params = parse_params({"q": "grid", "from": raw}, SECTIONS)
    assert params.date_from is None
    assert len(params.notices) == 1
    assert "YYYY-MM-DD" in params.notices[0]


@pytest.mark.parametrize("raw", ["0001-01-01", "9999-12-31"])
def test_date_outside_the_bounds_is_ignored_with_a_notice(raw):
    params = parse_params({"q": "grid", "to": raw}, SECTIONS)
    assert params.date_to is None
    assert "between" in params.notices[0]


def test_dates_the_wrong_way_round_are_swapped():
    params = parse_params({"from": "2024-02-01", "to": "2024-01-01"}, SECTIONS)
    assert (params.date_from, params.date_to) == (date(2024, 1, 1), date(2024, 2, 1))
    assert "swapped" in params.notices[0]


def test_unknown_section_searches_everything_with_a_notice():
    params = parse_params({"q": "grid", "section": "<script>"}, SECTIONS)
    assert params.section is None
    assert "section" in params.notices[0]
