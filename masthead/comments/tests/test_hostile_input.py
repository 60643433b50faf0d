"""Whatever a client sends, the comments' URLs answer 4xx, never 500 (STYLE 2)."""

import pytest
from django.test import Client

from masthead.comments.factories import CommentFactory
from masthead.comments.links import read_stop_replies_token

from .conftest import form

pytestmark = pytest.mark.django_db

# Past the largest integer SQLite stores: the lookup itself overflowed.
HUGE = "9" * 25


@pytest.mark.parametrize(
    "url",
    [
        f"/comments/{HUGE}/",
        f"/comments/{HUGE}/fragment/",
        f"/uk/comments/{HUGE}/",
        f"/account/comments/new/{HUGE}/",
        f"/account/comments/{HUGE}/reply/",
        f"/account/comments/{HUGE}/edit/",
        f"/account/comments/{HUGE}/delete/",
        f"/account/comments/{HUGE}/report/",
    ],
)
def test_huge_ids_are_not_found(signed_in, url):
    assert signed_in.get(url).status_code == 404
    assert signed_in.head(url).status_code == 404


def test_huge_article_id_in_the_admin_is_not_found(admin_client, settings):
    settings.MASTHEAD_2FA_ENABLED = False
    url = f"/admin/comments/article/{HUGE}/"
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url, {"is_closed": "on"}).status_code == 404


def test_huge_article_id_signed_out_is_not_found(client):
    assert client.post(f"/account/comments/new/{HUGE}/", form("x")).status_code == 404


@pytest.mark.parametrize(
    "token",
    [
        "1-%C3%A9",  # a non-ASCII signature: compare_digest refused it
        "1-" + "%C3%A9" * 32,
        "%D9%A1%D9%A2-abc",  # Arabic-Indic digits count as digits
        "-",
        "1-",
        HUGE + "-abc",
        "%00-abc",
    ],
)
def test_malformed_stop_tokens_are_not_found(client, token):
    url = f"/account/comments/replies/stop/{token}/"
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


@pytest.mark.parametrize("token", ["1-é", "1-\x00", "١-abc", "", "1-" + "é" * 32])
def test_malformed_stop_token_reads_as_none(token):
    assert read_stop_replies_token(token) is None


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"text": ""},
        {"text": "   "},
        {"text": "a\x00b"},
        {"text": "Fine.", "shown": "é:é:é"},
        {"text": "Fine.", "shown": "x" * 5000},
        {"text": "Fine.", "website": "\x00"},
    ],
)
def test_malformed_comment_forms_are_answered(signed_in, article, data):
    response = signed_in.post(f"/account/comments/new/{article.pk}/", data)
    assert response.status_code in {200, 302, 400}


@pytest.mark.parametrize(
    "data", [{}, {"reason": "bogus"}, {"reason": "spam", "note": "\x00"}]
)
def test_malformed_reports_are_form_errors(signed_in, other, article, data):
    theirs = CommentFactory(article=article, member=other)
    response = signed_in.post(f"/account/comments/{theirs.pk}/report/", data)
    assert response.status_code == 400


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_other_methods_are_not_allowed(signed_in, member, article, method):
    mine = CommentFactory(article=article, member=member)
    for url in (
        f"/comments/{article.pk}/",
        f"/comments/{article.pk}/fragment/",
        f"/account/comments/new/{article.pk}/",
        f"/account/comments/{mine.pk}/edit/",
        "/account/comments/preferences/",
    ):
        assert getattr(signed_in, method)(url).status_code == 405, url


def test_every_write_needs_the_csrf_token(member, other, article):
    browser = Client(enforce_csrf_checks=True)
    from .conftest import sign_in

    sign_in(browser, member)
    mine = CommentFactory(article=article, member=member)
    theirs = CommentFactory(article=article, member=other)
    for url, data in [
        (f"/account/comments/new/{article.pk}/", form("x")),
        (f"/account/comments/{theirs.pk}/reply/", form("x")),
        (f"/account/comments/{mine.pk}/edit/", {"text": "y"}),
        (f"/account/comments/{mine.pk}/delete/", {}),
        (f"/account/comments/{theirs.pk}/report/", {"reason": "spam"}),
        ("/account/comments/preferences/", {}),
    ]:
        assert browser.post(url, data).status_code == 403, url
