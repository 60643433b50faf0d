"""Error pages readers see."""

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from masthead import cache
from masthead.cache import Profile, WithheldPage, apply_profile


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 404 page, which the caches may keep briefly (#13).

    Tagged ``missing``: a publish that gives the URL a page purges it
    (cache/missing.py). A withheld page (under embargo) is never kept.
    """
    response = defaults.page_not_found(request, exception)
    if isinstance(exception, WithheldPage):
        # Case: the page exists and will appear; no cache may hold its 404.
        return apply_profile(response, Profile.PRIVATE)
    # Case: nothing at this URL (yet).
    cache.tag(request, cache.MISSING)
    return apply_profile(response, Profile.NOT_FOUND)
