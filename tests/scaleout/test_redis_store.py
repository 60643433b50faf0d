"""The Redis page store against the stack's real Redis (cache/stores/redis.py)."""

import time
import uuid

import pytest

from masthead.cache.stores import Entry, RedisStore

pytestmark = pytest.mark.scaleout


def entry(body: bytes, tags: set[str]) -> Entry:
    now = time.time()
    return Entry(
        status="200 OK",
        headers=[("Content-Type", "text/html; charset=utf-8")],
        body=body,
        gzipped=None,
        etag='"x"',
        tags=frozenset(tags),
        stored_at=now,
        fresh_until=now + 60,
        stale_until=now + 90,
        error_until=now + 120,
    )


@pytest.fixture
def store(stack):
    # A prefix of its own: the apps' pages in the same Redis are untouched.
    return RedisStore(
        stack.env["MASTHEAD_REDIS_URL"], prefix=f"test-{uuid.uuid4().hex}:"
    )


def test_stored_page_comes_back_with_its_bytes_and_tags(store):
    assert store.set("h/a/", entry(b"<p>a</p>", {"site", "article-1"}), store.token())
    found = store.get("h/a/")
    assert found.body == b"<p>a</p>"
    assert found.tags == {"site", "article-1"}
    assert found.headers == [("Content-Type", "text/html; charset=utf-8")]


def test_purge_drops_pages_with_the_tag_and_keeps_the_rest(store):
    token = store.token()
    store.set("h/a/", entry(b"a", {"article-1"}), token)
    store.set("h/b/", entry(b"b", {"article-12"}), token)
    store.purge(["article-1"])
    assert store.get("h/a/") is None
    assert store.get("h/b/").body == b"b"


def test_page_rendered_across_a_purge_is_refused(store):
    token = store.token()
    # Another process publishes while this one renders the old state.
    store.purge(["article-7"])
    assert not store.set("h/c/", entry(b"old", {"article-7"}), token)
    assert store.get("h/c/") is None
