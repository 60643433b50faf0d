from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedConfig(AppConfig):
    name = "masthead.feed"
    label = "feed"
    verbose_name = _("News Feed")

    def ready(self) -> None:
        from . import signals  # noqa: F401
