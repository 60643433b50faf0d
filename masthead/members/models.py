"""Members: readers with an account, apart from staff users (issue #16).

A member signs up and signs in by a link e-mailed to them (no password);
``SignInToken`` is that link, ``ConsentEvent`` the log of what they agreed to.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalise_email(email: str) -> str:
    """The form of an address that is stored and compared: trimmed, lower case.

    The whole address is folded, local part included: readers type their
    address in any case and expect the same account.
    """
    return email.strip().lower()


def email_digest(email: str) -> str:
    """A keyed hash of ``email`` (normalised): kept where the address may not be.

    Keyed with ``SECRET_KEY``, so a copy of the database alone cannot be
    matched against a list of addresses.
    """
    key = settings.SECRET_KEY.encode()
    message = normalise_email(email).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class MemberStatus(models.TextChoices):
    FREE = "free", _("Free")
    # Paid memberships come with issue #17.


class MemberLabel(models.Model):
    """A label staff put on members ("press", "donor 2026") to find them."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("member label")
        verbose_name_plural = _("member labels")

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(models.QuerySet["Member"]):
    def with_email(self, email: str) -> MemberQuerySet:
        """The member with this address, in any case."""
        return self.filter(email=normalise_email(email))


class Member(models.Model):
    """A reader with an account: signs in by e-mailed link, never a password."""

    email = models.EmailField(
        _("e-mail address"),
        max_length=254,
        unique=True,
        help_text=_("Where sign-in links are sent. Stored in lower case."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MemberStatus.choices,
        default=MemberStatus.FREE,
    )
    created_at = models.DateTimeField(_("signed up"), default=timezone.now)
    last_signed_in_at = models.DateTimeField(_("last signed in"), null=True, blank=True)
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The page or form the reader signed up from."),
    )
    language = models.CharField(
        _("edition"),
        max_length=12,
        help_text=_("The edition they signed up in; their e-mails use its language."),
    )
    labels = models.ManyToManyField(
        MemberLabel,
        verbose_name=_("labels"),
        blank=True,
        related_name="members",
        help_text=_("Labels for finding members again; readers never see them."),
    )
    notes = models.TextField(
        _("notes"),
        blank=True,
        help_text=_(
            "For staff only; readers never see them, but a data download "
            "request may oblige you to show them. Write nothing you would not show."
        ),
    )
    # Bumped by "sign out everywhere": sessions remember the value they
    # were signed in with and end when it no longer matches.
    session_generation = models.PositiveIntegerField(default=0, editable=False)
    # Where an erasure was asked for, set just before deleting (services.py);
    # a deletion without one was made by staff. Not a column.
    erasure_source: str = ""

    objects = MemberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="members_member_email_ci"),
        ]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # Before the form's uniqueness check, which compares the raw value.
        self.email = normalise_email(self.email)

    def label_names(self) -> str:
        """The labels, comma-separated (the admin's CSV export)."""
        return ", ".join(label.name for label in self.labels.all())


class ConsentAction(models.TextChoices):
    GRANTED = "granted", _("granted")
    WITHDRAWN = "withdrawn", _("withdrawn")


class ConsentEvent(models.Model):
    """One consent given or withdrawn: the log kept as proof (GDPR art. 7(1)).

    Erasing a member keeps their events with the member removed and only the
    keyed hash of the address (``email_digest``).
    """

    ACCOUNT = "account"

    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consents",
    )
    email_digest = models.CharField(max_length=64, db_index=True)
    what = models.CharField(
        max_length=100, help_text=_('"account", or later a newsletter.')
    )
    action = models.CharField(max_length=10, choices=ConsentAction.choices)
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.what} {self.action} at {self.at:%Y-%m-%d %H:%M}"


class TokenPurpose(models.TextChoices):
    SIGN_IN = "sign-in", _("sign in")
    SIGN_UP = "sign-up", _("sign up")
    EMAIL_CHANGE = "email-change", _("e-mail change")


class SignInToken(models.Model):
    """An e-mailed link: single use, short-lived, stored only as a hash.

    The raw token is ``HMAC(SECRET_KEY, salt)`` (services.raw_token): neither
    the row nor the task queue holds it, and the mail task derives it again.
    ``nonce_digest`` is the hash of the cookie left in the browser that asked
    for the link, to tell when the link is opened elsewhere.
    """

    token_digest = models.CharField(max_length=64, unique=True)
    salt = models.CharField(max_length=64)
    email = models.EmailField(max_length=254, db_index=True)
    purpose = models.CharField(max_length=20, choices=TokenPurpose.choices)
    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=12)
    nonce_digest = models.CharField(max_length=64, blank=True)
    # What a new member chose on the sign-up form (registry.SignUpOffer keys,
    # e.g. newsletters), taken when the link is used.
    offers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.purpose} link for {self.email}"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    def is_expired(self, now: datetime | None = None) -> bool:
        """Whether the link is past its lifetime (MASTHEAD_MEMBER_LINK_MINUTES)."""
        return (now or timezone.now()) >= self.expires_at
