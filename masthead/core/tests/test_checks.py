import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_system_checks_pass_on_the_configured_database():
    # pytest-django runs no system checks; PostgreSQL adds its own (e.g.
    # Wagtail's search fields need django.contrib.postgres).
    call_command("check", "--database", "default", "--fail-level", "ERROR")
