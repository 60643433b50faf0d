"""A page under the home cannot take a slug a site route owns (content/routes.py)."""

import pytest
from django.core.exceptions import ValidationError

from masthead.content.factories import home_page
from masthead.content.models import SectionPage, StandardPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["account", "newsletters", "news-feed", "search"])
@pytest.mark.parametrize("model", [SectionPage, StandardPage])
def test_a_page_slug_a_route_owns_is_refused(model, slug):
    page = model(title="Clash", slug=slug)
    page.path, page.depth = home_page().path + "0099", home_page().depth + 1
    with pytest.raises(ValidationError) as refused:
        page.clean()
    assert f"/{slug}/" in str(refused.value.message_dict["slug"])


@pytest.mark.parametrize("model", [SectionPage, StandardPage])
def test_a_free_slug_is_accepted(model):
    page = model(title="Science", slug="science")
    page.path, page.depth = home_page().path + "0099", home_page().depth + 1
    page.clean()
