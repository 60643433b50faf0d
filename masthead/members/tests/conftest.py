"""Helpers of the members' tests: the sign-in form as a reader sends it."""

import re
import time
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from masthead.cache import limits
from masthead.members.forms import form_stamp

LINK = re.compile(r"https?://[^\s\"<>]+/account/sign-in/([0-9a-f]+)/")


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html5lib")


def form_data(email: str, **extra: str) -> dict[str, str]:
    """The form's fields as a person sends them, a few seconds after loading it."""
    return {
        "email": email,
        "name": "",
        "website": "",
        "shown": form_stamp(time.time() - 10),
        "source": "",
        **extra,
    }


def link_in(message) -> str:
    """The path of the sign-in link in an e-mail, from its text part."""
    match = LINK.search(message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


@pytest.fixture(autouse=True)
def _fresh_limits():
    limits.reset()
    yield
    limits.reset()


@pytest.fixture
def request_link(client, django_capture_on_commit_callbacks):
    """``request_link(email, url=...)``: send the form; return (response, message)."""

    def send(email: str, url: str = "/account/sign-in/", **extra: str):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, form_data(email, **extra))
        sent = mail.outbox[before:]
        return response, (sent[-1] if sent else None)

    return send


@pytest.fixture
def signed_in(client, request_link):
    """``signed_in(email)``: sign ``client`` in through the whole flow."""

    def sign(email: str = "reader@example.org"):
        response, message = request_link(email)
        assert message is not None, (response.status_code, response.content[:800])
        link = link_in(message)
        response = client.post(link)
        assert response.status_code == 302, response.content
        return client

    return sign
