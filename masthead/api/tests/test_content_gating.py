"""The Content API shows only what the public site shows (#12, #17, #18).

A gated article's members-only words are in no response of any endpoint
(checked on the raw bytes, as test_gated_articles does for the site), and
an article in each hidden state of test_visibility is in none either.
"""

import pytest

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.content.tests.test_visibility import STATES
from masthead.content.visibility import Access
from masthead.feed.services import post_item
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory
from masthead.web.tests.test_gated_articles import OPEN, SECRET, gated_body

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/articles",
    "/api/v1/articles?limit=100",
    "/api/v1/articles?updated_since=2000-01-01",
    "/api/v1/sections",
    "/api/v1/tags",
    "/api/v1/authors",
    "/api/v1/news-feed",
    "/api/v1/live",
    "/api/v1/corrections",
]


def every_response(client, article_ids: list[int], slugs: list[str]) -> list[bytes]:
    urls = [
        *LISTS,
        *(f"/api/v1/articles/{pk}" for pk in article_ids),
        *(f"/api/v1/articles/slug/{slug}" for slug in slugs),
    ]
    bodies = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in {200, 404}, url
        response.json()
        bodies.append(response.content)
    return bodies


def test_gated_words_are_in_no_response(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            make_section("Economy", "economy"),
            tags=[TagFactory()],
            title="Where the dam money went",
            slug="dam-money",
            body=gated_body(),
            access=Access.PAID,
        )
        post_item(headline="Dam money", text="Read the story.", article=article)
    detail = client.get(f"/api/v1/articles/{article.pk}").json()
    assert OPEN in detail["body_html"]
    assert detail["is_gated"] is True and detail["access"] == "paid"
    for body in every_response(client, [article.pk], ["dam-money"]):
        assert SECRET.encode() not in body


def test_hidden_articles_are_in_no_response(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        section = make_section("Politics", "politics")
        hidden_tag = TagFactory(slug="only-on-hidden")
        subjects = {
            state: make_article(
                section,
                authors=[AuthorFactory()],
                tags=[hidden_tag],
                title=f"Withheld story {n}",
                slug=f"withheld-{n}",
            )
            for n, state in enumerate(STATES)
        }
        visible = make_article(section, title="Visible story", slug="visible")
    ids = {state: article.pk for state, article in subjects.items()}
    before = client.get("/api/v1/articles").json()
    assert {a["id"] for a in before["articles"]} >= set(ids.values())
    with django_capture_on_commit_callbacks(execute=True):
        for state, make_hidden in STATES.items():
            make_hidden(ArticlePage.objects.get(pk=ids[state]))
    bodies = every_response(
        client, list(ids.values()), [f"withheld-{n}" for n in range(len(STATES))]
    )
    for body in bodies:
        assert b"Withheld story" not in body
    for pk in ids.values():
        assert client.get(f"/api/v1/articles/{pk}").status_code == 404
    assert client.get("/api/v1/tags/only-on-hidden").status_code == 404
    listed = client.get("/api/v1/articles").json()["articles"]
    assert [a["id"] for a in listed] == [visible.pk]
