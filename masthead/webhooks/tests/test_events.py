"""Each change through the real publishing pipeline is one event, once."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.content.services import issue_correction, release_embargoes
from masthead.feed.models import NewsFeedItem
from masthead.feed.services import post_item
from masthead.webhooks.factories import make_webhook
from masthead.webhooks.models import Delivery, Event, Webhook

pytestmark = pytest.mark.django_db

FORBIDDEN_KEYS = {"gated_html", "body_html", "body", "access_tiers"}


@pytest.fixture
def hooks():
    """A webhook for every event, on an address that is never called."""
    first = make_webhook("http://hooks.example.com/a")
    for event in Event.values:
        if event != first.event:
            Webhook.objects.create(
                integration=first.integration,
                event=event,
                target_url="http://hooks.example.com/a",
            )
    return first.integration


def events() -> Counter[str]:
    return Counter(Delivery.objects.values_list("event", flat=True))


def data_of(event: str) -> dict:
    return Delivery.objects.get(event=event).payload["data"]


def all_keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in all_keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in all_keys(v)}
    return set()


def test_publish_is_one_published_event(hooks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        article = make_article(title="Rates held")
    assert events() == {"article.published": 1}
    assert len(callbacks) >= 1
    data = data_of("article.published")
    assert data["id"] == article.pk
    assert data["title"] == "Rates held"
    assert data["url"].endswith(article.url)
    assert data["section"]["id"] == article.section_id
    assert [a["name"] for a in data["authors"]] == [
        a.name for a in article.ordered_authors()
    ]
    assert not all_keys(data) & FORBIDDEN_KEYS


def test_republish_is_updated_and_unpublish_is_id_and_url(hooks):
    article = make_article()
    Delivery.objects.all().delete()
    article.title = "New headline"
    article.save_revision().publish()
    assert events() == {"article.updated": 1}
    assert data_of("article.updated")["title"] == "New headline"

    Delivery.objects.all().delete()
    ArticlePage.objects.get(pk=article.pk).unpublish()
    assert events() == {"article.unpublished": 1}
    assert set(data_of("article.unpublished")) == {"id", "url"}

    Delivery.objects.all().delete()
    ArticlePage.objects.get(pk=article.pk).save_revision().publish()
    assert events() == {"article.published": 1}


def test_correction_is_corrected_event(hooks):
    article = make_article()
    Delivery.objects.all().delete()
    issue_correction(article, "correction", "The rate was 5%, not 6%.")
    assert events() == {"article.corrected": 1}


def test_draft_sends_nothing(hooks):
    make_article(publish=False)
    assert events() == {}


def test_embargoed_article_waits_for_its_release(hooks):
    article = make_article(embargo_until=timezone.now() + timedelta(hours=2))
    assert events() == {}
    ArticlePage.objects.filter(pk=article.pk).update(
        embargo_until=timezone.now() - timedelta(seconds=1)
    )
    release_embargoes(timezone.now() - timedelta(minutes=1), timezone.now())
    assert events() == {"article.published": 1}


def test_private_article_sends_nothing_and_going_private_unpublishes(hooks):
    section = make_section()
    PageViewRestriction.objects.create(
        page=section, restriction_type=PageViewRestriction.LOGIN
    )
    make_article(section)
    assert events() == {}

    article = make_article()
    Delivery.objects.all().delete()
    PageViewRestriction.objects.create(
        page=article, restriction_type=PageViewRestriction.PASSWORD, password="pw"
    )
    assert events() == {"article.unpublished": 1}


def test_deleting_a_public_article_unpublishes_it(hooks):
    article = make_article()
    Delivery.objects.all().delete()
    article_id = article.pk
    ArticlePage.objects.get(pk=article_id).delete()
    assert events() == {"article.unpublished": 1}
    assert data_of("article.unpublished")["id"] == article_id


def test_inactive_integration_gets_nothing(hooks):
    hooks.is_active = False
    hooks.save()
    make_article()
    assert events() == {}


def test_news_feed_post_is_posted_event(hooks):
    post_item(headline="Sirens in Kyiv", text="Air raid alert.")
    assert events() == {"newsfeed.posted": 1}
    data = data_of("newsfeed.posted")
    assert data["headline"] == "Sirens in Kyiv"
    assert not all_keys(data) & FORBIDDEN_KEYS


def test_future_news_feed_post_is_not_told(hooks):
    post_item(headline="Later", published_at=timezone.now() + timedelta(hours=1))
    assert events() == {}


def test_update_on_a_public_live_page_is_live_updated(hooks):
    page = make_article(title="Election night")
    Delivery.objects.all().delete()
    NewsFeedItem.objects.create(headline="First result", live_page=page)
    assert events() == {"newsfeed.posted": 1, "live.updated": 1}
    data = data_of("live.updated")
    assert (data["id"], data["title"]) == (page.pk, "Election night")
    assert data["update"]["headline"] == "First result"


def test_update_on_a_draft_live_page_is_not_told(hooks):
    page = make_article(publish=False)
    NewsFeedItem.objects.create(headline="Not yet", live_page=page)
    assert events() == {}
