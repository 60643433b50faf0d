"""The demo's membership tiers (#17)."""

import pytest

from masthead.demo.memberships import ensure_tiers
from masthead.memberships.models import Tier

pytestmark = pytest.mark.django_db


def test_demo_tiers_once_in_order_with_prices_and_benefits():
    created = ensure_tiers()
    again = ensure_tiers()

    assert (created, again) == (3, 0)
    tiers = [
        (tier.slug, tier.name, tier.monthly_price, tier.yearly_price, tier.is_public)
        for tier in Tier.objects.order_by("sort_order")
    ]
    assert tiers == [
        ("free", "Free", None, None, True),
        ("supporter", "Supporter", 500, 5000, True),
        ("patron", "Patron", 1500, 15000, True),
    ]
    for tier in Tier.objects.all():
        assert tier.benefit_lines()
        assert tier.currency == "EUR"


def test_a_second_run_brings_an_edited_tier_back_to_the_demo():
    ensure_tiers()
    Tier.objects.filter(slug="supporter").update(monthly_price=700, is_public=False)

    assert ensure_tiers() == 0

    supporter = Tier.objects.get(slug="supporter")
    assert (supporter.monthly_price, supporter.is_public) == (500, True)
    assert Tier.objects.count() == 3
