"""Newsletter mail, sent by the task worker after the request commits (#16)."""

from __future__ import annotations

from email.utils import formataddr

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from masthead.core.background import BACKGROUND
from masthead.core.email import build_message, site_context

from . import links
from .models import Subscription, SubscriptionStatus, Suppression

# Sign-up confirmation


@task(backend=BACKGROUND)
def send_confirmation(subscription_id: int) -> bool:
    """E-mail the double opt-in link of a pending subscription.

    Returns:
        False when there is nothing to send: the subscription is gone, no
        longer pending, or its address is suppressed.
    """
    subscription = (
        Subscription.objects.select_related("member", "newsletter")
        .filter(pk=subscription_id, status=SubscriptionStatus.PENDING)
        .first()
    )
    if subscription is None or Suppression.covers(subscription.member.email):
        return False
    send_confirmation_message(subscription)
    return True


def send_confirmation_message(subscription: Subscription) -> None:
    """Build and send the confirmation in the newsletter's language."""
    newsletter, member = subscription.newsletter, subscription.member
    site = site_context()
    with translation.override(newsletter.language):
        token = links.confirm_token(member.pk, newsletter.pk)
        path = reverse("newsletters:confirm", args=[token])
        context = {
            **site,
            "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
            "newsletter": newsletter,
            "days": links.CONFIRM_SECONDS // 86400,
            "email": member.email,
        }
        sender = None
        if newsletter.sender_email:
            sender = formataddr(
                (newsletter.sender_name or site["site_name"], newsletter.sender_email)
            )
        build_message(
            "newsletters/email/confirm",
            context,
            [member.email],
            from_email=sender,
            reply_to=[newsletter.reply_to] if newsletter.reply_to else None,
        ).send()


# Sending issues (sending.py)


@task(backend=BACKGROUND)
def send_batch(issue_id: int) -> int:
    """Send the next batch of an issue; queues the one after (sending.py)."""
    from . import sending

    return sending.send_batch(issue_id)


@task(backend=BACKGROUND)
def send_due_issues() -> int:
    """Every minute: scheduled issues due, waiting ones now public, stalls."""
    from . import sending

    return sending.send_due_issues()


def resume_sends_at_start(process: object) -> None:
    """dj-queue's start hook: queue the sends a killed worker left unfinished."""
    from . import sending

    sending.resume_stalled_sends()


# The daily briefing (briefing.py; the editors' side of #16)


@task(backend=BACKGROUND)
def draft_briefings() -> list[int]:
    """Every hour: draft the briefings due at this hour; their issue ids."""
    from django.utils import timezone

    from .briefing import draft_briefings as draft

    return [issue.pk for issue in draft(timezone.now())]


# Sign-ups never confirmed (services.erase_unconfirmed_sign_ups)


@task(backend=BACKGROUND)
def erase_unconfirmed_members() -> int:
    """Every day: erase members whose newsletter sign-up was never confirmed.

    Returns:
        How many were erased.
    """
    from .services import erase_unconfirmed_sign_ups

    return erase_unconfirmed_sign_ups()
