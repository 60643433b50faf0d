"""The scheduler: scheduled publishing, expiry and the Most Popular refresh.

It runs as one process next to the web server (``masthead serve`` starts it;
``masthead scheduler`` runs it alone), so no cron set-up is needed. Wagtail's
own ``publish_scheduled`` command does the publishing, so go-live and expiry
times set in the admin behave exactly as Wagtail documents them.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.management import call_command
from django.db import close_old_connections

logger = logging.getLogger("masthead.scheduler")


def publish_due() -> None:
    """Publish pages whose go-live time has come; unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)


# On its first run the scheduler looks back a day, so embargoes that passed
# while it was stopped are still released.
_embargo_checked_at: list[datetime] = []


def release_embargoes() -> None:
    """Let search and caches know about articles whose embargo has passed."""
    from datetime import timedelta

    from django.utils import timezone

    from masthead.content.services import release_embargoes as release

    now = timezone.now()
    since = _embargo_checked_at[-1] if _embargo_checked_at else now - timedelta(days=1)
    release(since, now)
    _embargo_checked_at[:] = [now]


def refresh_rankings() -> None:
    call_command("refresh_popular", verbosity=0)


def retry_purges() -> None:
    """Apply cache purges that failed (Varnish or Redis down) or were left."""
    from masthead.core.caching import process_pending_purges

    process_pending_purges()


def catch_up_search() -> None:
    """Apply search index changes left queued (a renamed author's articles)."""
    from masthead.search.services import catch_up

    catch_up()


def jobs() -> list[tuple[str, int, Callable[[], None]]]:
    """(name, interval in seconds, job) for every scheduled job."""
    return [
        ("retry cache purges", settings.MASTHEAD_SCHEDULER_INTERVAL, retry_purges),
        (
            "catch up the search index",
            settings.MASTHEAD_SCHEDULER_INTERVAL,
            catch_up_search,
        ),
        ("publish scheduled pages", settings.MASTHEAD_SCHEDULER_INTERVAL, publish_due),
        ("release embargoes", settings.MASTHEAD_SCHEDULER_INTERVAL, release_embargoes),
        (
            "refresh Most Popular",
            settings.MASTHEAD_POPULAR_REFRESH_SECONDS,
            refresh_rankings,
        ),
    ]


def run_due_jobs(last_run: dict[str, float], now: float) -> list[str]:
    """Run every job whose interval has passed; return the names run.

    A failing job is logged and retried at its next turn; it never stops the
    others.
    """
    ran = []
    for name, interval, job in jobs():
        if now - last_run.get(name, float("-inf")) < interval:
            continue
        last_run[name] = now
        try:
            close_old_connections()
            job()
            ran.append(name)
        except Exception:
            logger.exception("scheduled job failed: %s", name)
    return ran


def run_forever(
    tick_seconds: float = 1.0, should_stop: Callable[[], bool] = lambda: False
) -> None:
    last_run: dict[str, float] = {}
    logger.info("scheduler started")
    while not should_stop():
        run_due_jobs(last_run, time.monotonic())
        time.sleep(tick_seconds)
