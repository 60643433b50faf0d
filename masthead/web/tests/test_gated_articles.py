"""Gated articles (#17): who reads the whole body, and the rest never sent.

The article's gated part carries a word found nowhere else; each place a
reader, a feed reader, a crawler or a mail client can reach is checked on
its raw bytes for it. Access passes are signed here as the account pages
sign them (core/grants.py).
"""

import json
import time

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.test import Client

from masthead.content.factories import make_article, make_section
from masthead.content.models import ArticlePage
from masthead.content.visibility import Access, may_read
from masthead.core import grants
from masthead.newsletters.rendering import article_context
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory

pytestmark = pytest.mark.django_db

OPEN = "Floodplain surveyors counted"
SECRET = "Zanzibarine"
PAID_TIER, OTHER_TIER = 7, 8


def gated_body():
    return [
        ("paragraph", f"<p>{OPEN} the dams.</p>"),
        ("members_only", None),
        ("paragraph", f"<p>The {SECRET} ledger shows the spending.</p>"),
    ]


def pass_cookie(*tiers: int, until: float | None = None) -> str:
    grant = grants.Grant(frozenset(tiers))
    return grants.sign(grant, until if until is not None else time.time() + 3600)


def reader(*tiers: int, **kwargs) -> Client:
    client = Client()
    client.cookies["masthead_access"] = pass_cookie(*tiers, **kwargs)
    return client


@pytest.fixture
def article(django_capture_on_commit_callbacks) -> ArticlePage:
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(
            make_section("Economy", "economy"),
            authors=[AuthorFactory()],
            tags=[TagFactory()],
            title="Where the dam money went",
            body=gated_body(),
            access=Access.PAID,
        )


def test_the_body_is_stored_in_two_parts(article):
    assert OPEN in article.body_html and SECRET not in article.body_html
    assert SECRET in article.gated_html and OPEN not in article.gated_html
    # The read time counts the whole article.
    assert article.word_count >= len(f"{OPEN} the dams. The {SECRET} ledger".split())


