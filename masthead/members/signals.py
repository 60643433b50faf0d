"""Connects members' handlers: every deletion of a member is an erasure (#16)."""

from typing import Any

from django.db.models.signals import pre_delete
from django.dispatch import receiver

from .models import Member
from .services import record_erasure


@receiver(pre_delete, sender=Member, dispatch_uid="members-erasure")
def member_deleted(sender: type[Member], instance: Member, **kwargs: Any) -> None:
    record_erasure(instance)
