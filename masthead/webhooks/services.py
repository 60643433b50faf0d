"""Writes for integrations and webhooks from the admin (admin_views.py)."""

from __future__ import annotations

from django.db import transaction

from masthead.api.models import Integration

from .models import Webhook, new_secret


@transaction.atomic
def save_integration(integration: Integration) -> Integration:
    """Save a new or edited integration (its keys are made on creation)."""
    integration.full_clean()
    integration.save()
    return integration


@transaction.atomic
def rotate_keys(integration: Integration) -> Integration:
    """New content and admin keys; the old ones stop working at once."""
    integration.rotate_keys()
    integration.save(update_fields=["content_key", "admin_key_id", "admin_secret"])
    return integration


@transaction.atomic
def save_webhook(webhook: Webhook) -> Webhook:
    webhook.full_clean()
    webhook.save()
    return webhook


@transaction.atomic
def rotate_secret(webhook: Webhook) -> Webhook:
    """A new signing secret; deliveries from now on are signed with it."""
    webhook.secret = new_secret()
    webhook.save(update_fields=["secret"])
    return webhook


@transaction.atomic
def delete_webhook(webhook: Webhook) -> None:
    """Delete a webhook and its delivery log."""
    webhook.delete()
