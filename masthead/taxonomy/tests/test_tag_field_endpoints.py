"""The tag field's JSON endpoints: suggestions and create-as-you-type (#14)."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.newsroom.services import CONTRIBUTOR, EDITOR
from masthead.taxonomy.factories import TagFactory
from masthead.taxonomy.models import Tag, TagType

pytestmark = pytest.mark.django_db

SUGGEST = "/admin/tag-field/suggest/"
CREATE = "/admin/tag-field/new/"


@pytest.fixture
def staff(client, django_user_model, settings):
    """Sign in as a newsroom role; two-factor sign-in has its own tests."""
    settings.MASTHEAD_2FA_ENABLED = False

    def sign_in(role: str):
        user = django_user_model.objects.create_user(
            role.lower(), password="a-long-pass-phrase"
        )
        user.groups.add(Group.objects.get(name=role))
        client.force_login(user)
        return client

    return sign_in


def test_suggestions_show_each_tags_type_nearest_first(admin_client):
    TagFactory(name="Kyiv Oblast", slug="kyiv-oblast", tag_type=TagType.PLACE)
    TagFactory(name="Kyiv", slug="kyiv", tag_type=TagType.PLACE)
    TagFactory(name="Kyiv Post", slug="kyiv-post", tag_type=TagType.ORGANISATION)
    TagFactory(name="Kharkiv", slug="kharkiv", tag_type=TagType.PLACE)
    response = admin_client.get(SUGGEST, {"q": " ky "})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["name"], r["type"], r["type_label"]) for r in results] == [
        ("Kyiv", "place", "place"),
        ("Kyiv Oblast", "place", "place"),
        ("Kyiv Post", "organisation", "organisation"),
    ]
    assert results[0]["id"] == Tag.objects.get(slug="kyiv").pk


def test_suggestions_are_limited_to_ten_in_one_tag_query(admin_client):
    for n in range(12):
        TagFactory(name=f"Energy {n:02d}", slug=f"energy-{n:02d}")
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(SUGGEST, {"q": "Energy"})
    assert [r["name"] for r in response.json()["results"]] == [
        f"Energy {n:02d}" for n in range(10)
    ]
    tag_reads = [q["sql"] for q in queries if '"taxonomy_tag"' in q["sql"]]
    assert len(tag_reads) == 1
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {tag_reads[0]}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    # The slug's unique index, read as a range: no scan of every tag.
    assert "USING INDEX" in plan
    assert "SCAN" not in plan.replace("SEARCH", "")


@pytest.mark.parametrize("query", ["", "   ", "!!!"])
def test_an_empty_query_suggests_nothing(admin_client, query):
    TagFactory(name="Energy", slug="energy")
    response = admin_client.get(SUGGEST, {"q": query})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_an_overlong_query_is_a_400(admin_client):
    response = admin_client.get(SUGGEST, {"q": "k" * 101})
    assert response.status_code == 400
    assert "q" in response.json()["error"]


def test_suggestions_are_for_signed_in_staff_only(client, django_user_model, staff):
    TagFactory(name="Kyiv", slug="kyiv", tag_type=TagType.PLACE)
    response = client.get(SUGGEST, {"q": "kyiv"})
    # Case: signed out: sent to the admin's sign-in.
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    # Case: a reader's account, no admin access: refused, nothing listed.
    client.force_login(django_user_model.objects.create_user("reader"))
    response = client.get(SUGGEST, {"q": "kyiv"})
    assert response.status_code in (302, 403)
    assert b"Kyiv" not in response.content
    # Case: the least of the newsroom roles gets the suggestions.
    response = staff(CONTRIBUTOR).get(SUGGEST, {"q": "kyiv"})
    assert response.status_code == 200
    assert [r["name"] for r in response.json()["results"]] == ["Kyiv"]


def test_an_editor_creates_a_tag_as_they_type(staff):
    response = staff(EDITOR).post(
        CREATE, {"name": "  Odesa   Opera ", "tag_type": TagType.PLACE}
    )
    assert response.status_code == 201
    tag = Tag.objects.get(name="Odesa Opera")
    assert (tag.slug, tag.tag_type) == ("odesa-opera", TagType.PLACE)
    assert response.json() == {
        "id": tag.pk,
        "name": "Odesa Opera",
        "type": "place",
        "type_label": "place",
    }


def test_a_contributor_may_not_create_tags(staff):
    response = staff(CONTRIBUTOR).post(
        CREATE, {"name": "Odesa Opera", "tag_type": TagType.PLACE}
    )
    assert response.status_code == 403
    assert not Tag.objects.filter(name="Odesa Opera").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "tag_type": "place"}, "required"),
        ({"name": "x" * 101, "tag_type": "place"}, "at most 100"),
        ({"name": "Odesa", "tag_type": "planet"}, "not one of"),
        ({"name": "energy", "tag_type": "topic"}, "exists already"),
    ],
)
def test_a_bad_new_tag_is_a_400_with_the_reason(admin_client, data, message):
    TagFactory(name="Energy", slug="energy")
    response = admin_client.post(CREATE, data)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert Tag.objects.count() == 1


def test_creating_a_tag_takes_a_post(admin_client):
    assert admin_client.get(CREATE, {"name": "Odesa"}).status_code == 405
