"""What a provider's event is about: its member, tier and subscription (#17).

Reads only, locking nothing: billing.py locks the member these find before
it changes anything, and billing_state.py decides what the event changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from masthead.members.models import Member

from .models import Interval, Membership, Payment, PaymentKind, Tier
from .providers.base import BillingEvent


def member_id_of(event: BillingEvent) -> int | None:
    """The id of the member an event is about, if Masthead knows them.

    By the subscription, then the member id echoed from the checkout, then
    the provider's customer, then an earlier payment of the subscription
    (a monthly donation's renewals).
    """
    sub, customer = event.subscription_id, event.customer_id
    mine = Membership.objects.filter(provider=event.provider)
    paid = Payment.objects.filter(provider=event.provider, member__isnull=False)
    member = Member.objects.filter(pk=event.member_id or 0)
    for asked, rows in (
        (sub, mine.filter(provider_subscription_id=sub).values_list("member_id")),
        (event.member_id, member.values_list("pk")),
        (customer, mine.filter(provider_customer_id=customer).values_list("member_id")),
        (sub, paid.filter(provider_subscription_id=sub).values_list("member_id")),
    ):
        if asked and (found := rows.first()) is not None:
            return found[0]
    return None


@dataclass(frozen=True)
class Plan:
    """A tier and the interval it is billed at, as an event names them."""

    tier: Tier
    interval: str


def plan_of(event: BillingEvent) -> Plan | None:
    """The tier (and interval) an event names: by price id, else by slug."""
    interval = event.interval if event.interval in Interval.values else ""
    if event.price_id:
        # A handful of tiers: read them rather than query inside JSON.
        for tier in Tier.objects.all():
            prices = tier.provider_prices.get(event.provider)
            if not isinstance(prices, dict):
                continue
            for price_interval, price_id in prices.items():
                if price_id == event.price_id:
                    return Plan(tier, interval or str(price_interval))
    if event.tier_slug:
        named = Tier.objects.filter(slug=event.tier_slug).first()
        if named is not None:
            return Plan(named, interval)
    return None


def is_donation(event: BillingEvent) -> bool:
    """Whether the event's subscription is a monthly donation, not a membership."""
    if event.purpose:
        return event.purpose == PaymentKind.DONATION
    return bool(
        event.subscription_id
        and Payment.objects.filter(
            provider=event.provider,
            provider_subscription_id=event.subscription_id,
            kind=PaymentKind.DONATION,
        ).exists()
    )


def is_same_subscription(membership: Membership | None, event: BillingEvent) -> bool:
    """Whether ``membership`` is the event's subscription."""
    return bool(
        membership is not None
        and membership.provider == event.provider
        and membership.provider_subscription_id == event.subscription_id
    )


def is_stale(membership: Membership | None, event: BillingEvent) -> bool:
    """Whether the event is older than the state ``membership`` is in."""
    return bool(
        membership is not None
        and membership.state_at is not None
        and event.occurred_at < membership.state_at
    )
