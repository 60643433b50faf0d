"""Ghost-compatible Content and Admin APIs (docs/ghost-api.md, issue #18).

Ghost's clients build ``/ghost/api/content/<resource>/`` (and, configured
for Ghost 2-4, ``/ghost/api/v4/content/...``); both are answered alike.
Anything else under ``/ghost/api/`` is a 404 in Ghost's error shape.
"""

from collections.abc import Callable

from django.http import HttpResponse
from django.urls import URLPattern, re_path

from . import admin, content
from .responses import unknown_endpoint

app_name = "ghost"

# Named, reversible paths without a version; Ghost 2-4 clients' with one.
PREFIXES = ("", r"(?:v[2-6](?:\.\d+)?|canary)/")
ID = r"(?P<pk>[^/]+)"
SLUG = r"slug/(?P<slug>[^/]+)"


def _resource(
    api: str,
    name: str,
    browse: Callable[..., HttpResponse],
    read: Callable[..., HttpResponse] | None,
) -> list[URLPattern]:
    patterns = []
    for prefix in PREFIXES:
        start = rf"^{prefix}{api}/{name}/"
        named = not prefix
        patterns.append(re_path(rf"{start}$", browse, name=_name(named, api, name)))
        if read is not None:
            patterns += [
                re_path(
                    rf"{start}{SLUG}/$", read, name=_name(named, api, name, "slug")
                ),
                re_path(
                    rf"{start}{ID}/$", read, name=_name(named, api, name, "detail")
                ),
            ]
    return patterns


def _name(named: bool, *parts: str) -> str | None:
    return "-".join(parts) if named else None


urlpatterns: list[URLPattern] = [
    *_resource("content", "posts", content.post_list, content.post_detail),
    *_resource("content", "pages", content.page_list, content.page_detail),
    *_resource("content", "tags", content.tag_list, content.tag_detail),
    *_resource("content", "authors", content.author_list, content.author_detail),
    *_resource("content", "settings", content.settings_detail, None),
    *_resource("admin", "posts", admin.post_list, admin.post_detail),
    *_resource("admin", "tags", admin.tag_list, admin.tag_detail),
    re_path(r"^admin/images/upload/$", admin.image_upload, name="admin-images"),
    re_path(rf"^{PREFIXES[1]}admin/images/upload/$", admin.image_upload),
    *_resource("admin", "site", admin.site_detail, None),
    re_path(r"", unknown_endpoint, name="unknown"),
]
