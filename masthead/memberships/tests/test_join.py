"""The reader's steps before paying: join, donate, give; thanks; manage (#17).

Each page is private and asks a signed-out reader to sign in first; each
form starts the provider's checkout (the demo's here) and never marks
anything paid itself.
"""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from masthead.memberships.models import (
    Gift,
    GiftStatus,
    Membership,
    MembershipStatus,
    Tier,
)
from masthead.memberships.providers import demo
from masthead.memberships.providers.base import ProviderUnavailable

from .conftest import soup

pytestmark = pytest.mark.django_db


def checkout_of(response):
    """The demo checkout a redirect leads to, read back from its token."""
    assert response.status_code == 303, response.content[:500]
    path = urlsplit(response["Location"]).path
    prefix = "/membership/demo/checkout/"
    assert path.startswith(prefix)
    found = demo.read_checkout(path.removeprefix(prefix).rstrip("/"))
    assert found is not None
    return found


def radios(response, name):
    """Value to label of the radio buttons ``name``."""
    page = soup(response)
    return {
        box["value"]: page.select_one(f"label[for={box['id']}]").get_text(strip=True)
        for box in page.select(f"main input[type=radio][name={name}]")
    }


def test_join_asks_a_signed_out_reader_to_sign_in_first(client, tiers):
    response = client.get("/membership/join/supporter/")
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/account/sign-in/"
    assert parse_qs(target.query) == {"from": ["/membership/join/supporter/"]}
    assert "no-store" in response["Cache-Control"]


def test_join_offers_monthly_and_yearly_with_prices(signed_in, tiers):
    response = signed_in.get("/membership/join/supporter/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert radios(response, "interval") == {
        "month": "Monthly: €5.00 a month",
        "year": "Yearly: €50.00 a year",
    }
    form = soup(response).select_one("main form")
    assert form["method"] == "post"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert (
        soup(response).select_one("meta[name=robots]")["content"].startswith("noindex")
    )


def test_joining_starts_the_checkout_of_the_chosen_interval(signed_in, member, tiers):
    response = signed_in.post("/membership/join/patron/", {"interval": "year"})
    checkout = checkout_of(response)
    assert (checkout.purpose, checkout.tier_slug, checkout.interval) == (
        "membership",
        "patron",
        "year",
    )
    # The demo's page token leaves the address out (providers/demo.py).
    assert (checkout.member_id, checkout.email) == (member.pk, "")
    assert checkout.amount == 15000
    assert (
        checkout.success_url
        == "http://testserver/membership/welcome/?purpose=membership"
    )
    assert checkout.cancel_url == "http://testserver/membership/join/patron/"
    assert not Membership.objects.exists()


def test_joining_with_a_made_up_interval_is_refused(signed_in, tiers):
    response = signed_in.post("/membership/join/supporter/", {"interval": "week"})
    assert response.status_code == 400
    assert soup(response).select_one("main .members-field__error")


def test_an_unknown_tier_is_not_found(signed_in, tiers):
    assert signed_in.get("/membership/join/nope/").status_code == 404
    assert signed_in.get("/membership/gift/nope/").status_code == 404


def test_the_free_tier_comes_with_the_account(signed_in, tiers):
    response = signed_in.get("/membership/join/free/")
    assert response.status_code == 200
    main = soup(response).select_one("main")
    assert main.select_one("form") is None
    assert "already" in main.get_text()
    assert not Membership.objects.exists()


def test_a_paying_member_is_sent_to_manage_not_to_pay_twice(signed_in, member, tiers):
    Membership.objects.create(
        member=member,
        tier=tiers["supporter"],
        provider="demo",
        provider_customer_id="demo_cus_1",
        provider_subscription_id="demo_sub_1",
    )
    response = signed_in.get("/membership/join/patron/")
    form = soup(response).select_one("main form")
    assert form["action"] == "/membership/manage/"
    response = signed_in.post("/membership/join/patron/", {"interval": "month"})
    assert response.status_code == 200


