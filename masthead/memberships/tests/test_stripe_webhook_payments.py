"""Signed Stripe webhooks replayed against the real endpoint: payments (#17).

Refunds, donations and gifts, and what the endpoint answers to webhooks it
must not believe. A refund's invoice is asked of the local stand-in for
Stripe's API (stripe_api.py); no network.
"""

import pytest
from django.core import mail
from django.test import Client

from masthead.members.factories import MemberFactory
from masthead.memberships import gifts
from masthead.memberships.models import (
    GiftStatus,
    Membership,
    MembershipStatus,
    Payment,
    ProviderEvent,
    Tier,
)
from masthead.memberships.providers.stripe import StripeProvider

from . import stripe_payloads as payloads
from .stripe_api import stripe_api
from .stripe_payloads import DAY, SECRET, T0, Reader, metadata, signed

pytestmark = pytest.mark.django_db

URL = "/membership/webhooks/stripe/"


@pytest.fixture(autouse=True)
def stripe_on(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_SECRET_KEY = "sk_test_masthead"


@pytest.fixture(autouse=True)
def supporter():
    return Tier.objects.create(
        name="Supporter",
        slug="supporter",
        monthly_price=500,
        yearly_price=5000,
        provider_prices={"stripe": {"month": "price_S", "year": "price_S_year"}},
    )


@pytest.fixture
def api(monkeypatch):
    """The stand-in for api.stripe.com, where the webhook's provider asks."""
    with stripe_api() as api:
        monkeypatch.setattr(StripeProvider, "api_base", api.url)
        yield api


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """``post(event, secret=…)``: the endpoint's response to one signed event."""

    def send(evt, secret=SECRET, client=client):
        body, header = signed(evt, secret=secret)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                URL,
                body,
                content_type="application/json",
                headers={"Stripe-Signature": header},
            )

    return send


@pytest.fixture
def deliver(post):
    def send(*events):
        outcomes = []
        for evt in events:
            response = post(evt)
            assert response.status_code == 200, response.content
            outcomes += response.json()["outcomes"]
        return outcomes

    return send


def payments_of(member_id: int) -> list[tuple[str, str, str, int, int]]:
    return [
        (p.provider_payment_id, p.kind, p.status, p.amount, p.refunded_amount)
        for p in Payment.objects.filter(member_id=member_id).order_by("pk")
    ]


def one_off(member_id: int, purpose: str, payment_intent: str, amount: int, **meta):
    session = payloads.checkout_session(
        member_id=member_id,
        meta=metadata(member_id, purpose, **meta),
        mode="payment",
        customer=None,
        payment_intent=payment_intent,
        amount_total=amount,
    )
    return payloads.event("checkout.session.completed", session, created=T0)


def refund(payment_intent: str, amount: int, refunded: int, at: int, **fields):
    charge = payloads.charge(
        payment_intent=payment_intent, amount=amount, refunded=refunded, **fields
    )
    return payloads.event("charge.refunded", charge, created=at)


# Refunds ------------------------------------------------------------------------


def test_a_refunded_membership_payment_is_found_through_its_invoice(api, deliver):
    reader = Reader(member_id=MemberFactory().pk)
    deliver(*reader.started("in_1"))
    api.invoice_payments["pi_1"] = "in_1"

    deliver(refund("pi_1", 500, 500, at=T0 + DAY, customer=reader.customer))

    assert payments_of(reader.member_id) == [
        ("in_1", "membership", "refunded", 500, 500)
    ]
    [call] = api.to("/v1/invoice_payments")
    assert call.params["payment[payment_intent]"] == "pi_1"
    # A refund alone leaves the membership; Stripe says if it ends.
    membership = Membership.objects.get(member_id=reader.member_id)
    assert membership.status == MembershipStatus.ACTIVE


def test_an_endpoint_on_an_older_api_version_names_the_invoice_itself(api, deliver):
    reader = Reader(member_id=MemberFactory().pk)
    deliver(*reader.started("in_1"))

    deliver(refund("pi_1", 500, 500, at=T0 + DAY, invoice_id="in_1", legacy=True))

    assert payments_of(reader.member_id)[0][2] == "refunded"
    assert api.calls == []


def test_a_donation_refunded_in_two_parts(api, deliver):
    member = MemberFactory()
    deliver(one_off(member.pk, "donation", "pi_D", 1000))
    sent = len(mail.outbox)

    deliver(refund("pi_D", 1000, 400, at=T0 + DAY))

    assert payments_of(member.pk) == [
        ("pi_D", "donation", "partly_refunded", 1000, 400)
    ]

    deliver(refund("pi_D", 1000, 1000, at=T0 + 2 * DAY))

    assert payments_of(member.pk) == [("pi_D", "donation", "refunded", 1000, 1000)]
    # A receipt for each refund.
    assert len(mail.outbox) == sent + 2


