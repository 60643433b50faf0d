"""Writes for articles: create and publish through Wagtail's revisions."""

from django.db import transaction

from .models import ArticlePage, SectionPage


@transaction.atomic
def create_article(
    section: SectionPage, article: ArticlePage, *, user=None, publish: bool = True
) -> ArticlePage:
    """Add ``article`` under ``section`` and optionally publish it.

    Args:
        section: the section page the article belongs to.
        article: an unsaved ArticlePage with its fields, authors and tags set.
        user: who did it, for the revision history and audit log.
        publish: publish at once (True) or leave a draft.

    Returns:
        The saved article.
    """
    article.live = False
    section.add_child(instance=article)
    revision = article.save_revision(user=user, log_action=True)
    if publish:
        revision.publish(user=user)
        article.refresh_from_db()
    return article


@transaction.atomic
def publish_article(article: ArticlePage, *, user=None) -> ArticlePage:
    """Publish the latest revision of ``article`` (a new one if none exists)."""
    revision = article.latest_revision or article.save_revision(user=user)
    revision.publish(user=user)
    article.refresh_from_db()
    return article
