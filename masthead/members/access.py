"""The member's access pass (core/grants.py): written by the account pages (#17).

Every response of a view that loads the member (session.py ``with_member``:
the account pages, signing in and out, joining and paying) sets the pass
from the member's state, or removes it once nobody is signed in. A pass
lasts ``MASTHEAD_ACCESS_DAYS`` at most, and no longer than the paid access
it carries (the registered ``paid_tiers`` sources, e.g. memberships); the
gated article's "Already a member?" link renews it (``views.renew_access``).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from django.conf import settings

from masthead.core import grants

from . import registry
from .models import Member

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django.http.response import HttpResponseBase


def pass_for(member: Member, now: float | None = None) -> tuple[grants.Grant, float]:
    """The grant ``member`` holds now and when its pass ends (epoch seconds)."""
    now = time.time() if now is None else now
    days = min(settings.MASTHEAD_ACCESS_DAYS, settings.MASTHEAD_MEMBER_SESSION_DAYS)
    until = now + days * 86400
    tiers: set[int] = set()
    for source in registry.paid_tiers():
        held, ends = source(member)
        if not held:
            continue
        tiers |= held
        if ends is not None:
            until = min(until, ends.timestamp())
    if until <= now:
        # Case: paid access that just ended: the pass of a signed-in member.
        return grants.Grant(), now + days * 86400
    return grants.Grant(frozenset(tiers)), until


def set_pass(
    request: HttpRequest, response: HttpResponseBase, member: Member | None
) -> None:
    """Give the browser ``member``'s pass, or take it away when None."""
    name = settings.MASTHEAD_ACCESS_COOKIE
    if member is None:
        if name in request.COOKIES:
            response.delete_cookie(name, path="/", samesite="Lax")
        return
    grant, until = pass_for(member)
    response.set_cookie(
        name,
        grants.sign(grant, until),
        max_age=max(0, int(until - time.time())),
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
