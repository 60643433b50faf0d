"""Names of shared entities in each edition's language (#15).

Authors and tags are the same entities in every edition: one slug, one
page per edition (``/tags/kyiv/``, ``/uk/tags/kyiv/``). Their words
(a tag's name and description, an author's name, job title and bio) are
written once per language. The model's own fields hold the default
edition's words; an inline row per other edition holds its translation
(``TagTranslation``, ``AuthorTranslation``), edited in the admin.

The rows are the record. Listings, bylines and teasers read a copy of
them kept on the entity itself, ``translations`` (``{"uk": {"name": …}}``),
rebuilt from the rows whenever the entity is saved: showing a hundred
names in the reader's language then costs no query beyond loading the
entities. The rows name their edition by its Wagtail locale, so no column
or choice depends on ``MASTHEAD_EDITIONS``; an edition added later needs
no migration.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .editions import default_edition, locale_code


def translations_of(rows: Iterable[Any], fields: Iterable[str]) -> dict[str, Any]:
    """The ``translations`` copy of translation ``rows``: language code -> words.

    A blank field is left out, so the accessor falls back to the default
    edition's words for it.
    """
    fields = list(fields)
    copy: dict[str, dict[str, str]] = {}
    for row in rows:
        words = {
            field: value
            for field in fields
            if (value := " ".join(str(getattr(row, field) or "").split()))
        }
        code = locale_code(row.locale_id)
        if words and code != default_edition():
            copy[code] = words
    return copy


class TranslationRow(models.Model):
    """One edition's words for an entity; subclasses add the entity and words."""

    locale = models.ForeignKey(
        "wagtailcore.Locale",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("edition"),
    )

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.locale_id is not None and locale_code(self.locale_id) == (
            default_edition()
        ):
            raise ValidationError(
                {"locale": _("The main edition's words are the fields above.")}
            )


class TranslatedWords(models.Model):
    """An entity whose words are translated per edition, with one accessor.

    ``words_in(field, code)`` answers ``field`` in edition ``code`` (the
    active language when None), falling back to the model's own field.
    Subclasses name their translated fields in ``translated_fields`` and
    their rows' relation in ``translation_relation``; ``save`` rebuilds
    ``translations`` from the rows (in memory when the admin's form has
    just set them, before modelcluster commits them).
    """

    translations = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text=_("A copy of the translation rows, rebuilt on every save."),
    )

    translated_fields: tuple[str, ...] = ()
    translation_relation = ""
    # The field naming the entity, which search indexes (``search_names``).
    name_field = "name"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if self.pk is not None or self.translation_relation in vars(self).get(
            "_cluster_related_objects", {}
        ):
            self.translations = translations_of(
                getattr(self, self.translation_relation).all(), self.translated_fields
            )
            if update_fields is not None and "translations" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "translations"]
        super().save(*args, **kwargs)

    def words_in(self, field: str, code: str | None = None) -> str:
        """``field`` in edition ``code`` (None: the active language).

        A regional variant (``uk-ua``) reads its language's words; an
        edition without a translation, or with that field blank, reads the
        default edition's.
        """
        code = (code or translation.get_language() or "").lower()
        copy = self.translations or {}
        words = copy.get(code) or copy.get(code.split("-", 1)[0]) or {}
        return str(words.get(field) or getattr(self, field))

    def search_names(self, code: str | None = None) -> tuple[str, ...]:
        """The names search indexes for the entity in edition ``code``.

        Its name in that edition, then its own when that differs: «Київ» and
        "Kyiv" both find a Ukrainian article tagged Kyiv.
        """
        own = str(getattr(self, self.name_field))
        return tuple(dict.fromkeys((self.words_in(self.name_field, code), own)))

    def indexed_names(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """``search_names`` in the main edition and each edition with words.

        What the documents of the entity's articles hold of it, whatever
        their edition: when it changes, they are indexed again.
        """
        codes = sorted({default_edition(), *(self.translations or {})})
        return tuple((code, self.search_names(code)) for code in codes)


def save_translation(entity: TranslatedWords, code: str, **words: str) -> None:
    """Set ``entity``'s words in edition ``code`` and save it, in one transaction.

    An existing translation for that edition is replaced; the others are
    kept. Saving the entity rebuilds ``translations`` and sends its
    ``post_save`` (which purges the pages showing it).

    Raises:
        ValueError: ``code`` is the default edition's (its words are the
            entity's own fields) or has no locale.
    """
    from django.db import transaction
    from wagtail.models import Locale

    if code == default_edition():
        raise ValueError(f"{code!r} is the default edition: edit the fields")
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        raise ValueError(f"no locale for edition {code!r}")
    relation = getattr(entity, entity.translation_relation)
    with transaction.atomic():
        rows = [row for row in relation.all() if row.locale_id != locale.pk]
        row = relation.model(locale=locale, **words)
        relation.set([*rows, row])
        entity.save()
