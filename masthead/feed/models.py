"""The live News Feed: short timestamped posts."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from masthead import cache
from masthead.core.sanitize import clean_html, unclosed_markup

FEED_ITEM_FEATURES = ["bold", "italic", "link"]


class NewsFeedItemQuerySet(models.QuerySet["NewsFeedItem"]):
    def published(self) -> "NewsFeedItemQuerySet":
        """Items readers may see: their time has come."""
        return self.filter(published_at__lte=timezone.now())

    def newest_first(self) -> "NewsFeedItemQuerySet":
        return self.order_by("-published_at", "-pk")


class NewsFeedItem(index.Indexed, models.Model):
    """A short post in the News Feed: a headline and a paragraph or two."""

    headline = models.CharField(max_length=255)
    body = RichTextField(
        features=FEED_ITEM_FEATURES,
        blank=True,
        help_text="One or two short paragraphs.",
    )
    body_html = models.TextField(editable=False, blank=True)
    published_at = models.DateTimeField(
        default=timezone.now,
        db_index=True,
        help_text="Shown as the post's time. A future time holds it back.",
    )
    updated_at = models.DateTimeField(auto_now=True, editable=False)
    is_pinned = models.BooleanField(
        "pinned",
        default=False,
        help_text="Pinned posts stay at the top of the News Feed page.",
    )
    article = models.ForeignKey(
        "content.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Optional: the full story this post points to.",
    )

    objects = NewsFeedItemQuerySet.as_manager()

    panels = [
        FieldPanel("headline"),
        FieldPanel("body"),
        FieldPanel("published_at"),
        FieldPanel("article"),
        FieldPanel("is_pinned"),
    ]
    search_fields = [index.SearchField("headline"), index.SearchField("body")]

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "News Feed item"
        indexes = [
            # The News Feed page's pinned posts: without it SQLite walked
            # every item looking for the pinned ones (34 ms at 100,000, #5).
            models.Index(
                fields=["is_pinned", "-published_at", "-id"], name="feed_pinned_idx"
            )
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Internal links are expanded once here, so a sidebar of many items
        # costs one query, not one per link.
        self.body_html = clean_html(expand_db_html(self.body)) if self.body else ""
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{reverse('feed:news-feed')}#item-{self.pk}"

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        """Also refuse a body whose markup would hide text on the page (#13).

        The editor and the desk cannot produce one; the model API and
        importers can. Saved without validation, it is repaired in
        ``body_html`` instead (core/sanitize.py). A form whose body field
        failed already leaves it out (``exclude``).
        """
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.error_dict
        construct = None
        if "body" not in errors and not (exclude and "body" in exclude):
            construct = unclosed_markup(self.body)
        if construct:
            errors["body"] = [
                ValidationError(
                    f"“{construct}” is never closed and would hide the text "
                    "after it. Close it or remove it."
                )
            ]
        if errors:
            raise ValidationError(errors)


@dataclass
class FeedDay:
    """The items of one calendar day in the publication's time zone."""

    day: date
    items: list[Any] = field(default_factory=list)


def item_tag(pk: int) -> str:
    """The cache tag of one item's kept HTML (feed/views.py)."""
    return cache.feed_item_tag(pk)


def group_by_day(items: Iterable[Any], tz: tzinfo | None = None) -> list[FeedDay]:
    """Group items (newest first) by their local calendar day.

    Args:
        items: objects with an aware ``published_at``, newest first.
        tz: the publication's time zone; the current one when omitted.
    """
    tz = tz or timezone.get_current_timezone()
    days: list[FeedDay] = []
    for item in items:
        published: datetime = item.published_at
        local_day = timezone.localtime(published, tz).date()
        if not days or days[-1].day != local_day:
            days.append(FeedDay(day=local_day))
        days[-1].items.append(item)
    return days
