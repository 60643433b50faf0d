from django.http import HttpResponse

from masthead.cache import Profile, apply_profile


def test_public_profile_allows_shared_caches_briefly():
    response = apply_profile(HttpResponse(), Profile.PUBLIC)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert "public" in directives
    assert "max-age=60" in directives


def test_private_profile_forbids_storage():
    response = apply_profile(HttpResponse(), Profile.PRIVATE)
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives


# The page cache (WSGI wrapper) round a fake Django: no database involved.

import gzip  # noqa: E402
import os  # noqa: E402
import threading  # noqa: E402

import pytest  # noqa: E402

from masthead.cache import STATUS_HEADER, PageCache  # noqa: E402
from masthead.cache.stores.memory import MemoryStore, PurgeCounter  # noqa: E402
from masthead.cache.wsgi import _Flights  # noqa: E402


class FakeApp:
    """A WSGI app that counts renders and answers what the test sets."""

    def __init__(self, tags="site article-1", ttl="300"):
        self.calls = 0
        self.body = b"<p>version 1</p>" * 100
        self.status = "200 OK"
        self.extra_headers: list = []
        self.tags = tags
        self.ttl = ttl
        self.during_render = None

    def __call__(self, environ, start_response):
        self.calls += 1
        if self.during_render:
            self.during_render()
        headers = [("Content-Type", "text/html; charset=utf-8")]
        if self.tags:
            headers += [("X-Cache-Tags", self.tags), ("X-Masthead-TTL", self.ttl)]
        start_response(self.status, headers + self.extra_headers)
        return [self.body]


def call(app, path="/news/a/", **environ):
    """Run one request; return (status, headers dict, body)."""
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status
        seen["headers"] = dict(headers)

    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "HTTP_HOST": "news.example",
        **environ,
    }
    body = b"".join(app(env, start_response))
    return seen["status"], seen["headers"], body


@pytest.fixture
def journal(tmp_path):
    return tmp_path / "purges.log"


@pytest.fixture
def cached(journal, settings):
    settings.MASTHEAD_PAGE_CACHE_GRACE = 30
    settings.MASTHEAD_PAGE_CACHE_STALE_IF_ERROR = 3600
    fake = FakeApp()
    return fake, PageCache(fake, MemoryStore(journal, 8 << 20))


def test_second_request_is_served_without_rendering(cached):
    fake, app = cached
    first = call(app)
    second = call(app)
    assert fake.calls == 1
    assert first[1][STATUS_HEADER] == "miss"
    assert second[1][STATUS_HEADER] == "hit"
    assert second[2] == fake.body
    assert "X-Cache-Tags" not in second[1]


def test_query_string_is_part_of_the_key(cached):
    fake, app = cached
    call(app, QUERY_STRING="page=2")
    call(app, QUERY_STRING="page=3")
    assert fake.calls == 2


def test_purge_from_another_process_drops_the_page(cached, journal):
    fake, app = cached
    call(app)
    # A second store on the same journal stands for the scheduler process.
    MemoryStore(journal, 1 << 20).purge(["article-1"])
    fake.body = b"<p>version 2</p>"
    _status, headers, body = call(app)
    assert headers[STATUS_HEADER] == "miss"
    assert body == b"<p>version 2</p>"


def test_page_rendered_across_a_purge_is_kept_out_of_varnish(journal, settings):
    settings.MASTHEAD_PAGE_CACHE_GRACE = 30
    fake = FakeApp()
    fake.extra_headers = [("Cache-Control", "public, max-age=60")]
    # Asked by Varnish (MASTHEAD_TRUSTED_CACHES): tags and TTL go out to it.
    varnish = "127.0.0.1"
    app = PageCache(fake, MemoryStore(journal, 8 << 20))
    fake.during_render = lambda: MemoryStore(journal, 1 << 20).purge(["article-1"])
    _status, headers, body = call(app, REMOTE_ADDR=varnish)
    assert body == fake.body
    assert headers["Cache-Control"] == "private, no-store"
    assert "X-Cache-Tags" not in headers
    assert "X-Masthead-TTL" not in headers
    # Rendered with nothing purged meanwhile: shareable, with its tags.
    fake.during_render = None
    _status, headers, _body = call(app, REMOTE_ADDR=varnish)
    assert headers["Cache-Control"] == "public, max-age=60"
    assert set(headers["X-Cache-Tags"].split()) == {"article-1", "site"}


def test_purge_of_another_tag_keeps_the_page(cached, journal):
    _fake, app = cached
    call(app)
    MemoryStore(journal, 1 << 20).purge(["article-2", "list-tag-9"])
    assert call(app)[1][STATUS_HEADER] == "hit"


def test_page_rendered_across_a_purge_is_not_stored(cached, journal):
    fake, app = cached
    # The publish commits while the old state is being rendered.
    fake.during_render = lambda: MemoryStore(journal, 1 << 20).purge(["article-1"])
    call(app)
    fake.during_render = None
    call(app)
    assert fake.calls == 2


