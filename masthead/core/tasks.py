"""Purge retries, run on a schedule by the task worker (#12)."""

from django.tasks import task

from .background import BACKGROUND
from .caching import process_pending_purges


@task(backend=BACKGROUND)
def retry_purges() -> int:
    """Apply cache purges that failed (Varnish or Redis down) or were left.

    Returns:
        How many queued purges were applied.
    """
    return process_pending_purges()
