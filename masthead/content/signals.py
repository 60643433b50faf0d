"""Signal wiring for content; the handlers call services."""

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from masthead.core import caching

from .events import content_changed, visibility_changed
from .models import (
    ArticlePage,
    CardLink,
    Correction,
    CurationSettings,
    EditorsPick,
    HomePage,
    SectionPage,
)
from .publishing import privacy_changed, refresh_cards_pointing_at, rerender_bodies
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
        refresh_cards_pointing_at([instance.pk])
    elif isinstance(instance, HomePage | SectionPage):
        caching.purge(caching.SITE)


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(
    sender: type[ArticlePage], instance: ArticlePage, **kwargs: Any
) -> None:
    if instance.live:
        retire_article_url(instance)
        purge_article(instance.pk)
    # The cards pointing here go with the article: render those bodies again
    # once it is gone.
    sources = list(
        CardLink.objects.filter(target_id=instance.pk).values_list(
            "article_id", flat=True
        )
    )
    if sources:
        transaction.on_commit(lambda: rerender_bodies(sources))


@receiver(page_published)
def article_published(sender: object, instance: object, **kwargs: Any) -> None:
    if isinstance(instance, ArticlePage):
        restore_article_url(instance)
        refresh_related(instance)
        purge_article(instance.pk)
        refresh_cards_pointing_at([instance.pk])
    elif isinstance(instance, HomePage | SectionPage):
        # Section names and the front page's choices appear on every page.
        caching.purge(caching.SITE)


@receiver(post_page_move)
def page_moved(sender: object, instance: object, **kwargs: Any) -> None:
    """A move changes the URL of the page and of everything under it.

    Links to them are on teasers, menus and listings everywhere: a move is
    rare, so every page is purged. Moving under (or out of) a private page
    changes who may see the articles moved.
    """
    caching.purge(caching.SITE)
    path = getattr(instance, "path", None)
    if path:
        privacy_changed(path)
        moved = ArticlePage.objects.filter(path__startswith=path)
        refresh_cards_pointing_at(moved.values_list("pk", flat=True))


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def restriction_changed(
    sender: type[PageViewRestriction], instance: PageViewRestriction, **kwargs: Any
) -> None:
    """A page made private, or public again, in the admin's Privacy setting."""
    page_path = (
        Page.objects.filter(pk=instance.page_id).values_list("path", flat=True).first()
    )
    if page_path:
        privacy_changed(page_path)


@receiver(visibility_changed)
def articles_visibility_changed(
    sender: object, article_ids: Iterable[int], **kwargs: Any
) -> None:
    ids = list(article_ids)
    for article_id in ids:
        purge_article(article_id)
    refresh_cards_pointing_at(ids)


@receiver(content_changed)
def articles_content_changed(
    sender: object, article_ids: Iterable[int], **kwargs: Any
) -> None:
    for article_id in article_ids:
        purge_article(article_id)


@receiver(post_save, sender=Correction)
@receiver(post_delete, sender=Correction)
def correction_changed(
    sender: type[Correction], instance: Correction, **kwargs: Any
) -> None:
    caching.purge(*article_cache_tags(instance.article_id), caching.CORRECTIONS)


@receiver(post_save, sender=CurationSettings)
@receiver(post_save, sender=EditorsPick)
@receiver(post_delete, sender=EditorsPick)
def curation_changed(
    sender: type[CurationSettings | EditorsPick],
    instance: CurationSettings | EditorsPick,
    **kwargs: Any,
) -> None:
    caching.purge(caching.PICKS)
