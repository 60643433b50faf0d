"""A monthly donation managed at the provider, with or without a membership (#17).

Each payment keeps the provider's customer that paid it (billing_payments.py),
so a donor with no membership can open the provider's portal from their
account page ("Manage your monthly donation"), and a donor who later joins
pays as the same customer. Through the demo provider's own checkout, and
through signed Stripe webhooks replayed against the endpoint with the local
stand-in for Stripe's API (stripe_api.py); no network.
"""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from masthead.memberships.models import Payment, PaymentKind
from masthead.memberships.providers import demo
from masthead.memberships.providers.stripe import StripeProvider

from .conftest import soup
from .shown import membership, payment, text
from .stripe_api import stripe_api
from .stripe_payloads import DAY, SECRET, T0, Reader, signed

pytestmark = pytest.mark.django_db

ACCOUNT = "http://testserver/account/"


def section(client):
    """The account page's Membership section."""
    response = client.get("/account/")
    assert response.status_code == 200
    heading = soup(response).select_one("main #members-membership-heading")
    assert heading is not None
    return heading.find_parent("section")


def manage_button(part) -> str | None:
    """The text of the section's button to the provider's portal, if any."""
    form = part.select_one("form[action='/membership/manage/']")
    if form is None:
        return None
    assert form["method"] == "post"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    return text(form.select_one("button[type=submit]"))


def demo_portal_of(response) -> tuple[str, str] | None:
    """``(customer, return URL)`` of the demo portal a redirect leads to."""
    assert response.status_code == 303, response.content[:500]
    path = urlsplit(response["Location"]).path
    prefix = "/membership/demo/portal/"
    assert path.startswith(prefix)
    return demo.read_portal(path.removeprefix(prefix).rstrip("/"))


def nothing_to_manage(response) -> bool:
    assert response.status_code == 200
    return text(soup(response).select_one("main h1")) == "Nothing to manage"


@pytest.fixture
def donate_with_demo(signed_in, tiers, django_capture_on_commit_callbacks):
    """``donate_with_demo(frequency)``: €10 given at the demo checkout, paid."""

    def give(frequency: str) -> Payment:
        response = signed_in.post(
            "/membership/donate/", {"amount": "1000", "frequency": frequency}
        )
        assert response.status_code == 303
        with django_capture_on_commit_callbacks(execute=True):
            paid = signed_in.post(response["Location"], {"action": "pay"})
        assert paid.status_code == 303
        return Payment.objects.get(kind=PaymentKind.DONATION)

    return give


# The demo provider ----------------------------------------------------------------


def test_a_monthly_donor_without_a_membership_manages_it_at_the_demo_portal(
    signed_in, member, donate_with_demo
):
    donation = donate_with_demo("month")

    assert donation.provider_subscription_id
    assert donation.provider_customer_id == demo.customer_id(member.pk)
    part = section(signed_in)
    assert "You have no paid membership." in text(part)
    assert manage_button(part) == "Manage your monthly donation"
    response = signed_in.post("/membership/manage/")
    assert demo_portal_of(response) == (demo.customer_id(member.pk), ACCOUNT)
    assert "no-store" in response["Cache-Control"]
    # The demo portal says, for a donor, that the demo keeps nothing to stop.
    portal = signed_in.get(response["Location"])
    assert portal.status_code == 200
    assert text(soup(portal).select_one("main h1")) == "Your monthly donation"


def test_a_one_off_donor_has_nothing_to_manage(signed_in, member, donate_with_demo):
    donation = donate_with_demo("once")

    assert donation.provider_subscription_id == ""
    # Kept all the same: a checkout later reuses it.
    assert donation.provider_customer_id == demo.customer_id(member.pk)
    part = section(signed_in)
    assert "You have no paid membership." in text(part)
    assert manage_button(part) is None
    assert nothing_to_manage(signed_in.post("/membership/manage/"))


def test_a_donor_who_joins_pays_as_the_same_demo_customer(
    signed_in, member, donate_with_demo
):
    donate_with_demo("once")

    response = signed_in.post("/membership/join/supporter/", {"interval": "month"})

    assert response.status_code == 303
    path = urlsplit(response["Location"]).path
    token = path.removeprefix("/membership/demo/checkout/").rstrip("/")
    checkout = demo.read_checkout(token)
    assert checkout is not None
    assert checkout.customer_id == demo.customer_id(member.pk)


