"""Member events: a sign-up, a membership change and an erasure, each once."""

import pytest
from django.utils import timezone

from masthead.members.factories import MemberFactory
from masthead.members.models import Member
from masthead.members.services import erase_member
from masthead.memberships.models import MembershipChange, MembershipStatus, Tier
from masthead.webhooks.factories import make_webhook
from masthead.webhooks.models import Delivery, Event, Webhook
from masthead.webhooks.tests.test_events import data_of, events

pytestmark = pytest.mark.django_db


@pytest.fixture
def hooks():
    first = make_webhook("http://hooks.example.com/m", event=Event.MEMBER_ADDED)
    for event in (Event.MEMBER_UPDATED, Event.MEMBER_DELETED):
        Webhook.objects.create(
            integration=first.integration,
            event=event,
            target_url="http://hooks.example.com/m",
        )
    return first.integration


def test_sign_up_is_one_added_event(hooks):
    member = MemberFactory(email="reader@example.org", name="Ola")
    assert events() == {"member.added": 1}
    data = data_of("member.added")
    assert data["id"] == member.pk
    assert data["email"] == "reader@example.org"
    assert data["name"] == "Ola"
    member.name = "Ola K."
    member.save()
    assert events() == {"member.added": 1}


def test_membership_change_is_one_updated_event(hooks):
    member = MemberFactory(email="patron@example.org")
    tier = Tier.objects.create(name="Patron", slug="patron", sort_order=1)
    MembershipChange.objects.create(
        member=member,
        from_status="",
        to_status=MembershipStatus.ACTIVE,
        tier=tier,
        was_paid=False,
        paid=True,
        at=timezone.now(),
    )
    assert events() == {"member.added": 1, "member.updated": 1}
    change = data_of("member.updated")
    assert change["email"] == "patron@example.org"
    assert change["membership"]["tier"] == "Patron"
    assert change["membership"]["to_status"] == "active"
    assert change["membership"]["paid"] is True
    assert change["membership"]["from_status"] is None


def test_erasure_is_one_deleted_event_with_id_and_address_only(hooks):
    member = MemberFactory(email="gone@example.org", name="Someone")
    member_id = member.pk
    erase_member(member)
    assert not Member.objects.filter(pk=member_id).exists()
    assert events()["member.deleted"] == 1
    assert data_of("member.deleted") == {"id": member_id, "email": "gone@example.org"}


def test_no_webhook_no_delivery():
    MemberFactory(email="quiet@example.org")
    assert not Delivery.objects.exists()
