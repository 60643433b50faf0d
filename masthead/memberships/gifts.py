"""Gift memberships: bought by one reader, redeemed once by another (#17).

The buyer picks a tier, one month or one year, and the recipient's address;
a ``Gift`` waits for the provider's checkout. When billing.py hears it was
paid, the link is e-mailed (tasks.py) to the recipient, or to the buyer to
pass on. The link carries the gift's id and an HMAC of it keyed by
``SECRET_KEY`` (like the newsletters' links): nothing secret is stored, and
redeeming is once because the gift's status says so. Redeeming needs a
signed-in member and a POST: mail scanners open links, and must not spend
the gift.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from masthead.members.models import Member, normalise_email

from .models import (
    GIFT_PROVIDER,
    Gift,
    GiftStatus,
    Membership,
    MembershipStatus,
    Payment,
    Tier,
    add_interval,
)

# A key salt (salted_hmac), not a secret: the secret is SECRET_KEY.
_SALT = "masthead.memberships.gift"
_SIGNATURE_LENGTH = 32


class RedeemProblem(StrEnum):
    """Why a gift link cannot be redeemed."""

    # Forged, unpaid or refunded: the page answers 404.
    NOT_FOUND = "not-found"
    # Redeemed already (by anyone): 410.
    USED = "used"
    # The member pays for a membership already: the link stays unused, to
    # pass on.
    ALREADY_MEMBER = "already-member"


def _sign(value: str) -> str:
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:_SIGNATURE_LENGTH]


def _is_id(value: str) -> bool:
    """Whether ``value`` is a row id: ASCII digits only (``"²".isdigit()``)."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def redeem_token(gift_id: int) -> str:
    """``<gift>-<signature>``: the token of the gift's redeem link."""
    return f"{gift_id}-{_sign(str(gift_id))}"


def read_redeem_token(token: str) -> int | None:
    """The gift id of a valid token, else None."""
    parts = token.split("-")
    if len(parts) != 2 or not _is_id(parts[0]):
        return None
    # constant_time_compare, not hmac.compare_digest: that raises TypeError
    # on a non-ASCII str, and the token comes from the URL.
    if not constant_time_compare(parts[1], _sign(parts[0])):
        return None
    return int(parts[0])


def start(
    buyer: Member, tier: Tier, interval: str, recipient_email: str, language: str
) -> Gift:
    """A gift waiting for its payment (the checkout's ``reference`` is its id)."""
    return Gift.objects.create(
        buyer=buyer,
        tier=tier,
        interval=interval,
        recipient_email=recipient_email.strip().lower(),
        language=language,
    )


def for_checkout(
    reference: str, buyer: Member | None, tier_slug: str, interval: str
) -> Gift | None:
    """The gift a completed checkout paid for, locked.

    By the checkout's reference; failing that (a provider that did not echo
    it), the buyer's newest unpaid gift of that tier and length.
    """
    gifts = Gift.objects.select_for_update(of=("self",)).select_related("tier")
    if _is_id(reference):
        found = gifts.filter(pk=int(reference)).first()
        if found is not None:
            return found
    if buyer is None:
        return None
    pending = gifts.filter(buyer=buyer, status=GiftStatus.PENDING)
    if tier_slug:
        pending = pending.filter(tier__slug=tier_slug)
    if interval:
        pending = pending.filter(interval=interval)
    return pending.order_by("-created_at", "-pk").first()


def mark_paid(gift: Gift, payment: Payment | None) -> bool:
    """Record that ``gift`` is paid; False when it was already (a replay)."""
    if gift.status != GiftStatus.PENDING:
        return False
    gift.status = GiftStatus.PAID
    gift.payment = payment
    gift.save(update_fields=["status", "payment"])
    return True


def void(payment: Payment) -> None:
    """A gift refunded in full before it was redeemed can no longer be."""
    Gift.objects.filter(payment=payment, status=GiftStatus.PAID).update(
        status=GiftStatus.VOID
    )


def redeemable(gift_id: int) -> Gift | RedeemProblem:
    """The gift behind a link, if it can still be redeemed (no lock: for GET)."""
    gift = Gift.objects.select_related("tier", "buyer").filter(pk=gift_id).first()
    return _check(gift)


def _check(gift: Gift | None) -> Gift | RedeemProblem:
    if gift is None or gift.status in (GiftStatus.PENDING, GiftStatus.VOID):
        return RedeemProblem.NOT_FOUND
    if gift.status == GiftStatus.REDEEMED:
        return RedeemProblem.USED
    return gift


def redeem(gift_id: int, member: Member) -> Membership | RedeemProblem:
    """Give ``member`` the gift's membership, once.

    A member with no membership, or an ended one, gets a new gifted one; a
    gifted membership still running is lengthened. A member who pays for a
    membership is refused (``ALREADY_MEMBER``) and the gift stays unused.
    """
    now = timezone.now()
    with transaction.atomic():
        gift = _check(
            Gift.objects.select_for_update(of=("self",))
            .select_related("tier")
            .filter(pk=gift_id)
            .first()
        )
        if isinstance(gift, RedeemProblem):
            return gift
        membership = (
            Membership.objects.select_for_update().filter(member=member).first()
        )
        start_at = now
        if membership is not None and membership.gives_access(now):
            if membership.provider != GIFT_PROVIDER:
                return RedeemProblem.ALREADY_MEMBER
            # Case: a gift still running: the new one starts where it ends.
            start_at = max(now, membership.current_period_end or now)
        if membership is None:
            membership = Membership(member=member, tier=gift.tier)
        membership.tier = gift.tier
        membership.status = MembershipStatus.ACTIVE
        membership.interval = gift.interval
        membership.provider = GIFT_PROVIDER
        membership.provider_customer_id = ""
        membership.provider_subscription_id = ""
        membership.current_period_end = add_interval(start_at, gift.interval)
        # A gift does not renew.
        membership.cancel_at_period_end = True
        membership.grace_until = None
        membership.state_at = now
        membership.save()
        gift.status = GiftStatus.REDEEMED
        gift.redeemed_at = now
        gift.redeemed_by = member
        # The link went out and is spent: the address has done its work.
        gift.recipient_email = ""
        gift.save(
            update_fields=["status", "redeemed_at", "redeemed_by", "recipient_email"]
        )
    return membership


def forget_member(member: Member) -> None:
    """Erasure (``Member`` pre_delete): clear the addresses of their gifts.

    Those the member bought (the recipient's address was theirs to give) and
    those addressed to the member. An unsent link then goes to the buyer.
    """
    theirs = Q(buyer=member) | Q(recipient_email=normalise_email(member.email))
    Gift.objects.filter(theirs).exclude(recipient_email="").update(recipient_email="")
