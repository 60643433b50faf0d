"""Webhooks: an integration's subscriptions to events, and each delivery attempt.

A ``Webhook`` sends one event (``Event``) of the site to one URL, signed
with its own secret (signing.py). Every attempt to send an event is one
``Delivery`` row: the first is written in the transaction of the change
that caused it, and each failed attempt writes the next one, due after a
growing pause (sending.py), so the log shows the response of every attempt.
``ArticleState`` remembers whether an article was public when it was last
announced, so a change is told as published, updated or unpublished once.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from masthead.api.models import Integration

MANAGE_PERMISSION = "webhooks.manage_integrations"


class Event(models.TextChoices):
    """What a webhook may be sent for (docs/webhooks.md)."""

    ARTICLE_PUBLISHED = "article.published", _("Article published")
    ARTICLE_UPDATED = "article.updated", _("Article updated")
    ARTICLE_UNPUBLISHED = "article.unpublished", _("Article unpublished")
    ARTICLE_CORRECTED = "article.corrected", _("Article corrected")
    NEWSFEED_POSTED = "newsfeed.posted", _("News Feed post published")
    LIVE_UPDATED = "live.updated", _("Live coverage updated")
    MEMBER_ADDED = "member.added", _("Member signed up")
    MEMBER_UPDATED = "member.updated", _("Membership changed")
    MEMBER_DELETED = "member.deleted", _("Member erased")


# Sent only by the admin's "Send test" button, to whatever the webhook's event.
PING = "ping"


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


class WebhookQuerySet(models.QuerySet["Webhook"]):
    def sending(self, event: str) -> WebhookQuerySet:
        """Active webhooks for ``event`` of active integrations."""
        return self.filter(event=event, is_active=True, integration__is_active=True)


class Webhook(models.Model):
    """One URL told of one event, for one integration."""

    integration = models.ForeignKey(
        Integration,
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("integration"),
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    target_url = models.URLField(
        _("target URL"),
        max_length=2000,
        help_text=_("The address the integration gave: it receives a POST per event."),
    )
    secret = models.CharField(
        _("signing secret"), max_length=64, default=new_secret, editable=False
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Untick to stop sending for a while.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["integration", "event", "pk"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        permissions = [
            ("manage_integrations", _("Can manage integrations and webhooks"))
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.target_url}"


class Delivery(models.Model):
    """One attempt to send one event to one webhook.

    Attempts of the same event share ``event_id`` (the ``X-Masthead-Delivery``
    header), so a receiver can drop one it has seen. A row not attempted yet
    (``attempted_at`` empty) is waiting until ``next_attempt_at``.
    """

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    event = models.CharField(max_length=40)
    payload = models.JSONField()
    attempt = models.PositiveSmallIntegerField(default=1)
    next_attempt_at = models.DateTimeField()
    attempted_at = models.DateTimeField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    succeeded = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(attempted_at__isnull=True),
                name="webhooks_delivery_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} #{self.attempt} ({self.event_id})"

    @property
    def is_pending(self) -> bool:
        return self.attempted_at is None


class ArticleState(models.Model):
    """Whether an article was public when its last change was announced.

    Keyed by the article's id, not a foreign key: the row outlives a deleted
    article, whose unpublishing Wagtail sends after the delete was told.
    """

    article_id = models.PositiveIntegerField(primary_key=True)
    is_public = models.BooleanField()

    class Meta:
        verbose_name = _("announced article state")

    def __str__(self) -> str:
        state = "public" if self.is_public else "not public"
        return f"article {self.article_id}: {state}"
