"""Shared models: the image library and the site-wide settings."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks import CharBlock, StructBlock, URLBlock
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.images.models import Image as _Image


class LibraryImage(AbstractImage):
    """A library image whose alt text, credit and caption are kept apart.

    ``description`` (Wagtail's own field) is the alt text: what the image shows,
    for readers who cannot see it. The credit names who made it and is shown
    beside, never inside, the caption, which belongs to each use of the image.
    """

    description = models.CharField(
        "alt text",
        max_length=255,
        help_text="What the picture shows, for readers who cannot see it, e.g. "
        "'Firefighters hose down a burning apartment block in Kharkiv'.",
    )
    credit = models.CharField(
        max_length=255,
        help_text="Who made the image and who owns it, e.g. 'Jane Doe / Agency'.",
    )

    admin_form_fields = (*_Image.admin_form_fields, "credit")

    @property
    def alt_text(self) -> str:
        """The alt text readers get: the description, else the title."""
        return self.description or self.title


class LibraryRendition(AbstractRendition):
    image = models.ForeignKey(
        LibraryImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class FooterLinkBlock(StructBlock):
    label = CharBlock(max_length=80)
    url = URLBlock(label="URL")

    class Meta:
        icon = "link"


@register_setting(icon="site")
class SiteSettings(BaseSiteSetting):
    """Publication identity shown on every page: name, logos, footer links."""

    publication_name = models.CharField(max_length=120, default="Masthead News")
    tagline = models.CharField(max_length=200, blank=True)
    logo = models.ForeignKey(
        LibraryImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The full logo, shown in the header on wide screens.",
    )
    logo_alt = models.CharField(
        max_length=200,
        blank=True,
        help_text="What the logo says, for screen readers. Defaults to the "
        "publication name.",
    )
    short_logo = models.ForeignKey(
        LibraryImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A compact logo for phones. The full logo is used when empty.",
    )
    short_logo_alt = models.CharField(max_length=200, blank=True)
    footer_links = StreamField(
        [("link", FooterLinkBlock())], blank=True, use_json_field=True
    )
    copyright_notice = models.CharField(max_length=200, blank=True)

    panels = [
        FieldPanel("publication_name"),
        FieldPanel("tagline"),
        MultiFieldPanel(
            [
                FieldPanel("logo"),
                FieldPanel("logo_alt"),
                FieldPanel("short_logo"),
                FieldPanel("short_logo_alt"),
            ],
            heading="Logos",
        ),
        FieldPanel("footer_links"),
        FieldPanel("copyright_notice"),
    ]

    class Meta:
        verbose_name = "site settings"

    @property
    def logo_alt_text(self) -> str:
        return self.logo_alt or self.publication_name

    @property
    def short_logo_alt_text(self) -> str:
        return self.short_logo_alt or self.logo_alt_text


class OutboxEntry(models.Model):
    """One piece of work that must follow a committed write (core/outbox.py).

    Written in the write's own transaction; deleted once its topic's handler
    applied it. Rows that stay (a cache or the index was down) are retried by
    the background task; ``attempts`` and ``last_error`` say why they wait.
    """

    topic = models.CharField(max_length=32)
    key = models.CharField(max_length=700)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = "outbox entry"
        verbose_name_plural = "outbox"
        indexes = [models.Index(fields=["topic", "id"], name="outbox_topic_idx")]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}"
