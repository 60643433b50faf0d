"""Stripe's events, translated into Masthead's ``BillingEvent`` values (#17).

Signed payloads in Stripe's shapes (stripe_payloads.py) go through
``read_webhook``; no database. Refund lookups talk to the local stand-in
(stripe_api.py), never to Stripe.
"""

from datetime import UTC, datetime

import pytest
from django.test import RequestFactory

from masthead.memberships.providers.base import (
    EventKind,
    SubscriptionState,
    WebhookRefused,
)
from masthead.memberships.providers.stripe import StripeProvider, StripeUnavailable

from . import stripe_payloads as payloads
from .stripe_api import stripe_api
from .stripe_payloads import DAY, MONTH, SECRET, T0, metadata, signed

MEMBER = 42
SUPPORTER = metadata(
    MEMBER, tier_slug="supporter", interval="month", price_id="price_S"
)


@pytest.fixture(autouse=True)
def stripe_settings(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_SECRET_KEY = ""


def read(evt, provider=None):
    body, header = signed(evt)
    request = RequestFactory().post(
        "/membership/webhooks/stripe/",
        data=body,
        content_type="application/json",
        headers={"Stripe-Signature": header},
    )
    return (provider or StripeProvider()).read_webhook(request)


def subscription_event(kind="customer.subscription.updated", **fields):
    fields = {
        "sub_id": "sub_A",
        "customer": "cus_A",
        "price_id": "price_S",
        "meta": SUPPORTER,
    } | fields
    return payloads.event(kind, payloads.subscription(**fields), created=T0 + 5)


def invoice_event(kind="invoice.paid", **fields):
    fields = {
        "invoice_id": "in_A",
        "customer": "cus_A",
        "sub_id": "sub_A",
        "meta": SUPPORTER,
    } | fields
    return payloads.event(kind, payloads.invoice(**fields), created=T0 + 9)


# checkout.session.completed ---------------------------------------------------


def test_a_membership_checkout_names_member_tier_subscription_and_invoice():
    session = payloads.checkout_session(
        member_id=MEMBER,
        meta=SUPPORTER,
        customer="cus_A",
        subscription="sub_A",
        invoice="in_A",
    )
    evt = payloads.event("checkout.session.completed", session, event_id="evt_C")

    [event] = read(evt)

    assert event.provider == "stripe"
    assert event.event_id == "evt_C"
    assert event.kind == EventKind.CHECKOUT_COMPLETED
    assert event.occurred_at == datetime(2026, 3, 1, tzinfo=UTC)
    assert event.member_id == MEMBER
    assert event.purpose == "membership"
    assert (event.customer_id, event.subscription_id) == ("cus_A", "sub_A")
    assert (event.tier_slug, event.interval, event.price_id) == (
        "supporter",
        "month",
        "price_S",
    )
    assert (event.payment_id, event.amount, event.currency) == ("in_A", 500, "EUR")


def test_a_one_off_donation_is_paid_by_its_payment_intent():
    session = payloads.checkout_session(
        member_id=MEMBER,
        meta=metadata(MEMBER, "donation"),
        mode="payment",
        customer=None,
        payment_intent="pi_D",
        amount_total=1234,
    )

    [event] = read(payloads.event("checkout.session.completed", session))

    assert event.purpose == "donation"
    assert (event.payment_id, event.amount) == ("pi_D", 1234)
    assert (event.customer_id, event.subscription_id) == ("", "")


def test_a_gift_checkout_carries_the_gifted_tier_and_period():
    session = payloads.checkout_session(
        member_id=MEMBER,
        meta=metadata(
            MEMBER, "gift", tier_slug="patron", interval="year", reference="31"
        ),
        mode="payment",
        payment_intent="pi_G",
        amount_total=15000,
    )

    [event] = read(payloads.event("checkout.session.completed", session))

    assert (event.purpose, event.tier_slug, event.interval) == (
        "gift",
        "patron",
        "year",
    )
    assert (event.payment_id, event.amount) == ("pi_G", 15000)
    assert (event.reference, event.member_id) == ("31", MEMBER)


def test_a_recurring_donation_checkout_is_a_donation_with_a_subscription():
    session = payloads.checkout_session(
        member_id=MEMBER,
        meta=metadata(MEMBER, "donation"),
        subscription="sub_D",
        invoice="in_D",
        amount_total=700,
    )

    [event] = read(payloads.event("checkout.session.completed", session))

    assert (event.purpose, event.subscription_id, event.payment_id) == (
        "donation",
        "sub_D",
        "in_D",
    )


def test_a_checkout_awaiting_a_bank_debit_counts_once_the_money_arrives():
    session = payloads.checkout_session(
        member_id=MEMBER,
        meta=metadata(MEMBER, "donation"),
        mode="payment",
        payment_intent="pi_Late",
        payment_status="unpaid",
    )

    assert read(payloads.event("checkout.session.completed", session)) == []
    session["payment_status"] = "paid"
    [event] = read(payloads.event("checkout.session.async_payment_succeeded", session))
    assert (event.kind, event.payment_id) == (EventKind.CHECKOUT_COMPLETED, "pi_Late")


def test_a_checkout_masthead_did_not_start_is_ignored():
    session = payloads.checkout_session(member_id=MEMBER, meta={})
    session["client_reference_id"] = None

    assert read(payloads.event("checkout.session.completed", session)) == []


def test_a_member_id_that_is_not_masthead_s_is_not_believed():
    session = payloads.checkout_session(member_id=MEMBER, meta=SUPPORTER)
    session["client_reference_id"] = "1; DROP TABLE"
    session["metadata"] = SUPPORTER | {"member_id": "9" * 40}

    [event] = read(payloads.event("checkout.session.completed", session))

    assert event.member_id is None


# customer.subscription.* -------------------------------------------------------


def test_a_new_subscription_is_active_until_its_item_s_period_end():
    [event] = read(subscription_event("customer.subscription.created"))

    assert event.kind == EventKind.SUBSCRIPTION_UPDATED
    assert event.state == SubscriptionState.ACTIVE
    assert event.member_id == MEMBER
    assert (event.subscription_id, event.customer_id) == ("sub_A", "cus_A")
    assert (event.price_id, event.interval, event.tier_slug) == (
        "price_S",
        "month",
        "supporter",
    )
    assert event.current_period_end == datetime(2026, 3, 31, tzinfo=UTC)
    assert event.cancel_at_period_end is False
    assert event.occurred_at == datetime.fromtimestamp(T0 + 5, UTC)


def test_before_2025_03_31_the_period_end_is_on_the_subscription():
    [event] = read(subscription_event(legacy=True, period_end=T0 + 2 * MONTH))

    assert event.current_period_end == datetime.fromtimestamp(T0 + 2 * MONTH, UTC)


@pytest.mark.parametrize(
    ("status", "state"),
    [
        ("active", SubscriptionState.ACTIVE),
        ("trialing", SubscriptionState.ACTIVE),
        ("past_due", SubscriptionState.PAST_DUE),
        ("canceled", SubscriptionState.ENDED),
        ("unpaid", SubscriptionState.SUSPENDED),
        ("incomplete_expired", SubscriptionState.ENDED),
        ("paused", SubscriptionState.SUSPENDED),
    ],
)
def test_stripe_s_statuses_become_masthead_s_states(status, state):
    [event] = read(subscription_event(status=status))

    assert event.state == state


def test_an_incomplete_subscription_is_not_yet_a_membership():
    assert read(subscription_event(status="incomplete")) == []


def test_a_tier_change_in_the_portal_names_the_new_price_not_the_old_slug():
    evt = subscription_event(price_id="price_P", interval="year")

    [event] = read(evt)

    assert (event.price_id, event.interval, event.tier_slug) == ("price_P", "year", "")


def test_a_cancellation_at_the_period_end_is_reported():
    [event] = read(subscription_event(cancel_at_period_end=True))

    assert event.state == SubscriptionState.ACTIVE
    assert event.cancel_at_period_end is True


def test_a_deleted_subscription_has_ended():
    [event] = read(
        subscription_event("customer.subscription.deleted", status="canceled")
    )

    assert event.kind == EventKind.SUBSCRIPTION_ENDED
    assert event.state == SubscriptionState.ENDED
    assert event.subscription_id == "sub_A"


def test_a_recurring_donation_s_subscription_is_no_membership():
    meta = metadata(MEMBER, "donation")

    assert read(subscription_event(meta=meta)) == []
    assert read(subscription_event("customer.subscription.deleted", meta=meta)) == []


# invoice.* ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["invoice.paid", "invoice.payment_succeeded"])
def test_a_paid_invoice_is_a_payment_keyed_by_the_invoice(kind):
    [event] = read(invoice_event(kind, amount=5000))

    assert event.kind == EventKind.PAYMENT_SUCCEEDED
    assert (event.payment_id, event.amount, event.currency) == ("in_A", 5000, "EUR")
    assert (event.subscription_id, event.customer_id) == ("sub_A", "cus_A")
    assert (event.member_id, event.purpose) == (MEMBER, "membership")


def test_before_2025_03_31_the_invoice_names_its_subscription_itself():
    [event] = read(invoice_event(legacy=True))

    assert (event.subscription_id, event.member_id) == ("sub_A", MEMBER)


def test_a_failed_invoice_is_a_failed_payment_of_the_amount_due():
    [event] = read(invoice_event("invoice.payment_failed", paid=False, amount=500))

    assert event.kind == EventKind.PAYMENT_FAILED
    assert (event.payment_id, event.amount) == ("in_A", 500)
    assert event.subscription_id == "sub_A"


def test_a_recurring_donation_s_invoice_is_a_donation():
    [event] = read(invoice_event(meta=metadata(MEMBER, "donation"), amount=700))

    assert (event.purpose, event.amount) == ("donation", 700)


def test_an_invoice_of_no_subscription_or_no_money_is_ignored():
    assert read(invoice_event(sub_id=None)) == []
    assert read(invoice_event(amount=0)) == []


# charge.refunded ------------------------------------------------------------------


def refund_event(**fields):
    fields = {"payment_intent": "pi_R", "amount": 500, "refunded": 500} | fields
    return payloads.event("charge.refunded", payloads.charge(**fields))


def test_before_2025_03_31_a_refunded_charge_names_its_invoice():
    [event] = read(refund_event(invoice_id="in_A", legacy=True, refunded=200))

    assert event.kind == EventKind.PAYMENT_REFUNDED
    assert (event.payment_id, event.amount, event.refunded_amount) == ("in_A", 500, 200)


def test_a_refunded_subscription_charge_is_matched_to_its_invoice_by_stripe():
    with stripe_api() as api:
        api.invoice_payments["pi_R"] = "in_A"
        provider = StripeProvider(api_key="sk_test_x", api_base=api.url)

        [event] = read(refund_event(), provider)

    assert event.payment_id == "in_A"
    [call] = api.to("/v1/invoice_payments")
    assert call.params["payment[type]"] == "payment_intent"
    assert call.params["payment[payment_intent]"] == "pi_R"


def test_a_refunded_one_off_payment_is_matched_by_its_payment_intent():
    with stripe_api() as api:
        provider = StripeProvider(api_key="sk_test_x", api_base=api.url)

        [event] = read(refund_event(amount=1234, refunded=1234), provider)

    assert (event.payment_id, event.refunded_amount) == ("pi_R", 1234)


def test_without_an_api_key_a_refund_is_matched_by_payment_intent_alone():
    with stripe_api() as api:
        provider = StripeProvider(api_base=api.url)

        [event] = read(refund_event(), provider)

    assert event.payment_id == "pi_R"
    assert api.calls == []


def test_a_refund_is_refused_for_a_retry_when_stripe_cannot_be_asked():
    with stripe_api() as api:
        api.error = (401, "invalid_request_error")
        provider = StripeProvider(api_key="sk_test_wrong", api_base=api.url)

        with pytest.raises(StripeUnavailable) as refused:
            read(refund_event(), provider)

    assert isinstance(refused.value, WebhookRefused)


@pytest.mark.parametrize(
    "kind",
    [
        "payment_intent.succeeded",
        "customer.updated",
        "invoice.created",
        "charge.succeeded",
    ],
)
def test_other_event_types_are_acknowledged_and_ignored(kind):
    evt = payloads.event(kind, {"id": "x_1", "object": kind.split(".")[0]})

    assert read(evt) == []


def test_an_event_s_time_is_its_creation_at_stripe():
    [event] = read(subscription_event() | {"created": T0 + DAY + 1})

    assert event.occurred_at == datetime(2026, 3, 2, 0, 0, 1, tzinfo=UTC)
