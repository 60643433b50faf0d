"""Newsroom tables: roles live in auth and Wagtail; this keeps job progress."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobWatermark(models.Model):
    """How far a scheduled job has got, kept across restarts (#12).

    A job that handles a time window (embargoes that passed since its last
    run) starts from here, so a worker stopped for days still handles what
    passed meanwhile. One row per job.
    """

    job = models.CharField(max_length=100, unique=True)
    reached_at = models.DateTimeField(
        help_text=_("Everything due up to this moment has been handled.")
    )

    def __str__(self) -> str:
        return f"{self.job} up to {self.reached_at.isoformat()}"
