"""Cache-Control profiles: views pick one, nothing else writes the header."""

from __future__ import annotations

import logging
from enum import Enum
from typing import TYPE_CHECKING

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control

if TYPE_CHECKING:
    pass

logger = logging.getLogger("masthead.caching")


class Profile(Enum):
    # Published pages: shared caches may keep them briefly, then revalidate.
    PUBLIC = {"public": True, "max_age": 60, "stale_while_revalidate": 30}
    # Listings that change with every post (News Feed): shorter freshness.
    LIVE = {"public": True, "max_age": 15, "stale_while_revalidate": 15}
    # Feeds, sitemaps and robots.txt: polled by machines, published content
    # only. Two minutes absorbs a crowd of pollers; ETag/Last-Modified keep
    # each revalidation a cheap 304 (docs/syndication.md).
    FEED = {"public": True, "max_age": 120, "stale_while_revalidate": 60}
    # Missing pages: browsers and caches may keep them a few seconds; the
    # caches that purge by tag, longer (cache/missing.py, #13).
    NOT_FOUND = {"public": True, "max_age": 10}
    # Drafts, previews, staff and member pages, beacons: never stored anywhere.
    PRIVATE = {"private": True, "no_store": True}
    # A page shown in full for the reader's access pass (a gated article,
    # #17): no shared cache in front may keep it; the page cache keeps it
    # as the copy for that kind of pass (``differs_by_access``).
    ACCESS_VARIANT = {"private": True, "max_age": 0}


class WithheldPage(Http404):
    """A page that exists but may not be shown yet (an article under embargo).

    Readers get the ordinary 404, but no cache may keep it (#13): the page
    appears when the embargo lifts, and the scale-out suite checks that each
    request for it reaches an app process.
    """


def apply_profile(response: HttpResponse, profile: Profile) -> HttpResponse:
    """Set Cache-Control on ``response`` from ``profile`` and return it."""
    patch_cache_control(response, **profile.value)
    return response


_BY_ACCESS_ATTRIBUTE = "_masthead_by_access"
_VARIANT_ATTRIBUTE = "_masthead_access_variant"


def differs_by_access(request: HttpRequest, *, for_this_pass: bool) -> None:
    """Say that ``request``'s page differs by the reader's access pass (#17).

    The page cache then keeps one copy of it per kind of pass, and the one
    for readers without a pass (cache/wsgi.py). ``for_this_pass``: the page
    was rendered for the request's pass, so it goes out
    ``Profile.ACCESS_VARIANT`` and no shared cache in front keeps it.
    """
    setattr(request, _BY_ACCESS_ATTRIBUTE, True)
    if for_this_pass:
        setattr(request, _VARIANT_ATTRIBUTE, True)


def is_by_access(request: HttpRequest) -> bool:
    return bool(getattr(request, _BY_ACCESS_ATTRIBUTE, False))


def is_access_variant(request: HttpRequest) -> bool:
    return bool(getattr(request, _VARIANT_ATTRIBUTE, False))


def response_is_shareable(response: HttpResponseBase) -> bool:
    """True when a shared cache may keep ``response`` for every reader."""
    cache_control = response.get("Cache-Control", "")
    if "public" not in cache_control:
        # Case: no profile or a private one (drafts, admin, beacons).
        return False
    if "private" in cache_control or "no-store" in cache_control:
        return False
    # Case: the response sets a cookie (CSRF, session): it is personal.
    # ``Vary: Cookie`` alone is not: requests with a session cookie never
    # reach a shared copy (CacheTagsMiddleware, PageCache, the VCL).
    return not response.cookies
