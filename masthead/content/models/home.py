"""The home page: one per edition, routing sections and articles by URL."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page
from wagtail.url_routing import RouteResult

from masthead import cache
from masthead.cache.pages import PublicPageMixin
from masthead.core.editions import locale_code

from .pages import ARTICLE_BY_URL, SECTION_BY_URL


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
        verbose_name=_("Lead article"),
        help_text=_("The top story. Leave empty to lead with the latest article."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead_article", heading=_("Lead article")),
        InlinePanel(
            "secondary_stories",
            label=_("Secondary stories"),
            max_num=6,
            help_text=_("Shown beside the lead; the latest articles fill any gap."),
        ),
    ]
    subpage_types = ["content.SectionPage", "content.StandardPage"]
    # One home page per edition (#15), not one in all: see can_create_at.
    template = "content/home_page.html"

    @classmethod
    def can_create_at(cls, parent: Page) -> bool:
        """Offer a new home page only while some edition has none.

        Each edition's home is its locale's tree root; a second home in one
        locale would be a page no URL reaches (``clean`` refuses it).
        """
        return bool(super().can_create_at(parent)) and (
            cls.objects.values("locale").distinct().count() < Locale.objects.count()
        )

    def clean(self) -> None:
        super().clean()
        others = HomePage.objects.filter(locale_id=self.locale_id)
        if self.pk:
            others = others.exclude(pk=self.pk)
        if self.locale_id and others.exists():
            raise ValidationError(
                _("This edition already has a home page: translate that one instead.")
            )

    def get_cache_tags(self) -> list[str]:
        """The front page's choices and the sections show on every page."""
        return [cache.SITE]

    @property
    def localized(self) -> Page:
        """The active edition's home page (or this one), kept until a purge.

        Wagtail routes every request from ``site.root_page.localized`` (#15):
        two queries each time (the active locale, then its translation).
        Publishing, moving or unpublishing a home page purges ``site``.
        """
        language = translation.get_language() or settings.LANGUAGE_CODE
        if locale_code(self.locale_id) == language:
            # Case: this home's own edition; no lookup at all.
            return self
        home: Page = cache.kept_until_purge(
            "edition-home",
            (self.pk, language),
            lambda: Page.localized.fget(self).specific,
        )
        return home

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        """Find a section or article by its URL in one query.

        Wagtail walks the tree: a query per level and another for each
        page's specific type, about 7 ms of an article render (issue #5).
        Sections and articles live at fixed depths, so their URL names them;
        anything else (or nothing found) takes Wagtail's walk.
        """
        try:
            edition = get_supported_content_language_variant(
                translation.get_language() or settings.LANGUAGE_CODE
            )
        except LookupError:
            edition = settings.LANGUAGE_CODE
        if locale_code(self.locale_id) != edition:
            # Case: the request's edition has no home page yet; Wagtail
            # falls back to this one, whose pages must not answer under
            # another edition's prefix (#15).
            raise Http404("This edition has no home page")
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
