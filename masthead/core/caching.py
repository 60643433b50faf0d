"""Cache-Control profiles: the one place that sets the header.

Views pick a profile with ``apply_profile``; nothing else writes
Cache-Control. The page cache and its purge (issue #5) will live here too.
"""

from enum import Enum

from django.http import HttpResponse
from django.utils.cache import patch_cache_control


class Profile(Enum):
    # Published pages: shared caches may keep them briefly, then revalidate.
    PUBLIC = {"public": True, "max_age": 60, "stale_while_revalidate": 30}
    # Listings that change with every post (News Feed): shorter freshness.
    LIVE = {"public": True, "max_age": 15, "stale_while_revalidate": 15}
    # Feeds, sitemaps and robots.txt: polled by machines, published content
    # only. Two minutes absorbs a crowd of pollers; ETag/Last-Modified keep
    # each revalidation a cheap 304 (docs/syndication.md).
    FEED = {"public": True, "max_age": 120, "stale_while_revalidate": 60}
    # Drafts, previews, staff and member pages, beacons: never stored anywhere.
    PRIVATE = {"private": True, "no_store": True}


def apply_profile(response: HttpResponse, profile: Profile) -> HttpResponse:
    """Set Cache-Control on ``response`` from ``profile`` and return it."""
    patch_cache_control(response, **profile.value)
    return response
