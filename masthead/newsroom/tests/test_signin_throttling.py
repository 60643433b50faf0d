"""Sign-in throttling behind a proxy, per account and per client (#13).

Every request comes from Varnish (a trusted proxy) unless a test says
otherwise; the reader's address is in X-Forwarded-For, as Varnish sends it.
"""

import pytest
from django.test import Client

from masthead.newsroom.signin import DEVICE_COOKIE

pytestmark = pytest.mark.django_db

VARNISH = "10.0.0.2"
PASSWORD = "the-right-pass-phrase"


@pytest.fixture(autouse=True)
def _behind_varnish(settings):
    settings.MASTHEAD_TRUSTED_PROXIES = ["10.0.0.0/24"]
    settings.AXES_FAILURE_LIMIT = 5
    settings.MASTHEAD_LOGIN_CLIENT_FAILURE_LIMIT = 20
    settings.MASTHEAD_LOGIN_ACCOUNT_FAILURE_LIMIT = 10


@pytest.fixture
def reporter(django_user_model):
    return django_user_model.objects.create_user(
        "reporter", password=PASSWORD, is_staff=True
    )


def sign_in(client, address, password, username="reporter", peer=VARNISH):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=peer,
        HTTP_X_FORWARDED_FOR=address,
    )


def test_wrong_passwords_from_one_reader_do_not_lock_out_another(reporter):
    for _ in range(5):
        sign_in(Client(), "198.51.100.1", "wrong")
    assert sign_in(Client(), "198.51.100.1", PASSWORD).status_code == 429
    # Same Varnish, another reader: signs in.
    assert sign_in(Client(), "198.51.100.2", PASSWORD).status_code == 302


def test_guesses_spread_over_many_addresses_lock_the_account(reporter):
    statuses = [
        sign_in(Client(), f"198.51.100.{client}", "wrong").status_code
        for client in range(1, 21)
        for _ in range(4)
    ]
    # Each address stays under its own limit of 5, yet the account locks.
    assert 429 in statuses
    assert statuses.index(429) == 10 - 1
    fresh = sign_in(Client(), "198.51.100.99", PASSWORD)
    assert fresh.status_code == 429


def test_one_client_guessing_many_accounts_is_locked(django_user_model):
    django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)
    for number in range(20):
        sign_in(Client(), "203.0.113.9", "wrong", username=f"user-{number}")
    assert sign_in(Client(), "203.0.113.9", PASSWORD, "editor").status_code == 429
    assert sign_in(Client(), "203.0.113.10", PASSWORD, "editor").status_code == 302


def test_a_browser_with_a_device_cookie_signs_in_while_the_account_is_locked(
    reporter,
):
    owner = Client()
    first = sign_in(owner, "192.0.2.77", PASSWORD)
    assert first.status_code == 302
    cookie = first.cookies[DEVICE_COOKIE]
    assert cookie["httponly"]
    assert cookie["path"] == "/admin/"
    owner.logout()  # the test client forgets every cookie; the browser would not
    owner.cookies[DEVICE_COOKIE] = cookie.value

    for client in range(1, 21):
        for _ in range(4):
            sign_in(Client(), f"198.51.100.{client}", "wrong")
    assert sign_in(Client(), "192.0.2.78", PASSWORD).status_code == 429

    # The owner's browser keeps its cookie, and so its own counter.
    assert sign_in(owner, "192.0.2.77", PASSWORD).status_code == 302
    # Its success does not unlock the account for unknown clients.
    assert sign_in(Client(), "192.0.2.78", PASSWORD).status_code == 429


def test_a_forged_or_foreign_device_cookie_counts_for_nothing(
    reporter, django_user_model
):
    django_user_model.objects.create_user("other", password=PASSWORD, is_staff=True)
    someone = Client()
    signed_in = sign_in(someone, "192.0.2.80", PASSWORD, "other")
    assert signed_in.status_code == 302
    someone.logout()
    someone.cookies[DEVICE_COOKIE] = signed_in.cookies[DEVICE_COOKIE].value
    forged = Client()
    forged.cookies[DEVICE_COOKIE] = "reporter-and-no-signature"

    for client in range(1, 11):
        sign_in(Client(), f"198.51.100.{client}", "wrong")
    # A cookie for another account, or a forged one: an unknown client.
    assert sign_in(someone, "192.0.2.80", PASSWORD).status_code == 429
    assert sign_in(forged, "192.0.2.81", PASSWORD).status_code == 429


def test_forwarded_for_from_an_untrusted_peer_is_ignored(reporter):
    statuses = [
        sign_in(Client(), f"198.51.100.{n}", "wrong", peer="192.0.2.50").status_code
        for n in range(1, 6)
    ]
    # Five different claimed addresses, one real one: locked at the fifth.
    assert statuses == [200, 200, 200, 200, 429]
    other = sign_in(Client(), "198.51.100.200", PASSWORD, peer="192.0.2.51")
    assert other.status_code == 302
