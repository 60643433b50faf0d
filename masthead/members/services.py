"""Writes for members: sign-in links, accounts, consents, erasure (issue #16).

Each service runs in one transaction; e-mails are enqueued after commit
(``tasks.send_link``), so a rolled-back request sends nothing.
"""

from __future__ import annotations

import enum
import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from . import registry
from .models import (
    ConsentAction,
    ConsentEvent,
    Member,
    SignInToken,
    TokenPurpose,
    email_digest,
    normalise_email,
)

# A key salt (salted_hmac), not a secret: the secret is SECRET_KEY.
_TOKEN_SALT = "masthead.members.token"  # noqa: S105


def digest(value: str) -> str:
    """SHA-256 of ``value`` in hex: what is stored of tokens and nonces."""
    return hashlib.sha256(value.encode()).hexdigest()


def raw_token(token: SignInToken) -> str:
    """The token that goes in the e-mailed link, derived from the row's salt.

    Derived with ``SECRET_KEY``, so the database (and the task queue, which
    gets only the row's id) never holds a usable link.
    """
    return salted_hmac(_TOKEN_SALT, token.salt, algorithm="sha256").hexdigest()


def new_nonce() -> str:
    """A browser-binding value for the cookie left by the sign-in form."""
    return secrets.token_urlsafe(24)


def _issue(
    *,
    email: str,
    purpose: str,
    language: str,
    nonce: str,
    member: Member | None = None,
    name: str = "",
    source: str = "",
    offers: list[str] | None = None,
) -> SignInToken:
    now = timezone.now()
    token = SignInToken(
        salt=secrets.token_hex(16),
        email=email,
        purpose=purpose,
        member=member,
        name=name[:200],
        source=source[:200],
        language=language,
        nonce_digest=digest(nonce) if nonce else "",
        offers=offers or [],
        created_at=now,
        expires_at=now + timedelta(minutes=settings.MASTHEAD_MEMBER_LINK_MINUTES),
    )
    token.token_digest = digest(raw_token(token))
    token.save()
    token_id = token.pk

    def send() -> None:
        from .tasks import send_link

        send_link.enqueue(token_id)

    transaction.on_commit(send)
    return token


@transaction.atomic
def request_sign_in(
    email: str,
    *,
    language: str,
    nonce: str,
    name: str = "",
    source: str = "",
    offers: list[str] | None = None,
) -> SignInToken:
    """E-mail a sign-in link, or a sign-up link to an address with no account.

    The caller answers the same either way: whether an address is registered
    is never revealed. The member is created only when the link is used, so
    an address nobody confirmed leaves no account. ``offers`` (the sign-up
    form's choices, registry.py) are taken for a new member only: a member
    signing in keeps the subscriptions they have.
    """
    email = normalise_email(email)
    member = Member.objects.with_email(email).first()
    purpose = TokenPurpose.SIGN_IN if member else TokenPurpose.SIGN_UP
    return _issue(
        email=email,
        purpose=purpose,
        language=member.language if member else language,
        nonce=nonce,
        member=member,
        name=name,
        source=source,
        offers=None if member else offers,
    )


@transaction.atomic
def request_email_change(
    member: Member, new_email: str, *, nonce: str
) -> SignInToken | None:
    """E-mail a confirmation link to ``new_email``; None if it is taken.

    Nothing is sent to an address another member has: the caller's answer
    is the same, so this does not reveal it either.
    """
    new_email = normalise_email(new_email)
    if new_email == member.email or Member.objects.with_email(new_email).exists():
        return None
    return _issue(
        email=new_email,
        purpose=TokenPurpose.EMAIL_CHANGE,
        # The member's edition, as for all their mail.
        language=member.language,
        nonce=nonce,
        member=member,
    )


