"""Sending an issue: each active subscriber gets it once, resumably (#16).

``start_send`` copies the recipients into ``Delivery`` rows in one
transaction (unique per issue and member, so a second call copies nothing)
and queues ``tasks.send_batch``. Each batch claims the next
``MASTHEAD_NEWSLETTER_BATCH_SIZE`` queued rows, sends them over one
connection and queues the next batch; pausing stops it between messages,
resuming queues it again. A worker killed mid-send leaves its rows queued:
``resume_stalled_sends`` (run when a worker starts, and every minute by
``send_due_issues``) queues the batch again.

Exactly once: over SMTP each delivery is committed as sent after the
message's content and before DATA's final line (smtp.py says why that is
exactly once, and where the microsecond window for a miss lies). Through a
provider's HTTP API (django-anymail) there is no such point: a batch is
handed over with ``send_messages`` and committed after, so a worker killed
between the provider's answer and the commit sends that batch again (at
most one batch twice); a failed call leaves the batch queued.

Each batch renders the issue once (rendering.py) and fills in each reader's
links by substitution.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import mailers
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from masthead import cache
from masthead.content.visibility import is_public
from masthead.members.models import Member, email_digest

from . import smtp
from .models import (
    Delivery,
    DeliveryStatus,
    Issue,
    IssueStatus,
    Subscription,
    SubscriptionStatus,
    Suppression,
)
from .rendering import RenderedIssue, render_issue

logger = logging.getLogger("masthead.newsletters")

# How often (in messages) a batch checks whether the send was paused.
PAUSE_CHECK_EVERY = 50
RETRY_SECONDS = 60


def send_test(issue: Issue, addresses: Sequence[str]) -> int:
    """Send ``issue`` now to ``addresses`` (no deliveries recorded), "[Test]".

    Returns:
        How many messages the ``bulk`` mailer accepted.
    """
    rendered = render_issue(issue, subject_prefix="[Test] ")
    messages = [
        rendered.email_message(0, None, address) for address in addresses if address
    ]
    return int(mailers["bulk"].send_messages(messages) or 0)


# --- starting, pausing, resuming ------------------------------------------------


def _enqueue(issue_id: int, delay: float = 0) -> None:
    from .tasks import send_batch

    if delay:
        send_batch.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            issue_id
        )
    else:
        send_batch.enqueue(issue_id)


def _snapshot_recipients(issue: Issue) -> None:
    """INSERT … SELECT the newsletter's active subscribers as queued deliveries."""
    delivery = Delivery._meta.db_table
    subscription = Subscription._meta.db_table
    member = Member._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {delivery} (issue_id, member_id, email, status, error) "  # noqa: S608 - table names from models
            f"SELECT %s, m.id, m.email, %s, '' FROM {subscription} s "
            f"JOIN {member} m ON m.id = s.member_id "
            "WHERE s.newsletter_id = %s AND s.status = %s "
            "ORDER BY m.id "
            "ON CONFLICT DO NOTHING",
            [
                issue.pk,
                DeliveryStatus.QUEUED,
                issue.newsletter_id,
                SubscriptionStatus.ACTIVE,
            ],
        )
    # The suppression list is short; the recipients may be 100,000: hash
    # each address once (keyed, so SQL cannot) only when there is a list.
    suppressed = set(Suppression.objects.values_list("email_digest", flat=True))
    if suppressed:
        hits = [
            pk
            for pk, address in Delivery.objects.filter(issue=issue).values_list(
                "pk", "email"
            )
            if email_digest(address) in suppressed
        ]
        for start in range(0, len(hits), 500):
            Delivery.objects.filter(pk__in=hits[start : start + 500]).update(
                status=DeliveryStatus.SUPPRESSED
            )


def start_send(issue: Issue) -> bool:
    """Copy the recipients and start sending; False if already sending or sent.

    A "publish and send" issue whose article is not public yet is set to
    WAITING instead (``send_due_issues`` starts it when it is).
    """
    with transaction.atomic():
        locked = Issue.objects.select_for_update().get(pk=issue.pk)
        if locked.status in {
            IssueStatus.SENDING,
            IssueStatus.SENT,
            IssueStatus.PAUSED,
            IssueStatus.CANCELLED,
        }:
            return False
        if locked.article_id is not None and (
            locked.article is None or not is_public(locked.article)
        ):
            Issue.objects.filter(pk=issue.pk).update(status=IssueStatus.WAITING)
            issue.status = IssueStatus.WAITING
            return False
        _snapshot_recipients(locked)
        # Every row, sent ones included: an issue that went back to waiting
        # (its article unpublished mid-send) keeps what it already sent.
        deliveries = Delivery.objects.filter(issue=locked)
        Issue.objects.filter(pk=issue.pk).update(
            status=IssueStatus.SENDING,
            started_at=locked.started_at or timezone.now(),
            recipient_count=deliveries.count(),
            suppressed_count=deliveries.filter(
                status=DeliveryStatus.SUPPRESSED
            ).count(),
        )
        transaction.on_commit(lambda: _enqueue(issue.pk))
    issue.refresh_from_db()
    return True


