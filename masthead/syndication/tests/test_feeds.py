"""RSS, Atom and JSON feeds: fields, visibility, conditional GET, budgets."""

import html
import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.content.factories import make_article, make_section
from masthead.core.factories import LibraryImageFactory
from masthead.feed.factories import NewsFeedItemFactory
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

DC = "{http://purl.org/dc/elements/1.1/}"
MEDIA = "{http://search.yahoo.com/mrss/}"
ATOM = "{http://www.w3.org/2005/Atom}"

# Article feeds: scope lookup (none for the site) + version query + articles
# with hero images + bylines + tags + renditions; the site and its settings
# are kept per process (core/pages.py). Fixed whatever the number of
# articles, authors, tags or images.
SITE_FEED_QUERIES = 5
SUBJECT_FEED_QUERIES = 6  # the section, tag or author lookup on top
NEWS_FEED_FEED_QUERIES = 2  # version + items

ARTICLE_FEED_URLS = [
    "/feeds/rss/",
    "/feeds/atom/",
    "/feeds/json/",
    "/feeds/section/{section}/rss/",
    "/feeds/section/{section}/atom/",
    "/feeds/tag/{tag}/rss/",
    "/feeds/tag/{tag}/atom/",
    "/feeds/author/{author}/rss/",
    "/feeds/author/{author}/atom/",
]


def parse_xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)


def parse(response):
    assert response.status_code == 200, response.status_code
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def self_links(parsed) -> list[str]:
    return [link.href for link in parsed.feed.links if link.rel == "self"]


@pytest.fixture
def story():
    """A published story with two authors, two tags and a hero image."""
    section = make_section(title="World", slug="world")
    return make_article(
        section,
        title="Tom & Jerry <live>",
        standfirst="Cats & mice.",
        authors=[AuthorFactory(name="Olena Test"), AuthorFactory(name="Ivan Test")],
        tags=[TagFactory(name="Kyiv"), TagFactory(name="Energy")],
        hero_image=LibraryImageFactory(),
    )


def test_rss_carries_every_required_channel_and_item_field(client, story):
    response = client.get("/feeds/rss/")
    parsed = parse(response)

    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert parsed.version == "rss20"
    assert parsed.feed.title == "Masthead News"
    assert parsed.feed.link == "http://testserver/"
    assert parsed.feed.description
    assert self_links(parsed) == ["http://testserver/feeds/rss/"]
    [entry] = parsed.entries
    # RSS titles are HTML (Django #6533): escaped once more, read back exact.
    assert html.unescape(entry.title) == "Tom & Jerry <live>"
    assert entry.link == "http://testserver/world/" + story.slug + "/"
    assert html.unescape(entry.summary) == "Cats & mice."
    assert entry.id == f"urn:masthead:article:{story.pk}"
    assert entry.guidislink is False
    assert entry.content[0].value.strip() == story.body_html.strip()
    assert [a.name for a in entry.authors] == ["Olena Test", "Ivan Test"]
    assert [t.term for t in entry.tags] == ["Kyiv", "Energy"]
    assert entry.published_parsed is not None
    [media] = entry.media_content
    assert media["url"].startswith("http://testserver/media/")
    assert media["url"].endswith(".png")
    assert (media["width"], media["height"], media["type"]) == (
        "160",
        "90",
        "image/png",
    )

    # The namespaced elements, read with an XML parser.
    item = parse_xml(response.content).find("channel/item")
    assert item.find("guid").attrib == {"isPermaLink": "false"}
    assert [c.text for c in item.findall(f"{DC}creator")] == ["Olena Test", "Ivan Test"]
    assert item.find(f"{MEDIA}content").get("medium") == "image"


def test_atom_carries_every_required_feed_and_entry_field(client, story):
    response = client.get("/feeds/atom/")
    parsed = parse(response)

    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert parsed.version == "atom10"
    assert parsed.feed.title == "Masthead News"
    assert parsed.feed.id == "urn:masthead:feed:site"
    assert parsed.feed.updated_parsed is not None
    assert parsed.feed.author == "Masthead News"
    assert self_links(parsed) == ["http://testserver/feeds/atom/"]
    [entry] = parsed.entries
    assert entry.title == "Tom & Jerry <live>"  # a text construct: not escaped
    assert entry.id == f"urn:masthead:article:{story.pk}"
    assert entry.updated_parsed is not None
    assert entry.published_parsed is not None
    assert [(a.name, a.href) for a in entry.authors] == [
        (
            "Olena Test",
            "http://testserver/authors/" + story.ordered_authors()[0].slug + "/",
        ),
        (
            "Ivan Test",
            "http://testserver/authors/" + story.ordered_authors()[1].slug + "/",
        ),
    ]
    [alternate] = [link for link in entry.links if link.rel == "alternate"]
    assert alternate.href == f"http://testserver/world/{story.slug}/"
    assert html.unescape(entry.summary) == "Cats & mice."
    assert entry.content[0].type == "text/html"
    assert entry.content[0].value.strip() == story.body_html.strip()
    assert [t.term for t in entry.tags] == ["Kyiv", "Energy"]
    assert entry.media_content[0]["width"] == "160"


