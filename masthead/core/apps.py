from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "masthead.core"
    label = "core"
    verbose_name = _("Masthead core")

    def ready(self) -> None:
        from . import mail_checks, signals  # noqa: F401
