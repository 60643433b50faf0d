"""The live desk: post updates to live pages, start, close, reopen, write up.

A page of the News Feed desk (feed/desk.py) for live coverage (issue #14).
Each action is a plain POST with CSRF, checks the News Feed permission it
needs like the desk, and leaves the page permissions to the services
(feed/live.py): Wagtail's page permissions decide who may publish a new
live page and who may close one.
"""

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from django.views.defaults import permission_denied

from masthead.content.edition_access import edition_locale_ids
from masthead.content.models import ArticlePage, SectionPage
from masthead.content.models.live import LiveStatus

from . import live
from .desk import DESK_PERMISSIONS, PROMOTE_PERMISSIONS, requires
from .models import NewsFeedItem

LIVE_PAGES_LISTED = 20
ATTACH_CHOICES = 30


class LiveUpdateForm(forms.Form):
    live_page = forms.ModelChoiceField(
        queryset=ArticlePage.objects.none(), label=gettext_lazy("Live page")
    )
    headline = forms.CharField(max_length=255, label=gettext_lazy("Headline"))
    text = forms.CharField(
        label=gettext_lazy("Text"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One or two short paragraphs; leave a blank line between them."
        ),
    )
    is_key_event = forms.BooleanField(
        label=gettext_lazy("Key event"),
        required=False,
        help_text=gettext_lazy("Listed at the top of the live page."),
    )

    def __init__(self, *args: Any, locale_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[ArticlePage]", self.fields["live_page"])
        field.queryset = ArticlePage.objects.filter(
            live_status=LiveStatus.LIVE, locale_id__in=locale_ids
        ).order_by("-coverage_started_at", "-pk")


class AttachForm(forms.Form):
    item = forms.ModelChoiceField(
        queryset=NewsFeedItem.objects.none(), label=gettext_lazy("Posted item")
    )
    live_page = forms.ModelChoiceField(
        queryset=ArticlePage.objects.none(), label=gettext_lazy("Live page")
    )
    is_key_event = forms.BooleanField(label=gettext_lazy("Key event"), required=False)

    def __init__(self, *args: Any, locale_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        latest = NewsFeedItem.objects.filter(
            live_page=None, locale_id__in=locale_ids
        ).newest_first()
        items = cast("forms.ModelChoiceField[NewsFeedItem]", self.fields["item"])
        items.queryset = NewsFeedItem.objects.filter(
            pk__in=[item.pk for item in latest[:ATTACH_CHOICES]]
        ).newest_first()
        pages = cast("forms.ModelChoiceField[ArticlePage]", self.fields["live_page"])
        pages.queryset = ArticlePage.objects.filter(
            live_status=LiveStatus.LIVE, locale_id__in=locale_ids
        ).order_by("-coverage_started_at", "-pk")


class StartLiveForm(forms.Form):
    title = forms.CharField(
        max_length=255, label=gettext_lazy("Headline of the live page")
    )
    section = forms.ModelChoiceField(
        queryset=SectionPage.objects.none(), label=gettext_lazy("Section")
    )
    summary = forms.CharField(
        label=pgettext_lazy("live coverage", "Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Optional: the main points so far. Edit it later in the page editor."
        ),
    )

    def __init__(self, *args: Any, locale_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[SectionPage]", self.fields["section"])
        field.queryset = (
            SectionPage.objects.live().filter(locale_id__in=locale_ids).order_by("path")
        )


@requires(*DESK_PERMISSIONS)
def live_desk(request: HttpRequest) -> HttpResponse:
    """The live desk page: post an update, start a live page, the live pages."""
    # Only the editions the user works in: offered, accepted, listed (#15).
    editions = {"locale_ids": edition_locale_ids(request.user)}
    update_form = LiveUpdateForm(prefix="update", **editions)
    start_form = StartLiveForm(prefix="start", **editions)
    attach_form = AttachForm(prefix="attach", **editions)
    if request.method == "POST" and "update-live_page" in request.POST:
        update_form = LiveUpdateForm(request.POST, prefix="update", **editions)
        if update_form.is_valid():
            data = update_form.cleaned_data
            try:
                item = live.post_live_update(
                    live_page=data["live_page"],
                    headline=data["headline"],
                    text=data["text"],
                    is_key_event=data["is_key_event"],
                    user=request.user,
                )
            except ValidationError as error:
                update_form.add_error(None, error)
            else:
                messages.success(
                    request,
                    gettext("Posted to the live page: %(headline)s")
                    % {"headline": item.headline},
                )
                return redirect("feed_live_desk")
    elif request.method == "POST" and "attach-item" in request.POST:
        if not request.user.has_perms(PROMOTE_PERMISSIONS):
            # Case: attaching changes a posted item (the desk's "change").
            return permission_denied(request, PermissionDenied())
        attach_form = AttachForm(request.POST, prefix="attach", **editions)
        if attach_form.is_valid():
            data = attach_form.cleaned_data
            live.attach_item(
                data["item"],
                data["live_page"],
                is_key_event=data["is_key_event"],
                user=request.user,
            )
            messages.success(
                request,
                gettext("Attached to the live page: %(headline)s")
                % {"headline": data["item"].headline},
            )
            return redirect("feed_live_desk")
    elif request.method == "POST":
        start_form = StartLiveForm(request.POST, prefix="start", **editions)
        if start_form.is_valid():
            data = start_form.cleaned_data
            page = live.start_live_page(
                title=data["title"],
                section=data["section"],
                summary=data["summary"],
                user=request.user,
            )
            message = (
                gettext("Live page “%(title)s” published.")
                if page.live
                else gettext("Live page “%(title)s” saved as a draft for an editor.")
            )
            messages.success(request, message % {"title": page.title})
            return redirect("feed_live_desk")
    pages = list(
        ArticlePage.objects.exclude(live_status=LiveStatus.NONE)
        .filter(locale_id__in=editions["locale_ids"])
        .select_related("section")
        .order_by("-coverage_started_at", "-pk")[:LIVE_PAGES_LISTED]
    )
    return TemplateResponse(
        request,
        "feed/live_desk.html",
        {
            "update_form": update_form,
            "start_form": start_form,
            "attach_form": attach_form,
            "live_pages": pages,
            "page_title": gettext("Live desk"),
        },
    )


def _live_page(request: HttpRequest, pk: int) -> ArticlePage:
    """A live page of the user's editions; another edition's answers 404."""
    page: ArticlePage = get_object_or_404(
        ArticlePage.objects.exclude(live_status=LiveStatus.NONE).filter(
            locale_id__in=edition_locale_ids(request.user)
        ),
        pk=pk,
    )
    return page


@requires(*DESK_PERMISSIONS)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close open coverage, or reopen closed coverage."""
    page = _live_page(request, pk)
    change = live.close_live_page if page.is_live_now else live.reopen_live_page
    try:
        change(page, user=request.user)
    except PermissionDenied:
        messages.error(
            request,
            gettext("Only its editors can close or reopen “%(title)s”.")
            % {"title": page.title},
        )
        return redirect("feed_live_desk")
    message = (
        gettext("Live coverage reopened: %(title)s")
        if page.is_live_now
        else gettext("Live coverage closed: %(title)s")
    )
    messages.success(request, message % {"title": page.title})
    return redirect("feed_live_desk")


@requires(*PROMOTE_PERMISSIONS)
@require_POST
def write_up(request: HttpRequest, pk: int) -> HttpResponse:
    """Start an article draft from a live page and open it in the editor."""
    page = _live_page(request, pk)
    try:
        draft = live.write_up_live_page(page, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("feed_live_desk")
    return redirect(reverse("wagtailadmin_pages:edit", args=[draft.pk]))
