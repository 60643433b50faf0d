"""The Content API: lists, details, filters, cursors, keys, ETags (#18)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.api.services import create_integration
from masthead.content.factories import make_article, make_section
from masthead.content.services import issue_correction
from masthead.feed.services import post_item
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/articles"


@pytest.fixture
def newsroom(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        economy, sport = (
            make_section("Economy", "economy"),
            make_section("Sport", "sport"),
        )
        author, other = AuthorFactory(slug="ana-writer"), AuthorFactory()
        tag = TagFactory(slug="budget")
        start = datetime(2026, 11, 1, 9, tzinfo=UTC)
        articles = [
            make_article(
                economy if n % 2 else sport,
                authors=[author if n < 3 else other],
                tags=[tag] if n % 3 == 0 else [],
                title=f"Story number {n}",
                slug=f"story-{n}",
                published_at=start + timedelta(hours=n),
            )
            for n in range(5)
        ]
    return {"articles": articles, "economy": economy, "author": author, "tag": tag}


def ids(response) -> list[int]:
    return [article["id"] for article in response.json()["articles"]]


def test_lists_published_articles_newest_first(client, newsroom):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    expected = [a.pk for a in reversed(newsroom["articles"])]
    assert ids(response) == expected
    first = response.json()["articles"][0]
    assert first["title"] == "Story number 4"
    assert first["section"]["slug"] == "sport"
    assert first["authors"][0]["name"]
    assert first["access"] == "everyone" and first["is_gated"] is False
    assert "body_html" not in first


def test_cursor_walks_every_article_once(client, newsroom):
    seen, cursor = [], None
    for _ in range(10):
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(URL, query).json()
        seen += [a["id"] for a in page["articles"]]
        cursor = page["page"]["next_cursor"]
        if cursor is None:
            break
    assert seen == [a.pk for a in reversed(newsroom["articles"])]


def test_a_list_reads_a_fixed_number_of_queries(client, newsroom):
    client.get(URL, {"limit": 2})
    with CaptureQueriesContext(connection) as two:
        client.get(URL, {"limit": 2})
    with CaptureQueriesContext(connection) as five:
        client.get(URL, {"limit": 5})
    assert len(five) == len(two) <= 8
    sql = " ".join(q["sql"] for q in five.captured_queries).upper()
    assert "COUNT(" not in sql and "OFFSET" not in sql


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "cDoyMDI2MTMwMTAwMDAwMDAwMDAwMC0x"}, "cursor"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2026-13-45"}, "updated_since"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"section": "no spaces"}, "section"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, query, field):
    response = client.get(URL, query)
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_large_limit_is_capped(client, newsroom, settings):
    settings.MASTHEAD_API_MAX_PAGE_SIZE = 4
    page = client.get(URL, {"limit": 10**6}).json()
    assert len(page["articles"]) == 4 and page["page"]["limit"] == 4


def test_filters_by_section_tag_and_author(client, newsroom):
    articles = newsroom["articles"]
    by_section = ids(client.get(URL, {"section": "economy"}))
    assert by_section == [
        a.pk for a in reversed(articles) if a.section_id == newsroom["economy"].pk
    ]
    assert ids(client.get(URL, {"tag": "budget"})) == [articles[3].pk, articles[0].pk]
    assert ids(client.get(URL, {"author": "ana-writer"})) == [
        a.pk for a in reversed(articles[:3])
    ]
    both = ids(client.get(URL, {"tag": "budget", "author": "ana-writer"}))
    assert both == [articles[0].pk]
    assert client.get(URL, {"section": "nowhere"}).status_code == 404


def test_updated_since_lists_changes_newest_first(client, newsroom):
    article = newsroom["articles"][1]
    issue_correction(article, "correction", "The date was wrong.")
    since = datetime.now(UTC) - timedelta(minutes=5)
    response = client.get(URL, {"updated_since": since.isoformat()})
    assert response.status_code == 200
    assert ids(response)[0] == article.pk
    assert client.get(URL, {"updated_since": "2999-01-01"}).json()["articles"] == []


def test_detail_by_id_and_slug(client, newsroom):
    article = newsroom["articles"][2]
    by_id = client.get(f"{URL}/{article.pk}")
    assert by_id.status_code == 200
    data = by_id.json()
    assert data["id"] == article.pk and "Words in the body" in data["body_html"]
    assert client.get(f"{URL}/slug/story-2").json()["id"] == article.pk
    assert client.get(f"{URL}/999999").status_code == 404
    assert client.get(f"{URL}/99999999999999999999").status_code == 400
    assert client.get(f"{URL}/slug/no-such-story").status_code == 404


def test_etag_and_304(client, newsroom):
    first = client.get(URL)
    etag = first["ETag"]
    assert etag.startswith('"') and "public" in first["Cache-Control"]
    again = client.get(URL, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    detail = client.get(f"{URL}/{newsroom['articles'][0].pk}")
    assert (
        client.get(
            f"{URL}/{newsroom['articles'][0].pk}",
            headers={"If-None-Match": detail["ETag"]},
        ).status_code
        == 304
    )


def test_keys(client, settings):
    integration = create_integration("Reader app", scopes=[])
    assert client.get(URL, {"key": integration.content_key}).status_code == 200
    wrong = client.get(URL, {"key": "0" * 26})
    assert wrong.status_code == 401
    assert wrong.json()["errors"][0]["code"] == "unauthorized"
    assert client.get(URL, headers={"X-Masthead-Key": "nope"}).status_code == 401
    keyed = client.get(URL, headers={"X-Masthead-Key": integration.content_key})
    assert keyed.status_code == 200 and "public" not in keyed["Cache-Control"]
    integration.is_active = False
    integration.save()
    assert client.get(URL, {"key": integration.content_key}).status_code == 401
    settings.MASTHEAD_API_PUBLIC = False
    assert client.get(URL).status_code == 401


def test_sections_tags_and_authors(client, newsroom):
    sections = client.get("/api/v1/sections").json()["sections"]
    assert {"economy", "sport"} <= {s["slug"] for s in sections}
    tags = client.get("/api/v1/tags").json()
    assert [t["slug"] for t in tags["tags"]] == ["budget"]
    assert client.get("/api/v1/tags/budget").json()["slug"] == "budget"
    authors = client.get("/api/v1/authors", {"limit": 1}).json()
    assert len(authors["authors"]) == 1 and authors["page"]["next_cursor"]
    rest = client.get("/api/v1/authors", {"cursor": authors["page"]["next_cursor"]})
    assert rest.status_code == 200 and rest.json()["authors"]
    assert client.get("/api/v1/authors/ana-writer").json()["slug"] == "ana-writer"
    assert client.get("/api/v1/authors/nobody").status_code == 404


def test_news_feed_and_corrections(client, newsroom):
    item = post_item(headline="Sirens in the east", text="Take shelter.")
    post_item(
        headline="Tomorrow's post",
        text="Not yet.",
        published_at=datetime.now(UTC) + timedelta(hours=2),
    )
    feed = client.get("/api/v1/news-feed")
    assert feed.status_code == 200 and "max-age=15" in feed["Cache-Control"]
    assert [i["headline"] for i in feed.json()["items"]] == ["Sirens in the east"]
    assert client.get(f"/api/v1/news-feed/{item.pk}").json()["id"] == item.pk
    issue_correction(newsroom["articles"][0], "clarification", "Clearer now.")
    notices = client.get("/api/v1/corrections").json()["corrections"]
    assert [(n["kind"], n["text"]) for n in notices] == [
        ("clarification", "Clearer now.")
    ]


def query_plans(client, url: str, params: dict) -> list[str]:
    """SQLite's plan of each article query a request runs."""
    with CaptureQueriesContext(connection) as run:
        assert client.get(url, params).status_code == 200
    plans = []
    with connection.cursor() as cursor:
        for query in run.captured_queries:
            sql = query["sql"]
            if "ORDER BY" not in sql or "content_articlepage" not in sql:
                continue
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plans.append(" | ".join(str(row[-1]) for row in cursor.fetchall()))
    return plans


@pytest.mark.parametrize(
    ("params", "index"),
    [
        ({}, "article_published_idx"),
        ({"section": "economy"}, "article_section_pub_idx"),
        ({"updated_since": "2026-01-01"}, "article_updated_idx"),
    ],
)
def test_lists_read_their_index_in_order(client, newsroom, params, index):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan format")
    plans = query_plans(client, URL, {"limit": 2, **params})
    assert plans, "no article query captured"
    assert index in plans[0], plans[0]
    assert "TEMP B-TREE FOR ORDER BY" not in plans[0], plans[0]
