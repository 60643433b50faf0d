"""Answer 503, not 500, while the database is unreachable.

A brief outage (a PostgreSQL restart, a failover) is not a bug in the page:
readers and crawlers get "try again shortly", and the page cache in front
(cache/wsgi.py) answers with its last good copy where it has one.
"""

from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from .policy import Profile, apply_profile

RETRY_AFTER_SECONDS = 30


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        response = HttpResponse(
            "The site is briefly unavailable. Please try again in a moment.\n",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return apply_profile(response, Profile.PRIVATE)
