"""Authors and their social links."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from masthead.core.translations import TranslatedWords, TranslationRow


# django-stubs loses the ParentalKey managers of a model with two abstract bases.
class Author(index.Indexed, TranslatedWords, ClusterableModel):  # type: ignore[django-manager-missing]
    """A journalist or contributor credited in bylines.

    One author for every edition (#15): name, job title and bio are in the
    default edition's language, with a translation per other edition
    (``name_in``, ``job_title_in``, ``bio_in``; core/translations.py).
    """

    name = models.CharField(
        _("name"), max_length=120, help_text=_("In the main edition's language.")
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    job_title = models.CharField(
        _("job title"),
        max_length=120,
        blank=True,
        help_text=_("E.g. 'Senior News Editor'."),
    )
    bio = models.TextField(
        _("bio"),
        blank=True,
        help_text=_("A short paragraph shown under each article they write."),
    )
    avatar = models.ForeignKey(
        "core.LibraryImage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("avatar"),
        help_text=_("A square head-and-shoulders photo works best."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("job_title"),
        FieldPanel("avatar"),
        FieldPanel("bio"),
        InlinePanel("social_links", label=_("Social links")),
        InlinePanel(
            "translation_rows",
            label=_("Translations"),
            help_text=_("Name, job title and bio in another edition's language."),
        ),
    ]
    translated_fields = ("name", "job_title", "bio")
    translation_relation = "translation_rows"
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("people:author", kwargs={"slug": self.slug})

    def name_in(self, code: str | None = None) -> str:
        """The name in edition ``code``; None: the active language's edition."""
        return self.words_in("name", code)

    def job_title_in(self, code: str | None = None) -> str:
        """The job title in edition ``code``; None: the active language's."""
        return self.words_in("job_title", code)

    def bio_in(self, code: str | None = None) -> str:
        """The bio in edition ``code``; None: the active language's."""
        return self.words_in("bio", code)


class SocialLink(Orderable):
    """A link to one of an author's profiles elsewhere (X, Bluesky, email…)."""

    author = ParentalKey(Author, on_delete=models.CASCADE, related_name="social_links")
    label = models.CharField(
        _("label"), max_length=50, help_text=_("E.g. 'Bluesky' or 'Email'.")
    )
    url = models.URLField(_("URL"), max_length=300)

    class Meta(Orderable.Meta):
        verbose_name = _("social link")
        verbose_name_plural = _("social links")

    panels = [FieldPanel("label"), FieldPanel("url")]

    def __str__(self) -> str:
        return f"{self.label}: {self.url}"


class AuthorTranslation(TranslationRow):
    """An author's name, job title and bio in one edition's language (#15).

    A name is translated when the alphabet differs (Olena Kovalenko, Олена
    Коваленко); the slug, and so the address, stays the same.
    """

    author = ParentalKey(
        Author, on_delete=models.CASCADE, related_name="translation_rows"
    )
    name = models.CharField(_("name"), max_length=120)
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    bio = models.TextField(_("bio"), blank=True)

    panels = [
        FieldPanel("locale"),
        FieldPanel("name"),
        FieldPanel("job_title"),
        FieldPanel("bio"),
    ]

    class Meta:
        verbose_name = _("author translation")
        verbose_name_plural = _("author translations")
        constraints = [
            models.UniqueConstraint(
                fields=["author", "locale"], name="one_author_translation_an_edition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.locale_id})"
