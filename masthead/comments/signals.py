"""Connects the comments' handlers; the handlers call services."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from masthead.members.models import Member

from . import moderation, services
from .models import CommentSettings

# Where pre_save leaves what readers saw of the row, for post_save to compare.
_SHOWN_BEFORE = "_masthead_shown_before"


@receiver(pre_delete, sender=Member, dispatch_uid="comments-member-erased")
def member_erased(sender: type[Member], instance: Member, **kwargs: Any) -> None:
    # Every deletion of a member is an erasure (members/signals.py).
    services.erase_member_comments(instance)


@receiver(pre_save, sender=Member, dispatch_uid="comments-member-saving")
def member_saving(
    sender: type[Member],
    instance: Member,
    update_fields: frozenset[str] | None = None,
    **kwargs: Any,
) -> None:
    before = None
    if instance.pk and (update_fields is None or {"name", "email"} & update_fields):
        # Case: a stored member whose name or address this save may change.
        stored = Member.objects.filter(pk=instance.pk).first()
        before = services.shown_of_member(stored) if stored is not None else None
    setattr(instance, _SHOWN_BEFORE, before)


@receiver(post_save, sender=Member, dispatch_uid="comments-member-saved")
def member_saved(sender: type[Member], instance: Member, **kwargs: Any) -> None:
    services.member_saved(instance, getattr(instance, _SHOWN_BEFORE, None))


@receiver(pre_save, sender=CommentSettings, dispatch_uid="comments-settings-saving")
def settings_saving(
    sender: type[CommentSettings], instance: CommentSettings, **kwargs: Any
) -> None:
    stored = CommentSettings.objects.filter(pk=instance.pk).first()
    before = moderation.shown_to_readers(stored) if stored is not None else None
    setattr(instance, _SHOWN_BEFORE, before)


@receiver(post_save, sender=CommentSettings, dispatch_uid="comments-settings-saved")
def settings_saved(
    sender: type[CommentSettings], instance: CommentSettings, **kwargs: Any
) -> None:
    moderation.site_settings_saved(instance, getattr(instance, _SHOWN_BEFORE, None))


@receiver(post_delete, sender=CommentSettings, dispatch_uid="comments-settings-deleted")
def settings_deleted(
    sender: type[CommentSettings], instance: CommentSettings, **kwargs: Any
) -> None:
    moderation.site_settings_deleted(instance)
