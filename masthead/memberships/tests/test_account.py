"""The membership on the member's account page and in their data download (#17)."""

import json
import re
import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from masthead.cache import limits
from masthead.members.forms import form_stamp
from masthead.members.models import Member
from masthead.memberships.models import (
    Gift,
    GiftStatus,
    MembershipStatus,
    PaymentKind,
    PaymentStatus,
)

from .shown import main, membership, payment, soup, text, tier

pytestmark = pytest.mark.django_db

# The page's "M j, Y" in English.
DATE = "%b %-d, %Y"
SIGN_IN_LINK = re.compile(r"https?://[^\s\"<>]+/account/sign-in/([0-9a-f]+)/")


@pytest.fixture
def reader(client, django_capture_on_commit_callbacks):
    """``client`` signed in as reader@example.org through the e-mailed link."""
    limits.reset()
    form = {
        "email": "reader@example.org",
        "name": "",
        "website": "",
        "shown": form_stamp(time.time() - 10),
        "source": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/sign-in/", form)
    match = SIGN_IN_LINK.search(str(mail.outbox[-1].body))
    assert match
    assert client.post(urlsplit(match.group(0)).path).status_code == 302
    yield Member.objects.get(email="reader@example.org")
    limits.reset()


def section(client):
    response = client.get("/account/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    heading = main(response).select_one("#members-membership-heading")
    assert heading is not None
    return heading.find_parent("section")


def summary(part) -> dict[str, str]:
    terms = part.select("dl.memberships-summary dt")
    return {text(term): text(term.find_next_sibling("dd")) for term in terms}


def payment_table(part) -> list[list[str]]:
    table = part.select_one("table.memberships-payments")
    assert table is not None
    assert [text(th) for th in table.select("thead th[scope=col]")] == [
        "Date",
        "What",
        "Amount",
        "Status",
    ]
    return [[text(td) for td in row.select("td")] for row in table.select("tbody tr")]


def test_a_reader_without_a_membership_is_pointed_to_the_page(client, reader):
    part = section(client)

    assert "You have no paid membership." in text(part)
    assert [a["href"] for a in part.select("a")] == ["/membership/"]
    assert not part.select("table, form")


def test_an_active_member_sees_tier_status_date_payments_and_manage(client, reader):
    ends = timezone.localtime() + timedelta(days=20)
    membership(reader, current_period_end=ends)
    payment(reader, 500, description="Supporter, monthly")
    payment(
        reader,
        2500,
        kind=PaymentKind.DONATION,
        status=PaymentStatus.PARTLY_REFUNDED,
        refunded_amount=1000,
        created_at=timezone.now() - timedelta(days=40),
    )
    payment(None, 9900)  # someone else's, or an erased member's

    part = section(client)

    shown = summary(part)
    assert shown["Tier"] == "Supporter"
    assert shown["Status"] == "Active"
    assert shown["Paid until"] == ends.strftime(DATE)
    form = part.select_one("form")
    assert form["method"] == "post"
    assert form["action"] == "/membership/manage/"
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    assert text(form.select_one("button[type=submit]")) == "Manage or cancel"
    rows = payment_table(part)
    assert [row[1:] for row in rows] == [
        ["Supporter, monthly", "€5.00", "paid"],
        ["donation", "€25.00 (€10.00 refunded)", "partly refunded"],
    ]
    assert not part.select(".memberships-grace")


def test_a_past_due_member_is_told_of_the_grace_period(client, reader):
    grace = timezone.localtime() + timedelta(days=5)
    membership(reader, status=MembershipStatus.PAST_DUE, grace_until=grace)
    payment(reader, 500, status=PaymentStatus.FAILED)

    part = section(client)

    assert summary(part)["Status"] == "Payment due"
    notice = part.select_one(".memberships-grace[role=status]")
    assert notice is not None
    assert grace.strftime(DATE) in text(notice)
    assert payment_table(part)[0][3] == "failed"
    assert part.select_one("form[action='/membership/manage/']")


def test_a_cancelled_membership_says_when_it_ends(client, reader):
    ends = timezone.localtime() + timedelta(days=9)
    membership(reader, cancel_at_period_end=True, current_period_end=ends)

    shown = summary(section(client))

    assert shown["Status"] == "Active, not renewing"
    assert shown["Ends on"] == ends.strftime(DATE)


def test_an_ended_membership_offers_the_page_again(client, reader):
    membership(reader, status=MembershipStatus.CANCELED)

    part = section(client)

    assert "Your Supporter membership has ended." in text(part)
    assert not part.select("form")
    assert part.select_one("a[href='/membership/']")


def test_a_gift_has_nothing_to_manage_at_a_provider(client, reader):
    membership(reader, provider="gift", provider_subscription_id="", interval="")

    part = section(client)

    assert summary(part)["Tier"] == "Supporter"
    assert "Ends on" in summary(part)
    assert not part.select("form")


def test_a_gift_whose_time_ran_out_reads_as_ended(client, reader):
    membership(
        reader,
        provider="gift",
        provider_subscription_id="",
        current_period_end=timezone.now() - timedelta(days=1),
    )

    part = section(client)

    assert "Your Supporter membership has ended." in text(part)
    assert not part.select("dl, form")


def test_data_download_has_the_membership_and_every_payment(client, reader):
    supporter = tier("supporter", 500, 5000, name="Supporter")
    membership(reader, supporter, provider="stripe", interval="year")
    payment(reader, 5000, description="Supporter, yearly", provider="stripe")
    payment(reader, 300, kind=PaymentKind.DONATION, provider="stripe")
    Gift.objects.create(
        tier=supporter,
        interval="year",
        buyer=reader,
        recipient_email="friend@example.org",
        language="en",
        status=GiftStatus.PAID,
    )

    response = client.get("/account/my-data.json")

    data = json.loads(response.content)["memberships"]
    assert data["membership"]["tier"] == "Supporter"
    assert data["membership"]["tier_slug"] == "supporter"
    assert data["membership"]["status"] == "active"
    assert data["membership"]["interval"] == "year"
    assert data["membership"]["provider"] == "stripe"
    assert data["membership"]["current_period_end"]
    assert sorted(
        (p["kind"], p["amount"], p["currency"]) for p in data["payments"]
    ) == [
        ("donation", 300, "EUR"),
        ("membership", 5000, "EUR"),
    ]
    assert [
        (g["tier"], g["length"], g["for"], g["status"]) for g in data["gifts_bought"]
    ] == [("Supporter", "year", "friend@example.org", "paid")]


def test_data_download_of_a_reader_without_a_membership(client, reader):
    data = json.loads(client.get("/account/my-data.json").content)
    assert data["memberships"] == {
        "membership": None,
        "payments": [],
        "gifts_bought": [],
    }


def test_a_member_without_payments_sees_no_empty_table(client, reader):
    membership(reader)
    response = client.get("/account/")
    assert soup(response).select_one("main table.memberships-payments") is None


def test_a_monthly_donation_can_be_managed_after_the_membership_ended(client, reader):
    membership(reader, status=MembershipStatus.CANCELED)
    payment(reader, kind=PaymentKind.DONATION, provider_subscription_id="sub_donation")

    part = section(client)

    form = part.select_one("form")
    assert form is not None
    assert form["action"] == "/membership/manage/"
    assert "monthly donation" in text(form)
