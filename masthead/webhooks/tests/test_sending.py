"""Sending: headers and signature, retries with back-off, the log, SSRF refusal."""

import json
import socket
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from masthead.webhooks import events, sending
from masthead.webhooks.factories import make_webhook
from masthead.webhooks.http import UnsafeTarget, check_url, is_public_address
from masthead.webhooks.models import Delivery, Event
from masthead.webhooks.signing import verify
from masthead.webhooks.tasks import deliver, deliver_due

pytestmark = pytest.mark.django_db


def _queue_one(webhook):
    (delivery,) = events.queue(webhook.event, {"id": 7, "url": "http://x/7"})
    return delivery


def test_delivery_is_signed_with_the_webhooks_secret(receiver):
    webhook = make_webhook(receiver.url + "/hook?x=1")
    delivery = _queue_one(webhook)

    assert deliver.call(delivery.pk) is True

    (request,) = receiver.requests
    assert request.path == "/hook?x=1"
    assert request.headers["X-Masthead-Event"] == "article.published"
    assert request.headers["X-Masthead-Delivery"] == str(delivery.event_id)
    assert verify(webhook.secret, request.headers["X-Masthead-Signature"], request.body)
    payload = json.loads(request.body)
    assert payload["event"] == "article.published"
    assert payload["id"] == str(delivery.event_id)
    assert payload["data"] == {"id": 7, "url": "http://x/7"}


def test_failure_is_retried_with_backoff_then_succeeds(receiver):
    receiver.statuses = [500, 503]
    webhook = make_webhook(receiver.url)
    first = _queue_one(webhook)
    start = timezone.now()

    with time_machine.travel(start, tick=False):
        assert deliver.call(first.pk) is False
        # Not due yet: a minute's pause after the first failure.
        assert deliver_due.call() == 0
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert deliver_due.call() == 1
    with time_machine.travel(start + timedelta(seconds=61 + 299), tick=False):
        assert deliver_due.call() == 0
    with time_machine.travel(start + timedelta(seconds=61 + 301), tick=False):
        assert deliver_due.call() == 1

    log = list(Delivery.objects.filter(event_id=first.event_id).order_by("attempt"))
    assert [(d.attempt, d.status_code, d.succeeded) for d in log] == [
        (1, 500, False),
        (2, 503, False),
        (3, 200, True),
    ]
    assert log[1].next_attempt_at == start + timedelta(seconds=60)
    assert log[2].next_attempt_at == start + timedelta(seconds=61 + 300)
    assert log[0].error == "HTTP 500"
    assert len(receiver.requests) == 3
    # Retries carry the same delivery id, so receivers can drop repeats.
    assert {r.headers["X-Masthead-Delivery"] for r in receiver.requests} == {
        str(first.event_id)
    }


def test_log_keeps_the_response_truncated(receiver):
    delivery = _queue_one(make_webhook(receiver.url))
    deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.response_body.startswith("answer 200 ")
    assert len(delivery.response_body) == 2048
    assert delivery.duration_ms is not None
    assert delivery.attempted_at is not None


def test_gives_up_after_six_attempts(receiver):
    receiver.statuses = [500] * 10
    delivery = _queue_one(make_webhook(receiver.url))
    now = timezone.now()
    deliver.call(delivery.pk)
    for pause in sending.BACKOFF:
        now += timedelta(seconds=pause + 1)
        with time_machine.travel(now, tick=False):
            assert deliver_due.call() == 1
    assert Delivery.objects.filter(event_id=delivery.event_id).count() == 6
    assert len(receiver.requests) == 6
    assert not Delivery.objects.filter(attempted_at__isnull=True).exists()


def test_an_attempt_is_sent_once(receiver):
    delivery = _queue_one(make_webhook(receiver.url))
    assert sending.attempt(delivery.pk) is not None
    assert sending.attempt(delivery.pk) is None
    assert len(receiver.requests) == 1


def test_redirect_is_not_followed_and_not_success(receiver):
    receiver.statuses = [302]
    receiver.headers = {"Location": "file:///etc/passwd"}
    delivery = _queue_one(make_webhook(receiver.url))
    deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status_code, delivery.succeeded) == (302, False)
    assert len(receiver.requests) == 1


def test_private_addresses_refused_when_not_allowed(receiver, settings):
    settings.MASTHEAD_WEBHOOKS_ALLOW_PRIVATE = False
    delivery = _queue_one(make_webhook(receiver.url))
    deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.error.startswith("UnsafeTarget")
    assert delivery.status_code is None
    assert receiver.requests == []


def test_a_name_resolving_to_loopback_is_refused(settings, monkeypatch):
    settings.MASTHEAD_WEBHOOKS_ALLOW_PRIVATE = False

    def resolve(host, port, *args, **kwargs):
        assert host == "hooks.example.com"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    delivery = _queue_one(make_webhook("http://hooks.example.com:9/"))
    deliver.call(delivery.pk)
    delivery.refresh_from_db()
    assert "private" in delivery.error


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "file:///etc/passwd",
        "http://user:pw@example.com/",
        "http:///nohost",
        "http://127.0.0.1/",
        "http://[::1]/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://[::ffff:192.168.0.1]/",
        "http://localhost/",
    ],
)
def test_unsafe_urls_refused(url, settings):
    settings.MASTHEAD_WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(UnsafeTarget):
        check_url(url)


def test_public_address_rule():
    assert is_public_address("93.184.216.34")
    assert not is_public_address("100.64.0.1")
    assert not is_public_address("fe80::1")
    assert not is_public_address("224.0.0.1")


def test_inactive_webhook_is_not_sent(receiver):
    webhook = make_webhook(receiver.url)
    delivery = _queue_one(webhook)
    webhook.is_active = False
    webhook.save()
    deliver.call(delivery.pk)
    assert receiver.requests == []


def test_only_webhooks_of_the_event_are_queued(receiver):
    make_webhook(receiver.url, event=Event.ARTICLE_UPDATED)
    assert events.queue(Event.ARTICLE_PUBLISHED, {"id": 1}) == []


def test_send_test_pings_now(receiver):
    webhook = make_webhook(receiver.url, event=Event.LIVE_UPDATED)
    delivery = sending.send_test(webhook)
    assert delivery.succeeded
    (request,) = receiver.requests
    assert request.headers["X-Masthead-Event"] == "ping"
    assert json.loads(request.body)["data"]["webhook"]["event"] == "live.updated"
