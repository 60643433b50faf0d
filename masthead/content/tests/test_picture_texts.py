"""Captions and alt text left to translate on a translation (#15)."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from masthead.content.editions import translate_page
from masthead.content.factories import home_page, make_article, make_section
from masthead.content.models import ArticlePage
from masthead.content.picture_texts import untranslated_pictures
from masthead.core.factories import LibraryImageFactory

pytestmark = pytest.mark.django_db


def picture(image, caption="", alt_text=""):
    return {"image": image, "caption": caption, "alt_text": alt_text, "credit": ""}


@pytest.fixture
def image():
    return LibraryImageFactory(description="Workers on a pylon")


@pytest.fixture
def source(image):
    english = make_section("World", "world")
    home_page("uk")
    translate_page(english, "uk", title="Світ", slug="svit")
    return make_article(
        english,
        title="Pylon",
        slug="pylon",
        hero_image=image,
        hero_caption="Workers on a pylon near Kharkiv.",
        hero_alt_text="Two workers climb a pylon",
        body=[
            ("paragraph", "<p>Text.</p>"),
            ("image", picture(image, "A pylon at dawn.", "A pylon against the dawn")),
            (
                "gallery",
                {
                    "title": "The line",
                    "images": [
                        picture(image, "Before."),
                        picture(image, "After.", "The line repaired"),
                    ],
                },
            ),
        ],
    )


def listed(rows):
    return [(row.place, row.label, row.text, row.is_empty) for row in rows]


def test_translate_action_copies_alt_texts_for_translating(admin_client, source):
    uk = Locale.objects.get(language_code="uk")
    response = admin_client.post(
        f"/admin/translation/submit/page/{source.pk}/", {"locales": [uk.pk]}
    )
    assert response.status_code == 302
    draft = ArticlePage.objects.get(translation_key=source.translation_key, locale=uk)
    assert draft.hero_alt_text == "Two workers climb a pylon"
    assert draft.hero_caption == "Workers on a pylon near Kharkiv."
    assert draft.body[1].value["alt_text"] == "A pylon against the dawn"
    gallery = draft.body[2].value["images"]
    assert [item["alt_text"] for item in gallery] == ["", "The line repaired"]
    # Every copied text is listed, and the gallery's empty alt text too.
    assert listed(untranslated_pictures(draft, source)) == [
        ("Hero image", "caption", "Workers on a pylon near Kharkiv.", False),
        ("Hero image", "alt text", "Two workers climb a pylon", False),
        ("Body image 1", "caption", "A pylon at dawn.", False),
        ("Body image 1", "alt text", "A pylon against the dawn", False),
        ("Gallery 1, picture 1", "caption", "Before.", False),
        ("Gallery 1, picture 1", "alt text", "Workers on a pylon", True),
        ("Gallery 1, picture 2", "caption", "After.", False),
        ("Gallery 1, picture 2", "alt text", "The line repaired", False),
    ]


def test_translated_texts_are_no_longer_listed(source, image):
    translation = translate_page(
        source,
        "uk",
        title="Опора",
        slug="opora",
        hero_caption="Робітники на опорі біля Харкова.",
        hero_alt_text="Двоє робітників лізуть на опору",
        body=[
            ("paragraph", "<p>Текст.</p>"),
            ("image", picture(image, "Опора на світанку.", "Опора на тлі світанку")),
            (
                "gallery",
                {
                    "title": "Лінія",
                    "images": [
                        picture(image, "До.", "Лінія до ремонту"),
                        picture(image, "Після.", "Лінія після ремонту"),
                    ],
                },
            ),
        ],
    )
    assert untranslated_pictures(translation, source) == []


def edit_page(admin_client, article):
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html5lib")


def test_edit_page_lists_the_pictures_left_to_translate(admin_client, source):
    translation = translate_page(
        source,
        "uk",
        title="Опора",
        slug="opora",
        hero_alt_text="Двоє робітників лізуть на опору",
    )
    box = edit_page(admin_client, translation).select_one(
        ".translation-status__pictures"
    )
    assert box is not None
    rows = [" ".join(li.get_text().split()) for li in box.select("li")]
    # The translated hero alt text is not listed; its caption is.
    assert rows[0] == (
        "Hero image, caption: “Workers on a pylon near Kharkiv.”, "
        "the same as the original's"
    )
    assert not any("Hero image, alt text" in row for row in rows)
    assert (
        "Gallery 1, picture 1, alt text: empty, so readers get the library's "
        "“Workers on a pylon”"
    ) in rows
    # The source, which is no translation, shows no such list.
    assert edit_page(admin_client, source).select_one(".translation-status") is None
