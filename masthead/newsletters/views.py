"""The readers' newsletter pages: sign-up, archive, unsubscribe, preferences (#16).

The list, a newsletter's page and its archived issues are public pages,
one cached copy for every reader (``Profile.PUBLIC``). Their sign-up forms
therefore carry no CSRF token: a token in a shared copy would hand one
reader's token to everyone (or, on a cached copy, fail for all but one).
The sign-up endpoint needs none (see ``sign_up``). Every page reached by a
personal link (confirm, unsubscribe, preferences) and every answer to a
form is private and never stored.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead import cache
from masthead.cache import Profile, apply_profile
from masthead.cache.pages import site_context
from masthead.core.pagination import canonical_url, paginate
from masthead.members.models import Member
from masthead.members.session import MemberRequest, with_member
from masthead.members.views import link_limit_reached

from . import links, services
from .body import issue_blocks
from .forms import PreferencesForm, SignUpForm
from .models import Issue, IssueStatus, Newsletter, Subscription, SubscriptionStatus

# The members' sign-in limits, on the same counters (members/views.py): a
# limit on mail asked for, whichever form asked (MASTHEAD_MEMBER_*_LIMIT).
LIMIT_WINDOW = 3600
# The issues on each numbered page of a newsletter's archive, newest first.
# One line each, so more than an article listing's twenty; under the 50-page
# bound every listing shares (core/pagination.py) that is the newest 2,500
# issues, about seven years of a daily.
ARCHIVE_PAGE_SIZE = 50


def _edition() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    profile: Profile,
    status: int = 200,
) -> HttpResponse:
    if profile == Profile.PUBLIC:
        # Dropped when a newsletter changes or an issue is sent (signals.py).
        cache.tag(request, cache.NEWSLETTERS)
    response = TemplateResponse(
        request, template, {**site_context(request), **context}, status=status
    )
    return apply_profile(response, profile)


def _private(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return _render(request, template, context, Profile.PRIVATE, status)


def _bad_link(request: HttpRequest) -> HttpResponse:
    # A mistyped, forged, expired or orphaned link: 404, never an error.
    return _private(request, "newsletters/link_problem.html", {}, status=404)


def _public_newsletter(slug: str) -> Newsletter:
    """The public newsletter ``slug`` of this edition, else 404."""
    return get_object_or_404(services.public_newsletters(_edition()), slug=slug)


# ---------------------------------------------------------------------------
# Public pages.


@require_GET
def newsletter_list(request: HttpRequest) -> HttpResponse:
    """Every public newsletter of the edition, each with its sign-up form."""
    newsletters = list(services.public_newsletters(_edition()))
    entries = [
        {"newsletter": newsletter, "form": _sign_up_form(request, newsletter)}
        for newsletter in newsletters
    ]
    return _render(
        request,
        "newsletters/newsletter_list.html",
        {"entries": entries, "canonical_url": request.build_absolute_uri()},
        Profile.PUBLIC,
    )


def _sign_up_form(request: HttpRequest, newsletter: Newsletter) -> SignUpForm:
    return SignUpForm(newsletter=newsletter, initial={"source": request.path})


@require_GET
def newsletter_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A newsletter: what it is, its sign-up form and a page of its sent issues.

    Raises:
        Http404: an unknown or private newsletter, or a malformed or
            out-of-range ``?page=``.
    """
    newsletter = _public_newsletter(slug)
    # The order of the "newsletters_issue_pages" index, so a page is read
    # from it with neither a sort nor a scan of other newsletters' issues.
    issues = (
        Issue.objects.filter(newsletter=newsletter, status=IssueStatus.SENT)
        .order_by("-sent_at", "-pk")
        .only("pk", "subject", "preheader", "sent_at")
    )
    page = paginate(request, issues, ARCHIVE_PAGE_SIZE)
    return _render(
        request,
        "newsletters/newsletter.html",
        {
            "newsletter": newsletter,
            "form": _sign_up_form(request, newsletter),
            "page_obj": page,
            "issues": list(page.object_list),
            "canonical_url": canonical_url(request, page),
        },
        Profile.PUBLIC,
    )


