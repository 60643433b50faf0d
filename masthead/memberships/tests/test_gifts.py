"""Gift memberships: paid, e-mailed, redeemed once by link (#17)."""

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
from django.core import mail

from masthead.members.factories import MemberFactory
from masthead.memberships import gifts
from masthead.memberships.models import (
    Gift,
    GiftStatus,
    Membership,
    MembershipStatus,
    Payment,
)
from masthead.memberships.providers.base import EventKind

from .conftest import sign_in, soup

pytestmark = pytest.mark.django_db

REDEEM_LINK = re.compile(r"https?://[^\s\"<>]+/membership/gift/redeem/([0-9a-f-]+)/")
NOW = datetime(2026, 5, 31, 9, 0, tzinfo=UTC)


def gift_mail():
    """The first gift link sent (receipts go out too)."""
    return next(m for m in mail.outbox if REDEEM_LINK.search(m.body))


def link_path(message) -> str:
    match = REDEEM_LINK.search(message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


@pytest.fixture
def buy(tiers, member, event, apply):
    """``buy(interval, to)``: a gift of Supporter paid through the checkout."""

    def bought(interval="year", to="friend@example.org", reference=True):
        gift = gifts.start(member, tiers["supporter"], interval, to, "en")
        apply(
            event(
                EventKind.CHECKOUT_COMPLETED,
                0,
                subscription_id="",
                purpose="gift",
                reference=str(gift.pk) if reference else "",
                tier_slug="supporter",
                interval=interval,
                payment_id=f"pi_gift_{gift.pk}",
                amount=tiers["supporter"].price(interval),
            )
        )
        gift.refresh_from_db()
        return gift

    return bought


@pytest.fixture
def friend(db):
    return MemberFactory(email="friend@example.org")


def test_a_paid_gift_e_mails_its_link_to_the_recipient_once(buy, member, event, apply):
    gift = buy()
    assert gift.status == GiftStatus.PAID
    payment = Payment.objects.get()
    assert (payment.kind, payment.amount, payment.description) == (
        "gift",
        5000,
        "Supporter",
    )
    assert gift.payment == payment
    links = [m for m in mail.outbox if m.to == ["friend@example.org"]]
    assert len(links) == 1
    assert "Rea Der has given you a membership of Supporter" in links[0].body
    assert "one year" in links[0].body
    html = next(c for c, kind in links[0].alternatives if kind == "text/html")
    assert link_path(links[0]) in html
    # The buyer gets the receipt.
    receipts = [m for m in mail.outbox if m.to == [member.email]]
    assert len(receipts) == 1

    # The provider delivers the checkout again: nothing is sent again.
    apply(
        event(
            EventKind.CHECKOUT_COMPLETED,
            1,
            subscription_id="",
            purpose="gift",
            reference=str(gift.pk),
            payment_id=f"pi_gift_{gift.pk}",
            amount=5000,
        )
    )
    assert len(mail.outbox) == 2


def test_with_no_recipient_the_buyer_gets_the_link_to_pass_on(buy, member):
    buy(to="")
    to_buyer = [m for m in mail.outbox if "pass on" in m.subject]
    assert [m.to for m in to_buyer] == [[member.email]]
    assert "Send it to the person it is for" in to_buyer[0].body


def test_a_checkout_without_its_reference_finds_the_buyer_s_pending_gift(buy):
    gift = buy(interval="month", reference=False)
    assert gift.status == GiftStatus.PAID


def test_redeeming_asks_a_signed_out_reader_to_sign_in(buy, client):
    buy()
    path = link_path(gift_mail())
    response = client.get(path)
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert target.path == "/account/sign-in/"
    assert parse_qs(target.query) == {"from": [path]}


def test_opening_the_link_redeems_nothing_until_the_member_confirms(
    buy, client, friend
):
    gift = buy()
    sign_in(client, friend)
    path = link_path(gift_mail())
    response = client.get(path)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    main = soup(response).select_one("main")
    assert "Supporter for one year" in main.get_text()
    assert main.select_one("form input[name=csrfmiddlewaretoken]")
    gift.refresh_from_db()
    assert gift.status == GiftStatus.PAID
    assert not Membership.objects.exists()


def test_redeeming_gives_the_membership_once(buy, client, friend):
    gift = buy()
    path = link_path(gift_mail())
    sign_in(client, friend)
    with time_machine.travel(NOW, tick=False):
        response = client.post(path)
    assert response.status_code == 200
    membership = Membership.objects.get(member=friend)
    assert (membership.tier.slug, membership.provider, membership.status) == (
        "supporter",
        "gift",
        MembershipStatus.ACTIVE,
    )
    # One year, and 31 May stays 31 May.
    assert membership.current_period_end == datetime(2027, 5, 31, 9, tzinfo=UTC)
    assert membership.cancel_at_period_end
    assert membership.gives_access(NOW)
    assert not membership.gives_access(datetime(2027, 5, 31, 9, 1, tzinfo=UTC))
    gift.refresh_from_db()
    assert (gift.status, gift.redeemed_by) == (GiftStatus.REDEEMED, friend)
    # The link is spent: the recipient's address is not kept.
    assert gift.recipient_email == ""

    assert client.post(path).status_code == 410
    assert client.get(path).status_code == 410
    other = MemberFactory()
    sign_in(client, other)
    assert client.post(path).status_code == 410
    assert not Membership.objects.filter(member=other).exists()


def test_a_month_from_the_31st_ends_on_the_month_s_last_day(buy, client, friend):
    buy(interval="month")
    sign_in(client, friend)
    with time_machine.travel(datetime(2026, 1, 31, 8, tzinfo=UTC), tick=False):
        client.post(link_path(gift_mail()))
    membership = Membership.objects.get(member=friend)
    assert membership.current_period_end == datetime(2026, 2, 28, 8, tzinfo=UTC)


def test_a_paying_member_keeps_the_gift_unused(buy, client, friend, tiers):
    Membership.objects.create(
        member=friend,
        tier=tiers["patron"],
        provider="stripe",
        provider_subscription_id="sub_f",
    )
    gift = buy()
    sign_in(client, friend)
    response = client.post(link_path(gift_mail()))
    assert response.status_code == 409
    assert "pass the link on" in soup(response).select_one("main").get_text()
    gift.refresh_from_db()
    assert gift.status == GiftStatus.PAID
    assert Membership.objects.get(member=friend).tier.slug == "patron"


def test_a_second_gift_lengthens_a_gifted_membership(buy, client, friend):
    buy(interval="month", to="friend@example.org")
    buy(interval="year", to="friend@example.org")
    paths = [link_path(m) for m in mail.outbox if m.to == ["friend@example.org"]]
    sign_in(client, friend)
    with time_machine.travel(NOW, tick=False):
        for path in paths:
            assert client.post(path).status_code == 200
    membership = Membership.objects.get(member=friend)
    assert membership.current_period_end == datetime(2027, 6, 30, 9, tzinfo=UTC)


def test_a_gift_refunded_before_redeeming_is_void(buy, client, friend, event, apply):
    gift = buy()
    path = link_path(gift_mail())
    apply(
        event(
            EventKind.PAYMENT_REFUNDED,
            5,
            subscription_id="",
            payment_id=gift.payment.provider_payment_id,
            refunded_amount=5000,
        )
    )
    gift.refresh_from_db()
    assert gift.status == GiftStatus.VOID
    sign_in(client, friend)
    assert client.post(path).status_code == 404
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    "token",
    ["1-0000", "abc", "1-2-3", "99999999999999999999-ab", "1", "1-%C3%A9", "%C3%A9"],
)
def test_a_forged_or_mangled_link_is_not_found(buy, client, friend, token):
    buy()
    sign_in(client, friend)
    response = client.get(f"/membership/gift/redeem/{token}/")
    assert response.status_code == 404
    assert "private" in response["Cache-Control"]


