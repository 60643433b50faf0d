"""An article's own alt text for its hero, per edition (#15, docs/editions.md)."""

import pytest
from bs4 import BeautifulSoup

from masthead.content.editions import translate_page
from masthead.content.factories import home_page, make_article, make_section
from masthead.core.factories import LibraryImageFactory
from masthead.web.context import TeaserBatch

pytestmark = [pytest.mark.django_db]

LIBRARY_ALT = "Workers repair a power line on a snowy field"
UKRAINIAN_ALT = "Робітники лагодять лінію електропередачі на засніженому полі"


@pytest.fixture
def image():
    return LibraryImageFactory(description=LIBRARY_ALT)


@pytest.fixture
def pair(image):
    """An English article and its Ukrainian translation, one library image."""
    english_section = make_section("World", "world")
    home_page("uk")
    translate_page(english_section, "uk", title="Світ", slug="svit")
    english = make_article(
        english_section,
        title="Grid repaired",
        slug="grid-repaired",
        hero_image=image,
        hero_alt_text="Line workers on a pylon above a snowy field",
    )
    ukrainian = translate_page(
        english,
        "uk",
        title="Мережу відновили",
        slug="merezhu-vidnovyly",
        hero_alt_text=UKRAINIAN_ALT,
    )
    return english, ukrainian


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html5lib")


def hero_alt(client, url):
    return page(client, url).select_one("figure.article__hero img")["alt"]


def meta(soup, key):
    found = soup.find("meta", attrs={"property": key}) or soup.find(
        "meta", attrs={"name": key}
    )
    return found["content"] if found else None


def test_each_edition_describes_the_shared_hero_in_its_own_words(client, pair):
    english, ukrainian = pair
    assert english.hero_image_id == ukrainian.hero_image_id
    assert hero_alt(client, english.url) == (
        "Line workers on a pylon above a snowy field"
    )
    assert hero_alt(client, ukrainian.url) == UKRAINIAN_ALT


def test_share_cards_carry_the_articles_alt_text(client, pair):
    _, ukrainian = pair
    soup = page(client, ukrainian.url)
    assert meta(soup, "og:image:alt") == UKRAINIAN_ALT
    assert meta(soup, "twitter:image:alt") == UKRAINIAN_ALT


def test_blank_alt_text_falls_back_to_the_librarys(client, image):
    article = make_article(hero_image=image, hero_alt_text="")
    assert hero_alt(client, article.url) == LIBRARY_ALT
    assert meta(page(client, article.url), "og:image:alt") == LIBRARY_ALT


def test_kept_hero_picture_never_carries_another_articles_alt_text(client, image):
    section = make_section()
    described = make_article(section, hero_image=image, hero_alt_text="Described")
    plain = make_article(section, hero_image=image)
    other = make_article(section, hero_image=image, hero_alt_text="Other words")
    # Warm every kept picture, then read each page again from what was kept.
    for _ in range(2):
        assert hero_alt(client, described.url) == "Described"
        assert hero_alt(client, plain.url) == LIBRARY_ALT
        assert hero_alt(client, other.url) == "Other words"


def test_articles_describing_their_hero_alike_share_its_kept_picture(rf, image):
    from masthead import cache
    from masthead.web.context import hero_fragment_name, kept_pictures

    request = rf.get("/")
    first = kept_pictures(request, image, [], hero_alt=LIBRARY_ALT)
    rendered = []

    def render(missing):
        rendered.extend(missing)
        return {}

    # The blank alt of another article is the library's: the same fragment.
    name = hero_fragment_name(image, LIBRARY_ALT)
    assert name in first
    cache.fragments(request, [name], render)
    assert rendered == []
    assert hero_fragment_name(image, "Other words") != name


@pytest.mark.parametrize("variant", ["wide", "small", "lead"])
def test_teasers_show_the_articles_alt_text(rf, image, variant):
    described = make_article(hero_image=image, hero_alt_text="The article's words")
    plain = make_article(hero_image=image)
    batch = TeaserBatch()
    batch.want("box", [described.pk, plain.pk], 2, variant)
    html = dict(batch.load_html(rf.get("/"))["box"])

    def alt(pk):
        return BeautifulSoup(html[pk], "html5lib").select_one("img")["alt"]

    assert alt(described.pk) == "The article's words"
    assert alt(plain.pk) == LIBRARY_ALT


def test_related_card_describes_the_linked_articles_hero_in_its_words(client, image):
    linked = make_article(hero_image=image, hero_alt_text="The linked article's words")
    card = {"article": linked, "url": "", "title": "", "description": ""}
    article = make_article(
        body=[
            ("paragraph", "<p>Text.</p>"),
            ("related_article", {**card, "publisher": "", "author": ""}),
        ]
    )
    img = page(client, article.url).select_one(".related-card img")
    assert img["alt"] == "The linked article's words"


def test_feeds_describe_the_hero_in_the_articles_words(client, pair):
    import xml.etree.ElementTree as ET

    media = "{http://search.yahoo.com/mrss/}"
    for url, expected in (
        ("/feeds/rss/", "Line workers on a pylon above a snowy field"),
        ("/uk/feeds/rss/", UKRAINIAN_ALT),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        items = ET.fromstring(response.content).findall("channel/item")
        descriptions = [
            item.find(f"{media}content/{media}description") for item in items
        ]
        assert [d.text for d in descriptions if d is not None] == [expected], url
