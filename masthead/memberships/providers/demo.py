"""The demo payment provider: the whole paid path, and no money moves (#17).

For ``make demo`` and for trying Masthead out: ``start_checkout`` sends the
reader to Masthead's own page (demo_views.py), clearly labelled, with Pay
and Cancel buttons. Paying makes the events a real provider would send by
webhook (checkout completed, subscription active, payment succeeded), and
they go through ``billing.apply`` like any webhook's. The demo portal makes
the events of a change of plan, a cancellation, a renewal that succeeds or
fails, and a refund, the same way.

What the reader is paying for travels in the page's URL, signed with
``SECRET_KEY`` (``django.core.signing``) and valid for a day: the demo keeps
no state of its own. Its webhook endpoint takes the same events as JSON,
signed with an HMAC of the body, so tests and scripts can replay them.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext

from ..models import Interval, Membership, MembershipStatus, Payment, add_interval
from .base import (
    BillingEvent,
    Checkout,
    EventKind,
    SubscriptionState,
    WebhookRefused,
)

NAME = "demo"
# Key salts (django.core.signing, salted_hmac), not secrets.
_CHECKOUT_SALT = "masthead.memberships.demo.checkout"
_PORTAL_SALT = "masthead.memberships.demo.portal"
_WEBHOOK_SALT = "masthead.memberships.demo.webhook"
# A checkout page's link works for a day, like a real provider's session.
TOKEN_SECONDS = 86400
SIGNATURE_HEADER = "Masthead-Demo-Signature"
# The portal's actions (demo_views.portal), each a few events.
PORTAL_ACTIONS = ("change", "cancel", "resume", "renew", "fail", "end", "refund")


class DemoProvider:
    """Payments that only pretend: Masthead's own pages stand for the provider's."""

    name = NAME

    def __init__(self) -> None:
        self.label = gettext("Demo payments: no money moves")

    def start_checkout(self, checkout: Checkout) -> str:
        """The demo checkout page for ``checkout`` (a path on this site)."""
        # Not the e-mail address: the token is in the URL, readable (signed,
        # not encrypted). The page takes the address from the signed-in member.
        data = asdict(checkout)
        del data["email"]
        token = signing.dumps(data, salt=_CHECKOUT_SALT, compress=True)
        return reverse("memberships:demo-checkout", args=[token])

    def cancel_subscription(self, subscription_id: str) -> None:
        """Nothing to do: a demo subscription charges nobody, and its
        membership goes with the member."""

    def portal_url(self, customer_id: str, return_url: str) -> str:
        """The demo portal page of ``customer_id``."""
        data = {"customer": customer_id, "return": return_url}
        token = signing.dumps(data, salt=_PORTAL_SALT, compress=True)
        return reverse("memberships:demo-portal", args=[token])

    def read_webhook(self, request: HttpRequest) -> list[BillingEvent]:
        """Events posted as ``{"events": [...]}``, signed (``sign_body``)."""
        body = request.body
        signature = request.headers.get(SIGNATURE_HEADER, "")
        # Not hmac.compare_digest: it raises TypeError on a non-ASCII header.
        if not constant_time_compare(signature, sign_body(body)):
            raise WebhookRefused("bad signature")
        try:
            data = json.loads(body)
            return [event_from_json(item) for item in data["events"]]
        except (ValueError, KeyError, TypeError) as error:
            raise WebhookRefused(str(error)) from error


# ---------------------------------------------------------------------------
# Tokens of the checkout and portal pages.


def read_checkout(token: str) -> Checkout | None:
    """The checkout a valid, unexpired page token stands for, else None.

    Its ``email`` is empty: the token does not carry it.
    """
    try:
        data = signing.loads(token, salt=_CHECKOUT_SALT, max_age=TOKEN_SECONDS)
        data.pop("email", None)
        return Checkout(email="", **data)
    except (signing.BadSignature, TypeError, ValueError, AttributeError):
        return None


def read_portal(token: str) -> tuple[str, str] | None:
    """``(customer_id, return_url)`` of a valid portal token, else None."""
    try:
        data = signing.loads(token, salt=_PORTAL_SALT, max_age=TOKEN_SECONDS)
        return str(data["customer"]), str(data["return"])
    except (signing.BadSignature, TypeError, ValueError, KeyError):
        return None


def customer_id(member_id: int) -> str:
    """The demo's customer id of a member: one per member, like a real one's."""
    return f"demo_cus_{member_id}"


# ---------------------------------------------------------------------------
# The webhook format: events as JSON, the body signed.


def sign_body(body: bytes) -> str:
    """The signature header's value for a webhook body."""
    return salted_hmac(_WEBHOOK_SALT, body, algorithm="sha256").hexdigest()


def event_to_json(event: BillingEvent) -> dict[str, Any]:
    data = asdict(event)
    for key, value in data.items():
        if isinstance(value, datetime):
            data[key] = value.isoformat()
    return data


def event_from_json(item: dict[str, Any]) -> BillingEvent:
    """A ``BillingEvent`` from its JSON; ValueError, KeyError or TypeError if bad."""
    known = {field.name for field in fields(BillingEvent)}
    if not isinstance(item, dict) or set(item) - known:
        raise ValueError("unknown fields")
    data = dict(item)
    if data.get("provider") != NAME:
        raise ValueError("not a demo event")
    data["kind"] = EventKind(data["kind"])
    if data.get("state") is not None:
        data["state"] = SubscriptionState(data["state"])
    for key in ("occurred_at", "current_period_end"):
        if data.get(key) is not None:
            parsed = parse_datetime(str(data[key]))
            if parsed is None or parsed.tzinfo is None:
                raise ValueError(f"{key} is not an aware ISO 8601 time")
            data[key] = parsed
    if not isinstance(data.get("event_id"), str) or not data["event_id"]:
        raise ValueError("no event id")
    for key in ("amount", "refunded_amount"):
        if not isinstance(data.get(key, 0), int) or data.get(key, 0) < 0:
            raise ValueError(f"{key} is not a whole number of cents")
    if data.get("member_id") is not None and not isinstance(data["member_id"], int):
        raise ValueError("member_id is not a number")
    return BillingEvent(**data)


