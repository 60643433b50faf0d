"""The live News Feed: short timestamped posts."""

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException
from wagtail.embeds.finders import get_finders
from wagtail.fields import RichTextField
from wagtail.models import Locale
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from masthead import cache
from masthead.content.visibility import public_q
from masthead.core.editions import locale_code, locale_id_for
from masthead.core.sanitize import clean_fragments, unclosed_markup
from masthead.core.slugs import slug_from_text

FEED_ITEM_FEATURES = ["bold", "italic", "link"]
# Fields rendered into ``body_html`` beside the text.
MEDIA_FIELDS = ("image", "image_caption", "image_alt_text", "embed_url")


def default_locale_id() -> int:
    """The default edition's locale: where a post goes unless told otherwise.

    Read from the ids kept per process (core/editions.py): the bulk
    generator calls this once per row.
    """
    locale_id = locale_id_for(settings.LANGUAGE_CODE)
    if locale_id is None:
        found: int = Locale.get_default().pk
        return found
    return locale_id


class NewsFeedItemQuerySet(models.QuerySet["NewsFeedItem"]):
    def published(self) -> "NewsFeedItemQuerySet":
        """Items readers may see: their time has come.

        An update of a live page is seen only while that page is public
        (content/visibility.py): an update posted to a draft, embargoed or
        private live page must not reach the News Feed, its feeds or its
        permalink before the page does.
        """
        return self.filter(
            Q(live_page__isnull=True) | public_q("live_page__"),
            published_at__lte=timezone.now(),
        )

    def newest_first(self) -> "NewsFeedItemQuerySet":
        return self.order_by("-published_at", "-pk")

    def in_edition(self, language_code: str | None = None) -> "NewsFeedItemQuerySet":
        """The items of one edition (#15): ``uk`` for ``/uk/news-feed/``.

        Args:
            language_code: the edition; None for the request's (the
                language active now, core/editions.py).
        """
        locale_id = locale_id_for(
            language_code or translation.get_language() or settings.LANGUAGE_CODE
        )
        if locale_id is None:
            # Case: an edition whose locale was never created has no posts.
            return self.none()
        return self.filter(locale_id=locale_id)

    def on_live_page(self, page_id: int) -> "NewsFeedItemQuerySet":
        """The updates of live page ``page_id`` (content/models/live.py)."""
        return self.filter(live_page_id=page_id)


