"""Memberships' mail: receipts and gift links, sent after the change commits (#17).

billing.py queues these after its transaction commits; each task sends what
is still owed and records it, so a task queued twice (an event replayed, a
worker restarted) sends nothing twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone, translation

from masthead.core.background import BACKGROUND
from masthead.core.email import build_message
from masthead.members.models import Member

from .gifts import redeem_token
from .models import Gift, GiftStatus, Payment, PaymentStatus
from .money import format_money


def _link(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


@task(backend=BACKGROUND)
def send_receipt(payment_id: int) -> int:
    """E-mail the receipts a payment still owes its member.

    One when it is paid, then one for each refund (a partial refund, then
    the rest, are two). A failed payment, or one whose member was erased,
    gets none.

    Returns:
        How many messages were sent.
    """
    sent = 0
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update(of=("self",))
            .select_related("member")
            .filter(pk=payment_id)
            .first()
        )
        member = payment.member if payment is not None else None
        if payment is None or member is None:
            return 0
        fields = []
        if payment.status != PaymentStatus.FAILED and payment.receipt_sent_at is None:
            _send_receipt(payment, member, "memberships/email/receipt", {})
            payment.receipt_sent_at = timezone.now()
            fields.append("receipt_sent_at")
            sent += 1
        if payment.refunded_amount > payment.refund_receipt_amount:
            refund = payment.refunded_amount - payment.refund_receipt_amount
            _send_receipt(
                payment, member, "memberships/email/refund", {"refund": refund}
            )
            payment.refund_receipt_amount = payment.refunded_amount
            fields.append("refund_receipt_amount")
            sent += 1
        if fields:
            payment.save(update_fields=fields)
    return sent


def _send_receipt(
    payment: Payment, member: Member, template: str, extra: dict[str, Any]
) -> None:
    """Build and send one receipt in the member's edition's language."""
    language = member.language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "payment": payment,
            "email": member.email,
            "amount": format_money(payment.amount, payment.currency, language),
            "refunded": format_money(
                payment.refunded_amount, payment.currency, language
            ),
            "refund": format_money(extra.get("refund", 0), payment.currency, language),
            "is_demo": payment.provider == "demo",
            "account_link": _link(reverse("members:account")),
        }
        build_message(template, context, [member.email]).send()


@task(backend=BACKGROUND)
def send_gift_link(gift_id: int) -> bool:
    """E-mail a paid gift's redeem link, once: to its recipient, or its buyer.

    Returns:
        False when there is nothing to send: the gift is gone, unpaid,
        already sent, or has nobody to go to (the buyer erased, no recipient).
    """
    with transaction.atomic():
        gift = (
            Gift.objects.select_for_update(of=("self",))
            .select_related("tier", "buyer")
            .filter(pk=gift_id, status=GiftStatus.PAID, sent_at=None)
            .first()
        )
        if gift is None:
            return False
        buyer = gift.buyer
        to = gift.recipient_email or (buyer.email if buyer is not None else "")
        if not to:
            return False
        with translation.override(gift.language or settings.LANGUAGE_CODE):
            path = reverse("memberships:redeem-gift", args=[redeem_token(gift.pk)])
            context = {
                "gift": gift,
                "link": _link(path),
                "to_buyer": not gift.recipient_email,
                "giver": (buyer.name or buyer.email) if buyer is not None else "",
            }
            build_message("memberships/email/gift", context, [to]).send()
        gift.sent_at = timezone.now()
        gift.save(update_fields=["sent_at"])
    return True
