"""The Admin API: keys, scopes, and each write through the services (#18)."""

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.models import Revision

from masthead.api.models import Scope
from masthead.api.services import create_integration
from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage, Correction
from masthead.feed.models import NewsFeedItem
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/admin/articles"


def post(client, url, data, bearer, method="post"):
    return getattr(client, method)(
        url, json.dumps(data), content_type="application/json", **bearer
    )


@pytest.fixture
def section():
    return make_section("Economy", "economy")


def draft_data(**extra):
    return {
        "section": "economy",
        "title": "Budget passes",
        "standfirst": "After a long night.",
        "body_html": (
            "<p>Members <strong>voted</strong> at <a href='https://example.com'>dawn</a>."
            "<script>alert(1)</script></p><h2>What next</h2>"
            "<p onclick='x()'>The bill goes on.</p>"
        ),
        **extra,
    }


def test_a_key_is_required(client, integration, section):
    assert (
        client.post(ARTICLES, "{}", content_type="application/json").status_code == 401
    )
    wrong = {"HTTP_AUTHORIZATION": f"Bearer {integration.admin_key_id}:{'0' * 64}"}
    response = post(client, ARTICLES, draft_data(), wrong)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "unauthorized"
    integration.is_active = False
    integration.save()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {integration.admin_key}"}
    assert post(client, ARTICLES, draft_data(), bearer).status_code == 401
    assert not ArticlePage.objects.filter(title="Budget passes").exists()


def test_a_signed_in_session_is_no_key(admin_client, section):
    response = post(admin_client, ARTICLES, draft_data(), {})
    assert response.status_code == 401


def test_a_missing_scope_is_a_403(client, section):
    reader = create_integration("Poster", scopes=[Scope.NEWSFEED_WRITE])
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {reader.admin_key}"}
    response = post(client, ARTICLES, draft_data(), bearer)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "forbidden"


def test_the_acting_users_permissions_apply(client, section, django_user_model):
    limited = create_integration("Limited")
    limited.acting_user = django_user_model.objects.create_user("plain", "p@x.org")
    limited.save()
    article = make_article(section, publish=False)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {limited.admin_key}"}
    response = post(client, f"{ARTICLES}/{article.pk}/publish", {}, bearer)
    assert response.status_code == 403
    assert not ArticlePage.objects.get(pk=article.pk).live


def test_create_update_publish_schedule_unpublish(
    client, bearer, integration, section, django_capture_on_commit_callbacks
):
    author, tag = AuthorFactory(slug="ana"), TagFactory(slug="budget")
    created = post(
        client, ARTICLES, draft_data(authors=["ana"], tags=["budget"]), bearer
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["status"] == "draft" and data["url"] is None
    article = ArticlePage.objects.get(pk=data["id"])
    assert [row.author for row in article.article_authors.all()] == [author]
    assert [row.tag for row in article.article_tags.all()] == [tag]
    revision = Revision.objects.filter(object_id=str(article.pk)).latest("pk")
    assert revision.user == integration.acting_user
    kinds = [child.block_type for child in article.get_latest_revision_as_object().body]
    assert kinds == ["paragraph", "heading", "paragraph"]
    public = f"/api/v1/articles/{article.pk}"
    assert client.get(public).status_code == 404

    changed = post(
        client,
        f"{ARTICLES}/{article.pk}",
        {"title": "Budget passes at dawn"},
        bearer,
        "patch",
    )
    assert (
        changed.status_code == 200
        and changed.json()["title"] == "Budget passes at dawn"
    )

    with django_capture_on_commit_callbacks(execute=True):
        published = post(client, f"{ARTICLES}/{article.pk}/publish", {}, bearer)
    assert published.status_code == 200 and published.json()["status"] == "published"
    shown = client.get(public).json()
    assert shown["title"] == "Budget passes at dawn"
    assert "<script" not in shown["body_html"] and "onclick" not in shown["body_html"]
    assert "<b>voted</b>" in shown["body_html"] or "<strong>voted" in shown["body_html"]

    with django_capture_on_commit_callbacks(execute=True):
        gone = post(client, f"{ARTICLES}/{article.pk}/unpublish", {}, bearer)
    assert gone.json()["status"] == "unpublished"
    assert client.get(public).status_code == 404

    # Without a zone: UTC.
    later = (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled = post(
            client,
            f"{ARTICLES}/{article.pk}/publish",
            {"go_live_at": later.isoformat()},
            bearer,
        )
    assert scheduled.json()["status"] == "scheduled"
    assert scheduled.json()["go_live_at"] is not None
    assert client.get(public).status_code == 404


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "No section"}, "section"),
        (draft_data(section="nowhere"), "section"),
        (draft_data(title=""), "title"),
        (draft_data(authors=["nobody"]), "authors"),
        (draft_data(access="everybody"), "access"),
        (draft_data(title="Nul\x00byte"), "title"),
        (draft_data(tags=["ok", "nul\x00"]), "tags"),
        (draft_data(body_html="<p>Open <!-- never closed</p>"), None),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, bearer, section, data, field):
    response = post(client, ARTICLES, data, bearer)
    if field is None:
        # Case: the sanitiser repaired what the editor would refuse.
        assert response.status_code in {201, 400}
        return
    assert response.status_code == 400, response.content
    assert field in [error["field"] for error in response.json()["errors"]]


def test_unknown_ids_are_404(client, bearer):
    assert client.get(f"{ARTICLES}/999999", **bearer).status_code == 404
    assert client.get(f"{ARTICLES}/99999999999999", **bearer).status_code == 404
    assert post(client, f"{ARTICLES}/999999/publish", {}, bearer).status_code == 404
    invalid = client.post(
        ARTICLES, "{not json", content_type="application/json", **bearer
    )
    assert invalid.status_code == 400


def test_correction_and_news_feed_post(
    client, bearer, integration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(title="Dam report")
    url = f"{ARTICLES}/{article.pk}/corrections"
    response = post(client, url, {"kind": "correction", "text": "It was May."}, bearer)
    assert response.status_code == 201
    correction = Correction.objects.get(article=article)
    assert correction.created_by == integration.acting_user
    assert post(client, url, {"kind": "rumour", "text": "x"}, bearer).status_code == 400
    posted = post(
        client,
        "/api/v1/admin/news-feed",
        {
            "headline": "Sirens",
            "body_html": "<p>Take <em>shelter</em>.</p>",
            "article_id": article.pk,
        },
        bearer,
    )
    assert posted.status_code == 201, posted.content
    item = NewsFeedItem.objects.get(pk=posted.json()["id"])
    assert item.article == article and "<i>shelter</i>" in item.body
    feed = client.get("/api/v1/news-feed").json()["items"]
    assert [i["headline"] for i in feed] == ["Sirens"]


def png(width=40, height=30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def test_image_upload(client, bearer):
    url = "/api/v1/admin/images"
    upload = SimpleUploadedFile("river.png", png(), content_type="image/png")
    response = client.post(
        url,
        {"file": upload, "title": "River", "alt_text": "A river", "credit": "Desk"},
        **bearer,
    )
    assert response.status_code == 201, response.content
    assert response.json()["width"] == 40 and response.json()["alt_text"] == "A river"
    broken = SimpleUploadedFile("broken.png", png()[:60], content_type="image/png")
    refused = client.post(url, {"file": broken}, **bearer)
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "file"
    text = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    assert client.post(url, {"file": text}, **bearer).status_code == 400
