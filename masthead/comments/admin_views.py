"""The moderators' screens in the admin, ``/admin/comments/…`` (docs/comments.md).

The queue (comments waiting for a moderator and reported ones), hidden and
recent comments, one article's comments with its options (closed, its own
moderation), and the bans. Every screen needs ``comments.moderate_comment``
(Administrators have it; give it to a moderators' group or the Editor role,
docs/comments.md); every change is a POST behind Django's CSRF check.
Addresses are shown only to staff who may see members
(``members.view_member``); other moderators see names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from masthead.content.models import ArticlePage
from masthead.members.models import Member

from . import moderation
from .forms import ArticleOptionsForm, BanForm
from .models import (
    MAX_ID,
    MODERATE_PERMISSION,
    Comment,
    CommentBan,
    CommentOptions,
    CommentReport,
    CommentStatus,
)
from .text import render_text

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ROWS_PER_PAGE = 50
VIEW_MEMBERS = "members.view_member"
# The queue's tabs: what each lists.
SHOWS = {
    "queue": gettext_lazy("Waiting and reported"),
    "hidden": gettext_lazy("Hidden"),
    "recent": gettext_lazy("All recent"),
}
ACTIONS = {
    "approve": moderation.approve,
    "hide": moderation.hide,
    "restore": moderation.restore,
}


def _require_moderator(request: HttpRequest) -> None:
    if not request.user.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied


def _user(request: HttpRequest) -> User:
    # Admin views run behind Wagtail's sign-in check: a staff user.
    return cast("User", request.user)


def _listed(comments: QuerySet[Comment]) -> QuerySet[Comment]:
    """``comments`` with what a row shows: member, article, open reports."""
    open_reports = CommentReport.objects.filter(resolved_at__isnull=True)
    return (
        comments.select_related("member", "article")
        .annotate(
            open_report_count=Count(
                "reports", filter=Q(reports__resolved_at__isnull=True)
            )
        )
        .prefetch_related(
            Prefetch("reports", queryset=open_reports, to_attr="open_reports")
        )
    )


def _rows(request: HttpRequest, comments: QuerySet[Comment]) -> dict[str, Any]:
    page = Paginator(comments, ROWS_PER_PAGE).get_page(request.GET.get("p"))
    return {
        "rows": [
            {"comment": comment, "html": render_text(comment.text)}
            for comment in page.object_list
        ],
        "page_obj": page,
        "show_emails": request.user.has_perm(VIEW_MEMBERS),
        "next": request.get_full_path(),
    }


def queue(request: HttpRequest) -> HttpResponse:
    """The moderation queue, or hidden or recent comments (``?show=``)."""
    _require_moderator(request)
    show = request.GET.get("show", "queue")
    if show not in SHOWS:
        show = "queue"
    if show == "queue":
        comments = Comment.objects.in_queue().order_by("created_at", "pk")
    elif show == "hidden":
        comments = Comment.objects.filter(status=CommentStatus.HIDDEN).order_by(
            "-moderated_at", "-pk"
        )
    else:
        comments = Comment.objects.exclude(status=CommentStatus.DELETED).order_by(
            "-created_at", "-pk"
        )
    tabs = [
        {"key": key, "label": label, "is_current": key == show}
        for key, label in SHOWS.items()
    ]
    context = {"tabs": tabs, "show": show, **_rows(request, _listed(comments))}
    return TemplateResponse(request, "comments/admin/queue.html", context)


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=False
    ) or not target.startswith("/admin/"):
        target = reverse("comments_admin:queue")
    return redirect(target)


@require_POST
def moderate(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve, hide or restore one comment."""
    _require_moderator(request)
    comment = get_object_or_404(
        Comment.objects.exclude(status=CommentStatus.DELETED), pk=pk
    )
    if action not in ACTIONS:
        raise PermissionDenied
    ACTIONS[action](comment, _user(request))
    done = {
        "approve": _("The comment is published."),
        "hide": _("The comment is hidden."),
        "restore": _("The comment is shown again."),
    }
    messages.success(request, done[action])
    return _back(request)


def ban(request: HttpRequest, member_id: int) -> HttpResponse:
    """GET: the ban form for a member; POST: ban them."""
    _require_moderator(request)
    member = get_object_or_404(Member, pk=member_id)
    form = BanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        moderation.ban_member(
            member,
            by=_user(request),
            reason=form.cleaned_data["reason"],
            until=form.until(),
            hide_comments=form.cleaned_data["hide_comments"],
        )
        messages.success(request, _("The member may no longer comment."))
        return redirect("comments_admin:bans")
    context = {
        "member": member,
        "form": form,
        "show_emails": request.user.has_perm(VIEW_MEMBERS),
    }
    return TemplateResponse(request, "comments/admin/ban.html", context)


def bans(request: HttpRequest) -> HttpResponse:
    """Bans in force, newest first, each with a button to lift it."""
    _require_moderator(request)
    active = CommentBan.objects.active().select_related("member", "created_by")
    context = {
        "bans": list(active[:500]),
        "show_emails": request.user.has_perm(VIEW_MEMBERS),
    }
    return TemplateResponse(request, "comments/admin/bans.html", context)


@require_POST
def lift(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a ban now."""
    _require_moderator(request)
    found = get_object_or_404(CommentBan.objects.active(), pk=pk)
    moderation.lift_ban(found, _user(request))
    messages.success(request, _("The ban is lifted."))
    return redirect("comments_admin:bans")


def article(request: HttpRequest, article_id: int) -> HttpResponse:
    """One article's comments, and its options: closed, its own moderation."""
    _require_moderator(request)
    if article_id > MAX_ID:
        raise Http404("No such article")
    page = get_object_or_404(ArticlePage, pk=article_id)
    options = CommentOptions.objects.filter(article_id=article_id).first()
    initial = {
        "is_closed": bool(options and options.is_closed),
        "moderation": options.moderation if options else "",
    }
    form = ArticleOptionsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        moderation.set_article_options(
            article_id,
            is_closed=form.cleaned_data["is_closed"],
            moderation=form.cleaned_data["moderation"],
        )
        messages.success(request, _("The article's comment options are saved."))
        return redirect("comments_admin:article", article_id=article_id)
    comments = _listed(
        Comment.objects.filter(article_id=article_id)
        .exclude(status=CommentStatus.DELETED)
        .order_by("-created_at", "-pk")
    )
    context = {"article": page, "form": form, **_rows(request, comments)}
    return TemplateResponse(request, "comments/admin/article.html", context)
