"""Writes of members' comments: post, reply, edit, delete, report, erase.

Each service runs in one transaction and purges the article's comment
pages (``comments-<id>``) inside it, through the outbox; a reply's e-mail
is queued after commit. Moderators' writes are in moderation.py.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from masthead import cache
from masthead.members.models import Member

from .models import (
    Comment,
    CommentPreferences,
    CommentReport,
    CommentStatus,
    Moderation,
    comments_tag,
)


def purge_comments(*article_ids: int) -> None:
    """Drop the cached comment pages and fragments of the articles, after commit."""
    cache.purge(*(comments_tag(pk) for pk in article_ids))


def became_visible(comment: Comment) -> None:
    """Side effects of ``comment`` showing to readers: purge, and tell the
    author of the comment a reply answers, once (``notified_at``), after
    commit."""
    purge_comments(comment.article_id)
    if comment.parent_id is None or comment.notified_at is not None:
        return
    comment.notified_at = timezone.now()
    Comment.objects.filter(pk=comment.pk).update(notified_at=comment.notified_at)
    reply_id = comment.pk

    def send() -> None:
        from .tasks import send_reply_notice

        send_reply_notice.enqueue(reply_id)

    transaction.on_commit(send)


@transaction.atomic
def post_comment(
    *,
    article_id: int,
    member: Member,
    text: str,
    moderation: str,
    parent: Comment | None = None,
    held_reason: str = "",
) -> Comment:
    """Post a comment, or a reply to ``parent``.

    A reply to a reply joins the thread of its top-level comment: threads
    are one level deep. ``reply_to`` keeps the comment answered, whose
    author the reply e-mail goes to.

    Args:
        moderation: ``Moderation.PRE`` holds the comment for a moderator.
        held_reason: why the spam check held it (``rules.Held``), if it did.

    Returns:
        The comment: visible, or pending when moderated first or held.
    """
    reply_to = parent
    if parent is not None and parent.parent_id is not None:
        parent = parent.parent
    pending = moderation == Moderation.PRE or bool(held_reason)
    comment = Comment.objects.create(
        article_id=article_id,
        parent=parent,
        reply_to=reply_to,
        member=member,
        text=text,
        status=CommentStatus.PENDING if pending else CommentStatus.VISIBLE,
        held_reason=held_reason,
    )
    if comment.is_visible:
        became_visible(comment)
    return comment


@transaction.atomic
def edit_comment(
    comment: Comment, text: str, *, moderation: str, held_reason: str = ""
) -> Comment:
    """Change the text of ``comment`` (its author, within the edit window).

    Under pre-moderation, or when the new text is held, a published comment
    goes back to the moderators: an approved text cannot be swapped later.
    """
    was_visible = comment.is_visible
    comment.text = text
    comment.edited_at = timezone.now()
    if moderation == Moderation.PRE or held_reason:
        comment.status = CommentStatus.PENDING
        comment.held_reason = held_reason
    comment.save(update_fields=["text", "edited_at", "status", "held_reason"])
    if was_visible or comment.is_visible:
        purge_comments(comment.article_id)
    return comment


def _blank(comments: list[Comment]) -> None:
    for comment in comments:
        comment.text = ""
        comment.status = CommentStatus.DELETED
        comment.held_reason = ""
    Comment.objects.bulk_update(comments, ["text", "status", "held_reason"])


@transaction.atomic
def delete_comment(comment: Comment) -> None:
    """Delete ``comment`` at its author's request.

    The text goes at once. Its replies stay: the thread shows "[deleted]"
    where the comment was.
    """
    shown = comment.is_visible or comment.replies.visible().exists()
    _blank([comment])
    if shown:
        # Case: its text went, or its placeholder above visible replies
        # turns from "[hidden]" to "[deleted]".
        purge_comments(comment.article_id)


@transaction.atomic
def report_comment(
    comment: Comment, member: Member, reason: str, note: str = ""
) -> bool:
    """Report ``comment`` to the moderators; False if ``member`` already had."""
    _report, created = CommentReport.objects.get_or_create(
        comment=comment, member=member, defaults={"reason": reason, "note": note}
    )
    return created


def wants_reply_notices(member: Member) -> bool:
    """Whether ``member`` gets an e-mail when someone replies to them."""
    preferences = CommentPreferences.objects.filter(member=member).first()
    return preferences is None or preferences.notify_replies


@transaction.atomic
def set_reply_notices(member: Member, wanted: bool) -> None:
    """Turn the reply e-mails of ``member`` on or off."""
    CommentPreferences.objects.update_or_create(
        member=member, defaults={"notify_replies": wanted}
    )


def shown_of_member(member: Member) -> tuple[str, str]:
    """What the public pages show of a member: the name, and the address,
    which decides the Staff badge (listing.py)."""
    return (member.name, member.email)


def member_saved(member: Member, before: tuple[str, str] | None) -> None:
    """Purge the pages showing ``member``'s comments if what they show of the
    member changed (``before``: ``shown_of_member`` of the stored row).

    Staff may take a name off at the member's request: the cached comment
    pages must not keep it until they expire.
    """
    if before is None or before == shown_of_member(member):
        # Case: a new member (no comment yet), or nothing shown changed.
        return
    shown_on = (
        Comment.objects.visible()
        .filter(member=member)
        .values_list("article_id", flat=True)
        .distinct()
    )
    purge_comments(*shown_on)


def erase_member_comments(member: Member) -> None:
    """Before ``member`` is erased: blank every comment of theirs.

    A comment with replies keeps its place as "[deleted]", so the replies
    keep their thread; the author's link goes with the member (SET_NULL).
    Runs inside the erasure's transaction (signals.py).
    """
    comments = list(Comment.objects.filter(member=member))
    _blank(comments)
    purge_comments(*{comment.article_id for comment in comments})