# ---------------------------------------------------------------------------
# The events of paying, and of the portal's actions.


def checkout_events(
    checkout: Checkout, token: str, amount: int, now: datetime
) -> list[BillingEvent]:
    """What a provider reports when the reader pays ``checkout``.

    Ids derive from the page's token, so paying twice (a reload, a second
    tab) sends the same events again, which billing ignores.
    """
    key = hashlib.sha256(token.encode()).hexdigest()[:20]
    common: dict[str, Any] = {
        "provider": NAME,
        "occurred_at": now,
        "member_id": checkout.member_id,
        "customer_id": checkout.customer_id or customer_id(checkout.member_id),
        "purpose": checkout.purpose,
        "currency": checkout.currency,
        "tier_slug": checkout.tier_slug,
        "interval": checkout.interval,
        "reference": checkout.reference,
    }
    payment: dict[str, Any] = {"payment_id": f"demo_pay_{key}", "amount": amount}
    recurring = checkout.purpose == "membership" or checkout.recurring
    if recurring:
        period_end = add_interval(now, checkout.interval or Interval.MONTH)
        common["subscription_id"] = f"demo_sub_{key}"
        payment["current_period_end"] = period_end
    events = [
        BillingEvent(
            event_id=f"demo_evt_{key}_checkout",
            kind=EventKind.CHECKOUT_COMPLETED,
            **common,
            **payment,
        )
    ]
    if recurring:
        events.append(
            BillingEvent(
                event_id=f"demo_evt_{key}_subscription",
                kind=EventKind.SUBSCRIPTION_UPDATED,
                state=SubscriptionState.ACTIVE,
                current_period_end=period_end,
                **common,
            )
        )
    events.append(
        BillingEvent(
            event_id=f"demo_evt_{key}_payment",
            kind=EventKind.PAYMENT_SUCCEEDED,
            **common,
            **payment,
        )
    )
    return events


def portal_events(
    membership: Membership,
    action: str,
    now: datetime,
    *,
    tier_slug: str = "",
    interval: str = "",
    payment: Payment | None = None,
) -> list[BillingEvent]:
    """What a provider reports after the member's ``action`` in its portal.

    Args:
        action: one of ``PORTAL_ACTIONS``: change the plan (to ``tier_slug``
            and ``interval``), cancel at the period's end, resume, renew
            (the period ends: paid, or ended when cancelled), fail a renewal,
            end now, refund ``payment``.
    """
    state = (
        SubscriptionState.PAST_DUE
        if membership.status == MembershipStatus.PAST_DUE
        else SubscriptionState.ACTIVE
    )
    tier_slug = tier_slug or membership.tier.slug
    interval = interval or membership.interval or Interval.MONTH
    common: dict[str, Any] = {
        "provider": NAME,
        "occurred_at": now,
        "member_id": membership.member_id,
        "customer_id": membership.provider_customer_id,
        "subscription_id": membership.provider_subscription_id,
        "purpose": "membership",
        "currency": membership.tier.currency,
        "tier_slug": tier_slug,
        "interval": interval,
    }

    def event(kind: EventKind, **values: Any) -> BillingEvent:
        return BillingEvent(
            event_id=f"demo_evt_{uuid.uuid4().hex}", kind=kind, **common, **values
        )

    def updated(**values: Any) -> BillingEvent:
        values.setdefault("state", state)
        values.setdefault("current_period_end", membership.current_period_end)
        values.setdefault("cancel_at_period_end", membership.cancel_at_period_end)
        return event(EventKind.SUBSCRIPTION_UPDATED, **values)

    price = membership.tier.price(interval) or 0
    renewal = {"payment_id": f"demo_pay_{uuid.uuid4().hex[:20]}", "amount": price}
    match action:
        case "change":
            return [updated()]
        case "cancel":
            return [updated(cancel_at_period_end=True)]
        case "resume":
            return [updated(cancel_at_period_end=False)]
        case "renew" if membership.cancel_at_period_end:
            return [event(EventKind.SUBSCRIPTION_ENDED)]
        case "renew":
            start = max(now, membership.current_period_end or now)
            end = add_interval(start, interval)
            return [
                event(EventKind.PAYMENT_SUCCEEDED, current_period_end=end, **renewal),
                updated(state=SubscriptionState.ACTIVE, current_period_end=end),
            ]
        case "fail":
            return [
                event(EventKind.PAYMENT_FAILED, **renewal),
                updated(state=SubscriptionState.PAST_DUE),
            ]
        case "end":
            return [event(EventKind.SUBSCRIPTION_ENDED)]
        case "refund" if payment is not None:
            common["purpose"] = payment.kind
            common["currency"] = payment.currency
            common["subscription_id"] = payment.provider_subscription_id
            return [
                event(
                    EventKind.PAYMENT_REFUNDED,
                    payment_id=payment.provider_payment_id,
                    amount=payment.amount,
                    refunded_amount=payment.amount,
                )
            ]
    return []
