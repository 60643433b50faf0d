"""What editors do to an issue from the admin, and "publish and send" (#16).

The sender (``sending.py``) copies recipients and works through them; this
module decides which change an issue may take from the state it is in,
makes the changes that are only a status (schedule, cancel), and creates the
issue of an article published with a newsletter chosen. Status changes are
conditional updates (``filter(status__in=…).update``): two editors pressing
at once, or an editor and the worker, cannot both win.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from masthead.content.models import ArticlePage
from masthead.content.visibility import is_public

from . import sending
from .models import Issue, IssueStatus, Newsletter

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from wagtail.models import Locale

MAX_TEST_ADDRESSES = 10

# The states each admin action may start from; anything else is refused
# with a message, never attempted.
CAN_SEND = frozenset({IssueStatus.DRAFT, IssueStatus.SCHEDULED, IssueStatus.WAITING})
CAN_SCHEDULE = frozenset({IssueStatus.DRAFT, IssueStatus.SCHEDULED})
CAN_CANCEL = frozenset({IssueStatus.SCHEDULED, IssueStatus.WAITING})
CAN_PAUSE = frozenset({IssueStatus.SENDING})
CAN_RESUME = frozenset({IssueStatus.PAUSED})
# An issue still being written may be edited; once it is on its way, its
# recipients have (or are getting) what it said.
CAN_EDIT = frozenset({IssueStatus.DRAFT, IssueStatus.SCHEDULED, IssueStatus.WAITING})


class TransitionRefused(Exception):
    """The issue is not in a state this action may start from."""


def refusal(issue: Issue, action: str) -> TransitionRefused:
    return TransitionRefused(
        _("“%(subject)s” is %(status)s: it cannot be %(action)s.")
        % {
            "subject": issue.subject,
            "status": issue.get_status_display(),
            "action": action,
        }
    )


def send_now(issue: Issue) -> None:
    """Start sending ``issue`` to its newsletter's subscribers.

    Raises:
        TransitionRefused: it is sending, paused, sent or cancelled.
    """
    if issue.status not in CAN_SEND:
        raise refusal(issue, _("sent now"))
    if sending.start_send(issue):
        return
    if issue.status == IssueStatus.WAITING:
        # Case: its article is not public yet; the sender left it waiting.
        raise TransitionRefused(
            _("It goes out once its article is published and readers can see it.")
        )
    # Case: another editor (or the schedule) started it first.
    issue.refresh_from_db()
    raise refusal(issue, _("sent now"))


def schedule(issue: Issue, when: datetime) -> None:
    """Send ``issue`` at ``when`` (the recurring ``send_due_issues`` starts it).

    Raises:
        TransitionRefused: not a draft or scheduled, or ``when`` has passed.
    """
    if when <= timezone.now():
        raise TransitionRefused(_("Choose a time in the future."))
    changed = Issue.objects.filter(pk=issue.pk, status__in=CAN_SCHEDULE).update(
        status=IssueStatus.SCHEDULED, scheduled_at=when
    )
    if not changed:
        raise refusal(issue, _("scheduled"))
    issue.status, issue.scheduled_at = IssueStatus.SCHEDULED, when


def cancel(issue: Issue) -> None:
    """Never send ``issue``: a scheduled one, or one waiting for its article.

    Raises:
        TransitionRefused: it is a draft, or sending has begun.
    """
    changed = Issue.objects.filter(pk=issue.pk, status__in=CAN_CANCEL).update(
        status=IssueStatus.CANCELLED
    )
    if not changed:
        raise refusal(issue, _("cancelled"))
    issue.status = IssueStatus.CANCELLED


def pause(issue: Issue) -> None:
    """Stop the send after the batch in hand; ``resume`` goes on from there.

    Raises:
        TransitionRefused: it is not sending.
    """
    if issue.status not in CAN_PAUSE or not sending.pause_send(issue):
        raise refusal(issue, _("paused"))


def resume(issue: Issue) -> None:
    """Go on sending a paused issue to those it has not reached.

    Raises:
        TransitionRefused: it is not paused.
    """
    if issue.status not in CAN_RESUME or not sending.resume_send(issue):
        raise refusal(issue, _("resumed"))


def newsletters_for(article: ArticlePage) -> list[Newsletter]:
    """The newsletters an article may be sent to: those of its edition."""
    return newsletters_of_edition(article.locale)


def newsletters_of_edition(locale: Locale) -> list[Newsletter]:
    """The newsletters of the edition in ``locale``'s language.

    For an article not yet created: it takes its section's locale.
    """
    return list(Newsletter.objects.filter(language=locale.language_code))


@transaction.atomic
def create_for_article(
    article: ArticlePage,
    newsletter: Newsletter,
    user: User | None = None,
) -> Issue | None:
    """The issue sending ``article`` to ``newsletter`` once it is public.

    An article goes to a newsletter once: publishing it again with the same
    newsletter chosen (a correction, a new headline) creates nothing.

    Returns:
        The new WAITING issue, or None when the article already has one
        for this newsletter (in any state).
    """
    # Locked so two publishes at once cannot both find none.
    Newsletter.objects.select_for_update().filter(pk=newsletter.pk).first()
    if Issue.objects.filter(article=article, newsletter=newsletter).exists():
        return None
    issue = Issue.objects.create(
        newsletter=newsletter,
        article=article,
        subject=article.title[:300],
        preheader=(article.standfirst or "")[:200],
        status=IssueStatus.WAITING,
        created_by=user,
    )
    # After commit: the article's publish (if it is public now) and this
    # issue are seen together by the sender.
    ids = [article.pk]
    transaction.on_commit(lambda: send_waiting_for(ids))
    return issue


def send_waiting_for(article_ids: Iterable[int]) -> list[int]:
    """Start the WAITING issues of those of these articles that are public now.

    Called after the publishing pipeline's signal (signals.py) and after
    "publish and send"; the recurring ``send_due_issues`` catches any missed.

    Returns:
        The ids of the issues started.
    """
    ids = set(article_ids)
    if not ids:
        return []
    waiting = Issue.objects.filter(
        status=IssueStatus.WAITING, article_id__in=ids
    ).select_related("article")
    started = []
    for issue in waiting:
        article: Any = issue.article
        # Case: scheduled, embargoed, private or unpublished: it waits on.
        if article is None or not is_public(article):
            continue
        # False: another process started it first.
        if sending.start_send(issue):
            started.append(issue.pk)
    return started
