"""Writes for integrations: create, rotate and revoke their keys."""

from django.db import transaction

from .models import ALL_SCOPES, Integration


@transaction.atomic
def create_integration(
    name: str, *, scopes: list[str] | None = None, description: str = ""
) -> Integration:
    """A new integration with fresh keys; every scope unless ``scopes`` is given.

    Raises:
        ValueError: an unknown scope.
    """
    chosen = ALL_SCOPES if scopes is None else scopes
    unknown = sorted(set(chosen) - set(ALL_SCOPES))
    if unknown:
        raise ValueError(f"unknown scope(s): {', '.join(unknown)}")
    integration = Integration(name=name, description=description, scopes=chosen)
    integration.full_clean()
    integration.save()
    return integration
