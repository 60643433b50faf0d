"""Shared models: the image library and the site-wide settings."""

from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.blocks import (
    CharBlock,
    ChoiceBlock,
    ListBlock,
    PageChooserBlock,
    StructBlock,
    URLBlock,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import (
    AbstractImage,
    AbstractRendition,
    Filter,
    WagtailImageField,
    WagtailImageFieldFile,
    get_upload_to,
)
from wagtail.images.models import Image as _Image

from . import renditions
from .editions import default_edition, edition_codes


class HeaderSizedFile(WagtailImageFieldFile):
    """An original whose size is read from its header (#13).

    Wagtail's ``get_image_dimensions`` decodes the whole picture to learn
    its size, on every upload: 180 MB and seconds for a 61-megapixel photo,
    and an error for one damaged past its header.
    """

    def get_image_dimensions(self) -> tuple[int, int]:
        close = self.closed
        try:
            self.open()
            with PILImage.open(self) as picture:
                size: tuple[int, int] = picture.size
                return size
        finally:
            if close:
                self.close()
            else:
                self.seek(0)


class OriginalField(WagtailImageField):
    """Wagtail's image field, its files sized from their header."""

    attr_class = HeaderSizedFile

    def deconstruct(self) -> Any:
        # The same column as Wagtail's field: migrations see no change.
        name, _path, args, kwargs = super().deconstruct()
        return name, "wagtail.images.models.WagtailImageField", args, kwargs


class LibraryImage(AbstractImage):
    """A library image whose alt text, credit and caption are kept apart.

    ``description`` (Wagtail's own field) is the alt text: what the image shows,
    for readers who cannot see it. The credit names who made it and is shown
    beside, never inside, the caption, which belongs to each use of the image.
    """

    file = OriginalField(
        verbose_name=_("file"),
        upload_to=get_upload_to,
        width_field="width",
        height_field="height",
    )
    description = models.CharField(
        _("alt text"),
        max_length=255,
        help_text=_(
            "What the picture shows, for readers who cannot see it, e.g. "
            "'Firefighters hose down a burning apartment block in Kharkiv'."
        ),
    )
    credit = models.CharField(
        max_length=255,
        help_text=_("Who made the image and who owns it, e.g. 'Jane Doe / Agency'."),
    )

    admin_form_fields = (*_Image.admin_form_fields, "credit")

    @property
    def alt_text(self) -> str:
        """The alt text readers get: the description, else the title."""
        return self.description or self.title

    # A large original's renditions are made from one decoding of it, in
    # bounded memory, wherever they are asked for (core/renditions.py, #13);
    # Wagtail decodes it whole for each, three at a time.
    def create_rendition(self, filter: Filter) -> AbstractRendition:
        if renditions.is_large(self) and not isinstance(
            filter, renditions.SourcedFilter
        ):
            return renditions.make(self, [filter])[filter]
        rendition: AbstractRendition = super().create_rendition(filter)
        return rendition

    def create_renditions(self, *filters: Filter) -> dict[Filter, AbstractRendition]:
        if renditions.is_large(self) and filters:
            return renditions.make(self, filters)
        made: dict[Filter, AbstractRendition] = super().create_renditions(*filters)
        return made


class LibraryRendition(AbstractRendition):
    image = models.ForeignKey(
        LibraryImage, on_delete=models.CASCADE, related_name="renditions"
    )

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


class FooterLinkBlock(StructBlock):
    label = CharBlock(max_length=80)
    url = URLBlock(label=_("URL"))

    class Meta:
        icon = "link"


def other_edition_choices() -> list[tuple[str, str]]:
    """Every edition but the default one, named in its own language."""
    from django.utils.translation import get_language_info

    return [
        (code, get_language_info(code)["name_local"])
        for code in edition_codes()
        if code != default_edition()
    ]


class EditionFooterBlock(StructBlock):
    """The footer's words in one other edition (#15)."""

    edition = ChoiceBlock(choices=other_edition_choices, label=_("Edition"))
    links = ListBlock(
        FooterLinkBlock(),
        label=_("Links"),
        help_text=_(
            "The footer links on this edition's pages. Leave empty to show "
            "the main edition's links."
        ),
    )
    copyright_notice = CharBlock(
        max_length=200,
        required=False,
        label=_("Copyright notice"),
        help_text=_("Leave empty to show the main edition's notice."),
    )

    class Meta:
        icon = "globe"


class MenuPageBlock(StructBlock):
    # Sections and standard pages only: an article here would need the
    # embargo rule and a purge of every page when it is unpublished.
    page = PageChooserBlock(
        page_type=["content.SectionPage", "content.StandardPage", "content.HomePage"],
        help_text=_("A section or standard page of this site."),
    )
    label = CharBlock(
        max_length=40,
        required=False,
        help_text=_("Shown in the menu. Leave empty to use the page's title."),
    )

    class Meta:
        icon = "doc-empty"


class MenuLinkBlock(StructBlock):
    label = CharBlock(max_length=40)
    url = URLBlock(label=_("URL"))

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
        help_text=_("The full logo, shown in the header on wide screens."),
    )
    logo_alt = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "What the logo says, for screen readers. Defaults to the publication name."
        ),
    )
    short_logo = models.ForeignKey(
        LibraryImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A compact logo for phones. The full logo is used when empty."),
    )
    short_logo_alt = models.CharField(max_length=200, blank=True)
    footer_links = StreamField(
        [("link", FooterLinkBlock())], blank=True, use_json_field=True
    )
    copyright_notice = models.CharField(max_length=200, blank=True)
    edition_footers = StreamField(
        [("edition", EditionFooterBlock())],
        blank=True,
        use_json_field=True,
        verbose_name=_("footer in other editions"),
        help_text=_(
            "The footer links and copyright notice of another edition, in its "
            "language. An edition not listed here shows the ones above."
        ),
    )
    section_menu = StreamField(
        [("page", MenuPageBlock()), ("link", MenuLinkBlock())],
        blank=True,
        use_json_field=True,
        help_text=_(
            "The menu under the header, in this order. Leave empty to "
            "show every published section in site order."
        ),
    )

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
            heading=_("Logos"),
        ),
        FieldPanel("section_menu"),
        FieldPanel("footer_links"),
        FieldPanel("copyright_notice"),
        FieldPanel("edition_footers"),
    ]

    class Meta:
        verbose_name = _("site settings")
        verbose_name_plural = _("site settings")

    @property
    def logo_alt_text(self) -> str:
        return self.logo_alt or self.publication_name

    @property
    def short_logo_alt_text(self) -> str:
        return self.short_logo_alt or self.logo_alt_text

    def _edition_footer(self, code: str | None) -> Any:
        code = (code or translation.get_language() or "").lower()
        for block in self.edition_footers or ():
            if block.value["edition"] in (code, code.split("-", 1)[0]):
                return block.value
        return None

    def footer_links_in(self, code: str | None = None) -> list[Any]:
        """The footer links of edition ``code`` (None: the active language).

        Each has a ``label`` and a ``url``. An edition without links of its
        own shows the main edition's.
        """
        footer = self._edition_footer(code)
        if footer is not None and footer["links"]:
            return list(footer["links"])
        return [block.value for block in self.footer_links or ()]

    def copyright_notice_in(self, code: str | None = None) -> str:
        """The copyright notice of edition ``code``, else the main edition's."""
        footer = self._edition_footer(code)
        if footer is not None and footer["copyright_notice"]:
            return str(footer["copyright_notice"])
        return self.copyright_notice

    @property
    def localized_footer_links(self) -> list[Any]:
        """``footer_links_in()`` the active language, for templates."""
        return self.footer_links_in()

    @property
    def localized_copyright_notice(self) -> str:
        """``copyright_notice_in()`` the active language, for templates."""
        return self.copyright_notice_in()


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
        verbose_name = _("outbox entry")
        verbose_name_plural = _("outbox")
        indexes = [models.Index(fields=["topic", "id"], name="outbox_topic_idx")]

    def __str__(self) -> str:
        return f"{self.topic} {self.key}"


class CaughtEmail(models.Model):
    """A message the mail catcher kept instead of sending it (#16).

    With no mail server configured (a local checkout, the demo), every email
    the site sends lands here and is read in the admin ("Mail sent by this
    site"). ``raw`` is the whole message as it would have gone out; the
    other fields are copied from it for the listing.
    """

    sent_at = models.DateTimeField(db_index=True)
    sender = models.CharField(max_length=998, blank=True)
    recipients = models.TextField(blank=True)
    subject = models.CharField(max_length=998, blank=True)
    raw = models.BinaryField()

    class Meta:
        verbose_name = _("caught email")
        verbose_name_plural = _("caught emails")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return self.subject
