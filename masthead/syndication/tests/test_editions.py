"""Feeds and sitemaps per edition, with hreflang alternates (#15)."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masthead.content.editions import translate_page, translation_paths
from masthead.content.factories import home_page, make_article, make_section

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def editions():
    """An English section and its Ukrainian translation, holding a translated
    article, an English-only one and a Ukrainian-only one."""
    uk_home = home_page("uk")
    world = make_section("World", "world")
    svit = translate_page(world, "uk", title="Світ", slug="svit")
    grid = make_article(world, title="Grid repaired", slug="grid-repaired")
    merezha = translate_page(
        grid, "uk", title="Мережу відновили", slug="merezhu-vidnovyly"
    )
    english_only = make_article(world, title="Only in English", slug="english-only")
    ukrainian_only = make_article(svit, title="Лише українською", slug="lyshe-ukr")
    return {
        "uk_home": uk_home,
        "world": world,
        "svit": svit,
        "grid": grid,
        "merezha": merezha,
        "english_only": english_only,
        "ukrainian_only": ukrainian_only,
    }


ENGLISH_TITLES = {"Grid repaired", "Only in English"}
UKRAINIAN_TITLES = {"Мережу відновили", "Лише українською"}


def parse(response) -> ET.Element:
    assert response.status_code == 200, response.status_code
    return ET.fromstring(response.content)


def rss_titles(client, url: str) -> tuple[set[str], ET.Element]:
    channel = parse(client.get(url)).find("channel")
    assert channel is not None
    return {item.findtext("title", "") for item in channel.iter("item")}, channel


def alternates(entry: ET.Element) -> dict[str, str]:
    """``{hreflang: href}`` of a sitemap ``<url>``'s ``<xhtml:link>``s."""
    links = entry.findall(f"{XHTML}link")
    assert all(link.get("rel") == "alternate" for link in links)
    found = {link.get("hreflang", ""): link.get("href", "") for link in links}
    assert len(found) == len(links), "an hreflang listed twice"
    return found


def urlset(client, url: str) -> dict[str, dict[str, str]]:
    """``{loc: {hreflang: href}}`` of a sitemap file."""
    root = parse(client.get(url))
    assert root.tag == f"{SM}urlset"
    return {
        entry.findtext(f"{SM}loc", ""): alternates(entry)
        for entry in root.findall(f"{SM}url")
    }


# Feeds ---------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_site_feeds_list_only_their_editions_articles(client, editions, kind):
    def titles(url: str) -> set[str]:
        response = client.get(url)
        assert response.status_code == 200, url
        if kind == "json":
            return {item["title"] for item in json.loads(response.content)["items"]}
        root = ET.fromstring(response.content)
        if kind == "atom":
            return {e.findtext(f"{ATOM}title", "") for e in root.iter(f"{ATOM}entry")}
        return {item.findtext("title", "") for item in root.iter("item")}

    assert titles(f"/feeds/{kind}/") == ENGLISH_TITLES
    assert titles(f"/uk/feeds/{kind}/") == UKRAINIAN_TITLES


def test_ukrainian_feed_speaks_ukrainian(client, editions):
    # Without a tagline the description is the interface's, translated.

    _, channel = rss_titles(client, "/uk/feeds/rss/")
    assert channel.findtext("language") == "uk"
    assert channel.findtext("description", "").startswith("Останні матеріали")
    english, channel = rss_titles(client, "/feeds/rss/")
    assert channel.findtext("language") == "en"
    assert channel.findtext("description", "").startswith("The latest stories")
    assert english == ENGLISH_TITLES
    news = parse(client.get("/uk/feeds/news-feed/rss/")).find("channel")
    assert news.findtext("title", "").startswith("Стрічка новин |")
    assert news.findtext("description") == (
        "Короткі новини в міру того, як події відбуваються."
    )


