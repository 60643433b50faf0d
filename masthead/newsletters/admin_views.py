"""An issue's page in the admin: preview, test, schedule, send, progress (#16).

``/admin/newsletters/issues/<id>/`` beside the snippet's edit form: what the
issue will look like, a test to a few addresses, and the buttons that send
it. Reading needs ``newsletters.view_issue``; every change needs
``newsletters.change_issue`` (Editors and Administrators, docs/newsroom.md)
and is a POST behind Django's CSRF check. A change the issue's state does
not allow (sending a sent issue) answers with a message, not an error.

The preview is the sender's own rendering, served on its own with the mail
catcher's sandboxing policy (core/mail_views.py) and framed by the page in
an ``<iframe sandbox>``: an issue's HTML never runs in the admin's origin.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.defaults import permission_denied
from wagtail.admin.widgets import AdminDateTimeInput

from masthead.core.mail_views import HTML_PART_POLICY

from . import issues, rendering, sending
from .models import Issue, IssueStatus, SubscriptionStatus

VIEW_PERMISSION = "newsletters.view_issue"
CHANGE_PERMISSION = "newsletters.change_issue"
# The page polls progress this often while the issue is sending.
POLL_SECONDS = 2


class TestSendForm(forms.Form):
    addresses = forms.CharField(
        label=gettext_lazy("Send a test to"),
        max_length=2000,
        help_text=gettext_lazy(
            "Up to 10 addresses, separated by commas. They get the issue as "
            "subscribers will, marked as a test."
        ),
    )

    def clean_addresses(self) -> list[str]:
        raw = self.cleaned_data["addresses"]
        addresses = list(
            dict.fromkeys(part.strip() for part in raw.split(",") if part.strip())
        )
        if not addresses:
            raise ValidationError(_("Enter at least one address."))
        if len(addresses) > issues.MAX_TEST_ADDRESSES:
            raise ValidationError(
                _("At most %(count)d addresses at a time.")
                % {"count": issues.MAX_TEST_ADDRESSES}
            )
        bad = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError(
                _("Not an e-mail address: %(addresses)s")
                % {"addresses": ", ".join(bad)}
            )
        return addresses


class ScheduleForm(forms.Form):
    scheduled_at = forms.DateTimeField(
        label=gettext_lazy("Send at"), widget=AdminDateTimeInput
    )


def _refused(request: HttpRequest, permission: str) -> HttpResponseBase | None:
    """A 403 for staff without ``permission``, else ``None``.

    Returned, not raised: Wagtail's admin turns a raised PermissionDenied
    into a redirect to the dashboard, and a refusal should say so.
    """
    # Case: staff without it (contributors, authors): 403.
    # Anonymous visitors never get here: the admin sends them to sign in.
    if not request.user.has_perm(permission):
        return permission_denied(request, PermissionDenied())
    # Case: Editors and Administrators.
    return None


def _issue_url(issue: Issue) -> str:
    return reverse("newsletters_issue", args=[issue.pk])


def progress(issue: Issue) -> dict[str, Any]:
    """The numbers the page shows and polls: the counters the sender keeps."""
    return {
        "status": issue.status,
        "status_label": str(issue.get_status_display()),
        "recipients": issue.recipient_count,
        "queued": issue.queued_count,
        "sent": issue.sent_count,
        "failed": issue.failed_count,
        "suppressed": issue.suppressed_count,
    }


@require_GET
def issue_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The issue's sending page: status, numbers, preview and the actions."""
    if refused := _refused(request, VIEW_PERMISSION):
        return refused
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    return _render_detail(request, issue)


