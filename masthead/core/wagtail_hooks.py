from django.http import HttpRequest
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import mail_views


@hooks.register("register_admin_urls")
def caught_email_urls() -> list[URLPattern]:
    return [
        path("mail/", mail_views.caught_email_list, name="core_caught_email_list"),
        path(
            "mail/<int:pk>/",
            mail_views.caught_email_detail,
            name="core_caught_email_detail",
        ),
        path(
            "mail/<int:pk>/html/",
            mail_views.caught_email_html,
            name="core_caught_email_html",
        ),
    ]


class CaughtEmailMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return request.user.has_perm(mail_views.VIEW_PERMISSION)


@hooks.register("register_settings_menu_item")
def caught_email_menu_item() -> CaughtEmailMenuItem:
    return CaughtEmailMenuItem(
        gettext_lazy("Mail sent by this site"),
        reverse("core_caught_email_list"),
        icon_name="mail",
        order=950,
    )
