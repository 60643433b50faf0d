from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "masthead.people"
    label = "people"
    verbose_name = "People"

    def ready(self) -> None:
        from . import signals  # noqa: F401
