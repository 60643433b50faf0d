from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    name = "masthead.newsroom"
    label = "newsroom"
    verbose_name = _("Newsroom")

    def ready(self) -> None:
        from .signals import roles_after_migrate
        from .signin import remember_device

        post_migrate.connect(roles_after_migrate, sender=self)
        user_logged_in.connect(remember_device, dispatch_uid="masthead-device-cookie")