def test_section_feeds_follow_the_editions_sections(client, editions):
    titles, channel = rss_titles(client, "/uk/feeds/section/svit/rss/")
    assert titles == UKRAINIAN_TITLES
    assert channel.findtext("description") == "Останні матеріали розділу «Світ»."
    titles, _ = rss_titles(client, "/feeds/section/world/rss/")
    assert titles == ENGLISH_TITLES
    # A section of the other edition has no feed here.
    assert client.get("/feeds/section/svit/rss/").status_code == 404
    assert client.get("/uk/feeds/section/world/rss/").status_code == 404


def test_tag_and_author_feeds_are_per_edition(client, editions):
    tag_articles("energy", editions["grid"], editions["merezha"])
    author = editions["grid"].article_authors.first().author

    assert rss_titles(client, "/feeds/tag/energy/rss/")[0] == {"Grid repaired"}
    assert rss_titles(client, "/uk/feeds/tag/energy/rss/")[0] == {"Мережу відновили"}
    # The translation keeps the byline (Wagtail's copy_for_translation).
    assert rss_titles(client, f"/uk/feeds/author/{author.slug}/rss/")[0] == {
        "Мережу відновили"
    }
    assert (
        "Мережу відновили"
        not in rss_titles(client, f"/feeds/author/{author.slug}/rss/")[0]
    )


def test_feeds_name_authors_and_tags_in_their_edition(client, editions):
    from masthead.content.models import ArticleTag
    from masthead.people.services import translate_author
    from masthead.taxonomy.factories import TagFactory
    from masthead.taxonomy.services import translate_tag

    tag = TagFactory(slug="energy", name="Energy")
    for article in (editions["grid"], editions["merezha"]):
        ArticleTag.objects.create(article=article, tag=tag, sort_order=0)
    translate_tag(tag, "uk", "Енергетика", "Світло і тепло.")
    author = editions["grid"].article_authors.first().author
    translate_author(author, "uk", "Олена Коваленко")

    def creators_and_categories(url: str) -> tuple[set[str], set[str]]:
        channel = parse(client.get(url)).find("channel")
        assert channel is not None
        creators = {
            element.text or ""
            for element in channel.iter("{http://purl.org/dc/elements/1.1/}creator")
        }
        return creators, {element.text or "" for element in channel.iter("category")}

    creators, categories = creators_and_categories("/uk/feeds/rss/")
    assert "Олена Коваленко" in creators and author.name not in creators
    assert "Енергетика" in categories
    creators, categories = creators_and_categories("/feeds/rss/")
    assert author.name in creators and "Олена Коваленко" not in creators
    assert "Energy" in categories and "Енергетика" not in categories
    # The tag's own feed is titled and described in the edition's words.
    channel = parse(client.get("/uk/feeds/tag/energy/rss/")).find("channel")
    assert channel is not None
    assert "Енергетика" in channel.findtext("title", "")
    assert channel.findtext("description", "") == "Світло і тепло."


# Sitemaps ------------------------------------------------------------------


def test_each_edition_has_its_own_sitemap_index(client, editions):
    english = [loc.text for loc in parse(client.get("/sitemap.xml")).iter(f"{SM}loc")]
    ukrainian = [
        loc.text for loc in parse(client.get("/uk/sitemap.xml")).iter(f"{SM}loc")
    ]

    assert "http://testserver/sitemap-articles.xml" in english
    assert "http://testserver/news-sitemap.xml" in english
    assert all(not loc.startswith("http://testserver/uk/") for loc in english)
    assert ukrainian == [
        loc.replace("http://testserver/", "http://testserver/uk/") for loc in english
    ]
    for loc in ukrainian:
        # Every child sitemap of the Ukrainian index parses and answers.
        path = loc.removeprefix("http://testserver")
        assert parse(client.get(path)).tag in {f"{SM}urlset"}, loc


