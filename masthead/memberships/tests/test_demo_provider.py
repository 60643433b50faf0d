"""The demo provider end to end, and the webhook endpoint (#17).

Through the Django test client, as a reader: join, the labelled demo
checkout, pay, an active membership, then the demo portal's changes, each
made by events applied as a webhook's would be. Then the endpoint itself:
signed demo payloads, and what it refuses.
"""

import json
import zlib
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail, signing
from django.test import Client
from django.utils import timezone

from masthead.members.factories import MemberFactory
from masthead.memberships.models import (
    Membership,
    MembershipStatus,
    Payment,
    PaymentStatus,
    ProviderEvent,
)
from masthead.memberships.providers import demo
from masthead.memberships.providers.base import BillingEvent, Checkout, EventKind

from .conftest import T0, sign_in, soup

pytestmark = pytest.mark.django_db


def path_of(response) -> str:
    assert response.status_code in (302, 303), response.content[:500]
    return urlsplit(response["Location"]).path


@pytest.fixture
def checkout_page(signed_in, tiers):
    """The demo checkout page of a monthly Supporter, as join leads to it."""
    response = signed_in.post("/membership/join/supporter/", {"interval": "month"})
    return path_of(response)


@pytest.fixture
def portal(signed_in, checkout_page, django_capture_on_commit_callbacks):
    """``signed_in`` paid up, and the path of its demo portal (via manage)."""
    with django_capture_on_commit_callbacks(execute=True):
        signed_in.post(checkout_page, {"action": "pay"})
    return path_of(signed_in.post("/membership/manage/"))


def act(client, path, captured, **data):
    with captured(execute=True):
        response = client.post(path, data)
    assert path_of(response) == path
    return Membership.objects.select_related("tier").get()


def test_the_checkout_page_says_no_money_moves(signed_in, checkout_page):
    response = signed_in.get(checkout_page)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    main = soup(response).select_one("main")
    notice = main.select_one(".memberships-demo-notice")
    assert "Demo payment: no money moves." in notice.get_text()
    summary = [dd.get_text(strip=True) for dd in main.select("dl dd")]
    assert summary[:2] == ["Supporter membership, billed monthly", "€5.00 a month"]
    form = main.select_one("form")
    assert form["method"] == "post"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    buttons = {b["value"]: b.get_text(strip=True) for b in form.select("button")}
    assert buttons == {"pay": "Pay €5.00 (demo)", "cancel": "Cancel"}