@require_GET
def issue_detail(request: HttpRequest, slug: str, issue_id: int) -> HttpResponse:
    """A sent issue of a public newsletter, as its subscribers read it."""
    newsletter = _public_newsletter(slug)
    issue = get_object_or_404(
        Issue, pk=issue_id, newsletter=newsletter, status=IssueStatus.SENT
    )
    blocks = issue_blocks(issue)
    # Stories and pictures the page shows: an unpublished article leaves it.
    for block in blocks:
        if block["type"] == "story":
            cache.tag(
                request,
                cache.article_tag(block["id"]),
                cache.image_tag(block["hero_image_id"]),
            )
        elif block["type"] == "picture":
            cache.tag(request, cache.image_tag(block["image_id"]))
    return _render(
        request,
        "newsletters/issue.html",
        {
            "newsletter": newsletter,
            "issue": issue,
            "blocks": blocks,
            "form": _sign_up_form(request, newsletter),
            "canonical_url": request.build_absolute_uri(),
        },
        Profile.PUBLIC,
    )


# ---------------------------------------------------------------------------
# Sign-up and its confirmation (double opt-in).


def _throttled(request: HttpRequest, email: str) -> HttpResponse | None:
    """A 429 page when the client or the address asked too often, else None."""
    if not link_limit_reached(request, email):
        return None
    response = _private(request, "members/throttled.html", {}, status=429)
    response["Retry-After"] = str(LIMIT_WINDOW)
    return response


def _same_origin(request: HttpRequest) -> bool:
    """Whether the browser says the form was sent from this site's own page."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return False
    host = urlsplit(origin).netloc
    return host == request.get_host() or origin in settings.CSRF_TRUSTED_ORIGINS


def _source(request: HttpRequest, form: SignUpForm) -> str:
    source = str(form.cleaned_data.get("source") or "")
    return source if source.startswith("/") else request.path


# Exempt from CSRF on purpose: the form sits on shared cached pages, which
# cannot carry a per-reader token. Forging it gains nothing: an anonymous
# sign-up only mails a confirmation link to the address typed, as anyone
# could by sending the form themselves. The one shortcut that acts on a
# session (a signed-in member's own address, no e-mail) needs the member
# cookie, which is SameSite=Lax and so never sent with a cross-site POST,
# and an Origin header naming this site.
@csrf_exempt
@require_POST
@with_member
def sign_up(request: MemberRequest, slug: str) -> HttpResponse:
    """Sign an address up to a newsletter.

    Anyone: a pending subscription and a confirmation link by e-mail, and
    the same answer whether or not the address is known. A signed-in member
    giving their own address: subscribed at once.
    """
    newsletter = _public_newsletter(slug)
    form = SignUpForm(request.POST, newsletter=newsletter)
    context: dict[str, Any] = {"newsletter": newsletter, "form": form}
    if not form.is_valid():
        # Case: no usable address: the form again, with its errors.
        return _private(request, "newsletters/sign_up.html", context, status=400)
    if form.is_bot():
        # Case: the hidden trap was filled in, or the form came back too fast.
        return _private(
            request, "newsletters/sign_up.html", {**context, "refused": True}, 400
        )
    email = str(form.cleaned_data["email"])
    member = request.member
    if (
        member is not None
        and member.email == email.strip().lower()
        and _same_origin(request)
    ):
        # Case: the signed-in member's own address: already proven theirs.
        services.subscribe(member, newsletter, _source(request, form), confirmed=True)
        return _private(
            request, "newsletters/subscribed.html", {"newsletter": newsletter}
        )
    if throttled := _throttled(request, email):
        return throttled
    reader = services.find_or_create_member(
        email, language=_edition(), source=_source(request, form)
    )
    services.subscribe(reader, newsletter, _source(request, form), confirmed=False)
    return _private(
        request,
        "newsletters/sign_up_sent.html",
        {"newsletter": newsletter, "email": email},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed confirmation link: GET asks, POST confirms.

    A GET never confirms: mail scanners that open every link must not
    subscribe anyone.
    """
    ids = links.read_confirm_token(token)
    if ids is None:
        return _bad_link(request)
    subscription = (
        Subscription.objects.select_related("newsletter")
        .filter(member_id=ids[0], newsletter_id=ids[1])
        .exclude(status=SubscriptionStatus.UNSUBSCRIBED)
        .first()
    )
    if subscription is None:
        # Case: erased, unsubscribed since, or never signed up.
        return _bad_link(request)
    context = {"newsletter": subscription.newsletter, "subscription": subscription}
    if request.method != "POST":
        return _private(request, "newsletters/confirm.html", context)
    confirmed = services.confirm_subscription(
        ids[0], ids[1], subscription.source or request.path
    )
    if confirmed is None:
        return _bad_link(request)
    return _private(
        request, "newsletters/subscribed.html", {"newsletter": confirmed.newsletter}
    )


