"""What follows a change in an article's visibility (issue #12).

Related-article cards are rendered into a body only while their article is
public (content/blocks.py). When that article is published, unpublished,
moved, deleted, released from embargo or made private or public again, the
bodies pointing at it are rendered again here, and ``content_changed`` tells
caches and search.
"""

from collections.abc import Iterable

from django.db import transaction

from .events import content_changed, visibility_changed
from .models import ArticlePage, CardLink
from .visibility import refresh_privacy


def refresh_cards_pointing_at(target_ids: Iterable[int]) -> list[int]:
    """Render again the bodies whose cards point at these articles.

    Returns:
        The ids of the articles whose stored body changed.
    """
    targets = set(target_ids)
    if not targets:
        return []
    source_ids = set(
        CardLink.objects.filter(target_id__in=targets).values_list(
            "article_id", flat=True
        )
    )
    return rerender_bodies(source_ids)


def rerender_bodies(article_ids: Iterable[int]) -> list[int]:
    """Render the live bodies of these articles again; announce the changed."""
    changed = []
    for article in ArticlePage.objects.filter(pk__in=set(article_ids)):
        before = article.body_html
        article.render_body()
        if article.body_html != before:
            article.save(
                update_fields=["body_html", "word_count", "read_time_minutes"],
                clean=False,
            )
            changed.append(article.pk)
    if changed:
        content_changed.send(sender=ArticlePage, article_ids=changed)
    return changed


@transaction.atomic
def privacy_changed(path: str) -> list[int]:
    """A restriction was added or removed at ``path``: update and announce.

    Returns:
        The ids of the articles that became private or public.
    """
    changed = refresh_privacy(path)
    if changed:
        visibility_changed.send(sender=ArticlePage, article_ids=changed)
    return changed
