"""Memberships in the admin: tiers, memberships, payments, permissions (#17)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages

from masthead.members.factories import MemberFactory
from masthead.memberships.models import (
    Gift,
    GiftStatus,
    MembershipStatus,
    PaymentKind,
    PaymentStatus,
    Tier,
)
from masthead.newsroom.services import ADMINISTRATOR, EDITOR

from .shown import membership, payment, soup, text, tier

pytestmark = pytest.mark.django_db

TIERS = "/admin/snippets/memberships/tier/"
MEMBERSHIPS = "/admin/snippets/memberships/membership/"
PAYMENTS = "/admin/snippets/memberships/payment/"
GIFTS = "/admin/snippets/memberships/gift/"


def sign_in(client, django_user_model, settings, group: Group):
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_user("staff", password="a-long-pass")
    user.groups.add(group)
    client.force_login(user)
    return client


@pytest.fixture
def administrator(client, django_user_model, settings):
    group = Group.objects.get(name=ADMINISTRATOR)
    return sign_in(client, django_user_model, settings, group)


@pytest.fixture
def editor(client, django_user_model, settings):
    return sign_in(client, django_user_model, settings, Group.objects.get(name=EDITOR))


@pytest.fixture
def audience_desk(client, django_user_model, settings):
    """Staff who may see members, and nothing of memberships by name."""
    group = Group.objects.create(name="Audience")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(
            content_type__app_label="members", codename="view_member"
        ),
    )
    return sign_in(client, django_user_model, settings, group)


def rows(response) -> list[str]:
    assert response.status_code == 200
    return [text(row) for row in soup(response).select("table.listing tbody tr")]


def tier_form(**fields) -> dict[str, str]:
    data = {
        "name": "Supporter",
        "slug": "supporter",
        "description": "",
        "benefits": "A letter\nA badge",
        "is_public": "on",
        "sort_order": "1",
        "monthly_price": "500",
        "yearly_price": "5000",
        "currency": "EUR",
        "provider_prices": '{"stripe": {"month": "price_1", "year": "price_2"}}',
    }
    return {**data, **fields}


def test_administrator_lists_tiers_with_their_prices(administrator):
    tier("free", name="Free", sort_order=1)
    tier("supporter", 500, 5000, name="Supporter", sort_order=2)

    listed = rows(administrator.get(TIERS))

    assert len(listed) == 2
    assert "Free" in listed[0] and "—" in listed[0]
    assert "Supporter" in listed[1]
    assert "€5.00" in listed[1] and "€50.00" in listed[1]


def test_administrator_edits_a_tier_and_its_provider_prices(administrator):
    supporter = tier("supporter", 500, 5000, name="Supporter")

    response = administrator.post(
        f"{TIERS}edit/{supporter.pk}/", tier_form(monthly_price="600")
    )

    assert response.status_code == 302, response.content
    supporter.refresh_from_db()
    assert supporter.monthly_price == 600
    assert supporter.provider_prices == {
        "stripe": {"month": "price_1", "year": "price_2"}
    }


@pytest.mark.parametrize(
    "prices",
    ['["price_1"]', '{"stripe": "price_1"}', '{"stripe": {"week": "price_1"}}'],
)
def test_provider_prices_of_the_wrong_shape_are_refused(administrator, prices):
    response = administrator.post(f"{TIERS}add/", tier_form(provider_prices=prices))

    assert response.status_code == 200
    assert not Tier.objects.exists()
    assert "Write the provider's price ids as" in text(
        soup(response).select_one("main")
    )


def test_a_tier_members_hold_is_not_deleted_but_explained(administrator):
    held = membership().tier

    response = administrator.post(f"{TIERS}delete/{held.pk}/")

    assert response.status_code == 302
    assert Tier.objects.filter(pk=held.pk).exists()
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert response["Location"] == f"{TIERS}edit/{held.pk}/"
    assert any("cannot be deleted" in message for message in said)


def test_editors_cannot_see_or_change_tiers(editor):
    supporter = tier("supporter", 500, 5000)

    for response in (
        editor.get(TIERS),
        editor.get(f"{TIERS}edit/{supporter.pk}/"),
        editor.post(f"{TIERS}edit/{supporter.pk}/", tier_form(monthly_price="1")),
        editor.get(MEMBERSHIPS),
        editor.get(PAYMENTS),
    ):
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    supporter.refresh_from_db()
    assert supporter.monthly_price == 500


def test_memberships_list_filters_by_tier_status_provider_and_member(administrator):
    supporter = tier("supporter", 500, 5000, name="Supporter")
    patron = tier("patron", 1500, 15000, name="Patron")
    membership(MemberFactory(email="ann@example.org"), supporter)
    membership(
        MemberFactory(email="bob@example.org"),
        patron,
        status=MembershipStatus.PAST_DUE,
        provider="stripe",
    )

    assert len(rows(administrator.get(MEMBERSHIPS))) == 2
    for query in (
        {"tier": patron.pk},
        {"status": "past_due"},
        {"provider": "stripe"},
        {"member__email__icontains": "bob@"},
        {"q": "bob@example"},
    ):
        listed = rows(administrator.get(MEMBERSHIPS, query))
        assert len(listed) == 1, query
        assert "bob@example.org" in listed[0] and "Patron" in listed[0]


def test_payments_list_filters_by_kind_status_provider_and_member(administrator):
    ann = MemberFactory(email="ann@example.org")
    payment(ann, 500, description="Supporter, monthly")
    payment(
        MemberFactory(email="bob@example.org"),
        2500,
        kind=PaymentKind.DONATION,
        status=PaymentStatus.REFUNDED,
        provider="stripe",
    )

    assert len(rows(administrator.get(PAYMENTS))) == 2
    for query in (
        {"kind": "donation"},
        {"status": "refunded"},
        {"provider": "stripe"},
        {"member__email__icontains": "bob@"},
    ):
        listed = rows(administrator.get(PAYMENTS, query))
        assert len(listed) == 1, query
        assert "bob@example.org" in listed[0] and "€25.00" in listed[0]


def test_memberships_and_payments_are_never_written_in_the_admin(administrator):
    held = membership()
    paid = payment(held.member)

    for url in (
        f"{MEMBERSHIPS}add/",
        f"{MEMBERSHIPS}edit/{held.pk}/",
        f"{MEMBERSHIPS}delete/{held.pk}/",
        f"{PAYMENTS}add/",
        f"{PAYMENTS}edit/{paid.pk}/",
        f"{PAYMENTS}delete/{paid.pk}/",
    ):
        response = administrator.get(url)
        assert (response.status_code, response["Location"]) == (302, "/admin/"), url
    inspected = administrator.get(f"{PAYMENTS}inspect/{paid.pk}/")
    assert inspected.status_code == 200
    assert held.member.email in text(soup(inspected).select_one("main"))


def test_gifts_are_listed_by_buyer_and_never_written(administrator):
    supporter = tier("supporter", 500, 5000, name="Supporter")
    bought = Gift.objects.create(
        tier=supporter,
        interval="year",
        buyer=MemberFactory(email="ann@example.org"),
        recipient_email="friend@example.org",
        language="en",
        status=GiftStatus.PAID,
    )

    listed = rows(administrator.get(GIFTS, {"buyer__email__icontains": "ann@"}))
    assert len(listed) == 1
    assert "friend@example.org" in listed[0] and "Supporter" in listed[0]
    refused = administrator.get(f"{GIFTS}edit/{bought.pk}/")
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")


def test_staff_who_see_members_see_their_memberships_and_payments(audience_desk):
    held = membership(MemberFactory(email="ann@example.org"))
    payment(held.member, 500)

    assert "ann@example.org" in rows(audience_desk.get(MEMBERSHIPS))[0]
    assert "€5.00" in rows(audience_desk.get(PAYMENTS))[0]
    refused = audience_desk.get(TIERS)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
