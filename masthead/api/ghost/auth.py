"""Who is calling: a Content API key, or an Admin API token (Ghost's scheme).

Content API: ``?key=<26 hex>`` of an active integration. Admin API:
``Authorization: Ghost <JWT>``, signed HS256 with the integration's secret
(hex-decoded), the admin key id as ``kid``, ``aud`` the API path
(``/admin/``, or ``/v5/admin/`` from older clients) and at most five minutes
old, as ghost/core/core/server/services/auth/api-key/admin.js checks it.
Messages and codes are Ghost's, so scripts that look for them keep working.
"""

import re
import time

import jwt
from django.http import HttpRequest

from masthead.api.models import Integration

from .errors import BadRequest, NoPermission, Unauthorized

MAX_TOKEN_AGE = 5 * 60
# Clocks of a newsroom's script and of the server may differ a little.
CLOCK_LEEWAY = 10
ADMIN_AUDIENCE = re.compile(r"/?(v\d+(\.\d+)?/|canary/)?admin/?$")
CONTENT_KEY = re.compile(r"[0-9a-f]{26}")
KEY_ID = re.compile(r"[0-9a-f]{24}")


def content_integration(request: HttpRequest) -> Integration:
    """The active integration whose content key the request carries.

    Raises:
        NoPermission: no key at all (Ghost answers 403 too).
        Unauthorized: a key no active integration holds.
    """
    key = request.GET.get("key", "")
    if not key:
        raise NoPermission(
            "Authorization failed",
            context="Unable to determine the authenticated member or "
            "integration. Check the supplied Content API Key and ensure cookies "
            "are being passed through if member auth is failing.",
            code="NO_PERMISSION",
        )
    integration = (
        Integration.objects.active().filter(content_key=key).first()
        if CONTENT_KEY.fullmatch(key)
        else None
    )
    if integration is None:
        raise Unauthorized("Unknown Content API Key", code="UNKNOWN_CONTENT_API_KEY")
    return integration


def admin_integration(request: HttpRequest) -> Integration:
    """The active integration that signed the request's token.

    Raises:
        NoPermission: no ``Authorization`` header.
        BadRequest: a token that is not a JWT, or has no ``kid``.
        Unauthorized: wrong scheme, unknown or revoked key, bad signature,
            wrong audience, expired or older than five minutes.
    """
    header = request.headers.get("Authorization", "")
    if not header:
        raise NoPermission(
            "Authorization failed",
            context="Unable to determine the authenticated user or integration. "
            "Check that cookies are being passed through if using session "
            "authentication.",
            code="NO_PERMISSION",
        )
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "ghost" or not token.strip():
        raise Unauthorized(
            'Authorization header format is "Authorization: Ghost [token]"',
            code="INVALID_AUTH_HEADER",
        )
    token = token.strip()
    try:
        key_id = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError as error:
        raise BadRequest("Invalid token", code="INVALID_JWT") from error
    if not key_id or not isinstance(key_id, str):
        raise BadRequest("Admin API kid missing.", code="MISSING_ADMIN_API_KID")
    integration = (
        Integration.objects.active()
        .select_related("acting_user")
        .filter(admin_key_id=key_id)
        .first()
        if KEY_ID.fullmatch(key_id)
        else None
    )
    if integration is None:
        raise Unauthorized("Unknown Admin API Key", code="UNKNOWN_ADMIN_API_KEY")
    _verify(token, bytes.fromhex(integration.admin_secret))
    return integration


def _verify(token: str, secret: bytes) -> None:
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=["HS256"],
            options={"require": ["iat"], "verify_aud": False},
            leeway=CLOCK_LEEWAY,
        )
    except jwt.PyJWTError as error:
        raise Unauthorized(f"Invalid token: {error}", code="INVALID_JWT") from error
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if not any(isinstance(a, str) and ADMIN_AUDIENCE.fullmatch(a) for a in audiences):
        raise Unauthorized("Invalid token: jwt audience invalid.", code="INVALID_JWT")
    issued = claims["iat"]
    if not isinstance(issued, int | float) or time.time() - issued > (
        MAX_TOKEN_AGE + CLOCK_LEEWAY
    ):
        raise Unauthorized("Invalid token: maxAge exceeded", code="INVALID_JWT")
