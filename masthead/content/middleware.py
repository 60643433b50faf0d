"""410 Gone for withdrawn and deleted articles."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from masthead.cache import Profile, apply_profile

from .error_pages import render_error_page
from .models import RetiredURL


class GoneMiddleware:
    """Turn a 404 at a retired article URL into a 410 Gone page.

    Listed before Wagtail's redirect middleware so it sees the response
    after redirects have had their chance.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code == 404
            and request.method in ("GET", "HEAD")
            and len(request.path) <= 700
            and RetiredURL.objects.filter(path=request.path).exists()
        ):
            return apply_profile(render_error_page(request, 410), Profile.PUBLIC)
        return response
