"""The Most Popular refresh, run on a schedule by the task worker (#12)."""

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from masthead.core.background import BACKGROUND

from .services import forget_earlier_visitors
from .services import refresh_most_popular as refresh


@task(backend=BACKGROUND)
def refresh_most_popular() -> dict[str, int]:
    """Rewrite the rankings of the last day and of the configured window.

    Returns:
        How many articles each window ranks, keyed by its days.
    """
    # Yesterday's visitor hashes go even on a day without views (#14).
    forget_earlier_visitors(timezone.localdate())
    return {
        str(days): refresh(days)
        for days in sorted({1, settings.MASTHEAD_MOST_POPULAR_DAYS})
    }
