"""Signal wiring for memberships; the handlers call the cache (#17)."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead import cache

from .models import Tier


@receiver(post_save, sender=Tier)
@receiver(post_delete, sender=Tier)
def tier_changed(sender: type[Tier], **kwargs: Any) -> None:
    # Its name, benefits and prices are on the membership page.
    cache.purge(cache.MEMBERSHIPS)
