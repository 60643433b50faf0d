from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "masthead.syndication"
    label = "syndication"
    verbose_name = "Feeds and sitemaps"

    def ready(self) -> None:
        # WebSub pings after publishing and News Feed posts (websub.py).
        from . import websub  # noqa: F401
