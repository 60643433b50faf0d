"""Newsletters in the admin: lists, an issue's sending page, permissions (#16)."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, streamfield

from masthead.members.factories import MemberFactory
from masthead.members.models import email_digest
from masthead.newsletters.models import (
    Delivery,
    Issue,
    IssueStatus,
    Newsletter,
    Subscription,
    SubscriptionStatus,
    Suppression,
)
from masthead.newsroom.services import ADMINISTRATOR, CONTRIBUTOR, EDITOR

pytestmark = pytest.mark.django_db

ISSUES = "/admin/newsletters/issues/"
NEWSLETTERS = "/admin/snippets/newsletters/newsletter/"
SUBSCRIBERS = "/admin/snippets/newsletters/subscription/"
SUPPRESSIONS = "/admin/snippets/newsletters/suppression/"


def sign_in(client, django_user_model, settings, role: str):
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_user(role.lower(), password="a-long-pass")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    return client


@pytest.fixture
def editor(client, django_user_model, settings):
    return sign_in(client, django_user_model, settings, EDITOR)


@pytest.fixture
def morning():
    return Newsletter.objects.create(name="Morning", slug="morning", language="en")


def subscribe(newsletter, *emails):
    for email in emails:
        Subscription.objects.create(
            member=MemberFactory(email=email),
            newsletter=newsletter,
            status=SubscriptionStatus.ACTIVE,
        )


def draft(newsletter, **fields) -> Issue:
    fields.setdefault("subject", "Friday's news")
    body = [("heading", "Hello"), ("text", "<p>What happened today.</p>")]
    return Issue.objects.create(newsletter=newsletter, body=body, **fields)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def said(response) -> str:
    """The last message the request left for the next page."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def page_numbers(response) -> dict[str, str]:
    page = soup(response)
    return {
        str(cell["data-progress"]): cell.get_text(strip=True)
        for cell in page.select("[data-progress]")
    }


# Permissions ----------------------------------------------------------------


def test_contributors_see_no_newsletters_and_may_not_send(
    client, django_user_model, settings, morning
):
    issue = draft(morning)
    contributor = sign_in(client, django_user_model, settings, CONTRIBUTOR)

    listing = contributor.get(ISSUES)
    assert (listing.status_code, listing["Location"]) == (302, "/admin/")
    assert contributor.get(f"{ISSUES}{issue.pk}/").status_code == 403
    assert contributor.get(f"{ISSUES}{issue.pk}/progress.json").status_code == 403
    assert contributor.post(f"{ISSUES}{issue.pk}/send/").status_code == 403
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    assert not Delivery.objects.exists()


def test_anonymous_progress_is_sent_to_sign_in(client, morning):
    response = client.get(f"{ISSUES}{draft(morning).pk}/progress.json")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_subscribers_are_for_administrators_only(
    client, django_user_model, settings, morning
):
    subscribe(morning, "reader@example.org")
    editor = sign_in(client, django_user_model, settings, EDITOR)
    refused = editor.get(SUBSCRIBERS)
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")

    other = Newsletter.objects.create(name="Evening", slug="evening")
    subscribe(other, "night@example.org")
    admin = sign_in(client, django_user_model, settings, ADMINISTRATOR)
    response = admin.get(SUBSCRIBERS, {"newsletter": morning.pk})
    assert response.status_code == 200
    rows = [row.get_text(" ", strip=True) for row in soup(response).select("tbody tr")]
    assert len(rows) == 1
    assert "reader@example.org" in rows[0]
    # Listed only: consent changes go through the services that log it.
    subscription = Subscription.objects.get(member__email="reader@example.org")
    for url in (f"{SUBSCRIBERS}add/", f"{SUBSCRIBERS}edit/{subscription.pk}/"):
        assert admin.get(url).status_code in (302, 403)


# Lists and forms --------------------------------------------------------------


