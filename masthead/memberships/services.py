"""Starting checkouts for readers, and reading a member's membership (#17).

The views ask for a checkout here; the provider answers with the URL of
its payment page, and tells Masthead what happened later, by webhook
(billing.py). Nothing here marks anything paid.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from masthead.members.models import Member

from . import gifts
from .models import Membership, Payment, PaymentKind, Tier
from .providers.base import Checkout, PaymentProvider


@dataclass(frozen=True)
class ReturnUrls:
    """Where the provider sends the reader back: paid, or gave up."""

    success: str
    cancel: str


def membership_of(member: Member) -> Membership | None:
    """The member's membership (any state), with its tier."""
    return Membership.objects.select_related("tier").filter(member=member).first()


def _customer_id(member: Member, provider: PaymentProvider) -> str:
    # The provider's customer of an earlier membership, else of the newest
    # payment (a donor who now joins): one customer per member, so the
    # provider's portal shows everything they pay for.
    membership = membership_of(member)
    if (
        membership is not None
        and membership.provider == provider.name
        and membership.provider_customer_id
    ):
        return membership.provider_customer_id
    paid_by = (
        Payment.objects.filter(member=member, provider=provider.name)
        .exclude(provider_customer_id="")
        .order_by("-created_at", "-pk")
        .values_list("provider_customer_id", flat=True)
        .first()
    )
    return paid_by or ""


def start_membership_checkout(
    member: Member,
    tier: Tier,
    interval: str,
    provider: PaymentProvider,
    urls: ReturnUrls,
) -> str:
    """The provider's payment page for ``tier``, billed every ``interval``.

    Raises:
        ProviderUnavailable: the provider could not start a checkout.
    """
    prices = tier.provider_prices.get(provider.name)
    price_id = prices.get(interval, "") if isinstance(prices, dict) else ""
    checkout = Checkout(
        member_id=member.pk,
        email=member.email,
        purpose=PaymentKind.MEMBERSHIP,
        success_url=urls.success,
        cancel_url=urls.cancel,
        tier_slug=tier.slug,
        interval=interval,
        price_id=str(price_id),
        amount=tier.price(interval) or 0,
        currency=tier.currency,
        customer_id=_customer_id(member, provider),
    )
    return provider.start_checkout(checkout)


def start_donation_checkout(
    member: Member,
    cents: int,
    recurring: bool,
    provider: PaymentProvider,
    urls: ReturnUrls,
) -> str:
    """The provider's payment page for a donation, once or every month."""
    checkout = Checkout(
        member_id=member.pk,
        email=member.email,
        purpose=PaymentKind.DONATION,
        success_url=urls.success,
        cancel_url=urls.cancel,
        amount=cents,
        currency=settings.MASTHEAD_CURRENCY,
        recurring=recurring,
        interval="month" if recurring else "",
        customer_id=_customer_id(member, provider),
    )
    return provider.start_checkout(checkout)


def start_gift_checkout(
    member: Member,
    tier: Tier,
    interval: str,
    recipient_email: str,
    language: str,
    provider: PaymentProvider,
    urls: ReturnUrls,
) -> str:
    """A gift waiting for its payment, and the provider's payment page for it.

    The gift is a one-off payment of the tier's price for ``interval``.
    """
    gift = gifts.start(member, tier, interval, recipient_email, language)
    checkout = Checkout(
        member_id=member.pk,
        email=member.email,
        purpose=PaymentKind.GIFT,
        success_url=urls.success,
        cancel_url=urls.cancel,
        tier_slug=tier.slug,
        interval=interval,
        amount=tier.price(interval) or 0,
        currency=tier.currency,
        customer_id=_customer_id(member, provider),
        reference=str(gift.pk),
    )
    return provider.start_checkout(checkout)
