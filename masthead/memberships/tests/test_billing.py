"""billing.apply on memberships: each state change, replays, late events (#17).

Events are built as providers deliver them (conftest ``event``), at hours
after T0; each test applies them in the order a webhook might bring them.
"""

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict

from masthead.memberships.billing import Outcome
from masthead.memberships.models import (
    Membership,
    MembershipStatus,
    Payment,
    PaymentStatus,
    ProviderEvent,
)
from masthead.memberships.providers.base import EventKind, SubscriptionState

from .conftest import at

pytestmark = pytest.mark.django_db

MONTH = timedelta(days=30)


@pytest.fixture
def joined(tiers, event, apply):
    """A Supporter, monthly, through Stripe: checkout, subscription, first invoice."""
    apply(
        event(
            EventKind.CHECKOUT_COMPLETED,
            0,
            purpose="membership",
            tier_slug="supporter",
            interval="month",
            price_id="price_sup_m",
        ),
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            0,
            price_id="price_sup_m",
            state=SubscriptionState.ACTIVE,
            current_period_end=at(0) + MONTH,
        ),
        event(
            EventKind.PAYMENT_SUCCEEDED,
            0,
            payment_id="in_1",
            amount=500,
            currency="eur",
            purpose="membership",
        ),
    )
    return Membership.objects.get()


def test_a_new_subscription_makes_an_active_membership_and_a_paid_payment(joined):
    assert joined.tier.slug == "supporter"
    assert joined.status == MembershipStatus.ACTIVE
    assert joined.interval == "month"
    assert joined.provider == "stripe"
    assert joined.provider_customer_id == "cus_1"
    assert joined.provider_subscription_id == "sub_1"
    assert joined.current_period_end == at(0) + MONTH
    assert joined.state_at == at(0)
    assert joined.gives_access(at(1))
    payment = Payment.objects.get()
    assert (payment.kind, payment.status, payment.amount, payment.currency) == (
        "membership",
        "paid",
        500,
        "EUR",
    )
    assert payment.member == joined.member
    assert payment.provider_subscription_id == "sub_1"
    assert payment.description == "Supporter"
    assert payment.email_digest
    outcomes = list(ProviderEvent.objects.values_list("outcome", flat=True))
    assert outcomes == ["applied"] * 3


def test_a_renewal_adds_a_payment_and_moves_the_period_on(joined, event, apply):
    end = at(0) + 2 * MONTH
    apply(
        event(
            EventKind.PAYMENT_SUCCEEDED,
            720,
            payment_id="in_2",
            amount=500,
            current_period_end=end,
        )
    )
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.ACTIVE
    assert joined.current_period_end == end
    assert Payment.objects.filter(status="paid").count() == 2


def test_a_failed_renewal_gives_grace_then_no_access(joined, event, apply, settings):
    settings.MASTHEAD_PAYMENT_GRACE_DAYS = 7
    apply(event(EventKind.PAYMENT_FAILED, 720, payment_id="in_2", amount=500))
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.PAST_DUE
    assert joined.grace_until == at(720) + timedelta(days=7)
    assert joined.gives_access(at(720) + timedelta(days=6))
    # Grace expired: no access, though the provider has not ended it yet.
    assert not joined.gives_access(at(720) + timedelta(days=7, seconds=1))
    failed = Payment.objects.get(provider_payment_id="in_2")
    assert failed.status == PaymentStatus.FAILED


def test_retries_keep_the_grace_of_the_first_failure(joined, event, apply):
    apply(
        event(EventKind.PAYMENT_FAILED, 720, payment_id="in_2", amount=500),
        event(EventKind.SUBSCRIPTION_UPDATED, 721, state=SubscriptionState.PAST_DUE),
        event(EventKind.PAYMENT_FAILED, 770, payment_id="in_2", amount=500),
    )
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.PAST_DUE
    assert joined.grace_until == at(720) + timedelta(days=7)


