"""The reader's steps: join, donate, give, redeem, manage; and webhooks (#17).

Every page here acts for one signed-in member, so every answer is private
(``Profile.PRIVATE``) and every form carries a CSRF token. A signed-out
reader is sent to sign in first (``?from=`` records where they came from).
Donations too need an account: the payment's receipt goes to it, and the
provider's customer is the member's.

A free tier asks for nothing: every member reads as a member of it, so it
has no ``Membership`` row; joining it is signing in.

The providers' webhooks are exempt from CSRF: they carry no cookie, and
each provider checks its own signature instead (``read_webhook``).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
    QueryDict,
)
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.members.session import MemberRequest, with_member
from masthead.members.views import local_path

from . import billing, gifts, services
from .account import portal_of
from .forms import DonationForm, GiftForm, JoinForm
from .models import GIFT_PROVIDER, Membership, MembershipStatus, PaymentKind, Tier
from .providers import get_provider
from .providers.base import PaymentProvider, ProviderUnavailable, WebhookRefused
from .services import ReturnUrls

logger = logging.getLogger("masthead.memberships")

# What the thank-you page may be told it thanks for (?purpose=).
DONE_PURPOSES = frozenset(PaymentKind.values)


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """A private page of the memberships' steps (demo_views.py uses it too)."""
    base = {
        **site_context(request),
        # Said on every payment step, so no reader takes the demo for a sale.
        "is_demo_provider": settings.MASTHEAD_PAYMENT_PROVIDER == "demo",
    }
    response = TemplateResponse(request, template, {**base, **context}, status=status)
    return apply_profile(response, Profile.PRIVATE)


def notice(
    request: HttpRequest, title: str, message: str, status: int = 200
) -> HttpResponse:
    """A short page that says one thing: a problem, or nothing to do."""
    return page(
        request, "memberships/notice.html", {"title": title, "message": message}, status
    )


def not_found(request: HttpRequest) -> HttpResponse:
    """404 as a private page: a bad link here is personal, never cached."""
    return notice(
        request,
        translation.gettext("Page not found"),
        translation.gettext("This link does not work. Check that it is complete."),
        404,
    )


def to_sign_in(request: HttpRequest) -> HttpResponse:
    """Off to the sign-in page, saying where the reader came from."""
    target = (
        reverse("members:sign-in") + "?" + urlencode({"from": request.get_full_path()})
    )
    return apply_profile(HttpResponseRedirect(target), Profile.PRIVATE)


def _redirect(url: str) -> HttpResponse:
    # 303: the browser follows a POST's answer with a GET.
    return apply_profile(HttpResponseRedirect(url, status=303), Profile.PRIVATE)


def _urls(request: HttpRequest, purpose: str) -> ReturnUrls:
    query = {"purpose": purpose}
    if back := local_path(request, request.GET.get("next", "")):
        # Case: joined from a gated article: the thank-you page leads back.
        query["next"] = back
    done = reverse("memberships:done") + "?" + urlencode(query)
    return ReturnUrls(
        success=request.build_absolute_uri(done),
        cancel=request.build_absolute_uri(request.path),
    )


def _unavailable(request: HttpRequest) -> HttpResponse:
    response = notice(
        request,
        translation.gettext("Payments are unavailable"),
        translation.gettext(
            "We could not reach our payment provider. Nothing was charged. "
            "Please try again in a few minutes."
        ),
        503,
    )
    response["Retry-After"] = "60"
    return response


def _provider() -> PaymentProvider:
    provider = get_provider()
    if provider is None:  # The configured one is always enabled.
        raise ProviderUnavailable(settings.MASTHEAD_PAYMENT_PROVIDER)
    return provider


def _posted(request: HttpRequest) -> QueryDict | None:
    # An empty POST is a form sent empty (errors), not a form not sent.
    return request.POST if request.method == "POST" else None


def _tier(slug: str) -> Tier | None:
    return Tier.objects.filter(slug=slug).first()


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def join(request: MemberRequest, tier: str) -> HttpResponse:
    """Choose monthly or yearly for a paid tier; sending it starts the checkout."""
    found = _tier(tier)
    if found is None:
        return not_found(request)
    if request.member is None:
        return to_sign_in(request)
    membership = services.membership_of(request.member)
    if not found.is_public and (membership is None or membership.tier_id != found.pk):
        # Case: a tier not offered, reached by its URL (its holders may stay).
        return not_found(request)
    context: dict[str, Any] = {"tier": found, "membership": membership}
    if found.is_free:
        # Case: every member is a member of the free tier already.
        return page(request, "memberships/join.html", context)
    if membership is not None and _has_subscription(membership):
        # Case: paying already (or owing): a change of plan, or the payment
        # due, is made in the provider's portal, never by a second one.
        is_past_due = membership.status == MembershipStatus.PAST_DUE
        extra = {"is_member": True, "is_past_due": is_past_due}
        return page(request, "memberships/join.html", {**context, **extra})
    form = JoinForm(_posted(request), tier=found)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return page(request, "memberships/join.html", {**context, "form": form}, status)
    try:
        url = services.start_membership_checkout(
            request.member,
            found,
            form.cleaned_data["interval"],
            _provider(),
            _urls(request, PaymentKind.MEMBERSHIP),
        )
    except ProviderUnavailable:
        return _unavailable(request)
    return _redirect(url)


