"""Writes for search: keep the index in step with the articles.

A change is queued as a ``PendingIndexChange`` row in the transaction that
publishes, unpublishes or deletes the article, then applied after commit by
whichever process can take Tantivy's single writer. docs/search.md explains
why this cannot lose a change with several app processes.
"""

import logging
from collections.abc import Iterable

from django.db import transaction

from masthead.search.backends import IndexBusy, SearchUnavailable, get_backend
from masthead.search.documents import (
    IndexDocument,
    articles_for_indexing,
    published_documents,
)
from masthead.search.models import PendingIndexChange

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# After an editor's change commits, at most this many batches are applied in
# their request, newest first: their own change, not the backlog of a
# renamed author on 90,000 articles, which the scheduler works through.
INLINE_BATCHES = 5
# The scheduler's share per turn (``catch_up``): a few seconds of work.
CATCH_UP_BATCHES = 50


def queue_article_change(article_id: int) -> None:
    """Mark an article's search entry stale; it is refreshed after commit.

    Call inside the transaction that changes the article. The row commits (or
    rolls back) with it; the index is written only once the change is final.
    """
    queue_articles_change([article_id])


def queue_articles_change(article_ids: Iterable[int]) -> int:
    """``queue_article_change`` for many articles at once; returns how many.

    For a renamed or deleted author or tag: every article whose document
    shows the name. Rows are inserted in bulk; the newest batches are
    applied after commit and the scheduler applies the rest.
    """
    rows = [PendingIndexChange(article_id=pk) for pk in article_ids]
    if not rows:
        return 0
    PendingIndexChange.objects.bulk_create(rows, batch_size=5000)
    # robust: an index failure is logged, never turned into an error for the
    # editor whose publish has already committed; the row stays queued.
    transaction.on_commit(apply_after_commit, robust=True)
    return len(rows)


def apply_after_commit() -> int:
    """The changes an editor just committed, and a little of any backlog."""
    return process_pending_changes(
        BATCH_SIZE, max_batches=INLINE_BATCHES, newest_first=True
    )


def catch_up() -> int:
    """The scheduler's turn: apply what is still queued, a bounded amount."""
    return process_pending_changes(BATCH_SIZE, max_batches=CATCH_UP_BATCHES)


def process_pending_changes(
    batch_size: int = BATCH_SIZE,
    *,
    max_batches: int | None = None,
    newest_first: bool = False,
) -> int:
    """Apply queued changes to the index; returns how many articles were applied.

    Each batch re-reads its articles with the one visibility rule: published
    ones are (re)indexed, anything else is removed, so rows may be applied
    in any order. If another process holds the index writer, this stops and
    leaves the rows: that process looks at the queue again after releasing
    the writer, so it applies them. ``max_batches`` bounds the work; what is
    left stays queued.
    """
    backend = get_backend()
    applied = 0
    batches = 0
    order = "-pk" if newest_first else "pk"
    while max_batches is None or batches < max_batches:
        batches += 1
        rows = list(
            PendingIndexChange.objects.order_by(order).values_list("pk", "article_id")[
                :batch_size
            ]
        )
        if not rows:
            return applied
        article_ids = {article_id for _, article_id in rows}
        visible = list(articles_for_indexing().filter(pk__in=article_ids))
        visible_ids = {article.pk for article in visible}
        try:
            backend.apply(
                [IndexDocument.from_article(article) for article in visible],
                sorted(article_ids - visible_ids),
            )
        except IndexBusy:
            logger.info("Search index busy; %d change(s) left queued", len(rows))
            return applied
        except SearchUnavailable:
            logger.exception("Search index not updated; changes left queued")
            return applied
        PendingIndexChange.objects.filter(pk__in=[pk for pk, _ in rows]).delete()
        applied += len(article_ids)
    return applied


def rebuild_index(batch_size: int = 500) -> int:
    """Reindex every published article, then apply what was queued meanwhile.

    Readers keep the old index until the new one commits. Changes made during
    the rebuild wait in the queue (the writer is busy) and are applied at the
    end; applying one twice is harmless.

    Returns:
        The number of articles indexed.
    """
    count = get_backend().rebuild(published_documents(batch_size))
    process_pending_changes()
    return count
