"""Gated articles stay cached: one copy per kind of access pass, never per
reader (#17), through the page cache round Django (cache/wsgi.py)."""

import time

import pytest

from masthead.cache.tests.reader import get_as_reader
from masthead.content.factories import make_article
from masthead.content.visibility import Access
from masthead.core import grants

pytestmark = pytest.mark.django_db

SECRET = "Quillback"


def cookie(*tiers: int) -> str:
    value = grants.sign(grants.Grant(frozenset(tiers)), time.time() + 3600)
    return f"other=1; masthead_access={value}"


@pytest.fixture
def article(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_article(
            body=[
                ("paragraph", "<p>Open words.</p>"),
                ("members_only", None),
                ("paragraph", f"<p>{SECRET} words.</p>"),
            ],
            access=Access.PAID,
        )


def cache_label(headers) -> str:
    found = [value for name, value in headers if name.lower() == "x-masthead-cache"]
    return found[0] if found else ""


def test_each_kind_of_pass_has_its_own_copy(page_cache, article):
    status, headers, body = get_as_reader(page_cache, article.url)
    assert status.startswith("200") and SECRET.encode() not in body
    assert cache_label(headers) == "miss"
    # A paid member: a copy of their own kind, with the rest.
    _, headers, body = get_as_reader(page_cache, article.url, cookie(3))
    assert SECRET.encode() in body and cache_label(headers) == "miss"
    assert "private" in dict(headers)["Cache-Control"]
    # Another reader with the same tier shares it: a hit, not a render.
    _, headers, body = get_as_reader(page_cache, article.url, cookie(3))
    assert SECRET.encode() in body and cache_label(headers) == "hit"
    # The anonymous copy is untouched by the members' one.
    _, headers, body = get_as_reader(page_cache, article.url)
    assert SECRET.encode() not in body and cache_label(headers) == "hit"
    # A signed-in member without a paid tier: their own kind, the preview.
    _, headers, body = get_as_reader(page_cache, article.url, cookie())
    assert SECRET.encode() not in body and cache_label(headers) == "miss"


def test_a_forged_pass_gets_the_shared_preview(page_cache, article):
    get_as_reader(page_cache, article.url, cookie(3))
    get_as_reader(page_cache, article.url)
    forged = cookie(3)[:-3] + "abc"
    _, headers, body = get_as_reader(page_cache, article.url, forged)
    assert SECRET.encode() not in body and cache_label(headers) == "hit"


def test_a_page_the_same_for_everyone_is_one_copy_for_pass_holders_too(
    page_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_article = make_article()
    _, headers, first = get_as_reader(page_cache, open_article.url, cookie(3))
    assert cache_label(headers) == "miss"
    _, headers, body = get_as_reader(page_cache, open_article.url)
    assert cache_label(headers) == "hit" and body == first
    _, headers, _ = get_as_reader(page_cache, open_article.url, cookie())
    assert cache_label(headers) == "hit"


def test_the_page_cache_labels_never_reach_the_reader(page_cache, article):
    for value in ("", cookie(3)):
        _, headers, _ = get_as_reader(page_cache, article.url, value)
        assert "x-masthead-by-access" not in {name.lower() for name, _ in headers}
