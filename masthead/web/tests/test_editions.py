"""Editions: English at ``/``, Ukrainian at ``/uk/``, one page tree each (#15)."""

import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.models import Locale, Page

from masthead import cache
from masthead.content.editions import edition_home, translate_page
from masthead.content.factories import home_page, make_article, make_section
from masthead.content.models import HomePage, RetiredURL
from masthead.core.editions import edition_for_path
from masthead.feed.factories import NewsFeedItemFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def uk_home():
    return home_page("uk")


@pytest.fixture
def uk_story(uk_home):
    """A Ukrainian-only article in a Ukrainian section."""
    section = make_section("Україна", "ukraina", home=uk_home)
    article = make_article(
        section, title="Світло повернулося до Харкова", slug="svitlo-kharkiv"
    )
    return section, article


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html5lib")


def article_links(page):
    """Where the page's teasers point (every link into a section's article)."""
    return {a["href"] for a in page.select("main a[href]")}


# Routing -------------------------------------------------------------------


def test_the_path_prefix_alone_names_the_edition():
    assert edition_for_path("/uk/") == "uk"
    assert edition_for_path("/uk/news-feed/") == "uk"
    # A section whose slug starts like an edition is still English.
    assert edition_for_path("/ukraine/story/") == "en"
    assert edition_for_path("/") == "en"
    assert edition_for_path("/fr/") == "en"


def test_ukrainian_home_is_a_translation_of_the_english_one(uk_home):
    english = edition_home("en")
    assert uk_home.translation_key == english.translation_key
    assert uk_home.locale.language_code == "uk"
    assert uk_home.url == "/uk/"
    assert [page.url for page in english.get_translations()] == ["/uk/"]


def test_ukrainian_pages_are_served_under_the_prefix_from_their_tree(client, uk_story):
    section, article = uk_story
    assert article.url == "/uk/ukraina/svitlo-kharkiv/"
    page = soup(client.get(article.url))
    assert page.html["lang"] == "uk"
    assert page.find("h1").get_text(strip=True) == article.title
    assert soup(client.get(section.url)).html["lang"] == "uk"
    # Not reachable in the other edition, nor English pages under /uk/.
    assert client.get("/ukraina/svitlo-kharkiv/").status_code == 404
    english = make_article(make_section("World", "world"))
    assert client.get(f"/uk{english.url}").status_code == 404
    assert client.get(english.url).status_code == 200


def test_an_edition_without_a_home_page_serves_no_pages(client):
    # Wagtail falls back to the default home: its pages must not appear
    # under /uk/ before the Ukrainian home exists.
    english = make_article(make_section("World", "world"))
    assert client.get("/uk/").status_code == 404
    assert client.get(f"/uk{english.url}").status_code == 404
    assert client.get(english.url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "news-feed/",
        "search/?q=kyiv",
        "tags/",
        "authors/",
        "archive/",
        "latest/",
        "corrections/",
        "feeds/rss/",
        "feeds/news-feed/atom/",
        "sitemap.xml",
    ],
)
def test_every_public_page_has_a_ukrainian_address(client, uk_home, path):
    english = client.get(f"/{path}")
    ukrainian = client.get(f"/uk/{path}")
    assert english.status_code == ukrainian.status_code == 200
    assert english["Content-Language"] == "en"
    assert ukrainian["Content-Language"] == "uk"


def test_admin_robots_and_beacon_stay_unprefixed(client, uk_home):
    assert client.get("/admin/").status_code == 302  # to the sign-in
    assert client.get("/uk/admin/").status_code == 404
    assert client.get("/robots.txt").status_code == 200


def test_links_built_in_a_ukrainian_page_keep_the_prefix(client, uk_story):
    page = soup(client.get("/uk/"))
    nav = page.select_one("header .site-nav__feed")
    assert nav["href"] == "/uk/news-feed/"
    # The section menu lists the edition's own sections.
    menu = [a["href"] for a in page.select(".section-menu a")]
    assert menu == ["/uk/ukraina/"]
    # The logo leads to the edition's own front page.
    assert page.select_one("a.site-logo")["href"] == "/uk/"
    english = soup(client.get("/"))
    assert english.select_one("a.site-logo")["href"] == "/"


