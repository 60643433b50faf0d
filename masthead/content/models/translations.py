"""Linked translations that fall behind their source (#15).

A translation is tied to the article it was made from when Wagtail copies it
("Translate" in the admin, or ``content.editions.translate_page``): that
article is its *source*, in whichever edition it was written. The row keeps
the source revision the translation was last brought up to date with, and a
"source changed" flag set when the source is published again or corrected
after the translation was published. Correction prompts are per article: a
notice on one edition asks for one on the article's other editions.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaleReason(models.TextChoices):
    UPDATED = "updated", _("updated")
    CORRECTED = "corrected", _("corrected")


class TranslationSyncQuerySet(models.QuerySet["TranslationSync"]):
    def stale(self) -> "TranslationSyncQuerySet":
        """Translations flagged "source changed" and not marked up to date."""
        return self.filter(source_changed_at__isnull=False)


class TranslationSync(models.Model):
    """How far a translation has followed the article it was translated from."""

    translation = models.OneToOneField(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="sync"
    )
    source = models.ForeignKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="synced_into"
    )
    synced_revision = models.ForeignKey(
        "wagtailcore.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The source's revision the translation was last brought up to date with."
        ),
    )
    source_changed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(
        max_length=10, choices=StaleReason.choices, blank=True, default=""
    )
    marked_up_to_date_at = models.DateTimeField(null=True, blank=True)
    marked_up_to_date_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TranslationSyncQuerySet.as_manager()

    class Meta:
        verbose_name = _("translation sync")
        verbose_name_plural = _("translation syncs")
        indexes = [
            models.Index(fields=["source_changed_at"], name="translation_stale_idx")
        ]

    def __str__(self) -> str:
        return f"{self.translation_id} from {self.source_id}"

    @property
    def is_stale(self) -> bool:
        return self.source_changed_at is not None


class CorrectionPromptQuerySet(models.QuerySet["CorrectionPrompt"]):
    def pending(self) -> "CorrectionPromptQuerySet":
        return self.filter(resolved_at__isnull=True)


class PromptResolution(models.TextChoices):
    CORRECTED = "corrected", _("correction added")
    DISMISSED = "dismissed", _("dismissed")
    # The notice that would prompt was itself the answer to a prompt.
    ANSWER = "answer", _("was an answer")


class CorrectionPrompt(models.Model):
    """A notice on one edition's article, asking for one on another edition's."""

    article = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        related_name="correction_prompts",
    )
    correction = models.ForeignKey(
        "content.Correction", on_delete=models.CASCADE, related_name="prompts"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(
        max_length=10, choices=PromptResolution.choices, blank=True, default=""
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CorrectionPromptQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "correction"], name="one_prompt_per_notice"
            )
        ]

    def __str__(self) -> str:
        return f"Prompt on {self.article_id} for {self.correction_id}"
