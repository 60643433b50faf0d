"""Signal wiring for core: purge cached pages when its records change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction, Site

from . import caching
from .models import LibraryImage, SiteSettings


@receiver(post_save, sender=SiteSettings)
@receiver(post_delete, sender=SiteSettings)
def site_settings_changed(sender, instance, **kwargs):
    # Logo, name and footer show on every page.
    caching.purge(caching.SITE)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    # Host names and root pages: routing, links and the kept site
    # (core/pages.py site_for_request) all depend on them.
    caching.purge(caching.SITE)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def view_restriction_changed(sender, instance, **kwargs):
    # A page made private (or public again) in the admin's Privacy setting:
    # copies of it, of its subpages and of every teaser showing them must go.
    # Rare enough that purging everything is the simple, safe answer.
    caching.purge(caching.SITE)


@receiver(post_save, sender=LibraryImage)
@receiver(post_delete, sender=LibraryImage)
def image_changed(sender, instance, **kwargs):
    # Alt text, credit, focal point or file: every page showing the image.
    caching.purge(caching.image_tag(instance.pk))