def test_the_donation_form_offers_amounts_and_how_often(signed_in, tiers):
    response = signed_in.get("/membership/donate/")
    assert response.status_code == 200
    assert radios(response, "amount") == {
        "500": "€5.00",
        "1000": "€10.00",
        "2500": "€25.00",
        "5000": "€50.00",
        "other": "Another amount",
    }
    assert radios(response, "frequency") == {"once": "Once", "month": "Every month"}
    assert soup(response).select_one("main input[name=other_amount]")


@pytest.mark.parametrize(
    ("data", "cents", "recurring"),
    [
        ({"amount": "2500", "frequency": "once"}, 2500, False),
        (
            {"amount": "other", "other_amount": "12,50", "frequency": "month"},
            1250,
            True,
        ),
        ({"amount": "other", "other_amount": " 7.5 ", "frequency": "once"}, 750, False),
    ],
)
def test_a_donation_starts_its_checkout(signed_in, tiers, data, cents, recurring):
    checkout = checkout_of(signed_in.post("/membership/donate/", data))
    assert (checkout.purpose, checkout.amount, checkout.recurring) == (
        "donation",
        cents,
        recurring,
    )
    assert checkout.currency == "EUR"


@pytest.mark.parametrize(
    "data",
    [
        {"amount": "other", "other_amount": "0.50", "frequency": "once"},
        {"amount": "other", "other_amount": "20000", "frequency": "once"},
        {"amount": "other", "other_amount": "ten", "frequency": "once"},
        {"amount": "other", "other_amount": "", "frequency": "once"},
        {"amount": "777", "frequency": "once"},
        {"amount": "500", "frequency": "weekly"},
        {},
    ],
)
def test_a_donation_out_of_bounds_or_malformed_is_refused(signed_in, tiers, data):
    response = signed_in.post("/membership/donate/", data)
    assert response.status_code == 400
    assert soup(response).select(".members-field__error")


def test_donating_needs_an_account(client, tiers):
    response = client.post("/membership/donate/", {"amount": "500"})
    assert urlsplit(response["Location"]).path == "/account/sign-in/"


def test_a_gift_waits_for_its_payment_and_starts_the_checkout(signed_in, member, tiers):
    response = signed_in.get("/membership/gift/supporter/")
    assert radios(response, "interval") == {
        "month": "One month: €5.00",
        "year": "One year: €50.00",
    }
    response = signed_in.post(
        "/membership/gift/supporter/",
        {"interval": "year", "recipient_email": "Friend@Example.org"},
    )
    checkout = checkout_of(response)
    gift = Gift.objects.get()
    assert (gift.status, gift.buyer, gift.recipient_email) == (
        GiftStatus.PENDING,
        member,
        "friend@example.org",
    )
    assert (checkout.purpose, checkout.reference, checkout.amount) == (
        "gift",
        str(gift.pk),
        5000,
    )


def test_a_free_tier_cannot_be_given(signed_in, tiers):
    assert signed_in.get("/membership/gift/free/").status_code == 404


def test_a_gift_to_a_bad_address_is_refused(signed_in, tiers):
    response = signed_in.post(
        "/membership/gift/supporter/",
        {"interval": "month", "recipient_email": "not an address"},
    )
    assert response.status_code == 400
    assert not Gift.objects.exists()


def test_a_provider_that_cannot_be_reached_answers_503(signed_in, tiers, monkeypatch):
    def unreachable(self, checkout):
        raise ProviderUnavailable("down")

    monkeypatch.setattr(demo.DemoProvider, "start_checkout", unreachable)
    response = signed_in.post("/membership/join/supporter/", {"interval": "month"})
    assert response.status_code == 503
    assert response["Retry-After"] == "60"


@pytest.mark.parametrize(
    ("purpose", "words"),
    [
        ("donation", "donation"),
        ("gift", "gift"),
        ("membership", "being confirmed"),
        ("<script>", "Thank you"),
    ],
)
def test_the_thank_you_page_speaks_of_what_was_bought(signed_in, tiers, purpose, words):
    response = signed_in.get("/membership/welcome/", {"purpose": purpose})
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert words in soup(response).select_one("main").get_text()


