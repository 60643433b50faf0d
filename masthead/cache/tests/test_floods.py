"""Floods of uncached requests: kept 404s and the render gate (#13)."""

import threading
import uuid
from datetime import timedelta
from wsgiref.util import setup_testing_defaults

import pytest
from django.utils import timezone

from masthead import cache
from masthead.cache import STATUS_HEADER, PageCache, limits
from masthead.cache.gate import RenderGate
from masthead.cache.missing import SecondRequest
from masthead.cache.peers import PAGE_CACHE_ENVIRON_KEY
from masthead.cache.stores import RedisStore
from masthead.cache.stores.memory import MemoryStore
from masthead.content.factories import make_article, make_section
from masthead.content.services import publish_article

from .test_caching import FakeApp, call


def directives(response):
    return {part.strip() for part in response["Cache-Control"].split(",")}


# The render gate (cache/gate.py) --------------------------------------------


def test_the_gate_counts_all_renders_and_each_clients_share():
    gate = RenderGate(slots=2, per_client=1)
    assert gate.enter("a")
    assert not gate.enter("a")  # a's share is taken
    assert gate.enter("b")
    assert not gate.enter("c")  # every slot is taken
    gate.leave("a")
    assert gate.enter("c")
    assert gate.in_flight == 2


class BlockingApp(FakeApp):
    """A render that holds its thread until the test lets it finish."""

    def __init__(self):
        super().__init__()
        self.rendering = threading.Semaphore(0)
        self.finish = threading.Event()

    def __call__(self, environ, start_response):
        if environ["PATH_INFO"].startswith("/slow/"):
            self.rendering.release()
            assert self.finish.wait(10)
        return super().__call__(environ, start_response)


@pytest.fixture
def gated(tmp_path, settings):
    settings.MASTHEAD_RENDER_SLOTS = 2
    settings.MASTHEAD_RENDER_SLOTS_PER_CLIENT = 1
    settings.MASTHEAD_TRUSTED_PROXIES = ["10.0.0.0/24"]
    fake = BlockingApp()
    app = PageCache(fake, MemoryStore(tmp_path / "purges.log", 8 << 20))
    yield fake, app
    fake.finish.set()


def in_background(app, path, **environ):
    results = []
    thread = threading.Thread(target=lambda: results.append(call(app, path, **environ)))
    thread.start()
    return thread, results


def test_a_full_gate_refuses_misses_and_still_serves_hits(gated):
    fake, app = gated
    call(app, "/cached/")
    busy = [
        in_background(app, f"/slow/{n}/", REMOTE_ADDR=f"192.0.2.{n}") for n in (1, 2)
    ]
    for _ in busy:
        assert fake.rendering.acquire(timeout=10)

    status, headers, body = call(app, "/other/", REMOTE_ADDR="192.0.2.3")
    assert status.startswith("503")
    # Answered before Django picks a language: both editions' words.
    text = body.decode()
    assert "busy" in text and "перевантажений" in text
    assert headers["Retry-After"] == "1"
    assert headers["Cache-Control"] == "private, no-store"
    hit = call(app, "/cached/", REMOTE_ADDR="192.0.2.3")
    assert hit[1][STATUS_HEADER] == "hit"

    fake.finish.set()
    for thread, results in busy:
        thread.join()
        assert results[0][0].startswith("200")
    # The slots are free again, and the refused page was not stored.
    assert call(app, "/other/", REMOTE_ADDR="192.0.2.3")[0].startswith("200")


def test_one_client_behind_varnish_cannot_take_every_slot(gated):
    fake, app = gated
    flooder = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    thread, _results = in_background(app, "/slow/1/", **flooder)
    assert fake.rendering.acquire(timeout=10)

    assert call(app, "/search/", **flooder)[0].startswith("503")
    # Another reader through the same Varnish still gets a page rendered.
    reader = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.5"}
    assert call(app, "/search/", **reader)[0].startswith("200")
    fake.finish.set()
    thread.join()


def test_a_refused_render_serves_the_stale_copy_when_there_is_one(gated, settings):
    fake, app = gated
    now = [1_800_000_000.0]
    app.clock = lambda: now[0]
    call(app, "/page/")
    now[0] += 301  # expired; the last good copy may still answer on error
    thread, _results = in_background(app, "/slow/1/", REMOTE_ADDR="192.0.2.1")
    assert fake.rendering.acquire(timeout=10)
    app.gate.slots = 1
    status, headers, body = call(app, "/page/", REMOTE_ADDR="192.0.2.9")
    assert status.startswith("200")
    assert headers[STATUS_HEADER] == "stale"
    assert body == fake.body
    fake.finish.set()
    thread.join()


