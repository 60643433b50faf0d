"""Members in the admin: only groups granted it see the list (#16)."""

import csv
import io
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from masthead.members.factories import MemberFactory, MemberLabelFactory
from masthead.members.models import ConsentEvent, Member, email_digest
from masthead.newsroom.services import EDITOR

pytestmark = pytest.mark.django_db

LIST = "/admin/snippets/members/member/"


def staff(client, django_user_model, settings, group: Group):
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_user("staff", password="a-long-pass")
    user.groups.add(group)
    client.force_login(user)
    return user


@pytest.fixture
def audience_desk(client, django_user_model, settings):
    """A group with admin access and the members permissions."""
    group = Group.objects.create(name="Audience")
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ),
        Permission.objects.get(
            content_type__app_label="members", codename="view_member"
        ),
        Permission.objects.get(
            content_type__app_label="members", codename="change_member"
        ),
    )
    staff(client, django_user_model, settings, group)
    return client


def emails_listed(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html5lib")
    return [
        cell.get_text(strip=True)
        for cell in soup.select("table.listing tbody td.title .title-wrapper a")
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_an_editor_without_the_permission_is_refused(
    client, django_user_model, settings
):
    MemberFactory(email="private@example.org")
    staff(client, django_user_model, settings, Group.objects.get(name=EDITOR))
    response = client.get(LIST)
    # Wagtail's refusal: back to the dashboard, which lists no Members menu.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    dashboard = client.get("/admin/")
    assert b"private@example.org" not in dashboard.content
    assert LIST.encode() not in dashboard.content


def test_granted_group_searches_and_filters(audience_desk):
    MemberFactory(email="olena@example.org", name="Olena", source="/newsletter/")
    old = MemberFactory(email="taras@example.org", name="Taras")
    Member.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=30)
    )

    listed = emails_listed(audience_desk.get(LIST))
    assert sorted(listed) == ["olena@example.org", "taras@example.org"]
    assert emails_listed(audience_desk.get(LIST, {"q": "taras"})) == [
        "taras@example.org"
    ]
    assert emails_listed(
        audience_desk.get(LIST, {"source__icontains": "newsletter"})
    ) == ["olena@example.org"]
    since = (timezone.now() - timedelta(days=2)).date().isoformat()
    assert emails_listed(audience_desk.get(LIST, {"created_at__gte": since})) == [
        "olena@example.org"
    ]


def test_csv_export_lists_members_with_their_labels(audience_desk):
    member = MemberFactory(email="olena@example.org")
    member.labels.add(MemberLabelFactory(name="press"))
    response = audience_desk.get(LIST, {"export": "csv"})
    assert response.status_code == 200
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    assert [(row["E-mail address"], row["labels"]) for row in rows] == [
        ("olena@example.org", "press")
    ]


def test_labels_and_notes_are_editable(audience_desk):
    member = MemberFactory(email="olena@example.org")
    label = MemberLabelFactory(name="donor")
    response = audience_desk.post(
        f"{LIST}edit/{member.pk}/",
        {
            "email": member.email,
            "name": "Olena",
            "status": "free",
            "labels": [label.pk],
            "notes": "Met at the festival.",
        },
    )
    assert response.status_code == 302, response.content
    member.refresh_from_db()
    assert member.notes == "Met at the festival."
    assert list(member.labels.all()) == [label]


def test_deleting_a_member_in_the_admin_records_the_withdrawal(admin_client, settings):
    settings.MASTHEAD_2FA_ENABLED = False
    member = MemberFactory(email="leaving@example.org")
    response = admin_client.post(f"{LIST}delete/{member.pk}/")
    assert response.status_code == 302
    assert not Member.objects.exists()
    events = list(
        ConsentEvent.objects.values_list("member", "what", "action", "email_digest")
    )
    digest = email_digest("leaving@example.org")
    assert events == [(None, "account", "withdrawn", digest)]
