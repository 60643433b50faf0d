"""The language a page's content is in (issue #14).

One function answers it for every place that declares it: ``<html lang>``,
JSON-LD ``inLanguage``, ``og:locale``, the feeds' ``<language>`` and the
news sitemap. It is the request's edition (core/editions.py, #15): ``uk``
under ``/uk/``, the site's ``LANGUAGE_CODE`` elsewhere.
"""

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

# The usual country of a language without one, for OpenGraph's
# ``language_TERRITORY`` locales (ogp.me "og:locale").
LIKELY_TERRITORY = {
    "ar": "AR",
    "be": "BY",
    "bg": "BG",
    "cs": "CZ",
    "da": "DK",
    "de": "DE",
    "el": "GR",
    "en": "US",
    "es": "ES",
    "et": "EE",
    "fi": "FI",
    "fr": "FR",
    "he": "IL",
    "hu": "HU",
    "it": "IT",
    "ja": "JP",
    "ka": "GE",
    "kk": "KZ",
    "ko": "KR",
    "lt": "LT",
    "lv": "LV",
    "nb": "NO",
    "nl": "NL",
    "pl": "PL",
    "pt": "BR",
    "ro": "RO",
    "ru": "RU",
    "sk": "SK",
    "sv": "SE",
    "tr": "TR",
    "uk": "UA",
    "zh": "CN",
}


def content_language(request: HttpRequest | None = None) -> str:
    """The BCP 47 tag of the page's language: ``en``, ``en-GB``, ``uk``.

    Args:
        request: the page's request, whose path names its edition; without
            one (a feed built by a task), the language active now.
    """
    edition = getattr(request, "LANGUAGE_CODE", None)
    return bcp47(edition or translation.get_language() or settings.LANGUAGE_CODE)


def bcp47(code: str) -> str:
    """Django's ``en-gb`` or ``en_GB`` written as BCP 47 prefers: ``en-GB``."""
    parts = code.replace("_", "-").split("-")
    tag = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 or (len(part) == 3 and part.isdigit()):
            tag.append(part.upper())
        elif len(part) == 4:
            tag.append(part.title())
        else:
            tag.append(part.lower())
    return "-".join(tag)


def og_locale(language: str) -> str | None:
    """OpenGraph's ``language_TERRITORY`` for a BCP 47 tag: ``en-GB`` is
    ``en_GB``, ``uk`` is ``uk_UA``; None when the territory is unknown."""
    parts = bcp47(language).split("-")
    territory = next(
        (part for part in parts[1:] if len(part) == 2 and part.isupper()), None
    )
    territory = territory or LIKELY_TERRITORY.get(parts[0])
    return f"{parts[0]}_{territory}" if territory else None
