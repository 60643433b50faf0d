"""The search engine, chosen by ``MASTHEAD_SEARCH_BACKEND`` (a dotted path).

One instance per process and configuration: Tantivy keeps its open index and
reader in it, which is what makes queries fast.
"""

import threading

from django.conf import settings
from django.utils.module_loading import import_string

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
    "get_backend",
    "reset_backends",
]

_backends: dict[tuple[object, ...], SearchBackend] = {}
_lock = threading.Lock()


def get_backend(language: str | None = None) -> SearchBackend:
    """The configured backend, built once per distinct configuration.

    Keyed on the settings it reads, so tests that override them get a fresh
    backend pointing at their own directory.

    Args:
        language: the analysis language ("english", "ukrainian", ...);
            ``MASTHEAD_SEARCH_LANGUAGE`` when None. Each language has its own
            index directory, so editions (#15) can each ask for theirs.
    """
    if language is None:
        language = settings.MASTHEAD_SEARCH_LANGUAGE
    key = (
        settings.MASTHEAD_SEARCH_BACKEND,
        str(settings.MASTHEAD_SEARCH_INDEX_DIR),
        language,
    )
    backend = _backends.get(key)
    if backend is None:
        with _lock:
            backend = _backends.get(key)
            if backend is None:
                backend_class = import_string(settings.MASTHEAD_SEARCH_BACKEND)
                backend = backend_class(
                    index_dir=settings.MASTHEAD_SEARCH_INDEX_DIR,
                    language=language,
                )
                _backends[key] = backend
    return backend


def reset_backends() -> None:
    """Forget built backends (tests use a new index directory each)."""
    with _lock:
        _backends.clear()
