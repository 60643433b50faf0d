"""What every Ghost endpoint shares: errors caught, pages counted."""

import functools
import logging
import math
from collections.abc import Callable
from typing import Any

from django.core.exceptions import BadRequest as DjangoBadRequest
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.views.decorators.csrf import csrf_exempt

from .errors import (
    BadRequest,
    GhostError,
    MethodNotAllowed,
    NotFound,
    TooLarge,
    error_response,
)
from .params import Browse

logger = logging.getLogger("masthead.api.ghost")

View = Callable[..., HttpResponse]


def ghost_view(*methods: str) -> Callable[[View], View]:
    """A Ghost endpoint: its methods only, errors in Ghost's shape.

    CSRF does not apply: no cookie authenticates these requests (a key in
    the query or a signed token in ``Authorization``).
    """

    def decorate(view: View) -> View:
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise MethodNotAllowed(
                        f"{request.method} is not allowed here; use "
                        f"{', '.join(methods)}."
                    )
                return view(request, *args, **kwargs)
            except GhostError as error:
                return error_response(error)
            except Http404 as missing:
                return error_response(NotFound(str(missing) or "Resource not found."))
            except RequestDataTooBig:
                return error_response(
                    TooLarge(
                        "Request is larger than the maximum file size the server allows"
                    )
                )
            except (SuspiciousOperation, DjangoBadRequest, MultiPartParserError) as bad:
                # Case: a body Django could not read (broken multipart, too
                # many fields): Ghost's 400, not Django's HTML page.
                return error_response(BadRequest(f"Bad request: {bad}"))

        return wrapped

    return decorate


def page_of(items: "QuerySet[Any]", browse: Browse) -> tuple[list[Any], dict[str, Any]]:
    """One page of ``items`` as ``browse`` filters and orders them, and
    Ghost's ``meta.pagination`` for it."""
    items = items.filter(browse.filter).order_by(*browse.order)
    total = items.count()
    pages = max(1, math.ceil(total / browse.limit))
    start = (browse.page - 1) * browse.limit
    rows = list(items[start : start + browse.limit]) if start < total else []
    shown_limit: int | str = (
        "all" if browse.is_all and total <= browse.limit else browse.limit
    )
    meta = {
        "pagination": {
            "page": browse.page,
            "limit": shown_limit,
            "pages": pages,
            "total": total,
            "next": browse.page + 1 if browse.page < pages else None,
            "prev": browse.page - 1 if browse.page > 1 else None,
        }
    }
    return rows, meta


def object_id(value: str | None, noun: str) -> int | None:
    """A path's id as a number; anything else names nothing (404, as Ghost)."""
    if value is None:
        return None
    if not value.isdigit() or len(value) > 12:
        raise NotFound(f"{noun} not found.", code="RESOURCE_NOT_FOUND")
    return int(value)


@ghost_view("GET", "POST", "PUT", "DELETE")
def unknown_endpoint(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    raise NotFound("Resource not found", code="RESOURCE_NOT_FOUND")
