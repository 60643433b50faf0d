"""The access pass a membership gives (members/access.py, memberships/access.py, #17).

From a gated article through the demo checkout back to the whole article;
the pass's tiers and end follow the membership; signing out takes it away.
"""

import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from masthead.content.factories import make_article
from masthead.content.visibility import Access
from masthead.core import grants
from masthead.members.access import pass_for
from masthead.memberships.access import paid_tiers
from masthead.memberships.models import Membership, MembershipStatus

from .conftest import soup

pytestmark = pytest.mark.django_db

SECRET = "Marrowfat"


@pytest.fixture
def gated(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(
            body=[
                ("paragraph", "<p>Open words.</p>"),
                ("members_only", None),
                ("paragraph", f"<p>{SECRET} words.</p>"),
            ],
            access=Access.PAID,
        )


def the_pass(client) -> grants.Grant | None:
    morsel = client.cookies.get("masthead_access")
    return grants.read(morsel.value) if morsel is not None and morsel.value else None


def test_from_a_gated_article_through_the_demo_checkout_to_the_whole_article(
    signed_in, tiers, gated, django_capture_on_commit_callbacks
):
    before = signed_in.get(gated.url)
    assert SECRET.encode() not in before.content
    call = soup(before).select_one(".membership-call a.button")["href"]
    assert urlsplit(call).path == "/membership/"
    next_path = parse_qs(urlsplit(call).query)["next"][0]
    assert next_path == gated.url
    page = soup(signed_in.get(call))
    join = page.select_one('a[href^="/membership/join/supporter/"]')["href"]
    checkout = signed_in.post(join, {"interval": "month"})["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        done = signed_in.post(urlsplit(checkout).path, {"action": "pay"})["Location"]
    thanks = signed_in.get(done)
    assert thanks.status_code == 200
    link = soup(thanks).find("a", string="Continue reading")
    assert link is not None and link["href"] == gated.url
    grant = the_pass(signed_in)
    assert grant is not None and grant.tiers == {tiers["supporter"].pk}
    after = signed_in.get(gated.url)
    assert SECRET.encode() in after.content


def test_a_signed_in_member_without_a_paid_tier_holds_a_members_pass(
    signed_in, member, tiers
):
    signed_in.get("/account/")
    grant = the_pass(signed_in)
    assert grant == grants.Grant()


def test_signing_out_takes_the_pass_away(signed_in, tiers):
    signed_in.get("/account/")
    assert the_pass(signed_in) is not None
    signed_in.post("/account/sign-out/")
    assert the_pass(signed_in) is None


def test_the_pass_ends_with_the_paid_period(member, tiers):
    ends = timezone.now() + timedelta(days=2)
    Membership.objects.create(
        member=member, tier=tiers["patron"], provider="stripe", current_period_end=ends
    )
    grant, until = pass_for(member)
    assert grant.tiers == {tiers["patron"].pk}
    assert abs(until - ends.timestamp()) < 2


def test_the_pass_lasts_at_most_the_set_days(member, tiers, settings):
    settings.MASTHEAD_ACCESS_DAYS = 1
    Membership.objects.create(
        member=member,
        tier=tiers["patron"],
        provider="stripe",
        current_period_end=timezone.now() + timedelta(days=20),
    )
    _, until = pass_for(member)
    assert until <= time.time() + 86400 + 2


@pytest.mark.parametrize(
    ("status", "grace_days", "holds"),
    [
        (MembershipStatus.ACTIVE, None, True),
        (MembershipStatus.PAST_DUE, 3, True),
        (MembershipStatus.PAST_DUE, -1, False),
        (MembershipStatus.CANCELED, None, False),
    ],
)
def test_the_pass_holds_the_tier_while_the_membership_gives_access(
    member, tiers, status, grace_days, holds
):
    grace = (
        timezone.now() + timedelta(days=grace_days) if grace_days is not None else None
    )
    Membership.objects.create(
        member=member,
        tier=tiers["supporter"],
        provider="stripe",
        status=status,
        grace_until=grace,
        current_period_end=timezone.now() + timedelta(days=10),
    )
    tiers_held, _ = paid_tiers(member)
    assert bool(tiers_held) is holds


def test_an_expired_gift_gives_no_tier(member, tiers):
    Membership.objects.create(
        member=member,
        tier=tiers["supporter"],
        provider="gift",
        current_period_end=timezone.now() - timedelta(minutes=1),
    )
    assert paid_tiers(member) == (set(), None)


def test_renewing_signed_in_gives_a_pass_and_goes_back(signed_in, tiers, gated):
    response = signed_in.get("/account/access/", {"next": gated.url})
    assert response.status_code == 302 and response["Location"] == gated.url
    assert the_pass(signed_in) is not None


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", ""])
def test_renewing_never_leaves_the_site(signed_in, tiers, target):
    response = signed_in.get("/account/access/", {"next": target})
    assert response["Location"] == "/"


def test_renewing_signed_out_asks_for_a_sign_in_and_comes_back(db, gated):
    response = Client().get("/account/access/", {"next": gated.url})
    location = urlsplit(response["Location"])
    assert location.path == "/account/sign-in/"
    assert parse_qs(location.query)["from"] == [gated.url]
    assert "masthead_access" not in response.cookies
