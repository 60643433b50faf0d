"""Project-wide pytest fixtures."""

import pytest


@pytest.fixture(autouse=True)
def _isolated_caches():
    """Each test starts with empty caches (settings and renditions are cached)."""
    from django.core.cache import caches

    from masthead.core import caching

    for alias in ("default", "renditions"):
        caches[alias].clear()
    # Pages and fragments (the sidebar) too: tests roll back their writes
    # without running the purges that would drop them.
    caching.reset()
    yield
