"""News Feed posts with broken markup: no 500 in the admin, no text lost (#13)."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from masthead.content.factories import make_section
from masthead.core.rich_text_editor import UNREADABLE_MESSAGE
from masthead.feed.factories import NewsFeedItemFactory
from masthead.feed.models import NewsFeedItem

pytestmark = pytest.mark.django_db

# Stored through the model API: tags never closed, a void tag without its
# slash, a stray end tag, a comment left open.
MALFORMED = (
    '<p>Air defence <b>is <a href="https://example.org">active<img src="x"></p>'
    "<p>Shelter</i> now <!-- unconfirmed</p>"
)


@pytest.fixture
def malformed():
    return NewsFeedItemFactory(headline="Sirens", body=MALFORMED)


def test_post_with_malformed_body_opens_in_the_editor_with_a_notice(
    admin_client, malformed
):
    response = admin_client.get(
        f"/admin/snippets/feed/newsfeeditem/edit/{malformed.pk}/"
    )
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    notice = page.find(class_="error-message", role="alert")
    assert "could not read" in notice.get_text()
    editor_state = page.find("input", attrs={"name": "body"})["value"]
    for word in ("Air defence", "active", "Shelter", "unconfirmed"):
        assert word in editor_state


def test_desk_lists_and_promotes_a_post_with_malformed_body(admin_client, malformed):
    section = make_section()
    assert admin_client.get("/admin/news-feed-desk/").status_code == 200
    response = admin_client.post(
        f"/admin/news-feed-desk/{malformed.pk}/promote/", {"section": section.pk}
    )
    assert response.status_code == 302
    malformed.refresh_from_db()
    assert "unconfirmed" in malformed.article.body[-1].value.source


def test_unreadable_editor_text_is_a_form_error_and_saves_nothing(
    admin_client, malformed
):
    response = admin_client.post(
        f"/admin/snippets/feed/newsfeeditem/edit/{malformed.pk}/",
        {
            "headline": "Changed",
            "body": "<p>not the editor's JSON",
            "published_at": "2026-01-01 10:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["body"] == [UNREADABLE_MESSAGE]
    malformed.refresh_from_db()
    assert malformed.headline == "Sirens"


def test_body_left_open_is_refused_by_validation_and_repaired_when_saved():
    item = NewsFeedItem(headline="Update", body="<p>Confirmed <style>.x{}</p><p>More")
    with pytest.raises(ValidationError) as raised:
        item.full_clean()
    assert "<style>" in raised.value.message_dict["body"][0]
    item.save()
    text = BeautifulSoup(item.body_html, "html5lib").get_text(" ")
    assert "Confirmed" in text
    assert "More" in text
