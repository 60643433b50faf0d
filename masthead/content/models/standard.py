"""Standard pages: About, Ethics policy, Corrections policy, Contact… (#14).

Each says which page it is (``role``), so the footer lists it and the
publisher's ``NewsMediaOrganization`` (web/structured_data.py) points at it
(``ethicsPolicy``, ``correctionsPolicy``…), as the Trust Project and Google
ask. A role on the page, not page choosers in the site settings: an editor
writes the policy and says what it is in one place, and a deleted or
unpublished page simply drops out instead of leaving a dangling choice.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.rich_text import expand_db_html
from wagtail.search import index

from masthead import cache
from masthead.cache.pages import PublicPageMixin
from masthead.content.routes import check_top_level_slug
from masthead.core.sanitize import clean_html

STANDARD_BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul"]


class StandardRole(models.TextChoices):
    """Which standard page this is; ``other`` pages are only in the footer."""

    ABOUT = "about", _("About us")
    PRINCIPLES = "principles", _("Publishing principles")
    ETHICS = "ethics", _("Ethics policy")
    CORRECTIONS = "corrections", _("Corrections policy")
    VERIFICATION = "verification", _("Fact-checking policy")
    FEEDBACK = "feedback", _("Feedback policy")
    CONTACT = "contact", _("Contact")
    MASTHEAD = "masthead", _("Staff and masthead")
    OWNERSHIP = "ownership", _("Ownership and funding")
    PRIVACY = "privacy", _("Privacy")
    OTHER = "other", pgettext_lazy("standard page kind", "Other")


class StandardPage(PublicPageMixin, Page):
    """A simple page about the publication: title, intro, body.

    ``body_html`` is the body made ready for readers when the page is saved
    (links expanded, sanitised), so rendering it does no work.
    """

    role = models.CharField(
        _("kind"),
        max_length=16,
        choices=StandardRole.choices,
        default=StandardRole.OTHER,
        help_text=_(
            "Which page this is. Search engines and the footer use it; "
            "each kind except Other can be used once."
        ),
    )
    intro = models.TextField(
        _("intro"),
        blank=True,
        help_text=_("Optional: one or two sentences under the title."),
    )
    body = RichTextField(_("body"), features=STANDARD_BODY_FEATURES, blank=True)
    body_html = models.TextField(editable=False, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("role"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []
    template = "content/standard_page.html"

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")

    def clean(self) -> None:
        super().clean()
        check_top_level_slug(self.slug)
        if self.role == StandardRole.OTHER:
            return
        taken = StandardPage.objects.filter(role=self.role).exclude(pk=self.pk)
        if taken.exists():
            raise ValidationError(
                {
                    "role": _("There is already a page for %(kind)s: %(page)s.")
                    % {"kind": self.get_role_display(), "page": taken.first()}
                }
            )

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.body_html = clean_html(expand_db_html(self.body))
        super().save(*args, **kwargs)

    def get_cache_tags(self) -> list[str]:
        """Standard pages are in every page's footer and every article's
        publisher data."""
        return [cache.SITE]
