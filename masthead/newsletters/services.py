"""Writes for newsletters (#16).

Each service runs in one transaction and is idempotent: called twice it
changes nothing the second time and records no second consent. Mail is
enqueued after commit, so a rolled-back request sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from masthead.members.models import (
    ConsentAction,
    ConsentEvent,
    Member,
    normalise_email,
)
from masthead.members.services import erase_member, record_consent

from . import links
from .models import Newsletter, Subscription, SubscriptionStatus, Suppression

# ---------------------------------------------------------------------------
# Subscriptions: sign-up, double opt-in, unsubscribe, preferences.


def consent_name(newsletter: Newsletter) -> str:
    """What a newsletter's consent events are recorded as: ``newsletter:<slug>``."""
    return f"newsletter:{newsletter.slug}"


def public_newsletters(language: str) -> QuerySet[Newsletter]:
    """The newsletters readers of the ``language`` edition may sign up to."""
    return Newsletter.objects.filter(language=language, is_public=True)


def offered_newsletters(member: Member, language: str) -> QuerySet[Newsletter]:
    """What a member's preferences show: the edition's public newsletters, and
    any other of the edition they receive (so they can always leave it)."""
    receiving = Subscription.objects.filter(
        member=member, status=SubscriptionStatus.ACTIVE
    ).values("newsletter_id")
    return Newsletter.objects.filter(
        Q(is_public=True) | Q(pk__in=receiving), language=language
    )


@transaction.atomic
def find_or_create_member(email: str, *, language: str, source: str) -> Member:
    """The member with ``email``, created (without an account consent) if new.

    A newsletter sign-up keeps the address it must mail the confirmation
    to; the consent recorded is the newsletter's, once confirmed.
    """
    member, _created = Member.objects.get_or_create(
        email=normalise_email(email),
        defaults={"language": language, "source": source[:200]},
    )
    return member


@transaction.atomic
def subscribe(
    member: Member, newsletter: Newsletter, source: str, confirmed: bool
) -> Subscription:
    """Put ``member`` on ``newsletter``.

    Args:
        member: the reader.
        newsletter: the newsletter.
        source: the page or form it came from (kept on the row and consent).
        confirmed: True when the reader has shown the address is theirs
            (signed in, or a link from their mailbox): active at once, with
            the consent recorded. False: pending, and a confirmation link is
            e-mailed after commit (double opt-in), unless the address is
            suppressed.

    Returns:
        The subscription. An active one is left as it is.
    """
    subscription, _created = Subscription.objects.select_for_update().get_or_create(
        member=member, newsletter=newsletter, defaults={"source": source[:200]}
    )
    if subscription.status == SubscriptionStatus.ACTIVE:
        # Case: already receiving it: nothing to change or record.
        return subscription
    if confirmed:
        _activate(subscription, source)
        return subscription
    if subscription.status != SubscriptionStatus.PENDING:
        # Case: unsubscribed before, signing up again.
        subscription.status = SubscriptionStatus.PENDING
        subscription.source = source[:200]
    # A pending subscription dates from its newest request: the one whose
    # link is still fresh (erase_unconfirmed_sign_ups waits from it).
    subscription.created_at = timezone.now()
    subscription.save(update_fields=["status", "source", "created_at"])
    if Suppression.covers(member.email):
        # Case: the address bounced or complained: it is never mailed.
        return subscription
    subscription_id = subscription.pk

    def send() -> None:
        from .tasks import send_confirmation

        send_confirmation.enqueue(subscription_id)

    transaction.on_commit(send)
    return subscription


def _activate(subscription: Subscription, source: str) -> None:
    subscription.status = SubscriptionStatus.ACTIVE
    subscription.confirmed_at = timezone.now()
    subscription.unsubscribed_at = None
    subscription.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    record_consent(
        subscription.member,
        consent_name(subscription.newsletter),
        ConsentAction.GRANTED,
        source,
    )


@transaction.atomic
def confirm_subscription(
    member_id: int, newsletter_id: int, source: str
) -> Subscription | None:
    """Confirm a pending subscription from its e-mailed link.

    Returns:
        The subscription, active; None when there is nothing to confirm
        (no such sign-up, or the reader has unsubscribed since).
    """
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("member", "newsletter")
        .filter(member_id=member_id, newsletter_id=newsletter_id)
        .first()
    )
    if subscription is None or subscription.status == SubscriptionStatus.UNSUBSCRIBED:
        return None
    if subscription.status == SubscriptionStatus.PENDING:
        _activate(subscription, source)
    return subscription


@transaction.atomic
def unsubscribe(member_id: int, newsletter_id: int, source: str) -> bool:
    """Take the member off the newsletter (the row stays, as its record).

    Returns:
        True if this call unsubscribed them; False if they were not on it.
    """
    subscription = (
        Subscription.objects.select_for_update()
        .select_related("member", "newsletter")
        .filter(member_id=member_id, newsletter_id=newsletter_id)
        .exclude(status=SubscriptionStatus.UNSUBSCRIBED)
        .first()
    )
    if subscription is None:
        return False
    subscription.status = SubscriptionStatus.UNSUBSCRIBED
    subscription.unsubscribed_at = timezone.now()
    subscription.save(update_fields=["status", "unsubscribed_at"])
    record_consent(
        subscription.member,
        consent_name(subscription.newsletter),
        ConsentAction.WITHDRAWN,
        source,
    )
    return True


