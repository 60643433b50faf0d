"""Reply e-mails, sent by the task worker after the reply is committed."""

from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from masthead.content.visibility import is_public
from masthead.core.background import BACKGROUND
from masthead.core.editions import locale_code
from masthead.core.email import build_message

from . import rules
from .links import stop_replies_token
from .listing import comment_path
from .models import Comment
from .services import wants_reply_notices

# How much of the reply the e-mail quotes; the link leads to the rest.
QUOTE_LENGTH = 500


def _base_url() -> str:
    return str(settings.WAGTAILADMIN_BASE_URL).rstrip("/")


@task(backend=BACKGROUND)
def send_reply_notice(reply_id: int) -> bool:
    """Tell the author of the comment reply ``reply_id`` answers (``reply_to``,
    or its parent for replies older than that field); False when nobody is told.

    Nobody is told when the reply is no longer shown, when it is their own,
    when they turned the e-mails off, or are banned from commenting, or were
    erased (the comment answered has no member then), or when readers may no
    longer see the article.
    """
    reply = (
        Comment.objects.select_related(
            "parent__member", "reply_to__member", "member", "article"
        )
        .filter(pk=reply_id)
        .first()
    )
    if reply is None or not reply.is_visible or reply.parent is None:
        return False
    answered = reply.reply_to or reply.parent
    recipient = answered.member
    if recipient is None or not answered.is_visible:
        return False
    if reply.member_id == recipient.pk or not wants_reply_notices(recipient):
        return False
    if rules.active_ban(recipient) is not None:
        return False
    article = reply.article
    if not is_public(article):
        # Case: withdrawn, embargoed or made private since: nothing to link to.
        return False
    path = comment_path(reply, locale_code(article.locale_id))
    token = stop_replies_token(recipient.pk)
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        stop = _base_url() + reverse("comments:stop-replies", args=[token])
        context = {
            "replier": reply.member.name if reply.member else "",
            "article_title": article.title,
            "quote": reply.text[:QUOTE_LENGTH],
            "is_cut": len(reply.text) > QUOTE_LENGTH,
            "link": _base_url() + path,
            "stop_link": stop,
        }
        headers = {
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        build_message(
            "comments/email/reply", context, [recipient.email], headers=headers
        ).send()
    return True
