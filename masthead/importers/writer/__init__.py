"""The writer: an Archive into Masthead's objects, all or nothing (#18).

Everything happens in one transaction; any error rolls all of it back and
is reported. A dry run does the same work and rolls back at the end, so its
report is exactly what the import would do; it stores no image files.
Records are upserted by their source id (``ImportedItem``), so a second run
of the same export updates what changed and leaves the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from wagtail.signal_handlers import disable_reference_index_auto_update

from masthead import cache
from masthead.content.editions import edition_home
from masthead.content.publishing import announce
from masthead.core.editions import default_edition

from .. import records
from .articles import Context, write_post
from .batch import search_deferred
from .images import ImageStore
from .people import write_authors, write_tags
from .state import Index, RunReport

if TYPE_CHECKING:
    from django.contrib.auth.models import User

__all__ = ["Progress", "RunReport", "write"]

# Called as (done, total, what) after each post.
Progress = Callable[[int, int, str], None]


class ItemFailed(RuntimeError):
    """Writing one item failed; the message names it."""


class _DryRunRollback(Exception):
    """Ends a dry run's transaction."""


def write(
    archive: records.Archive,
    *,
    dry_run: bool = False,
    user: User | None = None,
    allow_network: bool = False,
    progress: Progress | None = None,
) -> RunReport:
    """Write ``archive``; return what was (or would be) created and updated.

    A failure is caught, rolled back and described in ``RunReport.error``;
    nothing is changed then.
    """
    report = RunReport(source=archive.source, dry_run=dry_run)
    report.problems.extend(archive.problems)
    images = ImageStore(
        archive.source, archive.base_dir, dry_run=dry_run, allow_network=allow_network
    )
    try:
        # Wagtail's reference index and the articles' related stories are
        # brought up to date by one task after the commit (tasks.py); its
        # search index takes the run's articles at the end (batch.py).
        with (
            transaction.atomic(),
            disable_reference_index_auto_update(),
            search_deferred(),
        ):
            published = _write_all(archive, images, report, user, progress)
            if dry_run:
                raise _DryRunRollback
            if published:
                # Case: a whole archive appeared: one announcement, and
                # every cached page may have changed (``site``).
                announce(published, "published", [cache.SITE])
                transaction.on_commit(lambda: _follow_up(published))
    except _DryRunRollback:
        pass
    except Exception as error:  # noqa: BLE001  (all or nothing: any error is reported)
        images.discard_files()
        report.error = (
            str(error)
            if isinstance(error, ItemFailed)
            else f"{type(error).__name__}: {error}"
        )
        return report
    report.counts["image"]["created"] += images.created
    if images.reused:
        report.counts["image"]["unchanged"] += images.reused
    return report


def _write_all(
    archive: records.Archive,
    images: ImageStore,
    report: RunReport,
    user: User | None,
    progress: Progress | None,
) -> list[int]:
    home = edition_home(default_edition())
    if home is None:
        raise LookupError("No home page to import under")
    index = Index(archive.source)
    author_ids = write_authors(archive, index, images, report)
    tag_ids = write_tags(archive, index, report)
    tag_slugs = {t.source_id: t.slug for t in archive.tags}
    ctx = Context(home, index, images, report, user, author_ids, tag_ids, tag_slugs)
    total = len(archive.posts)
    for done, post in enumerate(archive.posts, start=1):
        try:
            write_post(post, ctx)
        except Exception as error:
            kind = "page" if post.is_page else "post"
            raise ItemFailed(
                f"{kind} {post.source_id} {post.title!r}: {error}"
            ) from error
        if progress is not None:
            progress(done, total, "posts")
    ctx.batch.flush()
    index.flush()
    if not images.dry_run:  # rolled back anyway
        ctx.batch.index()
    return ctx.published


def _follow_up(article_ids: list[int]) -> None:
    from ..tasks import index_imported

    index_imported.enqueue(article_ids)
