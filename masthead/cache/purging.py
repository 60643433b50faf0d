"""Purging: queued with the write, applied after commit, retried on failure.

``purge(*tags)`` is called inside the write's transaction and queues the tags
in the outbox (core/outbox.py), twice: topic ``purge`` for this machine's
page store, drained right after the commit in the writer's own process (a
publish shows at once, #5), and topic ``purge-remote`` for the caches in
front (``MASTHEAD_PURGERS``: Varnish, a CDN), drained by the background task
so a cache that is down or slow never makes an editor wait (#12). A failure
leaves the rows, with the error, for the task's next turn; the Redis store
replays them itself before it serves pages again (#13).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, connection

from masthead.core import outbox

from .purgers import get_purgers
from .stores import get_store, on_catch_up
from .tags import TAG_PATTERN

logger = logging.getLogger("masthead.caching")

LOCAL = "purge"
REMOTE = "purge-remote"


def purge(*tags: str | None) -> None:
    """Drop every cached page that carries any of ``tags`` once the write commits.

    Call inside the transaction of the write. The queued rows commit or roll
    back with it, so a purge is never lost and never runs for a write that
    did not happen.

    Raises:
        ValueError: a name is not a cache tag.
    """
    names = sorted({name for name in tags if name})
    for name in names:
        if not TAG_PATTERN.match(name):
            raise ValueError(f"not a cache tag: {name!r}")
    if not names:
        return
    outbox.enqueue(LOCAL, names)
    if settings.MASTHEAD_PURGERS:
        outbox.enqueue(REMOTE, names)


def purge_local(tags: list[str]) -> None:
    """Drop the tagged pages from this machine's store (memory or Redis)."""
    get_store().purge(tags)


def purge_remote(tags: list[str]) -> None:
    """Tell every cache in front; raises if any could not be told."""
    failures = []
    for purger in get_purgers():
        try:
            purger.purge(tags)
        except Exception as error:  # noqa: BLE001 - every purger is tried
            failures.append(f"{type(purger).__name__}: {error}")
    if failures:
        raise PurgeNotApplied("; ".join(failures))


def replay_missed_purges() -> None:
    """Apply every purge still queued for this machine's store, oldest first.

    The Redis store calls it before trusting Redis again (stores/redis.py):
    a page stored before a purge that could not reach Redis must not be
    served once Redis answers. It runs in the store's helper thread.

    Raises:
        Exception: the store failed again; the rows stay queued.
    """
    try:
        outbox.drain_topic(outbox.topics()[LOCAL], max_batches=None, strict=True)
    except DatabaseError:
        # Case: the database is unreachable too: the missed purges cannot be
        # known, and what Redis holds is all readers can get meanwhile.
        logger.warning("Missed purges could not be read", exc_info=True)
        connection.close()


class PurgeNotApplied(Exception):
    """At least one cache in front kept its pages; the purge is retried."""


def register_topics(wake_background: Callable[[], None]) -> None:
    """Make the purge topics known to the outbox (cache/apps.py)."""
    outbox.register(outbox.Topic(LOCAL, purge_local, inline=True))
    outbox.register(outbox.Topic(REMOTE, purge_remote, inline=False))
    outbox.on_background_work(wake_background)
    on_catch_up(replay_missed_purges)
