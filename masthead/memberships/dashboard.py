"""The audience dashboard's figures: sign-ups, conversions, churn, donations (#17).

Counted by the database, grouped by day or month in the site's time zone
(``TIME_ZONE``, whatever zone the admin shows its user), a fixed number of
queries whatever the period or the number of members:

- new members: ``Member.created_at``;
- paid conversions and churn: ``MembershipChange`` (billing_history.py) into
  and out of paid access; paying members at any time are the changes into
  paid access before it less those out of it;
- donations: ``Payment`` of kind donation in the site's currency, counted
  unless refunded in full, summed net of refunds, on the day they were paid.

Nothing here identifies a member: the dashboard shows counts only.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDay, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masthead.members.models import Member

from .dashboard_sources import Source, SourceKind, resolve_sources
from .models import (
    MembershipChange,
    MembershipStatus,
    Payment,
    PaymentKind,
    PaymentStatus,
)

INTO_PAID = Q(was_paid=False, paid=True)
OUT_OF_PAID = Q(was_paid=True, paid=False)
# Donations that count: paid, or refunded in part (or in full: net nothing).
DONATION_STATUSES = (
    PaymentStatus.PAID,
    PaymentStatus.PARTLY_REFUNDED,
    PaymentStatus.REFUNDED,
)


class Period(models.TextChoices):
    """The spans the dashboard offers, each with its bucket."""

    DAYS = "30d", _("Last 30 days, by day")
    MONTHS = "12m", _("Last 12 months, by month")


@dataclass(frozen=True)
class Window:
    """A period's buckets and the times they span, ``[start, end)``."""

    period: Period
    tz: tzinfo
    buckets: tuple[date, ...]
    start: datetime
    end: datetime

    @property
    def is_monthly(self) -> bool:
        return self.period == Period.MONTHS

    def truncate(self, field: str) -> TruncDay | TruncMonth:
        """``field`` truncated to the bucket, in the site's time zone."""
        if self.is_monthly:
            return TruncMonth(field, tzinfo=self.tz)
        return TruncDay(field, tzinfo=self.tz)

    def bucket_of(self, truncated: datetime | date) -> date:
        """The bucket a truncated value from the database stands for."""
        if isinstance(truncated, datetime):
            truncated = timezone.localtime(truncated, self.tz).date()
        return truncated


def _midnight(day: date, tz: tzinfo) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), tz)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def window(period: Period, now: datetime | None = None) -> Window:
    """The period ending with today (or this month), in the site's time zone.

    The last 30 days are today and the 29 before it; the last 12 months
    are this month and the 11 before it. Both run to the end of today (of
    this month): the last bucket fills as the day (the month) goes on.
    """
    tz = timezone.get_default_timezone()
    today = timezone.localtime(now or timezone.now(), tz).date()
    if period == Period.MONTHS:
        first = _months_before(today, 11)
        buckets = tuple(_months_before(today, 11 - index) for index in range(12))
        last_day = calendar.monthrange(today.year, today.month)[1]
        after = today.replace(day=last_day) + timedelta(days=1)
    else:
        first = today - timedelta(days=29)
        buckets = tuple(first + timedelta(days=index) for index in range(30))
        after = today + timedelta(days=1)
    return Window(period, tz, buckets, _midnight(first, tz), _midnight(after, tz))


def _by_bucket(
    rows: QuerySet[Any], field: str, span: Window, **aggregates: Any
) -> dict[date, dict[str, int]]:
    """``aggregates`` of the ``rows`` in ``span``, by bucket of ``field``: one query."""
    grouped = (
        rows.filter(**{f"{field}__gte": span.start, f"{field}__lt": span.end})
        .annotate(bucket=span.truncate(field))
        .values("bucket")
        .annotate(**aggregates)
        .order_by("bucket")
    )
    found: dict[date, dict[str, int]] = {}
    for row in grouped:
        counts = {name: int(row[name] or 0) for name in aggregates}
        found[span.bucket_of(row["bucket"])] = counts
    return found


@dataclass(frozen=True)
class Bucket:
    """One day's (or month's) figures."""

    on: date
    sign_ups: int
    conversions: int
    churned: int
    # Of ``churned``: ended by the provider (cancelled, refunded and ended),
    # and the rest, whose payments lapsed past their grace or were suspended.
    ended: int
    lapsed: int
    # Paying members when the bucket began.
    paying: int
    donations: int
    # Net of refunds, in cents of the site's currency.
    donated: int


@dataclass(frozen=True)
class Figures:
    """The period's buckets and totals."""

    span: Window
    buckets: list[Bucket]
    currency: str
    paying_at_start: int
    paying_at_end: int

    def total(self, name: str) -> int:
        return sum(getattr(bucket, name) for bucket in self.buckets)

    @property
    def churn_rate(self) -> float | None:
        """Members who stopped paying in the period, per paying member at its
        start (None when nobody paid then)."""
        if not self.paying_at_start:
            return None
        return self.total("churned") / self.paying_at_start


