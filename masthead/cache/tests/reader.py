"""The page cache in front of Django, and a reader's GET through it.

A pytest plugin (root conftest.py): the ``page_cache`` fixture and
``get_as_reader`` serve the apps whose tests check that their public pages
stay one cached copy for every reader (members, newsletters, memberships).
"""

from collections.abc import Iterator
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections

from masthead import cache
from masthead.cache import PageCache


@pytest.fixture
def page_cache(settings, tmp_path) -> Iterator[PageCache]:
    """The page cache round Django, as cache/tests/conftest.py builds it."""
    settings.MASTHEAD_PAGE_CACHE_JOURNAL = tmp_path / "purges.log"
    settings.MASTHEAD_PURGERS = []
    cache.reset()
    yield PageCache(get_wsgi_application(), cache.get_store())
    cache.reset()


def get_as_reader(
    app, path: str, cookie: str = ""
) -> tuple[str, list[tuple[str, str]], bytes]:
    """GET ``path`` through ``app`` as a reader, not the trusted cache in front.

    Returns:
        The status line, the headers as sent, and the body.
    """
    seen: dict = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = status, headers

    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "HTTP_HOST": "localhost",
            # A reader, not the trusted cache in front (settings/test.py).
            "REMOTE_ADDR": "192.0.2.10",
        }
    )
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    # As Django's test client does, around each request rather than the
    # whole test: the client's own requests (signing in) connect them again,
    # and a request that closed the connection would end the test's
    # transaction on PostgreSQL.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        body = b"".join(app(environ, start_response))
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body
