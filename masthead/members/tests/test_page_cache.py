"""A member's cookie does not cost them the cached public pages (#16).

Public pages never load the member session: no ``Vary: Cookie``, no cookie
set, so the page cache (and Varnish, deploy/varnish/masthead.vcl) keep one
copy for every reader, signed in or not. Staff sessions still bypass.
"""

import pytest
from django.conf import settings

from masthead.cache import STATUS_HEADER
from masthead.cache.tests.reader import get_as_reader
from masthead.content.factories import make_article, make_section
from masthead.members.views import NONCE_COOKIE

pytestmark = pytest.mark.django_db


@pytest.fixture
def app(page_cache):
    return page_cache


call = get_as_reader


def names(headers) -> set[str]:
    return {name.lower() for name, _value in headers}


def value(headers, name: str) -> str:
    return ", ".join(v for n, v in headers if n.lower() == name.lower())


def test_public_article_with_a_member_cookie_comes_from_the_page_cache(
    app, signed_in, request_link
):
    client = signed_in("reader@example.org")
    client.get("/account/")
    # Every cookie the account pages left: the member session, the CSRF
    # token (a malformed one would be replaced, with Vary: Cookie, by
    # Django's CSRF middleware on any page) and the link's browser binding.
    request_link("reader@example.org")
    assert {
        settings.MASTHEAD_MEMBER_SESSION_COOKIE,
        settings.CSRF_COOKIE_NAME,
        NONCE_COOKIE,
    } <= set(client.cookies)
    cookie = "; ".join(f"{name}={c.value}" for name, c in client.cookies.items())
    article = make_article(make_section("World", "world"), title="Grid repaired")

    first = call(app, article.url, cookie)
    second = call(app, article.url, cookie)
    anonymous = call(app, article.url)

    assert first[0].startswith("200")
    assert value(second[1], STATUS_HEADER) == "hit"
    assert value(anonymous[1], STATUS_HEADER) == "hit"
    for _status, headers, _body in (first, second):
        assert "set-cookie" not in names(headers)
        assert "cookie" not in value(headers, "Vary").lower()
        assert "public" in value(headers, "Cache-Control")
    assert second[2] == anonymous[2]


def test_header_sign_in_link_is_the_same_for_everyone(app, signed_in):
    make_section("World", "world")
    client = signed_in("reader@example.org")
    member_cookie = client.cookies[settings.MASTHEAD_MEMBER_SESSION_COOKIE].value
    cookie = f"{settings.MASTHEAD_MEMBER_SESSION_COOKIE}={member_cookie}"
    assert call(app, "/", cookie)[2] == call(app, "/")[2]


def test_account_pages_are_never_kept(app):
    call(app, "/account/sign-in/")
    _status, headers, _body = call(app, "/account/sign-in/")
    assert value(headers, STATUS_HEADER) != "hit"
    assert "no-store" in value(headers, "Cache-Control")


def test_staff_session_still_bypasses_the_page_cache(app):
    article = make_article(make_section("World", "world"))
    call(app, article.url)
    call(app, article.url)
    _status, headers, _body = call(
        app, article.url, f"{settings.SESSION_COOKIE_NAME}=staff"
    )
    assert value(headers, STATUS_HEADER) != "hit"