def test_a_retry_that_succeeds_recovers_the_membership(joined, event, apply):
    apply(
        event(EventKind.PAYMENT_FAILED, 720, payment_id="in_2", amount=500),
        event(EventKind.PAYMENT_SUCCEEDED, 750, payment_id="in_2", amount=500),
    )
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.ACTIVE
    assert joined.grace_until is None
    assert Payment.objects.get(provider_payment_id="in_2").status == "paid"


def test_the_provider_saying_active_again_recovers_it_too(joined, event, apply):
    apply(
        event(EventKind.SUBSCRIPTION_UPDATED, 720, state=SubscriptionState.PAST_DUE),
        event(EventKind.SUBSCRIPTION_UPDATED, 760, state=SubscriptionState.ACTIVE),
    )
    joined.refresh_from_db()
    assert (joined.status, joined.grace_until) == (MembershipStatus.ACTIVE, None)


def test_cancelling_at_the_period_end_keeps_access_until_it_ends(joined, event, apply):
    apply(
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            24,
            state=SubscriptionState.ACTIVE,
            cancel_at_period_end=True,
            current_period_end=at(0) + MONTH,
        )
    )
    joined.refresh_from_db()
    assert joined.cancel_at_period_end
    assert joined.gives_access(at(48))

    apply(event(EventKind.SUBSCRIPTION_ENDED, 720))
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.CANCELED
    assert not joined.cancel_at_period_end
    assert not joined.gives_access(at(721))


def test_a_change_of_price_changes_tier_and_interval(joined, event, apply):
    apply(
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            10,
            price_id="price_pat_m",
            state=SubscriptionState.ACTIVE,
        )
    )
    joined.refresh_from_db()
    assert (joined.tier.slug, joined.interval) == ("patron", "month")

    apply(
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            20,
            price_id="price_pat_y",
            state=SubscriptionState.ACTIVE,
            current_period_end=at(20) + timedelta(days=365),
        )
    )
    joined.refresh_from_db()
    assert (joined.tier.slug, joined.interval) == ("patron", "year")
    assert joined.current_period_end == at(20) + timedelta(days=365)


def test_the_same_event_twice_changes_nothing(joined, event, apply):
    failed = event(EventKind.PAYMENT_FAILED, 720, payment_id="in_2", amount=500)
    assert apply(failed) == [Outcome.APPLIED]
    joined.refresh_from_db()
    before = model_to_dict(joined)
    payments = list(Payment.objects.values())

    assert apply(failed, failed) == [Outcome.DUPLICATE, Outcome.DUPLICATE]

    joined.refresh_from_db()
    assert model_to_dict(joined) == before
    assert list(Payment.objects.values()) == payments
    assert ProviderEvent.objects.filter(event_id=failed.event_id).count() == 1


def test_a_late_update_never_revives_an_ended_subscription(joined, event, apply):
    late_active = event(
        EventKind.SUBSCRIPTION_UPDATED, 700, state=SubscriptionState.ACTIVE
    )
    apply(event(EventKind.SUBSCRIPTION_ENDED, 720))
    assert apply(late_active) == [Outcome.STALE]
    # Even one stamped later: an ended subscription is final.
    assert apply(
        event(EventKind.SUBSCRIPTION_UPDATED, 730, state=SubscriptionState.ACTIVE)
    ) == [Outcome.STALE]
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.CANCELED


def test_a_late_failure_keeps_the_payment_but_not_the_old_state(joined, event, apply):
    older_failure = event(EventKind.PAYMENT_FAILED, 700, payment_id="in_x", amount=5)
    apply(event(EventKind.SUBSCRIPTION_UPDATED, 710, state=SubscriptionState.ACTIVE))
    assert apply(older_failure) == [Outcome.STALE]
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.ACTIVE
    assert Payment.objects.get(provider_payment_id="in_x").status == "failed"


def test_a_payment_never_moves_backwards(joined, event, apply):
    apply(
        event(EventKind.PAYMENT_SUCCEEDED, 720, payment_id="in_2", amount=500),
        event(EventKind.PAYMENT_FAILED, 710, payment_id="in_2", amount=500),
    )
    assert Payment.objects.get(provider_payment_id="in_2").status == "paid"


