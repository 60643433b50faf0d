import json
from datetime import datetime

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Site

from masthead.content.factories import make_article, make_section
from masthead.core.factories import LibraryImageFactory, image_file
from masthead.core.models import SiteSettings
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db


def json_ld_blocks(soup) -> dict:
    blocks = [
        json.loads(script.string)
        for script in soup.find_all("script", type="application/ld+json")
    ]
    return {block["@type"]: block for block in blocks}


@pytest.fixture
def article_soup(client):
    SiteSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={
            "publication_name": "The Daily Test",
            "logo": LibraryImageFactory(file=image_file(480, 96)),
        },
    )
    section = make_section("Europe", "europe")
    authors = [AuthorFactory(name="Ann Reporter"), AuthorFactory(name="Bo Writer")]
    tags = [TagFactory(name="Kyiv"), TagFactory(name="Energy")]
    article = make_article(
        section,
        authors=authors,
        tags=tags,
        title="Power returns </script><b>x</b>",
        standfirst="Engineers worked through the night.",
        hero_image=LibraryImageFactory(file=image_file(1600, 900)),
    )
    response = client.get(article.url)
    assert response.status_code == 200
    return article, authors, BeautifulSoup(response.content, "html.parser")


def test_news_article_json_ld_has_the_recommended_fields(article_soup):
    article, authors, soup = article_soup
    # A news story is reportage (web/structured_data.py GENRE_TYPES, #14).
    data = json_ld_blocks(soup)["ReportageNewsArticle"]
    assert data["headline"] == article.title
    assert data["url"] == f"http://testserver{article.url}"
    published = datetime.fromisoformat(data["datePublished"])
    assert published.tzinfo is not None
    assert published == article.published_at.replace(microsecond=0)
    assert datetime.fromisoformat(data["dateModified"]).tzinfo is not None
    assert [a["name"] for a in data["author"]] == [a.name for a in authors]
    assert all(
        a["@type"] == "Person" and a["url"].startswith("http") for a in data["author"]
    )
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["publisher"]["name"] == "The Daily Test"
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/")
    assert data["articleSection"] == "Europe"
    assert data["keywords"] == ["Kyiv", "Energy"]
    assert data["wordCount"] == article.word_count
    assert data["inLanguage"] == "en"


def test_json_ld_images_are_16_9_4_3_and_1_1_of_50000_pixels(article_soup):
    *_, soup = article_soup
    images = json_ld_blocks(soup)["ReportageNewsArticle"]["image"]
    ratios = sorted(round(i["width"] / i["height"], 2) for i in images)
    assert ratios == [1.0, 1.33, 1.78]
    assert all(i["width"] * i["height"] >= 50_000 for i in images)


def test_breadcrumbs_lead_home_section_article(article_soup):
    article, _, soup = article_soup
    crumbs = json_ld_blocks(soup)["BreadcrumbList"]["itemListElement"]
    assert [c["name"] for c in crumbs] == ["Home", "Europe", article.title]
    assert [c["position"] for c in crumbs] == [1, 2, 3]


def test_headline_cannot_break_out_of_the_json_ld_script(article_soup):
    *_, soup = article_soup
    for script in soup.find_all("script", type="application/ld+json"):
        assert "</script" not in script.string.lower()
        assert "<b>" not in script.string


def test_open_graph_twitter_canonical_and_robots(article_soup):
    article, authors, soup = article_soup
    og = {}
    for meta in soup.find_all("meta"):
        key = meta.get("property") or meta.get("name")
        og.setdefault(key, []).append(meta.get("content"))
    assert og["og:type"] == ["article"]
    assert og["og:title"] == [article.title]
    assert og["article:published_time"][0]
    assert og["article:author"] == [
        f"http://testserver{a.get_absolute_url()}" for a in authors
    ]
    assert og["article:tag"] == ["Kyiv", "Energy"]
    assert og["twitter:card"] == ["summary_large_image"]
    assert og["og:image:width"] == ["1200"]
    assert "max-image-preview:large" in og["robots"][0]
    assert og["description"] == ["Engineers worked through the night."]
    canonical = soup.find("link", rel="canonical")
    assert canonical["href"] == f"http://testserver{article.url}"


def test_author_page_is_a_profile_page_with_a_person(client):
    author = AuthorFactory(name="Dana Critic", job_title="Culture Editor")
    make_article(authors=[author])
    soup = BeautifulSoup(client.get(author.get_absolute_url()).content, "html.parser")
    data = json_ld_blocks(soup)["ProfilePage"]
    assert data["mainEntity"]["@type"] == "Person"
    assert data["mainEntity"]["name"] == "Dana Critic"
    assert data["mainEntity"]["jobTitle"] == "Culture Editor"
    assert data["mainEntity"]["url"] == f"http://testserver{author.get_absolute_url()}"
