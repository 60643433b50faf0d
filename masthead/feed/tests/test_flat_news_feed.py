"""The News Feed page reads indexes, whatever the number of items (issue #5).

Its pinned posts walked every item looking for pinned ones (34 ms at 100,000
items); ``feed_pinned_idx`` holds them first.
"""

import pytest
from django.db import connection

from masthead.core.tests.plans import Recorder, plan
from masthead.feed.factories import NewsFeedItemFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's"
    ),
]


def test_news_feed_queries_read_an_index_in_order(client):
    NewsFeedItemFactory.create_batch(3)
    NewsFeedItemFactory(is_pinned=True)
    recorder = Recorder()

    with connection.execute_wrapper(recorder):
        response = client.get("/news-feed/")

    assert response.status_code == 200
    on_items = [
        (sql, params)
        for sql, params in recorder.queries
        if 'FROM "feed_newsfeeditem"' in sql
    ]
    # The bounded count, the page's ids, its posts by id (none kept yet), pinned.
    assert len(on_items) == 4
    plans = {sql: plan(sql, params) for sql, params in on_items}
    for steps in plans.values():
        assert not any("TEMP B-TREE" in step for step in steps), steps
        assert not any(step.startswith("SCAN feed_newsfeeditem") for step in steps), (
            steps
        )
    [pinned] = [
        steps for sql, steps in plans.items() if "is_pinned" in sql.split(" WHERE ")[1]
    ]
    assert any("feed_pinned_idx" in step for step in pinned), pinned
