"""An article readers may not see has no comments anywhere (content/visibility.py):
not on the public pages, not on the member's own, not in a reply e-mail."""

import pytest
from django.core import mail
from wagtail.models import PageViewRestriction

from masthead.cache.tests.reader import get_as_reader
from masthead.comments import moderation
from masthead.comments.factories import CommentFactory
from masthead.comments.models import Comment, CommentReport, CommentStatus
from masthead.content.models import ArticlePage

# The hidden states as the visibility rule's own test makes them (#12).
from masthead.content.tests.test_visibility import (
    make_draft,
    make_embargoed,
    make_private_by_password,
    make_private_to_group,
    make_scheduled,
    make_unpublished,
)

from .conftest import form, soup, text_of

pytestmark = pytest.mark.django_db


def make_private_section(article):
    PageViewRestriction.objects.create(
        page=article.get_parent(), restriction_type=PageViewRestriction.LOGIN
    )


STATES = {
    "draft": make_draft,
    "scheduled": make_scheduled,
    "embargoed": make_embargoed,
    "private by password": make_private_by_password,
    "private to a group": make_private_to_group,
    "in a private section": make_private_section,
    "unpublished": make_unpublished,
}


@pytest.fixture(params=STATES)
def hidden(request, article, member, other, django_capture_on_commit_callbacks):
    """The article with a comment by ``other`` and one by ``member``, then hidden."""
    theirs = CommentFactory(article=article, member=other, text="Their words.")
    mine = CommentFactory(article=article, member=member, text="My words.")
    with django_capture_on_commit_callbacks(execute=True):
        STATES[request.param](ArticlePage.objects.get(pk=article.pk))
    return {"article": article, "theirs": theirs, "mine": mine}


def test_public_pages_are_not_found(client, hidden):
    article = hidden["article"]
    for url in (
        f"/comments/{article.pk}/",
        f"/comments/{article.pk}/fragment/",
        f"/uk/comments/{article.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Their words." not in response.content


def test_member_pages_are_not_found_and_nothing_is_written(signed_in, post, hidden):
    article, theirs, mine = hidden["article"], hidden["theirs"], hidden["mine"]
    pages = {
        f"/account/comments/new/{article.pk}/": form("Hello?"),
        f"/account/comments/{theirs.pk}/reply/": form("Hello?"),
        f"/account/comments/{theirs.pk}/report/": {"reason": "spam"},
        f"/account/comments/{mine.pk}/edit/": {"text": "Changed."},
    }
    for url, data in pages.items():
        assert signed_in.get(url).status_code == 404, url
        assert post(signed_in, url, data).status_code == 404, url
    assert Comment.objects.count() == 2
    assert not CommentReport.objects.exists()
    mine.refresh_from_db()
    assert mine.text == "My words."


def test_own_list_keeps_the_comment_but_not_the_article(signed_in, hidden):
    article = hidden["article"]
    page = soup(signed_in.get("/account/comments/"))
    item = page.select_one("main .my-comments__item")
    assert text_of(item.select_one(".comment__text")) == "My words."
    assert article.title not in text_of(item)
    assert not item.select(f'a[href="/comments/{article.pk}/"]')
    # The member may still delete it: it is their own text.
    assert item.select(f'a[href="/account/comments/{hidden["mine"].pk}/delete/"]')


def test_no_reply_email_about_a_hidden_article(
    other, member, article, django_capture_on_commit_callbacks
):
    moderation.set_article_options(article.pk, is_closed=False, moderation="pre")
    parent = CommentFactory(article=article, member=other)
    reply = CommentFactory(
        article=article, member=member, parent=parent, status=CommentStatus.PENDING
    )
    article.unpublish()

    with django_capture_on_commit_callbacks(execute=True):
        moderation.approve(reply, by=None)

    assert mail.outbox == []


@pytest.mark.parametrize("state", STATES)
def test_cached_comment_pages_go_with_the_article(
    page_cache, article, state, django_capture_on_commit_callbacks
):
    CommentFactory(article=article, text="Cached words.")
    urls = [f"/comments/{article.pk}/", f"/comments/{article.pk}/fragment/"]
    for url in urls:
        get_as_reader(page_cache, url)
        assert b"Cached words." in get_as_reader(page_cache, url)[2]

    with django_capture_on_commit_callbacks(execute=True):
        STATES[state](ArticlePage.objects.get(pk=article.pk))

    for url in urls:
        status, _headers, body = get_as_reader(page_cache, url)
        assert status.startswith("404"), (url, status)
        assert b"Cached words." not in body
