from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.content.models import ArticlePage
from masthead.core.keyset import Cursor
from masthead.people.models import Author
from masthead.web.context import edition_locale_id, listing_page, sidebar_context
from masthead.web.directory import index_page
from masthead.web.structured_data import profile_json_ld


def author_list(request: HttpRequest) -> HttpResponse:
    """Every author, A to Z, a hundred a page (web/directory.py).

    Authors write for every edition: each edition lists them all, by their
    names in its language (#15).
    """
    cache.tag(request, cache.AUTHOR_INDEX)
    authors = Author.objects.only("name", "slug", "job_title", "translations")
    context = {**site_context(request), **index_page(request, authors)}
    response = TemplateResponse(request, "people/author_list.html", context)
    return apply_profile(response, Profile.PUBLIC)


def author_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """An author's profile and their published articles, newest first.

    The same author in every edition, with the profile in the request's
    edition's language and only that edition's articles (#15).
    """
    author = get_object_or_404(
        Author.objects.select_related("avatar").prefetch_related(
            "social_links", "avatar__renditions"
        ),
        slug=slug,
    )

    locale_id = edition_locale_id()

    def articles(before: Cursor | None) -> QuerySet[ArticlePage]:
        listing: QuerySet[ArticlePage] = ArticlePage.objects.published().by_author(
            author, before, locale_id=locale_id
        )
        return listing

    cache.tag(
        request,
        cache.author_tag(author.pk),
        cache.list_tag("author", author.pk),
        cache.image_tag(author.avatar_id),
    )
    context = {
        **site_context(request),
        **sidebar_context(request),
        **listing_page(request, articles),
        "author": author,
        "json_ld": [profile_json_ld(request, author)],
    }
    response = TemplateResponse(request, "people/author.html", context)
    return apply_profile(response, Profile.PUBLIC)
