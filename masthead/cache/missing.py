"""Missing pages in the caches: briefly, and only those asked for again (#13).

A 404 was never kept, so every request for an unknown URL ran Django: a
flood of them filled the worker's threads. Now a 404 is tagged ``missing``
(web/errors.py), and any publish that can give a URL a page purges that tag
(content/publishing.py), so a kept 404 never hides a new article; what no
publish announces (a new author's or tag's page, a redirect added by hand)
shows within ``MASTHEAD_PAGE_CACHE_404_TTL`` seconds.

A 404 is labelled for the caches only the second time its URL is asked for
within ``ADMISSION_SECONDS``: a flood of random URLs would otherwise push
every real page out of the store, each stored once and never asked for
again, while repeated misses (a stale link, a scanner's list) are kept.

Withheld pages (an article under embargo) answer 404 too, but are never
kept anywhere: ``WithheldPage`` marks them (cache/policy.py).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.http import HttpRequest

# How long a 404 is remembered while waiting for its second request.
ADMISSION_SECONDS = 60.0
# How many URLs are remembered at once (about 100 bytes each).
ADMISSION_SIZE = 8192


class SecondRequest:
    """Recently missing URLs; ``admit`` is True from a URL's second request.

    Args:
        size: URLs remembered at once; the oldest go first.
        window: seconds within which the second request must come.
    """

    def __init__(self, size: int = ADMISSION_SIZE, window: float = ADMISSION_SECONDS):
        self.size = size
        self.window = window
        self._seen: OrderedDict[bytes, float] = OrderedDict()
        self._lock = threading.Lock()

    def admit(self, url: str, now: float | None = None) -> bool:
        """Record a request for ``url``; True if it was asked for recently."""
        now = time.monotonic() if now is None else now
        # A digest keeps memory bounded whatever length of URL is sent.
        key = hashlib.blake2b(url.encode(), digest_size=16).digest()
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None and now - seen <= self.window:
                # Case: asked for again: worth keeping.
                return True
            self._seen[key] = now
            self._seen.move_to_end(key)
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
            return False


_second_request = SecondRequest()


def not_found_ttl(request: HttpRequest) -> int:
    """Seconds the caches may keep this 404; 0 the first time it is asked for."""
    url = request.get_host() + request.get_full_path()
    if not _second_request.admit(url):
        return 0
    return int(settings.MASTHEAD_PAGE_CACHE_404_TTL)
