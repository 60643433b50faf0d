"""Bounces and complaints through anymail's real webhook URL (#16).

The payloads are Postmark's, as its tracking webhook posts them, with the
HTTP basic auth the provider is given (ANYMAIL_WEBHOOK_SECRET).
"""

import base64
import json

import pytest
from django.utils import timezone

from masthead.members.models import ConsentEvent, Member, email_digest
from masthead.newsletters.models import (
    Delivery,
    DeliveryStatus,
    Issue,
    IssueStatus,
    Newsletter,
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)

pytestmark = pytest.mark.django_db

URL = "/anymail/postmark/tracking/"
SECRET = "postmark:a-long-webhook-secret"


@pytest.fixture
def secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def auth(credentials: str = SECRET) -> dict[str, str]:
    token = base64.b64encode(credentials.encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def bounce(email: str, kind: str = "HardBounce", record: str = "Bounce") -> str:
    """A Postmark bounce (or spam complaint) webhook body."""
    return json.dumps(
        {
            "RecordType": record,
            "ID": 4323372036854775807,
            "Type": kind,
            "TypeCode": 1,
            "Name": "Hard bounce",
            "Tag": "newsletter",
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "ServerID": 23,
            "MessageStream": "broadcast",
            "Description": "The server was unable to deliver your message.",
            "Details": "smtp;550 5.1.1 The email account does not exist.",
            "Email": email,
            "From": "news@example.org",
            "BouncedAt": "2026-12-04T05:00:00Z",
            "DumpAvailable": False,
            "Inactive": True,
            "CanActivate": True,
            "Subject": "Morning briefing",
        }
    )


def post(client, body: str, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def subscribed(email: str, *newsletters: Newsletter) -> Member:
    member = Member.objects.create(email=email, language="en")
    for newsletter in newsletters:
        Subscription.objects.create(
            member=member,
            newsletter=newsletter,
            status=SubscriptionStatus.ACTIVE,
            confirmed_at=timezone.now(),
        )
    return member


def newsletter(slug: str) -> Newsletter:
    return Newsletter.objects.create(name=slug.title(), slug=slug)


def statuses(member) -> list[str]:
    return sorted(member.subscriptions.values_list("status", flat=True))


def test_hard_bounce_suppresses_the_address_and_unsubscribes_everywhere(client, secret):
    morning, evening = newsletter("morning"), newsletter("evening")
    member = subscribed("gone@example.org", morning, evening)

    response = post(client, bounce("Gone@Example.org"), **auth())

    assert response.status_code == 200
    row = Suppression.objects.get()
    assert row.email_digest == email_digest("gone@example.org")
    assert row.reason == SuppressionReason.HARD_BOUNCE
    assert "gone@example.org" not in f"{row.email_digest} {row.detail}"
    assert statuses(member) == ["unsubscribed", "unsubscribed"]
    withdrawn = ConsentEvent.objects.filter(member=member, action="withdrawn")
    assert sorted(withdrawn.values_list("what", flat=True)) == [
        "newsletter:evening",
        "newsletter:morning",
    ]


def test_a_second_report_changes_nothing(client, secret):
    member = subscribed("gone@example.org", newsletter("morning"))
    post(client, bounce("gone@example.org"), **auth())
    consents = ConsentEvent.objects.count()

    response = post(client, bounce("gone@example.org"), **auth())

    assert response.status_code == 200
    assert Suppression.objects.count() == 1
    assert ConsentEvent.objects.count() == consents
    assert statuses(member) == ["unsubscribed"]


def test_a_soft_bounce_suppresses_nothing(client, secret):
    member = subscribed("full@example.org", newsletter("morning"))
    response = post(client, bounce("full@example.org", kind="SoftBounce"), **auth())
    assert response.status_code == 200
    assert not Suppression.objects.exists()
    assert statuses(member) == ["active"]


def test_a_spam_complaint_suppresses_as_complained(client, secret):
    member = subscribed("angry@example.org", newsletter("morning"))
    body = bounce("angry@example.org", kind="SpamComplaint", record="SpamComplaint")
    assert post(client, body, **auth()).status_code == 200
    assert Suppression.objects.get().reason == SuppressionReason.COMPLAINT
    assert statuses(member) == ["unsubscribed"]


def test_queued_deliveries_of_the_address_are_not_sent(client, secret):
    morning = newsletter("morning")
    member = subscribed("gone@example.org", morning)
    other = subscribed("still@example.org", morning)
    issue = Issue.objects.create(
        newsletter=morning,
        subject="Sending",
        status=IssueStatus.SENDING,
        recipient_count=2,
    )
    Delivery.objects.create(issue=issue, member=member, email=member.email)
    Delivery.objects.create(issue=issue, member=other, email=other.email)

    post(client, bounce("gone@example.org"), **auth())

    by_email = dict(Delivery.objects.values_list("email", "status"))
    assert by_email == {
        "gone@example.org": DeliveryStatus.SUPPRESSED,
        "still@example.org": DeliveryStatus.QUEUED,
    }
    issue.refresh_from_db()
    assert (issue.suppressed_count, issue.queued_count) == (1, 1)


def test_wrong_credentials_are_refused_without_change(client, secret):
    subscribed("gone@example.org", newsletter("morning"))
    response = post(client, bounce("gone@example.org"), **auth("postmark:guess"))
    assert response.status_code == 400
    assert not Suppression.objects.exists()


def test_without_a_secret_every_webhook_is_refused(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": ""}
    subscribed("gone@example.org", newsletter("morning"))
    response = post(client, bounce("gone@example.org"), **auth())
    assert response.status_code == 403
    assert not Suppression.objects.exists()


def test_a_provider_unsubscribe_ends_every_subscription(client, secret):
    member = subscribed("done@example.org", newsletter("morning"), newsletter("eve"))
    body = json.dumps(
        {
            "RecordType": "SubscriptionChange",
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
            "ServerID": 23,
            "MessageStream": "broadcast",
            "ChangedAt": "2026-12-04T05:00:00Z",
            "Recipient": "done@example.org",
            "Origin": "Recipient",
            "SuppressSending": True,
            "SuppressionReason": "ManualSuppression",
            "Tag": "newsletter",
            "Metadata": {},
        }
    )
    assert post(client, body, **auth()).status_code == 200
    assert statuses(member) == ["unsubscribed", "unsubscribed"]
    # Unsubscribed, not suppressed: signing up again is their choice.
    assert not Suppression.objects.exists()
