"""The member's comment pages, ``/account/comments/…``: write, reply, edit,
delete, report, their list, the reply-mail preference (docs/comments.md).

Private pages (``Profile.PRIVATE``) under ``/account/``, which the page
cache and Varnish pass straight to the app with the member's cookie; only
these load the member session (members/session.py). Signed out, a reader
is sent to the sign-in form, and back here once signed in (``?from=``).
Every change is a POST behind Django's CSRF check, except the e-mailed
one-click opt-out (RFC 8058), which its signed token authorises.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from masthead.cache import Profile, apply_profile, limits
from masthead.cache.pages import site_context
from masthead.content.models import ArticlePage
from masthead.core.clients import client_bucket
from masthead.core.editions import locale_code
from masthead.members.models import Member
from masthead.members.session import MemberRequest, with_member

from . import rules, services
from .forms import CommentForm, EditForm, PreferencesForm, ReportForm
from .links import read_stop_replies_token
from .listing import comment_path
from .models import Comment, CommentStatus, Moderation
from .text import render_text
from .views import article_state, comment_settings, public_article

GET_OR_POST = ["GET", "HEAD", "POST"]
MY_COMMENTS_PAGE_SIZE = 50


def _page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    response = TemplateResponse(
        request, template, {**site_context(request), **context}, status=status
    )
    return apply_profile(response, Profile.PRIVATE)


def _to_sign_in(request: HttpRequest, back: str | None = None) -> HttpResponse:
    query = urlencode({"from": back or request.get_full_path()[:200]})
    target = f"{reverse('members:sign-in')}?{query}"
    return apply_profile(HttpResponseRedirect(target), Profile.PRIVATE)


def _refused(
    request: HttpRequest, article: ArticlePage, refusal: rules.Refusal, member: Member
) -> HttpResponse:
    ban = rules.active_ban(member) if refusal == rules.Refusal.BANNED else None
    context = {"article": article, "refusal": refusal.value, "ban": ban}
    return _page(request, "comments/refused.html", context, status=403)


def _throttled(request: HttpRequest, member: Member) -> HttpResponse | None:
    """Count one more write (a comment, a reply or an edit: each purges the
    article's comment pages); a 429 page when the member or client wrote too
    many in the window (MASTHEAD_COMMENT_*_LIMIT), else None."""
    window = settings.MASTHEAD_COMMENT_LIMIT_MINUTES * 60
    client = client_bucket(request.META)
    over_member = (
        limits.count(f"comment:member:{member.pk}", window)
        > settings.MASTHEAD_COMMENT_MEMBER_LIMIT
    )
    over_client = (
        limits.count(f"comment:client:{client}", window)
        > settings.MASTHEAD_COMMENT_CLIENT_LIMIT
    )
    if not (over_member or over_client):
        return None
    response = _page(
        request,
        "comments/throttled.html",
        {"minutes": settings.MASTHEAD_COMMENT_LIMIT_MINUTES},
        status=429,
    )
    # The counters' windows are fixed (cache/limits.py): this one's end.
    response["Retry-After"] = str(int(window - time.time() % window) + 1)
    return response


def _language(article: ArticlePage) -> str:
    return locale_code(article.locale_id)


def _write(
    request: HttpRequest, member: Member, article: ArticlePage, parent: Comment | None
) -> HttpResponse:
    site_settings = comment_settings(request)
    state = article_state(request, article.pk)
    if refusal := rules.refusal(member, state):
        return _refused(request, article, refusal, member)
    context: dict[str, Any] = {
        "article": article,
        "article_url": article.get_url(request),
        "parent": parent,
        "parent_html": render_text(parent.text) if parent else "",
        "is_premoderated": state.moderation == Moderation.PRE,
    }
    if request.method != "POST":
        return _page(request, "comments/write.html", {**context, "form": CommentForm()})
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _page(request, "comments/write.html", {**context, "form": form}, 400)
    if throttled := _throttled(request, member):
        return throttled
    text = form.cleaned_data["text"]
    held = (
        form.suspicion()
        or rules.content_suspicion(text, site_settings)
        or (rules.Held.DUPLICATE if rules.is_duplicate(text, member) else None)
    )
    comment = services.post_comment(
        article_id=article.pk,
        member=member,
        text=text,
        moderation=state.moderation,
        parent=parent,
        held_reason=held.value if held else "",
    )
    return _after_write(request, article, comment)


def _after_write(
    request: HttpRequest, article: ArticlePage, comment: Comment
) -> HttpResponse:
    if comment.is_visible:
        # Case: published: see it in place (the page was purged on commit).
        target = comment_path(comment, translation.get_language() or _language(article))
        return apply_profile(HttpResponseRedirect(target), Profile.PRIVATE)
    return _page(
        request,
        "comments/waiting.html",
        {"article": article, "article_url": article.get_url(request)},
    )


@require_http_methods(GET_OR_POST)
@with_member
def new_comment(request: MemberRequest, article_id: int) -> HttpResponse:
    """Write a comment on the article."""
    article = public_article(article_id)
    if request.member is None:
        return _to_sign_in(request)
    return _write(request, request.member, article, parent=None)


@require_http_methods(GET_OR_POST)
@with_member
def reply(request: MemberRequest, comment_id: int) -> HttpResponse:
    """Reply to a visible comment; a reply to a reply joins its thread."""
    parent = get_object_or_404(
        Comment.objects.visible().select_related("parent"), pk=comment_id
    )
    article = public_article(parent.article_id)
    if request.member is None:
        return _to_sign_in(request)
    return _write(request, request.member, article, parent=parent)


def _own(request: MemberRequest, comment_id: int) -> Comment:
    """The signed-in member's own comment (not deleted), or 404 for anyone else's."""
    return get_object_or_404(
        Comment.objects.exclude(status=CommentStatus.DELETED),
        pk=comment_id,
        member=request.member,
    )


@require_http_methods(GET_OR_POST)
@with_member
def edit(request: MemberRequest, comment_id: int) -> HttpResponse:
    """Change one's own comment, within MASTHEAD_COMMENT_EDIT_MINUTES."""
    if request.member is None:
        return _to_sign_in(request)
    comment = _own(request, comment_id)
    article = public_article(comment.article_id)
    context: dict[str, Any] = {
        "article": article,
        "article_url": article.get_url(request),
        "comment": comment,
        "minutes": settings.MASTHEAD_COMMENT_EDIT_MINUTES,
    }
    if not comment.is_editable():
        return _page(request, "comments/edit_closed.html", context, status=403)
    state = article_state(request, article.pk)
    if refusal := rules.refusal(request.member, state):
        return _refused(request, article, refusal, request.member)
    if request.method != "POST":
        form = EditForm(initial={"text": comment.text})
        return _page(request, "comments/edit.html", {**context, "form": form})
    form = EditForm(request.POST)
    if not form.is_valid():
        return _page(request, "comments/edit.html", {**context, "form": form}, 400)
    if throttled := _throttled(request, request.member):
        return throttled
    text = form.cleaned_data["text"]
    held = rules.content_suspicion(text, comment_settings(request))
    services.edit_comment(
        comment,
        text,
        moderation=state.moderation,
        held_reason=held.value if held else "",
    )
    return _after_write(request, article, comment)


@require_http_methods(GET_OR_POST)
@with_member
def delete(request: MemberRequest, comment_id: int) -> HttpResponse:
    """GET: confirm; POST: delete one's own comment (its replies stay)."""
    if request.member is None:
        return _to_sign_in(request)
    comment = _own(request, comment_id)
    context = {"comment": comment, "comment_html": render_text(comment.text)}
    if request.method != "POST":
        return _page(request, "comments/delete.html", context)
    services.delete_comment(comment)
    return _page(request, "comments/deleted.html", {})


@require_http_methods(GET_OR_POST)
@with_member
def report(request: MemberRequest, comment_id: int) -> HttpResponse:
    """Report someone else's visible comment to the moderators."""
    comment = get_object_or_404(Comment.objects.visible(), pk=comment_id)
    article = public_article(comment.article_id)
    if request.member is None:
        return _to_sign_in(request)
    context: dict[str, Any] = {
        "article": article,
        "article_url": article.get_url(request),
        "comment": comment,
        "comment_html": render_text(comment.text),
        "is_own": comment.member_id == request.member.pk,
    }
    if context["is_own"] or request.method != "POST":
        return _page(request, "comments/report.html", {**context, "form": ReportForm()})
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _page(request, "comments/report.html", {**context, "form": form}, 400)
    services.report_comment(
        comment, request.member, form.cleaned_data["reason"], form.cleaned_data["note"]
    )
    return _page(request, "comments/reported.html", context)


@require_http_methods(["GET", "HEAD"])
@with_member
def my_comments(request: MemberRequest) -> HttpResponse:
    """The member's own comments, newest first, with edit and delete links."""
    if request.member is None:
        return _to_sign_in(request)
    comments = (
        Comment.objects.filter(member=request.member)
        .exclude(status=CommentStatus.DELETED)
        .order_by("-created_at", "-pk")
    )
    page = Paginator(comments, MY_COMMENTS_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # Only articles readers may see: one withdrawn, embargoed or made private
    # since keeps its title to itself, though the member keeps their comment.
    titles = dict(
        ArticlePage.objects.published()
        .filter(pk__in={row.article_id for row in rows})
        .values_list("pk", "title")
    )
    entries = [
        {
            "comment": row,
            "html": render_text(row.text),
            "article_title": titles.get(row.article_id, ""),
            "is_public": row.article_id in titles,
            "is_editable": row.article_id in titles and row.is_editable(),
        }
        for row in rows
    ]
    return _page(
        request, "comments/my_comments.html", {"entries": entries, "page_obj": page}
    )


@require_POST
@with_member
def preferences(request: MemberRequest) -> HttpResponse:
    """Save the reply-mail choice from the account page's section."""
    if request.member is None:
        # Case: back to the account page: this address answers only a POST.
        return _to_sign_in(request, back=reverse("members:account"))
    form = PreferencesForm(request.POST)
    wanted = form.is_valid() and form.cleaned_data["notify_replies"]
    services.set_reply_notices(request.member, bool(wanted))
    return apply_profile(redirect("members:account"), Profile.PRIVATE)


# Exempt from CSRF on purpose (RFC 8058): mail clients send the one-click
# POST ("List-Unsubscribe=One-Click") with no cookie and no token, and the
# reader's button posts the same. The signed token in the URL is the
# authorisation; a forger without it can silence no one.
@csrf_exempt
@require_http_methods(GET_OR_POST)
def stop_replies(request: HttpRequest, token: str) -> HttpResponse:
    """GET: a page with a button; POST: no more reply e-mails, at once."""
    member_id = read_stop_replies_token(token)
    member = Member.objects.filter(pk=member_id).first() if member_id else None
    if member is None:
        # Case: forged or mangled, or the member was erased since.
        return _page(request, "comments/link_problem.html", {}, status=404)
    if request.method != "POST":
        return _page(
            request,
            "comments/stop_replies.html",
            {"is_on": services.wants_reply_notices(member), "token": token},
        )
    services.set_reply_notices(member, False)
    return _page(request, "comments/stopped_replies.html", {})