def test_editor_creates_a_newsletter(editor):
    response = editor.post(
        f"{NEWSLETTERS}add/",
        {
            "name": "Evening",
            "slug": "evening",
            "description": "Every weekday at six.",
            "language": "uk",
            "sort_order": "0",
            "is_public": "on",
            "briefing_hour": "18",
            "sender_name": "",
            "sender_email": "",
            "reply_to": "",
            "header_image": "",
            "header_image_alt": "",
            "footer": "",
        },
    )
    assert response.status_code == 302, soup(response).select(".error-message")
    created = Newsletter.objects.get(slug="evening")
    assert (created.language, created.briefing_hour) == ("uk", 18)


def test_newsletter_list_counts_active_subscribers(editor, morning):
    subscribe(morning, "a@example.org", "b@example.org")
    Subscription.objects.filter(member__email="b@example.org").update(
        status=SubscriptionStatus.UNSUBSCRIBED
    )
    response = editor.get(NEWSLETTERS)
    cells = [td.get_text(strip=True) for td in soup(response).select("tbody tr td")]
    assert "Morning" in " ".join(cells)
    assert "1" in cells


def test_issue_list_shows_newsletter_status_and_counts(editor, morning):
    draft(
        morning,
        subject="Sent one",
        status=IssueStatus.SENT,
        sent_count=41,
        recipient_count=42,
        failed_count=1,
    )
    response = editor.get(ISSUES)
    assert response.status_code == 200
    row = soup(response).select_one("tbody tr")
    cells = [td.get_text(" ", strip=True) for td in row.select("td")]
    assert any("Sent one" in cell for cell in cells)
    assert "Morning" in cells
    assert "sent" in cells
    assert {"42", "41", "1"} <= set(cells)


def test_editor_writes_an_issue(editor, morning):
    data = nested_form_data(
        {
            "newsletter": morning.pk,
            "subject": "Weekend reading",
            "preheader": "Three long reads",
            "body": streamfield([("heading", "Long reads")]),
        }
    )
    response = editor.post(f"{ISSUES}add/", data)
    assert response.status_code == 302, soup(response).select(".error-message")
    issue = Issue.objects.get(subject="Weekend reading")
    assert issue.status == IssueStatus.DRAFT
    assert [block.value for block in issue.body] == ["Long reads"]


def test_suppressing_by_hand_keeps_only_the_digest(editor):
    response = editor.post(
        f"{SUPPRESSIONS}add/",
        {"email": "Asked@Example.org", "reason": "manual", "detail": "By phone"},
    )
    assert response.status_code == 302, soup(response).select(".error-message")
    row = Suppression.objects.get()
    assert row.email_digest == email_digest("asked@example.org")
    assert "asked" not in row.detail.lower()
    again = editor.post(
        f"{SUPPRESSIONS}add/",
        {"email": "asked@example.org", "reason": "manual", "detail": ""},
    )
    assert again.status_code == 200
    assert Suppression.objects.count() == 1


# The sending page -----------------------------------------------------------


def test_sending_page_shows_numbers_and_a_sandboxed_preview(editor, morning):
    issue = draft(
        morning,
        status=IssueStatus.PAUSED,
        recipient_count=10,
        sent_count=6,
        failed_count=1,
        suppressed_count=1,
    )
    response = editor.get(f"{ISSUES}{issue.pk}/")
    assert response.status_code == 200
    assert page_numbers(response) == {
        "status_label": "paused",
        "recipients": "10",
        "queued": "2",
        "sent": "6",
        "failed": "1",
        "suppressed": "1",
    }
    frame = soup(response).select_one("iframe.newsletters-preview__frame")
    # Sandboxed, with no allow-* token: no script, no form, an opaque origin.
    assert frame.has_attr("sandbox")
    assert not frame["sandbox"]
    assert frame["src"] == f"{ISSUES}{issue.pk}/preview/"
    # Paused: resume, not send or pause.
    actions = {form["action"] for form in soup(response).select("form")}
    assert f"{ISSUES}{issue.pk}/resume/" in actions
    assert f"{ISSUES}{issue.pk}/pause/" not in actions

    preview = editor.get(frame["src"])
    assert preview.status_code == 200
    assert preview["Content-Security-Policy"].startswith("sandbox")
    headings = [h.get_text(strip=True) for h in soup(preview).find_all(["h1", "h2"])]
    assert "Hello" in headings


