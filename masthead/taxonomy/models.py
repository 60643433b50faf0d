"""Typed tags: people, organisations, places and topics."""

from django.db import models
from django.urls import reverse
from django.utils.translation import pgettext_lazy
from wagtail.admin.panels import FieldPanel
from wagtail.search import index


class TagType(models.TextChoices):
    PERSON = "person", pgettext_lazy("tag type", "Person")
    ORGANISATION = "organisation", pgettext_lazy("tag type", "Organisation")
    PLACE = "place", pgettext_lazy("tag type", "Place")
    TOPIC = "topic", pgettext_lazy("tag type", "Topic")


class Tag(index.Indexed, models.Model):
    """A label an article is filed under; its type says what kind of thing it is."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    tag_type = models.CharField(
        "type",
        max_length=20,
        choices=TagType.choices,
        default=TagType.TOPIC,
        help_text="A person, an organisation, a place or a topic.",
    )
    description = models.TextField(
        blank=True, help_text="Optional: a sentence or two shown on the tag's page."
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("tag_type"),
        FieldPanel("description"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("taxonomy:tag", kwargs={"slug": self.slug})
