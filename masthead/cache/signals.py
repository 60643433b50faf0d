"""Purge cached pages when a site-wide record or an image changes."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction, Site

from masthead.core.events import article_visibility_changed, renditions_made
from masthead.core.models import LibraryImage, SiteSettings

from .purging import purge
from .tags import SITE, image_tag


# What every page depends on, each rare enough that purging everything is the
# simple, safe answer:
# - SiteSettings: the logo, name and footer on every page;
# - Site: host names and root pages, behind routing, links and the kept site
#   (core/pages.py site_for_request);
# - PageViewRestriction: a page made private (or public again) in the
#   admin's Privacy setting, with its subpages and every teaser showing them.
@receiver(post_save, sender=SiteSettings)
@receiver(post_delete, sender=SiteSettings)
@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def site_wide_record_changed(sender: object, instance: object, **kwargs: Any) -> None:
    purge(SITE)


@receiver(post_save, sender=LibraryImage)
@receiver(post_delete, sender=LibraryImage)
def image_changed(
    sender: type[LibraryImage], instance: LibraryImage, **kwargs: Any
) -> None:
    # Alt text, credit, focal point or file: every page showing the image.
    purge(image_tag(instance.pk))


@receiver(renditions_made)
def image_renditions_made(sender: object, image_id: int, **kwargs: Any) -> None:
    # Pages shown with a box in the picture's place (#13): now with it.
    purge(image_tag(image_id))


@receiver(article_visibility_changed)
def articles_changed(sender: object, tags: list[str], **kwargs: Any) -> None:
    # The pipeline (content/publishing.py) names every page that may show
    # the articles; this machine's store and the caches in front drop them.
    purge(*tags)
