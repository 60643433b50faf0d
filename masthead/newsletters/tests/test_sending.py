"""Sending an issue (#16): who gets it, what it carries, exactly once.

The end-to-end tests deliver through a real SMTP server (aiosmtpd writing a
Maildir) with the exactly-once sender of smtp.py; the others send through
Django's locmem back end, the path of a provider's HTTP API.
"""

import itertools
import time
from email.message import EmailMessage
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import timezone

from masthead.content.factories import make_article
from masthead.core.factories import LibraryImageFactory
from masthead.members.models import Member, email_digest
from masthead.newsletters import rendering, sending, smtp
from masthead.newsletters.links import (
    read_preferences_token,
    read_unsubscribe_token,
)
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
from masthead.newsletters.tests.smtp_rejecting import (  # noqa: F401 - fixture
    REFUSAL,
    rejecting_smtp_fixture,
)

pytestmark = pytest.mark.django_db
_numbers = itertools.count()
BASE = "https://news.example.org"


@pytest.fixture(autouse=True)
def _base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = BASE


def make_newsletter(**fields) -> Newsletter:
    fields.setdefault("name", "Morning Briefing")
    fields.setdefault("slug", "morning")
    fields.setdefault("sender_name", "The Morning Desk")
    fields.setdefault("sender_email", "morning@news.example.org")
    fields.setdefault("reply_to", "desk@news.example.org")
    return Newsletter.objects.create(**fields)


def subscribe(
    newsletter: Newsletter, count: int, status=SubscriptionStatus.ACTIVE
) -> list[Member]:
    members = [
        Member.objects.create(
            email=f"reader{next(_numbers)}@example.org", language="en"
        )
        for _ in range(count)
    ]
    Subscription.objects.bulk_create(
        Subscription(member=m, newsletter=newsletter, status=status) for m in members
    )
    return members


def make_issue(newsletter: Newsletter, **fields) -> Issue:
    fields.setdefault("subject", "Grain corridor reopens")
    fields.setdefault("preheader", "And four more stories")
    fields.setdefault(
        "body",
        [
            ("heading", "Today"),
            ("text", "<p>Good morning. <b>Three</b> things.</p>"),
        ],
    )
    return Issue.objects.create(newsletter=newsletter, **fields)


def start(issue: Issue, capture) -> bool:
    with capture(execute=True):
        started = sending.start_send(issue)
    issue.refresh_from_db()
    return started


def recipients(messages: list[EmailMessage]) -> list[str]:
    return sorted(str(m["To"]) for m in messages)


def html_part(message: EmailMessage) -> BeautifulSoup:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return BeautifulSoup(part.get_content(), "html5lib")


def test_each_active_subscriber_gets_one_message(
    smtp_mail, django_capture_on_commit_callbacks
):
    newsletter = make_newsletter()
    active = subscribe(newsletter, 3)
    subscribe(newsletter, 1, status=SubscriptionStatus.PENDING)
    subscribe(newsletter, 1, status=SubscriptionStatus.UNSUBSCRIBED)
    (suppressed,) = subscribe(newsletter, 1)
    Suppression.objects.create(
        email_digest=email_digest(suppressed.email.upper()),
        reason=SuppressionReason.HARD_BOUNCE,
    )
    subscribe(make_newsletter(slug="other", name="Other"), 2)
    issue = make_issue(newsletter)

    assert start(issue, django_capture_on_commit_callbacks)

    messages = smtp_mail.wait_for(3)
    assert recipients(messages) == sorted(m.email for m in active)
    assert issue.status == IssueStatus.SENT
    assert issue.sent_at is not None
    assert (issue.recipient_count, issue.sent_count) == (4, 3)
    assert (issue.suppressed_count, issue.failed_count) == (1, 0)
    statuses = dict(
        Delivery.objects.filter(issue=issue).values_list("member_id", "status")
    )
    assert statuses == {
        **{m.pk: DeliveryStatus.SENT for m in active},
        suppressed.pk: DeliveryStatus.SUPPRESSED,
    }


