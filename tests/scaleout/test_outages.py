"""Outages of Varnish, Redis and PostgreSQL lose no publish and no cached page.

Each test stops (or pauses) a service with scripts/services and starts it
again, on the same port, before it ends, so later tests find the stack whole.
"""

import os
import re
import signal
import time
import uuid

import pytest

from tests.scaleout.stack import links, request, wait_until

pytestmark = pytest.mark.scaleout

PUBLISH = """
from masthead.content.models import ArticleAuthor, ArticlePage, SectionPage
from masthead.content.services import create_article
from masthead.people.models import Author

section = SectionPage.objects.live().order_by("pk").first()
article = ArticlePage(
    title={title!r},
    slug={slug!r},
    article_authors=[ArticleAuthor(author=Author.objects.order_by("pk").first())],
)
create_article(section, article)
print(article.url)
"""

PENDING = """
from masthead.core.models import OutboxEntry
print(OutboxEntry.objects.filter(topic__startswith="purge").count())
"""


def pending_purges(stack) -> int:
    return int(stack.shell(PENDING).stdout.strip().splitlines()[-1])


def queued_redis_purges(stack) -> int:
    """Purges of the app processes' store (Redis) waiting in the outbox."""
    script = PENDING.replace('topic__startswith="purge"', 'topic="purge"')
    return int(stack.shell(script).stdout.strip().splitlines()[-1])


def test_publish_with_varnish_down_is_kept_and_purged_once_it_is_back(stack):
    slug = f"outage-{uuid.uuid4().hex[:10]}"
    stack.services("stop", "varnish")
    try:
        result = stack.shell(PUBLISH.format(title=f"Outage {slug}", slug=slug))
        url = result.stdout.strip().splitlines()[-1]
        # The publish committed without telling Varnish itself: the purge
        # waits in the outbox for the task worker, which fails and retries.
        assert not re.search(r"Varnish", result.stderr), result.stderr
        assert pending_purges(stack) > 0
        for app in stack.apps:
            assert request(app + url).status == 200
    finally:
        stack.services("start", "varnish")

    # The task worker (every second here) retries it.
    wait_until(
        lambda: pending_purges(stack) == 0,
        30,
        interval=1,
        message="the queued purge was not retried within 30 s",
    )
    assert url in links(request(f"{stack.front}/"))
    assert request(stack.front + url).status == 200


def test_publish_with_redis_down_is_kept_and_purged_once_it_is_back(stack):
    slug = f"no-redis-{uuid.uuid4().hex[:10]}"
    stack.services("stop", "redis")
    try:
        result = stack.shell(PUBLISH.format(title=f"No Redis {slug}", slug=slug))
        url = result.stdout.strip().splitlines()[-1]
        assert re.search(r"purge.*fail|fail.*purge", result.stderr, re.I), result.stderr
        assert pending_purges(stack) > 0
        # Without their cache the app processes render every page themselves.
        for app in stack.apps:
            assert request(app + url).status == 200
        assert request(stack.front + url).status == 200
    finally:
        stack.services("start", "redis")

    wait_until(
        lambda: pending_purges(stack) == 0,
        30,
        interval=1,
        message="the queued purge was not retried within 30 s",
    )
    assert url in links(request(f"{stack.front}/"))


def test_cached_pages_answer_while_postgresql_is_down(stack):
    home = request(f"{stack.front}/")
    article = home.soup().select_one(".lead-story__title a")["href"]
    paths = ["/", article]
    # Purges the earlier tests queued (their publishes) are applied first: a
    # late one would drop the pages warmed below.
    wait_until(lambda: pending_purges(stack) == 0, 30, interval=1)
    bodies = {}
    for path in paths:
        for _ in range(2):
            bodies[path] = request(stack.front + path).body
        assert request(stack.front + path).cache == "HIT"
        # Each app process holds the page in Redis and trusts it: an app
        # whose breaker was still open after the Redis outage of the test
        # before renders without storing until its cool-off ends.
        for app in stack.apps:
            wait_until(
                lambda app=app, path=path: (
                    request(app + path).headers.get("X-Masthead-Cache") == "hit"
                ),
                30,
                interval=0.5,
                message=f"{app}{path} was not served from the page cache",
            )

    stack.services("stop", "postgres")
    try:
        for path in paths:
            through_varnish = request(stack.front + path)
            assert through_varnish.status == 200, path
            assert through_varnish.body == bodies[path]
            # Each app process answers from the page cache in Redis.
            for app in stack.apps:
                direct = request(app + path)
                assert direct.status == 200, (app, path, stack.logs())
                assert direct.soup().find("h1") is not None
        # A page no cache holds cannot be rendered: 503, not 500.
        uncached = f"/authors/nobody-{uuid.uuid4().hex[:8]}/"
        assert request(stack.front + uncached).status == 503
    finally:
        stack.services("start", "postgres")

    # Back to normal: the app processes reconnect and render a new page.
    slug = f"after-outage-{uuid.uuid4().hex[:10]}"
    url = stack.shell(PUBLISH.format(title=f"After {slug}", slug=slug))
    url = url.stdout.strip().splitlines()[-1]
    wait_until(
        lambda: all(request(app + url).status == 200 for app in stack.apps),
        30,
        interval=0.5,
        message="the app processes did not recover after PostgreSQL came back",
    )


