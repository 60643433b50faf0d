"""Typed tags: people, organisations, places and topics."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.search import index

from masthead.core.translations import TranslatedWords, TranslationRow


class TagType(models.TextChoices):
    PERSON = "person", pgettext_lazy("tag type", "Person")
    ORGANISATION = "organisation", pgettext_lazy("tag type", "Organisation")
    PLACE = "place", pgettext_lazy("tag type", "Place")
    TOPIC = "topic", pgettext_lazy("tag type", "Topic")


class Tag(index.Indexed, TranslatedWords, ClusterableModel):
    """A label an article is filed under; its type says what kind of thing it is.

    One tag for every edition (#15): its name and description are in the
    default edition's language, with a translation per other edition
    (``name_in``, ``description_in``; core/translations.py).
    """

    name = models.CharField(
        pgettext_lazy("tag", "name"),
        max_length=100,
        help_text=_("In the main edition's language."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    tag_type = models.CharField(
        pgettext_lazy("tag", "type"),
        max_length=20,
        choices=TagType.choices,
        default=TagType.TOPIC,
        help_text=_("A person, an organisation, a place or a topic."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Optional: a sentence or two shown on the tag's page."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("tag_type"),
        FieldPanel("description"),
        InlinePanel(
            "translation_rows",
            label=_("Translations"),
            help_text=_("The tag's name and description in another edition."),
        ),
    ]
    translated_fields = ("name", "description")
    translation_relation = "translation_rows"
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:tag", kwargs={"slug": self.slug})

    def name_in(self, code: str | None = None) -> str:
        """The name in edition ``code``; None: the active language's edition."""
        return self.words_in("name", code)

    def description_in(self, code: str | None = None) -> str:
        """The description in edition ``code``; None: the active language's."""
        return self.words_in("description", code)


class TagTranslation(TranslationRow):
    """A tag's name and description in one edition's language (#15)."""

    tag = ParentalKey(Tag, on_delete=models.CASCADE, related_name="translation_rows")
    name = models.CharField(pgettext_lazy("tag", "name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("locale"), FieldPanel("name"), FieldPanel("description")]

    class Meta:
        verbose_name = _("tag translation")
        verbose_name_plural = _("tag translations")
        constraints = [
            models.UniqueConstraint(
                fields=["tag", "locale"], name="one_tag_translation_an_edition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.locale_id})"
