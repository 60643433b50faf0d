"""Purges reach Varnish by tag; one that is down is logged, kept and retried,
never an editor's wait, and a database outage is a 503 (#5, #12)."""

import http.server
import logging
import threading

import pytest
from django.db import OperationalError

from masthead import cache
from masthead.content.factories import make_article
from masthead.core import outbox
from masthead.core.models import OutboxEntry
from masthead.core.tasks import drain_outbox
from masthead.newsroom import scheduler

# The journal fixture (conftest.py) is asked for here rather than made autouse
# there: test_caching.py in this folder has a journal fixture of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("journal")]


class BanRecorder(http.server.BaseHTTPRequestHandler):
    """A Varnish stand-in on loopback that records the tags it is told to ban."""

    received: list[str] = []

    def do_BAN(self):
        self.received.append(self.headers["X-Purge-Tags"])
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def ban_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), BanRecorder)
    BanRecorder.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", BanRecorder.received
    server.shutdown()
    server.server_close()


def varnish(url: str) -> list[dict[str, str]]:
    return [
        {"BACKEND": "masthead.cache.purgers.varnish.VarnishPurger", "BASE_URL": url}
    ]


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_purge_reaches_varnish_by_tag(
    settings, ban_server, django_capture_on_commit_callbacks
):
    url, received = ban_server
    settings.MASTHEAD_PURGERS = varnish(url)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    assert any(f"article-{article.pk}" in tags.split() for tags in received)
    assert OutboxEntry.objects.count() == 0


def test_failed_purge_is_logged_kept_and_retried(
    settings, ban_server, caplog, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_PURGERS = varnish(f"http://127.0.0.1:{closed_port()}")
    with (
        caplog.at_level(logging.WARNING, logger="masthead.caching"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        article = make_article(title="Published while Varnish was down")
    # The publish itself stands; the purge waits with its error.
    assert article.live
    rows = list(OutboxEntry.objects.all())
    assert rows
    assert {row.topic for row in rows} == {"purge-remote"}
    assert all(row.attempts >= 1 and "Varnish" in row.last_error for row in rows)
    assert any("left queued for retry" in r.getMessage() for r in caplog.records)

    url, received = ban_server
    settings.MASTHEAD_PURGERS = varnish(url)
    drain_outbox.enqueue()
    assert OutboxEntry.objects.count() == 0
    assert any(f"article-{article.pk}" in tags.split() for tags in received)


def test_a_varnish_that_is_down_never_makes_the_editor_wait(
    settings, journal, monkeypatch, django_capture_on_commit_callbacks
):
    """Remote purges wait for the background task; the editor's commit
    applies only this machine's store (#12)."""
    settings.MASTHEAD_PURGERS = varnish(f"http://127.0.0.1:{closed_port()}")
    woken = []
    monkeypatch.setattr(outbox, "_wake_background", [lambda: woken.append(True)])
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Published while Varnish was down")
    assert any(
        f"article-{article.pk}" in line.split()
        for line in journal.read_text().splitlines()
    )
    remote = OutboxEntry.objects.filter(topic="purge-remote")
    assert f"article-{article.pk}" in set(remote.values_list("key", flat=True))
    assert set(remote.values_list("attempts", flat=True)) == {0}
    assert not OutboxEntry.objects.filter(topic="purge").exists()
    assert woken


def test_scheduler_retries_purges():
    assert "masthead.core.tasks.drain_outbox" in [job[1] for job in scheduler.JOBS]


def test_database_outage_is_a_503_not_a_500(client, story, monkeypatch):
    from wagtail.models import Site

    def unreachable(request):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(Site, "find_for_request", staticmethod(unreachable))
    response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert cache.TAGS_HEADER not in response.headers


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/"])
def test_database_outage_is_a_503_for_signed_in_users_too(
    client, story, admin_user, monkeypatch, path
):
    """The session and user are loaded by middleware, before any view (#13)."""
    from django.contrib.sessions.backends.db import SessionStore

    client.force_login(admin_user)

    def unreachable(self):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(SessionStore, "load", unreachable)
    # The error is answered, not raised to the test.
    client.raise_request_exception = False
    response = client.get(path)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "no-store" in response.headers["Cache-Control"]


def test_a_bug_in_a_middleware_is_still_a_500(client, story, monkeypatch):
    from masthead.newsroom.two_factor import TwoFactorMiddleware

    def broken(request):
        raise ValueError("a bug")

    monkeypatch.setattr(TwoFactorMiddleware, "redirect_for", staticmethod(broken))
    client.raise_request_exception = False
    assert client.get("/").status_code == 500


def test_missed_purges_are_replayed_for_the_store(monkeypatch):
    """What the Redis store runs before it trusts Redis again (#13)."""
    from masthead.cache import purging

    purged = []
    monkeypatch.setattr(purging, "purge_local", purged.extend)
    monkeypatch.setitem(
        outbox._topics, "purge", outbox.Topic("purge", purging.purge_local)
    )
    outbox.enqueue("purge", ["article-1", "home"])
    purging.replay_missed_purges()
    assert sorted(purged) == ["article-1", "home"]
    assert not OutboxEntry.objects.filter(topic="purge").exists()


def test_a_replay_that_fails_raises_and_keeps_the_purges(monkeypatch):
    from masthead.cache import purging

    def hung(tags):
        raise TimeoutError("Timeout reading from socket")

    monkeypatch.setitem(outbox._topics, "purge", outbox.Topic("purge", hung))
    outbox.enqueue("purge", ["article-1"])
    with pytest.raises(TimeoutError):
        purging.replay_missed_purges()
    row = OutboxEntry.objects.get(topic="purge")
    assert (row.key, row.attempts) == ("article-1", 1)


def test_a_replay_without_the_database_leaves_redis_trusted(monkeypatch):
    from masthead.cache import purging

    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(outbox, "drain_topic", unreachable)
    monkeypatch.setattr(purging.connection, "close", lambda: None)
    purging.replay_missed_purges()  # logged, not raised
