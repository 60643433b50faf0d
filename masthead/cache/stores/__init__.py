"""Where pages and fragments are kept: one store per process (``get_store``).

Embedded mode keeps pages in each process's memory (``MemoryStore``); with
``MASTHEAD_REDIS_URL`` every app process shares Redis (``RedisStore``).
"""

import threading
from typing import Any

from django.conf import settings

from .entry import Entry, PurgeToken
from .memory import MemoryStore
from .redis import RedisStore

__all__ = ["Entry", "MemoryStore", "PageStore", "PurgeToken", "RedisStore"]

type PageStore = MemoryStore | RedisStore

# One store per process, and what ``kept.py`` keeps; ``reset`` forgets both.
_state: dict[str, Any] = {}
_state_lock = threading.Lock()


def get_store() -> PageStore:
    """This process's store of pages and fragments (memory or Redis)."""
    with _state_lock:
        if "store" not in _state:
            if settings.MASTHEAD_REDIS_URL:
                _state["store"] = RedisStore(settings.MASTHEAD_REDIS_URL)
            else:
                _state["store"] = MemoryStore(
                    settings.MASTHEAD_PAGE_CACHE_JOURNAL,
                    settings.MASTHEAD_PAGE_CACHE_MAX_MB * 1024 * 1024,
                )
        store: PageStore = _state["store"]
        return store


def reset() -> None:
    """Forget the configured store and kept objects (tests change settings)."""
    with _state_lock:
        _state.clear()
