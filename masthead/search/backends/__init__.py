"""The search engine, chosen by ``MASTHEAD_SEARCH_BACKEND`` (a dotted path).

One instance per process and configuration: Tantivy keeps its open index and
reader in it, which is what makes queries fast. Each edition has its own
(#15): ``edition_backend("uk")`` searches and writes the Ukrainian edition's
index, analysed in the edition's language (``search_language``).
"""

import threading

from django.conf import settings
from django.utils.module_loading import import_string

from masthead.core.editions import default_edition, edition_codes

from .base import (
    IndexBusy,
    SearchBackend,
    SearchHit,
    SearchResults,
    SearchUnavailable,
)

__all__ = [
    "IndexBusy",
    "SearchBackend",
    "SearchHit",
    "SearchResults",
    "SearchUnavailable",
    "edition_backend",
    "edition_backends",
    "get_backend",
    "reset_backends",
    "search_language",
]

_backends: dict[tuple[object, ...], SearchBackend] = {}
_lock = threading.Lock()


def search_language(edition: str) -> str:
    """The analysis language of ``edition``'s index ("english", "ukrainian"...).

    ``MASTHEAD_SEARCH_LANGUAGES`` (derived from the editions in settings);
    an edition missing from it gets ``MASTHEAD_SEARCH_LANGUAGE`` if it is
    the default one, else no stemming (folding only), never another
    language's stemmer.
    """
    languages: dict[str, str] = settings.MASTHEAD_SEARCH_LANGUAGES
    if edition in languages:
        return languages[edition]
    if edition == default_edition():
        return str(settings.MASTHEAD_SEARCH_LANGUAGE)
    return ""


def edition_backend(edition: str) -> SearchBackend:
    """The backend of one edition's own index (issue #15)."""
    return get_backend(search_language(edition), edition=edition)


def edition_backends() -> dict[str, SearchBackend]:
    """Every edition's backend, the default edition first."""
    return {code: edition_backend(code) for code in edition_codes()}


def get_backend(
    language: str | None = None, *, edition: str | None = None
) -> SearchBackend:
    """The configured backend, built once per distinct configuration.

    Keyed on the settings it reads, so tests that override them get a fresh
    backend pointing at their own directory.

    Args:
        language: the analysis language ("english", "ukrainian", ...);
            ``MASTHEAD_SEARCH_LANGUAGE`` when None.
        edition: the edition whose articles the index holds; each has its
            own index directory (``v1-uk-ukrainian``), so two editions
            analysed alike never share one. None: an index named by the
            language alone (benchmarks, tests of the analysis).
    """
    if language is None:
        language = settings.MASTHEAD_SEARCH_LANGUAGE
    key = (
        settings.MASTHEAD_SEARCH_BACKEND,
        str(settings.MASTHEAD_SEARCH_INDEX_DIR),
        language,
        edition,
    )
    backend = _backends.get(key)
    if backend is None:
        with _lock:
            backend = _backends.get(key)
            if backend is None:
                backend_class = import_string(settings.MASTHEAD_SEARCH_BACKEND)
                options = {"edition": edition} if edition is not None else {}
                backend = backend_class(
                    index_dir=settings.MASTHEAD_SEARCH_INDEX_DIR,
                    language=language,
                    **options,
                )
                _backends[key] = backend
    return backend


def reset_backends() -> None:
    """Forget built backends (tests use a new index directory each)."""
    with _lock:
        _backends.clear()
