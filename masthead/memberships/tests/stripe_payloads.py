"""Stripe webhook events as Stripe sends them, signed as Stripe signs them (#17).

The shapes follow the API version of the installed ``stripe`` package (its
resource classes: ``stripe.checkout.Session``, ``Subscription``,
``SubscriptionItem``, ``Invoice``, ``Charge``), trimmed to the fields a
webhook body really carries that matter here plus a few neighbours.
``legacy=True`` builds the shape of API versions before 2025-03-31 (period
on the subscription, ``invoice.subscription``, ``charge.invoice``), which
endpoints created earlier still receive.

The signature is computed here by hand from Stripe's documentation
(``Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">``
keyed with the endpoint's ``whsec_`` secret), not with the SDK that the code
under test uses to check it.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

import stripe

SECRET = "whsec_test_masthead_0123456789abcdef"
API_VERSION = stripe.api_version
# Unix times of the tests' story: a month of 30 days from 1 March 2026.
T0 = 1_772_323_200  # 2026-03-01T00:00:00Z
DAY = 86_400
MONTH = 30 * DAY

_serial = itertools.count(1)


def new_id(prefix: str) -> str:
    """A fresh id in Stripe's style (``evt_…``, ``cus_…``, ``sub_…``)."""
    return f"{prefix}_Test{next(_serial):012d}"


