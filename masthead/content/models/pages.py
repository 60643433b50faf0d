"""Home, section and article pages, and the article queryset."""

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import cached_property
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index
from wagtail.url_routing import RouteResult

from masthead import cache
from masthead.cache.pages import PublicPageMixin
from masthead.core.queries import Prepared
from masthead.core.sanitize import clean_fragments
from masthead.core.text import count_words, reading_minutes, strip_tags

from ..blocks import ArticleBodyBlock
from ..visibility import is_embargoed, is_public, is_under_restriction, public_q
from .rows import ArticleAuthor, ArticleTag, CardLink

if TYPE_CHECKING:
    from masthead.people.models import Author
    from masthead.taxonomy.models import Tag


def published_q(prefix: str = "") -> Q:
    """The condition behind ``ArticleQuerySet.published`` (content/visibility.py)."""
    return public_q(prefix)


class ArticleQuerySet(PageQuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles a reader may see: live, dated, not embargoed, not private.

        This is the one definition of "published"; views, feeds, sitemaps,
        search and the API all call it. ``live`` is compared with a literal,
        not a bound ``live = ?``: with the parameter SQLite's planner scanned
        the whole page table (1,018 ms instead of 8 ms, issue #2).
        """
        articles: ArticleQuerySet = self.filter(published_q())
        return articles

    def in_section(self, section: "SectionPage") -> "ArticleQuerySet":
        articles: ArticleQuerySet = self.filter(section=section)
        return articles

    def newest_first(self) -> "ArticleQuerySet":
        """Newest first; the indexes end in the same tie-breaker (no sort step)."""
        articles: ArticleQuerySet = self.order_by("-published_at", "-pk")
        return articles

    def by_author(self, author: "Author") -> "ArticleQuerySet":
        """An author's articles, newest first, read in order from the byline index."""
        articles: ArticleQuerySet = self.filter(
            article_authors__author=author
        ).order_by("-article_authors__published_at", "-article_authors__article_id")
        return articles

    def tagged(self, tag: "Tag") -> "ArticleQuerySet":
        """A tag's articles, newest first, read in order from the tag index.

        A join ordered by the article's own date read every row of a big tag
        (170-350 ms); the tag rows carry the date so this reads 20 (0.13 ms).
        """
        articles: ArticleQuerySet = self.filter(article_tags__tag=tag).order_by(
            "-article_tags__published_at", "-article_tags__article_id"
        )
        return articles

    def for_results(self) -> "ArticleQuerySet":
        """Load only what a search result shows: link, section, date, byline.

        A whole article row (its StreamField, the stored HTML) built into
        model instances cost most of a results page at a million articles.
        """
        articles: ArticleQuerySet = (
            self.select_related("section")
            .only("title", "url_path", "published_at", "section__title")
            .prefetch_related(
                Prefetch(
                    "article_authors",
                    queryset=ArticleAuthor.objects.select_related("author")
                    .only("article_id", "author__name")
                    .order_by("sort_order"),
                ),
            )
        )
        return articles

    def for_listing(self) -> "ArticleQuerySet":
        """Load what a teaser shows in a fixed number of queries."""
        articles: ArticleQuerySet = self.select_related(
            "hero_image", "section"
        ).prefetch_related(
            "hero_image__renditions",
            Prefetch(
                "article_authors",
                queryset=ArticleAuthor.objects.select_related("author").order_by(
                    "sort_order"
                ),
            ),
        )
        return articles


ArticleManager = PageManager.from_queryset(ArticleQuerySet)


class HomePage(PublicPageMixin, Page):
    """The front page: a lead story and secondary stories editors choose.

    Empty choices, or choices no longer published, fall back to the latest
    articles, so the front page is never empty.
    """

    lead_article = models.ForeignKey(
        "content.ArticlePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The top story. Leave empty to lead with the latest article.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead_article"),
        InlinePanel(
            "secondary_stories",
            label="Secondary stories",
            max_num=6,
            help_text="Shown beside the lead; the latest articles fill any gap.",
        ),
    ]
    subpage_types = ["content.SectionPage"]
    max_count = 1
    template = "content/home_page.html"

    def get_cache_tags(self) -> list[str]:
        """The front page's choices and the sections show on every page."""
        return [cache.SITE]

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """Find a section or article by its URL in one query.

        Wagtail walks the tree: a query per level and another for each
        page's specific type, about 7 ms of an article render (issue #5).
        Sections and articles live at fixed depths, so their URL names them;
        anything else (or nothing found) takes Wagtail's walk.
        """
        if 1 <= len(path_components) <= 2:
            by_url = SECTION_BY_URL if len(path_components) == 1 else ARTICLE_BY_URL
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            found = by_url.instances(path_components[-1], url_path)
            page = found[0] if found else None
            if page is not None and page.path.startswith(self.path):
                if not page.live:
                    raise Http404
                return RouteResult(page)
        return super().route(request, path_components)


class SectionPage(PublicPageMixin, Page):
    """A section of the publication (Ukraine, Europe, Opinion…)."""

    intro = models.TextField(blank=True, help_text="One sentence under the name.")

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage"]
    template = "content/section_page.html"

    def get_cache_tags(self) -> list[str]:
        """Section names are in every page's navigation and teasers."""
        return [cache.SITE]


class ArticlePage(PublicPageMixin, Page):
    """A news article.

    ``body_html``, ``word_count`` and ``read_time_minutes`` are computed when
    the page is saved, so rendering a page never walks the StreamField.
    """

    standfirst = models.TextField(
        blank=True, help_text="One or two sentences under the headline."
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
        help_text="The main picture, shown under the byline.",
    )
    hero_caption = models.CharField(
        max_length=500,
        blank=True,
        help_text="What the picture shows in this story. The credit is added "
        "separately from the image library.",
    )
    body = StreamField(ArticleBodyBlock(), blank=True, use_json_field=True)
    body_html = models.TextField(editable=False, blank=True)
    word_count = models.PositiveIntegerField(editable=False, default=0)
    read_time_minutes = models.PositiveSmallIntegerField(editable=False, default=1)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Shown as the publication time. Set automatically on first publish.",
    )
    updated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
    )
    embargo_until = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Nothing about the article is shown anywhere (page, lists, "
        "feeds, sitemaps, search) before this time, even once published.",
    )
    # Best matches computed at publish (services.refresh_related); visibility
    # is checked again when the page is shown.
    related_ids = models.JSONField(default=list, blank=True, editable=False)
    # The article or a page above it is private (Wagtail's Privacy setting);
    # kept in step by content/visibility.py refresh_privacy.
    is_private = models.BooleanField(default=False, db_default=False, editable=False)

    objects = ArticleManager()

    content_panels = [
        FieldPanel("title", heading="Headline"),
        FieldPanel("standfirst"),
        InlinePanel("article_authors", label="Authors", min_num=1),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_caption")],
            heading="Hero image",
        ),
        FieldPanel("body"),
        InlinePanel("article_tags", label="Tags"),
    ]
    promote_panels = [*Page.promote_panels, FieldPanel("published_at")]
    settings_panels = [FieldPanel("embargo_until"), *Page.settings_panels]
    search_fields = [
        *Page.search_fields,
        index.SearchField("standfirst"),
        index.SearchField("body"),
    ]
    parent_page_types = ["content.SectionPage"]
    subpage_types: list[str] = []
    template = "content/article_page.html"

    class Meta:
        indexes = [
            models.Index(
                fields=["-published_at", "-page_ptr"], name="article_published_idx"
            ),
            models.Index(
                fields=["section", "-published_at", "-page_ptr"],
                name="article_section_pub_idx",
            ),
            # The articles sitemap's newest modification is the top of this
            # index; a MAX() read every article (2.2 s at a million, #5).
            models.Index(fields=["-updated_at"], name="article_updated_idx"),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.render_body()
        if self.first_published_at and not self.published_at:
            self.published_at = self.first_published_at
        if self.live and self.last_published_at:
            self.updated_at = self.last_published_at
        parent = self.get_parent() if self.path else None
        specific = parent.specific if parent is not None else None
        self.section = specific if isinstance(specific, SectionPage) else None
        if self.path and (update_fields is None or "is_private" in update_fields):
            self.is_private = is_under_restriction(self.path)
        super().save(*args, **kwargs)
        if update_fields is None or "body" in update_fields:
            self.record_card_links()
        # Copy the publication time onto the byline and tag rows so author and
        # tag listings read one index in order (0.13 ms instead of 350 ms).
        for model in (ArticleAuthor, ArticleTag):
            model.objects.filter(article_id=self.pk).exclude(
                published_at=self.published_at
            ).update(published_at=self.published_at)

    def render_body(self) -> None:
        """Store the body's HTML, word count and reading time."""
        # Block by block: an unclosed construct in one cannot swallow the
        # blocks after it (#13).
        self.body_html = clean_fragments(
            (str(child.render()) for child in self.body),
            where=f"article {self.pk}"
            if self.pk
            else f"new article {self.title[:60]!r}",
        )
        text = " ".join([self.title, self.standfirst, strip_tags(self.body_html)])
        self.word_count = count_words(text)
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
        section_id = (
            ArticlePage.objects.filter(pk=article_id)
            .values_list("section_id", flat=True)
            .first()
        )
        if section_id:
            tags.append(cache.list_tag("section", section_id))
        rows = ArticleAuthor.objects.filter(article_id=article_id)
        tags += [
            cache.list_tag("author", pk)
            for pk in rows.values_list("author_id", flat=True)
        ]
        rows_of_tags = ArticleTag.objects.filter(article_id=article_id)
        tags += [
            cache.list_tag("tag", pk)
            for pk in rows_of_tags.values_list("tag_id", flat=True)
        ]
        return tags

    def get_cache_tags(self) -> list[str]:
        return self.cache_tags_for(self.pk)

    def record_card_links(self) -> None:
        """Remember which articles the body's related-article cards point at.

        A card shows only while its article is public, so a change to that
        article's visibility renders this body again (content/signals.py).
        """
        targets = {
            block.value["article"].pk
            for block in self.body
            if block.block_type == "related_article" and block.value.get("article")
        }
        CardLink.objects.filter(article_id=self.pk).exclude(
            target_id__in=targets
        ).delete()
        known = set(
            CardLink.objects.filter(article_id=self.pk).values_list(
                "target_id", flat=True
            )
        )
        CardLink.objects.bulk_create(
            CardLink(article_id=self.pk, target_id=target)
            for target in sorted(targets - known)
        )

    @property
    def is_published(self) -> bool:
        """Per-object twin of ``ArticleQuerySet.published`` (tested to agree)."""
        return is_public(self)

    @property
    def is_embargoed(self) -> bool:
        return is_embargoed(self)

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
