"""Writing the Ghost fixture: what lands where, reruns, dry runs, failures."""

from datetime import UTC, datetime

import pytest
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect

from masthead.content.factories import make_section
from masthead.content.models import ArticlePage, EditorsPick, SectionPage, StandardPage
from masthead.content.visibility import Access
from masthead.core.models import LibraryImage
from masthead.importers import ghost
from masthead.importers.models import ImportedItem
from masthead.importers.writer import write
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from .helpers import GHOST_EXPORT

pytestmark = pytest.mark.django_db


@pytest.fixture
def news():
    return make_section("News", "news")


def imported(slug):
    return ArticlePage.objects.get(slug=slug)


def test_posts_become_articles_with_their_state(news):
    report = write(ghost.parse(GHOST_EXPORT))
    assert report.error == ""
    assert report.counts["article"]["created"] == 5
    assert report.counts["page"]["created"] == 1
    ferry = imported("ferry-timetable")
    assert ferry.live
    assert ferry.section_id == news.pk  # primary tag "news" names a section
    assert ferry.published_at == datetime(2024, 5, 10, 8, 30, tzinfo=UTC)
    assert ferry.first_published_at == ferry.published_at
    assert ferry.standfirst == "Night crossings are cut from June."
    assert ferry.seo_title == "Ferry timetable: what changes"
    assert ferry.hero_alt_text == "Ferry at the pier"
    assert ferry.hero_caption == "The morning ferry."
    assert ferry.hero_image is not None
    assert [a.slug for a in ferry.ordered_authors()] == ["mara-quill", "ivo-brandt"]
    assert [t.slug for t in ferry.ordered_tags()] == ["news", "island"]
    kinds = [child.block_type for child in ferry.body]
    assert kinds[:4] == ["paragraph", "heading", "paragraph", "quote"]
    assert {"image", "gallery", "embed", "related_article"} <= set(kinds)
    older = imported("older-story")
    assert older.section.slug == "imported"  # "culture" is no section here
    assert "mobiledoc" in older.body_html
    draft = imported("unseen-draft")
    assert not draft.live and draft.published_at is None
    scheduled = imported("next-year")
    assert not scheduled.live
    assert scheduled.go_live_at == datetime(2030, 1, 15, 7, tzinfo=UTC)
    assert scheduled.latest_revision.approved_go_live_at == scheduled.go_live_at
    members = imported("budget-members")
    assert members.access == Access.MEMBERS
    assert "teaser" in members.body_html
    assert "Only members" not in members.body_html
    assert "Only members" in members.gated_html
    page = StandardPage.objects.get(slug="about-island")
    assert page.live and "We report on the island." in page.body


def test_internal_tags_are_skipped_and_authors_keep_their_profile(news):
    write(ghost.parse(GHOST_EXPORT))
    assert not Tag.objects.filter(name__startswith="#").exists()
    assert Tag.objects.get(slug="island").description == "Island life."
    mara = Author.objects.get(slug="mara-quill")
    assert mara.bio == "Covers transport."
    assert mara.avatar is not None
    assert [link.url for link in mara.social_links.all()] == [
        "https://example.org/mara"
    ]


def test_old_addresses_redirect_permanently_to_the_new_ones(news, client):
    write(ghost.parse(GHOST_EXPORT))
    redirect = Redirect.objects.get(old_path="/ferry-timetable")
    assert redirect.is_permanent
    response = client.get("/ferry-timetable/")
    assert response.status_code == 301
    assert response["Location"].endswith(imported("ferry-timetable").url)
    assert not Redirect.objects.filter(old_path="/unseen-draft").exists()


def test_featured_post_joins_editors_picks(news):
    write(ghost.parse(GHOST_EXPORT))
    picks = EditorsPick.objects.values_list("article__slug", flat=True)
    assert list(picks) == ["ferry-timetable"]


def test_second_run_updates_nothing_and_duplicates_nothing(news):
    write(ghost.parse(GHOST_EXPORT))
    counts = (ArticlePage.objects.count(), Author.objects.count(), Tag.objects.count())
    images = LibraryImage.objects.count()
    report = write(ghost.parse(GHOST_EXPORT))
    assert report.error == ""
    assert report.written == 0
    assert report.counts["article"]["unchanged"] == 5
    assert (
        ArticlePage.objects.count(),
        Author.objects.count(),
        Tag.objects.count(),
    ) == counts
    assert LibraryImage.objects.count() == images


def test_changed_post_is_updated_in_place(news):
    archive = ghost.parse(GHOST_EXPORT)
    write(archive)
    archive.posts[0].title = "Ferry timetable: the new plan"
    report = write(archive)
    assert report.counts["article"]["updated"] == 1
    article = ArticlePage.objects.get(slug="ferry-timetable")
    assert article.title == "Ferry timetable: the new plan"
    assert article.live


def test_dry_run_reports_and_writes_nothing(news):
    before = (ArticlePage.objects.count(), LibraryImage.objects.count())
    report = write(ghost.parse(GHOST_EXPORT), dry_run=True)
    assert report.error == ""
    assert report.counts["article"]["created"] == 5
    assert report.counts["image"]["created"] >= 2
    assert (ArticlePage.objects.count(), LibraryImage.objects.count()) == before
    assert not ImportedItem.objects.exists()
    items = {p.item for p in report.problems}
    assert (
        "post 6650c0000000000000000001 'Ferry timetable changes on the island'" in items
    )


def test_a_failure_rolls_everything_back_and_names_the_item(news):
    archive = ghost.parse(GHOST_EXPORT)
    archive.posts[3].title = None  # breaks writing the fourth post
    report = write(archive)
    assert report.error.startswith("post 6650c0000000000000000004")
    assert (
        not ArticlePage.objects.exclude(pk__in=[])
        .filter(slug__in=["ferry-timetable", "older-story"])
        .exists()
    )
    assert not Author.objects.exists()
    assert not ImportedItem.objects.exists()
    assert not SectionPage.objects.filter(slug="imported").exists()


def test_scheduled_post_is_not_public_before_its_time(news, client):
    write(ghost.parse(GHOST_EXPORT))
    scheduled = imported("next-year")
    assert scheduled.go_live_at > timezone.now()
    assert not ArticlePage.objects.published().filter(pk=scheduled.pk).exists()


def test_follow_up_task_fills_related_stories_and_references(news):
    from wagtail.models import ReferenceIndex

    from masthead.importers.tasks import index_imported

    write(ghost.parse(GHOST_EXPORT))
    ferry, members = imported("ferry-timetable"), imported("budget-members")
    assert ferry.related_ids == []  # the task has not run yet
    assert index_imported.call([ferry.pk, members.pk]) == 2
    ferry.refresh_from_db()
    assert members.pk in ferry.related_ids  # they share the tag "island"
    assert ReferenceIndex.get_references_for_object(ferry).exists()


def test_a_page_wagtail_refuses_is_a_problem_not_a_failure(news):
    archive = ghost.parse(GHOST_EXPORT)
    page = next(p for p in archive.posts if p.is_page)
    page.slug = "search"  # the site's search route owns /search/
    report = write(archive)
    assert report.error == ""
    assert report.counts["page"]["skipped"] == 1
    assert report.counts["article"]["created"] == 5
    assert any(p.message.startswith("skipped:") for p in report.problems)
    assert not StandardPage.objects.filter(slug="search").exists()