def test_english_menu_does_not_list_ukrainian_sections(client, uk_story):
    make_section("World", "world")
    cache.reset()
    page = soup(client.get("/"))
    assert [a["href"] for a in page.select(".section-menu a")] == ["/world/"]


# Caching: no Vary on the language ------------------------------------------


def test_english_page_neither_varies_on_nor_reads_accept_language(client, uk_home):
    article = make_article(title="Grid repaired")
    plain = client.get(article.url)
    asked_in_ukrainian = client.get(article.url, HTTP_ACCEPT_LANGUAGE="uk")
    for response in (plain, asked_in_ukrainian):
        assert "Accept-Language" not in response.get("Vary", "")
        directives = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"public", "max-age=60"} <= directives
        assert soup(response).html["lang"] == "en"
    assert plain.content == asked_in_ukrainian.content


def test_polled_news_feed_keeps_its_etag_in_both_editions(client, uk_home):
    for prefix in ("", "/uk"):
        first = client.get(f"{prefix}/news-feed/updates.json")
        assert "Accept-Language" not in first.get("Vary", "")
        again = client.get(
            f"{prefix}/news-feed/updates.json", HTTP_IF_NONE_MATCH=first["ETag"]
        )
        assert again.status_code == 304


# The content language follows the edition ---------------------------------


def test_ukrainian_article_declares_ukrainian_everywhere(client, uk_story):
    page = soup(client.get(uk_story[1].url))
    data = next(
        json.loads(s.string)
        for s in page.find_all("script", type="application/ld+json")
        if "headline" in json.loads(s.string)
    )
    assert data["inLanguage"] == "uk"
    assert page.find("meta", property="og:locale")["content"] == "uk_UA"
    crumbs = next(
        json.loads(s.string)
        for s in page.find_all("script", type="application/ld+json")
        if json.loads(s.string).get("@type") == "BreadcrumbList"
    )
    assert [item["item"] for item in crumbs["itemListElement"]][:2] == [
        "http://testserver/uk/",
        "http://testserver/uk/ukraina/",
    ]
    rss = ET.fromstring(client.get("/uk/feeds/rss/").content)
    assert rss.findtext("channel/language") == "uk"
    english_rss = ET.fromstring(client.get("/feeds/rss/").content)
    assert english_rss.findtext("channel/language") == "en"


# Each front page shows its own edition ------------------------------------


def test_front_pages_list_only_their_editions_articles(client, uk_story):
    ukrainian = uk_story[1]
    english = make_article(make_section("World", "world"), title="Grid repaired")
    cache.reset()
    uk_links = article_links(soup(client.get("/uk/")))
    en_links = article_links(soup(client.get("/")))
    assert ukrainian.url in uk_links
    assert english.url not in uk_links
    assert english.url in en_links
    assert ukrainian.url not in en_links


def test_home_page_canonical_url_is_the_editions(client, uk_home):
    page = soup(client.get("/uk/"))
    assert page.find("link", rel="canonical")["href"] == "http://testserver/uk/"


# One home page per edition ------------------------------------------------


def test_a_second_home_in_one_edition_is_refused(uk_home):
    root = Page.get_first_root_node()
    # Every edition has its home: the admin offers no new one.
    assert not HomePage.can_create_at(root)
    duplicate = HomePage(title="Another", slug="another", locale=uk_home.locale)
    with pytest.raises(ValidationError, match="already has a home page"):
        duplicate.clean()


def test_a_home_may_be_added_for_an_edition_without_one():
    Locale.objects.get_or_create(language_code="uk")
    root = Page.get_first_root_node()
    assert HomePage.can_create_at(root)


# Linked translations ------------------------------------------------------


