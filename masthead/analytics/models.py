"""Daily view counts and the Most Popular table refreshed from them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyArticleViews(models.Model):
    """How many times an article was read on one day: one row per article a day."""

    article = models.ForeignKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    view_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="one_row_a_day")
        ]
        indexes = [models.Index(fields=["day", "article"], name="views_day_idx")]
        verbose_name = _("daily article views")
        verbose_name_plural = _("daily article views")

    def __str__(self) -> str:
        return f"{self.article_id} on {self.day}: {self.view_count}"


class DailySalt(models.Model):
    """Today's secret for visitor hashes; yesterday's is deleted (issue #14).

    As Plausible does: a view is counted once per visitor, article and day
    by a hash of the address, User-Agent and article under this salt. Once
    the salt is gone the hashes cannot be tied back to anyone, even by us.
    """

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class CountedVisit(models.Model):
    """A visitor-article pair already counted today: a salted hash, nothing else.

    Rows of earlier days are deleted with their day's salt.
    """

    day = models.DateField()
    digest = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "digest"], name="one_visit_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.digest} on {self.day}"


class PopularArticleQuerySet(models.QuerySet["PopularArticle"]):
    def for_window(
        self, days: int, locale_id: int | None = None
    ) -> "PopularArticleQuerySet":
        """One window's ranking; of one edition when ``locale_id`` is given."""
        rows = self.filter(window_days=days)
        if locale_id is not None:
            rows = rows.filter(locale_id=locale_id)
        return rows.order_by("rank")


class PopularArticle(models.Model):
    """One place in a Most Popular ranking, rewritten by each refresh.

    Each edition has its own ranking of its own articles (#15): ``locale``
    is the edition, the article's locale when the ranking was made.
    """

    window_days = models.PositiveSmallIntegerField()
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        null=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    rank = models.PositiveSmallIntegerField()
    article = models.ForeignKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="+"
    )
    view_count = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    objects = PopularArticleQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["window_days", "locale", "rank"],
                name="one_article_a_rank_an_edition",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.rank} over {self.window_days} days: {self.article_id}"
