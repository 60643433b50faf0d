"""Build the seed article in Masthead and check every element of the page.

Reads ../shared/seed/ at test time; skips only when that folder is absent.
"""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import Site

from masthead.analytics.services import record_view, refresh_most_popular
from masthead.content.factories import make_article, make_section
from masthead.content.models import CurationSettings, EditorsPick
from masthead.core.factories import LibraryImageFactory, image_file
from masthead.core.models import SiteSettings
from masthead.feed.factories import NewsFeedItemFactory
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory
from masthead.taxonomy.models import TagType
from tests import seed

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not seed.SEED_DIR.is_dir(),
        reason=f"seed folder {seed.SEED_DIR} is absent: nothing to rebuild",
    ),
]

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126 Safari/537.36"
KYIV = ZoneInfo("Europe/Kyiv")
# The seed does not say what each tag is; a newsroom would file them so.
TAG_TYPES = {
    "Russia": TagType.PLACE,
    "United States": TagType.PLACE,
    "Sergey Lavrov": TagType.PERSON,
    "Marco Rubio": TagType.PERSON,
    "United Nations": TagType.ORGANISATION,
}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def seed_day(label: str) -> date:
    """The most recent date whose 'Weekday, Month D' matches the seed's label."""
    today = timezone.localdate()
    for year in range(today.year, today.year - 15, -1):
        parsed = datetime.strptime(f"{label} {year}", "%A, %B %d %Y").date()
        if parsed <= today and parsed.strftime("%A") == label.split(",")[0]:
            return parsed
    raise AssertionError(f"no recent year has {label}")


@pytest.fixture
def page(client):
    data = seed.load()
    day = seed_day(data.feed_day)
    published_at = datetime.combine(day, time(14, 5), KYIV)

    site = Site.objects.get(is_default_site=True)
    SiteSettings.objects.update_or_create(
        site=site,
        defaults={
            "publication_name": data.card_publisher,
            "logo": LibraryImageFactory(file=image_file(480, 96), description=""),
            "logo_alt": f"{data.card_publisher} logo",
            "short_logo": LibraryImageFactory(file=image_file(96, 96), description=""),
            "short_logo_alt": f"{data.card_publisher} short logo",
            "footer_links": [
                ("link", {"label": "About us", "url": "https://example.org/about"})
            ],
        },
    )
    section = make_section("News", "news")
    author = AuthorFactory(
        name=data.author_name,
        slug=slugify(data.author_name),
        job_title=data.author_job_title,
        bio=data.author_bio,
    )
    card_author = AuthorFactory(name=data.card_author, slug=slugify(data.card_author))
    related = make_article(
        section,
        authors=[card_author],
        title=data.card_title,
        slug=slugify(data.card_title),
        standfirst=data.card_description,
        hero_image=LibraryImageFactory(),
        published_at=published_at.replace(hour=10),
    )
    tags = [
        TagFactory(
            name=name, slug=slugify(name), tag_type=TAG_TYPES.get(name, TagType.TOPIC)
        )
        for name in data.tags
    ]
    hero = LibraryImageFactory(
        file=image_file(1600, 900), description=data.hero_alt, credit=data.hero_credit
    )
    body = [("paragraph", f"<p>{text}</p>") for text in data.paragraphs]
    body.append(("related_article", {"article": related}))
    article = make_article(
        section,
        authors=[author],
        tags=tags,
        title=data.headline,
        slug=slugify(data.headline),
        standfirst="",
        hero_image=hero,
        hero_caption=data.hero_caption,
        body=body,
        published_at=published_at,
    )
    NewsFeedItemFactory(
        headline=data.feed_headline,
        body=f"<p>{data.feed_body}</p>",
        published_at=published_at.replace(hour=16),
    )
    curation, _ = CurationSettings.objects.get_or_create(site=site)
    EditorsPick.objects.create(settings=curation, article=related, sort_order=0)
    record_view(article.pk, BROWSER)
    refresh_most_popular(7)

    client.get(article.url)  # renditions are made on first view
    response = client.get(article.url)
    assert response.status_code == 200
    return data, article, related, BeautifulSoup(response.content, "html.parser")


