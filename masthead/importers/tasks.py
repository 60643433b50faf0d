"""Importers' background tasks (#18), run by the task worker."""

from __future__ import annotations

from django.tasks import task

from masthead.core.background import BACKGROUND

from .models import ImportRun


@task(backend=BACKGROUND)
def index_imported(article_ids: list[int]) -> int:
    """Bring Wagtail's reference index and related stories up to date.

    The import switches both off while it writes (one transaction, thousands
    of pages); this does them once per article afterwards.

    Returns:
        How many articles were brought up to date.
    """
    from wagtail.models import ReferenceIndex

    from masthead.content.models import ArticlePage
    from masthead.content.services import refresh_related

    done = 0
    for article in ArticlePage.objects.filter(pk__in=article_ids).iterator(
        chunk_size=200
    ):
        ReferenceIndex.create_or_update_for_object(article)
        if article.live:
            refresh_related(article)
        done += 1
    return done


@task(backend=BACKGROUND)
def run_uploaded_import(run_id: int) -> str:
    """Run an import uploaded in the admin (views.py), recording it on the run.

    Returns:
        The run's final state.
    """
    from pathlib import Path

    from .services import run_import

    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or run.is_finished or not run.stored_path:
        return "gone"
    path = Path(run.stored_path)
    run_import(run, path)
    if not run.dry_run:
        # A dry run's file waits for the import its page offers.
        path.unlink(missing_ok=True)
        ImportRun.objects.filter(pk=run.pk).update(stored_path="")
    return str(run.state)
