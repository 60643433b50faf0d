"""The subscription services: one transaction each, idempotent (#16)."""

import pytest
from django.core import mail

from masthead.members.factories import MemberFactory
from masthead.members.models import ConsentEvent, email_digest
from masthead.members.services import erase_member
from masthead.newsletters import services
from masthead.newsletters.models import (
    Newsletter,
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter() -> Newsletter:
    return Newsletter.objects.create(name="The Briefing", slug="briefing")


def consents() -> list[tuple[str, str]]:
    return list(ConsentEvent.objects.values_list("what", "action"))


def test_confirmed_subscribe_twice_records_one_consent(letter):
    member = MemberFactory()
    first = services.subscribe(member, letter, "/newsletters/", confirmed=True)
    second = services.subscribe(member, letter, "/newsletters/", confirmed=True)
    assert first.pk == second.pk
    assert second.status == SubscriptionStatus.ACTIVE
    assert consents() == [("newsletter:briefing", "granted")]


def test_unconfirmed_subscribe_mails_after_commit_only(
    letter, django_capture_on_commit_callbacks
):
    member = MemberFactory(email="reader@example.org")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.subscribe(member, letter, "/newsletters/", confirmed=False)
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert [message.to for message in mail.outbox] == [["reader@example.org"]]
    assert Subscription.objects.get().status == SubscriptionStatus.PENDING
    assert consents() == []


def test_active_subscriber_signing_up_again_gets_no_mail(
    letter, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    services.subscribe(member, letter, "/", confirmed=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe(member, letter, "/", confirmed=False)
    assert mail.outbox == []
    assert Subscription.objects.get().status == SubscriptionStatus.ACTIVE


def test_suppressed_address_is_not_mailed(letter, django_capture_on_commit_callbacks):
    member = MemberFactory(email="gone@example.org")
    Suppression.objects.create(
        email_digest=email_digest("gone@example.org"),
        reason=SuppressionReason.COMPLAINT,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe(member, letter, "/", confirmed=False)
    assert mail.outbox == []


def test_unsubscribe_is_idempotent_and_confirm_cannot_undo_it(letter):
    member = MemberFactory()
    services.subscribe(member, letter, "/", confirmed=True)
    assert services.unsubscribe(member.pk, letter.pk, "/x/") is True
    assert services.unsubscribe(member.pk, letter.pk, "/x/") is False
    assert services.confirm_subscription(member.pk, letter.pk, "/") is None
    row = Subscription.objects.get()
    assert row.status == SubscriptionStatus.UNSUBSCRIBED
    assert row.unsubscribed_at is not None
    assert consents() == [
        ("newsletter:briefing", "granted"),
        ("newsletter:briefing", "withdrawn"),
    ]


def test_signing_up_again_after_unsubscribing_asks_to_confirm(
    letter, django_capture_on_commit_callbacks
):
    member = MemberFactory()
    services.subscribe(member, letter, "/", confirmed=True)
    services.unsubscribe(member.pk, letter.pk, "/")
    with django_capture_on_commit_callbacks(execute=True):
        services.subscribe(member, letter, "/again/", confirmed=False)
    assert len(mail.outbox) == 1
    row = Subscription.objects.get()
    assert (row.status, row.source) == (SubscriptionStatus.PENDING, "/again/")
    confirmed = services.confirm_subscription(member.pk, letter.pk, "/again/")
    assert confirmed is not None and confirmed.status == SubscriptionStatus.ACTIVE


def test_set_preferences_changes_only_what_differs(letter):
    reads = Newsletter.objects.create(name="Long Reads", slug="long-reads")
    pending = Newsletter.objects.create(name="Weekend", slug="weekend")
    other_edition = Newsletter.objects.create(name="Ранок", slug="ranok", language="uk")
    member = MemberFactory()
    services.subscribe(member, letter, "/", confirmed=True)
    services.subscribe(member, other_edition, "/", confirmed=True)
    Subscription.objects.create(member=member, newsletter=pending)

    changed = services.set_preferences(member, [reads.pk], "/p/", language="en")
    again = services.set_preferences(member, [reads.pk], "/p/", language="en")

    assert sorted(n.slug for n in changed) == ["briefing", "long-reads"]
    assert again == []
    status = dict(Subscription.objects.values_list("newsletter__slug", "status"))
    assert status == {
        "briefing": "unsubscribed",
        "long-reads": "active",
        # Left unticked while pending: its confirmation link still decides.
        "weekend": "pending",
        # Another edition's newsletter is not on this edition's page.
        "ranok": "active",
    }


def test_set_preferences_cannot_join_a_newsletter_that_is_not_public(letter):
    internal = Newsletter.objects.create(name="Staff", slug="staff", is_public=False)
    member = MemberFactory()
    services.set_preferences(member, [internal.pk], "/p/", language="en")
    assert not Subscription.objects.exists()


def test_erasing_a_member_deletes_their_subscriptions(letter):
    member = MemberFactory()
    services.subscribe(member, letter, "/", confirmed=True)
    erase_member(member, source="/account/delete/")
    assert not Subscription.objects.exists()
    # The consent log stays, without the member.
    assert set(ConsentEvent.objects.values_list("member", flat=True)) == {None}


def test_find_or_create_member_keeps_the_first_edition(letter):
    first = services.find_or_create_member("A@Example.org", language="uk", source="/")
    again = services.find_or_create_member("a@example.org", language="en", source="/")
    assert first.pk == again.pk
    assert again.language == "uk"
