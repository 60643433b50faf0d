"""Settings for hung and missing services (issue #13), read by ``base``.

Every network client gives up after a connect and a read timeout, and a
circuit breaker per service (core/breaker.py) skips one that keeps failing:
a hung Redis (it accepts connections and never answers) made every uncached
page take 42 s. docs/settings.md lists every variable.
"""

import os

# Seconds to wait for Redis to accept a connection and to answer a call.
MASTHEAD_REDIS_TIMEOUT = float(os.environ.get("MASTHEAD_REDIS_TIMEOUT", "0.1"))
MASTHEAD_REDIS_CONNECT_TIMEOUT = float(
    os.environ.get("MASTHEAD_REDIS_CONNECT_TIMEOUT", "0.1")
)
# Seconds to wait for a Varnish to accept a BAN and to answer it (the
# defaults of cache/purgers/varnish.py).
MASTHEAD_VARNISH_TIMEOUT = float(os.environ.get("MASTHEAD_VARNISH_TIMEOUT", "2"))
MASTHEAD_VARNISH_CONNECT_TIMEOUT = float(
    os.environ.get("MASTHEAD_VARNISH_CONNECT_TIMEOUT", "0.5")
)
# After this many failures in a row a service (Redis, each Varnish) is skipped
# for the cool-off, in seconds, then tried once.
MASTHEAD_BREAKER_FAILURES = int(os.environ.get("MASTHEAD_BREAKER_FAILURES", "3"))
MASTHEAD_BREAKER_COOLOFF = float(os.environ.get("MASTHEAD_BREAKER_COOLOFF", "5"))
# Seconds a statement of a web process may run on PostgreSQL (core/db.py);
# writes in the admin are exempt. 0: no limit. The connection timeout is
# MASTHEAD_DB_CONNECT_TIMEOUT, set with the database in ``base``.
MASTHEAD_DB_STATEMENT_TIMEOUT = float(
    os.environ.get("MASTHEAD_DB_STATEMENT_TIMEOUT", "10")
)