def test_message_headers_links_and_parts(smtp_mail, django_capture_on_commit_callbacks):
    newsletter = make_newsletter()
    (member,) = subscribe(newsletter, 1)
    article = make_article(title="Grain corridor reopens at dawn")
    picture = LibraryImageFactory()
    issue = make_issue(
        newsletter,
        body=[
            ("heading", "Today"),
            ("story", {"page": article, "note": "Ships move again."}),
            ("picture", {"image": picture, "alt_text": "A ship", "caption": ""}),
        ],
    )
    start(issue, django_capture_on_commit_callbacks)

    (message,) = smtp_mail.wait_for(1)
    delivery = Delivery.objects.get(issue=issue)
    assert message["From"].addresses[0].display_name == "The Morning Desk"
    assert message["From"].addresses[0].addr_spec == "morning@news.example.org"
    assert str(message["Reply-To"]) == "desk@news.example.org"
    assert str(message["To"]) == member.email
    assert str(message["Subject"]) == "Grain corridor reopens"
    assert message["Message-ID"] == (
        f"<issue-{issue.pk}.{delivery.pk}@news.example.org>"
    )
    assert "<morning.news.example.org>" in str(message["List-Id"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = str(message["List-Unsubscribe"])
    assert unsubscribe.startswith(f"<{BASE}/newsletters/unsubscribe/")
    token = urlsplit(unsubscribe.strip("<>")).path.split("/")[-2]
    assert read_unsubscribe_token(token) == (member.pk, newsletter.pk)

    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert unsubscribe.strip("<>") in text
    assert "Ships move again." in text

    page = html_part(message)
    links = {a["href"] for a in page.find_all("a", href=True)}
    assert unsubscribe.strip("<>") in links
    archive = f"{BASE}/newsletters/morning/{issue.pk}/"
    assert archive in links
    (preferences,) = [link for link in links if "/preferences/" in link]
    assert read_preferences_token(preferences.split("/")[-2]) == member.pk
    headline = page.find("a", string="Grain corridor reopens at dawn")
    assert headline is not None
    # Absolute, on the site's own address (Wagtail's Site), to the article.
    link = urlsplit(headline["href"])
    assert link.scheme in {"http", "https"}
    assert link.path == article.get_url()
    # No tracking pixel: every picture is an image rendition, with alt text.
    images = page.find_all("img")
    assert len(images) == 1
    for image in images:
        assert image["src"].startswith(f"{BASE}/media/images/"), image["src"]
        assert image.get("alt")


def test_starting_twice_sends_once(smtp_mail, django_capture_on_commit_callbacks):
    newsletter = make_newsletter()
    subscribe(newsletter, 3)
    issue = make_issue(newsletter)

    assert start(issue, django_capture_on_commit_callbacks)
    assert not start(issue, django_capture_on_commit_callbacks)
    issue.status = IssueStatus.DRAFT  # a stale copy in an editor's hands
    assert not start(issue, django_capture_on_commit_callbacks)

    assert len(smtp_mail.wait_for(3)) == 3
    assert Delivery.objects.filter(issue=issue).count() == 3
    issue.refresh_from_db()
    assert (issue.recipient_count, issue.sent_count) == (3, 3)


def test_pause_stops_and_resume_finishes_with_exact_counts(
    smtp_mail, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.MASTHEAD_NEWSLETTER_BATCH_SIZE = 4
    monkeypatch.setattr(sending, "PAUSE_CHECK_EVERY", 2)
    queued: list[int] = []
    monkeypatch.setattr(
        sending, "_enqueue", lambda issue_id, delay=0: queued.append(issue_id)
    )
    newsletter = make_newsletter()
    members = subscribe(newsletter, 10)
    issue = make_issue(newsletter)
    assert start(issue, django_capture_on_commit_callbacks)
    assert queued == [issue.pk]

    assert sending.send_batch(issue.pk) == 4
    assert len(smtp_mail.wait_for(4)) == 4
    # Paused mid-batch: the batch stops at its next check.
    record = sending._record_sent

    def pause_after_second(issue_id: int, delivery_id: int) -> bool:
        recorded = record(issue_id, delivery_id)
        if Issue.objects.get(pk=issue_id).sent_count == 6:
            sending.pause_send(issue)
        return recorded

    monkeypatch.setattr(sending, "_record_sent", pause_after_second)
    sending.send_batch(issue.pk)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PAUSED
    assert issue.sent_count == 6
    assert len(smtp_mail.wait_for(6)) == 6
    # While paused, a batch that runs anyway sends nothing.
    assert sending.send_batch(issue.pk) == 0
    queued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert sending.resume_send(issue)
    assert queued == [issue.pk]
    while queued:
        sending.send_batch(queued.pop())
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert (issue.recipient_count, issue.sent_count, issue.failed_count) == (10, 10, 0)
    messages = smtp_mail.wait_for(10)
    assert len(messages) == 10
    assert recipients(messages) == sorted(m.email for m in members)
    assert not Delivery.objects.filter(issue=issue, status=DeliveryStatus.QUEUED)


def test_a_refused_recipient_fails_and_the_rest_go(
    rejecting_smtp, django_capture_on_commit_callbacks
):
    newsletter = make_newsletter()
    accepted = subscribe(newsletter, 2)
    refused = Member.objects.create(email="reject-me@example.org", language="en")
    Subscription.objects.create(
        member=refused, newsletter=newsletter, status=SubscriptionStatus.ACTIVE
    )
    accepted += subscribe(newsletter, 2)
    issue = make_issue(newsletter)

    start(issue, django_capture_on_commit_callbacks)

    messages = rejecting_smtp.wait_for(4)
    # Sent pipelined (RFC 2920): the refusal came back with DATA's reply.
    client = smtp.connect()
    client.ehlo()
    assert client.has_extn("pipelining")
    client.quit()
    assert recipients(messages) == sorted(m.email for m in accepted)
    assert issue.status == IssueStatus.SENT
    assert (issue.sent_count, issue.failed_count) == (4, 1)
    failed = Delivery.objects.get(issue=issue, member=refused)
    assert failed.status == DeliveryStatus.FAILED
    assert failed.error == REFUSAL


def test_publish_and_send_waits_until_the_article_is_public(
    django_capture_on_commit_callbacks,
):
    newsletter = make_newsletter()
    subscribe(newsletter, 2)
    hero = LibraryImageFactory()
    article = make_article(
        title="Audit of the reconstruction fund",
        hero_image=hero,
        hero_alt_text="Auditors at work",
        embargo_until=timezone.now() + timezone.timedelta(hours=1),
    )
    issue = make_issue(newsletter, article=article, body=[])

    assert not start(issue, django_capture_on_commit_callbacks)
    assert issue.status == IssueStatus.WAITING
    assert not mail.outbox

    type(article).objects.filter(pk=article.pk).update(
        embargo_until=timezone.now() - timezone.timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.send_due_issues() == 1
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert len(mail.outbox) == 2
    message = mail.outbox[0]
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    html = BeautifulSoup(message.alternatives[0].content, "html5lib")
    assert html.find("h1").get_text(strip=True) == "Audit of the reconstruction fund"
    (image,) = html.find_all("img")
    assert image["alt"] == "Auditors at work"
    assert "Words in the body." in html.get_text()


def test_send_test_goes_to_chosen_addresses_without_deliveries():
    newsletter = make_newsletter()
    subscribe(newsletter, 2)
    issue = make_issue(newsletter)

    assert sending.send_test(issue, ["editor@example.org"]) == 1

    (message,) = mail.outbox
    assert message.to == ["editor@example.org"]
    assert message.subject == "[Test] Grain corridor reopens"
    assert not Delivery.objects.filter(issue=issue).exists()
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_preview_is_the_issue_html():
    issue = make_issue(make_newsletter())
    page = BeautifulSoup(rendering.render_preview(issue), "html5lib")
    assert page.find("h2").get_text(strip=True) == "Today"
    assert rendering.UNSUBSCRIBE_MARK not in str(page)


def test_a_message_is_delivered_only_after_it_was_recorded(smtp_mail):
    # The final line of DATA goes out after the commit: a sender that dies
    # before it (here: the record fails) leaves nothing delivered.
    message = (
        b"From: desk@example.org\r\nTo: reader@example.org\r\n"
        b"Subject: Once\r\n\r\n.A line starting with a dot\r\n"
    )
    calls: list[str] = []

    def refuse() -> bool:
        calls.append("record")
        return False

    client = smtp.connect()
    with pytest.raises(smtp.ClaimLost):
        client.send_one("desk@example.org", "reader@example.org", message, refuse)
    assert calls == ["record"]

    def crash() -> bool:
        raise RuntimeError("killed at the commit")

    client = smtp.connect()
    with pytest.raises(RuntimeError):
        client.send_one("desk@example.org", "reader@example.org", message, crash)
    client.close()
    time.sleep(0.5)
    assert smtp_mail.messages() == []

    client = smtp.connect()
    reply = client.send_one(
        "desk@example.org", "reader@example.org", message, lambda: True
    )
    client.quit()
    assert reply.accepted
    (delivered,) = smtp_mail.wait_for(1)
    assert delivered.get_content().startswith(".A line starting with a dot")


def test_stalled_sends_are_queued_again_and_due_ones_started(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued: list[int] = []
    monkeypatch.setattr(
        sending, "_enqueue", lambda issue_id, delay=0: queued.append(issue_id)
    )
    newsletter = make_newsletter()
    members = subscribe(newsletter, 2)
    long_ago = timezone.now() - timezone.timedelta(hours=1)
    stalled = make_issue(newsletter, status=IssueStatus.SENDING, started_at=long_ago)
    moving = make_issue(newsletter, status=IssueStatus.SENDING, started_at=long_ago)
    Delivery.objects.create(
        issue=moving,
        member=members[0],
        email=members[0].email,
        status=DeliveryStatus.SENT,
        sent_at=timezone.now(),
    )
    due = make_issue(newsletter, status=IssueStatus.SCHEDULED, scheduled_at=long_ago)
    later = make_issue(
        newsletter,
        status=IssueStatus.SCHEDULED,
        scheduled_at=timezone.now() + timezone.timedelta(hours=1),
    )

    assert sending.resume_stalled_sends(older_than=300) == 1
    assert queued == [stalled.pk]
    # A starting worker queues every send: none can be running.
    queued.clear()
    assert sending.resume_stalled_sends() == 2
    queued.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert sending.send_due_issues() == 1
    due.refresh_from_db()
    later.refresh_from_db()
    assert due.status == IssueStatus.SENDING
    assert due.recipient_count == 2
    assert later.status == IssueStatus.SCHEDULED
    assert sorted(queued) == sorted([due.pk, stalled.pk])
