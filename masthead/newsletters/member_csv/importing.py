"""Importing a members CSV file: checked whole, then written at once (#16)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import IO

from django.db import transaction
from django.utils import timezone

from masthead.core.editions import default_edition
from masthead.members.models import (
    ConsentAction,
    ConsentEvent,
    Member,
    MemberLabel,
    email_digest,
)

from ..models import Newsletter, Subscription, SubscriptionStatus, Suppression
from .reading import (
    CHUNK,
    NEWSLETTERS_COLUMN,
    ImportReport,
    MemberRow,
    Problem,
    read_members,
)

# The models' ``source`` limit: a long file name is cut, never refused.
SOURCE_MAX = 200


def _chunks[T](items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _check(
    rows: list[MemberRow], newsletters: dict[str, Newsletter], report: ImportReport
) -> list[MemberRow]:
    """The rows to write: bad lines reported, duplicates and skips left out."""
    first_line: dict[str, int] = {}
    kept: list[MemberRow] = []
    for row in rows:
        for slug in row.newsletters:
            if slug not in newsletters:
                report.error(
                    Problem(row.line, NEWSLETTERS_COLUMN, f"no newsletter {slug!r}")
                )
        if row.problems:
            continue
        if row.email in first_line:
            report.skipped_count += 1
            report.warn(
                Problem(
                    row.line,
                    "email",
                    f"{row.email!r} is also on line {first_line[row.email]}; "
                    "only that line is used",
                )
            )
            continue
        first_line[row.email] = row.line
        if row.skip_reason:
            report.skipped_count += 1
            report.warn(Problem(row.line, "", f"skipped: {row.skip_reason}"))
            continue
        kept.append(row)
    return kept


def import_members(
    data: IO[bytes],
    newsletter_ids: Iterable[int] = (),
    dry_run: bool = False,
    source: str = "",
    *,
    encoding: str = "utf-8",
    language: str | None = None,
) -> ImportReport:
    """Import the members of a Ghost or Substack CSV file, all or nothing.

    Every line is checked first; if any is bad, nothing is written and the
    report names each bad line and field. New members keep the file's sign-up
    date. Members already here (same normalised address) get the file's name
    when theirs is blank, its labels, and its note appended; they are never
    duplicated, and a second run of the same file changes nothing.

    Members the file says get e-mail are subscribed to ``newsletter_ids`` (and
    to the newsletters of its ``newsletters`` column), active from the file's
    date, with a ``ConsentEvent`` "newsletter:<slug>" of that date as the
    record. An unsubscribed reader stays unsubscribed, and a suppressed
    address (bounced, complained) gets no subscription.

    Args:
        data: the file, opened in binary.
        newsletter_ids: newsletters to subscribe every subscribed member to.
        dry_run: do all the work, report it, then roll it back.
        source: the file's name, recorded as "import:<format>:<source>".
        encoding: the file's text encoding (``ENCODINGS``).
        language: the edition of new members; the default edition when None.

    Returns:
        The report; ``is_refused`` when the file had bad lines.
    """
    started = timezone.now()
    parsed, report = read_members(data, encoding)
    report.source = source
    report.is_dry_run = dry_run
    chosen = list(Newsletter.objects.filter(pk__in=list(newsletter_ids)))
    slugs = {slug for row in parsed for slug in row.newsletters}
    newsletters = {n.slug: n for n in Newsletter.objects.filter(slug__in=slugs)}
    rows = _check(parsed, newsletters, report)
    if report.is_refused:
        report.seconds = (timezone.now() - started).total_seconds()
        return report
    label = f"import:{report.format}:{source}"[:SOURCE_MAX]
    with transaction.atomic():
        _write(rows, chosen, newsletters, label, language or default_edition(), report)
        if dry_run:
            transaction.set_rollback(True)
    report.seconds = (timezone.now() - started).total_seconds()
    return report


def _write(
    rows: list[MemberRow],
    chosen: list[Newsletter],
    by_slug: dict[str, Newsletter],
    source: str,
    language: str,
    report: ImportReport,
) -> None:
    now = timezone.now()
    emails = [row.email for row in rows]
    existing: dict[str, Member] = {}
    for chunk in _chunks(emails):
        for member in Member.objects.filter(email__in=chunk).only(
            "pk", "email", "name", "notes"
        ):
            existing[member.email] = member

    new_members = [
        Member(
            email=row.email,
            name=row.name,
            notes=row.note,
            created_at=row.created_at or now,
            source=source,
            language=language,
        )
        for row in rows
        if row.email not in existing
    ]
    Member.objects.bulk_create(new_members, batch_size=CHUNK)
    report.created_count = len(new_members)
    created = {member.email for member in new_members}

    changed: set[str] = set()
    to_update: list[Member] = []
    for row in rows:
        found = existing.get(row.email)
        if found is None:
            continue
        member = found
        dirty = False
        if row.name and not member.name:
            member.name = row.name
            dirty = True
        if row.note and row.note not in member.notes:
            member.notes = f"{member.notes}\n\n{row.note}" if member.notes else row.note
            dirty = True
        if dirty:
            to_update.append(member)
            changed.add(row.email)
    Member.objects.bulk_update(to_update, ["name", "notes"], batch_size=CHUNK)

    ids: dict[str, int] = {}
    for chunk in _chunks(emails):
        ids.update(Member.objects.filter(email__in=chunk).values_list("email", "pk"))

    changed |= _add_labels(rows, ids)
    changed |= _subscribe(rows, ids, chosen, by_slug, source, now, report)

    report.updated_count = len(changed - created)
    report.unchanged_count = len(rows) - report.created_count - report.updated_count


def _add_labels(rows: list[MemberRow], ids: dict[str, int]) -> set[str]:
    """Give members the file's labels (matched in any case); who got one."""
    wanted = {name for row in rows for name in row.labels}
    if not wanted:
        return set()
    labels = {label.name.lower(): label for label in MemberLabel.objects.all()}
    missing: dict[str, str] = {}
    for name in wanted:
        missing.setdefault(name.lower(), name)
    new = [MemberLabel(name=name) for key, name in missing.items() if key not in labels]
    MemberLabel.objects.bulk_create(new)
    if new:
        labels = {label.name.lower(): label for label in MemberLabel.objects.all()}

    through = Member.labels.through
    member_ids = [ids[row.email] for row in rows if row.labels]
    have: set[tuple[int, int]] = set()
    for chunk in _chunks(member_ids):
        have.update(
            through.objects.filter(member_id__in=chunk).values_list(
                "member_id", "memberlabel_id"
            )
        )
    links = []
    gained: set[str] = set()
    for row in rows:
        member_id = ids[row.email]
        for name in row.labels:
            pair = (member_id, labels[name.lower()].pk)
            if pair not in have:
                have.add(pair)
                links.append(through(member_id=pair[0], memberlabel_id=pair[1]))
                gained.add(row.email)
    through.objects.bulk_create(links, batch_size=CHUNK)
    return gained


