"""Request counters for rate limits, beside the page store (issue #13).

A counter counts hits of one key in fixed windows of ``window`` seconds. In
scale-out mode it lives in Redis, shared by every app process; in embedded
mode, or while Redis does not answer, in this process's memory, which keeps
at most ``LOCAL_KEYS`` keys. Counting never touches the database: that is
what a limit protects.
"""

from __future__ import annotations

import threading
import time

from .stores import RedisStore, get_store

# Keys counted in memory at once. Past that, new keys count as over any
# limit until old windows end: a flood from very many clients costs a few
# MB here, and the database nothing.
LOCAL_KEYS = 50_000
OVERFLOW = 2**31


class LocalCounters:
    """Fixed-window counters in this process's memory."""

    def __init__(self, max_keys: int = LOCAL_KEYS) -> None:
        self.max_keys = max_keys
        self._lock = threading.Lock()
        # key -> (end of its window, hits in it)
        self._counts: dict[str, tuple[float, int]] = {}
        self._swept_at = 0.0

    def count(self, key: str, window: int, now: float) -> int:
        """Add one hit to ``key``; return the hits in its current window."""
        with self._lock:
            ends, hits = self._counts.get(key, (0.0, 0))
            if now >= ends:
                # Case: a new window for this key.
                ends, hits = (now // window + 1) * window, 0
                if key not in self._counts and len(self._counts) >= self.max_keys:
                    self._sweep(now)
                    if len(self._counts) >= self.max_keys:
                        # Case: full of live windows (a flood from very many
                        # clients): refuse rather than grow.
                        return OVERFLOW
            hits += 1
            self._counts[key] = (ends, hits)
            return hits

    def _sweep(self, now: float) -> None:
        if now - self._swept_at < 1:
            return
        self._swept_at = now
        self._counts = {
            key: value for key, value in self._counts.items() if value[0] > now
        }

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


_local = LocalCounters()


def _redis_count(store: RedisStore, key: str, window: int, now: float) -> int | None:
    """The count in Redis, or None when Redis cannot be asked now."""
    breaker = getattr(store, "breaker", None)
    if breaker is not None and not breaker.allow():
        return None
    index = int(now // window)
    name = f"{store.prefix}rate:{key}:{index}"
    try:
        pipeline = store.client.pipeline(transaction=False)
        pipeline.incr(name)
        pipeline.expire(name, window * 2)
        hits, _ = pipeline.execute()
    except Exception:  # noqa: BLE001 - any client error: count locally
        return None
    return int(hits)


def count(key: str, window: int, now: float | None = None) -> int:
    """Add one hit to ``key``; return the hits in its current window.

    Args:
        key: what is counted (a client, a client and an article).
        window: the window's length in seconds.
        now: seconds since the epoch; tests pass their own.
    """
    now = time.time() if now is None else now
    store = get_store()
    if isinstance(store, RedisStore):
        hits = _redis_count(store, key, window, now)
        if hits is not None:
            return hits
    return _local.count(key, window, now)


def reset() -> None:
    """Forget every count kept in memory (tests)."""
    _local.clear()
