"""Settings of paid memberships and payments (issue #17, docs/memberships.md).

Read by ``members``, which ``base`` reads.
"""

import os

# The currency of tiers and donations (ISO 4217, as the provider takes it).
MASTHEAD_CURRENCY = os.environ.get("MASTHEAD_CURRENCY", "EUR").upper()
# Who takes payments: "demo" (no money moves; the default for a checkout and
# `make demo`) or "stripe" (needs the two STRIPE_* keys below).
MASTHEAD_PAYMENT_PROVIDER = os.environ.get("MASTHEAD_PAYMENT_PROVIDER", "demo")
# Stripe's secret API key and the signing secret of the webhook endpoint
# /membership/webhooks/stripe/ (Dashboard → Developers → Webhooks).
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Days a member keeps access after a renewal fails, while the provider retries.
MASTHEAD_PAYMENT_GRACE_DAYS = int(os.environ.get("MASTHEAD_PAYMENT_GRACE_DAYS", "7"))
# Gated articles (docs/memberships.md "Gated articles"): the browser's signed
# access pass, read by the page cache to pick a page's variant without a
# query, and the most days one pass lasts before the account pages renew it.
MASTHEAD_ACCESS_COOKIE = os.environ.get("MASTHEAD_ACCESS_COOKIE", "masthead_access")
MASTHEAD_ACCESS_DAYS = int(os.environ.get("MASTHEAD_ACCESS_DAYS", "7"))
