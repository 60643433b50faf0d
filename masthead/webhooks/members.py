"""Member events (#16, #17): sign-ups, membership changes and erasures.

An integration that keeps members elsewhere (a CRM, a mailing tool) hears of
each change as it happens. The payload is what such a tool needs to find
the member: id, address, name, edition, status and, for a membership change,
the tier and statuses before and after. Members written in bulk by a CSV
import are not told one by one (``bulk_create`` sends no signal): the
import's own file is the record of those.
"""

from __future__ import annotations

from typing import Any

from masthead.members.models import Member

from .events import queue
from .models import Delivery, Event


def member_object(member: Member) -> dict[str, Any]:
    return {
        "id": member.pk,
        "email": member.email,
        "name": member.name,
        "status": member.status,
        "edition": member.language,
        "created_at": member.created_at.isoformat(),
    }


def member_added(member: Member) -> list[Delivery]:
    return queue(Event.MEMBER_ADDED, member_object(member))


def member_deleted(member: Member) -> list[Delivery]:
    """Told before the row goes: the receiver erases its own copy by id or address."""
    return queue(Event.MEMBER_DELETED, {"id": member.pk, "email": member.email})


def membership_changed(change: Any) -> list[Delivery]:
    """A ``memberships.MembershipChange`` row (an app above this one: not imported)."""
    member = Member.objects.filter(pk=change.member_id).first()
    if member is None:
        return []
    tier = change.tier
    return queue(
        Event.MEMBER_UPDATED,
        {
            **member_object(member),
            "membership": {
                "from_status": change.from_status or None,
                "to_status": change.to_status,
                "tier": tier.name if tier is not None else None,
                "paid": change.paid,
                "was_paid": change.was_paid,
                "at": change.at.isoformat(),
            },
        },
    )
