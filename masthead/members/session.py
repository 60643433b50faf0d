"""The member's session: Django's session store under a cookie of its own.

Only the account pages and the sign-in flow load it (``with_member``): a
public page never touches a session, so it never gets ``Vary: Cookie`` or
a cookie set, and stays one cached copy for every reader. The cookie is not
``SESSION_COOKIE_NAME``, which the page cache and Varnish read as staff
(cache/wsgi.py, deploy/varnish/masthead.vcl): a member keeps getting the
shared public pages.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest
from django.utils.cache import patch_vary_headers

from .access import set_pass
from .models import Member

if TYPE_CHECKING:
    from django.http.response import HttpResponseBase

MEMBER_KEY = "member_id"
GENERATION_KEY = "member_generation"


class MemberRequest(HttpRequest):
    """What ``with_member`` adds to the request (for type checking)."""

    member_session: SessionBase
    member: Member | None


def _store(key: str | None) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    session: SessionBase = engine.SessionStore(key)
    return session


def current_member(session: SessionBase) -> Member | None:
    """The member signed in to ``session``, if it is still valid.

    A session signed in before "sign out everywhere" carries an older
    generation than the member's, and is refused.
    """
    member_id = session.get(MEMBER_KEY)
    if member_id is None:
        return None
    member = Member.objects.filter(pk=member_id).first()
    if member is None or session.get(GENERATION_KEY) != member.session_generation:
        return None
    return member


def sign_in(request: MemberRequest, member: Member) -> None:
    """Start a new session for ``member`` (a new key: no session fixation)."""
    request.member_session.cycle_key()
    request.member_session[MEMBER_KEY] = member.pk
    request.member_session[GENERATION_KEY] = member.session_generation
    request.member = member


def sign_out(request: MemberRequest) -> None:
    """End this browser's session."""
    request.member_session.flush()
    request.member = None


def with_member(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Load the member session around ``view`` and save it after.

    Sets ``request.member_session`` and ``request.member`` (None when signed
    out or the session was ended everywhere).
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        member_request: MemberRequest = request  # type: ignore[assignment]
        cookie = settings.MASTHEAD_MEMBER_SESSION_COOKIE
        member_request.member_session = _store(request.COOKIES.get(cookie))
        member_request.member = current_member(member_request.member_session)
        if member_request.member is None and member_request.member_session.get(
            MEMBER_KEY
        ):
            # Case: ended elsewhere ("sign out everywhere") or erased.
            member_request.member_session.flush()
        response = view(request, *args, **kwargs)
        _save(member_request, response)
        return response

    return wrapped


def _save(request: MemberRequest, response: HttpResponseBase) -> None:
    # The access pass follows the member the response leaves signed in.
    set_pass(request, response, request.member)
    session = request.member_session
    cookie = settings.MASTHEAD_MEMBER_SESSION_COOKIE
    patch_vary_headers(response, ("Cookie",))
    if cookie in request.COOKIES and session.is_empty():
        response.delete_cookie(cookie, path="/", samesite="Lax")
        return
    if not session.modified or session.is_empty():
        return
    max_age = settings.MASTHEAD_MEMBER_SESSION_DAYS * 86400
    session.set_expiry(max_age)
    session.save()
    response.set_cookie(
        cookie,
        session.session_key or "",
        max_age=max_age,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
