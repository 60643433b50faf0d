"""Each edition's home page, and translations of pages into an edition (#15).

An edition is a Wagtail locale with its own page tree: its home page is a
translation of the default edition's home (same ``translation_key``), so
Wagtail routes ``/uk/`` to it and ``page.url`` gives ``/uk/…`` for every
page under it (docs/editions.md).
"""

from typing import Any

from django.db import transaction
from django.utils import translation
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from masthead.core.editions import default_edition

from .models import HomePage


def edition_home(language_code: str | None = None) -> HomePage | None:
    """The home page of an edition: the default site's root or its translation.

    Args:
        language_code: ``uk``, ``en-gb``; None for the language active now
            (the request's edition, core/editions.py). A regional variant
            finds its language's edition (Wagtail's content languages).
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return None
    root = site.root_page
    try:
        code = get_supported_content_language_variant(
            language_code or translation.get_language() or default_edition()
        )
    except LookupError:
        # Case: a language that is no edition; the default one answers.
        code = root.locale.language_code
    home: HomePage | None = (
        HomePage.objects.filter(
            translation_key=root.translation_key, locale__language_code=code
        ).first()
        if code != root.locale.language_code
        else HomePage.objects.filter(pk=root.pk).first()
    )
    return home


@transaction.atomic
def translate_page[P: Page](page: P, language_code: str, **fields: Any) -> P:
    """Publish ``page``'s translation into an edition, creating it if needed.

    The translation is Wagtail's ``copy_for_translation`` (what the admin's
    "Translate" action does): same ``translation_key``, bylines, tags and
    images; the parent must already be translated. ``fields`` (title, slug,
    standfirst, body…) are set on it before it is published. An existing
    translation is returned unchanged, so reruns (``make demo``) are harmless.

    Returns:
        The live translation, as its specific page type.
    """
    locale = Locale.objects.get(language_code=language_code)
    existing = page.get_translation_or_none(locale)
    if existing is not None:
        found: P = existing.specific
        return found
    copy = page.copy_for_translation(locale).specific
    for name, value in fields.items():
        setattr(copy, name, value)
    copy.save()
    copy.save_revision().publish()
    copy.refresh_from_db()
    translated: P = copy
    return translated
