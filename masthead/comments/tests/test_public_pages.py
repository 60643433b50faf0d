"""What every reader sees: the comments page, its fragment, the article's slot."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from masthead import cache
from masthead.cache import STATUS_HEADER
from masthead.cache.tests.reader import get_as_reader
from masthead.comments import moderation
from masthead.comments.factories import CommentFactory
from masthead.comments.models import CommentStatus, comments_tag
from masthead.members.factories import MemberFactory
from masthead.newsroom.services import EDITOR

from .conftest import form, soup, text_of

pytestmark = pytest.mark.django_db


# The article, its options, the site's setting, the threads and their count,
# their replies, and which of their authors are staff; fixed, whatever the
# number of comments, replies and authors.
PAGE_QUERIES = 7


def shown(response) -> list[str]:
    """The text of each comment on a page, placeholders included, in order."""
    return [
        text_of(item.select_one(".comment__text, .comment__placeholder"))
        for item in soup(response).select("li.comment")
    ]


def header(headers, name: str) -> str:
    return ", ".join(value for key, value in headers if key.lower() == name.lower())


def test_page_shows_visible_comments_in_threads(client, article):
    top = CommentFactory(article=article, text="Top.")
    CommentFactory(article=article, parent=top, text="A reply.")
    CommentFactory(article=article, text="Waiting.", status=CommentStatus.PENDING)
    CommentFactory(article=article, text="Hidden.", status=CommentStatus.HIDDEN)

    response = client.get(f"/comments/{article.pk}/")

    assert response.status_code == 200
    assert shown(response) == ["Top.", "A reply."]
    page = soup(response)
    reply = page.select_one("li.comment > ol.comment-replies > li.comment")
    assert text_of(reply.select_one(".comment__text")) == "A reply."
    assert page.select_one("main a[href]")["href"] == article.url
    assert page.select_one("meta[name=robots]")["content"] == "noindex, follow"


def test_public_pages_are_cacheable_and_tagged(client, article):
    for url in (f"/comments/{article.pk}/", f"/comments/{article.pk}/fragment/"):
        response = client.get(url)
        assert "public" in response["Cache-Control"]
        assert not response.cookies
        assert "Cookie" not in response.get("Vary", "")
        tags = response[cache.TAGS_HEADER].split()
        assert {comments_tag(article.pk), f"article-{article.pk}"} <= set(tags)
    fragment = client.get(f"/comments/{article.pk}/fragment/")
    assert fragment["X-Robots-Tag"] == "noindex"
    assert soup(fragment).select_one("html > body > h1") is None


def test_deleted_or_hidden_first_comment_keeps_its_replies(client, article):
    deleted = CommentFactory(article=article, status=CommentStatus.DELETED, text="")
    CommentFactory(article=article, parent=deleted, text="Reply one.")
    hidden = CommentFactory(article=article, status=CommentStatus.HIDDEN)
    CommentFactory(article=article, parent=hidden, text="Reply two.")
    CommentFactory(article=article, status=CommentStatus.DELETED, text="")

    response = client.get(f"/comments/{article.pk}/")

    assert shown(response) == ["[deleted]", "Reply one.", "[hidden]", "Reply two."]


def test_script_and_markup_are_shown_as_text(client, article):
    CommentFactory(article=article, text='<script>alert("x")</script> <b>bold</b>')

    response = client.get(f"/comments/{article.pk}/")

    body = soup(response).select_one(".comment__text")
    assert body.select("script, b") == []
    assert text_of(body) == '<script>alert("x")</script> <b>bold</b>'


def test_links_are_nofollow_ugc_and_http_only(client, article):
    CommentFactory(
        article=article,
        text="See https://example.org/report and mail me@example.net or www.x.org",
    )
    links = soup(client.get(f"/comments/{article.pk}/")).select(".comment__text a")
    assert [(a["href"], a["rel"]) for a in links] == [
        ("https://example.org/report", ["nofollow", "ugc", "noopener"])
    ]


def test_no_email_address_in_public_html(client, article):
    named = MemberFactory(email="named@example.org", name="Nam Ed")
    nameless = MemberFactory(email="nameless@example.org", name="")
    CommentFactory(article=article, member=named)
    CommentFactory(article=article, member=nameless)

    for url in (f"/comments/{article.pk}/", f"/comments/{article.pk}/fragment/"):
        response = client.get(url)
        assert b"@example.org" not in response.content
        authors = [text_of(a) for a in soup(response).select(".comment__author")]
        assert authors == ["Nam Ed", "Member"]


def test_staff_badge_for_an_active_staff_users_address(
    client, article, django_user_model
):
    editor = django_user_model.objects.create_user(
        "ed", email="Ed@Example.org", password="a-long-pass"
    )
    editor.groups.add(Group.objects.get(name=EDITOR))
    django_user_model.objects.create_user(
        "gone", email="gone@example.org", is_active=False, is_superuser=True
    )
    CommentFactory(article=article, member=MemberFactory(email="ed@example.org"))
    CommentFactory(article=article, member=MemberFactory(email="gone@example.org"))
    CommentFactory(article=article, member=MemberFactory(email="reader@example.org"))

    items = soup(client.get(f"/comments/{article.pk}/")).select("li.comment")

    assert [bool(item.select(".comment__badge")) for item in items] == [
        True,
        False,
        False,
    ]


def test_page_costs_the_same_queries_whatever_it_shows(client, article):
    def count() -> int:
        client.get(f"/comments/{article.pk}/")  # warm the kept site
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/comments/{article.pk}/").status_code == 200
        return len(queries)

    top = CommentFactory(article=article)
    CommentFactory(article=article, parent=top)
    few = count()
    for _ in range(5):
        more = CommentFactory(article=article)
        CommentFactory.create_batch(2, article=article, parent=more)
    assert count() == few == PAGE_QUERIES


def test_long_discussions_are_paginated(client, article, settings):
    settings.MASTHEAD_COMMENTS_PAGE_SIZE = 2
    for n in range(3):
        CommentFactory(article=article, text=f"Thread {n}.")

    first = client.get(f"/comments/{article.pk}/")
    second = client.get(f"/comments/{article.pk}/?page=2")
    fragment = client.get(f"/comments/{article.pk}/fragment/")

    assert shown(first) == ["Thread 0.", "Thread 1."]
    assert shown(second) == ["Thread 2."]
    assert soup(first).select_one("a[rel=next]")["href"] == "?page=2"
    more = soup(fragment).select_one(".comments__more a")["href"]
    assert more == f"/comments/{article.pk}/?page=2"
    assert client.get(f"/comments/{article.pk}/?page=9").status_code == 404


def test_unpublished_or_unknown_article_has_no_comments_page(client, article):
    assert client.get("/comments/999999/").status_code == 404
    article.unpublish()
    assert client.get(f"/comments/{article.pk}/").status_code == 404
    assert client.get(f"/comments/{article.pk}/fragment/").status_code == 404


def test_closed_article_says_so_and_offers_no_reply(client, article):
    CommentFactory(article=article)
    moderation.set_article_options(article.pk, is_closed=True, moderation="")

    page = soup(client.get(f"/comments/{article.pk}/"))

    assert "closed" in text_of(page.select_one(".comments__notice"))
    assert page.select(f'a[href="/account/comments/new/{article.pk}/"]') == []
    assert [text_of(a) for a in page.select(".comment__actions a")] == [
        "Report the comment by Member"
    ]


def test_ukrainian_edition_has_its_own_comments_page(client, article):
    response = client.get(f"/uk/comments/{article.pk}/")
    assert response.status_code == 200
    assert soup(response).select_one("html")["lang"] == "uk"


def test_fragment_is_the_same_for_every_reader(page_cache, signed_in, article):
    CommentFactory(article=article, text="Shared.")
    cookie = "; ".join(f"{name}={c.value}" for name, c in signed_in.cookies.items())
    assert settings.MASTHEAD_MEMBER_SESSION_COOKIE in cookie
    url = f"/comments/{article.pk}/fragment/"

    first = get_as_reader(page_cache, url, cookie)
    anonymous = get_as_reader(page_cache, url)

    assert first[0].startswith("200")
    assert header(anonymous[1], STATUS_HEADER) == "hit"
    assert "set-cookie" not in {name.lower() for name, _ in first[1]}
    assert first[2] == anonymous[2]


def test_new_comment_purges_the_cached_fragment(page_cache, signed_in, post, article):
    url = f"/comments/{article.pk}/fragment/"
    get_as_reader(page_cache, url)
    assert header(get_as_reader(page_cache, url)[1], STATUS_HEADER) == "hit"

    post(signed_in, f"/account/comments/new/{article.pk}/", form("Fresh news."))

    _status, headers, body = get_as_reader(page_cache, url)
    assert header(headers, STATUS_HEADER) != "hit"
    assert shown(body) == ["Fresh news."]


def render_slot(article) -> str:
    request = RequestFactory().get(article.url)
    template = Template('{% include "comments/slot.html" %}')
    return template.render(Context({"page": article, "request": request}))


def test_slot_links_to_the_page_and_names_the_fragment(article):
    page = soup(render_slot(article))
    section = page.select_one("section#comments")
    heading = section.select_one("h2")
    assert section["aria-labelledby"] == heading["id"]
    assert text_of(heading) == "Comments"
    assert section["data-comments-fragment"] == f"/comments/{article.pk}/fragment/"
    assert section.select_one("a")["href"] == f"/comments/{article.pk}/"
    script = page.select_one("script[src]")
    assert script["src"].endswith("masthead/comments.js")
    assert script.has_attr("defer")
    assert not page.select("script:not([src])")


def test_slot_says_when_comments_are_closed_and_costs_no_query_when_warm(article):
    assert "closed" not in render_slot(article)
    moderation.set_article_options(article.pk, is_closed=True, moderation="")
    cache.reset()
    assert "Comments are closed" in render_slot(article)
    with CaptureQueriesContext(connection) as queries:
        render_slot(article)
    assert len(queries) == 0


def test_slot_of_an_unsaved_article_is_empty():
    # A new article's preview, before its first save, has no id to link to.
    from masthead.content.models import ArticlePage

    assert render_slot(ArticlePage(title="Not saved yet")).strip() == ""


def test_unseen_text_is_in_neither_page_nor_fragment(client, article):
    top = CommentFactory(article=article, text="Top.")
    CommentFactory(article=article, parent=top, text="Secret reply.", status="hidden")
    waiting = CommentFactory(article=article, text="Secret waiting.", status="pending")
    CommentFactory(article=article, parent=waiting, text="Visible under it.")
    gone = CommentFactory(article=article, text="Secret hidden.", status="hidden")
    CommentFactory(article=article, parent=gone, text="Also visible.")

    for url in (f"/comments/{article.pk}/", f"/comments/{article.pk}/fragment/"):
        response = client.get(url)
        assert b"Secret" not in response.content, url
        assert shown(response) == [
            "Top.",
            "[hidden]",
            "Visible under it.",
            "[hidden]",
            "Also visible.",
        ]
