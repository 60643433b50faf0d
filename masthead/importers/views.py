"""The "Import" screens in the admin (docs/importing.md).

Upload an export and choose its format: a dry run comes first and shows
its report; its page then offers to import the same file. Small files run
during the request; larger ones as a background task, whose page shows the
progress each time it reloads (it reloads itself while the run is going).
Needs ``importers.add_importrun`` (superusers have it).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .forms import UploadForm
from .models import ImportRun, RunState
from .services import read_progress, run_import
from .tasks import run_uploaded_import

if TYPE_CHECKING:
    from django.contrib.auth.models import User

PERMISSION = "importers.add_importrun"
# Files up to this size are imported while the admin waits.
INLINE_MAX_BYTES = 2 * 1024 * 1024
RECENT_RUNS = 20


def _require_permission(request: HttpRequest) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def upload_dir() -> Path:
    folder = Path(settings.MASTHEAD_PRIVATE_UPLOADS_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _start(run: ImportRun) -> None:
    """Run now when the file is small, else queue it for the worker."""
    path = Path(run.stored_path)
    if path.is_file() and path.stat().st_size <= INLINE_MAX_BYTES:
        run_import(run, path)
        if not run.dry_run:
            path.unlink(missing_ok=True)
            ImportRun.objects.filter(pk=run.pk).update(stored_path="")
        return
    transaction.on_commit(lambda: run_uploaded_import.enqueue(run.pk))


def index(request: HttpRequest) -> HttpResponse:
    """The upload form and the recent runs; a valid upload starts a dry run."""
    _require_permission(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = Path(upload.name).name
        stored = upload_dir() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
        with stored.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        user: User = request.user  # type: ignore[assignment]
        run = ImportRun.objects.create(
            user=user,
            source=form.cleaned_data["source"],
            file_name=name[:255],
            stored_path=str(stored),
            dry_run=True,
        )
        _start(run)
        return redirect("importers_admin:run", pk=run.pk)
    runs = ImportRun.objects.select_related("user")[:RECENT_RUNS]
    return TemplateResponse(
        request, "importers/index.html", {"form": form, "runs": list(runs)}
    )


def run(request: HttpRequest, pk: int) -> HttpResponse:
    """One run: its state, progress, counts and problems."""
    _require_permission(request)
    found = get_object_or_404(ImportRun, pk=pk)
    can_import = (
        found.dry_run
        and found.state == RunState.DONE
        and bool(found.stored_path)
        and Path(found.stored_path).is_file()
    )
    done, total = (
        (found.done_count, found.total_count)
        if found.is_finished
        else read_progress(found)
    )
    context = {
        "run": found,
        "can_import": can_import,
        "done": done,
        "total": total,
        "percent": 100 * done // total if total else 0,
    }
    return TemplateResponse(request, "importers/run.html", context)


@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the file a finished dry run read."""
    _require_permission(request)
    dry = get_object_or_404(ImportRun, pk=pk, dry_run=True, state=RunState.DONE)
    if not dry.stored_path or not Path(dry.stored_path).is_file():
        # Case: imported already (the file is gone) or never kept.
        raise Http404("Nothing left to import")
    user: User = request.user  # type: ignore[assignment]
    real = ImportRun.objects.create(
        user=user,
        source=dry.source,
        file_name=dry.file_name,
        stored_path=dry.stored_path,
        dry_run=False,
    )
    ImportRun.objects.filter(pk=dry.pk).update(stored_path="")
    _start(real)
    return redirect("importers_admin:run", pk=real.pk)
