"""Applying the providers' events to memberships, payments and gifts (#17).

Every provider reports through ``BillingEvent`` values (providers/base.py),
and ``apply`` is the one place they change anything. Two guarantees, both
because providers deliver webhooks at least once and in no fixed order:

- Idempotent: each event is kept once as a ``ProviderEvent`` in the same
  transaction as its effects; the same event again is a "duplicate" and
  changes nothing.
- Order-proof: a membership remembers the provider's time of the event that
  last set its state (``state_at``); an older event arriving later is
  "stale" and leaves the state alone. An ended subscription stays ended
  (providers never revive one; a new one has a new id). Payments only move
  forward: failed, paid, partly refunded, refunded.

A monthly donation is a subscription too (its price made up at checkout,
no tier): its events never touch the member's membership.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import IntegrityError, transaction

from masthead.members.models import Member, email_digest

from . import gifts, tasks
from .models import (
    Interval,
    Membership,
    MembershipStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    ProviderEvent,
    Tier,
)
from .providers.base import BillingEvent, EventKind, SubscriptionState

logger = logging.getLogger("masthead.memberships")


class Outcome(StrEnum):
    """What ``apply`` did with an event (kept in ``ProviderEvent.outcome``)."""

    APPLIED = "applied"
    # Seen before: nothing changed.
    DUPLICATE = "duplicate"
    # Older than the membership's state: recorded, state left alone.
    STALE = "stale"
    # About nothing Masthead keeps (no member, a donation's subscription).
    IGNORED = "ignored"


# Payments move only forward through these (a late "failed" never undoes a
# "paid", a late "paid" never undoes a refund).
_PAYMENT_RANK = {
    PaymentStatus.FAILED: 0,
    PaymentStatus.PAID: 1,
    PaymentStatus.PARTLY_REFUNDED: 2,
    PaymentStatus.REFUNDED: 3,
}


def apply(event: BillingEvent) -> Outcome:
    """Apply one provider event, once, in one transaction.

    Receipts and gift links are e-mailed after the transaction commits.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = ProviderEvent.objects.create(
                    provider=event.provider,
                    event_id=event.event_id,
                    kind=str(event.kind),
                    occurred_at=event.occurred_at,
                )
        except IntegrityError:
            # Case: a retry or a replay (or the same event, concurrently).
            return Outcome.DUPLICATE
        outcome = _apply(event)
        record.outcome = outcome
        record.save(update_fields=["outcome"])
    return outcome


def _apply(event: BillingEvent) -> Outcome:
    match event.kind:
        case EventKind.CHECKOUT_COMPLETED:
            return _checkout_completed(event)
        case EventKind.SUBSCRIPTION_UPDATED:
            return _subscription_changed(event)
        case EventKind.SUBSCRIPTION_ENDED:
            return _subscription_changed(event)
        case EventKind.PAYMENT_SUCCEEDED:
            return _payment(event, PaymentStatus.PAID)
        case EventKind.PAYMENT_FAILED:
            return _payment(event, PaymentStatus.FAILED)
        case EventKind.PAYMENT_REFUNDED:
            return _payment(event, PaymentStatus.REFUNDED)
    return Outcome.IGNORED


# ---------------------------------------------------------------------------
# Finding what an event is about.


def _find(event: BillingEvent) -> tuple[Member | None, Membership | None]:
    """The member an event is about (locked), and their membership (locked).

    By the subscription, then the member id echoed from the checkout, then
    the provider's customer, then an earlier payment of the subscription
    (a monthly donation's renewals). The Member row is locked first, always,
    so one member's events run one at a time even where the rows they would
    create (a first membership, a payment) do not exist yet to be locked.
    """
    member_id = _member_id(event)
    if member_id is None:
        return None, None
    member = _lock_member(member_id)
    if member is None:
        return None, None
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("tier")
        .filter(member=member)
        .first()
    )
    return member, membership