def pause_send(issue: Issue) -> bool:
    """Stop sending after the current message; False if it was not sending."""
    changed = Issue.objects.filter(pk=issue.pk, status=IssueStatus.SENDING).update(
        status=IssueStatus.PAUSED
    )
    issue.refresh_from_db()
    return bool(changed)


def resume_send(issue: Issue) -> bool:
    """Carry on a paused send; False if it was not paused."""
    with transaction.atomic():
        changed = Issue.objects.filter(pk=issue.pk, status=IssueStatus.PAUSED).update(
            status=IssueStatus.SENDING
        )
        if changed:
            transaction.on_commit(lambda: _enqueue(issue.pk))
    issue.refresh_from_db()
    return bool(changed)


def resume_stalled_sends(older_than: float | None = None) -> int:
    """Queue the next batch of sends whose worker died; returns how many.

    Args:
        older_than: seconds without a message sent for a send to count as
            stalled; ``None`` for every send (when a worker starts, no batch
            can be running: one worker per site, its pidfile says).
    """
    sending = Issue.objects.filter(status=IssueStatus.SENDING)
    if older_than is None:
        ids = list(sending.values_list("pk", flat=True))
    else:
        since = timezone.now() - timedelta(seconds=older_than)
        ids = []
        for issue_id, started_at in sending.values_list("pk", "started_at"):
            # Rows go out in id order: the highest sent id is the latest
            # message, one seek on the sender's index (issue, status, id).
            last = (
                Delivery.objects.filter(issue_id=issue_id, status=DeliveryStatus.SENT)
                .order_by("-id")
                .values_list("sent_at", flat=True)
                .first()
            )
            latest = last or started_at
            if latest is None or latest < since:
                ids.append(issue_id)
    for issue_id in ids:
        _enqueue(issue_id)
    return len(ids)


def send_due_issues() -> int:
    """Start scheduled issues whose time has come and waiting ones now public.

    Also queues sends that stalled (``MASTHEAD_NEWSLETTER_STALL_SECONDS``).

    Returns:
        How many sends were started.
    """
    from masthead.content.visibility import public_q

    started = 0
    due = Issue.objects.filter(
        Q(status=IssueStatus.SCHEDULED, scheduled_at__lte=timezone.now())
        | Q(
            Q(public_q("article__")),
            status=IssueStatus.WAITING,
            article__isnull=False,
        )
    ).select_related("newsletter", "article")
    for issue in due:
        started += start_send(issue)
    resume_stalled_sends(float(settings.MASTHEAD_NEWSLETTER_STALL_SECONDS))
    return started


# --- the batch ------------------------------------------------------------------


def _finish_if_done(issue_id: int) -> bool:
    queued = Delivery.objects.filter(issue_id=issue_id, status=DeliveryStatus.QUEUED)
    if queued.exists():
        return False
    with transaction.atomic():
        finished = Issue.objects.filter(pk=issue_id, status=IssueStatus.SENDING).update(
            status=IssueStatus.SENT, sent_at=timezone.now()
        )
        if finished:
            # The issue joins its newsletter's archive page.
            cache.purge(cache.NEWSLETTERS)
    return True


def _record_sent(issue_id: int, delivery_id: int) -> bool:
    """Commit one delivery as sent, if it is still queued (the claim).

    Two statements of plain SQL in one small transaction: it runs once per
    message, and the ORM's update() cost three times as much.
    """
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} SET status = %s, sent_at = %s "  # noqa: S608 - table names from models
            "WHERE id = %s AND status = %s",
            [DeliveryStatus.SENT, now, delivery_id, DeliveryStatus.QUEUED],
        )
        if cursor.rowcount != 1:
            return False
        cursor.execute(
            f"UPDATE {Issue._meta.db_table} SET sent_count = sent_count + 1 "  # noqa: S608
            "WHERE id = %s",
            [issue_id],
        )
    return True


