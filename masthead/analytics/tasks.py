"""The Most Popular refresh, run on a schedule by the task worker (#12)."""

from django.conf import settings
from django.tasks import task

from masthead.core.background import BACKGROUND

from .services import refresh_most_popular as refresh


@task(backend=BACKGROUND)
def refresh_most_popular() -> dict[str, int]:
    """Rewrite the rankings of the last day and of the configured window.

    Returns:
        How many articles each window ranks, keyed by its days.
    """
    return {
        str(days): refresh(days)
        for days in sorted({1, settings.MASTHEAD_MOST_POPULAR_DAYS})
    }
