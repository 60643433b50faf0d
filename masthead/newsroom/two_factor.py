"""Two-factor sign-in for staff with django-otp time-based codes (issue #4).

django-otp (maintained by the Django community) keeps the devices and checks
the codes; this module is the thin admin glue: a page to set up an
authenticator app, a page to enter a code after signing in, and a middleware
that asks for the code. wagtail-2fa, the Wagtail-specific package, does not
import on Wagtail 8.

Who must use it: every account that can publish or administer, so that a
stolen password alone can neither put words on the site nor hand out rights
(issue #12). That is superusers, anyone with Wagtail's publish permission on
any page, anyone who can post to the News Feed, anyone who can edit
accounts or groups, and members of the groups in
MASTHEAD_2FA_REQUIRED_GROUPS (Administrators by default). Anyone else may turn
it on; once a user has a device, every admin session needs a code, and only a
session that passed one may set up another device.
"""

import base64
import math
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, gettext_lazy, ngettext
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.permissions import page_permission_policy

SETUP_URL_NAME = "masthead_2fa_setup"
VERIFY_URL_NAME = "masthead_2fa_verify"
# Admin pages a user who still owes a code may see.
OPEN_PATHS = ("/admin/login/", "/admin/logout/", "/admin/2fa/")
# Editing accounts or groups can grant any other right, publishing included.
ACCOUNT_PERMISSIONS = (
    "auth.add_user",
    "auth.change_user",
    "auth.add_group",
    "auth.change_group",
)
# A News Feed item is public the moment it is saved: adding or changing one
# is publishing (issue #14).
FEED_PUBLISH_PERMISSIONS = ("feed.add_newsfeeditem", "feed.change_newsfeeditem")
WRONG_CODE = gettext_lazy("That code is not right. Type the code your app shows now.")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


def must_use_two_factor(user: Any) -> bool:
    """Whether ``user`` may not use the admin without a second factor.

    Args:
        user: a signed-in user (the auth user model, with groups and rights).
    """
    if user.is_superuser:
        # Case: a superuser can do everything, whatever their groups.
        return True
    if page_permission_policy.user_has_permission(user, "publish"):
        # Case: Wagtail's publish permission on any page of the tree.
        return True
    if any(user.has_perm(permission) for permission in FEED_PUBLISH_PERMISSIONS):
        # Case: can post to the News Feed, which publishes at once.
        return True
    if any(user.has_perm(permission) for permission in ACCOUNT_PERMISSIONS):
        # Case: can edit accounts or roles, so could grant themselves the rest.
        return True
    # Case: a group the site names in MASTHEAD_2FA_REQUIRED_GROUPS.
    required = set(settings.MASTHEAD_2FA_REQUIRED_GROUPS)
    return bool(required) and user.groups.filter(name__in=required).exists()


class TwoFactorMiddleware:
    """Ask signed-in staff for their code before any other admin page.

    Listed after django-otp's OTPMiddleware, which adds ``is_verified()``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect_to = self.redirect_for(request)
        if redirect_to:
            return redirect(_with_next(redirect_to, request.get_full_path()))
        return self.get_response(request)

    @staticmethod
    def redirect_for(request: HttpRequest) -> str | None:
        # OTPMiddleware gives the user ``is_verified()``; the stubs cannot know.
        user: Any = getattr(request, "user", None)
        path = request.path
        # The path first: only the admin needs the user, whose loading reads
        # the session and the user from the database (#13).
        if (
            not settings.MASTHEAD_2FA_ENABLED
            or not path.startswith("/admin/")
            or path.startswith(OPEN_PATHS)
            or user is None
            or not user.is_authenticated
        ):
            return None
        if user.is_verified():
            # Case: this session already passed a code.
            return None
        if django_otp.user_has_device(user, confirmed=True):
            # Case: the user has an authenticator; ask for today's code.
            return reverse(VERIFY_URL_NAME)
        if must_use_two_factor(user):
            # Case: the role requires 2FA and no device is set up yet.
            return reverse(SETUP_URL_NAME)
        # Case: 2FA is optional for this user and not turned on.
        return None


def _with_next(url: str, next_url: str) -> str:
    return f"{url}?{urlencode({'next': next_url})}"


def _next_url(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return "/admin/"


def too_many_attempts(locked_until: datetime) -> str:
    """The error for a code typed while django-otp's throttle is closed.

    django-otp doubles the wait after each wrong code; the editor is told
    how long, and until when, rather than seeing a right code refused.
    """
    seconds = max(1, math.ceil((locked_until - timezone.now()).total_seconds()))
    if seconds < 60:
        wait = ngettext("%(n)s second", "%(n)s seconds", seconds) % {"n": seconds}
    else:
        minutes = math.ceil(seconds / 60)
        wait = ngettext("%(n)s minute", "%(n)s minutes", minutes) % {"n": minutes}
    at = timezone.localtime(locked_until).strftime("%H:%M:%S")
    return gettext("Too many attempts: try again in %(wait)s (at %(at)s).") % {
        "wait": wait,
        "at": at,
    }


def check_code(devices: Iterable[Device], token: str) -> tuple[Device | None, str]:
    """Try ``token`` on each of ``devices``.

    Returns:
        The device that accepted the code and "", or None and the error to
        show: the wrong-code message, or how long to wait when every device
        is refusing codes after too many wrong ones.
    """
    waits = []
    tried = False
    for device in devices:
        allowed, details = device.verify_is_allowed()
        if not allowed:
            # Case: throttled after wrong codes; a right code is refused too.
            if details and details.get("locked_until"):
                waits.append(details["locked_until"])
            continue
        tried = True
        if device.verify_token(token):
            return device, ""
    if waits and not tried:
        # Case: every device is waiting out its throttle.
        return None, too_many_attempts(min(waits))
    # Case: a wrong code; django-otp has counted it against each device.
    return None, str(WRONG_CODE)


def setup(request: HttpRequest) -> HttpResponse:
    """Show a new secret for an authenticator app and confirm it with a code.

    The middleware lets a session that still owes a code reach this page, so
    the page itself decides who may enrol (issue #12).
    """
    user: Any = request.user
    if django_otp.user_has_device(user, confirmed=True) and not user.is_verified():
        # Case: a further device. Without a code from the first one, a
        # password alone would let anyone enrol their own app and pass.
        return redirect(_with_next(reverse(VERIFY_URL_NAME), request.get_full_path()))
    # Case: a first device (the password is all there is to check yet), or a
    # further one in a session that has passed a code. Either way the session
    # counts as verified only once a code from the new device matches.
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk)
            matched, error = check_code(locked, form.cleaned_data["token"])
        if matched is not None:
            device.refresh_from_db()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            django_otp.login(request, device)
            messages.success(request, gettext("Two-factor sign-in is on."))
            return redirect(_next_url(request))
        form.add_error("token", error)
    secret = base64.b32encode(device.bin_key).decode()
    return TemplateResponse(
        request,
        "newsroom/two_factor_setup.html",
        {
            "form": form,
            "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
            "config_url": device.config_url,
            "next": _next_url(request),
        },
    )


def verify(request: HttpRequest) -> HttpResponse:
    """Ask for the current code after a password sign-in."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            devices = django_otp.devices_for_user(request.user, for_verify=True)
            device, error = check_code(devices, form.cleaned_data["token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", error)
    return TemplateResponse(
        request,
        "newsroom/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
    )
