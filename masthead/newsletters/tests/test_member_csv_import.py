"""Importing members CSV files, by function and by command (#16)."""

from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from masthead.members.factories import MemberFactory, MemberLabelFactory
from masthead.members.models import ConsentEvent, Member, MemberLabel, email_digest
from masthead.newsletters.member_csv import GHOST_COLUMNS
from masthead.newsletters.models import (
    Newsletter,
    Subscription,
    SubscriptionStatus,
    Suppression,
    SuppressionReason,
)

from .member_files import BAD, GHOST, SUBSTACK, run, run_text, state


@pytest.fixture
def weekly(db):
    return Newsletter.objects.create(name="The Weekly", slug="weekly")


@pytest.fixture
def daily(db):
    return Newsletter.objects.create(name="The Daily", slug="daily")


@pytest.mark.django_db
def test_ghost_file_creates_members_labels_and_subscriptions(weekly):
    report = run(GHOST, weekly)

    assert not report.is_refused
    assert report.format == "ghost"
    assert (report.created_count, report.updated_count, report.skipped_count) == (
        4,
        0,
        0,
    )
    # Taras said no to e-mail in Ghost.
    assert report.subscription_count == 3
    olena = Member.objects.get(email="olena@example.org")
    assert olena.name == "Olena Kovalenko"
    assert olena.notes == "Met at the book fair"
    # Imported members keep their sign-up date.
    assert olena.created_at == datetime(2023, 2, 14, 9, 30, 12, tzinfo=UTC)
    assert olena.source == "import:ghost:ghost_members.csv"
    assert sorted(olena.labels.values_list("name", flat=True)) == [
        "donor 2022",
        "press",
    ]
    # One label "donor 2022", shared by both members that carry it.
    assert MemberLabel.objects.filter(name="donor 2022").count() == 1
    subscription = Subscription.objects.get(member=olena, newsletter=weekly)
    assert subscription.status == SubscriptionStatus.ACTIVE
    assert subscription.confirmed_at == olena.created_at
    consent = ConsentEvent.objects.get(member=olena)
    assert consent.what == "newsletter:weekly"
    assert consent.action == "granted"
    assert consent.at == olena.created_at
    assert consent.source == "import:ghost:ghost_members.csv"
    assert consent.email_digest == email_digest("olena@example.org")
    taras = Member.objects.get(email="taras@example.org")
    assert not Subscription.objects.filter(member=taras).exists()


@pytest.mark.django_db
def test_substack_file_subscribes_all_but_the_muted(weekly, daily):
    report = run(SUBSTACK, weekly, daily)

    assert report.created_count == 3
    assert report.subscription_count == 4
    subscribed = sorted(
        Subscription.objects.values_list("member__email", "newsletter__slug")
    )
    assert subscribed == [
        ("reader.one@example.org", "daily"),
        ("reader.one@example.org", "weekly"),
        ("reader.two@example.org", "daily"),
        ("reader.two@example.org", "weekly"),
    ]
    assert Member.objects.get(email="muted@example.org").created_at == datetime(
        2021, 12, 24, 6, tzinfo=UTC
    )


@pytest.mark.django_db
def test_a_file_with_bad_lines_writes_nothing_and_names_each(weekly):
    MemberFactory(email="good@example.org", name="")

    before = state()
    report = run(BAD, weekly)

    assert report.is_refused
    assert [str(problem) for problem in report.errors] == [
        "line 3: email: 'bob@' is not a valid e-mail address",
        "line 4: subscribed_to_emails: 'maybe' is neither true nor false",
        "line 5: created_at: 'yesterday' is not an ISO 8601 date and time",
    ]
    assert report.summary() == (
        "Refused: 3 problem(s) in 5 row(s); nothing was imported."
    )
    assert state() == before


@pytest.mark.django_db
def test_a_second_run_of_the_same_file_changes_nothing(weekly):
    run(GHOST, weekly)
    before = state()

    report = run(GHOST, weekly)

    assert (report.created_count, report.updated_count) == (0, 0)
    assert (report.unchanged_count, report.subscription_count) == (4, 0)
    assert state() == before


@pytest.mark.django_db
def test_existing_members_are_updated_never_duplicated(weekly):
    member = MemberFactory(email="olena@example.org", name="", notes="Called in March.")
    signed_up = member.created_at
    MemberLabelFactory(name="Press")

    report = run(GHOST, weekly)

    assert (report.created_count, report.updated_count) == (3, 1)
    assert Member.objects.filter(email="olena@example.org").count() == 1
    member.refresh_from_db()
    assert member.name == "Olena Kovalenko"
    assert member.notes == "Called in March.\n\nMet at the book fair"
    # Their sign-up here stays; an existing label matches in any case.
    assert member.created_at == signed_up
    assert sorted(member.labels.values_list("name", flat=True)) == [
        "Press",
        "donor 2022",
    ]
    assert not MemberLabel.objects.filter(name="press").exists()


@pytest.mark.django_db
def test_an_existing_name_is_kept(weekly):
    MemberFactory(email="olena@example.org", name="Olena K.")

    run(GHOST, weekly)

    assert Member.objects.get(email="olena@example.org").name == "Olena K."


