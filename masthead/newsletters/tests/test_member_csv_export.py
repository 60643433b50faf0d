"""Exporting members as CSV, and the admin's import and export screens (#16)."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from masthead.members.factories import MemberFactory
from masthead.members.models import ConsentEvent, Member, MemberLabel
from masthead.newsletters.member_csv import GHOST_COLUMNS, export_members
from masthead.newsletters.models import Newsletter, Subscription
from masthead.newsroom.services import CONTRIBUTOR

from .member_files import BAD, GHOST, SUBSTACK, run, run_text, state

IMPORT_URL = "/admin/members/import/"
EXPORT_URL = "/admin/members/export.csv"


@pytest.fixture
def weekly(db):
    return Newsletter.objects.create(name="The Weekly", slug="weekly")


@pytest.fixture
def daily(db):
    return Newsletter.objects.create(name="The Daily", slug="daily")


def exported(members=None) -> list[dict[str, str]]:
    out = io.StringIO()
    export_members(out, members)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.django_db
def test_export_has_ghost_columns_and_each_members_newsletters(weekly, daily):
    run(GHOST, weekly, daily)
    out = io.StringIO()

    assert export_members(out) == 4

    header = next(csv.reader(io.StringIO(out.getvalue())))
    assert header == [*GHOST_COLUMNS, "newsletters"]
    rows = {row["email"]: row for row in exported()}
    assert rows["olena@example.org"]["labels"] == "donor 2022,press"
    assert rows["olena@example.org"]["created_at"] == "2023-02-14T09:30:12.000Z"
    assert rows["olena@example.org"]["subscribed_to_emails"] == "true"
    assert rows["olena@example.org"]["newsletters"] == "daily,weekly"
    assert rows["taras@example.org"]["subscribed_to_emails"] == "false"
    assert rows["taras@example.org"]["newsletters"] == ""


@pytest.mark.django_db
def test_export_then_import_changes_nothing(weekly, daily):
    run(GHOST, weekly)
    run(SUBSTACK, daily)
    formula = MemberFactory(email="eve@example.org", name="=HYPERLINK(1)")
    out = io.StringIO()
    export_members(out)
    assert exported(Member.objects.filter(pk=formula.pk))[0]["name"] == (
        "'=HYPERLINK(1)"
    )
    before = state()

    report = run_text(out.getvalue())

    assert not report.is_refused
    assert (report.created_count, report.updated_count) == (0, 0)
    assert report.subscription_count == 0
    assert state() == before


@pytest.mark.django_db
def test_export_imported_elsewhere_restores_members(weekly, daily):
    run(GHOST, weekly)
    run(SUBSTACK, daily)
    # Cells a spreadsheet would run come back as they were.
    MemberFactory(
        email="eve@example.org",
        name="=HYPERLINK(1)",
        notes="-5 points",
        created_at=datetime(2024, 5, 1, 12, tzinfo=UTC),
    )
    out = io.StringIO()
    export_members(out)
    before = state()
    Member.objects.all().delete()
    MemberLabel.objects.all().delete()
    ConsentEvent.objects.all().delete()

    report = run_text(out.getvalue())

    after = state()
    assert report.created_count == 8
    assert after["members"] == before["members"]
    assert after["labels"] == before["labels"]
    assert [s[:3] for s in after["subscriptions"]] == [
        s[:3] for s in before["subscriptions"]
    ]


# The admin screen.


@pytest.fixture
def admin_client(client, django_user_model, settings):
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_superuser(
        "admin", "admin@example.org", "a-long-pass"
    )
    client.force_login(user)
    return client


def upload(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), "text/csv")


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def counts(response) -> dict[str, int]:
    return {
        str(cell["data-count"]): int(cell.get_text(strip=True))
        for cell in page(response).select("td[data-count]")
    }


@pytest.mark.django_db
def test_admin_sees_the_upload_form(admin_client, weekly):
    response = admin_client.get(IMPORT_URL)

    assert response.status_code == 200
    form = page(response).select_one("form.member-import__form")
    assert form["enctype"] == "multipart/form-data"
    assert form.select_one("input[type=file][name=file]")
    assert form.select_one("input[name=csrfmiddlewaretoken]")
    boxes = form.select("input[type=checkbox][name=newsletters]")
    assert [box["value"] for box in boxes] == [str(weekly.pk)]
    assert form.select_one("input[name=dry_run]").has_attr("checked")


@pytest.mark.django_db
def test_admin_dry_run_then_import(admin_client, weekly):
    response = admin_client.post(
        IMPORT_URL,
        {
            "file": upload(GHOST),
            "newsletters": [weekly.pk],
            "encoding": "utf-8",
            "dry_run": "on",
        },
    )
    assert response.status_code == 200
    assert counts(response)["created"] == 4
    heading = page(response).select_one("main h2").get_text(strip=True)
    assert heading == "Dry run: nothing was changed"
    assert not Member.objects.exists()

    response = admin_client.post(
        IMPORT_URL,
        {"file": upload(GHOST), "newsletters": [weekly.pk], "encoding": "utf-8"},
    )
    assert response.status_code == 200
    assert counts(response) == {
        "rows": 4,
        "created": 4,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "subscriptions": 3,
    }
    assert Subscription.objects.filter(newsletter=weekly).count() == 3


@pytest.mark.django_db
def test_admin_bad_file_is_a_form_error_listing_the_lines(admin_client, weekly):
    response = admin_client.post(IMPORT_URL, {"file": upload(BAD), "encoding": "utf-8"})

    assert response.status_code == 400
    listed = [
        item.get_text(strip=True)
        for item in page(response).select("ul.member-import__errors li")
    ]
    assert listed[0] == "line 3: email: 'bob@' is not a valid e-mail address"
    assert len(listed) == 3
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_admin_latin1_file_is_a_form_error(admin_client):
    raw = "email,name\r\njose@example.org,José\r\n".encode("cp1252")
    response = admin_client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile("x.csv", raw), "encoding": "utf-8"},
    )

    assert response.status_code == 400
    listed = page(response).select("ul.member-import__errors li")
    assert listed[0].get_text(strip=True).startswith("line 2: this line is not UTF-8")

    response = admin_client.post(
        IMPORT_URL,
        {"file": SimpleUploadedFile("x.csv", raw), "encoding": "cp1252"},
    )
    assert response.status_code == 200
    assert Member.objects.get().name == "José"


@pytest.mark.django_db
def test_admin_spreadsheet_or_binary_upload_is_a_form_error(admin_client):
    xlsx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U\x80"
    with_nul = b"email,name\r\nann@example.org,A\x00nn\r\n"

    for raw in (xlsx, with_nul):
        response = admin_client.post(
            IMPORT_URL, {"file": SimpleUploadedFile("x.csv", raw), "encoding": "utf-8"}
        )
        assert response.status_code == 400
        assert page(response).select("ul.member-import__errors li")
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_admin_upload_over_the_size_limit_is_refused(admin_client, settings):
    settings.MASTHEAD_MEMBER_IMPORT_MAX_MB = 0

    response = admin_client.post(
        IMPORT_URL, {"file": upload(GHOST), "encoding": "utf-8"}
    )

    assert response.status_code == 400
    errors = page(response).select(".error-message")
    assert [e.get_text(strip=True) for e in errors] == ["The file is larger than 0 MB."]
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_admin_upload_without_csrf_token_is_refused(django_user_model, settings):
    settings.MASTHEAD_2FA_ENABLED = False
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        django_user_model.objects.create_superuser("admin", "a@example.org", "pw")
    )

    response = client.post(IMPORT_URL, {"file": upload(GHOST), "encoding": "utf-8"})

    assert response.status_code == 403
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_contributor_is_refused_import_and_export(client, django_user_model, settings):
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_user("writer", password="a-long-pass")
    user.groups.add(Group.objects.get(name=CONTRIBUTOR))
    client.force_login(user)

    assert client.get(IMPORT_URL).status_code == 403
    response = client.post(IMPORT_URL, {"file": upload(GHOST), "encoding": "utf-8"})
    assert response.status_code == 403
    assert client.get(EXPORT_URL).status_code == 403
    assert not Member.objects.exists()


@pytest.mark.django_db
def test_admin_downloads_the_ghost_layout_export(admin_client, weekly):
    run(GHOST, weekly)

    response = admin_client.get(EXPORT_URL)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row["email"] for row in rows) == [
        "marta@example.net",
        "olena@example.org",
        "paid@example.com",
        "taras@example.org",
    ]
