"""The preview of an article never saved renders (Wagtail's "Preview" on the
create page): no cache tag, view beacon or comments link of an id it lacks."""

import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import make_section
from masthead.content.models import ArticlePage

pytestmark = pytest.mark.django_db


def test_the_preview_of_a_new_article_renders(admin_user, rf):
    section = make_section()
    page = ArticlePage(
        title="Fresh draft",
        slug="fresh-draft",
        standfirst="Nothing saved yet.",
        locale_id=section.locale_id,
    )
    request = rf.get("/")
    request.user = admin_user
    response = page.make_preview_request(request)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("h1").get_text() == "Fresh draft"
    assert soup.select_one("#view-beacon") is None
    assert "public" not in response.get("Cache-Control", "")
