"""Memberships in the admin: tiers, members' memberships, payments (#17).

A "Memberships" menu. Tiers are what readers pay for, so only groups granted
the ``memberships.*_tier`` permissions change them: Administrators (every
permission); the newsroom roles are not granted them (docs/newsroom.md).
Memberships, payments and gifts are the providers' record, changed only by
their webhooks (billing.py) and by redeeming: listed, filtered and inspected
here, never edited. They are personal data, shown to those who may see
members (``members.view_member``) or were granted the model's own view
permission.
To see one member's tier and payments, type their address into either
list's "member e-mail" filter (docs/memberships.md, "Staff").
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import ProtectedError, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    DeleteView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from .dashboard_views import AudienceViewSet
from .models import Gift, Interval, Membership, Payment, Tier
from .money import format_money

# Whoever may see the members list may see their memberships and payments.
VIEW_MEMBERS = "members.view_member"


def _price(cents: int | None, currency: str) -> str:
    return format_money(cents, currency) if cents is not None else "—"


def _amount(payment: Payment) -> str:
    return format_money(payment.amount, payment.currency)


class TierForm(WagtailAdminModelForm):
    """Checks the shape of the provider prices editors paste in."""

    def clean_provider_prices(self) -> Any:
        prices = self.cleaned_data.get("provider_prices") or {}
        intervals = set(Interval.values)
        shape_ok = isinstance(prices, dict) and all(
            isinstance(ids, dict)
            and set(ids) <= intervals
            and all(isinstance(value, str) and value for value in ids.values())
            for ids in prices.values()
        )
        if not shape_ok:
            raise forms.ValidationError(
                gettext_lazy(
                    'Write the provider\'s price ids as {"stripe": {"month": '
                    '"price_…", "year": "price_…"}}.'
                )
            )
        return prices


class TierDeleteView(DeleteView):
    """Deleting a tier members hold (PROTECT) explains what to do instead."""

    def form_valid(self, form: Any) -> HttpResponse:
        # Case: the reference index knows it is held: Wagtail would refuse
        # with a bare "no permission".
        if self.usage is not None and self.usage.is_protected:
            return self._in_use()
        try:
            response: HttpResponse = super().form_valid(form)
        except ProtectedError:
            # Case: held by a row the reference index does not track.
            return self._in_use()
        return response

    def _in_use(self) -> HttpResponse:
        messages.error(
            self.request,
            gettext_lazy(
                "Members hold this tier, so it cannot be deleted. Untick "
                "“public” to take it off the membership page."
            ),
        )
        return redirect(self.edit_url_name, self.object.pk)


class TierViewSet(SnippetViewSet):
    model = Tier
    icon = "list-ul"
    menu_label = gettext_lazy("Tiers")
    delete_view_class = TierDeleteView
    list_display = [
        "name",
        Column(
            "monthly",
            label=gettext_lazy("monthly"),
            accessor=lambda tier: _price(tier.monthly_price, tier.currency),
        ),
        Column(
            "yearly",
            label=gettext_lazy("yearly"),
            accessor=lambda tier: _price(tier.yearly_price, tier.currency),
        ),
        "is_public",
        "sort_order",
    ]
    search_fields = ["name", "slug"]
    ordering = ["sort_order", "pk"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("name"),
                    FieldPanel("slug"),
                    FieldPanel("description"),
                    FieldPanel("benefits"),
                    FieldRowPanel([FieldPanel("is_public"), FieldPanel("sort_order")]),
                ],
                heading=gettext_lazy("Tier"),
            ),
            MultiFieldPanel(
                [
                    FieldRowPanel(
                        [FieldPanel("monthly_price"), FieldPanel("yearly_price")]
                    ),
                    FieldPanel("currency"),
                    FieldPanel(
                        "provider_prices",
                        help_text=gettext_lazy(
                            "The price ids from the payment provider, e.g. "
                            '{"stripe": {"month": "price_…", "year": "price_…"}}. '
                            "Leave both prices blank for a free tier."
                        ),
                    ),
                ],
                heading=gettext_lazy("Prices"),
            ),
        ],
        base_form_class=TierForm,
    )


class ListOnlyPolicy(ModelPermissionPolicy):
    """Listed and inspected, never written here: the providers' webhooks are
    the source of truth, and a hand edit would be undone by the next one."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        # Case: add, change, delete: nobody, not even Administrators.
        if action in {"add", "change", "delete"}:
            return False
        # Case: view: those who may see members, or granted this model's view.
        if user.is_active and user.has_perm(VIEW_MEMBERS):
            return True
        return bool(super().user_has_permission(user, action))

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return any(self.user_has_permission(user, action) for action in actions)