def _lock_member(member_id: int) -> Member | None:
    return Member.objects.select_for_update().filter(pk=member_id).first()


def _member_id(event: BillingEvent) -> int | None:
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
class _Plan:
    tier: Tier
    interval: str


def _plan(event: BillingEvent) -> _Plan | None:
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
                    return _Plan(tier, interval or str(price_interval))
    if event.tier_slug:
        named = Tier.objects.filter(slug=event.tier_slug).first()
        if named is not None:
            return _Plan(named, interval)
    return None


def _is_donation(event: BillingEvent) -> bool:
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


def _is_same(membership: Membership | None, event: BillingEvent) -> bool:
    """Whether ``membership`` is the event's subscription."""
    return bool(
        membership is not None
        and membership.provider == event.provider
        and membership.provider_subscription_id == event.subscription_id
    )


def _is_stale(membership: Membership | None, event: BillingEvent) -> bool:
    return bool(
        membership is not None
        and membership.state_at is not None
        and event.occurred_at < membership.state_at
    )


# ---------------------------------------------------------------------------
# Memberships.


def _keeps_current(membership: Membership, event: BillingEvent, ended: bool) -> bool:
    """Whether ``membership`` stays rather than become the event's subscription."""
    if ended and membership.gives_access():
        return True
    if not (
        membership.provider == event.provider
        and membership.provider_subscription_id
        and membership.status != MembershipStatus.CANCELED
    ):
        return False
    current, other = membership.current_period_end, event.current_period_end
    keep = ended or other is None or (current is not None and current >= other)
    logger.warning(
        "Member %s has two live subscriptions, %s and %s: keeping %s.",
        membership.member_id,
        membership.provider_subscription_id,
        event.subscription_id,
        membership.provider_subscription_id if keep else event.subscription_id,
    )
    return keep


def _set_state(membership: Membership, state: SubscriptionState, at: datetime) -> None:
    if state == SubscriptionState.ACTIVE:
        membership.status = MembershipStatus.ACTIVE
        membership.grace_until = None
    elif state == SubscriptionState.PAST_DUE:
        # The grace runs from the first failure, not from each retry's.
        if not (
            membership.status == MembershipStatus.PAST_DUE and membership.grace_until
        ):
            days = settings.MASTHEAD_PAYMENT_GRACE_DAYS
            membership.grace_until = at + timedelta(days=days)
        membership.status = MembershipStatus.PAST_DUE
    elif state == SubscriptionState.SUSPENDED:
        # Payment due with its grace over: no access, yet not final, so a
        # later payment (or "active") restores it.
        if membership.grace_until is None or membership.grace_until > at:
            membership.grace_until = at
        membership.status = MembershipStatus.PAST_DUE
    else:
        membership.status = MembershipStatus.CANCELED
        membership.grace_until = None


def _subscription_changed(
    event: BillingEvent, default_state: SubscriptionState | None = None
) -> Outcome:
    """A subscription created, changed or ended (or a membership checkout).

    ``default_state`` is the state of a subscription new to Masthead whose
    event names none (a completed checkout is a paid one).
    """
    if _is_donation(event):
        return Outcome.IGNORED
    member, membership = _find(event)
    if member is None:
        return Outcome.IGNORED
    if _is_stale(membership, event):
        return Outcome.STALE
    ended = event.kind == EventKind.SUBSCRIPTION_ENDED
    plan = _plan(event)
    if membership is not None and _is_same(membership, event):
        if membership.status == MembershipStatus.CANCELED:
            # Case: an ended subscription is final; a late event cannot revive it.
            return Outcome.STALE
    elif plan is None:
        # Case: a subscription of no tier (e.g. a donation not yet known).
        return Outcome.IGNORED
    elif membership is not None and _keeps_current(membership, event, ended):
        # Case: another subscription while the member's is live (an old one
        # ending, or a second checkout): the one paid up longest stays.
        return Outcome.IGNORED
    else:
        # Case: a subscription new to Masthead (its end may come first, out
        # of order): it takes the member's membership over.
        if membership is None:
            membership = Membership(member=member, tier=plan.tier)
        membership.provider = event.provider
        membership.provider_subscription_id = event.subscription_id
        membership.current_period_end = None
        membership.cancel_at_period_end = False
        membership.grace_until = None
        _set_state(
            membership, default_state or SubscriptionState.ACTIVE, event.occurred_at
        )
    if plan is not None:
        membership.tier = plan.tier
        membership.interval = plan.interval or membership.interval
    if event.customer_id:
        membership.provider_customer_id = event.customer_id
    if event.current_period_end is not None:
        membership.current_period_end = event.current_period_end
    if event.kind == EventKind.SUBSCRIPTION_UPDATED:
        membership.cancel_at_period_end = event.cancel_at_period_end
    state = SubscriptionState.ENDED if ended else event.state
    if state is not None:
        _set_state(membership, state, event.occurred_at)
    if ended:
        membership.cancel_at_period_end = False
    membership.state_at = event.occurred_at
    membership.save()
    return Outcome.APPLIED


