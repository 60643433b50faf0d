"""Stripe webhooks are believed only with a fresh, valid signature (#17).

Unit tests of ``StripeProvider.read_webhook``: no database, no network.
"""

import json
import time

import pytest
from django.test import RequestFactory

from masthead.memberships.providers.base import EventKind, WebhookRefused
from masthead.memberships.providers.stripe import TOLERANCE, StripeProvider

from . import stripe_payloads as payloads
from .stripe_payloads import SECRET, sign, signed

URL = "/membership/webhooks/stripe/"


@pytest.fixture(autouse=True)
def stripe_settings(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_SECRET_KEY = ""


def request_with(body: bytes, header: str | None):
    headers = {} if header is None else {"Stripe-Signature": header}
    return RequestFactory().post(
        URL, data=body, content_type="application/json", headers=headers
    )


def deleted_subscription() -> dict:
    return payloads.event(
        "customer.subscription.deleted",
        payloads.subscription(
            sub_id="sub_Sig",
            customer="cus_Sig",
            price_id="price_Sig",
            meta=payloads.metadata(1),
            status="canceled",
        ),
    )


def read(body: bytes, header: str | None):
    return StripeProvider().read_webhook(request_with(body, header))


def test_a_validly_signed_event_is_read():
    body, header = signed(deleted_subscription())

    [event] = read(body, header)

    assert event.kind == EventKind.SUBSCRIPTION_ENDED
    assert event.subscription_id == "sub_Sig"


def test_a_webhook_without_a_signature_is_refused():
    body, _header = signed(deleted_subscription())

    with pytest.raises(WebhookRefused):
        read(body, None)


def test_a_webhook_signed_with_another_secret_is_refused():
    body, header = signed(deleted_subscription(), secret="whsec_someone_else")

    with pytest.raises(WebhookRefused):
        read(body, header)


def test_a_signature_older_than_the_tolerance_is_refused():
    body, header = signed(
        deleted_subscription(), timestamp=int(time.time()) - TOLERANCE - 5
    )

    with pytest.raises(WebhookRefused, match="tolerance"):
        read(body, header)


def test_a_signature_just_inside_the_tolerance_is_accepted():
    body, header = signed(
        deleted_subscription(), timestamp=int(time.time()) - TOLERANCE + 30
    )

    assert read(body, header)


def test_a_body_changed_after_signing_is_refused():
    body, header = signed(deleted_subscription())
    tampered = body.replace(b'"canceled"', b'"active"', 1)
    assert tampered != body

    with pytest.raises(WebhookRefused):
        read(tampered, header)


def test_an_old_signature_on_a_new_timestamp_is_refused():
    body, header = signed(deleted_subscription(), timestamp=int(time.time()) - 3600)
    signature = header.split(",v1=")[1]

    with pytest.raises(WebhookRefused):
        read(body, f"t={int(time.time())},v1={signature}")


def test_without_a_webhook_secret_everything_is_refused(settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    body, header = signed(deleted_subscription(), secret="")

    with pytest.raises(WebhookRefused, match="STRIPE_WEBHOOK_SECRET"):
        read(body, header)


def test_one_matching_signature_among_several_is_enough():
    """While a secret is rolled, Stripe signs with the old and the new one."""
    body, header = signed(deleted_subscription())
    old = sign(body, secret="whsec_old_secret").split(",")[1]

    assert read(body, f"{header},{old}")


@pytest.mark.parametrize(
    "header", ["", "nonsense", "t=abc,v1=00", "v1=00", "t=1700000000", "t=1,v1=é"]
)
def test_a_garbled_signature_header_is_refused(header):
    body, _header = signed(deleted_subscription())

    with pytest.raises(WebhookRefused):
        read(body, header)


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"\xff\xfe not utf-8",
        b"[]",
        json.dumps({"object": "charge", "id": "ch_1"}).encode(),
        json.dumps({"object": "event", "type": "invoice.paid"}).encode(),
        json.dumps(
            {"object": "event", "id": "evt_1", "created": 1, "type": "invoice.paid"}
        ).encode(),
    ],
    ids=["not-json", "not-utf8", "list", "not-event", "no-id", "no-object"],
)
def test_a_signed_body_that_is_not_an_event_is_refused(body):
    with pytest.raises(WebhookRefused):
        read(body, sign(body))


def test_an_event_type_masthead_does_not_use_is_read_as_nothing():
    evt = payloads.event("customer.created", {"id": "cus_1", "object": "customer"})

    assert read(*signed(evt)) == []


def test_the_secret_can_be_given_to_the_provider(settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    body, header = signed(deleted_subscription(), secret="whsec_given")

    events = StripeProvider(webhook_secret="whsec_given").read_webhook(
        request_with(body, header)
    )

    assert [event.kind for event in events] == [EventKind.SUBSCRIPTION_ENDED]


@pytest.mark.django_db
def test_a_refused_webhook_says_only_refused_and_logs_why(client, caplog):
    body, _header = signed(deleted_subscription())
    with caplog.at_level("WARNING", logger="masthead.memberships"):
        response = client.post(
            URL,
            body,
            content_type="application/json",
            headers={"Stripe-Signature": "t=1,v1=forged"},
        )
    assert response.status_code == 400
    assert response.json() == {"error": "refused"}
    assert "stripe webhook refused" in caplog.text