def test_a_refund_stripe_cannot_place_now_is_refused_for_stripe_to_retry(
    api, post, deliver
):
    reader = Reader(member_id=MemberFactory().pk)
    deliver(*reader.started("in_1"))
    evt = refund("pi_1", 500, 500, at=T0 + DAY)
    api.error = (500, "api_error")
    api.invoice_payments["pi_1"] = "in_1"
    events_before = ProviderEvent.objects.count()

    response = post(evt)

    assert response.status_code == 400
    assert ProviderEvent.objects.count() == events_before
    assert payments_of(reader.member_id)[0][2] == "paid"

    api.error = None
    assert post(evt).status_code == 200
    assert payments_of(reader.member_id)[0][2] == "refunded"


# Donations and gifts -----------------------------------------------------------------


def test_a_monthly_donation_records_donations_and_no_membership(deliver):
    donor = Reader(member_id=MemberFactory().pk, purpose="donation")

    deliver(
        donor.checkout_completed("in_d1", amount=700),
        donor.subscription_event("created", at=T0 + 1),
        donor.invoice_event("paid", "in_d1", at=T0 + 2, amount=700),
        donor.invoice_event("paid", "in_d2", at=T0 + 30 * DAY, amount=700),
    )

    assert payments_of(donor.member_id) == [
        ("in_d1", "donation", "paid", 700, 0),
        ("in_d2", "donation", "paid", 700, 0),
    ]
    assert not Membership.objects.filter(member_id=donor.member_id).exists()


def test_a_failed_donation_leaves_the_donor_s_membership_alone(deliver):
    member = MemberFactory()
    reader = Reader(member_id=member.pk)
    donor = Reader(member_id=member.pk, purpose="donation", customer=reader.customer)
    deliver(*reader.started("in_1"), *donor.started("in_d1"))

    deliver(donor.invoice_event("payment_failed", "in_d2", at=T0 + 30 * DAY))

    membership = Membership.objects.get(member_id=member.pk)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.provider_subscription_id == reader.sub_id


def test_a_paid_gift_is_recorded_and_its_link_sent(supporter, deliver):
    buyer = MemberFactory()
    gift = gifts.start(buyer, supporter, "year", "friend@example.com", "en")
    evt = one_off(
        buyer.pk,
        "gift",
        "pi_G",
        5000,
        tier_slug="supporter",
        interval="year",
        reference=str(gift.pk),
    )

    deliver(evt)

    gift.refresh_from_db()
    assert gift.status == GiftStatus.PAID
    assert gift.payment.provider_payment_id == "pi_G"
    assert payments_of(buyer.pk) == [("pi_G", "gift", "paid", 5000, 0)]
    assert "friend@example.com" in {to for m in mail.outbox for to in m.to}


# What the endpoint does not believe -------------------------------------------------


def test_a_badly_signed_webhook_is_a_400_and_changes_nothing(post):
    reader = Reader(member_id=MemberFactory().pk)

    response = post(reader.started()[0], secret="whsec_not_ours")

    assert response.status_code == 400
    assert response["Cache-Control"] == "private, no-store"
    assert not ProviderEvent.objects.exists()
    assert not Membership.objects.exists()


def test_without_a_webhook_secret_stripe_s_webhooks_are_refused(settings, post):
    settings.STRIPE_WEBHOOK_SECRET = ""
    reader = Reader(member_id=MemberFactory().pk)

    response = post(reader.started()[0], secret="")

    assert response.status_code == 400
    assert not ProviderEvent.objects.exists()


def test_a_site_without_stripe_keys_does_not_answer_for_stripe(settings, post):
    settings.STRIPE_WEBHOOK_SECRET = settings.STRIPE_SECRET_KEY = ""
    settings.MASTHEAD_PAYMENT_PROVIDER = "demo"

    response = post(Reader(member_id=MemberFactory().pk).started()[0], secret="")

    assert response.status_code == 404


def test_a_webhook_needs_no_csrf_token_only_its_signature(post):
    reader = Reader(member_id=MemberFactory().pk)

    response = post(reader.started()[0], client=Client(enforce_csrf_checks=True))

    assert response.status_code == 200
    assert Membership.objects.filter(member_id=reader.member_id).exists()


def test_an_event_masthead_does_not_use_is_acknowledged(post):
    evt = payloads.event("customer.created", {"id": "cus_X", "object": "customer"})

    response = post(evt)

    assert response.status_code == 200
    assert response.json() == {"received": 0, "outcomes": []}


def test_the_webhook_answers_only_post(client):
    assert client.get(URL).status_code == 405
