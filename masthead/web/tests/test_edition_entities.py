"""Shared authors and tags named per edition, and listings per edition (#15).

A tag or author is one entity with one slug in every edition; its page in
an edition shows its words in that edition's language and that edition's
articles only. The archive, latest, corrections, Most Popular and Editors'
Picks are the edition's own.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

from masthead import cache
from masthead.analytics.models import DailyArticleViews
from masthead.analytics.services import refresh_most_popular
from masthead.content.factories import home_page, make_article, make_section
from masthead.content.models import CorrectionKind, CurationSettings, EditorsPick
from masthead.content.services import issue_correction
from masthead.people.factories import AuthorFactory
from masthead.people.services import translate_author
from masthead.taxonomy.factories import TagFactory
from masthead.taxonomy.services import translate_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def editions():
    """An English and a Ukrainian section, an author and a tag shared by both."""
    uk_home = home_page("uk")
    author = AuthorFactory(
        name="Olena Koval", slug="olena-koval", job_title="Reporter", bio="In Kyiv."
    )
    translate_author(
        author,
        "uk",
        name="Олена Коваль",
        job_title="Репортерка",
        bio="Пише з Києва.",
    )
    tag = TagFactory(name="Energy", slug="energy", description="Power and heat.")
    translate_tag(tag, "uk", name="Енергетика", description="Світло і тепло.")
    english = make_section("World", "world")
    ukrainian = make_section("Світ", "svit", home=uk_home)
    return author, tag, english, ukrainian


def soup(response):
    assert response.status_code == 200, response
    return BeautifulSoup(response.content, "html5lib")


def titles(page):
    return [a.get_text(strip=True) for a in page.select("main .teaser__title a")]


def json_ld(page):
    return [
        json.loads(script.string)
        for script in page.select('script[type="application/ld+json"]')
    ]


def test_tag_page_is_named_and_listed_per_edition(client, editions):
    author, tag, english, ukrainian = editions
    make_article(english, title="Grid repaired", authors=[author], tags=[tag])
    make_article(ukrainian, title="Мережу відновили", authors=[author], tags=[tag])

    en = soup(client.get("/tags/energy/"))
    uk = soup(client.get("/uk/tags/energy/"))

    assert en.find("h1").get_text(strip=True) == "Energy"
    assert en.select_one(".listing-header__intro").get_text() == "Power and heat."
    assert titles(en) == ["Grid repaired"]
    assert uk.find("h1").get_text(strip=True) == "Енергетика"
    assert uk.select_one(".listing-header__intro").get_text() == "Світло і тепло."
    assert titles(uk) == ["Мережу відновили"]
    assert uk.title.get_text().startswith("Енергетика")


def test_author_page_is_named_and_listed_per_edition(client, editions):
    author, _tag, english, ukrainian = editions
    make_article(english, title="Grid repaired", authors=[author])
    make_article(ukrainian, title="Мережу відновили", authors=[author])

    en = soup(client.get("/authors/olena-koval/"))
    uk = soup(client.get("/uk/authors/olena-koval/"))

    assert en.select_one(".profile__name").get_text() == "Olena Koval"
    assert titles(en) == ["Grid repaired"]
    assert uk.select_one(".profile__name").get_text() == "Олена Коваль"
    assert uk.select_one(".profile__job").get_text() == "Репортерка"
    assert uk.select_one(".profile__bio").get_text() == "Пише з Києва."
    assert titles(uk) == ["Мережу відновили"]
    person = json_ld(uk)[0]["mainEntity"]
    assert (person["name"], person["jobTitle"]) == ("Олена Коваль", "Репортерка")


def test_article_byline_tags_and_author_box_use_the_editions_names(client, editions):
    author, tag, english, ukrainian = editions
    en_article = make_article(english, authors=[author], tags=[tag])
    uk_article = make_article(ukrainian, authors=[author], tags=[tag])

    en = soup(client.get(en_article.url))
    uk = soup(client.get(uk_article.url))

    assert en.select_one(".byline__names a").get_text() == "Olena Koval"
    assert uk.select_one(".byline__names a").get_text() == "Олена Коваль"
    assert [a.get_text() for a in uk.select(".tag-list a")] == ["Енергетика"]
    assert uk.select_one(".author-box__bio").get_text() == "Пише з Києва."
    article = next(d for d in json_ld(uk) if "author" in d)
    assert [p["name"] for p in article["author"]] == ["Олена Коваль"]
    assert article["keywords"] == ["Енергетика"]


def test_teasers_carry_the_byline_in_the_editions_language(client, editions):
    author, _tag, english, ukrainian = editions
    make_article(english, authors=[author])
    # An English article is not listed on the author's Ukrainian page.
    assert not soup(client.get("/uk/authors/olena-koval/")).select("main .teaser")
    make_article(ukrainian, authors=[author])

    uk = soup(client.get("/uk/latest/"))
    en = soup(client.get("/latest/"))

    assert (
        uk.select_one("main .teaser__meta")
        .get_text(" ", strip=True)
        .startswith("Олена Коваль")
    )
    assert "Olena Koval" in en.select_one("main .teaser__meta").get_text()


def test_an_untranslated_name_falls_back_to_the_main_editions(client, editions):
    _, _, _english, ukrainian = editions
    tag = TagFactory(name="Northline Energy", slug="northline-energy")
    make_article(ukrainian, tags=[tag])
    uk = soup(client.get("/uk/tags/northline-energy/"))
    assert uk.find("h1").get_text(strip=True) == "Northline Energy"


def test_indexes_list_the_editions_tags_by_their_names_there(client, editions):
    author, tag, english, ukrainian = editions
    make_article(ukrainian, authors=[author], tags=[tag])
    english_only = TagFactory(name="Berlin", slug="berlin")
    make_article(english, authors=[author], tags=[english_only])

    uk_tags = soup(client.get("/uk/tags/"))
    en_tags = soup(client.get("/tags/"))
    uk_authors = soup(client.get("/uk/authors/"))

    assert [a.get_text() for a in uk_tags.select(".index-list a")] == ["Енергетика"]
    assert [a.get_text() for a in en_tags.select(".index-list a")] == ["Berlin"]
    names = [a.get_text() for a in uk_authors.select(".index-list a")]
    assert "Олена Коваль" in names


def test_latest_and_archive_list_only_the_editions_articles(client, editions):
    _, _, english, ukrainian = editions
    day = datetime(2026, 3, 2, 12, tzinfo=UTC)
    make_article(english, title="Grid repaired", published_at=day)
    make_article(ukrainian, title="Мережу відновили", published_at=day)
    later = day + timedelta(days=3)
    make_article(english, title="Later in English", published_at=later)

    assert titles(soup(client.get("/uk/latest/"))) == ["Мережу відновили"]
    assert titles(soup(client.get("/latest/"))) == ["Later in English", "Grid repaired"]
    assert titles(soup(client.get("/uk/archive/2026/03/02/"))) == ["Мережу відновили"]
    # The Ukrainian edition has nothing on the 5th: no such day there.
    assert client.get("/uk/archive/2026/03/05/").status_code == 404
    assert client.get("/archive/2026/03/05/").status_code == 200
    months = soup(client.get("/uk/archive/2026/03/"))
    days = [a["href"] for a in months.select(".archive-periods a")]
    assert days == ["/uk/archive/2026/03/02/"]


def test_corrections_list_only_the_editions_notices(client, editions):
    _, _, english, ukrainian = editions
    en_article = make_article(english, title="Grid repaired")
    uk_article = make_article(ukrainian, title="Мережу відновили")
    for article in (en_article, uk_article):
        issue_correction(article, CorrectionKind.UPDATE, "More details.")

    def listed(url):
        page = soup(client.get(url))
        return [a.get_text() for a in page.select(".correction-list .teaser__title a")]

    assert listed("/uk/corrections/") == ["Мережу відновили"]
    assert listed("/corrections/") == ["Grid repaired"]


def sidebar_titles(page, box):
    return [
        a.get_text(strip=True)
        for a in page.select(f".{box} .teaser__title a, .{box} li > a")
    ]


def test_most_popular_is_ranked_per_edition(client, editions):
    _, _, english, ukrainian = editions
    en_article = make_article(english, title="Grid repaired")
    uk_article = make_article(ukrainian, title="Мережу відновили")
    today = timezone.localdate()
    DailyArticleViews.objects.create(article=en_article, day=today, view_count=50)
    DailyArticleViews.objects.create(article=uk_article, day=today, view_count=5)
    assert refresh_most_popular(7) == 2
    cache.reset()

    uk = soup(client.get("/uk/latest/"))
    en = soup(client.get("/latest/"))

    assert set(sidebar_titles(uk, "most-popular")) == {"Мережу відновили"}
    assert set(sidebar_titles(en, "most-popular")) == {"Grid repaired"}


def test_editors_picks_show_the_picks_of_the_edition(client, editions):
    _, _, english, ukrainian = editions
    en_article = make_article(english, title="Grid repaired")
    uk_article = make_article(ukrainian, title="Мережу відновили")
    curation, _ = CurationSettings.objects.get_or_create(
        site=Site.objects.get(is_default_site=True)
    )
    for order, article in enumerate([en_article, uk_article]):
        EditorsPick.objects.create(settings=curation, article=article, sort_order=order)
    cache.reset()

    uk = soup(client.get("/uk/latest/"))
    en = soup(client.get("/latest/"))

    assert sidebar_titles(uk, "editors-picks") == ["Мережу відновили"]
    assert sidebar_titles(en, "editors-picks") == ["Grid repaired"]


def queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_ukrainian_listings_cost_the_same_for_few_and_many_articles(client, editions):
    author, tag, _, ukrainian = editions
    urls = ["/uk/tags/energy/", "/uk/authors/olena-koval/", "/uk/latest/"]
    measured = []
    for n in (1, 6):
        for _ in range(n):
            co_author = AuthorFactory()
            translate_author(co_author, "uk", name="Співавтор")
            make_article(ukrainian, authors=[author, co_author], tags=[tag])
        cache.reset()
        measured.append([queries(client, url) for url in urls])
    assert measured[0] == measured[1]


def test_related_stories_come_from_the_articles_edition(editions):
    from masthead.content.services import refresh_related

    _, tag, english, ukrainian = editions
    english_story = make_article(english, tags=[tag])
    ukrainian_story = make_article(ukrainian, tags=[tag])
    article = make_article(ukrainian, tags=[tag])

    related = refresh_related(article)

    assert ukrainian_story.pk in related
    assert english_story.pk not in related
