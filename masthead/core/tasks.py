"""The outbox's background drain (core/outbox.py), run by the task worker (#12)."""

from django.tasks import task

from . import outbox
from .background import BACKGROUND, OUTBOX_QUEUE


@task(backend=BACKGROUND, queue_name=OUTBOX_QUEUE)
def drain_outbox() -> int:
    """Apply queued follow-up work: remote purges, and whatever failed before.

    Enqueued after each commit that queued work for the caches in front, and
    run on a schedule to retry what failed (a cache or the index was down).

    Returns:
        How many queued rows were applied.
    """
    return outbox.drain()
