"""What memberships add to members (members/registry.py): the account page's
section and the part of "download my data" (#17)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.members.models import Member

from .models import (
    GIFT_PROVIDER,
    Gift,
    Membership,
    MembershipStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from .money import format_money
from .providers import get_provider
from .providers.base import ProviderUnavailable

logger = logging.getLogger("masthead.memberships")

# The account page shows the newest payments; the data download has them all.
HISTORY_LIMIT = 50
# A gift, and a membership with no provider, has nothing to manage at a provider.
UNMANAGED_PROVIDERS = ("", GIFT_PROVIDER)


def _membership(member: Member) -> Membership | None:
    return Membership.objects.select_related("tier").filter(member=member).first()


def is_over(membership: Membership) -> bool:
    """Ended: cancelled, or a gift whose time ran out (no provider says so)."""
    if membership.status == MembershipStatus.CANCELED:
        return True
    return membership.provider == GIFT_PROVIDER and not membership.gives_access()


def status_text(membership: Membership) -> str:
    """The membership's state in words, as the member reads it."""
    if is_over(membership):
        # Case: cancelled and its paid time is over (or ended by the provider).
        return _("Ended")
    if membership.status == MembershipStatus.PAST_DUE:
        # Case: a renewal failed; the provider retries during the grace period.
        return _("Payment due")
    if membership.cancel_at_period_end:
        # Case: cancelled, still paid for until the period ends.
        return _("Active, not renewing")
    return _("Active")


@dataclass(frozen=True)
class Portal:
    """Whose page at which provider "Manage" opens (views.manage)."""

    provider: str
    customer_id: str
    # Only a monthly donation to manage there, no membership: the button
    # says so.
    is_donation: bool


def portal_of(member: Member, membership: Membership | None) -> Portal | None:
    """The provider's portal the member may open, if any.

    The membership's customer while the membership runs at a provider; else
    the customer paying a monthly donation, with or without a membership.
    Providers do not report a donation's subscription ending (billing.py
    ignores its events), so any monthly donation counts: its portal still
    shows the invoices.

    Args:
        membership: the member's, as read (None: they have none).
    """
    if (
        membership is not None
        and membership.provider not in UNMANAGED_PROVIDERS
        and membership.provider_customer_id
        and not is_over(membership)
    ):
        # Case: a membership that renews (or owes a payment) at its provider.
        return Portal(membership.provider, membership.provider_customer_id, False)
    donations = (
        Payment.objects.filter(member=member, kind=PaymentKind.DONATION)
        .exclude(provider_subscription_id="")
        .exclude(provider__in=UNMANAGED_PROVIDERS)
        .order_by("-created_at", "-pk")
    )
    paid_by = (
        donations.exclude(provider_customer_id="")
        .values_list("provider", "provider_customer_id")
        .first()
    )
    if paid_by is not None:
        # Case: a monthly donation whose payments name their customer.
        return Portal(paid_by[0], paid_by[1], True)
    if (
        membership is not None
        and membership.provider not in UNMANAGED_PROVIDERS
        and membership.provider_customer_id
        and donations.filter(provider=membership.provider).exists()
    ):
        # Case: donations recorded before payments kept their customer: the
        # ended membership's, the same one (a checkout reuses it).
        return Portal(membership.provider, membership.provider_customer_id, True)
    return None


def _amount(payment: Payment) -> str:
    amount = format_money(payment.amount, payment.currency)
    if payment.refunded_amount and payment.status == PaymentStatus.PARTLY_REFUNDED:
        refunded = format_money(payment.refunded_amount, payment.currency)
        return _("%(amount)s (%(refunded)s refunded)") % {
            "amount": amount,
            "refunded": refunded,
        }
    return amount


def payment_rows(member: Member, limit: int | None = HISTORY_LIMIT) -> list[Payment]:
    """The member's payments, newest first (``limit`` of them, or all)."""
    payments = Payment.objects.filter(member=member).order_by("-created_at", "-pk")
    return list(payments[:limit] if limit else payments)


