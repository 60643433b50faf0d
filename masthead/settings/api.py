"""Settings of the APIs, webhooks and importers (docs/api.md, docs/importing.md), read by ``base``."""

import os

# Items per page of an API list, by default and at most.
MASTHEAD_API_PAGE_SIZE = int(os.environ.get("MASTHEAD_API_PAGE_SIZE", "20"))
MASTHEAD_API_MAX_PAGE_SIZE = int(os.environ.get("MASTHEAD_API_MAX_PAGE_SIZE", "100"))
# Whether the Content API answers without a content key (it serves only what
# the public site shows either way).
MASTHEAD_API_PUBLIC = os.environ.get("MASTHEAD_API_PUBLIC", "1") == "1"
