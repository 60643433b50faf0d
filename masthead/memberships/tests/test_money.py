"""Amounts of money for display (money.py, #17): no database."""

import pytest
from django.utils import translation

from masthead.memberships.money import format_money

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("cents", "currency", "language", "expected"),
    [
        (500, "EUR", "en", "€5.00"),
        (5000, "eur", "en", "€50.00"),
        (123456, "USD", "en-gb", "$1,234.56"),
        (99, "GBP", "en", "£0.99"),
        (500, "EUR", "uk", f"5,00{NBSP}€"),
        (123456, "UAH", "uk", f"1{NBSP}234,56{NBSP}₴"),
        (500, "CHF", "en", f"CHF{NBSP}5.00"),
        (500, "CHF", "uk", f"5,00{NBSP}CHF"),
        (-250, "EUR", "en", "-€2.50"),
        (0, "EUR", "en", "€0.00"),
    ],
)
def test_amounts_are_written_the_way_each_language_writes_them(
    cents, currency, language, expected
):
    assert format_money(cents, currency, language) == expected


def test_the_active_language_is_used_when_none_is_given():
    with translation.override("uk"):
        assert format_money(1500, "EUR") == f"15,00{NBSP}€"
    with translation.override("en"):
        assert format_money(1500, "EUR") == "€15.00"
