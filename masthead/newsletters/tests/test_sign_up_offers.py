"""The members' sign-up form offers the edition's newsletters (#16).

A newsletter "on for new members" is ticked in advance; the new member's
link proves the address, so what they kept ticked starts at once, with its
consent. A member signing in again keeps their own choices.
"""

import pytest
from django.core import mail

from masthead.members.factories import MemberFactory
from masthead.members.models import ConsentEvent, Member
from masthead.members.tests.conftest import form_data, link_in, soup
from masthead.newsletters.account import accept_sign_up_offers
from masthead.newsletters.models import Newsletter, Subscription, SubscriptionStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_limits")]


@pytest.fixture
def request_link(client, django_capture_on_commit_callbacks):
    """``request_link(email, offers=[...])``: send the members' sign-in form."""

    def send(email: str, offers: list[str]):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/account/sign-in/", {**form_data(email), "offers": offers}
            )
        sent = mail.outbox[before:]
        return response, (sent[-1] if sent else None)

    return send


@pytest.fixture
def letters() -> dict[str, Newsletter]:
    return {
        "daily": Newsletter.objects.create(
            name="The Daily", slug="daily", is_default_on=True, sort_order=1
        ),
        "weekly": Newsletter.objects.create(
            name="The Weekly", slug="weekly", sort_order=2
        ),
        "staff": Newsletter.objects.create(
            name="Staff only", slug="staff", is_public=False
        ),
        "uk": Newsletter.objects.create(name="Щодня", slug="shchodnia", language="uk"),
    }


def offered(response) -> dict[str, bool]:
    """Label of each newsletter checkbox on the form -> ticked."""
    page = soup(response)
    choices = {}
    for box in page.select("form input[type=checkbox][name=offers]"):
        label = page.select_one(f"label[for={box['id']}]")
        assert label is not None, box
        choices[label.get_text(strip=True)] = box.has_attr("checked")
    return choices


def active(member: Member) -> set[str]:
    return set(
        Subscription.objects.filter(
            member=member, status=SubscriptionStatus.ACTIVE
        ).values_list("newsletter__slug", flat=True)
    )


def test_form_offers_the_editions_public_newsletters_ticked_by_default(client, letters):
    assert offered(client.get("/account/sign-in/")) == {
        "The Daily": True,
        "The Weekly": False,
    }
    assert offered(client.get("/uk/account/sign-in/")) == {"Щодня": False}


def test_new_member_gets_what_they_kept_ticked_once_the_link_is_used(
    client, request_link, letters
):
    chosen = [f"newsletter:{letters['weekly'].pk}"]
    _response, message = request_link("new@example.org", offers=chosen)
    assert Subscription.objects.count() == 0
    client.post(link_in(message))
    member = Member.objects.get(email="new@example.org")
    assert active(member) == {"weekly"}
    assert set(
        ConsentEvent.objects.filter(member=member).values_list("what", "action")
    ) == {("account", "granted"), ("newsletter:weekly", "granted")}


def test_member_signing_in_keeps_their_choices(client, request_link, letters):
    member = MemberFactory(email="known@example.org")
    _response, message = request_link(
        "known@example.org", offers=[f"newsletter:{letters['daily'].pk}"]
    )
    client.post(link_in(message))
    assert active(member) == set()


@pytest.mark.parametrize("offer", ["newsletter:999", "staff", "newsletter:x"])
def test_a_choice_not_offered_is_a_form_error_not_a_500(
    client, request_link, letters, offer
):
    offer = offer.replace("staff", f"newsletter:{letters['staff'].pk}")
    response, message = request_link("new@example.org", offers=[offer])
    assert response.status_code == 400
    assert message is None


def test_taking_offers_ignores_newsletters_not_public_in_the_members_edition(
    letters,
):
    member = MemberFactory(email="direct@example.org", language="en")
    keys = [f"newsletter:{letter.pk}" for letter in letters.values()] + ["other:1"]
    accept_sign_up_offers(member, keys, "/account/sign-in/")
    assert active(member) == {"daily", "weekly"}
