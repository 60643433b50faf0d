"""Signal wiring for content; the handlers call services."""

from django.db.models.signals import pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import ArticlePage
from .services import refresh_related, restore_article_url, retire_article_url


@receiver(page_unpublished)
def article_unpublished(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        retire_article_url(instance)


@receiver(pre_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    if instance.live:
        retire_article_url(instance)


@receiver(page_published)
def article_published(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        restore_article_url(instance)
        refresh_related(instance)
