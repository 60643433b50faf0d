"""Request checks that belong before any view or database lookup."""

from collections.abc import Callable

from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase


class NulPathMiddleware:
    """Answer 404 for a path holding a NUL character (``%00``).

    No page, slug or file name contains one, and PostgreSQL refuses NUL in
    text values: a lookup such as ``/tags/%00/`` raised a DataError (a 500)
    instead of finding nothing, as SQLite does. Listed before the 404
    handlers that look the path up (retired URLs, redirects).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if "\x00" in request.path:
            raise Http404("No such page")
        return self.get_response(request)
