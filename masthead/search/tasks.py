"""Search index catch-up, run on a schedule by the task worker (#12)."""

from django.tasks import task

from masthead.core.background import BACKGROUND

from .services import catch_up


@task(backend=BACKGROUND)
def catch_up_search() -> int:
    """Apply index changes left queued (a renamed author's articles), a bounded
    amount per run; the rest waits for the next.

    Returns:
        How many articles were applied.
    """
    return catch_up()
