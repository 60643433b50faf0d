"""The one-click "no more reply e-mails" link in every reply notice (RFC 8058).

As the newsletters' unsubscribe links (newsletters/links.py, which this
layer may not import): the member's id with an HMAC of it keyed by
``SECRET_KEY``, so the link works without signing in, for as long as the
e-mail is kept, and only for that member. No row per link; rotating the key
retires every old link.
"""

from __future__ import annotations

import hmac

from django.utils.crypto import salted_hmac

# A key salt (salted_hmac), not a secret: the secret is SECRET_KEY.
_SALT = "masthead.comments.stop-replies"
_SIGNATURE_LENGTH = 32


def _sign(value: str) -> str:
    return salted_hmac(_SALT, value, algorithm="sha256").hexdigest()[:_SIGNATURE_LENGTH]


def stop_replies_token(member_id: int) -> str:
    """``<member>-<signature>``: the token of the opt-out link."""
    return f"{member_id}-{_sign(str(member_id))}"


def read_stop_replies_token(token: str) -> int | None:
    """The member id of a valid token, else ``None``."""
    member_id, _, signature = token.partition("-")
    if not member_id.isascii() or not member_id.isdigit() or len(member_id) > 18:
        return None
    # As bytes: compare_digest refuses str with non-ASCII characters.
    if not hmac.compare_digest(signature.encode(), _sign(member_id).encode()):
        return None
    return int(member_id)
