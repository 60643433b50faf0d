"""Answer 503, not 500, while the database is unreachable.

A brief outage (a PostgreSQL restart, a failover) is not a bug in the page:
readers and crawlers get "try again shortly", and the page cache in front
(cache/wsgi.py) answers with its last good copy where it has one.

Two ways in, as a database error can be raised in two places:

- in a view or its template: ``DatabaseUnavailableMiddleware``'s
  ``process_exception``;
- in a middleware: the session and the signed-in user are loaded by the
  first middleware that asks (two-factor sign-in, the kept site), before
  any view runs, and Django turns that error into its 500 page at once.
  ``server_error``, the project's ``handler500`` (masthead/urls.py), sees
  the error it is called for and answers 503 instead (#13). With ``DEBUG``
  on Django shows its debug page instead of calling ``handler500``.
"""

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import gettext
from django.views import defaults

from .policy import Profile, apply_profile

logger = logging.getLogger("masthead.availability")

RETRY_AFTER_SECONDS = 30


def unavailable() -> HttpResponse:
    """The 503 answer: plain text, never cached, with Retry-After."""
    response = HttpResponse(
        gettext("The site is briefly unavailable. Please try again in a moment.")
        + "\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return apply_profile(response, Profile.PRIVATE)


def is_database_outage(exception: BaseException | None) -> bool:
    return isinstance(exception, OperationalError | InterfaceError)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if not is_database_outage(exception):
            return None
        logger.warning("Database unavailable (%s): %s", request.path, exception)
        return unavailable()


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: 503 for a database outage, Django's 500 page otherwise.

    Django calls it while handling the exception, so ``sys.exc_info()``
    holds the error, wherever in the middleware stack it was raised.
    """
    error = sys.exc_info()[1]
    if is_database_outage(error):
        # Case: the database is unreachable: "try again shortly".
        logger.warning("Database unavailable (%s): %s", request.path, error)
        return unavailable()
    # Case: a bug: the plain 500 page, which needs no database.
    return defaults.server_error(request)