def test_events_in_any_order_end_in_the_same_state(tiers, event, apply):
    """Checkout, update, invoice and a cancellation, delivered backwards."""
    stories = [
        # The provider's events name the subscription's price, its end's too.
        event(EventKind.SUBSCRIPTION_ENDED, 30, event_id="e4", price_id="price_sup_y"),
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            20,
            event_id="e3",
            price_id="price_sup_y",
            state=SubscriptionState.ACTIVE,
            cancel_at_period_end=True,
        ),
        event(
            EventKind.PAYMENT_SUCCEEDED, 1, event_id="e2", payment_id="in_1", amount=50
        ),
        event(
            EventKind.CHECKOUT_COMPLETED,
            0,
            event_id="e1",
            purpose="membership",
            tier_slug="supporter",
            interval="year",
        ),
    ]
    apply(*stories)
    membership = Membership.objects.get()
    assert membership.status == MembershipStatus.CANCELED
    assert membership.tier.slug == "supporter"
    assert Payment.objects.get().status == "paid"


def test_an_ended_old_subscription_leaves_the_new_one_alone(joined, event, apply):
    apply(
        event(EventKind.SUBSCRIPTION_ENDED, 100),
        event(
            EventKind.CHECKOUT_COMPLETED,
            200,
            subscription_id="sub_2",
            purpose="membership",
            tier_slug="patron",
            interval="month",
        ),
    )
    joined.refresh_from_db()
    assert (joined.provider_subscription_id, joined.status) == ("sub_2", "active")
    assert joined.tier.slug == "patron"

    assert apply(event(EventKind.SUBSCRIPTION_ENDED, 300, subscription_id="sub_1"))
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.ACTIVE


def test_past_due_from_the_provider_starts_the_grace(joined, event, apply, settings):
    settings.MASTHEAD_PAYMENT_GRACE_DAYS = 3
    apply(event(EventKind.SUBSCRIPTION_UPDATED, 720, state=SubscriptionState.PAST_DUE))
    joined.refresh_from_db()
    assert joined.status == MembershipStatus.PAST_DUE
    assert joined.grace_until == at(720) + timedelta(days=3)


def test_an_event_about_nobody_is_recorded_and_ignored(tiers, event, apply):
    stranger = event(
        EventKind.SUBSCRIPTION_UPDATED,
        0,
        member_id=None,
        customer_id="cus_unknown",
        subscription_id="sub_unknown",
        price_id="price_sup_m",
        state=SubscriptionState.ACTIVE,
    )
    assert apply(stranger) == [Outcome.IGNORED]
    assert not Membership.objects.exists()
    assert ProviderEvent.objects.get().outcome == "ignored"


def test_a_later_event_finds_the_member_by_customer_or_subscription(
    joined, event, apply
):
    apply(
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            10,
            member_id=None,
            customer_id="",
            cancel_at_period_end=True,
            state=SubscriptionState.ACTIVE,
        )
    )
    joined.refresh_from_db()
    assert joined.cancel_at_period_end


def test_a_second_live_subscription_does_not_flip_the_membership(
    joined, event, apply, caplog
):
    # A second checkout while the first still runs: the one paid up the
    # longest stays, whichever subscription's events come after.
    second = {"subscription_id": "sub_2", "price_id": "price_sup_m"}
    active = {"state": SubscriptionState.ACTIVE}
    apply(
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            2,
            current_period_end=at(2) + MONTH,
            **second,
            **active,
        )
    )
    assert Membership.objects.get().provider_subscription_id == "sub_2"

    outcomes = apply(
        event(
            EventKind.SUBSCRIPTION_UPDATED,
            3,
            price_id="price_sup_m",
            current_period_end=at(0) + MONTH,
            **active,
        ),
        event(EventKind.SUBSCRIPTION_ENDED, 4, **second),
    )

    assert outcomes == [Outcome.IGNORED, Outcome.APPLIED]
    membership = Membership.objects.get()
    assert membership.provider_subscription_id == "sub_2"
    assert "two live subscriptions" in caplog.text
