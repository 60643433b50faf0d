"""The member's own page: e-mail change, sign out, data download, erasure (#16)."""

import json

import pytest
from django.conf import settings
from django.test import Client

from masthead.members.models import ConsentEvent, Member, SignInToken, email_digest

from .conftest import link_in, soup

pytestmark = pytest.mark.django_db

COOKIE = settings.MASTHEAD_MEMBER_SESSION_COOKIE


def test_account_page_is_private(signed_in):
    client = signed_in("reader@example.org")
    response = client.get("/account/")
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    # Django's staff session is never started for a member.
    assert settings.SESSION_COOKIE_NAME not in client.cookies


def test_member_session_uses_its_own_cookie(signed_in):
    client = signed_in("reader@example.org")
    cookie = client.cookies[COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"


def test_sign_out_ends_the_session(signed_in):
    client = signed_in()
    response = client.post("/account/sign-out/")
    assert response.status_code == 200
    assert client.get("/account/").status_code == 302


def test_sign_out_needs_a_post(signed_in):
    client = signed_in()
    assert client.get("/account/sign-out/").status_code == 405
    assert client.get("/account/").status_code == 200


def test_sign_out_everywhere_ends_another_browsers_session(signed_in, request_link):
    laptop = signed_in("reader@example.org")
    phone = Client()
    _response, message = request_link("reader@example.org")
    assert phone.post(link_in(message), {"other_device": "yes"}).status_code == 302
    assert phone.get("/account/").status_code == 200

    assert laptop.post("/account/sign-out-everywhere/").status_code == 200
    assert phone.get("/account/").status_code == 302
    assert laptop.get("/account/").status_code == 302
    assert Member.objects.get().session_generation == 1


def test_forms_are_csrf_protected(signed_in):
    client = signed_in()
    strict = Client(enforce_csrf_checks=True)
    strict.cookies[COOKIE] = client.cookies[COOKIE].value
    assert strict.post("/account/sign-out-everywhere/").status_code == 403
    assert strict.post("/account/delete/", {"confirm": "yes"}).status_code == 403
    assert strict.post("/account/sign-in/", {"email": "a@example.org"}).status_code == (
        403
    )
    assert Member.objects.count() == 1


def test_data_download_is_json_with_the_consents(signed_in):
    client = signed_in("reader@example.org")
    response = client.get("/account/my-data.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["member"]["email"] == "reader@example.org"
    assert [(c["what"], c["action"]) for c in data["consents"]] == [
        ("account", "granted")
    ]


def test_delete_asks_first_then_erases(signed_in):
    client = signed_in("reader@example.org")
    page = client.get("/account/delete/")
    assert page.status_code == 200
    assert soup(page).select_one("main input[name=confirm][type=checkbox]")
    # It says what is kept: consents, and payments for the books.
    kept = soup(page).select_one("main").get_text(" ", strip=True)
    assert "We also keep your payments" in kept
    assert client.post("/account/delete/").status_code == 400
    assert Member.objects.count() == 1

    response = client.post("/account/delete/", {"confirm": "yes"})
    assert response.status_code == 200
    assert Member.objects.count() == 0
    assert SignInToken.objects.count() == 0
    assert client.get("/account/").status_code == 302
    # Kept: the consent log, with no member and only the address's keyed hash.
    events = list(ConsentEvent.objects.values_list("member", "action", "email_digest"))
    digest = email_digest("reader@example.org")
    assert events == [(None, "granted", digest), (None, "withdrawn", digest)]
    assert "reader@example.org" not in digest


def test_email_change_is_confirmed_from_the_new_address(
    signed_in, django_capture_on_commit_callbacks, mailoutbox
):
    client = signed_in("old@example.org")
    before = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/email/", {"email": "New@Example.org"})
    assert response.status_code == 200
    (message,) = mailoutbox[before:]
    assert message.to == ["new@example.org"]
    assert Member.objects.get().email == "old@example.org"

    assert client.post(link_in(message)).status_code == 302
    account = client.get("/account/")
    assert soup(account).select_one(".members-email").get_text() == "new@example.org"
    assert Member.objects.get().email == "new@example.org"


def test_email_change_to_a_taken_address_sends_nothing_and_says_the_same(
    signed_in, django_capture_on_commit_callbacks, mailoutbox
):
    Member.objects.create(email="taken@example.org", language="en")
    client = signed_in("old@example.org")
    before = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        taken = client.post("/account/email/", {"email": "taken@example.org"})
        free = client.post("/account/email/", {"email": "free@example.org"})
    assert taken.status_code == free.status_code == 200
    assert [m.to for m in mailoutbox[before:]] == [["free@example.org"]]


def test_status_endpoint_says_whether_signed_in(client, signed_in):
    anonymous = client.get("/account/status.json")
    assert anonymous.json() == {"signed_in": False}
    assert "no-store" in anonymous["Cache-Control"]
    assert signed_in().get("/account/status.json").json() == {"signed_in": True}


def test_sign_in_form_sends_a_signed_in_member_to_their_account(signed_in):
    client = signed_in()
    response = client.get("/account/sign-in/")
    assert response.status_code == 302
    assert response["Location"] == "/account/"
