"""Embargo releases survive a stopped worker: progress is in the database (#12)."""

from datetime import UTC, datetime, timedelta

import pytest

from masthead.content.factories import make_article
from masthead.core.events import article_visibility_changed
from masthead.newsroom.models import JobWatermark
from masthead.newsroom.services import EMBARGO_RELEASE_JOB
from masthead.newsroom.tasks import release_embargoes

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def announced():
    """The article ids of every embargo release the pipeline announced."""
    received = []

    def listen(sender, article_ids, reason, **kwargs):
        if reason == "embargo-released":
            received.append(sorted(article_ids))

    article_visibility_changed.connect(listen)
    yield received
    article_visibility_changed.disconnect(listen)


def test_embargo_that_passed_while_the_worker_was_stopped_for_days_is_released(
    time_machine, announced
):
    time_machine.move_to(START, tick=False)
    article = make_article(embargo_until=START + timedelta(hours=1))
    # The worker's last run before it stopped: nothing had passed yet.
    assert release_embargoes.enqueue().return_value == []
    # Stopped for three days; nothing of the worker's memory survives that,
    # only what the database kept.
    time_machine.move_to(START + timedelta(days=3, hours=1), tick=False)

    result = release_embargoes.enqueue()

    assert result.return_value == [article.pk]
    assert announced == [[article.pk]]


def test_a_released_embargo_is_announced_once(time_machine, announced):
    time_machine.move_to(START, tick=False)
    article = make_article(embargo_until=START + timedelta(minutes=5))
    release_embargoes.enqueue()
    time_machine.move_to(START + timedelta(minutes=6), tick=False)
    release_embargoes.enqueue()
    time_machine.move_to(START + timedelta(minutes=7), tick=False)
    release_embargoes.enqueue()
    assert announced == [[article.pk]]
    assert JobWatermark.objects.get(job=EMBARGO_RELEASE_JOB).reached_at == (
        START + timedelta(minutes=7)
    )


def test_first_run_ever_announces_every_embargo_already_passed(time_machine, announced):
    # A database whose embargoes were never released by a worker (an upgrade
    # from the scheduler that kept its progress in memory): all of them, once.
    time_machine.move_to(START, tick=False)
    old = make_article(embargo_until=START - timedelta(days=400))
    recent = make_article(embargo_until=START - timedelta(minutes=1))
    make_article(embargo_until=START + timedelta(hours=1))
    assert not JobWatermark.objects.exists()

    release_embargoes.enqueue()

    assert announced == [sorted([old.pk, recent.pk])]
