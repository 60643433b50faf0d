"""Signal wiring for content; the handlers call services."""

from collections.abc import Iterable
from typing import Any

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from masthead.core import caching

from .events import articles_became_visible
from .models import (
    ArticlePage,
    Correction,
    CurationSettings,
    EditorsPick,
    HomePage,
    SectionPage,
)
from .services import (
    article_cache_tags,
    purge_article,
    refresh_related,
    restore_article_url,
    retire_article_url,
)


@receiver(page_unpublished)
def article_unpublished(sender: object, instance: object, **kwargs: Any) -> None:
    if isinstance(instance, ArticlePage):
        retire_article_url(instance)
        purge_article(instance.pk)
    elif isinstance(instance, HomePage | SectionPage):
        caching.purge(caching.SITE)


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(
    sender: type[ArticlePage], instance: ArticlePage, **kwargs: Any
) -> None:
    if instance.live:
        retire_article_url(instance)
        purge_article(instance.pk)


@receiver(page_published)
def article_published(sender: object, instance: object, **kwargs: Any) -> None:
    if isinstance(instance, ArticlePage):
        restore_article_url(instance)
        refresh_related(instance)
        purge_article(instance.pk)
    elif isinstance(instance, HomePage | SectionPage):
        # Section names and the front page's choices appear on every page.
        caching.purge(caching.SITE)


@receiver(post_page_move)
def page_moved(sender: object, instance: object, **kwargs: Any) -> None:
    """A move changes the URL of the page and of everything under it.

    Links to them are on teasers, menus and listings everywhere: a move is
    rare, so every page is purged.
    """
    caching.purge(caching.SITE)


@receiver(articles_became_visible)
def articles_released(
    sender: object, article_ids: Iterable[int], **kwargs: Any
) -> None:
    for article_id in article_ids:
        purge_article(article_id)


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def correction_changed(
    sender: type[Correction], instance: Correction, **kwargs: Any
) -> None:
    caching.purge(*article_cache_tags(instance.article_id), "corrections")


@receiver(post_save, sender=CurationSettings)
@receiver(post_save, sender=EditorsPick)
@receiver(post_delete, sender=EditorsPick)
def curation_changed(
    sender: type[CurationSettings | EditorsPick],
    instance: CurationSettings | EditorsPick,
    **kwargs: Any,
) -> None:
    caching.purge("picks")
