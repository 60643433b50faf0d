"""Who may comment where, and which comments wait for a moderator.

The one place that decides: the public pages, the article's slot, the
member's forms and the services all ask here. Nothing in this module writes.

Paying members: comments sit beside memberships and may not import them
(pyproject.toml's layers), so whatever knows who pays registers a check
with ``register_paid_check``. With none registered, nobody counts as paying:
a site set to "paying members only" then takes no comments (fail closed).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from masthead.members.models import Member

from .models import (
    Comment,
    CommentBan,
    Commenters,
    CommentOptions,
    CommentSettings,
)

PaidCheck = Callable[[Member], bool]
_paid_checks: dict[str, PaidCheck] = {}


def register_paid_check(check: PaidCheck) -> None:
    """Add ``check(member)``: True when the member pays (a membership, say).

    Registered once per function (an ``AppConfig.ready`` may run again).
    """
    _paid_checks[f"{check.__module__}.{check.__qualname__}"] = check


def is_paid(member: Member) -> bool:
    """Whether any registered check says ``member`` pays."""
    return any(check(member) for check in _paid_checks.values())


@dataclass(frozen=True)
class ArticleState:
    """What applies to comments on one article: the site's and its own choices."""

    is_closed: bool
    moderation: str
    paid_only: bool


def article_state(
    site_settings: CommentSettings, options: CommentOptions | None
) -> ArticleState:
    """Combine the site setting with the article's own options (if any)."""
    moderation = site_settings.moderation
    if options is not None and options.moderation:
        # Case: the article has its own moderation mode.
        moderation = options.moderation
    return ArticleState(
        is_closed=site_settings.is_closed or bool(options and options.is_closed),
        moderation=moderation,
        paid_only=site_settings.commenters == Commenters.PAID,
    )


class Refusal(enum.Enum):
    CLOSED = "closed"
    BANNED = "banned"
    PAID_ONLY = "paid-only"


def active_ban(member: Member) -> CommentBan | None:
    """The ban in force on ``member`` that ends last (for ever first), if any."""
    bans = CommentBan.objects.active().filter(member=member)
    forever = bans.filter(until__isnull=True).first()
    return forever or bans.order_by("-until").first()


def refusal(member: Member, state: ArticleState) -> Refusal | None:
    """Why ``member`` may not write on an article in ``state``; None if they may."""
    if state.is_closed:
        # Case: closed on the site or on this article.
        return Refusal.CLOSED
    if active_ban(member) is not None:
        return Refusal.BANNED
    if state.paid_only and not is_paid(member):
        return Refusal.PAID_ONLY
    return None


_LINK = re.compile(r"https?://", re.IGNORECASE)
# The same comment again within this time is held as a duplicate.
DUPLICATE_HOURS = 24


class Held(enum.StrEnum):
    """Why the spam check held a comment (``Comment.held_reason``)."""

    TRAP = "trap"
    TOO_FAST = "too-fast"
    LINKS = "links"
    DUPLICATE = "duplicate"
    HELD_WORD = "held-word"


def held_word(text: str, words: list[str]) -> str | None:
    """The first of ``words`` found in ``text`` as a whole word, in any case."""
    for word in words:
        if re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE):
            return word
    return None


def content_suspicion(text: str, site_settings: CommentSettings) -> Held | None:
    """What in the text itself holds a comment: too many links, a held word."""
    if len(_LINK.findall(text)) > settings.MASTHEAD_COMMENT_MAX_LINKS:
        return Held.LINKS
    if held_word(text, site_settings.held_word_list()):
        return Held.HELD_WORD
    return None


def is_duplicate(text: str, member: Member, exclude: int | None = None) -> bool:
    """Whether ``member`` posted the same text (spacing and case aside) lately."""
    since = timezone.now() - timedelta(hours=DUPLICATE_HOURS)
    wanted = _normal(text)
    recent = Comment.objects.filter(member=member, created_at__gte=since)
    if exclude is not None:
        recent = recent.exclude(pk=exclude)
    # The latest: filler posted first must not push the repeat out of view.
    texts = recent.order_by("-created_at", "-pk").values_list("text", flat=True)[:50]
    return any(_normal(earlier) == wanted for earlier in texts)


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())
