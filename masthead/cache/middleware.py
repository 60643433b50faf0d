"""The middleware that labels shareable responses with their tags and TTL."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase

if TYPE_CHECKING:
    pass

from .missing import not_found_ttl
from .modified import apply_last_modified
from .peers import PAGE_CACHE_ENVIRON_KEY, is_trusted_cache
from .policy import is_access_variant, is_by_access, response_is_shareable
from .tags import _REQUEST_ATTRIBUTE, BY_ACCESS_HEADER, SITE, TAGS_HEADER, TTL_HEADER

logger = logging.getLogger("masthead.caching")


class CacheTagsMiddleware:
    """Label shareable responses with their tags and how long caches keep them.

    Pages that tagged what they show may be kept for ``MASTHEAD_PAGE_CACHE_TTL``
    seconds because writes purge them; a shareable page that named nothing
    is kept only as long as its Cache-Control allows. Labels go only to the
    page cache round Django and to the caches in front (cache/peers.py).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = apply_last_modified(request, self.get_response(request))
        if request.method not in ("GET", "HEAD") or response.status_code not in (
            200,
            404,
        ):
            return response
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            # Case: a signed-in editor; their pages may differ (userbar).
            return response
        if not request.META.get(PAGE_CACHE_ENVIRON_KEY) and not is_trusted_cache(
            request.META.get("REMOTE_ADDR")
        ):
            # Case: nothing between Django and the client reads the labels
            # (page cache off, or a request it lets through) and the client
            # is no cache in front: a reader never sees internal ids (#13).
            return response
        if not response_is_shareable(response) and not (
            is_access_variant(request)
            and request.META.get(PAGE_CACHE_ENVIRON_KEY)
            and not response.cookies
        ):
            # Case: personal, unless it is the page for an access pass,
            # which only the page cache keeps, per kind of pass (#17).
            return response
        tags: set[str] = getattr(request, _REQUEST_ATTRIBUTE, set())
        if response.status_code == 404:
            # Case: a missing page: briefly, once asked for twice (#13).
            ttl = not_found_ttl(request)
        elif tags:
            ttl = settings.MASTHEAD_PAGE_CACHE_TTL
        else:
            # Case: untagged (a page no purge knows about): browser lifetime.
            match = re.search(r"max-age=(\d+)", response["Cache-Control"])
            ttl = int(match.group(1)) if match else 0
        if ttl <= 0:
            return response
        response[TAGS_HEADER] = " ".join(sorted({SITE, *tags}))
        response[TTL_HEADER] = str(ttl)
        if is_by_access(request):
            response[BY_ACCESS_HEADER] = "1"
        return response