def _record_failed(
    issue_id: int, delivery_id: int, error: str, was_recorded: bool
) -> None:
    with transaction.atomic():
        Delivery.objects.filter(pk=delivery_id).update(
            status=DeliveryStatus.FAILED, error=error[:500]
        )
        changes: dict[str, Any] = {"failed_count": F("failed_count") + 1}
        if was_recorded:
            changes["sent_count"] = F("sent_count") - 1
        Issue.objects.filter(pk=issue_id).update(**changes)


def _still_sending(issue_id: int) -> bool:
    return Issue.objects.filter(pk=issue_id, status=IssueStatus.SENDING).exists()


Row = tuple[int, int | None, str]


def _send_over_smtp(rendered: RenderedIssue, rows: Iterable[Row]) -> bool:
    """Send ``rows`` over one connection; False if the send should stop."""
    client = smtp.connect()
    try:
        for count, (delivery_id, member_id, address) in enumerate(rows):
            if (
                count
                and count % PAUSE_CHECK_EVERY == 0
                and not _still_sending(rendered.issue_id)
            ):
                return False
            message = rendered.as_bytes(delivery_id, member_id, address)
            recorded = False

            def record(delivery_id: int = delivery_id) -> bool:
                nonlocal recorded
                recorded = _record_sent(rendered.issue_id, delivery_id)
                return recorded

            try:
                reply = client.send_one(
                    rendered.envelope_from, address, message, record
                )
            except smtp.ClaimLost:
                # Another sender has this issue's rows: leave them to it.
                logger.warning(
                    "Issue %s: delivery %s sent by another worker; stopping.",
                    rendered.issue_id,
                    delivery_id,
                )
                return False
            if not reply.accepted:
                _record_failed(
                    rendered.issue_id,
                    delivery_id,
                    f"{reply.code} {reply.text}",
                    was_recorded=recorded,
                )
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()
    return True


def _send_through_backend(rendered: RenderedIssue, rows: Sequence[Row]) -> bool:
    """Hand ``rows`` to a Django back end in one call, then record them."""
    if not _still_sending(rendered.issue_id):
        return False
    messages = [rendered.email_message(*row) for row in rows]
    sent = mailers["bulk"].send_messages(messages)
    if not sent:
        raise OSError("the bulk mailer sent nothing")
    ids = [row[0] for row in rows]
    with transaction.atomic():
        count = Delivery.objects.filter(
            pk__in=ids, status=DeliveryStatus.QUEUED
        ).update(status=DeliveryStatus.SENT, sent_at=timezone.now())
        Issue.objects.filter(pk=rendered.issue_id).update(
            sent_count=F("sent_count") + count
        )
    return True


def send_batch(issue_id: int) -> int:
    """Send the next batch of ``issue_id``'s queued deliveries.

    Queues the next batch when rows remain and the issue is still sending;
    marks the issue sent when none remain. A connection failure leaves the
    rows queued and tries again in ``RETRY_SECONDS``.

    Returns:
        How many deliveries were attempted.
    """
    issue = (
        Issue.objects.select_related("newsletter", "article")
        .filter(pk=issue_id)
        .first()
    )
    if issue is None or issue.status != IssueStatus.SENDING:
        return 0
    size = int(settings.MASTHEAD_NEWSLETTER_BATCH_SIZE)
    rows: list[Row] = list(
        Delivery.objects.filter(issue_id=issue_id, status=DeliveryStatus.QUEUED)
        .order_by("id")
        .values_list("id", "member_id", "email")[:size]
    )
    if not rows:
        _finish_if_done(issue_id)
        return 0
    if issue.article is not None and not is_public(issue.article):
        # Unpublished or embargoed again since the send started: wait.
        Issue.objects.filter(pk=issue_id, status=IssueStatus.SENDING).update(
            status=IssueStatus.WAITING
        )
        return 0
    rendered = render_issue(issue)
    try:
        if smtp.bulk_is_smtp():
            carry_on = _send_over_smtp(rendered, rows)
        else:
            carry_on = _send_through_backend(rendered, rows)
    except (OSError, smtplib.SMTPException) as error:
        logger.error(
            "Issue %s: sending stopped (%s: %s); retrying in %s s.",
            issue_id,
            type(error).__name__,
            error,
            RETRY_SECONDS,
        )
        _enqueue(issue_id, delay=RETRY_SECONDS)
        return len(rows)
    if carry_on and not _finish_if_done(issue_id) and _still_sending(issue_id):
        _enqueue(issue_id)
    return len(rows)
