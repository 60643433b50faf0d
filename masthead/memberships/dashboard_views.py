"""The admin's "Audience" dashboard at /admin/audience/ (#17).

Under Memberships in the menu, for the staff who may see memberships (the
Memberships list's own permission policy, wagtail_hooks.py: members'
viewers and groups given ``memberships.view_membership``). The donations
are shown to those who may also see payments. Counts only, from the
database: no analytics service, no script (docs/memberships.md, "Audience
dashboard").
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.defaults import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet
from wagtail.permissions import policy_registry

from . import dashboard
from .dashboard import Bucket, Figures, Period
from .models import Membership, Payment
from .money import format_money

TEMPLATE = "memberships/admin/dashboard.html"


def may_see(user: Any, model: type[Membership] | type[Payment]) -> bool:
    """Whether ``user`` may see ``model``'s rows in the admin (its policy)."""
    return bool(policy_registry.get_by_type(model).user_has_permission(user, "view"))


def _refused(request: HttpRequest) -> HttpResponseBase | None:
    """A 403 for staff who may not see memberships, else ``None``.

    Returned, not raised: Wagtail turns a raised PermissionDenied into a
    redirect to the admin's home, and a refusal should say so.
    """
    # Case: staff without a view of memberships (the newsroom roles): 403.
    if not may_see(request.user, Membership):
        return permission_denied(request, PermissionDenied())
    # Case: Administrators, members' viewers, memberships' viewers.
    return None


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=Period.choices, initial=Period.DAYS
    )


def _period(request: HttpRequest) -> tuple[PeriodForm, Period | None]:
    """The form, and the period it asks for (None when the choice is bad)."""
    if "period" not in request.GET:
        return PeriodForm(), Period.DAYS
    form = PeriodForm(request.GET)
    if not form.is_valid():
        return form, None
    return form, Period(form.cleaned_data["period"])


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: where it stands and how tall it is, of 100."""

    on: date
    shown: str
    x: int
    y: float
    height: float


@dataclass(frozen=True)
class Chart:
    """A series drawn as bars (the template's SVG), with what a reader is told."""

    bars: list[Bar]
    total: str
    peak: Bar | None
    width: int


# Each bar takes this many units of the chart's width, its gap included.
BAR_STEP = 10


def _chart(key: str, figures: Figures, shown: Callable[[int], str]) -> Chart:
    values = [getattr(bucket, key) for bucket in figures.buckets]
    top = max(values, default=0)
    bars = []
    for index, (bucket, value) in enumerate(zip(figures.buckets, values, strict=True)):
        height = round(100 * value / top, 1) if top else 0.0
        bars.append(
            Bar(bucket.on, shown(value), index * BAR_STEP, 100 - height, height)
        )
    peak = bars[values.index(top)] if top else None
    return Chart(bars, shown(figures.total(key)), peak, len(bars) * BAR_STEP)


def _context(figures: Figures, with_donations: bool) -> dict[str, Any]:
    """The template's plain context: charts, rows and totals, formatted."""

    def money(cents: int) -> str:
        return format_money(cents, figures.currency)

    rate = figures.churn_rate
    return {
        "span": figures.span,
        "date_format": "F Y" if figures.span.is_monthly else "j M Y",
        "rows": [
            {**asdict(bucket), "donated": money(bucket.donated)}
            for bucket in figures.buckets
        ],
        "paying_at_start": figures.paying_at_start,
        "paying_at_end": figures.paying_at_end,
        "churn_rate": None if rate is None else round(100 * rate, 1),
        "sign_ups": _chart("sign_ups", figures, str),
        "conversions": _chart("conversions", figures, str),
        "churned": _chart("churned", figures, str),
        "donated": _chart("donated", figures, money) if with_donations else None,
        "donation_count": figures.total("donations"),
    }


def dashboard_view(request: HttpRequest) -> HttpResponseBase:
    """The period's series, their charts and tables, and where members came from."""
    if refused := _refused(request):
        return refused
    form, period = _period(request)
    time_zone = timezone.get_default_timezone_name()
    if period is None:
        # Case: a period not offered: the form again, with its error.
        context = {"form": form, "time_zone": time_zone}
        return TemplateResponse(request, TEMPLATE, context, status=400)
    span = dashboard.window(period)
    with_donations = may_see(request.user, Payment)
    context = {
        "form": form,
        "time_zone": time_zone,
        "period": period,
        "with_donations": with_donations,
        "attribution": dashboard.attribution(span),
        **_context(dashboard.figures(span), with_donations),
    }
    return TemplateResponse(request, TEMPLATE, context)


CSV_COLUMNS = (
    "period_start",
    "sign_ups",
    "paid_conversions",
    "churned",
    "paying_at_start",
)
# Only for those who may see payments.
CSV_DONATIONS = ("donations", "donated", "currency")


def _csv_row(bucket: Bucket, currency: str, with_donations: bool) -> list[str]:
    counts = (bucket.sign_ups, bucket.conversions, bucket.churned, bucket.paying)
    row = [bucket.on.isoformat(), *map(str, counts)]
    if with_donations:
        units, cents = divmod(bucket.donated, 100)
        row += [str(bucket.donations), f"{units}.{cents:02d}", currency]
    return row


def series_csv_view(request: HttpRequest) -> HttpResponseBase:
    """The dashboard's series as CSV, one line a day (or month)."""
    if refused := _refused(request):
        return refused
    _form, period = _period(request)
    if period is None:
        return HttpResponse(status=400)
    span = dashboard.window(period)
    figures = dashboard.figures(span)
    with_donations = may_see(request.user, Payment)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"audience-{period.value}-{span.buckets[-1].isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow([*CSV_COLUMNS, *(CSV_DONATIONS if with_donations else ())])
    for bucket in figures.buckets:
        writer.writerow(_csv_row(bucket, figures.currency, with_donations))
    return response


class AudienceMenuItem(MenuItem):
    """Shown to those the dashboard would not refuse."""

    def is_shown(self, request: HttpRequest) -> bool:
        return may_see(request.user, Membership)


class AudienceViewSet(ViewSet):
    """The dashboard's URLs and its entry in the Memberships menu."""

    name = "audience"
    icon = "group"
    menu_label = gettext_lazy("Audience")
    menu_item_class = AudienceMenuItem

    def get_urlpatterns(self) -> list[URLPattern]:
        return [
            path("", dashboard_view, name="dashboard"),
            path("series.csv", series_csv_view, name="series"),
        ]
