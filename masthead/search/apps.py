from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "masthead.search"
    label = "masthead_search"
    verbose_name = "Search"

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .services import register_topic

        register_topic()
