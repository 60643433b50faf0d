"""Cache tags and TTL reach the caches in front, never readers (#13).

``X-Cache-Tags`` lists internal ids (articles, authors, images) and
``X-Masthead-TTL`` the store's lifetime; Varnish reads and removes them
(deploy/varnish/masthead.vcl). Test settings trust 127.0.0.1, the test
client's address, as the cache in front; a reader here comes from
203.0.113.7 (TEST-NET-3).
"""

import socket
from wsgiref.util import setup_testing_defaults

import pytest

from masthead import cache
from masthead.cache import STATUS_HEADER, PageCache
from masthead.cache.peers import is_trusted_cache

pytestmark = pytest.mark.usefixtures("journal")

READER = "203.0.113.7"
VARNISH = "127.0.0.1"
INTERNAL = (cache.TAGS_HEADER, cache.TTL_HEADER)


def public_urls(story) -> list[str]:
    article, section, author, topic = story
    return [
        "/",
        article.url,
        section.url,
        author.get_absolute_url(),
        topic.get_absolute_url(),
        "/news-feed/",
        "/feeds/rss/",
        "/sitemap.xml",
        "/search/?q=words",
    ]


# The page cache off: Django answers everyone --------------------------------


@pytest.mark.django_db
def test_readers_never_see_internal_headers_with_the_page_cache_off(client, story):
    for url in public_urls(story):
        response = client.get(url, REMOTE_ADDR=READER)
        assert response.status_code == 200, url
        for header in INTERNAL:
            assert header not in response.headers, (url, header)


@pytest.mark.django_db
def test_nobody_sees_them_when_no_cache_in_front_is_configured(client, story, settings):
    settings.MASTHEAD_TRUSTED_CACHES = []
    response = client.get(story[0].url, REMOTE_ADDR=VARNISH)
    assert cache.TAGS_HEADER not in response.headers


@pytest.mark.django_db
def test_the_cache_in_front_gets_tags_and_ttl(client, story, settings):
    response = client.get(story[0].url, REMOTE_ADDR=VARNISH)
    assert f"article-{story[0].pk}" in response.headers[cache.TAGS_HEADER].split()
    assert response.headers[cache.TTL_HEADER] == str(settings.MASTHEAD_PAGE_CACHE_TTL)


@pytest.mark.django_db
def test_forwarded_address_cannot_claim_to_be_the_cache(client, story):
    response = client.get(
        story[0].url, REMOTE_ADDR=READER, HTTP_X_FORWARDED_FOR=VARNISH
    )
    assert cache.TAGS_HEADER not in response.headers


# The page cache on: the WSGI wrapper answers --------------------------------


def request(app, path: str, remote_addr: str, **extra) -> tuple[str, dict, bytes]:
    environ: dict = {"PATH_INFO": path, "REMOTE_ADDR": remote_addr, **extra}
    setup_testing_defaults(environ)
    seen: dict = {}

    def start_response(status, headers, exc_info=None):
        seen.update(status=status, headers=dict(headers))

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body


@pytest.mark.django_db
def test_page_cache_sends_internal_headers_only_to_the_cache_in_front(
    story, django_wsgi
):
    app = PageCache(django_wsgi, cache.get_store())
    url = story[0].url
    for label in ("miss", "hit"):
        status, headers, _body = request(app, url, READER)
        assert (status[:3], headers[STATUS_HEADER]) == ("200", label)
        assert not set(INTERNAL) & set(headers), label
    # Varnish asks for the copy a reader's visit stored: it gets the labels.
    _status, headers, _body = request(app, url, VARNISH)
    assert headers[STATUS_HEADER] == "hit"
    assert f"article-{story[0].pk}" in headers[cache.TAGS_HEADER].split()
    assert int(headers[cache.TTL_HEADER]) > 0


@pytest.mark.django_db
def test_requests_the_page_cache_lets_through_carry_no_labels(story, django_wsgi):
    app = PageCache(django_wsgi, cache.get_store())
    # An Authorization header passes the page cache straight to Django.
    _status, headers, _body = request(
        app, story[0].url, READER, HTTP_AUTHORIZATION="Basic eDp5"
    )
    assert not set(INTERNAL) & set(headers)


# Who counts as the cache in front -------------------------------------------


@pytest.mark.parametrize(
    ("trusted", "peer", "expected"),
    [
        (["10.0.0.5"], "10.0.0.5", True),
        (["10.0.0.0/24"], "10.0.0.77", True),
        (["10.0.0.0/24"], "10.0.1.1", False),
        (["127.0.0.1"], "::ffff:127.0.0.1", True),
        (["::1"], "::1", True),
        (["localhost"], "127.0.0.1", True),
        (["localhost"], "10.0.0.5", False),
        ([], "127.0.0.1", False),
        (["127.0.0.1"], "", False),
        (["127.0.0.1"], "not an address", False),
    ],
)
def test_trusted_caches_are_addresses_and_networks(settings, trusted, peer, expected):
    settings.MASTHEAD_TRUSTED_CACHES = trusted
    assert is_trusted_cache(peer) is expected


def test_a_cache_named_by_host_is_resolved_once(settings, monkeypatch):
    asked = []

    def getaddrinfo(host, port, proto=0):
        asked.append(host)
        if host == "varnish":
            return [(socket.AF_INET, socket.SOCK_STREAM, proto, "", ("10.0.0.5", 0))]
        raise socket.gaierror("unknown host")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    settings.MASTHEAD_TRUSTED_CACHES = ["varnish", "gone.example"]
    assert is_trusted_cache("10.0.0.5")
    assert not is_trusted_cache("10.0.0.6")
    assert asked == ["varnish", "gone.example"]