# ---------------------------------------------------------------------------
# Leaving and choosing: the links in every issue.


# Exempt from CSRF on purpose (RFC 8058): mail clients send the one-click
# POST ("List-Unsubscribe=One-Click") with no cookie and no token, and the
# reader's button posts the same. The signed token in the URL is the
# authorisation; a forger without it can unsubscribe no one.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with an Unsubscribe button; POST: unsubscribe at once."""
    ids = links.read_unsubscribe_token(token)
    if ids is None:
        return _bad_link(request)
    newsletter = Newsletter.objects.filter(pk=ids[1]).first()
    if newsletter is None or not Member.objects.filter(pk=ids[0]).exists():
        # Case: the member was erased, or the newsletter deleted.
        return _bad_link(request)
    context = {
        "newsletter": newsletter,
        "preferences_token": links.preferences_token(ids[0]),
    }
    if request.method != "POST":
        receiving = Subscription.objects.filter(
            member_id=ids[0], newsletter=newsletter
        ).exclude(status=SubscriptionStatus.UNSUBSCRIBED)
        return _private(
            request,
            "newsletters/unsubscribe.html",
            {**context, "is_subscribed": receiving.exists()},
        )
    # The consent log's source names the way, never the token.
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    source = reverse("newsletters:list") + "unsubscribe/"
    services.unsubscribe(
        ids[0], ids[1], f"{source} (one-click)" if one_click else source
    )
    return _private(request, "newsletters/unsubscribed.html", context)


def _preferences(
    request: HttpRequest, member: Member, token: str | None
) -> HttpResponse:
    language = _edition()
    offered = list(services.offered_newsletters(member, language))
    status = dict(
        Subscription.objects.filter(member=member, newsletter__in=offered).values_list(
            "newsletter_id", "status"
        )
    )
    saved = False
    form = PreferencesForm(offered=offered)
    if request.method == "POST":
        form = PreferencesForm(request.POST, offered=offered)
        if not form.is_valid():
            # Case: a forged or stale choice (a newsletter no longer offered).
            return _private(
                request,
                "newsletters/preferences.html",
                {"form": form, "choices": [], "token": token, "invalid": True},
                status=400,
            )
        source = reverse("newsletters:my-preferences")
        services.set_preferences(
            member, form.chosen_ids(), source=source, language=language
        )
        status = dict(
            Subscription.objects.filter(
                member=member, newsletter__in=offered
            ).values_list("newsletter_id", "status")
        )
        saved = True
    choices = [
        {
            "newsletter": newsletter,
            "is_active": status.get(newsletter.pk) == SubscriptionStatus.ACTIVE,
            "is_pending": status.get(newsletter.pk) == SubscriptionStatus.PENDING,
        }
        for newsletter in offered
    ]
    return _private(
        request,
        "newsletters/preferences.html",
        {"form": form, "choices": choices, "token": token, "saved": saved},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed "manage your newsletters" link: tick and save."""
    member_id = links.read_preferences_token(token)
    member = Member.objects.filter(pk=member_id).first() if member_id else None
    if member is None:
        return _bad_link(request)
    return _preferences(request, member, token)


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def my_preferences(request: MemberRequest) -> HttpResponse:
    """The same choices for the signed-in member, from their account page."""
    if request.member is None:
        target = reverse("members:sign-in") + "?" + urlencode({"from": request.path})
        return apply_profile(HttpResponseRedirect(target), Profile.PRIVATE)
    return _preferences(request, request.member, None)
