"""Settings of reader accounts (issue #16, docs/members.md), read by ``base``.

Also the cookie flags of both sessions, staff and member, moved here from
``base`` to keep it within bounds.
"""

import os

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# The member's session cookie. Not Django's ``sessionid``: the page cache,
# CacheTagsMiddleware and Varnish treat a request carrying ``sessionid`` as
# staff and bypass; a member must keep getting the shared public pages.
MASTHEAD_MEMBER_SESSION_COOKIE = os.environ.get(
    "MASTHEAD_MEMBER_SESSION_COOKIE", "masthead_member"
)
MASTHEAD_MEMBER_SESSION_DAYS = int(os.environ.get("MASTHEAD_MEMBER_SESSION_DAYS", "90"))
# How long an e-mailed sign-in link works.
MASTHEAD_MEMBER_LINK_MINUTES = int(os.environ.get("MASTHEAD_MEMBER_LINK_MINUTES", "15"))
# Sign-in links asked for per hour: for one address, and from one client.
MASTHEAD_MEMBER_ADDRESS_LIMIT = int(
    os.environ.get("MASTHEAD_MEMBER_ADDRESS_LIMIT", "5")
)
MASTHEAD_MEMBER_CLIENT_LIMIT = int(os.environ.get("MASTHEAD_MEMBER_CLIENT_LIMIT", "20"))
# A sign-in form sent sooner than this after it was shown is a script's.
MASTHEAD_MEMBER_MIN_FORM_SECONDS = float(
    os.environ.get("MASTHEAD_MEMBER_MIN_FORM_SECONDS", "2")
)
# The largest members CSV the admin's "Import members" screen accepts, in MB
# (the command reads any size).
MASTHEAD_MEMBER_IMPORT_MAX_MB = int(
    os.environ.get("MASTHEAD_MEMBER_IMPORT_MAX_MB", "50")
)
# Newsletter sending (#16, newsletters/sending.py): messages per batch task
# (one SMTP connection each; a pause is noticed within 50 messages).
MASTHEAD_NEWSLETTER_BATCH_SIZE = int(
    os.environ.get("MASTHEAD_NEWSLETTER_BATCH_SIZE", "500")
)
# Seconds without a message sent before a send counts as stalled (its worker
# died) and the recurring check queues it again; a starting worker does so
# at once.
MASTHEAD_NEWSLETTER_STALL_SECONDS = int(
    os.environ.get("MASTHEAD_NEWSLETTER_STALL_SECONDS", "300")
)
# Days a newsletter sign-up may wait for its confirmation before the daily
# job erases the member it created (newsletters/services.py). A value below
# the confirmation link's 7 days counts as 7: no working link loses its reader.
MASTHEAD_NEWSLETTER_UNCONFIRMED_DAYS = int(
    os.environ.get("MASTHEAD_NEWSLETTER_UNCONFIRMED_DAYS", "7")
)
# A provider's click tracking (django-anymail back ends only), off by default:
# it rewrites every link through the provider. Open tracking is always off.
MASTHEAD_NEWSLETTER_TRACK_CLICKS = os.environ.get(
    "MASTHEAD_NEWSLETTER_TRACK_CLICKS", "0"
).strip().lower() in {"1", "true", "yes", "on"}

# Paid memberships and payments (#17): settings/memberships.py.
from .memberships import *  # noqa: E402, F403