def test_a_gift_member_who_donates_monthly_manages_the_donation(signed_in, member):
    membership(
        member, provider="gift", provider_customer_id="", provider_subscription_id=""
    )
    payment(
        member,
        kind=PaymentKind.DONATION,
        provider_subscription_id="demo_sub_D",
        provider_customer_id="demo_cus_D",
    )

    part = section(signed_in)

    assert "Supporter" in text(part.select_one("dl.memberships-summary"))
    assert manage_button(part) == "Manage your monthly donation"
    # The tier is a gift's: nothing of it to change at the provider.
    assert "Change your tier" not in text(part)
    response = signed_in.post("/membership/manage/")
    assert demo_portal_of(response) == ("demo_cus_D", ACCOUNT)


def test_a_running_membership_opens_its_own_customer_s_portal(signed_in, member):
    membership(member, provider_customer_id="demo_cus_M")
    payment(
        member,
        kind=PaymentKind.DONATION,
        provider_subscription_id="demo_sub_D",
        provider_customer_id="demo_cus_D",
    )

    assert manage_button(section(signed_in)) == "Manage or cancel"
    response = signed_in.post("/membership/manage/")
    assert demo_portal_of(response) == ("demo_cus_M", ACCOUNT)


def test_a_gift_s_donation_elsewhere_than_a_provider_is_not_managed(signed_in, member):
    payment(
        member,
        kind=PaymentKind.DONATION,
        provider="gift",
        provider_subscription_id="sub_G",
        provider_customer_id="cus_G",
    )

    assert manage_button(section(signed_in)) is None
    assert nothing_to_manage(signed_in.post("/membership/manage/"))


# Stripe ---------------------------------------------------------------------------


@pytest.fixture
def api(settings, monkeypatch):
    """Stripe as the site's provider, its API the local stand-in."""
    settings.MASTHEAD_PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_SECRET_KEY = "sk_test_masthead"
    with stripe_api() as api:
        monkeypatch.setattr(StripeProvider, "api_base", api.url)
        yield api


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """``deliver(*events)``: each signed and posted to the webhook endpoint."""
    webhooks = Client()

    def send(*events) -> None:
        for evt in events:
            body, header = signed(evt)
            with django_capture_on_commit_callbacks(execute=True):
                response = webhooks.post(
                    "/membership/webhooks/stripe/",
                    body,
                    content_type="application/json",
                    headers={"Stripe-Signature": header},
                )
            assert response.status_code == 200, response.content

    return send


def monthly_donation(donor: Reader, *, legacy: bool = False) -> list[dict]:
    """A monthly donation's checkout, subscription and two paid invoices."""
    return [
        donor.checkout_completed("in_d1", at=T0, amount=700),
        donor.subscription_event("created", at=T0 + 1, legacy=legacy),
        donor.invoice_event(
            "paid",
            "in_d1",
            at=T0 + 2,
            amount=700,
            billing_reason="subscription_create",
            legacy=legacy,
        ),
        # A renewal: only its invoice names it, and its customer.
        donor.invoice_event(
            "paid", "in_d2", at=T0 + 30 * DAY, amount=700, legacy=legacy
        ),
    ]


@pytest.mark.parametrize("legacy", [False, True], ids=["2025-03-31", "older"])
def test_a_stripe_donation_s_payments_keep_their_customer(api, member, deliver, legacy):
    donor = Reader(member_id=member.pk, purpose="donation")

    deliver(*monthly_donation(donor, legacy=legacy))

    assert sorted(
        Payment.objects.filter(member=member).values_list(
            "provider_payment_id", "kind", "provider_customer_id"
        )
    ) == [
        ("in_d1", "donation", donor.customer),
        ("in_d2", "donation", donor.customer),
    ]


def test_a_stripe_monthly_donor_without_a_membership_opens_the_customer_portal(
    api, signed_in, member, tiers, deliver
):
    donor = Reader(member_id=member.pk, purpose="donation")
    deliver(*monthly_donation(donor))

    part = section(signed_in)
    assert "You have no paid membership." in text(part)
    assert manage_button(part) == "Manage your monthly donation"
    response = signed_in.post("/membership/manage/")

    assert response.status_code == 303
    assert response["Location"].startswith("https://billing.stripe.com/p/session/")
    [call] = api.to("/v1/billing_portal/sessions")
    assert call.params == {"customer": donor.customer, "return_url": ACCOUNT}


def test_a_stripe_donor_who_joins_pays_as_the_same_customer(
    api, signed_in, member, tiers, deliver
):
    donor = Reader(member_id=member.pk, purpose="donation")
    deliver(*monthly_donation(donor))

    response = signed_in.post("/membership/join/supporter/", {"interval": "month"})

    assert response.status_code == 303
    assert response["Location"].startswith("https://checkout.stripe.com/")
    [call] = api.to("/v1/checkout/sessions")
    assert call.params["customer"] == donor.customer
    assert "customer_email" not in call.params
