"""Fixtures of the API tests: integrations and their keys."""

import pytest

from masthead.api.models import Integration
from masthead.api.services import create_integration


@pytest.fixture
def integration(db, django_user_model) -> Integration:
    integration = create_integration("Partner app")
    # Wagtail checks the acting user's permissions as in the admin.
    integration.acting_user = django_user_model.objects.create_superuser(
        "partner-bot", "bot@example.com", "not-used-1234"
    )
    integration.save()
    return integration


@pytest.fixture
def bearer(integration) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {integration.admin_key}"}
