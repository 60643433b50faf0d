"""Error pages readers see."""

from django.http import HttpRequest, HttpResponse

from masthead import cache
from masthead.cache import Profile, WithheldPage, apply_profile
from masthead.content.error_pages import render_error_page


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 page in the site's layout, which the caches may keep briefly (#13).

    Tagged ``missing``: a publish that gives the URL a page purges it
    (cache/missing.py). A withheld page (under embargo) is never kept.
    """
    response = render_error_page(request, 404)
    if isinstance(exception, WithheldPage):
        # Case: the page exists and will appear; no cache may hold its 404.
        return apply_profile(response, Profile.PRIVATE)
    # Case: nothing at this URL (yet).
    cache.tag(request, cache.MISSING)
    return apply_profile(response, Profile.NOT_FOUND)
