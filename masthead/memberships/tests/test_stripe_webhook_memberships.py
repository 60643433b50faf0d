"""Signed Stripe webhooks replayed against the real endpoint: memberships (#17).

Each test posts Stripe's events, in Stripe's shapes and signed as Stripe
signs them, to ``/membership/webhooks/stripe/`` with the test client and
reads the memberships and payments they leave. No network.
"""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from masthead.members.factories import MemberFactory
from masthead.memberships.models import (
    Membership,
    MembershipStatus,
    Payment,
    Tier,
)

from .stripe_payloads import DAY, MONTH, SECRET, T0, Reader, signed

pytestmark = pytest.mark.django_db

URL = "/membership/webhooks/stripe/"


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


@pytest.fixture(autouse=True)
def stripe_on(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_SECRET_KEY = ""
    settings.MASTHEAD_PAYMENT_GRACE_DAYS = 7


@pytest.fixture(autouse=True)
def tiers():
    supporter = Tier.objects.create(
        name="Supporter",
        slug="supporter",
        monthly_price=500,
        yearly_price=5000,
        provider_prices={"stripe": {"month": "price_S", "year": "price_S_year"}},
    )
    patron = Tier.objects.create(
        name="Patron",
        slug="patron",
        monthly_price=1500,
        provider_prices={"stripe": {"month": "price_P"}},
    )
    return supporter, patron


@pytest.fixture
def reader():
    return Reader(member_id=MemberFactory().pk)


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """``deliver(*events)``: post each, signed; return the outcomes."""

    def post(*events):
        outcomes = []
        for evt in events:
            body, header = signed(evt)
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(
                    URL,
                    body,
                    content_type="application/json",
                    headers={"Stripe-Signature": header},
                )
            assert response.status_code == 200, response.content
            assert response["Cache-Control"] == "private, no-store"
            outcomes += response.json()["outcomes"]
        return outcomes

    return post


def membership_of(reader: Reader) -> Membership:
    return Membership.objects.select_related("tier").get(member_id=reader.member_id)


def payments_of(reader: Reader) -> list[tuple[str, str, str, int, int]]:
    return [
        (p.provider_payment_id, p.kind, p.status, p.amount, p.refunded_amount)
        for p in Payment.objects.filter(member_id=reader.member_id).order_by("pk")
    ]


def state(reader: Reader) -> dict:
    """Everything the events decide about the reader (for comparing runs)."""
    values = Membership.objects.filter(member_id=reader.member_id).values(
        "tier__slug",
        "status",
        "interval",
        "provider",
        "provider_customer_id",
        "provider_subscription_id",
        "current_period_end",
        "cancel_at_period_end",
        "grace_until",
        "state_at",
    )
    return {"membership": list(values), "payments": payments_of(reader)}


def test_a_checkout_starts_an_active_membership_and_records_its_payment(
    reader, deliver
):
    outcomes = deliver(
        *reader.started("in_1"),
        reader.invoice_event("payment_succeeded", "in_1", at=T0 + 3),
    )

    assert outcomes[:3] == ["applied", "applied", "applied"]
    membership = membership_of(reader)
    assert membership.tier.slug == "supporter"
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.interval == "month"
    assert membership.provider == "stripe"
    assert membership.provider_customer_id == reader.customer
    assert membership.provider_subscription_id == reader.sub_id
    assert membership.current_period_end == at(T0 + MONTH)
    assert membership.cancel_at_period_end is False
    assert membership.gives_access(now=at(T0 + DAY))
    assert payments_of(reader) == [("in_1", "membership", "paid", 500, 0)]


def test_a_renewal_extends_the_period_and_adds_a_payment(reader, deliver):
    deliver(*reader.started("in_1"))

    deliver(
        reader.invoice_event("paid", "in_2", at=T0 + MONTH + 60),
        reader.subscription_event(
            at=T0 + MONTH + 61, period_start=T0 + MONTH, period_end=T0 + 2 * MONTH
        ),
    )

    membership = membership_of(reader)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.current_period_end == at(T0 + 2 * MONTH)
    assert payments_of(reader) == [
        ("in_1", "membership", "paid", 500, 0),
        ("in_2", "membership", "paid", 500, 0),
    ]


def failed_renewal(reader: Reader, at_: int) -> list[dict]:
    return [
        reader.invoice_event("payment_failed", "in_2", at=at_),
        reader.subscription_event(
            at=at_ + 1,
            status="past_due",
            period_start=T0 + MONTH,
            period_end=T0 + 2 * MONTH,
        ),
    ]


def test_a_failed_renewal_leaves_access_for_the_grace_period(reader, deliver):
    deliver(*reader.started("in_1"))
    failed_at = T0 + MONTH + 60

    deliver(*failed_renewal(reader, failed_at))

    membership = membership_of(reader)
    assert membership.status == MembershipStatus.PAST_DUE
    assert membership.grace_until == at(failed_at) + timedelta(days=7)
    assert membership.gives_access(now=at(failed_at + 6 * DAY))
    assert not membership.gives_access(now=at(failed_at + 8 * DAY))
    assert payments_of(reader)[-1] == ("in_2", "membership", "failed", 500, 0)


def test_stripe_s_retries_do_not_stretch_the_grace_period(reader, deliver):
    deliver(*reader.started("in_1"))
    failed_at = T0 + MONTH + 60
    deliver(*failed_renewal(reader, failed_at))

    deliver(*failed_renewal(reader, failed_at + 3 * DAY))

    membership = membership_of(reader)
    assert membership.status == MembershipStatus.PAST_DUE
    assert membership.grace_until == at(failed_at) + timedelta(days=7)


def test_a_retry_that_succeeds_makes_the_member_paid_up_again(reader, deliver):
    deliver(*reader.started("in_1"), *failed_renewal(reader, T0 + MONTH + 60))

    deliver(
        reader.invoice_event("paid", "in_2", at=T0 + MONTH + 3 * DAY),
        reader.subscription_event(
            at=T0 + MONTH + 3 * DAY + 1,
            period_start=T0 + MONTH,
            period_end=T0 + 2 * MONTH,
        ),
    )

    membership = membership_of(reader)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.grace_until is None
    assert payments_of(reader)[-1] == ("in_2", "membership", "paid", 500, 0)


def test_a_renewal_never_paid_ends_the_membership(reader, deliver):
    deliver(*reader.started("in_1"), *failed_renewal(reader, T0 + MONTH + 60))

    deliver(
        reader.subscription_event(
            "deleted", at=T0 + MONTH + 15 * DAY, status="canceled"
        )
    )

    membership = membership_of(reader)
    assert membership.status == MembershipStatus.CANCELED
    assert not membership.gives_access(now=at(T0 + MONTH + 16 * DAY))


def test_a_cancellation_in_the_portal_ends_the_membership_at_the_period_end(
    reader, deliver
):
    deliver(*reader.started("in_1"))

    deliver(reader.subscription_event(at=T0 + 10 * DAY, cancel_at_period_end=True))

    membership = membership_of(reader)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.cancel_at_period_end is True
    assert membership.current_period_end == at(T0 + MONTH)

    deliver(
        reader.subscription_event(
            "deleted", at=T0 + MONTH, status="canceled", cancel_at_period_end=True
        )
    )

    membership = membership_of(reader)
    assert membership.status == MembershipStatus.CANCELED
    assert not membership.gives_access(now=at(T0 + MONTH + 1))


def test_a_tier_change_in_the_portal_moves_the_member_to_the_new_tier(reader, deliver):
    deliver(*reader.started("in_1"))

    deliver(
        reader.subscription_event(at=T0 + 10 * DAY, price_id="price_P"),
        reader.invoice_event(
            "paid",
            "in_upgrade",
            at=T0 + 10 * DAY + 1,
            amount=667,
            billing_reason="subscription_update",
        ),
    )

    membership = membership_of(reader)
    assert membership.tier.slug == "patron"
    assert membership.status == MembershipStatus.ACTIVE
    assert payments_of(reader)[-1] == ("in_upgrade", "membership", "paid", 667, 0)


def test_a_switch_to_yearly_billing_changes_the_interval(reader, deliver):
    deliver(*reader.started("in_1"))

    deliver(
        reader.subscription_event(
            at=T0 + 10 * DAY,
            price_id="price_S_year",
            interval="year",
            period_end=T0 + 365 * DAY,
        )
    )

    membership = membership_of(reader)
    assert (membership.tier.slug, membership.interval) == ("supporter", "year")
    assert membership.current_period_end == at(T0 + 365 * DAY)


def test_the_same_event_twice_changes_nothing_the_second_time(reader, deliver):
    events = reader.started("in_1")
    deliver(*events)
    before, sent = state(reader), len(mail.outbox)

    outcomes = deliver(*events)

    assert outcomes == ["duplicate", "duplicate", "duplicate"]
    assert state(reader) == before
    assert len(mail.outbox) == sent


def test_a_retried_old_event_after_newer_ones_changes_nothing(reader, deliver):
    events = reader.started("in_1")
    deliver(*events, reader.subscription_event(at=T0 + DAY, cancel_at_period_end=True))
    before = state(reader)

    assert deliver(events[1]) == ["duplicate"]
    assert state(reader) == before
    assert membership_of(reader).cancel_at_period_end is True


@pytest.mark.parametrize("order", list(itertools.permutations(range(3))))
def test_a_start_delivered_in_any_order_ends_in_the_same_state(order, deliver):
    """Stripe does not order its webhooks: the subscription may come first."""
    in_order = Reader(member_id=MemberFactory().pk)
    shuffled = Reader(member_id=MemberFactory().pk)
    deliver(*in_order.started("in_a"))
    events = shuffled.started("in_b")

    deliver(*(events[i] for i in order))

    expected = state(in_order)
    got = state(shuffled)
    for row in expected["membership"] + got["membership"]:
        row.pop("provider_customer_id"), row.pop("provider_subscription_id")
    assert got["membership"] == expected["membership"]
    assert [p[1:] for p in got["payments"]] == [p[1:] for p in expected["payments"]]


def test_an_older_update_arriving_late_does_not_undo_a_newer_one(reader, deliver):
    deliver(*reader.started("in_1"))
    newer = reader.subscription_event(at=T0 + 10 * DAY, cancel_at_period_end=True)
    older = reader.subscription_event(at=T0 + 5 * DAY, cancel_at_period_end=False)

    outcomes = deliver(newer, older)

    assert outcomes == ["applied", "stale"]
    assert membership_of(reader).cancel_at_period_end is True


def test_an_ended_subscription_stays_ended_when_an_update_arrives_late(reader, deliver):
    deliver(*reader.started("in_1"))

    deliver(
        reader.subscription_event("deleted", at=T0 + MONTH, status="canceled"),
        reader.subscription_event(at=T0 + 20 * DAY, status="active"),
    )

    assert membership_of(reader).status == MembershipStatus.CANCELED


def test_a_failure_reported_after_the_retry_succeeded_is_stale(reader, deliver):
    deliver(*reader.started("in_1"))
    failed = failed_renewal(reader, T0 + MONTH + 60)

    outcomes = deliver(
        reader.invoice_event("paid", "in_2", at=T0 + MONTH + DAY),
        reader.subscription_event(
            at=T0 + MONTH + DAY + 1,
            period_start=T0 + MONTH,
            period_end=T0 + 2 * MONTH,
        ),
        *failed,
    )

    assert outcomes[-1] == "stale"
    membership = membership_of(reader)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.grace_until is None
    assert membership.current_period_end == at(T0 + 2 * MONTH)
    assert payments_of(reader)[-1] == ("in_2", "membership", "paid", 500, 0)


@pytest.mark.parametrize("status", ["unpaid", "paused"])
def test_an_unpaid_subscription_loses_access_until_a_later_payment(
    reader, deliver, status
):
    deliver(*reader.started("in_1"), *failed_renewal(reader, T0 + MONTH + 60))
    suspended_at = T0 + MONTH + 15 * DAY

    deliver(reader.subscription_event(at=suspended_at, status=status))

    membership = membership_of(reader)
    assert membership.status == MembershipStatus.PAST_DUE
    assert not membership.gives_access(now=at(suspended_at + 1))

    deliver(
        reader.invoice_event("paid", "in_2", at=suspended_at + DAY),
        reader.subscription_event(
            at=suspended_at + DAY + 1,
            period_start=suspended_at + DAY,
            period_end=suspended_at + DAY + MONTH,
        ),
    )

    membership = membership_of(reader)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.grace_until is None
    assert membership.gives_access(now=at(suspended_at + 2 * DAY))
