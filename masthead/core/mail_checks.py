"""``masthead check --deploy``: mail that would not reach anyone (#16)."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

from .email_url import CATCHER_BACKEND, SMTP_BACKEND


@register(Tags.mail, deploy=True)
def check_mail_goes_out(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Warn when production mail is caught, or sent from ``@localhost``."""
    delivery = settings.MAILERS.get("delivery", {}).get("BACKEND", "")
    if delivery == CATCHER_BACKEND:
        # Case: nothing configured; right for the demo, not for a newsroom.
        return [
            Warning(
                "Mail is kept by the mail catcher, not sent: review notifications "
                "reach nobody's inbox.",
                hint="Set EMAIL_URL or EMAIL_HOST (docs/email.md).",
                id="masthead.W001",
            )
        ]
    sender = str(settings.DEFAULT_FROM_EMAIL).rstrip(">").lower()
    if sender.endswith("@localhost") and (
        delivery == SMTP_BACKEND or delivery.startswith("anymail.")
    ):
        # Case: a real server, and a sender address it will reject or spam.
        return [
            Warning(
                "DEFAULT_FROM_EMAIL is an address at localhost.",
                hint="Set DEFAULT_FROM_EMAIL to an address of your domain.",
                id="masthead.W002",
            )
        ]
    return []
