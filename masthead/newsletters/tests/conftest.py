"""Fixtures of the readers' newsletter pages' tests: signing up, signing in (#16)."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from masthead.cache import limits

from .pages import SIGN_IN_LINK, form_data


@pytest.fixture
def fresh_limits():
    """No rate limit spent before or after the test (sign-ups are limited)."""
    limits.reset()
    yield
    limits.reset()


@pytest.fixture
def sign_up(client, django_capture_on_commit_callbacks):
    """``sign_up(slug, email)``: send the form; return (response, new messages)."""

    def send(slug: str, email: str, client=client, **extra):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                f"/newsletters/{slug}/sign-up/", form_data(email), **extra
            )
        return response, mail.outbox[before:]

    return send


@pytest.fixture
def signed_in(client, django_capture_on_commit_callbacks):
    """``signed_in(email)``: ``client`` signed in through the e-mailed link."""

    def sign(email: str = "reader@example.org") -> Client:
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                "/account/sign-in/",
                {**form_data(email), "name": "", "source": ""},
            )
        match = SIGN_IN_LINK.search(str(mail.outbox[before].body))
        assert match
        assert client.post(urlsplit(match.group(0)).path).status_code == 302
        return client

    return sign
