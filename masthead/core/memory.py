"""Garbage collection for a long-running server process (issue #5).

A render leaves cycles (querysets, model instances, template contexts) that
outlive it in the collector's older generations; Python collects those only
in a full collection, which it runs rarely because the 150,000 objects
imported at start-up count as long-lived, and which then walks all of them
(about 70 ms). Meanwhile the next renders allocate beside the garbage, and
the heap stays at that high-water mark. Freezing the start-up objects takes
them out of every collection, so a full collection of the rest is cheap
enough to run after every tenth response: under the benchmark's load the
uncached worker ends 16-20 MB smaller, for the same share of CPU in the
collector (7-8%) as Python's own schedule.
"""

import gc
import itertools
from typing import Any

from django.core.signals import request_finished

# Responses between full collections: 4 saved no more memory and cost more
# time in the collector, 20 kept 4 MB more (#5).
COLLECT_EVERY = 10


def freeze_startup_objects() -> None:
    """Load what the first request would load, then freeze every object.

    Wagtail imports every app's ``wagtail_hooks`` (and with them most of its
    admin) on the first page it serves; loading them here puts them among
    the frozen objects instead of among those every collection walks.
    """
    from django.urls import get_resolver
    from wagtail import hooks

    hooks.search_for_hooks()
    get_resolver().url_patterns  # noqa: B018 (imports the URLconf)
    gc.collect()
    gc.freeze()


class ResponseCollector:
    """A full collection after every ``every``-th response Django finishes.

    Connected to ``request_finished``, so it runs once the response has been
    sent; pages answered from the page cache never reach Django and leave
    next to nothing to collect.
    """

    def __init__(self, every: int = COLLECT_EVERY):
        self.every = every
        # next() on a count is atomic under the GIL: no lock for the threads.
        self._responses = itertools.count(1)

    def __call__(self, **kwargs: Any) -> None:
        if next(self._responses) % self.every == 0:
            gc.collect()

    def connect(self) -> None:
        request_finished.connect(self, weak=False, dispatch_uid=__name__)


def tune_for_serving() -> None:
    """Freeze start-up objects and collect after every tenth response."""
    freeze_startup_objects()
    ResponseCollector().connect()
