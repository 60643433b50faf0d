"""The reader's way between editions: hreflang alternates and the language
switcher (#15, docs/editions.md "Language switcher and hreflang").

A page of an edition's tree (home, section, article, standard page) links
to its published translations, read in one query by ``translation_key``
(``content.editions.translations_of``); where an edition has none, the
switcher goes to that edition's home. Pages that exist in every edition at
the same path under the prefix (the News Feed, search, latest, the archive,
tags, authors, corrections) link to the same path in each edition, with no
query. Everything is built here, per page: the header kept per edition
(cache/pages.py) carries only a slot that ``with_language_switcher`` fills.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from wagtail.models import Page

from masthead import cache
from masthead.content.editions import alternate_links, language_name, translations_of
from masthead.core.editions import default_edition, edition_codes
from masthead.core.language import bcp47

# Where the kept header (components/site_header.html) takes the switcher: a
# comment, so a header printed without ``with_language_switcher`` shows
# nothing.
SWITCHER_SLOT = "<!-- masthead:language-switcher -->"

# Views that answer at the same path in every edition (web/urls.py),
# by ``view_name``. A News Feed item's page is not one: /uk/news-feed/12/
# is another item.
EDITION_LEVEL_VIEWS = frozenset(
    {
        "feed:news-feed",
        "search:search",
        "archive:index",
        "archive:year",
        "archive:month",
        "archive:day",
        "archive:latest",
        "taxonomy:index",
        "taxonomy:tag",
        "people:index",
        "people:author",
        "corrections",
    }
)


@dataclass(frozen=True)
class EditionLink:
    """One entry of the language switcher.

    Attributes:
        code: the edition's language code (``uk``).
        hreflang: its BCP 47 tag, for ``lang`` and ``hreflang``.
        name: the language's own name («Українська»).
        url: where it goes: the translation, or that edition's home.
        is_translation: whether ``url`` is this page in that language.
    """

    code: str
    hreflang: str
    name: str
    url: str
    is_translation: bool


@dataclass(frozen=True)
class EditionLinks:
    """A page's ``<link rel="alternate" hreflang>`` and its switcher.

    ``alternates`` are absolute (``{"lang_code", "location"}``, as in the
    sitemaps); empty when the page has a single version.
    """

    alternates: list[dict[str, str]] = field(default_factory=list)
    switcher: list[EditionLink] = field(default_factory=list)


def _in_edition(code: str, build: Callable[[], str]) -> str:
    with translation.override(code):
        return build()


def edition_home_path(code: str) -> str:
    """An edition's home path: ``/`` or ``/uk/`` (no query)."""
    return _in_edition(code, lambda: reverse("wagtail_serve", args=[""]))


def _current(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", None) or default_edition()


def links_for(request: HttpRequest, paths: dict[str, str]) -> EditionLinks:
    """The alternates and switcher for a page whose versions are ``paths``.

    Args:
        paths: ``{language code: path}`` of the page's published versions,
            the current one included (may be empty: a preview, a draft).
    """
    current = _current(request)
    switcher = [
        EditionLink(
            code=code,
            hreflang=bcp47(code),
            name=language_name(code),
            url=paths.get(code) or edition_home_path(code),
            is_translation=code in paths,
        )
        for code in edition_codes()
        if code != current
    ]
    return EditionLinks(
        alternates=alternate_links(paths, request.build_absolute_uri),
        switcher=switcher,
    )


def page_edition_links(request: HttpRequest, page: Page) -> EditionLinks:
    """A Wagtail page's links: its published translations, in one query.

    The versions are kept per process until the next purge, as the
    sections and images are (``cache.kept_until_purge``): a publish,
    unpublish or move of any version purges, so a warm page costs no query.
    """
    paths = cache.kept_until_purge(
        "translations",
        page.translation_key,
        lambda: translations_of(page, request),
    )
    return links_for(request, paths)


def path_edition_links(request: HttpRequest) -> EditionLinks:
    """Links of a page that is not a Wagtail page, from its path alone.

    An edition-level view (``EDITION_LEVEL_VIEWS``) is the same view under
    every prefix; any other page (a News Feed item, a 404) sends the
    switcher to each edition's home and has no alternates. No query.
    """
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name not in EDITION_LEVEL_VIEWS:
        return links_for(request, {})
    paths: dict[str, str] = {}
    for code in edition_codes():
        with translation.override(code):
            try:
                paths[code] = reverse(
                    match.view_name, args=match.args, kwargs=match.kwargs
                )
            except NoReverseMatch:
                continue
    return links_for(request, paths)


def edition_links(request: HttpRequest) -> dict[str, Any]:
    """Context processor: ``edition_links`` for views that set none.

    Lazy, so a template that never prints it (a fragment, the admin) costs
    nothing; Wagtail pages set their own (``with_edition_links``), and a
    view's own context wins over a processor's.
    """
    return {"edition_links": SimpleLazyObject(lambda: path_edition_links(request))}


def with_edition_links(
    builder: Callable[[HttpRequest, Any], dict[str, Any]],
) -> Callable[[HttpRequest, Any], dict[str, Any]]:
    """A page-context builder that adds the page's ``edition_links``."""

    def build(request: HttpRequest, page: Any) -> dict[str, Any]:
        context = builder(request, page)
        context["edition_links"] = page_edition_links(request, page)
        return context

    build.__doc__ = builder.__doc__
    return build


def switcher_slot(site: Any, site_settings: Any) -> dict[str, Any]:
    """Chrome context: the slot the kept header leaves for the switcher."""
    return {"language_switcher_slot": mark_safe(SWITCHER_SLOT)}  # noqa: S308  # a constant


def render_switcher(links: EditionLinks | None) -> SafeString:
    """The switcher's HTML (components/language_switcher.html)."""
    # A template without ``edition_links`` passes "" (string_if_invalid).
    switcher = getattr(links, "switcher", None) or []
    return mark_safe(  # noqa: S308  # rendered by the template engine, escaped there
        render_to_string("components/language_switcher.html", {"links": switcher})
    )


def with_language_switcher(header_html: str, links: EditionLinks | None) -> SafeString:
    """The kept header with this page's switcher in its slot."""
    return mark_safe(  # noqa: S308  # both parts are rendered templates
        str(header_html).replace(SWITCHER_SLOT, render_switcher(links), 1)
    )