def account_context(member: Member) -> dict[str, Any]:
    """The member's membership and payments, for ``account_section.html``."""
    membership = _membership(member)
    context: dict[str, Any] = {"membership": membership}
    if membership is not None:
        context.update(
            {
                "tier_name": membership.tier.name,
                "status_text": status_text(membership),
                "is_active": not is_over(membership),
                "is_past_due": membership.status == MembershipStatus.PAST_DUE,
                "in_grace": bool(
                    membership.grace_until and membership.grace_until > timezone.now()
                ),
                "is_gift": membership.provider == GIFT_PROVIDER,
            }
        )
    # What views.manage opens the provider's portal for: the membership, or
    # a monthly donation (with or without a membership).
    portal = portal_of(member, membership)
    context["can_manage"] = portal is not None
    context["manages_donation"] = portal is not None and portal.is_donation
    context["payments"] = [
        {
            "created_at": payment.created_at,
            "what": payment.description or payment.get_kind_display(),
            "amount": _amount(payment),
            "status": payment.get_status_display(),
        }
        for payment in payment_rows(member)
    ]
    return context


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def export_data(member: Member) -> dict[str, Any]:
    """The member's membership, every payment and the gifts they bought, as
    plain JSON-ready data."""
    membership = _membership(member)
    return {
        "membership": (
            {
                "tier": membership.tier.name,
                "tier_slug": membership.tier.slug,
                "status": membership.status,
                "interval": membership.interval,
                "provider": membership.provider,
                "since": _iso(membership.created_at),
                "current_period_end": _iso(membership.current_period_end),
                "cancel_at_period_end": membership.cancel_at_period_end,
                "grace_until": _iso(membership.grace_until),
            }
            if membership is not None
            else None
        ),
        "payments": [
            {
                "date": _iso(payment.created_at),
                "kind": payment.kind,
                "description": payment.description,
                "status": payment.status,
                "amount": payment.amount,
                "refunded_amount": payment.refunded_amount,
                "currency": payment.currency,
                "provider": payment.provider,
            }
            for payment in payment_rows(member, limit=None)
        ],
        "gifts_bought": [
            {
                "tier": gift.tier.name,
                "length": gift.interval,
                "for": gift.recipient_email,
                "status": gift.status,
                "bought": _iso(gift.created_at),
                "redeemed": _iso(gift.redeemed_at),
            }
            for gift in Gift.objects.filter(buyer=member).select_related("tier")
        ],
    }


def cancel_subscriptions(member: Member) -> None:
    """Erasure: end the member's live subscriptions at their provider once
    the deletion commits, so nothing is charged after the account is gone.

    Best effort: a failure is logged with the subscription's id (never the
    address) and the erasure goes on; the operator cancels by hand.
    """
    live: set[tuple[str, str]] = set()
    membership = _membership(member)
    if (
        membership is not None
        and membership.provider not in UNMANAGED_PROVIDERS
        and membership.provider_subscription_id
        and membership.status != MembershipStatus.CANCELED
    ):
        live.add((membership.provider, membership.provider_subscription_id))
    donations = (
        Payment.objects.filter(member=member, kind=PaymentKind.DONATION)
        .exclude(provider_subscription_id="")
        .values_list("provider", "provider_subscription_id")
    )
    live.update(donations)
    for provider_name, subscription_id in sorted(live):
        transaction.on_commit(partial(_cancel, provider_name, subscription_id))


def _cancel(provider_name: str, subscription_id: str) -> None:
    provider = get_provider(provider_name)
    try:
        if provider is None:
            raise ProviderUnavailable(f"{provider_name} is not enabled")
        provider.cancel_subscription(subscription_id)
    except ProviderUnavailable as error:
        logger.error(
            "Erasure: subscription %s not cancelled at %s: %s",
            subscription_id,
            provider_name,
            error,
        )
