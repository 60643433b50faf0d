from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewslettersConfig(AppConfig):
    name = "masthead.newsletters"
    label = "newsletters"
    verbose_name = _("Newsletters")

    def ready(self) -> None:
        # A send whose worker was killed carries on when a worker starts
        # again, without an editor doing anything (#16, sending.py).
        from dj_queue.hooks import on_start

        from .tasks import resume_sends_at_start

        on_start(resume_sends_at_start)

        # The member's account page and data download show their
        # subscriptions; members cannot import newsletters (registry.py).
        from masthead.members import registry

        from .account import accept_sign_up_offers, account_context, sign_up_offers
        from .services import member_subscriptions

        registry.register_account_section(
            "newsletters", "newsletters/account_section.html", account_context
        )
        registry.register_export("newsletters", member_subscriptions)
        registry.register_sign_up_offers(
            "newsletters", sign_up_offers, accept_sign_up_offers
        )

        # Wagtail imports only ``wagtail_hooks`` by itself; the members
        # import screen keeps its hooks in a module of its own (#16), and
        # publish and send, bounces and complaints their signals.
        from . import import_hooks, signals  # noqa: F401