def _suppressed(emails: Sequence[str]) -> set[str]:
    digests = {email_digest(email): email for email in emails}
    found: set[str] = set()
    keys = list(digests)
    for chunk in _chunks(keys):
        found.update(
            Suppression.objects.filter(email_digest__in=chunk).values_list(
                "email_digest", flat=True
            )
        )
    return {digests[digest] for digest in found}


def _subscribe(
    rows: list[MemberRow],
    ids: dict[str, int],
    chosen: list[Newsletter],
    by_slug: dict[str, Newsletter],
    source: str,
    now: datetime,
    report: ImportReport,
) -> set[str]:
    """Subscribe the rows that get e-mail; who gained a subscription."""
    wanted: list[tuple[MemberRow, Newsletter]] = []
    for row in rows:
        if not row.is_subscribed:
            continue
        targets = {newsletter.pk: newsletter for newsletter in chosen}
        targets.update((by_slug[s].pk, by_slug[s]) for s in row.newsletters)
        wanted.extend((row, newsletter) for newsletter in targets.values())
    if not wanted:
        return set()

    suppressed = _suppressed(sorted({row.email for row, _ in wanted}))
    for row in rows:
        if row.email in suppressed:
            report.warn(
                Problem(
                    row.line,
                    "email",
                    f"{row.email!r} bounced or complained before; "
                    "imported without subscriptions",
                )
            )
    newsletter_ids = {newsletter.pk for _, newsletter in wanted}
    current: dict[tuple[int, int], Subscription] = {}
    member_ids = sorted({ids[row.email] for row, _ in wanted})
    for chunk in _chunks(member_ids):
        for subscription in Subscription.objects.filter(
            member_id__in=chunk, newsletter_id__in=newsletter_ids
        ).only("pk", "member_id", "newsletter_id", "status"):
            current[(subscription.member_id, subscription.newsletter_id)] = subscription

    new: list[Subscription] = []
    confirmed: list[Subscription] = []
    consents: list[ConsentEvent] = []
    gained: set[str] = set()
    for row, newsletter in wanted:
        if row.email in suppressed:
            continue
        member_id = ids[row.email]
        at = row.created_at or now
        held = current.get((member_id, newsletter.pk))
        if held is None:
            new.append(
                Subscription(
                    member_id=member_id,
                    newsletter=newsletter,
                    status=SubscriptionStatus.ACTIVE,
                    source=source,
                    created_at=at,
                    confirmed_at=at,
                )
            )
        elif held.status == SubscriptionStatus.PENDING:
            # The file is the consent the confirmation e-mail was waiting for.
            held.status = SubscriptionStatus.ACTIVE
            held.confirmed_at = at
            confirmed.append(held)
        else:
            # Case: active already, or unsubscribed here, which outranks a file.
            continue
        consents.append(
            ConsentEvent(
                member_id=member_id,
                email_digest=email_digest(row.email),
                what=f"newsletter:{newsletter.slug}",
                action=ConsentAction.GRANTED,
                at=at,
                source=source,
            )
        )
        gained.add(row.email)
    Subscription.objects.bulk_create(new, batch_size=CHUNK)
    Subscription.objects.bulk_update(confirmed, ["status", "confirmed_at"])
    ConsentEvent.objects.bulk_create(consents, batch_size=CHUNK)
    report.subscription_count = len(new) + len(confirmed)
    return gained
