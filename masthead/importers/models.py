"""What importers remember: where each imported thing came from, and each run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedItem(models.Model):
    """One thing created by an import, keyed by its id in the source (#18).

    A second run of the same export finds the object here and updates it
    instead of creating a duplicate.
    """

    source = models.CharField(max_length=20)
    kind = models.CharField(max_length=20)  # author, tag, article, page, image
    source_id = models.CharField(max_length=255)
    object_id = models.PositiveBigIntegerField()
    # A fingerprint of the parsed record: a rerun skips what did not change.
    digest = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "source_id"], name="one_imported_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.source_id} -> {self.object_id}"


class RunState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed; nothing was changed")


class ImportRun(models.Model):
    """One import or dry run: who, what file, what it did or would do."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source = models.CharField(_("format"), max_length=20)
    file_name = models.CharField(_("file"), max_length=255)
    # Where an uploaded file waits for the background task; emptied after.
    stored_path = models.CharField(max_length=500, blank=True, editable=False)
    dry_run = models.BooleanField(_("dry run"), default=False)
    state = models.CharField(
        max_length=10, choices=RunState.choices, default=RunState.QUEUED
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    done_count = models.PositiveIntegerField(default=0)
    total_count = models.PositiveIntegerField(default=0)
    # {"article": {"created": n, "updated": n, "skipped": n}, ...}
    counts = models.JSONField(default=dict, blank=True)
    # [{"item": "post 5f… 'Headline'", "message": "..."}, ...]
    problems = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        kind = "dry run" if self.dry_run else "import"
        return f"{self.source} {kind} of {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.state in {RunState.DONE, RunState.FAILED}