def test_translated_article_is_linked_and_gets_its_own_publication_time(
    client, uk_home
):
    section = make_section("World", "world")
    original = make_article(section, title="Grid repaired", slug="grid-repaired")
    uk_section = translate_page(section, "uk", title="Світ")
    translated = translate_page(
        original, "uk", title="Мережу відновили", slug="merezhu-vidnovyly"
    )
    assert translated.url == f"{uk_section.url}merezhu-vidnovyly/"
    assert translated.translation_key == original.translation_key
    assert [p.url for p in original.get_translations()] == [translated.url]
    assert translated.published_at >= original.published_at
    assert translated.published_at != original.published_at
    # Rerunning changes nothing.
    assert translate_page(original, "uk", title="Інше").pk == translated.pk
    page = soup(client.get(translated.url))
    assert page.find("h1").get_text(strip=True) == "Мережу відновили"


def test_withdrawn_ukrainian_article_answers_gone_at_its_ukrainian_address(
    client, uk_story
):
    article = uk_story[1]
    article.unpublish()
    assert RetiredURL.objects.filter(path="/uk/ukraina/svitlo-kharkiv/").exists()
    assert client.get("/uk/ukraina/svitlo-kharkiv/").status_code == 410


# The News Feed per edition ------------------------------------------------


def feed_headlines(client, url):
    page = soup(client.get(url))
    return {h.get_text(strip=True) for h in page.select(".feed-post__headline")}


def test_each_news_feed_shows_its_own_editions_posts(client, uk_home):
    NewsFeedItemFactory(headline="Sirens in Kyiv")
    NewsFeedItemFactory(headline="Тривога в Києві", locale=uk_home.locale)
    assert feed_headlines(client, "/news-feed/") == {"Sirens in Kyiv"}
    assert feed_headlines(client, "/uk/news-feed/") == {"Тривога в Києві"}
    updates = client.get("/uk/news-feed/updates.json").json()["items"]
    assert [item["headline"] for item in updates] == ["Тривога в Києві"]
    assert updates[0]["url"].startswith("/uk/news-feed/")


def test_sidebar_is_kept_per_edition(client, uk_home):
    NewsFeedItemFactory(headline="Sirens in Kyiv")
    NewsFeedItemFactory(headline="Тривога в Києві", locale=uk_home.locale)
    make_article(make_section("World", "world"))
    english = soup(client.get("/")).get_text()
    ukrainian = soup(client.get("/uk/")).get_text()
    assert "Sirens in Kyiv" in english and "Тривога в Києві" not in english
    assert "Тривога в Києві" in ukrainian and "Sirens in Kyiv" not in ukrainian


def test_post_url_is_in_its_edition_whatever_language_is_active(uk_home):
    item = NewsFeedItemFactory(headline="Тривога", locale=uk_home.locale)
    with translation.override("en"):
        assert item.get_absolute_url().startswith("/uk/news-feed/")


def test_post_asked_for_in_the_other_edition_redirects_to_its_own(client, uk_home):
    item = NewsFeedItemFactory(headline="Тривога", locale=uk_home.locale)
    english_address = item.get_absolute_url().removeprefix("/uk")
    response = client.get(english_address)
    assert response.status_code == 301
    assert response["Location"] == item.get_absolute_url()


def test_new_posts_go_to_the_default_edition():
    item = NewsFeedItemFactory()
    assert item.locale == Locale.get_default()


def test_a_regional_default_language_keeps_its_news_feed(client, settings):
    # MASTHEAD_LANGUAGE=en-gb: the English edition's locale is still ``en``.
    NewsFeedItemFactory(headline="Sirens in Kyiv")
    settings.LANGUAGE_CODE = "en-gb"
    assert feed_headlines(client, "/news-feed/") == {"Sirens in Kyiv"}


def test_admins_translate_action_makes_a_linked_draft_in_the_other_edition(
    admin_client, uk_home
):
    original = make_article(make_section("World", "world"), title="Grid repaired")
    translate_page(original.get_parent().specific, "uk", title="Світ")
    uk = Locale.objects.get(language_code="uk")
    response = admin_client.post(
        f"/admin/translation/submit/page/{original.pk}/", {"locales": [uk.pk]}
    )
    assert response.status_code == 302
    draft = original.get_translation(uk).specific
    assert draft.translation_key == original.translation_key
    assert not draft.live
    # Bylines and tags come with the copy; the publication time does not.
    assert [a.author_id for a in draft.article_authors.all()] == [
        a.author_id for a in original.article_authors.all()
    ]
    assert draft.published_at is None
