import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead import cache
from masthead.analytics.models import PopularArticle
from masthead.content.factories import make_article, make_section
from masthead.content.models import CurationSettings, EditorsPick
from masthead.feed.factories import NewsFeedItemFactory
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

# On a warm article page: its route (one query for the article by its URL),
# its bylines, its tags and its published notices. The site, its settings,
# the section, the images and the sidebar are kept until a purge; fixed,
# whatever the number of authors, tags, notices, feed items or picks.
ARTICLE_PAGE_QUERIES = 4


def count_queries(client, url: str) -> int:
    client.get(url)  # first view makes renditions
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def populate_sidebar(articles, feed_items: int):
    from wagtail.models import Site

    curation, _ = CurationSettings.objects.get_or_create(
        site=Site.objects.get(is_default_site=True)
    )
    PopularArticle.objects.all().delete()
    EditorsPick.objects.all().delete()
    for order, article in enumerate(articles):
        EditorsPick.objects.create(settings=curation, article=article, sort_order=order)
        PopularArticle.objects.create(
            window_days=7,
            locale_id=article.locale_id,
            rank=order + 1,
            article=article,
            view_count=100 - order,
            refreshed_at=timezone.now(),
        )
    NewsFeedItemFactory.create_batch(feed_items)


def test_article_page_query_budget_does_not_grow_with_content(client):
    section = make_section()
    make_article(section)  # so both articles have a related story
    small = make_article(section, authors=[AuthorFactory()], tags=[TagFactory()])
    populate_sidebar([make_article(section)], feed_items=1)
    cache.reset()  # the purge the sidebar writes queue after commit
    small_count = count_queries(client, small.url)

    big = make_article(
        section,
        authors=AuthorFactory.create_batch(3),
        tags=TagFactory.create_batch(5),
    )
    populate_sidebar([make_article(section) for _ in range(4)], feed_items=8)
    cache.reset()
    big_count = count_queries(client, big.url)

    assert small_count == big_count == ARTICLE_PAGE_QUERIES


@pytest.mark.parametrize("kind", ["author", "tag", "section"])
def test_listing_query_budget_does_not_grow_with_items(client, kind):
    section = make_section()
    author = AuthorFactory()
    tag = TagFactory()
    url = {
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "section": section.url,
    }[kind]
    make_article(section, authors=[author], tags=[tag])
    one = count_queries(client, url)
    for _ in range(5):
        make_article(section, authors=[author, AuthorFactory()], tags=[tag])
    assert count_queries(client, url) == one


def test_unknown_article_author_and_tag_slugs_are_404(client):
    section = make_section()
    assert client.get(f"{section.url}no-such-article/").status_code == 404
    assert client.get("/authors/nobody/").status_code == 404
    assert client.get("/tags/nothing/").status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", "2", "1e3", "%00", "9" * 40])
def test_malformed_or_missing_page_numbers_are_404_not_500(client, page):
    tag = TagFactory()
    author = AuthorFactory()
    section = make_section()
    make_article(section, authors=[author], tags=[tag])
    for url in (tag.get_absolute_url(), author.get_absolute_url(), "/news-feed/"):
        assert client.get(url, {"page": page}).status_code == 404, url


def test_draft_article_is_not_served(client):
    draft = make_article(publish=False)
    assert client.get(draft.url or f"/{draft.slug}/").status_code == 404


def test_author_page_lists_only_their_published_articles_newest_first(client):
    author = AuthorFactory(name="Olena Test")
    older = make_article(authors=[author], title="First story")
    newer = make_article(authors=[author, AuthorFactory()], title="Second story")
    make_article(authors=[author], title="Unpublished story", publish=False)
    make_article(title="Someone else's story")

    response = client.get(author.get_absolute_url())

    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one("h1").get_text(strip=True) == "Olena Test"
    titles = [a.get_text(strip=True) for a in soup.select(".teaser__title a")]
    assert titles == [newer.title, older.title]


def test_author_page_paginates_with_numbered_links(client, settings):
    settings.MASTHEAD_LISTING_PAGE_SIZE = 2
    author = AuthorFactory()
    section = make_section()
    for _ in range(5):
        make_article(section, authors=[author])
    first = BeautifulSoup(client.get(author.get_absolute_url()).content, "html.parser")
    assert first.select_one(".pagination a[rel=next]")["href"] == "?page=2"
    third = client.get(author.get_absolute_url(), {"page": "3"})
    assert third.status_code == 200
    soup = BeautifulSoup(third.content, "html.parser")
    assert len(soup.select(".teaser")) == 1
    assert client.get(author.get_absolute_url(), {"page": "4"}).status_code == 404


def test_news_feed_page_groups_items_by_day_and_pages_with_show_more(client):
    NewsFeedItemFactory.create_batch(31)
    soup = BeautifulSoup(client.get("/news-feed/").content, "html.parser")
    assert len(soup.select("article.feed-post")) == 30
    assert soup.select_one(".news-feed__more a")["href"] == "?page=2"
    second = BeautifulSoup(client.get("/news-feed/?page=2").content, "html.parser")
    assert len(second.select("article.feed-post")) == 1


def test_future_feed_items_are_held_back(client):
    NewsFeedItemFactory(
        headline="Not yet", published_at=timezone.now() + timezone.timedelta(hours=1)
    )
    soup = BeautifulSoup(client.get("/news-feed/").content, "html.parser")
    assert not soup.select("article.feed-post")


def test_published_pages_are_publicly_cacheable(client):
    article = make_article()
    for url in ("/", article.section.url, article.url):
        response = client.get(url)
        assert "public" in response["Cache-Control"], url


def test_draft_preview_is_never_cached(admin_client):
    article = make_article(publish=False)
    response = admin_client.get(f"/admin/pages/{article.pk}/view_draft/")
    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_hero_is_responsive_webp_with_fixed_size_and_loads_first(client):
    from masthead.core.factories import LibraryImageFactory, image_file

    section = make_section()
    make_article(section, hero_image=LibraryImageFactory(file=image_file(1600, 900)))
    article = make_article(
        section, hero_image=LibraryImageFactory(file=image_file(1600, 900))
    )
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    picture = soup.select_one("figure.article__hero picture")
    webp = picture.find("source", type="image/webp")
    assert len(webp["srcset"].split(",")) == 3
    assert webp["sizes"]
    image = picture.find("img")
    assert int(image["width"]) > 0 and int(image["height"]) > 0
    assert image["loading"] == "eager"
    assert image["fetchpriority"] == "high"
    # Everything below the fold waits until it is needed.
    others = [img for img in soup.find_all("img") if img is not image]
    teasers = [img for img in others if "teaser__image" in img.get("class", [])]
    assert teasers
    assert all(img.get("loading") == "lazy" for img in teasers)