class NewsFeedItem(index.Indexed, models.Model):
    """A short post in the News Feed: a headline and a paragraph or two."""

    headline = models.CharField(_("headline"), max_length=255)
    body = RichTextField(
        _("body"),
        features=FEED_ITEM_FEATURES,
        blank=True,
        help_text=_("One or two short paragraphs."),
    )
    body_html = models.TextField(editable=False, blank=True)
    published_at = models.DateTimeField(
        _("published at"),
        default=timezone.now,
        db_index=True,
        help_text=_("Shown as the post's time. A future time holds it back."),
    )
    updated_at = models.DateTimeField(auto_now=True, editable=False)
    is_pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("Pinned posts stay at the top of the News Feed page."),
    )
    article = models.ForeignKey(
        "content.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("article"),
        help_text=_("Optional: the full story this post points to."),
    )
    image = models.ForeignKey(
        "core.LibraryImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("image"),
        help_text=_("Optional: a photo shown under the text."),
    )
    image_caption = models.CharField(
        _("caption"),
        max_length=500,
        blank=True,
        help_text=_("What the photo shows here, in a sentence."),
    )
    image_alt_text = models.CharField(
        _("alt text"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty to use the image's own description."),
    )
    embed_url = models.URLField(
        _("embed"),
        max_length=500,
        blank=True,
        help_text=_(
            "Optional: the address of a video or social post to show "
            "(YouTube, Vimeo, X, Instagram...)."
        ),
    )
    live_page = models.ForeignKey(
        "content.ArticlePage",
        null=True,
        blank=True,
        # Deleted with their live page: set free, the updates of a draft or
        # private page would become public News Feed items (#14).
        on_delete=models.CASCADE,
        related_name="live_updates",
        verbose_name=_("live page"),
        help_text=_("Optional: the live page this post is an update of."),
    )
    is_key_event = models.BooleanField(
        _("key event"),
        default=False,
        help_text=_("Key events are listed at the top of the live page."),
    )

    # Which edition's News Feed shows the item (#15); not a Wagtail
    # TranslatableMixin: a post has no translation to link.
    locale = models.ForeignKey(
        "wagtailcore.Locale",
        on_delete=models.PROTECT,
        related_name="+",
        default=default_locale_id,
        # Not required in forms: a post sent without a choice (an older
        # client, the snippet editor) keeps the default edition.
        blank=True,
        verbose_name=_("edition"),
        help_text=_("The edition whose News Feed shows this post."),
    )

    objects = NewsFeedItemQuerySet.as_manager()

    panels = [
        FieldPanel("locale"),
        FieldPanel("headline"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("image"),
                FieldPanel("image_caption"),
                FieldPanel("image_alt_text"),
            ],
            heading=_("Photo"),
        ),
        FieldPanel("embed_url"),
        FieldPanel("published_at"),
        FieldPanel("article"),
        FieldPanel("is_pinned"),
        # The live page is chosen on the Live desk (feed/live_desk.py), which
        # checks the page's permissions, offers only live pages and logs it.
        FieldPanel("is_key_event"),
    ]
    search_fields = [index.SearchField("headline"), index.SearchField("body")]

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("News Feed item")
        verbose_name_plural = _("News Feed items")
        indexes = [
            # The News Feed page's pinned posts: without it SQLite walked
            # every item looking for the pinned ones (34 ms at 100,000, #5).
            # Per edition (#15): the locale first, as every listing filters it.
            models.Index(
                fields=["locale", "is_pinned", "-published_at", "-id"],
                name="feed_pinned_idx",
            ),
            # A live page's updates, newest first, read in index order.
            models.Index(
                fields=["live_page", "-published_at", "-id"], name="feed_live_page_idx"
            ),
            # An edition's News Feed, newest first, read in index order (#15).
            models.Index(
                fields=["locale", "-published_at", "-id"], name="feed_locale_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"body", *MEDIA_FIELDS} & set(update_fields):
            self.render_body()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The item's own page: ``/news-feed/122-sirens-in-kyiv/``.

        The id finds the item; the slug only reads well, so a headline
        edited after sharing still reaches it (a 301 to the new address).
        """
        # In the item's own edition, whatever the language active now (a
        # feed or a purge built by a task, #15).
        with translation.override(locale_code(self.locale_id)):
            return reverse("feed:item", args=[permalink_part(self.pk, self.slug)])

    def render_body(self) -> None:
        """Store the text, photo and embed as one sanitised ``body_html``.

        Internal links are expanded and the photo's renditions made once
        here, so a sidebar of many items costs one query, not one per link,
        and every page, feed and JSON document shows the same HTML. The
        text and the media are sanitised apart (core/sanitize.py): markup
        left open in the text cannot swallow the photo.
        """
        media = ""
        if self.image_id or self.embed_url:
            # In the item's edition, whatever language the desk is in (#15).
            with translation.override(locale_code(self.locale_id)):
                media = render_to_string(
                    "feed/item_media.html",
                    {
                        "image": self.image,
                        "alt_text": self.image_alt_text
                        or (self.image.alt_text if self.image else ""),
                        "caption": self.image_caption,
                        "embed_url": self.embed_url,
                        "embed_html": self.embed_html(),
                    },
                )
        self.body_html = clean_fragments(
            [expand_db_html(self.body) if self.body else "", media],
            where=f"News Feed item {self.pk}" if self.pk else "a new News Feed item",
        )

    def embed_html(self) -> str:
        """The provider's HTML for ``embed_url``; empty when it has none.

        Wagtail keeps what a provider answered (its ``Embed`` table), so an
        edit does not ask again; a provider that cannot answer leaves a link.
        """
        if not self.embed_url:
            return ""
        try:
            return get_embed(self.embed_url).html or ""
        except EmbedException:
            return ""

    @property
    def slug(self) -> str:
        """The headline as the last part of the item's address."""
        return slug_from_text(self.headline)

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
        if (
            self.embed_url
            and "embed_url" not in errors
            and not (exclude and "embed_url" in exclude)
            and not any(finder.accept(self.embed_url) for finder in get_finders())
        ):
            errors["embed_url"] = [
                ValidationError(
                    _(
                        "This site's posts cannot be embedded. Use a video or post "
                        "address from YouTube, Vimeo, X, Instagram or similar."
                    )
                )
            ]
        if construct:
            errors["body"] = [
                ValidationError(
                    _(
                        "“%(construct)s” is never closed and would hide the text "
                        "after it. Close it or remove it."
                    ),
                    params={"construct": construct},
                )
            ]
        if errors:
            raise ValidationError(errors)


def permalink_part(pk: int, slug: str) -> str:
    """The item's address inside /news-feed/: ``122-sirens-in-kyiv`` or ``122``."""
    return f"{pk}-{slug}" if slug else str(pk)


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
