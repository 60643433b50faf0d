"""Pages say what they show; teasers and the site are kept until a purge (#5)."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from masthead import cache
from masthead.content.factories import make_article, make_section
from masthead.core.models import SiteSettings
from masthead.people.factories import AuthorFactory

# The journal fixture (conftest.py) is asked for here rather than made autouse
# there: test_caching.py in this folder has a journal fixture of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("journal")]


def tags_of(response) -> set[str]:
    return set(response.headers.get(cache.TAGS_HEADER, "").split())


# What pages say they show -------------------------------------------------


def test_article_page_names_itself_its_byline_tags_and_sidebar(client, story, settings):
    article, _, author, topic = story
    response = client.get(article.url)
    assert response.status_code == 200
    assert {
        "site",
        f"article-{article.pk}",
        f"author-{author.pk}",
        f"tag-{topic.pk}",
        "popular",
        "picks",
        "newsfeed",
    } <= tags_of(response)
    assert response.headers[cache.TTL_HEADER] == str(settings.MASTHEAD_PAGE_CACHE_TTL)


def test_listings_name_their_listing_and_every_teaser(client, story):
    article, section, author, topic = story
    expected = {
        "/": "list-latest",
        section.url: f"list-section-{section.pk}",
        reverse("people:author", args=[author.slug]): f"list-author-{author.pk}",
        reverse("taxonomy:tag", args=[topic.slug]): f"list-tag-{topic.pk}",
        reverse("syndication:site-rss"): "list-latest",
    }
    for url, listing in expected.items():
        tags = tags_of(client.get(url))
        assert {listing, f"article-{article.pk}"} <= tags, url


@pytest.mark.parametrize(
    ("url_name", "tag"),
    [
        ("syndication:sitemap-index", "sitemaps"),
        ("syndication:news-sitemap", "sitemaps"),
        ("feed:news-feed", "newsfeed"),
        ("corrections", "corrections"),
    ],
)
def test_other_public_pages_name_what_changes_them(client, story, url_name, tag):
    assert tag in tags_of(client.get(reverse(url_name)))


def test_search_results_are_purged_by_any_article_change(client, story):
    assert "search" in tags_of(client.get("/search/?q=words"))


def test_signed_in_editor_pages_are_never_labelled(client, story, admin_user):
    client.force_login(admin_user)
    response = client.get(story[0].url)
    assert response.status_code == 200
    assert cache.TAGS_HEADER not in response.headers


def test_private_responses_are_never_labelled(client, story):
    response = client.post(reverse("analytics:view-beacon", args=[story[0].pk]))
    assert cache.TAGS_HEADER not in response.headers


# Teasers and the site, kept between requests ------------------------------


def test_listing_teasers_name_the_byline_so_a_rename_reaches_them(
    client, story, django_capture_on_commit_callbacks
):
    _, section, author, _ = story
    assert f"author-{author.pk}" in tags_of(client.get("/"))
    assert f"author-{author.pk}" in tags_of(client.get(section.url))
    with django_capture_on_commit_callbacks(execute=True):
        author.name = "Renamed Reporter"
        author.save()
    for url in ("/", section.url):
        assert b"Renamed Reporter" in client.get(url).content, url


def test_kept_teaser_is_the_same_html_as_a_fresh_render(client, story):
    section = story[1]
    fresh = client.get(section.url).content
    kept = client.get(section.url).content
    cache.reset()
    assert fresh == kept == client.get(section.url).content


def test_unpublished_article_leaves_every_kept_teaser(
    client, story, django_capture_on_commit_callbacks
):
    article, section, _, _ = story
    assert article.title.encode() in client.get(section.url).content
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    for url in ("/", section.url):
        assert article.title.encode() not in client.get(url).content, url


def test_edited_image_reaches_every_page_showing_it(
    client, django_capture_on_commit_callbacks
):
    from masthead.core.factories import LibraryImageFactory

    with django_capture_on_commit_callbacks(execute=True):
        hero = LibraryImageFactory(description="Old alt text")
        author = AuthorFactory(avatar=hero)
        section = make_section("Photos", "photos")
        article = make_article(section, authors=[author], hero_image=hero)
    urls = [article.url, section.url, "/", author.get_absolute_url()]
    for url in urls:
        response = client.get(url)
        assert f"image-{hero.pk}" in tags_of(response), url
    with django_capture_on_commit_callbacks(execute=True):
        hero.description = "New alt text"
        hero.save()
    assert cache.get_store().journal.read_text().splitlines()[-1] == (
        f"image-{hero.pk}"
    )
    for url in urls:
        content = client.get(url).content
        assert b"Old alt text" not in content, url
    assert b'alt="New alt text"' in client.get(article.url).content


def test_renamed_author_reaches_the_kept_avatars_of_an_article(
    client, django_capture_on_commit_callbacks
):
    from masthead.core.factories import LibraryImageFactory

    with django_capture_on_commit_callbacks(execute=True):
        author = AuthorFactory(name="Olha Old", avatar=LibraryImageFactory())
        article = make_article(make_section(), authors=[author])
    client.get(article.url)
    with django_capture_on_commit_callbacks(execute=True):
        author.name = "Olha New"
        author.save()
    # Only the author (and the index of authors listing the name) was
    # purged: not the site, the image or the article.
    assert cache.get_store().journal.read_text().splitlines()[-1] == (
        f"author-{author.pk} {cache.AUTHOR_INDEX}"
    )
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    alts = [img["alt"] for img in soup.select("img.avatar")]
    # The byline's small avatar and the author box's large one.
    assert alts == ["Olha New", "Olha New"]


def test_kept_images_cost_no_query_on_a_warm_article(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masthead.core.factories import LibraryImageFactory

    article = make_article(hero_image=LibraryImageFactory())
    client.get(article.url)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(article.url).status_code == 200
    image_tables = ("core_libraryimage", "core_libraryrendition")
    assert not [
        q["sql"]
        for q in warm.captured_queries
        if any(t in q["sql"] for t in image_tables)
    ]


def test_kept_site_is_loaded_once_until_a_purge(client, story, journal):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masthead.cache.stores import MemoryStore

    url = story[1].url
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        client.get(url)
    # A purge written by another process (a second store on the same journal).
    MemoryStore(journal, 1 << 20).purge(["unrelated"])
    with CaptureQueriesContext(connection) as after_purge:
        client.get(url)
    site_queries = [
        q for q in after_purge.captured_queries if "wagtailcore_site" in q["sql"]
    ]
    assert not any("wagtailcore_site" in q["sql"] for q in warm.captured_queries)
    assert len(site_queries) == 1


def test_renamed_publication_shows_after_the_purge(
    client, story, django_capture_on_commit_callbacks
):
    url = story[1].url
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        settings_row = SiteSettings.for_site(story[0].get_site())
        settings_row.publication_name = "The Renamed Daily"
        settings_row.save()
    assert b"The Renamed Daily" in client.get(url).content


def test_unknown_host_is_refused_before_any_lookup(client, settings):
    settings.ALLOWED_HOSTS = ["news.example"]
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400
