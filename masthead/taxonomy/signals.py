"""Signal wiring for taxonomy: purge cached pages when its records change."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead import cache

from .models import Tag


@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
def tag_changed(sender: type[Tag], instance: Tag, **kwargs: Any) -> None:
    # A tag's name shows on its page and on every article it tags.
    # Its name and type are listed on the index of them all.
    cache.purge(cache.topic_tag(instance.pk), cache.TAG_INDEX)
