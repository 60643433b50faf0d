"""Fixtures of the memberships' billing and reader-flow tests (#17).

Tiers as the demo has them, a member signed in without the e-mail round
trip (the sign-in flow has its own tests in members/), and events built
the way a provider's webhook would deliver them, each applied with its
after-commit work (receipts, gift links) run.
"""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import import_module
from itertools import count

import pytest
from bs4 import BeautifulSoup
from django.conf import settings

from masthead.members.factories import MemberFactory
from masthead.members.session import GENERATION_KEY, MEMBER_KEY
from masthead.memberships import billing
from masthead.memberships.models import Tier
from masthead.memberships.providers.base import BillingEvent, EventKind

# The provider's time of the first event of every story.
T0 = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
_event_ids = count(1)


def at(hours: float) -> datetime:
    """``T0`` plus ``hours``."""
    return T0 + timedelta(hours=hours)


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def sign_in(client, member) -> None:
    """Give ``client`` a member session for ``member`` (as the link would)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[MEMBER_KEY] = member.pk
    store[GENERATION_KEY] = member.session_generation
    store.save()
    client.cookies[settings.MASTHEAD_MEMBER_SESSION_COOKIE] = store.session_key


@pytest.fixture
def tiers(db) -> dict[str, Tier]:
    """Free, Supporter (€5/€50) and Patron (€15/€150), with Stripe price ids."""
    return {
        "free": Tier.objects.create(name="Free", slug="free", sort_order=0),
        "supporter": Tier.objects.create(
            name="Supporter",
            slug="supporter",
            benefits="Our thanks\nThe members' newsletter",
            monthly_price=500,
            yearly_price=5000,
            provider_prices={"stripe": {"month": "price_sup_m", "year": "price_sup_y"}},
            sort_order=1,
        ),
        "patron": Tier.objects.create(
            name="Patron",
            slug="patron",
            monthly_price=1500,
            yearly_price=15000,
            provider_prices={"stripe": {"month": "price_pat_m", "year": "price_pat_y"}},
            sort_order=2,
        ),
    }


@pytest.fixture
def member(db):
    return MemberFactory(email="reader@example.org", name="Rea Der")


@pytest.fixture
def signed_in(client, member):
    """``client`` signed in as ``member``."""
    sign_in(client, member)
    return client


@pytest.fixture
def event(member) -> Callable[..., BillingEvent]:
    """``event(kind, hours, **fields)``: a Stripe-like event of ``member``'s.

    Subscription ``sub_1`` of customer ``cus_1`` unless told otherwise; a new
    event id each time unless ``event_id`` is given.
    """

    def make(kind: EventKind, hours: float = 0, **fields) -> BillingEvent:
        fields.setdefault("provider", "stripe")
        fields.setdefault("event_id", f"evt_{next(_event_ids)}")
        fields.setdefault("member_id", member.pk)
        fields.setdefault("customer_id", "cus_1")
        fields.setdefault("subscription_id", "sub_1")
        return BillingEvent(kind=kind, occurred_at=at(hours), **fields)

    return make


@pytest.fixture
def apply(django_capture_on_commit_callbacks) -> Callable[..., list[str]]:
    """``apply(*events)``: apply each, run what waits for the commit; outcomes."""

    def run(*events: BillingEvent) -> list[str]:
        with django_capture_on_commit_callbacks(execute=True):
            return [billing.apply(item) for item in events]

    return run
