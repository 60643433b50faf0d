"""Moderators' writes: approve, hide, restore, ban, close (docs/comments.md).

Each runs in one transaction and purges what readers see of it: the
article's comment pages (``comments-<id>``) for a comment; the article's
own pages too (``article-<id>``) when its comments open or close, as its
slot says so; every page (``site``) when the site setting changes what
readers see (closed, who may comment), and only then.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from masthead import cache
from masthead.members.models import Member

from .models import (
    Comment,
    CommentBan,
    CommentOptions,
    CommentReport,
    CommentSettings,
    CommentStatus,
    comments_tag,
)
from .services import became_visible, purge_comments

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _resolve_reports(comment: Comment, now: datetime) -> None:
    CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now
    )


def _moderate(comment: Comment, status: str, by: User | None) -> Comment:
    now = timezone.now()
    was_visible = comment.is_visible
    comment.status = status
    comment.moderated_at = now
    comment.moderated_by = by
    comment.save(update_fields=["status", "moderated_at", "moderated_by"])
    _resolve_reports(comment, now)
    if was_visible == comment.is_visible:
        # Case: a reported comment kept, or a waiting one hidden: readers see
        # the same pages as before, so nothing is purged.
        return comment
    if comment.is_visible:
        became_visible(comment)
    else:
        purge_comments(comment.article_id)
    return comment


@transaction.atomic
def approve(comment: Comment, by: User | None) -> Comment:
    """Publish a waiting comment, or keep a reported one: its reports close."""
    return _moderate(comment, CommentStatus.VISIBLE, by)


@transaction.atomic
def hide(comment: Comment, by: User | None) -> Comment:
    """Take ``comment`` off the site; its reports close. ``restore`` undoes it."""
    return _moderate(comment, CommentStatus.HIDDEN, by)


@transaction.atomic
def restore(comment: Comment, by: User | None) -> Comment:
    """Show a hidden comment again."""
    return _moderate(comment, CommentStatus.VISIBLE, by)


@transaction.atomic
def ban_member(
    member: Member,
    *,
    by: User | None,
    reason: str = "",
    until: datetime | None = None,
    hide_comments: bool = False,
) -> CommentBan:
    """Stop ``member`` commenting until ``until`` (None: for ever).

    Args:
        hide_comments: also hide every comment of theirs now on the site.
    """
    ban = CommentBan.objects.create(
        member=member,
        reason=reason[:500],
        until=until,
        created_by=by,
    )
    if hide_comments:
        shown = Comment.objects.filter(
            member=member,
            status__in=[CommentStatus.VISIBLE, CommentStatus.PENDING],
        )
        for comment in shown:
            _moderate(comment, CommentStatus.HIDDEN, by)
    return ban


@transaction.atomic
def lift_ban(ban: CommentBan, by: User | None) -> CommentBan:
    """End ``ban`` now; the member may comment again."""
    ban.lifted_at = timezone.now()
    ban.lifted_by = by
    ban.save(update_fields=["lifted_at", "lifted_by"])
    return ban


@transaction.atomic
def set_article_options(
    article_id: int, *, is_closed: bool, moderation: str
) -> CommentOptions:
    """Open or close an article's comments, and give it its own moderation."""
    options, _created = CommentOptions.objects.get_or_create(article_id=article_id)
    changed_closed = options.is_closed != is_closed
    options.is_closed = is_closed
    options.moderation = moderation
    options.save()
    if changed_closed:
        # The article page's slot says whether comments are open.
        cache.purge(cache.article_tag(article_id), comments_tag(article_id))
    return options


def shown_to_readers(site_settings: CommentSettings) -> tuple[bool, str]:
    """What readers see of the site setting: every article's slot and comments
    page say whether comments are closed, and who may comment."""
    return (site_settings.is_closed, site_settings.commenters)


def site_settings_saved(
    site_settings: CommentSettings, before: tuple[bool, str] | None
) -> None:
    """Purge every page (``site``) when what readers see of the setting changed.

    Args:
        before: ``shown_to_readers`` of the stored row before the save; None
            when there was none, which readers saw as the defaults.
    """
    if before is None:
        # Case: a new row (Wagtail makes it when its screen is first opened).
        before = shown_to_readers(CommentSettings())
    if shown_to_readers(site_settings) != before:
        # Case: closed or opened, or who may comment changed, on every article.
        cache.purge(cache.SITE)


def site_settings_deleted(site_settings: CommentSettings) -> None:
    """The row is gone: readers see the defaults again, perhaps a change."""
    site_settings_saved(CommentSettings(), shown_to_readers(site_settings))
