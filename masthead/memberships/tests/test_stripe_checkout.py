"""What Masthead asks of Stripe's API: Checkout and Portal sessions (#17).

The SDK talks to the local stand-in (stripe_api.py); each test reads the
form parameters as they went over the wire.
"""

from typing import Any

import pytest
import stripe

from masthead.members.factories import MemberFactory
from masthead.members.models import Member
from masthead.members.services import erase_member
from masthead.memberships.models import (
    Membership,
    MembershipStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
    Tier,
)
from masthead.memberships.providers.base import Checkout, ProviderUnavailable
from masthead.memberships.providers.stripe import StripeProvider

from .stripe_api import stripe_api

URLS = {
    "success_url": "https://news.example/membership/welcome/",
    "cancel_url": "https://news.example/membership/",
}


@pytest.fixture
def api(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_masthead"
    settings.MASTHEAD_CURRENCY = "EUR"
    with stripe_api() as api:
        yield api


@pytest.fixture
def provider(api):
    return StripeProvider(api_base=api.url)


def checkout(**fields: Any) -> Checkout:
    defaults: dict[str, Any] = {"member_id": 7, "email": "reader@example.com"}
    return Checkout(**(defaults | URLS | fields))


def membership(**fields) -> Checkout:
    return checkout(
        **(
            {
                "purpose": "membership",
                "tier_slug": "supporter",
                "interval": "month",
                "price_id": "price_S_month",
            }
            | fields
        )
    )


def metadata_sent(params: dict[str, str], prefix: str = "metadata") -> dict[str, str]:
    start = f"{prefix}["
    return {
        key[len(start) : -1]: value
        for key, value in params.items()
        if key.startswith(start) and key.count("[") == prefix.count("[") + 1
    }


def test_a_membership_checkout_subscribes_to_the_tier_s_price(api, provider):
    url = provider.start_checkout(membership())

    [call] = api.to("/v1/checkout/sessions")
    assert url.startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert call.method == "POST"
    assert call.headers["Authorization"] == "Bearer sk_test_masthead"
    params = call.params
    assert params["mode"] == "subscription"
    assert params["line_items[0][price]"] == "price_S_month"
    assert params["line_items[0][quantity]"] == "1"
    assert "line_items[0][price_data][unit_amount]" not in params
    assert params["client_reference_id"] == "7"
    assert params["customer_email"] == "reader@example.com"
    assert "customer" not in params
    assert params["success_url"] == URLS["success_url"]
    assert params["cancel_url"] == URLS["cancel_url"]
    expected = {
        "member_id": "7",
        "purpose": "membership",
        "tier_slug": "supporter",
        "interval": "month",
        "price_id": "price_S_month",
    }
    assert metadata_sent(params) == expected
    # The subscription carries the ids too, for its events and invoices.
    assert metadata_sent(params, "subscription_data[metadata]") == expected
    assert not any(key.startswith("payment_intent_data") for key in params)


def test_a_known_customer_is_reused_instead_of_the_address(api, provider):
    provider.start_checkout(membership(customer_id="cus_Known"))

    [call] = api.to("/v1/checkout/sessions")
    assert call.params["customer"] == "cus_Known"
    assert "customer_email" not in call.params


def test_a_tier_without_a_stripe_price_asks_nothing_of_stripe(api, provider):
    with pytest.raises(ProviderUnavailable, match="patron"):
        provider.start_checkout(membership(tier_slug="patron", price_id=""))

    assert api.calls == []


def test_a_one_off_donation_pays_the_chosen_amount_once(api, provider):
    provider.start_checkout(checkout(purpose="donation", amount=1234))

    [call] = api.to("/v1/checkout/sessions")
    params = call.params
    assert params["mode"] == "payment"
    assert params["submit_type"] == "donate"
    assert params["line_items[0][price_data][currency]"] == "eur"
    assert params["line_items[0][price_data][unit_amount]"] == "1234"
    assert params["line_items[0][price_data][product_data][name]"] == "Donation"
    assert "line_items[0][price_data][recurring][interval]" not in params
    assert "line_items[0][price]" not in params
    assert metadata_sent(params) == {"member_id": "7", "purpose": "donation"}
    # The payment carries the ids too, for its refund.
    assert metadata_sent(params, "payment_intent_data[metadata]") == {
        "member_id": "7",
        "purpose": "donation",
    }
    assert not any(key.startswith("subscription_data") for key in params)


def test_a_recurring_donation_subscribes_to_the_amount_monthly(api, provider):
    provider.start_checkout(
        checkout(purpose="donation", amount=700, currency="USD", recurring=True)
    )

    [call] = api.to("/v1/checkout/sessions")
    params = call.params
    assert params["mode"] == "subscription"
    assert params["line_items[0][price_data][currency]"] == "usd"
    assert params["line_items[0][price_data][unit_amount]"] == "700"
    assert params["line_items[0][price_data][recurring][interval]"] == "month"
    assert params["line_items[0][price_data][product_data][name]"] == "Monthly donation"
    assert "submit_type" not in params
    assert metadata_sent(params, "subscription_data[metadata]") == {
        "member_id": "7",
        "purpose": "donation",
    }


@pytest.mark.django_db
def test_a_gift_pays_once_for_the_tier_and_period_given(api, provider):
    Tier.objects.create(name="Patron", slug="patron", yearly_price=15000)

    provider.start_checkout(
        checkout(
            purpose="gift",
            tier_slug="patron",
            interval="year",
            amount=15000,
            reference="31",
        )
    )

    [call] = api.to("/v1/checkout/sessions")
    params = call.params
    assert params["mode"] == "payment"
    assert params["line_items[0][price_data][unit_amount]"] == "15000"
    assert (
        params["line_items[0][price_data][product_data][name]"]
        == "Gift membership: Patron, yearly"
    )
    assert metadata_sent(params) == {
        "member_id": "7",
        "purpose": "gift",
        "tier_slug": "patron",
        "interval": "year",
        "reference": "31",
    }
    assert params["client_reference_id"] == "7"


@pytest.mark.django_db
def test_a_gift_without_an_amount_costs_the_tier_s_price(api, provider):
    Tier.objects.create(name="Supporter", slug="supporter", monthly_price=500)

    provider.start_checkout(
        checkout(purpose="gift", tier_slug="supporter", interval="month")
    )

    [call] = api.to("/v1/checkout/sessions")
    assert call.params["line_items[0][price_data][unit_amount]"] == "500"


def test_a_donation_of_nothing_asks_nothing_of_stripe(api, provider):
    with pytest.raises(ProviderUnavailable, match="amount"):
        provider.start_checkout(checkout(purpose="donation", amount=0))

    assert api.calls == []


def test_the_portal_opens_for_the_customer_and_returns_to_masthead(api, provider):
    url = provider.portal_url("cus_A", "https://news.example/account/")

    [call] = api.to("/v1/billing_portal/sessions")
    assert url.startswith("https://billing.stripe.com/p/session/")
    assert call.params == {
        "customer": "cus_A",
        "return_url": "https://news.example/account/",
    }


def test_stripe_s_refusal_is_logged_and_reported_unavailable(api, provider, caplog):
    api.error = (401, "invalid_request_error")

    with pytest.raises(ProviderUnavailable) as refused:
        provider.start_checkout(membership())
    with pytest.raises(ProviderUnavailable):
        provider.portal_url("cus_A", "https://news.example/account/")

    assert isinstance(refused.value.__cause__, stripe.AuthenticationError)
    assert [record.levelname for record in caplog.records] == ["ERROR", "ERROR"]
    assert "Stand-in error." in caplog.records[0].getMessage()


def test_stripe_out_of_reach_is_reported_unavailable(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_masthead"
    with stripe_api() as api:
        provider = StripeProvider(api_base=api.url)
    # The stand-in has stopped: nothing listens on its port any more.

    with pytest.raises(ProviderUnavailable):
        provider.start_checkout(membership())


def test_the_api_key_given_to_the_provider_wins_over_the_setting(api):
    StripeProvider(api_key="sk_test_given", api_base=api.url).portal_url(
        "cus_A", "https://news.example/account/"
    )

    assert api.calls[0].headers["Authorization"] == "Bearer sk_test_given"


@pytest.fixture
def erasable(api, settings, monkeypatch):
    """A Stripe member with a membership past due and a monthly donation."""
    settings.MASTHEAD_PAYMENT_PROVIDER = "stripe"
    monkeypatch.setattr(StripeProvider, "api_base", api.url)
    member = MemberFactory(email="gone@example.org")
    tier = Tier.objects.create(name="Supporter", slug="supporter", monthly_price=500)
    Membership.objects.create(
        member=member,
        tier=tier,
        provider="stripe",
        status=MembershipStatus.PAST_DUE,
        provider_customer_id="cus_1",
        provider_subscription_id="sub_member",
    )
    Payment.objects.create(
        member=member,
        kind=PaymentKind.DONATION,
        status=PaymentStatus.PAID,
        amount=1000,
        currency="EUR",
        provider="stripe",
        provider_payment_id="in_d1",
        provider_subscription_id="sub_donation",
    )
    return member


@pytest.mark.django_db(transaction=True)
def test_erasing_a_member_cancels_their_live_subscriptions_at_stripe(api, erasable):
    erase_member(erasable)

    deleted = sorted(call.path for call in api.calls if call.method == "DELETE")
    assert deleted == [
        "/v1/subscriptions/sub_donation",
        "/v1/subscriptions/sub_member",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_cancellation_stripe_refuses_is_logged_and_the_erasure_goes_on(
    api, erasable, caplog
):
    api.error = (500, "api_error")

    erase_member(erasable)

    assert not Member.objects.filter(pk=erasable.pk).exists()
    assert "sub_member not cancelled" in caplog.text
    assert "gone@example.org" not in caplog.text
