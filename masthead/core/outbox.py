"""The outbox: work that must follow a write, queued in the write's transaction.

One table (``OutboxEntry``) and one drain for every kind of follow-up work
(issue #12): cache purges, search index changes, and next webhooks and
newsletters. A row commits or rolls back with the write that queued it, so
work is never lost between the commit and the side effect, and never done for
a write that did not happen.

Apps register a handler per *topic* (``register``) when they load. After a
transaction that queued rows commits, one drain runs the *inline* topics (the
editor's own change must show at once: the page store, the search index),
newest first and bounded; a ``django.tasks`` task drains the other topics
(Varnish and other remote purgers, so a cache that is down never makes an
editor wait) and retries whatever failed. A handler takes the keys of a
batch and either succeeds (the rows go) or raises: ``Busy`` leaves the rows
untouched for the next turn, any other error is logged and counted on them.
Handlers must be idempotent: a key may come twice.
"""

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

logger = logging.getLogger("masthead.outbox")


class Busy(Exception):
    """The handler cannot take the batch now (a lock held elsewhere)."""


@dataclass(frozen=True)
class Topic:
    """A kind of follow-up work and how it is drained.

    Attributes:
        name: stored in each row; plain words (``"purge"``, ``"index"``).
        handle: applies a batch of keys; raises to keep them.
        inline: drained right after the committing transaction, in the
            process that wrote; otherwise only by the background task.
        batch_size: keys per call of ``handle``.
        inline_batches: how many batches an inline drain takes at most;
            the rest waits for the task.
    """

    name: str
    handle: Callable[[list[str]], None]
    inline: bool = True
    batch_size: int = 500
    inline_batches: int = 5


_topics: dict[str, Topic] = {}
# Called after a commit that queued rows for a topic drained by the task
# (cache/tasks.py enqueues the drain task); set by whoever owns the worker.
_wake_background: list[Callable[[], None]] = []


def register(topic: Topic) -> None:
    """Make ``topic`` known; called from an app's ``ready()``."""
    _topics[topic.name] = topic


def on_background_work(wake: Callable[[], None]) -> None:
    """Call ``wake`` after a commit that queued work for the background task."""
    if wake not in _wake_background:
        _wake_background.append(wake)


def topics() -> dict[str, Topic]:
    return dict(_topics)


def enqueue(topic: str, keys: Iterable[str | int]) -> int:
    """Queue ``keys`` for ``topic`` in the current transaction; returns how many.

    Raises:
        KeyError: the topic was never registered.
    """
    from .models import OutboxEntry

    spec = _topics[topic]
    rows = [OutboxEntry(topic=topic, key=str(key)) for key in keys]
    if not rows:
        return 0
    OutboxEntry.objects.bulk_create(rows, batch_size=5000)
    _after_commit(drain_after_commit if spec.inline else _wake)
    return len(rows)


# How many times each after-commit job ran, per thread (on_commit runs in
# the committing thread).
_drains = threading.local()


def _after_commit(work: Callable[[], object]) -> None:
    """Run ``work`` once after the current transaction commits.

    Every ``enqueue`` registers a callback, but of those a commit runs only
    the first: each remembers how many drains this thread had done when it
    was registered, and stands down if one ran since. A registration flag
    instead would outlive a rollback, which drops callbacks silently.
    """
    if not hasattr(_drains, "counts"):
        _drains.counts = {}
    counts: dict[Callable[[], object], int] = _drains.counts
    registered_at = counts.get(work, 0)

    def once() -> None:
        if counts.get(work, 0) != registered_at:
            return
        counts[work] = registered_at + 1
        work()

    # robust: a failing cache or index is logged, never an error for the
    # editor whose write has already committed; the rows stay for the task.
    transaction.on_commit(once, robust=True)


def _wake() -> None:
    for wake in _wake_background:
        wake()


def drain_after_commit() -> int:
    """The inline topics, newest first: the change just committed comes first."""
    applied = 0
    for spec in _topics.values():
        if spec.inline:
            applied += drain_topic(spec, max_batches=spec.inline_batches, newest=True)
    return applied


def drain(max_batches: int | None = 50) -> int:
    """Every topic, oldest first: the background task's turn (and retries)."""
    return sum(drain_topic(spec, max_batches=max_batches) for spec in _topics.values())


def drain_topic(
    spec: Topic, *, max_batches: int | None, newest: bool = False, strict: bool = False
) -> int:
    """Apply up to ``max_batches`` batches of ``spec``; returns rows applied.

    Args:
        strict: raise the handler's error (after counting it on the rows)
            instead of logging it: for callers that must know every queued
            row was applied (cache/purging.py ``replay_missed_purges``).
    """
    from .models import OutboxEntry

    applied = 0
    batches = 0
    order = "-pk" if newest else "pk"
    while max_batches is None or batches < max_batches:
        batches += 1
        rows = list(
            OutboxEntry.objects.filter(topic=spec.name)
            .order_by(order)
            .values_list("pk", "key")[: spec.batch_size]
        )
        if not rows:
            break
        pks = [pk for pk, _ in rows]
        keys = sorted({key for _, key in rows})
        try:
            spec.handle(keys)
        except Busy:
            logger.info("%s busy; %d row(s) left queued", spec.name, len(rows))
            break
        except Exception as error:  # any failure is retried later
            message = f"{type(error).__name__}: {error}"
            logger.warning(
                "%s of %d key(s) failed, left queued for retry: %s",
                spec.name,
                len(keys),
                message,
            )
            OutboxEntry.objects.filter(pk__in=pks).update(
                attempts=F("attempts") + 1, last_error=message[:500]
            )
            if strict:
                raise
            break
        OutboxEntry.objects.filter(pk__in=pks).delete()
        applied += len(rows)
    return applied
