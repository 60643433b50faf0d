"""Rows of a run written together: a query per kind and batch, not per article.

Measured on the 2,000-post bench (docs/importing.md "Throughput"): each
published article cost about 60 queries, most of them rows that
``bulk_create`` writes for hundreds at once: the byline and tag rows, the
revision, two audit log entries, the ``ImportedItem`` row, the redirect,
the parent's ``numchild`` and Wagtail's search index entry. Everything
still happens inside the run's one transaction; a batch is written before
anything that reads those rows (``flush``), and at the end of the run.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.db.models.signals import post_save
from django.utils import timezone
from modelcluster.models import get_all_child_relations
from wagtail.contrib.redirects.models import Redirect
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, Revision
from wagtail.search.backends import get_search_backends

from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# Articles held before their rows are written: bounds the run's memory.
BATCH_SIZE = 500


class Pending:
    """A published article saved without its rows, and those rows."""

    def __init__(
        self,
        article: ArticlePage,
        authors: list[ArticleAuthor],
        tags: list[ArticleTag],
    ) -> None:
        self.article = article
        self.authors = authors
        self.tags = tags


class Batch:
    """What the run has saved but not yet written around it."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self.pending: list[Pending] = []
        # Children added by computed paths, counted onto numchild at once.
        self.children: dict[int, tuple[Page, int]] = {}
        # Old path to the page answering it; the last one wins, as with
        # ``update_or_create`` once per post.
        self.redirects: dict[str, Page] = {}
        # Articles Wagtail's search index takes at the end (``search_deferred``).
        self.to_index: dict[int, ArticlePage | None] = {}

    def add_child(self, parent: Page) -> None:
        page, count = self.children.get(parent.pk, (parent, 0))
        self.children[parent.pk] = (page, count + 1)

    def add_published(self, article: ArticlePage) -> None:
        """Take an article saved with its rows held back (``hold_rows``)."""
        self.pending.append(Pending(article, *_held_rows(article)))
        self.to_index[article.pk] = article

    def flush_tree(self) -> None:
        """Count the added children onto their parents (before ``add_child``)."""
        for pk, (parent, count) in self.children.items():
            Page.objects.filter(pk=pk).update(numchild=F("numchild") + count)
            parent.numchild += count
        self.children.clear()

    def flush(self) -> None:
        """Write everything held so far."""
        self.flush_tree()
        if self.pending:
            self._write_pending(self.pending)
            self.pending = []
        if self.redirects:
            _write_redirects(self.redirects)
            self.redirects = {}

    def index(self) -> None:
        """Put the run's articles into Wagtail's search index, in bulk."""
        fresh = [pk for pk, article in self.to_index.items() if article is None]
        articles = [a for a in self.to_index.values() if a is not None]
        # Updated and draft articles went through Wagtail's publish action,
        # which saved another copy: read them as they are now.
        articles += ArticlePage.get_indexed_objects().filter(pk__in=fresh)
        for backend in get_search_backends(with_auto_update=True):
            for start in range(0, len(articles), BATCH_SIZE):
                backend.add_bulk(ArticlePage, articles[start : start + BATCH_SIZE])
        self.to_index.clear()

    def _write_pending(self, pending: list[Pending]) -> None:
        ArticleAuthor.objects.bulk_create([r for p in pending for r in p.authors])
        ArticleTag.objects.bulk_create([r for p in pending for r in p.tags])
        article_type = ContentType.objects.get_for_model(ArticlePage)
        page_type = ContentType.objects.get_for_model(Page)
        revisions = []
        for item in pending:
            article = item.article
            _set_rows(article, item)
            revisions.append(
                Revision(
                    content_type=article_type,
                    base_content_type=page_type,
                    object_id=str(article.pk),
                    created_at=article.latest_revision_created_at,
                    user=self.user,
                    content=article.serializable_data(),
                    object_str=str(article),
                )
            )
        Revision.objects.bulk_create(revisions)
        for item, revision in zip(pending, revisions, strict=True):
            item.article.latest_revision = item.article.live_revision = revision
        Page.objects.bulk_update(
            [p.article for p in pending], ["latest_revision", "live_revision"]
        )
        PageLogEntry.objects.bulk_create(
            entry
            for item, revision in zip(pending, revisions, strict=True)
            for entry in self._log_entries(item.article, revision, article_type)
        )

    def _log_entries(
        self, article: ArticlePage, revision: Revision, content_type: ContentType
    ) -> list[PageLogEntry]:
        # What ``Page.save`` logs for a new page and ``log`` for the publish
        # (wagtail.models.audit_log.BaseLogEntryManager.log_action).
        context = get_active_log_context()
        now = timezone.now()
        common: dict[str, Any] = {
            "content_type": content_type,
            "label": article.get_admin_display_title(),
            "timestamp": now,
            "data": {},
            "uuid": context.uuid,
            "page": article,
        }
        return [
            PageLogEntry(
                action="wagtail.create",
                user=self.user or article.owner or context.user,
                content_changed=True,
                **common,
            ),
            PageLogEntry(
                action="wagtail.publish",
                user=self.user or context.user,
                revision=revision,
                **common,
            ),
        ]


