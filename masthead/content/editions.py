"""Each edition's home page, and translations of pages into an edition (#15).

An edition is a Wagtail locale with its own page tree: its home page is a
translation of the default edition's home (same ``translation_key``), so
Wagtail routes ``/uk/`` to it and ``page.url`` gives ``/uk/…`` for every
page under it (docs/editions.md).
"""

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import get_language_info
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from masthead.core.editions import default_edition, edition_codes, locale_code
from masthead.core.language import bcp47

from .models import ArticlePage, HomePage


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


# Translations of pages: the one lookup behind the sitemaps' alternates, the
# HTML's hreflang links and the language switcher (#15). ---------------------

# {translation_key: {language code: path}}
type TranslationPaths = dict[UUID, dict[str, str]]


def _published(model: type[Page]) -> Any:
    """The rows of ``model`` a reader may open, for the translations lookup.

    Articles through the one rule (``published()``: live, dated, not
    embargoed, not private); home and section pages when live.
    """
    if issubclass(model, ArticlePage):
        return ArticlePage.objects.published()
    return model.objects.live()


def translation_paths(
    pages: Iterable[Page], cache_object: object | None = None
) -> TranslationPaths:
    """Every published version of each page, by edition: one query per page type.

    Args:
        pages: pages of one or a few types (a sitemap file, the page being
            read); each needs its ``translation_key``.
        cache_object: any object Wagtail may keep the sites' root paths on
            (``Page.get_url_parts``), so a batch reads them once.

    Returns:
        ``{translation_key: {language code: path}}``, each page itself
        included when it is published. Keys of pages with no published
        version are missing. A page type whose rows are looked up by
        ``translation_key`` uses Wagtail's ``(translation_key, locale)``
        unique index.
    """
    keys_by_model: dict[type[Page], set[UUID]] = {}
    for page in pages:
        keys_by_model.setdefault(type(page), set()).add(page.translation_key)
    found: TranslationPaths = {}
    for model, keys in keys_by_model.items():
        rows = (
            _published(model)
            .filter(translation_key__in=sorted(keys))
            .only("url_path", "translation_key", "locale_id")
            .order_by()
        )
        for row in rows:
            parts = row.get_url_parts(cache_object)
            if not parts or not parts[2]:
                continue
            found.setdefault(row.translation_key, {})[locale_code(row.locale_id)] = (
                parts[2]
            )
    return found


def translations_of(page: Page, cache_object: object | None = None) -> dict[str, str]:
    """``{language code: path}`` of every published version of ``page`` (one query).

    Empty when the page has no published version at all.
    """
    return translation_paths([page], cache_object).get(page.translation_key, {})


def language_name(code: str) -> str:
    """The language's own name: «Українська», «English» (for the switcher)."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return dict(settings.LANGUAGES).get(code, code)


def alternate_links(
    paths: dict[str, str], absolute: Callable[[str], str]
) -> list[dict[str, str]]:
    """The hreflang alternates of one page: every version, then ``x-default``.

    Google's "localized versions" (sitemaps and ``<link rel="alternate">``
    alike): each version lists every version, itself included, with the
    same set on each, and ``x-default`` names the default edition's one.
    A page with a single version has none.

    Args:
        paths: ``{language code: path}``, as ``translations_of`` gives.
        absolute: turns a path into an absolute URL.

    Returns:
        ``[{"lang_code": "en", "location": "https://…"}, …]`` in the
        editions' order (Django's sitemap keys).
    """
    if len(paths) < 2:
        return []
    links = [
        {"lang_code": bcp47(code), "location": absolute(paths[code])}
        for code in edition_codes()
        if code in paths
    ]
    default = default_edition()
    if default in paths:
        links.append({"lang_code": "x-default", "location": absolute(paths[default])})
    return links
