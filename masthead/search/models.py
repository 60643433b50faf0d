"""The queue of articles whose search entry must be brought up to date."""

from django.db import models


class PendingIndexChange(models.Model):
    """An article whose publish, unpublish or deletion the index has not seen.

    Written in the same transaction as the change itself, so a change is never
    lost between the database commit and the index write; processing re-reads
    the article, so rows may repeat and arrive in any order.
    """

    article_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pending search index change"

    def __str__(self) -> str:
        return f"article {self.article_id} at {self.created_at:%Y-%m-%d %H:%M:%S}"
