"""What editors choose: Editors' Picks and the front page's secondary stories."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable


@register_setting(icon="pick")
class CurationSettings(ClusterableModel, BaseSiteSetting):
    """Editors' choices shown across the site."""

    # One list for every edition; each shows the picks that are its
    # articles (web/context.py ``want_sidebar``, #15): room for both.
    panels = [InlinePanel("editors_picks", label=_("Editors' Picks"), max_num=24)]

    class Meta:
        verbose_name = _("Editors' Picks")
        verbose_name_plural = _("Editors' Picks")


class EditorsPick(Orderable):
    settings = ParentalKey(
        CurationSettings, on_delete=models.CASCADE, related_name="editors_picks"
    )
    article = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = _("Editors' Pick")
        verbose_name_plural = _("Editors' Picks")


class HomeStory(Orderable):
    """A secondary story on the front page, in the editors' order."""

    home = ParentalKey(
        "content.HomePage", on_delete=models.CASCADE, related_name="secondary_stories"
    )
    article = models.ForeignKey(
        "content.ArticlePage",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("article"),
    )

    panels = [FieldPanel("article")]

    class Meta(Orderable.Meta):
        verbose_name = _("secondary story")
        verbose_name_plural = _("secondary stories")

    def __str__(self) -> str:
        return f"{self.article_id} on the front page"
