"""Pages say what they show; writes purge exactly that, after commit (#5)."""

import http.server
import logging
import threading

import pytest
from bs4 import BeautifulSoup
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone

from masthead import cache
from masthead.analytics.services import record_view, refresh_most_popular
from masthead.content.factories import make_article, make_section
from masthead.content.services import issue_correction, publish_article
from masthead.core import outbox
from masthead.core.models import OutboxEntry, SiteSettings
from masthead.core.tasks import drain_outbox
from masthead.feed.services import post_item
from masthead.newsroom import scheduler
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def journal(settings, tmp_path):
    settings.MASTHEAD_PAGE_CACHE_JOURNAL = tmp_path / "purges.log"
    settings.MASTHEAD_PURGERS = []
    cache.reset()
    yield settings.MASTHEAD_PAGE_CACHE_JOURNAL
    cache.reset()


@pytest.fixture
def story():
    author, topic = AuthorFactory(), TagFactory()
    section = make_section("Business", "business")
    article = make_article(section, authors=[author], tags=[topic])
    return article, section, author, topic


def tags_of(response) -> set[str]:
    return set(response.headers.get(cache.TAGS_HEADER, "").split())


def queued() -> set[str]:
    return set(OutboxEntry.objects.filter(topic="purge").values_list("key", flat=True))


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


# What writes purge --------------------------------------------------------


def test_publishing_queues_the_article_its_listings_sitemaps_and_search(story):
    article, section, author, topic = story
    OutboxEntry.objects.all().delete()
    publish_article(article)
    assert {
        f"article-{article.pk}",
        "list-latest",
        f"list-section-{section.pk}",
        f"list-author-{author.pk}",
        f"list-tag-{topic.pk}",
        "sitemaps",
        "search",
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
    assert queued() == {f"{kind}-{record.pk}"}


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

    from django.core import signals
    from django.db import close_old_connections

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
    # As Django's test client does: the test's transaction keeps its
    # connection, which a real request would close when it finishes.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        return b"".join(app(environ, lambda status, headers, exc_info=None: None))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_making_a_page_private_drops_its_cached_copy(
    story, django_capture_on_commit_callbacks
):
    from django.core.wsgi import get_wsgi_application
    from wagtail.models import PageViewRestriction

    article = story[0]
    app = cache.PageCache(get_wsgi_application(), cache.get_store())
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
    # Only the author was purged: not the site, the image or the article.
    assert cache.get_store().journal.read_text().splitlines()[-1] == (
        f"author-{author.pk}"
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


def test_most_popular_purges_only_when_the_ranking_changes(story):
    article = story[0]
    record_view(article.pk, "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0")
    OutboxEntry.objects.all().delete()
    refresh_most_popular(7)
    assert queued() == {"popular"}
    OutboxEntry.objects.all().delete()
    refresh_most_popular(7)
    assert OutboxEntry.objects.count() == 0


# Failures are logged and retried -------------------------------------------


class BanRecorder(http.server.BaseHTTPRequestHandler):
    """A Varnish stand-in on loopback that records the tags it is told to ban."""

    received: list[str] = []

    def do_BAN(self):
        self.received.append(self.headers["X-Purge-Tags"])
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def ban_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), BanRecorder)
    BanRecorder.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", BanRecorder.received
    server.shutdown()
    server.server_close()


def varnish(url: str) -> list[dict[str, str]]:
    return [
        {"BACKEND": "masthead.cache.purgers.varnish.VarnishPurger", "BASE_URL": url}
    ]


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_purge_reaches_varnish_by_tag(
    settings, ban_server, django_capture_on_commit_callbacks
):
    url, received = ban_server
    settings.MASTHEAD_PURGERS = varnish(url)
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    assert any(f"article-{article.pk}" in tags.split() for tags in received)
    assert OutboxEntry.objects.count() == 0


def test_failed_purge_is_logged_kept_and_retried(
    settings, ban_server, caplog, django_capture_on_commit_callbacks
):
    settings.MASTHEAD_PURGERS = varnish(f"http://127.0.0.1:{closed_port()}")
    with (
        caplog.at_level(logging.WARNING, logger="masthead.caching"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        article = make_article(title="Published while Varnish was down")
    # The publish itself stands; the purge waits with its error.
    assert article.live
    rows = list(OutboxEntry.objects.all())
    assert rows
    assert {row.topic for row in rows} == {"purge-remote"}
    assert all(row.attempts >= 1 and "Varnish" in row.last_error for row in rows)
    assert any("left queued for retry" in r.getMessage() for r in caplog.records)

    url, received = ban_server
    settings.MASTHEAD_PURGERS = varnish(url)
    drain_outbox.enqueue()
    assert OutboxEntry.objects.count() == 0
    assert any(f"article-{article.pk}" in tags.split() for tags in received)


def test_a_varnish_that_is_down_never_makes_the_editor_wait(
    settings, journal, monkeypatch, django_capture_on_commit_callbacks
):
    """Remote purges wait for the background task; the editor's commit
    applies only this machine's store (#12)."""
    settings.MASTHEAD_PURGERS = varnish(f"http://127.0.0.1:{closed_port()}")
    woken = []
    monkeypatch.setattr(outbox, "_wake_background", [lambda: woken.append(True)])
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Published while Varnish was down")
    assert any(
        f"article-{article.pk}" in line.split()
        for line in journal.read_text().splitlines()
    )
    remote = OutboxEntry.objects.filter(topic="purge-remote")
    assert f"article-{article.pk}" in set(remote.values_list("key", flat=True))
    assert set(remote.values_list("attempts", flat=True)) == {0}
    assert not OutboxEntry.objects.filter(topic="purge").exists()
    assert woken


def test_scheduler_retries_purges():
    assert "masthead.core.tasks.drain_outbox" in [job[1] for job in scheduler.JOBS]


def test_database_outage_is_a_503_not_a_500(client, story, monkeypatch):
    from wagtail.models import Site

    def unreachable(request):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(Site, "find_for_request", staticmethod(unreachable))
    response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert cache.TAGS_HEADER not in response.headers


def test_embargo_release_purges_the_released_article(story):
    article = story[0]
    from masthead.content.services import release_embargoes

    now = timezone.now()
    type(article).objects.filter(pk=article.pk).update(embargo_until=now)
    OutboxEntry.objects.all().delete()
    release_embargoes(now - timezone.timedelta(minutes=1), now)
    assert f"article-{article.pk}" in queued()
