"""The account pages and the sign-in flow (issue #16, docs/members.md).

Every response is private (``Profile.PRIVATE``): member pages are never
kept by any cache. Only these views load the member session (session.py).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from masthead.cache import Profile, apply_profile, limits
from masthead.cache.pages import site_context
from masthead.core.clients import client_bucket

from . import registry, services
from .forms import EmailChangeForm, SignInForm
from .models import Member, SignInToken, TokenPurpose, email_digest
from .services import LinkProblem
from .session import MemberRequest, sign_in, sign_out, with_member

# Sign-in links asked for are counted per hour (MASTHEAD_MEMBER_*_LIMIT).
LIMIT_WINDOW = 3600
# The browser-binding cookie, left by the sign-in form for its link.
NONCE_COOKIE = "masthead_member_link"


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    base = {"minutes": settings.MASTHEAD_MEMBER_LINK_MINUTES}
    response = TemplateResponse(
        request, template, {**site_context(request), **base, **context}, status=status
    )
    return apply_profile(response, Profile.PRIVATE)


def _set_nonce(response: HttpResponse, nonce: str) -> None:
    # Path "/": the link may point into another edition than this form's
    # (the member's), and a path that followed it would tell whether the
    # address has an account. Public pages ignore it (like the member cookie).
    response.set_cookie(
        NONCE_COOKIE,
        nonce,
        max_age=settings.MASTHEAD_MEMBER_LINK_MINUTES * 60,
        path="/",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def link_limit_reached(request: HttpRequest, email: str) -> bool:
    """Count one more e-mailed link; whether the client or the address asked
    too often (MASTHEAD_MEMBER_*_LIMIT). Newsletters' sign-ups count here too."""
    client = client_bucket(request.META)
    over_client = (
        limits.count(f"member-link:client:{client}", LIMIT_WINDOW)
        > settings.MASTHEAD_MEMBER_CLIENT_LIMIT
    )
    over_address = (
        limits.count(f"member-link:address:{email_digest(email)}", LIMIT_WINDOW)
        > settings.MASTHEAD_MEMBER_ADDRESS_LIMIT
    )
    return over_client or over_address


def _throttled(request: HttpRequest, email: str) -> HttpResponse | None:
    """A 429 page when the client or the address asked too often, else None."""
    if not link_limit_reached(request, email):
        return None
    response = _page(request, "members/throttled.html", {}, status=429)
    response["Retry-After"] = str(LIMIT_WINDOW)
    return response


def _language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def sign_in_request(request: MemberRequest) -> HttpResponse:
    """The sign-in (and sign-up) form; sending it e-mails a link.

    The answer is the same whether or not the address has an account.
    """
    if request.method != "POST" and request.member is not None:
        # Case: already signed in: their account, not the form.
        return apply_profile(redirect("members:account"), Profile.PRIVATE)
    if request.method != "POST":
        form = SignInForm(
            initial={"source": request.GET.get("from", "")[:200]},
            language=_language(),
        )
        return _page(request, "members/sign_in.html", {"form": form})
    form = SignInForm(request.POST, language=_language())
    if not form.is_valid():
        # Case: no usable address: the form again, with its errors.
        return _page(request, "members/sign_in.html", {"form": form}, status=400)
    if form.is_bot():
        # Case: the hidden trap was filled in, or the form came back too fast.
        return _page(
            request, "members/sign_in.html", {"form": form, "refused": True}, 400
        )
    email = form.cleaned_data["email"]
    if throttled := _throttled(request, email):
        return throttled
    nonce = services.new_nonce()
    services.request_sign_in(
        email,
        language=_language(),
        nonce=nonce,
        name=form.cleaned_data["name"],
        source=form.cleaned_data["source"] or request.path,
        offers=form.cleaned_data["offers"],
    )
    response = _page(request, "members/sign_in_sent.html", {"email": email})
    _set_nonce(response, nonce)
    return response


