"""What newsletters add to members (members/registry.py): the account page's
section, and the newsletters offered on the sign-up form."""

from __future__ import annotations

from typing import Any

from masthead.members.models import Member
from masthead.members.registry import SignUpOffer

from . import services
from .models import Subscription, SubscriptionStatus

OFFER_PREFIX = "newsletter:"


def account_context(member: Member) -> dict[str, Any]:
    """The newsletters ``member`` receives, for ``account_section.html``."""
    receiving = (
        Subscription.objects.filter(member=member, status=SubscriptionStatus.ACTIVE)
        .select_related("newsletter")
        .order_by("newsletter__sort_order", "newsletter__name")
    )
    return {"receiving": [row.newsletter for row in receiving]}


def sign_up_offers(language: str) -> list[SignUpOffer]:
    """The edition's public newsletters, ticked when on for new members."""
    return [
        SignUpOffer(
            f"{OFFER_PREFIX}{newsletter.pk}", newsletter.name, newsletter.is_default_on
        )
        for newsletter in services.public_newsletters(language).order_by(
            "sort_order", "name"
        )
    ]


def accept_sign_up_offers(member: Member, keys: list[str], source: str) -> None:
    """Subscribe a new member to the newsletters they kept ticked.

    Their sign-up link proved the address, so each is active at once, with
    its consent recorded; only public newsletters of their edition count.
    """
    ids = [
        int(key.removeprefix(OFFER_PREFIX))
        for key in keys
        if key.startswith(OFFER_PREFIX) and key.removeprefix(OFFER_PREFIX).isdigit()
    ]
    chosen = services.public_newsletters(member.language).filter(pk__in=ids)
    for newsletter in chosen:
        services.subscribe(member, newsletter, source, confirmed=True)
