"""The page cache keeps each edition's pages apart and purges both (#15)."""

import pytest

from masthead.cache import STATUS_HEADER
from masthead.cache.wsgi import PageCache
from masthead.content.factories import home_page, make_article, make_section
from masthead.content.services import publish_article

from .test_caching import call

pytestmark = pytest.mark.django_db


def kept(app, url, environ) -> tuple[str, str, bytes]:
    """Read ``url`` until the cache answers it; return the last answer."""
    for _ in range(3):
        status, headers, body = call(app, url, **environ)
    return status[:3], headers.get(STATUS_HEADER, ""), body


def test_edition_prefix_is_part_of_the_cache_key():
    environ = {"wsgi.url_scheme": "http", "HTTP_HOST": "example.org"}
    english = PageCache._key({**environ, "PATH_INFO": "/news-feed/"})
    ukrainian = PageCache._key({**environ, "PATH_INFO": "/uk/news-feed/"})
    assert english != ukrainian


def test_editions_home_pages_are_kept_apart(app, environ):
    home_page("uk")
    make_article(make_section("World", "world"), title="Grid repaired")
    english = kept(app, "/", environ)
    ukrainian = kept(app, "/uk/", environ)
    assert english[:2] == ukrainian[:2] == ("200", "hit")
    assert b'lang="en"' in english[2]
    assert b'lang="uk"' in ukrainian[2]


def test_publishing_a_ukrainian_article_purges_its_ukrainian_page(
    app, environ, django_capture_on_commit_callbacks
):
    section = make_section("Україна", "ukraina", home=home_page("uk"))
    with django_capture_on_commit_callbacks(execute=True):
        article = make_article(section, title="Перша версія", slug="novyna")
    url = article.url
    assert url == "/uk/ukraina/novyna/"
    assert kept(app, url, environ)[:2] == ("200", "hit")

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Друга версія"
        article.save_revision()
        publish_article(article)

    status, headers, body = call(app, url, **environ)
    assert status.startswith("200")
    assert headers[STATUS_HEADER] != "hit"
    assert "Друга версія".encode() in body
