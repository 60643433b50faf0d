"""Who may call the APIs: content keys for reading, admin keys for writing.

- Content API: ``?key=<content key>`` (cacheable: the key is in the URL) or
  the ``X-Masthead-Key`` header. Without a key it answers only when
  ``MASTHEAD_API_PUBLIC`` is on; a key that matches no active integration
  is a 401 either way.
- Admin API: ``Authorization: Bearer <admin key id>:<admin secret>``. Only
  that header is read: a session cookie is never a credential here, so no
  CSRF token is needed or accepted (ninja checks CSRF for cookie auth only).
"""

import hmac
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import APIKeyQuery, HttpBearer

from .errors import ApiError
from .models import Integration

KEY_HEADER = "X-Masthead-Key"
HEX_DIGITS = frozenset("0123456789abcdef")
# What ``request.auth`` holds for a keyless reader of a public API.
PUBLIC = "public"


class ContentKey(APIKeyQuery):
    """The content key from the query (``key``) or the ``X-Masthead-Key`` header."""

    param_name = "key"

    def _get_key(self, request: HttpRequest) -> str | None:
        return request.GET.get(self.param_name) or request.headers.get(KEY_HEADER)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            # Case: no key; the public API answers everyone.
            if settings.MASTHEAD_API_PUBLIC:
                return PUBLIC
            raise AuthenticationError()
        if len(key) != 26 or not set(key) <= HEX_DIGITS:
            # Case: not a key's shape; no lookup.
            raise AuthenticationError()
        integration = Integration.objects.active().filter(content_key=key).first()
        if integration is None:
            # Case: revoked, rotated or never issued: refused even when public.
            raise AuthenticationError()
        return integration


class AdminKey(HttpBearer):
    """``Authorization: Bearer <id>:<secret>`` of an active integration."""

    def authenticate(self, request: HttpRequest, token: str) -> Integration | None:
        key_id, _, secret = token.strip().partition(":")
        if len(key_id) != 24 or not secret or len(secret) > 128:
            return None
        if not set(key_id) <= HEX_DIGITS:
            # Case: not a key id's shape (and no NUL reaches the database).
            return None
        integration = Integration.objects.active().filter(admin_key_id=key_id).first()
        if integration is None:
            return None
        if not hmac.compare_digest(
            integration.admin_secret.encode(), secret.encode(errors="replace")
        ):
            return None
        return integration


def require_scope(request: HttpRequest, scope: str) -> Integration:
    """The calling integration; 403 when its key lacks ``scope``."""
    integration = request.auth  # type: ignore[attr-defined]
    if not isinstance(integration, Integration):
        raise AuthenticationError()
    if not integration.has_scope(scope):
        raise ApiError(403, "forbidden", f"The key lacks the {scope!r} scope.")
    return integration


def uses_header_key(request: HttpRequest) -> bool:
    """A key sent in a header: the URL alone does not say who may see the page."""
    return KEY_HEADER in request.headers and not request.GET.get("key")
