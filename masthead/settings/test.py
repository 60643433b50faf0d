"""Test settings: fast hashing, in-memory storage, isolated media."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="masthead-test-media-"))
MASTHEAD_PRIVATE_UPLOADS_ROOT = Path(tempfile.mkdtemp(prefix="masthead-test-private-"))
STORAGES = {
    "default": {"BACKEND": "masthead.core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
# Every test run gets its own search index; nothing touches var/.
MASTHEAD_SEARCH_INDEX_DIR = Path(tempfile.mkdtemp(prefix="masthead-test-index-"))
MASTHEAD_PAGE_CACHE_JOURNAL = (
    Path(tempfile.mkdtemp(prefix="masthead-test-cache-")) / "purges.log"
)
# The test client (127.0.0.1) stands for the cache in front, so tests can read
# the tags a page carries; tests of what readers see send another address
# (cache/tests/test_internal_headers.py).
MASTHEAD_TRUSTED_CACHES = ["127.0.0.1"]
# Tasks run when enqueued, in the test's own transaction; the worker and its
# schedule are exercised by tests/integration/test_background_work.py.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "background": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "outbox", "renditions"],
    },
}
