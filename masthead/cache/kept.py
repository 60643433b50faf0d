"""Objects every request needs (the site, its settings), kept per process."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass

from .stores import _state, _state_lock, get_store

logger = logging.getLogger("masthead.caching")


# ---------------------------------------------------------------------------
# Objects every request needs (the site, its settings), kept in this process.

# Entries kept per process, least recently used dropped first. The few that
# every request reads (site, settings, root paths, sections) stay; per-object
# ones (an article's hero image) come and go at a million articles.
_KEPT_LIMIT = 256


def kept_until_purge[T](name: str, key: Hashable, load: Callable[[], T]) -> T:
    """Return ``load()``, computed once per process until the next purge.

    For small objects that pages read often and that change rarely, each
    change purging (the Wagtail site and its settings, tag ``site``; a
    section; an image). A kept value is used while the store's purge marker
    (its token) has not moved, so any purge, on any process, makes the next
    request load it again; the marker is read before loading, so a purge that
    lands during the load is not missed. Past ``_KEPT_LIMIT`` entries the
    least recently used is dropped. Kept values are shared by threads: they
    must be treated as read-only.
    """
    store = get_store()
    token = store.token()
    slot = (name, key)
    with _state_lock:
        kept = _state.get("kept")
        if kept is None:
            kept = _state["kept"] = OrderedDict()
        entry = kept.get(slot)
        if entry is not None and token is not None and entry[0] == token:
            kept.move_to_end(slot)
            kept_value: T = entry[1]
            return kept_value
    value = load()
    if token is not None:
        with _state_lock:
            kept[slot] = (token, value)
            kept.move_to_end(slot)
            while len(kept) > _KEPT_LIMIT:
                kept.popitem(last=False)
    return value