register_permission_policy(Membership, ListOnlyPolicy(Membership))
register_permission_policy(Payment, ListOnlyPolicy(Payment))
register_permission_policy(Gift, ListOnlyPolicy(Gift))


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = gettext_lazy("Memberships")
    inspect_view_enabled = True
    list_display = [
        "member",
        "tier",
        "status",
        "interval",
        "provider",
        "current_period_end",
        "grace_until",
        "created_at",
    ]
    # The database's LIKE on the member's address (members/wagtail_hooks.py).
    search_fields = ["member__email"]
    list_filter = {
        "tier": ["exact"],
        "status": ["exact"],
        "provider": ["exact"],
        "member__email": ["icontains"],
    }
    list_export = [
        "member",
        "tier",
        "status",
        "interval",
        "provider",
        "current_period_end",
        "cancel_at_period_end",
        "grace_until",
        "created_at",
    ]
    export_filename = "memberships"
    ordering = ["-created_at"]
    inspect_view_fields = [
        "member",
        "tier",
        "status",
        "interval",
        "provider",
        "provider_customer_id",
        "provider_subscription_id",
        "current_period_end",
        "cancel_at_period_end",
        "grace_until",
        "created_at",
        "updated_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Membership]:
        return Membership.objects.select_related("member", "tier")


class PaymentViewSet(SnippetViewSet):
    model = Payment
    icon = "table"
    menu_label = gettext_lazy("Payments")
    inspect_view_enabled = True
    list_display = [
        "created_at",
        "member",
        "kind",
        "description",
        Column("amount_display", label=gettext_lazy("amount"), accessor=_amount),
        "status",
        "provider",
    ]
    search_fields = ["member__email", "description"]
    list_filter = {
        "kind": ["exact"],
        "status": ["exact"],
        "provider": ["exact"],
        "member__email": ["icontains"],
    }
    list_export = [
        "created_at",
        "member",
        "kind",
        "description",
        "amount",
        "refunded_amount",
        "currency",
        "status",
        "provider",
        "provider_payment_id",
    ]
    export_filename = "payments"
    ordering = ["-created_at"]
    inspect_view_fields = [
        "created_at",
        "member",
        "kind",
        "description",
        "status",
        "amount",
        "refunded_amount",
        "currency",
        "provider",
        "provider_payment_id",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Payment]:
        return Payment.objects.select_related("member")


class GiftViewSet(SnippetViewSet):
    model = Gift
    icon = "mail"
    menu_label = gettext_lazy("Gifts")
    inspect_view_enabled = True
    list_display = [
        "created_at",
        "tier",
        "interval",
        "buyer",
        "recipient_email",
        "status",
        "sent_at",
        "redeemed_by",
    ]
    search_fields = ["buyer__email", "recipient_email"]
    list_filter = {
        "tier": ["exact"],
        "status": ["exact"],
        "buyer__email": ["icontains"],
    }
    ordering = ["-created_at"]
    inspect_view_fields = [
        "created_at",
        "tier",
        "interval",
        "buyer",
        "recipient_email",
        "language",
        "status",
        "payment",
        "sent_at",
        "redeemed_at",
        "redeemed_by",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Gift]:
        return Gift.objects.select_related("tier", "buyer", "redeemed_by")


class MembershipsGroup(SnippetViewSetGroup):
    # The audience dashboard (dashboard_views.py) at /admin/audience/.
    items = (
        TierViewSet,
        MembershipViewSet,
        PaymentViewSet,
        GiftViewSet,
        AudienceViewSet,
    )
    menu_icon = "pick"
    menu_label = gettext_lazy("Memberships")
    menu_name = "memberships"
    menu_order = 245


register_snippet(MembershipsGroup)