def hold_rows(article: ArticlePage) -> None:
    """Keep the byline and tag rows out of the article's next save.

    modelcluster writes each row with its own select and insert; the batch
    writes them for hundreds of articles at once (``Batch.add_published``).
    """
    held: dict[str, Any] = getattr(article, "_cluster_related_objects", {})
    article._held_rows = (
        held.pop("article_authors", []),
        held.pop("article_tags", []),
    )


def _held_rows(article: ArticlePage) -> tuple[list[Any], list[Any]]:
    authors, tags = article._held_rows
    del article._held_rows
    for row in [*authors, *tags]:
        # As ``ArticlePage.save`` leaves them: listings read these (#15).
        row.article = article
        row.published_at = article.published_at
        row.locale_id = article.locale_id
    return authors, tags


def _set_rows(article: ArticlePage, item: Pending) -> None:
    """The article's child rows in memory, as the database now holds them.

    A new page has no other child rows yet, so its revision is serialised
    without a query per relation (modelcluster's ``serializable_data``).
    """
    for relation in get_all_child_relations(article):
        name = relation.get_accessor_name()
        if name == "article_authors":
            rows: list[Any] = item.authors
        elif name == "article_tags":
            rows = item.tags
        else:
            rows = []
        setattr(article, name, rows)


def _write_redirects(redirects: dict[str, Page]) -> None:
    paths = list(redirects)
    existing = {
        r.old_path: r
        for start in range(0, len(paths), BATCH_SIZE)
        for r in Redirect.objects.filter(
            site=None, old_path__in=paths[start : start + BATCH_SIZE]
        )
    }
    changed = []
    for path, redirect in existing.items():
        redirect.redirect_page = redirects[path]
        redirect.redirect_link = ""
        redirect.is_permanent = True
        changed.append(redirect)
    Redirect.objects.bulk_update(
        changed, ["redirect_page", "redirect_link", "is_permanent"]
    )
    Redirect.objects.bulk_create(
        Redirect(
            old_path=path,
            site=None,
            redirect_page=page,
            redirect_link="",
            is_permanent=True,
        )
        for path, page in redirects.items()
        if path not in existing
    )


_deferring = threading.local()


def _index_unless_deferred(sender: type, instance: Any, **kwargs: Any) -> None:
    if getattr(_deferring, "active", False):
        return
    _index_on_save(sender=sender, instance=instance, **kwargs)


def _index_on_save(**kwargs: Any) -> None:
    from modelsearch.signal_handlers import post_save_signal_handler

    post_save_signal_handler(**kwargs)


@contextmanager
def search_deferred() -> Iterator[None]:
    """Leave out Wagtail's search index update on each article save, in this
    thread only: ``Batch.index`` adds the run's articles at the end.

    modelsearch's handler re-reads the article and rewrites the index's
    title norms on every save (eight queries an article). Other threads of a
    worker keep indexing their saves: the handler is swapped for one that
    looks at this thread's flag, and both are briefly connected when
    swapping, so no save of theirs goes unindexed.
    """
    from modelsearch.signal_handlers import post_save_signal_handler

    uid = "masthead-importers-search-deferred"
    key = (id(post_save_signal_handler), id(ArticlePage))
    # Case: search auto-update is off: nothing to swap, nothing to defer.
    swapped = any(receiver[0] == key for receiver in post_save.receivers)
    if swapped:
        post_save.connect(_index_unless_deferred, sender=ArticlePage, dispatch_uid=uid)
        post_save.disconnect(post_save_signal_handler, sender=ArticlePage)
    _deferring.active = True
    try:
        yield
    finally:
        _deferring.active = False
        if swapped:
            post_save.connect(post_save_signal_handler, sender=ArticlePage)
        post_save.disconnect(sender=ArticlePage, dispatch_uid=uid)
