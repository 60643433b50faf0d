from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembershipsConfig(AppConfig):
    name = "masthead.memberships"
    label = "memberships"
    verbose_name = _("Memberships")

    def ready(self) -> None:
        # The member's account page and data download show their membership
        # and payments; members cannot import memberships (registry.py).
        from masthead.members import registry

        from .account import account_context, export_data

        registry.register_account_section(
            "memberships", "memberships/account_section.html", account_context
        )
        registry.register_export("memberships", export_data)
        # Paid tiers open gated articles through the member's access pass.
        from .access import paid_tiers

        registry.register_paid_tiers("memberships", paid_tiers)

        # A tier saved or deleted drops the cached membership page.
        from . import signals  # noqa: F401
