"""Importing a real Ghost export (Ghost 5.130.4 from npm; see data/ghost_real/)."""

import io
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.contrib.redirects.models import Redirect

from masthead.content.factories import make_section
from masthead.content.models import ArticlePage, StandardPage
from masthead.content.visibility import Access
from masthead.core.models import LibraryImage
from masthead.importers import ghost
from masthead.importers.writer import write
from masthead.people.models import Author
from masthead.taxonomy.models import Tag

from .helpers import DATA

pytestmark = pytest.mark.django_db
EXPORT = DATA / "ghost_real" / "harbour-notes.ghost.2026-12-04.json"
# Ghost's own "Coming soon" post and "About this site" page are in every export.
PUBLISHED = [
    "coming-soon",
    "pier-repairs-begin",
    "gull-count-record",
    "budget-members",
    "paid-moorings",
    "storm-watch",
    "ferry-from-html",
]


@pytest.fixture
def harbour():
    return make_section("Harbour", "harbour")


def body(slug):
    return BeautifulSoup(ArticlePage.objects.get(slug=slug).body_html, "html5lib")


def test_dry_run_then_real_run_from_the_command(harbour):
    out = io.StringIO()
    call_command(
        "import", "ghost", str(EXPORT), "--dry-run", "--no-progress", stdout=out
    )
    assert "articles: 9 created" in out.getvalue().splitlines()
    assert not ArticlePage.objects.filter(slug="pier-repairs-begin").exists()
    out = io.StringIO()
    call_command("import", "ghost", str(EXPORT), "--no-progress", stdout=out)
    assert "articles: 9 created" in out.getvalue().splitlines()
    assert ArticlePage.objects.filter(slug="pier-repairs-begin", live=True).exists()


def test_published_posts_are_live_articles_with_their_pieces(harbour):
    report = write(ghost.parse(EXPORT))
    assert report.error == ""
    live = ArticlePage.objects.filter(live=True).values_list("slug", flat=True)
    assert set(PUBLISHED) <= set(live)
    pier = ArticlePage.objects.get(slug="pier-repairs-begin")
    assert pier.section_id == harbour.pk
    assert pier.standfirst == "Work on the old pier starts next week and lasts a month."
    assert pier.seo_title == "Pier repairs: what to expect"
    assert pier.hero_alt_text == "The old pier at dawn"
    assert pier.hero_caption == "The pier before the works."
    assert pier.hero_image is not None
    assert [a.slug for a in pier.ordered_authors()] == ["mara", "ivo"]
    assert [t.slug for t in pier.ordered_tags()] == ["harbour", "community"]
    kinds = [child.block_type for child in pier.body]
    assert {"heading", "quote", "image", "related_article"} <= set(kinds)
    soup = body("pier-repairs-begin")
    assert soup.find("h2", string="What changes for walkers") is not None
    assert soup.find("h3", string="Questions") is not None
    assert soup.find("a", href="https://example.org/coast-path") is not None
    assert [li.get_text() for li in soup.select("ol > li")] == [
        "Boards first",
        "Rails second",
    ]
    assert soup.find("strong", string="well marked") is not None
    assert soup.find("b", string="Tip:") is not None  # the callout's text
    bookmark = pier.body[kinds.index("related_article")].value
    assert bookmark["url"] == "https://example.org/works-plan"
    assert bookmark["title"] == "Works plan"
    assert bookmark["publisher"] == "Example Council"
    gull = ArticlePage.objects.get(slug="gull-count-record")
    gull_kinds = [child.block_type for child in gull.body]
    assert {"gallery", "embed"} <= set(gull_kinds)
    gull_html = body("gull-count-record")
    assert gull_html.find("td", string="412") is not None
    assert [img["alt"] for img in gull_html.select(".gallery img")] == [
        "A gull",
        "A red boat",
    ]
    assert gull_html.find("iframe", src=lambda s: "youtube.com/embed" in s)
    # Masthead has no canonical URL field: the import says so.
    assert any(
        "https://example.org/original/gull-count" in problem.message
        for problem in report.problems
    )
    ferry = ArticlePage.objects.get(slug="ferry-from-html")
    assert "image" in [child.block_type for child in ferry.body]
    # __GHOST_URL__ links become paths on this site.
    assert body("ferry-from-html").find("a", href="/pier-repairs-begin/") is not None
    pictures = {image.title for image in LibraryImage.objects.all()}
    assert len(pictures) >= 4


