"""Signal wiring for core: purge cached pages when its records change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import caching
from .models import SiteSettings


@receiver(post_save, sender=SiteSettings)
@receiver(post_delete, sender=SiteSettings)
def site_settings_changed(sender, instance, **kwargs):
    # Logo, name and footer show on every page.
    caching.purge(caching.SITE)
