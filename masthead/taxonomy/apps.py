from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "masthead.taxonomy"
    label = "taxonomy"
    verbose_name = "Tags"

    def ready(self) -> None:
        from . import signals  # noqa: F401