class CountingFlights(_Flights):
    """The page cache's flights, telling the test when requests wait."""

    def __init__(self):
        super().__init__()
        self.waiting = threading.Semaphore(0)

    def lead(self, key):
        event = super().lead(key)
        if event is not None:
            self.waiting.release()
        return event


def test_concurrent_misses_render_once(cached):
    fake, app = cached
    app.flights = CountingFlights()
    rendering, finish = threading.Event(), threading.Event()

    def render_slowly():
        rendering.set()
        assert finish.wait(10)

    fake.during_render = render_slowly
    results = []
    renderer = threading.Thread(target=lambda: results.append(call(app)))
    renderer.start()
    assert rendering.wait(10)
    others = [
        threading.Thread(target=lambda: results.append(call(app))) for _ in range(7)
    ]
    for thread in others:
        thread.start()
    # Every other request waits for the one render before it is let finish.
    for _ in others:
        assert app.flights.waiting.acquire(timeout=10)
    finish.set()
    for thread in [renderer, *others]:
        thread.join()
    assert fake.calls == 1
    assert all(body == fake.body for _, _, body in results)
    labels = sorted(headers[STATUS_HEADER] for _, headers, _ in results)
    assert labels == ["hit"] * 7 + ["miss"]


def test_expired_page_is_served_stale_while_one_request_renders(cached, settings):
    fake, app = cached
    now = [1_800_000_000.0]
    app.clock = lambda: now[0]
    fake.ttl = "1"
    call(app)
    now[0] += 1.5  # past its TTL, inside its grace
    rendering, finish = threading.Event(), threading.Event()

    def render_slowly():
        rendering.set()
        assert finish.wait(10)

    fake.during_render = render_slowly
    fake.body = b"<p>version 2</p>" * 100
    renderer = threading.Thread(target=call, args=(app,))
    renderer.start()
    assert rendering.wait(10)
    _status, headers, body = call(app)
    finish.set()
    renderer.join()
    assert headers[STATUS_HEADER] == "stale"
    assert body.startswith(b"<p>version 1</p>")
    assert fake.calls == 2
    fake.during_render = None
    assert call(app)[2].startswith(b"<p>version 2</p>")


def test_expired_page_answers_when_rendering_fails(cached):
    fake, app = cached
    call(app)
    # Past its freshness and its grace: only stale-if-error may use it.
    entry = next(iter(app.store._entries.values()))
    entry.fresh_until = entry.stale_until = app.clock() - 1
    fake.status = "503 Service Unavailable"
    status, headers, body = call(app)
    assert status == "200 OK"
    assert headers[STATUS_HEADER] == "stale"
    assert body.startswith(b"<p>version 1</p>")


def test_purged_page_is_never_served_when_rendering_fails(cached, journal):
    fake, app = cached
    call(app)
    MemoryStore(journal, 1 << 20).purge(["article-1"])
    fake.status = "503 Service Unavailable"
    fake.tags = ""
    status, _headers, _ = call(app)
    assert status.startswith("503")


@pytest.mark.parametrize(
    "environ",
    [
        {"REQUEST_METHOD": "POST"},
        {"HTTP_COOKIE": "csrftoken=x; sessionid=abc"},
        {"HTTP_AUTHORIZATION": "Basic eDp5"},
        {"PATH_INFO": "/admin/pages/"},
    ],
    ids=["post", "signed-in", "authorization", "admin"],
)
def test_personal_requests_bypass_the_cache(cached, environ):
    fake, app = cached
    call(app, **environ)
    call(app, **environ)
    assert fake.calls == 2


@pytest.mark.parametrize(
    ("tags", "extra"),
    [("", []), ("site article-1", [("Set-Cookie", "csrftoken=x")])],
    ids=["untagged", "sets-cookie"],
)
def test_unlabelled_or_personal_responses_are_not_stored(cached, tags, extra):
    fake, app = cached
    fake.tags = tags
    fake.extra_headers = extra
    call(app)
    _status, headers, _ = call(app)
    assert fake.calls == 2
    assert headers[STATUS_HEADER] == "pass"


def test_gzip_for_readers_that_accept_it(cached):
    fake, app = cached
    call(app)
    _status, headers, body = call(app, HTTP_ACCEPT_ENCODING="gzip, br")
    assert headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in headers["Vary"]
    assert gzip.decompress(body) == fake.body
    assert int(headers["Content-Length"]) == len(body)


def test_matching_etag_gets_not_modified(cached):
    _fake, app = cached
    etag = call(app)[1]["ETag"]
    status, _headers, body = call(app, HTTP_IF_NONE_MATCH=etag)
    assert status.startswith("304")
    assert body == b""


def test_head_gets_headers_and_no_body(cached):
    fake, app = cached
    call(app)
    _status, headers, body = call(app, REQUEST_METHOD="HEAD")
    assert body == b""
    assert int(headers["Content-Length"]) == len(fake.body)


