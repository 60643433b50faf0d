"""Bounces and complaints from the mail provider, through django-anymail (#16).

The provider posts its events to ``/anymail/<provider>/tracking/``
(anymail's views, mounted in masthead/urls.py); anymail checks the HTTP
basic auth against ``ANYMAIL_WEBHOOK_SECRET`` and sends its ``tracking``
signal, handled here (signals.py connects it):

- a hard bounce (``bounced``) or a spam complaint (``complained``): the
  address is suppressed (only its keyed hash is kept), the member is taken
  off every newsletter with the withdrawal logged, and the messages still
  queued for it in a send are not sent;
- a provider-level unsubscribe (``unsubscribed``): off every newsletter;
- anything else (``deferred``, a soft bounce, opens, clicks): nothing.

Each is idempotent: providers retry, and a second report changes nothing.

Anymail itself accepts webhooks from anyone when no secret is set (with a
warning only); ``urlpatterns`` below refuses them instead (403), so an
unconfigured site cannot be made to suppress its readers by a stranger.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from anymail import urls as anymail_urls
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.urls import URLPattern

from masthead.members.models import Member, email_digest, normalise_email

from . import services
from .models import (
    Delivery,
    DeliveryStatus,
    Issue,
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)

SUPPRESSING = {
    "bounced": SuppressionReason.HARD_BOUNCE,
    "complained": SuppressionReason.COMPLAINT,
}
UNSUBSCRIBING = "unsubscribed"
# Anymail reports some temporary failures as "bounced": Postmark's soft
# bounces (its "Type"); Mailgun's it already turns into "deferred".
SOFT_BOUNCE_TYPES = frozenset({"SoftBounce", "Transient", "DnsError"})


def is_soft_bounce(event: Any) -> bool:
    """Whether a "bounced" event is a temporary failure after all."""
    raw = getattr(event, "esp_event", None)
    return isinstance(raw, dict) and raw.get("Type") in SOFT_BOUNCE_TYPES


def handle_event(event: Any, esp_name: str) -> None:
    """Act on one normalised anymail tracking event (see the module's list)."""
    recipient = (getattr(event, "recipient", None) or "").strip()
    event_type = getattr(event, "event_type", "")
    if not recipient:
        return
    source = f"{esp_name} {event_type}"
    if event_type in SUPPRESSING and not is_soft_bounce(event):
        detail = str(getattr(event, "description", None) or "")[:500]
        suppress(recipient, SUPPRESSING[event_type], detail, source)
    elif event_type == UNSUBSCRIBING:
        unsubscribe_everywhere(recipient, source)
    # Case: deferred, soft bounces, delivered, opened, clicked: nothing.


@transaction.atomic
def suppress(email: str, reason: str, detail: str = "", source: str = "") -> bool:
    """Never send newsletters to ``email`` again; take it off every list.

    Returns:
        True if the address was not suppressed before.
    """
    _, created = Suppression.objects.get_or_create(
        email_digest=email_digest(email),
        defaults={"reason": reason, "detail": detail},
    )
    unsubscribe_everywhere(email, source or reason)
    _skip_queued(email)
    return created


@transaction.atomic
def unsubscribe_everywhere(email: str, source: str) -> int:
    """Unsubscribe the member with ``email`` from every newsletter.

    Returns:
        How many subscriptions ended (0 on a repeat, or for no member).
    """
    member = Member.objects.with_email(email).first()
    if member is None:
        return 0
    newsletter_ids = list(
        Subscription.objects.filter(member=member)
        .exclude(status=SubscriptionStatus.UNSUBSCRIBED)
        .values_list("newsletter_id", flat=True)
    )
    return sum(
        services.unsubscribe(member.pk, newsletter_id, source)
        for newsletter_id in newsletter_ids
    )


def _skip_queued(email: str) -> None:
    """Mark the address's queued deliveries suppressed, and count them so."""
    queued = Delivery.objects.filter(
        email=normalise_email(email), status=DeliveryStatus.QUEUED
    )
    per_issue = dict(queued.values_list("issue_id").annotate(n=Count("pk")).order_by())
    if not per_issue:
        return
    queued.update(status=DeliveryStatus.SUPPRESSED)
    for issue_id, count in per_issue.items():
        Issue.objects.filter(pk=issue_id).update(
            suppressed_count=F("suppressed_count") + count
        )


# Anymail's URLs, refused while no secret is set. -------------------------------


def secret_configured() -> bool:
    """Whether ``ANYMAIL_WEBHOOK_SECRET`` (settings/mail.py) is set."""
    return bool(getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET"))


def _refused_without_secret(view: Callable[..., Any]) -> Callable[..., Any]:
    # wraps copies the view's csrf_exempt mark: providers post without a token.
    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # Case: no secret: anyone could post; refuse, before anymail's view
        # (which would accept it with a warning).
        if not secret_configured():
            return HttpResponseForbidden(
                "Webhooks are off: set ANYMAIL_WEBHOOK_SECRET.",
                content_type="text/plain",
            )
        # Case: a secret: anymail checks the request's basic auth (400 if
        # wrong) and sends the tracking signal.
        response: HttpResponse = view(request, *args, **kwargs)
        return response

    return guarded


app_name = "anymail"
urlpatterns = [
    URLPattern(
        pattern.pattern,
        _refused_without_secret(pattern.callback),
        pattern.default_args,
        pattern.name,
    )
    for pattern in anymail_urls.urlpatterns
    if isinstance(pattern, URLPattern)
]
