"""Connects the comments' handlers; the handlers call services."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from masthead.members.models import Member

from . import moderation, services
from .models import CommentSettings


@receiver(pre_delete, sender=Member, dispatch_uid="comments-member-erased")
def member_erased(sender: type[Member], instance: Member, **kwargs: Any) -> None:
    # Every deletion of a member is an erasure (members/signals.py).
    services.erase_member_comments(instance)


@receiver(post_save, sender=CommentSettings, dispatch_uid="comments-settings-saved")
@receiver(post_delete, sender=CommentSettings, dispatch_uid="comments-settings-deleted")
def settings_changed(sender: type[CommentSettings], **kwargs: Any) -> None:
    moderation.site_settings_changed()
