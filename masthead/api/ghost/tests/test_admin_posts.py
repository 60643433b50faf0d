"""Admin API writes: posts from HTML and Lexical, publishing, images, tags."""

import io
import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from wagtail.models import Revision

from masthead.api.models import Scope
from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.taxonomy.factories import TagFactory

from .helpers import auth, first_error, integration

pytestmark = pytest.mark.django_db
POSTS = "/ghost/api/admin/posts/"


@pytest.fixture
def section():
    return make_section("World", "world")


@pytest.fixture
def script(admin_user):
    return integration(acting_user=admin_user)


def send(client, method, path, found, data, **query):
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return getattr(client, method)(
        path + suffix,
        data=json.dumps(data),
        content_type="application/json",
        **auth(found),
    )


def public_slugs(client, found):
    response = client.get("/ghost/api/content/posts/", {"key": found.content_key})
    return [post["slug"] for post in response.json()["posts"]]


def test_html_draft_then_published_by_edit(client, section, script, admin_user):
    html = "<p>First <strong>words</strong>.</p><h2>More</h2><p>Then this.</p>"
    created = send(
        client,
        "post",
        POSTS,
        script,
        {"posts": [{"title": "From a script", "html": html, "tags": ["Floods"]}]},
        source="html",
    )
    assert created.status_code == 201, created.content
    post = created.json()["posts"][0]
    assert post["status"] == "draft"
    assert post["slug"] == "from-a-script"
    assert [t["name"] for t in post["tags"]] == ["Floods"]
    assert public_slugs(client, script) == []
    article = ArticlePage.objects.get(pk=post["id"])
    assert [b.block_type for b in article.body] == ["paragraph", "heading", "paragraph"]
    assert article.get_parent().specific == section
    assert (
        Revision.page_revisions.filter(object_id=post["id"]).last().user == admin_user
    )

    edited = send(
        client,
        "put",
        f"{POSTS}{post['id']}/",
        script,
        {"posts": [{"status": "published", "updated_at": post["updated_at"]}]},
    )
    assert edited.status_code == 200, edited.content
    assert edited.json()["posts"][0]["status"] == "published"
    assert public_slugs(client, script) == ["from-a-script"]
    shown = client.get(
        f"/ghost/api/content/posts/{post['id']}/", {"key": script.content_key}
    ).json()["posts"][0]
    assert "<b>words</b>" in shown["html"]


def test_stale_or_missing_updated_at_is_refused(client, section, script):
    post = send(client, "post", POSTS, script, {"posts": [{"title": "T"}]}).json()[
        "posts"
    ][0]
    path = f"{POSTS}{post['id']}/"
    fresh = send(
        client,
        "put",
        path,
        script,
        {"posts": [{"title": "T2", "updated_at": post["updated_at"]}]},
    )
    assert fresh.status_code == 200
    stale = send(
        client,
        "put",
        path,
        script,
        {"posts": [{"title": "T3", "updated_at": post["updated_at"]}]},
    )
    assert stale.status_code == 409
    assert first_error(stale)["type"] == "UpdateCollisionError"
    missing = send(client, "put", path, script, {"posts": [{"title": "T4"}]})
    assert missing.status_code == 400
    assert (
        ArticlePage.objects.get(pk=post["id"]).get_latest_revision_as_object().title
        == "T2"
    )


def test_lexical_post_published_at_once(client, section, script):
    lexical = {
        "root": {
            "type": "root",
            "children": [
                {
                    "type": "paragraph",
                    "children": [
                        {"type": "text", "text": "Lexical words", "format": 1}
                    ],
                }
            ],
        }
    }
    response = send(
        client,
        "post",
        POSTS,
        script,
        {
            "posts": [
                {"title": "Lex", "lexical": json.dumps(lexical), "status": "published"}
            ]
        },
    )
    assert response.status_code == 201, response.content
    post = response.json()["posts"][0]
    assert post["status"] == "published"
    assert "<b>Lexical words</b>" in post["html"]
    assert post["url"].endswith("/lex/")


def test_scheduled_post_is_not_public(client, section, script):
    when = (timezone.now() + timedelta(days=1)).isoformat()
    response = send(
        client,
        "post",
        POSTS,
        script,
        {"posts": [{"title": "Later", "status": "scheduled", "published_at": when}]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["posts"][0]["status"] == "scheduled"
    assert public_slugs(client, script) == []
    soon = send(
        client,
        "post",
        POSTS,
        script,
        {"posts": [{"title": "Now", "status": "scheduled"}]},
    )
    assert soon.status_code == 400


def test_scopes_are_checked(client, section):
    writer = integration("Writer", scopes=[Scope.ARTICLES_WRITE])
    reader = integration("Reader", scopes=[])
    published = {"posts": [{"title": "X", "status": "published"}]}
    denied = send(client, "post", POSTS, writer, published)
    assert denied.status_code == 403
    assert first_error(denied)["type"] == "NoPermissionError"
    assert (
        send(client, "post", POSTS, reader, {"posts": [{"title": "X"}]}).status_code
        == 403
    )
    assert (
        send(client, "post", POSTS, writer, {"posts": [{"title": "X"}]}).status_code
        == 201
    )
    assert not ArticlePage.objects.filter(live=True).exists()


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        {"post": [{"title": "x"}]},
        {"posts": [{"title": ""}]},
        {"posts": [{"title": 5}]},
        {"posts": [{"title": "x", "mobiledoc": "{}"}]},
        {"posts": [{"title": "x", "lexical": "nope"}]},
        {"posts": [{"title": "x", "status": "live"}]},
        {"posts": [{"title": "x", "authors": [{"slug": "nobody"}]}]},
        {"posts": [{"title": "x", "feature_image": "https://e.org/a.png"}]},
        {"posts": [{"title": "x", "published_at": "someday"}]},
    ],
)
def test_bad_posts_are_400(client, section, script, body):
    response = client.post(
        POSTS,
        data=body if isinstance(body, str) else json.dumps(body),
        content_type="application/json",
        **auth(script),
    )
    assert response.status_code == 400, response.content
    assert first_error(response)["type"] == "ValidationError"


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(buffer, "PNG")
    return buffer.getvalue()


