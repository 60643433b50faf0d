"""The live page, its JSON-LD and its polling endpoint (issue #14)."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from masthead.content.factories import make_article, make_section
from masthead.content.models.live import LiveStatus
from masthead.feed.factories import NewsFeedItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live_page():
    page = make_article(
        make_section(),
        title="Storm over the coast",
        live_summary="<p>Winds of <b>120 km/h</b> hit the coast.</p>",
    )
    page.live_status = LiveStatus.LIVE
    page.coverage_started_at = timezone.now() - timedelta(hours=3)
    page.save()
    return page


@pytest.fixture
def updates(live_page):
    now = timezone.now()
    return [
        NewsFeedItemFactory(
            live_page=live_page,
            headline=f"Update {n}",
            body=f"<p>Text of update {n}.</p>",
            is_key_event=n in (1, 3),
            published_at=now - timedelta(minutes=50 - n * 10),
        )
        for n in range(5)
    ]


def soup_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, BeautifulSoup(response.content, "html5lib")


def json_ld(soup):
    return [
        json.loads(script.string)
        for script in soup.select('script[type="application/ld+json"]')
    ]


def by_type(blocks, kind):
    """The block of type ``kind`` or a subtype named so (``ReportageNewsArticle``)."""
    found = [block for block in blocks if block.get("@type", "").endswith(kind)]
    return found[0] if found else None


def test_live_page_shows_label_summary_key_events_and_updates_newest_first(
    client, live_page, updates
):
    response, soup = soup_of(client, live_page.url)
    assert soup.select_one(".live-label").get_text(strip=True) == "Live"
    summary = soup.select_one(".live-coverage__summary .rich-text")
    assert summary.get_text() == "Winds of 120 km/h hit the coast."
    keys = soup.select(".key-events a")
    assert [a["href"] for a in keys] == [
        f"#item-{updates[3].pk}",
        f"#item-{updates[1].pk}",
    ]
    posts = soup.select(".live-coverage__list article.feed-post")
    assert [p["id"] for p in posts] == [f"item-{u.pk}" for u in reversed(updates)]
    first = posts[0]
    assert first.select_one(".feed-post__headline").get_text(strip=True) == "Update 4"
    assert first.select_one("time")["datetime"] == timezone.localtime(
        updates[4].published_at
    ).isoformat(timespec="seconds")
    poll = soup.select_one(".live-coverage__poll")
    assert poll["data-updates-url"] == f"/live/{live_page.pk}/updates.json"
    assert poll.select_one("[role=status]")["aria-live"] == "polite"
    assert soup.select_one('script[src$="live.js"]') is not None
    assert "max-age=15" in response["Cache-Control"]


def test_live_page_json_ld_is_a_live_blog_posting(client, live_page, updates):
    _response, soup = soup_of(client, live_page.url)
    blocks = json_ld(soup)
    assert by_type(blocks, "NewsArticle") is None
    posting = by_type(blocks, "LiveBlogPosting")
    assert posting["coverageStartTime"] == timezone.localtime(
        live_page.coverage_started_at
    ).isoformat(timespec="seconds")
    assert "coverageEndTime" not in posting
    entries = posting["liveBlogUpdate"]
    assert [entry["@type"] for entry in entries] == ["BlogPosting"] * 5
    assert entries[0]["headline"] == "Update 4"
    assert entries[0]["articleBody"] == "Text of update 4."
    assert entries[0]["url"].endswith(f"{live_page.url}#item-{updates[4].pk}")


def test_closed_live_page_reads_as_an_article_with_its_updates(
    client, live_page, updates
):
    live_page.live_status = LiveStatus.CLOSED
    live_page.coverage_ended_at = timezone.now()
    live_page.save()
    response, soup = soup_of(client, live_page.url)
    assert soup.select_one(".live-label") is None
    assert soup.select_one(".live-coverage__poll") is None
    assert soup.select_one('script[src$="live.js"]') is None
    assert len(soup.select(".live-coverage__list article.feed-post")) == 5
    blocks = json_ld(soup)
    assert by_type(blocks, "LiveBlogPosting") is None
    assert by_type(blocks, "NewsArticle") is not None
    assert "max-age=60" in response["Cache-Control"]


def test_ordinary_article_has_no_live_parts(client):
    article = make_article()
    NewsFeedItemFactory(article=article)
    _response, soup = soup_of(client, article.url)
    assert soup.select_one(".live-coverage, .live-label") is None


def test_scheduled_update_is_not_shown_yet(client, live_page):
    NewsFeedItemFactory(
        live_page=live_page,
        headline="Not yet",
        published_at=timezone.now() + timedelta(hours=1),
    )
    _response, soup = soup_of(client, live_page.url)
    assert soup.select(".live-coverage__list article") == []
    data = client.get(f"/live/{live_page.pk}/updates.json").json()
    assert data["items"] == []


def test_updates_json_lists_newest_first_and_answers_304(client, live_page, updates):
    url = f"/live/{live_page.pk}/updates.json"
    first = client.get(url)
    assert first.status_code == 200
    assert "max-age=15" in first["Cache-Control"]
    data = first.json()
    assert data["status"] == "live"
    assert [item["id"] for item in data["items"]] == [u.pk for u in reversed(updates)]
    assert data["items"][1]["is_key_event"] is True
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    NewsFeedItemFactory(live_page=live_page, headline="Newest")
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["items"][0]["headline"] == "Newest"


def test_updates_json_of_anything_but_a_published_live_page_is_404(client, live_page):
    article = make_article()
    draft = make_article(publish=False, live_status=LiveStatus.LIVE)
    for pk in (article.pk, draft.pk, 999_999):
        assert client.get(f"/live/{pk}/updates.json").status_code == 404
    assert client.get("/live/abc/updates.json").status_code == 404


def test_front_page_links_open_live_pages(client, live_page):
    closed = make_article(title="Old storm", live_status=LiveStatus.CLOSED)
    _response, soup = soup_of(client, "/")
    links = [(a.get_text(), a["href"]) for a in soup.select(".live-strip a")]
    assert links == [("Storm over the coast", live_page.url)]
    assert closed.url not in [href for _text, href in links]
