"""Page-cache entries for tests (unit and scale-out)."""

import time

from .stores.entry import Entry


def html_entry(body: bytes, tags: set[str], fresh_seconds: float = 60) -> Entry:
    """A fresh HTML page entry tagged ``tags``, as the page cache stores one."""
    now = time.time()
    return Entry(
        status="200 OK",
        headers=[("Content-Type", "text/html; charset=utf-8")],
        body=body,
        gzipped=None,
        etag='"x"',
        tags=frozenset(tags),
        stored_at=now,
        fresh_until=now + fresh_seconds,
        stale_until=now + fresh_seconds * 1.5,
        error_until=now + fresh_seconds * 2,
    )
