"""Settings → Integrations in the admin: keys, scopes, webhooks (admin_views.py).

Shown to superusers and staff with ``webhooks.manage_integrations``, a
permission the group editor offers (least privilege: it gives nothing else).
"""

from __future__ import annotations

from django.contrib.auth.models import Permission
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .models import MANAGE_PERMISSION

_admin_patterns = [
    path("", admin_views.integration_list, name="integrations"),
    path("add/", admin_views.integration_add, name="integration-add"),
    path("<int:pk>/", admin_views.integration_edit, name="integration"),
    path("<int:pk>/rotate/", admin_views.integration_rotate, name="integration-rotate"),
    path(
        "<int:integration_pk>/webhooks/add/",
        admin_views.webhook_add,
        name="webhook-add",
    ),
    path("webhooks/<int:pk>/", admin_views.webhook_edit, name="webhook"),
    path("webhooks/<int:pk>/test/", admin_views.webhook_test, name="webhook-test"),
    path(
        "webhooks/<int:pk>/rotate/", admin_views.webhook_rotate, name="webhook-rotate"
    ),
    path(
        "webhooks/<int:pk>/delete/", admin_views.webhook_delete, name="webhook-delete"
    ),
]


@hooks.register("register_admin_urls")
def integrations_admin_urls() -> list[URLResolver]:
    return [
        path(
            "integrations/",
            include((_admin_patterns, "webhooks_admin"), namespace="webhooks_admin"),
        )
    ]


class IntegrationsMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(MANAGE_PERMISSION)


@hooks.register("register_settings_menu_item")
def integrations_menu_item() -> IntegrationsMenuItem:
    return IntegrationsMenuItem(
        gettext_lazy("Integrations"),
        reverse("webhooks_admin:integrations"),
        icon_name="link",
        order=850,
    )


@hooks.register("register_permissions")
def integrations_permission() -> QuerySet[Permission]:
    app_label, codename = MANAGE_PERMISSION.split(".")
    return Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    )
