"""Payment providers behind one interface (base.py): Stripe, and a demo.

``get_provider()`` is the provider that takes new payments
(``MASTHEAD_PAYMENT_PROVIDER``); ``get_provider(name)`` the one a webhook or
a membership names, if it is enabled here. Modules are imported when first
asked for, so a site on the demo provider never imports the Stripe SDK.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from .base import PaymentProvider

# Each provider's class, by the name kept in ``Membership.provider``.
PROVIDERS = {
    "demo": "masthead.memberships.providers.demo.DemoProvider",
    "stripe": "masthead.memberships.providers.stripe.StripeProvider",
}


def enabled_names() -> set[str]:
    """The providers this site answers for.

    The configured one; and Stripe whenever its keys are set, so the
    webhooks of existing subscriptions keep arriving after a site moves
    off Stripe or before it moves on. The demo provider only on a site
    that uses it: its pages give memberships away.
    """
    names = {settings.MASTHEAD_PAYMENT_PROVIDER}
    if settings.STRIPE_SECRET_KEY or settings.STRIPE_WEBHOOK_SECRET:
        names.add("stripe")
    return names


def get_provider(name: str | None = None) -> PaymentProvider | None:
    """The provider called ``name``, or the configured one when ``name`` is None.

    Returns:
        None for an unknown name or a provider not enabled (``enabled_names``).

    Raises:
        ImproperlyConfigured: ``MASTHEAD_PAYMENT_PROVIDER`` names no provider.
    """
    if name is None:
        name = settings.MASTHEAD_PAYMENT_PROVIDER
        if name not in PROVIDERS:
            raise ImproperlyConfigured(
                f"MASTHEAD_PAYMENT_PROVIDER is {name!r}; "
                f"expected one of {', '.join(sorted(PROVIDERS))}."
            )
    if name not in PROVIDERS or name not in enabled_names():
        return None
    provider: PaymentProvider = import_string(PROVIDERS[name])()
    return provider
