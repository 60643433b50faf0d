"""The News Feed page keeps each post's HTML until that post changes (#5)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.content.factories import make_article
from masthead.feed.services import post_item

pytestmark = pytest.mark.django_db


def test_new_post_shows_and_reuses_the_posts_already_kept(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(5):
            post_item(headline=f"Update {n}", text="Details.")
    client.get("/news-feed/")
    with django_capture_on_commit_callbacks(execute=True):
        new = post_item(headline="Breaking update", text="More details.")
    with CaptureQueriesContext(connection) as captured:
        content = client.get("/news-feed/").content
    assert b"Breaking update" in content
    assert all(f"Update {n}".encode() in content for n in range(5))
    loads = [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "feed_newsfeeditem"' in q["sql"] and " IN (" in q["sql"]
    ]
    # Only the new post is rendered; the five kept ones come from the store.
    assert len(loads) == 1
    assert f"IN ({new.pk})" in loads[0]


def test_edited_post_shows_its_new_text(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = post_item(headline="Sirens in Kyiv", text="First report.")
    assert b"First report." in client.get("/news-feed/").content
    with django_capture_on_commit_callbacks(execute=True):
        item.headline = "All clear in Kyiv"
        item.save()
    content = client.get("/news-feed/").content
    assert b"All clear in Kyiv" in content
    assert b"Sirens in Kyiv" not in content


def test_unpublished_article_loses_its_read_more_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="The full story")
        post_item(headline="Short news", text="Briefly.", article=article)
    assert article.url.encode() in client.get("/news-feed/").content
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert article.url.encode() not in client.get("/news-feed/").content