def _render_detail(
    request: HttpRequest,
    issue: Issue,
    test_form: TestSendForm | None = None,
    schedule_form: ScheduleForm | None = None,
    status: int = 200,
) -> TemplateResponse:
    can_change = request.user.has_perm(CHANGE_PERMISSION)
    return TemplateResponse(
        request,
        "newsletters/admin/issue.html",
        {
            "issue": issue,
            "progress": progress(issue),
            "can_change": can_change,
            "can_edit": can_change and issue.status in issues.CAN_EDIT,
            "can_send": can_change and issue.status in issues.CAN_SEND,
            "can_schedule": can_change and issue.status in issues.CAN_SCHEDULE,
            "can_cancel": can_change and issue.status in issues.CAN_CANCEL,
            "can_pause": can_change and issue.status in issues.CAN_PAUSE,
            "can_resume": can_change and issue.status in issues.CAN_RESUME,
            "is_sending": issue.status == IssueStatus.SENDING,
            "poll_ms": POLL_SECONDS * 1000,
            "test_form": test_form or TestSendForm(),
            "schedule_form": schedule_form
            or ScheduleForm(initial={"scheduled_at": issue.scheduled_at}),
        },
        status=status,
    )


@require_GET
def issue_preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The issue's HTML as subscribers get it, sandboxed by its policy."""
    if refused := _refused(request, VIEW_PERMISSION):
        return refused
    issue = get_object_or_404(Issue, pk=pk)
    response = HttpResponse(
        rendering.render_preview(issue), content_type="text/html; charset=utf-8"
    )
    # Set here, Django's CSP middleware leaves it as it is.
    response["Content-Security-Policy"] = HTML_PART_POLICY
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@require_GET
def issue_progress(request: HttpRequest, pk: int) -> HttpResponseBase:
    """``{status, recipients, queued, sent, failed, suppressed}`` as JSON."""
    if refused := _refused(request, VIEW_PERMISSION):
        return refused
    issue = get_object_or_404(Issue, pk=pk)
    return JsonResponse(progress(issue))


@require_POST
def issue_test(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Send the issue to the few addresses typed in, now."""
    if refused := _refused(request, CHANGE_PERMISSION):
        return refused
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    form = TestSendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The test was not sent: check the addresses."))
        return _render_detail(request, issue, test_form=form, status=400)
    addresses = form.cleaned_data["addresses"]
    try:
        sending.send_test(issue, addresses)
    except OSError as error:
        # Case: the mail server refused or could not be reached (smtplib's
        # errors are OSErrors): say so, the editor can try again.
        messages.error(
            request,
            _("The test was not sent: %(error)s") % {"error": error},
        )
        return redirect(_issue_url(issue))
    messages.success(
        request,
        _("Test sent to %(addresses)s.") % {"addresses": ", ".join(addresses)},
    )
    return redirect(_issue_url(issue))


@require_POST
def issue_schedule(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Send the issue at the time chosen."""
    if refused := _refused(request, CHANGE_PERMISSION):
        return refused
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The issue was not scheduled: check the time."))
        return _render_detail(request, issue, schedule_form=form, status=400)
    try:
        issues.schedule(issue, form.cleaned_data["scheduled_at"])
    except issues.TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The issue is scheduled."))
    return redirect(_issue_url(issue))


def issue_send(request: HttpRequest, pk: int) -> HttpResponseBase:
    """GET: ask to confirm, with the number of subscribers; POST: send now."""
    if refused := _refused(request, CHANGE_PERMISSION):
        return refused
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    if request.method == "POST":
        try:
            issues.send_now(issue)
        except issues.TransitionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Sending has started."))
        return redirect(_issue_url(issue))
    if request.method != "GET":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    if issue.status not in issues.CAN_SEND:
        messages.error(request, str(issues.refusal(issue, _("sent now"))))
        return redirect(_issue_url(issue))
    subscribers = issue.newsletter.subscriptions.filter(
        status=SubscriptionStatus.ACTIVE
    ).count()
    return TemplateResponse(
        request,
        "newsletters/admin/issue_send.html",
        {"issue": issue, "subscribers": subscribers},
    )


def _transition(
    request: HttpRequest, pk: int, action: Any, done: str
) -> HttpResponseBase:
    if refused := _refused(request, CHANGE_PERMISSION):
        return refused
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
    try:
        action(issue)
    except issues.TransitionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect(_issue_url(issue))


@require_POST
def issue_pause(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _transition(request, pk, issues.pause, _("Sending is paused."))


@require_POST
def issue_resume(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _transition(request, pk, issues.resume, _("Sending has resumed."))


@require_POST
def issue_cancel(request: HttpRequest, pk: int) -> HttpResponseBase:
    return _transition(request, pk, issues.cancel, _("The issue is cancelled."))
