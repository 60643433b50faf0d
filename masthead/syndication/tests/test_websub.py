"""WebSub pings reach a real hub on 127.0.0.1, one per changed feed."""

from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from django.utils import timezone

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.content.services import issue_correction
from masthead.feed.services import post_item
from masthead.people.factories import AuthorFactory
from masthead.syndication.websub import ping_hub
from masthead.taxonomy.factories import TagFactory
from masthead.webhooks.tests.receiver import receiver  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

BASE = "http://testserver.example"


@pytest.fixture
def hub(receiver, settings):  # noqa: F811
    settings.MASTHEAD_WEBSUB_HUB = receiver.url + "/hub"
    settings.WAGTAILADMIN_BASE_URL = BASE
    return receiver


def pinged(hub) -> list[str]:
    """The ``hub.url`` of every ping, in order; checks the form of each."""
    urls = []
    for request in hub.requests:
        assert request.path == "/hub"
        assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
        form = parse_qs(request.body.decode(), strict_parsing=True)
        assert form["hub.mode"] == ["publish"]
        (url,) = form["hub.url"]
        urls.append(url)
    return urls


def feeds(prefix: str) -> set[str]:
    return {f"{BASE}{prefix}{fmt}/" for fmt in ("rss", "atom", "json")}


def test_publish_pings_every_feed_of_the_article_once(
    hub, django_capture_on_commit_callbacks
):
    section = make_section("Business", "business")
    author, tag = AuthorFactory(slug="olena"), TagFactory(slug="rates")
    with django_capture_on_commit_callbacks(execute=True):
        make_article(section, authors=[author], tags=[tag])
    urls = pinged(hub)
    assert len(urls) == len(set(urls))
    assert set(urls) == (
        feeds("/feeds/")
        | feeds("/feeds/section/business/")
        | feeds("/feeds/tag/rates/")
        | feeds("/feeds/author/olena/")
    )


def test_unpublish_and_correction_ping(hub, django_capture_on_commit_callbacks):
    article = make_article()
    hub.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        issue_correction(article, "correction", "The rate was 5%.")
    assert feeds("/feeds/") <= set(pinged(hub))
    hub.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).unpublish()
    assert feeds("/feeds/") <= set(pinged(hub))


def test_ukrainian_article_pings_its_editions_feeds(
    hub, edition_sections, django_capture_on_commit_callbacks
):
    _, ukrainian = edition_sections
    author = AuthorFactory(slug="taras")
    with django_capture_on_commit_callbacks(execute=True):
        make_article(ukrainian, authors=[author])
    assert set(pinged(hub)) == (
        feeds("/uk/feeds/")
        | feeds(f"/uk/feeds/section/{ukrainian.slug}/")
        | feeds("/uk/feeds/author/taras/")
    )


def test_embargoed_article_pings_nothing(hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article(embargo_until=timezone.now() + timedelta(hours=1))
    assert pinged(hub) == []


def test_news_feed_post_pings_the_news_feed(hub, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_item(headline="Sirens", text="Alert.")
    assert set(pinged(hub)) == feeds("/feeds/news-feed/")


def test_no_hub_no_pings(receiver, settings, django_capture_on_commit_callbacks):  # noqa: F811
    settings.MASTHEAD_WEBSUB_HUB = ""
    with django_capture_on_commit_callbacks(execute=True):
        make_article()
    assert receiver.requests == []
    assert ping_hub.call([BASE + "/feeds/rss/"]) == []


def test_failed_ping_is_reported_for_retry(hub):
    hub.statuses = [500, 204]
    urls = [BASE + "/feeds/rss/", BASE + "/feeds/atom/"]
    assert ping_hub.call(urls) == [BASE + "/feeds/rss/"]
    assert ping_hub.call([BASE + "/feeds/rss/"], 2) == []
    assert pinged(hub) == [urls[0], urls[1], urls[0]]
