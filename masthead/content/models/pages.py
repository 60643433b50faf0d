"""Article pages (their queryset: queries.py; the home page: home.py)."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Locale, Page
from wagtail.search import index

from masthead import cache
from masthead.cache.pages import PublicPageMixin
from masthead.core.editions import locale_code
from masthead.core.queries import Prepared
from masthead.core.text import count_words, reading_minutes, strip_tags

from ..blocks import ArticleBodyBlock
from ..format_blocks import unread_text
from ..forms import ArticlePageForm
from ..panels import TranslationStatusPanel
from ..visibility import Access, is_embargoed, is_public, is_under_restriction
from .access import ACCESS_PANELS, access_field, render_parts
from .genres import GENRE_HELP, Genre
from .live import LIVE_SUMMARY_FEATURES, LiveStatus, preserved_live_state, summary_html
from .queries import ArticleManager
from .rows import ArticleAuthor, ArticleTag, CardLink
from .sections import SectionPage

if TYPE_CHECKING:
    from masthead.people.models import Author
    from masthead.taxonomy.models import Tag


class ArticlePage(PublicPageMixin, Page):
    """A news article, or a live page (content/models/live.py).

    ``body_html``, ``word_count`` and ``read_time_minutes`` are computed when
    the page is saved, so rendering a page never walks the StreamField.
    """

    standfirst = models.TextField(
        _("Standfirst"),
        blank=True,
        help_text=_("One or two sentences under the headline."),
    )
    # Not indexed: no listing filters by genre (#14). The database default
    # adds the column without rewriting the table.
    genre = models.CharField(
        _("Genre"),
        max_length=16,
        choices=Genre.choices,
        default=Genre.NEWS,
        db_default=Genre.NEWS,
        help_text=GENRE_HELP,
    )
    section = models.ForeignKey(
        SectionPage,
        null=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_image = models.ForeignKey(
        "core.LibraryImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("hero image"),
        help_text=_("The main picture, shown under the byline."),
    )
    hero_caption = models.CharField(
        _("hero caption"),
        max_length=500,
        blank=True,
        help_text=_(
            "What the picture shows in this story. The credit is added "
            "separately from the image library."
        ),
    )
    hero_alt_text = models.CharField(
        _("hero alt text"),
        max_length=300,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it, in this "
            "edition's language. Leave empty to use the image's own description."
        ),
    )
    body = StreamField(
        ArticleBodyBlock(), blank=True, use_json_field=True, verbose_name=_("Body")
    )
    body_html = models.TextField(editable=False, blank=True)
    # Gated articles (#17, models/access.py): who reads all of the body, and
    # the part after the "Members only from here" block.
    access = access_field()
    # Tier ids (memberships.Tier, an app above content: named, not imported).
    access_tiers = models.JSONField(_("tiers"), default=list, blank=True)
    gated_html = models.TextField(editable=False, blank=True, db_default="")
    word_count = models.PositiveIntegerField(editable=False, default=0)
    read_time_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    published_at = models.DateTimeField(
        _("published at"),
        null=True,
        blank=True,
        help_text=_(
            "Shown as the publication time. Set automatically on first publish."
        ),
    )
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    embargo_until = models.DateTimeField(
        _("embargo until"),
        null=True,
        blank=True,
        help_text=_(
            "Nothing about the article is shown anywhere (page, lists, "
            "feeds, sitemaps, search) before this time, even once published."
        ),
    )
    # Best matches computed at publish (services.refresh_related); visibility
    # is checked again when the page is shown.
    related_ids = models.JSONField(default=list, blank=True, editable=False)
    # The article or a page above it is private (Wagtail's Privacy setting);
    # kept in step by content/visibility.py refresh_privacy.
    is_private = models.BooleanField(default=False, db_default=False, editable=False)
    # Live coverage (content/models/live.py): page state, not revision content.
    live_status = models.CharField(
        max_length=8,
        choices=LiveStatus.choices,
        default=LiveStatus.NONE,
        db_default=LiveStatus.NONE,
        editable=False,
    )
    coverage_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    coverage_ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    live_summary = RichTextField(
        _("live summary"),
        features=LIVE_SUMMARY_FEATURES,
        blank=True,
        help_text=_(
            "Live pages only: the main points so far, in a few short "
            "lines. Keep it current; it is shown above the updates."
        ),
    )
    live_summary_html = models.TextField(editable=False, blank=True)
    # The page's locale, copied on every save so an edition's listings read
    # its own newest-first index in order (article_edition_newest_idx, #15).
    edition = models.ForeignKey(
        Locale,
        null=True,
        editable=False,
        db_index=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ArticleManager()
    # Fills an empty slug from the headline on the server; tags typed into
    # one field with suggestions (issue #14).
    base_form_class = ArticlePageForm

    content_panels = [
        # Shown on a translation whose source changed or owes a notice (#15).
        TranslationStatusPanel(heading=_("Translation")),
        FieldPanel("genre", heading=_("Genre")),
        # TitleFieldPanel fills the slug from the headline as it is typed (#14).
        TitleFieldPanel("title", heading=_("Headline"), placeholder=_("Headline*")),
        FieldPanel("standfirst", heading=_("Standfirst")),
        InlinePanel("article_authors", label=_("Authors"), min_num=1),
        MultiFieldPanel(
            [FieldPanel(f) for f in ("hero_image", "hero_caption", "hero_alt_text")],
            heading=_("Hero image"),
        ),
        FieldPanel("live_summary", heading=_("Live summary")),
        FieldPanel("body", heading=_("Body")),
        FieldPanel("tags", heading=_("Tags")),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("published_at")]
    settings_panels = [
        FieldPanel("embargo_until"),
        *ACCESS_PANELS,
        *Page.settings_panels,
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
    ]
    parent_page_types = ["content.SectionPage"]
    subpage_types: list[str] = []
    template = "content/article_page.html"
    # A translation or copy is a new story with its own publication time (#15).
    exclude_fields_in_copy = ["published_at", "updated_at"]

    class Meta:
        indexes = [
            models.Index(
                fields=["-published_at", "-page_ptr"], name="article_published_idx"
            ),
            models.Index(
                fields=["section", "-published_at", "-page_ptr"],
                name="article_section_pub_idx",
            ),
            # An edition's listings (#15): newest first, by id (sitemap
            # files, indexing), by update (the sitemap's lastmod).
            models.Index(
                fields=["edition", "-published_at", "-page_ptr"],
                name="article_edition_newest_idx",
            ),
            models.Index(fields=["edition", "page_ptr"], name="article_edition_id_idx"),
            models.Index(
                fields=["edition", "-updated_at"], name="article_edition_updated_idx"
            ),
            # The articles sitemap's newest modification is the top of this
            # index; a MAX() read every article (2.2 s at a million, #5).
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.render_body()
        if update_fields is None or "live_summary" in update_fields:
            self.live_summary_html = summary_html(self.live_summary)
        if self.first_published_at and not self.published_at:
            self.published_at = self.first_published_at
        if self.live and self.last_published_at:
            self.updated_at = self.last_published_at
        parent = self.get_parent() if self.path else None
        specific = parent.specific if parent is not None else None
        self.section = specific if isinstance(specific, SectionPage) else None
        self.edition_id = self.locale_id
        if update_fields is not None and "locale" in update_fields:
            kwargs["update_fields"] = [*update_fields, "edition"]
        if self.path and (update_fields is None or "is_private" in update_fields):
            self.is_private = is_under_restriction(self.path)
        super().save(*args, **kwargs)
        if update_fields is None or "body" in update_fields:
            self.record_card_links()
        # Copy the publication time and edition onto the byline and tag rows
        # so author and tag listings read one index in order (0.13 ms instead
        # of 350 ms; per edition, #15).
        for model in (ArticleAuthor, ArticleTag):
            model.objects.filter(article_id=self.pk).exclude(
                published_at=self.published_at, locale_id=self.locale_id
            ).update(published_at=self.published_at, locale_id=self.locale_id)

    def render_body(self) -> None:
        """Store the body's HTML (models/access.py), word count and reading time."""
        self.body_html, self.gated_html = render_parts(
            self.body,
            gated=self.is_gated,
            sponsored=self.genre == Genre.SPONSORED,
            where=f"article {self.pk}" if self.pk else f"new {self.title[:60]!r}",
            language=locale_code(self.locale_id),
        )
        parts = [self.title, self.standfirst, self.body_html, self.gated_html]
        # Pull quotes and transcripts are searchable but not read (#14).
        unread = count_words(unread_text(self.body))
        self.word_count = max(0, count_words(strip_tags(" ".join(parts))) - unread)
        self.read_time_minutes = reading_minutes(
            self.word_count, settings.MASTHEAD_READING_WPM
        )

    @staticmethod
    def cache_tags_for(article_id: int) -> list[str]:
        """Cache tags of every page a change to the article may alter.

        What the publishing pipeline purges (as Wagtail's
        ``get_cached_paths``): its own page and every page showing its
        teaser carry ``article-N``; the listings and feeds it belongs to may
        gain, lose or reorder it; sitemaps and search results list it.
        """
        tags = [
            cache.article_tag(article_id),
            cache.LATEST,
            cache.SITEMAPS,
            cache.SEARCH,
        ]
        section_id, published_at, live_status = (
            ArticlePage.objects.filter(pk=article_id)
            .values_list("section_id", "published_at", "live_status")
            .first()
        ) or (None, None, LiveStatus.NONE)
        if live_status != LiveStatus.NONE:
            # Its updates enter or leave the News Feed with the page.
            tags.append(cache.NEWSFEED)
        if section_id:
            tags.append(cache.list_tag("section", section_id))
        if published_at is not None:
            # The date archive's pages of its day, month and year, in the
            # publication's time zone, and the list of years (web/archive.py).
            day = timezone.localdate(published_at)
            tags += [
                cache.archive_tag(),
                cache.archive_tag(day.year),
                cache.archive_tag(day.year, day.month),
                cache.archive_tag(day.year, day.month, day.day),
            ]
        rows = ArticleAuthor.objects.filter(article_id=article_id)
        tags += [
            cache.list_tag("author", pk)
            for pk in rows.values_list("author_id", flat=True)
        ]
        rows_of_tags = ArticleTag.objects.filter(article_id=article_id)
        topic_lists = [
            cache.list_tag("tag", pk)
            for pk in rows_of_tags.values_list("tag_id", flat=True)
        ]
        # /tags/ lists only tags with a public article (web/tags.py).
        tags += [*topic_lists, cache.TAG_INDEX] if topic_lists else []
        return tags

    def get_cache_tags(self) -> list[str]:
        return self.cache_tags_for(self.pk)

    def record_card_links(self) -> None:
        """Remember which articles the body's related-article cards point at."""
        CardLink.record(self.pk, self.body)

    @property
    def is_published(self) -> bool:
        """Per-object twin of ``ArticleQuerySet.published`` (tested to agree)."""
        return is_public(self)

    @property
    def is_embargoed(self) -> bool:
        return is_embargoed(self)

    @property
    def is_gated(self) -> bool:
        """Some readers get only the part above the gate (models/access.py)."""
        return bool(self.access != Access.EVERYONE)

    def ordered_authors(self) -> list["Author"]:
        """The byline's authors in order (uses prefetched rows when present)."""
        return [row.author for row in self.article_authors.all()]

    def ordered_tags(self) -> list["Tag"]:
        return [row.tag for row in self.article_tags.all()]

    @cached_property
    def display_updated_at(self) -> datetime | None:
        """The update time worth showing: later than publication by a minute."""
        if (
            self.updated_at
            and self.published_at
            and (self.updated_at - self.published_at).total_seconds() > 60
        ):
            return self.updated_at
        return None

    @property
    def is_live_coverage(self) -> bool:
        """A live page, open or closed: it lists its updates."""
        return bool(self.live_status != LiveStatus.NONE)

    @property
    def is_live_now(self) -> bool:
        """Open coverage: the LIVE label, polling, ``LiveBlogPosting``."""
        return bool(self.live_status == LiveStatus.LIVE)

    def with_content_json(self, content: Any) -> "ArticlePage":
        """Wagtail's revision restore, keeping the live state of the page row."""
        page: ArticlePage = super().with_content_json(content)
        preserved_live_state(page, self)
        return page

    def public_profile(self) -> cache.Profile:
        """Open live coverage changes by the minute (cache/pages.py)."""
        return cache.Profile.LIVE if self.is_live_now else cache.Profile.PUBLIC

    def serve(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if self.is_embargoed and not getattr(request, "is_preview", False):
            # Case: published but under embargo; readers get nothing at all,
            # and no cache keeps that 404 (#13).
            raise cache.WithheldPage("No such page")
        return super().serve(request, *args, **kwargs)


# HomePage.route's lookups, compiled once per process (core/queries.py):
# sections and articles by slug and URL path, read from the path index.
SECTION_BY_URL = Prepared(
    lambda slug, url_path: SectionPage.objects.filter(slug=slug, url_path=url_path)[:1]
)
ARTICLE_BY_URL = Prepared(
    lambda slug, url_path: ArticlePage.objects.filter(slug=slug, url_path=url_path)[:1]
)
