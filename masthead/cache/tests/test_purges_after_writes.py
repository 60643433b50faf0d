"""Writes purge exactly what they change, after commit (#5)."""

import pytest
from django.db import transaction
from django.utils import timezone

from masthead import cache
from masthead.analytics.services import record_view, refresh_most_popular
from masthead.content.factories import make_article, make_section
from masthead.content.services import issue_correction, publish_article
from masthead.core.models import OutboxEntry, SiteSettings
from masthead.feed.services import post_item

# The journal fixture (conftest.py) is asked for here rather than made autouse
# there: test_caching.py in this folder has a journal fixture of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("journal")]


def queued() -> set[str]:
    return set(OutboxEntry.objects.filter(topic="purge").values_list("key", flat=True))


# What writes purge --------------------------------------------------------


def test_publishing_queues_the_article_its_listings_sitemaps_and_search(story):
    article, section, author, topic = story
    OutboxEntry.objects.all().delete()
    publish_article(article)
    article.refresh_from_db()
    local = timezone.localtime(article.published_at)
    assert {
        f"article-{article.pk}",
        "list-latest",
        f"list-section-{section.pk}",
        f"list-author-{author.pk}",
        f"list-tag-{topic.pk}",
        "sitemaps",
        "search",
        # The date archive's pages of its day, month and year (#14).
        "archive",
        f"archive-{local:%Y}",
        f"archive-{local:%Y-%m}",
        f"archive-{local:%Y-%m-%d}",
    } <= queued()


def test_unpublishing_purges_every_page_showing_the_article(story):
    article = story[0]
    OutboxEntry.objects.all().delete()
    article.unpublish()
    assert {f"article-{article.pk}", "list-latest"} <= queued()


def test_purge_is_applied_after_commit_and_the_row_removed(
    journal, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    lines = journal.read_text().splitlines()
    assert any(f"article-{article.pk}" in line.split() for line in lines)
    assert OutboxEntry.objects.count() == 0


def test_rolled_back_write_purges_nothing(journal):
    with pytest.raises(RuntimeError), transaction.atomic():
        make_article()
        raise RuntimeError("editor's save failed")
    assert OutboxEntry.objects.count() == 0
    assert not journal.exists()


def test_correction_purges_its_article_and_the_corrections_page(story):
    article = story[0]
    OutboxEntry.objects.all().delete()
    issue_correction(article, "correction", "The figure was 12, not 21.")
    assert {f"article-{article.pk}", "corrections"} <= queued()


def test_news_feed_post_purges_the_feed_everywhere(story):
    OutboxEntry.objects.all().delete()
    item = post_item(headline="Air raid alert", text="Sirens in Kyiv.")
    assert queued() == {"newsfeed", f"feed-item-{item.pk}"}


@pytest.mark.parametrize("kind", ["author", "tag"])
def test_renaming_an_author_or_tag_purges_where_the_name_shows(story, kind):
    record = story[2] if kind == "author" else story[3]
    OutboxEntry.objects.all().delete()
    record.name = "New name"
    record.save()
    # Its pages, and the A-Z index of all of them (#14).
    index = "index-authors" if kind == "author" else "index-tags"
    assert queued() == {f"{kind}-{record.pk}", index}


def test_site_settings_purge_every_page(story):
    OutboxEntry.objects.all().delete()
    settings_row = SiteSettings.for_site(story[0].get_site())
    settings_row.publication_name = "The Renamed Daily"
    settings_row.save()
    assert queued() == {"site"}


def test_editing_a_site_purges_every_page(story):
    from wagtail.models import Site

    OutboxEntry.objects.all().delete()
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Renamed"
    site.save()
    assert queued() == {"site"}


def test_moving_a_page_purges_every_page(story):
    article = story[0]
    other = make_section("Culture", "culture")
    OutboxEntry.objects.all().delete()
    article.move(other, pos="last-child")
    assert "site" in queued()


def test_renamed_section_shows_on_its_articles_after_the_purge(
    client, story, django_capture_on_commit_callbacks
):
    article, section, _, _ = story
    assert b"Business" in client.get(article.url).content
    with django_capture_on_commit_callbacks(execute=True):
        section.title = "Markets"
        section.save_revision().publish()
    page = client.get(article.url).content
    assert b"Markets" in page
    assert b"Business" not in page
    assert b">Markets<" in client.get("/").content


def through_page_cache(app, path: str) -> bytes:
    """GET ``path`` through the page cache wrapped round Django."""
    import io

    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "HTTP_HOST": "testserver",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    return b"".join(app(environ, lambda status, headers, exc_info=None: None))


def test_making_a_page_private_drops_its_cached_copy(
    story, django_wsgi, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    article = story[0]
    app = cache.PageCache(django_wsgi, cache.get_store())
    assert article.title.encode() in through_page_cache(app, article.url)
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=article, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    assert article.title.encode() not in through_page_cache(app, article.url)


def test_page_made_private_asks_for_its_password_at_once(
    client, story, django_capture_on_commit_callbacks
):
    from wagtail.models import PageViewRestriction

    article = story[0]
    assert article.title.encode() in client.get(article.url).content
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(
            page=story[1], restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    response = client.get(article.url)
    assert b'name="password"' in response.content
    assert b"Words in the body." not in response.content


def test_most_popular_purges_only_when_the_ranking_changes(story):
    article = story[0]
    record_view(article.pk, "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")
    OutboxEntry.objects.all().delete()
    refresh_most_popular(7)
    assert queued() == {"popular"}
    OutboxEntry.objects.all().delete()
    refresh_most_popular(7)
    assert OutboxEntry.objects.count() == 0


def test_embargo_release_purges_the_released_article(story):
    article = story[0]
    from masthead.content.services import release_embargoes

    now = timezone.now()
    type(article).objects.filter(pk=article.pk).update(embargo_until=now)
    OutboxEntry.objects.all().delete()
    release_embargoes(now - timezone.timedelta(minutes=1), now)
    assert f"article-{article.pk}" in queued()
