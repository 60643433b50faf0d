"""Production: refuses to start without a real secret, or on demo payments
(unless allowed); HTTPS hardening."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool
from .memberships import MASTHEAD_PAYMENT_PROVIDER

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("Set SECRET_KEY in the environment for production.")
# The demo provider gives memberships away: only on purpose (a public demo).
if MASTHEAD_PAYMENT_PROVIDER == "demo" and not env_bool("MASTHEAD_ALLOW_DEMO_PAYMENTS"):
    raise ImproperlyConfigured(
        "MASTHEAD_PAYMENT_PROVIDER is 'demo', which gives memberships away: set "
        "it to 'stripe', or MASTHEAD_ALLOW_DEMO_PAYMENTS=1 for a public demo."
    )

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("MASTHEAD_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("MASTHEAD_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
