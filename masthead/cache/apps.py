from django.apps import AppConfig


class CacheConfig(AppConfig):
    name = "masthead.cache"
    label = "cache"
    verbose_name = "Masthead page cache"

    def ready(self) -> None:
        from masthead.core.tasks import drain_outbox

        from . import signals  # noqa: F401
        from .purging import register_topics

        def wake() -> None:
            drain_outbox.enqueue()

        register_topics(wake)
