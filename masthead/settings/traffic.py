"""Settings for floods and fairness (issue #13), read by ``base``.

Who is asking (behind which proxies), how often staff may fail to sign in,
how many renders of uncached pages run at once, how long a 404 is kept and
how often the view beacon counts. docs/settings.md lists every variable.
"""

import os

# Who is asking (core/clients.py): X-Forwarded-For is read only from these
# peers (addresses or CIDRs: Varnish, a CDN's ranges), right to left.
# Loopback by default: Varnish on the same machine, as `make scaleout` runs
# it, appends the reader's address, and no remote client connects from there.
MASTHEAD_TRUSTED_PROXIES = [
    entry.strip()
    for entry in os.environ.get("MASTHEAD_TRUSTED_PROXIES", "127.0.0.0/8,::1").split(
        ","
    )
    if entry.strip()
]

# Staff sign-in (newsroom/signin.py): failures are counted per user name and
# client (5), per client across user names, and per account across clients
# without a device cookie; past a limit attempts are refused for 15 minutes
# and every failure is logged.
AXES_FAILURE_LIMIT = int(os.environ.get("MASTHEAD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("MASTHEAD_LOGIN_COOLOFF_HOURS", "0.25"))
MASTHEAD_LOGIN_CLIENT_FAILURE_LIMIT = int(
    os.environ.get("MASTHEAD_LOGIN_CLIENT_FAILURE_LIMIT", "20")
)
MASTHEAD_LOGIN_ACCOUNT_FAILURE_LIMIT = int(
    os.environ.get("MASTHEAD_LOGIN_ACCOUNT_FAILURE_LIMIT", "10")
)
MASTHEAD_LOGIN_DEVICE_DAYS = int(os.environ.get("MASTHEAD_LOGIN_DEVICE_DAYS", "180"))
AXES_LOCKOUT_PARAMETERS = "masthead.newsroom.signin.lockout_parameters"
AXES_HANDLER = "masthead.newsroom.signin.SignInHandler"
AXES_CLIENT_IP_CALLABLE = "masthead.core.clients.axes_client_address"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True

# A 404 asked for twice is kept this long (cache/missing.py); a publish
# purges it sooner.
MASTHEAD_PAGE_CACHE_404_TTL = int(os.environ.get("MASTHEAD_PAGE_CACHE_404_TTL", "30"))
# Renders of pages the cache cannot answer, at once per process and per
# client (cache/gate.py); the rest are refused with 503 so cached pages keep
# a thread. By default half of granian's threads (`masthead serve` passes
# MASTHEAD_THREADS). No share per client by default: clients behind one
# address (Varnish's background fetches, probes, an office or carrier NAT)
# collided on a share of one and got 503 for ordinary traffic.
MASTHEAD_THREADS = int(os.environ.get("MASTHEAD_THREADS", "4"))
MASTHEAD_RENDER_SLOTS = int(os.environ.get("MASTHEAD_RENDER_SLOTS", "0")) or max(
    1, MASTHEAD_THREADS // 2
)
MASTHEAD_RENDER_SLOTS_PER_CLIENT = int(
    os.environ.get("MASTHEAD_RENDER_SLOTS_PER_CLIENT", "0")
)

# The view beacon's limits per minute (analytics/views.py): POSTs from one
# client, and views one client counts for one article. Past them the beacon
# answers 429 without touching the database.
MASTHEAD_BEACON_CLIENT_LIMIT = int(os.environ.get("MASTHEAD_BEACON_CLIENT_LIMIT", "60"))
MASTHEAD_BEACON_ARTICLE_LIMIT = int(
    os.environ.get("MASTHEAD_BEACON_ARTICLE_LIMIT", "10")
)
# How old a view beacon's page-load token may be, in hours (analytics/views.py,
# #14). Pages are cached, so the token is as old as the cached copy.
MASTHEAD_BEACON_TOKEN_HOURS = int(os.environ.get("MASTHEAD_BEACON_TOKEN_HOURS", "6"))
