"""What comments add to members (members/registry.py): the account page's
section and the comments part of "download my data"."""

from __future__ import annotations

from typing import Any

from masthead.members.models import Member

from .models import Comment, CommentBan, CommentReport, CommentStatus
from .services import wants_reply_notices


def account_context(member: Member) -> dict[str, Any]:
    """The reply-mail preference of ``member``, for ``account_section.html``."""
    return {
        "notify_replies": wants_reply_notices(member),
        "has_comments": Comment.objects.filter(member=member)
        .exclude(status=CommentStatus.DELETED)
        .exists(),
    }


def export_data(member: Member) -> dict[str, Any]:
    """Everything comments keep about ``member``, JSON-ready (GDPR art. 15, 20)."""
    comments = (
        Comment.objects.filter(member=member)
        .exclude(status=CommentStatus.DELETED)
        .order_by("created_at", "pk")
    )
    reports = CommentReport.objects.filter(member=member).order_by("created_at")
    bans = CommentBan.objects.filter(member=member).order_by("created_at")
    return {
        "reply_emails": wants_reply_notices(member),
        "comments": [
            {
                "id": comment.pk,
                "article_id": comment.article_id,
                "reply_to": comment.parent_id,
                "text": comment.text,
                "status": comment.status,
                "posted_at": comment.created_at.isoformat(),
                "edited_at": comment.edited_at.isoformat()
                if comment.edited_at
                else None,
            }
            for comment in comments
        ],
        "reports": [
            {
                "comment_id": report.comment_id,
                "reason": report.reason,
                "details": report.note,
                "at": report.created_at.isoformat(),
            }
            for report in reports
        ],
        "bans": [
            {
                "reason": ban.reason,
                "from": ban.created_at.isoformat(),
                "until": ban.until.isoformat() if ban.until else None,
                "lifted_at": ban.lifted_at.isoformat() if ban.lifted_at else None,
            }
            for ban in bans
        ],
    }