def test_json_feed_carries_every_required_field(client, story):
    response = client.get("/feeds/json/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/feed+json; charset=utf-8"
    document = response.json()
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["title"] == "Masthead News"
    assert document["home_page_url"] == "http://testserver/"
    assert document["feed_url"] == "http://testserver/feeds/json/"
    [item] = document["items"]
    assert item["id"] == f"urn:masthead:article:{story.pk}"
    assert item["url"] == f"http://testserver/world/{story.slug}/"
    assert item["title"] == "Tom & Jerry <live>"
    assert item["summary"] == "Cats & mice."
    assert item["content_html"].strip() == story.body_html.strip()
    assert item["image"].startswith("http://testserver/media/")
    assert item["date_published"].startswith(
        str(timezone.localdate(story.published_at))
    )
    assert item["date_modified"]
    assert [a["name"] for a in item["authors"]] == ["Olena Test", "Ivan Test"]
    assert item["tags"] == ["Kyiv", "Energy"]
    assert "hubs" not in document


def test_guid_survives_an_edit_and_republish_while_updated_moves(client, story):
    before = parse(client.get("/feeds/atom/")).entries[0]

    with time_machine.travel(timezone.now() + timedelta(hours=2)):
        story.title = "Corrected headline"
        story.slug = "corrected-headline"
        story.save_revision().publish()
        after = parse(client.get("/feeds/atom/")).entries[0]
        rss_after = parse(client.get("/feeds/rss/")).entries[0]

    assert after.id == before.id == rss_after.id == f"urn:masthead:article:{story.pk}"
    assert after.title == "Corrected headline"
    assert after.link.endswith("/corrected-headline/")
    assert after.published_parsed == before.published_parsed
    assert after.updated_parsed > before.updated_parsed


def test_scoped_feeds_list_only_their_subjects_published_articles(client):
    section, other_section = make_section(slug="politics"), make_section()
    author, tag = AuthorFactory(), TagFactory()
    make_article(section, authors=[author], tags=[tag], title="Mine")
    make_article(other_section, title="Elsewhere")
    make_article(section, authors=[author], tags=[tag], publish=False, title="Draft")
    withdrawn = make_article(section, authors=[author], tags=[tag], title="Withdrawn")
    withdrawn.unpublish()

    for url in (
        "/feeds/section/politics/rss/",
        f"/feeds/tag/{tag.slug}/atom/",
        f"/feeds/author/{author.slug}/rss/",
    ):
        parsed = parse(client.get(url))
        assert [e.title for e in parsed.entries] == ["Mine"], url
        assert self_links(parsed) == [f"http://testserver{url}"]
    site_titles = {e.title for e in parse(client.get("/feeds/rss/")).entries}
    assert site_titles == {"Mine", "Elsewhere"}
    json_titles = {i["title"] for i in client.get("/feeds/json/").json()["items"]}
    assert json_titles == {"Mine", "Elsewhere"}


def test_site_feed_shows_the_newest_thirty(client, monkeypatch):
    monkeypatch.setattr("masthead.syndication.scopes.FEED_ITEM_COUNT", 2)
    section = make_section()
    now = timezone.now()
    for hours, title in ((3, "Oldest"), (2, "Middle"), (1, "Newest")):
        make_article(section, title=title, published_at=now - timedelta(hours=hours))

    titles = [e.title for e in parse(client.get("/feeds/atom/")).entries]

    assert titles == ["Newest", "Middle"]


def test_news_feed_stream_skips_items_not_yet_due(client):
    NewsFeedItemFactory(headline="Now", body="<p>Power is back.</p>")
    NewsFeedItemFactory(
        headline="Later", published_at=timezone.now() + timedelta(hours=1)
    )

    response = client.get("/feeds/news-feed/rss/")
    parsed = parse(response)

    [entry] = parsed.entries
    assert entry.title == "Now"
    assert entry.id.startswith("urn:masthead:news-feed-item:")
    item_id = entry.id.rsplit(":")[-1]
    assert entry.link == f"http://testserver/news-feed/{item_id}-now/"
    assert entry.content[0].value == "<p>Power is back.</p>"
    assert parse(client.get("/feeds/news-feed/atom/")).entries[0].title == "Now"
    assert "max-age=15" in response["Cache-Control"]


def test_matching_etag_or_date_gets_304_and_a_change_gets_200(client, story):
    first = client.get("/feeds/rss/")
    etag, last_modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag)
    by_date = client.get("/feeds/rss/", HTTP_IF_MODIFIED_SINCE=last_modified)

    for response in (by_etag, by_date):
        assert response.status_code == 304
        assert response.content == b""
        assert response["ETag"] == etag
        assert "max-age=120" in response["Cache-Control"]
        assert response["Link"] == '<http://testserver/feeds/rss/>; rel="self"'

    story.unpublish()
    assert client.get("/feeds/rss/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_json_and_atom_feeds_answer_conditional_requests_too(client, story):
    for url in (
        "/feeds/json/",
        "/feeds/atom/",
        f"/feeds/tag/{story.ordered_tags()[0].slug}/rss/",
    ):
        etag = client.get(url)["ETag"]
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


def test_feeds_are_publicly_cacheable_and_name_themselves(client, story):
    response = client.get("/feeds/atom/")

    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"public", "max-age=120", "stale-while-revalidate=60"} <= directives
    assert response["Link"] == '<http://testserver/feeds/atom/>; rel="self"'


