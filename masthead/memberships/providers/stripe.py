"""Stripe: Checkout to pay, the Customer Portal to change, signed webhooks (#17).

Readers pay on Stripe Checkout (``start_checkout``) and change or cancel in
the Customer Portal (``portal_url``). Stripe reports back by webhooks to
``/membership/webhooks/stripe/`` signed with ``STRIPE_WEBHOOK_SECRET``;
``read_webhook`` checks the signature and its age and turns the event types
Masthead needs into ``BillingEvent`` values (others: acknowledged, ignored).

Each Checkout carries Masthead's ids on the session (``client_reference_id``
is the member, ``metadata``) and on the subscription or payment it creates,
so a subscription event that overtakes ``checkout.session.completed`` still
names its member, and each invoice (which snapshots the subscription's
metadata) says whether it pays a membership or a monthly donation.

Webhooks come in the endpoint's API version; the shapes since 2025-03-31
and before are both read (a period end on the subscription item or the
subscription; an invoice's subscription under ``parent`` or on top).

A payment's id, the same in its refund: a one-off payment (donation, gift)
is its PaymentIntent ``pi_…``, named by the session and the refunded
charge; a subscription's payment is its invoice ``in_…``, named by
``invoice.paid`` and, for the first, the session. A refunded charge names
its invoice itself before 2025-03-31; since then only its PaymentIntent,
and the invoice is asked of ``GET /v1/invoice_payments`` (none: one-off).
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from functools import partial
from typing import Any

import stripe
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from stripe.params import InvoicePaymentListParamsPayment
from stripe.params.checkout import SessionCreateParams, SessionCreateParamsLineItem

from ..models import Interval, PaymentKind, Tier
from .base import (
    BillingEvent,
    Checkout,
    EventKind,
    ProviderUnavailable,
    SubscriptionState,
    WebhookRefused,
)

logger = logging.getLogger("masthead.memberships")

NAME = "stripe"
# A signed webhook older than this (seconds) is refused as a possible replay:
# Stripe's own default, its signing timestamp is renewed on each retry.
TOLERANCE = stripe.Webhook.DEFAULT_TOLERANCE
# Seconds to wait for Stripe's API while a reader (or a webhook) waits.
TIMEOUT = 20

# Stripe's subscription statuses. "incomplete" (the first payment is still
# pending) is not here: Checkout reports the subscription once it is paid.
STATES = {
    "active": SubscriptionState.ACTIVE,
    "trialing": SubscriptionState.ACTIVE,
    "past_due": SubscriptionState.PAST_DUE,
    "canceled": SubscriptionState.ENDED,
    "incomplete_expired": SubscriptionState.ENDED,
    # Retries exhausted, left open: no access, but a later paid invoice
    # makes it active again. Only customer.subscription.deleted is final.
    "unpaid": SubscriptionState.SUSPENDED,
    # A trial ended without a payment method: no access until it resumes.
    "paused": SubscriptionState.SUSPENDED,
}


class StripeUnavailable(WebhookRefused):
    """Stripe's API did not answer a question a webhook raised.

    The event is refused unprocessed; Stripe retries it for three days.
    """


# A BillingEvent with the event's provider, id and time filled in.
_Envelope = partial[BillingEvent]


class StripeProvider:
    """Stripe Checkout, Customer Portal and webhooks, with the ``stripe`` SDK.

    The keys are read from the settings when used unless given here.
    ``api_base`` points the SDK at another address than api.stripe.com (the
    tests' stand-in server, memberships/tests/stripe_api.py).
    """

    name = NAME
    label = "Stripe"
    api_base: str | None = None

    def __init__(
        self,
        *,
        api_key: str | None = None,
        webhook_secret: str | None = None,
        api_base: str | None = None,
    ) -> None:
        self._api_key = api_key
        self._webhook_secret = webhook_secret
        if api_base is not None:
            self.api_base = api_base

    # Paying and changing: Stripe's pages -------------------------------------

    def start_checkout(self, checkout: Checkout) -> str:
        """Create a Checkout Session; return its URL.

        Raises:
            ProviderUnavailable: Stripe refused or did not answer, or the
                tier has no Stripe price for the interval (Tier.provider_prices).
        """
        metadata = {
            key: value
            for key, value in {
                "member_id": str(checkout.member_id),
                "purpose": checkout.purpose,
                "tier_slug": checkout.tier_slug,
                "interval": checkout.interval,
                "reference": checkout.reference,
            }.items()
            if value
        }
        params: SessionCreateParams = {
            "client_reference_id": str(checkout.member_id),
            "success_url": checkout.success_url,
            "cancel_url": checkout.cancel_url,
        }
        if checkout.purpose == PaymentKind.MEMBERSHIP:
            if not checkout.price_id:
                msg = f"Tier {checkout.tier_slug!r}: no {checkout.interval} price"
                logger.error("Stripe Checkout not started: %s", msg)
                raise ProviderUnavailable(msg)
            metadata["price_id"] = checkout.price_id
            params["mode"] = "subscription"
            params["line_items"] = [{"price": checkout.price_id, "quantity": 1}]
        else:
            params["line_items"] = [self._ad_hoc_item(checkout)]
            params["mode"] = "subscription" if checkout.recurring else "payment"
            if checkout.purpose == PaymentKind.DONATION and not checkout.recurring:
                params["submit_type"] = "donate"
        params["metadata"] = metadata
        if params["mode"] == "subscription":
            params["subscription_data"] = {"metadata": metadata}
        else:
            params["payment_intent_data"] = {"metadata": metadata}
        if checkout.customer_id:
            params["customer"] = checkout.customer_id
        else:
            params["customer_email"] = checkout.email
        try:
            session = self._client().v1.checkout.sessions.create(params=params)
        except stripe.StripeError as error:
            raise _unavailable("Checkout", error) from error
        return _answered_url(session.url)

    def portal_url(self, customer_id: str, return_url: str) -> str:
        """Open a Customer Portal session for ``customer_id``; return its URL.

        Raises:
            ProviderUnavailable: Stripe refused (no portal configured in the
                Dashboard, an unknown customer) or did not answer.
        """
        try:
            session = self._client().v1.billing_portal.sessions.create(
                params={"customer": customer_id, "return_url": return_url}
            )
        except stripe.StripeError as error:
            raise _unavailable("Customer Portal", error) from error
        return _answered_url(session.url)

    def cancel_subscription(self, subscription_id: str) -> None:
        """Cancel ``subscription_id`` now, unprorated (its member is erased).

        Raises:
            ProviderUnavailable: Stripe refused or did not answer.
        """
        try:
            self._client().v1.subscriptions.cancel(subscription_id)
        except stripe.StripeError as error:
            raise _unavailable("cancellation", error) from error

    def _key(self) -> str:
        return settings.STRIPE_SECRET_KEY if self._api_key is None else self._api_key

    def _client(self) -> stripe.StripeClient:
        return stripe.StripeClient(
            self._key(),
            base_addresses={"api": self.api_base} if self.api_base else None,
            http_client=stripe.new_default_http_client(timeout=TIMEOUT),
        )

    def _ad_hoc_item(self, checkout: Checkout) -> SessionCreateParamsLineItem:
        """A line of the chosen amount: a donation, or a gift of a tier."""
        currency = (checkout.currency or settings.MASTHEAD_CURRENCY).lower()
        amount = checkout.amount
        if checkout.purpose == PaymentKind.GIFT:
            tier = Tier.objects.filter(slug=checkout.tier_slug).first()
            amount = amount or (tier.price(checkout.interval) if tier else 0) or 0
            interval = checkout.interval
            period = Interval(interval).label if interval in Interval.values else ""
            name = _("Gift membership: %(tier)s, %(period)s") % {
                "tier": tier.name if tier else checkout.tier_slug,
                "period": period,
            }
        elif checkout.recurring:
            name = _("Monthly donation")
        else:
            name = _("Donation")
        if amount <= 0:
            msg = f"A {checkout.purpose} needs an amount above zero."
            raise ProviderUnavailable(msg)
        item: SessionCreateParamsLineItem = {
            "quantity": 1,
            "price_data": {
                "currency": currency,
                "unit_amount": amount,
                "product_data": {"name": name},
            },
        }
        if checkout.recurring:
            item["price_data"]["recurring"] = {"interval": "month"}
        return item

    # Hearing back: webhooks --------------------------------------------------

    def read_webhook(self, request: HttpRequest) -> list[BillingEvent]:
        """Verify a webhook's ``Stripe-Signature`` and translate its event.

        Raises:
            WebhookRefused: no webhook secret is set, the signature is
                missing, wrong or too old, or the body is not an event.
            StripeUnavailable: a refund's invoice could not be asked of
                Stripe (a WebhookRefused: Stripe retries).
        """
        secret = (
            settings.STRIPE_WEBHOOK_SECRET
            if self._webhook_secret is None
            else self._webhook_secret
        )
        if not secret:
            raise WebhookRefused("STRIPE_WEBHOOK_SECRET is not set.")
        body = request.body
        try:
            stripe.WebhookSignature.verify_header(
                body, request.headers.get("Stripe-Signature"), secret, TOLERANCE
            )
            event = json.loads(body)
        except (stripe.SignatureVerificationError, ValueError, TypeError) as error:
            # ValueError: not UTF-8, or not JSON (UnicodeDecodeError is one).
            # TypeError: a signature that is not ASCII, which the SDK's
            # constant-time comparison cannot take.
            raise WebhookRefused(str(error)) from error
        if not isinstance(event, dict) or event.get("object") != "event":
            raise WebhookRefused("The body is not a Stripe event.")
        return self.translate(event)

    def translate(self, event: dict[str, Any]) -> list[BillingEvent]:
        """Masthead's events for one Stripe event (a verified, parsed body)."""
        event_id, occurred_at = _id(event.get("id")), _time(event.get("created"))
        data = _dict(_dict(event.get("data")).get("object"))
        if not event_id or occurred_at is None or not data:
            raise WebhookRefused("The event has no id, time or object.")
        envelope = partial(
            BillingEvent, provider=NAME, event_id=event_id, occurred_at=occurred_at
        )
        match event.get("type"):
            case "checkout.session.completed" if data.get("payment_status") != "unpaid":
                return self._checkout_completed(envelope, data)
            case "checkout.session.async_payment_succeeded":
                # A delayed method (a bank debit) that was unpaid at completion.
                return self._checkout_completed(envelope, data)
            case "customer.subscription.created" | "customer.subscription.updated":
                return self._subscription(envelope, data, ended=False)
            case "customer.subscription.deleted":
                return self._subscription(envelope, data, ended=True)
            case "invoice.paid" | "invoice.payment_succeeded":
                # Both arrive for one invoice: the same payment id twice.
                return self._invoice(envelope, data, EventKind.PAYMENT_SUCCEEDED)
            case "invoice.payment_failed":
                return self._invoice(envelope, data, EventKind.PAYMENT_FAILED)
            case "charge.refunded":
                return self._refund(envelope, data)
        return []

    def _checkout_completed(
        self, envelope: _Envelope, session: dict[str, Any]
    ) -> list[BillingEvent]:
        metadata = _metadata(session)
        purpose = metadata.get("purpose", "")
        if purpose not in PaymentKind.values:
            # Not a checkout Masthead started (a Payment Link, another app).
            return []
        if session.get("mode") == "subscription":
            payment_id = _id(session.get("invoice"))
        else:
            payment_id = _id(session.get("payment_intent")) or _id(session)
        return [
            envelope(
                kind=EventKind.CHECKOUT_COMPLETED,
                member_id=_member_id(session.get("client_reference_id"))
                or _member_id(metadata.get("member_id")),
                customer_id=_id(session.get("customer")),
                subscription_id=_id(session.get("subscription")),
                price_id=metadata.get("price_id", ""),
                tier_slug=metadata.get("tier_slug", ""),
                interval=metadata.get("interval", ""),
                reference=metadata.get("reference", ""),
                payment_id=payment_id,
                amount=_int(session.get("amount_total")),
                currency=_currency(session.get("currency")),
                purpose=purpose,
            )
        ]

    def _subscription(
        self, envelope: _Envelope, subscription: dict[str, Any], *, ended: bool
    ) -> list[BillingEvent]:
        metadata = _metadata(subscription)
        state = STATES.get(_str(subscription.get("status")))
        if metadata.get("purpose") == PaymentKind.DONATION or not (ended or state):
            # A recurring donation gives no membership; only its invoices count.
            return []
        items = _dict(subscription.get("items")).get("data")
        item = _dict(items[0]) if isinstance(items, list) and items else {}
        price = _dict(item.get("price"))
        price_id = _id(price)
        # Since 2025-03-31 the period is the item's; before, the subscription's.
        period_end = _time(item.get("current_period_end")) or _time(
            subscription.get("current_period_end")
        )
        return [
            envelope(
                kind=EventKind.SUBSCRIPTION_ENDED
                if ended
                else EventKind.SUBSCRIPTION_UPDATED,
                member_id=_member_id(metadata.get("member_id")),
                customer_id=_id(subscription.get("customer")),
                subscription_id=_id(subscription),
                price_id=price_id,
                # The checkout's tier while its price is unchanged: a change in
                # the portal leaves the metadata as it was.
                tier_slug=metadata.get("tier_slug", "")
                if metadata.get("price_id") == price_id
                else "",
                interval=_str(_dict(price.get("recurring")).get("interval")),
                state=SubscriptionState.ENDED if ended else state,
                current_period_end=period_end,
                # The portal cancels at the period's end, or at a chosen date.
                cancel_at_period_end=bool(
                    subscription.get("cancel_at_period_end")
                    or subscription.get("cancel_at")
                ),
                purpose=PaymentKind.MEMBERSHIP,
            )
        ]

    def _invoice(
        self, envelope: _Envelope, invoice: dict[str, Any], kind: EventKind
    ) -> list[BillingEvent]:
        # Since 2025-03-31 under parent.subscription_details; before, on top.
        details = _dict(_dict(invoice.get("parent")).get("subscription_details"))
        details = details or _dict(invoice.get("subscription_details"))
        subscription_id = _id(
            details.get("subscription") or invoice.get("subscription")
        )
        paid = kind == EventKind.PAYMENT_SUCCEEDED
        amount = _int(invoice.get("amount_paid" if paid else "amount_due"))
        if not subscription_id or not amount:
            # Sent by hand from the Dashboard, or nothing charged (a trial, a
            # full discount): not a payment Masthead records.
            return []
        metadata = _metadata(details)
        return [
            envelope(
                kind=kind,
                member_id=_member_id(metadata.get("member_id")),
                customer_id=_id(invoice.get("customer")),
                subscription_id=subscription_id,
                payment_id=_id(invoice),
                amount=amount,
                currency=_currency(invoice.get("currency")),
                purpose=metadata.get("purpose") or PaymentKind.MEMBERSHIP,
            )
        ]

    def _refund(
        self, envelope: _Envelope, charge: dict[str, Any]
    ) -> list[BillingEvent]:
        payment_intent = _id(charge.get("payment_intent"))
        payment_id = (
            _id(charge.get("invoice"))
            or self._invoice_paid_by(payment_intent)
            or payment_intent
            or _id(charge)
        )
        return [
            envelope(
                kind=EventKind.PAYMENT_REFUNDED,
                customer_id=_id(charge.get("customer")),
                payment_id=payment_id,
                amount=_int(charge.get("amount")),
                refunded_amount=_int(charge.get("amount_refunded")),
                currency=_currency(charge.get("currency")),
            )
        ]

    def _invoice_paid_by(self, payment_intent: str) -> str:
        """The invoice a PaymentIntent paid, or "" (a one-off payment)."""
        if not payment_intent or not self._key():
            return ""
        payment: InvoicePaymentListParamsPayment = {
            "type": "payment_intent",
            "payment_intent": payment_intent,
        }
        try:
            found = self._client().v1.invoice_payments.list(
                params={"payment": payment, "limit": 1}
            )
        except stripe.StripeError as error:
            msg = f"Stripe did not say which invoice {payment_intent} paid."
            raise StripeUnavailable(msg) from error
        return _id(found.data[0].invoice) if found.data else ""


# Reading Stripe's JSON: every field may be absent, null or expanded.


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _id(value: object) -> str:
    """An id, given as is or as an expanded object (``{"id": …}``)."""
    if isinstance(value, dict):
        return _str(value.get("id"))
    if isinstance(value, stripe.StripeObject):
        return _str(getattr(value, "id", ""))
    return _str(value)


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _time(value: object) -> datetime | None:
    seconds = _int(value)
    return datetime.fromtimestamp(seconds, UTC) if seconds > 0 else None


def _currency(value: object) -> str:
    return _str(value).upper()


def _metadata(obj: dict[str, Any]) -> dict[str, str]:
    return {
        key: value
        for key, value in _dict(obj.get("metadata")).items()
        if isinstance(value, str)
    }


def _member_id(value: object) -> int | None:
    text = _str(value)
    # Masthead's own ids, echoed back: digits, and few enough for the database.
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _answered_url(url: str | None) -> str:
    if not url:
        raise ProviderUnavailable("Stripe answered without a URL.")
    return url


def _unavailable(what: str, error: stripe.StripeError) -> ProviderUnavailable:
    # Logged for the operator: a wrong key or an unconfigured portal shows here.
    logger.error("Stripe %s not started: %s", what, error)
    return ProviderUnavailable(f"Stripe: {error}")