def test_image_upload_then_feature_image_and_body_picture(client, section, script):
    upload = client.post(
        "/ghost/api/admin/images/upload/",
        {"file": SimpleUploadedFile("red.png", _png(), "image/png"), "ref": "red-1"},
        **auth(script),
    )
    assert upload.status_code == 201, upload.content
    (image,) = upload.json()["images"]
    assert image["ref"] == "red-1"
    assert image["url"].startswith("http://testserver/media/")
    html = (
        f'<figure><img src="{image["url"]}" alt="Red">'
        "<figcaption>A red square</figcaption></figure>"
    )
    response = send(
        client,
        "post",
        POSTS,
        script,
        {"posts": [{"title": "Pic", "html": html, "feature_image": image["url"]}]},
        source="html",
    )
    assert response.status_code == 201, response.content
    article = ArticlePage.objects.get(pk=response.json()["posts"][0]["id"])
    assert article.hero_image is not None
    (block,) = article.body
    assert block.block_type == "image" and block.value["caption"] == "A red square"


def test_image_upload_refuses_non_images_and_needs_its_scope(client, script):
    bad = client.post(
        "/ghost/api/admin/images/upload/",
        {"file": SimpleUploadedFile("x.png", b"not an image", "image/png")},
        **auth(script),
    )
    assert bad.status_code == 415
    writer = integration("Writer", scopes=[Scope.ARTICLES_WRITE])
    denied = client.post(
        "/ghost/api/admin/images/upload/",
        {"file": SimpleUploadedFile("red.png", _png(), "image/png")},
        **auth(writer),
    )
    assert denied.status_code == 403
    missing = client.post("/ghost/api/admin/images/upload/", {}, **auth(script))
    assert missing.status_code == 400


def test_tags_browse_and_add(client, script):
    TagFactory(slug="existing", name="Existing")
    added = send(
        client,
        "post",
        "/ghost/api/admin/tags/",
        script,
        {"tags": [{"name": "New one"}]},
    )
    assert added.status_code == 201
    assert added.json()["tags"][0]["slug"] == "new-one"
    again = send(
        client,
        "post",
        "/ghost/api/admin/tags/",
        script,
        {"tags": [{"name": "New one"}]},
    )
    assert again.status_code == 400
    listed = client.get(
        "/ghost/api/admin/tags/", {"limit": "all"}, **auth(script)
    ).json()
    assert {t["slug"] for t in listed["tags"]} == {"existing", "new-one"}


def test_admin_browse_shows_drafts_with_status_filter(client, section, script):
    make_article(section, slug="live-one")
    make_article(section, slug="draft-one", publish=False)
    response = client.get(POSTS, {"filter": "status:draft"}, **auth(script))
    assert [p["slug"] for p in response.json()["posts"]] == ["draft-one"]
    response = client.get(f"{POSTS}slug/live-one/", **auth(script))
    assert response.json()["posts"][0]["status"] == "published"


def test_delete_retires_the_post(client, section, script):
    article = make_article(section)
    response = client.delete(f"{POSTS}{article.pk}/", **auth(script))
    assert response.status_code == 204
    assert not ArticlePage.objects.filter(pk=article.pk).exists()
    assert client.delete(f"{POSTS}{article.pk}/", **auth(script)).status_code == 404


def test_gated_part_only_for_integrations_that_may_write(client, section, script):
    from masthead.content.visibility import Access

    article = make_article(
        section,
        access=Access.MEMBERS,
        body=[
            ("paragraph", "<p>Open words.</p>"),
            ("members_only", None),
            ("paragraph", "<p>Secret words.</p>"),
        ],
    )
    reader = integration("Reader", scopes=[])
    hidden = client.get(f"{POSTS}{article.pk}/", **auth(reader))
    assert "Secret" not in hidden.content.decode()
    shown = client.get(f"{POSTS}{article.pk}/", **auth(script)).json()["posts"][0]
    assert "Secret words." in shown["html"]
    assert shown["visibility"] == "members"


def test_broken_multipart_is_a_ghost_400(client, script):
    response = client.generic(
        "POST",
        "/ghost/api/admin/images/upload/",
        b"--x\r\nbroken",
        content_type="multipart/form-data; boundary=x",
        **auth(script),
    )
    assert response.status_code == 400
    assert first_error(response)["type"] in ("BadRequestError", "ValidationError")