def event(
    kind: str,
    obj: dict[str, Any],
    *,
    created: int = T0,
    event_id: str = "",
    previous_attributes: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An ``event`` object of type ``kind`` about ``obj``."""
    data: dict[str, Any] = {"object": obj}
    if previous_attributes is not None:
        data["previous_attributes"] = previous_attributes
    return {
        "id": event_id or new_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "data": data,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": kind,
    }


def metadata(
    member_id: int, purpose: str = "membership", **more: str
) -> dict[str, str]:
    """The metadata Masthead puts on a checkout and what it creates."""
    return {"member_id": str(member_id), "purpose": purpose, **more}


def checkout_session(
    *,
    member_id: int,
    meta: dict[str, str],
    mode: str = "subscription",
    customer: str | None = "",
    subscription: str | None = "",
    invoice: str | None = "",
    payment_intent: str | None = "",
    amount_total: int = 500,
    currency: str = "eur",
    payment_status: str = "paid",
) -> dict[str, Any]:
    """A completed ``checkout.session``; ids left "" are made up."""
    is_subscription = mode == "subscription"
    return {
        "id": new_id("cs_test"),
        "object": "checkout.session",
        "amount_subtotal": amount_total,
        "amount_total": amount_total,
        "cancel_url": "https://news.example/membership/",
        "client_reference_id": str(member_id),
        "created": T0,
        "currency": currency,
        "customer": new_id("cus") if customer == "" else customer,
        "customer_details": {"email": "reader@example.com", "name": None},
        "customer_email": "reader@example.com",
        "expires_at": T0 + DAY,
        "invoice": (new_id("in") if invoice == "" else invoice)
        if is_subscription
        else None,
        "livemode": False,
        "metadata": meta,
        "mode": mode,
        "payment_intent": None
        if is_subscription
        else (new_id("pi") if payment_intent == "" else payment_intent),
        "payment_status": payment_status,
        "status": "complete",
        "subscription": (new_id("sub") if subscription == "" else subscription)
        if is_subscription
        else None,
        "success_url": "https://news.example/membership/welcome/",
        "url": None,
    }


def price(price_id: str, interval: str = "month", unit_amount: int = 500) -> dict:
    """A recurring ``price``."""
    return {
        "id": price_id,
        "object": "price",
        "active": True,
        "billing_scheme": "per_unit",
        "currency": "eur",
        "livemode": False,
        "lookup_key": None,
        "metadata": {},
        "product": "prod_TestSupporter",
        "recurring": {
            "interval": interval,
            "interval_count": 1,
            "meter": None,
            "trial_period_days": None,
            "usage_type": "licensed",
        },
        "type": "recurring",
        "unit_amount": unit_amount,
    }


def subscription(
    *,
    sub_id: str,
    customer: str,
    price_id: str,
    meta: dict[str, str],
    status: str = "active",
    interval: str = "month",
    period_start: int = T0,
    period_end: int = T0 + MONTH,
    cancel_at_period_end: bool = False,
    legacy: bool = False,
) -> dict[str, Any]:
    """A ``subscription`` with one item; ``legacy``: period on the top level."""
    item = {
        "id": new_id("si"),
        "object": "subscription_item",
        "created": period_start,
        "metadata": {},
        "price": price(price_id, interval),
        "quantity": 1,
        "subscription": sub_id,
        "tax_rates": [],
    }
    if not legacy:
        item |= {"current_period_start": period_start, "current_period_end": period_end}
    body: dict[str, Any] = {
        "id": sub_id,
        "object": "subscription",
        "billing_cycle_anchor": period_start,
        "cancel_at": period_end if cancel_at_period_end else None,
        "cancel_at_period_end": cancel_at_period_end,
        "canceled_at": None,
        "collection_method": "charge_automatically",
        "created": T0,
        "currency": "eur",
        "customer": customer,
        "ended_at": None,
        "items": {
            "object": "list",
            "data": [item],
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/subscription_items?subscription={sub_id}",
        },
        "latest_invoice": None,
        "livemode": False,
        "metadata": meta,
        "start_date": T0,
        "status": status,
        "trial_end": None,
        "trial_start": None,
    }
    if legacy:
        body |= {"current_period_start": period_start, "current_period_end": period_end}
    return body


def invoice(
    *,
    invoice_id: str,
    customer: str,
    sub_id: str | None,
    meta: dict[str, str],
    amount: int = 500,
    paid: bool = True,
    billing_reason: str = "subscription_cycle",
    legacy: bool = False,
) -> dict[str, Any]:
    """An ``invoice`` of a subscription, paid or with its payment failed."""
    body: dict[str, Any] = {
        "id": invoice_id,
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": amount if paid else 0,
        "amount_remaining": 0 if paid else amount,
        "attempt_count": 1,
        "attempted": True,
        "billing_reason": billing_reason,
        "collection_method": "charge_automatically",
        "created": T0,
        "currency": "eur",
        "customer": customer,
        "customer_email": "reader@example.com",
        "livemode": False,
        "metadata": {},
        "number": f"MH-{invoice_id[-4:]}",
        "status": "paid" if paid else "open",
        "total": amount,
    }
    if legacy:
        body["subscription"] = sub_id
        body["subscription_details"] = {"metadata": meta}
    else:
        body["parent"] = (
            {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {
                    "metadata": meta,
                    "subscription": sub_id,
                },
            }
            if sub_id
            else None
        )
    return body


def charge(
    *,
    payment_intent: str,
    amount: int,
    refunded: int,
    customer: str | None = None,
    invoice_id: str | None = None,
    legacy: bool = False,
) -> dict[str, Any]:
    """A refunded ``charge``; ``legacy`` charges name their invoice."""
    body: dict[str, Any] = {
        "id": new_id("ch"),
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": refunded,
        "captured": True,
        "created": T0,
        "currency": "eur",
        "customer": customer,
        "livemode": False,
        "metadata": {},
        "paid": True,
        "payment_intent": payment_intent,
        "refunded": refunded == amount,
        "status": "succeeded",
    }
    if legacy:
        body["invoice"] = invoice_id
    return body


def sign(body: bytes, secret: str = SECRET, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header Stripe would send with ``body``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def signed(
    evt: dict[str, Any], secret: str = SECRET, **kwargs: Any
) -> tuple[bytes, str]:
    """The body (as Stripe lays it out) and signature header of ``evt``."""
    body = json.dumps(evt, indent=2).encode()
    return body, sign(body, secret, **kwargs)


@dataclass
class Reader:
    """One reader's subscription at Stripe: the ids its events share."""

    member_id: int
    purpose: str = "membership"
    price_id: str = "price_S"
    customer: str = field(default_factory=lambda: new_id("cus"))
    sub_id: str = field(default_factory=lambda: new_id("sub"))

    @property
    def meta(self) -> dict[str, str]:
        """The metadata Masthead's checkout gave the session and subscription."""
        if self.purpose != "membership":
            return metadata(self.member_id, self.purpose)
        return metadata(
            self.member_id,
            tier_slug="supporter",
            interval="month",
            price_id=self.price_id,
        )

    def checkout_completed(
        self, invoice_id: str, at: int = T0, amount: int = 500
    ) -> dict[str, Any]:
        session = checkout_session(
            member_id=self.member_id,
            meta=self.meta,
            customer=self.customer,
            subscription=self.sub_id,
            invoice=invoice_id,
            amount_total=amount,
        )
        return event("checkout.session.completed", session, created=at)

    def subscription_event(
        self, kind: str = "updated", at: int = T0, **fields: Any
    ) -> dict[str, Any]:
        """``customer.subscription.<kind>``; ``fields`` as ``subscription()``."""
        fields = {"price_id": self.price_id, "meta": self.meta} | fields
        body = subscription(sub_id=self.sub_id, customer=self.customer, **fields)
        return event(f"customer.subscription.{kind}", body, created=at)

    def invoice_event(
        self, kind: str, invoice_id: str, at: int = T0, **fields: Any
    ) -> dict[str, Any]:
        """``invoice.<kind>`` of this subscription; ``fields`` as ``invoice()``."""
        body = invoice(
            invoice_id=invoice_id,
            customer=self.customer,
            sub_id=self.sub_id,
            meta=self.meta,
            paid=kind != "payment_failed",
            **fields,
        )
        return event(f"invoice.{kind}", body, created=at)

    def started(self, invoice_id: str = "in_first") -> list[dict[str, Any]]:
        """The events of a checkout that started a subscription, in order."""
        return [
            self.checkout_completed(invoice_id, at=T0),
            self.subscription_event("created", at=T0 + 1),
            self.invoice_event(
                "paid", invoice_id, at=T0 + 2, billing_reason="subscription_create"
            ),
        ]
