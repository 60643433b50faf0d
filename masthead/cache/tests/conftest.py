"""Fixtures shared by the purge tests: a journal per test and a published story.

test_caching.py has its own ``journal`` (a bare path), which overrides this one
there.
"""

from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from masthead import cache
from masthead.cache import PageCache
from masthead.content.factories import make_article, make_section
from masthead.people.factories import AuthorFactory
from masthead.taxonomy.factories import TagFactory


@pytest.fixture
def journal(settings, tmp_path):
    """This test's purge journal, with no purger beyond this machine's store."""
    settings.MASTHEAD_PAGE_CACHE_JOURNAL = tmp_path / "purges.log"
    settings.MASTHEAD_PURGERS = []
    cache.reset()
    yield settings.MASTHEAD_PAGE_CACHE_JOURNAL
    cache.reset()


@pytest.fixture
def story():
    """A published article in Business with one author and one tag."""
    author, topic = AuthorFactory(), TagFactory()
    section = make_section("Business", "business")
    article = make_article(section, authors=[author], tags=[topic])
    return article, section, author, topic


@pytest.fixture
def django_wsgi(db):
    """Django's WSGI application, for tests that wrap it in the page cache.

    As Django's test client does, requests leave the test's connection open:
    a real request closes it when it finishes, which on PostgreSQL (no
    autocommit inside the test's transaction) ends the test's connection.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def app(journal, django_wsgi):
    """The page cache round Django's WSGI application, with its own store."""
    return PageCache(django_wsgi, cache.get_store())


@pytest.fixture
def environ():
    """A WSGI environ without a path; each test sets ``PATH_INFO``."""
    values: dict = {}
    setup_testing_defaults(values)
    del values["PATH_INFO"]
    return values
