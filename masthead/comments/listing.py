"""An article's comments as the public pages show them: plain context.

Templates get lists of dictionaries and never query. A page of threads
costs the same few queries whatever it holds: the threads (and their
count), their replies, and the staff among their authors. Only visible
comments appear; a thread whose first comment went (deleted, hidden) keeps
its visible replies under a placeholder. No e-mail address is ever put in
the context: a member is their name, or "Member".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from .models import Comment, CommentQuerySet, CommentStatus
from .text import render_text


def staff_emails(emails: Iterable[str]) -> set[str]:
    """Those of ``emails`` (lower case) that belong to active staff users.

    Staff are the users who may enter the admin: superusers, and anyone
    with Wagtail's ``access_admin`` permission, directly or by a group.
    """
    wanted = {email for email in emails if email}
    if not wanted:
        return set()
    may_enter = (
        Q(is_superuser=True)
        | Q(
            groups__permissions__codename="access_admin",
            groups__permissions__content_type__app_label="wagtailadmin",
        )
        | Q(
            user_permissions__codename="access_admin",
            user_permissions__content_type__app_label="wagtailadmin",
        )
    )
    found = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=wanted)
        .filter(may_enter)
        .values_list("email_lower", flat=True)
        .distinct()
    )
    return set(found)


def _entry(comment: Comment, staff: set[str]) -> dict[str, Any]:
    if not comment.is_visible:
        # Case: a thread's first comment that went; its replies stay.
        deleted = comment.status == CommentStatus.DELETED
        return {
            "id": comment.pk,
            "is_placeholder": True,
            "placeholder": gettext("[deleted]") if deleted else gettext("[hidden]"),
        }
    member = comment.member
    return {
        "id": comment.pk,
        "is_placeholder": False,
        "name": (member.name if member and member.name else gettext("Member")),
        "is_staff": bool(member and member.email in staff),
        "html": render_text(comment.text),
        "created_at": comment.created_at,
        "is_edited": comment.edited_at is not None,
    }


def thread_entries(threads: list[Comment]) -> list[dict[str, Any]]:
    """Each thread's first comment with its visible replies, as plain context."""
    replies: dict[int, list[Comment]] = {thread.pk: [] for thread in threads}
    for reply in (
        Comment.objects.visible()
        .filter(parent_id__in=list(replies))
        .select_related("member")
        .order_by("created_at", "pk")
    ):
        replies[reply.parent_id or 0].append(reply)
    members = [
        comment.member
        for thread in threads
        for comment in [thread, *replies[thread.pk]]
        if comment.member is not None
    ]
    staff = staff_emails(member.email for member in members)
    return [
        {
            **_entry(thread, staff),
            "replies": [_entry(reply, staff) for reply in replies[thread.pk]],
        }
        for thread in threads
    ]


def threads_of(article_id: int) -> CommentQuerySet:
    """The article's threads in reading order, for a paginator."""
    return (
        Comment.objects.threads(article_id)
        .select_related("member")
        .order_by("created_at", "pk")
    )


def page_entries(page: Page[Comment]) -> list[dict[str, Any]]:
    """The threads of one page of ``threads_of``, as plain context."""
    return thread_entries(list(page.object_list))


def comment_path(comment: Comment, language: str) -> str:
    """Where ``comment`` shows in ``language``'s edition: its thread's page
    of the article's comments, and its anchor."""
    thread = comment.parent or comment
    earlier = (
        Comment.objects.threads(comment.article_id)
        .filter(
            Q(created_at__lt=thread.created_at)
            | Q(created_at=thread.created_at, pk__lt=thread.pk)
        )
        .count()
    )
    number = earlier // settings.MASTHEAD_COMMENTS_PAGE_SIZE + 1
    with translation.override(language):
        path = reverse("comments:page", args=[comment.article_id])
    query = f"?page={number}" if number > 1 else ""
    return f"{path}{query}#comment-{comment.pk}"
