"""Tiers, each member's membership, payments and the providers' events (#17).

A ``Tier`` is what a reader can join: free, or paid by the month or the
year. A member has at most one ``Membership``: the tier, its state and the
payment provider's ids; the provider is the source of truth and tells
Masthead through signed webhooks, each kept once as a ``ProviderEvent`` (the
same event twice changes nothing). A membership remembers the provider's
time of the event that last set its state (``state_at``), so an event that
arrives late never undoes a newer one, and each change of its status, tier
or paid access is appended to ``MembershipChange``, its history (the audience
dashboard's conversions and churn). ``Payment`` is the receipt of one
charge, refund or donation; it outlives the member's erasure (book-keeping
law) with only the keyed hash of the address. No card data is ever here.
"""

from __future__ import annotations

import calendar
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


def add_interval(start: datetime, interval: str) -> datetime:
    """``start`` plus one month, or one year for ``"year"``.

    A day the later month lacks becomes its last (31 January: 28 February).
    """
    months = 12 if interval == Interval.YEAR else 1
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


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
        pgettext_lazy("tier", "public"),
        default=True,
        help_text=_("Listed on /membership/."),
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


# ``Membership.provider`` of a redeemed gift (gifts.py): no provider, no renewal.
GIFT_PROVIDER = "gift"
# The demo provider's (providers/demo.py): no money moved, so its memberships
# give access only on a site that still uses it.
DEMO_PROVIDER = "demo"


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
        now = now or timezone.now()
        demo_over = settings.MASTHEAD_PAYMENT_PROVIDER != DEMO_PROVIDER
        if self.provider == DEMO_PROVIDER and demo_over:
            # Nobody paid for it: left over from trying the demo out.
            return False
        if self.provider == GIFT_PROVIDER:
            # A gift has no provider to say it ended: its paid time is all.
            return bool(
                self.status == MembershipStatus.ACTIVE
                and self.current_period_end is not None
                and self.current_period_end > now
            )
        if self.status == MembershipStatus.ACTIVE:
            return True
        return bool(
            self.status == MembershipStatus.PAST_DUE
            and self.grace_until is not None
            and self.grace_until > now
        )


class MembershipChange(models.Model):
    """One change of a membership's status, tier or paid access: its history.

    Append-only, written by billing (billing_history.py) in the transaction
    of the change, and read by the audience dashboard (conversions, churn).
    Nothing personal: erasing the member sets ``member`` to null and the row
    stays, an anonymous count.
    """

    member = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    from_status = models.CharField(
        max_length=12, choices=MembershipStatus.choices, blank=True
    )
    to_status = models.CharField(max_length=12, choices=MembershipStatus.choices)
    from_tier = models.ForeignKey(
        Tier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tier = models.ForeignKey(
        Tier, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Paid access before and after (billing_history.gives_paid_access): a
    # conversion is False to True, churn True to False.
    was_paid = models.BooleanField(default=False)
    paid = models.BooleanField(default=False)
    # The provider's time of the event that made the change.
    at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("membership change")
        verbose_name_plural = _("membership changes")

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status} at {self.at:%Y-%m-%d}"


class PaymentKind(models.TextChoices):
    MEMBERSHIP = "membership", _("membership")
    DONATION = "donation", _("donation")
    GIFT = "gift", _("gift")


class PaymentStatus(models.TextChoices):
    PAID = "paid", _("paid")
    FAILED = "failed", pgettext_lazy("payment", "failed")
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
    # The subscription a renewal or a monthly donation belongs to, if any.
    provider_subscription_id = models.CharField(max_length=255, blank=True)
    # The provider's customer who paid, when the provider names one: the
    # portal of a monthly donation with no membership, and the customer a
    # later checkout reuses (one customer per member at the provider).
    provider_customer_id = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    # Receipts sent (tasks.py): the payment's once, then each new refund's.
    receipt_sent_at = models.DateTimeField(_("receipt sent"), null=True, blank=True)
    refund_receipt_amount = models.PositiveIntegerField(
        _("refund receipted (cents)"), default=0
    )

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
    # What it did (billing.Outcome): "applied", "stale", "ignored".
    outcome = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="memberships_event_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.kind} {self.event_id}"


class GiftStatus(models.TextChoices):
    # The buyer is at the provider's checkout.
    PENDING = "pending", _("waiting for payment")
    PAID = "paid", _("paid, not yet redeemed")
    REDEEMED = "redeemed", _("redeemed")
    # Refunded before it was redeemed: the link no longer works.
    VOID = "void", _("refunded")


class Gift(models.Model):
    """A membership bought for someone else, redeemed once by an e-mailed link.

    The link (gifts.redeem_token) is signed, not stored. Redeeming gives the
    member a ``Membership`` of ``tier`` for one ``interval``, with no renewal.
    """

    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="+")
    # How long the gift lasts: one month or one year.
    interval = models.CharField(_("length"), max_length=5, choices=Interval.choices)
    buyer = models.ForeignKey(
        Member,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gifts_bought",
    )
    # Where the link goes; empty: to the buyer, who passes it on.
    recipient_email = models.EmailField(_("for"), blank=True)
    # The edition of the buyer's checkout: the e-mail's language.
    language = models.CharField(max_length=12)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GiftStatus.choices,
        default=GiftStatus.PENDING,
    )
    payment = models.OneToOneField(
        Payment, on_delete=models.SET_NULL, null=True, blank=True, related_name="gift"
    )
    created_at = models.DateTimeField(_("bought"), default=timezone.now)
    sent_at = models.DateTimeField(_("link sent"), null=True, blank=True)
    redeemed_at = models.DateTimeField(_("redeemed"), null=True, blank=True)
    redeemed_by = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("gift")
        verbose_name_plural = _("gifts")

    def __str__(self) -> str:
        return f"{self.tier} ({self.interval}) – {self.status}"
