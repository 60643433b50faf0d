"""Signal wiring for feed: purge cached pages when its records change."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead import cache

from .models import NewsFeedItem, item_tag


@receiver(post_save, sender=NewsFeedItem)
@receiver(post_delete, sender=NewsFeedItem)
def feed_item_changed(
    sender: type[NewsFeedItem], instance: NewsFeedItem, **kwargs: Any
) -> None:
    # News Feed items show on the News Feed, its feed and every sidebar; the
    # item's own kept HTML (feed/views.py) goes too.
    # An update of a live page also changes that page and its JSON (a post
    # moved off a page purges the old one through its ``feed-item`` tag).
    cache.purge(
        cache.NEWSFEED,
        item_tag(instance.pk),
        cache.live_tag(instance.live_page_id) if instance.live_page_id else None,
    )