def _link_problem(request: HttpRequest, problem: LinkProblem) -> HttpResponse:
    # Invalid: 400; used or expired: 410, the link existed and is gone.
    status = 400 if problem in (LinkProblem.INVALID, LinkProblem.TAKEN) else 410
    return _page(
        request, "members/link_problem.html", {"problem": problem.value}, status
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def confirm(request: MemberRequest, token: str) -> HttpResponse:
    """An e-mailed link: GET asks to confirm, POST signs in.

    A GET never uses the link, so mail scanners that open links do not
    spend it. Opened in another browser than the one that asked for it,
    the page says so, and the POST must carry the explicit confirmation.
    """
    found = services.find_token(token)
    if isinstance(found, LinkProblem):
        return _link_problem(request, found)
    same_browser = services.nonce_matches(found, request.COOKIES.get(NONCE_COOKIE))
    context = {"token": found, "same_browser": same_browser}
    if request.method != "POST":
        return _page(request, "members/confirm.html", context)
    if not same_browser and request.POST.get("other_device") != "yes":
        # Case: another device, and the reader has not said it is theirs.
        return _page(request, "members/confirm.html", {**context, "ask": True}, 400)
    used = services.use_token(token)
    if isinstance(used, LinkProblem):
        return _link_problem(request, used)
    sign_in(request, used)
    response = apply_profile(
        HttpResponseRedirect(_after_sign_in(request, found)), Profile.PRIVATE
    )
    response.delete_cookie(NONCE_COOKIE, path="/")
    return response


def _after_sign_in(request: HttpRequest, token: SignInToken) -> str:
    """Back to the page that sent the reader to sign in (``?from=``), if it is
    one of this site's own; else the account page."""
    source = local_path(request, token.source)
    if (
        token.purpose != TokenPurpose.EMAIL_CHANGE
        and source is not None
        and not source.startswith(reverse("members:sign-in"))
    ):
        return source
    return reverse("members:account")


def local_path(request: HttpRequest, value: str) -> str | None:
    """``value`` if it is a path on this site, never another's (open redirect)."""
    if value.startswith("/") and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=False
    ):
        return value
    return None


@require_GET
@with_member
def renew_access(request: MemberRequest) -> HttpResponse:
    """A gated article's "Already a member?": the pass renewed, then back (#17).

    Signed in, the response carries a new access pass (session.py) and goes
    back to ``?next=``; signed out, the reader signs in first and comes back
    to the article from the e-mailed link.
    """
    back = local_path(request, request.GET.get("next", "")) or "/"
    if request.member is None:
        target = reverse("members:sign-in") + "?" + urlencode({"from": back})
        return apply_profile(HttpResponseRedirect(target), Profile.PRIVATE)
    return apply_profile(HttpResponseRedirect(back), Profile.PRIVATE)


def _to_sign_in() -> HttpResponse:
    return apply_profile(redirect("members:sign-in"), Profile.PRIVATE)


@require_GET
@with_member
def account(request: MemberRequest) -> HttpResponse:
    """The member's own page; signed out, the sign-in form."""
    if request.member is None:
        return _to_sign_in()
    return _page(
        request,
        "members/account.html",
        {
            "member": request.member,
            "email_form": EmailChangeForm(),
            "sections": _sections(request, request.member),
        },
    )


def _sections(request: HttpRequest, member: Member) -> list[str]:
    """The account page's sections from other apps (registry.py), rendered."""
    return [
        render_to_string(
            section.template, {"member": member, **section.context(member)}, request
        )
        for section in registry.account_sections()
    ]


@require_POST
@with_member
def sign_out_view(request: MemberRequest) -> HttpResponse:
    """End this browser's session."""
    sign_out(request)
    return _page(request, "members/signed_out.html", {"everywhere": False})


@require_POST
@with_member
def sign_out_everywhere(request: MemberRequest) -> HttpResponse:
    """End every session of the member, on every device."""
    if request.member is not None:
        services.sign_out_everywhere(request.member)
    sign_out(request)
    return _page(request, "members/signed_out.html", {"everywhere": True})


@require_POST
@with_member
def change_email(request: MemberRequest) -> HttpResponse:
    """E-mail a confirmation link to the new address; the old one stays until used."""
    if request.member is None:
        return _to_sign_in()
    form = EmailChangeForm(request.POST)
    if not form.is_valid():
        return _page(
            request,
            "members/account.html",
            {
                "member": request.member,
                "email_form": form,
                "sections": _sections(request, request.member),
            },
            400,
        )
    email = form.cleaned_data["email"]
    if throttled := _throttled(request, email):
        return throttled
    nonce = services.new_nonce()
    services.request_email_change(request.member, email, nonce=nonce)
    response = _page(request, "members/email_change_sent.html", {"email": email})
    _set_nonce(response, nonce)
    return response


@require_GET
@with_member
def download_data(request: MemberRequest) -> HttpResponse:
    """Everything kept about the member, as a JSON file."""
    if request.member is None:
        return _to_sign_in()
    data = services.export_data(request.member)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return apply_profile(response, Profile.PRIVATE)


@require_http_methods(["GET", "HEAD", "POST"])
@with_member
def delete_account(request: MemberRequest) -> HttpResponse:
    """GET: what erasure deletes and keeps, and a confirm button; POST: erase."""
    if request.member is None:
        return _to_sign_in()
    if request.method != "POST":
        return _page(request, "members/delete.html", {"member": request.member})
    if request.POST.get("confirm") != "yes":
        return _page(
            request, "members/delete.html", {"member": request.member, "ask": True}, 400
        )
    services.erase_member(request.member, source=request.path)
    sign_out(request)
    return _page(request, "members/deleted.html", {})


@require_GET
@with_member
def status(request: MemberRequest) -> HttpResponse:
    """Whether this browser is signed in, for the header's script. Never cached."""
    response = JsonResponse({"signed_in": request.member is not None})
    return apply_profile(response, Profile.PRIVATE)
