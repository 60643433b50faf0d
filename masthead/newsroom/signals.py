"""Signal wiring for the newsroom; handlers call services."""

from typing import Any

from .services import ensure_edition_roles, ensure_roles


def roles_after_migrate(sender: object, using: str = "default", **kwargs: Any) -> None:
    """Create or update the newsroom roles after every ``migrate``.

    post_migrate runs once all permissions exist, which a data migration on a
    fresh database cannot count on.
    """
    ensure_roles(using=using)
    # Editions whose home exists by now get their one-edition roles (#15).
    ensure_edition_roles()
