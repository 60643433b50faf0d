"""Last-Modified on public pages and If-Modified-Since answered with 304 (#14).

Through Django (the test client, no page cache) and through the page cache
wrapped round Django's WSGI application.
"""

import time
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest
from django.utils.http import http_date

from masthead.cache import STATUS_HEADER
from masthead.cache.modified import not_modified_since, purge_seen_at
from masthead.content.factories import make_article, make_section
from masthead.core import outbox
from masthead.feed.factories import NewsFeedItemFactory
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

from .test_caching import call

pytestmark = pytest.mark.django_db

WHEN = datetime(2026, 12, 3, 10, 15, tzinfo=UTC)


@pytest.fixture
def story():
    author, topic = AuthorFactory(), TagFactory()
    section = make_section("Business", "business")
    older = make_article(
        section, authors=[author], tags=[topic], published_at=WHEN - timedelta(days=1)
    )
    newest = make_article(section, authors=[author], tags=[topic], published_at=WHEN)
    return newest, older, section, author, topic


def page_urls(story) -> dict[str, str]:
    newest, _older, section, author, topic = story
    local = WHEN.astimezone(newest.published_at.tzinfo)
    return {
        "article": newest.url,
        "section": section.url,
        "tag": topic.get_absolute_url(),
        "author": author.get_absolute_url(),
        "latest": "/latest/",
        "archive day": f"/archive/{local:%Y/%m/%d}/",
        "archive month": f"/archive/{local:%Y/%m}/",
    }


@pytest.mark.parametrize(
    "name",
    ["article", "section", "tag", "author", "latest", "archive day", "archive month"],
)
def test_pages_say_when_what_they_show_last_changed(client, story, name):
    newest = story[0]
    url = page_urls(story)[name]

    response = client.get(url)

    assert response.status_code == 200
    changed = parsedate_to_datetime(response["Last-Modified"])
    expected = max(newest.published_at, newest.updated_at or newest.published_at)
    if name == "archive month":
        # A list of days changes only when an article is published on one.
        expected = newest.published_at
    # Floored at the last purge this process saw (cache/modified.py).
    expected = max(expected, purge_seen_at())
    assert changed == expected.replace(microsecond=0)


def test_last_modified_moves_on_when_an_older_article_leaves_a_listing(client, story):
    """Unpublishing a story that is not the newest must not earn a 304."""
    url = page_urls(story)["section"]
    first = client.get(url)
    assert story[1].title in first.content.decode()

    time.sleep(1.1)  # HTTP dates have whole seconds
    story[1].unpublish()
    outbox.drain()  # the purges the pipeline queued, as the worker sends them
    again = client.get(url, headers={"if-modified-since": first["Last-Modified"]})

    assert again.status_code == 200
    assert story[1].title not in again.content.decode()


@pytest.mark.parametrize("name", ["article", "tag", "archive day"])
def test_if_modified_since_gets_304_until_something_changes(client, story, name):
    url = page_urls(story)[name]
    stamp = client.get(url)["Last-Modified"]

    unchanged = client.get(url, headers={"if-modified-since": stamp})
    earlier = http_date(parsedate_to_datetime(stamp).timestamp() - 60)
    changed = client.get(url, headers={"if-modified-since": earlier})

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged["Last-Modified"] == stamp
    assert changed.status_code == 200


def test_if_none_match_wins_over_if_modified_since(client, story):
    url = story[0].url
    stamp = client.get(url)["Last-Modified"]
    response = client.get(
        url, headers={"if-modified-since": stamp, "if-none-match": '"other"'}
    )
    assert response.status_code == 200


def test_news_feed_page_has_last_modified(client):
    item = NewsFeedItemFactory()
    response = client.get("/news-feed/")
    assert response.status_code == 200
    changed = parsedate_to_datetime(response["Last-Modified"])
    newest = max(item.published_at, item.updated_at, purge_seen_at())
    assert changed == newest.replace(microsecond=0)


@pytest.mark.parametrize("name", ["article", "tag", "archive day"])
def test_page_cache_answers_if_modified_since_from_its_copy(app, environ, story, name):
    url = page_urls(story)[name]
    call(app, url, **environ)
    status, headers, _ = call(app, url, **environ)
    assert headers[STATUS_HEADER] == "hit"
    stamp = headers["Last-Modified"]

    status, headers, body = call(app, url, HTTP_IF_MODIFIED_SINCE=stamp, **environ)
    assert status.startswith("304")
    assert body == b""
    assert headers[STATUS_HEADER] == "hit"
    earlier = http_date(parsedate_to_datetime(stamp).timestamp() - 1)
    status, _, body = call(app, url, HTTP_IF_MODIFIED_SINCE=earlier, **environ)
    assert status.startswith("200")
    assert body


def test_page_cache_stores_the_whole_page_for_a_conditional_first_request(
    app, environ, story
):
    url = story[0].url
    stamp = http_date(datetime(2030, 1, 1, tzinfo=UTC).timestamp())
    status, _, _ = call(app, url, HTTP_IF_MODIFIED_SINCE=stamp, **environ)
    assert status.startswith("304")
    status, _, body = call(app, url, **environ)
    assert status.startswith("200")
    assert b"<html" in body


@pytest.mark.parametrize(
    ("since", "changed", "expected"),
    [
        ("Thu, 03 Dec 2026 10:15:00 GMT", "Thu, 03 Dec 2026 10:15:00 GMT", True),
        ("Thu, 03 Dec 2026 10:14:59 GMT", "Thu, 03 Dec 2026 10:15:00 GMT", False),
        ("yesterday", "Thu, 03 Dec 2026 10:15:00 GMT", False),
        ("Thu, 03 Dec 2026 10:15:00 GMT", None, False),
        (None, "Thu, 03 Dec 2026 10:15:00 GMT", False),
        # A year past 9999 overflows the parser: "modified", never a 500.
        ("Mon, 01 Jan 99999999999999999999 00:00:00 GMT", "Thu, 03 Dec 2026", False),
    ],
)
def test_not_modified_since(since, changed, expected):
    assert not_modified_since(since, changed) is expected