def test_progress_json_is_never_cached(editor, morning):
    issue = draft(
        morning,
        status=IssueStatus.SENDING,
        recipient_count=5,
        sent_count=2,
        suppressed_count=1,
    )
    response = editor.get(f"{ISSUES}{issue.pk}/progress.json")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert {
        key: data[key]
        for key in ("status", "recipients", "queued", "sent", "failed", "suppressed")
    } == {
        "status": "sending",
        "recipients": 5,
        "queued": 2,
        "sent": 2,
        "failed": 0,
        "suppressed": 1,
    }
    # While sending, the page polls it.
    page = soup(editor.get(f"{ISSUES}{issue.pk}/"))
    box = page.select_one(".newsletters-progress")
    assert box["data-progress-url"] == f"{ISSUES}{issue.pk}/progress.json"
    assert box["data-poll-ms"] == "2000"


def test_a_test_goes_to_the_addresses_typed(editor, morning):
    issue = draft(morning)
    response = editor.post(
        f"{ISSUES}{issue.pk}/test/",
        {"addresses": "one@example.org, two@example.org"},
    )
    assert response.status_code == 302
    assert sorted(address for m in mail.outbox for address in m.to) == [
        "one@example.org",
        "two@example.org",
    ]
    assert all(m.subject.startswith("[Test]") for m in mail.outbox)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT
    assert not Delivery.objects.exists()


@pytest.mark.parametrize(
    "addresses",
    [
        "not-an-address",
        "ok@example.org, broken@",
        ", ".join(f"r{n}@example.org" for n in range(11)),
        " , ",
    ],
)
def test_a_bad_test_list_sends_nothing(editor, morning, addresses):
    issue = draft(morning)
    response = editor.post(f"{ISSUES}{issue.pk}/test/", {"addresses": addresses})
    assert response.status_code == 400
    assert soup(response).select(".error-message")
    assert mail.outbox == []


