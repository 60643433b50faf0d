"""The admin's "Import" menu item and screens (views.py)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import URLResolver, include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

_admin_patterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.run, name="run"),
    path("<int:pk>/import/", views.confirm, name="confirm"),
]


@hooks.register("register_admin_urls")
def importers_admin_urls() -> list[URLResolver]:
    return [
        path(
            "import/",
            include((_admin_patterns, "importers_admin"), namespace="importers_admin"),
        )
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_admin_menu_item")
def import_menu_item() -> ImportMenuItem:
    return ImportMenuItem(
        gettext_lazy("Import"),
        reverse("importers_admin:index"),
        icon_name="download",
        order=900,
    )
