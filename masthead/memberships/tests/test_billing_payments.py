"""billing.apply on payments: refunds, donations once and monthly (#17)."""

import pytest
from django.db.models import QuerySet

from masthead.members.models import email_digest
from masthead.memberships import billing
from masthead.memberships.billing import Outcome
from masthead.memberships.models import (
    Membership,
    MembershipStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
)
from masthead.memberships.providers.base import EventKind, SubscriptionState

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(tiers, event, apply):
    """A membership's first invoice, €5, paid."""
    apply(
        event(
            EventKind.CHECKOUT_COMPLETED,
            0,
            purpose="membership",
            tier_slug="supporter",
            interval="month",
            payment_id="in_1",
            amount=500,
            currency="eur",
        )
    )
    return Payment.objects.get()


def test_a_full_refund_marks_the_payment_refunded(paid, event, apply):
    apply(
        event(
            EventKind.PAYMENT_REFUNDED,
            5,
            subscription_id="",
            payment_id="in_1",
            amount=500,
            refunded_amount=500,
        )
    )
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.REFUNDED, 500)
    # A refund leaves the membership to the provider's own events.
    assert Membership.objects.get().status == MembershipStatus.ACTIVE


def test_a_partial_refund_then_the_rest(paid, event, apply):
    apply(
        event(
            EventKind.PAYMENT_REFUNDED,
            5,
            payment_id="in_1",
            amount=500,
            refunded_amount=200,
        )
    )
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.PARTLY_REFUNDED, 200)

    apply(
        event(
            EventKind.PAYMENT_REFUNDED,
            6,
            payment_id="in_1",
            amount=500,
            refunded_amount=500,
        )
    )
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.REFUNDED, 500)


def test_an_older_refund_arriving_late_does_not_shrink_the_total(paid, event, apply):
    apply(
        event(EventKind.PAYMENT_REFUNDED, 6, payment_id="in_1", refunded_amount=500),
        event(EventKind.PAYMENT_REFUNDED, 5, payment_id="in_1", refunded_amount=200),
        event(EventKind.PAYMENT_SUCCEEDED, 1, payment_id="in_1", amount=500),
    )
    paid.refresh_from_db()
    assert (paid.status, paid.refunded_amount) == (PaymentStatus.REFUNDED, 500)


def test_a_refund_found_by_the_customer_alone(paid, event, apply):
    apply(
        event(
            EventKind.PAYMENT_REFUNDED,
            5,
            member_id=None,
            subscription_id="",
            payment_id="in_1",
            amount=500,
            refunded_amount=100,
        )
    )
    paid.refresh_from_db()
    assert paid.status == PaymentStatus.PARTLY_REFUNDED


def test_a_one_off_donation_is_a_paid_donation_and_no_membership(
    tiers, member, event, apply
):
    outcomes = apply(
        event(
            EventKind.CHECKOUT_COMPLETED,
            0,
            subscription_id="",
            purpose="donation",
            payment_id="pi_1",
            amount=1250,
            currency="eur",
        ),
        # Some providers report the charge itself too: the same payment.
        event(
            EventKind.PAYMENT_SUCCEEDED,
            0,
            subscription_id="",
            purpose="donation",
            payment_id="pi_1",
            amount=1250,
        ),
    )
    assert outcomes == [Outcome.APPLIED, Outcome.APPLIED]
    donation = Payment.objects.get()
    assert (donation.kind, donation.status, donation.amount) == (
        "donation",
        "paid",
        1250,
    )
    assert donation.member == member
    assert donation.email_digest == email_digest(member.email)
    assert not Membership.objects.exists()


