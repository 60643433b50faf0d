"""Masthead's own API: the Content API, the Admin API and their OpenAPI document.

Built with django-ninja, which writes the OpenAPI 3.1 document from the
views' signatures and schemas (served at /api/openapi.json). The reference
page at /api/docs/ is rendered here from that document, without scripts, so
it works under the site's strict Content Security Policy and offline
(ninja's Swagger page would load its scripts from a CDN).
"""

from typing import Any

from ninja import NinjaAPI

from . import admin_routes, content, content_feed, errors


class MastheadAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Ninja's document, saying the content key is optional when public."""
        from django.conf import settings

        schema = super().get_openapi_schema(*args, **kwargs)
        if settings.MASTHEAD_API_PUBLIC:
            for item in schema.get("paths", {}).values():
                for operation in item.values():
                    security = operation.get("security") or []
                    if any("ContentKey" in rule for rule in security):
                        operation["security"] = [*security, {}]
        return schema


api = MastheadAPI(
    title="Masthead API",
    version="1",
    description=(
        "The Content API (read-only: what the public site shows) and the "
        "Admin API (writes, with an integration's admin key). See docs/api.md."
    ),
    openapi_url="/openapi.json",
    docs_url=None,
    # Nested in masthead/urls.py's "api" namespace.
    urls_namespace="api:masthead",
)
errors.install(api)
api.add_router("/v1/", content.router)
api.add_router("/v1/", content_feed.router)
api.add_router("/v1/admin/", admin_routes.router)
