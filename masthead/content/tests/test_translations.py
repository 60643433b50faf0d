"""Linked translations, "source changed" flags and correction prompts (#15)."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from masthead.content.editions import translate_page
from masthead.content.factories import home_page, make_article, make_section
from masthead.content.models import (
    ArticlePage,
    CorrectionKind,
    CorrectionPrompt,
    PromptResolution,
    StaleReason,
    TranslationSync,
)
from masthead.content.services import issue_correction
from masthead.content.translations import (
    diff_html,
    link_untracked_translations,
    plain_text,
)
from masthead.core.factories import LibraryImageFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sections():
    english = make_section("World", "world")
    home_page("uk")
    ukrainian = translate_page(english, "uk", title="Світ", slug="svit")
    return english, ukrainian


@pytest.fixture
def pair(sections):
    """A published English article and its published Ukrainian translation."""
    english, _ = sections
    source = make_article(
        english,
        title="Grid repaired in Kharkiv",
        slug="grid-repaired",
        standfirst="Power is back.",
        body=[("paragraph", "<p>Crews worked through the night.</p>")],
    )
    translation = translate_page(
        source,
        "uk",
        title="Мережу відновили в Харкові",
        slug="merezhu-vidnovyly",
    )
    return source, translation


def republish(article, **fields):
    article = ArticlePage.objects.get(pk=article.pk)
    for name, value in fields.items():
        setattr(article, name, value)
    article.save_revision().publish()
    return ArticlePage.objects.get(pk=article.pk)


def sync_of(article):
    return TranslationSync.objects.get(translation=article)


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html5lib")


# Linking and flagging --------------------------------------------------------


def test_translation_is_linked_to_the_revision_it_was_copied_from(pair):
    source, translation = pair
    sync = sync_of(translation)
    assert sync.source_id == source.pk
    assert sync.synced_revision_id == source.live_revision_id
    assert not sync.is_stale


def test_source_republished_flags_its_published_translation(pair):
    source, translation = pair
    republish(source, title="Grid repaired in Kharkiv and Sumy")
    sync = sync_of(translation)
    assert sync.is_stale
    assert sync.reason == StaleReason.UPDATED
    # The source itself is no translation: nothing flags it.
    assert not TranslationSync.objects.filter(translation=source).exists()


def test_publishing_the_translation_again_does_not_flag_or_clear(pair):
    source, translation = pair
    republish(translation, title="Мережу відновили")
    assert not sync_of(translation).is_stale
    republish(source, title="Changed")
    republish(translation, title="Мережу відновили знову")
    assert sync_of(translation).is_stale


def test_source_changed_while_translation_is_a_draft_flags_nothing_yet(sections):
    english, _ = sections
    source = make_article(english, title="Original", slug="original")
    uk = Locale.objects.get(language_code="uk")
    draft = source.copy_for_translation(uk).specific
    republish(source, title="Original, updated")
    assert not sync_of(draft).is_stale
    # Published from the old copy: its editors learn the source moved on.
    republish(draft, title="Оригінал", slug="oryhinal")
    assert sync_of(draft).is_stale


def test_ukrainian_original_translated_into_english_flags_the_english(sections):
    _, ukrainian = sections
    home_page("uk")
    source = make_article(ukrainian, title="Оригінал", slug="oryhinal")
    english = translate_page(source, "en", title="Original", slug="original")
    assert english.locale.language_code == "en"
    republish(source, standfirst="Нове.")
    sync = sync_of(english)
    assert sync.source_id == source.pk
    assert sync.is_stale


def forget_link(translation):
    """A translation made before the records existed (#15): none for it."""
    TranslationSync.objects.filter(translation=translation).delete()


def test_untracked_translation_is_flagged_when_its_source_is_republished(pair):
    source, translation = pair
    copied_from = source.live_revision_id
    forget_link(translation)
    republish(source, title="Grid repaired in Kharkiv and Sumy")
    sync = sync_of(translation)
    assert sync.source_id == source.pk
    # The revision readers saw when the translation was made.
    assert sync.synced_revision_id == copied_from
    assert sync.is_stale
    assert sync.reason == StaleReason.UPDATED


def test_untracked_translation_republished_is_linked_then_flagged_later(pair):
    source, translation = pair
    forget_link(translation)
    republish(translation, standfirst="Світло повернулося.")
    sync = sync_of(translation)
    assert (sync.source_id, sync.is_stale) == (source.pk, False)
    republish(source, standfirst="Power is back in every district.")
    assert sync_of(translation).is_stale


def test_linking_untracked_translations_twice_is_harmless(pair):
    source, translation = pair
    forget_link(translation)
    assert len(link_untracked_translations([source.pk])) == 1
    assert link_untracked_translations([source.pk, translation.pk]) == []
    assert TranslationSync.objects.get().source_id == source.pk


def test_untracked_ukrainian_original_stays_the_source(sections):
    _, ukrainian = sections
    source = make_article(ukrainian, title="Оригінал", slug="oryhinal")
    english = translate_page(source, "en", title="Original", slug="original")
    forget_link(english)
    republish(source, standfirst="Нове.")
    sync = sync_of(english)
    assert (sync.source_id, sync.is_stale) == (source.pk, True)
    assert not TranslationSync.objects.filter(translation=source).exists()


# Corrections ------------------------------------------------------------------


def test_correction_on_the_source_flags_and_prompts_the_translation(pair):
    source, translation = pair
    notice = issue_correction(
        source, CorrectionKind.CORRECTION, "The crews worked for two nights."
    )
    sync = sync_of(translation)
    assert sync.is_stale
    assert sync.reason == StaleReason.CORRECTED
    prompt = CorrectionPrompt.objects.pending().get()
    assert (prompt.article_id, prompt.correction_id) == (translation.pk, notice.pk)
    # The source is not prompted by its own notice.
    assert not CorrectionPrompt.objects.filter(article=source).exists()


def test_correction_on_the_translation_answers_the_prompt(pair):
    source, translation = pair
    issue_correction(source, CorrectionKind.CORRECTION, "Two nights.")
    issue_correction(translation, CorrectionKind.CORRECTION, "Дві ночі.")
    assert not CorrectionPrompt.objects.pending().exists()
    answered = CorrectionPrompt.objects.get(article=translation)
    assert answered.resolution == PromptResolution.CORRECTED
    # The answer prompts nobody back.
    assert not CorrectionPrompt.objects.pending().filter(article=source).exists()


def test_correction_on_the_translation_alone_prompts_the_source(pair):
    source, translation = pair
    issue_correction(translation, CorrectionKind.CORRECTION, "Перекладено невірно.")
    prompt = CorrectionPrompt.objects.pending().get()
    assert prompt.article_id == source.pk
    # The translation's own source did not change.
    assert not sync_of(translation).is_stale


def test_translation_published_after_the_notice_is_not_prompted(sections):
    english, _ = sections
    source = make_article(english, title="Noted", slug="noted")
    issue_correction(source, CorrectionKind.CORRECTION, "Fixed a name.")
    translate_page(source, "uk", title="Зазначено", slug="zaznacheno")
    assert not CorrectionPrompt.objects.exists()


# The admin ---------------------------------------------------------------------


def test_edit_page_shows_the_sources_difference(admin_client, pair):
    source, translation = pair
    republish(
        source,
        title="Grid repaired in Kharkiv and Sumy",
        body=[("paragraph", "<p>Crews worked through two nights.</p>")],
    )
    page = soup(admin_client.get(f"/admin/pages/{translation.pk}/edit/"))
    banner = page.select_one(".translation-status__stale")
    assert banner is not None
    assert (
        banner.find("strong").get_text(" ", strip=True).startswith("Source changed on")
    )
    diff = banner.select_one("dl.translation-diff")
    labels = [dt.get_text(strip=True) for dt in diff.find_all("dt")]
    assert labels == [
        "Headline",
        "Standfirst (unchanged)",
        "Body",
    ]
    added = [ins.get_text(" ", strip=True) for ins in diff.find_all("ins")]
    removed = [d.get_text(" ", strip=True) for d in diff.find_all("del")]
    assert "added: and Sumy" in added
    assert "removed: the night." in removed
    assert "added: two nights." in added
    button = banner.find("button", string="Mark as up to date")
    assert button["formaction"] == f"/admin/translations/{translation.pk}/up-to-date/"


def test_edit_page_of_an_up_to_date_translation_has_no_banner(admin_client, pair):
    _, translation = pair
    page = soup(admin_client.get(f"/admin/pages/{translation.pk}/edit/"))
    assert page.select_one(".translation-status") is None


def test_mark_as_up_to_date_records_the_current_source_revision(admin_client, pair):
    source, translation = pair
    source = republish(source, title="Changed")
    url = f"/admin/translations/{translation.pk}/up-to-date/"
    assert admin_client.get(url).status_code == 405
    response = admin_client.post(url)
    assert response.status_code == 302
    sync = sync_of(translation)
    assert not sync.is_stale
    assert sync.synced_revision_id == source.live_revision_id
    page = soup(admin_client.get(f"/admin/pages/{translation.pk}/edit/"))
    assert page.select_one(".translation-status") is None


def test_mark_as_up_to_date_needs_the_csrf_token(admin_user, pair, sign_in_with_code):
    from django.test import Client

    source, translation = pair
    republish(source, title="Changed")
    client = Client(enforce_csrf_checks=True)
    sign_in_with_code(client, admin_user)
    response = client.post(f"/admin/translations/{translation.pk}/up-to-date/")
    assert response.status_code == 403
    assert sync_of(translation).is_stale


def test_prompt_is_shown_and_dismissed(admin_client, pair):
    source, translation = pair
    issue_correction(source, CorrectionKind.CORRECTION, "Two nights, not one.")
    page = soup(admin_client.get(f"/admin/pages/{translation.pk}/edit/"))
    prompt = page.select_one(".translation-status__prompt")
    assert prompt.find("blockquote").get_text(strip=True) == "Two nights, not one."
    action = prompt.find("button")["formaction"]
    assert admin_client.post(action).status_code == 302
    row = CorrectionPrompt.objects.get()
    assert row.resolution == PromptResolution.DISMISSED
    page = soup(admin_client.get(f"/admin/pages/{translation.pk}/edit/"))
    assert page.select_one(".translation-status__prompt") is None


def test_report_lists_stale_translations_per_edition(admin_client, pair, sections):
    source, translation = pair
    english, _ = sections
    other = make_article(english, title="Untouched", slug="untouched")
    translate_page(other, "uk", title="Незмінне", slug="nezminne")
    republish(source, title="Changed")
    page = soup(admin_client.get("/admin/translations/stale/"))
    editions = {
        section.find("h2").get_text(strip=True): [
            a.get_text(strip=True) for a in section.select("tbody a")
        ]
        for section in page.select(".stale-translations__edition")
    }
    assert editions == {"Українська": [translation.title]}


def test_report_is_in_the_reports_menu(admin_client):
    page = soup(admin_client.get("/admin/"))
    assert page.find(string="Stale translations") is not None or (
        b'"Stale translations"' in admin_client.get("/admin/").content
    )


def test_unknown_translation_answers_404(admin_client):
    assert (
        admin_client.post("/admin/translations/999999/up-to-date/").status_code == 404
    )
    assert (
        admin_client.post("/admin/translations/prompts/999999/dismiss/").status_code
        == 404
    )


# "Translate" in the admin ------------------------------------------------------


def test_translate_action_creates_a_linked_draft_with_images_and_tags(
    admin_client, sections
):
    english, _ = sections
    image = LibraryImageFactory(description="Workers on a pylon")
    tag = TagFactory()
    source = make_article(
        english,
        title="Pylon",
        slug="pylon",
        tags=[tag],
        hero_image=image,
        hero_caption="Workers on a pylon near Kharkiv.",
        body=[
            ("paragraph", "<p>Text.</p>"),
            ("image", {"image": image, "caption": "A pylon at dawn."}),
        ],
    )
    uk = Locale.objects.get(language_code="uk")
    response = admin_client.post(
        f"/admin/translation/submit/page/{source.pk}/", {"locales": [uk.pk]}
    )
    assert response.status_code == 302
    draft = ArticlePage.objects.get(translation_key=source.translation_key, locale=uk)
    assert not draft.live
    assert draft.get_parent().specific.locale == uk
    assert [row.tag_id for row in draft.article_tags.all()] == [tag.pk]
    assert [row.author_id for row in draft.article_authors.all()] == [
        row.author_id for row in source.article_authors.all()
    ]
    # The caption is the article's own, copied to be translated; the alt
    # text and credit belong to the library image both editions show.
    assert draft.hero_image_id == image.pk
    assert draft.hero_caption == "Workers on a pylon near Kharkiv."
    assert [block.block_type for block in draft.body] == ["paragraph", "image"]
    assert draft.body[1].value["caption"] == "A pylon at dawn."
    assert response["Location"] == f"/admin/pages/{draft.pk}/edit/"
    assert sync_of(draft).source_id == source.pk


# The difference, without a database --------------------------------------------


def test_diff_marks_removed_and_added_words_and_escapes():
    html = str(diff_html("a <b> c", "a <i> c"))
    parsed = BeautifulSoup(html, "html.parser")
    assert [d.get_text() for d in parsed.find_all("del")] == ["removed: <b>"]
    assert [i.get_text() for i in parsed.find_all("ins")] == ["added: <i>"]
    assert parsed.find("b") is None


def test_plain_text_keeps_one_line_per_block():
    assert plain_text("<p>One &amp; two</p><h2>Three</h2>") == "One & two\nThree"


def test_report_queries_do_not_grow_with_its_rows(admin_client, sections):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    english, _ = sections

    def stale_translation(n):
        source = make_article(english, title=f"Story {n}", slug=f"story-{n}")
        translate_page(source, "uk", title=f"Історія {n}", slug=f"istoriia-{n}")
        republish(source, title=f"Story {n}, updated")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get("/admin/translations/stale/").status_code == 200
        return len(captured)

    stale_translation(1)
    admin_client.get("/admin/translations/stale/")
    one = queries()
    stale_translation(2)
    stale_translation(3)
    assert queries() == one


def test_banner_in_a_ukrainian_editors_admin(admin_client, admin_user, pair):
    from wagtail.users.models import UserProfile

    source, translation = pair
    republish(source, title="Changed")
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "uk"
    profile.save()
    page = soup(admin_client.get(f"/admin/pages/{translation.pk}/edit/"))
    banner = page.select_one(".translation-status__stale")
    text = banner.find("p").get_text(" ", strip=True)
    assert text.startswith("Джерело змінено")
    assert "було оновлено після публікації цього перекладу" in text
    labels = [dt.get_text(strip=True) for dt in banner.find_all("dt")]
    assert labels == ["Заголовок", "Лід (без змін)", "Текст (без змін)"]
    assert banner.find("button").get_text(strip=True) == "Позначити як актуальний"
