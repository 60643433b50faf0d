"""The admin's "Import members" screen and its Ghost-layout export (#16).

Upload a Ghost or Substack members export, choose the newsletters its
readers join, try it as a dry run, then import. Import needs
``members.add_member`` (administrators, and any role granted it); the
download needs ``members.view_member``. Contributors have neither.

A bad file (refused lines, wrong encoding, too large, not CSV) is shown on
the form, never a server error: the file is read by ``member_csv``, which
reports instead of raising.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.defaults import permission_denied

from .member_csv import ENCODINGS, export_lines, import_members
from .models import Newsletter

IMPORT_PERMISSION = "members.add_member"
EXPORT_PERMISSION = "members.view_member"
FORM_TEMPLATE = "newsletters/admin/import_form.html"
RESULT_TEMPLATE = "newsletters/admin/import_result.html"

View = Callable[..., HttpResponseBase]


def requires(permission: str) -> Callable[[View], View]:
    """A 403 page (not Wagtail's redirect to the dashboard) without ``permission``."""

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(
            request: HttpRequest, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                return permission_denied(request, PermissionDenied())
            return view(request, *args, **kwargs)

        return checked

    return decorator


def max_upload_bytes() -> int:
    return int(settings.MASTHEAD_MEMBER_IMPORT_MAX_MB) * 1024 * 1024


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "A members export from Ghost (Members → Export) or Substack "
            "(Subscribers → Export)."
        ),
    )
    newsletters = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Subscribe them to"),
        queryset=Newsletter.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Readers the file marks as getting e-mail join these newsletters, "
            "from the date they signed up. Readers who unsubscribed here stay "
            "unsubscribed."
        ),
    )
    encoding = forms.ChoiceField(
        label=gettext_lazy("Character encoding"),
        choices=list(ENCODINGS.items()),
        initial="utf-8",
        help_text=gettext_lazy(
            "UTF-8 for exports from Ghost and Substack; Windows-1252 for a "
            "file saved by Excel as plain “CSV”."
        ),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: check the file and count, change nothing"),
        required=False,
        initial=True,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > max_upload_bytes():
            raise forms.ValidationError(
                gettext("The file is larger than %(mb)s MB.")
                % {"mb": settings.MASTHEAD_MEMBER_IMPORT_MAX_MB}
            )
        return upload


@requires(IMPORT_PERMISSION)
def import_members_view(request: HttpRequest) -> HttpResponse:
    """The upload form; on a valid upload, the report of the (dry) run."""
    if request.method != "POST":
        form = MemberImportForm()
        return TemplateResponse(request, FORM_TEMPLATE, {"form": form})
    form = MemberImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return TemplateResponse(request, FORM_TEMPLATE, {"form": form}, status=400)
    upload = form.cleaned_data["file"]
    chosen = form.cleaned_data["newsletters"]
    try:
        report = import_members(
            upload,
            newsletter_ids=[newsletter.pk for newsletter in chosen],
            dry_run=form.cleaned_data["dry_run"],
            source=upload.name or "upload.csv",
            encoding=form.cleaned_data["encoding"],
        )
    except IntegrityError:
        # Case: a reader signed up with an address of the file mid-import.
        form.add_error(
            "file",
            gettext(
                "Members changed while importing; nothing was imported. Try again."
            ),
        )
        return TemplateResponse(request, FORM_TEMPLATE, {"form": form}, status=409)
    if report.is_refused:
        form.add_error("file", report.summary())
        context = {"form": form, "report": report}
        return TemplateResponse(request, FORM_TEMPLATE, context, status=400)
    context = {"report": report, "newsletters": chosen}
    return TemplateResponse(request, RESULT_TEMPLATE, context)


@requires(EXPORT_PERMISSION)
def export_members_view(request: HttpRequest) -> StreamingHttpResponse:
    """Every member as CSV in Ghost's layout, streamed."""
    name = f"members-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(
        export_lines(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