def test_article_sitemaps_list_their_edition_with_reciprocal_alternates(
    client, editions
):
    english = urlset(client, "/sitemap-articles.xml")
    ukrainian = urlset(client, "/uk/sitemap-articles.xml")

    grid = "http://testserver/world/grid-repaired/"
    merezha = "http://testserver/uk/svit/merezhu-vidnovyly/"
    assert set(english) == {grid, "http://testserver/world/english-only/"}
    assert set(ukrainian) == {merezha, "http://testserver/uk/svit/lyshe-ukr/"}
    expected = {"en": grid, "uk": merezha, "x-default": grid}
    # Each version lists every version, itself included, and the same set.
    assert english[grid] == ukrainian[merezha] == expected
    # A page without a translation carries none.
    assert english["http://testserver/world/english-only/"] == {}
    assert ukrainian["http://testserver/uk/svit/lyshe-ukr/"] == {}


def test_home_and_section_sitemaps_carry_alternates(client, editions):
    homes = {"en": "http://testserver/", "uk": "http://testserver/uk/"}
    homes["x-default"] = homes["en"]
    assert urlset(client, "/sitemap-home.xml") == {"http://testserver/": homes}
    assert urlset(client, "/uk/sitemap-home.xml") == {"http://testserver/uk/": homes}
    sections = urlset(client, "/uk/sitemap-sections.xml")
    assert sections == {
        "http://testserver/uk/svit/": {
            "en": "http://testserver/world/",
            "uk": "http://testserver/uk/svit/",
            "x-default": "http://testserver/world/",
        }
    }


def test_a_small_editions_sitemap_starts_at_its_own_articles(editions):
    """The file range of ``/uk/sitemap-articles.xml`` is found from the page
    table's locale index, never by walking the other edition's articles."""
    from masthead.syndication.sitemaps import ArticleSitemap

    english_after = [
        make_article(editions["world"], title=f"Later {n}", slug=f"later-{n}")
        for n in range(3)
    ]
    last_ukrainian = make_article(editions["svit"], title="Остання", slug="ostannia")
    paginator = ArticleSitemap("uk").paginator
    with CaptureQueriesContext(connection) as queries:
        first, last = paginator.first_id, paginator.last_id

    assert first == editions["merezha"].pk
    assert last == last_ukrainian.pk > english_after[-1].pk
    bounds = [
        q["sql"] for q in queries if '"wagtailcore_page"."content_type_id"' in q["sql"]
    ]
    assert len(bounds) == 2
    if connection.vendor != "sqlite":
        # Case: PostgreSQL plans differently; the ids above are the check.
        bounds = []
    with connection.cursor() as cursor:
        for sql in bounds:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
            assert "locale_id" in plan and "TEMP B-TREE" not in plan, plan
    # An edition without articles has no range: nothing is walked.
    assert ArticleSitemap("xx").paginator.first_id is None


def test_unpublished_translations_are_no_alternates(client, editions):
    editions["merezha"].unpublish()
    english = urlset(client, "/sitemap-articles.xml")
    assert english["http://testserver/world/grid-repaired/"] == {}
    assert "http://testserver/uk/svit/merezhu-vidnovyly/" not in urlset(
        client, "/uk/sitemap-articles.xml"
    )


def test_alternates_cost_one_query_per_sitemap_file(client, editions):
    world = editions["world"]

    def count() -> int:
        client.get("/uk/sitemap-articles.xml")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/uk/sitemap-articles.xml").status_code == 200
        return len(queries)

    before = count()
    for n in range(3):
        article = make_article(world, slug=f"more-{n}")
        translate_page(article, "uk", title=f"Ще {n}", slug=f"shche-{n}")
    assert len(urlset(client, "/uk/sitemap-articles.xml")) == 5
    assert count() == before


def test_translation_paths_reads_a_batch_in_one_query(editions):
    pages = [editions["grid"], editions["english_only"], editions["ukrainian_only"]]
    with CaptureQueriesContext(connection) as queries:
        paths = translation_paths(pages)
    assert len(queries) == 1
    assert paths[editions["grid"].translation_key] == {
        "en": "/world/grid-repaired/",
        "uk": "/uk/svit/merezhu-vidnovyly/",
    }
    assert paths[editions["english_only"].translation_key] == {
        "en": "/world/english-only/"
    }


