"""The schedule of background work: which task runs how often.

The work itself is ``django.tasks`` tasks in the ``tasks.py`` of the app that
owns it; dj-queue's scheduler enqueues them on the cron schedules below and
its worker runs them (``masthead worker``, which ``masthead serve`` starts).
Settings build the recurring table from here, so this module imports nothing
of Django's models: it is read before the apps are loaded.
"""

from django.core.exceptions import ImproperlyConfigured

from masthead.core.background import OUTBOX_QUEUE

# (key, task path, which interval setting applies, description)
JOBS: tuple[tuple[str, str, str, str], ...] = (
    (
        "drain-outbox",
        "masthead.core.tasks.drain_outbox",
        "MASTHEAD_SCHEDULER_INTERVAL",
        "Apply queued purges and index changes that failed or were left",
    ),
    (
        "publish-scheduled",
        "masthead.newsroom.tasks.publish_scheduled_pages",
        "MASTHEAD_SCHEDULER_INTERVAL",
        "Publish pages whose go-live time has come, unpublish expired ones",
    ),
    (
        "release-embargoes",
        "masthead.newsroom.tasks.release_embargoes",
        "MASTHEAD_SCHEDULER_INTERVAL",
        "Announce articles whose embargo has passed",
    ),
    (
        "refresh-most-popular",
        "masthead.analytics.tasks.refresh_most_popular",
        "MASTHEAD_POPULAR_REFRESH_SECONDS",
        "Rewrite the Most Popular rankings",
    ),
    (
        "send-newsletters",
        "masthead.newsletters.tasks.send_due_issues",
        "MASTHEAD_SCHEDULER_INTERVAL",
        "Send scheduled newsletter issues and resume stalled sends",
    ),
    (
        "deliver-webhooks",
        "masthead.webhooks.tasks.deliver_due",
        "MASTHEAD_SCHEDULER_INTERVAL",
        "Send webhook retries and attempts whose task was lost",
    ),
    (
        "draft-briefings",
        "masthead.newsletters.tasks.draft_briefings",
        "hourly",
        "Draft the daily briefings due at this hour, for editors to send",
    ),
    (
        "erase-unconfirmed-members",
        "masthead.newsletters.tasks.erase_unconfirmed_members",
        "daily",
        "Erase members whose newsletter sign-up was never confirmed",
    ),
)
# Jobs on a fixed schedule rather than a setting's (the briefing's hour is
# per newsletter, so the check runs on the hour; the erasure of unconfirmed
# sign-ups counts in days, so once a day is enough).
FIXED_INTERVALS = {"hourly": 3600, "daily": 86400}

# Jobs whose task runs on a queue of its own: the recurring run goes there
# too, not to dj-queue's default, so it shares the drain's thread (#12).
QUEUES = {"drain-outbox": OUTBOX_QUEUE}


def cron_every(seconds: int, setting: str = "interval") -> str:
    """A cron schedule (dj-queue's, seconds field first when needed) for ``seconds``.

    Cron runs on clock boundaries, so an interval must divide a minute, an
    hour or a day evenly: 15 runs at :00, :15, :30 and :45 of every minute.

    Raises:
        ImproperlyConfigured: for an interval cron cannot express.
    """
    if 1 <= seconds < 60 and 60 % seconds == 0:
        return f"*/{seconds} * * * * *"
    minutes, rest = divmod(seconds, 60)
    if not rest and 1 <= minutes < 60 and 60 % minutes == 0:
        return f"*/{minutes} * * * *"
    hours, rest = divmod(seconds, 3600)
    if not rest and hours == 24:
        return "0 0 * * *"
    if not rest and hours and 24 % hours == 0:
        return f"0 */{hours} * * *"
    raise ImproperlyConfigured(
        f"{setting}={seconds}: the schedule runs on clock boundaries, so the "
        "interval must divide a minute, an hour or a day (e.g. 15, 60, 300, 3600)."
    )


def recurring_tasks(intervals: dict[str, int]) -> dict[str, dict[str, str]]:
    """dj-queue's static recurring table, given each interval setting's value."""
    return {
        key: {
            "task_path": path,
            "schedule": cron_every({**FIXED_INTERVALS, **intervals}[setting], setting),
            "description": description,
            "queue_name": QUEUES.get(key, "default"),
        }
        for key, path, setting, description in JOBS
    }