@pytest.mark.django_db
def test_unsubscribed_reader_stays_unsubscribed_pending_one_is_confirmed(weekly):
    gone = MemberFactory(email="olena@example.org")
    Subscription.objects.create(
        member=gone, newsletter=weekly, status=SubscriptionStatus.UNSUBSCRIBED
    )
    waiting = MemberFactory(email="marta@example.net")
    Subscription.objects.create(
        member=waiting, newsletter=weekly, status=SubscriptionStatus.PENDING
    )

    report = run(GHOST, weekly)

    assert report.subscription_count == 2
    assert Subscription.objects.get(member=gone).status == "unsubscribed"
    confirmed = Subscription.objects.get(member=waiting)
    assert confirmed.status == SubscriptionStatus.ACTIVE
    assert confirmed.confirmed_at == datetime(2021, 6, 1, tzinfo=UTC)
    assert not ConsentEvent.objects.filter(member=gone).exists()


@pytest.mark.django_db
def test_a_suppressed_address_is_imported_without_subscriptions(weekly):
    Suppression.objects.create(
        email_digest=email_digest("olena@example.org"),
        reason=SuppressionReason.HARD_BOUNCE,
    )

    report = run(GHOST, weekly)

    assert Member.objects.filter(email="olena@example.org").exists()
    assert not Subscription.objects.filter(member__email="olena@example.org")
    assert [problem.line for problem in report.warnings] == [2]


@pytest.mark.django_db
def test_duplicates_within_the_file_are_reported_and_the_first_used(weekly):
    text = (
        "email,name\r\n"
        "ann@example.org,Ann\r\n"
        "bo@example.org,Bo\r\n"
        "ANN@example.org,Annie\r\n"
    )
    report = run_text(text, weekly)

    assert not report.is_refused
    assert (report.created_count, report.skipped_count) == (2, 1)
    assert [str(problem) for problem in report.warnings] == [
        "line 4: email: 'ann@example.org' is also on line 2; only that line is used"
    ]
    assert Member.objects.get(email="ann@example.org").name == "Ann"


@pytest.mark.django_db
def test_members_deleted_in_ghost_are_skipped():
    header = ",".join(GHOST_COLUMNS)
    text = (
        f"{header}\r\n,gone@example.org,,,true,false,,,2024-01-01T00:00:00.000Z,,\r\n"
    )

    report = run_text(text)

    assert (report.created_count, report.skipped_count) == (0, 1)
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_an_unknown_newsletter_in_the_file_refuses_it():
    text = "email,newsletters\r\nann@example.org,weekly\r\n"

    report = run_text(text)

    assert [str(problem) for problem in report.errors] == [
        "line 2: newsletters: no newsletter 'weekly'"
    ]
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_dry_run_counts_but_writes_nothing(weekly):
    before = state()

    report = run(GHOST, weekly, dry_run=True)

    assert report.is_dry_run
    assert (report.created_count, report.subscription_count) == (4, 3)
    assert report.summary().startswith("Would import ghost file: 4 created")
    assert state() == before
    assert not MemberLabel.objects.exists()


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_rows(weekly, django_assert_max_num_queries):
    lines = ["email,name,labels,created_at"]
    lines += [
        f"reader{n}@example.org,Reader {n},batch,2024-01-01T00:00:00Z"
        for n in range(2000)
    ]
    # A few queries per 500 rows (bulk inserts), never one per row.
    with django_assert_max_num_queries(60):
        report = run_text("\r\n".join(lines), weekly)

    assert report.created_count == 2000
    assert Subscription.objects.filter(newsletter=weekly).count() == 2000


# The command.


@pytest.mark.django_db
def test_command_imports_and_prints_the_report(weekly, capsys):
    call_command("import_members", str(GHOST), "--newsletter", "weekly")

    out = capsys.readouterr().out
    assert "Imported ghost file: 4 created, 0 updated" in out
    assert Member.objects.count() == 4


@pytest.mark.django_db
def test_command_dry_run_writes_nothing(weekly, capsys):
    call_command("import_members", str(SUBSTACK), "--dry-run")

    assert "Would import substack file: 3 created" in capsys.readouterr().out
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_command_exits_non_zero_with_problems_on_stderr(weekly, capsys):
    # call_command, not the command line: Django's runner closes every
    # connection after a CommandError, which ends the test's transaction on
    # PostgreSQL. The runner turns a CommandError into exit status 1.
    with pytest.raises(CommandError) as error:
        call_command("import_members", str(BAD))

    assert error.value.returncode == 1
    err = capsys.readouterr().err + str(error.value)
    assert "line 3: email: 'bob@' is not a valid e-mail address" in err.splitlines()
    assert "line 5: created_at: 'yesterday' is not an ISO 8601 date and time" in (
        err.splitlines()
    )
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_command_refuses_an_unknown_newsletter(capsys):
    with pytest.raises(CommandError) as error:
        call_command("import_members", str(GHOST), "--newsletter", "nope")

    assert error.value.returncode == 1
    assert "nope" in capsys.readouterr().err + str(error.value)
    assert not Member.objects.exists()
