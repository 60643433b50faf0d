"""The payments ledger as the providers' events fill it (#17).

One ``Payment`` row per provider payment id, created by the first event
that names it and only moved forward after: failed, paid, partly refunded,
refunded (a late "failed" never undoes a "paid", a late "paid" never undoes
a refund). Receipts are queued for after the commit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction

from masthead.members.models import Member, email_digest

from . import tasks
from .billing_lookup import is_donation, is_same_subscription
from .models import Membership, Payment, PaymentKind, PaymentStatus
from .providers.base import BillingEvent, EventKind

# Payments move only forward through these.
PAYMENT_RANK = {
    PaymentStatus.FAILED: 0,
    PaymentStatus.PAID: 1,
    PaymentStatus.PARTLY_REFUNDED: 2,
    PaymentStatus.REFUNDED: 3,
}


def payment_kind(event: BillingEvent, membership: Membership | None) -> str:
    """What the event's payment is for: a membership, a donation or a gift."""
    if event.purpose in PaymentKind.values:
        return event.purpose
    existing = Payment.objects.filter(
        provider=event.provider, provider_payment_id=event.payment_id
    ).first()
    if existing is not None:
        return existing.kind
    if is_donation(event) and not is_same_subscription(membership, event):
        return PaymentKind.DONATION
    return PaymentKind.MEMBERSHIP


def record_payment(
    event: BillingEvent,
    kind: str,
    status: PaymentStatus,
    member: Member | None,
    description: str = "",
) -> Payment | None:
    """Create or move forward the payment the event reports (one row per id)."""
    if not event.payment_id:
        return None
    payment, created = _payment_row(event, kind, status)
    if not created and event.kind == EventKind.CHECKOUT_COMPLETED:
        # The checkout says what a renewal seen before it was for.
        payment.kind = kind
    if PAYMENT_RANK[status] > PAYMENT_RANK[PaymentStatus(payment.status)]:
        payment.status = status
    if status == PaymentStatus.REFUNDED:
        refunded = event.refunded_amount or event.amount or payment.amount
        payment.refunded_amount = max(payment.refunded_amount, refunded)
        payment.status = (
            PaymentStatus.REFUNDED
            if payment.refunded_amount >= payment.amount
            else PaymentStatus.PARTLY_REFUNDED
        )
    if not payment.amount and event.amount:
        payment.amount = event.amount
    if event.subscription_id and not payment.provider_subscription_id:
        payment.provider_subscription_id = event.subscription_id
    if event.customer_id and not payment.provider_customer_id:
        payment.provider_customer_id = event.customer_id
    if member is not None and payment.member_id is None:
        payment.member = member
        payment.email_digest = email_digest(member.email)
    if description and not payment.description:
        payment.description = description[:255]
    payment.save()
    if payment.member_id is not None and (
        (payment.status != PaymentStatus.FAILED and payment.receipt_sent_at is None)
        or payment.refunded_amount > payment.refund_receipt_amount
    ):
        payment_id = payment.pk
        transaction.on_commit(lambda: tasks.send_receipt.enqueue(payment_id))
    return payment


def _payment_row(
    event: BillingEvent, kind: str, status: PaymentStatus
) -> tuple[Payment, bool]:
    """The event's payment, locked, created if new (and whether it was)."""
    payments = Payment.objects.select_for_update().filter(
        provider=event.provider, provider_payment_id=event.payment_id
    )
    payment = payments.first()
    if payment is not None:
        return payment, False
    try:
        with transaction.atomic():
            return Payment.objects.create(
                provider=event.provider,
                provider_payment_id=event.payment_id,
                kind=kind,
                status=status,
                amount=event.amount or event.refunded_amount,
                currency=(event.currency or settings.MASTHEAD_CURRENCY).upper(),
                created_at=event.occurred_at,
            ), True
    except IntegrityError:
        # Case: a concurrent delivery (a refund may have no member to lock)
        # inserted it first: move that one forward.
        return payments.get(), False