def test_memory_store_drops_least_recently_used_past_its_limit(journal, settings):
    settings.MASTHEAD_PAGE_CACHE_GRACE = 30
    settings.MASTHEAD_PAGE_CACHE_STALE_IF_ERROR = 60
    fake = FakeApp()
    store = MemoryStore(journal, 40_000)
    app = PageCache(fake, store)
    for number in range(30):
        call(app, path=f"/news/{number}/")
    assert 0 < len(store) < 30
    assert store._bytes <= 40_000


def test_restarted_journal_drops_everything(cached, journal):
    _fake, app = cached
    other_process = MemoryStore(journal, 1 << 20)
    other_process.purge(["unrelated"])
    call(app)
    # Past its size limit the journal is moved aside and begun again.
    other_process.JOURNAL_LIMIT = 0
    other_process.purge(["unrelated"])
    assert journal.with_suffix(".old").exists()
    assert call(app)[1][STATUS_HEADER] == "miss"


def test_a_hit_makes_no_system_call_while_nothing_was_purged(
    cached, journal, monkeypatch
):
    _fake, app = cached
    MemoryStore(journal, 1 << 20).purge(["unrelated"])
    call(app)
    stats = []
    real_stat = os.stat
    monkeypatch.setattr(os, "stat", lambda *a, **k: stats.append(a) or real_stat(*a))
    assert call(app)[1][STATUS_HEADER] == "hit"
    assert stats == []
    # A purge from elsewhere moves the shared counter: the next hit reads it.
    MemoryStore(journal, 1 << 20).purge(["article-1"])
    stats.clear()
    assert call(app)[1][STATUS_HEADER] == "miss"
    assert stats


def test_a_replaced_counter_file_is_found_again(cached, journal, monkeypatch):
    _fake, app = cached
    call(app)
    counter = journal.with_name(journal.name + ".seq")
    counter.unlink()
    MemoryStore(journal, 1 << 20).purge(["article-1"])
    # The reader still maps the deleted file; its once-a-second look finds
    # the new one.
    monkeypatch.setattr(MemoryStore, "RECHECK_SECONDS", 0)
    assert call(app)[1][STATUS_HEADER] == "miss"
    MemoryStore(journal, 1 << 20).purge(["article-1"])
    monkeypatch.setattr(MemoryStore, "RECHECK_SECONDS", 3600)
    assert call(app)[1][STATUS_HEADER] == "miss"


def test_purges_at_once_are_all_counted(tmp_path):
    path = tmp_path / "purges.seq"
    reader = PurgeCounter(path)

    def purge_fifty():
        counter = PurgeCounter(path)
        for _ in range(50):
            counter.increment()

    threads = [threading.Thread(target=purge_fifty) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reader.value() == 400


def test_http_and_https_copies_are_kept_apart(cached):
    fake, app = cached
    call(app, HTTP_X_FORWARDED_PROTO="https")
    _, headers, _ = call(app, **{"wsgi.url_scheme": "http"})
    assert headers[STATUS_HEADER] == "miss"
    assert call(app, HTTP_X_FORWARDED_PROTO="https")[1][STATUS_HEADER] == "hit"
    assert fake.calls == 2


# Kept objects (kept_until_purge): per process, least recently used dropped.


@pytest.fixture
def kept_store(journal, settings):
    from masthead import cache

    settings.MASTHEAD_REDIS_URL = ""
    settings.MASTHEAD_PAGE_CACHE_JOURNAL = journal
    cache.reset()
    yield cache
    cache.reset()


def test_kept_values_are_loaded_once_until_a_purge(kept_store):
    loads = []

    def load():
        loads.append(1)
        return len(loads)

    assert kept_store.kept_until_purge("thing", 1, load) == 1
    assert kept_store.kept_until_purge("thing", 1, load) == 1
    kept_store.get_store().purge(["site"])
    assert kept_store.kept_until_purge("thing", 1, load) == 2


def test_kept_values_in_daily_use_survive_many_one_off_keys(kept_store, monkeypatch):
    # At a million articles every uncached article keeps its own image: the
    # site, read on every request, must not be dropped with them.
    monkeypatch.setattr(kept_store.kept, "_KEPT_LIMIT", 8)
    site_loads = []

    def load_site():
        site_loads.append(1)
        return "site"

    one_off_loads = []
    for image in range(50):
        assert kept_store.kept_until_purge("site", None, load_site) == "site"
        kept_store.kept_until_purge("image", image, lambda: one_off_loads.append(1))
    assert len(site_loads) == 1
    assert len(one_off_loads) == 50
    # The oldest one-off was dropped, the newest is still kept.
    kept_store.kept_until_purge("image", 0, lambda: one_off_loads.append(1))
    kept_store.kept_until_purge("image", 49, lambda: one_off_loads.append(1))
    assert len(one_off_loads) == 51
    assert len(kept_store.stores._state["kept"]) <= 8
