"""The demo's membership tiers (#17): Free, Supporter and Patron.

Keyed by slug (``update_or_create``): a second run finds them and brings
them back to this definition. Their prices are in the site's currency
(``MASTHEAD_CURRENCY``, euros by default); with the demo provider
(``MASTHEAD_PAYMENT_PROVIDER=demo``) joining walks the whole paid path and
no money moves.
"""

from typing import Any

from django.conf import settings

from masthead.memberships.models import Tier

# (slug, name, description, benefits, monthly cents, yearly cents)
TIERS = (
    (
        "free",
        "Free",
        "An account for reading, newsletters and saving your choices.",
        "Every newsletter we publish\nOne account on all your devices",
        None,
        None,
    ),
    (
        "supporter",
        "Supporter",
        "Keep independent reporting free for everyone to read.",
        "Everything in Free\nA monthly letter from the editors\n"
        "Your name among our supporters, if you wish",
        500,
        5000,
    ),
    (
        "patron",
        "Patron",
        "Fund a reporter's week in the field, every month.",
        "Everything in Supporter\nInvitations to our newsroom briefings\n"
        "Early access to our long reads",
        1500,
        15000,
    ),
)


def ensure_tiers() -> int:
    """Create the demo's tiers, or bring them back to their definition.

    Returns:
        How many tiers were created (0 on a second run).
    """
    created = 0
    for order, (slug, name, description, benefits, monthly, yearly) in enumerate(
        TIERS, start=1
    ):
        fields: dict[str, Any] = {
            "name": name,
            "description": description,
            "benefits": benefits,
            "monthly_price": monthly,
            "yearly_price": yearly,
            "currency": settings.MASTHEAD_CURRENCY,
            "is_public": True,
            "sort_order": order,
        }
        _, new = Tier.objects.update_or_create(slug=slug, defaults=fields)
        created += new
    return created
