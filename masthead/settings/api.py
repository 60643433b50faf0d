"""Settings of the APIs, webhooks and importers, read by ``base``.

Documented in docs/api.md and docs/importing.md.
"""

import os

# Items per page of an API list, by default and at most (docs/api.md
# "Pagination"): a larger ``limit`` is cut down to the maximum.
MASTHEAD_API_PAGE_SIZE = int(os.environ.get("MASTHEAD_API_PAGE_SIZE", "20"))
MASTHEAD_API_MAX_PAGE_SIZE = int(os.environ.get("MASTHEAD_API_MAX_PAGE_SIZE", "100"))
# Whether the Content API answers without a content key (it serves only what
# the public site shows either way). A wrong key is refused either way.
MASTHEAD_API_PUBLIC = os.environ.get("MASTHEAD_API_PUBLIC", "1") == "1"
# The largest image the Admin API accepts in one upload, in bytes.
MASTHEAD_API_MAX_UPLOAD_BYTES = int(
    os.environ.get("MASTHEAD_API_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024))
)

from .webhooks import *  # noqa: E402, F403
