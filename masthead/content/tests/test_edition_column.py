"""An article's ``edition`` column always equals its page's locale (#15).

Edition listings read it (``ArticleQuerySet.in_edition``), so a page whose
copy disagreed would be listed in the wrong edition or in none.
"""

import importlib

import pytest
from django.apps import apps
from wagtail.models import Locale

from masthead.content.editions import translate_page
from masthead.content.factories import home_page, make_article, make_section
from masthead.content.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    english = make_section("World", "world")
    home_page("uk")
    return english, translate_page(english, "uk", title="Світ", slug="svit")


def stored_edition(article: ArticlePage) -> int | None:
    return ArticlePage.objects.filter(pk=article.pk).values_list(
        "edition_id", flat=True
    )[0]


def test_new_article_takes_its_locale_as_edition(sections):
    article = make_article(sections[0])
    assert stored_edition(article) == article.locale_id == Locale.get_default().pk


def test_translation_takes_its_own_locale(sections):
    source = make_article(sections[0])
    translation = translate_page(source, "uk", title="Переклад", slug="pereklad")
    uk = Locale.objects.get(language_code="uk")
    assert stored_edition(translation) == translation.locale_id == uk.pk
    assert stored_edition(source) == source.locale_id
    uk_only = ArticlePage.objects.published().in_edition(uk.pk)
    assert list(uk_only.values_list("pk", flat=True)) == [translation.pk]


def test_draft_translation_takes_its_locale_before_publishing(sections):
    source = make_article(sections[0])
    uk = Locale.objects.get(language_code="uk")
    draft = source.copy_for_translation(uk).specific
    assert stored_edition(draft) == uk.pk
    draft.save_revision().publish()
    assert stored_edition(draft) == uk.pk


def test_copy_and_move_keep_edition_equal_to_locale(sections):
    english, ukrainian = sections
    source = make_article(english)
    copy = source.copy(to=english, update_attrs={"slug": "a-copy"})
    assert stored_edition(copy) == copy.locale_id
    source.move(ukrainian, pos="last-child")
    moved = ArticlePage.objects.get(pk=source.pk)
    assert stored_edition(moved) == moved.locale_id


def test_saving_only_the_locale_updates_the_edition(sections):
    article = make_article(sections[0])
    uk = Locale.objects.get(language_code="uk")
    article.locale = uk
    article.save(update_fields=["locale"])
    assert stored_edition(article) == uk.pk


def test_migration_backfills_every_article_from_its_page(sections):
    english, ukrainian = sections
    articles = [make_article(english), make_article(ukrainian)]
    ArticlePage.objects.update(edition=None)
    migration = importlib.import_module(
        "masthead.content.migrations.0018_article_edition"
    )
    migration.copy_edition(apps, None)
    for article in articles:
        assert stored_edition(article) == article.locale_id
