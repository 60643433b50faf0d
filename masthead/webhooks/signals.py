"""Signal wiring for webhooks: the publishing pipeline and News Feed posts."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from masthead.core.events import article_visibility_changed
from masthead.feed.models import NewsFeedItem

from . import events


@receiver(article_visibility_changed)
def articles_changed(
    sender: object, article_ids: list[int], reason: str, **kwargs: Any
) -> None:
    events.articles_changed(article_ids, reason)


@receiver(post_save, sender=NewsFeedItem)
def news_feed_item_saved(
    sender: type[NewsFeedItem], instance: NewsFeedItem, created: bool, **kwargs: Any
) -> None:
    if created and not kwargs.get("raw"):
        events.news_feed_item_created(instance)