def test_a_monthly_donation_never_touches_the_membership(paid, member, event, apply):
    membership = Membership.objects.get()
    apply(
        event(
            EventKind.CHECKOUT_COMPLETED,
            10,
            subscription_id="sub_don",
            purpose="donation",
            payment_id="in_d1",
            amount=1000,
        ),
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            10,
            subscription_id="sub_don",
            purpose="donation",
            state=SubscriptionState.ACTIVE,
        ),
        # A renewal with no purpose: known by its subscription.
        event(
            EventKind.PAYMENT_SUCCEEDED,
            730,
            member_id=None,
            subscription_id="sub_don",
            payment_id="in_d2",
            amount=1000,
        ),
        event(
            EventKind.PAYMENT_FAILED,
            1460,
            member_id=None,
            subscription_id="sub_don",
            payment_id="in_d3",
            amount=1000,
        ),
        event(EventKind.SUBSCRIPTION_ENDED, 1500, subscription_id="sub_don"),
    )
    donations = Payment.objects.filter(kind=PaymentKind.DONATION)
    assert sorted(donations.values_list("provider_payment_id", "status")) == [
        ("in_d1", "paid"),
        ("in_d2", "paid"),
        ("in_d3", "failed"),
    ]
    assert all(payment.member == member for payment in donations)
    after = Membership.objects.get()
    assert (after.provider_subscription_id, after.status) == ("sub_1", "active")
    assert after.state_at == membership.state_at


def test_a_donation_renewal_seen_before_its_checkout_is_relabelled(
    tiers, member, event, apply
):
    apply(
        event(
            EventKind.PAYMENT_SUCCEEDED,
            0,
            subscription_id="sub_don",
            payment_id="in_d1",
            amount=1000,
        ),
        event(
            EventKind.CHECKOUT_COMPLETED,
            0,
            subscription_id="sub_don",
            purpose="donation",
            payment_id="in_d1",
            amount=1000,
        ),
    )
    assert Payment.objects.get().kind == PaymentKind.DONATION
    assert not Membership.objects.exists()


def test_a_payment_of_nobody_known_is_still_kept(tiers, event, apply):
    apply(
        event(
            EventKind.PAYMENT_SUCCEEDED,
            0,
            member_id=None,
            customer_id="cus_gone",
            subscription_id="sub_gone",
            payment_id="in_gone",
            amount=500,
        )
    )
    payment = Payment.objects.get()
    assert payment.member is None
    assert payment.email_digest == ""


def test_an_erased_member_s_payments_keep_the_digest(paid, member):
    digest = email_digest(member.email)
    member.delete()
    paid.refresh_from_db()
    assert paid.member is None
    assert paid.email_digest == digest


def test_each_event_locks_its_member_first(tiers, member, event, apply, monkeypatch):
    # PostgreSQL: one member's deliveries then run one at a time, even where
    # the rows they would create do not exist yet (SQLite cannot show it).
    locked = []
    real_lock = billing._lock_member

    def spy(member_id):
        locked.append(member_id)
        return real_lock(member_id)

    monkeypatch.setattr(billing, "_lock_member", spy)
    apply(
        event(
            EventKind.CHECKOUT_COMPLETED,
            0,
            purpose="membership",
            tier_slug="supporter",
            payment_id="in_1",
            amount=500,
        ),
        event(
            EventKind.PAYMENT_SUCCEEDED,
            1,
            member_id=None,
            payment_id="in_2",
            amount=500,
        ),
    )
    assert locked and set(locked) == {member.pk}


def test_a_payment_inserted_by_a_concurrent_delivery_is_moved_forward(
    paid, event, apply, monkeypatch
):
    # The other delivery inserts (and commits) the payment after this one
    # looked for it: the insert then meets the unique constraint.
    Payment.objects.create(
        provider="stripe",
        provider_payment_id="in_2",
        kind=PaymentKind.MEMBERSHIP,
        status=PaymentStatus.FAILED,
        amount=500,
        currency="EUR",
    )
    real_first = QuerySet.first
    missed = []

    def first(queryset):
        if (
            queryset.model is Payment
            and queryset.query.select_for_update
            and not missed
        ):
            missed.append(True)
            return None
        return real_first(queryset)

    monkeypatch.setattr(QuerySet, "first", first)
    outcomes = apply(
        event(EventKind.PAYMENT_SUCCEEDED, 1, payment_id="in_2", amount=500)
    )

    assert missed
    assert outcomes == [Outcome.APPLIED]
    payment = Payment.objects.get(provider_payment_id="in_2")
    assert payment.status == PaymentStatus.PAID
