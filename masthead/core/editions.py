"""Editions: which language a request is in, from its path alone (#15).

The default edition (``LANGUAGE_CODE``) is at ``/`` and every other one
under its code (``/uk/``); each is a Wagtail locale with its own page tree
(docs/editions.md). Django's ``LocaleMiddleware`` would also read
``Accept-Language`` and so add ``Vary: Accept-Language`` to every page of
the default edition, although its content never varies: the page cache and
the caches in front would keep one copy per browser language. Here the path
decides and nothing else, so no ``Vary`` is needed.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation


def default_edition() -> str:
    """The language code of the edition served at ``/``."""
    return str(settings.LANGUAGE_CODE)


def edition_codes() -> list[str]:
    """Every edition's language code, the default one first."""
    default = default_edition()
    return [default, *(code for code in settings.MASTHEAD_EDITIONS if code != default)]


def edition_root() -> str:
    """The active edition's home path: ``/``, or ``/uk/`` during a Ukrainian request."""
    return reverse("wagtail_serve", args=[""])


def edition_for_path(path: str) -> str:
    """The edition a path belongs to: ``/uk/…`` is ``uk``, anything else the default.

    Only a whole first segment counts: ``/ukraine/`` is in the default edition.
    """
    first = path.lstrip("/").split("/", 1)[0]
    if first != default_edition() and first in settings.MASTHEAD_EDITIONS:
        return first
    return default_edition()


# Locale id -> language code, read once per process and again when an
# unknown id appears: locales are added rarely and never renumbered.
_LOCALE_CODES: dict[int, str] = {}


def locale_code(locale_id: int | None) -> str:
    """The language code of Wagtail locale ``locale_id``, without a query per call.

    For rows that store an edition as a locale (News Feed items): building
    their URLs in a listing must not cost a query each.
    """
    if locale_id is None:
        return default_edition()
    if locale_id not in _LOCALE_CODES:
        from wagtail.models import Locale

        _LOCALE_CODES.update(Locale.objects.values_list("pk", "language_code"))
    return _LOCALE_CODES.get(locale_id, default_edition())


def locale_id_for(language_code: str) -> int | None:
    """The id of the Wagtail locale of ``language_code``; None if it has none.

    Listings filter on the id itself: a join to the locale table made
    SQLite's planner start from the locale and lose the listing's index.
    A regional variant (``en-gb``) finds its language's locale, as Wagtail's
    routing does.
    """
    from wagtail.coreutils import get_supported_content_language_variant

    try:
        language_code = get_supported_content_language_variant(language_code)
    except LookupError:
        return None
    for attempt in range(2):
        found = [pk for pk, code in _LOCALE_CODES.items() if code == language_code]
        if found:
            return found[0]
        if attempt == 0:
            from wagtail.models import Locale

            _LOCALE_CODES.update(Locale.objects.values_list("pk", "language_code"))
    return None


class EditionMiddleware:
    """Activate the edition named by the path's prefix for the whole request.

    ``i18n_patterns(prefix_default_language=False)`` (masthead/urls.py) then
    resolves ``/uk/…`` and Wagtail serves the Ukrainian tree, and every URL
    reversed during the request carries the same prefix.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        language = edition_for_path(request.path_info)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Work after the response (on-commit hooks, tasks run in this
            # thread, the next test) must not inherit the edition.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
