"""Admin hooks of the members import screen (#16).

Kept apart from ``wagtail_hooks`` and imported by ``NewslettersConfig.ready``:
Wagtail reads the hooks registry only when building the admin, after every
app is ready.
"""

from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import import_views


@hooks.register("register_admin_urls")
def member_import_urls() -> list[URLPattern]:
    return [
        path(
            "members/import/",
            import_views.import_members_view,
            name="newsletters_member_import",
        ),
        path(
            "members/export.csv",
            import_views.export_members_view,
            name="newsletters_member_export",
        ),
    ]


class MemberImportMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(import_views.IMPORT_PERMISSION)


@hooks.register("register_admin_menu_item")
def member_import_menu_item() -> MemberImportMenuItem:
    return MemberImportMenuItem(
        gettext_lazy("Import members"),
        reverse("newsletters_member_import"),
        icon_name="upload",
        order=260,
    )
