"""A membership's state as its provider's events move it (#17).

The rules billing.py applies once it has found and locked the membership:
which subscription a member keeps when there are two, and what each of the
provider's subscription states means for access.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings

from .models import Membership, MembershipStatus
from .providers.base import BillingEvent, SubscriptionState

logger = logging.getLogger("masthead.memberships")


def keeps_current(membership: Membership, event: BillingEvent, ended: bool) -> bool:
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


def set_state(membership: Membership, state: SubscriptionState, at: datetime) -> None:
    """Put ``membership`` in the provider's ``state``, reported at ``at``."""
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