def test_an_open_article_keeps_the_whole_body_for_everyone(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(body=gated_body())
    assert SECRET in article.body_html and article.gated_html == ""
    assert not article.is_gated


def test_without_a_marker_the_whole_body_is_gated(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(
            body=[("paragraph", f"<p>{SECRET}</p>")], access=Access.MEMBERS
        )
    assert article.body_html == "" and SECRET in article.gated_html


def page(client: Client, article: ArticlePage) -> tuple[BeautifulSoup, object]:
    response = client.get(article.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser"), response


def test_a_reader_without_a_pass_gets_the_preview_and_the_invitation(article):
    soup, response = page(Client(), article)
    assert SECRET.encode() not in response.content
    assert OPEN in soup.select_one(".article__body").get_text()
    call = soup.select_one(".membership-call.article-gated")
    assert call is not None
    links = [a["href"] for a in call.find_all("a")]
    assert f"/membership/?next={article.url}" in links[0].replace("%2F", "/")
    assert links[1].startswith("/account/access/?next=")
    assert "public" in response["Cache-Control"]
    # A browser that kept the preview asks again once it holds a pass.
    assert "Cookie" in response["Vary"]


def test_paid_members_read_it_all_on_a_page_no_shared_cache_keeps(article):
    soup, response = page(reader(PAID_TIER), article)
    gated = soup.select_one(".article__body.article-gated")
    assert gated is not None and SECRET in gated.get_text()
    assert soup.select_one(".membership-call") is None
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_the_json_ld_marks_the_gated_part(article):
    soup, _ = page(Client(), article)
    blocks = [
        json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')
    ]
    news = next(b for b in blocks if "headline" in b)
    assert news["isAccessibleForFree"] is False
    assert news["hasPart"] == {
        "@type": "WebPageElement",
        "isAccessibleForFree": False,
        "cssSelector": ".article-gated",
    }
    assert SECRET not in json.dumps(blocks)


def test_an_open_article_is_free_in_json_ld(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article()
    soup, _ = page(Client(), article)
    blocks = [
        json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')
    ]
    news = next(b for b in blocks if "headline" in b)
    assert news["isAccessibleForFree"] is True and "hasPart" not in news


@pytest.mark.parametrize(
    ("access", "tiers", "cookie_tiers", "reads"),
    [
        (Access.EVERYONE, [], None, True),
        (Access.MEMBERS, [], None, False),
        (Access.MEMBERS, [], (), True),
        (Access.PAID, [], (), False),
        (Access.PAID, [], (OTHER_TIER,), True),
        (Access.TIERS, [PAID_TIER], (OTHER_TIER,), False),
        (Access.TIERS, [PAID_TIER], (OTHER_TIER, PAID_TIER), True),
        ("a level from the future", [], (PAID_TIER,), False),
    ],
)
def test_who_reads_it_all(access, tiers, cookie_tiers, reads):
    article = ArticlePage(access=access, access_tiers=tiers)
    grant = None if cookie_tiers is None else grants.Grant(frozenset(cookie_tiers))
    assert may_read(article, grant) is reads


@pytest.mark.parametrize(
    "cookie",
    [
        pass_cookie(PAID_TIER, until=time.time() - 1),
        pass_cookie(PAID_TIER)[:-2] + "xx",
        "not-a-pass",
        "é" * 40,
    ],
    ids=["expired", "forged signature", "garbage", "non-ascii"],
)
def test_a_pass_that_is_not_valid_reads_the_preview(article, cookie):
    client = Client()
    client.cookies["masthead_access"] = cookie
    soup, response = page(client, article)
    assert SECRET.encode() not in response.content
    assert soup.select_one(".membership-call") is not None


def test_staff_read_it_all(article):
    staff = get_user_model().objects.create_user(
        "ed", "ed@example.com", "x", is_staff=True
    )
    client = Client()
    client.force_login(staff)
    _, response = page(client, article)
    assert SECRET.encode() in response.content
    assert "public" not in response["Cache-Control"]


def test_the_editor_can_set_the_level_in_the_form(article):
    from masthead.content.forms import ArticlePageForm  # noqa: F401 - the form class

    form_class = ArticlePage.get_edit_handler().get_form_class()
    assert {"access", "access_tiers"} <= set(form_class.base_fields)


def test_the_rest_is_sent_nowhere_but_the_article_page_of_a_reader_with_access(
    article, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        neighbour = make_article(
            article.section,
            title="Next door",
            body=[("related_article", {"article": article})],
        )
    author = article.ordered_authors()[0]
    tag = article.ordered_tags()[0]
    places = {
        "article page": article.url,
        "home": "/",
        "section": article.section.url,
        "author": author.get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "RSS": "/feeds/rss/",
        "Atom": "/feeds/atom/",
        "JSON Feed": "/feeds/json/",
        "section RSS": "/feeds/section/economy/rss/",
        "News sitemap": "/news-sitemap.xml",
        "articles sitemap": "/sitemap-articles.xml",
        "search for the open words": "/search/?q=Floodplain",
        "related card": neighbour.url,
    }
    client = Client()
    for name, url in places.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert SECRET.encode() not in response.content, name
    # Search finds the article by its open words, never by the rest.
    found = BeautifulSoup(client.get("/search/?q=Floodplain").content, "html.parser")
    assert len(found.select(".search-result")) == 1
    hidden = BeautifulSoup(client.get(f"/search/?q={SECRET}").content, "html.parser")
    assert hidden.select(".search-result") == []
    # The feeds carry the open part and say the rest is for members.
    rss = client.get("/feeds/rss/").content.decode()
    assert OPEN in rss and "The rest of this article is for members." in rss
    # A "publish and send" newsletter goes to every tier: the open part only.
    mail = article_context(article)
    assert mail["is_gated"] and SECRET not in json.dumps(mail)
    assert OPEN in mail["body_html"]
