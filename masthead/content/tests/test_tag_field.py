"""Tags typed into one field in the article editor, in order (#14).

Driven through the admin's page create and edit views, as the browser posts
the form: the script posts the chosen ids as JSON; without it the field is a
box of comma-separated names.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from masthead.content.factories import edit_form_data, make_article, make_section
from masthead.content.models import ArticlePage, ArticleTag
from masthead.newsroom.services import CONTRIBUTOR, EDITOR
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory
from masthead.taxonomy.models import Tag, TagType

pytestmark = pytest.mark.django_db


def new_article_data(tags: str, title: str = "Storm Hits Coast") -> dict[str, str]:
    data = nested_form_data(
        {
            "genre": "news",
            "title": title,
            "slug": "",
            "standfirst": "",
            "hero_image": "",
            "hero_caption": "",
            "body": streamfield([("paragraph", rich_text("<p>Words.</p>"))]),
            "article_authors": inline_formset(
                [{"author": AuthorFactory.create().pk, "ORDER": 0}], min=1
            ),
            "tags": tags,
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "published_at": "",
        }
    )
    data["action-save"] = "1"
    return data


def create(client, section, tags: str):
    return client.post(
        f"/admin/pages/add/content/articlepage/{section.pk}/", new_article_data(tags)
    )


def edit(client, article, action: str, tags: str):
    data = edit_form_data(article, action)
    data["tags"] = tags
    return client.post(f"/admin/pages/{article.pk}/edit/", data)


def ids(*tags) -> str:
    return json.dumps([tag.pk for tag in tags])


def tag_rows(article) -> list[tuple[str, int]]:
    rows = ArticleTag.objects.filter(article=article).order_by("sort_order")
    return [(row.tag.name, row.sort_order) for row in rows]


def field_errors(response) -> list[str]:
    assert response.status_code == 200
    return response.context["form"].errors.get("tags", [])


@pytest.fixture
def places():
    return (
        TagFactory(name="Kyiv", slug="kyiv", tag_type=TagType.PLACE),
        TagFactory(name="Energy", slug="energy", tag_type=TagType.TOPIC),
        TagFactory(name="Odesa", slug="odesa", tag_type=TagType.PLACE),
    )


def test_a_new_article_keeps_the_tags_in_the_order_chosen(admin_client, places):
    kyiv, energy, odesa = places
    section = make_section()
    response = create(admin_client, section, ids(odesa, kyiv, energy))
    assert response.status_code == 302, response.context["form"].errors
    article = ArticlePage.objects.child_of(section).get()
    assert tag_rows(article) == [("Odesa", 0), ("Kyiv", 1), ("Energy", 2)]


def test_without_scripts_names_are_matched_ignoring_case(admin_client, places):
    section = make_section()
    response = create(admin_client, section, " energy ,KYIV,, Energy")
    assert response.status_code == 302, response.context["form"].errors
    article = ArticlePage.objects.child_of(section).get()
    assert tag_rows(article) == [("Energy", 0), ("Kyiv", 1)]


def test_an_unknown_name_is_refused_naming_it_and_creates_nothing(admin_client, places):
    section = make_section()
    errors = field_errors(create(admin_client, section, "Kyiv, Kherson, Mars"))
    assert len(errors) == 1
    assert "“Kherson”, “Mars”" in errors[0]
    assert Tag.objects.count() == 3
    assert not ArticlePage.objects.child_of(section).exists()


def test_a_name_two_tags_share_is_refused(admin_client):
    TagFactory(name="Georgia", slug="georgia", tag_type=TagType.PLACE)
    TagFactory(name="georgia", slug="georgia-2", tag_type=TagType.PERSON)
    errors = field_errors(create(admin_client, make_section(), "Georgia"))
    assert "More than one tag is called “Georgia”" in errors[0]


@pytest.mark.parametrize(
    "posted",
    [
        "[1, 2",
        '{"id": 1}',
        '["1"]',
        "[true]",
        "[1.5]",
        "[999999]",
        json.dumps(list(range(51))),
        "x," * 4000,
    ],
)
def test_bad_tag_input_is_a_form_error_on_the_field(admin_client, posted):
    section = make_section()
    response = create(admin_client, section, posted)
    assert field_errors(response)
    assert not ArticlePage.objects.child_of(section).exists()


def test_editing_reorders_and_removes_keeping_the_rows(admin_client, places):
    kyiv, energy, odesa = places
    article = make_article(tags=[kyiv, energy, odesa])
    kept = ArticleTag.objects.get(article=article, tag=odesa).pk
    response = edit(admin_client, article, "action-publish", ids(odesa, kyiv))
    assert response.status_code == 302, response.context["form"].errors
    assert tag_rows(article) == [("Odesa", 0), ("Kyiv", 1)]
    assert ArticleTag.objects.get(article=article, tag=odesa).pk == kept
    # The publish-time copy that tag listings read in order still happens.
    article.refresh_from_db()
    assert set(
        ArticleTag.objects.filter(article=article).values_list(
            "published_at", flat=True
        )
    ) == {article.published_at}


def test_a_draft_keeps_its_tags_in_the_revision_until_published(admin_client, places):
    kyiv, energy, odesa = places
    article = make_article(tags=[kyiv])
    response = edit(admin_client, article, "action-save", ids(energy, odesa, kyiv))
    assert response.status_code == 302, response.context["form"].errors
    # The live rows are untouched by a draft.
    assert tag_rows(article) == [("Kyiv", 0)]
    draft = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert [row.tag.name for row in draft.article_tags.all()] == [
        "Energy",
        "Odesa",
        "Kyiv",
    ]
    # The editor opens the draft with its tags, types shown, in order.
    page = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    field = BeautifulSoup(page.content, "html5lib").select_one("input[name=tags]")
    # Exactly what the field's script writes (JSON.stringify), so Wagtail
    # sees no unsaved change when the script starts.
    assert field["value"] == f"[{energy.pk},{odesa.pk},{kyiv.pk}]"
    assert [(t["name"], t["type_label"]) for t in json.loads(field["data-chosen"])] == [
        ("Energy", "topic"),
        ("Odesa", "place"),
        ("Kyiv", "place"),
    ]
    # Wagtail's revision comparison copes with a field that is not a column.
    revision = draft.latest_revision_id
    compare = f"/admin/pages/{article.pk}/revisions/compare/live...{revision}/"
    assert admin_client.get(compare).status_code == 200
    publish = edit_form_data(draft, "action-publish")
    assert json.loads(publish["tags"]) == [energy.pk, odesa.pk, kyiv.pk]
    response = admin_client.post(f"/admin/pages/{article.pk}/edit/", publish)
    assert response.status_code == 302
    assert tag_rows(article) == [("Energy", 0), ("Odesa", 1), ("Kyiv", 2)]


def test_the_editor_has_one_tag_field_instead_of_rows(admin_client):
    section = make_section()
    page = admin_client.get(f"/admin/pages/add/content/articlepage/{section.pk}/")
    soup = BeautifulSoup(page.content, "html5lib")
    field = soup.select_one("input[name=tags]")
    assert field is not None
    assert field["value"] == "[]"
    assert field["data-suggest-url"] == "/admin/tag-field/suggest/"
    assert field["data-create-url"] == "/admin/tag-field/new/"
    assert soup.select_one("[name=article_tags-TOTAL_FORMS]") is None
    scripts = [s.get("src", "") for s in soup.select("script[type=module]")]
    assert any(src.endswith("masthead/admin/tag_field.js") for src in scripts)


@pytest.mark.parametrize(
    ("role", "can_create"), [(CONTRIBUTOR, "false"), (EDITOR, "true")]
)
def test_create_as_you_type_is_offered_to_those_who_may_add_tags(
    client, django_user_model, settings, role, can_create
):
    settings.MASTHEAD_2FA_ENABLED = False
    user = django_user_model.objects.create_user(role.lower(), password="x-long-pw")
    user.groups.add(Group.objects.get(name=role))
    client.force_login(user)
    section = make_section()
    page = client.get(f"/admin/pages/add/content/articlepage/{section.pk}/")
    assert page.status_code == 200
    field = BeautifulSoup(page.content, "html5lib").select_one("input[name=tags]")
    assert field["data-can-create"] == can_create


def test_a_preview_takes_the_typed_tags_and_saves_nothing(admin_client, places):
    kyiv, energy, odesa = places
    article = make_article(tags=[kyiv])
    url = f"/admin/pages/{article.pk}/edit/preview/"
    data = edit_form_data(article, "action-save")
    data["tags"] = ids(odesa, energy)
    response = admin_client.post(url, data)
    assert response.json() == {"is_valid": True, "is_available": True}
    data["tags"] = "Odesa, Mars"
    response = admin_client.post(url, data)
    assert response.json()["is_valid"] is False
    assert admin_client.get(url).status_code == 200
    assert tag_rows(article) == [("Kyiv", 0)]
    assert Tag.objects.count() == 3
    assert not ArticlePage.objects.get(pk=article.pk).has_unpublished_changes
