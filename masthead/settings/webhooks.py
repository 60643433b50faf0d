"""Settings of webhooks and WebSub pings (docs/webhooks.md), read by settings/api."""

import os

# Whether webhooks may be sent to private, loopback and link-local addresses
# (SSRF safety, docs/webhooks.md). On only for the dev and test settings, so a
# production site (or any settings module not named here) refuses them unless
# the environment says otherwise.
_LOCAL_SETTINGS = {"masthead.settings.dev", "masthead.settings.test"}
MASTHEAD_WEBHOOKS_ALLOW_PRIVATE = (
    os.environ.get(
        "MASTHEAD_WEBHOOKS_ALLOW_PRIVATE",
        "1" if os.environ.get("DJANGO_SETTINGS_MODULE") in _LOCAL_SETTINGS else "0",
    )
    == "1"
)
# Seconds to wait for a webhook receiver or the WebSub hub (connect and read).
MASTHEAD_WEBHOOKS_TIMEOUT = float(os.environ.get("MASTHEAD_WEBHOOKS_TIMEOUT", "5"))
