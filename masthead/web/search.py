"""The reader search page."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from masthead import cache
from masthead.cache import Profile, apply_profile

from .search_context import search_context


def search(request: HttpRequest) -> HttpResponse:
    """Full-text search over published articles (issue #3).

    Never indexed by search engines (header and meta tag). Any words give a
    page; only a malformed or too-deep ``?page=`` is a 404.
    """
    context = search_context(request)
    if context["is_unavailable"]:
        # The engine failed: say so, and keep the error page out of caches.
        response = TemplateResponse(request, "search/search.html", context, status=503)
        profile = Profile.PRIVATE
    else:
        # Results are public data; a short shared cache absorbs repeats.
        response = TemplateResponse(request, "search/search.html", context)
        profile = Profile.PUBLIC
        # Any publish, edit or unpublish may change any results page.
        cache.tag(request, cache.SEARCH)
    response["X-Robots-Tag"] = "noindex"
    return apply_profile(response, profile)
