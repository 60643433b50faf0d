"""Amounts of money for display: cents and a currency, per language (#17).

Masthead keeps money as integers in the currency's smallest unit and only
formats it for people, so this stays small and free of Babel: English puts
the symbol first ("€1,234.50"); the other editions' languages write it the
continental way ("1 234,50 €", with no-break spaces so a price never wraps).
A currency without a symbol here is shown by its ISO 4217 code.
"""

from __future__ import annotations

from django.utils import translation

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "UAH": "₴"}

# No-break space: between digit groups and between amount and symbol.
_NBSP = "\u00a0"


def format_money(cents: int, currency: str, language: str | None = None) -> str:
    """Format ``cents`` of ``currency`` for a reader of ``language``.

    Args:
        cents: the amount in the smallest unit (5 euros is ``500``).
        currency: ISO 4217 code, any case ("EUR").
        language: a language code ("en", "uk", "en-gb"); the active one when
            not given.

    Returns:
        "€5.00" in English, "5,00 €" in Ukrainian; "CHF 5.00" / "5,00 CHF"
        for a currency without a symbol here.
    """
    code = currency.upper()
    language = (language or translation.get_language() or "en").lower()
    sign = "-" if cents < 0 else ""
    units, rest = divmod(abs(cents), 100)
    grouped = f"{units:,}"
    symbol = SYMBOLS.get(code)
    if language.split("-")[0] == "en":
        amount = f"{grouped}.{rest:02d}"
        if symbol:
            return f"{sign}{symbol}{amount}"
        return f"{sign}{code}{_NBSP}{amount}"
    amount = f"{grouped.replace(',', _NBSP)},{rest:02d}"
    return f"{sign}{amount}{_NBSP}{symbol or code}"