# News sitemap --------------------------------------------------------------


def test_news_sitemaps_are_per_edition(client, editions):
    for path, language, titles in (
        ("/news-sitemap.xml", "en", ENGLISH_TITLES),
        ("/uk/news-sitemap.xml", "uk", UKRAINIAN_TITLES),
    ):
        root = parse(client.get(path))
        news = root.findall(f"{SM}url/{NEWS}news")
        assert {n.findtext(f"{NEWS}title") for n in news} == titles, path
        assert {n.findtext(f"{NEWS}publication/{NEWS}language") for n in news} == {
            language
        }
        assert {n.findtext(f"{NEWS}publication/{NEWS}name") for n in news} == {
            "Masthead News"
        }


def test_robots_txt_names_every_editions_sitemaps(client, editions):
    lines = client.get("/robots.txt").content.decode().splitlines()
    for url in (
        "http://testserver/sitemap.xml",
        "http://testserver/news-sitemap.xml",
        "http://testserver/uk/sitemap.xml",
        "http://testserver/uk/news-sitemap.xml",
    ):
        assert f"Sitemap: {url}" in lines, url
    assert "Disallow: /uk/search/" in lines


def tag_articles(tag_slug: str, *articles):
    from masthead.content.models import ArticleTag
    from masthead.taxonomy.factories import TagFactory
    from masthead.taxonomy.models import Tag

    tag = Tag.objects.get(pk=TagFactory(slug=tag_slug).pk)  # type: ignore[attr-defined]
    for article in articles:
        # The row's copy of its article's date and edition, as a save makes it.
        ArticleTag.objects.create(
            article=article,
            tag=tag,
            sort_order=0,
            published_at=article.published_at,
            locale_id=article.locale_id,
        )
    return tag


def test_tag_sitemaps_carry_alternates_where_the_tag_has_a_page(client, editions):
    tag_articles("energy", editions["grid"], editions["merezha"])
    tag_articles("lviv", editions["ukrainian_only"])
    energy = {
        "en": "http://testserver/tags/energy/",
        "uk": "http://testserver/uk/tags/energy/",
        "x-default": "http://testserver/tags/energy/",
    }

    assert urlset(client, "/sitemap-tags.xml") == {energy["en"]: energy}
    assert urlset(client, "/uk/sitemap-tags.xml") == {
        energy["uk"]: energy,
        # Case: no English article, so no English page to name.
        "http://testserver/uk/tags/lviv/": {},
    }


def test_author_sitemaps_carry_alternates_where_the_author_has_a_page(client, editions):
    both = editions["grid"].article_authors.first().author
    ukrainian = editions["ukrainian_only"].article_authors.first().author
    assert ukrainian != both
    pages = {
        "en": f"http://testserver/authors/{both.slug}/",
        "uk": f"http://testserver/uk/authors/{both.slug}/",
        "x-default": f"http://testserver/authors/{both.slug}/",
    }

    english = urlset(client, "/sitemap-authors.xml")
    ukrainian_set = urlset(client, "/uk/sitemap-authors.xml")

    assert english[pages["en"]] == ukrainian_set[pages["uk"]] == pages
    assert ukrainian_set[f"http://testserver/uk/authors/{ukrainian.slug}/"] == {}


def test_tag_alternates_cost_one_query_per_other_edition(client, editions):
    def count() -> int:
        client.get("/uk/sitemap-tags.xml")
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/uk/sitemap-tags.xml").status_code == 200
        return len(queries)

    tag_articles("energy", editions["grid"], editions["merezha"])
    before = count()
    for n in range(3):
        tag_articles(f"more-{n}", editions["grid"], editions["merezha"])
    assert len(urlset(client, "/uk/sitemap-tags.xml")) == 4
    assert count() == before