def test_websub_hub_is_advertised_only_when_configured(client, settings, story):
    settings.MASTHEAD_WEBSUB_HUB = "https://hub.example.org/"

    rss = client.get("/feeds/rss/")
    atom = client.get("/feeds/atom/")
    document = client.get("/feeds/json/").json()

    assert rss["Link"] == (
        '<https://hub.example.org/>; rel="hub", '
        '<http://testserver/feeds/rss/>; rel="self"'
    )
    channel = parse_xml(rss.content).find("channel")
    feed = parse_xml(atom.content)
    for links in (channel.findall(f"{ATOM}link"), feed.findall(f"{ATOM}link")):
        hubs = [link.get("href") for link in links if link.get("rel") == "hub"]
        assert hubs == ["https://hub.example.org/"]
    assert document["hubs"] == [{"type": "WebSub", "url": "https://hub.example.org/"}]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/section/no-such-section/rss/",
        "/feeds/tag/no-such-tag/atom/",
        "/feeds/author/nobody/rss/",
        "/feeds/tag/%00/rss/",
        "/feeds/author/a%20b/atom/",
        "/feeds/section/" + "x" * 300 + "/rss/",
        "/feeds/podcast/rss/",
    ],
)
def test_unknown_or_malformed_slugs_are_404(client, url):
    assert client.get(url).status_code == 404


def test_draft_section_has_no_feed(client):
    section = make_section(slug="hidden")
    section.unpublish()

    assert client.get("/feeds/section/hidden/rss/").status_code == 404


@pytest.mark.parametrize(
    "query",
    ["?page=abc", "?limit=99999999999999999999", "?%00=%ff", "?format=json&p=-1"],
)
def test_query_strings_are_ignored(client, query):
    assert client.get("/feeds/rss/" + query).status_code == 200
    assert client.get("/feeds/json/" + query).status_code == 200


def test_control_characters_in_a_story_do_not_break_the_feed(client):
    make_article(title="Pasted\x0c headline", standfirst="Form\x0bfeed")

    for url in ("/feeds/rss/", "/feeds/atom/"):
        assert parse(client.get(url)).entries[0].title == "Pasted headline"


def test_feeds_refuse_writes(client):
    assert client.post("/feeds/rss/").status_code == 405


def _count(client, url: str) -> int:
    client.get(url)  # the first request makes the renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_feed_query_budget_does_not_grow_with_items(client):
    section = make_section(slug="budget")
    author, tag = AuthorFactory(), TagFactory()
    make_article(
        section, authors=[author], tags=[tag], hero_image=LibraryImageFactory()
    )
    urls = [
        u.format(section="budget", tag=tag.slug, author=author.slug)
        for u in ARTICLE_FEED_URLS
    ]
    small = {url: _count(client, url) for url in urls}

    for image in (LibraryImageFactory(), None, LibraryImageFactory()):
        make_article(
            section,
            authors=[author, *AuthorFactory.create_batch(2)],
            tags=[tag, *TagFactory.create_batch(2)],
            hero_image=image,
        )
    big = {url: _count(client, url) for url in urls}

    assert big == small
    expected = {
        url: SITE_FEED_QUERIES if url.count("/") == 3 else SUBJECT_FEED_QUERIES
        for url in urls
    }
    assert big == expected


def test_news_feed_feed_query_budget_does_not_grow_with_items(client):
    NewsFeedItemFactory()
    small = _count(client, "/feeds/news-feed/rss/")
    NewsFeedItemFactory.create_batch(5)

    assert _count(client, "/feeds/news-feed/rss/") == small == NEWS_FEED_FEED_QUERIES


def test_a_304_costs_only_the_version_query_and_the_subject_lookup(client, story):
    tag_url = f"/feeds/tag/{story.ordered_tags()[0].slug}/atom/"
    for url, budget in (("/feeds/rss/", 1), (tag_url, 2)):
        etag = client.get(url)["ETag"]
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_IF_NONE_MATCH=etag)

        assert response.status_code == 304
        assert len(queries) == budget, url