def test_the_thank_you_page_welcomes_an_active_member(signed_in, member, tiers):
    Membership.objects.create(member=member, tier=tiers["patron"], provider="demo")
    response = signed_in.get("/membership/welcome/?purpose=membership")
    welcome = soup(response).select_one("main .memberships-welcome")
    assert welcome.get_text(strip=True) == "Welcome: you are a member of Patron."


def test_manage_sends_a_member_to_the_provider_s_portal(signed_in, member, tiers):
    Membership.objects.create(
        member=member,
        tier=tiers["supporter"],
        provider="demo",
        provider_customer_id="demo_cus_9",
        provider_subscription_id="demo_sub_9",
    )
    response = signed_in.post("/membership/manage/")
    assert response.status_code == 303
    path = urlsplit(response["Location"]).path
    token = path.removeprefix("/membership/demo/portal/").rstrip("/")
    assert demo.read_portal(token) == ("demo_cus_9", "http://testserver/account/")


def test_manage_without_a_paid_membership_says_there_is_nothing(
    signed_in, member, tiers
):
    response = signed_in.post("/membership/manage/")
    assert response.status_code == 200
    assert soup(response).select_one("main h1").get_text() == "Nothing to manage"
    Membership.objects.create(
        member=member,
        tier=tiers["supporter"],
        provider="gift",
        status=MembershipStatus.ACTIVE,
    )
    response = signed_in.post("/membership/manage/")
    assert soup(response).select_one("main h1").get_text() == "Nothing to manage"


def test_manage_only_answers_post(signed_in, client, tiers):
    assert signed_in.get("/membership/manage/").status_code == 405


def test_a_member_with_a_payment_due_is_sent_to_manage_not_to_join_again(
    signed_in, member, tiers
):
    # Past due with the grace over: no access, yet the subscription may still
    # be paid; a second one would charge twice.
    Membership.objects.create(
        member=member,
        tier=tiers["supporter"],
        provider="demo",
        status=MembershipStatus.PAST_DUE,
        grace_until=timezone.now() - timedelta(days=1),
        provider_customer_id="demo_cus_1",
        provider_subscription_id="demo_sub_1",
    )
    response = signed_in.post("/membership/join/supporter/", {"interval": "month"})
    assert response.status_code == 200
    main = soup(response).select_one("main")
    assert main.select_one("form")["action"] == "/membership/manage/"
    assert "payment due" in main.get_text()


def test_a_member_whose_membership_ended_may_join_again(signed_in, member, tiers):
    Membership.objects.create(
        member=member,
        tier=tiers["supporter"],
        provider="demo",
        status=MembershipStatus.CANCELED,
        provider_subscription_id="demo_sub_1",
    )
    response = signed_in.post("/membership/join/supporter/", {"interval": "month"})
    assert response.status_code == 303


def test_a_tier_not_public_cannot_be_joined_or_given_by_its_url(
    signed_in, member, tiers
):
    Tier.objects.filter(slug="patron").update(is_public=False)
    assert signed_in.get("/membership/join/patron/").status_code == 404
    post = signed_in.post("/membership/join/patron/", {"interval": "month"})
    assert post.status_code == 404
    assert signed_in.get("/membership/gift/patron/").status_code == 404
    gift = {"interval": "month", "recipient_email": "friend@example.org"}
    assert signed_in.post("/membership/gift/patron/", gift).status_code == 404


def test_a_holder_of_a_tier_no_longer_public_may_still_see_its_page(
    signed_in, member, tiers
):
    Tier.objects.filter(slug="patron").update(is_public=False)
    Membership.objects.create(
        member=member,
        tier=tiers["patron"],
        provider="demo",
        provider_customer_id="demo_cus_1",
        provider_subscription_id="demo_sub_1",
    )
    response = signed_in.get("/membership/join/patron/")
    assert response.status_code == 200
    assert soup(response).select_one("main form")["action"] == "/membership/manage/"


def test_join_answers_503_when_no_provider_is_available(signed_in, tiers, monkeypatch):
    monkeypatch.setattr("masthead.memberships.views.get_provider", lambda *a: None)
    response = signed_in.post("/membership/join/supporter/", {"interval": "month"})
    assert response.status_code == 503
