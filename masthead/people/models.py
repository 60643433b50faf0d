"""Authors and their social links."""

from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index


class Author(index.Indexed, ClusterableModel):
    """A journalist or contributor credited in bylines."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    job_title = models.CharField(
        max_length=120, blank=True, help_text="E.g. 'Senior News Editor'."
    )
    bio = models.TextField(
        blank=True, help_text="A short paragraph shown under each article they write."
    )
    avatar = models.ForeignKey(
        "core.LibraryImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A square head-and-shoulders photo works best.",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("avatar"),
        FieldPanel("bio"),
        InlinePanel("social_links", label="Social links"),
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
        return reverse("people:author", kwargs={"slug": self.slug})


class SocialLink(Orderable):
    """A link to one of an author's profiles elsewhere (X, Bluesky, email…)."""

    author = ParentalKey(Author, on_delete=models.CASCADE, related_name="social_links")
    label = models.CharField(max_length=50, help_text="E.g. 'Bluesky' or 'Email'.")
    url = models.URLField("URL", max_length=300)

    panels = [FieldPanel("label"), FieldPanel("url")]

    def __str__(self) -> str:
        return f"{self.label}: {self.url}"
