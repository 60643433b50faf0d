"""Signal wiring for core: connects; the work is in renditions.py."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from . import renditions
from .models import LibraryImage


@receiver(post_save, sender=LibraryImage)
def image_saved(
    sender: type[LibraryImage], instance: LibraryImage, **kwargs: Any
) -> None:
    # A new file or focal point: a large original's renditions are made by
    # the task before readers ask for them (#13).
    renditions.ensure(instance)
