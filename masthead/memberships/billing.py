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

Here: finding and locking the member, and each kind of event. What an event
names is read by billing_lookup.py, a membership's states are
billing_state.py's, the payments ledger is billing_payments.py's, and every
change of a membership's status, tier or paid access is appended to its
history by billing_history.py (the audience dashboard's conversions and
churn).
"""

from __future__ import annotations

from enum import StrEnum

from django.db import IntegrityError, transaction

from masthead.members.models import Member

from . import gifts, tasks
from .billing_history import Snapshot, record_change
from .billing_lookup import (
    is_donation,
    is_same_subscription,
    is_stale,
    member_id_of,
    plan_of,
)
from .billing_payments import payment_kind, record_payment
from .billing_state import keeps_current, set_state
from .models import (
    Membership,
    MembershipStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    ProviderEvent,
)
from .providers.base import BillingEvent, EventKind, SubscriptionState


class Outcome(StrEnum):
    """What ``apply`` did with an event (kept in ``ProviderEvent.outcome``)."""

    APPLIED = "applied"
    # Seen before: nothing changed.
    DUPLICATE = "duplicate"
    # Older than the membership's state: recorded, state left alone.
    STALE = "stale"
    # About nothing Masthead keeps (no member, a donation's subscription).
    IGNORED = "ignored"


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

    The member as ``member_id_of`` finds them. The Member row is locked
    first, always, so one member's events run one at a time even where the
    rows they would create (a first membership, a payment) do not exist yet
    to be locked.
    """
    member_id = member_id_of(event)
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


# ---------------------------------------------------------------------------
# Memberships.


def _subscription_changed(
    event: BillingEvent, default_state: SubscriptionState | None = None
) -> Outcome:
    """A subscription created, changed or ended (or a membership checkout).

    ``default_state`` is the state of a subscription new to Masthead whose
    event names none (a completed checkout is a paid one).
    """
    if is_donation(event):
        return Outcome.IGNORED
    member, membership = _find(event)
    if member is None:
        return Outcome.IGNORED
    if is_stale(membership, event):
        return Outcome.STALE
    before = Snapshot.of(membership)
    ended = event.kind == EventKind.SUBSCRIPTION_ENDED
    plan = plan_of(event)
    if membership is not None and is_same_subscription(membership, event):
        if membership.status == MembershipStatus.CANCELED:
            # Case: an ended subscription is final; a late event cannot revive it.
            return Outcome.STALE
    elif plan is None:
        # Case: a subscription of no tier (e.g. a donation not yet known).
        return Outcome.IGNORED
    elif membership is not None and keeps_current(membership, event, ended):
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
        set_state(
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
        set_state(membership, state, event.occurred_at)
    if ended:
        membership.cancel_at_period_end = False
    membership.state_at = event.occurred_at
    membership.save()
    record_change(membership, before, event.occurred_at)
    return Outcome.APPLIED


# ---------------------------------------------------------------------------
# Payments.


def _payment(event: BillingEvent, status: PaymentStatus) -> Outcome:
    """A charge succeeded, failed or was refunded."""
    member, membership = _find(event)
    kind = payment_kind(event, membership)
    ours = kind == PaymentKind.MEMBERSHIP and is_same_subscription(membership, event)
    tier = membership.tier.name if ours and membership is not None else ""
    payment = record_payment(event, kind, status, member, tier)
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
    if is_stale(membership, event) or membership.status == MembershipStatus.CANCELED:
        # Case: the payment is kept; the membership's newer state stays.
        return Outcome.STALE
    before = Snapshot.of(membership)
    if status == PaymentStatus.FAILED:
        set_state(membership, SubscriptionState.PAST_DUE, event.occurred_at)
        membership.state_at = event.occurred_at
    elif status == PaymentStatus.PAID:
        if membership.status == MembershipStatus.PAST_DUE:
            # Case: a retry succeeded: the member is paid up again.
            set_state(membership, SubscriptionState.ACTIVE, event.occurred_at)
            membership.state_at = event.occurred_at
        end = event.current_period_end
        if end is not None and (
            membership.current_period_end is None or end > membership.current_period_end
        ):
            membership.current_period_end = end
    membership.save()
    record_change(membership, before, event.occurred_at)
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
        record_payment(event, PaymentKind.MEMBERSHIP, PaymentStatus.PAID, member, tier)
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
        record_payment(event, PaymentKind.DONATION, PaymentStatus.PAID, member)
    return Outcome.APPLIED if member is not None else Outcome.IGNORED


def _gift(event: BillingEvent) -> Outcome:
    """A gift paid for: record the payment, send the link."""
    member, _membership = _find(event)
    gift = gifts.for_checkout(event.reference, member, event.tier_slug, event.interval)
    description = gift.tier.name if gift is not None else event.tier_slug
    payment = None
    if event.payment_id and event.amount:
        payment = record_payment(
            event, PaymentKind.GIFT, PaymentStatus.PAID, member, description
        )
    if gift is None:
        return Outcome.IGNORED
    if gifts.mark_paid(gift, payment):
        gift_id = gift.pk
        transaction.on_commit(lambda: tasks.send_gift_link.enqueue(gift_id))
    return Outcome.APPLIED