# Missing pages (cache/missing.py) -------------------------------------------


def test_a_url_is_admitted_on_its_second_request_within_the_window():
    seen = SecondRequest(size=2, window=60)
    assert not seen.admit("/a/", now=0)
    assert seen.admit("/a/", now=30)
    assert not seen.admit("/b/", now=200)
    assert not seen.admit("/b/", now=400)  # too late: the first is forgotten
    seen.admit("/c/", now=401)
    seen.admit("/d/", now=402)
    assert not seen.admit("/b/", now=403)  # pushed out by newer URLs


@pytest.fixture
def behind_page_cache():
    """Django test-client extras of a request the page cache renders."""
    return {PAGE_CACHE_ENVIRON_KEY: True}


@pytest.mark.django_db
def test_a_404_is_labelled_for_the_caches_the_second_time(client, behind_page_cache):
    url = f"/no-such-story-{uuid.uuid4().hex}/"
    first = client.get(url, **behind_page_cache)
    assert first.status_code == 404
    assert {"public", "max-age=10"} <= directives(first)
    assert cache.TAGS_HEADER not in first

    second = client.get(url, **behind_page_cache)
    assert set(second[cache.TAGS_HEADER].split()) == {"missing", "site"}
    assert second[cache.TTL_HEADER] == "30"


@pytest.mark.django_db
def test_an_embargoed_articles_404_is_never_kept(client, behind_page_cache):
    article = make_article(embargo_until=timezone.now() + timedelta(hours=1))
    for _ in range(3):
        response = client.get(article.url, **behind_page_cache)
        assert response.status_code == 404
        assert {"private", "no-store"} <= directives(response)
        assert cache.TAGS_HEADER not in response


@pytest.mark.django_db
def test_publishing_at_a_url_whose_404_is_kept_purges_it(
    journal, django_wsgi, django_capture_on_commit_callbacks
):
    section = make_section("Business", "business")
    slug = f"late-{uuid.uuid4().hex[:8]}"
    draft = make_article(section, title="Late story", slug=slug, publish=False)
    url = f"/business/{slug}/"
    app = PageCache(django_wsgi, cache.get_store())
    environ: dict = {}
    setup_testing_defaults(environ)
    del environ["PATH_INFO"]
    for _ in range(2):
        status, _headers, _body = call(app, url, **environ)
        assert status.startswith("404")
    status, headers, _body = call(app, url, **environ)
    assert (status[:3], headers[STATUS_HEADER]) == ("404", "hit")

    with django_capture_on_commit_callbacks(execute=True):
        publish_article(draft)

    status, headers, body = call(app, url, **environ)
    assert status.startswith("200")
    assert b"Late story" in body


# Counters for rate limits (cache/limits.py) ----------------------------------


def test_counts_are_kept_per_window_and_bounded_in_memory():
    counters = limits.LocalCounters(max_keys=2)
    assert [counters.count("a", 60, now=0) for _ in range(3)] == [1, 2, 3]
    assert counters.count("a", 60, now=61) == 1  # a new window
    assert counters.count("b", 60, now=61) == 1
    # Full of live windows: a new key is over any limit, not a new entry.
    assert counters.count("c", 60, now=62) == limits.OVERFLOW
    assert counters.count("c", 60, now=125) == 1  # the old windows ended


class FakeRedis:
    def __init__(self):
        self.counts: dict[str, int] = {}
        self.expiring: dict[str, int] = {}

    def pipeline(self, transaction=True):
        return self

    def incr(self, name):
        self.counts[name] = self.counts.get(name, 0) + 1
        self._reply = [self.counts[name]]

    def expire(self, name, seconds):
        self.expiring[name] = seconds

    def execute(self):
        return [*self._reply, True]


def test_counts_are_shared_through_redis_and_local_when_it_fails(monkeypatch):
    # Port 9 (discard): nothing answers there.
    store = RedisStore("redis://127.0.0.1:9/0")
    monkeypatch.setattr(limits, "get_store", lambda: store)
    limits.reset()
    assert [limits.count("beacon:x", 60, now=0) for _ in range(2)] == [1, 2]

    store.client = FakeRedis()
    assert [limits.count("beacon:x", 60, now=0) for _ in range(2)] == [1, 2]
    (name,) = store.client.counts
    assert name.endswith("rate:beacon:x:0")
    assert store.client.expiring[name] == 120
    limits.reset()
