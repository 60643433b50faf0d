"""Sitemap index, sitemaps, Google News sitemap and robots.txt."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.content.factories import make_article, make_section
from masthead.people.factories import AuthorFactory
from masthead.syndication.sitemaps import ArticleSitemap
from masthead.syndication.views import news_language
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"

# The index: per sitemap its newest date and its size (home 3; articles 6, the
# newest publication and update and the first and last id, each read from one
# end of an index, the first and last two after the edition's first and last
# article id from the locale index (#15); the others 2) plus the news
# sitemap's newest story.
SITEMAP_INDEX_QUERIES = 16
# The edition's first article id, the first published id from there + one
# range of ids + the translations of that range, one query by
# translation_key whatever its length (#15).
ARTICLE_SITEMAP_QUERIES = 4
NEWS_SITEMAP_QUERIES = 1  # the window's articles (the site and its settings are kept)


def xml(response) -> ET.Element:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


def locs(root: ET.Element) -> list[str]:
    return [loc.text or "" for loc in root.iter(f"{SM}loc")]


def urlset(client, url: str) -> dict[str, str | None]:
    """``{loc: lastmod}`` of a sitemap."""
    root = xml(client.get(url))
    assert root.tag == f"{SM}urlset"
    return {
        entry.findtext(f"{SM}loc", ""): entry.findtext(f"{SM}lastmod")
        for entry in root.findall(f"{SM}url")
    }


def test_index_lists_every_sitemap_with_absolute_urls_and_lastmod(client):
    make_article(tags=[TagFactory()])

    root = xml(client.get("/sitemap.xml", secure=True))

    assert root.tag == f"{SM}sitemapindex"
    entries = root.findall(f"{SM}sitemap")
    assert [e.findtext(f"{SM}loc") for e in entries] == [
        "https://testserver/sitemap-home.xml",
        "https://testserver/sitemap-articles.xml",
        "https://testserver/sitemap-sections.xml",
        "https://testserver/sitemap-tags.xml",
        "https://testserver/sitemap-authors.xml",
        "https://testserver/news-sitemap.xml",
    ]
    for entry in entries:
        datetime.fromisoformat(entry.findtext(f"{SM}lastmod"))


def test_article_sitemap_lists_published_articles_only(client):
    section = make_section(slug="world")
    live = make_article(section)
    make_article(section, publish=False)
    withdrawn = make_article(section)
    withdrawn.unpublish()

    urls = urlset(client, "/sitemap-articles.xml")

    assert list(urls) == [f"http://testserver/world/{live.slug}/"]
    lastmod = datetime.fromisoformat(urls[f"http://testserver/world/{live.slug}/"])
    assert lastmod == live.updated_at.replace(microsecond=0)


def test_listing_sitemaps_list_subjects_with_published_articles(client):
    section = make_section(slug="world")
    make_section(slug="empty")
    author, tag = AuthorFactory(), TagFactory()
    idle_author, idle_tag = AuthorFactory(), TagFactory()
    article = make_article(section, authors=[author], tags=[tag])
    make_article(section, authors=[idle_author], tags=[idle_tag], publish=False)

    sections = urlset(client, "/sitemap-sections.xml")
    tags = urlset(client, "/sitemap-tags.xml")
    authors = urlset(client, "/sitemap-authors.xml")
    home = urlset(client, "/sitemap-home.xml")

    # A live section is listed even before its first story.
    assert set(sections) == {"http://testserver/world/", "http://testserver/empty/"}
    assert list(tags) == [f"http://testserver/tags/{tag.slug}/"]
    assert list(authors) == [f"http://testserver/authors/{author.slug}/"]
    assert list(home) == ["http://testserver/"]
    published = article.published_at.replace(microsecond=0)
    for lastmod in (*tags.values(), *authors.values()):
        assert datetime.fromisoformat(lastmod) == published
    assert all(sections.values())
    assert all(home.values())


def test_long_sitemaps_are_split_into_numbered_files(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    section = make_section()
    for _ in range(3):
        make_article(section)

    index = locs(xml(client.get("/sitemap.xml")))

    assert "http://testserver/sitemap-articles.xml?p=2" in index
    assert len(urlset(client, "/sitemap-articles.xml")) == 2
    assert len(urlset(client, "/sitemap-articles.xml?p=2")) == 1
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap-nothing.xml",
        "/sitemap-articles.xml?p=abc",
        "/sitemap-articles.xml?p=0",
        "/sitemap-articles.xml?p=-1",
        "/sitemap-articles.xml?p=1.5",
        "/sitemap-articles.xml?p=" + "9" * 5000,
        "/sitemap-articles.xml?p=%00",
    ],
)
def test_unknown_sitemaps_and_bad_page_numbers_are_404(client, url):
    assert client.get(url).status_code == 404


def test_news_sitemap_has_the_four_required_tags(client, settings):
    settings.LANGUAGE_CODE = "en-gb"
    article = make_article(make_section(slug="world"), title="Grid & power <update>")

    response = client.get("/news-sitemap.xml", {"junk": "%00"})
    root = xml(response)

    assert root.tag == f"{SM}urlset"
    [url] = root.findall(f"{SM}url")
    assert url.findtext(f"{SM}loc") == f"http://testserver/world/{article.slug}/"
    news = url.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Masthead News"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published.tzinfo is not None
    assert published == article.published_at.replace(microsecond=0)
    assert news.findtext(f"{NEWS}title") == "Grid & power <update>"
    assert "public" in response["Cache-Control"]


def test_news_sitemap_keeps_only_the_last_48_hours(client):
    section = make_section()
    now = timezone.now()
    recent = make_article(section, published_at=now - timedelta(hours=47))
    make_article(section, published_at=now - timedelta(days=3))
    make_article(section, publish=False)

    root = xml(client.get("/news-sitemap.xml"))

    assert locs(root) == [f"http://testserver{recent.url}"]


def test_news_sitemap_is_capped(client, monkeypatch):
    monkeypatch.setattr("masthead.syndication.sitemaps.NEWS_SITEMAP_MAX_URLS", 2)
    section = make_section()
    now = timezone.now()
    articles = [
        make_article(section, published_at=now - timedelta(hours=hours))
        for hours in (3, 2, 1)
    ]

    root = xml(client.get("/news-sitemap.xml"))

    assert locs(root) == [f"http://testserver{a.url}" for a in articles[:0:-1]]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en", "en"),
        ("en-gb", "en"),
        ("uk", "uk"),
        ("zh-hans", "zh-cn"),
        ("zh-tw", "zh-tw"),
    ],
)
def test_news_language_is_an_iso_639_code(code, expected):
    assert news_language(code) == expected


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt", secure=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    fields = [
        tuple(part.strip() for part in line.split(":", 1)) for line in lines if line
    ]
    assert ("User-agent", "*") in fields
    assert ("Disallow", "/admin/") in fields
    assert ("Disallow", "/search/") in fields
    assert ("Sitemap", "https://testserver/sitemap.xml") in fields
    assert ("Sitemap", "https://testserver/news-sitemap.xml") in fields


def _count(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def test_sitemap_query_budgets_do_not_grow_with_items(client):
    section = make_section()
    make_article(section, authors=[AuthorFactory()], tags=[TagFactory()])
    urls = ["/sitemap.xml", "/sitemap-articles.xml", "/news-sitemap.xml"]
    small = [_count(client, url) for url in urls]

    for _ in range(3):
        make_article(
            make_section(),
            authors=AuthorFactory.create_batch(2),
            tags=TagFactory.create_batch(2),
        )
    big = [_count(client, url) for url in urls]

    assert (
        big
        == small
        == [
            SITEMAP_INDEX_QUERIES,
            ARTICLE_SITEMAP_QUERIES,
            NEWS_SITEMAP_QUERIES,
        ]
    )
    # Sections: their rows and their translations (#15); tags and authors:
    # their rows and which of them the other edition lists (one query).
    assert _count(client, "/sitemap-sections.xml") == 3
    for url in ("/sitemap-tags.xml", "/sitemap-authors.xml"):
        assert _count(client, url) == 3, url


def test_sitemaps_refuse_writes(client):
    for url in (
        "/sitemap.xml",
        "/sitemap-articles.xml",
        "/news-sitemap.xml",
        "/robots.txt",
    ):
        assert client.post(url).status_code == 405, url
