"""Writes for search: keep the index in step with the articles.

A change is queued in the outbox (core/outbox.py, topic ``index``) in the
transaction that publishes, unpublishes or deletes the article, then applied
after commit by whichever process can take Tantivy's single writer.
docs/search.md explains why this cannot lose a change with several app
processes.

Each edition has its own index (#15): an article is written to its
edition's index and removed from every other one, so an article moved to
another edition's tree leaves the first.
"""

import logging
from collections.abc import Iterable

from masthead.core import outbox
from masthead.search.backends import IndexBusy, edition_backend, edition_backends
from masthead.search.documents import (
    IndexDocument,
    articles_for_indexing,
    published_documents,
)

logger = logging.getLogger(__name__)

TOPIC = "index"
BATCH_SIZE = 200
# After an editor's change commits, at most this many batches are applied in
# their request, newest first: their own change, not the backlog of a
# renamed author on 90,000 articles, which the background task works through.
INLINE_BATCHES = 5


def queue_articles_change(article_ids: Iterable[int]) -> int:
    """Mark these articles' search entries stale; returns how many.

    Call inside the transaction that changes them: the rows commit (or roll
    back) with it, and the index is written only once the change is final.
    For a renamed or deleted author or tag: every article whose document
    shows the name. The newest batches are applied after commit and the
    background task applies the rest.
    """
    return outbox.enqueue(TOPIC, article_ids)


def apply_changes(keys: list[str]) -> None:
    """The outbox handler: reindex or remove each queued article.

    Each batch re-reads its articles with the one visibility rule: published
    ones are (re)indexed, anything else is removed, so keys may be applied
    in any order and more than once.

    Raises:
        outbox.Busy: another process holds the index writer; it looks at
            the queue again after releasing the writer.
        SearchUnavailable: the index could not be written; retried later.
    """
    article_ids = {int(key) for key in keys}
    documents = [
        IndexDocument.from_article(article)
        for article in articles_for_indexing().filter(pk__in=article_ids)
    ]
    try:
        # One short write per edition's index, one writer at a time, never
        # two held at once. If one index is busy the rows stay queued and
        # the whole batch is applied again later: harmless, rows are
        # state-free. An article of an edition no longer configured is in
        # no ``mine`` and so is removed everywhere.
        for edition, backend in edition_backends().items():
            mine = [doc for doc in documents if doc.edition == edition]
            backend.apply(mine, sorted(article_ids - {doc.article_id for doc in mine}))
    except IndexBusy as error:
        raise outbox.Busy(str(error)) from error


def register_topic() -> None:
    """Make the index topic known to the outbox (search/apps.py)."""
    outbox.register(
        outbox.Topic(
            TOPIC,
            apply_changes,
            inline=True,
            batch_size=BATCH_SIZE,
            inline_batches=INLINE_BATCHES,
        )
    )


def process_pending_changes(max_batches: int | None = None) -> int:
    """Apply queued changes to the index now; returns how many rows applied."""
    return outbox.drain_topic(outbox.topics()[TOPIC], max_batches=max_batches)


def rebuild_index(
    batch_size: int = 500, editions: Iterable[str] | None = None
) -> dict[str, int]:
    """Reindex every edition's published articles, then apply what was queued.

    Each edition's index is rebuilt from that edition's articles, one after
    the other. Readers keep an old index until its new one commits. Changes
    made during the rebuild wait in the queue (a writer is busy) and are
    applied at the end; applying one twice is harmless.

    Args:
        batch_size: articles read from the database per query.
        editions: the editions to rebuild (language codes); every one when
            None.

    Returns:
        The number of articles indexed, per edition.
    """
    counts = {}
    for edition in edition_backends() if editions is None else editions:
        counts[edition] = edition_backend(edition).rebuild(
            published_documents(batch_size, edition=edition)
        )
    process_pending_changes()
    return counts
