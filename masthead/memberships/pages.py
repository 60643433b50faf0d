"""The public membership page, ``/membership/`` (and ``/uk/membership/``, #17).

One cached copy for every reader (``Profile.PUBLIC``, tagged ``memberships``
and purged when a tier changes, signals.py). Being shared, it carries
nothing personal and no form: joining and giving are plain GET links to the
private pages of views.py, which ask for a sign-in and carry their own CSRF
tokens.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.members.views import local_path

from .models import Interval, Tier
from .money import format_money


def tier_entry(tier: Tier) -> dict[str, Any]:
    """What the page shows of ``tier``: names, benefits, prices formatted."""
    prices = [
        {"interval": interval, "amount": format_money(cents, tier.currency)}
        for interval in (Interval.MONTH, Interval.YEAR)
        if (cents := tier.price(interval)) is not None
    ]
    return {
        "name": tier.name,
        "slug": tier.slug,
        "description": tier.description,
        "benefits": tier.benefit_lines(),
        "is_free": tier.is_free,
        "prices": prices,
    }


def public_tiers() -> list[Tier]:
    """The tiers listed on the page, in the editors' order."""
    return list(Tier.objects.filter(is_public=True).order_by("sort_order", "pk"))


@require_safe
def membership_page(request: HttpRequest) -> HttpResponse:
    """Every public tier with its benefits and prices, and the ways to give."""
    # Dropped when a tier is saved or deleted (signals.py).
    cache.tag(request, cache.MEMBERSHIPS)
    # From a gated article's invitation: the join links lead back to it.
    back = local_path(request, request.GET.get("next", ""))
    context = {
        "next_query": "?" + urlencode({"next": back}) if back else "",
        **site_context(request),
        "tiers": [tier_entry(tier) for tier in public_tiers()],
        # A label on the page, so no reader takes the demo for a real sale.
        "is_demo_provider": settings.MASTHEAD_PAYMENT_PROVIDER == "demo",
        "canonical_url": request.build_absolute_uri(),
    }
    response = TemplateResponse(request, "memberships/membership_page.html", context)
    return apply_profile(response, Profile.PUBLIC)
