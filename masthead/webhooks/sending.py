"""Sending a delivery: sign, POST, log the answer, schedule the next attempt.

A 2xx answer is a success. Anything else (another status, a refused or
timed-out connection, an unsafe address) is logged on the attempt's row
and, until ``MAX_ATTEMPTS``, a next row is written, due after the pause of
``BACKOFF``: 1 minute, 5 minutes, 30 minutes, 2 hours, 6 hours. The task
for it is enqueued to run then; ``deliver_due`` (tasks.py) also sends any
row whose time has come, so an attempt is not lost when the queue was down.
"""

from __future__ import annotations

import http.client
import json
import logging
import time
from datetime import timedelta

from django.utils import timezone

from . import http as webhook_http
from .events import envelope
from .models import PING, Delivery, Webhook
from .signing import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    signature_header,
)

logger = logging.getLogger("masthead.webhooks")

# Seconds to wait before attempts 2, 3, 4, 5 and 6.
BACKOFF = (60, 300, 1800, 7200, 21600)
MAX_ATTEMPTS = len(BACKOFF) + 1
USER_AGENT = "Masthead-Webhooks/1.0"


def body_of(delivery: Delivery) -> bytes:
    """The bytes sent and signed: compact JSON, UTF-8."""
    return json.dumps(
        delivery.payload, ensure_ascii=False, separators=(",", ":")
    ).encode()


def _claim(delivery_id: int) -> Delivery | None:
    """Take a waiting attempt, once: a task and ``deliver_due`` may both try."""
    now = timezone.now()
    taken = Delivery.objects.filter(pk=delivery_id, attempted_at__isnull=True).update(
        attempted_at=now
    )
    if not taken:
        return None
    return Delivery.objects.select_related("webhook__integration").get(pk=delivery_id)


def attempt(delivery_id: int) -> Delivery | None:
    """Send one waiting attempt now; None when another worker took it.

    Returns:
        The attempt's row, with the answer or the error recorded.
    """
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    webhook = delivery.webhook
    is_on = webhook.is_active and webhook.integration.is_active
    if not (is_on or delivery.event == PING):
        delivery.error = "The webhook or its integration was turned off."
        delivery.save(update_fields=["error"])
        return delivery
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        EVENT_HEADER: delivery.event,
        DELIVERY_HEADER: str(delivery.event_id),
        SIGNATURE_HEADER: signature_header(webhook.secret, body),
    }
    started = time.monotonic()
    try:
        answer = webhook_http.post(webhook.target_url, body, headers)
    except (OSError, http.client.HTTPException, webhook_http.UnsafeTarget) as error:
        delivery.error = f"{type(error).__name__}: {error}"[:500]
    else:
        delivery.status_code = answer.status
        delivery.response_body = answer.body.decode("utf-8", "replace")
        delivery.succeeded = 200 <= answer.status < 300
        if not delivery.succeeded:
            delivery.error = f"HTTP {answer.status}"
    delivery.duration_ms = int((time.monotonic() - started) * 1000)
    delivery.save(
        update_fields=[
            "status_code",
            "response_body",
            "error",
            "succeeded",
            "duration_ms",
        ]
    )
    if not delivery.succeeded and delivery.event != PING:
        schedule_retry(delivery)
    return delivery


def schedule_retry(failed: Delivery) -> Delivery | None:
    """Write the next attempt after ``failed``; None after the last one."""
    if failed.attempt >= MAX_ATTEMPTS:
        logger.warning(
            "Webhook %s gave up on %s after %d attempts",
            failed.webhook_id,
            failed.event_id,
            failed.attempt,
        )
        return None
    due = timezone.now() + timedelta(seconds=BACKOFF[failed.attempt - 1])
    retry = Delivery.objects.create(
        webhook_id=failed.webhook_id,
        event_id=failed.event_id,
        event=failed.event,
        payload=failed.payload,
        attempt=failed.attempt + 1,
        next_attempt_at=due,
    )
    from .tasks import deliver

    backend = deliver.get_backend()
    # Case: a queue that can wait runs it then; one that cannot (tests,
    # inline backends) leaves it to ``deliver_due``.
    if backend.supports_defer:
        deliver.using(run_after=due).enqueue(retry.pk)
    return retry


def send_due(limit: int = 200) -> int:
    """Send the waiting attempts whose time has come; returns how many."""
    due = Delivery.objects.filter(
        attempted_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).order_by("next_attempt_at", "pk")
    sent = 0
    for delivery_id in list(due.values_list("pk", flat=True)[:limit]):
        if attempt(delivery_id) is not None:
            sent += 1
    return sent


def send_test(webhook: Webhook) -> Delivery:
    """Send a ``ping`` to ``webhook`` now, whatever its event; one attempt.

    Returns:
        The attempt, with the answer or the error.
    """
    from uuid import uuid4

    event_id = uuid4()
    data = {"webhook": {"id": webhook.pk, "event": webhook.event}}
    delivery = Delivery.objects.create(
        webhook=webhook,
        event_id=event_id,
        event=PING,
        payload=envelope(PING, data, event_id),
        next_attempt_at=timezone.now(),
    )
    sent = attempt(delivery.pk)
    return sent or delivery
