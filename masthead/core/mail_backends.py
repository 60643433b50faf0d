"""Email back ends: the mail catcher, and delivery that never breaks an action.

``DeliveryBackend`` is the ``default`` mailer (settings/mail.py). It hands
messages to the ``delivery`` mailer, the way ``EMAIL_URL`` chose (SMTP, a
provider through django-anymail, the catcher), and turns a failure into one
log line and a count of messages sent, never an exception: Wagtail logs a
traceback for every notification its mail connection refused, and a review
submitted while the mail server is down must still be submitted (#16). Code
that must know (a newsletter that retries) reads the count
``send_messages`` returns, or sends through ``mailers["delivery"]`` or
``mailers["bulk"]``, whose failures raise.
"""

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger("masthead.mail")


def _describe(messages: Sequence[EmailMessage]) -> str:
    """The log's words for a batch: its size and the first subject."""
    first = messages[0]
    others = f" and {len(messages) - 1} more" if len(messages) > 1 else ""
    return f"{first.subject!r} to {len(first.recipients())} recipient(s){others}"


def _where(alias: str) -> str:
    """The mailer ``alias`` in a few words, without credentials."""
    config = settings.MAILERS.get(alias, {})
    backend = str(config.get("BACKEND", ""))
    options = config.get("OPTIONS", {})
    if backend.endswith("smtp.EmailBackend"):
        return f"SMTP {options.get('host')}:{options.get('port')}"
    module, _, name = backend.rpartition(".")
    # anymail.backends.mailgun.EmailBackend: "mailgun"; ours: the class name.
    return module.rpartition(".")[2] if name == "EmailBackend" else name


class DeliveryBackend(BaseEmailBackend):
    """Send through another mailer; log a failure in one line and count it.

    Options: ``mailer``, the alias in ``MAILERS`` that sends.
    """

    def __init__(self, mailer: str = "delivery", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.mailer = mailer
        self.inner: BaseEmailBackend = mailers[mailer]

    def open(self) -> bool | None:
        # A server that is down is reported once per batch sent, below;
        # Wagtail opens the connection itself before its notifications.
        try:
            opened: bool | None = self.inner.open()
            return opened
        except Exception:  # noqa: BLE001 - any back end's error, logged at send
            return None

    def close(self) -> None:
        try:
            self.inner.close()
        except Exception as error:  # noqa: BLE001 - closing never breaks an action
            logger.warning("Mail connection not closed cleanly: %s", error)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        try:
            sent: int = self.inner.send_messages(email_messages) or 0
        except Exception as error:  # noqa: BLE001 - one line, not a traceback
            logger.error(
                "Mail not sent: %s through %s: %s: %s",
                _describe(email_messages),
                _where(self.mailer),
                type(error).__name__,
                error,
            )
            return 0
        return sent


class CatcherBackend(BaseEmailBackend):
    """Keep each message as a ``CaughtEmail`` instead of sending it.

    The newest ``MASTHEAD_EMAIL_CATCHER_KEEP`` are kept; older ones are
    deleted as new ones arrive.
    """

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        from .models import CaughtEmail

        if not email_messages:
            return 0
        now = timezone.now()
        rows = []
        for message in email_messages:
            built = message.message()
            rows.append(
                CaughtEmail(
                    sent_at=now,
                    sender=str(message.from_email or "")[:998],
                    recipients=", ".join(str(r) for r in message.recipients()),
                    subject=str(message.subject or "")[:998],
                    # As it would go over the wire: CRLF line ends.
                    raw=built.as_bytes(policy=built.policy.clone(linesep="\r\n")),
                )
            )
        with transaction.atomic():
            CaughtEmail.objects.bulk_create(rows)
            keep = max(int(settings.MASTHEAD_EMAIL_CATCHER_KEEP), 1)
            oldest_kept = list(
                CaughtEmail.objects.order_by("-id").values_list("id", flat=True)[
                    keep - 1 : keep
                ]
            )
            if oldest_kept:
                CaughtEmail.objects.filter(id__lt=oldest_kept[0]).delete()
        return len(rows)
