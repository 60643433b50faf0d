"""The demo's live page (issue #14)."""

import pytest
from bs4 import BeautifulSoup

from masthead.content.models import ArticlePage
from masthead.content.models.live import LiveStatus
from masthead.demo.build import build_demo
from masthead.demo.live import LIVE_SLUG
from masthead.feed.models import NewsFeedItem

from .test_demo import SMALL, frozen_clock  # noqa: F401 - a fixture


@pytest.mark.django_db
def test_demo_live_page_is_open_linked_from_home_and_built_once(
    client,
    frozen_clock,  # noqa: F811
):
    build_demo(password="demo-secret", **SMALL)
    page = ArticlePage.objects.published().get(slug=LIVE_SLUG)
    assert page.live_status == LiveStatus.LIVE
    assert page.live_summary_html
    updates = NewsFeedItem.objects.on_live_page(page.pk)
    assert updates.count() == 8
    assert updates.filter(is_key_event=True).count() == 2
    home = BeautifulSoup(client.get("/").content, "html5lib")
    assert [a["href"] for a in home.select(".live-strip a")] == [page.url]
    lead = home.select_one(".lead-story__title a")
    assert lead["href"] != page.url

    build_demo(password="demo-secret", **SMALL)
    assert ArticlePage.objects.filter(slug=LIVE_SLUG).count() == 1
    assert NewsFeedItem.objects.on_live_page(page.pk).count() == 8
