"""Builders for integrations and their webhooks."""

import itertools

from masthead.api.models import Integration

from .models import Event, Webhook

_counter = itertools.count(1)


def make_webhook(
    target_url: str, event: str = Event.ARTICLE_PUBLISHED, **fields: object
) -> Webhook:
    """A webhook of a new integration."""
    integration = Integration.objects.create(name=f"Integration {next(_counter)}")
    return Webhook.objects.create(
        integration=integration, event=event, target_url=target_url, **fields
    )
