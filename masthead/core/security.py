"""Content-Security-Policy for the public site and for the editors' admin.

The public site runs no inline script at all, so its policy allows scripts
from our own origin only (JSON-LD blocks are data, not executed). Wagtail's
admin needs inline scripts and styles; it gets its own, looser policy and is
never served to readers.
"""

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.csp import CSP

PUBLIC_POLICY = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    # Embedded posts and videos come from their providers over HTTPS.
    "frame-src": ["https:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

ADMIN_POLICY = {
    **PUBLIC_POLICY,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    # The admin previews pages in an iframe of its own origin.
    "frame-ancestors": [CSP.SELF],
    "frame-src": [CSP.SELF, "https:"],
}

ADMIN_PREFIX = "/admin/"


class AdminPolicyMiddleware:
    """Give admin responses the admin policy; everything else keeps the public one.

    Listed after Django's CSP middleware, so it marks the response before
    that middleware writes the header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIX):
            # Case: Wagtail's admin, staff only, needs inline script.
            # What @csp_override sets and Django's CSP middleware reads; not
            # in django-stubs.
            response._csp_config = ADMIN_POLICY  # type: ignore[attr-defined]
            # Case: admin pages may frame their own previews.
            response["X-Frame-Options"] = "SAMEORIGIN"
        return response
