"""The history of memberships: a ``MembershipChange`` per real change (#17).

``Membership`` is one row per member with its state now; the audience
dashboard's conversions and churn need its past. billing.py takes a
``Snapshot`` of the membership before an event moves it and calls
``record_change`` after: one row when the status, the tier or paid access
changed, none when the event changed none of them (a replay, a renewal, a
late event found stale), so replays and retries never count twice.

Paid access (``gives_paid_access``) is a paid tier whose subscription gives
access at the time of the change: active, or owing a payment within its
grace. A gift is not counted: it ends by the clock, with no event to record
its end, and its buyer's payment is in the payments. A renewal that fails
after the grace is over, or a subscription the provider suspends or ends,
is the change out of paid access, at the provider's time of that event.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from masthead.members.models import Member

from .models import GIFT_PROVIDER, Membership, MembershipChange, MembershipStatus


def gives_paid_access(membership: Membership, at: datetime) -> bool:
    """Whether ``membership`` reads as a paying member's at ``at``."""
    return bool(
        membership.provider != GIFT_PROVIDER
        and not membership.tier.is_free
        and membership.gives_access(at)
    )


@dataclass(frozen=True)
class Snapshot:
    """What the history remembers of a membership: status, tier, paid access."""

    status: str
    tier_id: int | None
    paid: bool

    @classmethod
    def of(cls, membership: Membership | None) -> Snapshot | None:
        """``membership`` as it stands, before an event changes it.

        Paid access is read at the time of the event that set this state,
        as the row recording it was: a grace that ran out since is the next
        event's change.
        """
        if membership is None or membership.pk is None:
            return None
        at = membership.state_at or membership.created_at
        return cls(
            status=membership.status,
            tier_id=membership.tier_id,
            paid=gives_paid_access(membership, at),
        )


def record_change(
    membership: Membership, before: Snapshot | None, at: datetime
) -> MembershipChange | None:
    """Append the change from ``before`` to ``membership`` as saved, if any.

    Args:
        membership: the membership, saved in its new state.
        before: its ``Snapshot`` before the event; None for a new one.
        at: the provider's time of the event.

    Returns:
        The new row, or None when nothing the history keeps changed.
    """
    paid = gives_paid_access(membership, at)
    after = Snapshot(membership.status, membership.tier_id, paid)
    if after == before:
        return None
    return MembershipChange.objects.create(
        member_id=membership.member_id,
        from_status=before.status if before else "",
        to_status=after.status,
        from_tier_id=before.tier_id if before else None,
        tier_id=after.tier_id,
        was_paid=before.paid if before else False,
        paid=after.paid,
        at=at,
    )


def record_erasure(member: Member) -> MembershipChange | None:
    """Before ``member`` is erased: close their paid access in the history.

    Erasure deletes the membership and its subscription is cancelled at the
    provider, whose "ended" event then finds no member. Without this row
    the member would stay counted as paying. The row names no member.
    """
    membership = Membership.objects.select_related("tier").filter(member=member).first()
    before = Snapshot.of(membership)
    if membership is None or before is None or not before.paid:
        return None
    return MembershipChange.objects.create(
        member=None,
        from_status=before.status,
        to_status=MembershipStatus.CANCELED,
        from_tier_id=before.tier_id,
        tier_id=before.tier_id,
        was_paid=True,
        paid=False,
        at=timezone.now(),
    )
