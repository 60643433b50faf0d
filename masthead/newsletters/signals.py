"""Signal wiring for newsletters; the handlers call services (#16)."""

from typing import Any

from anymail.signals import tracking
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead import cache
from masthead.core.events import article_visibility_changed

from . import issues, webhooks
from .models import Issue, IssueStatus, Newsletter


@receiver(post_save, sender=Newsletter)
@receiver(post_delete, sender=Newsletter)
def newsletter_changed(sender: type[Newsletter], **kwargs: Any) -> None:
    # Its name, description and form are on the list and its own pages.
    cache.purge(cache.NEWSLETTERS)


@receiver(post_delete, sender=Issue)
def issue_deleted(sender: type[Issue], instance: Issue, **kwargs: Any) -> None:
    # A sent issue leaves its newsletter's archive (a send finishing adds
    # one: sending.py purges then).
    if instance.status == IssueStatus.SENT:
        cache.purge(cache.NEWSLETTERS)


@receiver(article_visibility_changed)
def articles_changed(sender: object, article_ids: list[int], **kwargs: Any) -> None:
    # Published, released from embargo, made public: a "publish and send"
    # issue waiting for one of them goes out now. After commit, so the
    # sender reads the article as published; the recurring send_due_issues
    # catches any a crash lost.
    ids = list(article_ids)
    if ids:
        transaction.on_commit(lambda: issues.send_waiting_for(ids))


@receiver(tracking)
def provider_event(sender: object, event: Any, esp_name: str, **kwargs: Any) -> None:
    # A bounce, complaint or unsubscribe reported by the mail provider.
    webhooks.handle_event(event, esp_name)
