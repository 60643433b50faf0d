"""Section pages: the publication's sections, one tree level under each home."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from masthead import cache
from masthead.cache.pages import PublicPageMixin
from masthead.content.routes import check_top_level_slug


class SectionPage(PublicPageMixin, Page):
    """A section of the publication (Ukraine, Europe, Opinion…)."""

    intro = models.TextField(
        _("intro"), blank=True, help_text=_("One sentence under the name.")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage"]
    template = "content/section_page.html"

    def clean(self) -> None:
        super().clean()
        check_top_level_slug(self.slug)

    def get_cache_tags(self) -> list[str]:
        """Section names are in every page's navigation and teasers."""
        return [cache.SITE]
