"""Wagtail's own search index for generated articles (issue #14).

The admin's page search asks Wagtail's search backend, which ``generate``
never told about its rows: no article was found. Every article of a story
from the pool is indexed with the same text, so the backend's own indexer
prepares each story once and the index rows are written like the others,
a batch at a time; FTS5 follows through the triggers Wagtail's migration
installed. One pass over the index sets the title weights at the end.

Only Wagtail's SQLite backend is written this way; with another database
``masthead generate`` says to run Wagtail's ``update_index`` instead.
"""

from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from wagtail.search.backends import get_search_backend

from masthead.content.models import ArticlePage

if TYPE_CHECKING:
    from modelsearch.backends.database.sqlite.sqlite import SQLiteIndex

    from .articles import _Written
    from .rows import _Rows
    from .setup import _Story

ENTRY_FIELDS = ["content_type", "object_id", "title", "autocomplete", "body"]


def admin_search_index() -> "SQLiteIndex | None":
    """Wagtail's index for articles, when it is the SQLite one written here."""
    if connection.vendor != "sqlite":
        # Case: the SQLite backend's module defines its models only on
        # SQLite; importing it on PostgreSQL fails.
        return None
    from modelsearch.backends.database.sqlite.sqlite import SQLiteIndex

    index = get_search_backend().get_index_for_model(ArticlePage)
    return index if isinstance(index, SQLiteIndex) else None


def index_articles(
    rows: "_Rows", written: "_Written", stories: list["_Story"], batch_size: int
) -> int | None:
    """Add every generated article to Wagtail's search index.

    Returns:
        How many articles were indexed, or None when the backend is not
        Wagtail's SQLite one (nothing was written).
    """
    index = admin_search_index()
    if index is None:
        return None
    from modelsearch.backends.database.sqlite.sqlite import ObjectIndexer

    backend = get_search_backend()
    content_type = ContentType.objects.get_for_model(ArticlePage).pk
    texts = []
    for story in stories:
        page = ArticlePage(
            title=story.title, standfirst=story.standfirst, body=story.body_json
        )
        indexer = ObjectIndexer(page, backend)
        texts.append((indexer.title, indexer.autocomplete, indexer.body))
    table = rows.table(index.entries.model, ENTRY_FIELDS)
    batch = []
    for page_id, story_index in zip(written.ids, written.stories, strict=True):
        title, autocomplete, body = texts[story_index]
        batch.append((content_type, str(page_id), title, autocomplete, body))
        if len(batch) >= batch_size:
            rows.insert(table, batch)
            batch = []
    rows.insert(table, batch)
    # Wagtail weighs titles by their length against the average (BM25).
    index._refresh_title_norms(full=True)
    return len(written.ids)
