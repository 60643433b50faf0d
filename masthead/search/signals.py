"""Signal wiring for search; the handlers call services."""

from typing import Any

from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from masthead.content.models import ArticleAuthor, ArticleTag
from masthead.core.events import article_visibility_changed
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from .services import queue_articles_change


@receiver(article_visibility_changed)
def articles_changed(sender: object, article_ids: list[int], **kwargs: Any) -> None:
    # Published, unpublished, deleted, moved, released, made private or
    # public, a card appeared or went: the index re-reads each article.
    queue_articles_change(article_ids)


# An author's or tag's name is in the documents of its articles.
_ROWS: dict[type, tuple[Any, str]] = {
    Author: (ArticleAuthor, "author_id"),
    Tag: (ArticleTag, "tag_id"),
}


def _article_ids(instance: Author | Tag) -> list[int]:
    rows, field = _ROWS[type(instance)]
    return list(
        rows.objects.filter(**{field: instance.pk}).values_list("article_id", flat=True)
    )


@receiver(pre_save, sender=Author)
@receiver(pre_save, sender=Tag)
def name_about_to_change(
    sender: type[Author | Tag], instance: Author | Tag, **kwargs: Any
) -> None:
    # What its articles' documents hold of it (core/translations.py); a
    # change to any edition's name reindexes them.
    before = sender.objects.filter(pk=instance.pk).only("name", "translations")
    row = before.first() if instance.pk else None
    instance._search_old_name = row.indexed_names() if row else None


@receiver(post_save, sender=Author)
@receiver(post_save, sender=Tag)
def name_changed(
    sender: type[Author | Tag], instance: Author | Tag, created: bool, **kwargs: Any
) -> None:
    old = getattr(instance, "_search_old_name", None)
    new = instance.indexed_names()
    if not created and old is not None and old != new:
        queue_articles_change(_article_ids(instance))


@receiver(pre_delete, sender=Author)
@receiver(pre_delete, sender=Tag)
def name_removed(
    sender: type[Author | Tag], instance: Author | Tag, **kwargs: Any
) -> None:
    # Before the byline or tag rows go with it; applied after commit.
    queue_articles_change(_article_ids(instance))
