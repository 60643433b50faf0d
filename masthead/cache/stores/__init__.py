"""Where pages and fragments are kept: one store per process (``get_store``).

Embedded mode keeps pages in each process's memory (``MemoryStore``); with
``MASTHEAD_REDIS_URL`` every app process shares Redis (``RedisStore``).
"""

import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings

from masthead.core.breaker import breaker_for, reset_breakers

from .entry import Entry, PurgeToken
from .memory import MemoryStore
from .redis import RedisStore

__all__ = ["Entry", "MemoryStore", "PageStore", "PurgeToken", "RedisStore"]

type PageStore = MemoryStore | RedisStore

# One store per process, and what ``kept.py`` keeps; ``reset`` forgets both.
_state: dict[str, Any] = {}
_state_lock = threading.Lock()
# What replays the purges a shared store may have missed (cache/purging.py).
_catch_up: list[Callable[[], None]] = []


def on_catch_up(replay: Callable[[], None]) -> None:
    """Have ``replay`` run before a shared store is trusted again (RedisStore)."""
    _catch_up[:] = [replay]


def _replay_missed_purges() -> None:
    for replay in _catch_up:
        replay()


def get_store() -> PageStore:
    """This process's store of pages and fragments (memory or Redis)."""
    with _state_lock:
        if "store" not in _state:
            if settings.MASTHEAD_REDIS_URL:
                _state["store"] = RedisStore(
                    settings.MASTHEAD_REDIS_URL,
                    timeout=settings.MASTHEAD_REDIS_TIMEOUT,
                    connect_timeout=settings.MASTHEAD_REDIS_CONNECT_TIMEOUT,
                    breaker=breaker_for("Redis page cache"),
                    catch_up=_replay_missed_purges,
                )
            else:
                _state["store"] = MemoryStore(
                    settings.MASTHEAD_PAGE_CACHE_JOURNAL,
                    settings.MASTHEAD_PAGE_CACHE_MAX_MB * 1024 * 1024,
                )
        store: PageStore = _state["store"]
        return store


def reset() -> None:
    """Forget the store, kept objects and breakers (tests change settings)."""
    with _state_lock:
        _state.clear()
    reset_breakers()
