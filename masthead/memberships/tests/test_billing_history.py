"""A membership's history: one ``MembershipChange`` per real change (#17).

Each state change billing makes writes exactly one row; replays, retries,
renewals and late (stale) events write none, in any order of delivery.
"""

from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps as django_apps

from masthead.members.factories import MemberFactory
from masthead.members.services import erase_member
from masthead.memberships import billing_history
from masthead.memberships.billing import Outcome
from masthead.memberships.models import (
    GIFT_PROVIDER,
    Membership,
    MembershipChange,
    MembershipStatus,
)
from masthead.memberships.providers.base import EventKind, SubscriptionState

from .conftest import at
from .shown import membership as held_membership

pytestmark = pytest.mark.django_db

MONTH = timedelta(days=30)
ACTIVE = SubscriptionState.ACTIVE
# (from status, to status, from tier, tier, was paid, paid, at)
JOINED = ("", "active", None, "supporter", False, True, at(0))


def history() -> list[tuple]:
    return list(
        MembershipChange.objects.order_by("at", "pk").values_list(
            "from_status",
            "to_status",
            "from_tier__slug",
            "tier__slug",
            "was_paid",
            "paid",
            "at",
        )
    )


@pytest.fixture
def checkout(event):
    return event(
        EventKind.CHECKOUT_COMPLETED,
        0,
        purpose="membership",
        tier_slug="supporter",
        interval="month",
        price_id="price_sup_m",
        payment_id="in_1",
        amount=500,
    )


@pytest.fixture
def joined(tiers, event, apply, checkout):
    """A Supporter through Stripe: checkout, subscription created, invoice paid."""
    apply(
        checkout,
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            0,
            price_id="price_sup_m",
            state=ACTIVE,
            current_period_end=at(0) + MONTH,
        ),
        event(EventKind.PAYMENT_SUCCEEDED, 0, payment_id="in_1", amount=500),
    )
    return Membership.objects.get()


def test_joining_writes_one_change_into_paid_access(joined, member):
    assert history() == [JOINED]
    assert MembershipChange.objects.get().member == member


def test_replayed_events_write_nothing(joined, event, apply, checkout):
    failed = event(EventKind.PAYMENT_FAILED, 720, payment_id="in_2", amount=500)
    apply(failed)

    assert apply(checkout, failed) == [Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert len(history()) == 2


def test_renewals_and_updates_that_change_nothing_write_nothing(joined, event, apply):
    apply(
        event(EventKind.PAYMENT_SUCCEEDED, 720, payment_id="in_2", amount=500),
        event(EventKind.SUBSCRIPTION_UPDATED, 721, state=ACTIVE),
        # Cancelled at the period's end: still active, still paying.
        event(
            EventKind.SUBSCRIPTION_UPDATED, 722, state=ACTIVE, cancel_at_period_end=True
        ),
    )
    assert history() == [JOINED]


def test_a_cancellation_is_one_change_out_of_paid_access(joined, event, apply):
    apply(
        event(
            EventKind.SUBSCRIPTION_UPDATED, 24, state=ACTIVE, cancel_at_period_end=True
        ),
        event(EventKind.SUBSCRIPTION_ENDED, 720),
        event(EventKind.SUBSCRIPTION_ENDED, 721),
    )
    assert history() == [
        JOINED,
        ("active", "canceled", "supporter", "supporter", True, False, at(720)),
    ]


def test_a_failed_renewal_stays_paid_during_the_grace(joined, event, apply, settings):
    settings.MASTHEAD_PAYMENT_GRACE_DAYS = 7
    apply(
        event(EventKind.PAYMENT_FAILED, 720, payment_id="in_2", amount=500),
        # Retries within the grace change nothing the history keeps.
        event(EventKind.SUBSCRIPTION_UPDATED, 721, state=SubscriptionState.PAST_DUE),
        event(EventKind.PAYMENT_FAILED, 770, payment_id="in_2", amount=500),
        event(EventKind.PAYMENT_SUCCEEDED, 800, payment_id="in_2", amount=500),
    )
    assert history() == [
        JOINED,
        ("active", "past_due", "supporter", "supporter", True, True, at(720)),
        ("past_due", "active", "supporter", "supporter", True, True, at(800)),
    ]


def test_a_failure_past_the_grace_is_churn_and_a_later_payment_returns(
    joined, event, apply, settings
):
    settings.MASTHEAD_PAYMENT_GRACE_DAYS = 7
    after_grace = 720 + 8 * 24
    apply(
        event(EventKind.PAYMENT_FAILED, 720, payment_id="in_2", amount=500),
        event(EventKind.PAYMENT_FAILED, after_grace, payment_id="in_2", amount=500),
        event(EventKind.PAYMENT_SUCCEEDED, after_grace + 1, payment_id="in_2"),
    )
    assert history()[1:] == [
        ("active", "past_due", "supporter", "supporter", True, True, at(720)),
        (
            "past_due",
            "past_due",
            "supporter",
            "supporter",
            True,
            False,
            at(after_grace),
        ),
        (
            "past_due",
            "active",
            "supporter",
            "supporter",
            False,
            True,
            at(after_grace + 1),
        ),
    ]


def test_a_suspended_subscription_is_churn(joined, event, apply):
    apply(
        event(EventKind.SUBSCRIPTION_UPDATED, 720, state=SubscriptionState.PAST_DUE),
        event(EventKind.SUBSCRIPTION_UPDATED, 900, state=SubscriptionState.SUSPENDED),
    )
    assert history()[-1] == (
        "past_due",
        "past_due",
        "supporter",
        "supporter",
        True,
        False,
        at(900),
    )


def test_a_change_of_tier_is_one_change_within_paid_access(joined, event, apply):
    apply(
        event(EventKind.SUBSCRIPTION_UPDATED, 10, price_id="price_pat_m", state=ACTIVE),
        # Monthly to yearly in the same tier: no change the history keeps.
        event(EventKind.SUBSCRIPTION_UPDATED, 20, price_id="price_pat_y", state=ACTIVE),
    )
    assert history() == [
        JOINED,
        ("active", "active", "supporter", "patron", True, True, at(10)),
    ]


def test_late_events_write_nothing(joined, event, apply):
    late_failure = event(EventKind.PAYMENT_FAILED, 700, payment_id="in_x", amount=5)
    late_active = event(EventKind.SUBSCRIPTION_UPDATED, 715, state=ACTIVE)
    apply(event(EventKind.SUBSCRIPTION_ENDED, 720))

    assert apply(late_failure, late_active) == [Outcome.STALE, Outcome.STALE]
    assert [row[1] for row in history()] == ["active", "canceled"]


def test_events_delivered_backwards_write_only_the_final_state(tiers, event, apply):
    apply(
        event(EventKind.SUBSCRIPTION_ENDED, 30, price_id="price_sup_y"),
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            20,
            price_id="price_sup_y",
            state=ACTIVE,
            cancel_at_period_end=True,
        ),
        event(EventKind.PAYMENT_SUCCEEDED, 1, payment_id="in_1", amount=50),
        event(
            EventKind.CHECKOUT_COMPLETED,
            0,
            purpose="membership",
            tier_slug="supporter",
            interval="year",
        ),
    )
    assert history() == [("", "canceled", None, "supporter", False, False, at(30))]


