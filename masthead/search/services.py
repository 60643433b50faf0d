"""Writes for search: keep the index in step with the articles.

A change is queued as a ``PendingIndexChange`` row in the transaction that
publishes, unpublishes or deletes the article, then applied after commit by
whichever process can take Tantivy's single writer. docs/search.md explains
why this cannot lose a change with several app processes.
"""

import logging

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


def queue_article_change(article_id: int) -> None:
    """Mark an article's search entry stale; it is refreshed after commit.

    Call inside the transaction that changes the article. The row commits (or
    rolls back) with it; the index is written only once the change is final.
    """
    PendingIndexChange.objects.create(article_id=article_id)
    # robust: an index failure is logged, never turned into an error for the
    # editor whose publish has already committed; the row stays queued.
    transaction.on_commit(process_pending_changes, robust=True)


def process_pending_changes(batch_size: int = BATCH_SIZE) -> int:
    """Apply queued changes to the index; returns how many articles were applied.

    Each batch re-reads its articles with the one visibility rule: published
    ones are (re)indexed, anything else is removed. If another process holds
    the index writer, this stops and leaves the rows: that process looks at
    the queue again after releasing the writer, so it applies them.
    """
    backend = get_backend()
    applied = 0
    while True:
        rows = list(
            PendingIndexChange.objects.order_by("pk").values_list("pk", "article_id")[
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
