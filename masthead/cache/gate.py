"""At most a few renders at once, so cached pages keep a thread (issue #13).

granian gives each worker a few threads (``MASTHEAD_THREADS``, 4) and queues
every request for them in arrival order. A flood of requests the page cache
cannot answer (unknown URLs, random searches) held all four with renders
while cached pages waited in the queue behind them: 4 s for a cached front
page under 1,000 connections. The gate lets ``MASTHEAD_RENDER_SLOTS``
renders run at once, at most ``MASTHEAD_RENDER_SLOTS_PER_CLIENT`` of them
for one client (core/clients.py), and answers any other at once with ``503``
and ``Retry-After``: refusing costs what a cache hit does, so the queue
drains and hits are answered in milliseconds. Nothing waits for a slot, as a
waiting request would hold the thread the gate is there to keep free.

Only renders of public pages go through it (cache/wsgi.py): staff, signed-in
readers and writes pass the page cache, and the gate, untouched.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from masthead.core.clients import client_bucket

# Seconds a refused client is told to wait: a render takes milliseconds.
RETRY_AFTER = "1"
# Answered before Django picks a language, so in every edition's language.
BUSY_BODY = (
    "The site is busy. Please try again in a moment.\n"
    "Сайт зараз перевантажений. Спробуйте ще раз за мить.\n"
).encode()

type Rendered = tuple[str, list[tuple[str, str]], bytes]


def busy_response() -> Rendered:
    """The answer to a refused render: 503, retry soon, stored by nobody."""
    return (
        "503 Service Unavailable",
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Retry-After", RETRY_AFTER),
            ("Cache-Control", "private, no-store"),
        ],
        BUSY_BODY,
    )


class RenderGate:
    """Count renders in flight, in all and per client.

    Args:
        slots: renders at once in this process; 0 or less: no limit.
        per_client: renders at once for one client; 0 or less: no limit.
    """

    def __init__(self, slots: int, per_client: int) -> None:
        self.slots = slots
        self.per_client = per_client
        self._lock = threading.Lock()
        self._in_flight = 0
        self._by_client: Counter[str] = Counter()

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def enter(self, client: str) -> bool:
        """Take a slot for ``client``; False when the gate is full for it."""
        with self._lock:
            if 0 < self.slots <= self._in_flight:
                # Case: every slot is rendering; a hit still finds a thread.
                return False
            if 0 < self.per_client <= self._by_client[client]:
                # Case: this client holds its share; the others keep theirs.
                return False
            self._in_flight += 1
            self._by_client[client] += 1
            return True

    def leave(self, client: str) -> None:
        """Give back the slot ``enter`` took for ``client``."""
        with self._lock:
            self._in_flight -= 1
            self._by_client[client] -= 1
            if self._by_client[client] <= 0:
                del self._by_client[client]

    @contextmanager
    def slot(self, environ: Mapping[str, Any]) -> Iterator[bool]:
        """Hold a slot for the request in ``environ`` while the block runs.

        Yields:
            True when the request may render, False when it must be refused.
        """
        client = client_bucket(environ)
        admitted = self.enter(client)
        try:
            yield admitted
        finally:
            if admitted:
                self.leave(client)
