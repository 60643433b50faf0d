"""The mail catcher in the admin: "Mail sent by this site" (#16).

Caught messages may hold sign-in and password-reset links, so only users
with ``core.view_caughtemail`` read them (administrators; no newsroom role
has it). The HTML part is the sender's markup: it is served on its own, with
a Content-Security-Policy that sandboxes it (an opaque origin, no script, no
form, no frame), and framed by the message page in an ``<iframe sandbox>``,
so its scripts never run in the admin's origin.
"""

from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.defaults import permission_denied

from .email_url import CATCHER_BACKEND
from .models import CaughtEmail

VIEW_PERMISSION = "core.view_caughtemail"
PAGE_SIZE = 50
# Nothing of the message runs or reaches out but its pictures; ``sandbox``
# gives it an opaque origin even when opened in a tab of its own.
HTML_PART_POLICY = (
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; "
    "img-src data: https:; font-src data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


@dataclass
class ReadMessage:
    """A caught message taken apart for the page."""

    headers: list[tuple[str, str]]
    text: str | None
    html: str | None
    attachments: list[str]


def _content(part: object) -> str | None:
    """A part's text with the wire's CRLF line ends made plain newlines."""
    if not isinstance(part, EmailMessage):
        return None
    content: str = part.get_content()
    return content.replace("\r\n", "\n")


def read_message(raw: bytes) -> ReadMessage:
    """Parse ``raw`` into its headers, text and HTML parts and attachment names."""
    message = message_from_bytes(raw, _class=EmailMessage, policy=policy.default)
    assert isinstance(message, EmailMessage)  # noqa: S101 - for mypy: _class
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return ReadMessage(
        headers=[(name, str(value)) for name, value in message.items()],
        text=_content(text),
        html=_content(html),
        attachments=[
            part.get_filename() or part.get_content_type()
            for part in message.iter_attachments()
            if isinstance(part, EmailMessage)
        ],
    )


def _refused(request: HttpRequest) -> HttpResponseBase | None:
    """A 403 for staff without the permission, else ``None``.

    Returned, not raised: Wagtail's admin turns a raised PermissionDenied
    into a redirect to the dashboard, and a refusal should say so.
    """
    # Case: staff without the permission (editors, reviewers): 403.
    # Anonymous visitors never get here: Wagtail sends them to sign in.
    if not request.user.has_perm(VIEW_PERMISSION):
        return permission_denied(request, PermissionDenied())
    # Case: administrators, and anyone given core.view_caughtemail.
    return None


def caught_email_list(request: HttpRequest) -> HttpResponseBase:
    """The newest caught messages first: recipients, subject, time."""
    if refused := _refused(request):
        return refused
    rows = CaughtEmail.objects.only("sent_at", "sender", "recipients", "subject")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("p"))
    delivery = settings.MAILERS.get("delivery", {}).get("BACKEND")
    catching = delivery == CATCHER_BACKEND
    return TemplateResponse(
        request,
        "core/caught_email_list.html",
        {"page": page, "catching": catching},
    )


def caught_email_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One message: its headers, plain text, HTML (framed) and attachments."""
    if refused := _refused(request):
        return refused
    caught = get_object_or_404(CaughtEmail, pk=pk)
    return TemplateResponse(
        request,
        "core/caught_email_detail.html",
        {"caught": caught, "message": read_message(bytes(caught.raw))},
    )


def caught_email_html(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The HTML part alone, sandboxed by its Content-Security-Policy."""
    if refused := _refused(request):
        return refused
    caught = get_object_or_404(CaughtEmail, pk=pk)
    html = read_message(bytes(caught.raw)).html or ""
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    # Set here, Django's CSP middleware leaves it as it is.
    response["Content-Security-Policy"] = HTML_PART_POLICY
    response["Referrer-Policy"] = "no-referrer"
    return response
