"""Signal wiring for people: purge cached pages when its records change."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from masthead import cache

from .models import Author


@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
def author_changed(sender: type[Author], instance: Author, **kwargs: Any) -> None:
    # An author's name, photo and bio show in every byline and on their page.
    # Its name and type are listed on the index of them all.
    cache.purge(cache.author_tag(instance.pk), cache.AUTHOR_INDEX)
