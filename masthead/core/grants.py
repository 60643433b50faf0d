"""The reader's access pass: what they may read, signed, in a cookie (#17).

Gated articles (content/visibility.py ``may_read``) show their whole body
only to readers whose pass allows it. The pass is a cookie signed with the
site's secret that says "a signed-in member" and, for paid members, which
tiers they hold, until when. Reading it needs no session and no query, so
the page cache (cache/wsgi.py) keeps one copy of a page per kind of pass,
never one per reader; the account pages, which load the member, write and
renew it (members/access.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.http.cookie import parse_cookie

_SALT = "masthead.access"
_REQUEST_ATTRIBUTE = "_masthead_grant"


@dataclass(frozen=True)
class Grant:
    """A valid pass: a signed-in member, with the paid tiers they hold."""

    tiers: frozenset[int] = frozenset()

    @property
    def paid(self) -> bool:
        return bool(self.tiers)

    @property
    def variant(self) -> str:
        """The page cache's name for every reader holding the same pass."""
        if not self.tiers:
            return "member"
        return "tiers-" + "-".join(str(tier) for tier in sorted(self.tiers))


def sign(grant: Grant, until: float) -> str:
    """The cookie value of ``grant``, valid until ``until`` (epoch seconds)."""
    return signing.dumps(
        {"t": sorted(grant.tiers), "e": int(until)}, salt=_SALT, compress=False
    )


@lru_cache(maxsize=4096)
def _verified(value: str) -> tuple[frozenset[int], int] | None:
    """The tiers and end of a signed value, or None when it is not ours."""
    try:
        data = signing.loads(value, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    tiers, until = data.get("t"), data.get("e")
    if not isinstance(until, int) or not isinstance(tiers, list):
        return None
    if not all(isinstance(tier, int) and not isinstance(tier, bool) for tier in tiers):
        return None
    return frozenset(tiers), until


def read(value: str | None, now: float | None = None) -> Grant | None:
    """The grant a cookie value carries, if it is signed by us and not over.

    Verified values are remembered per process (a member's every page view
    carries the same one); the end is checked on every call.
    """
    if not value or len(value) > 512:
        return None
    verified = _verified(value)
    if verified is None:
        return None
    tiers, until = verified
    if until <= (time.time() if now is None else now):
        # Case: a pass past its end; the account pages give a new one.
        return None
    return Grant(tiers)


def from_cookie_header(header: str) -> Grant | None:
    """The grant in a raw ``Cookie`` header (the page cache reads WSGI)."""
    name = settings.MASTHEAD_ACCESS_COOKIE
    if name + "=" not in header:
        return None
    # Django's own lenient parser: as request.COOKIES reads the same header.
    return read(parse_cookie(header).get(name))


def of_request(request: HttpRequest) -> Grant | None:
    """The grant of the reader making ``request`` (read once per request)."""
    if not hasattr(request, _REQUEST_ATTRIBUTE):
        value = request.COOKIES.get(settings.MASTHEAD_ACCESS_COOKIE)
        setattr(request, _REQUEST_ATTRIBUTE, read(value))
    grant: Grant | None = getattr(request, _REQUEST_ATTRIBUTE)
    return grant