def text_of(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def test_header_has_full_and_short_logo_and_news_feed_link(page):
    data, *_, soup = page
    assert soup.html["lang"] == "en"
    header = soup.select_one("header.site-header")
    logo = header.select_one("a.site-logo img")
    assert logo["alt"] == f"{data.card_publisher} logo"
    short = header.select_one("a.site-logo picture source")
    assert "max-width" in short["media"]
    assert short["srcset"] != logo["src"]
    feed_link = next(a for a in header.find_all("a") if text_of(a) == "News Feed")
    assert feed_link["href"] == "/news-feed/"


def test_headline_read_time_and_byline(page):
    data, article, _, soup = page
    assert text_of(soup.select_one("h1")) == data.headline
    assert (
        text_of(soup.select_one(".article__read-time")) == f"{data.read_time} min read"
    )
    byline = soup.select_one(".byline")
    link = byline.select_one("a[rel=author]")
    assert text_of(link) == data.author_name
    assert link["href"] == f"/authors/{slugify(data.author_name)}/"
    assert byline.select_one("img.avatar")["alt"] == data.author_name
    published = soup.select_one(".article__dates time")
    assert datetime.fromisoformat(published["datetime"]) == article.published_at


def test_hero_image_with_caption_and_credit_apart(page):
    data, _, _, soup = page
    figure = soup.select_one("figure.article__hero")
    image = figure.select_one("img")
    assert image["alt"] == data.hero_alt
    assert (
        image.has_attr("srcset")
        and image.has_attr("width")
        and image.has_attr("height")
    )
    assert text_of(figure.select_one(".caption")) == data.hero_caption
    credit = text_of(figure.select_one(".credit"))
    assert data.hero_credit in credit
    assert data.hero_credit not in text_of(figure.select_one(".caption"))


def test_body_paragraphs_in_seed_order_then_related_card(page):
    data, _, related, soup = page
    body = soup.select_one(".article__body")
    paragraphs = [text_of(p) for p in body.find_all("p", recursive=True)]
    assert paragraphs == data.paragraphs
    card = body.select_one(".related-card")
    assert card.select_one("a")["href"] == related.url
    assert text_of(card.select_one(".related-card__title")) == data.card_title
    assert (
        text_of(card.select_one(".related-card__description")) == data.card_description
    )
    assert text_of(card.select_one(".related-card__publisher")) == data.card_publisher
    assert text_of(card.select_one(".related-card__author")) == data.card_author
    assert card.select_one("img")["alt"]


def test_five_tags_link_to_their_pages(page):
    data, _, _, soup = page
    links = soup.select(".article__tags a")
    assert [text_of(a) for a in links] == data.tags
    assert len(links) == 5
    assert [a["href"] for a in links] == [f"/tags/{slugify(t)}/" for t in data.tags]


def test_author_box(page):
    data, _, _, soup = page
    box = soup.select_one(".author-box")
    assert box.select_one("img")["alt"] == data.author_name
    assert text_of(box.select_one(".author-box__name")) == data.author_name
    assert text_of(box.select_one(".author-box__job")) == data.author_job_title
    assert text_of(box.select_one(".author-box__bio")) == data.author_bio
    more = box.select_one(".author-box__more")
    assert text_of(more).startswith("Read more")
    assert more["href"] == f"/authors/{slugify(data.author_name)}/"


def test_sidebar_most_popular_news_feed_and_editors_picks(page):
    data, _article, _related, soup = page
    aside = soup.select_one("aside.page-aside")
    headings = [text_of(h) for h in aside.select("h2")]
    assert headings == ["Most Popular", "News Feed", "Editors' Picks"]
    popular = [text_of(a) for a in aside.select(".most-popular__list--week li a")]
    assert popular == [data.headline]
    day = aside.select_one(".feed-day")
    assert text_of(day) == data.feed_day
    assert day.select_one("time")["datetime"] == seed_day(data.feed_day).isoformat()
    assert text_of(aside.select_one(".feed-item__headline")) == data.feed_headline
    show_more = aside.find("a", string="Show More")
    assert show_more["href"] == "/news-feed/"
    picks = [text_of(a) for a in aside.select(".editors-picks .teaser__title a")]
    assert picks == [data.card_title]


def test_every_seed_label_and_footer_is_on_the_page(page):
    data, *_, soup = page
    page_text = text_of(soup)
    for label in data.labels:
        assert label in page_text
    assert (
        soup.select_one("footer.site-footer a")["href"] == "https://example.org/about"
    )


def test_every_time_has_datetime_and_every_image_has_alt(page):
    *_, soup = page
    times = soup.find_all("time")
    assert len(times) >= 4
    for element in times:
        datetime.fromisoformat(element["datetime"])
    for image in soup.find_all("img"):
        assert image.get("alt"), f"image without alt text: {image}"
