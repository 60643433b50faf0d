"""Last-Modified on public pages, and the 304 for If-Modified-Since (#14).

A view names the newest change its page shows (``modified(request, ...)``:
an article's last publication, the newest item of a listing); the cache
middleware turns it into ``Last-Modified`` on shareable responses and
answers a matching ``If-Modified-Since`` with 304 (RFC 9110 13.1.3). The
page cache (cache/wsgi.py) answers it from a stored copy the same way.
``If-None-Match`` wins over ``If-Modified-Since`` when a request has both
(RFC 9110 13.2.2), as Django's ``get_conditional_response`` does.

The time covers what the page lists, not the site's chrome: a new logo
changes every page's ETag but not its Last-Modified. It is never earlier
than the last purge this process has seen (``purge_seen_at``): the newest
time a page shows goes *back* when an article or update leaves it, and
without that floor a reader holding the older copy would get a 304 for it.
Every removal purges, so the floor moves past the old copy's date.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from email.utils import parsedate_to_datetime

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .kept import kept_until_purge
from .peers import PAGE_CACHE_ENVIRON_KEY
from .policy import response_is_shareable

_REQUEST_ATTRIBUTE = "_masthead_last_modified"


def modified(request: HttpRequest, *moments: datetime | None) -> None:
    """Record that the page for ``request`` shows changes made at ``moments``.

    The newest one given across calls becomes its Last-Modified; None (an
    undated item) is skipped.
    """
    newest: datetime | None = getattr(request, _REQUEST_ATTRIBUTE, None)
    for moment in moments:
        if moment is not None and (newest is None or moment > newest):
            newest = moment
    setattr(request, _REQUEST_ATTRIBUTE, newest)


def purge_seen_at() -> datetime:
    """When this process first saw the store's current purge marker.

    No earlier than the last purge, on any process: a purge moves the
    marker, and the next call here takes the time again.
    """
    return kept_until_purge("purge-seen-at", None, timezone.now)


def last_modified_of(request: HttpRequest) -> datetime | None:
    """The newest change recorded for ``request``, floored at the last purge."""
    moment: datetime | None = getattr(request, _REQUEST_ATTRIBUTE, None)
    if moment is None:
        return None
    return max(moment, purge_seen_at())


def apply_last_modified(
    request: HttpRequest, response: HttpResponseBase
) -> HttpResponseBase:
    """Add Last-Modified to a shareable 200; answer If-Modified-Since with 304.

    Inside the page cache the 304 is left to it (it answers from the stored
    copy, cache/wsgi.py), so the copy it stores is always the whole page.
    """
    moment = last_modified_of(request)
    if moment is None or response.status_code != 200:
        # Case: the view named no time, or an error or redirect.
        return response
    if not response_is_shareable(response) or response.has_header("Last-Modified"):
        # Case: personal pages; views that set their own (feeds, polling JSON).
        return response
    timestamp = int(moment.timestamp())
    response["Last-Modified"] = http_date(timestamp)
    if request.META.get(PAGE_CACHE_ENVIRON_KEY) or not isinstance(
        response, HttpResponse
    ):
        # Case: the page cache answers from its copy; or a streamed body.
        return response
    conditional = get_conditional_response(
        request, last_modified=timestamp, response=response
    )
    return conditional if conditional is not None else response


def not_modified_since(header: str | None, last_modified: str | None) -> bool:
    """Whether a stored page dated ``last_modified`` is no newer than ``header``.

    Both are HTTP dates; an unparsable one means "modified" (send the page).
    """
    if not header or not last_modified:
        return False
    try:
        since = parsedate_to_datetime(header)
        changed = parsedate_to_datetime(last_modified)
    except (TypeError, ValueError, OverflowError):
        # A year past 9999 overflows (tests/hostile): treated as "modified".
        return False
    if since.tzinfo is None or changed.tzinfo is None:
        return False
    return changed <= since


def polling_json(
    request: HttpRequest, payload: object, changed: list[datetime]
) -> HttpResponse:
    """A polled JSON body with its ETag and Last-Modified; 304 when unchanged.

    For the News Feed's and the live pages' updates (STYLE 2: short polling
    of a cacheable response). The ETag is a hash of the body; Last-Modified
    is the newest of ``changed`` floored at the last purge seen, like the
    pages' (an update that leaves the list purges, so the date moves on).
    The caller applies the Cache-Control profile.
    """
    body = json.dumps(payload, separators=(",", ":")).encode()
    etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
    moment = max([*changed, purge_seen_at()])
    timestamp = int(moment.timestamp())
    response = get_conditional_response(
        request, etag=etag, last_modified=timestamp
    ) or HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Last-Modified"] = http_date(timestamp)
    return response
