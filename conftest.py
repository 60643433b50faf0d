"""Project-wide pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_caches():
    """Each test starts with empty caches (settings and renditions are cached)."""
    from django.core.cache import caches

    for alias in ("default", "renditions"):
        caches[alias].clear()
    yield
