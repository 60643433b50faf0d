"""Article genres: the label readers see and the schema.org type (#14)."""

import json

import pytest
from bs4 import BeautifulSoup

from masthead.content.factories import make_article, make_section
from masthead.content.models import Genre
from masthead.web.context import TeaserBatch

pytestmark = pytest.mark.django_db

EXPECTED_TYPES = {
    Genre.NEWS: "ReportageNewsArticle",
    Genre.ANALYSIS: "AnalysisNewsArticle",
    Genre.OPINION: "OpinionNewsArticle",
    Genre.EXPLAINER: "BackgroundNewsArticle",
    Genre.INVESTIGATION: "ReportageNewsArticle",
    Genre.INTERVIEW: "NewsArticle",
    Genre.REVIEW: "ReviewNewsArticle",
    Genre.SPONSORED: "AdvertiserContentArticle",
}


def article_json_ld(soup: BeautifulSoup) -> dict:
    blocks = [
        json.loads(script.string or "")
        for script in soup.find_all("script", type="application/ld+json")
    ]
    return next(block for block in blocks if "headline" in block)


def genre_labels(node) -> list[str]:
    return [p.get_text(strip=True) for p in node.select(".genre-label")]


@pytest.mark.parametrize("genre", list(Genre))
def test_article_is_labelled_and_typed_by_its_genre(client, genre):
    article = make_article(genre=genre)
    response = client.get(article.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html5lib")
    assert article_json_ld(soup)["@type"] == EXPECTED_TYPES[genre]
    header = soup.select_one(".article__header")
    if genre == Genre.NEWS:
        # News is the default: no label on every ordinary story.
        assert genre_labels(header) == []
    else:
        assert genre_labels(header) == [genre.label]
        label = header.select_one(".genre-label")
        headline = header.select_one("h1")
        # The label comes before the headline in reading order.
        assert label in headline.find_all_previous("p")


def test_opinion_article_has_its_own_class_and_the_author_first(client):
    article = make_article(genre=Genre.OPINION)
    soup = BeautifulSoup(client.get(article.url).content, "html5lib")
    assert "article--opinion" in soup.select_one("article.article")["class"]
    author = article.ordered_authors()[0]
    above = soup.select_one(".article__opinion-author")
    assert above is not None
    assert above.get_text(strip=True) == author.name
    assert above in soup.select_one("h1").find_all_previous("p")


def test_news_article_has_no_opinion_styling(client):
    soup = BeautifulSoup(client.get(make_article().url).content, "html5lib")
    assert "article--opinion" not in soup.select_one("article.article")["class"]
    assert soup.select_one(".article__opinion-author") is None


def test_sponsored_article_says_so_and_its_outbound_links_are_sponsored(client):
    body = [
        (
            "paragraph",
            '<p>See <a href="https://advertiser.example/offer">the offer</a> '
            'and <a href="/about/">our rules</a>.</p>',
        )
    ]
    article = make_article(genre=Genre.SPONSORED, body=body)
    soup = BeautifulSoup(client.get(article.url).content, "html5lib")
    assert genre_labels(soup.select_one(".article__header")) == ["Sponsored"]
    assert soup.select_one(".article__sponsor-note") is not None
    links = {a["href"]: a.get("rel", []) for a in soup.select(".article__body a")}
    assert "sponsored" in links["https://advertiser.example/offer"]
    assert "sponsored" not in links["/about/"]


def test_outbound_links_of_news_are_not_sponsored(client):
    body = [("paragraph", '<p><a href="https://source.example/">Source</a></p>')]
    article = make_article(body=body)
    soup = BeautifulSoup(client.get(article.url).content, "html5lib")
    assert "sponsored" not in soup.select_one(".article__body a").get("rel", [])


@pytest.mark.parametrize("variant", ["wide", "small", "lead"])
def test_teasers_carry_the_genre_label_before_the_title(rf, variant):
    opinion = make_article(genre=Genre.OPINION)
    news = make_article()
    batch = TeaserBatch()
    batch.want("box", [opinion.pk, news.pk], 2, variant)
    html = dict(batch.load_html(rf.get("/"))["box"])
    opinion_soup = BeautifulSoup(html[opinion.pk], "html5lib")
    assert genre_labels(opinion_soup) == ["Opinion"]
    title = opinion_soup.select_one("h2, h3")
    assert opinion_soup.select_one(".genre-label") in title.find_all_previous("p")
    assert any(
        "--opinion" in c for c in opinion_soup.select_one("li, section")["class"]
    )
    assert genre_labels(BeautifulSoup(html[news.pk], "html5lib")) == []


def test_a_genre_named_like_its_section_is_shown_once(client):
    opinion = make_section("Opinion", "opinion")
    article = make_article(opinion, genre=Genre.OPINION)
    header = BeautifulSoup(client.get(article.url).content, "html5lib").select_one(
        ".article__header"
    )
    kickers = header.select(".article__section, .genre-label")
    assert [p.get_text(strip=True) for p in kickers] == ["Opinion"]
    assert "genre-label--opinion" in kickers[0]["class"]


@pytest.mark.parametrize("variant", ["wide", "small"])
def test_a_teaser_without_a_picture_gives_its_text_the_whole_width(rf, variant):
    from masthead.core.factories import LibraryImageFactory

    pictured = make_article(hero_image=LibraryImageFactory())
    plain = make_article()
    batch = TeaserBatch()
    batch.want("box", [pictured.pk, plain.pk], 2, variant)
    html = dict(batch.load_html(rf.get("/"))["box"])

    def classes(pk):
        return BeautifulSoup(html[pk], "html5lib").select_one("li")["class"]

    # The grid keeps a picture column only for a teaser that has a picture.
    assert "teaser--text-only" in classes(plain.pk)
    assert "teaser--text-only" not in classes(pictured.pk)
