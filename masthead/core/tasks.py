"""Core's background tasks, run by the task worker (#12, #13)."""

from dj_queue.api import concurrency
from django.tasks import task

from . import outbox, renditions
from .background import BACKGROUND, OUTBOX_QUEUE, RENDITIONS_QUEUE
from .models import LibraryImage


@task(backend=BACKGROUND, queue_name=OUTBOX_QUEUE)
def drain_outbox() -> int:
    """Apply queued follow-up work: remote purges, and whatever failed before.

    Enqueued after each commit that queued work for the caches in front, and
    run on a schedule to retry what failed (a cache or the index was down).

    Returns:
        How many queued rows were applied.
    """
    return outbox.drain()


# One job per image waits or runs at a time; pages that ask again meanwhile
# have theirs discarded (dj-queue's concurrency control). The duration only
# frees the key if a worker dies mid-job.
@task(backend=BACKGROUND, queue_name=RENDITIONS_QUEUE)
@concurrency(key="renditions-{image_id}", limit=1, duration=600, on_conflict="discard")
def make_renditions(image_id: int) -> int:
    """Make the site's missing renditions of a large library image (#13).

    Queued when such an image is saved, when an article using it is
    published, and by a page that found one missing (core/renditions.py).

    Returns:
        How many renditions were made.
    """
    image = LibraryImage.objects.filter(pk=image_id).first()
    if image is None:
        return 0  # deleted since
    return renditions.made_or_logged(image)
