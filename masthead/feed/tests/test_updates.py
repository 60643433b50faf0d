from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.feed.factories import NewsFeedItemFactory

pytestmark = pytest.mark.django_db

URL = "/news-feed/updates.json"


def test_updates_list_newest_published_items_as_json(client):
    older = NewsFeedItemFactory(published_at=timezone.now() - timedelta(hours=2))
    newer = NewsFeedItemFactory(headline="Air raid alert lifted")
    NewsFeedItemFactory(published_at=timezone.now() + timedelta(hours=1))

    response = client.get(URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    items = response.json()["items"]
    assert [item["id"] for item in items] == [newer.pk, older.pk]
    assert items[0]["headline"] == "Air raid alert lifted"
    assert items[0]["body_html"] == "<p>A short update.</p>"
    assert items[0]["url"] == f"/news-feed/{newer.pk}-air-raid-alert-lifted/"
    assert "public" in response["Cache-Control"]


def test_unchanged_feed_answers_304_to_its_etag(client):
    NewsFeedItemFactory()
    first = client.get(URL)
    etag = first["ETag"]
    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    since = client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_new_post_changes_the_etag(client):
    NewsFeedItemFactory()
    etag = client.get(URL)["ETag"]
    NewsFeedItemFactory(headline="Breaking")
    response = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["items"][0]["headline"] == "Breaking"


def test_an_edited_post_changes_the_etag(client):
    item = NewsFeedItemFactory()
    etag = client.get(URL)["ETag"]
    item.headline = "Corrected headline"
    item.save()
    assert client.get(URL, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_day_labels_use_the_publication_time_zone(client):
    # 22:30 UTC on 26 Nov is 00:30 on 27 Nov in Kyiv.
    NewsFeedItemFactory(
        published_at=timezone.datetime(2026, 11, 26, 22, 30, tzinfo=timezone.UTC)
    )
    item = client.get(URL).json()["items"][0]
    assert item["day"] == "2026-11-27"
    assert item["day_label"] == "Friday, November 27"
    assert item["time_label"] == "00:30"


def test_updates_cost_one_query_however_many_items(client):
    NewsFeedItemFactory.create_batch(25)
    client.get(URL)  # the first request after a purge loads the kept site
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert len(queries) == 1