class LinkProblem(enum.Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"
    TAKEN = "taken"


def find_token(raw: str) -> SignInToken | LinkProblem:
    """The token of an e-mailed link, or why it cannot be used. Writes nothing."""
    token = SignInToken.objects.filter(token_digest=digest(raw)).first()
    if token is None:
        return LinkProblem.INVALID
    if token.is_used:
        return LinkProblem.USED
    if token.is_expired():
        return LinkProblem.EXPIRED
    return token


def nonce_matches(token: SignInToken, nonce: str | None) -> bool:
    """Whether the link is opened in the browser that asked for it."""
    return bool(nonce and token.nonce_digest) and secrets.compare_digest(
        digest(nonce or ""), token.nonce_digest
    )


@transaction.atomic
def use_token(raw: str) -> Member | LinkProblem:
    """Use an e-mailed link once: sign in, sign up, or change the address.

    Returns:
        The member to sign in, or the problem with the link.
    """
    found = find_token(raw)
    if isinstance(found, LinkProblem):
        return found
    now = timezone.now()
    # Single use even when two requests race: only one update matches.
    claimed = SignInToken.objects.filter(pk=found.pk, used_at__isnull=True).update(
        used_at=now
    )
    if not claimed:
        return LinkProblem.USED
    if found.purpose == TokenPurpose.EMAIL_CHANGE:
        return _change_email(found)
    member = Member.objects.with_email(found.email).first()
    if member is None:
        member = Member.objects.create(
            email=found.email,
            name=found.name,
            source=found.source,
            language=found.language,
            created_at=now,
        )
        record_consent(
            member, ConsentEvent.ACCOUNT, ConsentAction.GRANTED, found.source
        )
        registry.accept_sign_up_offers(member, list(found.offers), found.source)
    Member.objects.filter(pk=member.pk).update(last_signed_in_at=now)
    return member


def _change_email(token: SignInToken) -> Member | LinkProblem:
    member = token.member
    if member is None:
        return LinkProblem.INVALID
    try:
        with transaction.atomic():
            member.email = token.email
            member.save(update_fields=["email"])
    except IntegrityError:
        # Case: another account took the address after the link was sent.
        return LinkProblem.TAKEN
    return member


def record_consent(member: Member, what: str, action: str, source: str = "") -> None:
    """Log one consent given or withdrawn (the proof kept after erasure)."""
    ConsentEvent.objects.create(
        member=member,
        email_digest=email_digest(member.email),
        what=what,
        action=action,
        source=source[:200],
    )


def sign_out_everywhere(member: Member) -> None:
    """End every session of ``member``, on every device, this one included."""
    Member.objects.filter(pk=member.pk).update(
        session_generation=F("session_generation") + 1
    )


def export_data(member: Member) -> dict[str, Any]:
    """Everything kept about ``member``, for "download my data" (GDPR art. 15, 20).

    Apps above members add their part through ``registry.register_export``
    (newsletters: the subscriptions).
    """
    return {
        "member": {
            "email": member.email,
            "name": member.name,
            "status": member.status,
            "created_at": member.created_at.isoformat(),
            "last_signed_in_at": (
                member.last_signed_in_at.isoformat()
                if member.last_signed_in_at
                else None
            ),
            "source": member.source,
            "edition": member.language,
            "labels": [label.name for label in member.labels.all()],
            "notes": member.notes,
        },
        "consents": [
            {
                "what": event.what,
                "action": event.action,
                "at": event.at.isoformat(),
                "source": event.source,
            }
            for event in member.consents.all()
        ],
        # What other apps keep about the member (registry.py): newsletters.
        **{key: export(member) for key, export in registry.exports().items()},
    }


@transaction.atomic
def erase_member(member: Member, source: str = "") -> None:
    """Delete ``member`` and their pending links (GDPR art. 17).

    Kept: the consent log, without the member and with only the keyed hash
    of the address, as proof of what was agreed and when, and the
    withdrawal recorded now (``record_erasure``, run for every deletion by
    signals.py, from the account page, the admin or its bulk actions).
    """
    member.erasure_source = source
    member.delete()


def record_erasure(member: Member) -> None:
    """Before ``member`` is deleted: log the withdrawal, drop pending links."""
    source = getattr(member, "erasure_source", "") or "deleted by staff"
    record_consent(member, ConsentEvent.ACCOUNT, ConsentAction.WITHDRAWN, source)
    SignInToken.objects.filter(email=member.email).delete()
    SignInToken.objects.filter(member=member).delete()