# ---------------------------------------------------------------------------
# Payments.


def _payment_kind(event: BillingEvent, membership: Membership | None) -> str:
    if event.purpose in PaymentKind.values:
        return event.purpose
    existing = Payment.objects.filter(
        provider=event.provider, provider_payment_id=event.payment_id
    ).first()
    if existing is not None:
        return existing.kind
    if _is_donation(event) and not _is_same(membership, event):
        return PaymentKind.DONATION
    return PaymentKind.MEMBERSHIP


def _record_payment(
    event: BillingEvent,
    kind: str,
    status: PaymentStatus,
    member: Member | None,
    description: str = "",
) -> Payment | None:
    """Create or move forward the payment the event reports (one row per id)."""
    if not event.payment_id:
        return None
    payment, created = _payment_row(event, kind, status)
    if not created and event.kind == EventKind.CHECKOUT_COMPLETED:
        # The checkout says what a renewal seen before it was for.
        payment.kind = kind
    if _PAYMENT_RANK[status] > _PAYMENT_RANK[PaymentStatus(payment.status)]:
        payment.status = status
    if status == PaymentStatus.REFUNDED:
        refunded = event.refunded_amount or event.amount or payment.amount
        payment.refunded_amount = max(payment.refunded_amount, refunded)
        payment.status = (
            PaymentStatus.REFUNDED
            if payment.refunded_amount >= payment.amount
            else PaymentStatus.PARTLY_REFUNDED
        )
    if not payment.amount and event.amount:
        payment.amount = event.amount
    if event.subscription_id and not payment.provider_subscription_id:
        payment.provider_subscription_id = event.subscription_id
    if member is not None and payment.member_id is None:
        payment.member = member
        payment.email_digest = email_digest(member.email)
    if description and not payment.description:
        payment.description = description[:255]
    payment.save()
    if payment.member_id is not None and (
        (payment.status != PaymentStatus.FAILED and payment.receipt_sent_at is None)
        or payment.refunded_amount > payment.refund_receipt_amount
    ):
        payment_id = payment.pk
        transaction.on_commit(lambda: tasks.send_receipt.enqueue(payment_id))
    return payment


def _payment_row(
    event: BillingEvent, kind: str, status: PaymentStatus
) -> tuple[Payment, bool]:
    """The event's payment, locked, created if new (and whether it was)."""
    payments = Payment.objects.select_for_update().filter(
        provider=event.provider, provider_payment_id=event.payment_id
    )
    payment = payments.first()
    if payment is not None:
        return payment, False
    try:
        with transaction.atomic():
            return Payment.objects.create(
                provider=event.provider,
                provider_payment_id=event.payment_id,
                kind=kind,
                status=status,
                amount=event.amount or event.refunded_amount,
                currency=(event.currency or settings.MASTHEAD_CURRENCY).upper(),
                created_at=event.occurred_at,
            ), True
    except IntegrityError:
        # Case: a concurrent delivery (a refund may have no member to lock)
        # inserted it first: move that one forward.
        return payments.get(), False


