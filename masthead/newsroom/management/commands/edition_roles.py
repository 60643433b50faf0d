"""Create each edition's own roles (``Editor (uk)``…), once its home exists."""

from typing import Any

from django.core.management.base import BaseCommand

from masthead.newsroom.services import ensure_edition_roles


class Command(BaseCommand):
    help = (
        "Create or update the roles limited to one edition: Contributor, "
        "Author and Editor of each edition whose home page exists (#15)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        groups = ensure_edition_roles()
        for name in sorted(groups):
            self.stdout.write(name)
