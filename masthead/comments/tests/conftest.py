"""Fixtures of the comments' tests: an article, members signed in without the
e-mail round trip (the sign-in flow has its own tests in members/), the
comment form as a person sends it, and the HTML of a page, parsed."""

import time
from importlib import import_module

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.test import Client

from masthead.cache import limits
from masthead.comments.forms import form_stamp
from masthead.content.factories import make_article, make_section
from masthead.members.factories import MemberFactory
from masthead.members.session import GENERATION_KEY, MEMBER_KEY


def soup(response) -> BeautifulSoup:
    body = response.content if hasattr(response, "content") else response
    return BeautifulSoup(body, "html5lib")


def text_of(tag) -> str:
    assert tag is not None
    return " ".join(tag.get_text(" ", strip=True).split())


def sign_in(client, member) -> None:
    """Give ``client`` a member session for ``member`` (as the link would)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[MEMBER_KEY] = member.pk
    store[GENERATION_KEY] = member.session_generation
    store.save()
    client.cookies[settings.MASTHEAD_MEMBER_SESSION_COOKIE] = store.session_key


def form(text: str, **extra: str) -> dict[str, str]:
    """The comment form as a person sends it, a while after it was shown."""
    return {"text": text, "website": "", "shown": form_stamp(time.time() - 30), **extra}


@pytest.fixture(autouse=True)
def _fresh_limits():
    limits.reset()
    yield
    limits.reset()


@pytest.fixture
def article(db):
    return make_article(make_section("World", "world"), title="Grid repaired")


@pytest.fixture
def member(db):
    return MemberFactory(email="reader@example.org", name="Rea Der")


@pytest.fixture
def other(db):
    return MemberFactory(email="other@example.org", name="Ot Her")


@pytest.fixture
def signed_in(client, member):
    """``client`` signed in as ``member``."""
    sign_in(client, member)
    return client


@pytest.fixture
def other_client(other):
    """A second browser, signed in as ``other``."""
    browser = Client()
    sign_in(browser, other)
    return browser


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """``post(client, url, data)``: send a form with its after-commit work run."""

    def send(client, url: str, data: dict | None = None, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {}, **extra)

    return send


@pytest.fixture
def write(post):
    """``write(client, article, text)``: post a comment on ``article``."""

    def send(client, article, text: str, **extra: str):
        return post(client, f"/account/comments/new/{article.pk}/", form(text, **extra))

    return send