def _payment(event: BillingEvent, status: PaymentStatus) -> Outcome:
    """A charge succeeded, failed or was refunded."""
    member, membership = _find(event)
    kind = _payment_kind(event, membership)
    ours = kind == PaymentKind.MEMBERSHIP and _is_same(membership, event)
    tier = membership.tier.name if ours and membership is not None else ""
    payment = _record_payment(event, kind, status, member, tier)
    if payment is None and not ours:
        return Outcome.IGNORED
    if (
        kind == PaymentKind.GIFT
        and payment is not None
        and payment.status == PaymentStatus.REFUNDED
    ):
        # Case: a gift refunded in full before it was redeemed is void.
        gifts.void(payment)
    if (
        not ours
        or membership is None
        or not event.subscription_id
        or status == PaymentStatus.REFUNDED
    ):
        # Case: a refund leaves the membership be; the provider says if it ends.
        return Outcome.APPLIED
    if _is_stale(membership, event) or membership.status == MembershipStatus.CANCELED:
        # Case: the payment is kept; the membership's newer state stays.
        return Outcome.STALE
    if status == PaymentStatus.FAILED:
        _set_state(membership, SubscriptionState.PAST_DUE, event.occurred_at)
        membership.state_at = event.occurred_at
    elif status == PaymentStatus.PAID:
        if membership.status == MembershipStatus.PAST_DUE:
            # Case: a retry succeeded: the member is paid up again.
            _set_state(membership, SubscriptionState.ACTIVE, event.occurred_at)
            membership.state_at = event.occurred_at
        end = event.current_period_end
        if end is not None and (
            membership.current_period_end is None or end > membership.current_period_end
        ):
            membership.current_period_end = end
    membership.save()
    return Outcome.APPLIED


# ---------------------------------------------------------------------------
# Checkouts: memberships, donations, gifts.


def _checkout_completed(event: BillingEvent) -> Outcome:
    purpose = event.purpose or PaymentKind.MEMBERSHIP
    if purpose == PaymentKind.DONATION:
        return _donation(event)
    if purpose == PaymentKind.GIFT:
        return _gift(event)
    outcome = _subscription_changed(event, default_state=SubscriptionState.ACTIVE)
    if event.payment_id and event.amount:
        member, membership = _find(event)
        tier = membership.tier.name if membership is not None else ""
        _record_payment(event, PaymentKind.MEMBERSHIP, PaymentStatus.PAID, member, tier)
    return outcome


def _donation(event: BillingEvent) -> Outcome:
    """A one-off donation paid, or a monthly one started."""
    member, _membership = _find(event)
    if event.subscription_id:
        # Renewals seen before this checkout were taken for a membership's.
        Payment.objects.filter(
            provider=event.provider, provider_subscription_id=event.subscription_id
        ).update(kind=PaymentKind.DONATION)
    if event.payment_id and event.amount:
        _record_payment(event, PaymentKind.DONATION, PaymentStatus.PAID, member)
    return Outcome.APPLIED if member is not None else Outcome.IGNORED


def _gift(event: BillingEvent) -> Outcome:
    """A gift paid for: record the payment, send the link."""
    member, _membership = _find(event)
    gift = gifts.for_checkout(event.reference, member, event.tier_slug, event.interval)
    description = gift.tier.name if gift is not None else event.tier_slug
    payment = None
    if event.payment_id and event.amount:
        payment = _record_payment(
            event, PaymentKind.GIFT, PaymentStatus.PAID, member, description
        )
    if gift is None:
        return Outcome.IGNORED
    if gifts.mark_paid(gift, payment):
        gift_id = gift.pk
        transaction.on_commit(lambda: tasks.send_gift_link.enqueue(gift_id))
    return Outcome.APPLIED