def test_join_pay_and_be_a_member(
    signed_in, member, checkout_page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(checkout_page, {"action": "pay"})
    assert path_of(response) == "/membership/welcome/"
    membership = Membership.objects.get()
    assert (membership.member, membership.tier.slug, membership.status) == (
        member,
        "supporter",
        MembershipStatus.ACTIVE,
    )
    assert membership.provider == "demo"
    assert membership.provider_customer_id == f"demo_cus_{member.pk}"
    assert membership.current_period_end > timezone.now() + timedelta(days=27)
    payment = Payment.objects.get()
    assert (payment.status, payment.amount, payment.kind) == ("paid", 500, "membership")
    kinds = set(ProviderEvent.objects.values_list("kind", flat=True))
    assert kinds == {"checkout.completed", "subscription.updated", "payment.succeeded"}
    (receipt,) = mail.outbox
    assert "no money moved" in receipt.body

    welcome = signed_in.get(response["Location"])
    text = soup(welcome).select_one("main .memberships-welcome").get_text(strip=True)
    assert text == "Welcome: you are a member of Supporter."

    # Paying the same page again (a reload, a second tab) changes nothing.
    signed_in.post(checkout_page, {"action": "pay"})
    assert Payment.objects.count() == 1
    assert len(mail.outbox) == 1


def test_cancel_goes_back_and_pays_nothing(signed_in, checkout_page):
    response = signed_in.post(checkout_page, {"action": "cancel"})
    assert path_of(response) == "/membership/join/supporter/"
    assert not Membership.objects.exists()
    assert not Payment.objects.exists()


def test_the_checkout_form_needs_its_csrf_token(member, checkout_page):
    strict = Client(enforce_csrf_checks=True)
    sign_in(strict, member)
    assert strict.post(checkout_page, {"action": "pay"}).status_code == 403
    assert not Membership.objects.exists()


def test_the_checkout_is_only_for_its_member(client, checkout_page):
    sign_in(client, MemberFactory())
    assert client.get(checkout_page).status_code == 404
    assert client.post(checkout_page, {"action": "pay"}).status_code == 404
    assert not Membership.objects.exists()


def test_a_stale_forged_or_odd_checkout_is_refused(signed_in, checkout_page):
    with time_machine.travel(timezone.now() + timedelta(days=2)):
        assert signed_in.get(checkout_page).status_code == 404
    assert signed_in.get("/membership/demo/checkout/forged:token/").status_code == 404
    assert signed_in.post(checkout_page, {"action": "steal"}).status_code == 400


def test_the_checkout_token_does_not_carry_the_e_mail_address(
    signed_in, member, checkout_page
):
    token = checkout_page.rstrip("/").rsplit("/", 1)[1]
    payload = token.split(":")[0]
    raw = signing.b64_decode(payload.lstrip(".").encode())
    if payload.startswith("."):
        raw = zlib.decompress(raw)
    assert b"example.org" not in raw and b"email" not in raw
    # The page shows the signed-in member's own address.
    summary = [
        dd.get_text(strip=True)
        for dd in soup(signed_in.get(checkout_page)).select("main dl dd")
    ]
    assert summary[2] == member.email


def test_a_gift_checkout_with_an_odd_reference_is_not_an_error(
    signed_in, member, tiers
):
    # "²".isdigit() is True, but int("²") raises.
    path = demo.DemoProvider().start_checkout(
        Checkout(
            member_id=member.pk,
            email=member.email,
            purpose="gift",
            success_url="/",
            cancel_url="/",
            tier_slug="supporter",
            interval="year",
            reference="²",
        )
    )
    response = signed_in.get(path)
    assert response.status_code == 200
    assert "you to pass on" in soup(response).select_one("main dl dd").get_text()


def test_the_demo_is_closed_on_a_site_with_a_real_provider(
    signed_in, checkout_page, settings
):
    settings.MASTHEAD_PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    assert signed_in.get(checkout_page).status_code == 404
    assert signed_in.post(checkout_page, {"action": "pay"}).status_code == 404


def test_the_portal_shows_the_plan_and_every_way_to_change_it(signed_in, portal):
    response = signed_in.get(portal)
    assert response.status_code == 200
    main = soup(response).select_one("main")
    assert "no money moves" in main.select_one(".memberships-demo-notice").get_text()
    actions = {b["value"] for b in main.select("button[name=action]")}
    assert actions == {"cancel", "renew", "fail", "end"}
    assert main.select_one("input[name=action][value=change]")
    assert main.select_one("input[name=action][value=refund]")
    assert main.select_one("a[href='http://testserver/account/']")


def test_portal_cancel_then_the_period_ends(
    signed_in, portal, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    membership = act(signed_in, portal, captured, action="cancel")
    assert membership.cancel_at_period_end
    assert membership.gives_access()
    page = soup(signed_in.get(portal + "?done=cancel")).select_one("main")
    assert page.select_one("button[value=resume]")

    membership = act(signed_in, portal, captured, action="resume")
    assert not membership.cancel_at_period_end
    act(signed_in, portal, captured, action="cancel")
    membership = act(signed_in, portal, captured, action="renew")
    assert membership.status == MembershipStatus.CANCELED
    assert not membership.gives_access()
    # Ended: nothing more to change.
    assert signed_in.post(portal, {"action": "renew"}).status_code == 400


def test_portal_failed_renewal_then_a_good_one(
    signed_in, portal, django_capture_on_commit_callbacks, settings
):
    captured = django_capture_on_commit_callbacks
    membership = act(signed_in, portal, captured, action="fail")
    assert membership.status == MembershipStatus.PAST_DUE
    assert membership.grace_until is not None
    assert membership.gives_access()
    assert Payment.objects.filter(status=PaymentStatus.FAILED).count() == 1
    end = membership.current_period_end

    membership = act(signed_in, portal, captured, action="renew")
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.grace_until is None
    assert membership.current_period_end > end + timedelta(days=27)
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 2


def test_portal_change_of_plan(signed_in, portal, django_capture_on_commit_callbacks):
    captured = django_capture_on_commit_callbacks
    membership = act(
        signed_in, portal, captured, action="change", tier="patron", interval="year"
    )
    assert (membership.tier.slug, membership.interval) == ("patron", "year")
    response = signed_in.post(
        portal, {"action": "change", "tier": "free", "interval": "month"}
    )
    assert response.status_code == 400


def test_portal_refund(signed_in, member, portal, django_capture_on_commit_callbacks):
    payment = Payment.objects.get()
    act(
        signed_in,
        portal,
        django_capture_on_commit_callbacks,
        action="refund",
        payment=str(payment.pk),
    )
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == ("refunded", 500)
    assert [m.to for m in mail.outbox] == [[member.email], [member.email]]
    # A refunded payment cannot be refunded again, nor someone else's.
    response = signed_in.post(portal, {"action": "refund", "payment": payment.pk})
    assert response.status_code == 400
    for odd in ("x", "²", "١"):
        response = signed_in.post(portal, {"action": "refund", "payment": odd})
        assert response.status_code == 400


def test_the_portal_is_only_for_its_member(client, portal):
    sign_in(client, MemberFactory())
    assert client.get(portal).status_code == 404


# ---------------------------------------------------------------------------
# The webhook endpoint.

WEBHOOK = "/membership/webhooks/demo/"


def post_events(client, *events: BillingEvent, signature: str | None = None):
    body = json.dumps({"events": [demo.event_to_json(e) for e in events]}).encode()
    return client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        headers={demo.SIGNATURE_HEADER: signature or demo.sign_body(body)},
    )


def test_signed_events_are_applied_once(client, member, tiers):
    checkout = BillingEvent(
        provider="demo",
        event_id="demo_evt_1",
        kind=EventKind.CHECKOUT_COMPLETED,
        occurred_at=T0,
        member_id=member.pk,
        customer_id="demo_cus_1",
        subscription_id="demo_sub_1",
        purpose="membership",
        tier_slug="patron",
        interval="month",
    )
    response = post_events(client, checkout)
    assert response.status_code == 200
    assert response.json() == {"received": 1, "outcomes": ["applied"]}
    assert Membership.objects.get().tier.slug == "patron"
    assert post_events(client, checkout).json()["outcomes"] == ["duplicate"]


def test_an_unknown_provider_is_not_found(client):
    response = client.post("/membership/webhooks/paypal/", b"{}", "application/json")
    assert response.status_code == 404


def test_a_webhook_only_answers_post(client):
    assert client.get(WEBHOOK).status_code == 405


PAID = b'{"events": [{"provider": "demo", "event_id": "e", "kind": "payment.succeeded",'


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"{}",
        b'{"events": [{"kind": "nope"}]}',
        PAID + b' "occurred_at": "yesterday"}]}',
        PAID + b' "occurred_at": "2026-01-01T00:00:00+00:00", "amount": -5}]}',
        PAID + b' "occurred_at": "2026-01-01T00:00:00"}]}',
        b'{"events": [{"provider": "stripe", "event_id": "e"}]}',
        b'{"events": "all"}',
        b"\xff\xfe",
    ],
)
def test_a_signed_but_malformed_body_is_refused(client, body):
    response = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        headers={demo.SIGNATURE_HEADER: demo.sign_body(body)},
    )
    assert response.status_code == 400
    assert not ProviderEvent.objects.exists()


