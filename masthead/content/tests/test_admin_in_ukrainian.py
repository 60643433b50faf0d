"""The admin's labels, help texts and messages for a Ukrainian account (#15).

An editor whose Wagtail account language is Ukrainian sees the page, author
and tag forms, the body's blocks and the upload and outage messages in
Ukrainian; an English account sees them as before.
"""

import json

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import translation
from wagtail.users.models import UserProfile

from masthead.cache.availability import unavailable
from masthead.content.blocks import ArticleBodyBlock
from masthead.content.factories import make_article
from masthead.core.image_checks import ImageFacts, ImageRefused, check_limits


def speaks(user, language: str) -> None:
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def labels(response) -> dict[str, str]:
    """Each form field's label (or panel heading) by the field's id.

    A panel of one field is headed by a label carrying the field's id;
    a StreamField panel by a heading named after its field. The required
    mark is left out.
    """
    soup = BeautifulSoup(response.content, "html5lib")
    found = {
        str(label["for"]): label.get_text(" ", strip=True)
        for label in soup.select("label[for]")
    }
    for heading in soup.select("h2[id^=panel-child-][id$=-heading]"):
        name = str(heading["id"]).removesuffix("-heading").rsplit("-", 1)[-1]
        found.setdefault(f"id_{name}", heading.get_text(" ", strip=True))
    return {key: text.rstrip("*").strip() for key, text in found.items()}


@pytest.mark.django_db
def test_article_edit_form_is_labelled_in_ukrainian(admin_client, admin_user):
    article = make_article()
    speaks(admin_user, "uk")

    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")

    assert response.status_code == 200
    found = labels(response)
    assert found["id_genre"] == "Жанр"
    assert found["id_standfirst"] == "Лід"
    assert found["id_article_authors-0-author"] == "Автор"
    assert found["id_hero_image"] == "Головне зображення"
    assert found["id_hero_caption"] == "Підпис до головного зображення"
    assert found["id_live_summary"] == "Підсумок трансляції"
    assert found["id_body"] == "Текст"
    assert found["id_tags"] == "Теги"
    assert found["id_embargo_until"] == "Ембарго до"
    assert found["id_published_at"] == "Час публікації"
    # The tag field's script gets its words from the page.
    field = BeautifulSoup(response.content, "html5lib").select_one("[data-tag-field]")
    words = json.loads(field["data-strings"])
    assert words["placeholder"] == "Введіть назву тегу"
    assert words["create"] == "Створити «{query}» · {type}"


@pytest.mark.django_db
def test_article_edit_form_keeps_its_english_labels(admin_client, admin_user):
    article = make_article()
    speaks(admin_user, "en")

    found = labels(admin_client.get(f"/admin/pages/{article.pk}/edit/"))

    assert found["id_standfirst"] == "Standfirst"
    assert found["id_hero_caption"] == "Hero caption"
    assert found["id_embargo_until"] == "Embargo until"


@pytest.mark.django_db
def test_author_and_tag_forms_are_labelled_in_ukrainian(admin_client, admin_user):
    speaks(admin_user, "uk")

    author = labels(admin_client.get("/admin/snippets/people/author/add/"))
    tag = labels(admin_client.get("/admin/snippets/taxonomy/tag/add/"))

    assert author["id_name"] == "Ім’я"
    assert author["id_job_title"] == "Посада"
    assert author["id_bio"] == "Біографія"
    assert tag["id_name"] == "Назва"
    assert tag["id_tag_type"] == "Тип"
    assert tag["id_description"] == "Опис"


def test_body_blocks_are_named_in_ukrainian():
    body = ArticleBodyBlock()

    with translation.override("uk"):
        names = {name: str(block.label) for name, block in body.child_blocks.items()}
        pull_quote = body.child_blocks["pull_quote"].child_blocks
        repeats = str(pull_quote["repeats_body"].label)

    assert names["paragraph"] == "Абзац"
    assert names["pull_quote"] == "Винесена цитата"
    assert names["fact_box"] == "Довідка"
    assert repeats == "Повторює слова зі статті"


@override_settings(MASTHEAD_MAX_IMAGE_SIDE=10_000)
def test_image_refusal_is_worded_in_ukrainian():
    facts = ImageFacts(format="PNG", width=12_000, height=800, frames=1)

    with translation.override("uk"), pytest.raises(ImageRefused) as refused:
        check_limits(facts)

    assert str(refused.value) == (
        "Розмір зображення — 12000×800 пікс.; допускається не більше "
        "10\xa0000 пікс. з кожного боку. Зменште його й вивантажте знову."
    )


def test_outage_answer_is_in_the_requests_language():
    with translation.override("uk"):
        response = unavailable()

    assert response.status_code == 503
    assert response.content.decode() == (
        "Сайт ненадовго недоступний. Спробуйте ще раз за мить.\n"
    )


def test_field_names_themselves_are_ukrainian_for_revision_comparisons():
    # The compare view and error summaries name a field by its verbose name,
    # not by the panel heading on the edit form.
    from django.utils import translation

    from masthead.content.models import ArticlePage, HomePage

    with translation.override("uk"):
        names = {
            name: str(ArticlePage._meta.get_field(name).verbose_name)
            for name in ("standfirst", "genre", "body")
        }
        lead = str(HomePage._meta.get_field("lead_article").verbose_name)
    assert names == {"standfirst": "Лід", "genre": "Жанр", "body": "Текст"}
    assert lead == "Головна стаття"