def test_an_unpaid_gift_s_link_does_not_work(tiers, member, client, friend):
    gift = gifts.start(member, tiers["supporter"], "month", "", "en")
    sign_in(client, friend)
    path = f"/membership/gift/redeem/{gifts.redeem_token(gift.pk)}/"
    assert client.post(path).status_code == 404
    assert Gift.objects.get().status == GiftStatus.PENDING


def test_a_non_ascii_link_is_not_found_even_signed_out(buy, client):
    buy()
    assert client.get("/membership/gift/redeem/1-%C3%A9/").status_code == 404
    # "²".isdigit() is True, but it is no gift id, even signed.
    token = f"²-{gifts._sign('²')}"
    assert client.get(f"/membership/gift/redeem/{token}/").status_code == 404


def test_a_checkout_reference_of_odd_digits_finds_the_pending_gift(tiers, member):
    gift = gifts.start(member, tiers["supporter"], "year", "", "en")
    assert gifts.for_checkout("²", member, "supporter", "year") == gift


def test_erasing_the_buyer_clears_the_recipient_s_address(buy, member):
    gift = buy(to="friend@example.org")
    member.delete()
    gift.refresh_from_db()
    assert (gift.buyer, gift.recipient_email) == (None, "")


def test_erasing_the_recipient_clears_their_address(buy, friend):
    gift = buy(to="Friend@Example.org")
    other = buy(to="someone@example.org")
    friend.delete()
    gift.refresh_from_db()
    other.refresh_from_db()
    assert gift.recipient_email == ""
    assert other.recipient_email == "someone@example.org"
