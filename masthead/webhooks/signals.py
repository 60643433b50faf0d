"""Signal wiring for webhooks: the publishing pipeline, News Feed posts, members."""

from typing import Any

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from masthead.core.events import article_visibility_changed
from masthead.feed.models import NewsFeedItem
from masthead.members.models import Member

from . import events, members


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


@receiver(post_save, sender=Member, dispatch_uid="webhooks-member-added")
def member_saved(
    sender: type[Member], instance: Member, created: bool, **kwargs: Any
) -> None:
    if created and not kwargs.get("raw"):
        members.member_added(instance)


@receiver(pre_delete, sender=Member, dispatch_uid="webhooks-member-deleted")
def member_deleted(sender: type[Member], instance: Member, **kwargs: Any) -> None:
    members.member_deleted(instance)


# Memberships sit above this app: named, not imported.
@receiver(post_save, sender="memberships.MembershipChange")
def membership_changed(
    sender: type[Any], instance: Any, created: bool, **kwargs: Any
) -> None:
    if created and not kwargs.get("raw"):
        members.membership_changed(instance)