def test_a_bad_signature_is_refused(client, member, tiers):
    event = BillingEvent(
        provider="demo",
        event_id="demo_evt_2",
        kind=EventKind.SUBSCRIPTION_ENDED,
        occurred_at=T0,
        member_id=member.pk,
    )
    assert post_events(client, event, signature="0" * 64).status_code == 400
    assert post_events(client, event, signature="é").status_code == 400
    response = client.post(WEBHOOK, b'{"events": []}', "application/json")
    assert response.status_code == 400
    assert not ProviderEvent.objects.exists()


def test_demo_webhooks_are_closed_on_a_site_with_a_real_provider(client, settings):
    settings.MASTHEAD_PAYMENT_PROVIDER = "stripe"
    body = b'{"events": []}'
    response = client.post(
        WEBHOOK,
        body,
        content_type="application/json",
        headers={demo.SIGNATURE_HEADER: demo.sign_body(body)},
    )
    assert response.status_code == 404


def test_a_demo_membership_gives_no_access_once_the_site_goes_live(
    member, tiers, settings
):
    membership = Membership.objects.create(
        member=member, tier=tiers["supporter"], provider="demo"
    )
    assert membership.gives_access()
    settings.MASTHEAD_PAYMENT_PROVIDER = "stripe"
    assert not membership.gives_access()
    membership.provider = "stripe"
    assert membership.gives_access()