def paying_at(moment: datetime) -> int:
    """How many members had paid access just before ``moment``: one query."""
    counts = MembershipChange.objects.filter(at__lt=moment).aggregate(
        into=Count("pk", filter=INTO_PAID), out=Count("pk", filter=OUT_OF_PAID)
    )
    return max(0, int(counts["into"]) - int(counts["out"]))


def figures(span: Window) -> Figures:
    """Every series of the dashboard over ``span``: four queries."""
    currency = str(settings.MASTHEAD_CURRENCY).upper()
    sign_ups = _by_bucket(
        Member.objects.all(), "created_at", span, sign_ups=Count("pk")
    )
    changes = _by_bucket(
        MembershipChange.objects.all(),
        "at",
        span,
        conversions=Count("pk", filter=INTO_PAID),
        churned=Count("pk", filter=OUT_OF_PAID),
        ended=Count("pk", filter=OUT_OF_PAID & Q(to_status=MembershipStatus.CANCELED)),
    )
    donations = _by_bucket(
        Payment.objects.filter(
            kind=PaymentKind.DONATION,
            currency=currency,
            status__in=DONATION_STATUSES,
        ),
        "created_at",
        span,
        donations=Count("pk", filter=~Q(status=PaymentStatus.REFUNDED)),
        donated=Sum(F("amount") - F("refunded_amount")),
    )
    paying = start = paying_at(span.start)
    buckets = []
    for on in span.buckets:
        moved = changes.get(on, {})
        given = donations.get(on, {})
        churned = moved.get("churned", 0)
        ended = moved.get("ended", 0)
        buckets.append(
            Bucket(
                on=on,
                sign_ups=sign_ups.get(on, {}).get("sign_ups", 0),
                conversions=moved.get("conversions", 0),
                churned=churned,
                ended=ended,
                lapsed=churned - ended,
                paying=paying,
                donations=given.get("donations", 0),
                donated=given.get("donated", 0),
            )
        )
        paying = max(0, paying + moved.get("conversions", 0) - churned)
    return Figures(span, buckets, currency, start, paying)


# Attribution --------------------------------------------------------------

# Raw sources read per period, most sign-ups (or conversions) first: the
# ranking's tail past these is left out rather than read whole.
SOURCES_READ = 1000
RANKED = 10


@dataclass(frozen=True)
class Ranked:
    """A source and the members it brought in the period."""

    source: Source
    sign_ups: int
    conversions: int


@dataclass(frozen=True)
class Attribution:
    """The sources of the period's sign-ups and paid conversions, ranked."""

    articles_by_sign_ups: list[Ranked]
    articles_by_conversions: list[Ranked]
    newsletters_by_sign_ups: list[Ranked]
    newsletters_by_conversions: list[Ranked]
    others_by_sign_ups: list[Ranked]


def attribution(span: Window) -> Attribution:
    """Which articles, newsletters and other pages brought members in.

    Sign-ups: members who signed up in ``span``, by their source. Paid
    conversions: members whose paid access began in ``span`` (a member
    counted once however often), by the source they signed up from, whenever
    that was. Two queries, then the sources' (dashboard_sources.py).
    """
    joined = (
        Member.objects.filter(created_at__gte=span.start, created_at__lt=span.end)
        .values("source")
        .annotate(count=Count("pk"))
        .order_by("-count", "source")
        .values_list("source", "count")[:SOURCES_READ]
    )
    converted = (
        MembershipChange.objects.filter(
            INTO_PAID, at__gte=span.start, at__lt=span.end, member__isnull=False
        )
        .values("member__source")
        .annotate(count=Count("member", distinct=True))
        .order_by("-count", "member__source")
        .values_list("member__source", "count")[:SOURCES_READ]
    )
    sign_ups, conversions = dict(joined), dict(converted)
    sources = resolve_sources({*sign_ups, *conversions})
    totals: dict[str, list[int]] = {}
    named: dict[str, Source] = {}
    for raw, source in sources.items():
        # Raw sources in order: a newsletter's path is its first edition's.
        named.setdefault(source.key, source)
        counts = totals.setdefault(source.key, [0, 0])
        counts[0] += sign_ups.get(raw, 0)
        counts[1] += conversions.get(raw, 0)
    ranked = [
        Ranked(named[key], sign_up_count, conversion_count)
        for key, (sign_up_count, conversion_count) in totals.items()
    ]

    def top(kind: SourceKind, by: str) -> list[Ranked]:
        rows = [row for row in ranked if row.source.kind == kind and getattr(row, by)]
        rows.sort(key=lambda row: (-getattr(row, by), row.source.label))
        return rows[:RANKED]

    return Attribution(
        articles_by_sign_ups=top(SourceKind.ARTICLE, "sign_ups"),
        articles_by_conversions=top(SourceKind.ARTICLE, "conversions"),
        newsletters_by_sign_ups=top(SourceKind.NEWSLETTER, "sign_ups"),
        newsletters_by_conversions=top(SourceKind.NEWSLETTER, "conversions"),
        others_by_sign_ups=top(SourceKind.OTHER, "sign_ups"),
    )
