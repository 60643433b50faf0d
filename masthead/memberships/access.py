"""What a membership adds to the member's access pass (members/access.py, #17)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from masthead.members.models import Member

from .models import Membership, MembershipStatus


def paid_tiers(member: Member) -> tuple[set[int], datetime | None]:
    """The paid tier ``member`` reads as now, and when that access ends.

    A subscription ends with its paid period (a renewal moves it on), one
    owing a payment with its grace, a gift with its paid time. Gated
    articles open for the pass until then (content/visibility.py).
    """
    membership = Membership.objects.filter(member=member).select_related("tier").first()
    now = timezone.now()
    if (
        membership is None
        or membership.tier.is_free
        or not membership.gives_access(now)
    ):
        return set(), None
    if membership.status == MembershipStatus.PAST_DUE:
        return {membership.tier_id}, membership.grace_until
    return {membership.tier_id}, membership.current_period_end
