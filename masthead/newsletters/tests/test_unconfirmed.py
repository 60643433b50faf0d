"""Sign-ups never confirmed are erased after some days, and nothing else (#16).

Data minimisation: an anonymous sign-up keeps the address only to mail the
confirmation link. The daily job erases what is left once it is overdue,
through the members' erasure path, so the consent log records it.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from masthead.members.factories import MemberFactory
from masthead.members.models import (
    ConsentAction,
    ConsentEvent,
    Member,
    email_digest,
)
from masthead.members.services import record_consent
from masthead.newsletters import services
from masthead.newsletters.models import Newsletter, Subscription, SubscriptionStatus
from masthead.newsletters.tasks import erase_unconfirmed_members

from .member_files import run_text
from .pages import newsletter

pytestmark = pytest.mark.django_db

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
OVERDUE = START + timedelta(days=8)


@pytest.fixture
def letter() -> Newsletter:
    return newsletter("briefing")


@pytest.fixture
def at_start(time_machine):
    """The clock stopped at ``START``; ``time_machine.move_to`` moves it on."""
    time_machine.move_to(START, tick=False)
    return time_machine


def anonymous_sign_up(email: str, letter: Newsletter) -> Member:
    """What the sign-up form does for a reader who is not signed in."""
    source = f"/newsletters/{letter.slug}/sign-up/"
    member = services.find_or_create_member(email, language="en", source=source)
    services.subscribe(member, letter, source, confirmed=False)
    return member


def erase() -> int:
    result = erase_unconfirmed_members.enqueue()
    assert isinstance(result.return_value, int)
    return result.return_value


def withdrawals() -> list[tuple[str, str, str, int | None]]:
    return list(
        ConsentEvent.objects.filter(action=ConsentAction.WITHDRAWN).values_list(
            "email_digest", "what", "source", "member_id"
        )
    )


def test_old_unconfirmed_sign_up_from_the_form_is_erased_and_logged(
    at_start, letter, sign_up, fresh_limits
):
    response, messages = sign_up("briefing", "Reader@Example.org")
    assert response.status_code == 200
    assert len(messages) == 1
    assert Member.objects.filter(email="reader@example.org").exists()
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 1

    assert not Member.objects.exists()
    assert not Subscription.objects.exists()
    assert withdrawals() == [
        (
            email_digest("reader@example.org"),
            ConsentEvent.ACCOUNT,
            services.UNCONFIRMED_ERASURE_SOURCE,
            None,
        )
    ]


def test_recent_unconfirmed_sign_up_is_kept(at_start, letter):
    anonymous_sign_up("reader@example.org", letter)
    at_start.move_to(START + timedelta(days=6), tick=False)

    assert erase() == 0
    assert Member.objects.filter(email="reader@example.org").exists()


def test_a_newer_pending_sign_up_keeps_the_member(at_start, letter):
    member = anonymous_sign_up("reader@example.org", letter)
    at_start.move_to(START + timedelta(days=5), tick=False)
    services.subscribe(member, newsletter("weekly"), "/", confirmed=False)
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 0
    assert Member.objects.filter(pk=member.pk).exists()


def test_signing_up_again_to_the_same_newsletter_restarts_the_wait(at_start, letter):
    member = anonymous_sign_up("reader@example.org", letter)
    at_start.move_to(START + timedelta(days=5), tick=False)
    anonymous_sign_up("reader@example.org", letter)
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 0
    assert Member.objects.filter(pk=member.pk).exists()
    at_start.move_to(START + timedelta(days=13), tick=False)
    assert erase() == 1


def test_member_who_confirmed_another_newsletter_is_kept(at_start, letter):
    member = anonymous_sign_up("reader@example.org", letter)
    weekly = newsletter("weekly")
    services.subscribe(member, weekly, "/newsletters/weekly/sign-up/", False)
    services.confirm_subscription(member.pk, weekly.pk, "/newsletters/confirm/")
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 0
    assert Subscription.objects.get(member=member, newsletter=letter).status == (
        SubscriptionStatus.PENDING
    )


def test_member_who_confirmed_once_and_left_is_kept(at_start, letter):
    # The confirmed subscription, though left since, proved the address theirs.
    member = anonymous_sign_up("reader@example.org", letter)
    weekly = newsletter("weekly")
    services.subscribe(member, weekly, "/", confirmed=True)
    services.unsubscribe(member.pk, weekly.pk, "/newsletters/unsubscribe/")
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 0
    assert Member.objects.filter(pk=member.pk).exists()


def test_member_who_signed_in_is_kept(at_start, letter):
    member = anonymous_sign_up("reader@example.org", letter)
    Member.objects.filter(pk=member.pk).update(last_signed_in_at=timezone.now())
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 0
    assert Member.objects.filter(pk=member.pk).exists()


def test_member_with_an_account_consent_is_kept(at_start, letter):
    member = anonymous_sign_up("reader@example.org", letter)
    record_consent(member, ConsentEvent.ACCOUNT, ConsentAction.GRANTED, "/account/")
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 0
    assert Member.objects.filter(pk=member.pk).exists()


def test_imported_member_who_signs_up_without_confirming_is_kept(at_start, letter):
    report = run_text("email,name\r\nann@example.org,Ann\r\n")
    assert report.created_count == 1
    member = anonymous_sign_up("ann@example.org", letter)
    assert member.source == "import:ghost:members.csv"
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 0
    assert Member.objects.filter(pk=member.pk).exists()


def test_member_added_by_staff_is_kept(at_start, letter):
    member = MemberFactory(email="ann@example.org", source="")
    services.subscribe(member, letter, "/newsletters/", confirmed=False)
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 0
    assert Member.objects.filter(pk=member.pk).exists()


def test_running_twice_erases_and_logs_once(at_start, letter):
    anonymous_sign_up("one@example.org", letter)
    anonymous_sign_up("two@example.org", letter)
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 2
    assert erase() == 0
    assert len(withdrawals()) == 2
    assert not Member.objects.exists()


def test_many_are_erased_in_batches(at_start, letter, monkeypatch):
    monkeypatch.setattr(services, "ERASE_BATCH", 2)
    for n in range(5):
        anonymous_sign_up(f"reader{n}@example.org", letter)
    kept = anonymous_sign_up("kept@example.org", letter)
    services.subscribe(kept, newsletter("weekly"), "/", confirmed=True)
    at_start.move_to(OVERDUE, tick=False)

    assert erase() == 5
    assert list(Member.objects.values_list("email", flat=True)) == [kept.email]
    assert len(withdrawals()) == 5


@override_settings(MASTHEAD_NEWSLETTER_UNCONFIRMED_DAYS=30)
def test_the_setting_gives_the_days_to_wait(at_start, letter):
    anonymous_sign_up("reader@example.org", letter)
    at_start.move_to(START + timedelta(days=29), tick=False)
    assert erase() == 0
    at_start.move_to(START + timedelta(days=30, seconds=1), tick=False)
    assert erase() == 1


@override_settings(MASTHEAD_NEWSLETTER_UNCONFIRMED_DAYS=1)
def test_no_sign_up_is_erased_while_its_link_still_works(at_start, letter):
    anonymous_sign_up("reader@example.org", letter)
    at_start.move_to(START + timedelta(days=6), tick=False)
    assert erase() == 0
    at_start.move_to(START + timedelta(days=7, seconds=1), tick=False)
    assert erase() == 1
