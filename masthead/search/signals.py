"""Signal wiring for search; the handlers call services."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from masthead.content.events import articles_became_visible
from masthead.content.models import ArticlePage

from .services import queue_article_change


@receiver(page_published)
@receiver(page_unpublished)
def article_visibility_changed(sender, instance, **kwargs):
    if isinstance(instance, ArticlePage):
        queue_article_change(instance.pk)


@receiver(articles_became_visible)
def articles_released(sender, article_ids, **kwargs):
    for article_id in article_ids:
        queue_article_change(article_id)


@receiver(post_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    queue_article_change(instance.pk)
