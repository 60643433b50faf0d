"""Signing up and in by e-mailed link (#16)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from masthead.members.factories import MemberFactory
from masthead.members.models import ConsentEvent, Member, SignInToken
from masthead.members.views import NONCE_COOKIE

from .conftest import form_data, link_in, soup

pytestmark = pytest.mark.django_db


def main_text(response):
    return soup(response).select_one("main").get_text(" ", strip=True)


def test_sign_up_link_confirmed_shows_the_address_on_the_account_page(
    client, request_link
):
    response, message = request_link("New.Reader@Example.org", name="Olena")
    assert response.status_code == 200
    assert "Cache-Control" in response and "no-store" in response["Cache-Control"]
    assert message.to == ["new.reader@example.org"]
    assert {part[1] for part in message.alternatives} == {"text/html"}
    link = link_in(message)
    assert Member.objects.count() == 0

    page = client.get(link)
    assert page.status_code == 200
    assert soup(page).select_one("main form[method=post] button")
    assert Member.objects.count() == 0

    signed = client.post(link)
    assert signed.status_code == 302
    assert signed["Location"] == "/account/"
    account = client.get("/account/")
    assert account.status_code == 200
    assert soup(account).select_one(".members-email").get_text() == (
        "new.reader@example.org"
    )
    member = Member.objects.get()
    assert member.name == "Olena"
    assert member.language == "en"
    assert [(c.what, c.action) for c in member.consents.all()] == [
        ("account", "granted")
    ]


def test_same_answer_for_registered_and_unknown_addresses(client, request_link):
    MemberFactory(email="known@example.org")
    known, known_mail = request_link("known@example.org")
    unknown, unknown_mail = request_link("unknown@example.org")
    assert known.status_code == unknown.status_code == 200

    def body(response, email):
        return main_text(response).replace(email, "ADDRESS")

    assert body(known, "known@example.org") == body(unknown, "unknown@example.org")
    assert known.cookies.keys() == unknown.cookies.keys()
    assert known.cookies[NONCE_COOKIE]["path"] == unknown.cookies[NONCE_COOKIE]["path"]
    # Each still gets the mail that fits: sign in, or create an account.
    assert known_mail.subject != unknown_mail.subject


def test_link_works_once(client, request_link):
    _response, message = request_link("reader@example.org")
    link = link_in(message)
    assert client.post(link).status_code == 302
    again = client.post(link)
    assert again.status_code == 410
    assert soup(again).select_one("main a.button")["href"] == "/account/sign-in/"
    assert client.get(link).status_code == 410


def test_expired_link_is_refused_with_a_way_to_get_a_new_one(client, request_link):
    _response, message = request_link("reader@example.org")
    SignInToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(link_in(message))
    assert response.status_code == 410
    assert soup(response).select_one("main a.button")["href"] == "/account/sign-in/"
    assert Member.objects.count() == 0


def test_invalid_link_is_a_400_not_a_500(client):
    response = client.get("/account/sign-in/" + "0" * 64 + "/")
    assert response.status_code == 400
    assert client.post("/account/sign-in/nonsense/").status_code == 400
    assert client.get("/account/sign-in/" + "a" * 300 + "/").status_code == 404


def test_token_is_stored_only_as_a_hash(request_link):
    _response, message = request_link("reader@example.org")
    raw = link_in(message).rstrip("/").rsplit("/", 1)[1]
    token = SignInToken.objects.get()
    assert raw not in {token.token_digest, token.salt, token.nonce_digest}
    assert token.expires_at - token.created_at == timedelta(minutes=15)


def test_link_opened_in_another_browser_needs_the_explicit_confirmation(
    client, request_link
):
    _response, message = request_link("reader@example.org")
    link = link_in(message)
    client.cookies.pop(NONCE_COOKIE)

    page = client.get(link)
    assert page.status_code == 200
    assert soup(page).select_one("main input[name=other_device]")["value"] == "yes"

    refused = client.post(link)
    assert refused.status_code == 400
    assert Member.objects.count() == 0
    assert client.post(link, {"other_device": "yes"}).status_code == 302
    assert Member.objects.count() == 1


def test_same_browser_does_not_warn(client, request_link):
    _response, message = request_link("reader@example.org")
    page = client.get(link_in(message))
    assert soup(page).select_one("main input[name=other_device]") is None


def test_existing_member_signs_in_without_a_second_account(client, request_link):
    member = MemberFactory(email="reader@example.org")
    _response, message = request_link("READER@example.org")
    assert client.post(link_in(message)).status_code == 302
    assert Member.objects.get().pk == member.pk
    assert ConsentEvent.objects.count() == 0


def test_honeypot_rejects_and_sends_nothing(client, request_link):
    response, message = request_link("bot@example.org", website="http://spam")
    assert response.status_code == 400
    assert message is None
    assert SignInToken.objects.count() == 0


def test_form_sent_too_fast_is_refused(client, django_capture_on_commit_callbacks):
    form = soup(client.get("/account/sign-in/")).select_one("main form")
    shown = form.select_one("input[name=shown]")["value"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/sign-in/", {**form_data("quick@example.org"), "shown": shown}
        )
    assert response.status_code == 400
    assert mail.outbox == []


def test_too_many_links_for_one_address_are_refused(request_link, settings):
    settings.MASTHEAD_MEMBER_ADDRESS_LIMIT = 2
    assert request_link("reader@example.org")[0].status_code == 200
    assert request_link("Reader@example.org")[0].status_code == 200
    response, message = request_link("reader@example.org")
    assert response.status_code == 429
    assert message is None
    assert response["Retry-After"]
    assert soup(response).select_one("main h1").get_text() == "Too many requests"


def test_too_many_links_from_one_client_are_refused(request_link, settings):
    settings.MASTHEAD_MEMBER_CLIENT_LIMIT = 2
    for n in range(2):
        assert request_link(f"reader{n}@example.org")[0].status_code == 200
    assert request_link("another@example.org")[0].status_code == 429


def test_ukrainian_edition_serves_the_form_and_mails_in_ukrainian(client, request_link):
    page = client.get("/uk/account/sign-in/")
    assert page.status_code == 200
    assert soup(page).select_one("html")["lang"] == "uk"
    assert soup(page).select_one("main form")["action"] == "/uk/account/sign-in/"
    _response, message = request_link("reader@example.org", url="/uk/account/sign-in/")
    link = link_in(message)
    assert link.startswith("/uk/account/sign-in/")
    assert client.post(link)["Location"] == "/uk/account/"
    assert Member.objects.get().language == "uk"


def test_account_page_sends_a_signed_out_reader_to_sign_in(client):
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/account/sign-in/"
    assert client.get("/uk/account/")["Location"] == "/uk/account/sign-in/"


@pytest.mark.parametrize(
    ("page", "account"),
    [("/news-feed/", "/account/"), ("/uk/news-feed/", "/uk/account/")],
)
def test_header_links_to_the_account_in_each_edition(client, page, account):
    response = client.get(page)
    assert response.status_code == 200
    link = soup(response).select_one("header.site-header a.site-nav__account")
    assert link["href"] == account
    assert "Vary" not in response or "Cookie" not in response["Vary"]
    assert not response.cookies


def test_member_of_another_edition_gets_the_same_answer_as_an_unknown_address(
    request_link,
):
    MemberFactory(email="english@example.org", language="en")
    known, known_mail = request_link("english@example.org", url="/uk/account/sign-in/")
    unknown, _mail = request_link("nobody@example.org", url="/uk/account/sign-in/")
    assert known.status_code == unknown.status_code == 200
    assert main_text(known).replace("english@", "X@") == main_text(unknown).replace(
        "nobody@", "X@"
    )
    assert known.cookies[NONCE_COOKIE]["path"] == unknown.cookies[NONCE_COOKIE]["path"]
    # The member's mail and link are in their own edition.
    assert link_in(known_mail).startswith("/account/sign-in/")


@pytest.mark.parametrize(
    ("came_from", "lands_on"),
    [
        ("/membership/join/supporter/", "/membership/join/supporter/"),
        ("/uk/newsletters/", "/uk/newsletters/"),
        ("", "/account/"),
        ("/account/sign-in/", "/account/"),
        ("//evil.example/", "/account/"),
        ("https://evil.example/", "/account/"),
        ("/\\evil.example/", "/account/"),
    ],
)
def test_the_link_leads_back_to_the_page_that_asked_for_sign_in(
    client, request_link, came_from, lands_on
):
    _response, message = request_link("back@example.org", source=came_from)
    signed = client.post(link_in(message))
    assert signed.status_code == 302
    assert signed["Location"] == lands_on
