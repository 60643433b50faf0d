"""Background work as django.tasks tasks on dj-queue's schedule (#12).

Tests run tasks with Django's immediate backend (settings/test.py); the real
worker and its schedule run in tests/integration/test_background_work.py.
"""

from datetime import timedelta

import pytest
from dj_queue.config import load_backend_config
from dj_queue.cron import is_valid_cron
from django.core.exceptions import ImproperlyConfigured
from django.tasks import Task, TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string
from wagtail.models import Revision

from masthead.content.factories import make_article
from masthead.content.models import ArticlePage
from masthead.core.background import BACKGROUND
from masthead.newsroom import scheduler
from masthead.newsroom.tasks import publish_scheduled_pages
from masthead.settings import base

INTERVALS = {
    "MASTHEAD_SCHEDULER_INTERVAL": 15,
    "MASTHEAD_POPULAR_REFRESH_SECONDS": 300,
}


def scheduled_article() -> tuple[ArticlePage, Revision]:
    """A draft whose approved go-live time passed a second ago."""
    article = make_article(publish=False)
    revision = article.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(seconds=1)
    revision.save()
    article.go_live_at = revision.approved_go_live_at
    article.save()
    return article, revision


@pytest.mark.django_db
def test_scheduled_article_goes_live_when_its_time_has_come():
    article, _ = scheduled_article()
    assert not ArticlePage.objects.published().filter(pk=article.pk).exists()

    result = publish_scheduled_pages.enqueue()

    assert result.status == TaskResultStatus.SUCCESSFUL
    assert ArticlePage.objects.published().filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_a_scheduled_publish_cut_short_is_published_by_the_next_run(monkeypatch):
    article, revision = scheduled_article()

    def killed(self, *args, **kwargs):
        raise RuntimeError("the worker died here")

    # Wagtail has cleared the revisions' go-live time when it saves the page.
    with monkeypatch.context() as patch:
        patch.setattr(ArticlePage, "save", killed)
        assert publish_scheduled_pages.enqueue().status == TaskResultStatus.FAILED
    revision.refresh_from_db()
    assert revision.approved_go_live_at is not None

    assert publish_scheduled_pages.enqueue().status == TaskResultStatus.SUCCESSFUL
    assert ArticlePage.objects.published().filter(pk=article.pk).exists()


@pytest.mark.django_db
def test_expired_article_is_unpublished():
    article = make_article()
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(seconds=1)
    )
    publish_scheduled_pages.enqueue()
    assert not ArticlePage.objects.get(pk=article.pk).live


@pytest.mark.parametrize(
    ("seconds", "schedule"),
    [
        (1, "*/1 * * * * *"),
        (15, "*/15 * * * * *"),
        (60, "*/1 * * * *"),
        (300, "*/5 * * * *"),
        (3600, "0 */1 * * *"),
        (21600, "0 */6 * * *"),
        (86400, "0 0 * * *"),
    ],
)
def test_an_interval_becomes_a_cron_schedule_on_clock_boundaries(seconds, schedule):
    assert scheduler.cron_every(seconds) == schedule
    assert is_valid_cron(schedule)


@pytest.mark.parametrize("seconds", [0, 7, 90, 7 * 3600, 2 * 86400])
def test_an_interval_cron_cannot_keep_is_refused_with_the_setting_named(seconds):
    with pytest.raises(ImproperlyConfigured, match="MASTHEAD_SCHEDULER_INTERVAL"):
        scheduler.cron_every(seconds, "MASTHEAD_SCHEDULER_INTERVAL")


def test_every_job_is_a_background_task_on_a_valid_schedule():
    table = scheduler.recurring_tasks(INTERVALS)
    assert set(table) == {
        "drain-outbox",
        "publish-scheduled",
        "release-embargoes",
        "refresh-most-popular",
        "send-newsletters",
        "deliver-webhooks",
        "draft-briefings",
        "erase-unconfirmed-members",
    }
    for key, entry in table.items():
        task = import_string(entry["task_path"])
        assert isinstance(task, Task), key
        assert task.backend == BACKGROUND, key
        assert is_valid_cron(entry["schedule"]), key
    assert table["publish-scheduled"]["schedule"] == "*/15 * * * * *"
    assert table["refresh-most-popular"]["schedule"] == "*/5 * * * *"
    assert table["draft-briefings"]["schedule"] == "0 */1 * * *"
    assert table["erase-unconfirmed-members"]["schedule"] == "0 0 * * *"


def test_the_worker_configuration_is_valid_and_schedules_every_job():
    # The base settings (what the worker runs with), not the test settings.
    config = load_backend_config(BACKGROUND, tasks_settings=base.TASKS, env={})
    assert set(config.recurring) == {key for key, *_ in scheduler.JOBS}
    # Each recurring run lands on the queue its task declares.
    for key, entry in config.recurring.items():
        task = import_string(entry.task_path)
        assert entry.queue_name == task.queue_name, key
    assert config.scheduler is not None
    # Scheduled jobs one at a time (the search index and SQLite have one
    # writer each); the outbox drain on a thread of its own, so a purge is
    # not queued behind them (a busy index leaves its rows for later);
    # renditions of large originals one at a time beside them (#13).
    assert [(worker.queues, worker.threads) for worker in config.workers] == [
        (("default",), 1),
        (("outbox",), 1),
        (("renditions",), 1),
    ]
    assert config.supervisor_pidfile == str(base.VAR_DIR / "run" / "worker.pid")
