"""The demo's genres and standard pages (issue #14)."""

import pytest
from bs4 import BeautifulSoup

from masthead.content.models import ArticlePage, Genre, StandardPage
from masthead.demo.build import build_demo
from masthead.demo.newsroom_pages import STANDARD_PAGES

from .test_demo import SMALL, frozen_clock  # noqa: F401 - a fixture


@pytest.mark.django_db
def test_demo_has_several_genres_and_linked_standard_pages_built_once(
    client,
    frozen_clock,  # noqa: F811
):
    build_demo(password="demo-secret", **SMALL)
    genres = set(ArticlePage.objects.published().values_list("genre", flat=True))
    assert {
        Genre.NEWS,
        Genre.OPINION,
        Genre.ANALYSIS,
        Genre.EXPLAINER,
        Genre.INTERVIEW,
        Genre.REVIEW,
    } <= genres
    pages = StandardPage.objects.live()
    assert pages.count() == len(STANDARD_PAGES)
    assert {page.role for page in pages} == {role for role, *_ in STANDARD_PAGES}
    home = BeautifulSoup(client.get("/").content, "html5lib")
    footer = {a["href"] for a in home.select(".site-footer nav a")}
    assert {page.url for page in pages} <= footer

    second = build_demo(password="demo-secret", **SMALL)
    assert StandardPage.objects.count() == len(STANDARD_PAGES)
    assert second["created"] == 0
