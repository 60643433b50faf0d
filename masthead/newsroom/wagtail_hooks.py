from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import two_factor


@hooks.register("register_admin_urls")
def two_factor_urls() -> list[URLPattern]:
    return [
        path("2fa/setup/", two_factor.setup, name=two_factor.SETUP_URL_NAME),
        path("2fa/verify/", two_factor.verify, name=two_factor.VERIFY_URL_NAME),
    ]


@hooks.register("register_settings_menu_item")
def two_factor_menu_item() -> MenuItem:
    return MenuItem(
        _("Two-factor sign-in"),
        reverse(two_factor.SETUP_URL_NAME),
        icon_name="lock",
        order=900,
    )
