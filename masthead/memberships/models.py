"""Tiers, each member's membership, payments and the providers' events (#17).

A ``Tier`` is what a reader can join: free, or paid by the month or the
year. A member has at most one ``Membership``: the tier, its state and the
payment provider's ids; the provider is the source of truth and tells
Masthead through signed webhooks, each kept once as a ``ProviderEvent`` (the
same event twice changes nothing). A membership remembers the provider's
time of the event that last set its state (``state_at``), so an event that
arrives late never undoes a newer one. ``Payment`` is the receipt of one
charge, refund or donation; it outlives the member's erasure (book-keeping
law) with only the keyed hash of the address. No card data is ever here.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from masthead.members.models import Member


class Interval(models.TextChoices):
    MONTH = "month", _("monthly")
    YEAR = "year", _("yearly")


class Tier(models.Model):
    """A level of membership, with its prices and benefits."""

    name = models.CharField(pgettext_lazy("tier", "name"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    benefits = models.TextField(
        _("benefits"), blank=True, help_text=_("One benefit a line.")
    )
    # Prices in the currency's smallest unit (cents); none for a free tier.
    monthly_price = models.PositiveIntegerField(
        _("monthly price (cents)"), null=True, blank=True
    )
    yearly_price = models.PositiveIntegerField(
        _("yearly price (cents)"), null=True, blank=True
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=settings.MASTHEAD_CURRENCY
    )
    # The provider's price ids: {"stripe": {"month": "price_…", "year": "…"}}.
    provider_prices = models.JSONField(_("provider prices"), default=dict, blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("Listed on /membership/.")
    )
    sort_order = models.IntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return self.monthly_price is None and self.yearly_price is None

    def price(self, interval: str) -> int | None:
        """The price for ``interval`` ("month" or "year"), in cents."""
        return self.monthly_price if interval == Interval.MONTH else self.yearly_price

    def benefit_lines(self) -> list[str]:
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    # A renewal failed: access continues until ``grace_until``.
    PAST_DUE = "past_due", _("payment due")
    CANCELED = "canceled", _("ended")


class Membership(models.Model):
    """A member's paid (or gifted) membership and its state at the provider."""

    member = models.OneToOneField(
        Member, on_delete=models.CASCADE, related_name="membership"
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    interval = models.CharField(
        _("billed"), max_length=5, choices=Interval.choices, blank=True
    )
    provider = models.CharField(_("provider"), max_length=20, blank=True)
    provider_customer_id = models.CharField(max_length=255, blank=True)
    provider_subscription_id = models.CharField(max_length=255, blank=True)
    current_period_end = models.DateTimeField(_("paid until"), null=True, blank=True)
    cancel_at_period_end = models.BooleanField(_("ends at period end"), default=False)
    grace_until = models.DateTimeField(_("grace until"), null=True, blank=True)
    # The provider's time of the event that set this state (ordering).
    state_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("since"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_subscription_id"],
                condition=~models.Q(provider_subscription_id=""),
                name="memberships_one_per_provider_subscription",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.tier} ({self.status})"

    def gives_access(self, now: datetime | None = None) -> bool:
        """Whether the member reads as a paid member of ``tier`` now."""
        if self.status == MembershipStatus.ACTIVE:
            return True
        now = now or timezone.now()
        return bool(
            self.status == MembershipStatus.PAST_DUE
            and self.grace_until is not None
            and self.grace_until > now
        )


class PaymentKind(models.TextChoices):
    MEMBERSHIP = "membership", _("membership")
    DONATION = "donation", _("donation")
    GIFT = "gift", _("gift")


class PaymentStatus(models.TextChoices):
    PAID = "paid", _("paid")
    FAILED = "failed", _("failed")
    REFUNDED = "refunded", _("refunded")
    PARTLY_REFUNDED = "partly_refunded", _("partly refunded")


class Payment(models.Model):
    """One charge at the provider: a membership's renewal, a donation, a gift."""

    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
    )
    # Kept when the member is erased: whose payment it was, without the address.
    email_digest = models.CharField(max_length=64, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PaymentKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=PaymentStatus.choices)
    amount = models.PositiveIntegerField(_("amount (cents)"))
    refunded_amount = models.PositiveIntegerField(_("refunded (cents)"), default=0)
    currency = models.CharField(_("currency"), max_length=3)
    description = models.CharField(_("description"), max_length=255, blank=True)
    provider = models.CharField(_("provider"), max_length=20)
    provider_payment_id = models.CharField(max_length=255)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"],
                name="memberships_one_row_per_provider_payment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount / 100:.2f} {self.currency} ({self.status})"


class ProviderEvent(models.Model):
    """A webhook event, kept once: a replay or a retry is recognised here."""

    provider = models.CharField(max_length=20)
    event_id = models.CharField(max_length=255)
    kind = models.CharField(max_length=100)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="memberships_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.kind} {self.event_id}"
