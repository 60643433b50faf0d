"""Signal wiring for memberships; the handlers call the cache (#17)."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver

from masthead import cache
from masthead.members.models import Member

from . import account, billing_history, gifts
from .models import Tier


@receiver(post_save, sender=Tier)
@receiver(post_delete, sender=Tier)
def tier_changed(sender: type[Tier], **kwargs: Any) -> None:
    # Its name, benefits and prices are on the membership page.
    cache.purge(cache.MEMBERSHIPS)


@receiver(pre_delete, sender=Member)
def member_deleted(sender: type[Member], instance: Member, **kwargs: Any) -> None:
    # Erasure: the buyer is set null, so clear the addresses first.
    gifts.forget_member(instance)


@receiver(pre_delete, sender=Member)
def member_erased(sender: type[Member], instance: Member, **kwargs: Any) -> None:
    # Erasure: the history counts their paid access as ended (no name kept),
    # then stop what the provider would go on charging (after commit).
    billing_history.record_erasure(instance)
    account.cancel_subscriptions(instance)
