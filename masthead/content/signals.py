"""Signal wiring for content: connects; the handlers are in publishing.py."""

from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    copy_for_translation_done,
    page_published,
    page_unpublished,
    post_page_move,
)

from masthead import cache
from masthead.core.events import article_visibility_changed, renditions_made

from . import publishing, translations
from .models import (
    ArticlePage,
    Correction,
    CurationSettings,
    EditorsPick,
    StandardPage,
)


@receiver(page_published)
def page_was_published(sender: object, instance: object, **kwargs: Any) -> None:
    publishing.page_published(instance)


@receiver(page_unpublished)
def page_was_unpublished(sender: object, instance: object, **kwargs: Any) -> None:
    publishing.page_unpublished(instance)


@receiver(pre_delete, sender=ArticlePage)
def article_about_to_be_deleted(
    sender: type[ArticlePage], instance: ArticlePage, **kwargs: Any
) -> None:
    publishing.article_deleted(instance)


@receiver(post_delete, sender=StandardPage)
def standard_page_deleted(
    sender: type[StandardPage], instance: StandardPage, **kwargs: Any
) -> None:
    """Its link leaves every footer and the publisher's data (#14)."""
    publishing.page_unpublished(instance)


@receiver(post_page_move)
def page_was_moved(sender: object, instance: object, **kwargs: Any) -> None:
    publishing.page_moved(instance)


@receiver(renditions_made)
def image_renditions_made(sender: object, image_id: int, **kwargs: Any) -> None:
    publishing.image_renditions_made(image_id)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(
    sender: type[PageViewRestriction], instance: PageViewRestriction, **kwargs: Any
) -> None:
    """A page made private, or public again, in the admin's Privacy setting."""
    path = Page.objects.filter(pk=instance.page_id).values_list("path", flat=True)
    page_path = path.first()
    if page_path:
        publishing.privacy_changed(page_path)


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def correction_changed(
    sender: type[Correction], instance: Correction, **kwargs: Any
) -> None:
    publishing.correction_changed(instance.article_id)


@receiver(copy_for_translation_done)
def copied_for_translation(
    sender: object, source_obj: object, target_obj: object, **kwargs: Any
) -> None:
    """The admin's "Translate", or translate_page: link the pair (#15)."""
    source = getattr(source_obj, "specific", source_obj)
    target = getattr(target_obj, "specific", target_obj)
    if isinstance(source, ArticlePage) and isinstance(target, ArticlePage):
        translations.link_translation(source, target)


@receiver(article_visibility_changed)
def pipeline_changed(
    sender: object, article_ids: list[int], reason: str, **kwargs: Any
) -> None:
    """Republished and corrected sources flag their translations (#15)."""
    translations.pipeline_changed(article_ids, reason)


@receiver(post_save, sender=CurationSettings)
@receiver(post_save, sender=EditorsPick)
@receiver(post_delete, sender=EditorsPick)
def curation_changed(
    sender: type[CurationSettings | EditorsPick],
    instance: CurationSettings | EditorsPick,
    **kwargs: Any,
) -> None:
    # The picks box, not any article's visibility.
    cache.purge(cache.PICKS)
