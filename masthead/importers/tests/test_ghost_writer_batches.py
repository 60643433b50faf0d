"""The writer's batches (#18): what one query per batch leaves behind must be
what Wagtail's own calls would: a sound tree, revisions, log entries, bylines,
redirects and search entries."""

import dataclasses

import pytest
from django.db.models.signals import post_save
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page, PageLogEntry

from masthead.content.factories import make_section
from masthead.content.models import ArticleAuthor, ArticlePage, ArticleTag
from masthead.importers import ghost
from masthead.importers.writer import articles, write

from .helpers import GHOST_EXPORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_section("News", "news")


def _published(slug="ferry-timetable"):
    return ArticlePage.objects.get(slug=slug)


def _assert_sound_tree():
    # treebeard's own check: bad paths, wrong depth or numchild, orphans.
    assert Page.find_problems() == ([], [], [], [], [])
    for parent in Page.objects.filter(depth__lt=4):
        assert parent.numchild == parent.get_children().count(), parent.title


@pytest.mark.parametrize("batch_size", [1, 500])
def test_imported_tree_is_sound_whatever_the_batch(news, monkeypatch, batch_size):
    monkeypatch.setattr(articles, "BATCH_SIZE", batch_size)
    archive = ghost.parse(GHOST_EXPORT)
    extra = [
        dataclasses.replace(archive.posts[0], source_id=f"extra-{n}", old_path="")
        for n in range(3)
    ]
    archive.posts.extend(extra)
    report = write(archive)
    assert report.error == ""
    assert report.counts["article"]["created"] == 8
    _assert_sound_tree()
    slugs = ArticlePage.objects.filter(slug__startswith="ferry-timetable")
    assert sorted(slugs.values_list("slug", flat=True)) == [
        "ferry-timetable",
        "ferry-timetable-2",
        "ferry-timetable-3",
        "ferry-timetable-4",
    ]


def test_tree_stays_sound_when_wagtail_refuses_a_page(news):
    archive = ghost.parse(GHOST_EXPORT)
    page = next(p for p in archive.posts if p.is_page)
    page.slug = "search"  # the site's search route owns /search/
    archive.posts.append(page)  # and after it, more articles
    archive.posts.append(
        dataclasses.replace(archive.posts[0], source_id="after-refusal")
    )
    report = write(archive)
    assert report.error == ""
    assert report.counts["page"]["skipped"] == 2
    _assert_sound_tree()


def test_published_article_has_its_revision_rows_and_log_entries(news):
    write(ghost.parse(GHOST_EXPORT))
    article = _published()
    revision = article.live_revision
    assert revision is not None
    assert article.latest_revision_id == revision.pk
    assert not article.has_unpublished_changes
    # The revision holds the rows as stored, with their ids.
    stored = article.serializable_data()
    for relation in ("article_authors", "article_tags"):
        assert [row["pk"] for row in revision.content[relation]] == [
            row["pk"] for row in stored[relation]
        ]
        assert revision.content[relation]
    assert revision.as_object().title == article.title
    entries = PageLogEntry.objects.filter(page=article)
    assert sorted(entries.values_list("action", flat=True)) == [
        "wagtail.create",
        "wagtail.publish",
    ]
    assert entries.get(action="wagtail.publish").revision_id == revision.pk
    assert entries.get(action="wagtail.create").content_changed
    # Listings read the publication time and edition on the rows (#15).
    for model in (ArticleAuthor, ArticleTag):
        rows = model.objects.filter(article=article)
        assert rows.exists()
        assert set(rows.values_list("published_at", "locale_id")) == {
            (article.published_at, article.locale_id)
        }


def test_imported_articles_are_in_wagtails_search_index(news):
    write(ghost.parse(GHOST_EXPORT))
    found = ArticlePage.objects.search("ferry timetable")
    assert _published().pk in [page.pk for page in found]
    draft = ArticlePage.objects.get(live=False, go_live_at__isnull=True)
    assert draft.pk in [page.pk for page in ArticlePage.objects.search(draft.title)]


def test_search_index_updates_on_save_again_after_the_run(news):
    write(ghost.parse(GHOST_EXPORT))
    key = (id(post_save_signal_handler), id(ArticlePage))
    assert any(receiver[0] == key for receiver in post_save.receivers)
    article = _published()
    article.title = "Lighthouse keepers return"
    article.save()
    found = ArticlePage.objects.search("lighthouse keepers")
    assert [page.pk for page in found] == [article.pk]


def test_existing_redirect_is_pointed_at_the_imported_page(news, client):
    Redirect.objects.create(
        old_path="/ferry-timetable", redirect_link="https://old.example/"
    )
    write(ghost.parse(GHOST_EXPORT))
    redirect = Redirect.objects.get(old_path="/ferry-timetable")
    assert redirect.redirect_page_id == _published().pk
    assert redirect.redirect_link == ""
    response = client.get("/ferry-timetable/")
    assert response.status_code == 301
    assert response["Location"].endswith(_published().url)
