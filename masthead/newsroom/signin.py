"""Sign-in throttling: per account, per client, and device cookies (issue #13).

django-axes counts failed sign-ins and refuses attempts past a limit; this
module only tells it what to count. Three counters, each over the cool-off
window (``MASTHEAD_LOGIN_COOLOFF_HOURS``):

- one user name from one client: ``MASTHEAD_LOGIN_FAILURE_LIMIT`` (5), the
  mistyped password;
- one client across user names: ``MASTHEAD_LOGIN_CLIENT_FAILURE_LIMIT``,
  guessing many accounts from one place;
- one account across every client: ``MASTHEAD_LOGIN_ACCOUNT_FAILURE_LIMIT``,
  guessing one account from many places. An attacker can trip this one on
  purpose, so it binds only clients without a device cookie for the account.

The device cookie (OWASP, "Slow Brute Force Protection with Device
Cookies") is a signed cookie that a successful sign-in leaves in the
browser. While the account is locked for unknown clients, a browser holding
one for that account is counted on its own (user name, client) counter
only, so its owner keeps signing in. The client is the address behind the
trusted proxies (core/clients.py), so readers behind Varnish are told apart.

axes compares every counter with one limit; ``SignInHandler`` gives each
counter its own by shifting its count, and resets only the signing-in
client's counter on success, so a success does not wipe an attack's count.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import (
    get_client_parameters,
    get_client_username,
    get_failure_limit,
)
from axes.models import AccessAttempt
from django.conf import settings
from django.core import signing
from django.db.models import Sum
from django.http import HttpRequest
from django.http.response import HttpResponseBase

DEVICE_COOKIE = "masthead_device"
DEVICE_SALT = "masthead.newsroom.signin.device"
# The admin's sign-in form posts under here; nothing else needs the cookie.
DEVICE_COOKIE_PATH = "/admin/"
_NEW_DEVICE_ATTRIBUTE = "_masthead_new_device"

PER_CLIENT_AND_USER = ("username", "ip_address")
PER_CLIENT = ("ip_address",)
PER_USER = ("username",)


def device_cookie_value(username: str) -> str:
    """The signed value of a device cookie for ``username``."""
    return signing.dumps({"user": username}, salt=DEVICE_SALT)


def device_username(request: HttpRequest) -> str | None:
    """The user name this browser's device cookie vouches for, if valid."""
    value = request.COOKIES.get(DEVICE_COOKIE)
    if not value:
        return None
    try:
        data = signing.loads(
            value, salt=DEVICE_SALT, max_age=settings.MASTHEAD_LOGIN_DEVICE_DAYS * 86400
        )
    except signing.BadSignature:
        # Case: forged, altered or expired: an unknown client.
        return None
    user = data.get("user") if isinstance(data, dict) else None
    return user if isinstance(user, str) else None


def lockout_parameters(
    request_or_attempt: Any, credentials: dict[str, Any] | None = None
) -> list[str | list[str]]:
    """axes' ``AXES_LOCKOUT_PARAMETERS``: the counters this attempt is held to.

    A browser with a device cookie for the user name it signs in as is held
    to its own (user name, client) counter; every other attempt to all three.
    """
    if isinstance(request_or_attempt, HttpRequest):
        username = get_client_username(request_or_attempt, credentials)
        if username and device_username(request_or_attempt) == username:
            # Case: a browser this account signed in from before.
            return [list(PER_CLIENT_AND_USER)]
    # Case: an unknown client (or a stored attempt being looked at).
    return [list(PER_CLIENT_AND_USER), list(PER_CLIENT), list(PER_USER)]


def counter_limit(parameters: tuple[str, ...]) -> int:
    """The failure limit of one counter, by the parameters it counts by."""
    if parameters == PER_CLIENT:
        return int(settings.MASTHEAD_LOGIN_CLIENT_FAILURE_LIMIT)
    if parameters == PER_USER:
        return int(settings.MASTHEAD_LOGIN_ACCOUNT_FAILURE_LIMIT)
    return int(settings.AXES_FAILURE_LIMIT)


class SignInHandler(AxesDatabaseHandler):
    """axes' database handler with a limit per counter (``AXES_HANDLER``)."""

    def get_failures(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """The worst counter, shifted so that axes' one limit applies to it.

        axes locks when this reaches ``AXES_FAILURE_LIMIT``; a counter with
        limit L and n failures reports ``n - L + AXES_FAILURE_LIMIT``, which
        reaches it exactly when n reaches L.
        """
        base = get_failure_limit(request, credentials)
        parameters = get_client_parameters(
            get_client_username(request, credentials),
            request.axes_ip_address,  # type: ignore[attr-defined]
            request.axes_user_agent,  # type: ignore[attr-defined]
            request,
            credentials,
        )
        attempts_list = self.get_user_attempts(request, credentials)
        worst = 0
        for filters, attempts in zip(parameters, attempts_list, strict=True):
            failures = (
                attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            )
            shifted = failures - counter_limit(tuple(filters)) + base
            worst = max(worst, shifted)
        return int(worst)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """After a success, forget this client's failures for this account.

        Not the account's failures from elsewhere: the owner signing in
        must not give an attacker a fresh allowance.
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username,
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return int(count)


def remember_device(
    sender: object, request: HttpRequest, user: Any, **kwargs: Any
) -> None:
    """``user_logged_in``: mark the response to carry a device cookie."""
    if request is not None:
        setattr(request, _NEW_DEVICE_ATTRIBUTE, user.get_username())


class DeviceCookieMiddleware:
    """Set the device cookie on the response to a successful sign-in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        username = getattr(request, _NEW_DEVICE_ATTRIBUTE, None)
        if username:
            response.set_cookie(
                DEVICE_COOKIE,
                device_cookie_value(username),
                max_age=settings.MASTHEAD_LOGIN_DEVICE_DAYS * 86400,
                path=DEVICE_COOKIE_PATH,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