def test_drafts_and_scheduled_posts_are_not_public(harbour):
    write(ghost.parse(EXPORT))
    for slug in ("fair-draft", "spring-fair"):
        article = ArticlePage.objects.get(slug=slug)
        assert not article.live
    assert ArticlePage.objects.get(slug="spring-fair").go_live_at is not None
    assert not Redirect.objects.filter(old_path="/fair-draft").exists()


def test_members_and_paid_posts_are_gated_after_the_paywall(harbour):
    write(ghost.parse(EXPORT))
    members = ArticlePage.objects.get(slug="budget-members")
    assert members.access == Access.MEMBERS
    assert "grows a little" in members.body_html
    assert "dredging line" not in members.body_html
    assert "dredging line" in members.gated_html
    assert "Line by line" in members.gated_html
    paid = ArticlePage.objects.get(slug="paid-moorings")
    assert paid.access == Access.PAID
    assert "new fee table" not in paid.body_html
    assert "new fee table" in paid.gated_html


def test_tags_authors_and_pages(harbour):
    write(ghost.parse(EXPORT))
    slugs = set(Tag.objects.values_list("slug", flat=True))
    assert {"harbour", "weather", "community"} <= slugs
    assert not Tag.objects.filter(name__startswith="#").exists()
    assert "hash-wide-layout" not in slugs
    mara = Author.objects.get(slug="mara")
    assert mara.name == "Mara Quill"
    assert mara.bio == "Writes about the harbour and the weather."
    assert Author.objects.get(slug="ivo").bio == "Covers ferries and roads."
    page = StandardPage.objects.get(slug="about-2")
    assert page.live and "We write about the harbour town." in page.body


def test_second_run_changes_nothing(harbour):
    write(ghost.parse(EXPORT))
    counts = (
        ArticlePage.objects.count(),
        StandardPage.objects.count(),
        Author.objects.count(),
        Tag.objects.count(),
        LibraryImage.objects.count(),
        Redirect.objects.count(),
    )
    report = write(ghost.parse(EXPORT))
    assert report.error == ""
    assert report.written == 0
    assert report.counts["article"]["unchanged"] == 9
    assert (
        ArticlePage.objects.count(),
        StandardPage.objects.count(),
        Author.objects.count(),
        Tag.objects.count(),
        LibraryImage.objects.count(),
        Redirect.objects.count(),
    ) == counts


def test_old_ghost_paths_redirect(harbour, client):
    write(ghost.parse(EXPORT))
    for slug in PUBLISHED:
        assert Redirect.objects.get(old_path=f"/{slug}").is_permanent
    response = client.get("/pier-repairs-begin/")
    assert response.status_code == 301
    assert response["Location"].endswith(
        ArticlePage.objects.get(slug="pier-repairs-begin").url
    )


# --- Importer bugs the real export showed (#18), fixed: Ghost's UTC times
# without an offset, and callout text that is paragraphs already. ---


def test_ghost_dates_are_utc(harbour):
    write(ghost.parse(EXPORT))
    pier = ArticlePage.objects.get(slug="pier-repairs-begin")
    assert pier.published_at == datetime(2026, 11, 2, 8, 30, tzinfo=UTC)


def test_callout_keeps_its_emoji_with_its_text(harbour):
    write(ghost.parse(EXPORT))
    soup = body("pier-repairs-begin")
    callout = soup.find("b", string="Tip:").find_parent("p")
    assert callout.get_text(strip=True).startswith("💡")
    assert all(p.get_text(strip=True) for p in soup.find_all("p"))