def _has_subscription(membership: Membership) -> bool:
    """Whether a membership still has a subscription that may charge."""
    if membership.provider == GIFT_PROVIDER:
        return False
    if membership.gives_access():
        return True
    # Past due after its grace, or suspended: not over until the provider says.
    return bool(
        membership.status != MembershipStatus.CANCELED
        and membership.provider_subscription_id
        and get_provider(membership.provider) is not None
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def donate(request: MemberRequest) -> HttpResponse:
    """An amount, once or monthly; sending it starts the checkout."""
    if request.member is None:
        return to_sign_in(request)
    form = DonationForm(_posted(request))
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return page(request, "memberships/donate.html", {"form": form}, status)
    try:
        url = services.start_donation_checkout(
            request.member,
            form.cleaned_data["cents"],
            form.cleaned_data["recurring"],
            _provider(),
            _urls(request, PaymentKind.DONATION),
        )
    except ProviderUnavailable:
        return _unavailable(request)
    return _redirect(url)


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def gift(request: MemberRequest, tier: str) -> HttpResponse:
    """Buy a paid tier for someone, for a month or a year."""
    found = _tier(tier)
    if found is None or found.is_free or not found.is_public:
        return not_found(request)
    if request.member is None:
        return to_sign_in(request)
    form = GiftForm(_posted(request), tier=found)
    context = {"tier": found, "form": form}
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return page(request, "memberships/gift.html", context, status)
    try:
        url = services.start_gift_checkout(
            request.member,
            found,
            form.cleaned_data["interval"],
            form.cleaned_data["recipient_email"],
            translation.get_language() or request.member.language,
            _provider(),
            _urls(request, PaymentKind.GIFT),
        )
    except ProviderUnavailable:
        return _unavailable(request)
    return _redirect(url)


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def redeem_gift(request: MemberRequest, token: str) -> HttpResponse:
    """The e-mailed gift link: GET shows the gift, POST redeems it, once."""
    gift_id = gifts.read_redeem_token(token)
    found = gifts.redeemable(gift_id) if gift_id is not None else None
    if found == gifts.RedeemProblem.USED:
        return page(request, "memberships/redeem.html", {"problem": "used"}, 410)
    if found is None or isinstance(found, gifts.RedeemProblem):
        return not_found(request)
    if request.member is None:
        return to_sign_in(request)
    context: dict[str, Any] = {"gift": found}
    if request.method != "POST":
        return page(request, "memberships/redeem.html", context)
    redeemed = gifts.redeem(found.pk, request.member)
    if isinstance(redeemed, gifts.RedeemProblem):
        status = 410 if redeemed == gifts.RedeemProblem.USED else 409
        return page(
            request, "memberships/redeem.html", {**context, "problem": redeemed}, status
        )
    return page(request, "memberships/redeem.html", {**context, "membership": redeemed})


@require_GET
@with_member
def checkout_done(request: MemberRequest) -> HttpResponse:
    """Where the provider sends the reader after paying: thank you."""
    purpose = request.GET.get("purpose", "")
    member = request.member
    context = {
        "purpose": purpose if purpose in DONE_PURPOSES else "",
        "membership": services.membership_of(member) if member is not None else None,
        "next": local_path(request, request.GET.get("next", "")),
    }
    return page(request, "memberships/done.html", context)


@require_POST
@with_member
def manage(request: MemberRequest) -> HttpResponse:
    """Off to the provider's portal, where the member changes or cancels
    their membership or monthly donation (account.portal_of says whose)."""
    if request.member is None:
        return to_sign_in(request)
    portal = portal_of(request.member, services.membership_of(request.member))
    provider = get_provider(portal.provider) if portal is not None else None
    if portal is None or provider is None:
        # Case: no membership nor monthly donation, a gift (nothing renews),
        # one that ended, or a provider gone.
        return notice(
            request,
            translation.gettext("Nothing to manage"),
            translation.gettext(
                "You have no membership with payments to change or cancel."
            ),
        )
    return_url = request.build_absolute_uri(reverse("members:account"))
    try:
        url = provider.portal_url(portal.customer_id, return_url)
    except ProviderUnavailable:
        return _unavailable(request)
    return _redirect(url)


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    """A provider's events: verified by the provider, applied once each.

    Answers 200 with what was done, 400 when the signature or body is not
    valid (nothing is applied), 404 for a provider not enabled here.
    """
    found = get_provider(provider)
    if found is None:
        return apply_profile(
            JsonResponse({"error": "unknown provider"}, status=404), Profile.PRIVATE
        )
    try:
        events = found.read_webhook(request)
    except WebhookRefused as refused:
        # The reason is the operator's, not the sender's: it may say too much.
        logger.warning("%s webhook refused: %s", provider, refused)
        return apply_profile(
            JsonResponse({"error": "refused"}, status=400), Profile.PRIVATE
        )
    outcomes = [billing.apply(event) for event in events]
    return apply_profile(
        JsonResponse({"received": len(events), "outcomes": outcomes}),
        Profile.PRIVATE,
    )
