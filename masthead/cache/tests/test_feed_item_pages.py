"""A News Feed item's own page is kept, and purged when the item changes (#14)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from masthead import cache
from masthead.cache import STATUS_HEADER
from masthead.feed.factories import NewsFeedItemFactory
from masthead.feed.services import delete_item, post_item

from .test_caching import call

pytestmark = pytest.mark.django_db


def kept(app, url, environ) -> tuple[str, str, bytes]:
    """Read ``url`` until the cache answers it; return the last answer."""
    for _ in range(3):
        status, headers, body = call(app, url, **environ)
    return status[:3], headers.get(STATUS_HEADER, ""), body


def test_item_page_is_kept_and_an_edit_purges_it(
    app, environ, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = post_item(headline="Sirens in Kyiv", text="First report.")
    url = item.get_absolute_url()
    assert kept(app, url, environ)[:2] == ("200", "hit")

    with django_capture_on_commit_callbacks(execute=True):
        item.body = "<p>Second report.</p>"
        item.save()

    status, headers, body = call(app, url, **environ)
    assert status.startswith("200")
    assert headers[STATUS_HEADER] != "hit"
    assert b"Second report." in body
    assert b"First report." not in body


def test_deleting_an_item_purges_its_page(
    app, environ, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = post_item(headline="Sirens in Kyiv", text="First report.")
    url = item.get_absolute_url()
    assert kept(app, url, environ)[:2] == ("200", "hit")
    with django_capture_on_commit_callbacks(execute=True):
        delete_item(item)
    status, _headers, _body = call(app, url, **environ)
    assert status.startswith("404")


def test_scheduled_items_page_is_never_kept(app, environ):
    item = NewsFeedItemFactory(
        headline="Later", published_at=timezone.now() + timedelta(minutes=5)
    )
    status, cache_status, _body = kept(app, item.get_absolute_url(), environ)
    assert status == "404"
    assert cache_status != "hit"


def test_item_page_names_the_item_so_its_own_purge_reaches_it(client, journal):
    item = NewsFeedItemFactory(headline="Sirens in Kyiv")
    response = client.get(item.get_absolute_url())
    tags = set(response.headers.get(cache.TAGS_HEADER, "").split())
    assert {f"feed-item-{item.pk}", "newsfeed", "site"} <= tags
