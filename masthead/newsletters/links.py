"""Signed per-recipient links in every newsletter e-mail (#16, RFC 8058).

An unsubscribe or manage-preferences link must work without signing in, from
any device, for as long as the e-mail sits in an inbox, and must not let
anyone change someone else's subscriptions. It carries the member's id (and
the newsletter's) with an HMAC of them keyed by ``SECRET_KEY``: no row per
link, so a send to 100,000 members writes no tokens, and rotating the key
retires every old link at once.
"""

from __future__ import annotations

import hmac
import time

from django.utils.crypto import salted_hmac

# Key salts (salted_hmac), not secrets: the secret is SECRET_KEY.
_UNSUBSCRIBE_SALT = "masthead.newsletters.unsubscribe"
_PREFERENCES_SALT = "masthead.newsletters.preferences"
_SIGNATURE_LENGTH = 32


def _sign(salt: str, value: str) -> str:
    return salted_hmac(salt, value, algorithm="sha256").hexdigest()[:_SIGNATURE_LENGTH]


def unsubscribe_token(member_id: int, newsletter_id: int) -> str:
    """``<member>-<newsletter>-<signature>``: the one-click unsubscribe token."""
    value = f"{member_id}-{newsletter_id}"
    return f"{value}-{_sign(_UNSUBSCRIBE_SALT, value)}"


def read_unsubscribe_token(token: str) -> tuple[int, int] | None:
    """``(member_id, newsletter_id)`` of a valid token, else ``None``."""
    parts = token.split("-")
    if len(parts) != 3 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    value = f"{parts[0]}-{parts[1]}"
    if not hmac.compare_digest(parts[2], _sign(_UNSUBSCRIBE_SALT, value)):
        return None
    return int(parts[0]), int(parts[1])


def preferences_token(member_id: int) -> str:
    """``<member>-<signature>``: the manage-preferences token."""
    value = str(member_id)
    return f"{value}-{_sign(_PREFERENCES_SALT, value)}"


def read_preferences_token(token: str) -> int | None:
    """The member id of a valid preferences token, else ``None``."""
    parts = token.split("-")
    if len(parts) != 2 or not parts[0].isdigit():
        return None
    if not hmac.compare_digest(parts[1], _sign(_PREFERENCES_SALT, parts[0])):
        return None
    return int(parts[0])


# The double opt-in link (#16): a week, then the reader signs up again. The
# time is in the token, so an old link needs no row to expire.
_CONFIRM_SALT = "masthead.newsletters.confirm"
CONFIRM_SECONDS = 7 * 86400


def confirm_token(member_id: int, newsletter_id: int, now: float | None = None) -> str:
    """``<member>-<newsletter>-<time>-<signature>``: the sign-up confirmation token."""
    stamp = int(time.time() if now is None else now)
    value = f"{member_id}-{newsletter_id}-{stamp}"
    return f"{value}-{_sign(_CONFIRM_SALT, value)}"


def read_confirm_token(token: str, now: float | None = None) -> tuple[int, int] | None:
    """``(member_id, newsletter_id)`` of a valid, unexpired token, else ``None``."""
    parts = token.split("-")
    if len(parts) != 4 or not all(part.isdigit() for part in parts[:3]):
        return None
    value = "-".join(parts[:3])
    if not hmac.compare_digest(parts[3], _sign(_CONFIRM_SALT, value)):
        return None
    age = (time.time() if now is None else now) - int(parts[2])
    if not 0 <= age <= CONFIRM_SECONDS:
        return None
    return int(parts[0]), int(parts[1])
