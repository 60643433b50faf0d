"""The Redis page store against the stack's real Redis (cache/stores/redis.py)."""

import uuid

import pytest

from masthead.cache.factories import html_entry
from masthead.cache.stores import RedisStore

pytestmark = pytest.mark.scaleout


@pytest.fixture
def store(stack):
    # A prefix of its own: the apps' pages in the same Redis are untouched.
    return RedisStore(
        stack.env["MASTHEAD_REDIS_URL"], prefix=f"test-{uuid.uuid4().hex}:"
    )


def test_stored_page_comes_back_with_its_bytes_and_tags(store):
    assert store.set(
        "h/a/", html_entry(b"<p>a</p>", {"site", "article-1"}), store.token()
    )
    found = store.get("h/a/")
    assert found.body == b"<p>a</p>"
    assert found.tags == {"site", "article-1"}
    assert found.headers == [("Content-Type", "text/html; charset=utf-8")]


def test_purge_drops_pages_with_the_tag_and_keeps_the_rest(store):
    token = store.token()
    store.set("h/a/", html_entry(b"a", {"article-1"}), token)
    store.set("h/b/", html_entry(b"b", {"article-12"}), token)
    store.purge(["article-1"])
    assert store.get("h/a/") is None
    assert store.get("h/b/").body == b"b"


def test_page_rendered_across_a_purge_is_refused(store):
    token = store.token()
    # Another process publishes while this one renders the old state.
    store.purge(["article-7"])
    assert not store.set("h/c/", html_entry(b"old", {"article-7"}), token)
    assert store.get("h/c/") is None
