"""The forms of joining, donating, giving and the demo portal (#17).

Amounts are whole cents throughout; a reader types a donation in the
currency's units ("12", "12.50" or "12,50").
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Interval, Tier
from .money import format_money

# The donation form's ready amounts, in cents, and its bounds: less than
# one unit costs more in fees than it gives; more than 10,000 is better
# arranged with the publisher than typed into a form.
DONATION_PRESETS = (500, 1000, 2500, 5000)
MIN_DONATION = 100
MAX_DONATION = 1_000_000
OTHER = "other"
# "12", "12.5", "12,50", "1 000": up to seven digits and two decimals.
_AMOUNT = re.compile(r"^(\d{1,7})(?:[.,](\d{1,2}))?$")


def priced_intervals(tier: Tier) -> list[tuple[str, int]]:
    """``(interval, cents)`` of each interval ``tier`` has a price for."""
    return [
        (interval, cents)
        for interval in (Interval.MONTH, Interval.YEAR)
        if (cents := tier.price(interval)) is not None
    ]


def _priced_choices(tier: Tier, labels: dict[str, Any]) -> list[tuple[str, str]]:
    """A choice per interval ``tier`` has a price for, the price in its label."""
    return [
        (interval, labels[interval] % {"amount": format_money(cents, tier.currency)})
        for interval, cents in priced_intervals(tier)
    ]


def _radio(label: Any, choices: list[tuple[str, Any]]) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect)


class JoinForm(forms.Form):
    """Monthly or yearly, for a paid tier."""

    def __init__(self, *args: Any, tier: Tier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels: dict[str, Any] = {
            Interval.MONTH: _("Monthly: %(amount)s a month"),
            Interval.YEAR: _("Yearly: %(amount)s a year"),
        }
        choices = _priced_choices(tier, labels)
        self.fields["interval"] = _radio(_("How would you like to pay?"), choices)
        if choices:
            self.fields["interval"].initial = choices[0][0]


class GiftForm(forms.Form):
    """How long a gift lasts, and who it is for."""

    recipient_email = forms.EmailField(
        label=_("Their e-mail address"),
        required=False,
        max_length=254,
        help_text=_("Leave it empty to get the gift's link yourself and pass it on."),
    )

    def __init__(self, *args: Any, tier: Tier, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels: dict[str, Any] = {
            Interval.MONTH: _("One month: %(amount)s"),
            Interval.YEAR: _("One year: %(amount)s"),
        }
        choices = _priced_choices(tier, labels)
        self.fields["interval"] = _radio(_("How long?"), choices)
        if choices:
            self.fields["interval"].initial = choices[-1][0]
        self.order_fields(["interval", "recipient_email"])


def parse_amount(text: str) -> int | None:
    """Cents of an amount typed in units ("12,50" is 1250), else None."""
    match = _AMOUNT.match(text.strip().replace(" ", "").replace("\u00a0", ""))
    if match is None:
        return None
    units, fraction = match.group(1), (match.group(2) or "0").ljust(2, "0")
    return int(Decimal(units) * 100 + Decimal(fraction))


class DonationForm(forms.Form):
    """An amount (a ready one or another), given once or every month."""

    other_amount = forms.CharField(required=False, max_length=20)
    frequency = _radio(
        _("How often?"), [("once", _("Once")), ("month", _("Every month"))]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = settings.MASTHEAD_CURRENCY
        choices = [
            (str(cents), format_money(cents, self.currency))
            for cents in DONATION_PRESETS
        ]
        self.fields["amount"] = _radio(
            _("Amount"), [*choices, (OTHER, _("Another amount"))]
        )
        self.fields["amount"].initial = str(DONATION_PRESETS[1])
        self.fields["frequency"].initial = "once"
        self.fields["other_amount"].label = _("Another amount, in %(currency)s") % {
            "currency": self.currency
        }
        self.order_fields(["amount", "other_amount", "frequency"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        choice = data.get("amount")
        if choice is None:
            return data
        if choice == OTHER:
            cents = parse_amount(str(data.get("other_amount") or ""))
            if cents is None:
                self.add_error("other_amount", _("Enter an amount, like 12 or 12.50."))
                return data
        else:
            cents = int(choice)
        low, high = (
            format_money(value, self.currency) for value in (MIN_DONATION, MAX_DONATION)
        )
        if not MIN_DONATION <= cents <= MAX_DONATION:
            field = "other_amount" if choice == OTHER else "amount"
            self.add_error(
                field,
                _("Give between %(low)s and %(high)s, please.")
                % {"low": low, "high": high},
            )
            return data
        data["cents"] = cents
        data["recurring"] = data.get("frequency") == "month"
        return data


class PlanForm(forms.Form):
    """The demo portal's change of plan: another paid tier, or interval."""

    def __init__(self, *args: Any, tiers: list[Tier], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tier"] = forms.ChoiceField(
            label=_("Tier"), choices=[(tier.slug, tier.name) for tier in tiers]
        )
        self.fields["interval"] = _radio(_("Billed"), list(Interval.choices))
        self.tiers = {tier.slug: tier for tier in tiers}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        tier = self.tiers.get(str(data.get("tier")))
        interval = data.get("interval")
        if tier is not None and interval and tier.price(str(interval)) is None:
            self.add_error("interval", _("This tier has no price for that."))
        return data
