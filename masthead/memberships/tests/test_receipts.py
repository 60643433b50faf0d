"""Receipts by e-mail: one per payment, one per refund, never twice (#17)."""

from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from masthead.memberships import tasks
from masthead.memberships.models import Payment
from masthead.memberships.providers.base import EventKind

pytestmark = pytest.mark.django_db


def parts(message) -> tuple[str, BeautifulSoup]:
    html = [content for content, kind in message.alternatives if kind == "text/html"]
    assert len(html) == 1
    return message.body, BeautifulSoup(html[0], "html5lib")


def cells(html):
    """The receipt's table, label to value."""
    return {
        row.th.get_text(strip=True): row.td.get_text(strip=True)
        for row in html.select("table.receipt tr")
    }


@pytest.fixture
def paid(tiers, event, apply):
    apply(
        event(
            EventKind.PAYMENT_SUCCEEDED,
            0,
            purpose="membership",
            payment_id="in_1",
            amount=1250,
            currency="eur",
        )
    )
    return Payment.objects.get()


def test_a_paid_payment_gets_one_receipt_in_text_and_html(paid, member):
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    assert "receipt" in message.subject.lower()
    text, html = parts(message)
    assert "€12.50" in text
    assert "in_1" in text
    table = cells(html)
    assert table["Amount"] == "€12.50"
    assert table["Reference"] == "in_1"
    assert table["For"] == "Membership"
    link = html.select_one("a[href*='/account/']")
    assert urlsplit(link["href"]).path == "/account/"
    paid.refresh_from_db()
    assert paid.receipt_sent_at is not None


def test_the_same_payment_again_sends_nothing_more(paid, event, apply):
    apply(event(EventKind.PAYMENT_SUCCEEDED, 1, payment_id="in_1", amount=1250))
    assert tasks.send_receipt.call(paid.pk) == 0
    assert len(mail.outbox) == 1


def test_each_refund_gets_its_own_receipt_once(paid, event, apply):
    partial = event(
        EventKind.PAYMENT_REFUNDED, 5, payment_id="in_1", refunded_amount=250
    )
    apply(partial, partial)
    assert len(mail.outbox) == 2
    text, html = parts(mail.outbox[1])
    assert "refund" in mail.outbox[1].subject.lower()
    assert "€2.50" in text and "€12.50" in text
    assert cells(html)["Refunded in all"] == "€2.50"

    apply(event(EventKind.PAYMENT_REFUNDED, 6, payment_id="in_1", refunded_amount=1250))
    assert len(mail.outbox) == 3
    text, html = parts(mail.outbox[2])
    assert "€10.00" in text
    assert cells(html)["Refunded in all"] == "€12.50"
    assert tasks.send_receipt.call(paid.pk) == 0


def test_a_failed_payment_gets_no_receipt(tiers, event, apply):
    apply(event(EventKind.PAYMENT_FAILED, 0, payment_id="in_9", amount=500))
    assert Payment.objects.get().status == "failed"
    assert mail.outbox == []


def test_a_donation_receipt_thanks_for_the_donation(tiers, event, apply):
    apply(
        event(
            EventKind.CHECKOUT_COMPLETED,
            0,
            subscription_id="",
            purpose="donation",
            payment_id="pi_1",
            amount=2500,
        )
    )
    (message,) = mail.outbox
    assert "donation" in message.subject.lower()
    assert "Thank you for your donation." in message.body


def test_a_demo_payment_s_receipt_says_no_money_moved(tiers, event, apply):
    apply(
        event(
            EventKind.PAYMENT_SUCCEEDED,
            0,
            provider="demo",
            purpose="membership",
            payment_id="demo_pay_1",
            amount=500,
        )
    )
    text, html = parts(mail.outbox[0])
    assert "no money moved" in text
    assert "no money moved" in html.get_text()


def test_a_ukrainian_member_s_receipt_links_their_edition(tiers, member, event, apply):
    member.language = "uk"
    member.save()
    apply(event(EventKind.PAYMENT_SUCCEEDED, 0, payment_id="in_1", amount=500))
    _text, html = parts(mail.outbox[0])
    link = html.select_one("a[href*='/account/']")
    assert urlsplit(link["href"]).path == "/uk/account/"
    assert cells(html)  # the table is there, whatever the language


def test_an_erased_member_gets_no_receipt(paid, member):
    member.delete()
    Payment.objects.filter(pk=paid.pk).update(receipt_sent_at=None)
    assert tasks.send_receipt.call(paid.pk) == 0