def test_schedule_a_draft_for_later(editor, morning):
    issue = draft(morning)
    when = timezone.localtime() + timedelta(days=1)
    response = editor.post(
        f"{ISSUES}{issue.pk}/schedule/",
        {"scheduled_at": when.strftime("%Y-%m-%d %H:%M")},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED
    assert abs(issue.scheduled_at - when) < timedelta(minutes=1)


def test_a_time_in_the_past_is_refused(editor, morning):
    issue = draft(morning)
    when = timezone.localtime() - timedelta(hours=1)
    response = editor.post(
        f"{ISSUES}{issue.pk}/schedule/",
        {"scheduled_at": when.strftime("%Y-%m-%d %H:%M")},
    )
    assert response.status_code == 302
    assert said(response) == "Choose a time in the future."
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_send_now_asks_first_then_sends_to_subscribers(editor, morning):
    subscribe(morning, "a@example.org", "b@example.org")
    issue = draft(morning)

    confirm = editor.get(f"{ISSUES}{issue.pk}/send/")
    assert confirm.status_code == 200
    text = soup(confirm).select_one(".newsletters-confirm").get_text(" ", strip=True)
    assert "2 subscribers" in text
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT

    response = editor.post(f"{ISSUES}{issue.pk}/send/")
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING
    assert sorted(Delivery.objects.values_list("email", flat=True)) == [
        "a@example.org",
        "b@example.org",
    ]


def test_a_sent_issue_cannot_be_sent_again(editor, morning):
    subscribe(morning, "a@example.org")
    issue = draft(morning, status=IssueStatus.SENT)
    response = editor.post(f"{ISSUES}{issue.pk}/send/")
    assert response.status_code == 302
    assert said(response) == "“Friday's news” is sent: it cannot be sent now."
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert not Delivery.objects.exists()
    # Nor asked for.
    confirm = editor.get(f"{ISSUES}{issue.pk}/send/")
    assert confirm.status_code == 302


def test_pause_and_resume_a_send(editor, morning, django_capture_on_commit_callbacks):
    issue = draft(morning, status=IssueStatus.SENDING)
    assert editor.post(f"{ISSUES}{issue.pk}/pause/").status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PAUSED
    # Paused twice: a message, no change.
    again = editor.post(f"{ISSUES}{issue.pk}/pause/")
    assert said(again) == "“Friday's news” is paused: it cannot be paused."

    assert editor.post(f"{ISSUES}{issue.pk}/resume/").status_code == 302
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING


def test_cancel_only_a_scheduled_issue(editor, morning):
    scheduled = draft(
        morning,
        status=IssueStatus.SCHEDULED,
        scheduled_at=timezone.now() + timedelta(hours=2),
    )
    assert editor.post(f"{ISSUES}{scheduled.pk}/cancel/").status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == IssueStatus.CANCELLED

    sending = draft(morning, subject="Going", status=IssueStatus.SENDING)
    response = editor.post(f"{ISSUES}{sending.pk}/cancel/")
    assert said(response) == "“Going” is sending: it cannot be cancelled."
    sending.refresh_from_db()
    assert sending.status == IssueStatus.SENDING


def test_actions_need_post(editor, morning):
    issue = draft(morning, status=IssueStatus.SENDING)
    for action in ("pause", "resume", "cancel", "test", "schedule"):
        assert editor.get(f"{ISSUES}{issue.pk}/{action}/").status_code == 405
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING


def test_posts_without_the_csrf_token_are_refused(django_user_model, settings, morning):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    sign_in(client, django_user_model, settings, EDITOR)
    issue = draft(morning)
    assert client.post(f"{ISSUES}{issue.pk}/send/").status_code == 403
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_a_send_time_in_the_form_schedules_the_issue(editor, morning):
    issue = draft(morning)
    when = timezone.localtime() + timedelta(hours=5)
    data = nested_form_data(
        {
            "newsletter": morning.pk,
            "subject": issue.subject,
            "preheader": "",
            "body": streamfield([("heading", "Hello")]),
            "scheduled_at": when.strftime("%Y-%m-%d %H:%M"),
        }
    )
    response = editor.post(f"{ISSUES}edit/{issue.pk}/", data)
    assert response.status_code == 302, soup(response).select(".error-message")
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED

    data["scheduled_at"] = ""
    editor.post(f"{ISSUES}edit/{issue.pk}/", data)
    issue.refresh_from_db()
    assert issue.status == IssueStatus.DRAFT


def test_a_sent_issue_is_not_edited(editor, morning):
    issue = draft(morning, status=IssueStatus.SENT)
    response = editor.get(f"{ISSUES}edit/{issue.pk}/")
    assert (response.status_code, response["Location"]) == (
        302,
        f"{ISSUES}{issue.pk}/",
    )
    assert said(response) == "“Friday's news” is sent: it cannot be edited."


@pytest.mark.parametrize(
    "url",
    [
        NEWSLETTERS,
        f"{NEWSLETTERS}add/",
        ISSUES,
        f"{ISSUES}add/",
        SUPPRESSIONS,
        f"{SUPPRESSIONS}add/",
    ],
)
def test_editors_open_the_newsletter_pages(editor, morning, url):
    draft(morning)
    assert editor.get(url).status_code == 200


def test_a_mail_server_down_is_a_message_not_an_error(editor, morning, monkeypatch):
    from masthead.newsletters import sending

    def refuse(issue, addresses):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(sending, "send_test", refuse)
    issue = draft(morning)
    response = editor.post(
        f"{ISSUES}{issue.pk}/test/", {"addresses": "one@example.org"}
    )
    assert response.status_code == 302
    assert said(response).startswith("The test was not sent:")
