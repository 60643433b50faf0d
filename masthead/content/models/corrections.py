"""Corrections and notices on articles, and the URLs of withdrawn articles."""

from django.conf import settings
from django.db import models
from django.utils.timezone import now as timezone_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel

from ..visibility import public_q


class RetiredURL(models.Model):
    """A public article URL that was withdrawn or deleted: it answers 410 Gone.

    Search engines drop a 410 at once, where a 404 is retried for weeks.
    Publishing the article again removes the row.
    """

    path = models.CharField(max_length=700, unique=True)
    retired_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retired URL")
        verbose_name_plural = _("retired URLs")

    def __str__(self) -> str:
        return self.path


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", pgettext_lazy("notice", "Correction")
    CLARIFICATION = "clarification", pgettext_lazy("notice", "Clarification")
    UPDATE = "update", pgettext_lazy("notice", "Update")
    EDITORS_NOTE = "editors_note", pgettext_lazy("notice", "Editor's note")


class CorrectionQuerySet(models.QuerySet["Correction"]):
    def public(self) -> "CorrectionQuerySet":
        """Notices readers may see: on published articles, their time has come."""
        from django.utils import timezone

        return self.filter(public_q("article__"), published_at__lte=timezone.now())

    def newest_first(self) -> "CorrectionQuerySet":
        return self.order_by("-published_at", "-pk")


class Correction(models.Model):
    """A correction, clarification, update or editor's note on an article.

    Recorded once; the article notice, its JSON-LD ``correction``, its
    modified time in feeds and sitemaps and the public corrections page are
    all read from this one row.
    """

    article = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        related_name="corrections",
        verbose_name=_("article"),
    )
    kind = models.CharField(
        pgettext_lazy("notice", "kind"),
        max_length=20,
        choices=CorrectionKind.choices,
        default=CorrectionKind.CORRECTION,
    )
    text = models.TextField(
        _("text"),
        help_text=_(
            "What readers see, e.g. 'An earlier version of this article "
            "misstated the date of the meeting. It was Sept. 19.'"
        ),
    )
    published_at = models.DateTimeField(
        _("published at"),
        default=timezone_now,
        help_text=_("When the notice was added."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    panels = [
        FieldPanel("article"),
        FieldPanel("kind"),
        FieldPanel("text"),
        FieldPanel("published_at"),
    ]

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["-published_at"], name="correction_pub_idx")]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.article}"

    @property
    def is_correction(self) -> bool:
        return self.kind == CorrectionKind.CORRECTION
