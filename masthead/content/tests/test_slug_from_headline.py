"""A new article saves with its headline alone (issue #14).

The slug lives on the Promote tab, which editors rarely open; saving used to
fail there with "This field is required" whatever the headline.
"""

import pytest
from bs4 import BeautifulSoup
from wagtail.admin.panels import TitleFieldPanel
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.people.factories import AuthorFactory

pytestmark = pytest.mark.django_db


def new_article_data(author, title: str, slug: str = "") -> dict[str, str]:
    """The page editor's create form as a browser posts it, Save draft pressed."""
    data = nested_form_data(
        {
            "genre": "news",
            "title": title,
            "slug": slug,
            "standfirst": "",
            "hero_image": "",
            "hero_caption": "",
            "body": streamfield([("paragraph", rich_text("<p>Words.</p>"))]),
            "article_authors": inline_formset(
                [{"author": author.pk, "ORDER": 0}], min=1
            ),
            "article_tags": inline_formset([]),
            "comments": inline_formset([]),
            "seo_title": "",
            "search_description": "",
            "published_at": "",
        }
    )
    data["action-save"] = "1"
    return data


def create(client, section, data):
    return client.post(f"/admin/pages/add/content/articlepage/{section.pk}/", data)


def test_an_article_saves_with_its_headline_alone(admin_client):
    section = make_section("World", "world")
    response = create(
        admin_client, section, new_article_data(AuthorFactory(), "Rain Stops Play")
    )
    assert response.status_code == 302, response.context["form"].errors
    article = ArticlePage.objects.child_of(section).get(title="Rain Stops Play")
    assert article.slug == "rain-stops-play"


def test_a_taken_slug_gets_the_next_free_number(admin_client):
    section = make_section("Sport", "sport")
    make_article(section, title="Rain stops play", slug="rain-stops-play")
    make_article(section, title="Rain stops play again", slug="rain-stops-play-2")
    response = create(
        admin_client, section, new_article_data(AuthorFactory(), "Rain Stops Play")
    )
    assert response.status_code == 302
    newest = ArticlePage.objects.child_of(section).order_by("-pk").first()
    assert newest.slug == "rain-stops-play-3"


def test_a_slug_the_editor_typed_is_kept(admin_client):
    section = make_section("Arts", "arts")
    data = new_article_data(AuthorFactory(), "Opera House Reopens", "opera")
    assert create(admin_client, section, data).status_code == 302
    assert ArticlePage.objects.child_of(section).get().slug == "opera"


def test_a_headline_without_letters_asks_for_a_slug(admin_client):
    section = make_section("Science", "science")
    response = create(admin_client, section, new_article_data(AuthorFactory(), "?!"))
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert not ArticlePage.objects.child_of(section).exists()


def test_the_headline_field_fills_the_slug_as_the_editor_types(admin_client):
    # Wagtail's slug sync is wired by TitleFieldPanel (data-w-sync on the
    # title input); a plain FieldPanel left the slug empty.
    assert any(
        isinstance(panel, TitleFieldPanel) for panel in ArticlePage.content_panels
    )
    section = make_section("Travel", "travel")
    page = admin_client.get(f"/admin/pages/add/content/articlepage/{section.pk}/")
    title = BeautifulSoup(page.content, "html5lib").select_one("input[name=title]")
    assert title is not None
    assert "w-sync" in title.get("data-controller", "")
    assert "#id_slug" in title.get("data-w-sync-target-value", "")


def test_a_slug_typed_by_hand_that_a_sibling_has_is_refused(admin_client):
    section = make_section()
    make_article(section, slug="harbour-ferry-delayed")
    data = new_article_data(
        AuthorFactory.create(), "Harbour Ferry Delayed Again", "harbour-ferry-delayed"
    )
    response = create(admin_client, section, data)
    assert response.status_code == 200
    assert ArticlePage.objects.filter(slug="harbour-ferry-delayed").count() == 1


def test_a_ukrainian_headline_gives_a_latin_slug(admin_client):
    section = make_section("Ukraine", "ukraine")
    author = AuthorFactory()
    # Saved with the field left empty, as with scripts off…
    response = create(admin_client, section, new_article_data(author, "Мер Яготина"))
    assert response.status_code == 302, response.context["form"].errors
    # …and with the Cyrillic copy the editor's script makes of the headline.
    title = "Юрій Згурський — мер Яготина"
    data = new_article_data(author, title, slug="юрій-згурський-мер-яготина")
    assert create(admin_client, section, data).status_code == 302
    slugs = dict(ArticlePage.objects.child_of(section).values_list("title", "slug"))
    assert slugs == {
        "Мер Яготина": "mer-yahotyna",
        title: "yurii-zghurskyi-mer-yahotyna",
    }


def test_a_cyrillic_slug_typed_by_hand_or_already_published_is_kept(admin_client):
    section = make_section("Ukraine", "ukraine")
    data = new_article_data(AuthorFactory(), "Мер Яготина", slug="яготин")
    assert create(admin_client, section, data).status_code == 302
    assert ArticlePage.objects.child_of(section).get().slug == "яготин"
    # A published page made with a Cyrillic slug keeps its address.
    article = make_article(section, title="Київ уночі", slug="київ-уночі")
    edit = new_article_data(AuthorFactory(), "Київ уночі", slug="київ-уночі")
    edit["article_authors-0-id"] = ""
    response = admin_client.post(f"/admin/pages/{article.pk}/edit/", edit)
    assert response.status_code == 302, response.context["form"].errors
    article.refresh_from_db()
    assert article.get_latest_revision_as_object().slug == "київ-уночі"
