"""The Content API: published articles only, Ghost's shapes, bounded input."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.content.factories import make_article, make_section
from masthead.content.models import HomeStory
from masthead.content.visibility import Access
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

from .helpers import first_error, integration

pytestmark = pytest.mark.django_db
POSTS = "/ghost/api/content/posts/"


@pytest.fixture
def key():
    return integration().content_key


def get(client, path, key, **query):
    return client.get(path, {"key": key, **query})


def test_browse_gives_published_posts_with_tags_authors_and_pagination(client, key):
    tag = TagFactory(slug="news")
    author = AuthorFactory(slug="jo")
    shown = make_article(title="Shown", tags=[tag], authors=[author])
    make_article(title="Draft", publish=False)
    response = get(client, POSTS, key, include="tags,authors")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert [post["title"] for post in data["posts"]] == ["Shown"]
    post = data["posts"][0]
    assert post["id"] == str(shown.pk)
    assert post["slug"] == shown.slug
    assert post["visibility"] == "public"
    assert post["html"] == shown.body_html
    assert post["url"].startswith("http://testserver/")
    assert [t["slug"] for t in post["tags"]] == ["news"]
    assert post["primary_tag"]["slug"] == "news"
    assert post["primary_author"]["slug"] == "jo"
    assert data["meta"]["pagination"] == {
        "page": 1,
        "limit": 15,
        "pages": 1,
        "total": 1,
        "next": None,
        "prev": None,
    }


def test_browse_query_count_does_not_grow_with_posts(client, key):
    section = make_section()
    for _ in range(3):
        make_article(section, tags=[TagFactory()])
    get(client, POSTS, key)  # the site and its settings, kept per process
    with CaptureQueriesContext(connection) as few:
        get(client, POSTS, key, include="tags,authors")
    for _ in range(4):
        make_article(section, tags=[TagFactory()])
    with CaptureQueriesContext(connection) as more:
        response = get(client, POSTS, key, include="tags,authors")
    assert len(response.json()["posts"]) == 7
    assert len(more) == len(few) <= 12


def test_gated_article_shows_only_the_free_part(client, key):
    article = make_article(
        access=Access.PAID,
        body=[
            ("paragraph", "<p>Open words.</p>"),
            ("members_only", None),
            ("paragraph", "<p>Secret words.</p>"),
        ],
    )
    assert "Secret" in article.gated_html
    for path in (POSTS, f"{POSTS}{article.pk}/", f"{POSTS}slug/{article.slug}/"):
        response = get(client, path, key, formats="html,plaintext")
        post = response.json()["posts"][0]
        assert post["visibility"] == "paid"
        assert post["access"] is False
        assert "Open words." in post["html"]
        assert "Secret" not in response.content.decode()


def test_read_by_id_and_slug_has_no_meta(client, key):
    article = make_article()
    by_id = get(client, f"{POSTS}{article.pk}/", key).json()
    by_slug = get(client, f"{POSTS}slug/{article.slug}/", key).json()
    assert set(by_id) == {"posts"}
    assert by_id["posts"][0]["id"] == by_slug["posts"][0]["id"] == str(article.pk)


@pytest.mark.parametrize("path", ["999999/", "abc/", "slug/nothing/"])
def test_unknown_post_is_a_ghost_404(client, key, path):
    response = get(client, POSTS + path, key)
    assert response.status_code == 404
    assert first_error(response)["type"] == "NotFoundError"


def test_draft_and_embargoed_articles_are_absent(client, key):
    draft = make_article(publish=False)
    embargoed = make_article(embargo_until=timezone.now() + timedelta(days=1))
    assert get(client, POSTS, key).json()["posts"] == []
    for article in (draft, embargoed):
        assert get(client, f"{POSTS}slug/{article.slug}/", key).status_code == 404


def test_missing_key_is_403_and_unknown_or_revoked_key_401(client):
    revoked = integration("Old", is_active=False)
    assert first_error(client.get(POSTS))["type"] == "NoPermissionError"
    assert client.get(POSTS).status_code == 403
    for bad in ("0" * 26, revoked.content_key, "not-a-key"):
        response = client.get(POSTS, {"key": bad})
        assert response.status_code == 401
        assert first_error(response)["message"] == "Unknown Content API Key"


def test_filters(client, key):
    news, sport = TagFactory(slug="news"), TagFactory(slug="sport")
    jo = AuthorFactory(slug="jo")
    old = make_article(
        tags=[news], published_at=datetime(2020, 1, 1, tzinfo=UTC), slug="old"
    )
    both = make_article(tags=[news, sport], authors=[jo], slug="both")
    plain = make_article(slug="plain")
    HomeStory.objects.create(
        home=plain.get_parent().get_parent().specific, article=plain
    )

    def slugs(nql):
        response = get(client, POSTS, key, filter=nql, order="published_at asc")
        assert response.status_code == 200, response.content
        return {post["slug"] for post in response.json()["posts"]}

    assert slugs("tag:news") == {"old", "both"}
    assert slugs("tag:news+tag:sport") == {"both"}
    assert slugs("tags:[sport,nothing]") == {"both"}
    assert slugs("tag:-news") == {"plain"}
    assert slugs("author:jo,slug:plain") == {"both", "plain"}
    assert slugs("authors:jo") == {"both"}
    assert slugs("featured:true") == {"plain"}
    assert slugs("featured:false+tag:news") == {"old", "both"}
    assert slugs("published_at:>'2021-01-01 00:00:00'") == {"both", "plain"}
    assert slugs(f"id:{old.pk}") == {"old"}
    assert slugs("slug:[old,plain]") == {"old", "plain"}
    assert slugs("visibility:public") == {"old", "both", "plain"}
    assert both.pk


@pytest.mark.parametrize(
    "query",
    [
        {"filter": "color:red"},
        {"filter": "tag"},
        {"filter": "tag:news)"},
        {"filter": "published_at:>'yesterday'"},
        {"filter": "featured:maybe"},
        {"filter": "id:abc"},
        {"filter": "tag:>news"},
        {"limit": "0"},
        {"limit": "101"},
        {"limit": "ten"},
        {"page": "0"},
        {"order": "colour desc"},
        {"order": "published_at sideways"},
        {"include": "secrets"},
        {"formats": "mobiledoc"},
    ],
)
def test_bad_parameters_are_a_ghost_400(client, key, query):
    response = get(client, POSTS, key, **query)
    assert response.status_code == 400
    assert first_error(response)["type"] == "ValidationError"


def test_limit_all_page_and_order(client, key):
    section = make_section()
    base = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(3):
        make_article(section, slug=f"n{n}", published_at=base + timedelta(days=n))
    data = get(client, POSTS, key, limit="2", page="2").json()
    assert [p["slug"] for p in data["posts"]] == ["n0"]
    assert data["meta"]["pagination"]["prev"] == 1
    assert data["meta"]["pagination"]["pages"] == 2
    data = get(client, POSTS, key, limit="all", order="published_at asc").json()
    assert [p["slug"] for p in data["posts"]] == ["n0", "n1", "n2"]
    assert data["meta"]["pagination"]["limit"] == "all"
    data = get(client, POSTS, key, page="9").json()
    assert data["posts"] == []


def test_fields_limit_the_keys(client, key):
    make_article()
    post = get(client, POSTS, key, fields="id,title").json()["posts"][0]
    assert set(post) == {"id", "title"}


def test_tags_and_authors_only_with_public_articles(client, key):
    shown, hidden = TagFactory(slug="shown"), TagFactory(slug="hidden")
    writer, drafter = AuthorFactory(slug="writer"), AuthorFactory(slug="drafter")
    make_article(tags=[shown], authors=[writer])
    make_article(tags=[hidden], authors=[drafter], publish=False)
    tags = get(client, "/ghost/api/content/tags/", key, include="count.posts").json()
    assert [(t["slug"], t["count"]["posts"]) for t in tags["tags"]] == [("shown", 1)]
    authors = get(client, "/ghost/api/content/authors/", key).json()["authors"]
    assert [a["slug"] for a in authors] == ["writer"]
    assert get(client, "/ghost/api/content/tags/slug/hidden/", key).status_code == 404
    one = get(client, "/ghost/api/content/authors/slug/writer/", key).json()
    assert one["authors"][0]["name"] == writer.name


def test_pages_are_an_empty_list_and_settings_name_the_site(client, key):
    pages = get(client, "/ghost/api/content/pages/", key).json()
    assert pages["pages"] == [] and pages["meta"]["pagination"]["total"] == 0
    settings = get(client, "/ghost/api/content/settings/", key).json()["settings"]
    assert settings["title"] and settings["url"] == "http://testserver/"


def test_versioned_paths_and_unknown_endpoints(client, key):
    make_article()
    assert get(client, "/ghost/api/v4/content/posts/", key).status_code == 200
    response = get(client, "/ghost/api/content/members/", key)
    assert response.status_code == 404
    assert first_error(response)["type"] == "NotFoundError"
    response = client.post(f"{POSTS}?key={key}")
    assert response.status_code == 405