SIGNED_IN = """
from importlib import import_module

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model,
)

user, _ = get_user_model().objects.get_or_create(username="outage-reader")
session = import_module(settings.SESSION_ENGINE).SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.save()
print(session.session_key)
"""


def test_hung_redis_costs_readers_under_a_second_and_serves_no_stale_page(stack):
    """Redis paused (SIGSTOP) accepts connections and never answers (#13)."""
    for app in stack.apps:
        for _ in range(2):
            assert request(app + "/").status == 200  # the home page in Redis
    # The worker would replay the missed purge within a second: without it
    # only the app processes' own replay keeps the old home page away.
    stack.services("stop", "worker")
    stack.services("pause", "redis")
    try:
        timings = {}
        for app in stack.apps:
            for path in (f"/?hung={uuid.uuid4().hex[:8]}", "/search/?q=hung"):
                started = time.monotonic()
                response = request(app + path)
                timings[app + path] = time.monotonic() - started
                assert response.status == 200, (app, path)
        assert max(timings.values()) < 1.0, timings
        slug = f"hung-redis-{uuid.uuid4().hex[:10]}"
        result = stack.shell(PUBLISH.format(title=f"Hung {slug}", slug=slug))
        url = result.stdout.strip().splitlines()[-1]
        # The publish committed; its purge of Redis waits in the outbox.
        assert queued_redis_purges(stack) > 0
        for app in stack.apps:
            assert url in links(request(app + "/")), app
    finally:
        stack.services("resume", "redis")
    try:
        # At once, and past the breakers' cool-off (5 s), when the app
        # processes read Redis again: never the home page without it.
        deadline = time.monotonic() + 7
        while time.monotonic() < deadline:
            for app in stack.apps:
                assert url in links(request(app + "/")), (app, stack.logs())
            time.sleep(0.2)
    finally:
        stack.services("start", "worker")
    wait_until(
        lambda: url in links(request(f"{stack.front}/")),
        30,
        interval=0.5,
        message="the purge did not reach Varnish once the worker was back",
    )


def test_signed_in_users_get_503_while_postgresql_is_down(stack):
    session = stack.shell(SIGNED_IN).stdout.strip().splitlines()[-1]
    signed_in = {"Cookie": f"sessionid={session}"}
    for _ in range(2):
        request(f"{stack.front}/")
        for app in stack.apps:
            request(app + "/")
    stack.services("stop", "postgres")
    try:
        for app in stack.apps:
            for path in ("/", "/admin/"):
                # The session and user are read before any view (#13).
                assert request(app + path, headers=signed_in).status == 503, (
                    app,
                    path,
                    stack.logs(),
                )
            assert request(app + "/").status == 200
        assert request(f"{stack.front}/").status == 200
        assert request(f"{stack.front}/admin/", headers=signed_in).status == 503
    finally:
        stack.services("start", "postgres")


def running_pids(stack) -> dict[str, int]:
    """``{program: pid}`` of what supervisord reports RUNNING."""
    output = stack.services("status", check=False).stdout
    found = re.findall(r"^(\S+)\s+RUNNING\s+pid (\d+)", output, re.M)
    return {name: int(pid) for name, pid in found}


def test_a_crashed_app_process_and_the_worker_are_started_again(stack):
    before = running_pids(stack)
    killed = ("app-1", "worker")
    for name in killed:
        os.kill(before[name], signal.SIGKILL)

    def replaced() -> bool:
        now = running_pids(stack)
        return all(now.get(name, before[name]) != before[name] for name in killed)

    wait_until(replaced, 60, interval=0.5, message="not restarted within 60 s")
    wait_until(
        lambda: request(stack.apps[0] + "/robots.txt").status == 200,
        60,
        interval=0.5,
        message="the restarted app process does not answer",
    )
    # The restarted worker still drains the outbox: a publish reaches Varnish.
    slug = f"after-crash-{uuid.uuid4().hex[:10]}"
    url = stack.shell(PUBLISH.format(title=f"After {slug}", slug=slug))
    url = url.stdout.strip().splitlines()[-1]
    wait_until(
        lambda: url in links(request(f"{stack.front}/")),
        30,
        interval=0.5,
        message="the publish did not reach the home page through Varnish",
    )
