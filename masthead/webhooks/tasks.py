"""Webhook deliveries, sent by the task worker after the change commits (#18)."""

from __future__ import annotations

from django.tasks import task

from masthead.core.background import BACKGROUND

from . import sending


@task(backend=BACKGROUND)
def deliver(delivery_id: int) -> bool:
    """Send one waiting delivery attempt (sending.py).

    Returns:
        Whether the receiver answered 2xx; False also when the attempt was
        already taken by another worker.
    """
    delivery = sending.attempt(delivery_id)
    return bool(delivery and delivery.succeeded)


@task(backend=BACKGROUND)
def deliver_due() -> int:
    """Send every waiting attempt whose time has come: retries the queue
    could not defer, and attempts whose task was lost.

    Returns:
        How many attempts were made.
    """
    return sending.send_due()
