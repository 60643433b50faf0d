"""What Masthead asks of a payment provider, and what it hears back (#17).

A provider sends readers to pay on its own pages (``start_checkout``), lets
them change or cancel there (``portal_url``), and reports what happened by
signed webhooks, which ``read_webhook`` verifies and turns into
``BillingEvent`` values: plain data in Masthead's words, the same for every
provider. memberships/billing.py applies them. No card data ever passes
through Masthead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from django.http import HttpRequest


class EventKind(StrEnum):
    """What a provider's event means for Masthead."""

    # A checkout finished: the membership (or donation, gift) is paid for.
    CHECKOUT_COMPLETED = "checkout.completed"
    # A subscription was created or changed (tier, interval, status, period).
    SUBSCRIPTION_UPDATED = "subscription.updated"
    # A subscription ended (cancelled, or unpaid past the provider's retries).
    SUBSCRIPTION_ENDED = "subscription.ended"
    PAYMENT_SUCCEEDED = "payment.succeeded"
    PAYMENT_FAILED = "payment.failed"
    PAYMENT_REFUNDED = "payment.refunded"


class SubscriptionState(StrEnum):
    """A provider's subscription status, reduced to what access depends on."""

    ACTIVE = "active"  # paid up (Stripe: active, trialing)
    PAST_DUE = "past_due"  # a renewal failed, retries going on
    # No access now, but not over: a later payment brings the subscription
    # back (Stripe: unpaid, paused).
    SUSPENDED = "suspended"
    ENDED = "ended"  # canceled, incomplete_expired; final


@dataclass(frozen=True)
class BillingEvent:
    """One provider event, in Masthead's words.

    Fields a kind does not use are left empty. ``member_id`` comes from the
    checkout Masthead started (the provider echoes it back); later events
    find the member by ``customer_id`` or ``subscription_id``.
    """

    provider: str
    event_id: str
    kind: EventKind
    occurred_at: datetime
    member_id: int | None = None
    customer_id: str = ""
    subscription_id: str = ""
    # Subscriptions: the tier (by the provider's price id or Masthead's slug).
    price_id: str = ""
    tier_slug: str = ""
    interval: str = ""
    state: SubscriptionState | None = None
    current_period_end: datetime | None = None
    cancel_at_period_end: bool = False
    # Payments: the charge and its amounts, in the currency's smallest unit.
    payment_id: str = ""
    amount: int = 0
    refunded_amount: int = 0
    currency: str = ""
    # Checkouts: "membership", "donation" or "gift" (PaymentKind). Payments
    # and subscriptions carry it too when the provider echoes the checkout's
    # (Stripe: the subscription's metadata), so a monthly donation's
    # renewals are told from a membership's.
    purpose: str = ""
    # The checkout's ``reference``, echoed back (a gift's id, gifts.py).
    reference: str = ""


@dataclass(frozen=True)
class Checkout:
    """What a reader asked to pay for."""

    member_id: int
    email: str
    purpose: str  # PaymentKind
    success_url: str
    cancel_url: str
    tier_slug: str = ""
    interval: str = ""
    price_id: str = ""
    # Donations: the amount chosen, in cents, and whether it recurs monthly.
    amount: int = 0
    currency: str = ""
    recurring: bool = False
    customer_id: str = ""
    # Masthead's own id for what is bought (a gift's), echoed back in the
    # checkout's ``BillingEvent.reference`` (Stripe: client_reference_id).
    reference: str = ""


class WebhookRefused(Exception):
    """The webhook's signature or body is not valid: answer 400, change nothing."""


class ProviderUnavailable(Exception):
    """The provider could not be reached or refused a checkout: try again later."""


class PaymentProvider(Protocol):
    """A payment provider (providers/stripe.py, providers/demo.py)."""

    name: str
    # Shown to readers; the demo provider says it takes no money.
    label: str

    def start_checkout(self, checkout: Checkout) -> str:
        """Create the provider's checkout; return the URL to send the reader to."""
        ...

    def portal_url(self, customer_id: str, return_url: str) -> str:
        """The provider's page where a member changes or cancels their plan."""
        ...

    def read_webhook(self, request: HttpRequest) -> list[BillingEvent]:
        """Verify a webhook request and translate it; raise ``WebhookRefused``."""
        ...

    def cancel_subscription(self, subscription_id: str) -> None:
        """End a subscription now (its member is erased); raise
        ``ProviderUnavailable`` when the provider refuses or is unreachable."""
        ...
