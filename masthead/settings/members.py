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