@transaction.atomic
def set_preferences(
    member: Member, newsletter_ids: Iterable[int], source: str, *, language: str
) -> list[Newsletter]:
    """Make the member receive exactly the ticked newsletters of an edition.

    Only the newsletters the preferences page offers (``offered_newsletters``)
    change: ticked ones start at once (the reader came from their mailbox or
    is signed in), unticked active ones stop. A pending sign-up left
    unticked stays pending: its confirmation link still decides.

    Returns:
        The newsletters whose subscription changed.
    """
    wanted = set(newsletter_ids)
    offered = list(offered_newsletters(member, language))
    status = dict(
        Subscription.objects.filter(member=member, newsletter__in=offered).values_list(
            "newsletter_id", "status"
        )
    )
    changed = []
    for newsletter in offered:
        is_active = status.get(newsletter.pk) == SubscriptionStatus.ACTIVE
        if newsletter.pk in wanted and not is_active:
            subscribe(member, newsletter, source, confirmed=True)
            changed.append(newsletter)
        elif newsletter.pk not in wanted and is_active:
            unsubscribe(member.pk, newsletter.pk, source)
            changed.append(newsletter)
    return changed


def member_subscriptions(member: Member) -> list[dict[str, str | None]]:
    """The member's subscriptions as plain data: their data download, account."""
    rows = Subscription.objects.filter(member=member).select_related("newsletter")
    return [
        {
            "newsletter": row.newsletter.name,
            "slug": row.newsletter.slug,
            "status": row.status,
            "source": row.source,
            "created_at": row.created_at.isoformat(),
            "confirmed_at": row.confirmed_at.isoformat() if row.confirmed_at else None,
            "unsubscribed_at": (
                row.unsubscribed_at.isoformat() if row.unsubscribed_at else None
            ),
        }
        for row in rows.order_by("newsletter__sort_order", "newsletter__name")
    ]


# ---------------------------------------------------------------------------
# Sign-ups never confirmed: erased once overdue (data minimisation).

# What the consent log's "account, withdrawn" event of such an erasure says.
UNCONFIRMED_ERASURE_SOURCE = "unconfirmed newsletter sign-up"
# Members erased per transaction. Each is deleted on its own, so its
# pre_delete signal logs the erasure: about ten queries a member.
ERASE_BATCH = 100


def unconfirmed_sign_ups(cutoff: datetime) -> QuerySet[Member]:
    """Members an anonymous newsletter sign-up left, unconfirmed since ``cutoff``.

    Narrow on purpose: only the row ``find_or_create_member`` makes for an
    address nobody has shown to be theirs, never one a reader, staff or an
    import made. A member is selected only if all of these hold:

    - its ``source`` is a page path ("/..."): the sign-up form records the
      page (views._source). A CSV import records "import:<format>:<file>",
      a member added in the admin has none.
    - it was never granted a consent of any kind: an account sign-up by
      e-mailed link records "account, granted"; a confirmed newsletter,
      even one left since, and an import's subscriptions record theirs.
    - it never signed in (``last_signed_in_at`` is empty).
    - it has no active subscription, and at least one pending.
    - it, and each of its pending subscriptions, is older than ``cutoff``.

    A repeated sign-up to the same newsletter does not restart the clock:
    the subscription keeps its first ``created_at``.
    """
    subscriptions = Subscription.objects.filter(member=OuterRef("pk"))
    pending = subscriptions.filter(status=SubscriptionStatus.PENDING)
    return (
        Member.objects.filter(
            source__startswith="/",
            last_signed_in_at__isnull=True,
            created_at__lt=cutoff,
        )
        .filter(Exists(pending))
        .exclude(Exists(pending.filter(created_at__gte=cutoff)))
        .exclude(Exists(subscriptions.filter(status=SubscriptionStatus.ACTIVE)))
        .exclude(
            Exists(
                ConsentEvent.objects.filter(
                    member=OuterRef("pk"), action=ConsentAction.GRANTED
                )
            )
        )
    )


def erase_unconfirmed_sign_ups(now: datetime | None = None) -> int:
    """Erase the members of sign-ups unconfirmed for the configured days.

    ``unconfirmed_sign_ups`` selects them, with the cut-off
    ``MASTHEAD_NEWSLETTER_UNCONFIRMED_DAYS`` before ``now``, and never less
    than the confirmation link's lifetime, so no working link finds its
    reader gone. Each goes through ``erase_member``: its pending links go,
    and the consent log keeps "account, withdrawn" with
    ``UNCONFIRMED_ERASURE_SOURCE``. One transaction per ``ERASE_BATCH``
    members; a second run finds nothing.

    Returns:
        How many members were erased.
    """
    wait = max(
        timedelta(days=settings.MASTHEAD_NEWSLETTER_UNCONFIRMED_DAYS),
        timedelta(seconds=links.CONFIRM_SECONDS),
    )
    cutoff = (now or timezone.now()) - wait
    erased, after = 0, 0
    while True:
        ids = list(
            unconfirmed_sign_ups(cutoff)
            .filter(pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:ERASE_BATCH]
        )
        if not ids:
            return erased
        after = ids[-1]
        erased += _erase_batch(ids, cutoff)


@transaction.atomic
def _erase_batch(ids: list[int], cutoff: datetime) -> int:
    # Subscriptions before members, the order confirm_subscription locks
    # them in: a reader confirming meanwhile waits, then finds nothing to
    # confirm, instead of deadlocking with the batch.
    list(
        Subscription.objects.select_for_update()
        .filter(member_id__in=ids)
        .values_list("pk", flat=True)
    )
    # Selected again under the lock: a reader may have confirmed or signed
    # in since the ids were read.
    members = list(unconfirmed_sign_ups(cutoff).filter(pk__in=ids).select_for_update())
    for member in members:
        erase_member(member, UNCONFIRMED_ERASURE_SOURCE)
    return len(members)
