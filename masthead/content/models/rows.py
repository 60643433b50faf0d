"""Rows that belong to an article: bylines, tags and related-article cards."""

from collections.abc import Iterable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class CardLink(models.Model):
    """A related-article card in ``article``'s body pointing at ``target``."""

    article = models.ForeignKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="card_links"
    )
    target = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        related_name="cards_pointing_here",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "target"], name="unique_card_link"
            )
        ]
        indexes = [models.Index(fields=["target"], name="card_link_target_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} shows a card of {self.target_id}"

    @staticmethod
    def record(article_id: int, body: Iterable[Any]) -> None:
        """Make ``article_id``'s cards those of the related-article blocks in ``body``.

        A card shows only while its article is public, so a change to that
        article's visibility renders this body again (content/signals.py).
        """
        targets = {
            block.value["article"].pk
            for block in body
            if block.block_type == "related_article" and block.value.get("article")
        }
        CardLink.objects.filter(article_id=article_id).exclude(
            target_id__in=targets
        ).delete()
        known = set(
            CardLink.objects.filter(article_id=article_id).values_list(
                "target_id", flat=True
            )
        )
        CardLink.objects.bulk_create(
            CardLink(article_id=article_id, target_id=target)
            for target in sorted(targets - known)
        )


class PublishedRow(models.Model):
    """A byline or tag row carrying its article's publication time and edition.

    Both are copied from the article on every save (``ArticlePage.save``), so
    an author's or tag's listing in one edition reads one index in order
    (#15): filtering on the article's locale through a join read every row
    of the other editions in between.
    """

    published_at = models.DateTimeField(null=True, editable=False)
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        # Only the listing indexes below read it.
        db_index=False,
    )

    class Meta:
        abstract = True


class ArticleAuthor(Orderable, PublishedRow):
    article = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="article_authors"
    )
    author = models.ForeignKey(
        "people.Author",
        on_delete=models.CASCADE,
        related_name="article_rows",
        verbose_name=_("author"),
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"], name="unique_article_author"
            )
        ]
        indexes = [
            models.Index(
                fields=["author", "-published_at", "-article"],
                name="byline_author_idx",
            ),
            # An author's page in one edition (#15).
            models.Index(
                fields=["author", "locale", "-published_at", "-article"],
                name="byline_edition_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.author} on {self.article_id}"


class ArticleTag(Orderable, PublishedRow):
    article = ParentalKey(
        "content.ArticlePage", on_delete=models.CASCADE, related_name="article_tags"
    )
    tag = models.ForeignKey(
        "taxonomy.Tag", on_delete=models.CASCADE, related_name="article_rows"
    )

    panels = [FieldPanel("tag")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article", "tag"], name="unique_article_tag"
            )
        ]
        indexes = [
            models.Index(
                fields=["tag", "-published_at", "-article"], name="tag_pub_idx"
            ),
            # A tag's page in one edition (#15).
            models.Index(
                fields=["tag", "locale", "-published_at", "-article"],
                name="tag_edition_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tag} on {self.article_id}"
