"""Hostile article bodies: no text lost, no foreign frame, no 500 (#13)."""

import json

import pytest
from bs4 import BeautifulSoup
from wagtail.blocks import StreamBlockValidationError
from wagtail.embeds.embeds import get_embed_hash
from wagtail.embeds.models import Embed
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from masthead.content.blocks import INCOMPLETE_BODY_MESSAGE
from masthead.content.factories import make_article
from masthead.content.models import ArticlePage
from masthead.core.rich_text_editor import UNREADABLE_MESSAGE
from masthead.core.sanitize import EMBED_SANDBOX

pytestmark = pytest.mark.django_db


def paragraphs(html: str) -> list[str]:
    return [p.get_text() for p in BeautifulSoup(html, "html5lib").find_all("p")]


def test_74_block_article_keeps_every_block_after_one_left_open():
    body = [("paragraph", f"<p>Paragraph {n}.</p>") for n in range(74)]
    body[3] = ("paragraph", "<p>Paragraph 3. <style>.pull { float: left }</p>")
    body[30] = ("paragraph", "<p>Paragraph 30. <!-- check this</p>")
    article = make_article(body=body)
    kept = [text.split(".")[0] for text in paragraphs(article.body_html)]
    assert kept == [f"Paragraph {n}" for n in range(74)]
    assert article.word_count >= 74 * 2


def test_body_validation_names_the_block_left_open():
    article = make_article(
        body=[
            ("paragraph", "<p>Fine.</p>"),
            ("paragraph", "<p>Broken <!-- here</p>"),
        ]
    )
    body = ArticlePage.objects.get(pk=article.pk).body
    with pytest.raises(StreamBlockValidationError) as raised:
        body.stream_block.clean(body)
    assert list(raised.value.block_errors) == [1]
    message = raised.value.block_errors[1].messages[0]
    assert "Block 2 (paragraph)" in message
    assert "<!--" in message


def embed(url: str, html: str) -> None:
    """An embed as a provider (or someone with database access) stored it."""
    Embed.objects.create(
        url=url, max_width=None, hash=get_embed_hash(url), html=html, type="rich"
    )


def test_embed_frames_only_known_providers_and_with_our_sandbox():
    embed(
        "https://www.youtube.com/watch?v=abc",
        '<iframe src="https://www.youtube.com/embed/abc" '
        'sandbox="allow-scripts allow-same-origin allow-top-navigation"></iframe>',
    )
    embed(
        "https://twitter.com/someone/status/1",
        '<iframe src="https://evil.example/frame" '
        'sandbox="allow-scripts allow-same-origin"></iframe>',
    )
    article = make_article(
        body=[
            ("embed", "https://www.youtube.com/watch?v=abc"),
            ("embed", "https://twitter.com/someone/status/1"),
        ]
    )
    frames = BeautifulSoup(article.body_html, "html5lib").find_all("iframe")
    assert [frame["src"] for frame in frames] == ["https://www.youtube.com/embed/abc"]
    assert frames[0]["sandbox"] == EMBED_SANDBOX.split()


# The admin ------------------------------------------------------------------


def edit_form(admin_client, article):
    """The article's edit form as the browser sends it, body included."""
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").find(
        "form", id="page-edit-form"
    )
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or "__prefix__" in name or field.get("type") == "submit":
            continue
        if field.name == "textarea":
            data[name] = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen.get("value", "") if chosen else ""
        elif field.get("type") != "checkbox" or field.has_attr("checked"):
            data[name] = field.get("value", "")
    # The body's fields are written by the editor's script, not the HTML.
    data.update(
        nested_form_data(
            {
                "body": streamfield(
                    [("paragraph", rich_text("<p>Edited in the admin.</p>"))]
                )
            }
        )
    )
    return data


def body_errors(response) -> str:
    """The body's errors as the editor's script receives them."""
    (error,) = response.context["form"].errors["body"].as_data()
    return json.dumps(error.as_json_data())


def test_complete_edit_form_saves(admin_client):
    article = make_article()
    response = admin_client.post(
        f"/admin/pages/{article.pk}/edit/", edit_form(admin_client, article)
    )
    assert response.status_code == 302
    latest = ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object()
    assert "Edited in the admin." in latest.body[0].value.source


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda data: data.pop("body-count"), id="no count"),
        pytest.param(lambda data: data.pop("body-0-type"), id="no block type"),
        pytest.param(lambda data: data.pop("body-0-order"), id="no order"),
        pytest.param(lambda data: data.update({"body-count": "many"}), id="bad count"),
        pytest.param(
            lambda data: data.update({"body-count": "9" * 30}), id="huge count"
        ),
        pytest.param(
            lambda data: [
                data.pop(key) for key in list(data) if key.startswith("body")
            ],
            id="no body at all",
        ),
    ],
)
def test_edit_form_with_a_broken_body_is_a_form_error(admin_client, tamper):
    article = make_article(body=[("paragraph", "<p>Stored text.</p>")])
    data = edit_form(admin_client, article)
    tamper(data)
    revisions = article.revisions.count()
    response = admin_client.post(f"/admin/pages/{article.pk}/edit/", data)
    assert response.status_code == 200
    assert INCOMPLETE_BODY_MESSAGE in body_errors(response)
    assert article.revisions.count() == revisions


def test_edit_form_with_unreadable_editor_text_is_a_form_error(admin_client):
    article = make_article()
    data = edit_form(admin_client, article)
    data["body-0-value"] = '{"blocks": "not an editor state"}'
    response = admin_client.post(f"/admin/pages/{article.pk}/edit/", data)
    assert response.status_code == 200
    assert UNREADABLE_MESSAGE in body_errors(response)


def test_article_with_malformed_stored_text_opens_in_the_editor(admin_client):
    article = make_article(
        body=[("paragraph", '<p>Open <b>bold <img src="x"></p><p>Next <i>one')]
    )
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/")
    assert response.status_code == 200
