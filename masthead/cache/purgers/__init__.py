"""Caches in front of the app that are told to drop pages (``MASTHEAD_PURGERS``).

Like Wagtail's ``WAGTAILFRONTENDCACHE``: a list of back ends in settings,
each a dotted class path with its options. Masthead ships Varnish
(``purgers/varnish.py``); a CDN's purge-by-tag API is one more class with a
``purge(tags)`` method. Purgers are told by the background task, never in
an editor's request (cache/purging.py).
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import PurgeFailed, Purger

__all__ = ["PurgeFailed", "Purger", "get_purgers"]


def get_purgers() -> list[Purger]:
    """One purger per entry of ``MASTHEAD_PURGERS``.

    Raises:
        ImproperlyConfigured: an entry names no class or one that cannot load.
    """
    purgers: list[Purger] = []
    for entry in settings.MASTHEAD_PURGERS:
        options: dict[str, Any] = dict(entry)
        path = options.pop("BACKEND", None)
        if not path:
            raise ImproperlyConfigured(
                f"MASTHEAD_PURGERS entry without BACKEND: {entry}"
            )
        try:
            backend = import_string(path)
        except ImportError as error:
            raise ImproperlyConfigured(f"MASTHEAD_PURGERS: {error}") from error
        purgers.append(
            backend(**{key.lower(): value for key, value in options.items()})
        )
    return purgers
