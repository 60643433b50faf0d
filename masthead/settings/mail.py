"""Email (#16, docs/email.md): how mail leaves the site, and who it is from.

Django 6.1's ``MAILERS`` (its ``EMAIL_HOST``-style settings are deprecated)
built from ``EMAIL_URL``, which picks the way (SMTP, a provider through
django-anymail, the console, the catcher), and the ``EMAIL_*`` variables,
which set or override SMTP's parts one by one, so a password can live apart
from the URL. With neither ``EMAIL_URL`` nor ``EMAIL_HOST``, every message
goes to the mail catcher, read in the admin: a fresh checkout and the demo
send nothing out and fail nothing (core/email_url.py).
"""

import os
from email.utils import formataddr

from masthead.core.email_url import mailers_from

# Not kept as a setting of its own: it may hold a password, and Django's
# debug page hides only settings named like one (MAILERS' "password" is).
MAILERS = mailers_from(
    os.environ.get("EMAIL_URL", ""),
    {
        "host": os.environ.get("EMAIL_HOST"),
        "port": os.environ.get("EMAIL_PORT"),
        "username": os.environ.get("EMAIL_HOST_USER"),
        "password": os.environ.get("EMAIL_HOST_PASSWORD"),
        "use_tls": os.environ.get("EMAIL_USE_TLS"),
        "use_ssl": os.environ.get("EMAIL_USE_SSL"),
        "timeout": os.environ.get("EMAIL_TIMEOUT"),
    },
    bulk_url=os.environ.get("MASTHEAD_BULK_EMAIL_URL", ""),
)
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL",
    formataddr((os.environ.get("MASTHEAD_SITE_NAME", "Masthead"), "noreply@localhost")),
)
# Error reports to ADMINS come from here.
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Wagtail's review notifications: from the site, with their HTML part.
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# The mail provider's bounce and complaint webhooks, /anymail/<provider>/
# tracking/ (newsletters/webhooks.py, #16): "user:password", the HTTP basic
# auth the provider is given in the webhook's URL. Unset, every webhook is
# refused (403), so no stranger can suppress readers' addresses.
ANYMAIL = {"WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", "")}
# Messages the catcher keeps, newest first; older ones are deleted.
MASTHEAD_EMAIL_CATCHER_KEEP = int(os.environ.get("MASTHEAD_EMAIL_CATCHER_KEEP", "500"))
