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

from .policy import response_is_shareable
from .tags import _REQUEST_ATTRIBUTE, SITE, TAGS_HEADER, TTL_HEADER

logger = logging.getLogger("masthead.caching")


class CacheTagsMiddleware:
    """Label shareable responses with their tags and how long caches keep them.

    Pages that tagged what they show may be kept for ``MASTHEAD_PAGE_CACHE_TTL``
    seconds because writes purge them; a shareable page that named nothing
    is kept only as long as its Cache-Control allows.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            # Case: a signed-in editor; their pages may differ (userbar).
            return response
        if not response_is_shareable(response):
            return response
        tags: set[str] = getattr(request, _REQUEST_ATTRIBUTE, set())
        if tags:
            ttl = settings.MASTHEAD_PAGE_CACHE_TTL
        else:
            # Case: untagged (a page no purge knows about): browser lifetime.
            match = re.search(r"max-age=(\d+)", response["Cache-Control"])
            ttl = int(match.group(1)) if match else 0
        if ttl <= 0:
            return response
        response[TAGS_HEADER] = " ".join(sorted({SITE, *tags}))
        response[TTL_HEADER] = str(ttl)
        return response
