"""The News Feed page reads indexes, whatever the number of items (issue #5).

Its pinned posts walked every item looking for pinned ones (34 ms at 100,000
items); ``feed_pinned_idx`` holds them first.
"""

import pytest
from django.db import connection

from masthead.feed.factories import NewsFeedItemFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="EXPLAIN QUERY PLAN is SQLite's"
    ),
]


class Recorder:
    """The queries as the database receives them: SQL and bound parameters."""

    def __init__(self):
        self.queries: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def plan(sql: str, params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return [row[-1] for row in cursor.fetchall()]


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
    assert len(on_items) == 3  # the bounded count, the page, the pinned posts
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
