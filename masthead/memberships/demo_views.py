"""The demo provider's own pages: its checkout and its portal (#17).

They stand for a real provider's payment and account pages, on this site
and labelled on every screen: no money moves. What they do, they do by
making the events a provider would send (providers/demo.py) and applying
them through ``billing.apply``, as the webhook endpoint would. They answer
only on a site whose provider is the demo (404 elsewhere), and only to the
member the page was made for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from masthead.cache import Profile, apply_profile
from masthead.members.session import MemberRequest, with_member

from . import billing
from .forms import PlanForm
from .models import (
    Gift,
    Interval,
    Membership,
    Payment,
    PaymentKind,
    PaymentStatus,
    Tier,
)
from .money import format_money
from .providers import demo, get_provider
from .providers.base import Checkout
from .views import not_found, notice, page, to_sign_in

# The portal's latest payments shown, each with a refund button.
PAYMENTS_SHOWN = 20


@dataclass(frozen=True)
class Summary:
    """What the demo checkout page says is being paid for."""

    what: str
    amount: int
    price: str


def _is_id(value: str) -> bool:
    """Whether ``value`` is a row id: ASCII digits only (``"²".isdigit()``)."""
    return value.isascii() and value.isdigit() and len(value) <= 18


def _redirect(url: str) -> HttpResponse:
    return apply_profile(HttpResponseRedirect(url, status=303), Profile.PRIVATE)


def _summary(checkout: Checkout) -> Summary | None:
    """The line and amount of ``checkout``; None if its tier is gone."""
    if checkout.purpose == PaymentKind.DONATION:
        what = (
            gettext("A monthly donation")
            if checkout.recurring
            else gettext("A donation")
        )
        amount = checkout.amount
    else:
        tier = Tier.objects.filter(slug=checkout.tier_slug).first()
        if tier is None or tier.price(checkout.interval) is None:
            return None
        amount = tier.price(checkout.interval) or 0
        values = {"tier": tier.name}
        if checkout.purpose == PaymentKind.GIFT:
            recipient = (
                Gift.objects.filter(pk=int(checkout.reference))
                .values_list("recipient_email", flat=True)
                .first()
                if _is_id(checkout.reference)
                else None
            )
            values["to"] = recipient or gettext("you to pass on")
            what = (
                gettext("A gift of %(tier)s for one year, for %(to)s")
                if checkout.interval == Interval.YEAR
                else gettext("A gift of %(tier)s for one month, for %(to)s")
            ) % values
        elif checkout.interval == Interval.YEAR:
            what = gettext("%(tier)s membership, billed yearly") % values
        else:
            what = gettext("%(tier)s membership, billed monthly") % values
    return Summary(what, amount, format_money(amount, checkout.currency))


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def checkout(request: MemberRequest, token: str) -> HttpResponse:
    """The demo's payment page: Pay or Cancel, and no money moves."""
    found = demo.read_checkout(token) if get_provider(demo.NAME) else None
    if found is None:
        return not_found(request)
    if request.member is None:
        return to_sign_in(request)
    summary = _summary(found)
    if request.member.pk != found.member_id or summary is None:
        # Case: another member's page, or a tier deleted since.
        return not_found(request)
    # The token leaves the address out (it is in the URL): the member's own.
    found = replace(found, email=request.member.email)
    context = {"checkout": found, "summary": summary}
    if request.method != "POST":
        return page(request, "memberships/demo_checkout.html", context)
    action = request.POST.get("action")
    if action == "cancel":
        return _redirect(found.cancel_url)
    if action != "pay":
        return page(
            request, "memberships/demo_checkout.html", {**context, "invalid": True}, 400
        )
    for event in demo.checkout_events(found, token, summary.amount, timezone.now()):
        billing.apply(event)
    return _redirect(found.success_url)


def _payments(member_id: int) -> list[dict[str, Any]]:
    payments = Payment.objects.filter(member_id=member_id, provider=demo.NAME)
    return [
        {
            "pk": payment.pk,
            "date": payment.created_at,
            "kind": payment.get_kind_display(),
            "description": payment.description,
            "amount": format_money(payment.amount, payment.currency),
            "status": payment.get_status_display(),
            "can_refund": payment.status == PaymentStatus.PAID,
        }
        for payment in payments[:PAYMENTS_SHOWN]
    ]


def _plan_tiers(membership: Membership) -> list[Tier]:
    tiers = Tier.objects.filter(is_public=True) | Tier.objects.filter(
        pk=membership.tier_id
    )
    return [tier for tier in tiers.distinct() if not tier.is_free]


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def portal(request: MemberRequest, token: str) -> HttpResponse:
    """The demo's account page: change plan, cancel, renew, fail, refund."""
    found = demo.read_portal(token) if get_provider(demo.NAME) else None
    if found is None:
        return not_found(request)
    if request.member is None:
        return to_sign_in(request)
    customer, return_url = found
    membership = (
        Membership.objects.select_related("tier")
        .filter(
            member=request.member, provider=demo.NAME, provider_customer_id=customer
        )
        .first()
    )
    if membership is None:
        donates = Payment.objects.filter(
            member=request.member,
            provider=demo.NAME,
            provider_customer_id=customer,
            kind=PaymentKind.DONATION,
        ).exclude(provider_subscription_id="")
        if not donates.exists():
            return not_found(request)
        # Case: a monthly donor without a membership (account.portal_of):
        # the demo keeps no donation subscription to change; Stripe's portal
        # is where a real donor stops theirs.
        return notice(
            request,
            gettext("Your monthly donation"),
            gettext(
                "This is the demo provider: no money moves, so there is no "
                "monthly donation to change or stop. With Stripe, this page is "
                "Stripe’s, where you change or stop your monthly donation."
            ),
        )
    tiers = _plan_tiers(membership)
    initial = {"tier": membership.tier.slug, "interval": membership.interval}
    form = PlanForm(initial=initial, tiers=tiers)
    context: dict[str, Any] = {
        "membership": membership,
        "form": form,
        "payments": _payments(request.member.pk),
        "return_url": return_url,
    }
    if request.method != "POST":
        done = request.GET.get("done", "")
        context["done"] = done if done in demo.PORTAL_ACTIONS else ""
        return page(request, "memberships/demo_portal.html", context)
    action = request.POST.get("action", "")
    options: dict[str, Any] = {}
    if action == "change":
        form = PlanForm(request.POST, initial=initial, tiers=tiers)
        if not form.is_valid():
            context["form"] = form
            return page(request, "memberships/demo_portal.html", context, 400)
        options = {
            "tier_slug": form.cleaned_data["tier"],
            "interval": form.cleaned_data["interval"],
        }
    elif action == "refund":
        chosen = request.POST.get("payment", "")
        options["payment"] = (
            Payment.objects.filter(
                pk=int(chosen),
                member=request.member,
                provider=demo.NAME,
                status=PaymentStatus.PAID,
            ).first()
            if _is_id(chosen)
            else None
        )
    events = demo.portal_events(membership, action, timezone.now(), **options)
    if not events or (membership.status == "canceled" and action != "refund"):
        # Case: an unknown action, no payment to refund, or the plan has ended.
        context["invalid"] = True
        return page(request, "memberships/demo_portal.html", context, 400)
    for event in events:
        billing.apply(event)
    return _redirect(request.path + "?" + urlencode({"done": action}))
