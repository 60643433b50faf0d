"""The webhook signature, in Stripe's scheme (docs/webhooks.md).

``X-Masthead-Signature: t=<unix time>,v1=<hex HMAC-SHA256>``, the HMAC of
``"<t>.<body>"`` under the webhook's secret. The time is signed with the
body so a captured request cannot be replayed later: receivers compare it
with their clock (five minutes' tolerance is usual).
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Masthead-Signature"
EVENT_HEADER = "X-Masthead-Event"
DELIVERY_HEADER = "X-Masthead-Delivery"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``"<timestamp>.<body>"`` under ``secret``."""
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``X-Masthead-Signature`` value for ``body`` sent now."""
    t = int(time.time()) if timestamp is None else timestamp
    return f"t={t},v1={signature(secret, t, body)}"


def verify(
    secret: str,
    header: str,
    body: bytes,
    *,
    tolerance: int = 300,
    now: int | None = None,
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` within ``tolerance`` s.

    What a receiver does; kept here for the tests and the documentation.
    """
    fields: dict[str, list[str]] = {}
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        fields.setdefault(key, []).append(value)
    try:
        t = int(fields["t"][0])
    except (KeyError, ValueError):
        return False
    if abs((int(time.time()) if now is None else now) - t) > tolerance:
        return False
    expected = signature(secret, t, body)
    return any(hmac.compare_digest(expected, v) for v in fields.get("v1", []))