def test_a_failure_delivered_before_its_checkout_is_one_change_each(
    tiers, event, apply, checkout
):
    # The checkout (hour 0) arrives after the failure (hour 700) it predates.
    created = event(
        EventKind.SUBSCRIPTION_UPDATED, 1, price_id="price_sup_m", state=ACTIVE
    )
    apply(created)
    apply(event(EventKind.PAYMENT_FAILED, 700, payment_id="in_2", amount=500))

    assert apply(checkout) == [Outcome.STALE]
    assert history() == [
        ("", "active", None, "supporter", False, True, at(1)),
        ("active", "past_due", "supporter", "supporter", True, True, at(700)),
    ]


def test_a_second_subscription_kept_aside_writes_nothing(joined, event, apply):
    apply(
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            3,
            subscription_id="sub_2",
            price_id="price_pat_m",
            state=ACTIVE,
            current_period_end=at(0) + timedelta(days=1),
        )
    )
    assert history() == [JOINED]


def test_a_monthly_donation_writes_no_membership_change(tiers, event, apply):
    apply(
        event(
            EventKind.CHECKOUT_COMPLETED,
            0,
            purpose="donation",
            subscription_id="sub_d",
            payment_id="in_d",
            amount=1000,
        ),
        event(
            EventKind.SUBSCRIPTION_ENDED,
            10,
            subscription_id="sub_d",
            purpose="donation",
        ),
    )
    assert history() == []


def test_a_subscription_taking_over_a_gift_is_a_conversion(tiers, member, event, apply):
    gift = Membership.objects.create(
        member=member,
        tier=tiers["supporter"],
        provider=GIFT_PROVIDER,
        current_period_end=at(0) + MONTH,
        state_at=at(-1),
    )
    assert not billing_history.Snapshot.of(gift).paid

    apply(
        event(EventKind.CHECKOUT_COMPLETED, 0, purpose="membership", tier_slug="patron")
    )

    assert history() == [
        ("active", "active", "supporter", "patron", False, True, at(0))
    ]


def test_erasure_keeps_the_rows_without_the_member(joined, member):
    # The erasure itself records the end of paid access (signals.py).
    erase_member(member)

    assert history()[-1][:6] == (
        "active",
        "canceled",
        "supporter",
        "supporter",
        True,
        False,
    )
    assert MembershipChange.objects.filter(member__isnull=True).count() == 2


def test_erasing_a_member_who_does_not_pay_adds_no_change(db):
    member = MemberFactory()
    assert billing_history.record_erasure(member) is None
    held_membership(member, status=MembershipStatus.CANCELED)
    assert billing_history.record_erasure(member) is None
    assert not MembershipChange.objects.exists()


def test_the_migration_seeds_each_membership_s_state(db, settings):
    settings.MASTHEAD_PAYMENT_PROVIDER = "stripe"
    paying = held_membership(provider="stripe")
    ended = held_membership(on=paying.tier, status=MembershipStatus.CANCELED)
    left_from_the_demo = held_membership(on=paying.tier, provider="demo")
    seed = import_module("masthead.memberships.migrations.0004_seed_membership_changes")

    seed.seed_history(django_apps, None)

    seeded = {
        row.member_id: (row.to_status, row.tier_id, row.was_paid, row.paid, row.at)
        for row in MembershipChange.objects.all()
    }
    assert seeded == {
        paying.member_id: ("active", paying.tier_id, False, True, paying.created_at),
        ended.member_id: ("canceled", paying.tier_id, False, False, ended.created_at),
        left_from_the_demo.member_id: (
            "active",
            paying.tier_id,
            False,
            False,
            left_from_the_demo.created_at,
        ),
    }
