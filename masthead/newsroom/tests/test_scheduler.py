from datetime import timedelta

import pytest
from django.utils import timezone

from masthead.content.factories import make_article
from masthead.content.models import ArticlePage
from masthead.newsroom import scheduler

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """Let run_due_jobs keep the connection of the test's transaction.

    Between jobs it closes stale connections; inside a test's transaction
    that closes PostgreSQL's connection (SQLite's in-memory test database
    ignores the close), and the next query fails.
    """
    monkeypatch.setattr(scheduler, "close_old_connections", lambda: None)


def test_scheduled_article_goes_live_when_its_time_has_come():
    article = make_article(publish=False)
    revision = article.save_revision()
    revision.approved_go_live_at = timezone.now() - timedelta(seconds=1)
    revision.save()
    article.go_live_at = revision.approved_go_live_at
    article.save()
    assert not ArticlePage.objects.published().filter(pk=article.pk).exists()

    ran = scheduler.run_due_jobs({}, now=1000.0)

    assert "publish scheduled pages" in ran
    assert ArticlePage.objects.published().filter(pk=article.pk).exists()


def test_expired_article_is_unpublished():
    article = make_article()
    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - timedelta(seconds=1)
    )
    scheduler.run_due_jobs({}, now=1000.0)
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_jobs_wait_for_their_interval_and_survive_failures(monkeypatch, caplog):
    calls = []
    monkeypatch.setattr(
        scheduler,
        "jobs",
        lambda: [
            ("often", 10, lambda: calls.append("often")),
            ("broken", 10, lambda: 1 / 0),
            ("rarely", 100, lambda: calls.append("rarely")),
        ],
    )
    last_run = {}
    assert scheduler.run_due_jobs(last_run, now=0.0) == ["often", "rarely"]
    assert scheduler.run_due_jobs(last_run, now=5.0) == []
    assert scheduler.run_due_jobs(last_run, now=10.0) == ["often"]
    assert calls == ["often", "rarely", "often"]
    assert "scheduled job failed: broken" in caplog.text
